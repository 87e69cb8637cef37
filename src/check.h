/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ZONEALLOC_CHECK_H
#define _ZONEALLOC_CHECK_H

#include <linux/types.h>

struct za_pool;

int za_pool_check(struct za_pool *pool, char *buf, size_t len);

#endif /* _ZONEALLOC_CHECK_H */
