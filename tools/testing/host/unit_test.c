// SPDX-License-Identifier: GPL-2.0
/* Small deterministic cases. */

#include <host_kernel.h>

#include "tests.h"

void gfp_table_test(void) { }
void sizing_test(void) { }
void params_test(void) { }
void setup_errors_test(void) { }
void pcp_contention_test(void) { }
void cpu_dead_test(void) { }
void vmstat_test(void) { }
