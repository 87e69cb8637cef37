// SPDX-License-Identifier: GPL-2.0
/*
 * Pools: the zones, the ranges they manage and the per-page descriptors,
 * plus the per-zone sizing the kernel does at boot (watermarks,
 * lowmem_reserve, PCP batch and high). The invariant checker is in
 * check.c.
 *
 * A pool does not own its memory: whoever creates it (the chunk source at
 * load, a KUnit case) obtains the ranges, adds them, and returns them after
 * destroying the pool.
 */

#include <linux/cpumask.h>
#include <linux/lockdep.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/nodemask.h>
#include <linux/topology.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/sizes.h>
#include <linux/string.h>
#include <kunit/visibility.h>

#include "alloc.h"
#include "buddy.h"
#include "pcp.h"
#include "pool.h"
#include "vmstat.h"

const char * const za_zone_names[ZA_NR_ZONES] = {
	"DMA", "DMA32", "Normal", "HighMem", "Movable",
};
EXPORT_SYMBOL_IF_KUNIT(za_zone_names);

const char * const za_migratetype_names[ZA_MIGRATE_TYPES] = {
	"Unmovable", "Movable", "Reclaimable", "HighAtomic", "Isolate",
};
EXPORT_SYMBOL_IF_KUNIT(za_migratetype_names);

static const int za_default_lowmem_reserve_ratio[ZA_NR_ZONES] =
	ZA_DEFAULT_LOWMEM_RESERVE_RATIO;

/*
 * The order in which node @nid falls back to the others, as
 * find_next_best_node(): the nearest first (node_distance()), and among
 * equals, a node with CPUs, or one below @nid, after the others (the
 * kernel's penalties; its round-robin load term has no equivalent for a
 * single pool), then by node id.
 */
static unsigned long za_node_fallback_key(int nid, int other)
{
	unsigned long key = node_distance(nid, other);

	key = key * 4 + (other < nid);
	if (other < MAX_NUMNODES && node_state(other, N_CPU))
		key++;
	return key * MAX_NUMNODES + other;
}

/*
 * As build_zonelists() in node order: for each node, its own zones from
 * the highest type down, then every other node's the same way, the nearest
 * node first. Empty zones stay in the list (they may fill, in an elastic
 * pool); the walk skips them.
 */
static void za_pool_build_zonelists(struct za_pool *pool)
{
	unsigned int nid, n, k;

	for (nid = 0; nid < pool->nr_nodes; nid++) {
		struct za_zone **zl = za_pool_zonelist(pool, nid);
		unsigned long done = 0;

		for (n = 0; n < pool->nr_nodes; n++) {
			unsigned int best = nid;
			int z;

			if (n) {
				unsigned long best_key = ULONG_MAX;

				for (k = 0; k < pool->nr_nodes; k++) {
					unsigned long key;

					if (k == nid || (done & BIT(k)))
						continue;
					key = za_node_fallback_key(nid, k);
					if (key < best_key) {
						best_key = key;
						best = k;
					}
				}
			}
			done |= BIT(best);
			for (z = ZA_NR_ZONES - 1; z >= 0; z--)
				*zl++ = za_pool_zone(pool, best, z);
		}
		*zl = NULL;
	}
}

/**
 * za_pool_create_nodes() - allocate an empty pool with zones on @nr_nodes
 *	nodes and the kernel's default tunables.
 * @name: name for messages; must outlive the pool.
 * @nr_nodes: 1 to %ZA_MAX_NODES; node ids need not be online (a test
 *	tags ranges as nodes of its own).
 *
 * Context: Process context; may sleep.
 * Return: the pool, or NULL.
 */
struct za_pool *za_pool_create_nodes(const char *name, unsigned int nr_nodes)
{
	struct za_pool *pool;
	unsigned int z;

	BUILD_BUG_ON(ZA_MAX_NODES > BITS_PER_LONG);
	if (!nr_nodes || nr_nodes > ZA_MAX_NODES)
		return NULL;
	pool = kzalloc(sizeof(*pool), GFP_KERNEL);
	if (!pool)
		return NULL;
	pool->nr_nodes = nr_nodes;
	pool->zones = kcalloc(za_pool_nr_zones(pool), sizeof(*pool->zones),
			      GFP_KERNEL);
	pool->zonelists = kcalloc(nr_nodes * (za_pool_nr_zones(pool) + 1),
				  sizeof(*pool->zonelists), GFP_KERNEL);
	if (!pool->zones || !pool->zonelists || za_vmstat_init(pool)) {
		kfree(pool->zonelists);
		kfree(pool->zones);
		kfree(pool);
		return NULL;
	}
	pool->name = name;
	pool->layout = "test";
	pool->watermark_scale_factor = ZA_DEFAULT_WATERMARK_SCALE_FACTOR;
	pool->watermark_boost_factor = ZA_DEFAULT_WATERMARK_BOOST_FACTOR;
	pool->pcp_enabled = true;
	init_rwsem(&pool->resize_sem);
	spin_lock_init(&pool->chunks_lock);
	seqcount_spinlock_init(&pool->chunks_seq, &pool->chunks_lock);
	memcpy(pool->lowmem_reserve_ratio, za_default_lowmem_reserve_ratio,
	       sizeof(pool->lowmem_reserve_ratio));
	for (z = 0; z < za_pool_nr_zones(pool); z++) {
		struct za_zone *zone = &pool->zones[z];
		int o, mt;

		zone->pool = pool;
		zone->idx = z % ZA_NR_ZONES;
		zone->node = z / ZA_NR_ZONES;
		spin_lock_init(&zone->lock);
		for (o = 0; o < ZA_NR_ORDERS; o++)
			for (mt = 0; mt < ZA_MIGRATE_TYPES; mt++)
				INIT_LIST_HEAD(&zone->free_area[o].free_list[mt]);
	}
	za_pool_build_zonelists(pool);
	return pool;
}
EXPORT_SYMBOL_IF_KUNIT(za_pool_create_nodes);

/**
 * za_pool_create() - allocate an empty pool with zones on every possible
 *	node (at most %ZA_MAX_NODES) and the kernel's default tunables.
 * @name: name for messages; must outlive the pool.
 *
 * Context: Process context; may sleep.
 * Return: the pool, or NULL.
 */
struct za_pool *za_pool_create(const char *name)
{
	return za_pool_create_nodes(name, min_t(unsigned int, nr_node_ids,
						ZA_MAX_NODES));
}
EXPORT_SYMBOL_IF_KUNIT(za_pool_create);

/**
 * za_pool_node_populated() - has node @nid memory in @pool?
 * @pool: the pool.
 * @nid: a node id.
 *
 * Context: Any context; a snapshot in an elastic pool.
 * Return: true if some zone of @nid manages pages.
 */
bool za_pool_node_populated(struct za_pool *pool, int nid)
{
	int z;

	if (nid < 0 || nid >= pool->nr_nodes)
		return false;
	for (z = 0; z < ZA_NR_ZONES; z++)
		if (READ_ONCE(za_pool_zone(pool, nid, z)->managed_pages))
			return true;
	return false;
}
EXPORT_SYMBOL_IF_KUNIT(za_pool_node_populated);

/**
 * za_pool_add_range_node() - give a pool a range of memory for one zone
 *	of one node.
 * @pool: a pool not yet set up.
 * @nid: the node the range is on, below @pool->nr_nodes.
 * @start_pfn: first pfn, pageblock-aligned.
 * @nr_pages: length, a multiple of the pageblock size.
 * @zone: the zone the range belongs to.
 *
 * Context: Process context; may sleep.
 * Return: 0, -EINVAL for a misaligned range, a bad node or zone or a pool
 * already set up, -ENOMEM.
 */
int za_pool_add_range_node(struct za_pool *pool, int nid,
			   unsigned long start_pfn, unsigned long nr_pages,
			   enum za_zone_type zone)
{
	if (pool->ready || zone >= ZA_NR_ZONES || !nr_pages ||
	    nid < 0 || nid >= pool->nr_nodes ||
	    (start_pfn | nr_pages) & (ZA_PAGEBLOCK_PAGES - 1))
		return -EINVAL;

	if (pool->nr_chunks == pool->max_chunks) {
		int ret = za_pool_reserve_chunks(pool,
						 max(8U, pool->max_chunks * 2));

		if (ret)
			return ret;
	}
	pool->chunks[pool->nr_chunks++] = (struct za_chunk) {
		.start_pfn = start_pfn,
		.nr_pages = nr_pages,
		.zone = nid * ZA_NR_ZONES + zone,
	};
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(za_pool_add_range_node);

/**
 * za_pool_add_range() - za_pool_add_range_node() on node 0.
 * @pool: a pool not yet set up.
 * @start_pfn: first pfn, pageblock-aligned.
 * @nr_pages: length, a multiple of the pageblock size.
 * @zone: the zone the range belongs to.
 *
 * Context: Process context; may sleep.
 * Return: as za_pool_add_range_node().
 */
int za_pool_add_range(struct za_pool *pool, unsigned long start_pfn,
		      unsigned long nr_pages, enum za_zone_type zone)
{
	return za_pool_add_range_node(pool, 0, start_pfn, nr_pages, zone);
}
EXPORT_SYMBOL_IF_KUNIT(za_pool_add_range);

/**
 * za_pool_reserve_chunks() - make room for @nr ranges.
 * @pool: a pool not yet set up.
 * @nr: entries the range table must hold; an elastic pool reserves, before
 *	setup, every entry it may ever need, since the table is never
 *	reallocated afterwards.
 *
 * Context: Process context; may sleep.
 * Return: 0, -EINVAL for a pool already set up, -ENOMEM.
 */
int za_pool_reserve_chunks(struct za_pool *pool, unsigned int nr)
{
	struct za_chunk *c;

	if (pool->ready)
		return -EINVAL;
	if (nr <= pool->max_chunks)
		return 0;
	c = krealloc_array(pool->chunks, nr, sizeof(*c), GFP_KERNEL);
	if (!c)
		return -ENOMEM;
	pool->chunks = c;
	pool->max_chunks = nr;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(za_pool_reserve_chunks);

static int za_chunk_cmp(const void *a, const void *b)
{
	const struct za_chunk *ca = a, *cb = b;

	if (ca->start_pfn < cb->start_pfn)
		return -1;
	return ca->start_pfn > cb->start_pfn;
}

/*
 * Sort, reject overlaps, merge adjacent ranges of the same zone (in an
 * elastic pool, only up to blocks of the largest order, so that each
 * claimed chunk stays a range of its own).
 */
static int za_pool_sort_chunks(struct za_pool *pool)
{
	unsigned int i, n = 0;

	sort(pool->chunks, pool->nr_chunks, sizeof(*pool->chunks),
	     za_chunk_cmp, NULL);
	for (i = 0; i < pool->nr_chunks; i++) {
		struct za_chunk *c = &pool->chunks[i];
		struct za_chunk *prev = n ? &pool->chunks[n - 1] : NULL;

		if (prev && prev->start_pfn + prev->nr_pages > c->start_pfn)
			return -EINVAL;
		/* An elastic pool splits only where no block can straddle. */
		if (prev && prev->start_pfn + prev->nr_pages == c->start_pfn &&
		    prev->zone == c->zone &&
		    (!pool->keep_ranges ||
		     !IS_ALIGNED(c->start_pfn, BIT(ZA_MAX_ORDER)))) {
			prev->nr_pages += c->nr_pages;
			continue;
		}
		pool->chunks[n++] = *c;
	}
	pool->nr_chunks = n;
	return 0;
}

/**
 * za_pfn_to_page() - the descriptor of a pfn.
 * @pool: a pool that has been set up.
 * @pfn: the page frame number.
 *
 * Context: Any context. The descriptor stays valid while its page is
 * allocated or on a list of the pool, or while the caller holds
 * @pool->resize_sem: only an entirely free range is ever removed.
 * Return: the descriptor, or NULL if @pfn is not in the pool.
 */
struct za_page *za_pfn_to_page(struct za_pool *pool, unsigned long pfn)
{
	struct za_page *zp;
	unsigned int seq;

	do {
		unsigned int lo = 0, hi, mid;
		struct za_chunk *c;

		seq = read_seqcount_begin(&pool->chunks_seq);
		hi = READ_ONCE(pool->nr_chunks);
		zp = NULL;
		mid = READ_ONCE(pool->chunk_hint);
		if (mid < hi) {
			c = &pool->chunks[mid];
			if (pfn >= c->start_pfn &&
			    pfn < c->start_pfn + c->nr_pages) {
				if (c->pages)
					zp = &c->pages[pfn - c->start_pfn];
				continue;
			}
		}
		while (lo < hi) {
			mid = lo + (hi - lo) / 2;
			c = &pool->chunks[mid];
			if (pfn < c->start_pfn) {
				hi = mid;
			} else if (pfn >= c->start_pfn + c->nr_pages) {
				lo = mid + 1;
			} else {
				if (c->pages)
					zp = &c->pages[pfn - c->start_pfn];
				WRITE_ONCE(pool->chunk_hint, mid);
				break;
			}
		}
	} while (read_seqcount_retry(&pool->chunks_seq, seq));
	return zp;
}
EXPORT_SYMBOL_IF_KUNIT(za_pfn_to_page);

static bool za_zone_is_lowmem(enum za_zone_type z)
{
	return z != ZA_ZONE_HIGHMEM && z != ZA_ZONE_MOVABLE;
}

/**
 * za_pool_setup_watermarks() - compute every zone's watermarks.
 * @pool: the pool.
 *
 * As __setup_per_zone_wmarks() with the pool's min_free_kbytes and
 * watermark_scale_factor; a min_free_kbytes of 0 is first computed as
 * calculate_min_free_kbytes() does, from the pool's lowmem pages.
 *
 * Context: Process context; takes the zone locks.
 */
void za_pool_setup_watermarks(struct za_pool *pool)
{
	unsigned long lowmem_pages = 0, pages_min, flags;
	struct za_zone *zone;

	for (zone = pool->zones; zone < za_pool_zones_end(pool); zone++)
		if (za_zone_is_lowmem(zone->idx))
			lowmem_pages += zone->managed_pages;

	if (!pool->min_free_kbytes) {
		unsigned long kbytes = lowmem_pages * (PAGE_SIZE >> 10);

		pool->min_free_kbytes = clamp_t(int, int_sqrt(kbytes * 16),
						128, 262144);
	}
	pages_min = pool->min_free_kbytes >> (PAGE_SHIFT - 10);

	for (zone = pool->zones; zone < za_pool_zones_end(pool); zone++) {
		unsigned long managed = zone->managed_pages;
		u64 tmp = 0;

		spin_lock_irqsave(&zone->lock, flags);
		if (lowmem_pages)
			tmp = div64_ul((u64)pages_min * managed, lowmem_pages);
		if (!za_zone_is_lowmem(zone->idx))
			zone->watermark[ZA_WMARK_MIN] =
				clamp(managed / 1024, 32UL, 128UL);
		else
			zone->watermark[ZA_WMARK_MIN] = tmp;
		tmp = max_t(u64, tmp >> 2,
			    mult_frac(managed, pool->watermark_scale_factor,
				      10000));
		WRITE_ONCE(zone->watermark_boost, 0);
		zone->watermark[ZA_WMARK_LOW] =
			zone->watermark[ZA_WMARK_MIN] + tmp;
		zone->watermark[ZA_WMARK_HIGH] =
			zone->watermark[ZA_WMARK_LOW] + tmp;
		spin_unlock_irqrestore(&zone->lock, flags);
	}
}
EXPORT_SYMBOL_IF_KUNIT(za_pool_setup_watermarks);

/**
 * za_pool_setup_lowmem_reserve() - compute every zone's lowmem_reserve.
 * @pool: the pool.
 *
 * As setup_per_zone_lowmem_reserve() with the pool's ratios: within each
 * node, from the managed pages of that node's higher zones.
 *
 * Context: Process context.
 */
void za_pool_setup_lowmem_reserve(struct za_pool *pool)
{
	struct za_zone *zone;
	int j;

	for (zone = pool->zones; zone < za_pool_zones_end(pool); zone++) {
		int i = zone->idx;
		int ratio = pool->lowmem_reserve_ratio[i];
		bool clear = ratio <= 0 || !zone->managed_pages;
		unsigned long managed = 0;

		zone->lowmem_reserve[i] = 0;
		for (j = i + 1; j < ZA_NR_ZONES; j++) {
			managed += za_pool_zone(pool, zone->node, j)->managed_pages;
			zone->lowmem_reserve[j] = clear ? 0 : managed / ratio;
		}
	}
}
EXPORT_SYMBOL_IF_KUNIT(za_pool_setup_lowmem_reserve);

/* Descriptors for a new range: tails in MOVABLE pageblocks. */
static struct za_page *za_chunk_alloc_pages(unsigned long start_pfn,
					    unsigned long nr_pages,
					    unsigned int zone)
{
	struct za_page *pages;
	unsigned long j;

	pages = kvcalloc(nr_pages, sizeof(*pages), GFP_KERNEL);
	if (!pages)
		return NULL;
	for (j = 0; j < nr_pages; j++)
		za_page_init(&pages[j], start_pfn + j, zone);
	return pages;
}

/* Free a new range in the largest aligned blocks that fit. */
static void za_chunk_free_pages(struct za_zone *zone, struct za_chunk *c)
{
	unsigned long j = 0;

	lockdep_assert_held(&zone->lock);
	while (j < c->nr_pages) {
		unsigned int order;

		order = za_aligned_order(c->start_pfn + j,
					 c->start_pfn + c->nr_pages);
		za_free_one_page(zone, &c->pages[j], order, ZA_MIGRATE_MOVABLE);
		j += 1UL << order;
	}
}

/**
 * za_pool_setup() - build the descriptors and free every page to the buddy
 *	allocator.
 * @pool: a pool with its ranges added.
 *
 * Every pageblock starts MOVABLE, as memmap_init_zone() leaves them; pages
 * are freed in the largest aligned blocks that fit.
 *
 * Context: Process context; may sleep.
 * Return: 0, -EINVAL for no or overlapping ranges, -ENOMEM.
 */
int za_pool_setup(struct za_pool *pool)
{
	unsigned int i;
	int ret;

	if (pool->ready || !pool->nr_chunks)
		return -EINVAL;
	ret = za_pool_sort_chunks(pool);
	if (ret)
		return ret;

	for (i = 0; i < pool->nr_chunks; i++) {
		struct za_chunk *c = &pool->chunks[i];
		struct za_zone *zone = &pool->zones[c->zone];

		c->pages = za_chunk_alloc_pages(c->start_pfn, c->nr_pages,
						c->zone);
		if (!c->pages) {
			ret = -ENOMEM;
			goto err_free;
		}
		if (!zone->present_pages || c->start_pfn < zone->start_pfn)
			zone->start_pfn = c->start_pfn;
		zone->end_pfn = max(zone->end_pfn, c->start_pfn + c->nr_pages);
		zone->present_pages += c->nr_pages;
		zone->managed_pages += c->nr_pages;
	}

	ret = za_pcp_init(pool);
	if (ret)
		goto err_free;

	for (i = 0; i < pool->nr_chunks; i++) {
		struct za_chunk *c = &pool->chunks[i];
		struct za_zone *zone = &pool->zones[c->zone];
		unsigned long flags;

		spin_lock_irqsave(&zone->lock, flags);
		za_chunk_free_pages(zone, c);
		spin_unlock_irqrestore(&zone->lock, flags);
	}

	pool->min_free_auto = !pool->min_free_kbytes;
	za_pool_setup_watermarks(pool);
	za_pool_setup_lowmem_reserve(pool);
	za_pcp_update_high_batch(pool);
	pool->ready = true;
	return 0;

err_free:
	for (i = 0; i < pool->nr_chunks; i++) {
		kvfree(pool->chunks[i].pages);
		pool->chunks[i].pages = NULL;
	}
	for (i = 0; i < za_pool_nr_zones(pool); i++) {
		pool->zones[i].present_pages = 0;
		pool->zones[i].managed_pages = 0;
	}
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(za_pool_setup);

/**
 * za_pool_allocated_pages() - pages currently allocated from a pool.
 * @pool: the pool.
 *
 * Context: Any context; a racy snapshot unless the pool is quiescent.
 * Return: managed pages minus free pages (buddy, isolated and PCP).
 */
unsigned long za_pool_allocated_pages(struct za_pool *pool)
{
	unsigned long used = 0;
	unsigned int i;

	for (i = 0; i < pool->nr_chunks; i++) {
		struct za_chunk *c = &pool->chunks[i];
		unsigned long j = 0;

		while (c->pages && j < c->nr_pages) {
			struct za_page *zp = &c->pages[j];
			unsigned long nr = 1UL << READ_ONCE(zp->order);

			if (za_page_state(zp) == ZA_PAGE_ALLOC) {
				used += nr;
				j += nr;
			} else if (za_page_state(zp) == ZA_PAGE_TAIL) {
				j++;
			} else {
				j += nr;
			}
		}
	}
	return used;
}
EXPORT_SYMBOL_IF_KUNIT(za_pool_allocated_pages);

/**
 * za_pool_destroy() - free a pool's descriptors and the pool.
 * @pool: the pool, or NULL.
 *
 * Outstanding allocations are forgotten: their memory goes back to the
 * kernel with the ranges. The caller reports them.
 *
 * Context: Process context; may sleep. No allocation or free may run.
 * Return: the number of pages that were still allocated.
 */
unsigned long za_pool_destroy(struct za_pool *pool)
{
	unsigned long outstanding;
	unsigned int i;

	if (!pool)
		return 0;
	outstanding = pool->ready ? za_pool_allocated_pages(pool) : 0;
	za_pcp_exit(pool);
	za_vmstat_exit(pool);
	for (i = 0; i < pool->nr_chunks; i++)
		kvfree(pool->chunks[i].pages);
	kfree(pool->chunks);
	kfree(pool->zonelists);
	kfree(pool->zones);
	kfree(pool);
	return outstanding;
}
EXPORT_SYMBOL_IF_KUNIT(za_pool_destroy);

/*
 * Ranges that change at runtime (elastic pools, see elastic.c).
 *
 * The rule: @pool->chunks changes only with @pool->resize_sem held for
 * write, and each change is bracketed by @pool->chunks_seq, taken with
 * interrupts off so that za_pfn_to_page() may search from any context. A
 * range is inserted whole and free; it is removed only once every page of
 * it has been taken off the free lists under the zone lock, after the PCP
 * lists were drained, so no allocation, free list, per-CPU list or
 * compaction list can refer to its descriptors. Whatever keeps descriptors
 * of free or foreign pages across a sleep (the scanners of compaction and
 * of the contiguous allocator, the reports, the checker) holds
 * @resize_sem for read.
 */

/* Recompute a zone's span from its ranges; zone->lock held. */
static void za_zone_update_span(struct za_pool *pool, struct za_zone *zone)
{
	unsigned long start = 0, end = 0;
	unsigned int i;

	lockdep_assert_held(&zone->lock);
	for (i = 0; i < pool->nr_chunks; i++) {
		struct za_chunk *c = &pool->chunks[i];

		if (c->zone != za_zone_id(zone))
			continue;
		if (!end)
			start = c->start_pfn;
		end = c->start_pfn + c->nr_pages;
	}
	WRITE_ONCE(zone->start_pfn, start);
	WRITE_ONCE(zone->end_pfn, end);
}

/**
 * za_pool_resize_watermarks() - size watermarks, lowmem_reserve and PCP
 *	batch/high again after the pool changed size.
 * @pool: the pool.
 *
 * A min_free_kbytes computed at setup is computed again from the new size;
 * one that was given stays.
 *
 * Context: Process context; takes the zone locks.
 */
void za_pool_resize_watermarks(struct za_pool *pool)
{
	if (pool->min_free_auto)
		pool->min_free_kbytes = 0;
	za_pool_setup_watermarks(pool);
	za_pool_setup_lowmem_reserve(pool);
	za_pcp_update_high_batch(pool);
}
EXPORT_SYMBOL_IF_KUNIT(za_pool_resize_watermarks);

/**
 * za_pool_grow_range_node() - add a free range of node @nid to a running
 *	elastic pool.
 * @pool: a set-up pool with @keep_ranges.
 * @nid: the node the range is on, below @pool->nr_nodes.
 * @start_pfn: first pfn, aligned to the largest order.
 * @nr_pages: length, a multiple of the largest block.
 * @zone: the zone type it joins.
 *
 * The range joins the zone's span and free lists in blocks of the largest
 * order, as at setup, and the zone's watermarks are sized again.
 *
 * Context: Process context; may sleep. @pool->resize_sem held for write.
 * Return: 0, -EINVAL for a misaligned or overlapping range, a bad node or
 * zone or a pool that is not elastic, -ENOSPC when the range table is
 * full, -ENOMEM.
 */
int za_pool_grow_range_node(struct za_pool *pool, int nid,
			    unsigned long start_pfn, unsigned long nr_pages,
			    enum za_zone_type zone)
{
	struct za_chunk c = {
		.start_pfn = start_pfn, .nr_pages = nr_pages,
		.zone = nid * ZA_NR_ZONES + zone,
	};
	unsigned long flags;
	unsigned int pos;
	struct za_zone *z;

	lockdep_assert_held_write(&pool->resize_sem);
	if (!pool->ready || !pool->keep_ranges || zone >= ZA_NR_ZONES ||
	    nid < 0 || nid >= pool->nr_nodes ||
	    !nr_pages || (start_pfn | nr_pages) & (BIT(ZA_MAX_ORDER) - 1))
		return -EINVAL;
	z = za_pool_zone(pool, nid, zone);
	if (pool->nr_chunks == pool->max_chunks)
		return -ENOSPC;
	for (pos = 0; pos < pool->nr_chunks; pos++)
		if (pool->chunks[pos].start_pfn > start_pfn)
			break;
	if ((pos && pool->chunks[pos - 1].start_pfn +
		    pool->chunks[pos - 1].nr_pages > start_pfn) ||
	    (pos < pool->nr_chunks &&
	     start_pfn + nr_pages > pool->chunks[pos].start_pfn))
		return -EINVAL;
	c.pages = za_chunk_alloc_pages(start_pfn, nr_pages, c.zone);
	if (!c.pages)
		return -ENOMEM;

	spin_lock_irqsave(&pool->chunks_lock, flags);
	write_seqcount_begin(&pool->chunks_seq);
	memmove(&pool->chunks[pos + 1], &pool->chunks[pos],
		(pool->nr_chunks - pos) * sizeof(c));
	pool->chunks[pos] = c;
	WRITE_ONCE(pool->nr_chunks, pool->nr_chunks + 1);
	write_seqcount_end(&pool->chunks_seq);
	spin_unlock_irqrestore(&pool->chunks_lock, flags);

	spin_lock_irqsave(&z->lock, flags);
	z->present_pages += nr_pages;
	WRITE_ONCE(z->managed_pages, z->managed_pages + nr_pages);
	za_zone_update_span(pool, z);
	za_chunk_free_pages(z, &pool->chunks[pos]);
	spin_unlock_irqrestore(&z->lock, flags);

	za_pool_resize_watermarks(pool);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(za_pool_grow_range_node);

/**
 * za_pool_grow_range() - za_pool_grow_range_node() on node 0.
 * @pool: a set-up pool with @keep_ranges.
 * @start_pfn: first pfn, aligned to the largest order.
 * @nr_pages: length, a multiple of the largest block.
 * @zone: the zone type it joins.
 *
 * Context: Process context; may sleep. @pool->resize_sem held for write.
 * Return: as za_pool_grow_range_node().
 */
int za_pool_grow_range(struct za_pool *pool, unsigned long start_pfn,
		       unsigned long nr_pages, enum za_zone_type zone)
{
	return za_pool_grow_range_node(pool, 0, start_pfn, nr_pages, zone);
}
EXPORT_SYMBOL_IF_KUNIT(za_pool_grow_range);

/* Is every page of @c in a free block of a list that may be taken? */
static bool za_chunk_all_free(struct za_chunk *c)
{
	unsigned long j;

	for (j = 0; j < c->nr_pages; j += ZA_PAGEBLOCK_PAGES) {
		int mt = za_get_pageblock_mt(&c->pages[j]);

		if (mt == ZA_MIGRATE_ISOLATE || mt == ZA_MIGRATE_HIGHATOMIC)
			return false;
	}
	for (j = 0; j < c->nr_pages; j += BIT(c->pages[j].order))
		if (za_page_state(&c->pages[j]) != ZA_PAGE_FREE)
			return false;
	return true;
}

/* Put a range taken for removal back: free or held blocks to the lists. */
static void za_chunk_put_back(struct za_pool *pool, struct za_zone *z,
			      struct za_chunk *c, bool held)
{
	unsigned long flags, j;

	if (!held) {
		spin_lock_irqsave(&z->lock, flags);
		za_chunk_free_pages(z, c);
		spin_unlock_irqrestore(&z->lock, flags);
		return;
	}
	for (j = 0; j < c->nr_pages;) {
		unsigned int order = c->pages[j].order;

		WARN_ON_ONCE(za_free_pages(pool, &c->pages[j], order));
		j += BIT(order);
	}
}

/**
 * za_pool_shrink_range() - take a range out of an elastic pool and hand
 *	it to @release.
 * @pool: a set-up pool with @keep_ranges.
 * @start_pfn: the first pfn of one of its ranges.
 * @held: the caller holds every page of the range as allocated blocks
 *	with no owner (an evacuated range, see za_evacuate_range()); else
 *	the range must be entirely free.
 * @release: gives the pages to whoever they go to; called with no lock but
 *	@pool->resize_sem, once the range is off every list of the pool.
 *	Returns false to refuse (a page is still referenced elsewhere): the
 *	range then goes back to the free lists.
 * @arg: for @release.
 *
 * Drains the per-CPU lists first, so that a range whose last pages sit
 * on a CPU's list counts as free.
 *
 * Context: Process context; may sleep (the drain waits for PCP locks).
 * @pool->resize_sem held for write.
 * Return: 0; -EINVAL if no range starts at @start_pfn; -EBUSY if a page
 * of a range that should be free is allocated, on a per-CPU list,
 * isolated or in a highatomic pageblock, or @release refused.
 */
int za_pool_shrink_range(struct za_pool *pool, unsigned long start_pfn,
			 bool held,
			 bool (*release)(unsigned long pfn,
					 unsigned long nr_pages, void *arg),
			 void *arg)
{
	struct za_chunk c;
	struct za_zone *z;
	unsigned long flags, j;
	unsigned int pos;

	lockdep_assert_held_write(&pool->resize_sem);
	for (pos = 0; pos < pool->nr_chunks; pos++)
		if (pool->chunks[pos].start_pfn == start_pfn)
			break;
	if (!pool->ready || !pool->keep_ranges || pos == pool->nr_chunks)
		return -EINVAL;
	c = pool->chunks[pos];
	z = &pool->zones[c.zone];

	if (!held) {
		za_pcp_drain_all(pool);
		spin_lock_irqsave(&z->lock, flags);
		if (!za_chunk_all_free(&c)) {
			spin_unlock_irqrestore(&z->lock, flags);
			return -EBUSY;
		}
		for (j = 0; j < c.nr_pages;)
			j += BIT(za_take_free_block(z, &c.pages[j]));
		spin_unlock_irqrestore(&z->lock, flags);
	}

	if (!release(c.start_pfn, c.nr_pages, arg)) {
		za_chunk_put_back(pool, z, &c, held);
		return -EBUSY;
	}
	if (held)
		za_count_zone_events(z, pgfree, c.nr_pages);

	spin_lock_irqsave(&pool->chunks_lock, flags);
	write_seqcount_begin(&pool->chunks_seq);
	memmove(&pool->chunks[pos], &pool->chunks[pos + 1],
		(pool->nr_chunks - pos - 1) * sizeof(c));
	WRITE_ONCE(pool->nr_chunks, pool->nr_chunks - 1);
	write_seqcount_end(&pool->chunks_seq);
	spin_unlock_irqrestore(&pool->chunks_lock, flags);

	spin_lock_irqsave(&z->lock, flags);
	z->present_pages -= c.nr_pages;
	WRITE_ONCE(z->managed_pages, z->managed_pages - c.nr_pages);
	za_zone_update_span(pool, z);
	spin_unlock_irqrestore(&z->lock, flags);
	/* The scanners' cached positions may point into the range. */
	WRITE_ONCE(z->compact_cached_migrate_pfn[0], 0);
	WRITE_ONCE(z->compact_cached_migrate_pfn[1], 0);
	WRITE_ONCE(z->compact_cached_free_pfn, 0);

	kvfree(c.pages);
	za_pool_resize_watermarks(pool);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(za_pool_shrink_range);
