// SPDX-License-Identifier: GPL-2.0
/* The case table and the checks every case shares. */

#include <host_kernel.h>

#include "../../../src/pool.h"
#include "tests.h"

const struct ht_case ht_cases[] = {
	{ "gfp", gfp_table_test },
	{ "sizing", sizing_test },
	{ "params", params_test },
	{ "setup-errors", setup_errors_test },
	{ "pcp-contention", pcp_contention_test },
	{ "cpu-dead", cpu_dead_test },
	{ "vmstat", vmstat_test },
	{ "model", model_test },
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
bool ht_pool_check(struct zonealloc_pool *pool, const char *when)
{
	char buf[256];
	int ret = za_pool_check(pool, buf, sizeof(buf));

	if (ret)
		ht_fail("invariant broken %s: %s", when, buf);
	return !ret;
}
