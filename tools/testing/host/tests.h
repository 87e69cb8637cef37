/* SPDX-License-Identifier: GPL-2.0 */
/* The host test cases and the helpers they share (common.c). */
#ifndef _HOST_TESTS_H
#define _HOST_TESTS_H

#include <stdbool.h>

#include "harness.h"

#include "check.h"
#include "chunk.h"
#include "contig.h"

struct za_pool;

extern const struct ht_case ht_cases[];

void ht_reset_host(void);
void ht_check_host_clean(void);
bool ht_pool_check(struct za_pool *pool, const char *when);
int ht_ref_zone(u32 gfp);
bool ht_ref_valid(u32 gfp, unsigned int order);
int ht_ref_mt(u32 gfp);

void gfp_table_test(void);
void sizing_test(void);
void params_test(void);
void setup_errors_test(void);
void pcp_contention_test(void);
void pcp_formula_test(void);
void pcp_drain_bounded_test(void);
void cpu_dead_test(void);
void vmstat_test(void);
void highatomic_test(void);
void checker_test(void);
void model_test(void);
void model_nopcp_test(void);
void scale_test(void);

#endif /* _HOST_TESTS_H */
