// SPDX-License-Identifier: GPL-2.0
/*
 * Per-CPU page lists: small blocks (orders 0..ZA_PCP_MAX_ORDER) cached per
 * CPU, zone and migratetype, refilled from and drained to the buddy lists
 * in batches under the zone lock, as mm/page_alloc.c's per_cpu_pages.
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
 * Deviations from 6.12: batch and high are fixed at the kernel's formulas
 * for high_min (no alloc_factor/free_factor auto-tuning between high_min
 * and high_max).
 */

#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
#include <linux/irqflags.h>
#include <linux/log2.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/preempt.h>
#include <linux/sizes.h>
#include <kunit/visibility.h>

#include "buddy.h"
#include "pcp.h"
#include "trace.h"

static enum cpuhp_state za_pcp_hp_state;

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
 * za_zone_highsize() - PCP high for a zone, as zone_highsize() with
 *	percpu_pagelist_high_fraction at 0.
 * @low_wmark: the zone's low watermark.
 * @batch: its PCP batch.
 * @nr_cpus: CPUs sharing the zone.
 *
 * Context: Any context.
 * Return: the high mark.
 */
int za_zone_highsize(unsigned long low_wmark, int batch, int nr_cpus)
{
	int high;

	if (nr_cpus < 1)
		nr_cpus = 1;
	high = low_wmark / nr_cpus;
	return max(high, batch << 2);
}
EXPORT_SYMBOL_IF_KUNIT(za_zone_highsize);

/**
 * za_pcp_update_high_batch() - size every zone's PCP lists.
 * @pool: the pool, with watermarks computed.
 *
 * Context: Any context.
 */
void za_pcp_update_high_batch(struct za_pool *pool)
{
	int z;

	for (z = 0; z < ZA_NR_ZONES; z++) {
		struct za_zone *zone = &pool->zones[z];
		int batch = za_zone_batchsize(zone->managed_pages);

		WRITE_ONCE(zone->pcp_batch, batch);
		WRITE_ONCE(zone->pcp_high,
			   za_zone_highsize(zone->watermark[ZA_WMARK_LOW],
					    batch, num_online_cpus()));
	}
}
EXPORT_SYMBOL_IF_KUNIT(za_pcp_update_high_batch);

/*
 * Free @count pages from @pcp to the buddy lists: one list at a time, from
 * its cold end, moving on when it is empty, as free_pcppages_bulk().
 */
static unsigned long za_pcp_free_bulk(struct za_zone *zone,
				      struct za_pcp *pcp, int count)
{
	unsigned long freed = 0, flags;
	int idx = 0;

	lockdep_assert_held(&pcp->lock);
	count = min(count, pcp->count);
	if (count <= 0)
		return 0;

	spin_lock_irqsave(&zone->lock, flags);
	while (count > 0 && pcp->count > 0) {
		struct list_head *list = &pcp->lists[idx];
		struct za_page *zp;
		unsigned int order;

		if (list_empty(list)) {
			if (++idx == ZA_NR_PCP_LISTS)
				idx = 0;
			continue;
		}
		zp = list_last_entry(list, struct za_page, lru);
		order = zp->order;
		list_del(&zp->lru);
		za_page_set_tail(zp);
		pcp->count -= 1 << order;
		count -= 1 << order;
		freed += 1UL << order;
		trace_za_mm_page_pcpu_drain(zp, order, za_get_pageblock_mt(zp));
		za_free_one_page(zone, zp, order, za_get_pageblock_mt(zp));
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

/* Refill an empty list with one batch from the buddy lists. */
static void za_pcp_refill(struct za_zone *zone, struct za_pcp *pcp,
			  struct list_head *list, unsigned int order, int mt)
{
	int batch = READ_ONCE(zone->pcp_batch);
	unsigned long flags;
	int i;

	lockdep_assert_held(&pcp->lock);
	if (batch > 1)
		batch = max(batch >> order, 2);

	spin_lock_irqsave(&zone->lock, flags);
	for (i = 0; i < batch; ) {
		unsigned int o = za_pcp_refill_order(zone, order, mt,
						     batch - i);
		struct za_page *zp = za_rmqueue(zone, o, mt, 0);
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
 * za_pcp_alloc() - take a block from this CPU's list, refilling it if empty.
 * @zone: the zone.
 * @order: at most %ZA_PCP_MAX_ORDER.
 * @mt: a PCP migratetype.
 *
 * The head returned has state %ZA_PAGE_TAIL; the caller marks it allocated.
 *
 * Context: Any context; tries the PCP lock, takes the zone lock to refill.
 * Return: the head of the block, or NULL (also when the PCP lock is busy:
 * the caller then allocates from the buddy lists).
 */
struct za_page *za_pcp_alloc(struct za_zone *zone, unsigned int order, int mt)
{
	struct list_head *list;
	unsigned long flags;
	struct za_page *zp;
	struct za_pcp *pcp;

	if (!za_pcp_trylock(zone, &pcp, &flags))
		return NULL;
	list = &pcp->lists[za_pcp_list_index(order, mt)];
	if (list_empty(list))
		za_pcp_refill(zone, pcp, list, order, mt);
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

/**
 * za_pcp_free() - free a small block to this CPU's list.
 * @zone: its zone.
 * @zp: the head, not on any list.
 * @order: its order.
 *
 * A block of an isolated pageblock is not taken (it must go straight to
 * the buddy lists); highatomic blocks go to the MOVABLE list, as in
 * free_unref_page(). The list is drained by one batch once it reaches high.
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
	za_page_set_pcp(zp, order, mt);
	list_add(&zp->lru, &pcp->lists[za_pcp_list_index(order, mt)]);
	pcp->count += 1 << order;
	if (pcp->count >= READ_ONCE(zone->pcp_high))
		za_pcp_free_bulk(zone, pcp, READ_ONCE(zone->pcp_batch));
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
			int to_drain = min(count, READ_ONCE(zone->pcp_batch) <<
						  ZA_PCP_BATCH_SCALE_MAX);

			drained += za_pcp_free_bulk(zone, pcp, to_drain);
			count -= to_drain;
		}
		za_pcp_unlock_cpu(pcp, flags);
	} while (count > 0);
	return drained;
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
	for (z = 0; z < ZA_NR_ZONES; z++) {
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

/* Runs on a control CPU once @cpu is dead: nothing else touches its lists. */
static int za_pcp_cpu_dead(unsigned int cpu, struct hlist_node *node)
{
	struct za_pool *pool;

	pool = hlist_entry_safe(node, struct za_pool, cpuhp_node);
	za_pcp_drain_cpu(pool, cpu);
	return 0;
}

/**
 * za_pcp_init() - allocate a pool's per-CPU lists and register it for
 *	draining when a CPU goes offline.
 * @pool: the pool, descriptors built, pages not yet freed.
 *
 * Does nothing if the pool has PCP lists disabled.
 *
 * Context: Process context; may sleep.
 * Return: 0 or a negative errno.
 */
int za_pcp_init(struct za_pool *pool)
{
	int z, cpu, i, ret;

	if (!pool->pcp_enabled)
		return 0;
	for (z = 0; z < ZA_NR_ZONES; z++) {
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
		}
	}
	if (za_pcp_hp_state > 0) {
		ret = cpuhp_state_add_instance_nocalls(za_pcp_hp_state,
						       &pool->cpuhp_node);
		if (ret)
			goto err;
		pool->cpuhp_added = true;
	}
	return 0;
err:
	za_pcp_exit(pool);
	return ret;
}

/**
 * za_pcp_exit() - free a pool's per-CPU lists.
 * @pool: the pool.
 *
 * Context: Process context; may sleep.
 */
void za_pcp_exit(struct za_pool *pool)
{
	int z;

	if (pool->cpuhp_added)
		cpuhp_state_remove_instance_nocalls(za_pcp_hp_state,
						    &pool->cpuhp_node);
	pool->cpuhp_added = false;
	for (z = 0; z < ZA_NR_ZONES; z++) {
		free_percpu(pool->zones[z].pcp);
		pool->zones[z].pcp = NULL;
	}
}

/**
 * za_pcp_module_init() - register the CPU-dead callback.
 *
 * Context: Process context, module init.
 * Return: 0 or a negative errno.
 */
int za_pcp_module_init(void)
{
	int ret;

	ret = cpuhp_setup_state_multi(CPUHP_BP_PREPARE_DYN, "zonealloc:dead",
				      NULL, za_pcp_cpu_dead);
	if (ret < 0)
		return ret;
	za_pcp_hp_state = ret;
	return 0;
}

/**
 * za_pcp_module_exit() - remove the CPU-dead callback.
 *
 * Context: Process context, module exit; every pool is gone.
 */
void za_pcp_module_exit(void)
{
	cpuhp_remove_multi_state(za_pcp_hp_state);
	za_pcp_hp_state = 0;
}
