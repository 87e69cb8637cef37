// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for zone sizing and the watermark checks: watermarks,
 * lowmem_reserve and PCP batch/high against figures worked out by hand from
 * the kernel's formulas (mm/page_alloc.c of 6.12), properties that hold for
 * random inputs, then real pools showing that the watermarks and
 * lowmem_reserve hold requests back as the flags say.
 */

#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/log2.h>
#include <linux/math64.h>
#include <linux/prandom.h>
#include <linux/sizes.h>
#include <linux/workqueue.h>

#include "alloc.h"
#include "gfp.h"
#include "pcp.h"
#include "pool.h"
#include "test_pool.h"

#define ZA_NOWARN_RETRYLESS	(ZONEALLOC_GFP_NORETRY | ZONEALLOC_GFP_NOWARN)

/*
 * The figures below are worked by hand from mm/page_alloc.c of 6.12 for
 * 4 KiB pages; the random rounds after them check properties that hold
 * for any input, not a second copy of the formulas.
 */
static bool wmark_skip_page_size(struct kunit *test)
{
	if (PAGE_SHIFT == 12)
		return false;
	kunit_skip(test, "figures worked out for 4 KiB pages");
	return true;
}

struct wmark_case {
	const char *name;
	int min_free_kbytes;
	int wsf;
	unsigned long managed[ZA_NR_ZONES];
	unsigned long wm[ZA_NR_ZONES][ZA_NR_WMARK];	/* min, low, high */
};

/*
 * __setup_per_zone_wmarks(): pages_min = min_free_kbytes >> 2; per zone
 * tmp = pages_min * managed / lowmem_pages; min = tmp for a lowmem zone,
 * else clamp(managed / 1024, 32, 128); then
 * tmp = max(tmp >> 2, mult_frac(managed, wsf, 10000)); low = min + tmp;
 * high = low + tmp.
 */
static const struct wmark_case wmark_cases[] = {
	{
		/*
		 * pages_min = 4096 >> 2 = 1024; lowmem = 4096 + 258048 + 0
		 * = 262144.
		 * DMA: tmp = 1024 * 4096 / 262144 = 16 = min;
		 *	max(16 >> 2 = 4, 4096 * 10 / 10000 = 4) = 4: 20, 24.
		 * DMA32: tmp = 1024 * 258048 / 262144 = 1008 = min;
		 *	max(252, 258048 * 10 / 10000 = 258) = 258: 1266, 1524.
		 * NORMAL: nothing managed: 0, 0, 0.
		 * HIGHMEM: min = clamp(0 / 1024, 32, 128) = 32; tmp = 0:
		 *	32, 32.
		 * MOVABLE: tmp = 1024 * 65536 / 262144 = 256;
		 *	min = clamp(65536 / 1024 = 64, 32, 128) = 64;
		 *	max(256 >> 2 = 64, 65536 * 10 / 10000 = 65) = 65:
		 *	129, 194.
		 */
		.name = "default scale factor",
		.min_free_kbytes = 4096,
		.wsf = 10,
		.managed = { 4096, 258048, 0, 0, 65536 },
		.wm = {
			{ 16, 20, 24 }, { 1008, 1266, 1524 }, { 0, 0, 0 },
			{ 32, 32, 32 }, { 64, 129, 194 },
		},
	},
	{
		/*
		 * pages_min = 128 >> 2 = 32; lowmem = 1000000.
		 * NORMAL: tmp = 32 * 1000000 / 1000000 = 32 = min;
		 *	max(8, 1000000 * 3000 / 10000 = 300000) = 300000:
		 *	300032, 600032.
		 * HIGHMEM: tmp = 32 * 2048 / 1000000 = 0;
		 *	min = clamp(2048 / 1024 = 2, 32, 128) = 32;
		 *	max(0, 2048 * 3000 / 10000 = 614) = 614: 646, 1260.
		 * DMA, DMA32: nothing managed: 0, 0, 0. MOVABLE: as HIGHMEM
		 *	with nothing managed: 32, 32, 32.
		 */
		.name = "largest scale factor",
		.min_free_kbytes = 128,
		.wsf = 3000,
		.managed = { 0, 0, 1000000, 2048, 0 },
		.wm = {
			{ 0, 0, 0 }, { 0, 0, 0 }, { 32, 300032, 600032 },
			{ 32, 646, 1260 }, { 32, 32, 32 },
		},
	},
	{
		/*
		 * pages_min = 65536 >> 2 = 16384; lowmem = 3000 + 7000 =
		 * 10000.
		 * DMA: tmp = 16384 * 3000 / 10000 = 4915 = min;
		 *	max(4915 >> 2 = 1228, 3000 * 100 / 10000 = 30) = 1228:
		 *	6143, 7371.
		 * DMA32: tmp = 16384 * 7000 / 10000 = 11468 = min;
		 *	max(2867, 70) = 2867: 14335, 17202.
		 * NORMAL, HIGHMEM: 0 / 32 as above.
		 * MOVABLE: tmp = 16384 * 500000 / 10000 = 819200;
		 *	min = clamp(488, 32, 128) = 128;
		 *	max(204800, 500000 * 100 / 10000 = 5000) = 204800:
		 *	204928, 409728.
		 */
		.name = "min_free_kbytes over a small lowmem",
		.min_free_kbytes = 65536,
		.wsf = 100,
		.managed = { 3000, 7000, 0, 0, 500000 },
		.wm = {
			{ 4915, 6143, 7371 }, { 11468, 14335, 17202 },
			{ 0, 0, 0 }, { 32, 32, 32 }, { 128, 204928, 409728 },
		},
	},
};

static void zonealloc_wmark_formula(struct kunit *test)
{
	unsigned int c;
	int z, w;

	if (wmark_skip_page_size(test))
		return;
	for (c = 0; c < ARRAY_SIZE(wmark_cases); c++) {
		const struct wmark_case *wc = &wmark_cases[c];
		struct za_pool *pool = za_pool_create("formula");

		KUNIT_ASSERT_NOT_NULL(test, pool);
		for (z = 0; z < ZA_NR_ZONES; z++)
			pool->zones[z].managed_pages = wc->managed[z];
		pool->min_free_kbytes = wc->min_free_kbytes;
		pool->watermark_scale_factor = wc->wsf;
		za_pool_setup_watermarks(pool);
		for (z = 0; z < ZA_NR_ZONES; z++)
			for (w = 0; w < ZA_NR_WMARK; w++)
				KUNIT_EXPECT_EQ_MSG(test,
						    pool->zones[z].watermark[w],
						    wc->wm[z][w],
						    "%s: zone %s wmark %d",
						    wc->name, za_zone_names[z], w);
		za_pool_destroy(pool);
	}
}

/*
 * For random inputs: low - min == high - low, at least the scale factor's
 * share; the lowmem zones' min marks add up to pages_min less at most one
 * page per zone lost to rounding down; the others' lie in 32..128.
 */
static void zonealloc_wmark_properties(struct kunit *test)
{
	struct rnd_state rnd;
	int round;

	prandom_seed_state(&rnd, za_test_seed());
	for (round = 0; round < 64; round++) {
		struct za_pool *pool = za_pool_create("formula");
		unsigned long lowmem = 0, sum_min = 0, pages_min;
		int z, nr_lowmem = 0;

		KUNIT_ASSERT_NOT_NULL(test, pool);
		for (z = 0; z < ZA_NR_ZONES; z++) {
			pool->zones[z].managed_pages =
				prandom_u32_state(&rnd) % 2 ?
				prandom_u32_state(&rnd) % (1 << 22) : 0;
			if (z != ZA_ZONE_HIGHMEM && z != ZA_ZONE_MOVABLE)
				lowmem += pool->zones[z].managed_pages;
		}
		if (!lowmem) {
			pool->zones[ZA_ZONE_NORMAL].managed_pages = 1 + round;
			lowmem = 1 + round;
		}
		pool->min_free_kbytes = 128 + prandom_u32_state(&rnd) % 65536;
		pool->watermark_scale_factor = 1 + prandom_u32_state(&rnd) % 3000;
		pages_min = pool->min_free_kbytes >> (PAGE_SHIFT - 10);
		za_pool_setup_watermarks(pool);

		for (z = 0; z < ZA_NR_ZONES; z++) {
			struct za_zone *zone = &pool->zones[z];
			unsigned long *wm = zone->watermark;
			u64 share = div_u64((u64)zone->managed_pages *
					    pool->watermark_scale_factor, 10000);

			KUNIT_EXPECT_EQ_MSG(test, wm[ZA_WMARK_LOW] - wm[ZA_WMARK_MIN],
					    wm[ZA_WMARK_HIGH] - wm[ZA_WMARK_LOW],
					    "round %d zone %s", round,
					    za_zone_names[z]);
			KUNIT_EXPECT_GE_MSG(test,
					    (u64)(wm[ZA_WMARK_LOW] - wm[ZA_WMARK_MIN]),
					    share, "round %d zone %s", round,
					    za_zone_names[z]);
			if (z != ZA_ZONE_HIGHMEM && z != ZA_ZONE_MOVABLE) {
				sum_min += wm[ZA_WMARK_MIN];
				nr_lowmem++;
			} else {
				KUNIT_EXPECT_GE(test, wm[ZA_WMARK_MIN], 32UL);
				KUNIT_EXPECT_LE(test, wm[ZA_WMARK_MIN], 128UL);
			}
		}
		KUNIT_EXPECT_LE_MSG(test, sum_min, pages_min, "round %d", round);
		KUNIT_EXPECT_GE_MSG(test, sum_min + nr_lowmem, pages_min,
				    "round %d", round);
		za_pool_destroy(pool);
	}
}

static void zonealloc_wmark_min_free_kbytes_default(struct kunit *test)
{
	struct za_pool *pool;

	if (wmark_skip_page_size(test))
		return;
	/*
	 * calculate_min_free_kbytes(): int_sqrt(lowmem_kbytes * 16), in
	 * 128..262144. 64 MiB of lowmem (DMA32; MOVABLE does not count):
	 * int_sqrt(65536 * 16 = 1048576) = 1024.
	 */
	pool = za_pool_create("formula");
	KUNIT_ASSERT_NOT_NULL(test, pool);
	pool->zones[ZA_ZONE_DMA32].managed_pages = SZ_64M / PAGE_SIZE;
	pool->zones[ZA_ZONE_MOVABLE].managed_pages = SZ_64M / PAGE_SIZE;
	za_pool_setup_watermarks(pool);
	KUNIT_EXPECT_EQ(test, pool->min_free_kbytes, 1024);
	za_pool_destroy(pool);

	/* 16 pages: int_sqrt(64 * 16 = 1024) = 32, raised to 128. */
	pool = za_pool_create("formula");
	KUNIT_ASSERT_NOT_NULL(test, pool);
	pool->zones[ZA_ZONE_NORMAL].managed_pages = 16;
	za_pool_setup_watermarks(pool);
	KUNIT_EXPECT_EQ(test, pool->min_free_kbytes, 128);
	za_pool_destroy(pool);

	/* 64 GiB: int_sqrt(67108864 * 16 = 1073741824) = 32768. */
	pool = za_pool_create("formula");
	KUNIT_ASSERT_NOT_NULL(test, pool);
	pool->zones[ZA_ZONE_NORMAL].managed_pages = 16UL << 20;
	za_pool_setup_watermarks(pool);
	KUNIT_EXPECT_EQ(test, pool->min_free_kbytes, 32768);
	za_pool_destroy(pool);
}

struct lowmem_case {
	int ratio[ZA_NR_ZONES];
	unsigned long managed[ZA_NR_ZONES];
	long reserve[ZA_NR_ZONES][ZA_NR_ZONES];	/* [i][j], j > i */
};

/*
 * setup_per_zone_lowmem_reserve(): for each zone i below the top, and each
 * j above it, reserve[i][j] = (managed pages of zones i+1..j) / ratio[i],
 * or 0 when ratio[i] is 0 or zone i manages nothing.
 */
static const struct lowmem_case lowmem_cases[] = {
	{
		/*
		 * DMA (256): 258048 / 256 = 1008; (258048 + 131072) / 256
		 *	= 389120 / 256 = 1520; + 0: 1520; + 65536: 454656 /
		 *	256 = 1776.
		 * DMA32 (256): 131072 / 256 = 512; 512; 196608 / 256 = 768.
		 * NORMAL (32): 0 / 32 = 0; 65536 / 32 = 2048.
		 * HIGHMEM (0): cleared.
		 */
		.ratio = { 256, 256, 32, 0, 0 },
		.managed = { 4096, 258048, 131072, 0, 65536 },
		.reserve = {
			[ZA_ZONE_DMA] = { 0, 1008, 1520, 1520, 1776 },
			[ZA_ZONE_DMA32] = { 0, 0, 512, 512, 768 },
			[ZA_ZONE_NORMAL] = { 0, 0, 0, 0, 2048 },
		},
	},
	{
		/*
		 * DMA manages nothing and DMA32's ratio is 0: both cleared.
		 * NORMAL (100): 700 / 100 = 7; 770 / 100 = 7.
		 * HIGHMEM (7): 70 / 7 = 10.
		 */
		.ratio = { 1, 0, 100, 7, 0 },
		.managed = { 0, 1000, 5000, 700, 70 },
		.reserve = {
			[ZA_ZONE_NORMAL] = { 0, 0, 0, 7, 7 },
			[ZA_ZONE_HIGHMEM] = { 0, 0, 0, 0, 10 },
		},
	},
};

static void zonealloc_wmark_lowmem_reserve_formula(struct kunit *test)
{
	unsigned int c;
	int i, j;

	for (c = 0; c < ARRAY_SIZE(lowmem_cases); c++) {
		const struct lowmem_case *lc = &lowmem_cases[c];
		struct za_pool *pool = za_pool_create("formula");

		KUNIT_ASSERT_NOT_NULL(test, pool);
		for (i = 0; i < ZA_NR_ZONES; i++) {
			pool->zones[i].managed_pages = lc->managed[i];
			pool->lowmem_reserve_ratio[i] = lc->ratio[i];
		}
		za_pool_setup_lowmem_reserve(pool);
		for (i = 0; i < ZA_NR_ZONES - 1; i++)
			for (j = i + 1; j < ZA_NR_ZONES; j++)
				KUNIT_EXPECT_EQ_MSG(test,
						    pool->zones[i].lowmem_reserve[j],
						    lc->reserve[i][j],
						    "case %u zone %s reserve against %s",
						    c, za_zone_names[i],
						    za_zone_names[j]);
		za_pool_destroy(pool);
	}
}

/*
 * For random inputs: a zone's reserve against higher zones never falls as
 * the zones above add up, and is 0 when its ratio or its size is.
 */
static void zonealloc_wmark_lowmem_reserve_properties(struct kunit *test)
{
	struct rnd_state rnd;
	int round;

	prandom_seed_state(&rnd, za_test_seed() + 1);
	for (round = 0; round < 64; round++) {
		struct za_pool *pool = za_pool_create("formula");
		int i, j;

		KUNIT_ASSERT_NOT_NULL(test, pool);
		for (i = 0; i < ZA_NR_ZONES; i++) {
			pool->zones[i].managed_pages =
				prandom_u32_state(&rnd) % 3 ?
				prandom_u32_state(&rnd) % (1 << 20) : 0;
			pool->lowmem_reserve_ratio[i] =
				prandom_u32_state(&rnd) % 4 ?
				prandom_u32_state(&rnd) % 512 : 0;
		}
		za_pool_setup_lowmem_reserve(pool);
		for (i = 0; i < ZA_NR_ZONES - 1; i++) {
			const long *r = pool->zones[i].lowmem_reserve;
			bool clear = !pool->lowmem_reserve_ratio[i] ||
				     !pool->zones[i].managed_pages;

			for (j = i + 1; j < ZA_NR_ZONES; j++) {
				if (clear)
					KUNIT_EXPECT_EQ_MSG(test, r[j], 0L,
							    "round %d zone %s against %s",
							    round, za_zone_names[i],
							    za_zone_names[j]);
				if (j > i + 1)
					KUNIT_EXPECT_GE_MSG(test, r[j], r[j - 1],
							    "round %d zone %s against %s",
							    round, za_zone_names[i],
							    za_zone_names[j]);
			}
		}
		za_pool_destroy(pool);
	}
}

/*
 * zone_batchsize(): batch = min(managed >> 10, 1 MiB / PAGE_SIZE = 256) / 4,
 * at least 1; batch = rounddown_pow_of_two(batch + batch / 2) - 1; and
 * zone_set_pageset_high_and_batch() takes max(1, batch).
 */
static const struct {
	unsigned long managed;
	int batch;
} batch_cases[] = {
	{ 0, 1 },		/* 0 / 4 = 0 -> 1; rdp2(1 + 0) - 1 = 0 -> 1 */
	{ 8192, 1 },		/* 8 / 4 = 2; rdp2(2 + 1 = 3) - 1 = 1 */
	{ 16384, 3 },		/* 16 / 4 = 4; rdp2(4 + 2 = 6) - 1 = 3 */
	{ 40960, 7 },		/* 40 / 4 = 10; rdp2(10 + 5 = 15) - 1 = 7 */
	{ 262144, 63 },		/* 256 / 4 = 64; rdp2(64 + 32 = 96) - 1 = 63 */
	{ 1UL << 24, 63 },	/* min(16384, 256) = 256: as above */
};

/*
 * zone_highsize() with percpu_pagelist_high_fraction 0:
 * high = max(low watermark / CPUs sharing it, batch << 2).
 */
static const struct {
	unsigned long low;
	int batch, cpus, high;
} high_cases[] = {
	{ 1266, 63, 2, 633 },		/* 1266 / 2 = 633 > 252 */
	{ 100, 63, 2, 252 },		/* 100 / 2 = 50 < 63 << 2 = 252 */
	{ 0, 1, 1, 4 },			/* 0 < 1 << 2 = 4 */
	{ 65535, 7, 8, 8191 },		/* 65535 / 8 = 8191 > 28 */
};

static void zonealloc_wmark_pcp_formula(struct kunit *test)
{
	unsigned int i;

	if (wmark_skip_page_size(test))
		return;
	for (i = 0; i < ARRAY_SIZE(batch_cases); i++)
		KUNIT_EXPECT_EQ_MSG(test, za_zone_batchsize(batch_cases[i].managed),
				    batch_cases[i].batch, "managed %lu",
				    batch_cases[i].managed);
	for (i = 0; i < ARRAY_SIZE(high_cases); i++)
		KUNIT_EXPECT_EQ_MSG(test,
				    za_zone_highsize(high_cases[i].low,
						     high_cases[i].batch,
						     high_cases[i].cpus),
				    high_cases[i].high,
				    "low %lu batch %d cpus %d",
				    high_cases[i].low, high_cases[i].batch,
				    high_cases[i].cpus);
}

/*
 * For random inputs: batch is 2^k - 1 (at least 1, at most 63) and never
 * falls as the zone grows; high holds at least four batches and, over all
 * CPUs, the low watermark less what division leaves over.
 */
static void zonealloc_wmark_pcp_properties(struct kunit *test)
{
	struct rnd_state rnd;
	int round, prev_batch = 1;
	unsigned long managed = 0;

	prandom_seed_state(&rnd, za_test_seed() + 2);
	for (round = 0; round < 256; round++) {
		unsigned long low = prandom_u32_state(&rnd) % (1 << 16);
		int cpus = 1 + prandom_u32_state(&rnd) % 8;
		int batch, high;

		managed += prandom_u32_state(&rnd) % (round < 128 ? 256 : 1 << 17);
		batch = za_zone_batchsize(managed);
		KUNIT_EXPECT_TRUE_MSG(test, batch >= 1 && batch <= 63 &&
				      is_power_of_2(batch + 1),
				      "managed %lu batch %d", managed, batch);
		KUNIT_EXPECT_GE_MSG(test, batch, prev_batch, "managed %lu",
				    managed);
		prev_batch = batch;

		high = za_zone_highsize(low, batch, cpus);
		KUNIT_EXPECT_GE_MSG(test, high, batch << 2,
				    "low %lu batch %d cpus %d", low, batch, cpus);
		KUNIT_EXPECT_GE_MSG(test, (unsigned long)high * cpus + cpus - 1,
				    low, "low %lu batch %d cpus %d", low, batch,
				    cpus);
	}
}

/* Allocate order-0 with @gfp until it fails; count the successes. */
static unsigned long drain_with(struct kunit *test,
				struct za_pool *pool, u32 gfp,
				struct list_head *held)
{
	unsigned long n = 0;

	for (;;) {
		struct za_page *zp = za_alloc_pages(pool, gfp, 0);

		if (IS_ERR(zp)) {
			KUNIT_EXPECT_EQ(test, PTR_ERR(zp), -ENOMEM);
			return n;
		}
		list_add(&zp->lru, held);
		n++;
	}
}

static void free_held(struct za_pool *pool, struct list_head *held)
{
	struct za_page *zp, *tmp;

	list_for_each_entry_safe(zp, tmp, held, lru) {
		list_del_init(&zp->lru);
		za_free_pages(pool, zp, 0);
	}
}

static void zonealloc_wmark_holds_back(struct kunit *test)
{
	static const unsigned int layout[ZA_NR_ZONES] = {
		[ZA_ZONE_NORMAL] = 4,
	};
	struct za_pool *pool = za_test_pool(test, layout, false);
	struct za_zone *zone = &pool->zones[ZA_ZONE_NORMAL];
	unsigned long min = zone->watermark[ZA_WMARK_MIN];
	unsigned long high_min = min - min / 2;
	unsigned long atomic_min = high_min - high_min / 4;
	LIST_HEAD(held);
	struct za_page *zp;

	KUNIT_ASSERT_GT(test, min, 16UL);

	drain_with(test, pool, ZA_NOWARN_RETRYLESS, &held);
	KUNIT_EXPECT_EQ_MSG(test, zone->free_pages, min,
			    "plain requests stop at min");
	drain_with(test, pool, ZA_NOWARN_RETRYLESS | ZONEALLOC_GFP_HIGH,
		   &held);
	KUNIT_EXPECT_EQ_MSG(test, zone->free_pages, high_min,
			    "HIGH requests stop at min/2");
	drain_with(test, pool, ZA_NOWARN_RETRYLESS | ZONEALLOC_GFP_HIGH |
		   ZONEALLOC_GFP_ATOMIC, &held);
	KUNIT_EXPECT_EQ_MSG(test, zone->free_pages, atomic_min,
			    "HIGH|ATOMIC requests stop a quarter lower");
	za_test_check(test, pool, "after draining to the watermarks");

	zp = za_alloc_pages(pool, ZONEALLOC_GFP_ATOMIC | ZONEALLOC_GFP_HIGH |
			    ZONEALLOC_GFP_NOWARN, 0);
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(zp), -ENOMEM);

	free_held(pool, &held);
	za_test_check(test, pool, "all freed");
	KUNIT_EXPECT_EQ(test, zone->free_pages, zone->managed_pages);
	KUNIT_EXPECT_EQ(test, zone->free_area[ZA_MAX_ORDER].nr_free, 2UL);
}

struct nofail_job {
	struct work_struct work;
	struct completion done;
	struct za_pool *pool;
	struct za_page *zp;
};

static void nofail_work(struct work_struct *work)
{
	struct nofail_job *job = container_of(work, struct nofail_job, work);

	job->zp = za_alloc_pages(job->pool, ZONEALLOC_GFP_NOFAIL, 0);
	complete(&job->done);
}

/*
 * As 6.12: NOFAIL may use half of the min reserve (ALLOC_MIN_RESERVE), not
 * ignore the watermarks, and then waits for pages to be freed. A NOFAIL
 * request at min/2 must wait, not empty the zone.
 */
static void zonealloc_wmark_nofail_keeps_reserve(struct kunit *test)
{
	static const unsigned int layout[ZA_NR_ZONES] = {
		[ZA_ZONE_NORMAL] = 4,
	};
	struct za_pool *pool = za_test_pool(test, layout, false);
	struct za_zone *zone = &pool->zones[ZA_ZONE_NORMAL];
	unsigned long min = zone->watermark[ZA_WMARK_MIN];
	unsigned long high_min = min - min / 2;
	struct nofail_job *job;
	LIST_HEAD(held);
	struct za_page *zp;
	bool waited;

	KUNIT_ASSERT_GT(test, min, 16UL);
	job = kunit_kzalloc(test, sizeof(*job), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, job);

	drain_with(test, pool, ZA_NOWARN_RETRYLESS, &held);
	KUNIT_ASSERT_EQ(test, zone->free_pages, min);
	while (zone->free_pages > high_min) {
		zp = za_alloc_pages(pool, ZONEALLOC_GFP_NOFAIL, 0);
		KUNIT_ASSERT_FALSE(test, IS_ERR(zp));
		list_add(&zp->lru, &held);
	}
	KUNIT_EXPECT_EQ(test, zone->free_pages, high_min);

	job->pool = pool;
	init_completion(&job->done);
	INIT_WORK_ONSTACK(&job->work, nofail_work);
	queue_work(system_unbound_wq, &job->work);
	msleep(200);
	waited = !completion_done(&job->done);
	KUNIT_EXPECT_TRUE_MSG(test, waited,
			      "NOFAIL took the last half of the min reserve (free %lu, min %lu)",
			      zone->free_pages, min);
	KUNIT_EXPECT_EQ(test, zone->free_pages, waited ? high_min : high_min - 1);

	/* One page freed: the waiting request gets it. */
	zp = list_first_entry(&held, struct za_page, lru);
	list_del(&zp->lru);
	KUNIT_EXPECT_EQ(test, za_free_pages(pool, zp, 0), 0);
	if (!wait_for_completion_timeout(&job->done, 10 * HZ)) {
		KUNIT_FAIL(test, "NOFAIL did not take a freed page");
		free_held(pool, &held);
	}
	flush_work(&job->work);
	destroy_work_on_stack(&job->work);
	KUNIT_ASSERT_FALSE(test, IS_ERR(job->zp));
	list_add(&job->zp->lru, &held);
	za_test_check(test, pool, "after the NOFAIL request");
	free_held(pool, &held);
	KUNIT_EXPECT_EQ(test, zone->free_pages, zone->managed_pages);
}

/*
 * As zone_watermark_fast(): the watermark boost does not apply to order-0
 * requests allowed below min. Fill the zone with MOVABLE pages, let one
 * HIGH (UNMOVABLE) request fall back into a MOVABLE pageblock, which boosts
 * the watermarks by a pageblock: HIGH and HIGH|ATOMIC still get their part
 * of the min reserve.
 */
static void zonealloc_wmark_boost_spares_reserve(struct kunit *test)
{
	static const unsigned int layout[ZA_NR_ZONES] = {
		[ZA_ZONE_NORMAL] = 4,
	};
	struct za_pool *pool = za_test_pool(test, layout, false);
	struct za_zone *zone = &pool->zones[ZA_ZONE_NORMAL];
	unsigned long min = zone->watermark[ZA_WMARK_MIN];
	unsigned long high_min = min - min / 2;
	unsigned long atomic_min = high_min - high_min / 4;
	LIST_HEAD(held);
	struct za_page *zp;

	KUNIT_ASSERT_GT(test, min, 16UL);
	drain_with(test, pool, ZA_NOWARN_RETRYLESS | ZONEALLOC_GFP_MOVABLE,
		   &held);
	KUNIT_ASSERT_EQ(test, zone->free_pages, min);
	KUNIT_ASSERT_EQ(test, zone->watermark_boost, 0UL);

	zp = za_alloc_pages(pool, ZA_NOWARN_RETRYLESS | ZONEALLOC_GFP_HIGH, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(zp));
	list_add(&zp->lru, &held);
	KUNIT_ASSERT_EQ_MSG(test, zone->watermark_boost, ZA_PAGEBLOCK_PAGES,
			    "the fallback boosted the watermarks");

	drain_with(test, pool, ZA_NOWARN_RETRYLESS | ZONEALLOC_GFP_HIGH,
		   &held);
	KUNIT_EXPECT_EQ_MSG(test, zone->free_pages, high_min,
			    "HIGH requests stop at min/2 despite the boost");
	drain_with(test, pool, ZA_NOWARN_RETRYLESS | ZONEALLOC_GFP_HIGH |
		   ZONEALLOC_GFP_ATOMIC, &held);
	KUNIT_EXPECT_EQ_MSG(test, zone->free_pages, atomic_min,
			    "HIGH|ATOMIC requests stop a quarter lower");
	/* Higher orders and plain requests still see the boost. */
	KUNIT_EXPECT_TRUE(test, zone->watermark_boost > 0);
	za_test_check(test, pool, "after draining under the boost");

	free_held(pool, &held);
	za_test_check(test, pool, "all freed");
	KUNIT_EXPECT_EQ(test, zone->watermark_boost, 0UL);
	KUNIT_EXPECT_EQ(test, zone->free_pages, zone->managed_pages);
}

static void zonealloc_wmark_lowmem_reserve_holds(struct kunit *test)
{
	static const unsigned int layout[ZA_NR_ZONES] = {
		[ZA_ZONE_DMA32] = 2,
		[ZA_ZONE_NORMAL] = 2,
	};
	struct za_pool *pool = za_test_pool(test, layout, false);
	struct za_zone *dma32 = &pool->zones[ZA_ZONE_DMA32];
	struct za_zone *normal = &pool->zones[ZA_ZONE_NORMAL];
	LIST_HEAD(held);
	long reserve;

	/* Reserve a quarter of NORMAL's size in DMA32 against NORMAL users. */
	pool->lowmem_reserve_ratio[ZA_ZONE_DMA32] = 4;
	za_pool_setup_lowmem_reserve(pool);
	reserve = dma32->lowmem_reserve[ZA_ZONE_NORMAL];
	KUNIT_ASSERT_EQ(test, reserve, (long)normal->managed_pages / 4);

	drain_with(test, pool, ZA_NOWARN_RETRYLESS, &held);
	KUNIT_EXPECT_EQ_MSG(test, normal->free_pages,
			    normal->watermark[ZA_WMARK_MIN],
			    "NORMAL drained to its min first");
	KUNIT_EXPECT_EQ_MSG(test, dma32->free_pages,
			    dma32->watermark[ZA_WMARK_MIN] + reserve,
			    "DMA32 keeps min + lowmem_reserve from NORMAL requests");
	drain_with(test, pool, ZA_NOWARN_RETRYLESS | ZONEALLOC_GFP_DMA32,
		   &held);
	KUNIT_EXPECT_EQ_MSG(test, dma32->free_pages,
			    dma32->watermark[ZA_WMARK_MIN],
			    "DMA32 requests may use the reserve");
	za_test_check(test, pool, "after draining");
	free_held(pool, &held);
	za_test_check(test, pool, "all freed");
}

static struct kunit_case zonealloc_wmark_cases[] = {
	KUNIT_CASE(zonealloc_wmark_formula),
	KUNIT_CASE(zonealloc_wmark_properties),
	KUNIT_CASE(zonealloc_wmark_min_free_kbytes_default),
	KUNIT_CASE(zonealloc_wmark_lowmem_reserve_formula),
	KUNIT_CASE(zonealloc_wmark_lowmem_reserve_properties),
	KUNIT_CASE(zonealloc_wmark_pcp_formula),
	KUNIT_CASE(zonealloc_wmark_pcp_properties),
	KUNIT_CASE(zonealloc_wmark_holds_back),
	KUNIT_CASE(zonealloc_wmark_nofail_keeps_reserve),
	KUNIT_CASE(zonealloc_wmark_boost_spares_reserve),
	KUNIT_CASE(zonealloc_wmark_lowmem_reserve_holds),
	{}
};

static struct kunit_suite zonealloc_wmark_suite = {
	.name = "zonealloc_wmark",
	.suite_init = za_test_suite_init,
	.init = za_test_case_init,
	.test_cases = zonealloc_wmark_cases,
};

kunit_test_suite(zonealloc_wmark_suite);
