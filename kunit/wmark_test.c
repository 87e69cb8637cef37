// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for zone sizing and the watermark checks: watermarks,
 * lowmem_reserve and PCP batch/high against the kernel's formulas (restated
 * here from mm/page_alloc.c of 6.12) for random inputs, then real pools
 * showing that the watermarks and lowmem_reserve hold requests back as the
 * flags say.
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

/* __setup_per_zone_wmarks() for one zone. */
static void ref_wmarks(unsigned long managed, unsigned long lowmem_pages,
		       int min_free_kbytes, int wsf, bool lowmem,
		       unsigned long wm[3])
{
	unsigned long pages_min = min_free_kbytes >> (PAGE_SHIFT - 10);
	u64 tmp = div64_ul((u64)pages_min * managed, lowmem_pages);

	if (lowmem) {
		wm[0] = tmp;
	} else {
		unsigned long min_pages = managed / 1024;

		wm[0] = clamp(min_pages, 32UL, 128UL);
	}
	tmp = max_t(u64, tmp >> 2, mult_frac(managed, wsf, 10000));
	wm[1] = wm[0] + tmp;
	wm[2] = wm[1] + tmp;
}

static void zonealloc_wmark_formula(struct kunit *test)
{
	struct rnd_state rnd;
	int round;

	prandom_seed_state(&rnd, za_test_seed());
	for (round = 0; round < 64; round++) {
		struct za_pool *pool = za_pool_create("formula");
		unsigned long lowmem = 0;
		int z;

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
		za_pool_setup_watermarks(pool);

		for (z = 0; z < ZA_NR_ZONES; z++) {
			struct za_zone *zone = &pool->zones[z];
			unsigned long wm[3];
			int w;

			ref_wmarks(zone->managed_pages, lowmem,
				   pool->min_free_kbytes,
				   pool->watermark_scale_factor,
				   z != ZA_ZONE_HIGHMEM && z != ZA_ZONE_MOVABLE,
				   wm);
			for (w = 0; w < 3; w++)
				KUNIT_EXPECT_EQ_MSG(test, zone->watermark[w], wm[w],
						    "round %d zone %s wmark %d managed %lu",
						    round, za_zone_names[z], w,
						    zone->managed_pages);
		}
		za_pool_destroy(pool);
	}
}

static void zonealloc_wmark_min_free_kbytes_default(struct kunit *test)
{
	struct za_pool *pool = za_pool_create("formula");

	KUNIT_ASSERT_NOT_NULL(test, pool);
	/* calculate_min_free_kbytes(): int_sqrt(lowmem_kbytes * 16). */
	pool->zones[ZA_ZONE_DMA32].managed_pages = SZ_64M / PAGE_SIZE;
	pool->zones[ZA_ZONE_MOVABLE].managed_pages = SZ_64M / PAGE_SIZE;
	za_pool_setup_watermarks(pool);
	KUNIT_EXPECT_EQ(test, pool->min_free_kbytes,
			(int)int_sqrt((SZ_64M >> 10) * 16));
	za_pool_destroy(pool);

	pool = za_pool_create("formula");
	KUNIT_ASSERT_NOT_NULL(test, pool);
	pool->zones[ZA_ZONE_NORMAL].managed_pages = 16;
	za_pool_setup_watermarks(pool);
	KUNIT_EXPECT_EQ(test, pool->min_free_kbytes, 128);
	za_pool_destroy(pool);
}

static void zonealloc_wmark_lowmem_reserve_formula(struct kunit *test)
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

		/* setup_per_zone_lowmem_reserve() */
		for (i = 0; i < ZA_NR_ZONES - 1; i++) {
			int ratio = pool->lowmem_reserve_ratio[i];
			bool clear = !ratio || !pool->zones[i].managed_pages;
			unsigned long managed = 0;

			for (j = i + 1; j < ZA_NR_ZONES; j++) {
				managed += pool->zones[j].managed_pages;
				KUNIT_EXPECT_EQ_MSG(test,
						    pool->zones[i].lowmem_reserve[j],
						    clear ? 0L : (long)(managed / ratio),
						    "round %d zone %s reserve against %s",
						    round, za_zone_names[i],
						    za_zone_names[j]);
			}
		}
		za_pool_destroy(pool);
	}
}

static void zonealloc_wmark_pcp_formula(struct kunit *test)
{
	struct rnd_state rnd;
	int round;

	prandom_seed_state(&rnd, za_test_seed() + 2);
	for (round = 0; round < 256; round++) {
		unsigned long managed = prandom_u32_state(&rnd) %
					(round < 128 ? 1 << 14 : 1 << 24);
		unsigned long low = prandom_u32_state(&rnd) % (1 << 16);
		int cpus = 1 + prandom_u32_state(&rnd) % 8;
		int batch, high;

		/* zone_batchsize() */
		batch = min_t(unsigned long, managed >> 10, SZ_1M / PAGE_SIZE);
		batch /= 4;
		if (batch < 1)
			batch = 1;
		batch = rounddown_pow_of_two(batch + batch / 2) - 1;
		/* zone_set_pageset_high_and_batch(): max(1, ...) */
		batch = max(1, batch);
		KUNIT_EXPECT_EQ_MSG(test, za_zone_batchsize(managed), batch,
				    "managed %lu", managed);

		/* zone_highsize() with percpu_pagelist_high_fraction 0 */
		high = max((int)(low / cpus), batch << 2);
		KUNIT_EXPECT_EQ_MSG(test, za_zone_highsize(low, batch, cpus),
				    high, "low %lu batch %d cpus %d", low, batch,
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
	KUNIT_CASE(zonealloc_wmark_min_free_kbytes_default),
	KUNIT_CASE(zonealloc_wmark_lowmem_reserve_formula),
	KUNIT_CASE(zonealloc_wmark_pcp_formula),
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
