// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers shared by the zonealloc KUnit suites. A test pool is built over
 * order-10 blocks from alloc_pages() (each two pageblocks), laid out with
 * exactly the pageblocks per zone a case asks for, and torn down by a KUnit
 * action when the case ends.
 */

#include <kunit/test.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/random.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "check.h"
#include "pool.h"
#include "test_pool.h"

#define ZA_TEST_BLOCK_ORDER	10
#define ZA_TEST_BLOCK_PBS	(1U << (ZA_TEST_BLOCK_ORDER - ZA_PAGEBLOCK_ORDER))
#define ZA_TEST_MAX_BLOCKS	16

struct za_test_pool_res {
	struct za_pool *pool;
	struct page *blocks[ZA_TEST_MAX_BLOCKS];
	unsigned int nr_blocks;
};

static u32 za_test_random_seed;
module_param_named(seed, za_test_random_seed, uint, 0444);
MODULE_PARM_DESC(seed, "Random seed to replay (default: chosen at load)");

static void za_test_pool_release(void *arg)
{
	struct za_test_pool_res *res = arg;
	unsigned int i;

	za_pool_destroy(res->pool);
	for (i = 0; i < res->nr_blocks; i++)
		__free_pages(res->blocks[i], ZA_TEST_BLOCK_ORDER);
	kfree(res);
}

/**
 * za_test_pool_nodes() - a private pool with the given pageblocks per zone
 *	of each of @nr_nodes nodes.
 * @test: the running case; the pool is destroyed when it ends.
 * @nr_nodes: nodes of the pool; 0: za_pool_create()'s (every possible
 *	node), with pageblocks on node 0 only.
 * @pb_per_zone: pageblocks (512 pages) for each zone of each node (one row per
 *	node, one if @nr_nodes is 0), in total at most 32.
 * @pcp: give the pool per-CPU lists.
 *
 * Pageblocks are handed out node by node, in zone order, lowest pfns
 * first. A node is only a tag: the memory comes from any node.
 *
 * Context: Process context.
 * Return: the pool; the case is aborted if it cannot be built.
 */
struct za_pool *za_test_pool_nodes(struct kunit *test, unsigned int nr_nodes,
				   const unsigned int (*pb_per_zone)[ZA_NR_ZONES],
				   bool pcp)
{
	unsigned int total = 0, z, pb = 0, i, n, rows = max(nr_nodes, 1U);
	struct za_test_pool_res *res;
	int ret;

	for (n = 0; n < rows; n++)
		for (z = 0; z < ZA_NR_ZONES; z++)
			total += pb_per_zone[n][z];
	KUNIT_ASSERT_GT(test, total, 0U);
	KUNIT_ASSERT_LE(test, total, ZA_TEST_MAX_BLOCKS * ZA_TEST_BLOCK_PBS);

	res = kzalloc(sizeof(*res), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, res);
	res->pool = nr_nodes ? za_pool_create_nodes("zonealloc-test", nr_nodes) :
			       za_pool_create("zonealloc-test");
	if (!res->pool) {
		kfree(res);
		KUNIT_FAIL_AND_ABORT(test, "za_pool_create failed");
	}
	res->pool->pcp_enabled = pcp;
	ret = kunit_add_action_or_reset(test, za_test_pool_release, res);
	KUNIT_ASSERT_EQ(test, ret, 0);

	for (i = 0; i < DIV_ROUND_UP(total, ZA_TEST_BLOCK_PBS); i++) {
		struct page *page = alloc_pages(GFP_KERNEL | __GFP_NOWARN,
						ZA_TEST_BLOCK_ORDER);

		KUNIT_ASSERT_NOT_NULL_MSG(test, page,
					  "no order-%d block for the test pool",
					  ZA_TEST_BLOCK_ORDER);
		res->blocks[res->nr_blocks++] = page;
	}
	for (n = 0; n < rows; n++) {
		for (z = 0; z < ZA_NR_ZONES; z++) {
			for (i = 0; i < pb_per_zone[n][z]; i++, pb++) {
				unsigned long pfn;

				pfn = page_to_pfn(res->blocks[pb / ZA_TEST_BLOCK_PBS]) +
				      (pb % ZA_TEST_BLOCK_PBS) * ZA_PAGEBLOCK_PAGES;
				ret = za_pool_add_range_node(res->pool, n, pfn,
							     ZA_PAGEBLOCK_PAGES,
							     z);
				KUNIT_ASSERT_EQ(test, ret, 0);
			}
		}
	}
	ret = za_pool_setup(res->pool);
	KUNIT_ASSERT_EQ_MSG(test, ret, 0, "za_pool_setup");
	za_test_check(test, res->pool, "after setup");
	return res->pool;
}

/**
 * za_test_pool() - a private pool with the given pageblocks per zone.
 * @test: the running case; the pool is destroyed when it ends.
 * @pb_per_zone: pageblocks (512 pages) for each zone, in total at most 32.
 * @pcp: give the pool per-CPU lists.
 *
 * As za_test_pool_nodes() with every pageblock on node 0 of a pool with
 * zones on every possible node.
 *
 * Context: Process context.
 * Return: the pool; the case is aborted if it cannot be built.
 */
struct za_pool *za_test_pool(struct kunit *test,
			     const unsigned int pb_per_zone[ZA_NR_ZONES],
			     bool pcp)
{
	return za_test_pool_nodes(test, 0,
				  (const unsigned int (*)[ZA_NR_ZONES])pb_per_zone,
				  pcp);
}

/**
 * za_test_check() - assert that a quiescent pool passes za_pool_check().
 * @test: the running case.
 * @pool: the pool.
 * @when: what just happened, for the failure message.
 *
 * Context: Process context.
 */
void za_test_check(struct kunit *test, struct za_pool *pool,
		   const char *when)
{
	char *buf = kunit_kzalloc(test, 256, GFP_KERNEL);
	int ret;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	ret = za_pool_check(pool, buf, 256);
	KUNIT_ASSERT_EQ_MSG(test, ret, 0, "invariant broken %s: %s", when, buf);
	kunit_kfree(test, buf);
}

/**
 * za_test_render() - a report of @pool as its debugfs file shows it.
 * @test: the running case; the text lives as long as it.
 * @show: the report's za_show_*() function.
 * @pool: the pool.
 *
 * Context: Process context.
 * Return: the text, NUL-terminated; the case is aborted if it does not fit
 * in %ZA_TEST_SEQ_SIZE bytes.
 */
char *za_test_render(struct kunit *test,
		     void (*show)(struct seq_file *m, struct za_pool *pool),
		     struct za_pool *pool)
{
	struct seq_file *m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, m);
	m->size = ZA_TEST_SEQ_SIZE;
	m->buf = kunit_kzalloc(test, m->size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m->buf);
	show(m, pool);
	KUNIT_ASSERT_LT_MSG(test, m->count, m->size, "report overflowed");
	m->buf[m->count] = '\0';
	return m->buf;
}

/**
 * za_test_zone_type() - the pool's zone type for a kernel zone type.
 * @kzone: the kernel's zone type.
 *
 * Context: Any context.
 * Return: an &enum za_zone_type, or -1 for a kernel zone the pool has no
 * match for (ZONE_DEVICE).
 */
int za_test_zone_type(enum zone_type kzone)
{
	switch (kzone) {
#ifdef CONFIG_ZONE_DMA
	case ZONE_DMA:
		return ZA_ZONE_DMA;
#endif
#ifdef CONFIG_ZONE_DMA32
	case ZONE_DMA32:
		return ZA_ZONE_DMA32;
#endif
	case ZONE_NORMAL:
		return ZA_ZONE_NORMAL;
#ifdef CONFIG_HIGHMEM
	case ZONE_HIGHMEM:
		return ZA_ZONE_HIGHMEM;
#endif
	case ZONE_MOVABLE:
		return ZA_ZONE_MOVABLE;
	default:
		return -1;
	}
}

/**
 * za_test_seed() - the random seed of this run.
 *
 * Context: Any context.
 * Return: the seed chosen by za_test_suite_init().
 */
u32 za_test_seed(void)
{
	return za_test_random_seed;
}

/**
 * za_test_suite_init() - choose the run's random seed (once) and log it.
 * @suite: the suite starting.
 *
 * Context: Process context.
 * Return: 0.
 */
int za_test_suite_init(struct kunit_suite *suite)
{
	while (!za_test_random_seed)
		za_test_random_seed = get_random_u32();
	kunit_info(suite, "random seed 0x%08x\n", za_test_random_seed);
	return 0;
}

/**
 * za_test_case_init() - log the random seed in every case.
 * @test: the case starting.
 *
 * Context: Process context.
 * Return: 0.
 */
int za_test_case_init(struct kunit *test)
{
	kunit_info(test, "random seed 0x%08x\n", za_test_random_seed);
	return 0;
}
