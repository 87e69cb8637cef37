/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ZONEALLOC_DEV_H
#define _ZONEALLOC_DEV_H

struct miscdevice;
struct za_pool;

int za_dev_init(void);
void za_dev_exit(void);
void za_dev_set_migrate_ops(struct za_pool *pool);

extern struct miscdevice za_miscdev;

#endif /* _ZONEALLOC_DEV_H */
