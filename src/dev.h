/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ZONEALLOC_DEV_H
#define _ZONEALLOC_DEV_H

struct miscdevice;
struct zonealloc_pool;

int zonealloc_dev_init(void);
void zonealloc_dev_exit(void);
void za_dev_set_migrate_ops(struct zonealloc_pool *pool);

extern struct miscdevice zonealloc_miscdev;

#endif /* _ZONEALLOC_DEV_H */
