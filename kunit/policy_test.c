// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for the allocation policies that follow Linux 6.12's slow
 * path: direct compaction for every order above 0 with the kernel's
 * priorities and retry rules (__alloc_pages_slowpath(),
 * should_compact_retry(), try_to_compact_pages()), and kcompactd's wakeup
 * rules (wakeup_kcompactd(), kcompactd_do_work()). The expected values are
 * what the kernel's rules give for the constructed state, worked out by
 * hand in each case.
 */

#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/prandom.h>
#include <linux/slab.h>
#include <zonealloc.h>

#include "alloc.h"
#include "buddy.h"
#include "compaction.h"
#include "migrate.h"
#include "pcp.h"
#include "pool.h"
#include "test_pool.h"
#include "vmstat.h"

#define MOVABLE		(ZONEALLOC_GFP_MOVABLE | ZONEALLOC_GFP_NOWARN)
#define UNMOVABLE	ZONEALLOC_GFP_NOWARN

/**
 * struct powner - a test owner of movable order-0 pages.
 * @lock: protects @zp and @pinned; the move callback takes it.
 * @zp: its pages; the owner cookie of entry i is i + 1; NULL once freed.
 * @nr: entries used.
 * @max: entries allocated.
 * @pinned: every move is refused (-EBUSY).
 * @pool: the pool.
 */
struct powner {
	struct mutex lock;	/* see above */
	struct za_page **zp;
	unsigned int nr;
	unsigned int max;
	bool pinned;
	struct za_pool *pool;
};

static int powner_move(struct za_pool *pool, unsigned long owner,
		       struct za_page *src, struct za_page *dst,
		       unsigned int order, enum za_migrate_mode mode)
{
	struct powner *po = pool->migrate_priv;
	unsigned long idx = owner - 1;
	int ret = 0;

	if (mode == ZA_MIGRATE_ASYNC) {
		if (!mutex_trylock(&po->lock))
			return -EAGAIN;
	} else {
		mutex_lock(&po->lock);
	}
	if (idx >= po->nr || po->zp[idx] != src || order) {
		ret = -ENOENT;
	} else if (po->pinned) {
		ret = -EBUSY;
	} else {
		za_migrate_copy(dst, src, order);
		WRITE_ONCE(dst->owner, owner);
		WRITE_ONCE(src->owner, 0);
		po->zp[idx] = dst;
	}
	mutex_unlock(&po->lock);
	return ret;
}

static const struct za_migrate_ops powner_ops = {
	.move = powner_move,
};

static void powner_release(void *arg)
{
	struct powner *po = arg;

	WRITE_ONCE(po->pool->migrate_ops, NULL);
	po->pool->migrate_priv = NULL;
	kvfree(po->zp);
	mutex_destroy(&po->lock);
	kfree(po);
}

/* Register a new owner of movable pages on @pool. */
static struct powner *powner_create(struct kunit *test, struct za_pool *pool)
{
	struct powner *po = kzalloc(sizeof(*po), GFP_KERNEL);
	int z;

	KUNIT_ASSERT_NOT_NULL(test, po);
	for (z = 0; z < ZA_NR_ZONES; z++)
		po->max += pool->zones[z].managed_pages;
	po->zp = kvcalloc(po->max, sizeof(*po->zp), GFP_KERNEL);
	if (!po->zp) {
		kfree(po);
		KUNIT_FAIL_AND_ABORT(test, "no memory for %u pages", po->max);
	}
	mutex_init(&po->lock);
	po->pool = pool;
	pool->migrate_priv = po;
	WRITE_ONCE(pool->migrate_ops, &powner_ops);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, powner_release,
							po), 0);
	return po;
}

/*
 * Fill @pool with movable order-0 pages owned by a new owner, then free
 * every page but one in 2^@order by pfn: no free block of @order is left,
 * and compaction can make one by moving the pages kept.
 */
static struct powner *powner_fragment(struct kunit *test,
				      struct za_pool *pool,
				      unsigned int order)
{
	struct powner *po = powner_create(test, pool);
	unsigned long mask = (1UL << order) - 1;
	unsigned int i;

	for (;;) {
		struct za_page *zp = za_alloc_pages(pool, MOVABLE |
						    ZONEALLOC_GFP_ATOMIC, 0);

		if (IS_ERR(zp))
			break;
		KUNIT_ASSERT_LT(test, po->nr, po->max);
		mutex_lock(&po->lock);
		po->zp[po->nr++] = zp;
		za_page_set_owner(zp, po->nr);
		mutex_unlock(&po->lock);
	}
	mutex_lock(&po->lock);
	for (i = 0; i < po->nr; i++) {
		if ((po->zp[i]->pfn & mask) == mask)
			continue;
		KUNIT_EXPECT_EQ(test, za_free_pages(pool, po->zp[i], 0), 0);
		po->zp[i] = NULL;
	}
	mutex_unlock(&po->lock);
	za_pcp_drain_all(pool);
	za_test_check(test, pool, "after fragmenting");
	return po;
}

/* Free blocks of @order or more in @zone, on any list. */
static unsigned long free_blocks(struct za_zone *zone, unsigned int order)
{
	unsigned long n = 0;

	for (; order <= ZA_MAX_ORDER; order++)
		n += zone->free_area[order].nr_free;
	return n;
}

static void log_start(struct kunit *test, struct za_pool *pool,
		      struct za_compact_log *log)
{
	memset(log, 0, sizeof(*log));
	log->pool = pool;
	WRITE_ONCE(za_compact_log, log);
}

static void log_stop(void *unused)
{
	WRITE_ONCE(za_compact_log, NULL);
}

/* One expected log entry: a compaction at @prio, or a retry answer. */
struct step {
	int prio;
	int retry;	/* -1: a compaction; else should_compact_retry() */
};

#define COMPACT(p)	{ ZA_COMPACT_PRIO_##p, -1 }
#define RETRY(p, r)	{ ZA_COMPACT_PRIO_##p, r }

static void expect_log(struct kunit *test, struct za_compact_log *log,
		       const struct step *steps, unsigned int nr,
		       const char *what)
{
	unsigned int i;

	KUNIT_EXPECT_EQ_MSG(test, log->nr, nr, "%s: steps", what);
	for (i = 0; i < min(nr, log->nr); i++) {
		KUNIT_EXPECT_EQ_MSG(test, log->e[i].prio, steps[i].prio,
				    "%s: priority of step %u", what, i);
		KUNIT_EXPECT_EQ_MSG(test, log->e[i].retry, steps[i].retry,
				    "%s: kind of step %u", what, i);
	}
}

static bool sr(struct za_pool *pool, unsigned int order,
	       enum za_compact_result result, enum za_compact_priority *prio,
	       int *retries)
{
	return za_should_compact_retry(pool, order, ZA_ZONE_NORMAL, result,
				       prio, retries);
}

/*
 * should_compact_retry()'s answers for each result and priority, as 6.12's
 * rules give them: a lost success retries 16 times (4 for a costly order)
 * at one priority, then escalates; a failure escalates at once; the floor
 * is sync-full, sync-light for a costly order; a skip retries while some
 * zone has the free memory to compact.
 */
static void zonealloc_policy_compact_retry_rules(struct kunit *test)
{
	/* Room for __compaction_suitable() at order 9: low + 2 << 9 free. */
	static const unsigned int layout[ZA_NR_ZONES] = { [ZA_ZONE_NORMAL] = 4 };
	struct za_pool *pool = za_test_pool(test, layout, false);
	static const enum za_compact_result fails[] = {
		ZA_COMPACT_DEFERRED, ZA_COMPACT_COMPLETE,
		ZA_COMPACT_PARTIAL_SKIPPED, ZA_COMPACT_CONTENDED,
	};
	const enum za_compact_result ok = ZA_COMPACT_SUCCESS;
	enum za_compact_priority prio;
	struct za_page *zp;
	unsigned int i, order;
	int retries;

	for (order = 1; order <= 9; order += 8) {
		int max = order > ZA_COSTLY_ORDER ? 4 : 16;
		enum za_compact_priority floor = order > ZA_COSTLY_ORDER ?
			ZA_COMPACT_PRIO_SYNC_LIGHT : ZA_COMPACT_PRIO_SYNC_FULL;

		/* A lost success: max retries at async, then one step. */
		prio = ZA_COMPACT_PRIO_ASYNC;
		retries = 0;
		for (i = 1; i <= max; i++) {
			KUNIT_EXPECT_TRUE(test, sr(pool, order, ok, &prio, &retries));
			KUNIT_EXPECT_EQ(test, retries, (int)i);
			KUNIT_EXPECT_EQ(test, prio, ZA_COMPACT_PRIO_ASYNC);
		}
		KUNIT_EXPECT_TRUE(test, sr(pool, order, ok, &prio, &retries));
		KUNIT_EXPECT_EQ(test, prio, ZA_COMPACT_PRIO_SYNC_LIGHT);
		KUNIT_EXPECT_EQ(test, retries, 0);

		/* Failures: one step each, down to the floor, then stop. */
		for (i = 0; i < ARRAY_SIZE(fails); i++) {
			prio = ZA_COMPACT_PRIO_ASYNC;
			retries = 3;
			while (prio > floor) {
				enum za_compact_priority was = prio;

				KUNIT_EXPECT_TRUE(test, sr(pool, order, fails[i], &prio, &retries));
				KUNIT_EXPECT_EQ(test, prio, was - 1);
				KUNIT_EXPECT_EQ(test, retries, 0);
			}
			KUNIT_EXPECT_FALSE(test, sr(pool, order, fails[i], &prio, &retries));
			KUNIT_EXPECT_EQ(test, prio, floor);
		}
		/* At the floor, successes still get their retries. */
		retries = max - 1;
		KUNIT_EXPECT_TRUE(test, sr(pool, order, ok, &prio, &retries));
		KUNIT_EXPECT_FALSE(test, sr(pool, order, ok, &prio, &retries));

		/* Skipped with free memory enough: retry, priority kept. */
		prio = ZA_COMPACT_PRIO_SYNC_LIGHT;
		retries = 5;
		KUNIT_EXPECT_TRUE(test, sr(pool, order, ZA_COMPACT_SKIPPED, &prio, &retries));
		KUNIT_EXPECT_EQ(test, prio, ZA_COMPACT_PRIO_SYNC_LIGHT);
		KUNIT_EXPECT_EQ(test, retries, 5);
	}
	/* Order 0 never retries compaction. */
	prio = ZA_COMPACT_PRIO_ASYNC;
	KUNIT_EXPECT_FALSE(test, sr(pool, 0, ZA_COMPACT_COMPLETE, &prio, &retries));

	/* Skipped with the pool full: no zone can compact, no retry. */
	do {
		zp = za_alloc_pages(pool, UNMOVABLE | ZONEALLOC_GFP_ATOMIC, 0);
	} while (!IS_ERR(zp));
	KUNIT_EXPECT_FALSE(test, za_compaction_zonelist_suitable(pool, 1,
								 ZA_ZONE_NORMAL));
	KUNIT_EXPECT_FALSE(test, sr(pool, 1, ZA_COMPACT_SKIPPED, &prio, &retries));
}

/*
 * Orders 1-3 compact now: a movable request first at sync-light (the
 * kernel compacts movable non-costly requests only after reclaim, at
 * DEF_COMPACT_PRIORITY), an unmovable one first async (before reclaim, at
 * INIT_COMPACT_PRIORITY). An atomic request of the same order, in the same
 * state and with interrupts off, never compacts and fails.
 */
static void zonealloc_policy_compact_small_orders(struct kunit *test)
{
	static const unsigned int layout[ZA_NR_ZONES] = { [ZA_ZONE_NORMAL] = 2 };
	static const struct step movable[] = { COMPACT(SYNC_LIGHT) };
	static const struct step unmovable[] = { COMPACT(ASYNC) };
	struct za_compact_log *log = kunit_kzalloc(test, sizeof(*log),
						   GFP_KERNEL);
	unsigned int order;

	KUNIT_ASSERT_NOT_NULL(test, log);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, log_stop, NULL),
			0);
	for (order = 1; order <= ZA_COSTLY_ORDER; order++) {
		struct za_pool *pool = za_test_pool(test, layout, false);
		struct za_zone *zone = &pool->zones[ZA_ZONE_NORMAL];
		struct za_page *zp;
		unsigned long flags;

		za_test_zero_wmarks(zone);
		powner_fragment(test, pool, order);
		KUNIT_ASSERT_EQ(test, free_blocks(zone, order), 0UL);

		log_start(test, pool, log);
		local_irq_save(flags);
		zp = za_alloc_pages(pool, MOVABLE | ZONEALLOC_GFP_ATOMIC, order);
		local_irq_restore(flags);
		KUNIT_EXPECT_EQ_MSG(test, PTR_ERR_OR_ZERO(zp), -ENOMEM,
				    "atomic order %u", order);
		KUNIT_EXPECT_EQ(test, log->nr, 0U);
		KUNIT_EXPECT_EQ(test, za_zone_events(zone, compact_stall), 0L);
		KUNIT_EXPECT_EQ(test, za_zone_events(zone, compact_migrate_scanned),
				0L);

		log_start(test, pool, log);
		zp = za_alloc_pages(pool, MOVABLE, order);
		KUNIT_EXPECT_FALSE_MSG(test, IS_ERR(zp), "movable order %u",
				       order);
		expect_log(test, log, movable, ARRAY_SIZE(movable), "movable");
		if (!IS_ERR(zp))
			KUNIT_EXPECT_EQ(test, za_free_pages(pool, zp, order), 0);
		KUNIT_EXPECT_EQ(test, za_zone_events(zone, compact_stall), 1L);
		KUNIT_EXPECT_EQ(test, za_zone_events(zone, compact_success), 1L);

		/* Fragment again for the unmovable request. */
		pool = za_test_pool(test, layout, false);
		zone = &pool->zones[ZA_ZONE_NORMAL];
		za_test_zero_wmarks(zone);
		powner_fragment(test, pool, order);
		log_start(test, pool, log);
		zp = za_alloc_pages(pool, UNMOVABLE, order);
		KUNIT_EXPECT_FALSE_MSG(test, IS_ERR(zp), "unmovable order %u",
				       order);
		expect_log(test, log, unmovable, ARRAY_SIZE(unmovable),
			   "unmovable");
		if (!IS_ERR(zp))
			KUNIT_EXPECT_EQ(test, za_free_pages(pool, zp, order), 0);
		za_test_check(test, pool, "after compacting");
	}
}

/*
 * Nothing can move (every page pinned): the retries go as the kernel's.
 * Order 2 movable: sync-light fails, should_compact_retry() escalates to
 * sync-full (which ignores the deferral the failure set), that fails and
 * the floor is reached. Order 2 unmovable: async first, then the same.
 * Order 4 (costly) with RETRY_MAYFAIL: async, sync-light, no retry (the
 * costly floor). Order 4 with NORETRY: async twice (kept async), no retry
 * decision. Order 4 with NORETRY on a deferred zone: one async attempt,
 * deferred, and the request gives up at once.
 */
static void zonealloc_policy_compact_escalation(struct kunit *test)
{
	static const unsigned int layout[ZA_NR_ZONES] = { [ZA_ZONE_NORMAL] = 2 };
	static const struct step movable[] = {
		COMPACT(SYNC_LIGHT), RETRY(SYNC_FULL, 1),
		COMPACT(SYNC_FULL), RETRY(SYNC_FULL, 0),
	};
	static const struct step unmovable[] = {
		COMPACT(ASYNC), COMPACT(SYNC_LIGHT), RETRY(SYNC_FULL, 1),
		COMPACT(SYNC_FULL), RETRY(SYNC_FULL, 0),
	};
	static const struct step mayfail[] = {
		COMPACT(ASYNC), COMPACT(SYNC_LIGHT), RETRY(SYNC_LIGHT, 0),
	};
	static const struct step noretry[] = { COMPACT(ASYNC), COMPACT(ASYNC) };
	static const struct step deferred[] = { COMPACT(ASYNC) };
	struct za_compact_log *log = kunit_kzalloc(test, sizeof(*log),
						   GFP_KERNEL);
	struct za_pool *pool = za_test_pool(test, layout, false);
	struct za_zone *zone = &pool->zones[ZA_ZONE_NORMAL];
	struct powner *po;
	struct za_page *zp;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, log);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, log_stop, NULL),
			0);
	za_test_zero_wmarks(zone);
	po = powner_fragment(test, pool, 2);
	po->pinned = true;

	log_start(test, pool, log);
	zp = za_alloc_pages(pool, MOVABLE, 2);
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(zp), -ENOMEM);
	expect_log(test, log, movable, ARRAY_SIZE(movable), "order 2 movable");
	for (i = 0; i < log->nr; i++) {
		u8 res = log->e[i].result;

		if (log->e[i].retry < 0)
			KUNIT_EXPECT_TRUE_MSG(test,
					      res == ZA_COMPACT_COMPLETE ||
					      res == ZA_COMPACT_PARTIAL_SKIPPED,
					      "step %u ended %u", i, res);
	}
	/* Both sync failures deferred the zone. */
	KUNIT_EXPECT_EQ(test, zone->compact_defer_shift, 2U);

	za_compaction_defer_reset(zone, 2, true);
	log_start(test, pool, log);
	zp = za_alloc_pages(pool, UNMOVABLE, 2);
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(zp), -ENOMEM);
	expect_log(test, log, unmovable, ARRAY_SIZE(unmovable),
		   "order 2 unmovable");

	za_compaction_defer_reset(zone, 4, true);
	log_start(test, pool, log);
	zp = za_alloc_pages(pool, MOVABLE | ZONEALLOC_GFP_RETRY_MAYFAIL, 4);
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(zp), -ENOMEM);
	expect_log(test, log, mayfail, ARRAY_SIZE(mayfail), "order 4 mayfail");

	za_compaction_defer_reset(zone, 4, true);
	log_start(test, pool, log);
	zp = za_alloc_pages(pool, MOVABLE | ZONEALLOC_GFP_NORETRY, 4);
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(zp), -ENOMEM);
	expect_log(test, log, noretry, ARRAY_SIZE(noretry), "order 4 noretry");

	/* Deferred: the first attempt says so and the request gives up. */
	za_defer_compaction(zone, 4);
	za_defer_compaction(zone, 4);
	log_start(test, pool, log);
	zp = za_alloc_pages(pool, MOVABLE | ZONEALLOC_GFP_NORETRY, 4);
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(zp), -ENOMEM);
	expect_log(test, log, deferred, ARRAY_SIZE(deferred),
		   "order 4 noretry deferred");
	if (log->nr)
		KUNIT_EXPECT_EQ(test, log->e[0].result, ZA_COMPACT_DEFERRED);

	/* Unpinned, the same escalation finds its block at sync-light. */
	po->pinned = false;
	za_compaction_defer_reset(zone, 2, true);
	zp = za_alloc_pages(pool, MOVABLE, 2);
	KUNIT_EXPECT_FALSE(test, IS_ERR(zp));
	if (!IS_ERR(zp))
		KUNIT_EXPECT_EQ(test, za_free_pages(pool, zp, 2), 0);
	za_test_check(test, pool, "after the escalations");
}

static void stop_kcompactd(void *arg)
{
	za_kcompactd_stop(arg);
}

static struct za_pool *kcompactd_pool(struct kunit *test,
				      const unsigned int *layout, bool pcp)
{
	struct za_pool *pool = za_test_pool(test, layout, pcp);
	unsigned int saved = za_compaction_proactiveness;

	za_compaction_proactiveness = 0;
	KUNIT_ASSERT_EQ(test, za_kcompactd_run(pool), 0);
	za_compaction_proactiveness = saved;
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, stop_kcompactd,
							pool), 0);
	return pool;
}

/* Wait, bounded, until the thread has taken @runs requests and sleeps. */
static bool kcompactd_wait_idle(struct za_pool *pool, unsigned int runs)
{
	unsigned int order, zone, wakeups, r, i;

	for (i = 0; i < 500; i++) {
		if (za_kcompactd_state(pool, &order, &zone, &wakeups, &r) &&
		    r >= runs)
			return true;
		msleep(20);
	}
	return false;
}

/*
 * wakeup_kcompactd(): the pending request keeps the highest order and the
 * lowest zone index asked for, and the thread is woken only if it sleeps
 * and some zone up to that index could compact for the order.
 */
static void zonealloc_policy_kcompactd_wakeup(struct kunit *test)
{
	static const unsigned int layout[ZA_NR_ZONES] = {
		[ZA_ZONE_DMA32] = 1, [ZA_ZONE_NORMAL] = 1,
	};
	struct za_pool *pool = kcompactd_pool(test, layout, false);
	unsigned int order, zone, wakeups, runs, r0, tries;
	struct za_page *zp;

	/* Full: no zone is suitable, requests pile up without a wakeup. */
	do {
		zp = za_alloc_pages(pool, UNMOVABLE | ZONEALLOC_GFP_ATOMIC |
				    ZONEALLOC_GFP_NORETRY, 0);
	} while (!IS_ERR(zp));
	KUNIT_ASSERT_TRUE(test, kcompactd_wait_idle(pool, 0));
	for (tries = 0; tries < 5; tries++) {
		za_kcompactd_state(pool, &order, &zone, &wakeups, &r0);
		za_wakeup_kcompactd(pool, 3, ZA_ZONE_NORMAL);
		za_wakeup_kcompactd(pool, 2, ZA_ZONE_DMA32);
		za_wakeup_kcompactd(pool, 1, ZA_ZONE_NORMAL);
		za_kcompactd_state(pool, &order, &zone, &wakeups, &runs);
		/* The thread's periodic check took them meanwhile: again. */
		if (runs == r0)
			break;
	}
	KUNIT_ASSERT_LT(test, tries, 5U);
	KUNIT_EXPECT_EQ(test, order, 3U);
	KUNIT_EXPECT_EQ(test, zone, (unsigned int)ZA_ZONE_DMA32);
	KUNIT_EXPECT_EQ(test, wakeups, 0U);
	KUNIT_ASSERT_TRUE(test, kcompactd_wait_idle(pool, runs + 1));

	/* Fragmented: the zone is suitable, the sleeping thread is woken. */
	pool = kcompactd_pool(test, layout, false);
	za_test_zero_wmarks(&pool->zones[ZA_ZONE_NORMAL]);
	za_test_zero_wmarks(&pool->zones[ZA_ZONE_DMA32]);
	powner_fragment(test, pool, 3);
	KUNIT_ASSERT_TRUE(test, kcompactd_wait_idle(pool, 0));
	za_kcompactd_state(pool, &order, &zone, &wakeups, &r0);
	za_wakeup_kcompactd(pool, 3, ZA_ZONE_NORMAL);
	za_kcompactd_state(pool, &order, &zone, &wakeups, &runs);
	KUNIT_EXPECT_EQ(test, wakeups, 1U);
	KUNIT_EXPECT_TRUE(test, kcompactd_wait_idle(pool, r0 + 1));
	KUNIT_EXPECT_GT(test, free_blocks(&pool->zones[ZA_ZONE_DMA32], 3) +
			free_blocks(&pool->zones[ZA_ZONE_NORMAL], 3), 0UL);
	za_test_check(test, pool, "after kcompactd");
}

static unsigned long pcp_pages(struct za_zone *zone)
{
	unsigned long n = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		n += per_cpu_ptr(zone->pcp, cpu)->count;
	return n;
}

/*
 * kcompactd_do_work(): a compaction that ends complete (nothing can move)
 * drains the per-CPU lists before it defers the zone.
 */
static void zonealloc_policy_kcompactd_drain(struct kunit *test)
{
	static const unsigned int layout[ZA_NR_ZONES] = { [ZA_ZONE_NORMAL] = 2 };
	struct za_pool *pool = kcompactd_pool(test, layout, true);
	struct za_zone *zone = &pool->zones[ZA_ZONE_NORMAL];
	unsigned int order, zidx, wakeups, r0, runs;
	struct powner *po;
	struct za_page *zp;

	za_test_zero_wmarks(zone);
	po = powner_fragment(test, pool, 2);
	po->pinned = true;
	/* One page to a per-CPU list: an order-0 allocation and its free. */
	zp = za_alloc_pages(pool, MOVABLE, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(zp));
	KUNIT_ASSERT_EQ(test, za_free_pages(pool, zp, 0), 0);
	KUNIT_ASSERT_GT(test, pcp_pages(zone), 0UL);
	KUNIT_ASSERT_EQ(test, zone->compact_defer_shift, 0U);

	KUNIT_ASSERT_TRUE(test, kcompactd_wait_idle(pool, 0));
	za_kcompactd_state(pool, &order, &zidx, &wakeups, &r0);
	za_wakeup_kcompactd(pool, 2, ZA_ZONE_NORMAL);
	KUNIT_ASSERT_TRUE(test, kcompactd_wait_idle(pool, r0 + 1));
	za_kcompactd_state(pool, &order, &zidx, &wakeups, &runs);
	KUNIT_EXPECT_EQ(test, wakeups, 1U);
	KUNIT_EXPECT_EQ(test, pcp_pages(zone), 0UL);
	KUNIT_EXPECT_EQ(test, zone->compact_defer_shift, 1U);
	za_test_check(test, pool, "after kcompactd's failure");
}

static void defrag_restore(void *arg)
{
	WRITE_ONCE(za_defrag_mode, (unsigned long)arg);
}

static void set_defrag_mode(struct kunit *test, unsigned int on)
{
	unsigned long was = READ_ONCE(za_defrag_mode);

	WRITE_ONCE(za_defrag_mode, on);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, defrag_restore,
							(void *)was), 0);
}

/* defrag_mode takes 0 or 1, as vm.defrag_mode; anything else is refused. */
static void zonealloc_policy_defrag_param(struct kunit *test)
{
	static const struct {
		const char *in;
		int ret;
		unsigned int val;
	} cases[] = {
		{ "2", -EINVAL, 0 }, { "-1", -EINVAL, 0 }, { "on", -EINVAL, 0 },
		{ "", -EINVAL, 0 }, { "1\n", 0, 1 }, { "4294967297", -EINVAL, 1 },
		{ "0", 0, 0 }, { "1", 0, 1 },
	};
	unsigned int v = 0, i;
	struct kernel_param kp = {
		.name = "defrag_mode", .ops = &za_defrag_mode_ops, .arg = &v,
	};

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		KUNIT_EXPECT_EQ_MSG(test, za_defrag_mode_ops.set(cases[i].in, &kp),
				    cases[i].ret, "\"%s\"", cases[i].in);
		KUNIT_EXPECT_EQ_MSG(test, v, cases[i].val, "after \"%s\"",
				    cases[i].in);
	}
}

/*
 * A pool of NORMAL (one movable pageblock, half of it allocated) and DMA
 * (one free pageblock): an unmovable request has no ZA_ALLOC_NOFRAGMENT by
 * default (DMA32 is empty), so 6.12 claims NORMAL's half-used pageblock,
 * mixing the types (one pollution event). In defrag_mode every request has
 * it: NORMAL gives no whole pageblock and the request claims DMA's, no
 * pollution. With no whole pageblock left anywhere, the last resort mixes
 * blocks rather than fail, for an atomic request too, and counts it.
 */
static void zonealloc_policy_defrag_fallback(struct kunit *test)
{
	static const unsigned int layout[ZA_NR_ZONES] = {
		[ZA_ZONE_DMA] = 1, [ZA_ZONE_NORMAL] = 1,
	};
	unsigned int mode;

	for (mode = 0; mode <= 1; mode++) {
		struct za_pool *pool = za_test_pool(test, layout, false);
		struct za_zone *normal = &pool->zones[ZA_ZONE_NORMAL];
		struct za_zone *dma = &pool->zones[ZA_ZONE_DMA];
		struct za_page *zp, *got;
		unsigned long i;

		za_test_zero_wmarks(normal);
		za_test_zero_wmarks(dma);
		set_defrag_mode(test, 0);
		/* NORMAL: every page movable, then every other one freed. */
		zp = za_alloc_pages(pool, MOVABLE, ZA_PAGEBLOCK_ORDER);
		KUNIT_ASSERT_FALSE(test, IS_ERR(zp));
		KUNIT_ASSERT_PTR_EQ(test, za_page_zone(pool, zp), normal);
		KUNIT_ASSERT_EQ(test, za_free_pages(pool, zp,
						    ZA_PAGEBLOCK_ORDER), 0);
		for (i = 0; i < ZA_PAGEBLOCK_PAGES; i++) {
			zp = za_alloc_pages(pool, MOVABLE, 0);
			KUNIT_ASSERT_FALSE(test, IS_ERR(zp));
			KUNIT_ASSERT_PTR_EQ(test, za_page_zone(pool, zp), normal);
		}
		for (i = 0; i < ZA_PAGEBLOCK_PAGES; i += 2) {
			zp = za_pfn_to_page(pool, normal->start_pfn + i);
			KUNIT_ASSERT_EQ(test, za_free_pages(pool, zp, 0), 0);
		}
		set_defrag_mode(test, mode);

		got = za_alloc_pages(pool, UNMOVABLE, 0);
		KUNIT_ASSERT_FALSE(test, IS_ERR(got));
		KUNIT_EXPECT_PTR_EQ_MSG(test, za_page_zone(pool, got),
					mode ? dma : normal, "defrag_mode %u",
					mode);
		KUNIT_EXPECT_EQ_MSG(test, za_zone_events(normal,
							 fallback_pollution),
				    mode ? 0L : 1L, "defrag_mode %u", mode);
		KUNIT_EXPECT_EQ(test, za_zone_events(dma, fallback_pollution),
				0L);
		if (!mode)
			continue;
		/* DMA's pageblock is unmovable now; fill it. */
		while (!IS_ERR(zp = za_alloc_pages(pool, UNMOVABLE |
						       ZONEALLOC_GFP_ATOMIC, 0)) &&
		       za_page_zone(pool, zp) == dma)
			;
		/* The last resort took NORMAL's half-used pageblock. */
		KUNIT_EXPECT_FALSE(test, IS_ERR(zp));
		KUNIT_EXPECT_EQ(test, za_zone_events(normal, fallback_pollution),
				1L);
		za_test_check(test, pool, "after defrag_mode's fallbacks");
	}
}

/*
 * defrag_mode's watermarks count whole free pageblocks: a request that
 * finds a zone's free pageblocks below its high watermark wakes kcompactd
 * for pageblock order, which compacts until they reach it.
 */
static void zonealloc_policy_defrag_kcompactd(struct kunit *test)
{
	static const unsigned int layout[ZA_NR_ZONES] = { [ZA_ZONE_NORMAL] = 4 };
	struct za_pool *pool = kcompactd_pool(test, layout, false);
	struct za_zone *zone = &pool->zones[ZA_ZONE_NORMAL];
	unsigned int order, zidx, wakeups, r0, runs;
	struct za_page *zp;

	za_test_zero_wmarks(zone);
	powner_fragment(test, pool, 3);
	KUNIT_ASSERT_EQ(test, za_zone_free_block_pages(zone), 0UL);
	KUNIT_ASSERT_GT(test, zone->free_pages, 3 * ZA_PAGEBLOCK_PAGES);
	/*
	 * No whole pageblock is free: an unmovable request fails its fast
	 * path (ZA_ALLOC_NOFRAGMENT) and finds the free pageblocks below high.
	 * The target is two pageblocks (high), which compaction can make; low
	 * (one pageblock) + 2 << 9 free pages let it run.
	 */
	zone->watermark[ZA_WMARK_LOW] = ZA_PAGEBLOCK_PAGES;
	zone->watermark[ZA_WMARK_HIGH] = 2 * ZA_PAGEBLOCK_PAGES;
	/*
	 * The request may fall back (last resort) before kcompactd runs: no
	 * boost, which would leave too little above low to compact.
	 */
	pool->watermark_boost_factor = 0;
	set_defrag_mode(test, 1);
	KUNIT_ASSERT_TRUE(test, kcompactd_wait_idle(pool, 0));
	za_kcompactd_state(pool, &order, &zidx, &wakeups, &r0);
	zp = za_alloc_pages(pool, UNMOVABLE, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(zp));
	za_kcompactd_state(pool, &order, &zidx, &wakeups, &runs);
	KUNIT_EXPECT_EQ(test, wakeups, 1U);
	KUNIT_ASSERT_TRUE(test, kcompactd_wait_idle(pool, r0 + 1));
	KUNIT_EXPECT_GE_MSG(test, za_zone_free_block_pages(zone),
			    2 * ZA_PAGEBLOCK_PAGES,
			    "free %lu, migrated %ld, deferrals %ld, boost %lu",
			    zone->free_pages,
			    za_zone_events(zone, pgmigrate_success),
			    za_zone_events(zone, deferrals),
			    zone->watermark_boost);
	KUNIT_EXPECT_EQ(test, zone->compact_defer_shift, 0U);
	KUNIT_EXPECT_EQ(test, za_free_pages(pool, zp, 0), 0);
	za_test_check(test, pool, "after defrag_mode's kcompactd");
}

/* Pageblocks holding an allocated page of a type other than their own. */
static unsigned int mixed_pageblocks(struct za_pool *pool)
{
	unsigned int c, n = 0;
	unsigned long pb, i;

	for (c = 0; c < pool->nr_chunks; c++) {
		struct za_chunk *chunk = &pool->chunks[c];

		for (pb = 0; pb < chunk->nr_pages; pb += ZA_PAGEBLOCK_PAGES) {
			int mt = za_get_pageblock_mt(&chunk->pages[pb]);

			for (i = pb; i < pb + ZA_PAGEBLOCK_PAGES; i++) {
				struct za_page *zp = &chunk->pages[i];

				if (za_page_state(zp) == ZA_PAGE_ALLOC &&
				    zp->mt != mt) {
					n++;
					break;
				}
			}
		}
	}
	return n;
}

/* Free the movable page @r picks, if any. */
static void powner_free_random(struct kunit *test, struct powner *po, u32 r)
{
	struct za_page *zp;
	unsigned int k;

	mutex_lock(&po->lock);
	if (po->nr) {
		k = r % po->nr;
		zp = po->zp[k];
		if (k != --po->nr) {
			po->zp[k] = po->zp[po->nr];
			za_page_set_owner(po->zp[k], k + 1);
		}
		/* Under the lock, as the move callback takes it. */
		KUNIT_EXPECT_EQ(test, za_free_pages(po->pool, zp, 0), 0);
	}
	mutex_unlock(&po->lock);
}

/* Pageblocks with no unmovable page, once every movable page is freed. */
static long clean_pageblocks(struct kunit *test, struct za_pool *pool,
			     struct powner *po)
{
	struct za_page *zp;
	long n = 0;

	mutex_lock(&po->lock);
	while (po->nr) {
		zp = po->zp[--po->nr];
		KUNIT_EXPECT_EQ(test, za_free_pages(pool, zp, 0), 0);
	}
	mutex_unlock(&po->lock);
	za_pcp_drain_all(pool);
	while (!IS_ERR(zp = za_alloc_pages(pool, MOVABLE | ZONEALLOC_GFP_ATOMIC,
					   ZA_PAGEBLOCK_ORDER)))
		n++;
	return n;
}

/*
 * The mixed workload, the same seeded sequence with defrag_mode off and on
 * (kcompactd running, as for the module's pool): movable order-0 pages to
 * seven eighths of the pool, half of them freed at random (holes
 * everywhere, few whole free pageblocks), then order-0 allocations, one in
 * three unmovable, and frees at random, the pool kept at most seven
 * eighths full, for eight times the pool's pages. Then order-9 blocks are
 * allocated after a full compaction (what compaction can make of the end
 * state), and, every movable page freed, the pageblocks that no unmovable
 * page pins. Figures for Documentation/fidelity.rst; the one expectation
 * is that defrag_mode does not pollute more.
 */
static void zonealloc_policy_defrag_measure(struct kunit *test)
{
	static const unsigned int layout[ZA_NR_ZONES] = { [ZA_ZONE_NORMAL] = 16 };
	long fallbacks[2], pollution[2], order9[2], mixed[2], failed[2];
	long clean[2];
	unsigned int mode;

	for (mode = 0; mode <= 1; mode++) {
		struct za_pool *pool = kcompactd_pool(test, layout, false);
		struct za_zone *zone = &pool->zones[ZA_ZONE_NORMAL];
		unsigned long steps = 8 * zone->managed_pages, i, nun = 0;
		unsigned long target = zone->managed_pages * 7 / 8;
		struct za_page **un;
		struct rnd_state rnd;
		struct powner *po;
		struct za_page *zp;

		po = powner_create(test, pool);
		un = kunit_kcalloc(test, zone->managed_pages, sizeof(*un),
				   GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, un);
		set_defrag_mode(test, mode);
		prandom_seed_state(&rnd, za_test_seed());
		failed[mode] = 0;
		/* Movable pages to seven eighths, then every other one freed. */
		while (po->nr < target) {
			zp = za_alloc_pages(pool, MOVABLE, 0);
			KUNIT_ASSERT_FALSE(test, IS_ERR(zp));
			mutex_lock(&po->lock);
			po->zp[po->nr++] = zp;
			za_page_set_owner(zp, po->nr);
			mutex_unlock(&po->lock);
		}
		for (i = 0; i < target / 2; i++)
			powner_free_random(test, po, prandom_u32_state(&rnd));
		for (i = 0; i < steps; i++) {
			u32 r = prandom_u32_state(&rnd);
			bool unmovable = r % 3 == 0;
			u32 k = r >> 12;

			if ((r >> 8) % 8 < 3 || nun + po->nr >= target) {
				/* Free a random page of the type drawn. */
				if (unmovable && nun) {
					k %= nun;
					zp = un[k];
					un[k] = un[--nun];
					KUNIT_ASSERT_EQ(test,
							za_free_pages(pool, zp, 0), 0);
				} else if (!unmovable) {
					powner_free_random(test, po, k);
				}
				continue;
			}
			zp = za_alloc_pages(pool, unmovable ? UNMOVABLE : MOVABLE,
					    0);
			if (IS_ERR(zp)) {
				failed[mode]++;
				continue;
			}
			if (unmovable) {
				un[nun++] = zp;
				continue;
			}
			mutex_lock(&po->lock);
			po->zp[po->nr++] = zp;
			za_page_set_owner(zp, po->nr);
			mutex_unlock(&po->lock);
		}
		fallbacks[mode] = za_zone_events(zone, fallbacks);
		pollution[mode] = za_zone_events(zone, fallback_pollution);
		mixed[mode] = mixed_pageblocks(pool);
		za_test_check(test, pool, "after the workload");

		KUNIT_EXPECT_EQ(test, za_compact(pool, -1, -1, ZA_MIGRATE_SYNC,
						 NULL), 0);
		order9[mode] = 0;
		while (!IS_ERR(zp = za_alloc_pages(pool, MOVABLE |
						   ZONEALLOC_GFP_ATOMIC,
						   ZA_PAGEBLOCK_ORDER)))
			order9[mode]++;
		clean[mode] = order9[mode] + clean_pageblocks(test, pool, po);
		kunit_info(test, "defrag_mode %u: %lu steps, %ld failed, %ld fallbacks, %ld pollution events, %ld mixed pageblocks; order-9 blocks after compaction %ld, pageblocks free of unmovable pages %ld of 16\n",
			   mode, steps, failed[mode], fallbacks[mode],
			   pollution[mode], mixed[mode], order9[mode],
			   clean[mode]);
	}
	/* defrag_mode pollutes only as a last resort. */
	KUNIT_EXPECT_LE(test, pollution[1], pollution[0]);
}

static struct kunit_case za_policy_cases[] = {
	KUNIT_CASE(zonealloc_policy_compact_retry_rules),
	KUNIT_CASE(zonealloc_policy_compact_small_orders),
	KUNIT_CASE(zonealloc_policy_compact_escalation),
	KUNIT_CASE(zonealloc_policy_kcompactd_wakeup),
	KUNIT_CASE(zonealloc_policy_kcompactd_drain),
	KUNIT_CASE(zonealloc_policy_defrag_param),
	KUNIT_CASE(zonealloc_policy_defrag_fallback),
	KUNIT_CASE(zonealloc_policy_defrag_kcompactd),
	KUNIT_CASE(zonealloc_policy_defrag_measure),
	{}
};

static struct kunit_suite za_policy_suite = {
	.name = "zonealloc_policy",
	.suite_init = za_test_suite_init,
	.init = za_test_case_init,
	.test_cases = za_policy_cases,
};

kunit_test_suite(za_policy_suite);
