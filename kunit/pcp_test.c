// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for the per-CPU lists: refill and drain in batches, free to
 * the freeing CPU's list, drain on demand, and drain of a CPU that goes
 * offline; requests that cannot sleep never drain; and allocation and free
 * from hard interrupt, irq_work and softirq context while a task on the
 * same CPU loops on the per-CPU path. Each step runs on a chosen CPU
 * through work_on_cpu().
 */

#include <kunit/test.h>
#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/hrtimer.h>
#include <linux/irq_work.h>
#include <linux/jiffies.h>
#include <linux/mmzone.h>
#include <linux/smp.h>
#include <linux/workqueue.h>

#include "alloc.h"
#include "pcp.h"
#include "pool.h"
#include "test_pool.h"

#define PCP_TEST_BATCH	8
#define PCP_TEST_HIGH	32
#define PCP_TEST_PAGES	48

struct pcp_job {
	struct za_pool *pool;
	struct za_page *pages[PCP_TEST_PAGES];
	unsigned int nr;
	int max_count;		/* highest PCP count seen while freeing */
	int count_after_alloc;
	int errors;
};

static int this_count(struct za_pool *pool)
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

static int cpu_count(struct za_pool *pool, int cpu)
{
	return per_cpu_ptr(pool->zones[ZA_ZONE_NORMAL].pcp, cpu)->count;
}

static struct za_pool *pcp_pool_mb(struct kunit *test, unsigned int mb)
{
	const unsigned int layout[ZA_NR_ZONES] = { [ZA_ZONE_NORMAL] = mb };
	struct za_pool *pool = za_test_pool(test, layout, true);
	struct za_zone *zone = &pool->zones[ZA_ZONE_NORMAL];

	/*
	 * A zone this small gets batch 1; use larger values to see batching,
	 * and one high mark (high_min == high_max): no auto-tuning, so the
	 * decay worker has nothing to do.
	 */
	za_pcp_set_high_and_batch(zone, PCP_TEST_HIGH, PCP_TEST_HIGH,
				  PCP_TEST_BATCH);
	za_test_zero_wmarks(zone);
	return pool;
}

static struct za_pool *pcp_pool(struct kunit *test)
{
	return pcp_pool_mb(test, 2);
}

static void zonealloc_pcp_batches(struct kunit *test)
{
	struct za_pool *pool = pcp_pool(test);
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
	/*
	 * As nr_pcp_alloc(): refills of 8 << alloc_factor pages, at most
	 * high - count - batch (24): 8, 16, 24 make exactly the 48 pages.
	 */
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
	struct za_pool *pool = pcp_pool(test);
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

struct nodrain_job {
	struct za_pool *pool;
	unsigned long atomic_allocs;
	int count_at_failure;
	int count_after_sleeping;
	long sleeping_ret;
};

static long pcp_nodrain_job(void *data)
{
	struct nodrain_job *job = data;
	struct za_page *zp;

	/* Atomic requests until one fails: the list keeps a part batch. */
	for (;;) {
		zp = za_alloc_pages(job->pool, ZONEALLOC_GFP_MOVABLE |
				    ZONEALLOC_GFP_ATOMIC |
				    ZONEALLOC_GFP_NOWARN, 0);
		if (IS_ERR(zp))
			break;
		job->atomic_allocs++;
	}
	job->count_at_failure = this_count(job->pool);
	/* A request that may sleep drains, and gets a page. */
	zp = za_alloc_pages(job->pool, ZONEALLOC_GFP_MOVABLE |
			    ZONEALLOC_GFP_NORETRY | ZONEALLOC_GFP_NOWARN, 0);
	job->sleeping_ret = PTR_ERR_OR_ZERO(zp);
	job->count_after_sleeping = this_count(job->pool);
	return 0;
}

/*
 * Requests that cannot sleep never drain the per-CPU lists (a drain waits
 * for each CPU's lock, which the task an interrupt handler interrupted may
 * hold); as 6.12, only requests that may sleep do, in their slow path.
 */
static void zonealloc_pcp_atomic_no_drain(struct kunit *test)
{
	struct za_pool *pool = pcp_pool(test);
	struct za_zone *zone = &pool->zones[ZA_ZONE_NORMAL];
	int cpu = cpumask_first(cpu_online_mask);
	struct nodrain_job *job;

	job = kunit_kzalloc(test, sizeof(*job), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, job);
	job->pool = pool;
	work_on_cpu(cpu, pcp_nodrain_job, job);

	KUNIT_EXPECT_EQ(test, zone->free_pages, 0UL);
	KUNIT_EXPECT_GT_MSG(test, job->count_at_failure, 0,
			    "an atomic request drained the per-CPU list");
	KUNIT_EXPECT_EQ(test, job->atomic_allocs + job->count_at_failure,
			zone->managed_pages);
	/* Only a drain gives it one: the zone is below its watermark. */
	KUNIT_EXPECT_EQ(test, job->sleeping_ret, 0L);
	KUNIT_EXPECT_EQ(test, job->count_after_sleeping,
			job->count_at_failure - 1);
	za_test_check(test, pool, "after the atomic requests");
	/* The pool goes away with the case; nothing to free one by one. */
}

/*
 * Allocation and free from interrupt contexts while a task on the same CPU
 * loops on the per-CPU path, with the zone below its watermarks: plain
 * requests fail there (and, atomic, must fail at once: no drain), HIGH
 * requests use the reserve. The interrupt side finds the CPU's list lock
 * held by the task it interrupted now and then and must use the buddy
 * lists then. Lockdep watches the whole run.
 */
enum ctx_kind { CTX_HARDIRQ, CTX_IRQ_WORK, CTX_SOFTIRQ };

#define CTX_RUN_MS	1000
#define CTX_PERIOD_NS	(100 * NSEC_PER_USEC)
#define CTX_ROUNDS	4	/* allocations per interrupt */
#define CTX_HELD	32	/* blocks the interrupt side holds */
#define CTX_TASK_HELD	8	/* blocks the task holds */

struct ctx_job {
	struct kunit *test;
	struct za_pool *pool;
	enum ctx_kind kind;
	int cpu;
	bool stop;
	struct hrtimer timer;
	struct irq_work iw;
	struct work_struct kick;
	/* Interrupt side, on @cpu only. */
	struct za_page *held[CTX_HELD];
	unsigned int held_order[CTX_HELD];
	unsigned long calls, allocs, enomem, busy;
	unsigned long in_hardirq, in_softirq, in_task;
	unsigned long errors, wrong_cpu;
	/* Task side. */
	unsigned long task_ops, task_errors;
};

static void ctx_irq_ops(struct ctx_job *job)
{
	struct za_zone *zone = &job->pool->zones[ZA_ZONE_NORMAL];
	struct za_pcp *pcp;
	int r;

	job->calls++;
	if (in_hardirq())
		job->in_hardirq++;
	else if (in_serving_softirq())
		job->in_softirq++;
	else
		job->in_task++;
	if (smp_processor_id() != job->cpu)
		job->wrong_cpu++;
	/* Does the interrupted task hold the list lock? A probe, no more. */
	pcp = this_cpu_ptr(zone->pcp);
	if (spin_trylock(&pcp->lock))
		spin_unlock(&pcp->lock);
	else
		job->busy++;

	for (r = 0; r < CTX_ROUNDS; r++) {
		unsigned int slot = (job->calls * CTX_ROUNDS + r) % CTX_HELD;
		unsigned int order = (job->calls + r) % (ZA_PCP_MAX_ORDER + 1);
		struct za_page *zp;

		if (job->held[slot]) {
			if (za_free_pages(job->pool, job->held[slot],
					  job->held_order[slot]))
				job->errors++;
			job->held[slot] = NULL;
		}
		/* Below min: fails, at once. */
		zp = za_alloc_pages(job->pool, ZONEALLOC_GFP_ATOMIC |
				    ZONEALLOC_GFP_NOWARN, order);
		if (PTR_ERR_OR_ZERO(zp) == -ENOMEM)
			job->enomem++;
		else
			job->errors++;
		/* HIGH dips into the reserve: succeeds. */
		zp = za_alloc_pages(job->pool, ZONEALLOC_GFP_ATOMIC |
				    ZONEALLOC_GFP_HIGH | ZONEALLOC_GFP_NOWARN |
				    (r & 1 ? ZONEALLOC_GFP_MOVABLE : 0), order);
		if (IS_ERR(zp)) {
			job->errors++;
			continue;
		}
		job->allocs++;
		job->held[slot] = zp;
		job->held_order[slot] = order;
	}
}

static void ctx_irq_work_fn(struct irq_work *iw)
{
	ctx_irq_ops(container_of(iw, struct ctx_job, iw));
}

static enum hrtimer_restart ctx_timer_fn(struct hrtimer *timer)
{
	struct ctx_job *job = container_of(timer, struct ctx_job, timer);

	if (job->kind == CTX_IRQ_WORK)
		irq_work_queue(&job->iw);
	else
		ctx_irq_ops(job);
	if (READ_ONCE(job->stop))
		return HRTIMER_NORESTART;
	hrtimer_forward_now(timer, ns_to_ktime(CTX_PERIOD_NS));
	return HRTIMER_RESTART;
}

static void ctx_kick_ipi(void *data)
{
	struct ctx_job *job = data;

	irq_work_queue(&job->iw);
}

/*
 * With a second CPU, irq_work is also queued from IPIs it sends: they
 * arrive at any moment of the task's loop, not only at the tick.
 */
static void ctx_kick_fn(struct work_struct *work)
{
	struct ctx_job *job = container_of(work, struct ctx_job, kick);

	while (!READ_ONCE(job->stop)) {
		smp_call_function_single(job->cpu, ctx_kick_ipi, job, 1);
		usleep_range(50, 100);
	}
}

static long ctx_task_job(void *data)
{
	struct ctx_job *job = data;
	enum hrtimer_mode mode = job->kind == CTX_SOFTIRQ ?
				 HRTIMER_MODE_REL_PINNED_SOFT :
				 HRTIMER_MODE_REL_PINNED;
	struct za_page *held[CTX_TASK_HELD] = {};
	unsigned int order[CTX_TASK_HELD] = {};
	unsigned long end = jiffies + msecs_to_jiffies(CTX_RUN_MS);
	int kick_cpu = cpumask_any_but(cpu_online_mask, job->cpu);
	unsigned int i;

	hrtimer_init(&job->timer, CLOCK_MONOTONIC, mode);
	job->timer.function = ctx_timer_fn;
	init_irq_work(&job->iw, ctx_irq_work_fn);
	INIT_WORK(&job->kick, ctx_kick_fn);
	hrtimer_start(&job->timer, ns_to_ktime(CTX_PERIOD_NS), mode);
	if (job->kind == CTX_IRQ_WORK && kick_cpu < nr_cpu_ids)
		queue_work_on(kick_cpu, system_long_wq, &job->kick);

	for (i = 0; time_before(jiffies, end); i++) {
		unsigned int slot = i % CTX_TASK_HELD;
		struct za_page *zp;

		if (held[slot] && za_free_pages(job->pool, held[slot],
						order[slot]))
			job->task_errors++;
		held[slot] = NULL;
		order[slot] = i % (ZA_PCP_MAX_ORDER + 1);
		zp = za_alloc_pages(job->pool, ZONEALLOC_GFP_HIGH |
				    ZONEALLOC_GFP_NOWARN |
				    (i & 2 ? ZONEALLOC_GFP_MOVABLE : 0),
				    order[slot]);
		if (IS_ERR(zp))
			job->task_errors++;
		else
			held[slot] = zp;
		job->task_ops++;
		cond_resched();
	}

	WRITE_ONCE(job->stop, true);
	hrtimer_cancel(&job->timer);
	cancel_work_sync(&job->kick);
	irq_work_sync(&job->iw);
	for (i = 0; i < CTX_TASK_HELD; i++)
		if (held[i] && za_free_pages(job->pool, held[i], order[i]))
			job->task_errors++;
	for (i = 0; i < CTX_HELD; i++)
		if (job->held[i] && za_free_pages(job->pool, job->held[i],
						  job->held_order[i]))
			job->errors++;
	return 0;
}

static void ctx_run(struct kunit *test, enum ctx_kind kind)
{
	/*
	 * 4 MiB: in 2 MiB, what both sides and the two CPUs' lists hold came
	 * within a few dozen pages of the mark HIGH requests must keep free,
	 * and on PREEMPT_RT an interrupt now and then found the zone below it
	 * (4 of 964 allocations in one run of eight).
	 */
	struct za_pool *pool = pcp_pool_mb(test, 4);
	struct za_zone *zone = &pool->zones[ZA_ZONE_NORMAL];
	unsigned long wmark = zone->managed_pages + 64;
	struct ctx_job *job;
	int w;

	job = kunit_kzalloc(test, sizeof(*job), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, job);
	job->test = test;
	job->pool = pool;
	job->kind = kind;
	job->cpu = cpumask_first(cpu_online_mask);
	/*
	 * Every watermark above the zone: plain requests always fail; HIGH
	 * ones succeed while free pages stay above (managed + 64) / 2 or
	 * less, which leaves far more than both sides and the per-CPU lists
	 * hold.
	 */
	for (w = 0; w < ZA_NR_WMARK; w++)
		zone->watermark[w] = wmark;

	work_on_cpu(job->cpu, ctx_task_job, job);

	kunit_info(test, "%lu task ops; %lu interrupt calls (%lu hardirq, %lu softirq, %lu task), %lu allocations, %lu failed below min, %lu with the list lock held\n",
		   job->task_ops, job->calls, job->in_hardirq,
		   job->in_softirq, job->in_task, job->allocs, job->enomem,
		   job->busy);
	KUNIT_EXPECT_EQ(test, job->task_errors, 0UL);
	KUNIT_EXPECT_EQ(test, job->errors, 0UL);
	KUNIT_EXPECT_EQ(test, job->wrong_cpu, 0UL);
	KUNIT_EXPECT_GT(test, job->task_ops, 0UL);
	KUNIT_EXPECT_GT(test, job->calls, 0UL);
	KUNIT_EXPECT_GT_MSG(test, job->busy, 0UL,
			    "no interrupt found the list lock held");
	KUNIT_EXPECT_EQ(test, job->enomem, job->calls * CTX_ROUNDS);
	KUNIT_EXPECT_EQ(test, job->allocs, job->calls * CTX_ROUNDS);
	/* The context each kind promises (PREEMPT_RT threads interrupts). */
	switch (kind) {
	case CTX_HARDIRQ:
		KUNIT_EXPECT_EQ(test, IS_ENABLED(CONFIG_PREEMPT_RT) ?
				job->in_softirq : job->in_hardirq, job->calls);
		break;
	case CTX_IRQ_WORK:
		KUNIT_EXPECT_EQ(test, IS_ENABLED(CONFIG_PREEMPT_RT) ?
				job->in_task : job->in_hardirq, job->calls);
		break;
	case CTX_SOFTIRQ:
		KUNIT_EXPECT_EQ(test, job->in_softirq, job->calls);
		break;
	}

	za_pcp_drain_all(pool);
	KUNIT_EXPECT_EQ(test, zone->free_pages, zone->managed_pages);
	za_test_check(test, pool, "after the interrupt-context run");
}

static void zonealloc_pcp_hardirq(struct kunit *test)
{
	ctx_run(test, CTX_HARDIRQ);
}

static void zonealloc_pcp_irq_work(struct kunit *test)
{
	ctx_run(test, CTX_IRQ_WORK);
}

static void zonealloc_pcp_softirq(struct kunit *test)
{
	ctx_run(test, CTX_SOFTIRQ);
}

/*
 * The oracle is the running kernel: a zone with the managed pages and low
 * watermark of each of the kernel's populated zones gets the batch,
 * high_min and high_max the kernel gave that zone
 * (zone_set_pageset_high_and_batch(), redone by setup_per_zone_wmarks()
 * and on CPU hotplug; percpu_pagelist_high_fraction is 0, so both split
 * high over the online CPUs of the zone's node: the pool's zone takes the
 * node of each kernel zone in turn). Every CPU's lists get the values.
 */
static void zonealloc_pcp_sizes_as_kernel(struct kunit *test)
{
	struct za_pool *pool = pcp_pool(test);
	struct za_zone *zone = &pool->zones[ZA_ZONE_NORMAL];
	unsigned long managed = zone->managed_pages;
	unsigned long low = zone->watermark[ZA_WMARK_LOW];
	unsigned int checked = 0;
	int nid, z, cpu;

	for_each_online_node(nid) {
		for (z = 0; z < MAX_NR_ZONES; z++) {
			struct zone *kz = &NODE_DATA(nid)->node_zones[z];

			if (!populated_zone(kz))
				continue;
			zone->managed_pages = zone_managed_pages(kz);
			zone->node = nid;
			/* Sized when the boost was 0 (setup_per_zone_wmarks()). */
			zone->watermark[ZA_WMARK_LOW] =
				kz->_watermark[WMARK_LOW];
			za_pcp_update_zone(zone);
			KUNIT_EXPECT_EQ_MSG(test, zone->pcp_batch,
					    kz->pageset_batch, "zone %s",
					    kz->name);
			KUNIT_EXPECT_EQ_MSG(test, zone->pcp_high,
					    kz->pageset_high_min, "zone %s",
					    kz->name);
			/*
			 * The kernel does not resize when boot frees its init
			 * memory: managed pages grew a little since.
			 */
			KUNIT_EXPECT_GE_MSG(test, zone->pcp_high_max,
					    kz->pageset_high_max, "zone %s",
					    kz->name);
			KUNIT_EXPECT_LE_MSG(test, zone->pcp_high_max,
					    kz->pageset_high_max +
					    kz->pageset_high_max / 100,
					    "zone %s", kz->name);
			for_each_possible_cpu(cpu) {
				struct za_pcp *pcp = per_cpu_ptr(zone->pcp, cpu);

				KUNIT_EXPECT_EQ(test, pcp->batch, kz->pageset_batch);
				KUNIT_EXPECT_EQ(test, pcp->high_min,
						kz->pageset_high_min);
				KUNIT_EXPECT_EQ(test, pcp->high_max,
						zone->pcp_high_max);
			}
			kunit_info(test, "zone %s: managed %lu low %lu: batch %d high %d-%d\n",
				   kz->name, zone->managed_pages,
				   zone->watermark[ZA_WMARK_LOW],
				   zone->pcp_batch, zone->pcp_high,
				   zone->pcp_high_max);
			checked++;
		}
	}
	KUNIT_EXPECT_GT(test, checked, 0U);
	zone->node = 0;
	zone->managed_pages = managed;
	zone->watermark[ZA_WMARK_LOW] = low;
	za_pcp_update_zone(zone);
}

#define TUNE_BATCH	4
#define TUNE_HIGH_MIN	16
#define TUNE_HIGH_MAX	64
#define TUNE_ALLOCS	61
#define TUNE_FREES	5

/* What the list looks like after one allocation or free. */
struct tune_state {
	int count, high, alloc_factor, free_count;
};

struct tune_job {
	struct za_pool *pool;
	struct za_page *pages[TUNE_ALLOCS];
	struct tune_state after_alloc[TUNE_ALLOCS];
	struct tune_state after_free[TUNE_FREES];
	int errors;
};

static void tune_snap(struct za_pool *pool, struct tune_state *st)
{
	struct za_pcp *pcp = this_cpu_ptr(pool->zones[ZA_ZONE_NORMAL].pcp);

	st->count = pcp->count;
	st->high = pcp->high;
	st->alloc_factor = pcp->alloc_factor;
	st->free_count = pcp->free_count;
}

static long tune_job_fn(void *data)
{
	struct tune_job *job = data;
	int i;

	for (i = 0; i < TUNE_ALLOCS; i++) {
		struct za_page *zp = za_alloc_pages(job->pool,
						    ZONEALLOC_GFP_MOVABLE, 0);

		if (IS_ERR(zp)) {
			job->errors++;
			return 0;
		}
		job->pages[i] = zp;
		tune_snap(job->pool, &job->after_alloc[i]);
	}
	for (i = 0; i < TUNE_FREES; i++) {
		if (za_free_pages(job->pool, job->pages[TUNE_ALLOCS - 1 - i], 0))
			job->errors++;
		job->pages[TUNE_ALLOCS - 1 - i] = NULL;
		tune_snap(job->pool, &job->after_free[i]);
	}
	return 0;
}

/*
 * Auto-tuning against nr_pcp_alloc(), nr_pcp_high(), nr_pcp_free() and
 * decay_pcp_high() of 6.12, evaluated by hand for batch 4, high_min 16,
 * high_max 64 in a zone above its high watermark:
 *
 * refill 1: high 16 + 4 = 20; 4 << 0 = 4 <= max(20 - 0 - 4, 4): factor 1;
 *	takes 4, count 3 after the allocation;
 * refill 2 (allocation 5): high 28; 8 <= 24: factor 2; takes 8, count 7;
 * refill 3 (allocation 13): high 44; 16 <= 40: factor 3; takes 16, 15;
 * refill 4 (allocation 29): high min(76, 64) = 64; 32 <= 60: factor 4;
 *	takes 32, count 31;
 * refill 5 (allocation 61): 64 > 60: factor stays 4; takes 60, count 59.
 * Frees: each halves the factor (2, 1, 0, 0, 0) and counts one more
 * consecutive free; the fifth brings count to 64 = high: it drains
 * clamp(free_count 5, batch 4, high - batch 60) = 5 pages, count 59.
 * Decay: high falls by an eighth a period (56, 49, 43, 38, 34, 30, 27,
 * 24, 21, 19, 17, 16) and the list drains to it.
 */
static void zonealloc_pcp_autotune(struct kunit *test)
{
	static const struct { int alloc, count, high, factor; } refills[] = {
		{ 1, 3, 20, 1 }, { 5, 7, 28, 2 }, { 13, 15, 44, 3 },
		{ 29, 31, 64, 4 }, { 61, 59, 64, 4 },
	};
	static const int decay[] = {
		56, 49, 43, 38, 34, 30, 27, 24, 21, 19, 17, 16,
	};
	struct za_pool *pool = pcp_pool(test);
	struct za_zone *zone = &pool->zones[ZA_ZONE_NORMAL];
	int cpu = cpumask_first(cpu_online_mask);
	struct za_pcp *pcp = per_cpu_ptr(zone->pcp, cpu);
	struct tune_job *job;
	unsigned int i;

	/* Only the decay steps below may touch the lists. */
	cancel_delayed_work_sync(&pool->pcp_decay_work);
	za_pcp_set_high_and_batch(zone, TUNE_HIGH_MIN, TUNE_HIGH_MAX,
				  TUNE_BATCH);
	zone->watermark[ZA_WMARK_HIGH] = 0;
	clear_bit(ZA_ZONE_BELOW_HIGH, &zone->flags);
	job = kunit_kzalloc(test, sizeof(*job), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, job);
	job->pool = pool;
	work_on_cpu(cpu, tune_job_fn, job);
	KUNIT_ASSERT_EQ(test, job->errors, 0);

	for (i = 0; i < ARRAY_SIZE(refills); i++) {
		struct tune_state *st = &job->after_alloc[refills[i].alloc - 1];

		KUNIT_EXPECT_EQ_MSG(test, st->count, refills[i].count,
				    "count after allocation %d", refills[i].alloc);
		KUNIT_EXPECT_EQ_MSG(test, st->high, refills[i].high,
				    "high after allocation %d", refills[i].alloc);
		KUNIT_EXPECT_EQ_MSG(test, st->alloc_factor, refills[i].factor,
				    "alloc_factor after allocation %d",
				    refills[i].alloc);
	}
	for (i = 0; i < TUNE_FREES; i++) {
		KUNIT_EXPECT_EQ_MSG(test, job->after_free[i].alloc_factor,
				    2 >> i, "alloc_factor after free %u", i + 1);
		KUNIT_EXPECT_EQ_MSG(test, job->after_free[i].free_count, i + 1,
				    "free_count after free %u", i + 1);
	}
	KUNIT_EXPECT_EQ(test, job->after_free[TUNE_FREES - 2].count, 63);
	KUNIT_EXPECT_EQ_MSG(test, job->after_free[TUNE_FREES - 1].count, 59,
			    "the free that reached high drained free_count");
	KUNIT_EXPECT_EQ(test, job->after_free[TUNE_FREES - 1].high, 64);

	for (i = 0; i < ARRAY_SIZE(decay); i++) {
		KUNIT_EXPECT_TRUE(test, za_pcp_decay_high(zone, cpu));
		KUNIT_EXPECT_EQ_MSG(test, pcp->high, decay[i], "decay step %u",
				    i + 1);
		KUNIT_EXPECT_EQ_MSG(test, pcp->count, decay[i],
				    "decay step %u drains to high", i + 1);
	}
	KUNIT_EXPECT_FALSE_MSG(test, za_pcp_decay_high(zone, cpu),
			       "nothing left to decay at high_min");
	za_test_check(test, pool, "after auto-tuning and decay");
	for (i = 0; i < TUNE_ALLOCS; i++)
		if (job->pages[i])
			KUNIT_EXPECT_EQ(test, za_free_pages(pool, job->pages[i], 0),
					0);
	za_pcp_drain_all(pool);
	KUNIT_EXPECT_EQ(test, zone->free_pages, zone->managed_pages);
	za_test_check(test, pool, "after the auto-tuning case");
}

static struct kunit_case zonealloc_pcp_cases[] = {
	KUNIT_CASE(zonealloc_pcp_batches),
	KUNIT_CASE(zonealloc_pcp_sizes_as_kernel),
	KUNIT_CASE(zonealloc_pcp_autotune),
	KUNIT_CASE(zonealloc_pcp_cpu_offline),
	KUNIT_CASE(zonealloc_pcp_atomic_no_drain),
	KUNIT_CASE(zonealloc_pcp_hardirq),
	KUNIT_CASE(zonealloc_pcp_irq_work),
	KUNIT_CASE(zonealloc_pcp_softirq),
	{}
};

static struct kunit_suite zonealloc_pcp_suite = {
	.name = "zonealloc_pcp",
	.suite_init = za_test_suite_init,
	.init = za_test_case_init,
	.test_cases = zonealloc_pcp_cases,
};

kunit_test_suite(zonealloc_pcp_suite);
