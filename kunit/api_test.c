// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for zonealloc's exported in-kernel API over the global pool:
 * the pages it hands out behave like alloc_pages() pages to the rest of the
 * kernel (one reference count per page, nothing compound), and while any
 * is outstanding the module stays loaded.
 */

#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/err.h>
#include <linux/kthread.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/page-flags.h>
#include <linux/page_ref.h>
#include <zonealloc.h>

#include "alloc.h"
#include "chunk.h"
#include "compaction.h"
#include "dev.h"
#include "pool.h"
#include "test_pool.h"

static const unsigned int za_api_orders[] = { 0, 1, 3, 4, 9, ZA_MAX_ORDER };

/* zonealloc's own module, as its device's file operations name it. */
static struct module *za_api_module(void)
{
	return za_miscdev.fops->owner;
}

/*
 * The global pool is live; kcompactd is the only other user in the test
 * VM. Switch proactive compaction off for the case so that the invariant
 * checker sees a quiescent pool, and restore it when the case ends.
 */
static void za_api_restore_proactiveness(void *arg)
{
	WRITE_ONCE(za_compaction_proactiveness, (unsigned int)(uintptr_t)arg);
}

static struct za_pool *za_api_pool(struct kunit *test)
{
	uintptr_t saved = READ_ONCE(za_compaction_proactiveness);
	int ret;

	KUNIT_ASSERT_NOT_NULL(test, za_global_pool);
	WRITE_ONCE(za_compaction_proactiveness, 0);
	ret = kunit_add_action_or_reset(test, za_api_restore_proactiveness,
					(void *)saved);
	KUNIT_ASSERT_EQ(test, ret, 0);
	return za_global_pool;
}

/* Every page of the block: not compound, one reference. */
static void za_api_expect_plain(struct kunit *test, struct page *page,
				unsigned int order, const char *when)
{
	unsigned long i, bad_compound = 0, bad_count = 0;

	for (i = 0; i < BIT(order); i++) {
		bad_compound += PageCompound(page + i);
		bad_count += page_count(page + i) != 1;
	}
	KUNIT_EXPECT_EQ_MSG(test, bad_compound, 0UL,
			    "order %u %s: %lu compound pages", order, when,
			    bad_compound);
	KUNIT_EXPECT_EQ_MSG(test, bad_count, 0UL,
			    "order %u %s: %lu pages with a count other than 1 (first %d)",
			    order, when, bad_count, page_count(page));
}

/*
 * A caller takes and drops references on pages of blocks of several orders,
 * as a dma-buf importer or vm_insert_page() does: only the page referenced
 * changes, the kernel sees plain order-0 folios, and the pool is intact.
 */
static void zonealloc_api_page_refs(struct kunit *test)
{
	struct za_pool *pool = za_api_pool(test);
	unsigned long before = za_pool_allocated_pages(pool);
	unsigned int k;

	for (k = 0; k < ARRAY_SIZE(za_api_orders); k++) {
		unsigned int order = za_api_orders[k];
		unsigned long nr = BIT(order), probe[3] = { 0, nr / 2, nr - 1 };
		struct page *page;
		unsigned int j;

		page = zonealloc_alloc_pages(ZONEALLOC_GFP_NOWARN, order);
		KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(page), "order %u", order);
		za_api_expect_plain(test, page, order, "allocated");
		for (j = 0; j < ARRAY_SIZE(probe); j++) {
			struct page *p = page + probe[j];

			KUNIT_EXPECT_EQ_MSG(test, folio_nr_pages(page_folio(p)),
					    1L, "order %u page %lu", order,
					    probe[j]);
			get_page(p);
			KUNIT_EXPECT_EQ_MSG(test, page_count(p), 2,
					    "order %u page %lu after get_page",
					    order, probe[j]);
			/* Another page of the block keeps its count. */
			if (nr > 1)
				KUNIT_EXPECT_EQ_MSG(test,
						    page_count(page + !probe[j]), 1,
						    "order %u: get_page of page %lu",
						    order, probe[j]);
			KUNIT_EXPECT_TRUE(test, za_block_referenced(page, order));
			put_page(p);
			KUNIT_EXPECT_FALSE(test, za_block_referenced(page, order));
		}
		za_api_expect_plain(test, page, order, "after get/put");
		KUNIT_EXPECT_EQ_MSG(test, zonealloc_free_pages(page, order), 0,
				    "order %u", order);
		za_api_expect_plain(test, page, order, "freed");
	}
	KUNIT_EXPECT_EQ(test, za_pool_allocated_pages(pool), before);
	za_test_check(test, pool, "after get/put on allocated pages");
}

/*
 * The API holds one reference on the module while any block or bulk page
 * is outstanding, and drops it with the last free; a failed call changes
 * nothing.
 */
static void zonealloc_api_module_refs(struct kunit *test)
{
	struct za_pool *pool = za_api_pool(test);
	struct module *mod = za_api_module();
	struct page *pages[8] = {};
	struct page *page;
	int base;

	KUNIT_ASSERT_NOT_NULL(test, mod);
	base = module_refcount(mod);
	KUNIT_EXPECT_EQ(test, PTR_ERR(zonealloc_alloc_pages(0, ZA_MAX_ORDER + 1)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, module_refcount(mod), base);
	KUNIT_EXPECT_EQ(test, zonealloc_alloc_pages_bulk(0, 8, pages), 8);
	KUNIT_EXPECT_EQ(test, module_refcount(mod), base + 1);
	page = zonealloc_alloc_pages(ZONEALLOC_GFP_NOWARN, 2);
	KUNIT_ASSERT_FALSE(test, IS_ERR(page));
	KUNIT_EXPECT_EQ(test, module_refcount(mod), base + 1);
	KUNIT_EXPECT_EQ(test, zonealloc_free_pages(page + 1, 2), -EINVAL);
	KUNIT_EXPECT_EQ(test, zonealloc_free_pages_bulk(8, pages), 0);
	KUNIT_EXPECT_EQ(test, module_refcount(mod), base + 1);
	KUNIT_EXPECT_EQ(test, zonealloc_free_pages_bulk(8, pages), 0);
	KUNIT_EXPECT_EQ(test, zonealloc_free_pages(page, 2), 0);
	KUNIT_EXPECT_EQ(test, module_refcount(mod), base);
	KUNIT_EXPECT_EQ(test, zonealloc_free_pages(page, 2), -EINVAL);
	KUNIT_EXPECT_EQ(test, module_refcount(mod), base);
	/* Again from zero: the reference comes back with the next block. */
	page = zonealloc_alloc_pages(ZONEALLOC_GFP_NOWARN, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(page));
	KUNIT_EXPECT_EQ(test, module_refcount(mod), base + 1);
	KUNIT_EXPECT_EQ(test, zonealloc_free_pages(page, 0), 0);
	KUNIT_EXPECT_EQ(test, module_refcount(mod), base);
	za_test_check(test, pool, "after the module reference case");
}

struct za_api_churn {
	struct completion done;
	unsigned int ops;
	unsigned int errors;
};

/* Single blocks and bulk batches, each held briefly: many 0 <-> 1 turns. */
static int za_api_churn_thread(void *data)
{
	struct za_api_churn *arg = data;
	unsigned int op;

	for (op = 0; op < arg->ops; op++) {
		struct page *bulk[4] = {};
		struct page *page;
		int got;

		page = zonealloc_alloc_pages(ZONEALLOC_GFP_NOWARN, op % 4);
		got = zonealloc_alloc_pages_bulk(ZONEALLOC_GFP_NOWARN, 4, bulk);
		if (got < 0 || zonealloc_free_pages_bulk(4, bulk))
			arg->errors++;
		if (!IS_ERR(page) && zonealloc_free_pages(page, op % 4))
			arg->errors++;
		if (op % 64 == 0)
			cond_resched();
	}
	complete(&arg->done);
	return 0;
}

/*
 * Threads on every CPU allocate and free through the API at once, crossing
 * zero outstanding over and over: the module's count ends where it began.
 */
static void zonealloc_api_module_refs_concurrent(struct kunit *test)
{
	struct za_pool *pool = za_api_pool(test);
	struct module *mod = za_api_module();
	struct za_api_churn *args;
	unsigned int n = 0, i;
	int base, cpu;

	KUNIT_ASSERT_NOT_NULL(test, mod);
	base = module_refcount(mod);
	args = kunit_kcalloc(test, num_online_cpus(), sizeof(*args),
			     GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, args);
	for_each_online_cpu(cpu) {
		struct task_struct *t;

		args[n].ops = 3000;
		init_completion(&args[n].done);
		t = kthread_create(za_api_churn_thread, &args[n],
				   "za_api_churn/%d", cpu);
		KUNIT_EXPECT_FALSE(test, IS_ERR(t));
		if (IS_ERR(t))
			continue;
		kthread_bind(t, cpu);
		wake_up_process(t);
		n++;
	}
	for (i = 0; i < n; i++) {
		wait_for_completion(&args[i].done);
		KUNIT_EXPECT_EQ_MSG(test, args[i].errors, 0U, "thread %u", i);
	}
	KUNIT_EXPECT_EQ(test, module_refcount(mod), base);
	za_test_check(test, pool, "after the concurrent callers");
}

static struct kunit_case zonealloc_api_cases[] = {
	KUNIT_CASE(zonealloc_api_page_refs),
	KUNIT_CASE(zonealloc_api_module_refs),
	KUNIT_CASE(zonealloc_api_module_refs_concurrent),
	{}
};

static struct kunit_suite zonealloc_api_suite = {
	.name = "zonealloc_api",
	.suite_init = za_test_suite_init,
	.init = za_test_case_init,
	.test_cases = zonealloc_api_cases,
};

kunit_test_suite(zonealloc_api_suite);
