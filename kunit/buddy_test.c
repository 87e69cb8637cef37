// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for the buddy allocator and its allocation paths: random
 * alloc/free sequences over every order, zone and migratetype checked by
 * the invariant checker; migratetype fallback and pageblock stealing; the
 * high-order atomic reserve; isolation; exhaustion; concurrency on every
 * CPU; a pool destroyed with allocations outstanding; the exported API.
 */

#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/err.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/prandom.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <zonealloc.h>

#include "alloc.h"
#include "chunk.h"
#include "buddy.h"
#include "gfp.h"
#include "pcp.h"
#include "pool.h"
#include "test_pool.h"
#include "vmstat.h"

struct held {
	struct za_page *zp;
	unsigned int order;
	u32 gfp;
};

/* Every valid zone-bit combination, for drawing random requests. */
static const u32 za_zone_flags[] = {
	0, ZONEALLOC_GFP_DMA, ZONEALLOC_GFP_DMA32, ZONEALLOC_GFP_HIGHMEM,
	ZONEALLOC_GFP_MOVABLE | ZONEALLOC_GFP_HIGHMEM,
};

static u32 random_gfp(struct rnd_state *rnd)
{
	u32 gfp = za_zone_flags[prandom_u32_state(rnd) %
				ARRAY_SIZE(za_zone_flags)];
	u32 r = prandom_u32_state(rnd);

	/* A migratetype, then extra behaviour bits. */
	if (!(gfp & ZONEALLOC_GFP_MOVABLE)) {
		if (r % 3 == 1)
			gfp |= ZONEALLOC_GFP_MOVABLE;
		else if (r % 3 == 2)
			gfp |= ZONEALLOC_GFP_RECLAIMABLE;
	}
	r /= 3;
	if (r & 1)
		gfp |= ZONEALLOC_GFP_HIGH;
	if (r & 2)
		gfp |= ZONEALLOC_GFP_ATOMIC;
	if (r & 4)
		gfp |= ZONEALLOC_GFP_ZERO;
	return gfp | ZONEALLOC_GFP_NORETRY | ZONEALLOC_GFP_NOWARN;
}

static unsigned int random_order(struct rnd_state *rnd)
{
	u32 r = prandom_u32_state(rnd) % 16;

	/* Mostly small orders, as real workloads. */
	return r < 12 ? r % 4 : prandom_u32_state(rnd) % (ZA_MAX_ORDER + 1);
}

static u64 *page_word(unsigned long pfn)
{
	return page_address(pfn_to_page(pfn));
}

/* Tag every page of an allocated block, so an overlap shows on free. */
static void tag_block(struct za_page *zp, unsigned int order)
{
	unsigned long i;

	for (i = 0; i < (1UL << order); i++)
		*page_word(zp->pfn + i) = zp->pfn ^ 0x5a5a0000UL;
}

static bool tag_ok(struct za_page *zp, unsigned int order)
{
	unsigned long i;

	for (i = 0; i < (1UL << order); i++)
		if (*page_word(zp->pfn + i) != (zp->pfn ^ 0x5a5a0000UL))
			return false;
	return true;
}

static bool zeroed(struct za_page *zp, unsigned int order)
{
	unsigned long i;

	for (i = 0; i < (1UL << order); i++)
		if (memchr_inv(page_address(pfn_to_page(zp->pfn + i)), 0,
			       PAGE_SIZE))
			return false;
	return true;
}

/* The zone an allocation landed in must be one its flags allow. */
static void check_zone_allowed(struct kunit *test, struct za_page *zp,
			       u32 gfp)
{
	int highest = za_gfp_zone(gfp);

	KUNIT_EXPECT_LE_MSG(test, (int)zp->zone, highest,
			    "gfp %#x got zone %s", gfp,
			    za_zone_names[zp->zone]);
	if (highest < ZA_ZONE_MOVABLE)
		KUNIT_EXPECT_NE_MSG(test, (int)zp->zone, ZA_ZONE_MOVABLE,
				    "gfp %#x", gfp);
	if (highest < ZA_ZONE_HIGHMEM)
		KUNIT_EXPECT_NE_MSG(test, (int)zp->zone, ZA_ZONE_HIGHMEM,
				    "gfp %#x", gfp);
}

static void free_all(struct kunit *test, struct za_pool *pool,
		     struct held *held, unsigned int *nr)
{
	while (*nr) {
		struct held *h = &held[--*nr];

		KUNIT_EXPECT_TRUE_MSG(test, tag_ok(h->zp, h->order),
				      "order-%u block at pfn %#lx was overwritten",
				      h->order, h->zp->pfn);
		KUNIT_EXPECT_EQ(test, za_free_pages(pool, h->zp, h->order), 0);
	}
}

/*
 * Tag every held block, then free them all: a block that overlaps another
 * shows as overwritten when it is freed.
 */
static void tag_and_free_all(struct kunit *test, struct za_pool *pool,
			     struct held *held, unsigned int *nr)
{
	unsigned int i;

	for (i = 0; i < *nr; i++)
		tag_block(held[i].zp, held[i].order);
	free_all(test, pool, held, nr);
}

static void expect_all_free(struct kunit *test, struct za_pool *pool)
{
	int z;

	za_pcp_drain_all(pool);
	za_test_check(test, pool, "after freeing everything");
	for (z = 0; z < ZA_NR_ZONES; z++)
		KUNIT_EXPECT_EQ_MSG(test, pool->zones[z].free_pages,
				    pool->zones[z].managed_pages,
				    "zone %s", za_zone_names[z]);
}

#define RANDOM_OPS	3000
#define RANDOM_HELD	512

static void zonealloc_buddy_random(struct kunit *test)
{
	static const unsigned int layout[ZA_NR_ZONES] = { 1, 2, 2, 1, 2 };
	struct za_pool *pool = za_test_pool(test, layout, true);
	struct held *held;
	unsigned int nr = 0, op, fails = 0;
	struct rnd_state rnd;

	held = kunit_kcalloc(test, RANDOM_HELD, sizeof(*held), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, held);
	prandom_seed_state(&rnd, za_test_seed());

	for (op = 0; op < RANDOM_OPS; op++) {
		bool do_alloc = nr < RANDOM_HELD &&
				(!nr || prandom_u32_state(&rnd) % 8 < 5);

		if (do_alloc) {
			u32 gfp = random_gfp(&rnd);
			unsigned int order = random_order(&rnd);
			struct za_page *zp = za_alloc_pages(pool, gfp, order);

			if (IS_ERR(zp)) {
				KUNIT_ASSERT_EQ_MSG(test, PTR_ERR(zp), -ENOMEM,
						    "op %u gfp %#x order %u",
						    op, gfp, order);
				fails++;
				continue;
			}
			check_zone_allowed(test, zp, gfp);
			if (gfp & ZONEALLOC_GFP_ZERO)
				KUNIT_EXPECT_TRUE_MSG(test, zeroed(zp, order),
						      "op %u: order-%u ZERO block not zeroed",
						      op, order);
			tag_block(zp, order);
			held[nr++] = (struct held){ zp, order, gfp };
		} else {
			unsigned int i = prandom_u32_state(&rnd) % nr;
			struct held h = held[i];

			held[i] = held[--nr];
			KUNIT_EXPECT_TRUE_MSG(test, tag_ok(h.zp, h.order),
					      "op %u: order-%u block at pfn %#lx overwritten",
					      op, h.order, h.zp->pfn);
			KUNIT_ASSERT_EQ(test, za_free_pages(pool, h.zp, h.order),
					0);
		}
		if (op % 250 == 0)
			za_test_check(test, pool, "during random alloc/free");
	}
	kunit_info(test, "%u ops, %u failed allocations, %u held at the end\n",
		   RANDOM_OPS, fails, nr);
	za_test_check(test, pool, "after random alloc/free");
	free_all(test, pool, held, &nr);
	expect_all_free(test, pool);
}

static void zonealloc_buddy_double_free(struct kunit *test)
{
	static const unsigned int layout[ZA_NR_ZONES] = { [ZA_ZONE_NORMAL] = 2 };
	struct za_pool *pool = za_test_pool(test, layout, false);
	struct za_page *zp;

	zp = za_alloc_pages(pool, 0, 3);
	KUNIT_ASSERT_FALSE(test, IS_ERR(zp));
	KUNIT_EXPECT_EQ(test, za_free_pages(pool, zp, 2), -EINVAL);
	KUNIT_EXPECT_EQ(test, za_free_pages(pool, zp, 3), 0);
	KUNIT_EXPECT_EQ(test, za_free_pages(pool, zp, 3), -EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(za_alloc_pages(pool, 0, ZA_MAX_ORDER + 1)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(za_alloc_pages(pool, ZONEALLOC_GFP_DMA |
						     ZONEALLOC_GFP_DMA32, 0)),
			-EINVAL);
	expect_all_free(test, pool);
}

static unsigned int count_pageblocks(struct za_pool *pool, int mt)
{
	unsigned int i, n = 0;
	unsigned long j;

	for (i = 0; i < pool->nr_chunks; i++)
		for (j = 0; j < pool->chunks[i].nr_pages;
		     j += ZA_PAGEBLOCK_PAGES)
			n += za_get_pageblock_mt(&pool->chunks[i].pages[j]) == mt;
	return n;
}

static void zonealloc_buddy_fallback_claim(struct kunit *test)
{
	static const unsigned int layout[ZA_NR_ZONES] = { [ZA_ZONE_NORMAL] = 4 };
	struct za_pool *pool = za_test_pool(test, layout, false);
	struct za_zone *zone = &pool->zones[ZA_ZONE_NORMAL];
	struct za_page *un, *mov;

	KUNIT_ASSERT_EQ(test, count_pageblocks(pool, ZA_MIGRATE_MOVABLE), 4U);
	/* No UNMOVABLE pages: claim the largest MOVABLE block, both blocks. */
	un = za_alloc_pages(pool, 0, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(un));
	KUNIT_EXPECT_EQ(test, za_get_pageblock_mt(un), ZA_MIGRATE_UNMOVABLE);
	KUNIT_EXPECT_EQ(test, count_pageblocks(pool, ZA_MIGRATE_UNMOVABLE), 2U);
	KUNIT_EXPECT_EQ(test, za_zone_events(zone, fallbacks), 1L);
	KUNIT_EXPECT_EQ(test, za_zone_events(zone, steals), 1L);
	za_test_check(test, pool, "after the claim");

	/* MOVABLE has its own block left: no fallback. */
	mov = za_alloc_pages(pool, ZONEALLOC_GFP_MOVABLE, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(mov));
	KUNIT_EXPECT_EQ(test, za_get_pageblock_mt(mov), ZA_MIGRATE_MOVABLE);
	KUNIT_EXPECT_EQ(test, za_zone_events(zone, fallbacks), 1L);

	/* Freed, the blocks keep their new type and merge back to order 10. */
	za_free_pages(pool, un, 0);
	za_free_pages(pool, mov, 0);
	KUNIT_EXPECT_EQ(test, zone->free_area[ZA_MAX_ORDER].nr_free, 2UL);
	KUNIT_EXPECT_EQ(test, count_pageblocks(pool, ZA_MIGRATE_UNMOVABLE), 2U);
	expect_all_free(test, pool);
}

static void zonealloc_buddy_fallback_steal(struct kunit *test)
{
	static const unsigned int layout[ZA_NR_ZONES] = { [ZA_ZONE_NORMAL] = 2 };
	struct za_pool *pool = za_test_pool(test, layout, false);
	struct za_zone *zone = &pool->zones[ZA_ZONE_NORMAL];
	struct held *held;
	unsigned int nr = 0, i;
	struct za_page *zp;
	long steals;

	held = kunit_kcalloc(test, 520, sizeof(*held), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, held);
	za_test_zero_wmarks(&pool->zones[ZA_ZONE_NORMAL]);

	/* Claim both pageblocks for UNMOVABLE, fill the second one. */
	zp = za_alloc_pages(pool, ZONEALLOC_GFP_NOWARN, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(zp));
	held[nr++] = (struct held){ zp, 0, 0 };
	zp = za_alloc_pages(pool, ZONEALLOC_GFP_NOWARN, ZA_PAGEBLOCK_ORDER);
	KUNIT_ASSERT_FALSE(test, IS_ERR(zp));
	held[nr++] = (struct held){ zp, ZA_PAGEBLOCK_ORDER, 0 };
	KUNIT_ASSERT_EQ(test, count_pageblocks(pool, ZA_MIGRATE_UNMOVABLE), 2U);

	/* Leave 11 free pages (orders 3, 1, 0) in the first pageblock. */
	for (i = 0; i < 500; i++) {
		zp = za_alloc_pages(pool, ZONEALLOC_GFP_NOWARN, 0);
		KUNIT_ASSERT_FALSE(test, IS_ERR(zp));
		held[nr++] = (struct held){ zp, 0, 0 };
	}
	KUNIT_ASSERT_EQ(test, zone->free_pages, 11UL);
	steals = za_zone_events(zone, steals);

	/*
	 * A MOVABLE request now finds only small UNMOVABLE blocks: too small
	 * to claim the pageblock (can_steal_fallback), so it takes a single
	 * block and the pageblock stays UNMOVABLE.
	 */
	zp = za_alloc_pages(pool, ZONEALLOC_GFP_MOVABLE | ZONEALLOC_GFP_NOWARN,
			    0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(zp));
	held[nr++] = (struct held){ zp, 0, ZONEALLOC_GFP_MOVABLE };
	KUNIT_EXPECT_EQ(test, za_get_pageblock_mt(zp), ZA_MIGRATE_UNMOVABLE);
	KUNIT_EXPECT_EQ(test, za_zone_events(zone, steals), steals);
	KUNIT_EXPECT_EQ(test, za_zone_events(zone, fallbacks), 2L);
	za_test_check(test, pool, "after the single steal");

	tag_and_free_all(test, pool, held, &nr);
	expect_all_free(test, pool);
}

static void zonealloc_buddy_fallback_boost(struct kunit *test)
{
	static const unsigned int layout[ZA_NR_ZONES] = { [ZA_ZONE_NORMAL] = 4 };
	struct za_pool *pool = za_test_pool(test, layout, false);
	struct za_zone *zone = &pool->zones[ZA_ZONE_NORMAL];
	struct held *held;
	unsigned int nr = 0, i;
	struct za_page *zp;

	held = kunit_kcalloc(test, 16, sizeof(*held), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, held);
	za_test_zero_wmarks(zone);

	/* Fill the zone with MOVABLE order-8 blocks, give one back. */
	for (i = 0; i < 8; i++) {
		zp = za_alloc_pages(pool, ZONEALLOC_GFP_MOVABLE |
				    ZONEALLOC_GFP_NOWARN, 8);
		KUNIT_ASSERT_FALSE(test, IS_ERR(zp));
		held[nr++] = (struct held){ zp, 8, ZONEALLOC_GFP_MOVABLE };
	}
	KUNIT_ASSERT_EQ(test, zone->free_pages, 0UL);
	zp = held[--nr].zp;
	KUNIT_ASSERT_EQ(test, za_free_pages(pool, zp, 8), 0);
	KUNIT_EXPECT_EQ(test, zone->watermark_boost, 0UL);

	/*
	 * UNMOVABLE must fall back to half a MOVABLE pageblock: free plus
	 * compatible pages reach half the block, so it is claimed, and the
	 * watermarks are boosted by a pageblock.
	 */
	zp = za_alloc_pages(pool, ZONEALLOC_GFP_NOWARN, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(zp));
	held[nr++] = (struct held){ zp, 0, 0 };
	KUNIT_EXPECT_EQ(test, za_get_pageblock_mt(zp), ZA_MIGRATE_UNMOVABLE);
	KUNIT_EXPECT_EQ(test, za_zone_events(zone, steals), 1L);
	KUNIT_EXPECT_EQ(test, zone->watermark_boost, ZA_PAGEBLOCK_PAGES);
	za_test_check(test, pool, "after the boosted claim");

	/* The boost holds back what the plain watermark would allow. */
	zp = za_alloc_pages(pool, ZONEALLOC_GFP_NORETRY | ZONEALLOC_GFP_NOWARN,
			    0);
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(zp), -ENOMEM);

	/* Back above high + boost, the boost is cleared. */
	tag_and_free_all(test, pool, held, &nr);
	KUNIT_EXPECT_EQ(test, zone->watermark_boost, 0UL);
	expect_all_free(test, pool);
}

/*
 * ALLOC_NOFRAGMENT, as 6.12's get_page_from_freelist() with
 * alloc_flags_nofragment(): an UNMOVABLE request whose first zone is
 * NORMAL, where only part of a MOVABLE pageblock is free (a claim 6.12
 * would make without the flag), is served from DMA32's UNMOVABLE pages
 * with no fallback anywhere; once DMA32 has nothing left, the walk is
 * done again without the flag and NORMAL's pageblock is claimed.
 */
static void nofragment_case(struct kunit *test, bool pcp)
{
	static const unsigned int layout[ZA_NR_ZONES] = {
		[ZA_ZONE_DMA32] = 1, [ZA_ZONE_NORMAL] = 2,
	};
	const u32 nowarn = ZONEALLOC_GFP_NORETRY | ZONEALLOC_GFP_NOWARN;
	struct za_pool *pool = za_test_pool(test, layout, pcp);
	struct za_zone *dma32 = &pool->zones[ZA_ZONE_DMA32];
	struct za_zone *normal = &pool->zones[ZA_ZONE_NORMAL];
	struct held *held;
	unsigned int nr = 0, i;
	struct za_page *zp;
	long dma32_steals;

	held = kunit_kcalloc(test, 2 * ZA_PAGEBLOCK_PAGES, sizeof(*held),
			     GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, held);
	za_test_zero_wmarks(dma32);
	za_test_zero_wmarks(normal);
	for (i = 0; i < ZA_NR_ZONES; i++)
		dma32->lowmem_reserve[i] = 0;

	/* DMA32's pageblock becomes UNMOVABLE (its first zone is DMA32). */
	zp = za_alloc_pages(pool, ZONEALLOC_GFP_DMA32 | nowarn, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(zp));
	held[nr++] = (struct held){ zp, 0, ZONEALLOC_GFP_DMA32 };
	KUNIT_ASSERT_EQ(test, (int)zp->zone, ZA_ZONE_DMA32);
	KUNIT_ASSERT_EQ(test, za_get_pageblock_mt(zp), ZA_MIGRATE_UNMOVABLE);
	dma32_steals = za_zone_events(dma32, steals);

	/*
	 * NORMAL: three MOVABLE order-8 blocks out of its two pageblocks
	 * leave one half-free MOVABLE pageblock and no free pageblock.
	 */
	for (i = 0; i < 3; i++) {
		zp = za_alloc_pages(pool, ZONEALLOC_GFP_MOVABLE | nowarn,
				    ZA_PAGEBLOCK_ORDER - 1);
		KUNIT_ASSERT_FALSE(test, IS_ERR(zp));
		KUNIT_ASSERT_EQ(test, (int)zp->zone, ZA_ZONE_NORMAL);
		held[nr++] = (struct held){ zp, ZA_PAGEBLOCK_ORDER - 1,
					    ZONEALLOC_GFP_MOVABLE };
	}
	KUNIT_ASSERT_EQ(test, normal->free_pages, ZA_PAGEBLOCK_PAGES / 2UL);
	for (i = ZA_PAGEBLOCK_ORDER; i <= ZA_MAX_ORDER; i++)
		KUNIT_ASSERT_EQ(test, normal->free_area[i].nr_free, 0UL);
	KUNIT_ASSERT_EQ(test, za_zone_events(normal, fallbacks), 0L);

	/* NOFRAGMENT: DMA32's UNMOVABLE pages, no fallback, no steal. */
	zp = za_alloc_pages(pool, nowarn, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(zp));
	held[nr++] = (struct held){ zp, 0, 0 };
	KUNIT_EXPECT_EQ(test, (int)zp->zone, ZA_ZONE_DMA32);
	KUNIT_EXPECT_EQ(test, za_get_pageblock_mt(zp), ZA_MIGRATE_UNMOVABLE);
	KUNIT_EXPECT_EQ(test, za_zone_events(normal, fallbacks), 0L);
	KUNIT_EXPECT_EQ(test, za_zone_events(normal, steals), 0L);
	KUNIT_EXPECT_EQ(test, za_zone_events(dma32, steals), dma32_steals);
	KUNIT_EXPECT_EQ(test, normal->free_pages, ZA_PAGEBLOCK_PAGES / 2UL);
	za_test_check(test, pool, "after the NOFRAGMENT allocation");

	/* DMA32 exhausted (its own requests never set the flag). */
	for (;;) {
		zp = za_alloc_pages(pool, ZONEALLOC_GFP_DMA32 | nowarn, 0);
		if (IS_ERR(zp))
			break;
		KUNIT_ASSERT_EQ(test, (int)zp->zone, ZA_ZONE_DMA32);
		held[nr++] = (struct held){ zp, 0, ZONEALLOC_GFP_DMA32 };
		KUNIT_ASSERT_LT(test, nr, 2 * ZA_PAGEBLOCK_PAGES);
	}
	KUNIT_ASSERT_EQ(test, dma32->free_pages, 0UL);

	/* The retry without the flag claims NORMAL's half-free pageblock. */
	zp = za_alloc_pages(pool, nowarn, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(zp));
	held[nr++] = (struct held){ zp, 0, 0 };
	KUNIT_EXPECT_EQ(test, (int)zp->zone, ZA_ZONE_NORMAL);
	KUNIT_EXPECT_EQ(test, za_get_pageblock_mt(zp), ZA_MIGRATE_UNMOVABLE);
	KUNIT_EXPECT_EQ(test, za_zone_events(normal, fallbacks), 1L);
	KUNIT_EXPECT_EQ(test, za_zone_events(normal, steals), 1L);
	za_test_check(test, pool, "after the fallback without NOFRAGMENT");

	tag_and_free_all(test, pool, held, &nr);
	expect_all_free(test, pool);
}

static void zonealloc_buddy_nofragment(struct kunit *test)
{
	nofragment_case(test, false);
}

static void zonealloc_buddy_nofragment_pcp(struct kunit *test)
{
	nofragment_case(test, true);
}

static void zonealloc_buddy_zonelist(struct kunit *test)
{
	static const unsigned int layout[ZA_NR_ZONES] = { 1, 1, 1, 1, 1 };
	static const struct {
		u32 gfp;
		int first;
	} cases[] = {
		{ 0, ZA_ZONE_NORMAL },
		{ ZONEALLOC_GFP_DMA, ZA_ZONE_DMA },
		{ ZONEALLOC_GFP_DMA32, ZA_ZONE_DMA32 },
		{ ZONEALLOC_GFP_HIGHMEM, ZA_ZONE_HIGHMEM },
		{ ZONEALLOC_GFP_MOVABLE, ZA_ZONE_NORMAL },
		{ ZONEALLOC_GFP_MOVABLE | ZONEALLOC_GFP_HIGHMEM, ZA_ZONE_MOVABLE },
	};
	struct za_pool *pool = za_test_pool(test, layout, false);
	struct held *held;
	unsigned int nr = 0, i, z;

	held = kunit_kcalloc(test, 2600, sizeof(*held), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, held);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct za_page *zp = za_alloc_pages(pool, cases[i].gfp, 0);

		KUNIT_ASSERT_FALSE(test, IS_ERR(zp));
		KUNIT_EXPECT_EQ_MSG(test, (int)zp->zone, cases[i].first,
				    "gfp %#x starts in the wrong zone",
				    cases[i].gfp);
		held[nr++] = (struct held){ zp, 0, cases[i].gfp };
	}

	/* MOVABLE|HIGHMEM may use every zone, each down to its reserve. */
	for (;;) {
		u32 gfp = ZONEALLOC_GFP_MOVABLE | ZONEALLOC_GFP_HIGHMEM |
			  ZONEALLOC_GFP_NORETRY | ZONEALLOC_GFP_NOWARN;
		struct za_page *zp = za_alloc_pages(pool, gfp, 0);

		if (IS_ERR(zp))
			break;
		held[nr++] = (struct held){ zp, 0, gfp };
		KUNIT_ASSERT_LT(test, nr, 2600U);
	}
	for (z = 0; z < ZA_NR_ZONES; z++)
		KUNIT_EXPECT_EQ_MSG(test, pool->zones[z].free_pages,
				    pool->zones[z].watermark[ZA_WMARK_MIN] +
				    pool->zones[z].lowmem_reserve[ZA_ZONE_MOVABLE],
				    "zone %s left at min + lowmem_reserve",
				    za_zone_names[z]);
	tag_and_free_all(test, pool, held, &nr);
	expect_all_free(test, pool);
}

static void zonealloc_buddy_slowpath_flags(struct kunit *test)
{
	static const unsigned int layout[ZA_NR_ZONES] = { [ZA_ZONE_NORMAL] = 4 };
	struct za_pool *pool = za_test_pool(test, layout, false);
	struct za_zone *zone = &pool->zones[ZA_ZONE_NORMAL];
	unsigned long managed = zone->managed_pages;
	const u32 nowarn = ZONEALLOC_GFP_NOWARN;
	struct held *held;
	unsigned int nr = 0;
	struct za_page *zp;

	held = kunit_kcalloc(test, 2100, sizeof(*held), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, held);
	/* One reserved highatomic pageblock, as in the highatomic case. */
	zone->watermark[ZA_WMARK_MIN] = 0;
	zone->watermark[ZA_WMARK_LOW] = managed;
	zone->managed_pages = 100 * ZA_PAGEBLOCK_PAGES;
	zp = za_alloc_pages(pool, ZONEALLOC_GFP_ATOMIC | ZONEALLOC_GFP_HIGH |
			    nowarn, 2);
	zone->managed_pages = managed;
	KUNIT_ASSERT_FALSE(test, IS_ERR(zp));
	KUNIT_ASSERT_EQ(test, zone->nr_reserved_highatomic, ZA_PAGEBLOCK_PAGES);
	KUNIT_ASSERT_EQ(test, za_free_pages(pool, zp, 2), 0);

	/* Everything else allocated. */
	for (;;) {
		zp = za_alloc_pages(pool, ZONEALLOC_GFP_NORETRY | nowarn, 0);
		if (IS_ERR(zp))
			break;
		held[nr++] = (struct held){ zp, 0, 0 };
		KUNIT_ASSERT_LT(test, nr, 2100U);
	}

	/*
	 * Only the last reserved pageblock is left, which only a request
	 * that keeps retrying may release: not NORETRY, and for a costly
	 * order not without RETRY_MAYFAIL.
	 */
	zp = za_alloc_pages(pool, ZONEALLOC_GFP_NORETRY | nowarn, 0);
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(zp), -ENOMEM);
	zp = za_alloc_pages(pool, nowarn, ZA_COSTLY_ORDER + 1);
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(zp), -ENOMEM);
	KUNIT_EXPECT_EQ(test, zone->nr_reserved_highatomic, ZA_PAGEBLOCK_PAGES);
	zp = za_alloc_pages(pool, ZONEALLOC_GFP_RETRY_MAYFAIL | nowarn,
			    ZA_COSTLY_ORDER + 1);
	KUNIT_ASSERT_FALSE(test, IS_ERR(zp));
	held[nr++] = (struct held){ zp, ZA_COSTLY_ORDER + 1, 0 };
	KUNIT_EXPECT_EQ(test, zone->nr_reserved_highatomic, 0UL);
	za_test_check(test, pool, "after RETRY_MAYFAIL released the reserve");

	tag_and_free_all(test, pool, held, &nr);
	expect_all_free(test, pool);
}

static void zonealloc_buddy_highatomic(struct kunit *test)
{
	static const unsigned int layout[ZA_NR_ZONES] = { [ZA_ZONE_NORMAL] = 4 };
	struct za_pool *pool = za_test_pool(test, layout, false);
	struct za_zone *zone = &pool->zones[ZA_ZONE_NORMAL];
	const u32 atomic = ZONEALLOC_GFP_ATOMIC | ZONEALLOC_GFP_HIGH |
			   ZONEALLOC_GFP_NOWARN;
	unsigned long managed = zone->managed_pages;
	struct held *held;
	unsigned int nr = 0, i;
	struct za_page *zp;

	held = kunit_kcalloc(test, 2100, sizeof(*held), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, held);
	/*
	 * The reserve is capped at 1% of the zone and needs that 1% to be a
	 * pageblock: make the zone look 100 pageblocks large while
	 * allocating. The fast path (low watermark) must fail so that atomic
	 * requests reach the slow path, where the reserve is made.
	 */
	zone->watermark[ZA_WMARK_MIN] = 0;
	zone->watermark[ZA_WMARK_LOW] = managed;
	zone->managed_pages = 100 * ZA_PAGEBLOCK_PAGES;

	zp = za_alloc_pages(pool, atomic, 2);
	KUNIT_ASSERT_FALSE(test, IS_ERR(zp));
	held[nr++] = (struct held){ zp, 2, atomic };
	KUNIT_EXPECT_EQ(test, za_get_pageblock_mt(zp), ZA_MIGRATE_HIGHATOMIC);
	KUNIT_EXPECT_EQ(test, zone->nr_reserved_highatomic, ZA_PAGEBLOCK_PAGES);
	KUNIT_EXPECT_EQ(test, za_zone_events(zone, highatomic_reserved),
			1L);

	/* Use up the reserved block and one more: the reserve stays bounded. */
	for (i = 0; i < ZA_PAGEBLOCK_PAGES / 4; i++) {
		zp = za_alloc_pages(pool, atomic, 2);
		KUNIT_ASSERT_FALSE(test, IS_ERR(zp));
		held[nr++] = (struct held){ zp, 2, atomic };
	}
	KUNIT_EXPECT_EQ(test, zone->nr_reserved_highatomic, ZA_PAGEBLOCK_PAGES);
	KUNIT_EXPECT_EQ(test, count_pageblocks(pool, ZA_MIGRATE_HIGHATOMIC), 1U);
	zone->managed_pages = managed;
	za_test_check(test, pool, "after atomic allocations");

	/* Free the reserved block's pages: they go back to HIGHATOMIC. */
	tag_and_free_all(test, pool, held, &nr);
	KUNIT_EXPECT_EQ(test, zone->nr_free_highatomic, ZA_PAGEBLOCK_PAGES);

	/* Plain NORETRY requests cannot touch the reserve... */
	for (;;) {
		zp = za_alloc_pages(pool, ZONEALLOC_GFP_NORETRY |
				    ZONEALLOC_GFP_NOWARN, 0);
		if (IS_ERR(zp))
			break;
		held[nr++] = (struct held){ zp, 0, 0 };
		KUNIT_ASSERT_LT(test, nr, 2100U);
	}
	KUNIT_EXPECT_EQ(test, nr, (unsigned int)(managed - ZA_PAGEBLOCK_PAGES));
	KUNIT_EXPECT_EQ(test, zone->nr_free_highatomic, ZA_PAGEBLOCK_PAGES);

	/* ...but under pressure a retrying request releases it. */
	zp = za_alloc_pages(pool, ZONEALLOC_GFP_NOWARN, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(zp));
	held[nr++] = (struct held){ zp, 0, 0 };
	KUNIT_EXPECT_EQ(test, zone->nr_reserved_highatomic, 0UL);
	KUNIT_EXPECT_EQ(test, count_pageblocks(pool, ZA_MIGRATE_HIGHATOMIC), 0U);
	za_test_check(test, pool, "after releasing the reserve");

	tag_and_free_all(test, pool, held, &nr);
	expect_all_free(test, pool);
}

/*
 * Reserve one highatomic pageblock in @pool's NORMAL zone with one
 * ATOMIC|HIGH order-2 request and return it: the zone is made to look 100
 * pageblocks large meanwhile (the reserve is capped at 1% of it) and the
 * low watermark is raised to send the request to the slow path.
 */
static struct za_page *reserve_highatomic(struct kunit *test,
					  struct za_pool *pool)
{
	struct za_zone *zone = &pool->zones[ZA_ZONE_NORMAL];
	unsigned long managed = zone->managed_pages;
	struct za_page *zp;

	zone->watermark[ZA_WMARK_MIN] = 0;
	zone->watermark[ZA_WMARK_LOW] = managed;
	zone->managed_pages = 100 * ZA_PAGEBLOCK_PAGES;
	zp = za_alloc_pages(pool, ZONEALLOC_GFP_ATOMIC | ZONEALLOC_GFP_HIGH |
			    ZONEALLOC_GFP_NOWARN, 2);
	zone->managed_pages = managed;
	KUNIT_ASSERT_FALSE(test, IS_ERR(zp));
	KUNIT_ASSERT_EQ(test, za_get_pageblock_mt(zp), ZA_MIGRATE_HIGHATOMIC);
	KUNIT_ASSERT_EQ(test, zone->nr_reserved_highatomic, ZA_PAGEBLOCK_PAGES);
	return zp;
}

/*
 * As 6.12's __zone_watermark_ok(): requests without reserves lose the free
 * pages of the highatomic blocks, not the whole reserved size. With the
 * reserved pageblock all allocated, plain requests may use every other
 * page.
 */
static void zonealloc_buddy_highatomic_free_only(struct kunit *test)
{
	static const unsigned int layout[ZA_NR_ZONES] = { [ZA_ZONE_NORMAL] = 4 };
	struct za_pool *pool = za_test_pool(test, layout, false);
	struct za_zone *zone = &pool->zones[ZA_ZONE_NORMAL];
	const u32 atomic = ZONEALLOC_GFP_ATOMIC | ZONEALLOC_GFP_HIGH |
			   ZONEALLOC_GFP_NOWARN;
	unsigned long managed = zone->managed_pages;
	unsigned int nr = 0, i, plain = 0;
	struct held *held;
	struct za_page *zp;

	held = kunit_kcalloc(test, 2100, sizeof(*held), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, held);
	zp = reserve_highatomic(test, pool);
	held[nr++] = (struct held){ zp, 2, atomic };
	/* The rest of the reserved pageblock, order-2 block by block. */
	for (i = 1; i < ZA_PAGEBLOCK_PAGES / 4; i++) {
		zp = za_alloc_pages(pool, atomic, 2);
		KUNIT_ASSERT_FALSE(test, IS_ERR(zp));
		KUNIT_ASSERT_EQ(test, za_get_pageblock_mt(zp),
				ZA_MIGRATE_HIGHATOMIC);
		held[nr++] = (struct held){ zp, 2, atomic };
	}
	KUNIT_ASSERT_EQ(test, zone->nr_free_highatomic, 0UL);
	KUNIT_ASSERT_EQ(test, zone->nr_reserved_highatomic, ZA_PAGEBLOCK_PAGES);

	for (;;) {
		zp = za_alloc_pages(pool, ZONEALLOC_GFP_NORETRY |
				    ZONEALLOC_GFP_NOWARN, 0);
		if (IS_ERR(zp))
			break;
		held[nr++] = (struct held){ zp, 0, 0 };
		plain++;
		KUNIT_ASSERT_LT(test, nr, 2100U);
	}
	KUNIT_EXPECT_EQ_MSG(test, plain,
			    (unsigned int)(managed - ZA_PAGEBLOCK_PAGES),
			    "an allocated highatomic pageblock holds nothing back (free %lu)",
			    zone->free_pages);
	KUNIT_EXPECT_EQ(test, zone->free_pages, 0UL);
	za_test_check(test, pool, "after using every page");

	tag_and_free_all(test, pool, held, &nr);
	expect_all_free(test, pool);
}

/*
 * Isolation reads each pageblock's type under the zone lock: a highatomic
 * pageblock is busy, never isolated and given back as another type (which
 * would leave nr_reserved_highatomic counting a pageblock that is not one).
 */
static void zonealloc_buddy_isolate_highatomic(struct kunit *test)
{
	static const unsigned int layout[ZA_NR_ZONES] = { [ZA_ZONE_NORMAL] = 4 };
	struct za_pool *pool = za_test_pool(test, layout, false);
	struct za_zone *zone = &pool->zones[ZA_ZONE_NORMAL];
	unsigned long ha, pair, other;
	struct za_page *zp;
	u8 old_mt[2];
	int other_mt;

	zp = reserve_highatomic(test, pool);
	KUNIT_ASSERT_EQ(test, za_free_pages(pool, zp, 2), 0);
	KUNIT_ASSERT_EQ(test, zone->nr_free_highatomic, ZA_PAGEBLOCK_PAGES);
	ha = zp->pfn & ~(ZA_PAGEBLOCK_PAGES - 1);
	/* The test pool's ranges are order-10 blocks: two pageblocks each. */
	pair = zp->pfn & ~(2 * ZA_PAGEBLOCK_PAGES - 1);
	other = ha == pair ? pair + ZA_PAGEBLOCK_PAGES : pair;
	other_mt = za_get_pageblock_mt(za_pfn_to_page(pool, other));
	KUNIT_ASSERT_LT(test, other_mt, ZA_MIGRATE_PCPTYPES);

	KUNIT_EXPECT_EQ(test, za_isolate_range(pool, ha, ha + ZA_PAGEBLOCK_PAGES,
					       ZA_MIGRATE_MOVABLE, NULL),
			-EBUSY);
	KUNIT_EXPECT_EQ(test, za_get_pageblock_mt(zp), ZA_MIGRATE_HIGHATOMIC);
	KUNIT_EXPECT_EQ(test, zone->nr_free_highatomic, ZA_PAGEBLOCK_PAGES);
	za_test_check(test, pool, "after refusing to isolate a highatomic block");

	/* Both pageblocks of the pair: the other one gets its type back. */
	KUNIT_EXPECT_EQ(test, za_isolate_range(pool, pair,
					       pair + 2 * ZA_PAGEBLOCK_PAGES,
					       ZA_MIGRATE_RECLAIMABLE, old_mt),
			-EBUSY);
	KUNIT_EXPECT_EQ(test, za_get_pageblock_mt(za_pfn_to_page(pool, other)),
			other_mt);
	KUNIT_EXPECT_EQ(test, za_get_pageblock_mt(zp), ZA_MIGRATE_HIGHATOMIC);
	KUNIT_EXPECT_EQ(test, zone->free_pages, zone->managed_pages);
	za_test_check(test, pool, "after a failed isolation of the pair");

	/* The other one alone is isolated; its type is reported. */
	old_mt[0] = ZA_MIGRATE_TYPES;
	KUNIT_EXPECT_EQ(test, za_isolate_range(pool, other,
					       other + ZA_PAGEBLOCK_PAGES,
					       ZA_MIGRATE_RECLAIMABLE, old_mt), 0);
	KUNIT_EXPECT_EQ(test, (int)old_mt[0], other_mt);
	KUNIT_EXPECT_EQ(test, za_undo_isolate_range(pool, other,
						    other + ZA_PAGEBLOCK_PAGES,
						    old_mt[0]), 0);
	KUNIT_EXPECT_EQ(test, zone->nr_reserved_highatomic, ZA_PAGEBLOCK_PAGES);
	KUNIT_EXPECT_EQ(test, count_pageblocks(pool, ZA_MIGRATE_HIGHATOMIC), 1U);
	expect_all_free(test, pool);
}

static void zonealloc_buddy_isolate(struct kunit *test)
{
	static const unsigned int layout[ZA_NR_ZONES] = { [ZA_ZONE_NORMAL] = 4 };
	struct za_pool *pool = za_test_pool(test, layout, true);
	struct za_zone *zone = &pool->zones[ZA_ZONE_NORMAL];
	unsigned long start = zone->start_pfn, end = start + ZA_PAGEBLOCK_PAGES;
	struct held *held;
	unsigned int nr = 0;
	struct za_page *zp, *inside = NULL;

	held = kunit_kcalloc(test, 2100, sizeof(*held), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, held);
	za_test_zero_wmarks(zone);

	/* Hold a page inside the block to isolate, to free it there later. */
	while (!inside) {
		zp = za_alloc_pages(pool, ZONEALLOC_GFP_MOVABLE, 0);
		KUNIT_ASSERT_FALSE(test, IS_ERR(zp));
		if (zp->pfn >= start && zp->pfn < end)
			inside = zp;
		else
			held[nr++] = (struct held){ zp, 0, 0 };
		KUNIT_ASSERT_LT(test, nr, 2100U);
	}

	KUNIT_ASSERT_EQ(test, za_isolate_range(pool, start, end,
					       ZA_MIGRATE_MOVABLE, NULL), 0);
	KUNIT_EXPECT_EQ(test, za_isolate_range(pool, start, end,
					       ZA_MIGRATE_MOVABLE, NULL), -EBUSY);
	za_pcp_drain_all(pool);
	za_test_check(test, pool, "after isolating");
	/* All of the block but the held page is free and isolated. */
	KUNIT_EXPECT_EQ(test, zone->free_pages + nr + 1 +
			(ZA_PAGEBLOCK_PAGES - 1), zone->managed_pages);

	/* Nothing is allocated from the isolated block. */
	for (;;) {
		zp = za_alloc_pages(pool, ZONEALLOC_GFP_MOVABLE |
				    ZONEALLOC_GFP_NORETRY |
				    ZONEALLOC_GFP_NOWARN, 0);
		if (IS_ERR(zp))
			break;
		KUNIT_EXPECT_FALSE_MSG(test, zp->pfn >= start && zp->pfn < end,
				       "pfn %#lx allocated from an isolated block",
				       zp->pfn);
		held[nr++] = (struct held){ zp, 0, 0 };
		KUNIT_ASSERT_LT(test, nr, 2100U);
	}
	/* A page freed into it stays isolated. */
	za_free_pages(pool, inside, 0);
	za_pcp_drain_all(pool);
	KUNIT_EXPECT_EQ(test, zone->free_pages, 0UL);
	za_test_check(test, pool, "after freeing into the isolated block");

	KUNIT_ASSERT_EQ(test, za_undo_isolate_range(pool, start, end,
						    ZA_MIGRATE_MOVABLE), 0);
	KUNIT_EXPECT_EQ(test, zone->free_pages, ZA_PAGEBLOCK_PAGES);
	KUNIT_EXPECT_EQ(test, zone->free_area[ZA_PAGEBLOCK_ORDER].nr_free, 1UL);
	za_test_check(test, pool, "after undoing the isolation");

	tag_and_free_all(test, pool, held, &nr);
	expect_all_free(test, pool);
	KUNIT_EXPECT_EQ(test, zone->free_area[ZA_MAX_ORDER].nr_free, 2UL);
}

static void zonealloc_buddy_exhaustion(struct kunit *test)
{
	static const unsigned int layout[ZA_NR_ZONES] = { 1, 1, 1, 1, 1 };
	struct za_pool *pool = za_test_pool(test, layout, true);
	struct held *held;
	unsigned int nr = 0, order;

	held = kunit_kcalloc(test, 2600, sizeof(*held), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, held);
	/* Every order, from the top: each ends in a clean -ENOMEM. */
	for (order = ZA_MAX_ORDER + 1; order-- > 0;) {
		for (;;) {
			u32 gfp = ZONEALLOC_GFP_MOVABLE | ZONEALLOC_GFP_HIGHMEM |
				  ZONEALLOC_GFP_HIGH | ZONEALLOC_GFP_ATOMIC |
				  ZONEALLOC_GFP_NOWARN;
			struct za_page *zp = za_alloc_pages(pool, gfp, order);

			if (IS_ERR(zp)) {
				KUNIT_EXPECT_EQ_MSG(test, PTR_ERR(zp), -ENOMEM,
						    "order %u", order);
				break;
			}
			tag_block(zp, order);
			held[nr++] = (struct held){ zp, order, gfp };
			KUNIT_ASSERT_LT(test, nr, 2600U);
		}
		za_test_check(test, pool, "after exhausting an order");
	}
	KUNIT_EXPECT_EQ(test, za_pool_allocated_pages(pool),
			5 * ZA_PAGEBLOCK_PAGES - pool->zones[0].free_pages -
			pool->zones[1].free_pages - pool->zones[2].free_pages -
			pool->zones[3].free_pages - pool->zones[4].free_pages);
	free_all(test, pool, held, &nr);
	expect_all_free(test, pool);
}

struct stress_arg {
	struct za_pool *pool;
	u32 seed;
	unsigned int ops;
	unsigned int errors;
	struct completion done;
};

#define STRESS_HELD	128

static int stress_thread(void *data)
{
	struct stress_arg *arg = data;
	struct held *held;
	unsigned int nr = 0, op;
	struct rnd_state rnd;

	held = kcalloc(STRESS_HELD, sizeof(*held), GFP_KERNEL);
	if (!held) {
		arg->errors++;
		goto out;
	}
	prandom_seed_state(&rnd, arg->seed);
	for (op = 0; op < arg->ops; op++) {
		if (nr < STRESS_HELD && (!nr || prandom_u32_state(&rnd) % 2)) {
			u32 gfp = random_gfp(&rnd) & ~ZONEALLOC_GFP_ZERO;
			unsigned int order = random_order(&rnd) % 6;
			struct za_page *zp = za_alloc_pages(arg->pool, gfp,
							    order);

			if (IS_ERR(zp)) {
				if (PTR_ERR(zp) != -ENOMEM)
					arg->errors++;
				continue;
			}
			tag_block(zp, order);
			held[nr++] = (struct held){ zp, order, gfp };
		} else {
			unsigned int i = prandom_u32_state(&rnd) % nr;
			struct held h = held[i];

			held[i] = held[--nr];
			if (!tag_ok(h.zp, h.order) ||
			    za_free_pages(arg->pool, h.zp, h.order))
				arg->errors++;
		}
		if (op % 64 == 0)
			cond_resched();
	}
	while (nr) {
		struct held h = held[--nr];

		if (!tag_ok(h.zp, h.order) ||
		    za_free_pages(arg->pool, h.zp, h.order))
			arg->errors++;
	}
	kfree(held);
out:
	complete(&arg->done);
	return 0;
}

static void zonealloc_buddy_concurrency(struct kunit *test)
{
	static const unsigned int layout[ZA_NR_ZONES] = { 1, 1, 2, 1, 1 };
	struct za_pool *pool = za_test_pool(test, layout, true);
	struct stress_arg *args;
	unsigned int n = 0, i;
	int cpu;

	/* Two threads per online CPU, each bound to its CPU. */
	args = kunit_kcalloc(test, 2 * num_online_cpus(), sizeof(*args),
			     GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, args);
	for_each_online_cpu(cpu) {
		for (i = 0; i < 2; i++) {
			struct task_struct *t;

			args[n] = (struct stress_arg){
				.pool = pool, .seed = za_test_seed() + n,
				.ops = 2000,
			};
			init_completion(&args[n].done);
			t = kthread_create(stress_thread, &args[n],
					   "za_stress/%d:%u", cpu, i);
			/* Started threads must finish before the pool goes. */
			KUNIT_EXPECT_FALSE(test, IS_ERR(t));
			if (IS_ERR(t))
				continue;
			kthread_bind(t, cpu);
			wake_up_process(t);
			n++;
		}
	}
	kunit_info(test, "%u threads on %u CPUs\n", n, num_online_cpus());
	for (i = 0; i < n; i++) {
		wait_for_completion(&args[i].done);
		KUNIT_EXPECT_EQ_MSG(test, args[i].errors, 0U, "thread %u", i);
	}
	za_test_check(test, pool, "after the threads");
	expect_all_free(test, pool);
}

static void zonealloc_buddy_destroy_outstanding(struct kunit *test)
{
	struct za_pool *pool;
	struct page *block;
	struct za_page *zp;
	unsigned int i;

	block = alloc_pages(GFP_KERNEL | __GFP_NOWARN, ZA_PAGEBLOCK_ORDER);
	KUNIT_ASSERT_NOT_NULL(test, block);
	pool = za_pool_create("outstanding");
	if (!pool) {
		__free_pages(block, ZA_PAGEBLOCK_ORDER);
		KUNIT_FAIL_AND_ABORT(test, "za_pool_create failed");
	}
	KUNIT_EXPECT_EQ(test, za_pool_add_range(pool, page_to_pfn(block),
						ZA_PAGEBLOCK_PAGES,
						ZA_ZONE_NORMAL), 0);
	KUNIT_EXPECT_EQ(test, za_pool_setup(pool), 0);
	for (i = 0; i < 3; i++) {
		zp = za_alloc_pages(pool, ZONEALLOC_GFP_NOWARN, i);
		KUNIT_EXPECT_FALSE(test, IS_ERR(zp));
	}
	KUNIT_EXPECT_EQ(test, za_pool_allocated_pages(pool), 7UL);
	KUNIT_EXPECT_EQ(test, za_pool_destroy(pool), 7UL);
	__free_pages(block, ZA_PAGEBLOCK_ORDER);
}

static void zonealloc_buddy_api(struct kunit *test)
{
	struct page *pages[16] = {};
	struct page *page;
	unsigned int order;

	KUNIT_ASSERT_NOT_NULL(test, za_global_pool);
	for (order = 0; order <= ZA_MAX_ORDER; order++) {
		page = zonealloc_alloc_pages(ZONEALLOC_GFP_ZERO, order);
		KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(page), "order %u", order);
		KUNIT_EXPECT_NOT_NULL(test, za_pfn_to_page(za_global_pool,
							   page_to_pfn(page)));
		KUNIT_EXPECT_FALSE_MSG(test,
				       memchr_inv(page_address(page), 0,
						  PAGE_SIZE << order),
				       "order-%u ZERO block not zeroed", order);
		KUNIT_EXPECT_EQ(test, zonealloc_free_pages(page, order), 0);
	}
	KUNIT_EXPECT_EQ(test, zonealloc_alloc_pages_bulk(0, 16, pages), 16);
	for (order = 0; order < 16; order++)
		KUNIT_EXPECT_NOT_NULL(test, pages[order]);
	KUNIT_EXPECT_EQ(test, zonealloc_free_pages_bulk(16, pages), 0);
	KUNIT_EXPECT_NULL(test, pages[0]);
	KUNIT_EXPECT_EQ(test, PTR_ERR(zonealloc_alloc_pages(0, 11)), -EINVAL);
	/*
	 * No za_test_check() here: the global pool is live (kcompactd may
	 * run on it), and the checker needs a quiescent pool.
	 */
}

/*
 * Two adjacent pageblocks isolated separately (as two contiguous
 * allocations do) merge into one isolated order-10 block when a page is
 * freed into them. Undoing one isolation must leave the other pageblock's
 * half on the ISOLATE list, not carry it off to the MOVABLE list.
 */
static void zonealloc_buddy_isolate_adjacent(struct kunit *test)
{
	static const unsigned int layout[ZA_NR_ZONES] = { [ZA_ZONE_NORMAL] = 2 };
	struct za_pool *pool = za_test_pool(test, layout, false);
	struct za_zone *zone = &pool->zones[ZA_ZONE_NORMAL];
	unsigned long a = zone->start_pfn, b = a + ZA_PAGEBLOCK_PAGES;
	struct za_page *zp, *ha, *hb;

	KUNIT_ASSERT_EQ(test, a & ((1UL << ZA_MAX_ORDER) - 1), 0UL);
	za_test_zero_wmarks(zone);
	zp = za_alloc_pages(pool, ZONEALLOC_GFP_MOVABLE, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(zp));
	KUNIT_ASSERT_TRUE(test, zp->pfn >= a && zp->pfn < b + ZA_PAGEBLOCK_PAGES);

	KUNIT_ASSERT_EQ(test, za_isolate_range(pool, a, b, ZA_MIGRATE_MOVABLE,
					       NULL), 0);
	KUNIT_ASSERT_EQ(test, za_isolate_range(pool, b, b + ZA_PAGEBLOCK_PAGES,
					       ZA_MIGRATE_MOVABLE, NULL), 0);
	/* The freed page completes its pageblock; the two halves merge. */
	KUNIT_ASSERT_EQ(test, za_free_pages(pool, zp, 0), 0);
	KUNIT_EXPECT_EQ(test, zone->free_area[ZA_MAX_ORDER].nr_free, 1UL);
	za_test_check(test, pool, "after merging two isolated pageblocks");

	KUNIT_ASSERT_EQ(test, za_undo_isolate_range(pool, b, b + ZA_PAGEBLOCK_PAGES,
						    ZA_MIGRATE_MOVABLE), 0);
	za_test_check(test, pool, "after undoing one of them");
	ha = za_pfn_to_page(pool, a);
	hb = za_pfn_to_page(pool, b);
	KUNIT_EXPECT_EQ(test, za_page_state(ha), ZA_PAGE_FREE);
	KUNIT_EXPECT_EQ(test, ha->order, ZA_PAGEBLOCK_ORDER);
	KUNIT_EXPECT_EQ(test, ha->mt, ZA_MIGRATE_ISOLATE);
	KUNIT_EXPECT_EQ(test, za_page_state(hb), ZA_PAGE_FREE);
	KUNIT_EXPECT_EQ(test, hb->mt, ZA_MIGRATE_MOVABLE);
	KUNIT_EXPECT_EQ(test, zone->free_pages, ZA_PAGEBLOCK_PAGES);

	KUNIT_ASSERT_EQ(test, za_undo_isolate_range(pool, a, b,
						    ZA_MIGRATE_MOVABLE), 0);
	KUNIT_EXPECT_EQ(test, zone->free_area[ZA_MAX_ORDER].nr_free, 1UL);
	KUNIT_EXPECT_EQ(test, zone->free_pages, 2 * ZA_PAGEBLOCK_PAGES);
	za_test_check(test, pool, "after undoing both");
}

/*
 * An allocated order-10 block whose first pageblock gets isolated (as a
 * contiguous allocation does before moving the block out) is freed with
 * each pageblock to its own list: the isolated half must not carry the
 * other pageblock onto the ISOLATE list.
 */
static void zonealloc_buddy_free_across_isolation(struct kunit *test)
{
	static const unsigned int layout[ZA_NR_ZONES] = { [ZA_ZONE_NORMAL] = 2 };
	struct za_pool *pool = za_test_pool(test, layout, false);
	struct za_zone *zone = &pool->zones[ZA_ZONE_NORMAL];
	struct za_page *zp, *second;

	za_test_zero_wmarks(zone);
	zp = za_alloc_pages(pool, ZONEALLOC_GFP_MOVABLE, ZA_MAX_ORDER);
	KUNIT_ASSERT_FALSE(test, IS_ERR(zp));
	KUNIT_ASSERT_EQ(test, za_isolate_range(pool, zp->pfn,
					       zp->pfn + ZA_PAGEBLOCK_PAGES,
					       ZA_MIGRATE_MOVABLE, NULL), 0);
	KUNIT_ASSERT_EQ(test, za_free_pages(pool, zp, ZA_MAX_ORDER), 0);
	za_test_check(test, pool, "after freeing across an isolation boundary");
	second = za_pfn_to_page(pool, zp->pfn + ZA_PAGEBLOCK_PAGES);
	KUNIT_EXPECT_EQ(test, za_page_state(zp), ZA_PAGE_FREE);
	KUNIT_EXPECT_EQ(test, zp->mt, ZA_MIGRATE_ISOLATE);
	KUNIT_EXPECT_EQ(test, za_page_state(second), ZA_PAGE_FREE);
	KUNIT_EXPECT_EQ(test, second->mt, ZA_MIGRATE_MOVABLE);
	/* Only the non-isolated half counts as free. */
	KUNIT_EXPECT_EQ(test, zone->free_pages, ZA_PAGEBLOCK_PAGES);

	KUNIT_ASSERT_EQ(test, za_undo_isolate_range(pool, zp->pfn,
						    zp->pfn + ZA_PAGEBLOCK_PAGES,
						    ZA_MIGRATE_MOVABLE), 0);
	KUNIT_EXPECT_EQ(test, zone->free_area[ZA_MAX_ORDER].nr_free, 1UL);
	za_test_check(test, pool, "after undoing the isolation");
}

static struct kunit_case zonealloc_buddy_cases[] = {
	KUNIT_CASE(zonealloc_buddy_random),
	KUNIT_CASE(zonealloc_buddy_double_free),
	KUNIT_CASE(zonealloc_buddy_fallback_claim),
	KUNIT_CASE(zonealloc_buddy_fallback_steal),
	KUNIT_CASE(zonealloc_buddy_fallback_boost),
	KUNIT_CASE(zonealloc_buddy_nofragment),
	KUNIT_CASE(zonealloc_buddy_nofragment_pcp),
	KUNIT_CASE(zonealloc_buddy_highatomic),
	KUNIT_CASE(zonealloc_buddy_highatomic_free_only),
	KUNIT_CASE(zonealloc_buddy_isolate_highatomic),
	KUNIT_CASE(zonealloc_buddy_zonelist),
	KUNIT_CASE(zonealloc_buddy_slowpath_flags),
	KUNIT_CASE(zonealloc_buddy_isolate),
	KUNIT_CASE(zonealloc_buddy_isolate_adjacent),
	KUNIT_CASE(zonealloc_buddy_free_across_isolation),
	KUNIT_CASE(zonealloc_buddy_exhaustion),
	KUNIT_CASE(zonealloc_buddy_concurrency),
	KUNIT_CASE(zonealloc_buddy_destroy_outstanding),
	KUNIT_CASE(zonealloc_buddy_api),
	{}
};

static struct kunit_suite zonealloc_buddy_suite = {
	.name = "zonealloc_buddy",
	.suite_init = za_test_suite_init,
	.init = za_test_case_init,
	.test_cases = zonealloc_buddy_cases,
};

kunit_test_suite(zonealloc_buddy_suite);
