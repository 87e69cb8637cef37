/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ZONEALLOC_CHUNK_H
#define _ZONEALLOC_CHUNK_H

struct zonealloc_pool;

int zonealloc_chunk_init(void);
void zonealloc_chunk_exit(void);

/* The pool made at load; NULL before zonealloc_chunk_init() and after exit. */
extern struct zonealloc_pool *za_global_pool;

#endif /* _ZONEALLOC_CHUNK_H */
