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
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/sizes.h>
#include <linux/string.h>
#include <kunit/visibility.h>

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

/**
 * za_pool_create() - allocate an empty pool with the kernel's default
 *	tunables.
 * @name: name for messages; must outlive the pool.
 *
 * Context: Process context; may sleep.
 * Return: the pool, or NULL.
 */
struct za_pool *za_pool_create(const char *name)
{
	struct za_pool *pool;
	int z;

	pool = kzalloc(sizeof(*pool), GFP_KERNEL);
	if (!pool)
		return NULL;
	if (za_vmstat_init(pool)) {
		kfree(pool);
		return NULL;
	}
	pool->name = name;
	pool->layout = "test";
	pool->watermark_scale_factor = ZA_DEFAULT_WATERMARK_SCALE_FACTOR;
	pool->watermark_boost_factor = ZA_DEFAULT_WATERMARK_BOOST_FACTOR;
	pool->pcp_enabled = true;
	memcpy(pool->lowmem_reserve_ratio, za_default_lowmem_reserve_ratio,
	       sizeof(pool->lowmem_reserve_ratio));
	for (z = 0; z < ZA_NR_ZONES; z++) {
		struct za_zone *zone = &pool->zones[z];
		int o, mt;

		zone->pool = pool;
		zone->idx = z;
		spin_lock_init(&zone->lock);
		for (o = 0; o < ZA_NR_ORDERS; o++)
			for (mt = 0; mt < ZA_MIGRATE_TYPES; mt++)
				INIT_LIST_HEAD(&zone->free_area[o].free_list[mt]);
	}
	return pool;
}
EXPORT_SYMBOL_IF_KUNIT(za_pool_create);

/**
 * za_pool_add_range() - give a pool a range of memory for one zone.
 * @pool: a pool not yet set up.
 * @start_pfn: first pfn, pageblock-aligned.
 * @nr_pages: length, a multiple of the pageblock size.
 * @zone: the zone the range belongs to.
 *
 * Context: Process context; may sleep.
 * Return: 0, -EINVAL for a misaligned range or a pool already set up,
 * -ENOMEM.
 */
int za_pool_add_range(struct za_pool *pool, unsigned long start_pfn,
		      unsigned long nr_pages, enum za_zone_type zone)
{
	if (pool->ready || zone >= ZA_NR_ZONES || !nr_pages ||
	    (start_pfn | nr_pages) & (ZA_PAGEBLOCK_PAGES - 1))
		return -EINVAL;

	if (pool->nr_chunks == pool->max_chunks) {
		unsigned int max = max(8U, pool->max_chunks * 2);
		struct za_chunk *c;

		c = krealloc_array(pool->chunks, max, sizeof(*c), GFP_KERNEL);
		if (!c)
			return -ENOMEM;
		pool->chunks = c;
		pool->max_chunks = max;
	}
	pool->chunks[pool->nr_chunks++] = (struct za_chunk) {
		.start_pfn = start_pfn,
		.nr_pages = nr_pages,
		.zone = zone,
	};
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(za_pool_add_range);

static int za_chunk_cmp(const void *a, const void *b)
{
	const struct za_chunk *ca = a, *cb = b;

	if (ca->start_pfn < cb->start_pfn)
		return -1;
	return ca->start_pfn > cb->start_pfn;
}

/* Sort, reject overlaps, merge adjacent ranges of the same zone. */
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
		if (prev && prev->start_pfn + prev->nr_pages == c->start_pfn &&
		    prev->zone == c->zone) {
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
 * Context: Any context.
 * Return: the descriptor, or NULL if @pfn is not in the pool.
 */
struct za_page *za_pfn_to_page(struct za_pool *pool, unsigned long pfn)
{
	unsigned int lo = 0, hi = pool->nr_chunks;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;
		struct za_chunk *c = &pool->chunks[mid];

		if (pfn < c->start_pfn)
			hi = mid;
		else if (pfn >= c->start_pfn + c->nr_pages)
			lo = mid + 1;
		else
			return c->pages ? &c->pages[pfn - c->start_pfn] : NULL;
	}
	return NULL;
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
	int z;

	for (z = 0; z < ZA_NR_ZONES; z++)
		if (za_zone_is_lowmem(z))
			lowmem_pages += pool->zones[z].managed_pages;

	if (!pool->min_free_kbytes) {
		unsigned long kbytes = lowmem_pages * (PAGE_SIZE >> 10);

		pool->min_free_kbytes = clamp_t(int, int_sqrt(kbytes * 16),
						128, 262144);
	}
	pages_min = pool->min_free_kbytes >> (PAGE_SHIFT - 10);

	for (z = 0; z < ZA_NR_ZONES; z++) {
		struct za_zone *zone = &pool->zones[z];
		unsigned long managed = zone->managed_pages;
		u64 tmp = 0;

		spin_lock_irqsave(&zone->lock, flags);
		if (lowmem_pages)
			tmp = div64_ul((u64)pages_min * managed, lowmem_pages);
		if (!za_zone_is_lowmem(z))
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
 * As setup_per_zone_lowmem_reserve() with the pool's ratios.
 *
 * Context: Process context.
 */
void za_pool_setup_lowmem_reserve(struct za_pool *pool)
{
	int i, j;

	for (i = 0; i < ZA_NR_ZONES; i++) {
		struct za_zone *zone = &pool->zones[i];
		int ratio = pool->lowmem_reserve_ratio[i];
		bool clear = ratio <= 0 || !zone->managed_pages;
		unsigned long managed = 0;

		zone->lowmem_reserve[i] = 0;
		for (j = i + 1; j < ZA_NR_ZONES; j++) {
			managed += pool->zones[j].managed_pages;
			zone->lowmem_reserve[j] = clear ? 0 : managed / ratio;
		}
	}
}
EXPORT_SYMBOL_IF_KUNIT(za_pool_setup_lowmem_reserve);

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
		unsigned long j;

		c->pages = kvcalloc(c->nr_pages, sizeof(*c->pages),
				    GFP_KERNEL);
		if (!c->pages) {
			ret = -ENOMEM;
			goto err_free;
		}
		for (j = 0; j < c->nr_pages; j++)
			za_page_init(&c->pages[j], c->start_pfn + j, c->zone);
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
		unsigned long j = 0, flags;

		spin_lock_irqsave(&zone->lock, flags);
		while (j < c->nr_pages) {
			unsigned int order;

			order = za_aligned_order(c->start_pfn + j,
						 c->start_pfn + c->nr_pages);
			za_free_one_page(zone, &c->pages[j], order,
					 ZA_MIGRATE_MOVABLE);
			j += 1UL << order;
		}
		spin_unlock_irqrestore(&zone->lock, flags);
	}

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
	for (i = 0; i < ZA_NR_ZONES; i++) {
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
	kfree(pool);
	return outstanding;
}
EXPORT_SYMBOL_IF_KUNIT(za_pool_destroy);
