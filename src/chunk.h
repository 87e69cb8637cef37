/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ZONEALLOC_CHUNK_H
#define _ZONEALLOC_CHUNK_H

struct za_pool;

int za_chunk_init(void);
void za_chunk_exit(void);

/* The pool made at load; NULL before za_chunk_init() and after exit. */
extern struct za_pool *za_global_pool;

#endif /* _ZONEALLOC_CHUNK_H */
