/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small test harness for the host tests: cases registered in a table,
 * failures recorded by ht_fail() (also from the stubs' WARN_ON and lock
 * checks), one seeded random generator, and the closing line
 * "hosttest: N passed, N failed".
 */
#ifndef _HOST_HARNESS_H
#define _HOST_HARNESS_H

#include <host_kernel.h>

struct ht_case {
	const char *name;
	void (*run)(void);
};

/* Options of this run (see main() in harness.c). */
extern u64 ht_seed;
extern unsigned long ht_ops;
extern bool ht_ops_given;
extern unsigned long ht_failures;

__printf(1, 2) void ht_fail(const char *fmt, ...);
__printf(1, 2) void ht_info(const char *fmt, ...);
double ht_now(void);

/* xorshift64*: small, fast and replayable from its seed. */
static inline u64 ht_rand(u64 *state)
{
	u64 x = *state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * 0x2545f4914f6cdd1dULL;
}

/* Uniform in [0, n), n > 0. */
static inline unsigned long ht_below(u64 *state, unsigned long n)
{
	return (unsigned long)((ht_rand(state) >> 11) % n);
}

#define HT_EXPECT(cond, fmt, ...) ({					\
	bool __ok = !!(cond);						\
	if (!__ok)							\
		ht_fail("%s:%d: expected %s: " fmt, __FILE__, __LINE__,	\
			#cond, ##__VA_ARGS__);				\
	__ok;								\
})

/* The stubs' hooks the tests use (host_kernel.c). */
extern void (*host_schedule_hook)(void *arg);
extern void *host_schedule_hook_arg;
extern unsigned long host_schedules;
int host_memmap_init(unsigned long pfns);
extern int host_verbose;
void host_cpu_dead(unsigned int cpu);
void host_kthread_run(int budget);
void host_kthread_forget(void);

#endif /* _HOST_HARNESS_H */
