// SPDX-License-Identifier: GPL-2.0
/*
 * The chunk source: at load, claim pool_mb of physically contiguous,
 * pageblock-aligned memory from the kernel in chunks of the module's
 * largest order, lay the module's zones over it and build the global pool;
 * while it runs, claim one more chunk or give an entirely free one back
 * (for elastic.c); at unload, destroy the pool and give every chunk back.
 *
 * Chunks come from alloc_contig_pages() where the kernel exports it, else
 * from alloc_contig_range() over ranges found the way alloc_contig_pages()
 * finds them, else (no CONFIG_CONTIG_ALLOC) from the buddy allocator's
 * largest blocks.
 */

#include <linux/gfp.h>
#include <linux/kstrtox.h>
#include <linux/memory_hotplug.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/nodemask.h>
#include <linux/page-flags.h>
#include <linux/page_ref.h>
#include <linux/rwsem.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/stringify.h>
#include <kunit/visibility.h>

#include "alloc.h"
#include "chunk.h"
#include "contig.h"
#include "pcp.h"
#include "pool.h"
#include "trace.h"

struct za_pool *za_global_pool;
EXPORT_SYMBOL_IF_KUNIT(za_global_pool);

static unsigned int pool_mb = 64;
module_param(pool_mb, uint, 0444);
MODULE_PARM_DESC(pool_mb, "Memory to claim at load, in MiB (default 64)");

static char *layout = "phys";
module_param(layout, charp, 0444);
MODULE_PARM_DESC(layout,
		 "Zone layout: \"phys\" (by physical address, default) or \"all\" (populate all five zones)");

static bool spread_nodes = true;
module_param(spread_nodes, bool, 0444);
MODULE_PARM_DESC(spread_nodes,
		 "Spread pool_mb evenly over the NUMA nodes with memory at load (default Y); N: claim node by node, the first node first");

static unsigned int movable_mb;
module_param(movable_mb, uint, 0444);
MODULE_PARM_DESC(movable_mb,
		 "MiB at the top of the pool for the MOVABLE zone, as movablecore= (default 0; 1/8 with layout=all)");

static unsigned int highmem_mb;
module_param(highmem_mb, uint, 0444);
MODULE_PARM_DESC(highmem_mb,
		 "MiB below MOVABLE for the emulated HIGHMEM zone (default 0; 1/8 with layout=all)");

/*
 * Load-time knobs that mirror vm sysctls take the sysctl's range; insmod
 * fails with -EINVAL otherwise, as a write to the sysctl would.
 */
static int za_param_set_int_range(const char *val,
				  const struct kernel_param *kp, int min,
				  int max)
{
	int n;

	if (!val || kstrtoint(val, 0, &n) || n < min || n > max)
		return -EINVAL;
	*(int *)kp->arg = n;
	return 0;
}

static int za_param_set_nonneg(const char *val, const struct kernel_param *kp)
{
	/* As vm.min_free_kbytes and vm.watermark_boost_factor: 0 or more. */
	return za_param_set_int_range(val, kp, 0, INT_MAX);
}

static int za_param_set_wsf(const char *val, const struct kernel_param *kp)
{
	/* As vm.watermark_scale_factor: 1..3000. */
	return za_param_set_int_range(val, kp, 1, 3000);
}

static const struct kernel_param_ops za_param_nonneg_ops = {
	.set = za_param_set_nonneg,
	.get = param_get_int,
};

static const struct kernel_param_ops za_param_wsf_ops = {
	.set = za_param_set_wsf,
	.get = param_get_int,
};

static int za_min_free_kbytes;
module_param_cb(min_free_kbytes, &za_param_nonneg_ops, &za_min_free_kbytes,
		0444);
MODULE_PARM_DESC(min_free_kbytes,
		 "As vm.min_free_kbytes, for the pool, 0 or more (default 0: computed as the kernel does)");

static int za_watermark_scale_factor = ZA_DEFAULT_WATERMARK_SCALE_FACTOR;
module_param_cb(watermark_scale_factor, &za_param_wsf_ops,
		&za_watermark_scale_factor, 0444);
MODULE_PARM_DESC(watermark_scale_factor,
		 "As vm.watermark_scale_factor, for the pool, 1..3000 (default "
		 __stringify(ZA_DEFAULT_WATERMARK_SCALE_FACTOR) ")");

static int za_watermark_boost_factor = ZA_DEFAULT_WATERMARK_BOOST_FACTOR;
module_param_cb(watermark_boost_factor, &za_param_nonneg_ops,
		&za_watermark_boost_factor, 0444);
MODULE_PARM_DESC(watermark_boost_factor,
		 "As vm.watermark_boost_factor, for the pool, 0 or more (default "
		 __stringify(ZA_DEFAULT_WATERMARK_BOOST_FACTOR) ")");

static int lowmem_reserve_ratio[ZA_NR_ZONES] = ZA_DEFAULT_LOWMEM_RESERVE_RATIO;
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

/*
 * What was claimed, in no particular order after load. Written at init
 * and exit, and in between only with the global pool's resize_sem held
 * for write; za_nr_claims is also read locklessly, as a hint.
 */
static struct za_claim *za_claims;
static unsigned int za_nr_claims;
static unsigned int za_max_claims;

/* No __GFP_COMP: every page gets its own reference count (see compat.h). */
#define ZA_CONTIG_GFP	(GFP_KERNEL | __GFP_NOWARN)

/*
 * Give a claimed chunk back. Each page holds the one reference its claim
 * left on it: the tails drop theirs (page_ref_freeze() fails on a page that
 * someone else still holds) and the head goes back as one non-compound
 * block, which __free_pages() puts straight on the buddy lists, never on
 * the kernel's per-CPU lists. A chunk with a page still referenced elsewhere
 * is kept out of the kernel for good: leaked, never handed back in use.
 * Return: true if the chunk went back.
 */
static bool za_release_claim(const struct za_claim *c)
{
	struct page *page = pfn_to_page(c->pfn);
	unsigned long i;

	for (i = 1; i < ZA_CHUNK_PAGES; i++)
		if (!page_ref_freeze(page + i, 1))
			break;
	if (i == ZA_CHUNK_PAGES && page_ref_count(page) == 1) {
		trace_za_chunk_release(c->pfn, ZA_CHUNK_PAGES, true);
		__free_pages(page, ZA_CHUNK_ORDER);
		return true;
	}
	while (--i > 0)
		page_ref_unfreeze(page + i, 1);
	trace_za_chunk_release(c->pfn, ZA_CHUNK_PAGES, false);
	return false;
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
 * A request for chunks: fill @arr until @nr reaches @want. At runtime
 * (@pool set), skip what the pool already holds and, for @zone >= 0, take
 * only memory that belongs to that zone of the pool by address; for
 * @nid >= 0, only memory of that node.
 */
struct za_claim_req {
	struct za_claim *arr;
	unsigned int nr;
	unsigned int want;
	struct za_pool *pool;
	int zone;
	int nid;
};

/* The node of a pfn the kernel has a struct page for. */
static int za_pfn_nid(unsigned long pfn)
{
	return page_to_nid(pfn_to_page(pfn));
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

/*
 * Claim the first free chunk of @zone from *@cursor on, as
 * alloc_contig_pages() searches, skipping what @pool already holds and,
 * for @want_zone >= 0, pfns that are not in that zone of the pool by
 * address. *@cursor moves past what was tried.
 */
static bool za_claim_next(struct zone *zone, unsigned long *cursor,
			  struct za_claim_req *cl)
{
	unsigned long pfn = ALIGN(max(*cursor, zone->zone_start_pfn),
				  ZA_CHUNK_PAGES);

	for (; zone_spans_pfn(zone, pfn + ZA_CHUNK_PAGES - 1);
	     pfn += ZA_CHUNK_PAGES) {
		cond_resched();
		if ((cl->pool && za_pfn_to_page(cl->pool, pfn)) ||
		    (cl->zone >= 0 && za_phys_zone(pfn) != cl->zone) ||
		    !za_range_valid(zone, pfn, ZA_CHUNK_PAGES) ||
		    alloc_contig_range(pfn, pfn + ZA_CHUNK_PAGES,
				       MIGRATE_MOVABLE, ZA_CONTIG_GFP))
			continue;
		cl->arr[cl->nr++] = (struct za_claim) {
			.pfn = pfn, .src = ZA_SRC_CONTIG,
		};
		trace_za_chunk_claim(pfn, ZA_CHUNK_PAGES, false);
		*cursor = pfn + ZA_CHUNK_PAGES;
		return true;
	}
	*cursor = pfn;
	return false;
}

/* Search @zone as alloc_contig_pages() does, claiming up to @want chunks. */
static void za_claim_from_zone(struct zone *zone, struct za_claim_req *cl)
{
	unsigned long cursor = 0;

	while (cl->nr < cl->want && za_claim_next(zone, &cursor, cl))
		;
}
#endif

static void za_claim_contig(struct za_claim_req *cl)
{
	int nid;

	for_each_online_node(nid) {
		/* A pool has zones for the first ZA_MAX_NODES nodes only. */
		if ((cl->nid >= 0 && nid != cl->nid) || nid >= ZA_MAX_NODES)
			continue;
#ifdef ZONEALLOC_HAVE_ALLOC_CONTIG_PAGES
		while (cl->nr < cl->want) {
			struct page *page;

			page = alloc_contig_pages(ZA_CHUNK_PAGES,
						  ZA_CONTIG_GFP, nid, NULL);
			if (!page)
				break;
			if (cl->zone >= 0 &&
			    za_phys_zone(page_to_pfn(page)) != cl->zone) {
				free_contig_range(page_to_pfn(page),
						  ZA_CHUNK_PAGES);
				break;
			}
			cl->arr[cl->nr++] = (struct za_claim) {
				.pfn = page_to_pfn(page), .src = ZA_SRC_CONTIG,
			};
			trace_za_chunk_claim(page_to_pfn(page), ZA_CHUNK_PAGES, false);
		}
#else
		int z;

		/* Highest zone first, as the zonelist alloc_contig_pages walks. */
		for (z = MAX_NR_ZONES - 1; z >= 0; z--) {
			struct zone *zone = &NODE_DATA(nid)->node_zones[z];

			if (populated_zone(zone) && !zone_is_zone_device(zone))
				za_claim_from_zone(zone, cl);
		}
#endif
	}
}
#else
static void za_claim_contig(struct za_claim_req *cl)
{
}
#endif

static void za_claim_buddy(struct za_claim_req *cl)
{
	while (cl->nr < cl->want) {
		struct page *page;

		if (cl->nid >= 0)
			page = alloc_pages_node(cl->nid, GFP_KERNEL | __GFP_NOWARN |
						__GFP_NORETRY | __GFP_THISNODE,
						ZA_CHUNK_ORDER);
		else
			page = alloc_pages(GFP_KERNEL | __GFP_NOWARN |
					   __GFP_NORETRY, ZA_CHUNK_ORDER);
		if (!page)
			break;
		if (cl->zone >= 0 &&
		    za_phys_zone(page_to_pfn(page)) != cl->zone) {
			__free_pages(page, ZA_CHUNK_ORDER);
			break;
		}
		/* One reference per page, as alloc_contig_range() leaves them. */
		split_page(page, ZA_CHUNK_ORDER);
		cl->arr[cl->nr++] = (struct za_claim) {
			.pfn = page_to_pfn(page), .src = ZA_SRC_BUDDY,
		};
		trace_za_chunk_claim(page_to_pfn(page), ZA_CHUNK_PAGES, true);
	}
}

static void za_claim(struct za_claim_req *cl)
{
	if (IS_ENABLED(CONFIG_CONTIG_ALLOC)) {
		za_claim_contig(cl);
	} else {
		if (!cl->pool)
			pr_info("no CONFIG_CONTIG_ALLOC: claiming order-%lu buddy blocks instead\n",
				(unsigned long)ZA_CHUNK_ORDER);
		za_claim_buddy(cl);
	}
}

/**
 * za_chunk_capacity() - the most chunks the pool may ever hold.
 *
 * Half of the kernel's memory, as a sane bound for max_mb, and at most
 * %ZA_MAX_CHUNKS (the range table is one allocation made at load).
 *
 * Context: Any context.
 * Return: a number of chunks.
 */
unsigned int za_chunk_capacity(void)
{
	return clamp_t(unsigned long, totalram_pages() / 2 / ZA_CHUNK_PAGES,
		       1, ZA_MAX_CHUNKS);
}

/**
 * za_chunk_nr() - the chunks the pool holds now.
 *
 * Context: Any context; a lockless snapshot.
 * Return: a number of chunks.
 */
unsigned int za_chunk_nr(void)
{
	return READ_ONCE(za_nr_claims);
}

/*
 * The zone a new chunk joins: by address where the layout says so, else
 * the zone that asked (NORMAL when none did).
 */
static int za_grow_zone(struct za_pool *pool, int zone)
{
	if (!strcmp(pool->layout, "phys") && zone < ZA_ZONE_HIGHMEM)
		return zone;	/* -1: any; the address decides */
	return zone < 0 ? ZA_ZONE_NORMAL : zone;
}

/**
 * za_chunk_grow() - claim one more chunk from the kernel for the pool.
 * @pool: the global pool.
 * @nid: the node that needs memory (its memory is tried first, then any
 *	node's), or -1 for any.
 * @zone: the zone that needs memory, or -1 for whichever the chunk's
 *	address (or, in an emulated layout, NORMAL) gives.
 *
 * The kernel is searched (and pages migrated) without any pool lock; the
 * chunk then joins the pool, on the node its memory is on, with
 * @pool->resize_sem held for write. The caller serialises growers.
 *
 * Context: Process context; sleeps, for long.
 * Return: 0; -ENOSPC when the pool holds za_chunk_capacity() chunks;
 * -ENOMEM when the kernel had no free chunk for @zone.
 */
int za_chunk_grow(struct za_pool *pool, int nid, int zone)
{
	struct za_claim claim;
	int target = za_grow_zone(pool, zone), ret;
	struct za_claim_req cl = {
		.arr = &claim, .want = 1, .pool = pool,
		.zone = !strcmp(pool->layout, "phys") && target >= 0 &&
			target < ZA_ZONE_HIGHMEM ? target : -1,
		.nid = nid,
	};

	if (READ_ONCE(za_nr_claims) >= za_max_claims)
		return -ENOSPC;
	za_claim(&cl);
	if (!cl.nr && nid >= 0) {
		cl.nid = -1;
		za_claim(&cl);
	}
	if (!cl.nr)
		return -ENOMEM;
	if (target < 0)
		target = za_phys_zone(claim.pfn);

	down_write(&pool->resize_sem);
	ret = za_nr_claims < za_max_claims ? 0 : -ENOSPC;
	if (!ret)
		ret = za_pool_grow_range_node(pool, za_pfn_nid(claim.pfn),
					      claim.pfn, ZA_CHUNK_PAGES,
					      target);
	if (!ret) {
		za_claims[za_nr_claims] = claim;
		WRITE_ONCE(za_nr_claims, za_nr_claims + 1);
	}
	up_write(&pool->resize_sem);
	if (ret && !za_release_claim(&claim))
		pr_err("chunk at pfn %#lx still referenced: leaked\n",
		       claim.pfn);
	return ret;
}

static bool za_chunk_release(unsigned long pfn, unsigned long nr_pages,
			     void *arg)
{
	const struct za_claim *c = arg;

	/* A claim split between two zones is never given back. */
	return pfn == c->pfn && nr_pages == ZA_CHUNK_PAGES &&
	       za_release_claim(c);
}

/*
 * Pages of the claim at @pfn still allocated in @pool. Blocks are
 * naturally aligned, so the walk starts at the largest block boundary at or
 * below the claim to see a block that reaches in from a neighbouring claim.
 */
static unsigned long za_claim_allocated(struct za_pool *pool,
					unsigned long pfn)
{
	unsigned long end = pfn + ZA_CHUNK_PAGES, used = 0, p;

	for (p = ALIGN_DOWN(pfn, BIT(ZA_MAX_ORDER)); p < end;) {
		struct za_page *zp = pool ? za_pfn_to_page(pool, p) : NULL;
		unsigned long nr = 1;

		if (zp && za_page_state(zp) != ZA_PAGE_TAIL)
			nr = BIT(zp->order);
		if (zp && za_page_state(zp) == ZA_PAGE_ALLOC && p + nr > pfn)
			used += min(p + nr, end) - max(p, pfn);
		p += nr;
	}
	return used;
}

/*
 * Pages of the @nr descriptors from @first by state (n[ZA_PAGE_FREE] and
 * so on) and, in *@mov, allocated pages compaction may move (an owner
 * and a movable migratetype). Lockless: a snapshot.
 */
static void za_range_usage(struct za_page *first, unsigned long nr,
			   unsigned long n[4], unsigned long *mov)
{
	unsigned long j = 0;

	memset(n, 0, 4 * sizeof(*n));
	*mov = 0;
	while (j < nr) {
		struct za_page *zp = first + j;
		unsigned int order;
		u8 state;

		if (!za_page_racy_head(zp, &state, &order) ||
		    j + BIT(order) > nr) {
			j++;
			continue;
		}
		n[state] += BIT(order);
		if (state == ZA_PAGE_ALLOC && za_page_owner(zp) &&
		    za_page_mt(zp) == ZA_MIGRATE_MOVABLE)
			*mov += BIT(order);
		j += BIT(order);
	}
}

/*
 * Evacuate the chunk with the fewest allocated pages and give it back.
 * Return: 0 and *@moved increased, or -EBUSY.
 */
static int za_chunk_evacuate_one(struct za_pool *pool, unsigned long *moved)
{
	unsigned long best_used = ULONG_MAX, nr;
	unsigned int i, best = 0;
	int ret;

	for (i = 0; i < za_nr_claims; i++) {
		struct za_page *zp = za_pfn_to_page(pool, za_claims[i].pfn);
		unsigned long n[4], mov;

		if (!zp)
			continue;
		za_range_usage(zp, ZA_CHUNK_PAGES, n, &mov);
		/* Only movable allocations: anything else pins the chunk. */
		if (n[ZA_PAGE_ALLOC] && n[ZA_PAGE_ALLOC] == mov &&
		    mov < best_used) {
			best_used = mov;
			best = i;
		}
	}
	if (best_used == ULONG_MAX ||
	    za_evacuate_range(pool, za_claims[best].pfn, ZA_CHUNK_PAGES, &nr))
		return -EBUSY;
	ret = za_pool_shrink_range(pool, za_claims[best].pfn, true,
				   za_chunk_release, &za_claims[best]);
	if (ret)
		return ret;
	*moved += nr;
	za_claims[best] = za_claims[za_nr_claims - 1];
	WRITE_ONCE(za_nr_claims, za_nr_claims - 1);
	return 0;
}

/**
 * za_chunk_shrink_one() - give one chunk back to the kernel.
 * @pool: the global pool.
 * @nid: give back a free chunk of this node only (the shrinker's
 *	sc->nid), or -1 for any node.
 * @moved: NULL to give back only an entirely free chunk; else, when there
 *	is none, evacuate the chunk with the fewest allocated pages (all
 *	movable) and add the pages moved to *@moved.
 *
 * Free chunks are tried from the highest address down, and a chunk whose
 * head is not a free block of the chunk's order is passed over without a
 * lock: the cost is one read per chunk until a candidate is found.
 *
 * Context: Process context; @pool->resize_sem held for write. Without
 * @moved, allocates no memory and sleeps only in the PCP drain.
 * Return: 0 when a chunk went back, -EBUSY when none could.
 */
int za_chunk_shrink_one(struct za_pool *pool, int nid, unsigned long *moved)
{
	unsigned int i;

	lockdep_assert_held_write(&pool->resize_sem);
	for (i = za_nr_claims; i-- > 0;) {
		unsigned int last = za_nr_claims - 1;
		struct za_claim c = za_claims[i];
		struct za_page *zp = za_pfn_to_page(pool, c.pfn);

		if (!zp || (nid >= 0 && za_pfn_nid(c.pfn) != nid) ||
		    !za_page_is_free_order(zp, ZA_CHUNK_ORDER) ||
		    za_pool_shrink_range(pool, c.pfn, false,
					 za_chunk_release, &c))
			continue;
		za_claims[i] = za_claims[last];
		WRITE_ONCE(za_nr_claims, last);
		return 0;
	}
	return moved ? za_chunk_evacuate_one(pool, moved) : -EBUSY;
}

static int za_claim_cmp(const void *a, const void *b)
{
	const struct za_claim *ca = a, *cb = b;

	return ca->pfn < cb->pfn ? -1 : ca->pfn > cb->pfn;
}

/*
 * Lay the zones over the claimed pageblocks (sorted by pfn). "phys": the
 * top movable_mb go to MOVABLE, the next highmem_mb to HIGHMEM, the rest by
 * physical address. "all": from the bottom, 1/8 DMA, 3/8 DMA32, 2/8 NORMAL,
 * then HIGHMEM and MOVABLE (1/8 each unless given).
 */
static int za_layout_pool(struct za_pool *pool, bool all)
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
		ret = za_pool_add_range_node(pool, za_pfn_nid(pfn), pfn,
					     ZA_PAGEBLOCK_PAGES, zone);
		if (ret)
			return ret;
	}
	return 0;
}

static void za_print_pool(struct za_pool *pool, const char *how,
			  bool all)
{
	unsigned int nodes = 0;
	struct za_zone *zone;
	char where[24] = "";
	int nid;

	for (nid = 0; nid < pool->nr_nodes; nid++)
		nodes += za_pool_node_populated(pool, nid);
	pr_info("pool: %u MiB in %u chunks of %lu KiB from %s, layout %s\n",
		(unsigned int)((za_nr_claims * ZA_CHUNK_PAGES * PAGE_SIZE) >> 20),
		za_nr_claims, (ZA_CHUNK_PAGES * PAGE_SIZE) >> 10, how,
		all ? "all" : "phys");
	for (zone = pool->zones; zone < za_pool_zones_end(pool); zone++) {
		const char *zn = za_zone_names[zone->idx];

		if (zone->node && !za_pool_node_populated(pool, zone->node))
			continue;
		/* The node is named only when the pool has more than one. */
		if (nodes > 1)
			snprintf(where, sizeof(where), "node %d ", zone->node);
		if (!za_zone_populated(zone)) {
			pr_info("%szone %-7s: empty\n", where, zn);
			continue;
		}
		pr_info("%szone %-7s: %lu pages, pfn %#lx-%#lx, min %lu low %lu high %lu, pcp batch %d high %d\n",
			where, zn, zone->managed_pages, zone->start_pfn,
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

/*
 * Give every claim back, except those that still hold pages of @in_use (a
 * pool about to be destroyed, or NULL) or pages referenced elsewhere: those
 * are leaked, with a warning, rather than handed to the kernel in use.
 */
static void za_release_claims(struct za_pool *in_use)
{
	unsigned int i, kept = 0;

	for (i = 0; i < za_nr_claims; i++) {
		const struct za_claim *c = &za_claims[i];

		if ((in_use && za_claim_allocated(in_use, c->pfn)) ||
		    !za_release_claim(c))
			kept++;
	}
	if (kept)
		pr_err("%u chunks of %lu KiB still in use: leaked, not returned to the kernel\n",
		       kept, (ZA_CHUNK_PAGES * PAGE_SIZE) >> 10);
	za_nr_claims = 0;
	kvfree(za_claims);
	za_claims = NULL;
}

/**
 * za_show_chunks() - each range of @pool and what its pages are doing.
 * @m: output.
 * @pool: the pool.
 *
 * One line per range: "chunk N: pfn START-END zone Z free F pcp P
 * allocated A movable M", in pages; M counts the allocated pages that
 * compaction may move (an owner and a movable migratetype). A range with
 * A == M can be evacuated and given back; one with A > M is pinned.
 * Figures are read without the zone locks: a snapshot.
 *
 * Context: Process context; the caller holds @pool->resize_sem for read.
 */
void za_show_chunks(struct seq_file *m, struct za_pool *pool)
{
	unsigned int i;

	for (i = 0; i < pool->nr_chunks; i++) {
		struct za_chunk *c = &pool->chunks[i];
		unsigned long n[4], mov;

		za_range_usage(c->pages, c->nr_pages, n, &mov);
		seq_printf(m, "chunk %u: pfn %#lx-%#lx zone %s free %lu pcp %lu allocated %lu movable %lu\n",
			   i, c->start_pfn, c->start_pfn + c->nr_pages,
			   za_zone_names[c->zone % ZA_NR_ZONES], n[ZA_PAGE_FREE],
			   n[ZA_PAGE_PCP], n[ZA_PAGE_ALLOC], mov);
	}
}

/**
 * za_chunk_init() - claim the memory and build the global pool.
 *
 * Context: Process context, module init; may sleep for a long time while
 * the kernel migrates pages out of the claimed ranges.
 * Return: 0 or a negative errno (-ENOMEM if no chunk could be claimed).
 */
int za_chunk_init(void)
{
	unsigned int want = DIV_ROUND_UP(pool_mb * (SZ_1M / PAGE_SIZE),
					 ZA_CHUNK_PAGES);
	struct za_pool *pool;
	bool all = !strcmp(layout, "all");
	const char *how = za_chunk_source_name();
	struct za_claim_req cl = { .want = want, .zone = -1, .nid = -1 };
	int ret, i, nid, nodes, n = 0;

	if (!all && strcmp(layout, "phys")) {
		pr_err("unknown layout \"%s\" (phys or all)\n", layout);
		return -EINVAL;
	}
	BUILD_BUG_ON(ZA_CHUNK_ORDER < ZA_PAGEBLOCK_ORDER);
	if (!want)
		return -EINVAL;

	za_max_claims = max(want, za_chunk_capacity());
	za_claims = kvcalloc(za_max_claims, sizeof(*za_claims), GFP_KERNEL);
	if (!za_claims)
		return -ENOMEM;
	cl.arr = za_claims;
	/*
	 * Spread over the nodes with memory, as the kernel spreads
	 * movablecore: an equal share each (the first ones one more for the
	 * remainder); then whatever a node could not give, from any node.
	 */
	nodes = min_t(int, num_node_state(N_MEMORY), ZA_MAX_NODES);
	if (spread_nodes && nodes > 1) {
		for_each_node_state(nid, N_MEMORY) {
			if (nid >= ZA_MAX_NODES)
				break;
			cl.nid = nid;
			cl.want = min(want, cl.nr + want / nodes +
				      (n++ < want % nodes));
			za_claim(&cl);
		}
		cl.nid = -1;
		cl.want = want;
	}
	za_claim(&cl);
	za_nr_claims = cl.nr;
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
	/* Elastic: every chunk its own range, and room for all of them. */
	pool->keep_ranges = true;
	ret = za_pool_reserve_chunks(pool, za_max_claims);
	if (ret)
		goto err_pool;
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
	WRITE_ONCE(za_global_pool, pool);
	return 0;

err_pool:
	za_pool_destroy(pool);
err_claims:
	za_release_claims(NULL);
	return ret;
}

/**
 * za_chunk_exit() - destroy the global pool and return the memory.
 *
 * No allocation of the exported API can be outstanding (while any is,
 * the module holds a reference on itself) and the device's files are
 * closed. Should pages
 * still be allocated, or referenced by someone else, their chunks are kept
 * from the kernel (leaked) rather than returned in use.
 *
 * Context: Process context, module exit; no user of the pool remains.
 */
void za_chunk_exit(void)
{
	struct za_pool *pool = za_global_pool;
	unsigned long outstanding;

	WRITE_ONCE(za_global_pool, NULL);
	outstanding = pool && pool->ready ? za_pool_allocated_pages(pool) : 0;
	if (outstanding)
		pr_warn("%lu pages still allocated at unload\n", outstanding);
	/* Decide per chunk before the descriptors go. */
	za_release_claims(outstanding ? pool : NULL);
	za_pool_destroy(pool);
}
