// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for elastic pools: ranges that join a running pool
 * (za_pool_grow_range()) and leave it (za_pool_shrink_range()), with the
 * invariant checker after every step, and evacuation (za_evacuate_range())
 * with a test owner of one movable block. The pool is built over order-10
 * blocks from alloc_pages(), one range each (keep_ranges), in NORMAL.
 */

#include <kunit/test.h>
#include <linux/err.h>
#include <linux/completion.h>
#include <linux/gfp.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/prandom.h>
#include <linux/slab.h>

#include "alloc.h"
#include "contig.h"
#include "migrate.h"
#include "pool.h"
#include "test_pool.h"

#define ZA_ET_ORDER	ZA_MAX_ORDER
#define ZA_ET_PAGES	BIT(ZA_ET_ORDER)
#define ZA_ET_MAX	4

struct za_et_res {
	struct za_pool *pool;
	struct page *blocks[ZA_ET_MAX];	/* NULL once given back */
	unsigned int released;		/* calls of za_et_release() */
	bool refuse;			/* make za_et_release() refuse */
	bool keep;			/* accept, but keep the block */
};

static void za_et_cleanup(void *arg)
{
	struct za_et_res *res = arg;
	unsigned int i;

	za_pool_destroy(res->pool);
	for (i = 0; i < ZA_ET_MAX; i++)
		if (res->blocks[i])
			__free_pages(res->blocks[i], ZA_ET_ORDER);
	kfree(res);
}

/* The release callback: give the block back unless told to refuse. */
static bool za_et_release(unsigned long pfn, unsigned long nr_pages,
			  void *arg)
{
	struct za_et_res *res = arg;
	unsigned int i;

	res->released++;
	if (res->refuse || nr_pages != ZA_ET_PAGES)
		return false;
	if (res->keep)
		return true;
	for (i = 0; i < ZA_ET_MAX; i++) {
		if (res->blocks[i] && page_to_pfn(res->blocks[i]) == pfn) {
			__free_pages(res->blocks[i], ZA_ET_ORDER);
			res->blocks[i] = NULL;
			return true;
		}
	}
	return false;
}

static struct page *za_et_block(struct kunit *test, struct za_et_res *res,
				unsigned int i)
{
	res->blocks[i] = alloc_pages(GFP_KERNEL | __GFP_NOWARN, ZA_ET_ORDER);
	KUNIT_ASSERT_NOT_NULL_MSG(test, res->blocks[i],
				  "no order-%d block for the pool", ZA_ET_ORDER);
	return res->blocks[i];
}

/* An elastic pool of one block, room for ZA_ET_MAX ranges. */
static struct za_et_res *za_et_pool(struct kunit *test, bool pcp)
{
	struct za_et_res *res;
	int ret;

	res = kzalloc(sizeof(*res), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, res);
	res->pool = za_pool_create("zonealloc-elastic-test");
	if (!res->pool) {
		kfree(res);
		KUNIT_FAIL_AND_ABORT(test, "za_pool_create failed");
	}
	ret = kunit_add_action_or_reset(test, za_et_cleanup, res);
	KUNIT_ASSERT_EQ(test, ret, 0);
	res->pool->pcp_enabled = pcp;
	res->pool->keep_ranges = true;
	KUNIT_ASSERT_EQ(test, za_pool_reserve_chunks(res->pool, ZA_ET_MAX), 0);
	KUNIT_ASSERT_EQ(test, za_pool_add_range(res->pool,
						page_to_pfn(za_et_block(test, res, 0)),
						ZA_ET_PAGES, ZA_ZONE_NORMAL), 0);
	KUNIT_ASSERT_EQ(test, za_pool_setup(res->pool), 0);
	za_test_check(test, res->pool, "after setup");
	return res;
}

static int za_et_grow(struct za_et_res *res, unsigned long pfn,
		      unsigned long nr)
{
	int ret;

	down_write(&res->pool->resize_sem);
	ret = za_pool_grow_range(res->pool, pfn, nr, ZA_ZONE_NORMAL);
	up_write(&res->pool->resize_sem);
	return ret;
}

static int za_et_shrink(struct za_et_res *res, unsigned long pfn)
{
	int ret;

	down_write(&res->pool->resize_sem);
	ret = za_pool_shrink_range(res->pool, pfn, false, za_et_release, res);
	up_write(&res->pool->resize_sem);
	return ret;
}

/* A grown range joins the zone's span, counts and free lists. */
static void zonealloc_elastic_grow(struct kunit *test)
{
	struct za_et_res *res = za_et_pool(test, false);
	struct za_zone *zone = &res->pool->zones[ZA_ZONE_NORMAL];
	unsigned long pfn = page_to_pfn(za_et_block(test, res, 1));
	unsigned long low_before = zone->watermark[ZA_WMARK_LOW];
	struct za_page *a, *b;

	KUNIT_ASSERT_EQ(test, za_et_grow(res, pfn, ZA_ET_PAGES), 0);
	za_test_check(test, res->pool, "after grow");
	KUNIT_EXPECT_EQ(test, res->pool->nr_chunks, 2U);
	KUNIT_EXPECT_EQ(test, zone->managed_pages, 2 * ZA_ET_PAGES);
	KUNIT_EXPECT_EQ(test, zone->present_pages, 2 * ZA_ET_PAGES);
	KUNIT_EXPECT_EQ(test, zone->free_pages, 2 * ZA_ET_PAGES);
	KUNIT_EXPECT_LE(test, zone->start_pfn, pfn);
	KUNIT_EXPECT_GE(test, zone->end_pfn, pfn + ZA_ET_PAGES);
	KUNIT_EXPECT_GE(test, zone->watermark[ZA_WMARK_LOW], low_before);
	KUNIT_EXPECT_EQ(test, zone->free_area[ZA_MAX_ORDER].nr_free, 2UL);
	KUNIT_EXPECT_EQ(test, za_pfn_to_page(res->pool, pfn)->pfn, pfn);

	/* Both largest blocks can be allocated: the new one is usable. */
	za_test_zero_wmarks(zone);
	a = za_alloc_pages(res->pool, 0, ZA_MAX_ORDER);
	b = za_alloc_pages(res->pool, 0, ZA_MAX_ORDER);
	KUNIT_ASSERT_FALSE(test, IS_ERR_OR_NULL(a));
	KUNIT_ASSERT_FALSE(test, IS_ERR_OR_NULL(b));
	KUNIT_EXPECT_TRUE(test, a->pfn == pfn || b->pfn == pfn);
	za_test_check(test, res->pool, "with both blocks allocated");
	KUNIT_EXPECT_EQ(test, za_free_pages(res->pool, a, ZA_MAX_ORDER), 0);
	KUNIT_EXPECT_EQ(test, za_free_pages(res->pool, b, ZA_MAX_ORDER), 0);
	za_test_check(test, res->pool, "after the frees");
}

/* Bad ranges are refused and leave the pool as it was. */
static void zonealloc_elastic_grow_errors(struct kunit *test)
{
	struct za_et_res *res = za_et_pool(test, false);
	unsigned long first = page_to_pfn(res->blocks[0]);
	unsigned int i;

	KUNIT_EXPECT_EQ(test, za_et_grow(res, first, ZA_ET_PAGES), -EINVAL);
	KUNIT_EXPECT_EQ(test, za_et_grow(res, first + ZA_PAGEBLOCK_PAGES,
					 ZA_ET_PAGES), -EINVAL);
	for (i = 1; i < ZA_ET_MAX; i++)
		KUNIT_ASSERT_EQ(test, za_et_grow(res,
						 page_to_pfn(za_et_block(test, res, i)),
						 ZA_ET_PAGES), 0);
	KUNIT_EXPECT_EQ(test, res->pool->nr_chunks, ZA_ET_MAX);
	/* The table is full: the first block again would not fit anyway. */
	KUNIT_EXPECT_EQ(test, za_et_grow(res, first, ZA_ET_PAGES), -ENOSPC);
	za_test_check(test, res->pool, "after refused grows");
}

/* Only an entirely free range leaves; then nothing of it remains. */
static void zonealloc_elastic_shrink(struct kunit *test)
{
	struct za_et_res *res = za_et_pool(test, false);
	struct za_zone *zone = &res->pool->zones[ZA_ZONE_NORMAL];
	unsigned long first = page_to_pfn(res->blocks[0]);
	unsigned long pfn = page_to_pfn(za_et_block(test, res, 1));
	struct za_page *a, *b;

	KUNIT_ASSERT_EQ(test, za_et_grow(res, pfn, ZA_ET_PAGES), 0);
	za_test_zero_wmarks(zone);
	/* A block allocated in each range: neither can go. */
	a = za_alloc_pages(res->pool, 0, ZA_MAX_ORDER);
	b = za_alloc_pages(res->pool, 0, ZA_MAX_ORDER);
	KUNIT_ASSERT_FALSE(test, IS_ERR_OR_NULL(a));
	KUNIT_ASSERT_FALSE(test, IS_ERR_OR_NULL(b));
	KUNIT_EXPECT_EQ(test, za_et_shrink(res, first), -EBUSY);
	KUNIT_EXPECT_EQ(test, za_et_shrink(res, pfn), -EBUSY);
	za_test_check(test, res->pool, "after refused shrinks");
	KUNIT_EXPECT_EQ(test, za_free_pages(res->pool, a, ZA_MAX_ORDER), 0);
	KUNIT_EXPECT_EQ(test, za_free_pages(res->pool, b, ZA_MAX_ORDER), 0);
	KUNIT_EXPECT_EQ(test, res->released, 0U);
	KUNIT_EXPECT_EQ(test, za_et_shrink(res, pfn + 1), -EINVAL);

	KUNIT_ASSERT_EQ(test, za_et_shrink(res, pfn), 0);
	KUNIT_EXPECT_EQ(test, res->released, 1U);
	KUNIT_EXPECT_NULL(test, res->blocks[1]);
	za_test_check(test, res->pool, "after the shrink");
	KUNIT_EXPECT_EQ(test, res->pool->nr_chunks, 1U);
	KUNIT_EXPECT_EQ(test, zone->managed_pages, ZA_ET_PAGES);
	KUNIT_EXPECT_EQ(test, zone->free_pages, ZA_ET_PAGES);
	KUNIT_EXPECT_EQ(test, zone->start_pfn, first);
	KUNIT_EXPECT_EQ(test, zone->end_pfn, first + ZA_ET_PAGES);
	KUNIT_EXPECT_NULL(test, za_pfn_to_page(res->pool, pfn));
	KUNIT_EXPECT_EQ(test, za_et_shrink(res, pfn), -EINVAL);

	/* The last range can go too: an empty zone. */
	KUNIT_ASSERT_EQ(test, za_et_shrink(res, first), 0);
	za_test_check(test, res->pool, "empty");
	KUNIT_EXPECT_FALSE(test, za_zone_populated(zone));
	KUNIT_EXPECT_EQ(test, zone->end_pfn, 0UL);
	KUNIT_EXPECT_PTR_EQ(test, za_alloc_pages(res->pool, ZONEALLOC_GFP_NOWARN, 0),
			    ERR_PTR(-ENOMEM));
}

/* Pages on a per-CPU list are drained first: the range still leaves. */
static void zonealloc_elastic_shrink_pcp(struct kunit *test)
{
	struct za_et_res *res = za_et_pool(test, true);
	struct za_zone *zone = &res->pool->zones[ZA_ZONE_NORMAL];
	unsigned long first = page_to_pfn(res->blocks[0]);
	struct za_page *zp;

	za_test_zero_wmarks(zone);
	zp = za_alloc_pages(res->pool, ZONEALLOC_GFP_MOVABLE, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR_OR_NULL(zp));
	KUNIT_ASSERT_EQ(test, za_free_pages(res->pool, zp, 0), 0);
	KUNIT_EXPECT_LT(test, zone->free_pages, ZA_ET_PAGES);
	KUNIT_EXPECT_EQ(test, za_et_shrink(res, first), 0);
	za_test_check(test, res->pool, "after draining and shrinking");
	KUNIT_EXPECT_EQ(test, zone->managed_pages, 0UL);
}

/* A refused release puts the range back on the free lists, whole. */
static void zonealloc_elastic_shrink_refused(struct kunit *test)
{
	struct za_et_res *res = za_et_pool(test, false);
	struct za_zone *zone = &res->pool->zones[ZA_ZONE_NORMAL];
	unsigned long first = page_to_pfn(res->blocks[0]);

	res->refuse = true;
	KUNIT_EXPECT_EQ(test, za_et_shrink(res, first), -EBUSY);
	KUNIT_EXPECT_EQ(test, res->released, 1U);
	za_test_check(test, res->pool, "after a refused release");
	KUNIT_EXPECT_EQ(test, zone->free_pages, ZA_ET_PAGES);
	KUNIT_EXPECT_EQ(test, zone->free_area[ZA_MAX_ORDER].nr_free, 1UL);
	KUNIT_EXPECT_NOT_NULL(test, za_pfn_to_page(res->pool, first));
}

/* A test owner of one movable block, for evacuation. */
struct za_et_owner {
	spinlock_t lock;	/* protects @blk */
	struct za_page *blk;
};

static int za_et_move(struct za_pool *pool, unsigned long owner,
		      struct za_page *src, struct za_page *dst,
		      unsigned int order, enum za_migrate_mode mode)
{
	struct za_et_owner *o = (struct za_et_owner *)owner;

	spin_lock(&o->lock);
	if (o->blk != src) {
		spin_unlock(&o->lock);
		return -ENOENT;
	}
	za_migrate_copy(dst, src, order);
	za_page_set_owner(dst, owner);
	o->blk = dst;
	spin_unlock(&o->lock);
	return 0;
}

static const struct za_migrate_ops za_et_ops = { .move = za_et_move };

static u32 *za_et_words(struct za_page *zp)
{
	return page_address(pfn_to_page(zp->pfn));
}

/*
 * Evacuation moves a movable block to another range and holds the range,
 * which then leaves; an unmovable block pins its range.
 */
static void zonealloc_elastic_evacuate(struct kunit *test)
{
	struct za_et_res *res = za_et_pool(test, false);
	struct za_zone *zone = &res->pool->zones[ZA_ZONE_NORMAL];
	unsigned long pfn = page_to_pfn(za_et_block(test, res, 1)), moved, x;
	struct za_et_owner o = {};
	struct za_page *u;
	unsigned long i, n = (PAGE_SIZE << 9) / sizeof(u32);
	u32 *w;

	spin_lock_init(&o.lock);
	KUNIT_ASSERT_EQ(test, za_et_grow(res, pfn, ZA_ET_PAGES), 0);
	za_test_zero_wmarks(zone);
	WRITE_ONCE(res->pool->migrate_ops, &za_et_ops);
	o.blk = za_alloc_pages(res->pool, ZONEALLOC_GFP_MOVABLE, 9);
	KUNIT_ASSERT_FALSE(test, IS_ERR_OR_NULL(o.blk));
	za_page_set_owner(o.blk, (unsigned long)&o);
	w = za_et_words(o.blk);
	for (i = 0; i < n; i++)
		w[i] = i * 2654435761u;
	x = o.blk->pfn & ~(ZA_ET_PAGES - 1);

	down_write(&res->pool->resize_sem);
	KUNIT_EXPECT_EQ(test, za_evacuate_range(res->pool, x, ZA_ET_PAGES,
						&moved), 0);
	up_write(&res->pool->resize_sem);
	KUNIT_EXPECT_EQ(test, moved, 512UL);
	KUNIT_EXPECT_NE(test, o.blk->pfn & ~(ZA_ET_PAGES - 1), x);
	w = za_et_words(o.blk);
	for (i = 0; i < n; i++)
		if (w[i] != (u32)(i * 2654435761u))
			break;
	KUNIT_EXPECT_EQ_MSG(test, i, n, "word %lu of the moved block", i);

	down_write(&res->pool->resize_sem);
	KUNIT_EXPECT_EQ(test, za_pool_shrink_range(res->pool, x, true,
						   za_et_release, res), 0);
	up_write(&res->pool->resize_sem);
	za_test_check(test, res->pool, "after evacuating and giving back");
	KUNIT_EXPECT_EQ(test, res->pool->nr_chunks, 1U);
	KUNIT_EXPECT_EQ(test, zone->managed_pages, ZA_ET_PAGES);

	spin_lock(&o.lock);
	KUNIT_EXPECT_EQ(test, za_free_pages(res->pool, o.blk, 9), 0);
	o.blk = NULL;
	spin_unlock(&o.lock);

	/* An unmovable block pins the range; nothing changes. */
	za_test_zero_wmarks(zone);	/* the shrink sized them again */
	u = za_alloc_pages(res->pool, 0, 9);
	KUNIT_ASSERT_FALSE(test, IS_ERR_OR_NULL(u));
	x = u->pfn & ~(ZA_ET_PAGES - 1);
	down_write(&res->pool->resize_sem);
	KUNIT_EXPECT_EQ(test, za_evacuate_range(res->pool, x, ZA_ET_PAGES,
						&moved), -EBUSY);
	up_write(&res->pool->resize_sem);
	za_test_check(test, res->pool, "after a refused evacuation");
	KUNIT_EXPECT_EQ(test, zone->free_pages, ZA_ET_PAGES - 512);
	KUNIT_EXPECT_EQ(test, za_free_pages(res->pool, u, 9), 0);
	WRITE_ONCE(res->pool->migrate_ops, NULL);
	za_test_check(test, res->pool, "after the frees");
}

struct za_et_thread {
	struct za_pool *pool;
	u32 seed;
	bool *stop;
	unsigned long ops;
	unsigned int errors;
	struct completion done;
};

/* Up to ~ZA_ET_HELD * 2 pages per thread: more than the first range. */
#define ZA_ET_HELD	256

/* Allocate and free small blocks, each tagged with its pfn, until told. */
static int za_et_thread_fn(void *data)
{
	struct za_et_thread *t = data;
	struct za_et_held { struct za_page *zp; unsigned int order; } *held;
	unsigned int nr = 0;
	struct rnd_state rnd;

	held = kcalloc(ZA_ET_HELD, sizeof(*held), GFP_KERNEL);
	if (!held) {
		t->errors++;
		complete(&t->done);
		return 0;
	}
	prandom_seed_state(&rnd, t->seed);
	while (!READ_ONCE(*t->stop) || nr) {
		bool alloc = !READ_ONCE(*t->stop) && nr < ZA_ET_HELD &&
			     (!nr || prandom_u32_state(&rnd) % 2);

		if (alloc) {
			unsigned int order = prandom_u32_state(&rnd) % 4;
			struct za_page *zp;

			zp = za_alloc_pages(t->pool, ZONEALLOC_GFP_NOWARN |
					    (prandom_u32_state(&rnd) % 2 ?
					     ZONEALLOC_GFP_MOVABLE : 0), order);
			if (IS_ERR(zp)) {
				t->errors += PTR_ERR(zp) != -ENOMEM;
			} else {
				*(unsigned long *)za_et_words(zp) = zp->pfn;
				held[nr].zp = zp;
				held[nr++].order = order;
			}
		} else {
			unsigned int i = prandom_u32_state(&rnd) % nr;
			struct za_page *zp = held[i].zp;

			t->errors += *(unsigned long *)za_et_words(zp) != zp->pfn ||
				     za_pfn_to_page(t->pool, zp->pfn) != zp ||
				     za_free_pages(t->pool, zp, held[i].order);
			held[i] = held[--nr];
		}
		WRITE_ONCE(t->ops, t->ops + 1);
		if (t->ops % 32 == 0)
			cond_resched();
	}
	kfree(held);
	complete(&t->done);
	return 0;
}

/*
 * Ranges join and leave while a thread per CPU allocates and frees:
 * lookups stay right, nothing is lost, the invariants hold after.
 */
static void zonealloc_elastic_concurrency(struct kunit *test)
{
	struct za_et_res *res = za_et_pool(test, true);
	struct za_et_thread *th;
	unsigned long pfns[ZA_ET_MAX];
	unsigned int n = 0, i, round, grown = 0, shrunk = 0;
	bool stop = false;
	int cpu;

	res->keep = true;
	for (i = 1; i < ZA_ET_MAX; i++)
		pfns[i] = page_to_pfn(za_et_block(test, res, i));
	th = kunit_kcalloc(test, num_online_cpus(), sizeof(*th), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, th);
	for_each_online_cpu(cpu) {
		struct task_struct *k;

		th[n] = (struct za_et_thread){
			.pool = res->pool, .seed = za_test_seed() + n,
			.stop = &stop,
		};
		init_completion(&th[n].done);
		k = kthread_create(za_et_thread_fn, &th[n], "za_et/%d", cpu);
		KUNIT_EXPECT_FALSE(test, IS_ERR(k));
		if (IS_ERR(k))
			continue;
		kthread_bind(k, cpu);
		wake_up_process(k);
		n++;
	}
	/* Let every thread get going first (bounded: a thread may fail). */
	for (round = 0; round < 2000; round++) {
		for (i = 0; i < n && READ_ONCE(th[i].ops) >= 1000; i++)
			;
		if (i == n)
			break;
		usleep_range(1000, 2000);
	}
	for (round = 0; round < 40; round++) {
		for (i = 1; i < ZA_ET_MAX; i++)
			if (!za_pfn_to_page(res->pool, pfns[i]) &&
			    !za_et_grow(res, pfns[i], ZA_ET_PAGES))
				grown++;
		for (i = 1; i < ZA_ET_MAX; i++)
			if (!za_et_shrink(res, pfns[i]))
				shrunk++;
		/* The threads allocate into the new ranges. */
		usleep_range(1000, 2000);
	}
	WRITE_ONCE(stop, true);
	for (i = 0; i < n; i++) {
		wait_for_completion(&th[i].done);
		KUNIT_EXPECT_EQ_MSG(test, th[i].errors, 0U, "thread %u", i);
	}
	kunit_info(test, "%u threads, %u grows, %u shrinks (the rest busy), %lu ops by thread 0\n",
		   n, grown, shrunk, n ? th[0].ops : 0);
	za_test_check(test, res->pool, "after the threads");
	KUNIT_EXPECT_GT(test, grown, 0U);
	/* Everything is free again: every grown range can leave. */
	for (i = 1; i < ZA_ET_MAX; i++)
		if (za_pfn_to_page(res->pool, pfns[i]))
			KUNIT_EXPECT_EQ(test, za_et_shrink(res, pfns[i]), 0);
	za_test_check(test, res->pool, "after the last shrinks");
	KUNIT_EXPECT_EQ(test, res->pool->nr_chunks, 1U);
}

static struct kunit_case zonealloc_elastic_cases[] = {
	KUNIT_CASE(zonealloc_elastic_grow),
	KUNIT_CASE(zonealloc_elastic_grow_errors),
	KUNIT_CASE(zonealloc_elastic_shrink),
	KUNIT_CASE(zonealloc_elastic_shrink_pcp),
	KUNIT_CASE(zonealloc_elastic_shrink_refused),
	KUNIT_CASE(zonealloc_elastic_evacuate),
	KUNIT_CASE(zonealloc_elastic_concurrency),
	{}
};

static struct kunit_suite zonealloc_elastic_suite = {
	.name = "zonealloc_elastic",
	.init = za_test_case_init,
	.suite_init = za_test_suite_init,
	.test_cases = zonealloc_elastic_cases,
};

kunit_test_suite(zonealloc_elastic_suite);
