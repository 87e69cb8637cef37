/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ZONEALLOC_ELASTIC_H
#define _ZONEALLOC_ELASTIC_H

struct za_pool;

int za_elastic_init(struct za_pool *pool);
void za_elastic_exit(void);
void za_elastic_wake(struct za_pool *pool, int zone, unsigned int order);
long za_elastic_ioctl(struct za_pool *pool, unsigned int cmd,
		      void __user *uarg);

#endif /* _ZONEALLOC_ELASTIC_H */
