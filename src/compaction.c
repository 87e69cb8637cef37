// SPDX-License-Identifier: GPL-2.0
/*
 * Compaction, as mm/compaction.c of Linux 6.12: in one zone, a migrate
 * scanner walks up from the bottom picking movable allocated blocks and a
 * free scanner walks down from the top taking free blocks to move them
 * into, pageblock by pageblock, until the scanners meet or a free block of
 * the wanted order exists. Around it: the compaction_suitable() rules with
 * the fragmentation index and extfrag_threshold, deferral with exponential
 * backoff, capture of the freed block by the allocation that asked for it,
 * per-pageblock skip hints and a kcompactd thread per pool with proactive
 * compaction. Contiguous allocation of an exact range is in contig.c.
 *
 * Blocks are moved by their owners (migrate.h): no zone or PCP lock is ever
 * held across migrate_ops->move. Free blocks taken by the free scanner are
 * private to one compaction, marked allocated with no owner, until they
 * become destinations or go back to the free lists at the end.
 *
 * Deviations from 6.12: no LRU, so "isolating" a movable block only records
 * it with its owner cookie (the owner revalidates it); a pending skip-hint
 * flush is done by the next compaction of the zone rather than by kswapd.
 */

#include <linux/delay.h>
#include <linux/freezer.h>
#include <linux/kthread.h>
#include <linux/log2.h>
#include <linux/math64.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/nodemask.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/wait.h>
#include <kunit/visibility.h>

#include "alloc.h"
#include "buddy.h"
#include "compaction.h"
#include "gfp.h"
#include "migrate.h"
#include "trace.h"
#include "pcp.h"
#include "vmstat.h"

/*
 * As COMPACT_CLUSTER_MAX: the migrate scanner stops isolating once this
 * many pages are isolated, and they are migrated as one batch.
 */
#define ZA_COMPACT_CLUSTER_MAX		ZA_MIGRATE_BATCH_MAX
/* How often kcompactd checks the fragmentation score. */
#define ZA_KCOMPACTD_INTERVAL_MS	500

/*
 * The run-time parameters take what the sysctls they mirror take and
 * refuse the rest with -EINVAL, leaving the value in force unchanged. A
 * write is one aligned store (sysfs serializes writers); readers use
 * READ_ONCE().
 */
static int za_param_set_proactiveness(const char *val,
				      const struct kernel_param *kp)
{
	/* As vm.compaction_proactiveness: 0..100. */
	return param_set_uint_minmax(val, kp, 0, 100) ? -EINVAL : 0;
}

static int za_param_set_extfrag_threshold(const char *val,
					  const struct kernel_param *kp)
{
	/* As vm.extfrag_threshold: 0..1000. */
	return param_set_uint_minmax(val, kp, 0, 1000) ? -EINVAL : 0;
}

const struct kernel_param_ops za_compaction_proactiveness_ops = {
	.set = za_param_set_proactiveness,
	.get = param_get_uint,
};
EXPORT_SYMBOL_IF_KUNIT(za_compaction_proactiveness_ops);

const struct kernel_param_ops za_extfrag_threshold_ops = {
	.set = za_param_set_extfrag_threshold,
	.get = param_get_uint,
};
EXPORT_SYMBOL_IF_KUNIT(za_extfrag_threshold_ops);

unsigned int za_compaction_proactiveness = 20;
module_param_cb(compaction_proactiveness, &za_compaction_proactiveness_ops,
		&za_compaction_proactiveness, 0644);
MODULE_PARM_DESC(compaction_proactiveness,
		 "How hard kcompactd compacts in the background, 0..100 (default 20; 0 disables)");
EXPORT_SYMBOL_IF_KUNIT(za_compaction_proactiveness);

unsigned int za_extfrag_threshold = 500;
module_param_cb(extfrag_threshold, &za_extfrag_threshold_ops,
		&za_extfrag_threshold, 0644);
MODULE_PARM_DESC(extfrag_threshold,
		 "Compact for a costly order only if its fragmentation index is above this, 0..1000 (default 500)");
EXPORT_SYMBOL_IF_KUNIT(za_extfrag_threshold);

/**
 * struct za_kcompactd - the background compaction thread of one node of a
 *	pool, as each pg_data_t's kcompactd.
 * @task: the thread, or NULL for a node that has none (no memory when the
 *	threads started).
 * @wait: where it sleeps between requests.
 * @request: the highest order (low byte) and the lowest highest zone
 *	index (next byte) asked for since the thread last ran, as
 *	kcompactd_max_order and kcompactd_highest_zoneidx; 0 for none. One word, so
 *	that the thread never takes an order without its zone: allocators
 *	raise it with cmpxchg(), the thread takes it with xchg().
 * @pool: the pool it compacts.
 * @nid: the node whose zones it compacts.
 * @proactive_defer: checks left to skip after a proactive compaction that
 *	did not help; the thread's own.
 * @wakeups: times za_wakeup_kcompactd() woke the thread.
 * @runs: requests the thread took (kcompactd_do_work() runs).
 */
struct za_kcompactd {
	struct task_struct *task;
	wait_queue_head_t wait;
	unsigned int request;
	struct za_pool *pool;
	int nid;
	unsigned int proactive_defer;
	atomic_t wakeups;
	atomic_t runs;
};

#define ZA_KCD_ORDER(req)	((req) & 0xff)
#define ZA_KCD_ZONE(req)	(((req) >> 8) & 0xff)
#define ZA_KCD_REQUEST(order, zone)	((order) | ((zone) << 8))

/* As struct compact_control: one compaction of one zone. */
struct za_compact_control {
	struct za_pool *pool;
	struct za_zone *zone;
	int order;			/* -1: compact the whole zone */
	enum za_migrate_mode mode;
	unsigned int alloc_flags;
	int highest_zoneidx;
	int migratetype;
	bool ignore_skip_hint;
	bool whole_zone;
	bool direct;
	bool proactive;
	bool capture;
	bool explicit_req;
	bool contended;
	unsigned long migrate_pfn;	/* next pfn the migrate scanner looks at */
	unsigned long free_pfn;		/* next pageblock the free scanner looks at */
	struct list_head freepages[ZA_NR_ORDERS];
	unsigned long nr_freepages;
	unsigned long max_free_pfn;	/* highest pfn the free scanner took */
	struct za_migrate_req *src;	/* ZA_COMPACT_CLUSTER_MAX of them */
	unsigned int nr_src;
	unsigned long nr_migrated;
	unsigned long migrate_scanned;
	unsigned long free_scanned;
	unsigned long isolated;
	struct za_page *captured;
	unsigned int nr_src_pages;	/* pages in src[], as nr_migratepages */
	unsigned int fast_search_fail;	/* free-list searches that failed */
	int search_order;		/* where fast_isolate_freepages starts */
	unsigned long init_free_pfn;	/* where the free scanner started */
	unsigned long fast_start_pfn;	/* lowest block fast_find_migrateblock took */
};

enum za_isolate_result {
	ZA_ISOLATE_ABORT,
	ZA_ISOLATE_NONE,
	ZA_ISOLATE_SUCCESS,
};

/* The first descriptor of the pageblock at @pfn if it belongs to @zone. */
static struct za_page *za_zone_block(struct za_zone *zone, unsigned long pfn)
{
	struct za_page *zp = za_pfn_to_page(zone->pool, pfn);

	return zp && zp->zone == za_zone_id(zone) ? zp : NULL;
}

/* Is the pageblock of @head covered by a free block of pageblock order+? */
static bool za_pageblock_free(struct za_pool *pool,
			      struct za_page *head)
{
	unsigned int order;

	for (order = ZA_PAGEBLOCK_ORDER; order <= ZA_MAX_ORDER; order++) {
		struct za_page *zp;

		zp = za_pfn_to_page(pool, head->pfn & ~((1UL << order) - 1));
		if (zp && za_page_is_free_order(zp, order))
			return true;
	}
	return false;
}

/* Skip hints (as isolation_suitable() and friends). */
static bool za_isolation_suitable(struct za_compact_control *cc,
				  struct za_page *head)
{
	return cc->ignore_skip_hint || !READ_ONCE(head->pb_skip);
}

static void za_set_pageblock_skip(struct za_compact_control *cc,
				  struct za_page *head)
{
	if (!cc->ignore_skip_hint)
		WRITE_ONCE(head->pb_skip, 1);
}

static void za_reset_cached_positions(struct za_zone *zone)
{
	WRITE_ONCE(zone->compact_cached_migrate_pfn[0], 0);
	WRITE_ONCE(zone->compact_cached_migrate_pfn[1], 0);
	WRITE_ONCE(zone->compact_cached_free_pfn, 0);
}

/* As __reset_isolation_suitable(): forget every skip hint of the zone. */
static void za_reset_isolation_suitable(struct za_zone *zone)
{
	struct za_pool *pool = zone->pool;
	unsigned int c;
	unsigned long i;

	for (c = 0; c < pool->nr_chunks; c++) {
		struct za_chunk *chunk = &pool->chunks[c];

		if (chunk->zone != za_zone_id(zone))
			continue;
		for (i = 0; i < chunk->nr_pages; i += ZA_PAGEBLOCK_PAGES)
			WRITE_ONCE(chunk->pages[i].pb_skip, 0);
	}
	za_reset_cached_positions(zone);
	WRITE_ONCE(zone->compact_blockskip_flush, false);
}

/**
 * za_compaction_deferred() - should compaction for @order skip this zone?
 * @zone: the zone.
 * @order: the order wanted.
 *
 * As compaction_deferred(): after a failure, compaction is skipped until
 * it has been considered 1 << compact_defer_shift times. Counts a deferral.
 *
 * Context: Any context; takes the zone lock.
 * Return: true to skip the zone.
 */
bool za_compaction_deferred(struct za_zone *zone, int order)
{
	unsigned long flags, limit;
	bool deferred = true;

	spin_lock_irqsave(&zone->lock, flags);
	limit = 1UL << zone->compact_defer_shift;
	if (order < zone->compact_order_failed) {
		deferred = false;
	} else if (++zone->compact_considered >= limit) {
		zone->compact_considered = limit;
		deferred = false;
	}
	if (deferred)
		trace_za_mm_compaction_deferred(zone, order);
	spin_unlock_irqrestore(&zone->lock, flags);
	if (deferred)
		za_count_zone_event(zone, deferrals);
	return deferred;
}
EXPORT_SYMBOL_IF_KUNIT(za_compaction_deferred);

/**
 * za_defer_compaction() - back off after compaction failed for @order.
 * @zone: the zone.
 * @order: the order it failed for.
 *
 * As defer_compaction(): doubles the number of requests to skip, up to
 * 1 << %ZA_COMPACT_MAX_DEFER_SHIFT.
 *
 * Context: Any context; takes the zone lock.
 */
void za_defer_compaction(struct za_zone *zone, int order)
{
	unsigned long flags;

	spin_lock_irqsave(&zone->lock, flags);
	zone->compact_considered = 0;
	if (zone->compact_defer_shift < ZA_COMPACT_MAX_DEFER_SHIFT)
		zone->compact_defer_shift++;
	if (order < zone->compact_order_failed)
		zone->compact_order_failed = order;
	trace_za_mm_compaction_defer_compaction(zone, order);
	spin_unlock_irqrestore(&zone->lock, flags);
}
EXPORT_SYMBOL_IF_KUNIT(za_defer_compaction);

/**
 * za_compaction_defer_reset() - compaction for @order worked.
 * @zone: the zone.
 * @order: the order.
 * @alloc_success: an allocation of @order then succeeded: stop backing off.
 *
 * As compaction_defer_reset().
 *
 * Context: Any context; takes the zone lock.
 */
void za_compaction_defer_reset(struct za_zone *zone, int order,
			       bool alloc_success)
{
	unsigned long flags;

	spin_lock_irqsave(&zone->lock, flags);
	if (alloc_success) {
		zone->compact_considered = 0;
		zone->compact_defer_shift = 0;
	}
	if (order >= zone->compact_order_failed)
		zone->compact_order_failed = order + 1;
	trace_za_mm_compaction_defer_reset(zone, order);
	spin_unlock_irqrestore(&zone->lock, flags);
}
EXPORT_SYMBOL_IF_KUNIT(za_compaction_defer_reset);

/* As compaction_restarting(): fully backed off and due to try again. */
static bool za_compaction_restarting(struct za_zone *zone, int order)
{
	unsigned long flags;
	bool ret;

	spin_lock_irqsave(&zone->lock, flags);
	ret = order >= zone->compact_order_failed &&
	      zone->compact_defer_shift == ZA_COMPACT_MAX_DEFER_SHIFT &&
	      zone->compact_considered >= 1UL << zone->compact_defer_shift;
	spin_unlock_irqrestore(&zone->lock, flags);
	return ret;
}

/*
 * As __compaction_suitable(): free pages above min (orders up to
 * %ZA_COSTLY_ORDER) or low, boost included, plus compact_gap().
 */
static bool __za_compaction_suitable(struct za_zone *zone, int order,
				     int highest_zoneidx)
{
	int wmark = order > ZA_COSTLY_ORDER ? ZA_WMARK_LOW : ZA_WMARK_MIN;
	unsigned long mark = zone->watermark[wmark] +
			     READ_ONCE(zone->watermark_boost);

	if (order > 0)
		mark += 2UL << order;
	return za_zone_watermark_ok(zone, 0, mark, highest_zoneidx, 0);
}

/**
 * za_compaction_zonelist_suitable() - could compaction run for @order in
 *	some zone of the request?
 * @pool: the pool.
 * @order: the order wanted.
 * @highest_zoneidx: the highest zone of the request.
 *
 * As compaction_zonelist_suitable() with nothing reclaimable: the free
 * pages of some zone pass __compaction_suitable()'s watermark.
 *
 * Context: Any context; reads the zones locklessly.
 * Return: true if a zone has enough free memory to compact.
 */
bool za_compaction_zonelist_suitable(struct za_pool *pool,
				     unsigned int order, int highest_zoneidx)
{
	struct za_zone *zone;

	for (zone = pool->zones; zone < za_pool_zones_end(pool); zone++) {
		if (zone->idx <= highest_zoneidx && za_zone_populated(zone) &&
		    __za_compaction_suitable(zone, order, highest_zoneidx))
			return true;
	}
	return false;
}
EXPORT_SYMBOL_IF_KUNIT(za_compaction_zonelist_suitable);

/**
 * za_compaction_suitable() - is compacting this zone for @order worth it?
 * @zone: the zone.
 * @order: the order wanted, or -1 for a full compaction.
 * @highest_zoneidx: the highest zone of the request (for lowmem_reserve).
 *
 * As 6.12's compaction_suitable(): there must be free pages above a
 * watermark (boost included) plus twice the request (room for migration
 * targets): min for orders up to %ZA_COSTLY_ORDER, low above it. For a
 * costly order the failure must also be due to fragmentation: a
 * fragmentation index at or below extfrag_threshold means lack of memory.
 *
 * Context: Any context; reads the zone locklessly.
 * Return: true if compaction may help.
 */
bool za_compaction_suitable(struct za_zone *zone, int order,
			    int highest_zoneidx)
{
	enum za_compact_result ret = ZA_COMPACT_CONTINUE;
	struct za_contig_page_info info;
	int fragindex;

	if (!__za_compaction_suitable(zone, order, highest_zoneidx)) {
		ret = ZA_COMPACT_SKIPPED;
	} else if (order > ZA_COSTLY_ORDER) {
		za_fill_contig_page_info(zone, order, &info);
		fragindex = za_fragmentation_index(order, &info);
		if (fragindex >= 0 &&
		    fragindex <= (int)min(READ_ONCE(za_extfrag_threshold), 1000U))
			ret = ZA_COMPACT_NOT_SUITABLE;
	}
	trace_za_mm_compaction_suitable(zone, order, ret);
	return ret == ZA_COMPACT_CONTINUE;
}
EXPORT_SYMBOL_IF_KUNIT(za_compaction_suitable);

/* As compaction_suit_allocation_order(); the watermark with its boost. */
static enum za_compact_result
za_suit_allocation_order(struct za_zone *zone, unsigned int order,
			 int highest_zoneidx, unsigned int alloc_flags)
{
	unsigned long mark = zone->watermark[alloc_flags & ZA_ALLOC_WMARK_MASK] +
			     READ_ONCE(zone->watermark_boost);

	if (za_zone_watermark_ok(zone, order, mark, highest_zoneidx,
				 alloc_flags))
		return ZA_COMPACT_SUCCESS;
	if (!za_compaction_suitable(zone, order, highest_zoneidx))
		return ZA_COMPACT_SKIPPED;
	return ZA_COMPACT_CONTINUE;
}

/**
 * za_fragmentation_score_zone() - how fragmented a zone is, 0..100.
 * @zone: the zone.
 *
 * As fragmentation_score_zone(): the share of free memory that is in
 * blocks smaller than a pageblock.
 *
 * Context: Any context; reads the zone locklessly.
 * Return: the score.
 */
unsigned int za_fragmentation_score_zone(struct za_zone *zone)
{
	struct za_contig_page_info info;

	za_fill_contig_page_info(zone, ZA_PAGEBLOCK_ORDER, &info);
	if (!info.free_pages)
		return 0;
	return div64_ul((info.free_pages -
			 (info.free_blocks_suitable << ZA_PAGEBLOCK_ORDER)) * 100,
			info.free_pages);
}
EXPORT_SYMBOL_IF_KUNIT(za_fragmentation_score_zone);

/*
 * As fragmentation_score_node(): the scores of node @nid's zones (every
 * zone's for -1) weighted by their size.
 */
static unsigned int za_fragmentation_score_node(struct za_pool *pool, int nid)
{
	unsigned long present = 0, score = 0;
	struct za_zone *zone;

	for (zone = pool->zones; zone < za_pool_zones_end(pool); zone++)
		if (nid < 0 || zone->node == nid)
			present += zone->present_pages;
	for (zone = pool->zones; zone < za_pool_zones_end(pool); zone++) {
		if ((nid >= 0 && zone->node != nid) || !za_zone_populated(zone))
			continue;
		score += div64_ul((u64)zone->present_pages *
				  za_fragmentation_score_zone(zone),
				  present + 1);
	}
	return score;
}

/**
 * za_fragmentation_score_pool() - the pool's fragmentation score, 0..100.
 * @pool: the pool.
 *
 * As fragmentation_score_node() over every node's zones: the zones' scores
 * weighted by their size.
 *
 * Context: Any context; reads the zones locklessly.
 * Return: the score.
 */
unsigned int za_fragmentation_score_pool(struct za_pool *pool)
{
	return za_fragmentation_score_node(pool, -1);
}
EXPORT_SYMBOL_IF_KUNIT(za_fragmentation_score_pool);

/* As fragmentation_score_wmark(). */
static unsigned int za_fragmentation_score_wmark(bool low)
{
	unsigned int proactiveness = min(READ_ONCE(za_compaction_proactiveness),
					 100U);
	unsigned int wmark_low = max(100U - proactiveness, 5U);

	return low ? wmark_low : min(wmark_low + 10, 100U);
}

/*
 * The free scanner looks at pageblocks above the migrate scanner's only;
 * the migrate scanner may still take the free scanner's next pageblock.
 * (The kernel stops one pageblock earlier, leaving it unscanned.)
 */
static bool za_scanners_met(struct za_compact_control *cc)
{
	return (cc->free_pfn >> ZA_PAGEBLOCK_ORDER) <
	       (cc->migrate_pfn >> ZA_PAGEBLOCK_ORDER);
}

/* As suitable_migration_source(): async compaction only empties MOVABLE. */
static bool za_suitable_migration_source(struct za_compact_control *cc,
					 struct za_page *head)
{
	int mt;

	if (cc->mode != ZA_MIGRATE_ASYNC)
		return true;
	mt = za_get_pageblock_mt(head);
	if (cc->direct && mt == cc->migratetype)
		return true;
	return mt == ZA_MIGRATE_MOVABLE;
}

/* As suitable_migration_target(): MOVABLE blocks not already free. */
static bool za_suitable_migration_target(struct za_compact_control *cc,
					 struct za_page *head)
{
	if (za_get_pageblock_mt(head) != ZA_MIGRATE_MOVABLE)
		return false;
	return !za_pageblock_free(cc->pool, head);
}

/*
 * As test_and_set_skip(): mark the pageblock skipped when its first block
 * is isolated, so that another compaction leaves it alone; true if it was
 * marked already (by a concurrent compaction).
 */
static bool za_test_and_set_skip(struct za_compact_control *cc,
				 struct za_page *head)
{
	if (cc->ignore_skip_hint)
		return false;
	if (READ_ONCE(head->pb_skip))
		return true;
	WRITE_ONCE(head->pb_skip, 1);
	return false;
}

/*
 * Record the movable blocks of one pageblock from @pfn, until
 * %ZA_COMPACT_CLUSTER_MAX pages are recorded; where it stopped. @first:
 * the scan starts the pageblock (as isolate_migratepages_block()'s
 * valid_page), so its skip mark is tested and set at the first isolation.
 */
static unsigned long za_scan_migrate_block(struct za_compact_control *cc,
					   struct za_page *head,
					   unsigned long pfn,
					   unsigned long end, bool first)
{
	while (pfn < end) {
		struct za_page *zp = head + (pfn - head->pfn);
		unsigned int order;
		unsigned long owner;
		u8 state;

		if (!za_page_racy_head(zp, &state, &order)) {
			pfn++;
			cc->migrate_scanned++;
			continue;
		}
		pfn += 1UL << order;
		cc->migrate_scanned += 1UL << order;
		/*
		 * As skip_isolation_on_order(): a block of the wanted order or
		 * more, or of a pageblock, gains nothing by moving.
		 */
		if (state != ZA_PAGE_ALLOC || order >= ZA_PAGEBLOCK_ORDER ||
		    (cc->order >= 0 && order >= cc->order) ||
		    za_page_mt(zp) != ZA_MIGRATE_MOVABLE)
			continue;
		owner = za_page_owner(zp);
		if (!owner)
			continue;
		if (first) {
			first = false;
			if (za_test_and_set_skip(cc, head))
				return end;
		}
		cc->src[cc->nr_src++] = (struct za_migrate_req) {
			.src = zp, .owner = owner, .order = order,
		};
		cc->nr_src_pages += 1U << order;
		cc->isolated += 1UL << order;
		if (cc->nr_src_pages >= ZA_COMPACT_CLUSTER_MAX)
			break;
	}
	return pfn;
}

/* As freelist_scan_limit(): shorter searches after failed ones. */
static unsigned int za_freelist_scan_limit(struct za_compact_control *cc)
{
	return (ZA_COMPACT_CLUSTER_MAX >>
		min(BITS_PER_LONG - 1, cc->fast_search_fail)) + 1;
}

/* As update_fast_start_pfn(). */
static void za_update_fast_start_pfn(struct za_compact_control *cc,
				     unsigned long pfn)
{
	if (cc->fast_start_pfn == ULONG_MAX)
		return;
	if (!cc->fast_start_pfn)
		cc->fast_start_pfn = pfn;
	cc->fast_start_pfn = min(cc->fast_start_pfn, pfn);
}

/* As reinit_migrate_pfn(): once, back to the lowest block the search took. */
static unsigned long za_reinit_migrate_pfn(struct za_compact_control *cc)
{
	if (!cc->fast_start_pfn || cc->fast_start_pfn == ULONG_MAX)
		return cc->migrate_pfn;
	cc->migrate_pfn = cc->fast_start_pfn;
	cc->fast_start_pfn = ULONG_MAX;
	return cc->migrate_pfn;
}

/*
 * As move_freelist_tail(): put the entries up to @zp last, so that the
 * next search (from the head) does not see the same ones again.
 */
static void za_move_freelist_tail(struct list_head *list, struct za_page *zp)
{
	LIST_HEAD(sublist);

	if (!list_is_last(&zp->lru, list)) {
		list_cut_position(&sublist, list, &zp->lru);
		list_splice_tail(&sublist, list);
	}
}

/*
 * As fast_find_migrateblock(): for a costly order, when the migrate
 * scanner enters a pageblock, look on the movable free lists of orders
 * cc->order - 1 down to ZA_COSTLY_ORDER, head first, for a free block in
 * the first half of the space between the scanners (the first eighth once
 * the scanner has moved), in a pageblock not marked skipped: that
 * pageblock already has free pages, so emptying it takes fewer moves.
 * Not for a full compaction (it relies on skip marks to avoid repeats) nor
 * for a direct request of another migratetype. Returns where to scan.
 */
static unsigned long za_fast_find_migrateblock(struct za_compact_control *cc)
{
	struct za_zone *zone = cc->zone;
	unsigned int limit = za_freelist_scan_limit(cc), nr_scanned = 0;
	unsigned long pfn = cc->migrate_pfn, distance, high_pfn, flags;
	bool found = false;
	int order;

	if (cc->ignore_skip_hint)
		return pfn;
	/* A scan that stopped at COMPACT_CLUSTER_MAX goes on where it was. */
	if (pfn != zone->start_pfn && pfn != ALIGN_DOWN(pfn, ZA_PAGEBLOCK_PAGES))
		return pfn;
	if (cc->order <= ZA_COSTLY_ORDER)
		return pfn;
	if (cc->direct && cc->migratetype != ZA_MIGRATE_MOVABLE)
		return pfn;
	if (cc->free_pfn <= cc->migrate_pfn)
		return pfn;
	distance = (cc->free_pfn - cc->migrate_pfn) >> 1;
	if (cc->migrate_pfn != zone->start_pfn)
		distance >>= 2;
	high_pfn = ALIGN_DOWN(cc->migrate_pfn + distance, ZA_PAGEBLOCK_PAGES);

	for (order = cc->order - 1;
	     order >= ZA_COSTLY_ORDER && !found && nr_scanned < limit; order--) {
		struct za_free_area *area = &zone->free_area[order];
		struct list_head *list = &area->free_list[ZA_MIGRATE_MOVABLE];
		struct za_page *zp;

		if (!READ_ONCE(area->nr_free))
			continue;
		spin_lock_irqsave(&zone->lock, flags);
		list_for_each_entry(zp, list, lru) {
			struct za_page *head;

			if (nr_scanned++ >= limit) {
				za_move_freelist_tail(list, zp);
				break;
			}
			if (zp->pfn >= high_pfn)
				continue;
			head = za_zone_block(zone, ALIGN_DOWN(zp->pfn,
							      ZA_PAGEBLOCK_PAGES));
			/* Skipped recently: leave it (the kernel's comment). */
			if (!head || READ_ONCE(head->pb_skip))
				continue;
			za_move_freelist_tail(list, zp);
			za_update_fast_start_pfn(cc, zp->pfn);
			pfn = max(head->pfn, zone->start_pfn);
			cc->fast_search_fail = 0;
			found = true;
			break;
		}
		spin_unlock_irqrestore(&zone->lock, flags);
	}
	cc->migrate_scanned += nr_scanned;
	if (!found) {
		cc->fast_search_fail++;
		pfn = za_reinit_migrate_pfn(cc);
	}
	return pfn;
}

/* As isolate_migratepages(): fill cc->src from at most one pageblock. */
static enum za_isolate_result
za_isolate_migratepages(struct za_compact_control *cc)
{
	unsigned long pfn = za_fast_find_migrateblock(cc);
	unsigned long block = ALIGN_DOWN(pfn, ZA_PAGEBLOCK_PAGES);
	/* A block the search took was checked for its skip mark. */
	bool fast = pfn != cc->migrate_pfn && !cc->fast_search_fail;

	for (; block <= ALIGN_DOWN(cc->free_pfn, ZA_PAGEBLOCK_PAGES);
	     block += ZA_PAGEBLOCK_PAGES, pfn = block, fast = false) {
		unsigned long end = block + ZA_PAGEBLOCK_PAGES, stop;
		struct za_page *head = za_zone_block(cc->zone, block);
		unsigned long isolated = cc->isolated;
		bool first = pfn <= block;

		/*
		 * As isolate_migratepages(): the skip mark is looked at when
		 * a pageblock is entered, not when a scan that stopped at
		 * COMPACT_CLUSTER_MAX resumes in it (it set the mark itself).
		 */
		if (!head || (first && !fast && !za_isolation_suitable(cc, head)) ||
		    !za_suitable_migration_source(cc, head))
			continue;
		stop = za_scan_migrate_block(cc, head, max(pfn, block), end,
					     first);
		trace_za_mm_compaction_isolate_migratepages(max(pfn, block), stop,
							    stop - max(pfn, block),
							    cc->isolated - isolated);
		if (stop >= end && !cc->nr_src)
			za_set_pageblock_skip(cc, head);
		if (cc->nr_src) {
			cc->migrate_pfn = stop;
			return ZA_ISOLATE_SUCCESS;
		}
		if (cc->mode == ZA_MIGRATE_ASYNC && need_resched()) {
			cc->migrate_pfn = ALIGN_DOWN(stop, ZA_PAGEBLOCK_PAGES);
			cc->contended = true;
			return ZA_ISOLATE_ABORT;
		}
		if (cc->mode != ZA_MIGRATE_ASYNC)
			cond_resched();
	}
	cc->migrate_pfn = max(cc->migrate_pfn, block);
	return ZA_ISOLATE_NONE;
}

/*
 * Take the free block @zp of @order for this compaction, as
 * __isolate_free_page(): never below the min watermark.
 */
static bool za_isolate_free_page(struct za_compact_control *cc,
				 struct za_page *zp, unsigned int order)
{
	struct za_zone *zone = cc->zone;

	lockdep_assert_held(&zone->lock);
	if (zone->free_pages < zone->watermark[ZA_WMARK_MIN] + (1UL << order))
		return false;
	za_take_free_block(zone, zp);
	/* Private to this compaction: allocated, no owner. */
	za_page_set_isolated(zp, order);
	list_add_tail(&zp->lru, &cc->freepages[order]);
	cc->nr_freepages += 1UL << order;
	cc->max_free_pfn = max(cc->max_free_pfn, zp->pfn);
	return true;
}

/*
 * Take the free blocks of one pageblock for this compaction, as
 * isolate_freepages_block(): looking at every @stride-th page (and past
 * every block found); never below the min watermark (as
 * __isolate_free_page()). Returns whether the whole pageblock was scanned.
 */
static bool za_isolate_free_block(struct za_compact_control *cc,
				  struct za_page *head, unsigned int stride)
{
	struct za_zone *zone = cc->zone;
	unsigned long i = 0, isolated = 0;

	lockdep_assert_held(&zone->lock);
	while (i < ZA_PAGEBLOCK_PAGES) {
		struct za_page *zp = head + i;
		unsigned int order;
		u8 state;

		if (!za_page_racy_head(zp, &state, &order)) {
			i += stride;
			continue;
		}
		if (state == ZA_PAGE_FREE && order < ZA_PAGEBLOCK_ORDER) {
			if (!za_isolate_free_page(cc, zp, order))
				break;
			isolated += 1UL << order;
		}
		/* Past the block, then on by the stride. */
		i += (1UL << order) - 1 + stride;
	}
	i = min_t(unsigned long, i, ZA_PAGEBLOCK_PAGES);
	trace_za_mm_compaction_isolate_freepages(head->pfn, head->pfn + i, i, isolated);
	cc->free_scanned += ZA_PAGEBLOCK_PAGES;
	cc->isolated += isolated;
	return i == ZA_PAGEBLOCK_PAGES;
}

/* Some private free block of at least @order? */
static int za_freepages_order(struct za_compact_control *cc,
			      unsigned int order)
{
	unsigned int o;

	for (o = order; o <= ZA_MAX_ORDER; o++)
		if (!list_empty(&cc->freepages[o]))
			return o;
	return -1;
}

/* As next_search_order(): orders round-robin below cc->order; -1 when done. */
static int za_next_search_order(struct za_compact_control *cc, int order)
{
	order--;
	if (order < 0)
		order = cc->order - 1;
	if (order == cc->search_order) {
		cc->search_order--;
		if (cc->search_order < 0)
			cc->search_order = cc->order - 1;
		return -1;
	}
	return order;
}

/*
 * As move_freelist_head(): put the entries after @zp first, so that the
 * next search (from the tail) does not see the same ones again.
 */
static void za_move_freelist_head(struct list_head *list, struct za_page *zp)
{
	LIST_HEAD(sublist);

	if (!list_is_first(&zp->lru, list)) {
		list_cut_before(&sublist, list, &zp->lru);
		list_splice_tail(&sublist, list);
	}
}

/* As fast_isolate_around(): the rest of the pageblock of @zp. */
static void za_fast_isolate_around(struct za_compact_control *cc,
				   struct za_page *zp)
{
	struct za_page *head = za_zone_block(cc->zone,
					     ALIGN_DOWN(zp->pfn, ZA_PAGEBLOCK_PAGES));
	unsigned long flags;
	bool full;

	if (!head || cc->nr_freepages >= cc->nr_src_pages)
		return;
	/* Minimise scanning during async direct compaction. */
	if (cc->direct && cc->mode == ZA_MIGRATE_ASYNC)
		return;
	spin_lock_irqsave(&cc->zone->lock, flags);
	full = za_isolate_free_block(cc, head, 1);
	spin_unlock_irqrestore(&cc->zone->lock, flags);
	if (full)
		za_set_pageblock_skip(cc, head);
}

/*
 * As fast_isolate_freepages(): for an order above 0, look for a free block
 * of a smaller order on the movable free lists, tail first, in the top
 * quarter of the space between the scanners (the top half will do if
 * nothing better is seen), taking one and then the rest of its pageblock.
 * Orders are searched round-robin from the last that worked; the number
 * of entries looked at shrinks with every failure and every candidate.
 * Deviation: compact_init_free_pfn is where this compaction's free scanner
 * started.
 */
static void za_fast_isolate_freepages(struct za_compact_control *cc)
{
	unsigned int limit = max(1U, za_freelist_scan_limit(cc) >> 1);
	struct za_zone *zone = cc->zone;
	unsigned long low_pfn, min_pfn, distance, highest = 0, flags;
	/* Deviation: never at or below the migrate scanner's pageblock. */
	unsigned long floor = ALIGN_DOWN(cc->migrate_pfn, ZA_PAGEBLOCK_PAGES) +
			      ZA_PAGEBLOCK_PAGES;
	struct za_page *page = NULL;
	bool scan_start = false;
	int order;

	if (cc->order <= 0 || cc->free_pfn < floor)
		return;
	if (cc->free_pfn >= cc->init_free_pfn) {
		limit = ZA_PAGEBLOCK_PAGES >> 1;
		scan_start = true;
	}
	distance = cc->free_pfn - cc->migrate_pfn;
	low_pfn = max(floor, ALIGN_DOWN(cc->free_pfn - (distance >> 2),
					ZA_PAGEBLOCK_PAGES));
	min_pfn = max(floor, ALIGN_DOWN(cc->free_pfn - (distance >> 1),
					ZA_PAGEBLOCK_PAGES));
	cc->search_order = min(cc->order - 1, cc->search_order);

	for (order = cc->search_order; !page && order >= 0;
	     order = za_next_search_order(cc, order)) {
		struct za_free_area *area = &zone->free_area[order];
		struct list_head *list = &area->free_list[ZA_MIGRATE_MOVABLE];
		unsigned int scanned = 0;
		unsigned long high_pfn = 0;
		struct za_page *zp, *last = NULL;

		if (!READ_ONCE(area->nr_free))
			continue;
		spin_lock_irqsave(&zone->lock, flags);
		list_for_each_entry_reverse(zp, list, lru) {
			unsigned long pfn = zp->pfn;

			scanned++;
			last = zp;
			if (pfn >= highest)
				highest = max(ALIGN_DOWN(pfn, ZA_PAGEBLOCK_PAGES),
					      zone->start_pfn);
			if (pfn >= low_pfn) {
				cc->fast_search_fail = 0;
				cc->search_order = order;
				page = zp;
				break;
			}
			if (pfn >= min_pfn && pfn > high_pfn) {
				high_pfn = pfn;
				/* Shorten the scan if a candidate is found. */
				limit >>= 1;
			}
			if (scanned >= limit)
				break;
		}
		/* The best candidate if no preferred one was seen. */
		if (!page && high_pfn) {
			page = za_pfn_to_page(cc->pool, high_pfn);
			last = page;
		}
		if (last)
			za_move_freelist_head(list, last);
		if (page && !za_isolate_free_page(cc, page, order)) {
			/* As the kernel: a failed isolation ends the search. */
			order = cc->search_order + 1;
			page = NULL;
		}
		spin_unlock_irqrestore(&zone->lock, flags);
		cc->free_scanned += scanned;
		if (page)
			cc->isolated += 1UL << order;
		if (cc->nr_freepages >= cc->nr_src_pages)
			break;
		if (scanned >= limit)
			limit = max(1U, limit >> 1);
	}

	/* The cached free pfn is set once, at the end (compaction_update_cached). */
	if (!page) {
		cc->fast_search_fail++;
		if (!scan_start)
			return;
		/*
		 * Start the linear scan at the highest block seen above min;
		 * direct compaction, pessimistic, at min, trying its block.
		 */
		if (highest >= min_pfn) {
			cc->free_pfn = highest;
			return;
		}
		if (!cc->direct)
			return;
		cc->free_pfn = min_pfn;
		page = za_zone_block(zone, min_pfn);
		if (!page || !za_suitable_migration_target(cc, page))
			return;
	}
	za_fast_isolate_around(cc, page);
}

/*
 * As isolate_freepages(): first a search of the free lists
 * (za_fast_isolate_freepages()); then from the top, pageblock by pageblock
 * down to just above the migrate scanner, until the free pages taken cover
 * the batch's pages still without a destination and a block of @order is
 * at hand; async compaction looks at every 32nd page of a pageblock at
 * first, every page after a pageblock that gave some, and twice as sparse
 * after one that gave none (the kernel's stride). Returns false if there
 * was no pageblock left to look at.
 */
static bool za_isolate_freepages(struct za_compact_control *cc,
				 unsigned int order)
{
	struct za_zone *zone = cc->zone;
	unsigned long low = ALIGN_DOWN(cc->migrate_pfn, ZA_PAGEBLOCK_PAGES) +
			    ZA_PAGEBLOCK_PAGES;
	unsigned long block, flags;
	/* As isolate_freepages(): async samples pageblocks at first. */
	unsigned int stride = cc->mode == ZA_MIGRATE_ASYNC ?
			      ZA_COMPACT_CLUSTER_MAX : 1;

	if (cc->free_pfn < low)
		return false;
	za_fast_isolate_freepages(cc);
	if (za_freepages_order(cc, order) >= 0)
		return true;
	if (cc->free_pfn < low)
		return false;
	for (block = cc->free_pfn; block >= low; block -= ZA_PAGEBLOCK_PAGES) {
		struct za_page *head = za_zone_block(zone, block);
		unsigned long nr;
		bool full;

		if (!head || !za_isolation_suitable(cc, head) ||
		    !za_suitable_migration_target(cc, head))
			continue;
		if (cc->mode == ZA_MIGRATE_ASYNC) {
			if (!spin_trylock_irqsave(&zone->lock, flags)) {
				cc->contended = true;
				break;
			}
		} else {
			spin_lock_irqsave(&zone->lock, flags);
		}
		nr = cc->nr_freepages;
		full = za_isolate_free_block(cc, head, stride);
		spin_unlock_irqrestore(&zone->lock, flags);
		/* As isolate_freepages(): every fully scanned block. */
		if (full)
			za_set_pageblock_skip(cc, head);
		/* As the kernel: enough pages for the batch (and the order). */
		if (cc->nr_freepages >= cc->nr_src_pages &&
		    za_freepages_order(cc, order) >= 0) {
			block -= ZA_PAGEBLOCK_PAGES;
			break;
		}
		/* Every page after one that gave some; sparser after none. */
		stride = cc->nr_freepages != nr ? 1 :
			 min_t(unsigned int, ZA_COMPACT_CLUSTER_MAX, stride << 1);
	}
	cc->free_pfn = block;
	return true;
}

/* As compaction_alloc(): a destination of @order, splitting if needed. */
static struct za_page *za_compaction_alloc(struct za_compact_control *cc,
					   unsigned int order)
{
	struct za_page *zp;
	int o;

	o = za_freepages_order(cc, order);
	while (o < 0 && !cc->contended && za_isolate_freepages(cc, order))
		o = za_freepages_order(cc, order);
	if (o < 0)
		return NULL;
	zp = list_first_entry(&cc->freepages[o], struct za_page, lru);
	list_del_init(&zp->lru);
	cc->nr_freepages -= 1UL << o;
	while (o > order) {
		struct za_page *half;

		o--;
		half = zp + (1UL << o);
		za_page_set_isolated(half, o);
		list_add(&half->lru, &cc->freepages[o]);
		cc->nr_freepages += 1UL << o;
	}
	za_page_set_order(zp, order);
	return zp;
}

/* A destination that was not used goes back to the private lists. */
static void za_compaction_free(struct za_compact_control *cc,
			       struct za_page *zp, unsigned int order)
{
	list_add(&zp->lru, &cc->freepages[order]);
	cc->nr_freepages += 1UL << order;
}

/* Return every private free block to the free lists (release_freepages). */
static void za_release_freepages(struct za_compact_control *cc)
{
	struct za_zone *zone = cc->zone;
	unsigned long flags;
	unsigned int o;

	spin_lock_irqsave(&zone->lock, flags);
	for (o = 0; o <= ZA_MAX_ORDER; o++) {
		struct za_page *zp, *tmp;

		list_for_each_entry_safe(zp, tmp, &cc->freepages[o], lru) {
			list_del_init(&zp->lru);
			za_page_set_tail(zp);
			za_free_one_page(zone, zp, o, za_get_pageblock_mt(zp));
		}
	}
	spin_unlock_irqrestore(&zone->lock, flags);
	cc->nr_freepages = 0;
}

/*
 * As compaction_capture(): the block just freed at @pfn merged into a
 * free block big enough for the request; take it before anyone else.
 */
static void za_try_capture(struct za_compact_control *cc, unsigned long pfn,
			   unsigned int order)
{
	struct za_zone *zone = cc->zone;
	struct za_page *head = NULL;
	int mt;

	lockdep_assert_held(&zone->lock);
	for (; order <= ZA_MAX_ORDER; order++) {
		head = za_pfn_to_page(cc->pool, pfn & ~((1UL << order) - 1));
		if (!head)
			return;
		if (za_page_is_free_order(head, order))
			break;
	}
	if (order > ZA_MAX_ORDER || order < cc->order)
		return;
	mt = za_get_pageblock_mt(head);
	if (!za_mt_mergeable(mt))
		return;
	/* Do not let a small unmovable request pollute a movable pageblock. */
	if (cc->order < ZA_PAGEBLOCK_ORDER && mt == ZA_MIGRATE_MOVABLE &&
	    cc->migratetype != ZA_MIGRATE_MOVABLE)
		return;
	za_take_free_block(zone, head);
	while (order > cc->order) {
		order--;
		za_free_one_page(zone, head + (1UL << order), order, mt);
	}
	za_page_set_order(head, cc->order);
	cc->captured = head;
}

/**
 * za_free_moved() - free a block whose owner moved it away.
 * @zone: its zone.
 * @zp: its head, allocated.
 * @order: its order.
 * @cc: the compaction that moved it, to capture the result for the
 *	requester, or NULL.
 *
 * Straight to the free lists, not a per-CPU list, so that it merges.
 *
 * Context: Any context; takes the zone lock.
 */
void za_free_moved(struct za_zone *zone, struct za_page *zp,
		   unsigned int order, struct za_compact_control *cc)
{
	unsigned long flags;

	if (WARN_ON_ONCE(!za_page_try_unalloc(zp)))
		return;
	trace_za_mm_page_free(zp, order);
	za_count_zone_events(zone, pgalloc, 1L << order);
	za_count_zone_events(zone, pgfree, 1L << order);
	spin_lock_irqsave(&zone->lock, flags);
	za_free_one_page(zone, zp, order, za_get_pageblock_mt(zp));
	if (cc && cc->capture && !cc->captured)
		za_try_capture(cc, zp->pfn, order);
	spin_unlock_irqrestore(&zone->lock, flags);
}

/*
 * Free the sources of a batch that their owners moved, under one hold of
 * the zone lock, capturing for the requester as za_free_moved() does.
 */
static void za_free_moved_batch(struct za_compact_control *cc,
				struct za_migrate_req *reqs, unsigned int nr)
{
	struct za_zone *zone = cc->zone;
	unsigned long flags, pages = 0;
	u32 freeing = 0;
	unsigned int i;
	int mt = -1;

	BUILD_BUG_ON(ZA_MIGRATE_BATCH_MAX > 32);
	for (i = 0; i < nr; i++) {
		struct za_migrate_req *r = &reqs[i];

		/* As za_free_moved(): a source not allocated stays put. */
		if (r->result || WARN_ON_ONCE(!za_page_try_unalloc(r->src)))
			continue;
		trace_za_mm_page_free(r->src, r->order);
		pages += 1UL << r->order;
		freeing |= BIT(i);
	}
	if (!pages)
		return;
	za_count_zone_events(zone, pgalloc, pages);
	za_count_zone_events(zone, pgfree, pages);
	spin_lock_irqsave(&zone->lock, flags);
	for (i = 0; i < nr; i++) {
		struct za_migrate_req *r = &reqs[i];

		if (!(freeing & BIT(i)))
			continue;
		/* A batch is one pageblock's, whose type is stable here. */
		if (mt < 0)
			mt = za_get_pageblock_mt(r->src);
		za_free_one_page(zone, r->src, r->order, mt);
		if (cc->capture && !cc->captured)
			za_try_capture(cc, r->src->pfn, r->order);
	}
	spin_unlock_irqrestore(&zone->lock, flags);
	cc->nr_migrated += pages;
}

/*
 * As migrate_pages() on the isolated list (migrate_pages_batch()): take a
 * destination for every source, hand the whole batch to the owners at
 * once, free the sources moved; in full sync mode, retry the busy ones up
 * to %ZA_MIGRATE_RETRIES more times, as a batch again.
 */
static void za_migrate_sources(struct za_compact_control *cc)
{
	struct za_migrate_req *reqs = cc->src;
	unsigned long migrated = cc->nr_migrated;
	unsigned int i, nr, tries, isolated = cc->nr_src_pages;

	/* cc->nr_src_pages: pages still without a destination. */
	for (nr = 0; nr < cc->nr_src; nr++) {
		reqs[nr].dst = za_compaction_alloc(cc, reqs[nr].order);
		if (!reqs[nr].dst)
			break;
		cc->nr_src_pages -= 1U << reqs[nr].order;
	}
	for (tries = 0; nr; tries++) {
		unsigned int busy = 0;

		za_migrate_batch(cc->pool, reqs, nr, cc->mode);
		za_free_moved_batch(cc, reqs, nr);
		/* Only full sync compaction waits out a busy owner. */
		for (i = 0; i < nr; i++) {
			struct za_migrate_req *r = &reqs[i];

			if (!r->result)
				continue;
			if (r->result == -EAGAIN && cc->mode == ZA_MIGRATE_SYNC &&
			    tries < ZA_MIGRATE_RETRIES && !cc->captured)
				reqs[busy++] = *r;
			else
				za_compaction_free(cc, r->dst, r->order);
		}
		nr = busy;
		if (nr)
			cond_resched();
	}
	trace_za_mm_compaction_migratepages(isolated, cc->nr_migrated - migrated);
	cc->nr_src = 0;
	cc->nr_src_pages = 0;
}

/* Is a block of cc->order free on a list the request may use? */
static bool za_compact_order_free(struct za_compact_control *cc)
{
	struct za_zone *zone = cc->zone;
	unsigned int o;
	int mt;

	for (o = cc->order; o <= ZA_MAX_ORDER; o++) {
		struct za_free_area *area = &zone->free_area[o];

		for (mt = 0; mt < ZA_MIGRATE_PCPTYPES; mt++)
			if (!list_empty(&area->free_list[mt]))
				return true;
		if ((cc->alloc_flags & ZA_ALLOC_HIGHATOMIC) &&
		    !list_empty(&area->free_list[ZA_MIGRATE_HIGHATOMIC]))
			return true;
	}
	return false;
}

/* As __compact_finished(). */
static enum za_compact_result za_compact_finished(struct za_compact_control *cc)
{
	struct za_zone *zone = cc->zone;

	if (cc->contended)
		return ZA_COMPACT_CONTENDED;
	if (za_scanners_met(cc)) {
		za_reset_cached_positions(zone);
		if (cc->direct)
			WRITE_ONCE(zone->compact_blockskip_flush, true);
		return cc->whole_zone ? ZA_COMPACT_COMPLETE :
					ZA_COMPACT_PARTIAL_SKIPPED;
	}
	if (cc->proactive)
		return za_fragmentation_score_zone(zone) >
		       za_fragmentation_score_wmark(true) ?
		       ZA_COMPACT_CONTINUE : ZA_COMPACT_SUCCESS;
	if (cc->order < 0)
		return ZA_COMPACT_CONTINUE;
	if (cc->captured)
		return ZA_COMPACT_SUCCESS;
	/* Leave a pageblock only when done with it, as the kernel does. */
	if (cc->migrate_pfn & (ZA_PAGEBLOCK_PAGES - 1))
		return ZA_COMPACT_CONTINUE;
	return za_compact_order_free(cc) ? ZA_COMPACT_SUCCESS :
					   ZA_COMPACT_CONTINUE;
}

/* Where the scanners start: the cached positions, or the zone's edges. */
static void za_compact_start_positions(struct za_compact_control *cc)
{
	struct za_zone *zone = cc->zone;
	unsigned long start = zone->start_pfn;
	unsigned long last = zone->end_pfn - ZA_PAGEBLOCK_PAGES;
	bool sync = cc->mode != ZA_MIGRATE_ASYNC;
	unsigned long mpfn, fpfn;

	mpfn = READ_ONCE(zone->compact_cached_migrate_pfn[sync]);
	fpfn = READ_ONCE(zone->compact_cached_free_pfn);
	if (cc->whole_zone || mpfn < start || mpfn > last)
		mpfn = start;
	if (cc->whole_zone || !fpfn || fpfn < start || fpfn > last)
		fpfn = last;
	cc->migrate_pfn = mpfn;
	cc->free_pfn = ALIGN_DOWN(fpfn, ZA_PAGEBLOCK_PAGES);
	if (mpfn == start && cc->free_pfn == last)
		cc->whole_zone = true;
}

static void za_compact_update_cached(struct za_compact_control *cc,
				     enum za_compact_result ret)
{
	struct za_zone *zone = cc->zone;
	bool sync = cc->mode != ZA_MIGRATE_ASYNC;
	unsigned long fpfn = cc->free_pfn;

	if (cc->ignore_skip_hint || za_scanners_met(cc))
		return;
	/* Blocks the free scanner gave back may be scanned again. */
	if (cc->max_free_pfn)
		fpfn = max(fpfn, ALIGN_DOWN(cc->max_free_pfn,
					    ZA_PAGEBLOCK_PAGES));
	WRITE_ONCE(zone->compact_cached_migrate_pfn[sync],
		   ALIGN_DOWN(cc->migrate_pfn, ZA_PAGEBLOCK_PAGES));
	if (!sync)
		WRITE_ONCE(zone->compact_cached_migrate_pfn[1],
			   max(READ_ONCE(zone->compact_cached_migrate_pfn[1]),
			       zone->start_pfn));
	WRITE_ONCE(zone->compact_cached_free_pfn, fpfn);
}

/* As compact_zone(). */
static enum za_compact_result __za_compact_zone(struct za_compact_control *cc)
{
	struct za_zone *zone = cc->zone;
	enum za_compact_result ret;
	unsigned int o;

	if (!READ_ONCE(cc->pool->migrate_ops))
		return ZA_COMPACT_SKIPPED;
	if (cc->order >= 0 && !cc->proactive && !cc->explicit_req) {
		ret = za_suit_allocation_order(zone, cc->order,
					       cc->highest_zoneidx,
					       cc->alloc_flags);
		if (ret != ZA_COMPACT_CONTINUE)
			return ret;
	}
	if (READ_ONCE(zone->compact_blockskip_flush) ||
	    (cc->order >= 0 && za_compaction_restarting(zone, cc->order)))
		za_reset_isolation_suitable(zone);

	/* Too big for the stack: a batch is 32 requests. */
	cc->src = kmalloc_array(ZA_COMPACT_CLUSTER_MAX, sizeof(*cc->src),
				(cc->mode == ZA_MIGRATE_ASYNC ? GFP_NOWAIT :
				 GFP_NOIO) | __GFP_NOWARN);
	if (!cc->src)
		return ZA_COMPACT_SKIPPED;
	for (o = 0; o <= ZA_MAX_ORDER; o++)
		INIT_LIST_HEAD(&cc->freepages[o]);
	za_compact_start_positions(cc);
	cc->init_free_pfn = zone->end_pfn - ZA_PAGEBLOCK_PAGES;
	cc->search_order = cc->order;
	trace_za_mm_compaction_begin(zone->start_pfn, cc->migrate_pfn, cc->free_pfn,
				     zone->end_pfn, cc->mode != ZA_MIGRATE_ASYNC,
				     ZA_COMPACT_CONTINUE);

	while ((ret = za_compact_finished(cc)) == ZA_COMPACT_CONTINUE) {
		trace_za_mm_compaction_finished(zone, cc->order, ret);
		switch (za_isolate_migratepages(cc)) {
		case ZA_ISOLATE_ABORT:
			continue;
		case ZA_ISOLATE_NONE:
			continue;
		case ZA_ISOLATE_SUCCESS:
			break;
		}
		/* Out of destinations means the scanners met or contention. */
		za_migrate_sources(cc);
		if (fatal_signal_pending(current))
			cc->contended = true;
		if (cc->mode != ZA_MIGRATE_ASYNC)
			cond_resched();
	}

	trace_za_mm_compaction_finished(zone, cc->order, ret);
	kfree(cc->src);
	cc->src = NULL;
	za_release_freepages(cc);
	za_compact_update_cached(cc, ret);
	trace_za_mm_compaction_end(zone->start_pfn, cc->migrate_pfn, cc->free_pfn,
				   zone->end_pfn, cc->mode != ZA_MIGRATE_ASYNC, ret);
	za_count_zone_events(zone, compact_migrate_scanned,
			     cc->migrate_scanned);
	za_count_zone_events(zone, compact_free_scanned, cc->free_scanned);
	za_count_zone_events(zone, compact_isolated, cc->isolated);
	return ret;
}

/*
 * The scanners keep descriptors across sleeps, so they run under the
 * pool's resize_sem (see pool.c); while a range is being added or given
 * back, compaction is skipped rather than waited for.
 */
static enum za_compact_result za_compact_zone(struct za_compact_control *cc)
{
	struct rw_semaphore *sem = &cc->pool->resize_sem;
	enum za_compact_result ret;

	if (!down_read_trylock(sem))
		return ZA_COMPACT_SKIPPED;
	ret = __za_compact_zone(cc);
	up_read(sem);
	return ret;
}

static void za_compact_control_init(struct za_compact_control *cc,
				    struct za_zone *zone, int order,
				    enum za_migrate_mode mode)
{
	memset(cc, 0, sizeof(*cc));
	cc->pool = zone->pool;
	cc->zone = zone;
	cc->order = order;
	cc->mode = mode;
	cc->alloc_flags = ZA_ALLOC_WMARK_MIN;
	cc->highest_zoneidx = zone->idx;
	cc->migratetype = ZA_MIGRATE_MOVABLE;
}

/**
 * za_try_to_compact_pages() - direct compaction for a failing allocation.
 * @pool: the pool.
 * @nid: the node the request prefers: its zonelist is walked.
 * @thisnode: the request may use @nid's zones only.
 * @order: the order wanted (above 0).
 * @alloc_flags: the request's ZA_ALLOC_* flags.
 * @highest_zoneidx: the highest zone it may use.
 * @mt: its migratetype.
 * @prio: how hard to try (see &enum za_compact_priority).
 * @result: the best outcome over the zones tried.
 *
 * As try_to_compact_pages() and compact_zone_order(): each zone up to
 * @highest_zoneidx, in the order of @nid's zonelist (its own zones from
 * the highest down, then the other nodes' by distance), that is not
 * deferred (deferral is ignored at %ZA_MIN_COMPACT_PRIORITY) is
 * compacted until a block of @order is free or captured; async at
 * %ZA_COMPACT_PRIO_ASYNC, sync-light otherwise, and at
 * %ZA_COMPACT_PRIO_SYNC_FULL over the whole zone ignoring the skip hints.
 * Sync failures defer the zone. The caller retries the free lists when
 * nothing was captured.
 *
 * Context: Process context; no pool lock held. Sleeps only if @prio is not
 * %ZA_COMPACT_PRIO_ASYNC.
 * Return: a captured block (state %ZA_PAGE_TAIL, @order set, off every
 * list, as za_rmqueue() returns it), or NULL.
 */
struct za_page *za_try_to_compact_pages(struct za_pool *pool, int nid,
					bool thisnode, unsigned int order,
					unsigned int alloc_flags,
					int highest_zoneidx, int mt,
					enum za_compact_priority prio,
					enum za_compact_result *result)
{
	enum za_migrate_mode mode = prio == ZA_COMPACT_PRIO_ASYNC ?
				    ZA_MIGRATE_ASYNC : ZA_MIGRATE_SYNC_LIGHT;
	struct za_compact_control cc;
	struct za_zone **zl;

	*result = ZA_COMPACT_SKIPPED;
	if (WARN_ON_ONCE(nid < 0 || nid >= pool->nr_nodes))
		return NULL;
	for (zl = za_first_zones_zonelist(pool, nid, highest_zoneidx,
					  thisnode);
	     zl; zl = za_next_zones_zonelist(zl + 1, nid, highest_zoneidx,
					     thisnode)) {
		struct za_zone *zone = *zl;
		enum za_compact_result status;

		if (prio > ZA_MIN_COMPACT_PRIORITY &&
		    za_compaction_deferred(zone, order)) {
			*result = max(*result, ZA_COMPACT_DEFERRED);
			continue;
		}
		za_compact_control_init(&cc, zone, order, mode);
		cc.alloc_flags = alloc_flags;
		cc.highest_zoneidx = highest_zoneidx;
		cc.migratetype = mt;
		cc.direct = true;
		cc.capture = true;
		cc.whole_zone = prio == ZA_MIN_COMPACT_PRIORITY;
		cc.ignore_skip_hint = prio == ZA_MIN_COMPACT_PRIORITY;
		status = za_compact_zone(&cc);
		*result = max(*result, status);
		if (cc.captured) {
			*result = ZA_COMPACT_SUCCESS;
			return cc.captured;
		}
		if (status == ZA_COMPACT_SUCCESS) {
			/* The caller's retry decides whether to fully reset. */
			za_compaction_defer_reset(zone, order, false);
			break;
		}
		if (prio != ZA_COMPACT_PRIO_ASYNC &&
		    (status == ZA_COMPACT_COMPLETE ||
		     status == ZA_COMPACT_PARTIAL_SKIPPED))
			za_defer_compaction(zone, order);
		if ((prio == ZA_COMPACT_PRIO_ASYNC && cc.contended) ||
		    fatal_signal_pending(current))
			break;
	}
	return NULL;
}
EXPORT_SYMBOL_IF_KUNIT(za_try_to_compact_pages);

/**
 * za_compact() - compact one zone or all, fully or for one order.
 * @pool: the pool.
 * @zone: a zone index, or -1 for every zone.
 * @order: compact until a free block of this order exists (0..10), or -1
 *	for a full compaction of the whole zone (as /proc/sys/vm/compact_memory:
 *	skip hints ignored).
 * @mode: %ZA_MIGRATE_ASYNC, %ZA_MIGRATE_SYNC_LIGHT or %ZA_MIGRATE_SYNC.
 * @migrated: if not NULL, set to the number of pages moved.
 *
 * Per-CPU lists are drained first so that cached pages can merge.
 *
 * Context: Process context; may sleep (also in async mode, for the drain
 * and between zones). No pool lock may be held.
 * Return: 0 when done (with @order >= 0: a block of @order is free);
 * -EINVAL for a bad argument; -EAGAIN when @order >= 0 and no block of that
 * order could be formed, or async compaction was contended; -EINTR on a
 * fatal signal.
 */
int za_compact(struct za_pool *pool, int zone, int order,
	       enum za_migrate_mode mode, unsigned long *migrated)
{
	struct za_compact_control cc;
	unsigned long total = 0;
	bool success = false, contended = false;
	struct za_zone *zn;

	if (migrated)
		*migrated = 0;
	if (!pool->ready || zone < -1 || zone >= ZA_NR_ZONES ||
	    order < -1 || order > ZA_MAX_ORDER || mode > ZA_MIGRATE_SYNC)
		return -EINVAL;
	might_sleep();
	za_pcp_drain_all(pool);

	for (zn = pool->zones; zn < za_pool_zones_end(pool); zn++) {
		enum za_compact_result ret;

		if ((zone >= 0 && zn->idx != zone) || !za_zone_populated(zn))
			continue;
		za_compact_control_init(&cc, zn, order, mode);
		cc.whole_zone = true;
		cc.ignore_skip_hint = true;
		if (order >= 0 &&
		    za_suit_allocation_order(zn, order, zn->idx, cc.alloc_flags) ==
		    ZA_COMPACT_SUCCESS) {
			success = true;
			break;
		}
		/* An explicit request skips the suitability rules. */
		cc.explicit_req = true;
		ret = za_compact_zone(&cc);
		total += cc.nr_migrated;
		contended |= cc.contended;
		if (ret == ZA_COMPACT_SUCCESS) {
			success = true;
			if (order >= 0)
				break;
		}
		if (fatal_signal_pending(current))
			break;
	}
	if (migrated)
		*migrated = total;
	if (fatal_signal_pending(current))
		return -EINTR;
	if (order >= 0 && !success)
		return -EAGAIN;
	if (order < 0 && contended)
		return -EAGAIN;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(za_compact);

static bool za_kcompactd_work_requested(struct za_kcompactd *kcd)
{
	return kthread_should_stop() || READ_ONCE(kcd->request);
}

/*
 * defrag_mode's target, as 6.15's kcompactd: a request of pageblock order
 * or more is met only when the zone's free pageblocks alone reach its high
 * watermark.
 */
static bool za_kcompactd_defrag(struct za_zone *zone, int order)
{
	return READ_ONCE(za_defrag_mode) && order >= ZA_PAGEBLOCK_ORDER &&
	       za_zone_free_block_pages(zone) <
	       zone->watermark[ZA_WMARK_HIGH] + READ_ONCE(zone->watermark_boost);
}

/*
 * Compact a zone below its pageblock target: the whole zone, skip hints
 * ignored, unless deferred or short of free memory. A run that leaves the
 * target unmet drains the per-CPU lists and defers, as a failed run does.
 */
static void za_kcompactd_defrag_zone(struct za_zone *zone)
{
	struct za_compact_control cc;

	if (za_compaction_deferred(zone, ZA_PAGEBLOCK_ORDER) ||
	    !__za_compaction_suitable(zone, ZA_PAGEBLOCK_ORDER, zone->idx) ||
	    kthread_should_stop())
		return;
	za_compact_control_init(&cc, zone, -1, ZA_MIGRATE_SYNC_LIGHT);
	cc.whole_zone = true;
	cc.ignore_skip_hint = true;
	za_compact_zone(&cc);
	if (za_kcompactd_defrag(zone, ZA_PAGEBLOCK_ORDER)) {
		za_pcp_drain_all(zone->pool);
		za_defer_compaction(zone, ZA_PAGEBLOCK_ORDER);
	} else {
		za_compaction_defer_reset(zone, ZA_PAGEBLOCK_ORDER, false);
	}
}

/* As kcompactd_do_work(): compact for the highest order asked for. */
static void za_kcompactd_do_work(struct za_kcompactd *kcd)
{
	struct za_pool *pool = kcd->pool;
	struct za_compact_control cc;
	unsigned int req = xchg(&kcd->request, 0);
	int order = ZA_KCD_ORDER(req);
	int highest = ZA_KCD_ZONE(req);
	struct za_zone *zone;

	atomic_inc(&kcd->runs);
	trace_za_mm_compaction_kcompactd_wake(kcd->nid, order, highest);
	for (zone = pool->zones; zone < za_pool_zones_end(pool); zone++) {
		enum za_compact_result status;

		if (order <= 0 || zone->node != kcd->nid ||
		    zone->idx > highest || !za_zone_populated(zone))
			continue;
		if (za_kcompactd_defrag(zone, order)) {
			za_kcompactd_defrag_zone(zone);
			continue;
		}
		if (za_compaction_deferred(zone, order))
			continue;
		if (za_suit_allocation_order(zone, order, zone->idx,
					     ZA_ALLOC_WMARK_MIN) !=
		    ZA_COMPACT_CONTINUE)
			continue;
		if (kthread_should_stop())
			return;
		za_compact_control_init(&cc, zone, order,
					ZA_MIGRATE_SYNC_LIGHT);
		status = za_compact_zone(&cc);
		if (status == ZA_COMPACT_SUCCESS) {
			za_compaction_defer_reset(zone, order, false);
		} else if (status == ZA_COMPACT_PARTIAL_SKIPPED ||
			 status == ZA_COMPACT_COMPLETE) {
			/*
			 * Free pages held on per-CPU lists may be what keeps
			 * a block of @order from forming: drain them before
			 * deferring (the deferral rate-limits the drains).
			 */
			za_pcp_drain_all(pool);
			za_defer_compaction(zone, order);
		}
	}
}

/*
 * As kcompactd_node_suitable(): may compaction make a block of @order in
 * some zone of node @nid up to @highest? Zones that already have one, or
 * too little free memory, do not count.
 */
static bool za_kcompactd_node_suitable(struct za_pool *pool, int nid,
				       unsigned int order, int highest)
{
	struct za_zone *zone;

	for (zone = pool->zones; zone < za_pool_zones_end(pool); zone++) {
		if (zone->node != nid || zone->idx > highest ||
		    !za_zone_populated(zone))
			continue;
		if (za_kcompactd_defrag(zone, order) &&
		    __za_compaction_suitable(zone, ZA_PAGEBLOCK_ORDER, highest))
			return true;
		if (za_suit_allocation_order(zone, order, highest,
					     ZA_ALLOC_WMARK_MIN) ==
		    ZA_COMPACT_CONTINUE)
			return true;
	}
	return false;
}

/* As should_proactive_compact_node(). */
static bool za_should_proactive_compact(struct za_pool *pool, int nid)
{
	if (!READ_ONCE(za_compaction_proactiveness))
		return false;
	return za_fragmentation_score_node(pool, nid) >
	       za_fragmentation_score_wmark(false);
}

/* As proactive_compact_node(). */
static void za_proactive_compact(struct za_pool *pool, int nid)
{
	struct za_compact_control cc;
	struct za_zone *zone;

	for (zone = pool->zones; zone < za_pool_zones_end(pool); zone++) {
		if (zone->node != nid || !za_zone_populated(zone) ||
		    kthread_should_stop())
			continue;
		za_compact_control_init(&cc, zone, -1, ZA_MIGRATE_SYNC_LIGHT);
		cc.ignore_skip_hint = true;
		cc.whole_zone = true;
		cc.proactive = true;
		za_compact_zone(&cc);
	}
}

static int za_kcompactd(void *data)
{
	struct za_kcompactd *kcd = data;
	long timeout = msecs_to_jiffies(ZA_KCOMPACTD_INTERVAL_MS);

	while (!kthread_should_stop()) {
		unsigned int prev, score;
		long ret;

		trace_za_mm_compaction_kcompactd_sleep(kcd->nid);
		ret = wait_event_interruptible_timeout(kcd->wait,
						       za_kcompactd_work_requested(kcd),
						       timeout);
		if (kthread_should_stop())
			break;
		if (!ret && za_should_proactive_compact(kcd->pool, kcd->nid)) {
			if (kcd->proactive_defer) {
				kcd->proactive_defer--;
				continue;
			}
			prev = za_fragmentation_score_node(kcd->pool, kcd->nid);
			za_proactive_compact(kcd->pool, kcd->nid);
			score = za_fragmentation_score_node(kcd->pool, kcd->nid);
			/* Nothing gained: back off, as the kernel does. */
			kcd->proactive_defer = score < prev ? 0 :
					       1U << ZA_COMPACT_MAX_DEFER_SHIFT;
		}
		if (READ_ONCE(kcd->request))
			za_kcompactd_do_work(kcd);
	}
	return 0;
}

/*
 * Does node @nid of @pool get a thread? As kcompactd_run() for the nodes
 * with memory: those with pool memory now, and the kernel's nodes with
 * memory, which an elastic pool may grow onto.
 */
static bool za_kcompactd_node_wanted(struct za_pool *pool, int nid)
{
	return za_pool_node_populated(pool, nid) ||
	       (nid < MAX_NUMNODES && node_state(nid, N_MEMORY));
}

/**
 * za_kcompactd_run() - start a pool's background compaction threads, one
 *	per node with memory.
 * @pool: a pool that has been set up.
 *
 * Each thread ("za_kcompactd<node>") compacts its node's zones when woken
 * by za_wakeup_kcompactd() after a high-order allocation failed, and every
 * 500 ms checks its node's fragmentation score for proactive compaction
 * (tunable compaction_proactiveness).
 *
 * Context: Process context; may sleep.
 * Return: 0 (also if already running) or a negative errno.
 */
int za_kcompactd_run(struct za_pool *pool)
{
	struct za_kcompactd *kcds;
	int nid;

	if (pool->kcompactd)
		return 0;
	kcds = kcalloc(pool->nr_nodes, sizeof(*kcds), GFP_KERNEL);
	if (!kcds)
		return -ENOMEM;
	for (nid = 0; nid < pool->nr_nodes; nid++) {
		struct za_kcompactd *kcd = &kcds[nid];
		struct task_struct *task;

		init_waitqueue_head(&kcd->wait);
		kcd->pool = pool;
		kcd->nid = nid;
		if (!za_kcompactd_node_wanted(pool, nid))
			continue;
		task = kthread_create_on_node(za_kcompactd, kcd,
					      nid < MAX_NUMNODES &&
					      node_online(nid) ? nid :
					      NUMA_NO_NODE,
					      "za_kcompactd%d", nid);
		if (IS_ERR(task)) {
			while (nid--)
				if (kcds[nid].task)
					kthread_stop(kcds[nid].task);
			kfree(kcds);
			return PTR_ERR(task);
		}
		kcd->task = task;
	}
	WRITE_ONCE(pool->kcompactd, kcds);
	for (nid = 0; nid < pool->nr_nodes; nid++)
		if (kcds[nid].task)
			wake_up_process(kcds[nid].task);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(za_kcompactd_run);

/**
 * za_kcompactd_stop() - stop a pool's compaction threads, if they run.
 * @pool: the pool, or NULL.
 *
 * Context: Process context; sleeps until the threads have exited. No
 * allocation from @pool may run concurrently.
 */
void za_kcompactd_stop(struct za_pool *pool)
{
	struct za_kcompactd *kcds = pool ? pool->kcompactd : NULL;
	int nid;

	if (!kcds)
		return;
	for (nid = 0; nid < pool->nr_nodes; nid++)
		if (kcds[nid].task)
			kthread_stop(kcds[nid].task);
	WRITE_ONCE(pool->kcompactd, NULL);
	kfree(kcds);
}
EXPORT_SYMBOL_IF_KUNIT(za_kcompactd_stop);

/* Record a request on one node's thread and wake it if it may help. */
static void za_wakeup_kcompactd_node(struct za_kcompactd *kcd,
				     unsigned int order, int highest_zoneidx)
{
	unsigned int old, new;

	old = READ_ONCE(kcd->request);
	do {
		unsigned int zone = highest_zoneidx;

		/* No request pending (order 0): the zone is this one's. */
		if (ZA_KCD_ORDER(old))
			zone = min_t(unsigned int, ZA_KCD_ZONE(old), zone);
		new = ZA_KCD_REQUEST(max_t(unsigned int, ZA_KCD_ORDER(old), order),
				     zone);
		if (new == old)
			break;
	} while (!try_cmpxchg(&kcd->request, &old, new));
	if (!wq_has_sleeper(&kcd->wait))
		return;
	if (!za_kcompactd_node_suitable(kcd->pool, kcd->nid,
					ZA_KCD_ORDER(new), ZA_KCD_ZONE(new)))
		return;
	trace_za_mm_compaction_wakeup_kcompactd(kcd->nid, order,
						highest_zoneidx);
	atomic_inc(&kcd->wakeups);
	wake_up_interruptible(&kcd->wait);
}

/**
 * za_wakeup_kcompactd() - ask the pool's kcompactd threads to compact for
 *	@order.
 * @pool: the pool.
 * @order: the order an allocation failed for; 0 does nothing.
 * @highest_zoneidx: the highest zone the allocation could use.
 *
 * As 6.12's wakeup_kcompactd(), for the thread of every node, as the
 * kernel wakes the kswapd (and so the kcompactd) of each node of the
 * zonelist: the request is recorded (the highest order, the lowest zone
 * index), and a thread is woken only if it sleeps and compaction may help
 * some zone of its node (za_kcompactd_node_suitable()). Does nothing for
 * a pool without the threads.
 *
 * Context: Any context.
 */
void za_wakeup_kcompactd(struct za_pool *pool, unsigned int order,
			 int highest_zoneidx)
{
	struct za_kcompactd *kcds = READ_ONCE(pool->kcompactd);
	int nid;

	if (!kcds || !order)
		return;
	if (WARN_ON_ONCE(highest_zoneidx < 0 || highest_zoneidx >= ZA_NR_ZONES ||
			 order > ZA_MAX_ORDER))
		return;
	for (nid = 0; nid < pool->nr_nodes; nid++)
		if (kcds[nid].task)
			za_wakeup_kcompactd_node(&kcds[nid], order,
						 highest_zoneidx);
}
EXPORT_SYMBOL_IF_KUNIT(za_wakeup_kcompactd);

#if IS_ENABLED(CONFIG_KUNIT)
/**
 * za_kcompactd_state() - what KUnit sees of a pool's node-0 kcompactd.
 * @pool: a pool whose thread runs (a warning and false otherwise, the
 *	outputs unset).
 * @order: set to the order of the pending request (0 for none).
 * @zone: set to its zone index.
 * @wakeups: set to the wakeups so far.
 * @runs: set to the requests the thread took so far.
 *
 * Context: Any context; a snapshot.
 * Return: true if the thread sleeps waiting for a request.
 */
bool za_kcompactd_state(struct za_pool *pool, unsigned int *order,
			unsigned int *zone, unsigned int *wakeups,
			unsigned int *runs)
{
	struct za_kcompactd *kcd = READ_ONCE(pool->kcompactd);
	unsigned int req;

	if (WARN_ON_ONCE(!kcd))
		return false;
	req = READ_ONCE(kcd->request);
	*order = ZA_KCD_ORDER(req);
	*zone = ZA_KCD_ZONE(req);
	*wakeups = atomic_read(&kcd->wakeups);
	*runs = atomic_read(&kcd->runs);
	return wq_has_sleeper(&kcd->wait);
}
EXPORT_SYMBOL_IF_KUNIT(za_kcompactd_state);
#endif
