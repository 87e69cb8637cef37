// SPDX-License-Identifier: GPL-2.0
/*
 * The chunk source: at load, claim pool_mb of physically contiguous,
 * pageblock-aligned memory from the kernel in chunks of the module's
 * largest order, lay the module's zones over it and build the global pool;
 * at unload, destroy the pool and give every chunk back.
 *
 * Chunks come from alloc_contig_pages() where the kernel exports it, else
 * from alloc_contig_range() over ranges found the way alloc_contig_pages()
 * finds them, else (no CONFIG_CONTIG_ALLOC) from the buddy allocator's
 * largest blocks.
 */

#include <linux/gfp.h>
#include <linux/memory_hotplug.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/module.h>
#include <linux/nodemask.h>
#include <linux/page-flags.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>

#include "alloc.h"
#include "chunk.h"
#include "pcp.h"
#include "pool.h"

static unsigned int pool_mb = 64;
module_param(pool_mb, uint, 0444);
MODULE_PARM_DESC(pool_mb, "Memory to claim at load, in MiB (default 64)");

static char *layout = "phys";
module_param(layout, charp, 0444);
MODULE_PARM_DESC(layout,
		 "Zone layout: \"phys\" (by physical address, default) or \"all\" (populate all five zones)");

static unsigned int movable_mb;
module_param(movable_mb, uint, 0444);
MODULE_PARM_DESC(movable_mb,
		 "MiB at the top of the pool for the MOVABLE zone, as movablecore= (default 0; 1/8 with layout=all)");

static unsigned int highmem_mb;
module_param(highmem_mb, uint, 0444);
MODULE_PARM_DESC(highmem_mb,
		 "MiB below MOVABLE for the emulated HIGHMEM zone (default 0; 1/8 with layout=all)");

static int za_min_free_kbytes;
module_param_named(min_free_kbytes, za_min_free_kbytes, int, 0444);
MODULE_PARM_DESC(min_free_kbytes,
		 "As vm.min_free_kbytes, for the pool (default 0: computed as the kernel does)");

static int za_watermark_scale_factor = 10;
module_param_named(watermark_scale_factor, za_watermark_scale_factor, int,
		   0444);
MODULE_PARM_DESC(watermark_scale_factor,
		 "As vm.watermark_scale_factor, for the pool (default 10)");

static int za_watermark_boost_factor = 15000;
module_param_named(watermark_boost_factor, za_watermark_boost_factor, int,
		   0444);
MODULE_PARM_DESC(watermark_boost_factor,
		 "As vm.watermark_boost_factor, for the pool (default 15000)");

static int lowmem_reserve_ratio[ZA_NR_ZONES] = { 256, 256, 32, 0, 0 };
static int nr_lowmem_reserve_ratio;
module_param_array(lowmem_reserve_ratio, int, &nr_lowmem_reserve_ratio, 0444);
MODULE_PARM_DESC(lowmem_reserve_ratio,
		 "As vm.lowmem_reserve_ratio, for the pool (default 256,256,32,0,0)");

enum za_chunk_source {
	ZA_SRC_CONTIG,		/* alloc_contig_range() or alloc_contig_pages() */
	ZA_SRC_BUDDY,		/* alloc_pages() of the largest order */
};

struct za_claim {
	unsigned long pfn;
	enum za_chunk_source src;
};

/* What was claimed, for unload. Only init and exit touch these. */
static struct za_claim *za_claims;
static unsigned int za_nr_claims;

#define ZA_CHUNK_ORDER	min(ZA_MAX_ORDER, MAX_PAGE_ORDER)
#define ZA_CHUNK_PAGES	BIT(ZA_CHUNK_ORDER)
#define ZA_CONTIG_GFP	(GFP_KERNEL | __GFP_NOWARN | ZA_CONTIG_GFP_COMP)

static void za_release_claim(const struct za_claim *c)
{
	struct page *page = pfn_to_page(c->pfn);
	unsigned long i;

	if (c->src == ZA_SRC_CONTIG && ZA_CONTIG_FREE_AS_BLOCK) {
		for (i = 1; i < ZA_CHUNK_PAGES; i++)
			WARN_ON_ONCE(!put_page_testzero(page + i));
	}
	if (c->src == ZA_SRC_BUDDY || ZA_CONTIG_FREE_AS_BLOCK)
		__free_pages(page, ZA_CHUNK_ORDER);
#ifdef CONFIG_CONTIG_ALLOC
	else
		free_contig_range(c->pfn, ZA_CHUNK_PAGES);
#endif
}

#ifdef CONFIG_CONTIG_ALLOC
#ifndef ZONEALLOC_HAVE_ALLOC_CONTIG_PAGES
/* As pfn_range_valid_contig(): online, in @zone, not reserved. */
static bool za_range_valid(struct zone *zone, unsigned long start,
			   unsigned long nr)
{
	unsigned long pfn;

	for (pfn = start; pfn < start + nr; pfn++) {
		struct page *page = pfn_to_online_page(pfn);

		if (!page || page_zone(page) != zone || PageReserved(page))
			return false;
	}
	return true;
}

/* Search @zone as alloc_contig_pages() does, claiming up to @want chunks. */
static void za_claim_from_zone(struct zone *zone, unsigned int want)
{
	unsigned long pfn = ALIGN(zone->zone_start_pfn, ZA_CHUNK_PAGES);

	while (za_nr_claims < want &&
	       zone_spans_pfn(zone, pfn + ZA_CHUNK_PAGES - 1)) {
		if (za_range_valid(zone, pfn, ZA_CHUNK_PAGES) &&
		    !alloc_contig_range(pfn, pfn + ZA_CHUNK_PAGES,
					MIGRATE_MOVABLE, ZA_CONTIG_GFP)) {
			za_claims[za_nr_claims++] = (struct za_claim) {
				.pfn = pfn, .src = ZA_SRC_CONTIG,
			};
		}
		pfn += ZA_CHUNK_PAGES;
		cond_resched();
	}
}
#endif

static void za_claim_contig(unsigned int want)
{
	int nid;

	for_each_online_node(nid) {
#ifdef ZONEALLOC_HAVE_ALLOC_CONTIG_PAGES
		while (za_nr_claims < want) {
			struct page *page;

			page = alloc_contig_pages(ZA_CHUNK_PAGES,
						  ZA_CONTIG_GFP, nid, NULL);
			if (!page)
				break;
			za_claims[za_nr_claims++] = (struct za_claim) {
				.pfn = page_to_pfn(page), .src = ZA_SRC_CONTIG,
			};
		}
#else
		int z;

		/* Highest zone first, as the zonelist alloc_contig_pages walks. */
		for (z = MAX_NR_ZONES - 1; z >= 0; z--) {
			struct zone *zone = &NODE_DATA(nid)->node_zones[z];

			if (populated_zone(zone) && !zone_is_zone_device(zone))
				za_claim_from_zone(zone, want);
		}
#endif
	}
}
#else
static void za_claim_contig(unsigned int want)
{
}
#endif

static void za_claim_buddy(unsigned int want)
{
	while (za_nr_claims < want) {
		struct page *page;

		page = alloc_pages(GFP_KERNEL | __GFP_NOWARN | __GFP_NORETRY,
				   ZA_CHUNK_ORDER);
		if (!page)
			break;
		za_claims[za_nr_claims++] = (struct za_claim) {
			.pfn = page_to_pfn(page), .src = ZA_SRC_BUDDY,
		};
	}
}

static int za_claim_cmp(const void *a, const void *b)
{
	const struct za_claim *ca = a, *cb = b;

	return ca->pfn < cb->pfn ? -1 : ca->pfn > cb->pfn;
}

static enum za_zone_type za_phys_zone(unsigned long pfn)
{
	phys_addr_t addr = PFN_PHYS(pfn);

	if (addr < SZ_16M)
		return ZA_ZONE_DMA;
	if (addr < SZ_4G)
		return ZA_ZONE_DMA32;
	return ZA_ZONE_NORMAL;
}

/*
 * Lay the zones over the claimed pageblocks (sorted by pfn). "phys": the
 * top movable_mb go to MOVABLE, the next highmem_mb to HIGHMEM, the rest by
 * physical address. "all": from the bottom, 1/8 DMA, 3/8 DMA32, 2/8 NORMAL,
 * then HIGHMEM and MOVABLE (1/8 each unless given).
 */
static int za_layout_pool(struct zonealloc_pool *pool, bool all)
{
	unsigned long nr_pb = za_nr_claims * (ZA_CHUNK_PAGES / ZA_PAGEBLOCK_PAGES);
	unsigned long quota[ZA_NR_ZONES] = {};
	unsigned long pb_per_mb = SZ_1M / (ZA_PAGEBLOCK_PAGES * PAGE_SIZE);
	unsigned long i, top;
	int z = ZA_ZONE_DMA, ret;

	if (!pb_per_mb)
		pb_per_mb = 1;
	quota[ZA_ZONE_MOVABLE] = movable_mb * pb_per_mb;
	quota[ZA_ZONE_HIGHMEM] = highmem_mb * pb_per_mb;
	if (all) {
		if (!movable_mb)
			quota[ZA_ZONE_MOVABLE] = max(nr_pb / 8, 1UL);
		if (!highmem_mb)
			quota[ZA_ZONE_HIGHMEM] = max(nr_pb / 8, 1UL);
	}
	if (quota[ZA_ZONE_MOVABLE] + quota[ZA_ZONE_HIGHMEM] >= nr_pb) {
		pr_err("movable_mb + highmem_mb leave no lowmem in a %lu MiB pool\n",
		       nr_pb / pb_per_mb);
		return -EINVAL;
	}
	top = nr_pb - quota[ZA_ZONE_MOVABLE] - quota[ZA_ZONE_HIGHMEM];
	if (all && top < 3) {
		pr_err("layout=all needs at least 3 lowmem pageblocks\n");
		return -EINVAL;
	}
	if (all) {
		quota[ZA_ZONE_DMA] = max(top / 6, 1UL);
		quota[ZA_ZONE_DMA32] = max(top / 2, 1UL);
		quota[ZA_ZONE_NORMAL] = top - quota[ZA_ZONE_DMA] -
					quota[ZA_ZONE_DMA32];
	}

	for (i = 0; i < nr_pb; i++) {
		unsigned long pfn = za_claims[i / (ZA_CHUNK_PAGES / ZA_PAGEBLOCK_PAGES)].pfn +
				    (i % (ZA_CHUNK_PAGES / ZA_PAGEBLOCK_PAGES)) *
				    ZA_PAGEBLOCK_PAGES;
		enum za_zone_type zone;

		if (i >= top + quota[ZA_ZONE_HIGHMEM]) {
			zone = ZA_ZONE_MOVABLE;
		} else if (i >= top) {
			zone = ZA_ZONE_HIGHMEM;
		} else if (all) {
			while (z < ZA_ZONE_NORMAL && !quota[z])
				z++;
			quota[z]--;
			zone = z;
		} else {
			zone = za_phys_zone(pfn);
		}
		ret = za_pool_add_range(pool, pfn, ZA_PAGEBLOCK_PAGES, zone);
		if (ret)
			return ret;
	}
	return 0;
}

static void za_print_pool(struct zonealloc_pool *pool, const char *how,
			  bool all)
{
	int z;

	pr_info("pool: %u MiB in %u chunks of %lu KiB from %s, layout %s\n",
		(unsigned int)((za_nr_claims * ZA_CHUNK_PAGES * PAGE_SIZE) >> 20),
		za_nr_claims, (ZA_CHUNK_PAGES * PAGE_SIZE) >> 10, how,
		all ? "all" : "phys");
	for (z = 0; z < ZA_NR_ZONES; z++) {
		struct za_zone *zone = &pool->zones[z];

		if (!za_zone_populated(zone)) {
			pr_info("zone %-7s: empty\n", za_zone_names[z]);
			continue;
		}
		pr_info("zone %-7s: %lu pages, pfn %#lx-%#lx, min %lu low %lu high %lu, pcp batch %d high %d\n",
			za_zone_names[z], zone->managed_pages, zone->start_pfn,
			zone->end_pfn, zone->watermark[ZA_WMARK_MIN],
			zone->watermark[ZA_WMARK_LOW],
			zone->watermark[ZA_WMARK_HIGH], zone->pcp_batch,
			zone->pcp_high);
	}
}

static const char *za_chunk_source_name(void)
{
#ifdef ZONEALLOC_HAVE_ALLOC_CONTIG_PAGES
	return "alloc_contig_pages";
#else
	return IS_ENABLED(CONFIG_CONTIG_ALLOC) ? "alloc_contig_range" :
						 "the buddy allocator";
#endif
}

static void za_release_claims(void)
{
	unsigned int i;

	for (i = 0; i < za_nr_claims; i++)
		za_release_claim(&za_claims[i]);
	za_nr_claims = 0;
	kvfree(za_claims);
	za_claims = NULL;
}

/**
 * zonealloc_chunk_init() - claim the memory and build the global pool.
 *
 * Context: Process context, module init; may sleep for a long time while
 * the kernel migrates pages out of the claimed ranges.
 * Return: 0 or a negative errno (-ENOMEM if no chunk could be claimed).
 */
int zonealloc_chunk_init(void)
{
	unsigned int want = DIV_ROUND_UP(pool_mb * (SZ_1M / PAGE_SIZE),
					 ZA_CHUNK_PAGES);
	struct zonealloc_pool *pool;
	bool all = !strcmp(layout, "all");
	const char *how = za_chunk_source_name();
	int ret, i;

	if (!all && strcmp(layout, "phys")) {
		pr_err("unknown layout \"%s\" (phys or all)\n", layout);
		return -EINVAL;
	}
	BUILD_BUG_ON(ZA_CHUNK_ORDER < ZA_PAGEBLOCK_ORDER);
	if (!want)
		return -EINVAL;

	za_claims = kvcalloc(want, sizeof(*za_claims), GFP_KERNEL);
	if (!za_claims)
		return -ENOMEM;
	if (IS_ENABLED(CONFIG_CONTIG_ALLOC)) {
		za_claim_contig(want);
	} else {
		pr_info("no CONFIG_CONTIG_ALLOC: claiming order-%lu buddy blocks instead\n",
			(unsigned long)ZA_CHUNK_ORDER);
		za_claim_buddy(want);
	}
	if (!za_nr_claims) {
		pr_err("could not claim any %lu KiB chunk\n",
		       (ZA_CHUNK_PAGES * PAGE_SIZE) >> 10);
		ret = -ENOMEM;
		goto err_claims;
	}
	if (za_nr_claims < want)
		pr_info("claimed %u of %u chunks\n", za_nr_claims, want);
	sort(za_claims, za_nr_claims, sizeof(*za_claims), za_claim_cmp, NULL);

	pool = za_pool_create("zonealloc");
	if (!pool) {
		ret = -ENOMEM;
		goto err_claims;
	}
	pool->layout = all ? "all" : "phys";
	pool->min_free_kbytes = za_min_free_kbytes;
	pool->watermark_scale_factor = za_watermark_scale_factor;
	pool->watermark_boost_factor = za_watermark_boost_factor;
	for (i = 0; i < nr_lowmem_reserve_ratio; i++)
		pool->lowmem_reserve_ratio[i] = lowmem_reserve_ratio[i];

	ret = za_layout_pool(pool, all);
	if (ret)
		goto err_pool;
	ret = za_pool_setup(pool);
	if (ret)
		goto err_pool;
	za_print_pool(pool, how, all);
	WRITE_ONCE(zonealloc_global_pool, pool);
	return 0;

err_pool:
	za_pool_destroy(pool);
err_claims:
	za_release_claims();
	return ret;
}

/**
 * zonealloc_chunk_exit() - destroy the global pool and return the memory.
 *
 * Allocations still outstanding are reported once and reclaimed with the
 * rest of the memory.
 *
 * Context: Process context, module exit; no user of the pool remains.
 */
void zonealloc_chunk_exit(void)
{
	struct zonealloc_pool *pool = zonealloc_global_pool;
	unsigned long outstanding;

	WRITE_ONCE(zonealloc_global_pool, NULL);
	outstanding = za_pool_destroy(pool);
	if (outstanding)
		pr_warn_once("%lu pages still allocated at unload; reclaiming them\n",
			     outstanding);
	za_release_claims();
}
