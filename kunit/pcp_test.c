// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for the per-CPU lists: refill and drain in batches, free to
 * the freeing CPU's list, drain on demand, and drain of a CPU that goes
 * offline. Each step runs on a chosen CPU through work_on_cpu().
 */

#include <kunit/test.h>
#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/err.h>
#include <linux/workqueue.h>

#include "alloc.h"
#include "pcp.h"
#include "pool.h"
#include "test_pool.h"

#define PCP_TEST_BATCH	8
#define PCP_TEST_HIGH	32
#define PCP_TEST_PAGES	48

struct pcp_job {
	struct zonealloc_pool *pool;
	struct za_page *pages[PCP_TEST_PAGES];
	unsigned int nr;
	int max_count;		/* highest PCP count seen while freeing */
	int count_after_alloc;
	int errors;
};

static int this_count(struct zonealloc_pool *pool)
{
	return this_cpu_ptr(pool->zones[ZA_ZONE_NORMAL].pcp)->count;
}

static long pcp_alloc_job(void *data)
{
	struct pcp_job *job = data;

	while (job->nr < PCP_TEST_PAGES) {
		struct za_page *zp = za_alloc_pages(job->pool,
						    ZONEALLOC_GFP_MOVABLE, 0);

		if (IS_ERR(zp)) {
			job->errors++;
			break;
		}
		job->pages[job->nr++] = zp;
		if (job->nr == 1)
			job->count_after_alloc = this_count(job->pool);
	}
	return 0;
}

static long pcp_free_job(void *data)
{
	struct pcp_job *job = data;

	job->max_count = 0;
	while (job->nr) {
		if (za_free_pages(job->pool, job->pages[--job->nr], 0))
			job->errors++;
		job->max_count = max(job->max_count, this_count(job->pool));
	}
	return 0;
}

static int cpu_count(struct zonealloc_pool *pool, int cpu)
{
	return per_cpu_ptr(pool->zones[ZA_ZONE_NORMAL].pcp, cpu)->count;
}

static struct zonealloc_pool *pcp_pool(struct kunit *test)
{
	static const unsigned int layout[ZA_NR_ZONES] = { [ZA_ZONE_NORMAL] = 2 };
	struct zonealloc_pool *pool = za_test_pool(test, layout, true);
	struct za_zone *zone = &pool->zones[ZA_ZONE_NORMAL];

	/* A zone this small gets batch 1; use larger values to see batching. */
	zone->pcp_batch = PCP_TEST_BATCH;
	zone->pcp_high = PCP_TEST_HIGH;
	zone->watermark[ZA_WMARK_MIN] = 0;
	zone->watermark[ZA_WMARK_LOW] = 0;
	return pool;
}

static void zonealloc_pcp_batches(struct kunit *test)
{
	struct zonealloc_pool *pool = pcp_pool(test);
	struct za_zone *zone = &pool->zones[ZA_ZONE_NORMAL];
	int cpu = cpumask_first(cpu_online_mask);
	struct pcp_job *job;
	int before;

	job = kunit_kzalloc(test, sizeof(*job), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, job);
	job->pool = pool;

	work_on_cpu(cpu, pcp_alloc_job, job);
	KUNIT_ASSERT_EQ(test, job->errors, 0);
	KUNIT_EXPECT_EQ_MSG(test, job->count_after_alloc, PCP_TEST_BATCH - 1,
			    "one refill of a batch, one page handed out");
	/* Six batches refilled exactly the 48 pages. */
	KUNIT_EXPECT_EQ(test, cpu_count(pool, cpu), 0);
	KUNIT_EXPECT_EQ(test, zone->free_pages,
			zone->managed_pages - PCP_TEST_PAGES);
	za_test_check(test, pool, "after allocating through the PCP");

	work_on_cpu(cpu, pcp_free_job, job);
	KUNIT_ASSERT_EQ(test, job->errors, 0);
	KUNIT_EXPECT_LT_MSG(test, job->max_count, PCP_TEST_HIGH,
			    "the list is drained when it reaches high");
	KUNIT_EXPECT_GE(test, job->max_count, PCP_TEST_HIGH - PCP_TEST_BATCH);
	KUNIT_EXPECT_EQ(test, zone->free_pages + cpu_count(pool, cpu),
			zone->managed_pages);
	za_test_check(test, pool, "after freeing to the PCP");

	before = cpu_count(pool, cpu);
	KUNIT_EXPECT_EQ(test, za_pcp_drain_all(pool), (unsigned long)before);
	KUNIT_EXPECT_EQ(test, cpu_count(pool, cpu), 0);
	KUNIT_EXPECT_EQ(test, zone->free_pages, zone->managed_pages);
	KUNIT_EXPECT_EQ(test, zone->free_area[ZA_MAX_ORDER].nr_free, 1UL);
	za_test_check(test, pool, "after draining");
}

static void zonealloc_pcp_cpu_offline(struct kunit *test)
{
	struct zonealloc_pool *pool = pcp_pool(test);
	struct za_zone *zone = &pool->zones[ZA_ZONE_NORMAL];
	int cpu = cpumask_last(cpu_online_mask);
	struct pcp_job *job;
	int ret;

	job = kunit_kzalloc(test, sizeof(*job), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, job);
	job->pool = pool;

	/* Leave pages on the last CPU's list. */
	work_on_cpu(cpu, pcp_alloc_job, job);
	work_on_cpu(cpu, pcp_free_job, job);
	KUNIT_ASSERT_EQ(test, job->errors, 0);
	KUNIT_ASSERT_GT(test, cpu_count(pool, cpu), 0);

	if (num_online_cpus() > 1) {
		ret = remove_cpu(cpu);
		KUNIT_ASSERT_EQ_MSG(test, ret, 0, "remove_cpu(%d)", cpu);
		KUNIT_EXPECT_EQ_MSG(test, cpu_count(pool, cpu), 0,
				    "CPU %d's list drained when it went offline",
				    cpu);
		ret = add_cpu(cpu);
		KUNIT_EXPECT_EQ_MSG(test, ret, 0, "add_cpu(%d)", cpu);
	} else {
		/* The only CPU cannot go offline: run what its callback runs. */
		kunit_info(test, "one CPU online: draining CPU %d directly\n",
			   cpu);
		KUNIT_EXPECT_GT(test, za_pcp_drain_cpu(pool, cpu), 0UL);
		KUNIT_EXPECT_EQ(test, cpu_count(pool, cpu), 0);
	}
	KUNIT_EXPECT_EQ(test, zone->free_pages, zone->managed_pages);
	za_test_check(test, pool, "after the CPU went offline and back");
}

static struct kunit_case zonealloc_pcp_cases[] = {
	KUNIT_CASE(zonealloc_pcp_batches),
	KUNIT_CASE(zonealloc_pcp_cpu_offline),
	{}
};

static struct kunit_suite zonealloc_pcp_suite = {
	.name = "zonealloc_pcp",
	.suite_init = za_test_suite_init,
	.init = za_test_case_init,
	.test_cases = zonealloc_pcp_cases,
};

kunit_test_suite(zonealloc_pcp_suite);
