/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ZONEALLOC_BUDDY_H
#define _ZONEALLOC_BUDDY_H

#include "pool.h"

/* Any context; stable only under zone->lock. */
int za_get_pageblock_mt(const struct za_page *zp);

/* The caller holds zone->lock (asserted), taken with interrupts off. */
void za_set_pageblock_mt(struct za_zone *zone, struct za_page *zp, int mt);
void za_free_one_page(struct za_zone *zone, struct za_page *zp,
		      unsigned int order, int mt);
struct za_page *za_rmqueue(struct za_zone *zone, unsigned int order,
			   int mt, unsigned int alloc_flags);
int za_move_freepages_block(struct za_zone *zone, struct za_page *zp,
			    int old_mt, int new_mt);
unsigned int za_take_free_block(struct za_zone *zone, struct za_page *zp);

void za_reserve_highatomic_pageblock(struct za_zone *zone,
				     struct za_page *zp, unsigned int order);
bool za_unreserve_highatomic_pageblock(struct za_zone *zone, int mt,
				       bool force);

/* These take the zone locks themselves: the caller holds none. */
int za_isolate_range(struct za_pool *pool, unsigned long start_pfn,
		     unsigned long end_pfn, int mt, u8 *old_mt);
int za_undo_isolate_range(struct za_pool *pool,
			  unsigned long start_pfn, unsigned long end_pfn,
			  int mt);

static inline bool za_mt_mergeable(int mt)
{
	return mt < ZA_MIGRATE_PCPTYPES;
}

#endif /* _ZONEALLOC_BUDDY_H */
