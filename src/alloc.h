/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ZONEALLOC_ALLOC_H
#define _ZONEALLOC_ALLOC_H

#include <linux/moduleparam.h>

#include "compaction.h"
#include "gfp.h"
#include "pool.h"

struct page;

/* Slow-path retries before a non-costly request fails (no reclaim here). */
#define ZA_MAX_RETRIES		16
/* As MAX_COMPACT_RETRIES: compaction retries after a lost success. */
#define ZA_MAX_COMPACT_RETRIES	16

#if IS_ENABLED(CONFIG_KUNIT)
/*
 * KUnit's record of the slow path's compaction, for one pool: each
 * direct compaction (@retry -1, the priority it ran at and its result) and
 * each za_should_compact_retry() answer (0 or 1, with the priority the
 * next attempt runs at).
 */
#define ZA_COMPACT_LOG_MAX	64
struct za_compact_log_entry {
	u8 prio;
	u8 result;
	s8 retry;
};

struct za_compact_log {
	struct za_pool *pool;
	unsigned int nr;
	struct za_compact_log_entry e[ZA_COMPACT_LOG_MAX];
};

extern struct za_compact_log *za_compact_log;
bool za_should_compact_retry(struct za_pool *pool, unsigned int order,
			     int highest, enum za_compact_result result,
			     enum za_compact_priority *prio, int *retries);
#endif

extern unsigned int za_defrag_mode;
extern const struct kernel_param_ops za_defrag_mode_ops;

unsigned long za_zone_free_block_pages(struct za_zone *zone);
bool za_zone_watermark_ok(struct za_zone *zone, unsigned int order,
			  unsigned long mark, int highest_zoneidx,
			  unsigned int alloc_flags);
struct za_page *za_alloc_pages(struct za_pool *pool, u32 gfp,
			       unsigned int order);
struct za_page *za_alloc_pages_node(struct za_pool *pool, int nid, u32 gfp,
				    unsigned int order);
long za_gfp_set_node(struct za_pool *pool, int nid, u32 gfp);
int za_free_pages(struct za_pool *pool, struct za_page *zp,
		  unsigned int order);
bool za_block_referenced(struct page *page, unsigned int order);

#endif /* _ZONEALLOC_ALLOC_H */
