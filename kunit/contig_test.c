// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for the contiguous allocator's search (za_alloc_contig()):
 * it still finds an exact range, and reads each descriptor of the zone at
 * most once per attempt instead of once per candidate range holding it.
 * The pool is one chunk of 16 pageblocks claimed from the kernel with
 * alloc_contig_range(), so that ranges of several pageblocks fit in it.
 */

#include <kunit/test.h>
#include <linux/gfp.h>
#include <linux/memory_hotplug.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/module.h>
#include <linux/nodemask.h>

#include "alloc.h"
#include "compaction.h"
#include "contig.h"
#include "pool.h"
#include "test_pool.h"

#define ZA_CT_PBS	16
#define ZA_CT_PAGES	(ZA_CT_PBS * ZA_PAGEBLOCK_PAGES)

struct za_ct_res {
	struct za_pool *pool;
	unsigned long pfn;
};

static void za_ct_release(void *arg)
{
	struct za_ct_res *res = arg;

	za_pool_destroy(res->pool);
	free_contig_range(res->pfn, ZA_CT_PAGES);
	kfree(res);
}

/* Online, in @zone, not reserved: what alloc_contig_range() may take. */
static bool za_ct_range_valid(struct zone *zone, unsigned long start)
{
	unsigned long pfn;

	for (pfn = start; pfn < start + ZA_CT_PAGES; pfn++) {
		struct page *page = pfn_to_online_page(pfn);

		if (!page || page_zone(page) != zone || PageReserved(page))
			return false;
	}
	return true;
}

static unsigned long za_ct_claim(void)
{
	int nid, z;

	for_each_online_node(nid) {
		for (z = MAX_NR_ZONES - 1; z >= 0; z--) {
			struct zone *zone = &NODE_DATA(nid)->node_zones[z];
			unsigned long pfn;

			if (!populated_zone(zone) || zone_is_zone_device(zone))
				continue;
			for (pfn = ALIGN(zone->zone_start_pfn, ZA_CT_PAGES);
			     zone_spans_pfn(zone, pfn + ZA_CT_PAGES - 1);
			     pfn += ZA_CT_PAGES) {
				if (za_ct_range_valid(zone, pfn) &&
				    !alloc_contig_range(pfn, pfn + ZA_CT_PAGES,
							MIGRATE_MOVABLE,
							GFP_KERNEL | __GFP_NOWARN))
					return pfn;
				cond_resched();
			}
		}
	}
	return 0;
}

/* A NORMAL zone of ZA_CT_PBS pageblocks in one chunk, no per-CPU lists. */
static struct za_pool *za_ct_pool(struct kunit *test)
{
	struct za_ct_res *res;
	unsigned int i;
	int ret;

	res = kzalloc(sizeof(*res), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, res);
	res->pfn = za_ct_claim();
	if (!res->pfn) {
		kfree(res);
		KUNIT_FAIL_AND_ABORT(test, "no %lu-page range from alloc_contig_range()",
				     (unsigned long)ZA_CT_PAGES);
	}
	res->pool = za_pool_create("zonealloc-contig-test");
	if (!res->pool) {
		free_contig_range(res->pfn, ZA_CT_PAGES);
		kfree(res);
		KUNIT_FAIL_AND_ABORT(test, "za_pool_create failed");
	}
	res->pool->pcp_enabled = false;
	ret = kunit_add_action_or_reset(test, za_ct_release, res);
	KUNIT_ASSERT_EQ(test, ret, 0);
	for (i = 0; i < ZA_CT_PBS; i++) {
		ret = za_pool_add_range(res->pool,
					res->pfn + i * ZA_PAGEBLOCK_PAGES,
					ZA_PAGEBLOCK_PAGES, ZA_ZONE_NORMAL);
		KUNIT_ASSERT_EQ(test, ret, 0);
	}
	KUNIT_ASSERT_EQ(test, za_pool_setup(res->pool), 0);
	KUNIT_ASSERT_EQ(test, res->pool->nr_chunks, 1U);
	za_test_check(test, res->pool, "after setup");
	return res->pool;
}

/* Block heads (free or allocated) in [pfn, pfn + nr). */
static unsigned long za_ct_heads(struct za_pool *pool,
				 unsigned long pfn, unsigned long nr)
{
	unsigned long heads = 0, end = pfn + nr;

	while (pfn < end) {
		struct za_page *zp = za_pfn_to_page(pool, pfn);

		if (za_page_state(zp) == ZA_PAGE_TAIL) {
			pfn++;
			continue;
		}
		heads++;
		pfn += 1UL << zp->order;
	}
	return heads;
}

/*
 * Allocate [start, start + nr) as a contiguous range, then free all of it
 * but the order-0 block at @keep: one unmovable page left where it is.
 */
static void za_ct_pin_page(struct kunit *test, struct za_pool *pool,
			   unsigned long start, unsigned long nr,
			   unsigned long keep)
{
	struct za_page *first;
	unsigned long pfn;

	KUNIT_ASSERT_EQ(test, za_alloc_contig(pool, nr, 0, &first), 0);
	KUNIT_ASSERT_EQ(test, first->pfn, start);
	for (pfn = start; pfn < start + nr;) {
		struct za_page *zp = za_pfn_to_page(pool, pfn);
		unsigned int order = zp->order;

		KUNIT_ASSERT_EQ(test, (int)za_page_state(zp), ZA_PAGE_ALLOC);
		if (pfn == keep)
			KUNIT_ASSERT_EQ(test, order, 0U);
		else
			KUNIT_ASSERT_EQ(test, za_free_pages(pool, zp, order), 0);
		pfn += 1UL << order;
	}
}

/*
 * One unmovable page near the end of pageblocks 3, 7 and 11 of 16: a range
 * of 4 pageblocks fits only at pageblock 12, after 12 candidate starts
 * whose ranges run into a pinned page late. The old search read every
 * candidate's descriptors again (about 180 reads here, and pageblocks x
 * range in general); the search must read no more than one per block head
 * and one per pageblock, and still find the range.
 */
static void zonealloc_contig_search_bound(struct kunit *test)
{
	struct za_pool *pool = za_ct_pool(test);
	const unsigned long pb = ZA_PAGEBLOCK_PAGES, base = pool->chunks[0].start_pfn;
	unsigned long heads, probes;
	struct za_page *first;
	unsigned int k;

	for (k = 0; k < 3; k++)
		za_ct_pin_page(test, pool, base + 4 * k * pb, 4 * pb - 1,
			       base + 4 * (k + 1) * pb - 2);
	za_test_check(test, pool, "after pinning three pages");
	KUNIT_ASSERT_EQ(test, za_pool_allocated_pages(pool), 3UL);

	heads = za_ct_heads(pool, base, ZA_CT_PAGES);
	WRITE_ONCE(za_contig_probes, 0);
	KUNIT_ASSERT_EQ(test, za_alloc_contig(pool, 4 * pb, 0, &first), 0);
	probes = READ_ONCE(za_contig_probes);
	kunit_info(test, "%lu descriptor reads for %lu block heads and %u pageblocks\n",
		   probes, heads, ZA_CT_PBS);
	KUNIT_EXPECT_EQ(test, first->pfn, base + 12 * pb);
	KUNIT_EXPECT_EQ(test, za_pool_allocated_pages(pool), 3 + 4 * pb);
	KUNIT_EXPECT_LE_MSG(test, probes, heads + ZA_CT_PBS,
			    "the search read %lu descriptors for %lu heads in %u pageblocks",
			    probes, heads, ZA_CT_PBS);
	za_test_check(test, pool, "after the contiguous allocation");

	/* No range of 5 pageblocks is left: the failed search is bounded too. */
	za_free_contig(pool, first, 4 * pb);
	KUNIT_ASSERT_EQ(test, za_alloc_contig(pool, 4 * pb - 1, 0, &first), 0);
	heads = za_ct_heads(pool, base, ZA_CT_PAGES);
	WRITE_ONCE(za_contig_probes, 0);
	KUNIT_EXPECT_EQ(test, za_alloc_contig(pool, 5 * pb, 0, &first), -ENOMEM);
	probes = READ_ONCE(za_contig_probes);
	KUNIT_EXPECT_LE_MSG(test, probes, heads + ZA_CT_PBS,
			    "failed search: %lu reads for %lu heads", probes, heads);
	za_test_check(test, pool, "after a failed contiguous allocation");
}

/* Exact sizes that are not powers of two, across pageblocks. */
static void zonealloc_contig_exact_sizes(struct kunit *test)
{
	static const unsigned long sizes[] = { 1, 3, 511, 513, 1537, 3 * 512 };
	struct za_pool *pool = za_ct_pool(test);
	struct za_page *first[ARRAY_SIZE(sizes)];
	unsigned long total = 0;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		KUNIT_ASSERT_EQ_MSG(test, za_alloc_contig(pool, sizes[i], 0,
							  &first[i]), 0,
				    "%lu pages", sizes[i]);
		KUNIT_EXPECT_TRUE(test, IS_ALIGNED(first[i]->pfn,
						   ZA_PAGEBLOCK_PAGES));
		total += sizes[i];
		KUNIT_EXPECT_EQ_MSG(test, za_pool_allocated_pages(pool), total,
				    "after %lu pages", sizes[i]);
		za_test_check(test, pool, "after an exact-size allocation");
	}
	for (i = 0; i < ARRAY_SIZE(sizes); i++)
		za_free_contig(pool, first[i], sizes[i]);
	KUNIT_EXPECT_EQ(test, za_pool_allocated_pages(pool), 0UL);
	za_test_check(test, pool, "after freeing the ranges");
}

static struct kunit_case zonealloc_contig_cases[] = {
	KUNIT_CASE(zonealloc_contig_search_bound),
	KUNIT_CASE(zonealloc_contig_exact_sizes),
	{}
};

static struct kunit_suite zonealloc_contig_suite = {
	.name = "zonealloc_contig",
	.suite_init = za_test_suite_init,
	.init = za_test_case_init,
	.test_cases = zonealloc_contig_cases,
};

kunit_test_suite(zonealloc_contig_suite);
