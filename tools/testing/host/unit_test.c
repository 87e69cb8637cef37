// SPDX-License-Identifier: GPL-2.0
/*
 * Deterministic cases: every flag word against a reference written from
 * include/linux/gfp.h, sizing against figures worked out by hand from the
 * kernel's formulas, parameter ranges, set-up errors and allocation
 * failures at each step of set-up, a busy per-CPU lock, a dead CPU and the
 * vmstat formats.
 */

#include <host_kernel.h>

#include "alloc.h"
#include "buddy.h"
#include "compaction.h"
#include "gfp.h"
#include "pcp.h"
#include "pool.h"
#include "vmstat.h"
#include "tests.h"

/* A pool of @pb pageblocks per zone over pfns from 0x10000, set up. */
static struct za_pool *ut_pool(const unsigned int pb[ZA_NR_ZONES],
			       bool pcp)
{
	struct za_pool *pool = za_pool_create("host-unit");
	unsigned long pfn = 0x10000;
	int z, ret = 0;

	host_memmap_init(0x10000 + 0x20000);
	pool->pcp_enabled = pcp;
	for (z = 0; z < ZA_NR_ZONES; z++) {
		if (!pb[z])
			continue;
		ret |= za_pool_add_range(pool, pfn, pb[z] * ZA_PAGEBLOCK_PAGES, z);
		/* A gap, and each zone order-10 aligned. */
		pfn = ALIGN(pfn + (pb[z] + 1) * ZA_PAGEBLOCK_PAGES,
			    1UL << ZA_MAX_ORDER);
	}
	ret |= za_pool_setup(pool);
	HT_EXPECT(!ret, "pool set-up failed");
	ht_pool_check(pool, "after set-up");
	return pool;
}

void gfp_table_test(void)
{
	u32 gfp;
	unsigned int order;

	for (gfp = 0; gfp < 0x2000; gfp++) {
		for (order = 0; order <= ZA_MAX_ORDER + 2; order++) {
			bool valid = ht_ref_valid(gfp, order);
			unsigned int want = ZA_ALLOC_WMARK_MIN;

			if (!HT_EXPECT(za_gfp_valid(gfp, order) == (valid ? 0 : -EINVAL),
				       "gfp %#x order %u", gfp, order))
				return;
			if (!valid)
				continue;
			HT_EXPECT(za_gfp_zone(gfp) == ht_ref_zone(gfp),
				  "gfp %#x: zone %d", gfp, za_gfp_zone(gfp));
			HT_EXPECT(za_gfp_migratetype(gfp) == ht_ref_mt(gfp),
				  "gfp %#x: mt %d", gfp, za_gfp_migratetype(gfp));
			/* gfp_to_alloc_flags() of 6.12 for these bits. */
			if (gfp & ZONEALLOC_GFP_HIGH)
				want |= ZA_ALLOC_MIN_RESERVE;
			if (gfp & ZONEALLOC_GFP_ATOMIC) {
				want |= ZA_ALLOC_NON_BLOCK;
				if (order && (gfp & ZONEALLOC_GFP_HIGH))
					want |= ZA_ALLOC_HIGHATOMIC;
			}
			HT_EXPECT(za_gfp_to_alloc_flags(gfp, order) == want,
				  "gfp %#x order %u: alloc flags %#x, want %#x",
				  gfp, order, za_gfp_to_alloc_flags(gfp, order),
				  want);
		}
	}
}

void sizing_test(void)
{
	static const unsigned int one_normal[ZA_NR_ZONES] = {
		[ZA_ZONE_NORMAL] = 2048,	/* 4 GiB */
	};
	static const unsigned int three[ZA_NR_ZONES] = {
		[ZA_ZONE_DMA] = 8, [ZA_ZONE_DMA32] = 64, [ZA_ZONE_NORMAL] = 128,
		[ZA_ZONE_HIGHMEM] = 4,
	};
	struct za_pool *pool;
	struct za_zone *zone;

	/* zone_batchsize(): 63 from 1 GiB up, 15 at 256 MiB, 1 when tiny. */
	HT_EXPECT(za_zone_batchsize(1UL << 20) == 63, "%d",
		  za_zone_batchsize(1UL << 20));
	HT_EXPECT(za_zone_batchsize(1UL << 18) == 63, "%d",
		  za_zone_batchsize(1UL << 18));
	HT_EXPECT(za_zone_batchsize(1UL << 16) == 15, "%d",
		  za_zone_batchsize(1UL << 16));
	HT_EXPECT(za_zone_batchsize(1024) == 1, "%d", za_zone_batchsize(1024));
	/* zone_highsize(): low / CPUs, at least 4 batches. */
	HT_EXPECT(za_zone_highsize(3096, 63, 4) == 774, "%d",
		  za_zone_highsize(3096, 63, 4));
	HT_EXPECT(za_zone_highsize(3096, 63, 64) == 252, "%d",
		  za_zone_highsize(3096, 63, 64));

	/*
	 * 4 GiB of lowmem: min_free_kbytes = sqrt(4194304 * 16) = 8192, so
	 * min 2048 pages; the scale factor's 0.1% (1048) beats min / 4.
	 */
	host_nr_cpus = 4;
	pool = ut_pool(one_normal, true);
	zone = &pool->zones[ZA_ZONE_NORMAL];
	HT_EXPECT(pool->min_free_kbytes == 8192, "%d", pool->min_free_kbytes);
	HT_EXPECT(zone->watermark[ZA_WMARK_MIN] == 2048 &&
		  zone->watermark[ZA_WMARK_LOW] == 3096 &&
		  zone->watermark[ZA_WMARK_HIGH] == 4144,
		  "watermarks %lu %lu %lu", zone->watermark[ZA_WMARK_MIN],
		  zone->watermark[ZA_WMARK_LOW], zone->watermark[ZA_WMARK_HIGH]);
	HT_EXPECT(zone->pcp_batch == 63 && zone->pcp_high == 774,
		  "batch %d high %d", zone->pcp_batch, zone->pcp_high);
	/*
	 * high_max, as zone_highsize() with MIN_PERCPU_PAGELIST_HIGH_FRACTION
	 * (8): 1048576 managed / 8 / 4 CPUs = 32768; every CPU's lists get
	 * the three values.
	 */
	HT_EXPECT(zone->pcp_high_max == 32768, "high_max %d",
		  zone->pcp_high_max);
	HT_EXPECT(per_cpu_ptr(zone->pcp, 3)->batch == 63 &&
		  per_cpu_ptr(zone->pcp, 3)->high_min == 774 &&
		  per_cpu_ptr(zone->pcp, 3)->high_max == 32768,
		  "cpu 3: batch %d high %d-%d", per_cpu_ptr(zone->pcp, 3)->batch,
		  per_cpu_ptr(zone->pcp, 3)->high_min,
		  per_cpu_ptr(zone->pcp, 3)->high_max);
	/* Half the zone (as after a shrink): recomputed on request. */
	zone->managed_pages /= 2;
	za_pcp_update_zone(zone);
	HT_EXPECT(zone->pcp_batch == 63 && zone->pcp_high == 774 &&
		  zone->pcp_high_max == 16384, "after a shrink: %d %d-%d",
		  zone->pcp_batch, zone->pcp_high, zone->pcp_high_max);
	zone->managed_pages *= 2;
	za_pool_destroy(pool);

	/* lowmem_reserve: the zones above, over the ratio (256, 256, 32). */
	pool = ut_pool(three, true);
	HT_EXPECT(pool->zones[ZA_ZONE_DMA].lowmem_reserve[ZA_ZONE_DMA32] == 128,
		  "%ld", pool->zones[ZA_ZONE_DMA].lowmem_reserve[ZA_ZONE_DMA32]);
	HT_EXPECT(pool->zones[ZA_ZONE_DMA].lowmem_reserve[ZA_ZONE_NORMAL] == 384,
		  "%ld", pool->zones[ZA_ZONE_DMA].lowmem_reserve[ZA_ZONE_NORMAL]);
	HT_EXPECT(pool->zones[ZA_ZONE_DMA].lowmem_reserve[ZA_ZONE_HIGHMEM] == 392,
		  "%ld", pool->zones[ZA_ZONE_DMA].lowmem_reserve[ZA_ZONE_HIGHMEM]);
	HT_EXPECT(pool->zones[ZA_ZONE_DMA32].lowmem_reserve[ZA_ZONE_NORMAL] == 256,
		  "%ld", pool->zones[ZA_ZONE_DMA32].lowmem_reserve[ZA_ZONE_NORMAL]);
	HT_EXPECT(pool->zones[ZA_ZONE_NORMAL].lowmem_reserve[ZA_ZONE_HIGHMEM] == 64,
		  "%ld", pool->zones[ZA_ZONE_NORMAL].lowmem_reserve[ZA_ZONE_HIGHMEM]);
	HT_EXPECT(pool->zones[ZA_ZONE_NORMAL].lowmem_reserve[ZA_ZONE_NORMAL] == 0,
		  "%ld", pool->zones[ZA_ZONE_NORMAL].lowmem_reserve[ZA_ZONE_NORMAL]);
	/* HIGHMEM's min: managed / 1024 clamped to 32..128. */
	HT_EXPECT(pool->zones[ZA_ZONE_HIGHMEM].watermark[ZA_WMARK_MIN] == 32,
		  "%lu", pool->zones[ZA_ZONE_HIGHMEM].watermark[ZA_WMARK_MIN]);
	za_pool_destroy(pool);
}

static void ut_param(const struct kernel_param_ops *ops, unsigned int *var,
		     const char *val, int want, unsigned int after)
{
	struct kernel_param kp = { .arg = var };
	int ret = ops->set(val, &kp);

	HT_EXPECT(ret == want && *var == after,
		  "set \"%s\": %d, value %u (want %d, %u)", val, ret, *var,
		  want, after);
}

void params_test(void)
{
	unsigned int p = za_compaction_proactiveness;
	unsigned int e = za_extfrag_threshold;

	ut_param(&za_compaction_proactiveness_ops, &za_compaction_proactiveness,
		 "101", -EINVAL, p);
	ut_param(&za_compaction_proactiveness_ops, &za_compaction_proactiveness,
		 "4294967296", -EINVAL, p);
	ut_param(&za_compaction_proactiveness_ops, &za_compaction_proactiveness,
		 "-1", -EINVAL, p);
	ut_param(&za_compaction_proactiveness_ops, &za_compaction_proactiveness,
		 "100", 0, 100);
	ut_param(&za_compaction_proactiveness_ops, &za_compaction_proactiveness,
		 "0", 0, 0);
	ut_param(&za_extfrag_threshold_ops, &za_extfrag_threshold, "1001",
		 -EINVAL, e);
	ut_param(&za_extfrag_threshold_ops, &za_extfrag_threshold, "1000", 0,
		 1000);
	za_compaction_proactiveness = p;
	za_extfrag_threshold = e;
}

void setup_errors_test(void)
{
	struct za_pool *pool = za_pool_create("host-errors");
	unsigned long k;
	int ret;

	host_memmap_init(0x40000);
	HT_EXPECT(za_pool_setup(pool) == -EINVAL, "set-up with no range");
	HT_EXPECT(za_pool_add_range(pool, 100, 512, ZA_ZONE_NORMAL) == -EINVAL,
		  "misaligned start");
	HT_EXPECT(za_pool_add_range(pool, 512, 100, ZA_ZONE_NORMAL) == -EINVAL,
		  "misaligned length");
	HT_EXPECT(za_pool_add_range(pool, 512, 0, ZA_ZONE_NORMAL) == -EINVAL,
		  "empty range");
	HT_EXPECT(za_pool_add_range(pool, 512, 512, ZA_NR_ZONES) == -EINVAL,
		  "bad zone");
	HT_EXPECT(!za_pool_add_range(pool, 0x1000, 2048, ZA_ZONE_NORMAL), "add");
	HT_EXPECT(!za_pool_add_range(pool, 0x1200, 512, ZA_ZONE_DMA32), "add");
	HT_EXPECT(za_pool_setup(pool) == -EINVAL, "overlapping ranges set up");
	za_pool_destroy(pool);

	/* Each allocation of set-up fails in turn; a retry then succeeds. */
	for (k = 1; k < 40; k++) {
		pool = za_pool_create("host-errors");
		za_pool_add_range(pool, 0x2000, 4096, ZA_ZONE_NORMAL);
		za_pool_add_range(pool, 0x1000, 1024, ZA_ZONE_DMA32);
		za_pool_add_range(pool, 0x8000, 1024, ZA_ZONE_MOVABLE);
		host_kmalloc_fail_in = k;
		ret = za_pool_setup(pool);
		host_kmalloc_fail_in = 0;
		HT_EXPECT(ret == 0 || ret == -ENOMEM, "fault %lu: %d", k, ret);
		if (ret) {
			HT_EXPECT(!pool->ready, "fault %lu: ready", k);
			ret = za_pool_setup(pool);
			HT_EXPECT(!ret, "retry after fault %lu: %d", k, ret);
		}
		if (!ret)
			ht_pool_check(pool, "after a failed set-up and a retry");
		HT_EXPECT(za_pool_destroy(pool) == 0, "outstanding");
	}
}

/* 64 pageblocks of NORMAL with per-CPU lists, on CPU 0: its lists. */
static struct za_pool *ut_pcp_pool(struct za_zone **zone, struct za_pcp **pcp)
{
	static const unsigned int pb[ZA_NR_ZONES] = { [ZA_ZONE_NORMAL] = 64 };
	struct za_pool *pool = ut_pool(pb, true);

	*zone = &pool->zones[ZA_ZONE_NORMAL];
	*pcp = per_cpu_ptr((*zone)->pcp, 0);
	host_cpu = 0;
	return pool;
}

/* A per-CPU lock held by the task an atomic request interrupted. */
void pcp_contention_test(void)
{
	struct za_zone *zone;
	struct za_pcp *pcp;
	struct za_pool *pool = ut_pcp_pool(&zone, &pcp);
	u32 atomic = ZONEALLOC_GFP_ATOMIC | ZONEALLOC_GFP_NOWARN;
	struct za_page *zp, *other;
	unsigned long free;

	host_cpu = 0;
	spin_lock(&pcp->lock);
	free = zone->free_pages;
	zp = za_alloc_pages(pool, atomic, 0);
	HT_EXPECT(!IS_ERR(zp), "atomic allocation with the list lock busy");
	HT_EXPECT(pcp->count == 0 && zone->free_pages == free - 1,
		  "pcp count %d, free %lu -> %lu", pcp->count, free,
		  zone->free_pages);
	if (!IS_ERR(zp))
		HT_EXPECT(!za_free_pages(pool, zp, 0), "free");
	HT_EXPECT(pcp->count == 0 && zone->free_pages == free,
		  "free with the list lock busy went to the list");
	spin_unlock(&pcp->lock);
	ht_pool_check(pool, "after the busy lock");

	/* Refill: a batch comes to the list. */
	zp = za_alloc_pages(pool, 0, 0);
	HT_EXPECT(!IS_ERR(zp) && pcp->count > 0, "pcp count %d", pcp->count);
	za_free_pages(pool, zp, 0);

	/*
	 * The last free pages on another CPU's list: an atomic request must
	 * fail rather than drain (preemption is off, a drain would sleep);
	 * one that may sleep drains and succeeds.
	 */
	zone->watermark[ZA_WMARK_MIN] = 0;
	zone->watermark[ZA_WMARK_LOW] = 0;
	zone->watermark[ZA_WMARK_HIGH] = 0;
	host_cpu = 1;
	while (!IS_ERR(zp = za_alloc_pages(pool, atomic, 0)))
		;
	HT_EXPECT(per_cpu_ptr(zone->pcp, 0)->count > 0, "CPU 0 caches nothing");
	preempt_disable();
	zp = za_alloc_pages(pool, atomic, 0);
	preempt_enable();
	HT_EXPECT(IS_ERR(zp), "atomic allocation took another CPU's pages");
	host_cpu = 2;
	other = za_alloc_pages(pool, ZONEALLOC_GFP_NOWARN, 0);
	HT_EXPECT(!IS_ERR(other), "allocation that may drain failed");
	host_cpu = 0;
	ht_pool_check(pool, "with the pool full");
	HT_EXPECT(za_pool_destroy(pool) > 0, "nothing outstanding");
}

void cpu_dead_test(void)
{
	static const unsigned int pb[ZA_NR_ZONES] = {
		[ZA_ZONE_DMA32] = 2, [ZA_ZONE_NORMAL] = 4,
	};
	struct za_pool *pool;
	struct za_page *zp[8];
	int z, i;

	za_pcp_module_init();
	pool = ut_pool(pb, true);
	host_cpu = 3;
	for (i = 0; i < 8; i++)
		zp[i] = za_alloc_pages(pool, i & 1 ? ZONEALLOC_GFP_DMA32 : 0,
				       i & 3);
	for (i = 0; i < 8; i++)
		if (!IS_ERR(zp[i]))
			za_free_pages(pool, zp[i], i & 3);
	HT_EXPECT(per_cpu_ptr(pool->zones[ZA_ZONE_NORMAL].pcp, 3)->count > 0,
		  "nothing cached on CPU 3");
	host_cpu = 0;
	host_cpu_dead(3);
	for (z = 0; z < ZA_NR_ZONES; z++)
		if (pool->zones[z].pcp)
			HT_EXPECT(per_cpu_ptr(pool->zones[z].pcp, 3)->count == 0,
				  "zone %d: CPU 3 still caches pages", z);
	ht_pool_check(pool, "after CPU 3 died");
	za_pool_destroy(pool);
	za_pcp_module_exit();
}

/*
 * A high-order atomic request that gets through only on its reserves
 * claims the pageblock for the next ones; others cannot take it until
 * pressure gives it back.
 */
void highatomic_test(void)
{
	static const unsigned int pb[ZA_NR_ZONES] = { [ZA_ZONE_NORMAL] = 128 };
	struct za_pool *pool = ut_pool(pb, true);
	struct za_zone *zone = &pool->zones[ZA_ZONE_NORMAL];
	u32 ha = ZONEALLOC_GFP_ATOMIC | ZONEALLOC_GFP_HIGH | ZONEALLOC_GFP_NOWARN;
	u32 plain = ZONEALLOC_GFP_NORETRY | ZONEALLOC_GFP_NOWARN;
	struct za_page *a, *b, *c, **held;
	unsigned long flags, nr_held = 0;
	int order;

	/* Low far up: the fast path fails, min lets reserves through. */
	zone->watermark[ZA_WMARK_MIN] = 0;
	zone->watermark[ZA_WMARK_LOW] = zone->managed_pages;
	zone->watermark[ZA_WMARK_HIGH] = zone->managed_pages;
	preempt_disable();
	a = za_alloc_pages(pool, ha, 4);
	preempt_enable();
	if (!HT_EXPECT(!IS_ERR(a), "atomic order-4 allocation"))
		goto out;
	HT_EXPECT(zone->nr_reserved_highatomic == ZA_PAGEBLOCK_PAGES,
		  "%lu reserved", zone->nr_reserved_highatomic);
	HT_EXPECT(za_get_pageblock_mt(a) == ZA_MIGRATE_HIGHATOMIC,
		  "pageblock type %d", za_get_pageblock_mt(a));
	HT_EXPECT(zone->nr_free_highatomic == ZA_PAGEBLOCK_PAGES - 16,
		  "%lu free highatomic", zone->nr_free_highatomic);
	ht_pool_check(pool, "after the reservation");

	/* The next one comes from the reserve. */
	preempt_disable();
	b = za_alloc_pages(pool, ha, 4);
	preempt_enable();
	HT_EXPECT(!IS_ERR(b) && (b->pfn >> ZA_PAGEBLOCK_ORDER) ==
		  (a->pfn >> ZA_PAGEBLOCK_ORDER), "not from the reserve");

	/* Others skip it. */
	zone->watermark[ZA_WMARK_LOW] = 0;
	c = za_alloc_pages(pool, ZONEALLOC_GFP_NOWARN, 4);
	HT_EXPECT(!IS_ERR(c) && (c->pfn >> ZA_PAGEBLOCK_ORDER) !=
		  (a->pfn >> ZA_PAGEBLOCK_ORDER), "took the reserve");
	if (!IS_ERR(c))
		za_free_pages(pool, c, 4);

	/*
	 * With every other page taken, an atomic request without HIGH still
	 * gets the reserve, as rmqueue_buddy() lets ALLOC_NON_BLOCK do; one
	 * that may not retry fails and leaves it alone.
	 */
	held = calloc(zone->managed_pages, sizeof(*held));
	for (order = 4; held && order >= 0; order -= 4)
		while (!IS_ERR(c = za_alloc_pages(pool, plain, order)))
			held[nr_held++] = c;
	preempt_disable();
	c = za_alloc_pages(pool, ZONEALLOC_GFP_ATOMIC | ZONEALLOC_GFP_NOWARN, 0);
	preempt_enable();
	HT_EXPECT(!IS_ERR(c) && (c->pfn >> ZA_PAGEBLOCK_ORDER) ==
		  (a->pfn >> ZA_PAGEBLOCK_ORDER),
		  "an atomic request found no page with the reserve free");
	if (!IS_ERR(c))
		za_free_pages(pool, c, 0);
	HT_EXPECT(zone->nr_reserved_highatomic == ZA_PAGEBLOCK_PAGES,
		  "the reserve went: %lu", zone->nr_reserved_highatomic);
	while (nr_held--)
		za_free_pages(pool, held[nr_held], held[nr_held]->order);
	free(held);
	za_pcp_drain_all(pool);

	/* The last reserved pageblock goes back only when forced. */
	spin_lock_irqsave(&zone->lock, flags);
	HT_EXPECT(!za_unreserve_highatomic_pageblock(zone, ZA_MIGRATE_MOVABLE,
						     false), "unforced");
	HT_EXPECT(za_unreserve_highatomic_pageblock(zone, ZA_MIGRATE_MOVABLE,
						    true), "forced");
	spin_unlock_irqrestore(&zone->lock, flags);
	HT_EXPECT(!zone->nr_reserved_highatomic && !zone->nr_free_highatomic,
		  "%lu reserved, %lu free", zone->nr_reserved_highatomic,
		  zone->nr_free_highatomic);
	ht_pool_check(pool, "after the reserve went back");
	if (!IS_ERR(b))
		za_free_pages(pool, b, 4);
	za_free_pages(pool, a, 4);
	za_pcp_drain_all(pool);
	ht_pool_check(pool, "emptied");
out:
	za_pool_destroy(pool);
}

static void ut_bump(void *field, size_t size, int delta)
{
	if (size == 1)
		*(u8 *)field += delta;
	else if (size == sizeof(int))
		*(int *)field += delta;
	else
		*(unsigned long *)field += delta;
}

/* Each kind of damage is reported by the invariant checker. */
void checker_test(void)
{
	static const unsigned int pb[ZA_NR_ZONES] = {
		[ZA_ZONE_DMA32] = 2, [ZA_ZONE_NORMAL] = 4,
	};
	struct za_pool *pool = ut_pool(pb, true);
	struct za_zone *zone = &pool->zones[ZA_ZONE_NORMAL];
	struct za_page *zp = za_alloc_pages(pool, 0, 2), *head;
	struct za_pcp *pcp = per_cpu_ptr(zone->pcp, host_cpu);
	struct list_head *list;
	char buf[256];
	unsigned int i;

	if (!HT_EXPECT(!IS_ERR(zp), "allocation"))
		goto out;
	list = &zone->free_area[ZA_MAX_ORDER].free_list[ZA_MIGRATE_MOVABLE];
	head = list_first_entry_or_null(list, struct za_page, lru);
	if (!HT_EXPECT(head, "no free order-10 block"))
		goto out_free;
	{
		const struct {
			const char *what;
			void *field;
			size_t size;
			int delta;
		} damage[] = {
			{ "free_pages", &zone->free_pages, sizeof(long), 1 },
			{ "nr_free", &zone->free_area[3].nr_free, sizeof(long), 1 },
			{ "pcp count", &pcp->count, sizeof(int), 1 },
			{ "allocated head lost", &zp->state, 1, -ZA_PAGE_ALLOC },
			{ "overlapping head", &zp[1].state, 1, ZA_PAGE_ALLOC },
			{ "free head order", &head->order, 1, -1 },
			{ "free head list", &head->mt, 1, -1 },
			{ "spanned pageblock type", &head[512].pb_mt, 1, -1 },
			{ "nr_free_highatomic", &zone->nr_free_highatomic,
			  sizeof(long), 1 },
		};

		for (i = 0; i < ARRAY_SIZE(damage); i++) {
			ut_bump(damage[i].field, damage[i].size, damage[i].delta);
			HT_EXPECT(za_pool_check(pool, buf, sizeof(buf)) == -EINVAL &&
				  *buf, "damage to %s not reported",
				  damage[i].what);
			ut_bump(damage[i].field, damage[i].size, -damage[i].delta);
			ht_pool_check(pool, "after the damage was repaired");
		}
	}
out_free:
	za_free_pages(pool, zp, 2);
out:
	za_pool_destroy(pool);
}

void vmstat_test(void)
{
	static const unsigned int pb[ZA_NR_ZONES] = {
		[ZA_ZONE_DMA] = 1, [ZA_ZONE_NORMAL] = 6,
	};
	struct za_pool *pool = ut_pool(pb, false);
	struct za_contig_page_info info;
	struct seq_file m = {};
	char buf[4096], *line;
	struct za_page *zp;
	int z, o, n;

	zp = za_alloc_pages(pool, 0, 3);
	HT_EXPECT(!IS_ERR(zp), "allocation");
	m.buf = buf;
	m.size = sizeof(buf);
	za_show_buddyinfo(&m, pool);
	/* One line per populated zone; its counts are the free lists'. */
	for (line = strtok(buf, "\n"), n = 0; line; line = strtok(NULL, "\n"), n++) {
		char name[16];
		unsigned long c[ZA_NR_ORDERS];
		int off;

		if (!HT_EXPECT(sscanf(line, "Node 0, zone %15s %n", name, &off) == 1,
			       "line \"%s\"", line))
			break;
		for (z = 0; z < ZA_NR_ZONES && strcmp(za_zone_names[z], name); z++)
			;
		if (!HT_EXPECT(z < ZA_NR_ZONES, "zone \"%s\"", name))
			break;
		line += off;
		for (o = 0; o < ZA_NR_ORDERS; o++) {
			int used;

			HT_EXPECT(sscanf(line, "%lu %n", &c[o], &used) == 1,
				  "order %d", o);
			line += used;
			HT_EXPECT(c[o] == pool->zones[z].free_area[o].nr_free,
				  "zone %s order %d: %lu printed, %lu free", name,
				  o, c[o], pool->zones[z].free_area[o].nr_free);
		}
	}
	HT_EXPECT(n == 2, "%d zones printed", n);

	/* The fragmentation index, worked by hand. */
	info = (struct za_contig_page_info){ 1, 1, 0 };
	HT_EXPECT(za_fragmentation_index(1, &info) == -500, "%d",
		  za_fragmentation_index(1, &info));
	info = (struct za_contig_page_info){ 0, 0, 0 };
	HT_EXPECT(za_fragmentation_index(3, &info) == 0, "no free memory");
	info = (struct za_contig_page_info){ 64, 64, 0 };	/* 64 single pages */
	HT_EXPECT(za_fragmentation_index(9, &info) == 983, "%d",
		  za_fragmentation_index(9, &info));
	info = (struct za_contig_page_info){ 1024, 2, 1 };
	HT_EXPECT(za_fragmentation_index(9, &info) == -1000, "suitable block");
	info = (struct za_contig_page_info){ 1024, 513, 1 };
	HT_EXPECT(za_unusable_free_index(9, &info) == 500, "%d",
		  za_unusable_free_index(9, &info));
	/* Every other report, for the sanitizers and a sane length. */
	for (n = 0; n < 5; n++) {
		static void (* const show[])(struct seq_file *m,
					     struct za_pool *pool) = {
			za_show_pagetypeinfo, za_show_unusable_index,
			za_show_extfrag_index, za_show_zoneinfo, za_show_vmstat,
		};

		m.count = 0;
		buf[0] = '\0';
		show[n](&m, pool);
		HT_EXPECT(m.count > 0 && m.count < m.size - 1 &&
			  strlen(buf) == m.count, "report %d: %zu bytes", n,
			  m.count);
	}
	za_free_pages(pool, zp, 3);
	za_pool_destroy(pool);
}

/*
 * nr_pcp_free(), nr_pcp_high() and nr_pcp_alloc() of 6.12 at their edges,
 * evaluated by hand (batch 63, high_min 774, high_max 32768).
 */
void pcp_formula_test(void)
{
	struct za_zone *zone;
	struct za_pcp *pcp;
	struct za_pool *pool = ut_pcp_pool(&zone, &pcp);
	static const struct {
		int free_count, count, high;
		bool free_high;
		int want;
	} free_cases[] = {
		{ 10, 0, 774, false, 63 },
		{ 500, 0, 774, false, 500 },
		{ 2016, 0, 774, false, 711 },
		{ 2016, 0, 10, false, 1 },
		{ 0, 5000, 774, true, 2016 },
		{ 0, 100, 774, true, 100 },
	};
	unsigned int i;

	za_pcp_set_high_and_batch(zone, 774, 32768, 63);
	spin_lock(&pcp->lock);
	/*
	 * nr_pcp_free(): consecutive frees clamped to [batch, high - batch];
	 * one page while the lists are not sized (high below batch); with
	 * consecutive high-order frees all, up to batch << 5 = 2016.
	 */
	for (i = 0; i < ARRAY_SIZE(free_cases); i++) {
		pcp->free_count = free_cases[i].free_count;
		pcp->count = free_cases[i].count;
		HT_EXPECT(za_nr_pcp_free(pcp, 63, free_cases[i].high,
					 free_cases[i].free_high) ==
			  free_cases[i].want, "case %u: %d", i,
			  za_nr_pcp_free(pcp, 63, free_cases[i].high,
					 free_cases[i].free_high));
	}

	/* nr_pcp_high(): a full list grows high to free_count + batch. */
	clear_bit(ZA_ZONE_BELOW_HIGH, &zone->flags);
	pcp->high = 774;
	pcp->count = 800;
	pcp->free_count = 1000;
	HT_EXPECT(za_nr_pcp_high(pcp, zone, 63, false) == 774 &&
		  pcp->high == 1063, "returned high, pcp->high %d", pcp->high);
	/*
	 * Below the high watermark: high shrinks by free_count, and the list
	 * drains down to high_min (or keeps what it holds).
	 */
	set_bit(ZA_ZONE_BELOW_HIGH, &zone->flags);
	pcp->high = 3000;
	pcp->count = 100;
	pcp->free_count = 1000;
	HT_EXPECT(za_nr_pcp_high(pcp, zone, 63, false) == 774 &&
		  pcp->high == 2000, "below high: pcp->high %d", pcp->high);
	pcp->count = 900;
	pcp->high = 1000;
	HT_EXPECT(za_nr_pcp_high(pcp, zone, 63, false) == 900 &&
		  pcp->high == 774, "below high, floor: pcp->high %d",
		  pcp->high);
	/* free_high: drain at once, high less 2016. */
	pcp->high = 5000;
	HT_EXPECT(za_nr_pcp_high(pcp, zone, 63, true) == 0 &&
		  pcp->high == 2984, "free_high: pcp->high %d", pcp->high);
	/* nr_pcp_alloc() below the high watermark: high does not grow. */
	pcp->high = 774;
	pcp->count = 0;
	pcp->alloc_factor = 0;
	HT_EXPECT(za_nr_pcp_alloc(pcp, zone, 0) == 63 && pcp->high == 774 &&
		  pcp->alloc_factor == 1, "below high: high %d factor %d",
		  pcp->high, pcp->alloc_factor);
	clear_bit(ZA_ZONE_BELOW_HIGH, &zone->flags);
	/* Order 3: a batch of 63 >> 3 = 7 blocks, high grows by 63. */
	HT_EXPECT(za_nr_pcp_alloc(pcp, zone, 3) == 7 && pcp->high == 837,
		  "order 3: high %d", pcp->high);
	/* Pageblock order: 63 >> 9 = 0, at least 2 blocks. */
	HT_EXPECT(za_nr_pcp_alloc(pcp, zone, ZA_PAGEBLOCK_ORDER) == 2,
		  "pageblock order");
	pcp->high = 0;
	pcp->count = 0;
	pcp->free_count = 0;
	pcp->alloc_factor = 0;
	spin_unlock(&pcp->lock);
	za_pool_destroy(pool);
}

/*
 * A drain frees at most batch << ZA_PCP_BATCH_SCALE_MAX pages per hold of
 * the CPU's list lock, and releases and retakes it between batches, as
 * drain_pages_zone(): counted through the stub lock's acquisitions.
 */
void pcp_drain_bounded_test(void)
{
	struct za_zone *zone;
	struct za_pcp *pcp;
	struct za_pool *pool = ut_pcp_pool(&zone, &pcp);
	static struct za_page *held[1000];
	unsigned long pcp_taken, zone_taken, drained;
	int i, count;

	/* Batch 2: 64 pages per hold; high far above what is freed. */
	za_pcp_set_high_and_batch(zone, 4096, 4096, 2);
	for (i = 0; i < 1000; i++) {
		held[i] = za_alloc_pages(pool, 0, 0);
		if (!HT_EXPECT(!IS_ERR(held[i]), "allocation %d", i))
			return;
	}
	for (i = 0; i < 1000; i++)
		za_free_pages(pool, held[i], 0);
	count = pcp->count;
	HT_EXPECT(count >= 1000, "count %d", count);
	pcp_taken = pcp->lock.acquired;
	zone_taken = zone->lock.acquired;
	drained = za_pcp_drain_cpu(pool, 0);
	HT_EXPECT(drained == (unsigned long)count && pcp->count == 0,
		  "drained %lu of %d", drained, count);
	HT_EXPECT(pcp->lock.acquired - pcp_taken == (unsigned long)DIV_ROUND_UP(count, 64),
		  "list lock taken %lu times for %d pages, want %d",
		  pcp->lock.acquired - pcp_taken, count,
		  DIV_ROUND_UP(count, 64));
	HT_EXPECT(zone->lock.acquired - zone_taken == (unsigned long)DIV_ROUND_UP(count, 64),
		  "zone lock taken %lu times", zone->lock.acquired - zone_taken);
	ht_pool_check(pool, "after the bounded drain");
	za_pool_destroy(pool);
}
