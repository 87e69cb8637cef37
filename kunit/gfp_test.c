// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for zonealloc's allocation flags. The running kernel is the
 * oracle: every zone-bit combination is translated to the kernel's own GFP
 * bits and checked against gfp_zone(), GFP_ZONE_BAD and the expression
 * gfp_migratetype() evaluates.
 */

#include <kunit/test.h>
#include <linux/gfp.h>
#include <linux/log2.h>
#include <linux/mmzone.h>

#include "gfp.h"
#include "pool.h"
#include "test_pool.h"

static gfp_t za_to_kernel_gfp(u32 flags)
{
	gfp_t gfp = 0;

	if (flags & ZONEALLOC_GFP_DMA)
		gfp |= __GFP_DMA;
	if (flags & ZONEALLOC_GFP_HIGHMEM)
		gfp |= __GFP_HIGHMEM;
	if (flags & ZONEALLOC_GFP_DMA32)
		gfp |= __GFP_DMA32;
	if (flags & ZONEALLOC_GFP_MOVABLE)
		gfp |= __GFP_MOVABLE;
	if (flags & ZONEALLOC_GFP_RECLAIMABLE)
		gfp |= __GFP_RECLAIMABLE;
	return gfp;
}

/*
 * The zone zonealloc must pick for a kernel answer. On a 64-bit kernel
 * OPT_ZONE_HIGHMEM is ZONE_NORMAL; zonealloc emulates HIGHMEM there.
 */
static int za_expected_zone(enum zone_type kzone, gfp_t gfp)
{
	if (kzone == ZONE_NORMAL && !IS_ENABLED(CONFIG_HIGHMEM) &&
	    (gfp & __GFP_HIGHMEM))
		return ZA_ZONE_HIGHMEM;
	return za_test_zone_type(kzone);
}

static void zonealloc_gfp_zone_table(struct kunit *test)
{
	u32 flags;

	KUNIT_ASSERT_TRUE(test, IS_ENABLED(CONFIG_ZONE_DMA));
	KUNIT_ASSERT_TRUE(test, IS_ENABLED(CONFIG_ZONE_DMA32));
	for (flags = 0; flags < 16; flags++) {
		gfp_t gfp = za_to_kernel_gfp(flags);
		unsigned int bit = (__force unsigned int)(gfp & GFP_ZONEMASK);
		bool bad = (GFP_ZONE_BAD >> bit) & 1;

		if (bad) {
			KUNIT_EXPECT_EQ_MSG(test, za_gfp_zone(flags), -EINVAL,
					    "zone bits %#x: the kernel rejects them",
					    flags);
			KUNIT_EXPECT_EQ_MSG(test, za_gfp_valid(flags, 0), -EINVAL,
					    "zone bits %#x", flags);
			continue;
		}
		KUNIT_EXPECT_EQ_MSG(test, za_gfp_zone(flags),
				    za_expected_zone(gfp_zone(gfp), gfp),
				    "zone bits %#x: kernel zone %d", flags,
				    gfp_zone(gfp));
		KUNIT_EXPECT_EQ_MSG(test, za_gfp_valid(flags, 0), 0,
				    "zone bits %#x", flags);
	}
}

static void zonealloc_gfp_migratetype(struct kunit *test)
{
	static const int expected[] = {
		[MIGRATE_UNMOVABLE] = ZA_MIGRATE_UNMOVABLE,
		[MIGRATE_MOVABLE] = ZA_MIGRATE_MOVABLE,
		[MIGRATE_RECLAIMABLE] = ZA_MIGRATE_RECLAIMABLE,
	};
	u32 flags;

	for (flags = 0; flags < 32; flags++) {
		gfp_t gfp = za_to_kernel_gfp(flags);
		/*
		 * gfp_migratetype()'s expression (its mask and shift are
		 * #undef'd after it, and the function itself cannot be
		 * called from a module: page_group_by_mobility_disabled is
		 * not exported). Its BUILD_BUG_ONs tie the bits to MIGRATE_*.
		 */
		unsigned int kmt = (__force unsigned int)
			(gfp & (__GFP_RECLAIMABLE | __GFP_MOVABLE)) >>
			ilog2(___GFP_MOVABLE);

		if (kmt >= MIGRATE_PCPTYPES) {
			/* Both MOVABLE and RECLAIMABLE: the kernel warns. */
			KUNIT_EXPECT_EQ_MSG(test, za_gfp_migratetype(flags),
					    -EINVAL, "flags %#x", flags);
			continue;
		}
		KUNIT_EXPECT_EQ_MSG(test, za_gfp_migratetype(flags),
				    expected[kmt], "flags %#x: kernel type %u",
				    flags, kmt);
	}
}

static void zonealloc_gfp_valid(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, za_gfp_valid(0, ZA_MAX_ORDER), 0);
	KUNIT_EXPECT_EQ(test, za_gfp_valid(0, ZA_MAX_ORDER + 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, za_gfp_valid(ZONEALLOC_GFP_ALL + 1, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, za_gfp_valid(ZONEALLOC_GFP_NOFAIL |
					   ZONEALLOC_GFP_ATOMIC, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, za_gfp_valid(ZONEALLOC_GFP_NOFAIL |
					   ZONEALLOC_GFP_NORETRY, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, za_gfp_valid(ZONEALLOC_GFP_MOVABLE |
					   ZONEALLOC_GFP_RECLAIMABLE, 0),
			-EINVAL);
}

static void zonealloc_gfp_alloc_flags(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, za_gfp_to_alloc_flags(0, 3), ZA_ALLOC_WMARK_MIN);
	KUNIT_EXPECT_EQ(test, za_gfp_to_alloc_flags(ZONEALLOC_GFP_HIGH, 0),
			ZA_ALLOC_WMARK_MIN | ZA_ALLOC_MIN_RESERVE);
	KUNIT_EXPECT_EQ(test, za_gfp_to_alloc_flags(ZONEALLOC_GFP_ATOMIC, 0),
			ZA_ALLOC_WMARK_MIN | ZA_ALLOC_NON_BLOCK);
	KUNIT_EXPECT_EQ(test, za_gfp_to_alloc_flags(ZONEALLOC_GFP_ATOMIC |
						    ZONEALLOC_GFP_HIGH, 2),
			ZA_ALLOC_WMARK_MIN | ZA_ALLOC_NON_BLOCK |
			ZA_ALLOC_MIN_RESERVE | ZA_ALLOC_HIGHATOMIC);
	/* As 6.12: building highatomic blocks takes HIGH as well as ATOMIC. */
	KUNIT_EXPECT_EQ(test, za_gfp_to_alloc_flags(ZONEALLOC_GFP_ATOMIC, 2),
			ZA_ALLOC_WMARK_MIN | ZA_ALLOC_NON_BLOCK);
	KUNIT_EXPECT_EQ(test, za_gfp_to_alloc_flags(ZONEALLOC_GFP_HIGH, 2),
			ZA_ALLOC_WMARK_MIN | ZA_ALLOC_MIN_RESERVE);
}

static struct kunit_case zonealloc_gfp_cases[] = {
	KUNIT_CASE(zonealloc_gfp_zone_table),
	KUNIT_CASE(zonealloc_gfp_migratetype),
	KUNIT_CASE(zonealloc_gfp_valid),
	KUNIT_CASE(zonealloc_gfp_alloc_flags),
	{}
};

static struct kunit_suite zonealloc_gfp_suite = {
	.name = "zonealloc_gfp",
	.suite_init = za_test_suite_init,
	.init = za_test_case_init,
	.test_cases = zonealloc_gfp_cases,
};

kunit_test_suite(zonealloc_gfp_suite);
