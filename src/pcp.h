/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ZONEALLOC_PCP_H
#define _ZONEALLOC_PCP_H

#include <linux/irqflags.h>
#include <linux/jiffies.h>
#include <linux/preempt.h>
#include <linux/spinlock.h>

#include "pool.h"

/* A drain frees batch << this per hold, as CONFIG_PCP_BATCH_SCALE_MAX. */
#define ZA_PCP_BATCH_SCALE_MAX	5

/*
 * The per-CPU list locks (see struct za_pcp), as the pcp_spin_*() and
 * pcp_trylock_*() helpers of mm/page_alloc.c. The owning CPU only ever tries
 * its lock, pinned to the CPU: with preempt_disable(), or migrate_disable()
 * on PREEMPT_RT so that the lock (a sleeping one there) may still be taken
 * by a higher-priority task. A uniprocessor spin_trylock() always succeeds,
 * so there the owner disables interrupts instead of relying on it.
 */
#if defined(CONFIG_SMP) || defined(CONFIG_PREEMPT_RT)
static inline void za_pcp_trylock_prepare(unsigned long *flags) { }
static inline void za_pcp_trylock_finish(unsigned long flags) { }
#else
static inline void za_pcp_trylock_prepare(unsigned long *flags)
{
	local_irq_save(*flags);
}

static inline void za_pcp_trylock_finish(unsigned long flags)
{
	local_irq_restore(flags);
}
#endif

static inline void za_pcp_task_pin(void)
{
	if (IS_ENABLED(CONFIG_PREEMPT_RT))
		migrate_disable();
	else
		preempt_disable();
}

static inline void za_pcp_task_unpin(void)
{
	if (IS_ENABLED(CONFIG_PREEMPT_RT))
		migrate_enable();
	else
		preempt_enable();
}

static inline bool __za_pcp_trylock(struct za_zone *zone,
				    struct za_pcp **pcpp, unsigned long *flags)
{
	struct za_pcp *pcp;

	za_pcp_trylock_prepare(flags);
	za_pcp_task_pin();
	pcp = this_cpu_ptr(zone->pcp);
	if (spin_trylock(&pcp->lock)) {
		__release(&pcp->lock);	/* sparse: za_pcp_trylock() has it */
		*pcpp = pcp;
		return true;
	}
	za_pcp_task_unpin();
	za_pcp_trylock_finish(*flags);
	return false;
}

/**
 * za_pcp_trylock() - try the lock of this CPU's lists of a zone.
 * @zone: a zone with per-CPU lists.
 * @pcpp: a struct za_pcp ** set to this CPU's lists when the lock is taken.
 * @flags: an unsigned long * for the interrupt state saved on
 *	uniprocessor builds, to pass to za_pcp_unlock().
 *
 * On success the caller stays on this CPU until za_pcp_unlock(). On
 * failure (an interrupted task or a remote drain holds the lock) nothing is
 * held: the caller uses the buddy lists instead, never waits.
 *
 * Context: Any context (on PREEMPT_RT, any but hard interrupt, as the
 * kernel's allocator).
 * Return: true if the lock was taken.
 */
#define za_pcp_trylock(zone, pcpp, flags)				\
({									\
	struct za_pcp **__pcpp = (pcpp);				\
									\
	__cond_lock(&(*__pcpp)->lock,					\
		    __za_pcp_trylock(zone, __pcpp, flags));		\
})

/**
 * za_pcp_unlock() - release a lock taken by za_pcp_trylock().
 * @pcp: what za_pcp_trylock() returned.
 * @flags: what it saved.
 *
 * Context: The context that took the lock, still on its CPU.
 */
static inline void za_pcp_unlock(struct za_pcp *pcp, unsigned long flags)
	__releases(&pcp->lock)
{
	spin_unlock(&pcp->lock);
	za_pcp_task_unpin();
	za_pcp_trylock_finish(flags);
}

/* As order_to_pindex(): pageblock-order blocks on their own two lists. */
static inline int za_pcp_list_index(unsigned int order, int mt)
{
	if (order > ZA_PCP_MAX_ORDER)
		return ZA_NR_LOWORDER_PCP_LISTS + (mt == ZA_MIGRATE_MOVABLE);
	return order * ZA_MIGRATE_PCPTYPES + mt;
}

static inline unsigned int za_pcp_list_order(int idx)
{
	if (idx >= ZA_NR_LOWORDER_PCP_LISTS)
		return ZA_PAGEBLOCK_ORDER;
	return idx / ZA_MIGRATE_PCPTYPES;
}

/* As pcp_allowed_order() with THP: up to costly, and pageblock order. */
static inline bool za_pcp_allowed_order(unsigned int order)
{
	return order <= ZA_PCP_MAX_ORDER || order == ZA_PAGEBLOCK_ORDER;
}

/* As MIN_PERCPU_PAGELIST_HIGH_FRACTION: high_max is managed / 8 / CPUs. */
#define ZA_PCP_HIGH_MAX_FRACTION	8
/* The decay of the high marks runs once a second, as vmstat_update(). */
#define ZA_PCP_DECAY_INTERVAL		HZ

int za_zone_batchsize(unsigned long managed_pages);
int za_zone_highsize(unsigned long total_pages, int batch, int nr_cpus);
int za_nr_pcp_alloc(struct za_pcp *pcp, struct za_zone *zone,
		    unsigned int order);
int za_nr_pcp_free(struct za_pcp *pcp, int batch, int high, bool free_high);
int za_nr_pcp_high(struct za_pcp *pcp, struct za_zone *zone, int batch,
		   bool free_high);

int za_pcp_init(struct za_pool *pool);
void za_pcp_exit(struct za_pool *pool);
void za_pcp_update_zone(struct za_zone *zone);
void za_pcp_update_high_batch(struct za_pool *pool);
void za_pcp_set_high_and_batch(struct za_zone *zone, int high_min,
			       int high_max, int batch);
bool za_pcp_decay_high(struct za_zone *zone, int cpu);
struct za_page *za_pcp_alloc(struct za_zone *zone, unsigned int order,
			     int mt, unsigned int alloc_flags);
bool za_pcp_free(struct za_zone *zone, struct za_page *zp,
		 unsigned int order);
unsigned long za_pcp_drain_cpu(struct za_pool *pool, int cpu);
unsigned long za_pcp_drain_all(struct za_pool *pool);
int za_pcp_module_init(void);
void za_pcp_module_exit(void);

#endif /* _ZONEALLOC_PCP_H */
