/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ZONEALLOC_CHUNK_H
#define _ZONEALLOC_CHUNK_H

#include "pool.h"

/*
 * Memory is claimed from the kernel, and given back, in chunks this big
 * (MAX_PAGE_ORDER: <linux/mmzone.h> where it is used).
 */
#define ZA_CHUNK_ORDER	min(ZA_MAX_ORDER, MAX_PAGE_ORDER)
#define ZA_CHUNK_PAGES	BIT(ZA_CHUNK_ORDER)
/* The most chunks the pool's range table is sized for (64 GiB). */
#define ZA_MAX_CHUNKS	16384U

int za_chunk_init(void);
void za_chunk_exit(void);

unsigned int za_chunk_capacity(void);
unsigned int za_chunk_nr(void);
int za_chunk_grow(struct za_pool *pool, int nid, int zone);
int za_chunk_shrink_one(struct za_pool *pool, int nid, unsigned long *moved);

struct seq_file;
void za_show_chunks(struct seq_file *m, struct za_pool *pool);

/* The pool made at load; NULL before za_chunk_init() and after exit. */
extern struct za_pool *za_global_pool;

#endif /* _ZONEALLOC_CHUNK_H */
