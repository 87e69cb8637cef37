/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ZONEALLOC_ALLOC_H
#define _ZONEALLOC_ALLOC_H

#include "gfp.h"
#include "pool.h"

struct page;

/* Slow-path retries before a non-costly request fails (no reclaim here). */
#define ZA_MAX_RETRIES		16

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
