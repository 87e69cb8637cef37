/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the zonealloc KUnit suites: private pools over memory
 * the test gets from the kernel, and the invariant check every case runs.
 */
#ifndef _ZONEALLOC_TEST_POOL_H
#define _ZONEALLOC_TEST_POOL_H

#include <kunit/test.h>
#include <linux/mmzone.h>

#include "pool.h"

struct za_pool *za_test_pool_nodes(struct kunit *test, unsigned int nr_nodes,
				   const unsigned int (*pb_per_zone)[ZA_NR_ZONES],
				   bool pcp);
struct za_pool *za_test_pool(struct kunit *test,
			     const unsigned int pb_per_zone[ZA_NR_ZONES],
			     bool pcp);
void za_test_check(struct kunit *test, struct za_pool *pool,
		   const char *when);
/* Room for the reports za_test_render() renders. */
#define ZA_TEST_SEQ_SIZE	(32 * 1024)

struct seq_file;

char *za_test_render(struct kunit *test,
		     void (*show)(struct seq_file *m, struct za_pool *pool),
		     struct za_pool *pool);
int za_test_zone_type(enum zone_type kzone);
u32 za_test_seed(void);
int za_test_suite_init(struct kunit_suite *suite);
int za_test_case_init(struct kunit *test);

/*
 * Let a case allocate a zone down to its last page: zero the min and low
 * watermarks that the allocation paths check (high and the boost stay).
 */
static inline void za_test_zero_wmarks(struct za_zone *zone)
{
	zone->watermark[ZA_WMARK_MIN] = 0;
	zone->watermark[ZA_WMARK_LOW] = 0;
}

#endif /* _ZONEALLOC_TEST_POOL_H */
