// SPDX-License-Identifier: GPL-2.0
/*
 * Allocation and free paths, as __alloc_pages() and free_pages() in
 * mm/page_alloc.c: a fast path at the low watermark along the zonelist, a
 * slow path that lowers the watermarks as the request's flags allow and,
 * for requests that may sleep, drains the per-CPU lists, compacts, releases
 * the highatomic reserve under pressure and retries; and the exported
 * in-kernel API over the module's pool.
 */

#include <linux/err.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/page_ref.h>
#include <linux/sched.h>
#include <linux/topology.h>
#include <kunit/visibility.h>
#include <zonealloc.h>

#include "alloc.h"
#include "buddy.h"
#include "chunk.h"
#include "compaction.h"
#include "elastic.h"
#include "gfp.h"
#include "pcp.h"
#include "trace.h"
#include "vmstat.h"

/*
 * defrag_mode, as 6.15's vm.defrag_mode: 0 or 1, refused otherwise with
 * -EINVAL (the value in force unchanged). A write is one aligned store;
 * readers use READ_ONCE() and may see the old value for a request in
 * flight.
 */
static int za_param_set_defrag_mode(const char *val,
				    const struct kernel_param *kp)
{
	return param_set_uint_minmax(val, kp, 0, 1) ? -EINVAL : 0;
}

const struct kernel_param_ops za_defrag_mode_ops = {
	.set = za_param_set_defrag_mode,
	.get = param_get_uint,
};
EXPORT_SYMBOL_IF_KUNIT(za_defrag_mode_ops);

unsigned int za_defrag_mode;
module_param_cb(defrag_mode, &za_defrag_mode_ops, &za_defrag_mode, 0644);
MODULE_PARM_DESC(defrag_mode,
		 "Keep pageblocks of one type: no fallback that mixes them while any whole pageblock can be claimed, kcompactd targets free pageblocks, 0 or 1 (default 0)");
EXPORT_SYMBOL_IF_KUNIT(za_defrag_mode);

/**
 * za_zone_free_block_pages() - free pages in whole free pageblocks.
 * @zone: the zone.
 *
 * As 6.15's NR_FREE_PAGES_BLOCKS: the pages of free blocks of pageblock
 * order or more, on any list, which a fallback may claim without mixing
 * two types in a pageblock.
 *
 * Context: Any context; reads the free lists' counts locklessly.
 * Return: the number of pages.
 */
unsigned long za_zone_free_block_pages(struct za_zone *zone)
{
	unsigned long pages = 0;
	unsigned int o;

	for (o = ZA_PAGEBLOCK_ORDER; o <= ZA_MAX_ORDER; o++)
		pages += READ_ONCE(zone->free_area[o].nr_free) << o;
	return pages;
}
EXPORT_SYMBOL_IF_KUNIT(za_zone_free_block_pages);

/**
 * za_zone_watermark_ok() - may a request allocate from this zone?
 * @zone: the zone.
 * @order: the order wanted.
 * @mark: the watermark in pages (boost included).
 * @highest_zoneidx: the highest zone the request may use, which selects
 *	the lowmem_reserve to respect.
 * @alloc_flags: ZA_ALLOC_* flags.
 *
 * As __zone_watermark_ok(): the free pages of the highatomic reserve are
 * unusable unless the request may use reserves; HIGH may go to half of
 * min, and a caller that cannot sleep a quarter below that; the free pages
 * must exceed min plus lowmem_reserve, and some list of a usable type must
 * hold a block of at least @order.
 *
 * Context: Any context; reads the zone without its lock.
 * Return: true if the request may go ahead.
 */
bool za_zone_watermark_ok(struct za_zone *zone, unsigned int order,
			  unsigned long mark, int highest_zoneidx,
			  unsigned int alloc_flags)
{
	long min = mark;
	long free_pages = READ_ONCE(zone->free_pages);
	unsigned int o;
	int mt;

	free_pages -= (1L << order) - 1;
	if (!(alloc_flags & ZA_ALLOC_RESERVES))
		free_pages -= READ_ONCE(zone->nr_free_highatomic);

	if (alloc_flags & ZA_ALLOC_MIN_RESERVE) {
		min -= min / 2;
		if (alloc_flags & ZA_ALLOC_NON_BLOCK)
			min -= min / 4;
	}
	if (free_pages <= min + zone->lowmem_reserve[highest_zoneidx])
		return false;
	if (!order)
		return true;

	for (o = order; o <= ZA_MAX_ORDER; o++) {
		struct za_free_area *area = &zone->free_area[o];

		if (!READ_ONCE(area->nr_free))
			continue;
		for (mt = 0; mt < ZA_MIGRATE_PCPTYPES; mt++)
			if (!list_empty(&area->free_list[mt]))
				return true;
		if ((alloc_flags & ZA_ALLOC_HIGHATOMIC) &&
		    !list_empty(&area->free_list[ZA_MIGRATE_HIGHATOMIC]))
			return true;
	}
	return false;
}
EXPORT_SYMBOL_IF_KUNIT(za_zone_watermark_ok);

/* A watermark with the boost, as wmark_pages(). */
static unsigned long za_wmark_pages(struct za_zone *zone, int wmark)
{
	return zone->watermark[wmark] + READ_ONCE(zone->watermark_boost);
}

/*
 * As zone_watermark_fast(): @mark (boost included), an order-0 request
 * first without the free list walk; and an order-0 request allowed below
 * min is checked against min itself. A boost is there to wake compaction
 * early, not to take the reserve from requests that may dip into it.
 */
static __always_inline bool za_zone_watermark_fast(struct za_zone *zone,
						   unsigned int order,
						   unsigned long mark,
						   int highest_zoneidx,
						   unsigned int alloc_flags)
{
	if (!order) {
		long usable = READ_ONCE(zone->free_pages);

		if (!(alloc_flags & ZA_ALLOC_RESERVES))
			usable -= min_t(long, usable,
					READ_ONCE(zone->nr_free_highatomic));
		if (usable > (long)(mark + zone->lowmem_reserve[highest_zoneidx]))
			return true;
	}
	if (za_zone_watermark_ok(zone, order, mark, highest_zoneidx,
				 alloc_flags))
		return true;
	if (!order && READ_ONCE(zone->watermark_boost) &&
	    (alloc_flags & ZA_ALLOC_MIN_RESERVE) &&
	    (alloc_flags & ZA_ALLOC_WMARK_MASK) == ZA_WMARK_MIN)
		return za_zone_watermark_ok(zone, 0,
					    zone->watermark[ZA_WMARK_MIN],
					    highest_zoneidx, alloc_flags);
	return false;
}

/*
 * May the request take from @zone? As get_page_from_freelist(): the high
 * watermark is tried first, and a zone found below it is flagged
 * ZA_ZONE_BELOW_HIGH (the per-CPU lists then shrink their high marks, see
 * pcp.c) until a free finds it above again; then the request's own mark.
 * A zone above the high mark is above the request's (the kernel's marks
 * always rise from min to high; a test may set them otherwise).
 */
static bool za_zone_usable(struct za_zone *zone, unsigned int order,
			   int highest, unsigned int alloc_flags)
{
	unsigned long mark = za_wmark_pages(zone, alloc_flags &
					    ZA_ALLOC_WMARK_MASK);

	if (!test_bit(ZA_ZONE_BELOW_HIGH, &zone->flags)) {
		unsigned long high = za_wmark_pages(zone, ZA_WMARK_HIGH);

		if (!za_zone_watermark_fast(zone, order, high, highest,
					    alloc_flags))
			set_bit(ZA_ZONE_BELOW_HIGH, &zone->flags);
		else if (high >= mark)
			return true;
	}
	if (alloc_flags & ZA_ALLOC_NO_WATERMARKS)
		return true;
	return za_zone_watermark_fast(zone, order, mark, highest, alloc_flags);
}

static struct za_page *za_rmqueue_zone(struct za_zone *zone,
				       unsigned int order, int mt,
				       unsigned int alloc_flags)
{
	struct za_page *zp = NULL;
	unsigned long flags;

	if (zone->pcp && za_pcp_allowed_order(order)) {
		zp = za_pcp_alloc(zone, order, mt, alloc_flags);
		if (zp)
			return zp;
	}
	spin_lock_irqsave(&zone->lock, flags);
	zp = za_rmqueue(zone, order, mt, alloc_flags);
	spin_unlock_irqrestore(&zone->lock, flags);
	return zp;
}

static void za_prep_new_page(struct za_zone *zone, struct za_page *zp,
			     unsigned int order, int mt, u32 gfp,
			     unsigned int alloc_flags)
{
	unsigned long i, flags;

	za_page_set_alloc(zp, order, mt);
	za_count_zone_events(zone, pgalloc, 1L << order);

	if (alloc_flags & ZA_ALLOC_HIGHATOMIC) {
		spin_lock_irqsave(&zone->lock, flags);
		za_reserve_highatomic_pageblock(zone, zp, order);
		spin_unlock_irqrestore(&zone->lock, flags);
	}
	if (gfp & ZONEALLOC_GFP_ZERO)
		for (i = 0; i < (1UL << order); i++)
			clear_highpage(pfn_to_page(zp->pfn + i));
}

/* The node a request prefers, from the bits za_alloc_pages_node() set. */
static int za_gfp_nid(struct za_pool *pool, u32 gfp)
{
	int nid = ((gfp & ZA_GFP_NODE_MASK) >> ZA_GFP_NODE_SHIFT) - 1;

	return nid >= 0 && nid < pool->nr_nodes ? nid : 0;
}

/*
 * The zone a request counts its events in and judges fragmentation by, as
 * ac->preferred_zoneref: the first zone of the preferred node's zonelist
 * with memory at or below @highest (with THISNODE, of that node only); the
 * node's zone @highest if there is none.
 */
static struct za_zone *za_preferred_zone(struct za_pool *pool, u32 gfp,
					 int highest)
{
	int nid = za_gfp_nid(pool, gfp);
	struct za_zone **zl;

	zl = za_first_zones_zonelist(pool, nid, highest,
				     gfp & ZONEALLOC_GFP_THISNODE);
	return zl ? *zl : za_pool_zone(pool, nid, highest);
}

/*
 * Walk the preferred node's zonelist from @highest down, as
 * get_page_from_freelist(): its own zones, then the other nodes' by
 * distance; with THISNODE its own only. A walk with ZA_ALLOC_NOFRAGMENT
 * is done again without it once it reaches a node other than the
 * preferred zone's (the first zone of the walk with memory, as
 * za_preferred_zone() finds it): the local node's zones are all tried,
 * mixing pageblocks, before a remote node is used, and every zone before
 * a pageblock is mixed.
 */
static struct za_page *za_get_page_from_freelist(struct za_pool *pool,
						 u32 gfp, unsigned int order,
						 unsigned int alloc_flags,
						 int highest, int mt)
{
	bool thisnode = gfp & ZONEALLOC_GFP_THISNODE;
	int nid = za_gfp_nid(pool, gfp), local = -1;
	struct za_zone **zl;

retry:
	for (zl = za_first_zones_zonelist(pool, nid, highest, thisnode); zl;
	     zl = za_next_zones_zonelist(zl + 1, nid, highest, thisnode)) {
		struct za_zone *zone = *zl;
		struct za_page *zp;

		if (local < 0)
			local = zone->node;
		if ((alloc_flags & ZA_ALLOC_NOFRAGMENT) && zone->node != local) {
			alloc_flags &= ~ZA_ALLOC_NOFRAGMENT;
			goto retry;
		}
		if (!za_zone_usable(zone, order, highest, alloc_flags))
			continue;
		zp = za_rmqueue_zone(zone, order, mt, alloc_flags);
		if (zp) {
			za_prep_new_page(zone, zp, order, mt, gfp, alloc_flags);
			return zp;
		}
	}
	/* In defrag_mode only the slow path's last resort drops the flag. */
	if ((alloc_flags & ZA_ALLOC_NOFRAGMENT) && !READ_ONCE(za_defrag_mode)) {
		alloc_flags &= ~ZA_ALLOC_NOFRAGMENT;
		goto retry;
	}
	return NULL;
}

/*
 * As alloc_flags_nofragment(): a request whose first zone is NORMAL
 * avoids mixing pageblock types while DMA32 of the same node has memory,
 * the one lower zone worth spreading to (DMA is too small, and from
 * HIGHMEM or MOVABLE it would press on lowmem). Only the fast path asks
 * for it, unless defrag_mode is on: then every request does, in every
 * zone.
 */
static unsigned int za_alloc_flags_nofragment(struct za_pool *pool, u32 gfp,
					      int highest)
{
	struct za_zone *zone = za_preferred_zone(pool, gfp, highest);

	if (READ_ONCE(za_defrag_mode))
		return ZA_ALLOC_NOFRAGMENT;
	if (zone->idx != ZA_ZONE_NORMAL ||
	    !za_zone_populated(za_pool_zone(pool, zone->node, ZA_ZONE_DMA32)))
		return 0;
	return ZA_ALLOC_NOFRAGMENT;
}

/*
 * As unreserve_highatomic_pageblock()'s walk: the zones of the preferred
 * node's zonelist up to @highest (with THISNODE, that node's only) give
 * back a highatomic pageblock, the first that has one.
 */
static bool za_unreserve_highatomic(struct za_pool *pool, u32 gfp,
				    int highest, int mt, bool force)
{
	bool thisnode = gfp & ZONEALLOC_GFP_THISNODE;
	int nid = za_gfp_nid(pool, gfp);
	unsigned long flags;
	struct za_zone **zl;
	bool ret;

	for (zl = za_first_zones_zonelist(pool, nid, highest, thisnode); zl;
	     zl = za_next_zones_zonelist(zl + 1, nid, highest, thisnode)) {
		struct za_zone *zone = *zl;

		spin_lock_irqsave(&zone->lock, flags);
		ret = za_unreserve_highatomic_pageblock(zone, mt, force);
		spin_unlock_irqrestore(&zone->lock, flags);
		if (ret)
			return true;
	}
	return false;
}

#if IS_ENABLED(CONFIG_KUNIT)
struct za_compact_log *za_compact_log;
EXPORT_SYMBOL_IF_KUNIT(za_compact_log);

static void za_compact_log_add(struct za_pool *pool,
			       enum za_compact_priority prio,
			       enum za_compact_result result, int retry)
{
	struct za_compact_log *log = READ_ONCE(za_compact_log);

	if (!log || log->pool != pool || log->nr >= ZA_COMPACT_LOG_MAX)
		return;
	log->e[log->nr++] = (struct za_compact_log_entry){
		.prio = prio, .result = result, .retry = retry };
}
#else
static inline void za_compact_log_add(struct za_pool *pool,
				      enum za_compact_priority prio,
				      enum za_compact_result result, int retry)
{
}
#endif

/*
 * One direct compaction at @prio, as __alloc_pages_direct_compact(): a
 * block captured by compaction is taken at once; otherwise the free lists
 * are tried again unless every zone was skipped. A stall is counted when
 * some zone was not skipped (a deferred zone counts, as in 6.12). Only
 * called when the request may sleep.
 */
static struct za_page *za_alloc_direct_compact(struct za_pool *pool,
					       u32 gfp, unsigned int order,
					       unsigned int alloc_flags,
					       int highest, int mt,
					       enum za_compact_priority prio,
					       enum za_compact_result *result)
{
	/* Events count in the first zone of the zonelist that has memory. */
	struct za_zone *preferred = za_preferred_zone(pool, gfp, highest);
	struct za_page *zp;

	if (!order)
		return NULL;
	zp = za_try_to_compact_pages(pool, za_gfp_nid(pool, gfp),
				     gfp & ZONEALLOC_GFP_THISNODE, order,
				     alloc_flags, highest, mt,
				     prio, result);
	za_compact_log_add(pool, prio, *result, -1);
	if (*result == ZA_COMPACT_SKIPPED)
		return NULL;
	za_count_zone_event(preferred, compact_stall);
	if (zp)
		za_prep_new_page(za_page_zone(pool, zp), zp, order, mt, gfp,
				 alloc_flags);
	else
		zp = za_get_page_from_freelist(pool, gfp, order, alloc_flags,
					       highest, mt);
	if (zp) {
		struct za_zone *zone = za_page_zone(pool, zp);

		za_compaction_defer_reset(zone, order, true);
		za_count_zone_event(zone, compact_success);
		return zp;
	}
	za_count_zone_event(preferred, compact_fail);
	cond_resched();
	return NULL;
}

/**
 * za_should_compact_retry() - compact again after a failed attempt?
 * @pool: the pool.
 * @order: the order of the request.
 * @highest: the highest zone it may use.
 * @result: the outcome of the last compaction.
 * @prio: the priority of the last compaction; raised when a retry at a
 *	harder priority is due.
 * @retries: retries after a %ZA_COMPACT_SUCCESS at this priority.
 *
 * As should_compact_retry() once reclaim made progress: a skipped
 * compaction retries if some zone has the free memory to compact; a
 * success that the allocation then lost retries up to
 * %ZA_MAX_COMPACT_RETRIES times (a quarter for a costly order); otherwise
 * the priority goes one step harder, down to %ZA_COMPACT_PRIO_SYNC_FULL
 * (%ZA_COMPACT_PRIO_SYNC_LIGHT for a costly order), and the retries start
 * again.
 *
 * Context: Process context.
 * Return: true to retry.
 */
VISIBLE_IF_KUNIT bool za_should_compact_retry(struct za_pool *pool,
					      unsigned int order, int highest,
					      enum za_compact_result result,
					      enum za_compact_priority *prio,
					      int *retries)
{
	int max_retries = ZA_MAX_COMPACT_RETRIES;
	enum za_compact_priority min_prio;
	bool ret = false;

	if (!order || fatal_signal_pending(current))
		return false;
	if (result == ZA_COMPACT_SKIPPED) {
		ret = za_compaction_zonelist_suitable(pool, order, highest);
		goto out;
	}
	if (result == ZA_COMPACT_SUCCESS) {
		if (order > ZA_COSTLY_ORDER)
			max_retries /= 4;
		if (++(*retries) <= max_retries) {
			ret = true;
			goto out;
		}
	}
	min_prio = order > ZA_COSTLY_ORDER ? ZA_MIN_COMPACT_COSTLY_PRIORITY :
					     ZA_MIN_COMPACT_PRIORITY;
	if (*prio > min_prio) {
		(*prio)--;
		*retries = 0;
		ret = true;
	}
out:
	za_compact_log_add(pool, *prio, result, ret);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(za_should_compact_retry);

/*
 * defrag_mode's pageblock-granular watermark: a zone whose free pageblocks
 * (za_zone_free_block_pages()) are below its high watermark asks kcompactd
 * for pageblocks, as 6.15 wakes kswapd for pageblock order and kswapd,
 * its zones unbalanced in free pageblocks, hands over to kcompactd.
 */
static void za_defrag_wake(struct za_pool *pool, int highest)
{
	struct za_zone *zone;

	for (zone = pool->zones; zone < za_pool_zones_end(pool); zone++) {
		if (zone->idx <= highest && za_zone_populated(zone) &&
		    za_zone_free_block_pages(zone) <
		    za_wmark_pages(zone, ZA_WMARK_HIGH)) {
			za_wakeup_kcompactd(pool, ZA_PAGEBLOCK_ORDER, highest);
			return;
		}
	}
}

/*
 * As __alloc_pages_slowpath() without reclaim, which zonealloc does not
 * have: its role falls to the per-CPU drain here, to the elastic grow
 * worker (woken below, it adds memory in the background) and to other
 * tasks' frees. Reclaim's progress, which the kernel requires before a
 * compaction retry, is taken as made: what the kernel wants from it is free
 * memory for compaction's targets, and a skipped compaction, the outcome
 * that lack of it gives, retries only while some zone has that memory
 * (za_compaction_zonelist_suitable()), at most %ZA_MAX_RETRIES times in a
 * row, as the kernel gives up after MAX_RECLAIM_RETRIES loops without
 * progress.
 */
static struct za_page *za_alloc_slowpath(struct za_pool *pool,
					 u32 gfp, unsigned int order,
					 int highest, int mt)
{
	unsigned int alloc_flags = za_gfp_to_alloc_flags(gfp, order);
	enum za_compact_priority prio = ZA_DEF_COMPACT_PRIORITY;
	enum za_compact_result result = ZA_COMPACT_SKIPPED;
	bool can_sleep = !(gfp & ZONEALLOC_GFP_ATOMIC);
	bool costly = order > ZA_COSTLY_ORDER;
	int retries = 0, compaction_retries = 0;
	struct za_page *zp;

	/* As waking kswapd, which wakes kcompactd for high orders. */
	za_wakeup_kcompactd(pool, order, highest);
	za_elastic_wake(pool, highest, order);
	if (READ_ONCE(za_defrag_mode)) {
		alloc_flags |= ZA_ALLOC_NOFRAGMENT;
		za_defrag_wake(pool, highest);
	}

	zp = za_get_page_from_freelist(pool, gfp, order, alloc_flags, highest,
				       mt);
	if (zp)
		return zp;
	/*
	 * A costly request, or a high-order one that is not movable, compacts
	 * (async) before anything else, as the kernel does before reclaim:
	 * there are likely free pages enough, and compaction moves pages
	 * within the blocks of the request's type. The per-CPU lists are
	 * drained first: their pages can neither merge nor be compaction's
	 * targets, and in a pool they can be a large share of the free pages.
	 */
	if (can_sleep && (costly || (order && mt != ZA_MIGRATE_MOVABLE))) {
		za_pcp_drain_all(pool);
		zp = za_alloc_direct_compact(pool, gfp, order, alloc_flags,
					     highest, mt,
					     ZA_INIT_COMPACT_PRIORITY, &result);
		if (zp)
			return zp;
		/*
		 * A costly request that must not retry gives up when
		 * compaction was skipped or deferred, and otherwise keeps to
		 * async compaction.
		 */
		if (costly && (gfp & ZONEALLOC_GFP_NORETRY)) {
			if (result == ZA_COMPACT_SKIPPED ||
			    result == ZA_COMPACT_DEFERRED)
				goto nopage;
			prio = ZA_INIT_COMPACT_PRIORITY;
		}
	}
retry:
	zp = za_get_page_from_freelist(pool, gfp, order, alloc_flags, highest,
				       mt);
	if (zp)
		return zp;
	/*
	 * Atomic requests cannot wait for anything: fail now. Nor may they
	 * drain: a drain waits for each CPU's list lock, which the task this
	 * request may have interrupted can hold. Nor compact: it sleeps.
	 */
	if (!can_sleep)
		goto nopage;
	/*
	 * As __alloc_pages_direct_reclaim() once reclaim (none here) is done:
	 * pages cached on the per-CPU lists may be all that is left.
	 */
	if (za_pcp_drain_all(pool)) {
		zp = za_get_page_from_freelist(pool, gfp, order, alloc_flags,
					       highest, mt);
		if (zp)
			return zp;
	}
	zp = za_alloc_direct_compact(pool, gfp, order, alloc_flags, highest,
				     mt, prio, &result);
	if (zp)
		return zp;
	if (gfp & ZONEALLOC_GFP_NORETRY)
		goto nopage;
	if (costly && !(gfp & (ZONEALLOC_GFP_RETRY_MAYFAIL |
			       ZONEALLOC_GFP_NOFAIL)))
		goto nopage;
	/* Under pressure, the highatomic reserve goes first. */
	if (za_unreserve_highatomic(pool, gfp, highest, mt, false))
		goto retry;
	if (order) {
		if ((result != ZA_COMPACT_SKIPPED ||
		     retries++ < ZA_MAX_RETRIES) &&
		    za_should_compact_retry(pool, order, highest, result,
					    &prio, &compaction_retries)) {
			cond_resched();
			goto retry;
		}
	} else if (retries++ < ZA_MAX_RETRIES) {
		cond_resched();
		goto retry;
	}
	if (za_unreserve_highatomic(pool, gfp, highest, mt, true))
		goto retry;

nopage:
	/*
	 * defrag_mode's last resort, as 6.15's before the OOM killer: mix
	 * pageblocks rather than fail. Atomic requests too, once. From
	 * pageblock order up the flag restricts nothing.
	 */
	if ((alloc_flags & ZA_ALLOC_NOFRAGMENT) && order < ZA_PAGEBLOCK_ORDER) {
		alloc_flags &= ~ZA_ALLOC_NOFRAGMENT;
		goto retry;
	}
	if (gfp & ZONEALLOC_GFP_NOFAIL) {
		/*
		 * No reclaim to wait for: as 6.12, half of the min reserve
		 * (never all of it, which would leave nothing to the requests
		 * that cannot wait), then poll until pages are freed.
		 */
		zp = za_get_page_from_freelist(pool, gfp, order,
					       ZA_ALLOC_WMARK_MIN |
					       ZA_ALLOC_MIN_RESERVE,
					       highest, mt);
		if (zp)
			return zp;
		schedule_timeout_uninterruptible(1);
		retries = 0;
		goto retry;
	}
	return NULL;
}

/**
 * za_gfp_set_node() - validate a preferred node and add it to the flags.
 * @pool: the pool.
 * @nid: a node below @pool->nr_nodes, or %NUMA_NO_NODE for the node of
 *	the CPU the call runs on (node 0 if the pool has no zones there).
 * @gfp: ZONEALLOC_GFP_* flags.
 *
 * Context: Any context.
 * Return: @gfp with the internal node bits, or -EINVAL for a node the
 * pool cannot have.
 */
long za_gfp_set_node(struct za_pool *pool, int nid, u32 gfp)
{
	if (nid == NUMA_NO_NODE) {
		nid = numa_node_id();
		if (nid >= pool->nr_nodes)
			nid = 0;
	} else if (nid < 0 || nid >= pool->nr_nodes) {
		return -EINVAL;
	}
	return (gfp & ~ZA_GFP_NODE_MASK) | ((u32)(nid + 1) << ZA_GFP_NODE_SHIFT);
}
EXPORT_SYMBOL_IF_KUNIT(za_gfp_set_node);

/**
 * za_alloc_pages_node() - allocate a block of 2^@order pages from a pool,
 *	preferring a node.
 * @pool: the pool.
 * @nid: the preferred node (below @pool->nr_nodes), or %NUMA_NO_NODE for
 *	the node of the CPU the call runs on.
 * @gfp: ZONEALLOC_GFP_* flags; with %ZONEALLOC_GFP_THISNODE, from @nid
 *	only.
 * @order: 0 to %ZA_MAX_ORDER.
 *
 * The zones are tried in the order of the node's zonelist (see
 * za_pool_zonelist()). A request with %ZONEALLOC_GFP_ATOMIC never sleeps,
 * never waits for a per-CPU list lock and never drains: it fails instead.
 *
 * Context: Process context, or any context with %ZONEALLOC_GFP_ATOMIC (on
 * PREEMPT_RT any but hard interrupt, as the kernel's allocator: its locks
 * sleep there).
 * Return: the head descriptor of the block, ERR_PTR(-EINVAL) for invalid
 * flags, order or node, ERR_PTR(-ENOMEM) when no block could be found.
 */
struct za_page *za_alloc_pages_node(struct za_pool *pool, int nid, u32 gfp,
				    unsigned int order)
{
	struct za_page *zp;
	int highest, mt, ret;
	long ngfp;

	ret = za_gfp_valid(gfp, order);
	if (ret)
		return ERR_PTR(ret);
	ngfp = za_gfp_set_node(pool, nid, gfp);
	if (ngfp < 0)
		return ERR_PTR(ngfp);
	gfp = ngfp;
	if (!(gfp & ZONEALLOC_GFP_ATOMIC))
		might_sleep();
	highest = za_gfp_zone(gfp);
	mt = za_gfp_migratetype(gfp);

	zp = za_get_page_from_freelist(pool, gfp, order, ZA_ALLOC_WMARK_LOW |
				       za_alloc_flags_nofragment(pool, gfp,
								 highest),
				       highest, mt);
	if (!zp)
		zp = za_alloc_slowpath(pool, gfp, order, highest, mt);
	gfp &= ~ZA_GFP_NODE_MASK;
	trace_za_mm_page_alloc(zp, order, gfp, mt);
	if (zp)
		return zp;

	za_count_zone_event(za_preferred_zone(pool, ngfp, highest), alloc_fail);
	if (!(gfp & ZONEALLOC_GFP_NOWARN))
		pr_warn_ratelimited("%s: page allocation failure: order:%u, gfp:%#x\n",
				    pool->name, order, gfp);
	return ERR_PTR(-ENOMEM);
}
EXPORT_SYMBOL_IF_KUNIT(za_alloc_pages_node);

/**
 * za_alloc_pages() - za_alloc_pages_node() on the calling CPU's node.
 * @pool: the pool.
 * @gfp: ZONEALLOC_GFP_* flags.
 * @order: 0 to %ZA_MAX_ORDER.
 *
 * Context: as za_alloc_pages_node().
 * Return: as za_alloc_pages_node().
 */
struct za_page *za_alloc_pages(struct za_pool *pool, u32 gfp,
			       unsigned int order)
{
	return za_alloc_pages_node(pool, NUMA_NO_NODE, gfp, order);
}
EXPORT_SYMBOL_IF_KUNIT(za_alloc_pages);

/**
 * za_free_pages() - free a block allocated by za_alloc_pages().
 * @pool: the pool it came from.
 * @zp: its head descriptor.
 * @order: the order it was allocated with.
 *
 * Context: Any context (on PREEMPT_RT any but hard interrupt).
 * Return: 0, or -EINVAL if @zp is not the head of an allocated block of
 * @order (a double free, for example); nothing is changed then.
 */
int za_free_pages(struct za_pool *pool, struct za_page *zp,
		  unsigned int order)
{
	struct za_zone *zone = za_page_zone(pool, zp);
	unsigned long flags;

	if (order > ZA_MAX_ORDER || za_page_order(zp) != order ||
	    !za_page_try_unalloc(zp)) {
		pr_err_ratelimited("%s: bad free of pfn %#lx order %u\n",
				   pool->name, zp->pfn, order);
		return -EINVAL;
	}
	za_count_zone_events(zone, pgfree, 1L << order);
	trace_za_mm_page_free(zp, order);

	if (za_pcp_free(zone, zp, order))
		return 0;
	spin_lock_irqsave(&zone->lock, flags);
	za_free_one_page(zone, zp, order, za_get_pageblock_mt(zp));
	spin_unlock_irqrestore(&zone->lock, flags);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(za_free_pages);

/*
 * Allocations of the exported API outstanding: blocks, and pages of bulk
 * calls. While there are any, the module holds one reference on itself, as
 * any module in use is held: rmmod fails, and unload never gives the
 * kernel memory in use. The transitions from zero take the reference and
 * those to zero drop it. A caller holds its own reference on the module
 * for the whole call (a module dependency, or symbol_get()), so between a
 * transition and its __module_get() or module_put() rmmod cannot start,
 * and a block is only freed after the call that pinned it has returned.
 * Cost: one atomic on a shared counter per call (bulk calls included), in
 * any context; __module_get() and module_put() only at the transitions.
 */
static atomic_long_t za_api_outstanding = ATOMIC_LONG_INIT(0);

static void za_api_pin(long nr)
{
	if (nr && atomic_long_add_return(nr, &za_api_outstanding) == nr)
		__module_get(THIS_MODULE);
}

static void za_api_unpin(long nr)
{
	if (nr && atomic_long_sub_and_test(nr, &za_api_outstanding))
		module_put(THIS_MODULE);
}

/**
 * za_block_referenced() - is a page of a block referenced by anyone else?
 * @page: the first page of an allocated block of the global pool.
 * @order: its order.
 *
 * Every page of the pool holds exactly one reference, its claim's, as pages
 * from alloc_contig_range() do (see compat.h); a caller's get_page() or
 * vm_insert_page() adds one that it must drop before it frees the block.
 *
 * Context: Any context; a snapshot.
 * Return: true if some page's reference count is not one.
 */
bool za_block_referenced(struct page *page, unsigned int order)
{
	unsigned long i;

	for (i = 0; i < BIT(order); i++)
		if (page_ref_count(page + i) != 1)
			return true;
	return false;
}
EXPORT_SYMBOL_IF_KUNIT(za_block_referenced);

/**
 * zonealloc_alloc_pages_node() - allocate pages from the module's pool,
 *	preferring a NUMA node.
 * @nid: the preferred node, or %NUMA_NO_NODE for the calling CPU's.
 * @gfp: ZONEALLOC_GFP_* flags; with %ZONEALLOC_GFP_THISNODE the pages come
 *	from @nid or the call fails.
 * @order: 0 to 10.
 *
 * The pages are not compound and each has its own reference count of one,
 * as pages from alloc_contig_range(): get_page() and put_page() on one of
 * them (a dma-buf importer, vm_insert_page()) touch that page only. Every
 * reference taken must be dropped before zonealloc_free_pages(); never
 * free the pages with put_page() or __free_pages(). Until the block is
 * freed the module stays loaded (rmmod fails).
 *
 * Context: Process context, or any context with %ZONEALLOC_GFP_ATOMIC.
 * The caller holds a reference on the module for the call (a module
 * dependency on zonealloc, or symbol_get()).
 * Return: the first &struct page of the block, ERR_PTR(-EINVAL) for
 * invalid flags or order or a node that is not possible,
 * ERR_PTR(-ENOMEM) when no block is available (with THISNODE: none on
 * @nid), ERR_PTR(-ENODEV) if there is no pool.
 */
struct page *zonealloc_alloc_pages_node(int nid, u32 gfp, unsigned int order)
{
	struct za_pool *pool = READ_ONCE(za_global_pool);
	struct za_page *zp;

	if (!pool)
		return ERR_PTR(-ENODEV);
	if (nid != NUMA_NO_NODE &&
	    (nid < 0 || nid >= MAX_NUMNODES || !node_possible(nid)))
		return ERR_PTR(-EINVAL);
	zp = za_alloc_pages_node(pool, nid, gfp, order);
	if (IS_ERR(zp))
		return ERR_CAST(zp);
	za_api_pin(1);
	return pfn_to_page(zp->pfn);
}
EXPORT_SYMBOL_GPL(zonealloc_alloc_pages_node);

/**
 * zonealloc_alloc_pages() - zonealloc_alloc_pages_node() on the calling
 *	CPU's node.
 * @gfp: ZONEALLOC_GFP_* flags.
 * @order: 0 to 10.
 *
 * Context: as zonealloc_alloc_pages_node().
 * Return: as zonealloc_alloc_pages_node().
 */
struct page *zonealloc_alloc_pages(u32 gfp, unsigned int order)
{
	return zonealloc_alloc_pages_node(NUMA_NO_NODE, gfp, order);
}
EXPORT_SYMBOL_GPL(zonealloc_alloc_pages);

/* zonealloc_free_pages() without the unpin, for it and the bulk call. */
static int za_api_free(struct page *page, unsigned int order)
{
	struct za_pool *pool = READ_ONCE(za_global_pool);
	struct za_page *zp;

	if (!pool || !page)
		return -EINVAL;
	zp = za_pfn_to_page(pool, page_to_pfn(page));
	if (!zp)
		return -EINVAL;
	/*
	 * za_free_pages() rejects anything but an allocated head of @order.
	 * Debug kernels check every page of the block, as the kernel's own
	 * free checks do; others only the first, keeping a free O(1): the
	 * unload path checks every page before the kernel gets any back.
	 */
	if (order <= ZA_MAX_ORDER && za_page_order(zp) == order &&
	    za_page_state(zp) == ZA_PAGE_ALLOC &&
	    WARN_ON_ONCE(za_block_referenced(page, IS_ENABLED(CONFIG_DEBUG_VM) ?
					     order : 0)))
		return -EBUSY;
	return za_free_pages(pool, zp, order);
}

/**
 * zonealloc_free_pages() - free pages from zonealloc_alloc_pages().
 * @page: the first page of the block.
 * @order: the order it was allocated with.
 *
 * A block with a page that someone still holds a reference on is not
 * freed (a bug in the caller: it warns once); free it again once the
 * references are dropped. Only the first page is checked unless the
 * kernel has CONFIG_DEBUG_VM.
 *
 * Context: Any context.
 * Return: 0, -EINVAL if @page is not an allocated block of @order of the
 * module's pool, or -EBUSY if a page of it is still referenced.
 */
int zonealloc_free_pages(struct page *page, unsigned int order)
{
	int ret = za_api_free(page, order);

	if (!ret)
		za_api_unpin(1);
	return ret;
}
EXPORT_SYMBOL_GPL(zonealloc_free_pages);

/*
 * Fill the NULL entries of @pages from the start with order-0 pages of this
 * CPU's @mt list of @zone, without refilling it: stops at the first set
 * entry, when the list runs dry or if its lock is busy (see pcp.c).
 * Returns the entries passed.
 */
static unsigned int za_alloc_bulk_pcp(struct za_zone *zone, int mt,
				      unsigned int nr, struct page **pages)
{
	struct list_head *list;
	unsigned long flags;
	struct za_pcp *pcp;
	unsigned int i = 0;

	if (!za_pcp_trylock(zone, &pcp, &flags))
		return 0;
	list = &pcp->lists[za_pcp_list_index(0, mt)];
	while (i < nr && !pages[i] && !list_empty(list)) {
		struct za_page *zp = list_first_entry(list, struct za_page, lru);

		list_del(&zp->lru);
		pcp->count--;
		za_page_set_alloc(zp, 0, mt);
		pages[i++] = pfn_to_page(zp->pfn);
	}
	za_pcp_unlock(pcp, flags);
	if (i)
		za_count_zone_events(zone, pgalloc, i);
	return i;
}

/**
 * zonealloc_alloc_pages_bulk_node() - allocate up to @nr single pages,
 *	preferring a NUMA node.
 * @nid: the preferred node, or %NUMA_NO_NODE for the calling CPU's.
 * @gfp: ZONEALLOC_GFP_* flags (%ZONEALLOC_GFP_THISNODE: from @nid only).
 * @nr: the number wanted.
 * @pages: array of at least @nr entries; NULL entries are filled.
 *
 * As alloc_pages_bulk_array_node(): entries already set are skipped, and
 * the call stops at the first failure. Each page is as one from
 * zonealloc_alloc_pages_node() of order 0, and keeps the module loaded
 * until it is freed.
 *
 * Context: Process context, or any context with %ZONEALLOC_GFP_ATOMIC.
 * Return: the number of populated entries in @pages, or a negative errno
 * for invalid flags, a node that is not possible, or no pool.
 */
int zonealloc_alloc_pages_bulk_node(int nid, u32 gfp, unsigned int nr,
				    struct page **pages)
{
	struct za_pool *pool = READ_ONCE(za_global_pool);
	unsigned int i = 0, populated = 0, taken = 0;
	struct za_zone *zone = NULL;
	struct za_page *zp;
	int highest, mt, ret;
	long ngfp;

	if (!pool)
		return -ENODEV;
	ret = za_gfp_valid(gfp, 0);
	if (ret)
		return ret;
	if (nid != NUMA_NO_NODE &&
	    (nid < 0 || nid >= MAX_NUMNODES || !node_possible(nid)))
		return -EINVAL;
	ngfp = za_gfp_set_node(pool, nid, gfp);
	if (ngfp < 0)
		return ngfp;
	nid = za_gfp_nid(pool, ngfp);
	highest = za_gfp_zone(gfp);
	mt = za_gfp_migratetype(gfp);
	/*
	 * As alloc_pages_bulk(): the first zone of the zonelist that is above
	 * its low watermark with all @nr pages taken serves the batch from
	 * this CPU's list, under one lock hold per list refill.
	 */
	if (!(gfp & ZONEALLOC_GFP_ZERO)) {
		struct za_zone *cand = za_preferred_zone(pool, ngfp, highest);

		if (za_zone_populated(cand) && cand->pcp &&
		    za_zone_watermark_ok(cand, 0,
					 cand->watermark[ZA_WMARK_LOW] +
					 READ_ONCE(cand->watermark_boost) + nr,
					 highest, ZA_ALLOC_WMARK_LOW))
			zone = cand;
	}

	while (i < nr) {
		if (pages[i]) {
			populated++;
			i++;
			continue;
		}
		if (zone) {
			unsigned int got = za_alloc_bulk_pcp(zone, mt, nr - i,
							     pages + i);

			taken += got;
			populated += got;
			i += got;
			if (i >= nr)
				break;
			if (pages[i])
				continue;
		}
		/* The list is empty (or no zone qualified): one refill. */
		zp = za_alloc_pages_node(pool, nid, gfp, 0);
		if (IS_ERR(zp)) {
			if (PTR_ERR(zp) != -ENOMEM)
				ret = PTR_ERR(zp);
			break;
		}
		pages[i++] = pfn_to_page(zp->pfn);
		taken++;
		populated++;
	}
	za_api_pin(taken);
	return ret ? ret : populated;
}
EXPORT_SYMBOL_GPL(zonealloc_alloc_pages_bulk_node);

/**
 * zonealloc_alloc_pages_bulk() - zonealloc_alloc_pages_bulk_node() on the
 *	calling CPU's node.
 * @gfp: ZONEALLOC_GFP_* flags.
 * @nr: the number wanted.
 * @pages: array of at least @nr entries; NULL entries are filled.
 *
 * Context: as zonealloc_alloc_pages_bulk_node().
 * Return: as zonealloc_alloc_pages_bulk_node().
 */
int zonealloc_alloc_pages_bulk(u32 gfp, unsigned int nr, struct page **pages)
{
	return zonealloc_alloc_pages_bulk_node(NUMA_NO_NODE, gfp, nr, pages);
}
EXPORT_SYMBOL_GPL(zonealloc_alloc_pages_bulk);

/**
 * zonealloc_free_pages_bulk() - free single pages and clear their entries.
 * @nr: entries in @pages.
 * @pages: pages from zonealloc_alloc_pages_bulk(); NULL entries are skipped.
 *
 * Context: Any context.
 * Return: 0, or -EINVAL (or -EBUSY) if some entry was not an allocated
 * page of the pool (or is still referenced, see zonealloc_free_pages());
 * that entry is left in place, the others are freed.
 */
int zonealloc_free_pages_bulk(unsigned int nr, struct page **pages)
{
	unsigned int i, freed = 0;
	int ret = 0, err;

	for (i = 0; i < nr; i++) {
		if (!pages[i])
			continue;
		err = za_api_free(pages[i], 0);
		if (err) {
			ret = err;
		} else {
			pages[i] = NULL;
			freed++;
		}
	}
	za_api_unpin(freed);
	return ret;
}
EXPORT_SYMBOL_GPL(zonealloc_free_pages_bulk);
