// SPDX-License-Identifier: GPL-2.0
/*
 * The buddy allocator proper: free lists per order and migratetype, split
 * and coalesce, migratetype fallback with pageblock stealing, the
 * high-order atomic reserve and pageblock isolation. Modelled on
 * mm/page_alloc.c and mm/page_isolation.c of Linux 6.12.
 *
 * Everything that reads or changes free lists, free counts or pageblock
 * types runs under the zone lock and asserts it with lockdep; the callers
 * (alloc.c, pcp.c, pool.c, compaction.c, contig.c) take it with
 * interrupts disabled. Three exceptions: za_get_pageblock_mt() is a
 * lockless read, and za_isolate_range() and za_undo_isolate_range() take
 * the zone lock of each pageblock themselves.
 */

#include <linux/lockdep.h>
#include <linux/math.h>
#include <linux/module.h>
#include <kunit/visibility.h>

#include "buddy.h"
#include "gfp.h"
#include "trace.h"
#include "vmstat.h"

/* As the kernel's fallbacks[]: which free lists to raid, in order. */
static const int za_fallbacks[ZA_MIGRATE_PCPTYPES][ZA_MIGRATE_PCPTYPES - 1] = {
	[ZA_MIGRATE_UNMOVABLE]   = { ZA_MIGRATE_RECLAIMABLE, ZA_MIGRATE_MOVABLE },
	[ZA_MIGRATE_MOVABLE]     = { ZA_MIGRATE_RECLAIMABLE, ZA_MIGRATE_UNMOVABLE },
	[ZA_MIGRATE_RECLAIMABLE] = { ZA_MIGRATE_UNMOVABLE, ZA_MIGRATE_MOVABLE },
};

/*
 * Ranges are pageblock-aligned and their descriptors contiguous, so the
 * first descriptor of a page's pageblock is a fixed distance back.
 */
static struct za_page *za_pageblock_head(const struct za_page *zp)
{
	return (struct za_page *)zp - (zp->pfn & (ZA_PAGEBLOCK_PAGES - 1));
}

/**
 * za_get_pageblock_mt() - the migratetype of a page's pageblock.
 * @zp: any page of the pageblock.
 *
 * Context: Any context; stable only under the zone lock.
 * Return: an &enum za_migratetype.
 */
int za_get_pageblock_mt(const struct za_page *zp)
{
	return READ_ONCE(za_pageblock_head(zp)->pb_mt);
}
EXPORT_SYMBOL_IF_KUNIT(za_get_pageblock_mt);

/**
 * za_set_pageblock_mt() - set the migratetype of a page's pageblock.
 * @zone: the zone of @zp.
 * @zp: any page of the pageblock.
 * @mt: the new &enum za_migratetype.
 *
 * Context: zone->lock held.
 */
void za_set_pageblock_mt(struct za_zone *zone, struct za_page *zp, int mt)
{
	lockdep_assert_held(&zone->lock);
	WRITE_ONCE(za_pageblock_head(zp)->pb_mt, mt);
}
EXPORT_SYMBOL_IF_KUNIT(za_set_pageblock_mt);

/* A block of order >= pageblock order: set every pageblock it spans. */
static void za_change_pageblock_range(struct za_zone *zone,
				      struct za_page *zp, unsigned int order,
				      int mt)
{
	unsigned long i;

	for (i = 0; i < max(1UL << order, ZA_PAGEBLOCK_PAGES);
	     i += ZA_PAGEBLOCK_PAGES)
		za_set_pageblock_mt(zone, zp + i, mt);
}

static void za_account_freepages(struct za_zone *zone, long nr, int mt)
{
	lockdep_assert_held(&zone->lock);

	if (mt == ZA_MIGRATE_ISOLATE)
		return;
	zone->free_pages += nr;
	if (mt == ZA_MIGRATE_HIGHATOMIC)
		zone->nr_free_highatomic += nr;
}

static void za_add_to_free_list(struct za_zone *zone, struct za_page *zp,
				unsigned int order, int mt, bool tail)
{
	struct za_free_area *area = &zone->free_area[order];

	lockdep_assert_held(&zone->lock);
	WARN_ON_ONCE(za_get_pageblock_mt(zp) != mt);
	za_page_set_free(zp, order, mt);
	if (tail)
		list_add_tail(&zp->lru, &area->free_list[mt]);
	else
		list_add(&zp->lru, &area->free_list[mt]);
	area->nr_free++;
}

static void za_move_to_free_list(struct za_zone *zone, struct za_page *zp,
				 unsigned int order, int old_mt, int new_mt)
{
	struct za_free_area *area = &zone->free_area[order];

	list_move_tail(&zp->lru, &area->free_list[new_mt]);
	za_page_set_mt(zp, new_mt);
	za_account_freepages(zone, -(1L << order), old_mt);
	za_account_freepages(zone, 1L << order, new_mt);
}

/* Off the list; the caller decides what the head becomes. */
static void __za_del_from_free_list(struct za_zone *zone, struct za_page *zp,
				    unsigned int order)
{
	lockdep_assert_held(&zone->lock);
	list_del(&zp->lru);
	za_page_set_tail(zp);
	zone->free_area[order].nr_free--;
}

static void za_del_from_free_list(struct za_zone *zone, struct za_page *zp,
				  unsigned int order, int mt)
{
	__za_del_from_free_list(zone, zp, order);
	za_account_freepages(zone, -(1L << order), mt);
}

/* Split a block of order @high down to @low, freeing the upper halves. */
static unsigned long za_expand(struct za_zone *zone, struct za_page *zp,
			       unsigned int low, unsigned int high, int mt)
{
	unsigned long size = 1UL << high;
	unsigned long nr_added = 0;

	while (high > low) {
		high--;
		size >>= 1;
		za_add_to_free_list(zone, &zp[size], high, mt, false);
		nr_added += size;
	}
	za_page_set_order(zp, low);
	return nr_added;
}

static void za_del_and_expand(struct za_zone *zone, struct za_page *zp,
			      unsigned int low, unsigned int high, int mt)
{
	long nr = 1L << high;

	__za_del_from_free_list(zone, zp, high);
	nr -= za_expand(zone, zp, low, high, mt);
	za_account_freepages(zone, -nr, mt);
}

static struct za_page *za_first_free(struct za_zone *zone, unsigned int order,
				     int mt)
{
	return list_first_entry_or_null(&zone->free_area[order].free_list[mt],
					struct za_page, lru);
}

static struct za_page *za_rmqueue_smallest(struct za_zone *zone,
					   unsigned int order, int mt)
{
	unsigned int o;
	struct za_page *zp;

	for (o = order; o <= ZA_MAX_ORDER; o++) {
		zp = za_first_free(zone, o, mt);
		if (!zp)
			continue;
		za_del_and_expand(zone, zp, order, o, mt);
		trace_za_mm_page_alloc_zone_locked(zp, order, mt);
		return zp;
	}
	return NULL;
}

/* Move the free blocks of one pageblock to @new_mt's lists and retype it. */
static unsigned long __za_move_freepages_block(struct za_zone *zone,
					       struct za_page *head,
					       int old_mt, int new_mt)
{
	unsigned long i = 0, moved = 0;

	lockdep_assert_held(&zone->lock);
	while (i < ZA_PAGEBLOCK_PAGES) {
		struct za_page *zp = head + i;

		if (za_page_state(zp) != ZA_PAGE_FREE) {
			i++;
			continue;
		}
		za_move_to_free_list(zone, zp, zp->order, old_mt, new_mt);
		i += 1UL << zp->order;
		moved += 1UL << zp->order;
	}
	za_set_pageblock_mt(zone, head, new_mt);
	return moved;
}

/**
 * za_move_freepages_block() - retype a pageblock and move its free pages.
 * @zone: the zone of @zp.
 * @zp: any page of the pageblock.
 * @old_mt: its current migratetype.
 * @new_mt: the new one.
 *
 * The pageblock must not be covered by a free block of a higher order than
 * a pageblock; callers split such blocks first.
 *
 * Context: zone->lock held.
 * Return: the number of free pages moved.
 */
int za_move_freepages_block(struct za_zone *zone, struct za_page *zp,
			    int old_mt, int new_mt)
{
	lockdep_assert_held(&zone->lock);
	return __za_move_freepages_block(zone, za_pageblock_head(zp), old_mt,
					 new_mt);
}
EXPORT_SYMBOL_IF_KUNIT(za_move_freepages_block);

/**
 * za_take_free_block() - take one given free block off the free lists.
 * @zone: its zone.
 * @zp: the head of a free block (state %ZA_PAGE_FREE).
 *
 * As __isolate_free_page() without the watermark check, for compaction's
 * free scanner, capture and contiguous allocation. The head is left with
 * state %ZA_PAGE_TAIL and its order; the caller decides what it becomes.
 *
 * Context: zone->lock held.
 * Return: the order of the block.
 */
unsigned int za_take_free_block(struct za_zone *zone, struct za_page *zp)
{
	unsigned int order = zp->order;

	lockdep_assert_held(&zone->lock);
	za_del_from_free_list(zone, zp, order, zp->mt);
	return order;
}
EXPORT_SYMBOL_IF_KUNIT(za_take_free_block);

/* Count free pages and movable allocated pages in a pageblock. */
static void za_count_pageblock(struct za_page *head, unsigned long *nr_free,
			       unsigned long *nr_movable)
{
	unsigned long i = 0;

	*nr_free = 0;
	*nr_movable = 0;
	while (i < ZA_PAGEBLOCK_PAGES) {
		struct za_page *zp = head + i;
		unsigned long nr = 1UL << zp->order;

		switch (za_page_state(zp)) {
		case ZA_PAGE_FREE:
			*nr_free += nr;
			i += nr;
			break;
		case ZA_PAGE_ALLOC:
			if (zp->mt == ZA_MIGRATE_MOVABLE)
				*nr_movable += min(nr, ZA_PAGEBLOCK_PAGES - i);
			i += nr;
			break;
		case ZA_PAGE_PCP:
			i += nr;
			break;
		default:
			i++;
		}
	}
}

/* As can_steal_fallback(). */
static bool za_can_steal_fallback(unsigned int order, int start_mt)
{
	if (order >= ZA_PAGEBLOCK_ORDER)
		return true;
	return order >= ZA_PAGEBLOCK_ORDER / 2 ||
	       start_mt == ZA_MIGRATE_RECLAIMABLE ||
	       start_mt == ZA_MIGRATE_UNMOVABLE;
}

/* As find_suitable_fallback() without only_stealable. */
static int za_find_suitable_fallback(struct za_zone *zone, unsigned int order,
				     int mt, bool *can_steal)
{
	int i, fallback_mt;

	if (!zone->free_area[order].nr_free)
		return -1;
	*can_steal = false;
	for (i = 0; i < ZA_MIGRATE_PCPTYPES - 1; i++) {
		fallback_mt = za_fallbacks[mt][i];
		if (list_empty(&zone->free_area[order].free_list[fallback_mt]))
			continue;
		if (za_can_steal_fallback(order, mt))
			*can_steal = true;
		return fallback_mt;
	}
	return -1;
}

/*
 * As boost_watermark(): a fallback that splits a pageblock raises the
 * zone's watermarks by a pageblock, up to watermark_boost_factor of the
 * high mark, so that pressure builds before the next one.
 */
static void za_boost_watermark(struct za_zone *zone)
{
	unsigned long max_boost;
	int factor = zone->pool->watermark_boost_factor;

	lockdep_assert_held(&zone->lock);
	if (factor <= 0 || ZA_PAGEBLOCK_PAGES * 4 > zone->managed_pages)
		return;
	max_boost = mult_frac(zone->watermark[ZA_WMARK_HIGH], factor, 10000);
	if (!max_boost)
		return;
	max_boost = max(ZA_PAGEBLOCK_PAGES, max_boost);
	WRITE_ONCE(zone->watermark_boost,
		   min(zone->watermark_boost + ZA_PAGEBLOCK_PAGES, max_boost));
}

/*
 * kswapd clears the boost once the zone is balanced at high + boost; the
 * module has no kswapd, so frees clear it when the zone gets there.
 */
static void za_maybe_clear_boost(struct za_zone *zone)
{
	lockdep_assert_held(&zone->lock);
	if (zone->watermark_boost &&
	    zone->free_pages >= zone->watermark[ZA_WMARK_HIGH] +
				zone->watermark_boost)
		WRITE_ONCE(zone->watermark_boost, 0);
}

/* As try_to_steal_block(). */
static struct za_page *za_try_to_steal_block(struct za_zone *zone,
					     struct za_page *zp,
					     unsigned int current_order,
					     unsigned int order, int start_mt)
{
	unsigned long nr_free, nr_movable, alike;
	struct za_page *head;
	int block_mt = za_get_pageblock_mt(zp);

	if (block_mt == ZA_MIGRATE_HIGHATOMIC)
		return NULL;

	if (current_order >= ZA_PAGEBLOCK_ORDER) {
		long nr = 1L << current_order;

		__za_del_from_free_list(zone, zp, current_order);
		za_account_freepages(zone, -nr, block_mt);
		za_change_pageblock_range(zone, zp, current_order, start_mt);
		nr = za_expand(zone, zp, order, current_order, start_mt);
		za_account_freepages(zone, nr, start_mt);
		za_count_zone_event(zone, steals);
		return zp;
	}

	za_boost_watermark(zone);
	head = za_pageblock_head(zp);
	za_count_pageblock(head, &nr_free, &nr_movable);
	if (start_mt == ZA_MIGRATE_MOVABLE)
		alike = nr_movable;
	else if (block_mt == ZA_MIGRATE_MOVABLE)
		alike = ZA_PAGEBLOCK_PAGES - (nr_free + nr_movable);
	else
		alike = 0;

	if (nr_free + alike >= (1UL << (ZA_PAGEBLOCK_ORDER - 1))) {
		__za_move_freepages_block(zone, head, block_mt, start_mt);
		za_count_zone_event(zone, steals);
		/* Pages of the old type stay behind in the claimed block. */
		if (nr_free + alike < ZA_PAGEBLOCK_PAGES)
			za_count_zone_event(zone, fallback_pollution);
		return za_rmqueue_smallest(zone, order, start_mt);
	}
	return NULL;
}

/*
 * As __rmqueue_claim(): largest fallback block first, claim its block.
 * With ZA_ALLOC_NOFRAGMENT only whole pageblocks (or larger) are taken,
 * so no pageblock ends up holding two types; the caller tries the other
 * zones, then retries without the flag.
 */
static struct za_page *za_rmqueue_claim(struct za_zone *zone,
					unsigned int order, int start_mt,
					unsigned int alloc_flags)
{
	int o, fallback_mt, min_order = order;
	struct za_page *zp;
	bool can_steal;

	if (order < ZA_PAGEBLOCK_ORDER && (alloc_flags & ZA_ALLOC_NOFRAGMENT))
		min_order = ZA_PAGEBLOCK_ORDER;

	for (o = ZA_MAX_ORDER; o >= min_order; o--) {
		fallback_mt = za_find_suitable_fallback(zone, o, start_mt,
							&can_steal);
		if (fallback_mt == -1)
			continue;
		if (!can_steal)
			break;
		zp = za_first_free(zone, o, fallback_mt);
		zp = za_try_to_steal_block(zone, zp, o, order, start_mt);
		if (zp) {
			trace_za_mm_page_alloc_extfrag(zp, order, o, start_mt, fallback_mt);
			return zp;
		}
	}
	return NULL;
}

/* As __rmqueue_steal(): take one block, leave its pageblock's type alone. */
static struct za_page *za_rmqueue_steal(struct za_zone *zone,
					unsigned int order, int start_mt)
{
	struct za_page *zp;
	bool can_steal;
	unsigned int o;
	int fallback_mt;

	for (o = order; o <= ZA_MAX_ORDER; o++) {
		fallback_mt = za_find_suitable_fallback(zone, o, start_mt,
							&can_steal);
		if (fallback_mt == -1)
			continue;
		zp = za_first_free(zone, o, fallback_mt);
		za_del_and_expand(zone, zp, order, o, fallback_mt);
		trace_za_mm_page_alloc_extfrag(zp, order, o, start_mt, fallback_mt);
		/* A block of @start_mt in a pageblock of another type. */
		za_count_zone_event(zone, fallback_pollution);
		return zp;
	}
	return NULL;
}

/**
 * za_rmqueue() - take a free block of @order off the zone's lists.
 * @zone: the zone.
 * @order: the order wanted.
 * @mt: the migratetype wanted (a PCP type).
 * @alloc_flags: ZA_ALLOC_* flags; HIGHATOMIC and NON_BLOCK open the
 *	highatomic reserve as in rmqueue_buddy(); NOFRAGMENT restricts the
 *	fallback to whole pageblocks, as __rmqueue().
 *
 * The head returned has state %ZA_PAGE_TAIL and @order set; the caller
 * marks it allocated or puts it on a PCP list.
 *
 * Context: zone->lock held.
 * Return: the head of the block, or NULL.
 */
struct za_page *za_rmqueue(struct za_zone *zone, unsigned int order, int mt,
			   unsigned int alloc_flags)
{
	struct za_page *zp = NULL;

	lockdep_assert_held(&zone->lock);

	if (alloc_flags & ZA_ALLOC_HIGHATOMIC)
		zp = za_rmqueue_smallest(zone, order, ZA_MIGRATE_HIGHATOMIC);
	if (!zp)
		zp = za_rmqueue_smallest(zone, order, mt);
	if (!zp) {
		zp = za_rmqueue_claim(zone, order, mt, alloc_flags);
		if (!zp && !(alloc_flags & ZA_ALLOC_NOFRAGMENT))
			zp = za_rmqueue_steal(zone, order, mt);
		if (zp)
			za_count_zone_event(zone, fallbacks);
	}
	if (!zp && (alloc_flags & ZA_ALLOC_NON_BLOCK))
		zp = za_rmqueue_smallest(zone, order, ZA_MIGRATE_HIGHATOMIC);
	return zp;
}
EXPORT_SYMBOL_IF_KUNIT(za_rmqueue);

/**
 * za_free_one_page() - put a block back and coalesce it with its buddies.
 * @zone: its zone.
 * @zp: the head of the block; not on any list.
 * @order: its order.
 * @mt: the migratetype of its pageblock.
 *
 * As __free_one_page(): at pageblock order and above, a highatomic or
 * isolated block does not merge with a block of another type.
 *
 * Context: zone->lock held.
 */
void za_free_one_page(struct za_zone *zone, struct za_page *zp,
		      unsigned int order, int mt)
{
	struct za_pool *pool = zone->pool;
	unsigned long pfn = zp->pfn;

	lockdep_assert_held(&zone->lock);
	if (WARN_ON_ONCE(pfn & ((1UL << order) - 1)))
		return;

	/*
	 * As split_large_buddy(): a block larger than a pageblock may span
	 * pageblocks of different types, one of them isolated, say, while
	 * the block was allocated. Each pageblock then goes to its own list.
	 */
	if (order > ZA_PAGEBLOCK_ORDER) {
		unsigned long i;
		bool mixed = false;

		for (i = ZA_PAGEBLOCK_PAGES; i < (1UL << order); i += ZA_PAGEBLOCK_PAGES)
			if (za_get_pageblock_mt(za_pfn_to_page(pool, pfn + i)) != mt)
				mixed = true;
		if (mixed) {
			for (i = 0; i < (1UL << order); i += ZA_PAGEBLOCK_PAGES) {
				struct za_page *pb = za_pfn_to_page(pool, pfn + i);

				za_free_one_page(zone, pb, ZA_PAGEBLOCK_ORDER,
						 za_get_pageblock_mt(pb));
			}
			return;
		}
	}

	za_account_freepages(zone, 1L << order, mt);
	while (order < ZA_MAX_ORDER) {
		unsigned long buddy_pfn = pfn ^ (1UL << order);
		struct za_page *buddy;
		int buddy_mt = mt;

		/*
		 * Below pageblock order the buddy is in the same pageblock,
		 * whose descriptors are contiguous: no range lookup.
		 */
		if (order < ZA_PAGEBLOCK_ORDER)
			buddy = zp + ((long)buddy_pfn - (long)pfn);
		else
			buddy = za_pfn_to_page(pool, buddy_pfn);

		if (!buddy || buddy->zone != za_zone_id(zone) ||
		    !za_page_is_free_order(buddy, order))
			break;
		if (order >= ZA_PAGEBLOCK_ORDER) {
			buddy_mt = za_get_pageblock_mt(buddy);
			if (mt != buddy_mt &&
			    (!za_mt_mergeable(mt) || !za_mt_mergeable(buddy_mt)))
				break;
		}
		__za_del_from_free_list(zone, buddy, order);
		if (buddy_mt != mt)
			za_change_pageblock_range(zone, buddy, order, mt);
		if (buddy_pfn < pfn) {
			za_page_set_tail(zp);
			zp = buddy;
			pfn = buddy_pfn;
		}
		order++;
	}
	za_add_to_free_list(zone, zp, order, mt, false);
	za_maybe_clear_boost(zone);
}
EXPORT_SYMBOL_IF_KUNIT(za_free_one_page);

/**
 * za_reserve_highatomic_pageblock() - reserve the pageblock(s) of a
 *	successful high-order atomic allocation for future ones.
 * @zone: the zone of @zp.
 * @zp: head of the block just allocated.
 * @order: its order.
 *
 * As reserve_highatomic_pageblock(): at most about 1% of the zone, and
 * nothing in a zone whose 1% is below a pageblock.
 *
 * Context: zone->lock held.
 */
void za_reserve_highatomic_pageblock(struct za_zone *zone,
				     struct za_page *zp, unsigned int order)
{
	unsigned long max_managed;
	int mt;

	lockdep_assert_held(&zone->lock);

	if (zone->managed_pages / 100 < ZA_PAGEBLOCK_PAGES)
		return;
	max_managed = ALIGN(zone->managed_pages / 100, ZA_PAGEBLOCK_PAGES);
	if (zone->nr_reserved_highatomic >= max_managed)
		return;

	mt = za_get_pageblock_mt(zp);
	if (!za_mt_mergeable(mt))
		return;

	if (order < ZA_PAGEBLOCK_ORDER) {
		za_move_freepages_block(zone, zp, mt, ZA_MIGRATE_HIGHATOMIC);
		zone->nr_reserved_highatomic += ZA_PAGEBLOCK_PAGES;
	} else {
		za_change_pageblock_range(zone, zp, order,
					  ZA_MIGRATE_HIGHATOMIC);
		zone->nr_reserved_highatomic += 1UL << order;
	}
	za_count_zone_event(zone, highatomic_reserved);
}
EXPORT_SYMBOL_IF_KUNIT(za_reserve_highatomic_pageblock);

/**
 * za_unreserve_highatomic_pageblock() - give one highatomic pageblock back.
 * @zone: the zone.
 * @mt: the migratetype to convert it to (the failing request's).
 * @force: also release the last reserved pageblock.
 *
 * As unreserve_highatomic_pageblock(), for one zone.
 *
 * Context: zone->lock held.
 * Return: true if a pageblock with free pages was converted.
 */
bool za_unreserve_highatomic_pageblock(struct za_zone *zone, int mt,
				       bool force)
{
	unsigned int order;

	lockdep_assert_held(&zone->lock);

	if (!force && zone->nr_reserved_highatomic <= ZA_PAGEBLOCK_PAGES)
		return false;

	for (order = 0; order <= ZA_MAX_ORDER; order++) {
		struct za_page *zp = za_first_free(zone, order,
						   ZA_MIGRATE_HIGHATOMIC);
		unsigned long size;
		int block_mt;

		if (!zp)
			continue;
		block_mt = za_get_pageblock_mt(zp);
		if (block_mt == ZA_MIGRATE_HIGHATOMIC) {
			size = max(ZA_PAGEBLOCK_PAGES, 1UL << order);
			size = min(size, zone->nr_reserved_highatomic);
			zone->nr_reserved_highatomic -= size;
		}
		if (order < ZA_PAGEBLOCK_ORDER) {
			za_move_freepages_block(zone, zp, block_mt, mt);
		} else {
			za_move_to_free_list(zone, zp, order, block_mt, mt);
			za_change_pageblock_range(zone, zp, order, mt);
		}
		return true;
	}
	return false;
}
EXPORT_SYMBOL_IF_KUNIT(za_unreserve_highatomic_pageblock);

/*
 * As find_large_buddy() followed by a split: find the free block larger
 * than a pageblock that covers @head's pageblock, if any, take it off its
 * list and free its pageblocks one by one, so that each can be retyped on
 * its own. Returns true if a split happened.
 */
static bool za_find_and_split_large_buddy(struct za_zone *zone,
					  struct za_page *head)
{
	struct za_pool *pool = zone->pool;
	unsigned int order;

	lockdep_assert_held(&zone->lock);
	for (order = ZA_PAGEBLOCK_ORDER + 1; order <= ZA_MAX_ORDER; order++) {
		unsigned long pfn = head->pfn & ~((1UL << order) - 1);
		struct za_page *zp = za_pfn_to_page(pool, pfn);
		unsigned long i;
		int mt;

		if (!zp || !za_page_is_free_order(zp, order))
			continue;
		mt = zp->mt;
		za_del_from_free_list(zone, zp, order, mt);
		for (i = 0; i < (1UL << order); i += ZA_PAGEBLOCK_PAGES) {
			int pb_mt = za_get_pageblock_mt(zp + i);

			za_account_freepages(zone, ZA_PAGEBLOCK_PAGES, pb_mt);
			za_add_to_free_list(zone, zp + i, ZA_PAGEBLOCK_ORDER,
					    pb_mt, false);
		}
		return true;
	}
	return false;
}

static int za_check_range(struct za_pool *pool, unsigned long start,
			  unsigned long end)
{
	unsigned long pfn;

	if ((start | end) & (ZA_PAGEBLOCK_PAGES - 1) || start >= end)
		return -EINVAL;
	for (pfn = start; pfn < end; pfn += ZA_PAGEBLOCK_PAGES)
		if (!za_pfn_to_page(pool, pfn))
			return -EINVAL;
	return 0;
}

/* Give pageblocks [start_pfn, end_pfn) back after a failed isolation. */
static void za_isolate_rollback(struct za_pool *pool,
				unsigned long start_pfn, unsigned long end_pfn,
				int mt, const u8 *old_mt)
{
	unsigned long pfn;

	if (!old_mt) {
		za_undo_isolate_range(pool, start_pfn, end_pfn, mt);
		return;
	}
	for (pfn = start_pfn; pfn < end_pfn; pfn += ZA_PAGEBLOCK_PAGES)
		za_undo_isolate_range(pool, pfn, pfn + ZA_PAGEBLOCK_PAGES,
				      *old_mt++);
}

/**
 * za_isolate_range() - mark the pageblocks of a range MIGRATE_ISOLATE.
 * @pool: the pool.
 * @start_pfn: first pfn, pageblock-aligned.
 * @end_pfn: one past the last pfn, pageblock-aligned.
 * @mt: the migratetype the pageblocks already isolated get back when the
 *	range cannot be isolated and @old_mt is NULL (as
 *	start_isolate_page_range(), usually MOVABLE).
 * @old_mt: NULL, or one entry per pageblock of the range, set to the type
 *	each had when it was isolated, read under the zone lock, for
 *	za_undo_isolate_range().
 *
 * Free pages in isolated pageblocks move to the ISOLATE lists, stop
 * counting as free and are never allocated; pages freed into them stay
 * there. Per-CPU lists must be drained by the caller afterwards.
 *
 * Each pageblock's type is read under its zone lock. One already isolated
 * is busy; so is a highatomic one: it is the reserve of high-order atomic
 * requests and counts in nr_reserved_highatomic, and would come back from
 * the isolation as another type, leaving the count wrong.
 *
 * Context: Any context; takes the zone locks.
 * Return: 0, -EINVAL for a range not in the pool, -EBUSY if a pageblock is
 * already isolated or highatomic (the pageblocks isolated so far are given
 * back, as @old_mt or else @mt says).
 */
int za_isolate_range(struct za_pool *pool, unsigned long start_pfn,
		     unsigned long end_pfn, int mt, u8 *old_mt)
{
	unsigned long pfn, flags;
	int ret;

	ret = za_check_range(pool, start_pfn, end_pfn);
	if (ret)
		return ret;

	for (pfn = start_pfn; pfn < end_pfn; pfn += ZA_PAGEBLOCK_PAGES) {
		struct za_page *zp = za_pfn_to_page(pool, pfn);
		struct za_zone *zone = za_page_zone(pool, zp);
		int cur_mt;

		spin_lock_irqsave(&zone->lock, flags);
		cur_mt = za_get_pageblock_mt(zp);
		if (cur_mt == ZA_MIGRATE_ISOLATE ||
		    cur_mt == ZA_MIGRATE_HIGHATOMIC) {
			spin_unlock_irqrestore(&zone->lock, flags);
			za_isolate_rollback(pool, start_pfn, pfn, mt, old_mt);
			return -EBUSY;
		}
		za_find_and_split_large_buddy(zone, zp);
		__za_move_freepages_block(zone, zp, cur_mt,
					  ZA_MIGRATE_ISOLATE);
		spin_unlock_irqrestore(&zone->lock, flags);
		if (old_mt)
			old_mt[(pfn - start_pfn) >> ZA_PAGEBLOCK_ORDER] = cur_mt;
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(za_isolate_range);

/**
 * za_undo_isolate_range() - return isolated pageblocks to a migratetype.
 * @pool: the pool.
 * @start_pfn: first pfn, pageblock-aligned.
 * @end_pfn: one past the last pfn, pageblock-aligned.
 * @mt: the migratetype to give them.
 *
 * Free blocks are taken off the ISOLATE lists and freed again, so they
 * merge with their buddies.
 *
 * Context: Any context; takes the zone locks.
 * Return: 0, or -EINVAL for a range not in the pool.
 */
int za_undo_isolate_range(struct za_pool *pool,
			  unsigned long start_pfn, unsigned long end_pfn,
			  int mt)
{
	unsigned long pfn, flags;
	int ret;

	if (start_pfn == end_pfn)
		return 0;
	ret = za_check_range(pool, start_pfn, end_pfn);
	if (ret)
		return ret;

	for (pfn = start_pfn; pfn < end_pfn; pfn += ZA_PAGEBLOCK_PAGES) {
		struct za_page *head = za_pfn_to_page(pool, pfn);
		struct za_zone *zone = za_page_zone(pool, head);
		unsigned long i = 0;

		spin_lock_irqsave(&zone->lock, flags);
		if (za_get_pageblock_mt(head) != ZA_MIGRATE_ISOLATE) {
			spin_unlock_irqrestore(&zone->lock, flags);
			continue;
		}
		/*
		 * Two adjacent isolated pageblocks (of two isolations, say) may
		 * have merged into one free block: split it so that the other
		 * pageblock's half stays on its own list.
		 */
		za_find_and_split_large_buddy(zone, head);
		__za_move_freepages_block(zone, head, ZA_MIGRATE_ISOLATE, mt);
		/* Heads only move backwards when merging: walk forwards. */
		while (i < ZA_PAGEBLOCK_PAGES) {
			struct za_page *zp = head + i;
			unsigned int order = zp->order;

			if (za_page_state(zp) != ZA_PAGE_FREE) {
				i++;
				continue;
			}
			za_del_from_free_list(zone, zp, order, mt);
			za_free_one_page(zone, zp, order, mt);
			i += 1UL << order;
		}
		spin_unlock_irqrestore(&zone->lock, flags);
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(za_undo_isolate_range);
