// SPDX-License-Identifier: GPL-2.0
/*
 * Contiguous allocation of an exact range, as alloc_contig_pages() and
 * alloc_contig_range() of Linux 6.12: a racy scan for a candidate range of
 * free and movable blocks, isolation of its pageblocks (MIGRATE_ISOLATE),
 * migration of the movable blocks out by their owners (migrate.h), and the
 * range taken off the isolated free lists as allocated blocks.
 */

#include <linux/math.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <kunit/visibility.h>

#include "alloc.h"
#include "buddy.h"
#include "compaction.h"
#include "contig.h"
#include "gfp.h"
#include "migrate.h"
#include "pcp.h"
#include "vmstat.h"

#if IS_ENABLED(CONFIG_KUNIT)
/* Descriptors the contiguous search has read: the KUnit bound test's meter. */
unsigned long za_contig_probes;
EXPORT_SYMBOL_IF_KUNIT(za_contig_probes);
#define za_contig_probe()	WRITE_ONCE(za_contig_probes, za_contig_probes + 1)
#else
#define za_contig_probe()	do { } while (0)
#endif

/*
 * A racy first look at [*pos, @end), as pfn_range_valid_contig(): free or
 * movable blocks only, in pageblocks neither isolated nor highatomic. The
 * walk starts on a pageblock boundary and reads each pageblock's type as
 * it enters it. Return:
 * true with *pos at the first block boundary at or past @end; false with
 * *pos just past the obstacle (no range that includes it can qualify).
 */
static bool za_contig_scan(struct za_pool *pool, unsigned long *pos,
			   unsigned long end)
{
	bool movable = READ_ONCE(pool->migrate_ops);
	unsigned long pfn = *pos;

	while (pfn < end) {
		struct za_page *zp = za_pfn_to_page(pool, pfn);
		unsigned long next, pb;
		unsigned int order;
		u8 state;

		za_contig_probe();
		if (!za_page_racy_head(zp, &state, &order)) {
			*pos = pfn + 1;
			return false;
		}
		next = pfn + (1UL << order);
		for (pb = pfn; IS_ALIGNED(pb, ZA_PAGEBLOCK_PAGES) &&
		     pb < min(next, end); pb += ZA_PAGEBLOCK_PAGES) {
			int mt;

			za_contig_probe();
			mt = za_get_pageblock_mt(za_pfn_to_page(pool, pb));
			if (mt == ZA_MIGRATE_ISOLATE || mt == ZA_MIGRATE_HIGHATOMIC) {
				*pos = pb + ZA_PAGEBLOCK_PAGES;
				return false;
			}
		}
		if (state == ZA_PAGE_ALLOC &&
		    (!movable || !za_page_owner(zp) ||
		     za_page_mt(zp) != ZA_MIGRATE_MOVABLE)) {
			*pos = next;
			return false;
		}
		pfn = next;
	}
	*pos = pfn;
	return true;
}

/* A migration target outside the isolated range (alloc_migration_target). */
static struct za_page *za_contig_target(struct za_zone *zone,
					unsigned int order)
{
	struct za_page *zp = NULL;
	unsigned long flags;

	if (!za_zone_watermark_ok(zone, order, zone->watermark[ZA_WMARK_MIN],
				  zone->idx, 0))
		return NULL;
	spin_lock_irqsave(&zone->lock, flags);
	zp = za_rmqueue(zone, order, ZA_MIGRATE_MOVABLE, 0);
	spin_unlock_irqrestore(&zone->lock, flags);
	if (!zp)
		return NULL;
	za_page_set_isolated(zp, order);
	return zp;
}

static void za_contig_put_target(struct za_zone *zone, struct za_page *zp,
				 unsigned int order)
{
	unsigned long flags;

	spin_lock_irqsave(&zone->lock, flags);
	za_page_set_tail(zp);
	za_free_one_page(zone, zp, order, za_get_pageblock_mt(zp));
	spin_unlock_irqrestore(&zone->lock, flags);
}

/*
 * Move every allocated block out of [start, end). Return: 0 when none is
 * left, the number of blocks left to retry, or -EBUSY/-ENOMEM to give up.
 */
static long za_contig_migrate(struct za_pool *pool,
			      struct za_zone *zone, unsigned long start,
			      unsigned long end)
{
	unsigned long pfn = start;
	long left = 0;

	while (pfn < end) {
		struct za_page *zp = za_pfn_to_page(pool, pfn), *dst;
		unsigned int order, tries;
		unsigned long owner;
		int ret;
		u8 state;

		if (!za_page_racy_head(zp, &state, &order)) {
			pfn++;
			continue;
		}
		pfn += 1UL << order;
		if (state == ZA_PAGE_FREE)
			continue;
		if (state == ZA_PAGE_PCP) {
			left++;
			continue;
		}
		owner = za_page_owner(zp);
		if (!owner || za_page_mt(zp) != ZA_MIGRATE_MOVABLE)
			return -EBUSY;
		dst = za_contig_target(zone, order);
		if (!dst)
			return -ENOMEM;
		for (tries = 0;; tries++) {
			ret = za_migrate_block(pool, zp, owner, dst, order,
					       ZA_MIGRATE_SYNC);
			if (ret != -EAGAIN || tries >= ZA_MIGRATE_RETRIES)
				break;
			cond_resched();
		}
		if (!ret) {
			za_free_moved(zone, zp, order, NULL);
		} else {
			za_contig_put_target(zone, dst, order);
			if (ret == -EBUSY)
				return -EBUSY;
			left++;
		}
		cond_resched();
	}
	return left;
}

/* Take [start, end) off the ISOLATE lists as allocated blocks. */
static int za_contig_claim(struct za_pool *pool, struct za_zone *zone,
			   unsigned long start, unsigned long end, int mt)
{
	unsigned long pfn, flags;

	spin_lock_irqsave(&zone->lock, flags);
	for (pfn = start; pfn < end;) {
		struct za_page *zp = za_pfn_to_page(pool, pfn);

		if (za_page_state(zp) != ZA_PAGE_FREE) {
			spin_unlock_irqrestore(&zone->lock, flags);
			return -EBUSY;
		}
		pfn += 1UL << zp->order;
	}
	for (pfn = start; pfn < end;) {
		struct za_page *zp = za_pfn_to_page(pool, pfn);
		unsigned long blk_end = pfn + (1UL << za_take_free_block(zone, zp));
		unsigned long p = pfn;
		unsigned int o;

		while (p < min(blk_end, end)) {
			zp = za_pfn_to_page(pool, p);
			o = za_aligned_order(p, min(blk_end, end));
			za_page_set_alloc(zp, o, mt);
			p += 1UL << o;
		}
		/*
		 * The tail beyond the range goes back to its pageblock's list:
		 * the ISOLATE list until undone or, where a free block reached
		 * past the isolated pageblocks, its own type's list. Each
		 * piece is at most a pageblock.
		 */
		while (p < blk_end) {
			zp = za_pfn_to_page(pool, p);
			o = za_aligned_order(p, blk_end);
			za_free_one_page(zone, zp, o, za_get_pageblock_mt(zp));
			p += 1UL << o;
		}
		pfn = blk_end;
	}
	za_count_zone_events(zone, pgalloc, end - start);
	spin_unlock_irqrestore(&zone->lock, flags);
	return 0;
}

/* As alloc_contig_range() for one candidate range. */
static int za_contig_try_range(struct za_pool *pool,
			       struct za_zone *zone, unsigned long start,
			       unsigned long nr_pages, int mt)
{
	unsigned long end = start + nr_pages;
	unsigned long isolate_end = ALIGN(end, ZA_PAGEBLOCK_PAGES);
	unsigned long nr_pb = (isolate_end - start) >> ZA_PAGEBLOCK_ORDER, i;
	unsigned int tries;
	long ret;
	u8 *saved;

	saved = kmalloc_array(nr_pb, sizeof(*saved), GFP_KERNEL);
	if (!saved)
		return -ENOMEM;
	/* Each pageblock's type as isolation found it under the zone lock. */
	ret = za_isolate_range(pool, start, isolate_end, ZA_MIGRATE_MOVABLE,
			       saved);
	if (ret) {
		kfree(saved);
		return ret;
	}
	/* Cached pages of the range go back to its (isolated) free lists. */
	za_pcp_drain_all(pool);
	for (tries = 0; tries < 2 * ZA_MIGRATE_RETRIES; tries++) {
		ret = za_contig_migrate(pool, zone, start, end);
		if (ret <= 0)
			break;
		za_pcp_drain_all(pool);
		if (fatal_signal_pending(current)) {
			ret = -EINTR;
			break;
		}
	}
	if (!ret)
		ret = za_contig_claim(pool, zone, start, end, mt);
	/* Give each run of pageblocks its old migratetype back. */
	for (i = 0; i < nr_pb;) {
		unsigned long j = i + 1;

		while (j < nr_pb && saved[j] == saved[i])
			j++;
		za_undo_isolate_range(pool, start + (i << ZA_PAGEBLOCK_ORDER),
				      start + (j << ZA_PAGEBLOCK_ORDER),
				      saved[i]);
		i = j;
	}
	kfree(saved);
	return ret > 0 ? -EBUSY : ret;
}

/* za_alloc_contig() with the pool's resize_sem held. */
static int __za_alloc_contig(struct za_pool *pool, unsigned long nr_pages,
			     u32 gfp, struct za_page **first)
{
	int nid = ((gfp & ZA_GFP_NODE_MASK) >> ZA_GFP_NODE_SHIFT) - 1;
	bool thisnode = gfp & ZONEALLOC_GFP_THISNODE;
	int highest, mt, ret;
	unsigned int c, next;
	struct za_zone **zl;

	highest = za_gfp_zone(gfp);
	mt = za_gfp_migratetype(gfp);

	/* The preferred node's zonelist, as alloc_contig_pages() walks it. */
	for (zl = za_first_zones_zonelist(pool, nid, highest, thisnode); zl;
	     zl = za_next_zones_zonelist(zl + 1, nid, highest, thisnode)) {
		struct za_zone *zone = *zl;

		for (c = 0; c < pool->nr_chunks; c = next) {
			struct za_chunk *chunk = &pool->chunks[c];
			unsigned long start, pos, limit, end;

			/*
			 * Adjacent ranges of one zone make one run: an
			 * elastic pool keeps its chunks apart.
			 */
			end = chunk->start_pfn + chunk->nr_pages;
			for (next = c + 1; next < pool->nr_chunks &&
			     pool->chunks[next].zone == chunk->zone &&
			     pool->chunks[next].start_pfn == end; next++)
				end += pool->chunks[next].nr_pages;
			if (chunk->zone != za_zone_id(zone) ||
			    end - chunk->start_pfn < nr_pages)
				continue;
			limit = end - nr_pages;
			/*
			 * Candidates start on pageblock boundaries. An obstacle
			 * rules out every candidate that holds it, so the next
			 * starts on the pageblock after it; a range that was
			 * tried and failed is, as alloc_contig_pages() does,
			 * left behind whole. Each descriptor is read at most
			 * once between attempts and each page is in at most
			 * one attempt: O(pages of the zone) per call, not
			 * O(pageblocks x nr_pages).
			 */
			for (start = chunk->start_pfn; start <= limit;) {
				pos = start;
				if (!za_contig_scan(pool, &pos, start + nr_pages)) {
					start = ALIGN(pos, ZA_PAGEBLOCK_PAGES);
					continue;
				}
				ret = za_contig_try_range(pool, zone, start,
							  nr_pages, mt);
				if (!ret) {
					*first = za_pfn_to_page(pool, start);
					return 0;
				}
				if (ret == -EINTR)
					return ret;
				start = ALIGN(start + nr_pages, ZA_PAGEBLOCK_PAGES);
				cond_resched();
			}
		}
	}
	return -ENOMEM;
}

/**
 * za_alloc_contig_node() - allocate an exact range of @nr_pages pages,
 *	preferring a node.
 * @pool: the pool.
 * @nid: the preferred node (below @pool->nr_nodes), or %NUMA_NO_NODE for
 *	the calling CPU's.
 * @nr_pages: how many; need not be a power of two, may span pageblocks.
 * @gfp: ZONEALLOC_GFP_* zone and migratetype flags (not ATOMIC or NOFAIL);
 *	with %ZONEALLOC_GFP_THISNODE, on @nid only.
 * @first: set to the descriptor of the first page.
 *
 * As alloc_contig_pages(): candidate ranges start on a pageblock boundary
 * in a zone the flags allow (the node's zonelist order: its own zones
 * highest first, then the other nodes') and hold only free and movable
 * blocks; their pageblocks are isolated (MIGRATE_ISOLATE), the movable
 * blocks moved out by their owners, and the range taken off the isolated
 * free lists. The range is held as naturally aligned allocated blocks with
 * no owner: it never moves. Free it with za_free_contig().
 *
 * Context: Process context; sleeps. No pool lock may be held.
 * Return: 0, -EINVAL for bad arguments (a node the pool has no zones
 * for among them), -ENOMEM when no range could be made, -EINTR on a
 * fatal signal.
 */
int za_alloc_contig_node(struct za_pool *pool, int nid,
			 unsigned long nr_pages, u32 gfp,
			 struct za_page **first)
{
	long ngfp;
	int ret;

	*first = NULL;
	if (!pool->ready || !nr_pages || za_gfp_valid(gfp, 0) ||
	    (gfp & (ZONEALLOC_GFP_ATOMIC | ZONEALLOC_GFP_NOFAIL)))
		return -EINVAL;
	ngfp = za_gfp_set_node(pool, nid, gfp);
	if (ngfp < 0)
		return ngfp;
	might_sleep();
	/* The range scan walks the table of ranges: none may come or go. */
	down_read(&pool->resize_sem);
	ret = __za_alloc_contig(pool, nr_pages, ngfp, first);
	up_read(&pool->resize_sem);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(za_alloc_contig_node);

/**
 * za_alloc_contig() - za_alloc_contig_node() on the calling CPU's node.
 * @pool: the pool.
 * @nr_pages: how many.
 * @gfp: ZONEALLOC_GFP_* flags.
 * @first: set to the descriptor of the first page.
 *
 * Context: as za_alloc_contig_node().
 * Return: as za_alloc_contig_node().
 */
int za_alloc_contig(struct za_pool *pool, unsigned long nr_pages,
		    u32 gfp, struct za_page **first)
{
	return za_alloc_contig_node(pool, NUMA_NO_NODE, nr_pages, gfp, first);
}
EXPORT_SYMBOL_IF_KUNIT(za_alloc_contig);

/**
 * za_evacuate_range() - move every allocated block out of a range and
 *	hold the range.
 * @pool: the pool.
 * @start_pfn: first pfn, pageblock-aligned.
 * @nr_pages: length, whole pageblocks of one zone.
 * @moved: set to the pages that were allocated in the range, and moved.
 *
 * As one attempt of za_alloc_contig() on exactly this range: the
 * pageblocks are isolated, movable blocks moved elsewhere in the zone
 * by their owners, and the range taken as allocated blocks with no owner
 * (free them with za_free_contig(), or give the range away). An
 * unmovable block (no owner, not movable, or its physical address given
 * out) pins the range.
 *
 * Context: Process context; sleeps. The caller holds @pool->resize_sem
 * (so that the range stays in the pool) and no other pool lock.
 * Return: 0, -EINVAL for a range not in one zone of the pool, -EBUSY when
 * a block could not move, -ENOMEM when the zone had no room for it,
 * -EINTR on a fatal signal.
 */
int za_evacuate_range(struct za_pool *pool, unsigned long start_pfn,
		      unsigned long nr_pages, unsigned long *moved)
{
	struct za_page *first = za_pfn_to_page(pool, start_pfn);
	unsigned long pfn;

	*moved = 0;
	if (!first || !nr_pages ||
	    (start_pfn | nr_pages) & (ZA_PAGEBLOCK_PAGES - 1))
		return -EINVAL;
	for (pfn = start_pfn; pfn < start_pfn + nr_pages;) {
		struct za_page *zp = za_pfn_to_page(pool, pfn);
		unsigned int order;
		u8 state;

		if (!zp || zp->zone != first->zone)
			return -EINVAL;
		if (!za_page_racy_head(zp, &state, &order)) {
			pfn++;
			continue;
		}
		if (state == ZA_PAGE_ALLOC)
			*moved += BIT(order);
		pfn += BIT(order);
	}
	return za_contig_try_range(pool, za_page_zone(pool, first), start_pfn,
				   nr_pages, ZA_MIGRATE_MOVABLE);
}
EXPORT_SYMBOL_IF_KUNIT(za_evacuate_range);

/**
 * za_free_contig() - free a range from za_alloc_contig().
 * @pool: the pool.
 * @first: the descriptor za_alloc_contig() returned.
 * @nr_pages: the number of pages allocated.
 *
 * Context: Any context.
 */
void za_free_contig(struct za_pool *pool, struct za_page *first,
		    unsigned long nr_pages)
{
	unsigned long pfn = first->pfn, end = first->pfn + nr_pages;

	while (pfn < end) {
		struct za_page *zp = za_pfn_to_page(pool, pfn);
		unsigned int order;

		if (WARN_ON_ONCE(!zp || za_page_state(zp) != ZA_PAGE_ALLOC))
			return;
		order = zp->order;
		if (WARN_ON_ONCE(pfn + (1UL << order) > end) ||
		    za_free_pages(pool, zp, order))
			return;
		pfn += 1UL << order;
	}
}
EXPORT_SYMBOL_IF_KUNIT(za_free_contig);
