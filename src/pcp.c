// SPDX-License-Identifier: GPL-2.0
/*
 * Per-CPU page lists: small blocks (orders 0..ZA_PCP_MAX_ORDER) and
 * pageblock-order blocks cached per CPU, zone and migratetype, refilled
 * from and drained to the buddy lists in batches under the zone lock, as
 * mm/page_alloc.c's per_cpu_pages.
 *
 * Locking: each list set has a spinlock (see struct za_pcp), taken only
 * through the helpers in pcp.h. As the kernel's pcp_spin_trylock(), the
 * owning CPU pins itself (preemption off; migration off on PREEMPT_RT) and
 * only tries the lock, with interrupts left on: an interrupt handler that
 * finds the lock held by the code it interrupted goes to the buddy lists
 * instead, as does a task that finds a remote drain holding it. A drain
 * (on demand, or for a CPU that went offline) waits for the lock, so it is
 * only done from process context, never by a request that cannot sleep;
 * it holds the lock for a bounded batch at a time. The zone lock nests
 * inside a PCP lock, never the other way round, and is always taken with
 * spin_lock_irqsave().
 *
 * Sizing and tuning, as 6.12: every CPU's lists of a zone share a batch
 * (zone_batchsize()) and a high mark that moves between high_min (the low
 * watermark split over the CPUs) and high_max (an eighth of the zone split
 * over the CPUs): a refill grows it and takes more pages the more
 * refills follow one another without a free (alloc_factor, nr_pcp_alloc());
 * a free drains more the more frees follow one another (free_count,
 * nr_pcp_free()); high falls back while the zone is below its high
 * watermark (ZA_ZONE_BELOW_HIGH, nr_pcp_high()) and, once a second, decays
 * towards high_min on a worker (decay_pcp_high()). A drain starts from the
 * list freed to, as free_pcppages_bulk().
 *
 * Deviations from 6.12: no reclaim, so no ZONE_RECLAIM_ACTIVE branch; the
 * module cannot read the CPUs' cache sizes (get_cpu_cacheinfo() is not
 * exported), so every CPU keeps a batch before draining consecutive
 * high-order frees (ZA_PCPF_FREE_HIGH_BATCH), as on any CPU whose share of
 * the last-level cache exceeds three batches (756 KiB at batch 63); high
 * is split over all online CPUs, the pool's zones belonging to no node; the
 * decay of every CPU's lists runs on one worker per pool, under each list's
 * lock, rather than on each CPU.
 */

#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
#include <linux/irqflags.h>
#include <linux/log2.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/nodemask.h>
#include <linux/percpu.h>
#include <linux/preempt.h>
#include <linux/sizes.h>
#include <linux/topology.h>
#include <linux/workqueue.h>
#include <kunit/visibility.h>

#include "alloc.h"
#include "buddy.h"
#include "gfp.h"
#include "pcp.h"
#include "trace.h"

static enum cpuhp_state za_pcp_hp_state;

/*
 * Serialises the updates of batch and high (za_pcp_update_zone() and the
 * CPU hotplug callbacks), as pcp_batch_high_lock. Readers take no lock.
 */
static DEFINE_MUTEX(za_pcp_high_lock);

/**
 * za_zone_batchsize() - PCP batch for a zone, as zone_batchsize().
 * @managed_pages: the zone's managed pages.
 *
 * Context: Any context.
 * Return: the batch, at least 1.
 */
int za_zone_batchsize(unsigned long managed_pages)
{
	int batch;

	batch = min_t(unsigned long, managed_pages >> 10, SZ_1M / PAGE_SIZE);
	batch /= 4;
	if (batch < 1)
		batch = 1;
	batch = rounddown_pow_of_two(batch + batch / 2) - 1;
	return max(1, batch);
}
EXPORT_SYMBOL_IF_KUNIT(za_zone_batchsize);

/**
 * za_zone_highsize() - a PCP high mark for a zone, as zone_highsize().
 * @total_pages: what the CPUs share: the low watermark for high_min, the
 *	managed pages / %ZA_PCP_HIGH_MAX_FRACTION for high_max.
 * @batch: the zone's PCP batch.
 * @nr_cpus: CPUs sharing the zone.
 *
 * Context: Any context.
 * Return: @total_pages split over @nr_cpus, at least four batches.
 */
int za_zone_highsize(unsigned long total_pages, int batch, int nr_cpus)
{
	int high;

	if (nr_cpus < 1)
		nr_cpus = 1;
	high = total_pages / nr_cpus;
	return max(high, batch << 2);
}
EXPORT_SYMBOL_IF_KUNIT(za_zone_highsize);

/**
 * za_pcp_set_high_and_batch() - give every CPU's lists of a zone their
 *	batch and high bounds, as __zone_set_pageset_high_and_batch().
 * @zone: the zone.
 * @high_min: the high mark of an idle list.
 * @high_max: the highest a busy list's mark goes; @high_min disables the
 *	auto-tuning.
 * @batch: the base batch.
 *
 * Each list's current high moves into the new bounds at its next use.
 *
 * Context: Any context; the caller serialises updates of one zone.
 */
void za_pcp_set_high_and_batch(struct za_zone *zone, int high_min,
			       int high_max, int batch)
{
	int cpu;

	WRITE_ONCE(zone->pcp_batch, batch);
	WRITE_ONCE(zone->pcp_high, high_min);
	WRITE_ONCE(zone->pcp_high_max, high_max);
	if (!zone->pcp)
		return;
	for_each_possible_cpu(cpu) {
		struct za_pcp *pcp = per_cpu_ptr(zone->pcp, cpu);

		WRITE_ONCE(pcp->batch, batch);
		WRITE_ONCE(pcp->high_min, high_min);
		WRITE_ONCE(pcp->high_max, high_max);
	}
}
EXPORT_SYMBOL_IF_KUNIT(za_pcp_set_high_and_batch);

/*
 * As zone_set_pageset_high_and_batch(): high is split over the online
 * CPUs of the zone's node (all online CPUs for a node without any, or one
 * the kernel does not have); @cpu_online is 1 while a CPU that is not yet
 * in the online mask comes up.
 */
static void za_pcp_size_zone(struct za_zone *zone, int cpu_online)
{
	int cpus = cpu_online, batch, high_min, high_max;

	if (zone->node < nr_node_ids && node_online(zone->node))
		cpus += nr_cpus_node(zone->node);
	if (!cpus)
		cpus = num_online_cpus();

	lockdep_assert_held(&za_pcp_high_lock);
	batch = za_zone_batchsize(zone->managed_pages);
	high_min = za_zone_highsize(zone->watermark[ZA_WMARK_LOW], batch, cpus);
	high_max = za_zone_highsize(zone->managed_pages /
				    ZA_PCP_HIGH_MAX_FRACTION, batch, cpus);
	if (zone->pcp_batch == batch && zone->pcp_high == high_min &&
	    zone->pcp_high_max == high_max)
		return;
	za_pcp_set_high_and_batch(zone, high_min, high_max, batch);
}

/**
 * za_pcp_update_zone() - recompute a zone's PCP batch and high bounds from
 *	its managed pages and low watermark, as zone_pcp_update().
 * @zone: the zone, with its watermarks computed.
 *
 * Call it whenever the zone's managed pages or watermarks change.
 *
 * Context: Process context; takes a mutex.
 */
void za_pcp_update_zone(struct za_zone *zone)
{
	mutex_lock(&za_pcp_high_lock);
	za_pcp_size_zone(zone, 0);
	mutex_unlock(&za_pcp_high_lock);
}
EXPORT_SYMBOL_IF_KUNIT(za_pcp_update_zone);

/**
 * za_pcp_update_high_batch() - size every zone's PCP lists.
 * @pool: the pool, with watermarks computed.
 *
 * Context: Process context; takes a mutex.
 */
void za_pcp_update_high_batch(struct za_pool *pool)
{
	int z;

	for (z = 0; z < za_pool_nr_zones(pool); z++)
		za_pcp_update_zone(&pool->zones[z]);
}
EXPORT_SYMBOL_IF_KUNIT(za_pcp_update_high_batch);

/**
 * za_nr_pcp_alloc() - how many blocks a refill takes, as nr_pcp_alloc().
 * @pcp: this CPU's lists, locked.
 * @zone: their zone.
 * @order: the order of the empty list.
 *
 * Unless the zone is below its high watermark, every refill raises high
 * by the batch (up to high_max); an order-0 refill takes batch <<
 * alloc_factor pages, doubling with each refill that follows another
 * without a free in between, as far as high leaves room.
 *
 * Context: Under @pcp->lock.
 * Return: blocks of @order to take, at least 1.
 */
int za_nr_pcp_alloc(struct za_pcp *pcp, struct za_zone *zone,
		    unsigned int order)
{
	int high, base_batch, batch, max_nr_alloc, high_min, high_max;

	lockdep_assert_held(&pcp->lock);
	base_batch = READ_ONCE(pcp->batch);
	high_min = READ_ONCE(pcp->high_min);
	high_max = READ_ONCE(pcp->high_max);
	high = clamp(pcp->high, high_min, high_max);
	pcp->high = high;

	/* Lists not sized yet. */
	if (unlikely(high < base_batch))
		return 1;

	batch = order ? base_batch : base_batch << pcp->alloc_factor;
	if (high_min != high_max &&
	    !test_bit(ZA_ZONE_BELOW_HIGH, &zone->flags)) {
		high = min(high + batch, high_max);
		pcp->high = high;
	}
	if (!order) {
		max_nr_alloc = max(high - pcp->count - base_batch, base_batch);
		if (batch <= max_nr_alloc &&
		    pcp->alloc_factor < ZA_PCP_BATCH_SCALE_MAX)
			pcp->alloc_factor++;
		batch = min(batch, max_nr_alloc);
	}
	if (batch > 1)
		batch = max(batch >> order, 2);
	return batch;
}
EXPORT_SYMBOL_IF_KUNIT(za_nr_pcp_alloc);

/**
 * za_nr_pcp_free() - how many pages a free that reached high drains, as
 *	nr_pcp_free().
 * @pcp: this CPU's lists, locked.
 * @batch: their batch.
 * @high: the high mark za_nr_pcp_high() returned.
 * @free_high: consecutive high-order frees: drain as much as a hold may.
 *
 * Context: Under @pcp->lock.
 * Return: the pages to drain: the consecutive frees, at least a batch, and
 * leaving at least a batch on the lists.
 */
int za_nr_pcp_free(struct za_pcp *pcp, int batch, int high, bool free_high)
{
	lockdep_assert_held(&pcp->lock);
	if (unlikely(free_high))
		return min(pcp->count, batch << ZA_PCP_BATCH_SCALE_MAX);
	if (unlikely(high < batch))
		return 1;
	return clamp_t(int, pcp->free_count, batch, high - batch);
}
EXPORT_SYMBOL_IF_KUNIT(za_nr_pcp_free);

/*
 * The high mark a free compares the lists with, as nr_pcp_high(); inline
 * in the free path, za_nr_pcp_high() for the tests.
 * @pcp: this CPU's lists, locked.
 * @zone: their zone.
 * @batch: their batch.
 * @free_high: consecutive high-order frees.
 *
 * Below the zone's high watermark high shrinks by the consecutive frees
 * (at least a batch) and the lists drain down to high_min; otherwise a
 * full list grows high to hold the frees in flight plus a batch.
 *
 * Context: Under @pcp->lock.
 * Return: the mark; 0 drains at once.
 */
static __always_inline int __za_nr_pcp_high(struct za_pcp *pcp,
					    struct za_zone *zone, int batch,
					    bool free_high)
{
	int high, high_min, high_max;

	lockdep_assert_held(&pcp->lock);
	high_min = READ_ONCE(pcp->high_min);
	high_max = READ_ONCE(pcp->high_max);
	high = clamp(pcp->high, high_min, high_max);
	pcp->high = high;

	if (unlikely(!high))
		return 0;
	if (unlikely(free_high)) {
		pcp->high = max(high - (batch << ZA_PCP_BATCH_SCALE_MAX),
				high_min);
		return 0;
	}
	if (high_min == high_max)
		return high;

	if (test_bit(ZA_ZONE_BELOW_HIGH, &zone->flags)) {
		int free_count = max_t(int, pcp->free_count, batch);

		pcp->high = max(high - free_count, high_min);
		high = max(pcp->count, high_min);
	} else if (pcp->count >= high) {
		int need_high = pcp->free_count + batch;

		/* Room for the frees in flight and a batch. */
		if (pcp->high < need_high)
			pcp->high = clamp(need_high, high_min, high_max);
	}
	return high;
}

/**
 * za_nr_pcp_high() - the high mark a free compares the lists with, as
 *	nr_pcp_high().
 * @pcp: this CPU's lists, locked.
 * @zone: their zone.
 * @batch: their batch.
 * @free_high: consecutive high-order frees.
 *
 * Context: Under @pcp->lock.
 * Return: the mark; 0 drains at once. See __za_nr_pcp_high().
 */
int za_nr_pcp_high(struct za_pcp *pcp, struct za_zone *zone, int batch,
		   bool free_high)
{
	return __za_nr_pcp_high(pcp, zone, batch, free_high);
}
EXPORT_SYMBOL_IF_KUNIT(za_nr_pcp_high);

/*
 * Free @count pages from @pcp to the buddy lists, as free_pcppages_bulk():
 * the list at @pindex first, from its cold end, then the next nonempty
 * one round-robin, each until it is empty or the count is reached.
 */
static unsigned long za_pcp_free_bulk(struct za_zone *zone,
				      struct za_pcp *pcp, int count,
				      int pindex)
{
	unsigned long freed = 0, flags;

	lockdep_assert_held(&pcp->lock);
	count = min(count, pcp->count);
	if (count <= 0)
		return 0;

	/* The list asked for goes first. */
	pindex--;
	spin_lock_irqsave(&zone->lock, flags);
	while (count > 0) {
		struct list_head *list;
		unsigned int order;
		int tries = 0;

		do {
			if (++pindex >= ZA_NR_PCP_LISTS)
				pindex = 0;
			list = &pcp->lists[pindex];
		} while (list_empty(list) && ++tries < ZA_NR_PCP_LISTS);
		/* The count says pages remain, the lists say none. */
		if (WARN_ON_ONCE(list_empty(list)))
			break;

		order = za_pcp_list_order(pindex);
		do {
			struct za_page *zp;

			zp = list_last_entry(list, struct za_page, lru);
			list_del(&zp->lru);
			za_page_set_tail(zp);
			pcp->count -= 1 << order;
			count -= 1 << order;
			freed += 1UL << order;
			trace_za_mm_page_pcpu_drain(zp, order,
						    za_get_pageblock_mt(zp));
			za_free_one_page(zone, zp, order,
					 za_get_pageblock_mt(zp));
		} while (count > 0 && !list_empty(list));
	}
	spin_unlock_irqrestore(&zone->lock, flags);
	return freed;
}

/*
 * The order of the next block a refill takes whole: the smallest order
 * (from @order) at which @mt's free lists hold a block, capped so that the
 * block is at most @want blocks of @order. Taking 2^k pages one at a time
 * from the smallest block leaves the free lists exactly as taking an
 * order-k block and splitting it does, and puts the same pages on the list
 * in the same (ascending) order; one za_rmqueue() replaces 2^k of them.
 * With no block of @mt, @order itself: za_rmqueue() falls back as before.
 */
static unsigned int za_pcp_refill_order(struct za_zone *zone,
					unsigned int order, int mt, int want)
{
	unsigned int o, max_o = order + ilog2(want);

	for (o = order; o <= ZA_MAX_ORDER; o++)
		if (!list_empty(&zone->free_area[o].free_list[mt]))
			return min(o, max_o);
	return order;
}

/*
 * Refill an empty list with @count blocks from the buddy lists, as
 * rmqueue_bulk(): of the request's @alloc_flags only NOFRAGMENT matters
 * there (__rmqueue()); the highatomic reserve is for rmqueue_buddy() alone.
 */
static void za_pcp_refill(struct za_zone *zone, struct za_pcp *pcp,
			  struct list_head *list, unsigned int order, int mt,
			  int count, unsigned int alloc_flags)
{
	unsigned long flags;
	int i;

	lockdep_assert_held(&pcp->lock);
	alloc_flags &= ZA_ALLOC_NOFRAGMENT;
	spin_lock_irqsave(&zone->lock, flags);
	for (i = 0; i < count; ) {
		unsigned int o = za_pcp_refill_order(zone, order, mt,
						     count - i);
		struct za_page *zp = za_rmqueue(zone, o, mt, alloc_flags);
		unsigned long j, n;

		if (!zp)
			break;
		n = 1UL << (o - order);
		for (j = 0; j < n; j++) {
			struct za_page *p = zp + (j << order);

			za_page_set_pcp(p, order, mt);
			list_add_tail(&p->lru, list);
		}
		pcp->count += n << order;
		i += n;
	}
	spin_unlock_irqrestore(&zone->lock, flags);
}

/**
 * za_pcp_alloc() - take a block from this CPU's list, refilling it if empty,
 *	as rmqueue_pcplist().
 * @zone: the zone.
 * @order: at most %ZA_PCP_MAX_ORDER, or %ZA_PAGEBLOCK_ORDER.
 * @mt: a PCP migratetype.
 * @alloc_flags: ZA_ALLOC_* flags for a refill (NOFRAGMENT limits its
 *	fallback, see za_rmqueue()).
 *
 * The head returned has state %ZA_PAGE_TAIL; the caller marks it allocated.
 *
 * Context: Any context; tries the PCP lock, takes the zone lock to refill.
 * Return: the head of the block, or NULL (also when the PCP lock is busy:
 * the caller then allocates from the buddy lists).
 */
struct za_page *za_pcp_alloc(struct za_zone *zone, unsigned int order, int mt,
			     unsigned int alloc_flags)
{
	struct list_head *list;
	unsigned long flags;
	struct za_page *zp;
	struct za_pcp *pcp;

	if (!za_pcp_trylock(zone, &pcp, &flags))
		return NULL;
	/* An allocation halves the run of frees nr_pcp_free() counts. */
	pcp->free_count >>= 1;
	list = &pcp->lists[za_pcp_list_index(order, mt)];
	if (list_empty(list))
		za_pcp_refill(zone, pcp, list, order, mt,
			      za_nr_pcp_alloc(pcp, zone, order), alloc_flags);
	zp = list_first_entry_or_null(list, struct za_page, lru);
	if (zp) {
		list_del(&zp->lru);
		za_page_set_tail(zp);
		pcp->count -= 1 << order;
	}
	za_pcp_unlock(pcp, flags);
	return zp;
}
EXPORT_SYMBOL_IF_KUNIT(za_pcp_alloc);

/*
 * As free_unref_page_commit(): put @zp on its list, tune high and drain
 * once the lists reach it, from the list just freed to.
 */
static void za_pcp_free_commit(struct za_zone *zone, struct za_pcp *pcp,
			       struct za_page *zp, unsigned int order, int mt)
{
	int pindex = za_pcp_list_index(order, mt);
	bool free_high = false;
	int high, batch;

	lockdep_assert_held(&pcp->lock);
	/* A free halves the growth of the next refill (nr_pcp_alloc()). */
	pcp->alloc_factor >>= 1;
	za_page_set_pcp(zp, order, mt);
	list_add(&zp->lru, &pcp->lists[pindex]);
	pcp->count += 1 << order;

	batch = READ_ONCE(pcp->batch);
	/*
	 * Small high-order blocks freed in a row, with no allocation, are
	 * drained early: they fragment the zone while they sit here.
	 */
	if (order && order <= ZA_PCP_MAX_ORDER) {
		free_high = pcp->free_count >= batch &&
			    (pcp->flags & ZA_PCPF_PREV_FREE_HIGH_ORDER) &&
			    (!(pcp->flags & ZA_PCPF_FREE_HIGH_BATCH) ||
			     pcp->count >= batch);
		pcp->flags |= ZA_PCPF_PREV_FREE_HIGH_ORDER;
	} else if (pcp->flags & ZA_PCPF_PREV_FREE_HIGH_ORDER) {
		pcp->flags &= ~ZA_PCPF_PREV_FREE_HIGH_ORDER;
	}
	if (pcp->free_count < (batch << ZA_PCP_BATCH_SCALE_MAX))
		pcp->free_count += 1 << order;
	high = __za_nr_pcp_high(pcp, zone, batch, free_high);
	if (pcp->count < high)
		return;
	za_pcp_free_bulk(zone, pcp, za_nr_pcp_free(pcp, batch, high, free_high),
			 pindex);
	if (test_bit(ZA_ZONE_BELOW_HIGH, &zone->flags) &&
	    za_zone_watermark_ok(zone, 0, zone->watermark[ZA_WMARK_HIGH] +
				 READ_ONCE(zone->watermark_boost),
				 ZA_ZONE_MOVABLE, 0))
		clear_bit(ZA_ZONE_BELOW_HIGH, &zone->flags);
}

/**
 * za_pcp_free() - free a small or pageblock-order block to this CPU's list,
 *	as free_unref_page().
 * @zone: its zone.
 * @zp: the head, not on any list.
 * @order: its order.
 *
 * A block of an isolated pageblock is not taken (it must go straight to
 * the buddy lists); highatomic blocks go to the MOVABLE list, as in
 * free_unref_page(). The lists drain once they reach their high mark (see
 * za_pcp_free_commit()).
 *
 * Context: Any context; tries the PCP lock and, to drain, takes the zone
 * lock.
 * Return: true if the block was taken; false also when the PCP lock is
 * busy (the caller then frees to the buddy lists).
 */
bool za_pcp_free(struct za_zone *zone, struct za_page *zp, unsigned int order)
{
	unsigned long flags;
	struct za_pcp *pcp;
	int mt;

	if (!zone->pcp || !za_pcp_allowed_order(order))
		return false;
	mt = za_get_pageblock_mt(zp);
	if (mt >= ZA_MIGRATE_PCPTYPES) {
		if (mt == ZA_MIGRATE_ISOLATE)
			return false;
		mt = ZA_MIGRATE_MOVABLE;
	}

	if (!za_pcp_trylock(zone, &pcp, &flags))
		return false;
	za_pcp_free_commit(zone, pcp, zp, order, mt);
	za_pcp_unlock(pcp, flags);
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(za_pcp_free);

/*
 * A drain takes a CPU's lock outright, with interrupts left on as in
 * drain_pages_zone(): an interrupt handler of that CPU only tries it. A
 * uniprocessor spin_lock() excludes nothing, so there interrupts go off.
 */
#if defined(CONFIG_SMP) || defined(CONFIG_PREEMPT_RT)
static void za_pcp_lock_cpu(struct za_pcp *pcp, unsigned long *flags)
	__acquires(&pcp->lock)
{
	spin_lock(&pcp->lock);
}

static void za_pcp_unlock_cpu(struct za_pcp *pcp, unsigned long flags)
	__releases(&pcp->lock)
{
	spin_unlock(&pcp->lock);
}
#else
static void za_pcp_lock_cpu(struct za_pcp *pcp, unsigned long *flags)
	__acquires(&pcp->lock)
{
	spin_lock_irqsave(&pcp->lock, *flags);
}

static void za_pcp_unlock_cpu(struct za_pcp *pcp, unsigned long flags)
	__releases(&pcp->lock)
{
	spin_unlock_irqrestore(&pcp->lock, flags);
}
#endif

/*
 * Return one CPU's lists of @zone to the buddy lists, as drain_pages_zone():
 * at most batch << ZA_PCP_BATCH_SCALE_MAX pages per hold of the lock, so
 * that the owner (and the zone lock's other users) wait a bounded time.
 */
static unsigned long za_pcp_drain_zone(struct za_zone *zone, int cpu)
{
	struct za_pcp *pcp = per_cpu_ptr(zone->pcp, cpu);
	unsigned long drained = 0, flags = 0;
	int count;

	do {
		za_pcp_lock_cpu(pcp, &flags);
		count = pcp->count;
		if (count) {
			int to_drain = min(count, READ_ONCE(pcp->batch) <<
						  ZA_PCP_BATCH_SCALE_MAX);

			drained += za_pcp_free_bulk(zone, pcp, to_drain, 0);
			count -= to_drain;
		}
		za_pcp_unlock_cpu(pcp, flags);
	} while (count > 0);
	return drained;
}

/**
 * za_pcp_decay_high() - lower one CPU's high mark of a zone towards
 *	high_min and drain what is above it, as decay_pcp_high().
 * @zone: the zone.
 * @cpu: the CPU, which need not be the current one.
 *
 * High falls by an eighth (never below high_min, nor more than the pages a
 * drain may free in one hold below the count); the excess goes back to the
 * buddy lists a batch per hold of the lock.
 *
 * Context: Process context: waits for the list's lock, as a drain.
 * Return: true if high is still above high_min or pages were drained (the
 * next period has work to do).
 */
bool za_pcp_decay_high(struct za_zone *zone, int cpu)
{
	struct za_pcp *pcp = per_cpu_ptr(zone->pcp, cpu);
	int high_min, to_drain, batch;
	unsigned long flags = 0;
	bool todo = false;

	za_pcp_lock_cpu(pcp, &flags);
	high_min = READ_ONCE(pcp->high_min);
	batch = READ_ONCE(pcp->batch);
	if (pcp->high > high_min) {
		pcp->high = max3(pcp->count - (batch << ZA_PCP_BATCH_SCALE_MAX),
				 pcp->high - (pcp->high >> 3), high_min);
		if (pcp->high > high_min)
			todo = true;
	}
	to_drain = pcp->count - pcp->high;
	za_pcp_unlock_cpu(pcp, flags);

	while (to_drain > 0) {
		int n = min(to_drain, batch);

		za_pcp_lock_cpu(pcp, &flags);
		za_pcp_free_bulk(zone, pcp, n, 0);
		za_pcp_unlock_cpu(pcp, flags);
		todo = true;
		to_drain -= n;
	}
	return todo;
}
EXPORT_SYMBOL_IF_KUNIT(za_pcp_decay_high);

/*
 * Once a second, as vmstat_update() does on each CPU: decay every online
 * CPU's lists of every zone. Deferrable: an idle machine is not woken.
 */
static void za_pcp_decay_fn(struct work_struct *work)
{
	struct za_pool *pool = container_of(to_delayed_work(work),
					    struct za_pool, pcp_decay_work);
	int z, cpu;

	for (z = 0; z < za_pool_nr_zones(pool); z++) {
		struct za_zone *zone = &pool->zones[z];

		if (!zone->pcp)
			continue;
		for_each_online_cpu(cpu)
			za_pcp_decay_high(zone, cpu);
		cond_resched();
	}
	queue_delayed_work(system_wq, &pool->pcp_decay_work,
			   ZA_PCP_DECAY_INTERVAL);
}

/**
 * za_pcp_drain_cpu() - return one CPU's lists of every zone to the buddy
 *	lists.
 * @pool: the pool.
 * @cpu: the CPU, which need not be the current one nor online.
 *
 * Context: Process context: waits for each list's lock (an interrupt
 * handler of the CPU that holds one would never get it). Takes the zone
 * locks.
 * Return: pages drained.
 */
unsigned long za_pcp_drain_cpu(struct za_pool *pool, int cpu)
{
	unsigned long drained = 0;
	int z;

	might_sleep();
	for (z = 0; z < za_pool_nr_zones(pool); z++) {
		struct za_zone *zone = &pool->zones[z];

		if (zone->pcp)
			drained += za_pcp_drain_zone(zone, cpu);
	}
	return drained;
}
EXPORT_SYMBOL_IF_KUNIT(za_pcp_drain_cpu);

/**
 * za_pcp_drain_all() - return every CPU's lists to the buddy lists.
 * @pool: the pool.
 *
 * Context: Process context, as za_pcp_drain_cpu().
 * Return: pages drained.
 */
unsigned long za_pcp_drain_all(struct za_pool *pool)
{
	unsigned long drained = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		drained += za_pcp_drain_cpu(pool, cpu);
	return drained;
}
EXPORT_SYMBOL_IF_KUNIT(za_pcp_drain_all);

/* Resize every zone's lists of @pool for the CPUs online (+ @cpu_online). */
static void za_pcp_resize_pool(struct za_pool *pool, int cpu_online)
{
	int z;

	mutex_lock(&za_pcp_high_lock);
	for (z = 0; z < za_pool_nr_zones(pool); z++)
		if (pool->zones[z].pcp)
			za_pcp_size_zone(&pool->zones[z], cpu_online);
	mutex_unlock(&za_pcp_high_lock);
}

/*
 * Runs on a control CPU before @cpu comes online, as page_alloc_cpu_online():
 * high is split over one more CPU.
 */
static int za_pcp_cpu_up(unsigned int cpu, struct hlist_node *node)
{
	struct za_pool *pool;

	pool = hlist_entry_safe(node, struct za_pool, cpuhp_node);
	za_pcp_resize_pool(pool, 1);
	return 0;
}

/*
 * Runs on a control CPU once @cpu is dead, as page_alloc_cpu_dead():
 * nothing else touches its lists; drain them and split high over the CPUs
 * left.
 */
static int za_pcp_cpu_dead(unsigned int cpu, struct hlist_node *node)
{
	struct za_pool *pool;

	pool = hlist_entry_safe(node, struct za_pool, cpuhp_node);
	za_pcp_drain_cpu(pool, cpu);
	za_pcp_resize_pool(pool, 0);
	return 0;
}

/**
 * za_pcp_init() - allocate a pool's per-CPU lists, register it for
 *	draining when a CPU goes offline and start the decay of the high
 *	marks.
 * @pool: the pool, descriptors built, pages not yet freed.
 *
 * Does nothing if the pool has PCP lists disabled. The lists are sized by
 * za_pcp_update_high_batch() once the watermarks are known.
 *
 * Context: Process context; may sleep.
 * Return: 0 or a negative errno.
 */
int za_pcp_init(struct za_pool *pool)
{
	int z, cpu, i, ret;

	INIT_DEFERRABLE_WORK(&pool->pcp_decay_work, za_pcp_decay_fn);
	if (!pool->pcp_enabled)
		return 0;
	for (z = 0; z < za_pool_nr_zones(pool); z++) {
		struct za_zone *zone = &pool->zones[z];

		if (!zone->managed_pages)
			continue;
		zone->pcp = alloc_percpu(struct za_pcp);
		if (!zone->pcp) {
			ret = -ENOMEM;
			goto err;
		}
		for_each_possible_cpu(cpu) {
			struct za_pcp *pcp = per_cpu_ptr(zone->pcp, cpu);

			spin_lock_init(&pcp->lock);
			for (i = 0; i < ZA_NR_PCP_LISTS; i++)
				INIT_LIST_HEAD(&pcp->lists[i]);
			/* See "Deviations" above. */
			pcp->flags = ZA_PCPF_FREE_HIGH_BATCH;
		}
	}
	if (za_pcp_hp_state > 0) {
		ret = cpuhp_state_add_instance_nocalls(za_pcp_hp_state,
						       &pool->cpuhp_node);
		if (ret)
			goto err;
		pool->cpuhp_added = true;
	}
	queue_delayed_work(system_wq, &pool->pcp_decay_work,
			   ZA_PCP_DECAY_INTERVAL);
	return 0;
err:
	za_pcp_exit(pool);
	return ret;
}

/**
 * za_pcp_exit() - stop the decay and free a pool's per-CPU lists.
 * @pool: the pool.
 *
 * Context: Process context; may sleep.
 */
void za_pcp_exit(struct za_pool *pool)
{
	bool lists = false;
	int z;

	/* za_pcp_init() set the work up if it allocated any lists. */
	for (z = 0; z < za_pool_nr_zones(pool); z++)
		lists |= !!pool->zones[z].pcp;
	if (lists)
		cancel_delayed_work_sync(&pool->pcp_decay_work);
	if (pool->cpuhp_added)
		cpuhp_state_remove_instance_nocalls(za_pcp_hp_state,
						    &pool->cpuhp_node);
	pool->cpuhp_added = false;
	for (z = 0; z < za_pool_nr_zones(pool); z++) {
		free_percpu(pool->zones[z].pcp);
		pool->zones[z].pcp = NULL;
	}
}

/**
 * za_pcp_module_init() - register the CPU hotplug callbacks.
 *
 * Context: Process context, module init.
 * Return: 0 or a negative errno.
 */
int za_pcp_module_init(void)
{
	int ret;

	ret = cpuhp_setup_state_multi(CPUHP_BP_PREPARE_DYN, "zonealloc:pcp",
				      za_pcp_cpu_up, za_pcp_cpu_dead);
	if (ret < 0)
		return ret;
	za_pcp_hp_state = ret;
	return 0;
}

/**
 * za_pcp_module_exit() - remove the CPU hotplug callbacks.
 *
 * Context: Process context, module exit; every pool is gone.
 */
void za_pcp_module_exit(void)
{
	cpuhp_remove_multi_state(za_pcp_hp_state);
	za_pcp_hp_state = 0;
}
