// SPDX-License-Identifier: GPL-2.0
/* The case table and the checks every case shares. */

#include <host_kernel.h>

#include <zonealloc.h>
#include "elastic.h"
#include "pool.h"
#include "tests.h"

/* Defined in chunk.c, which is not built here. */
struct za_pool *za_global_pool;

/* elastic.c is not built here either: host pools never grow. */
void za_elastic_wake(struct za_pool *pool, int zone, unsigned int order)
{
}

const struct ht_case ht_cases[] = {
	{ "gfp", gfp_table_test },
	{ "sizing", sizing_test },
	{ "params", params_test },
	{ "setup-errors", setup_errors_test },
	{ "pcp-contention", pcp_contention_test },
	{ "pcp-formula", pcp_formula_test },
	{ "pcp-drain-bounded", pcp_drain_bounded_test },
	{ "cpu-dead", cpu_dead_test },
	{ "vmstat", vmstat_test },
	{ "highatomic", highatomic_test },
	{ "checker", checker_test },
	{ "model", model_test },
	{ "model-nopcp", model_nopcp_test },
	{ "scale", scale_test },
	{ NULL, NULL },
};

/* Every case starts on CPU 0 of 4, with nothing held and no faults armed. */
void ht_reset_host(void)
{
	host_nr_cpus = 4;
	host_cpu = 0;
	host_preempt_count = 0;
	host_locks_held = 0;
	host_need_resched = 0;
	host_fatal_signal = 0;
	host_kmalloc_fail_in = 0;
	host_module_refs = 0;
	host_schedule_hook = NULL;
	host_schedules = 0;
}

/* A case must leave no lock held, preemption on and the module unpinned. */
void ht_check_host_clean(void)
{
	HT_EXPECT(host_locks_held == 0, "%d locks held", host_locks_held);
	HT_EXPECT(host_preempt_count == 0, "preempt count %d",
		  host_preempt_count);
	HT_EXPECT(host_module_refs == 0, "module refs %ld", host_module_refs);
}

/* za_pool_check(), with what happened before for the failure message. */
bool ht_pool_check(struct za_pool *pool, const char *when)
{
	char buf[256];
	int ret = za_pool_check(pool, buf, sizeof(buf));

	if (ret)
		ht_fail("invariant broken %s: %s", when, buf);
	return !ret;
}

/* The reference: what include/linux/gfp.h makes of the zone bits. */
int ht_ref_zone(u32 gfp)
{
	bool d = gfp & ZONEALLOC_GFP_DMA, h = gfp & ZONEALLOC_GFP_HIGHMEM;
	bool d32 = gfp & ZONEALLOC_GFP_DMA32, m = gfp & ZONEALLOC_GFP_MOVABLE;

	if (d + h + d32 > 1)
		return -1;
	if (d)
		return ZA_ZONE_DMA;
	if (d32)
		return ZA_ZONE_DMA32;
	if (h)
		return m ? ZA_ZONE_MOVABLE : ZA_ZONE_HIGHMEM;
	return ZA_ZONE_NORMAL;
}

bool ht_ref_valid(u32 gfp, unsigned int order)
{
	if (gfp & ~ZONEALLOC_GFP_ALL || order > ZA_MAX_ORDER)
		return false;
	if (ht_ref_zone(gfp) < 0)
		return false;
	if ((gfp & ZONEALLOC_GFP_MOVABLE) && (gfp & ZONEALLOC_GFP_RECLAIMABLE))
		return false;
	if ((gfp & ZONEALLOC_GFP_NOFAIL) &&
	    (gfp & (ZONEALLOC_GFP_ATOMIC | ZONEALLOC_GFP_NORETRY)))
		return false;
	return true;
}

int ht_ref_mt(u32 gfp)
{
	if (gfp & ZONEALLOC_GFP_MOVABLE)
		return ZA_MIGRATE_MOVABLE;
	if (gfp & ZONEALLOC_GFP_RECLAIMABLE)
		return ZA_MIGRATE_RECLAIMABLE;
	return ZA_MIGRATE_UNMOVABLE;
}
