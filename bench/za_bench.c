// SPDX-License-Identifier: GPL-2.0
/*
 * za_bench: the same workloads against zonealloc's in-kernel API and
 * against the kernel's own page allocator (alloc_pages(), __free_pages(),
 * alloc_pages_bulk_array()), from kthreads bound to CPUs, alternating
 * zonealloc and kernel runs over @reps repetitions. Neither side zeroes:
 * boot with init_on_alloc=0 so that the kernel does not either.
 *
 * Results go to the kernel log, one line per case, side and repetition:
 *   "za_bench: R <case> <za|k|cal> <rep> <picoseconds per operation>"
 * and latency distributions as
 *   "za_bench: C <case> <za|k> <percentile> <nanoseconds>".
 * scripts/bench turns them into the table of Documentation/performance.rst.
 */

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/irqflags.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/sched/clock.h>
#include <linux/sort.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/vmalloc.h>
#include <zonealloc.h>

static unsigned int reps = 10;
module_param(reps, uint, 0444);
MODULE_PARM_DESC(reps, "Repetitions of each case and side (default 10)");

static unsigned int scale = 100;
module_param(scale, uint, 0444);
MODULE_PARM_DESC(scale, "Iteration counts in percent of the defaults (default 100)");

static char *cases = "all";
module_param(cases, charp, 0444);
MODULE_PARM_DESC(cases, "Comma-separated case groups to run (default all): pair,allocn,order,bulk,smp,pc,lat,cal");

#define ZB_ZA_GFP	ZONEALLOC_GFP_NOWARN
#define ZB_K_GFP	(GFP_KERNEL | __GFP_NOWARN)
#define ZB_MAX_N	16384
#define ZB_LAT_N	4096
#define ZB_RING		1024

static struct page **zb_pages;		/* ZB_MAX_N entries, for CPU 0 */
static struct page **zb_pages2;		/* ZB_MAX_N entries, for CPU 1 */
static u32 *zb_lat;			/* ZB_LAT_N samples */
static bool zb_failed;		/* in the current case */
static bool zb_any_failed;

static unsigned long zb_iters(unsigned long n)
{
	return max(1UL, n * scale / 100);
}

static bool zb_want(const char *group)
{
	size_t len = strlen(group);
	const char *p = cases;

	if (!strcmp(cases, "all"))
		return true;
	while (p && *p) {
		if (!strncmp(p, group, len) && (p[len] == ',' || !p[len]))
			return true;
		p = strchr(p, ',');
		if (p)
			p++;
	}
	return false;
}

static void zb_report(const char *name, const char *side, unsigned int rep,
		      u64 ns, unsigned long ops)
{
	pr_info("R %s %s %u %llu\n", name, side, rep,
		div64_u64(ns * 1000, max(ops, 1UL)));
}

/*
 * Both allocators through the same inline helpers: with @za a constant,
 * each workload below compiles into one direct-call version per side, so
 * neither pays for an indirect call.
 */
static __always_inline struct page *zb_alloc(bool za, unsigned int order)
{
	struct page *page;

	if (za) {
		page = zonealloc_alloc_pages(ZB_ZA_GFP, order);
		page = IS_ERR(page) ? NULL : page;
	} else {
		page = alloc_pages(ZB_K_GFP, order);
	}
	if (unlikely(!page))
		WRITE_ONCE(zb_failed, true);
	return page;
}

static __always_inline void zb_free(bool za, struct page *page,
				    unsigned int order)
{
	if (unlikely(!page))
		return;
	if (za)
		zonealloc_free_pages(page, order);
	else
		__free_pages(page, order);
}

/* Order-@order alloc+free pairs. */
static __always_inline u64 zb_pair(bool za, unsigned int order,
				   unsigned long n)
{
	unsigned long i;
	u64 t0 = ktime_get_ns();

	for (i = 0; i < n; i++)
		zb_free(za, zb_alloc(za, order), order);
	return ktime_get_ns() - t0;
}

/* Allocate @nr order-0 pages, then free them, @loops times. */
static __always_inline u64 zb_allocn(bool za, struct page **pages,
				     unsigned int nr, unsigned long loops)
{
	unsigned long l;
	unsigned int i;
	u64 t0 = ktime_get_ns();

	for (l = 0; l < loops; l++) {
		for (i = 0; i < nr; i++)
			pages[i] = zb_alloc(za, 0);
		for (i = 0; i < nr; i++)
			zb_free(za, pages[i], 0);
	}
	return ktime_get_ns() - t0;
}

/* Bulk allocation of @nr pages into a cleared array, then bulk free. */
static __always_inline u64 zb_bulk(bool za, unsigned int nr,
				   unsigned long loops)
{
	unsigned long l;
	unsigned int i, got;
	u64 t0 = ktime_get_ns();

	for (l = 0; l < loops; l++) {
		memset(zb_pages, 0, nr * sizeof(*zb_pages));
		if (za) {
			int ret = zonealloc_alloc_pages_bulk(ZB_ZA_GFP, nr,
							     zb_pages);

			got = ret < 0 ? 0 : ret;
		} else {
			got = alloc_pages_bulk_array(ZB_K_GFP, nr, zb_pages);
		}
		if (unlikely(got != nr))
			WRITE_ONCE(zb_failed, true);
		if (za) {
			zonealloc_free_pages_bulk(nr, zb_pages);
		} else {
			for (i = 0; i < nr; i++)
				if (zb_pages[i])
					__free_pages(zb_pages[i], 0);
		}
	}
	return ktime_get_ns() - t0;
}

static noinline u64 zb_pair_za(unsigned int o, unsigned long n)
{
	return zb_pair(true, o, n);
}

static noinline u64 zb_pair_k(unsigned int o, unsigned long n)
{
	return zb_pair(false, o, n);
}

static noinline u64 zb_allocn_za(struct page **p, unsigned int nr,
				 unsigned long l)
{
	return zb_allocn(true, p, nr, l);
}

static noinline u64 zb_allocn_k(struct page **p, unsigned int nr,
				unsigned long l)
{
	return zb_allocn(false, p, nr, l);
}

static noinline u64 zb_bulk_za(unsigned int nr, unsigned long l)
{
	return zb_bulk(true, nr, l);
}

static noinline u64 zb_bulk_k(unsigned int nr, unsigned long l)
{
	return zb_bulk(false, nr, l);
}

/* The case being run, for zb_ab() and ZB_AB(). */
static const char *zb_case;

static void zb_case_begin(const char *name)
{
	zb_case = name;
	WRITE_ONCE(zb_failed, false);
}

/* Repetition -1 is the warm-up of each side, and is not reported. */
static void zb_ab(int rep, unsigned long ops, u64 za_ns, u64 k_ns)
{
	if (rep < 0)
		return;
	zb_report(zb_case, "za", rep, za_ns, ops);
	zb_report(zb_case, "k", rep, k_ns, ops);
	cond_resched();
}

static void zb_case_end(void)
{
	if (zb_failed) {
		pr_info("F %s an allocation failed\n", zb_case);
		zb_any_failed = true;
	}
}

/* One case: za, k, za, k, ... after a warm-up of each. */
#define ZB_AB(ops, za_call, k_call)					\
	do {								\
		int __r;						\
		for (__r = -1; __r < (int)reps && !zb_failed; __r++) {	\
			u64 __za = (za_call);				\
			zb_ab(__r, ops, __za, (k_call));		\
		}							\
		zb_case_end();						\
	} while (0)

static void zb_run_pair(void)
{
	unsigned long n = zb_iters(4000);

	zb_case_begin("pair0");
	ZB_AB(n, zb_pair_za(0, n), zb_pair_k(0, n));
}

static void zb_run_allocn(void)
{
	static const unsigned int sizes[] = { 1, 8, 64, 512, 4096, 16384 };
	char name[32];
	int i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		unsigned int nr = sizes[i];
		unsigned long loops = zb_iters(max(1U, 8192 / nr));

		snprintf(name, sizeof(name), "allocn%u", nr);
		zb_case_begin(name);
		ZB_AB(loops * nr, zb_allocn_za(zb_pages, nr, loops),
		      zb_allocn_k(zb_pages, nr, loops));
	}
}

static void zb_run_orders(void)
{
	char name[32];
	unsigned int o;

	for (o = 1; o <= 10; o++) {
		unsigned long n = zb_iters(o <= 3 ? 2000 : 500);

		snprintf(name, sizeof(name), "order%u", o);
		zb_case_begin(name);
		ZB_AB(n, zb_pair_za(o, n), zb_pair_k(o, n));
	}
}

static void zb_run_bulk(void)
{
	static const unsigned int sizes[] = { 1, 8, 32, 128 };
	char name[32];
	int i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		unsigned int nr = sizes[i];
		unsigned long loops = zb_iters(4096 / nr);

		snprintf(name, sizeof(name), "bulk%u", nr);
		zb_case_begin(name);
		ZB_AB(loops * nr, zb_bulk_za(nr, loops),
		      zb_bulk_k(nr, loops));
	}
}

/* Two-CPU cases: a helper kthread on CPU 1 joins the runner on CPU 0. */
struct zb_smp {
	bool za;
	int kind;		/* 0: alloc/free on each CPU; 1: consumer */
	unsigned long loops;
	atomic_t ready;
	struct completion done;
	/* Producer/consumer ring: CPU 0 allocates, CPU 1 frees. */
	struct page *ring[ZB_RING];
	unsigned long head ____cacheline_aligned;
	unsigned long tail ____cacheline_aligned;
	unsigned long total;
	u64 start1, end1;	/* the helper's own clock readings */
};

/*
 * Busy-wait, but let the CPU go when asked: the kernel is not preemptible,
 * and a stop_machine() (a clocksource change, say) waits for every CPU.
 */
static void zb_spin(void)
{
	cpu_relax();
	cond_resched();
}

static void zb_smp_barrier(struct zb_smp *s, int n)
{
	atomic_inc(&s->ready);
	while (atomic_read(&s->ready) < n)
		zb_spin();
}

static void zb_smp_allocn(struct zb_smp *s, struct page **pages)
{
	if (s->za)
		zb_allocn_za(pages, 64, s->loops);
	else
		zb_allocn_k(pages, 64, s->loops);
}

static __always_inline void zb_consume(bool za, struct zb_smp *s)
{
	unsigned long tail = 0, head;

	while (tail < s->total) {
		/* Pairs with the producer's release: the slots are written. */
		head = smp_load_acquire(&s->head);
		if (head == tail) {
			zb_spin();
			continue;
		}
		while (tail < head) {
			zb_free(za, s->ring[tail % ZB_RING], 0);
			tail++;
		}
		/* Pairs with the producer's acquire: the slots are free. */
		smp_store_release(&s->tail, tail);
	}
}

static __always_inline void zb_produce(bool za, struct zb_smp *s)
{
	unsigned long head;

	for (head = 0; head < s->total; head++) {
		struct page *page = zb_alloc(za, 0);

		/* Pairs with the consumer's release of the slots it freed. */
		while (head - smp_load_acquire(&s->tail) >= ZB_RING)
			zb_spin();
		s->ring[head % ZB_RING] = page;
		/* Pairs with the consumer's acquire: publishes the slot. */
		smp_store_release(&s->head, head + 1);
	}
}

static noinline void zb_consume_za(struct zb_smp *s)
{
	zb_consume(true, s);
}

static noinline void zb_consume_k(struct zb_smp *s)
{
	zb_consume(false, s);
}

static noinline void zb_produce_za(struct zb_smp *s)
{
	zb_produce(true, s);
}

static noinline void zb_produce_k(struct zb_smp *s)
{
	zb_produce(false, s);
}

static int zb_helper(void *arg)
{
	struct zb_smp *s = arg;

	zb_smp_barrier(s, 2);
	s->start1 = ktime_get_ns();
	if (s->kind == 0)
		zb_smp_allocn(s, zb_pages2);
	else if (s->za)
		zb_consume_za(s);
	else
		zb_consume_k(s);
	s->end1 = ktime_get_ns();
	complete(&s->done);
	return 0;
}

/*
 * Run one two-CPU measurement; returns elapsed ns, or 0 on failure. The
 * span runs from the first thread's start to the last one's end, each read
 * on its own CPU: with single-threaded TCG the vCPUs take turns, and a
 * helper that ran its whole share before the runner's turn must count.
 */
static u64 zb_smp_run(struct zb_smp *s, bool za, int kind, int nthreads)
{
	struct task_struct *t;
	u64 t0, ns;

	s->za = za;
	s->kind = kind;
	s->head = 0;
	s->tail = 0;
	atomic_set(&s->ready, 0);
	init_completion(&s->done);
	if (nthreads == 1) {
		t0 = ktime_get_ns();
		zb_smp_allocn(s, zb_pages);
		return ktime_get_ns() - t0;
	}
	t = kthread_create(zb_helper, s, "za_bench/1");
	if (IS_ERR(t))
		return 0;
	kthread_bind(t, 1);
	wake_up_process(t);
	zb_smp_barrier(s, 2);
	t0 = ktime_get_ns();
	if (kind == 0)
		zb_smp_allocn(s, zb_pages);
	else if (za)
		zb_produce_za(s);
	else
		zb_produce_k(s);
	ns = ktime_get_ns();
	wait_for_completion(&s->done);
	return max(ns, s->end1) - min(t0, s->start1);
}

static void zb_run_smp(bool pc)
{
	struct zb_smp *s;

	if (num_online_cpus() < 2 || !cpu_online(1)) {
		pr_info("two-CPU cases skipped: CPU 1 is offline\n");
		return;
	}
	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return;
	if (!pc) {
		unsigned long ops;

		s->loops = zb_iters(64);
		ops = s->loops * 64;
		zb_case_begin("smp1");
		ZB_AB(ops, zb_smp_run(s, true, 0, 1),
		      zb_smp_run(s, false, 0, 1));
		/* Two CPUs do twice the work: per-operation time halves. */
		zb_case_begin("smp2");
		ZB_AB(2 * ops, zb_smp_run(s, true, 0, 2),
		      zb_smp_run(s, false, 0, 2));
	} else {
		s->total = zb_iters(4096);
		zb_case_begin("prodcons");
		ZB_AB(s->total, zb_smp_run(s, true, 1, 2),
		      zb_smp_run(s, false, 1, 2));
	}
	kfree(s);
}

static int zb_cmp_u32(const void *a, const void *b)
{
	u32 x = *(const u32 *)a, y = *(const u32 *)b;

	return x < y ? -1 : x > y;
}

static u32 zb_pct(u32 *v, unsigned int n, unsigned int permille)
{
	return v[min(n - 1, (unsigned int)((u64)n * permille / 1000))];
}

/*
 * Latency of single order-0 allocations and frees: ZB_LAT_N allocations in
 * a row, then as many frees, so that refills and drains are in the sample.
 */
static __always_inline void zb_lat_one(bool za, unsigned int rep, bool cdf)
{
	const char *side = za ? "za" : "k";
	unsigned int i, pass;
	u64 t;

	for (pass = 0; pass < 2; pass++) {
		const char *what = pass ? "lat_free" : "lat_alloc";
		char name[32];

		for (i = 0; i < ZB_LAT_N; i++) {
			t = local_clock();
			if (pass)
				zb_free(za, zb_pages[i], 0);
			else
				zb_pages[i] = zb_alloc(za, 0);
			zb_lat[i] = local_clock() - t;
		}
		sort(zb_lat, ZB_LAT_N, sizeof(*zb_lat), zb_cmp_u32, NULL);
		snprintf(name, sizeof(name), "%s_p50", what);
		zb_report(name, side, rep, zb_pct(zb_lat, ZB_LAT_N, 500), 1);
		snprintf(name, sizeof(name), "%s_p99", what);
		zb_report(name, side, rep, zb_pct(zb_lat, ZB_LAT_N, 990), 1);
		snprintf(name, sizeof(name), "%s_max", what);
		zb_report(name, side, rep, zb_lat[ZB_LAT_N - 1], 1);
		if (cdf)
			for (i = 0; i <= 1000; i += 10)
				pr_info("C %s %s %u %u\n", what, side, i,
					zb_pct(zb_lat, ZB_LAT_N,
					       min(i, 999U)));
	}
}

static noinline void zb_lat_za(unsigned int rep, bool cdf)
{
	zb_lat_one(true, rep, cdf);
}

static noinline void zb_lat_k(unsigned int rep, bool cdf)
{
	zb_lat_one(false, rep, cdf);
}

static void zb_run_lat(void)
{
	unsigned int r;

	zb_lat_za(0, false);
	zb_lat_k(0, false);
	/* The warm-up lines above are rep 0; the measured ones follow. */
	for (r = 1; r <= reps; r++) {
		zb_lat_za(r, r == reps);
		zb_lat_k(r, r == reps);
		cond_resched();
	}
}

/* In-VM units: copy_page, spin_lock/unlock, local_irq_save/restore. */
static void zb_run_cal(void)
{
	unsigned long n = zb_iters(20000), i, flags;
	struct page *src, *dst;
	DEFINE_SPINLOCK(lock);
	unsigned int r;
	u64 t0;

	src = alloc_page(GFP_KERNEL);
	dst = alloc_page(GFP_KERNEL);
	if (!src || !dst)
		goto out;
	for (r = 0; r < reps; r++) {
		t0 = ktime_get_ns();
		for (i = 0; i < n / 10; i++)
			copy_page(page_address(dst), page_address(src));
		zb_report("cal_copy_page", "cal", r, ktime_get_ns() - t0,
			  n / 10);
		t0 = ktime_get_ns();
		for (i = 0; i < n; i++) {
			spin_lock(&lock);
			spin_unlock(&lock);
		}
		zb_report("cal_spin_lock", "cal", r, ktime_get_ns() - t0, n);
		t0 = ktime_get_ns();
		for (i = 0; i < n; i++) {
			local_irq_save(flags);
			local_irq_restore(flags);
		}
		zb_report("cal_irq_save", "cal", r, ktime_get_ns() - t0, n);
		t0 = ktime_get_ns();
		for (i = 0; i < n; i++)
			barrier_data((void *)(unsigned long)local_clock());
		zb_report("cal_clock", "cal", r, ktime_get_ns() - t0, n);
		cond_resched();
	}
out:
	if (src)
		__free_page(src);
	if (dst)
		__free_page(dst);
}

static DECLARE_COMPLETION(zb_done);

static int zb_runner(void *unused)
{
	if (zb_want("cal"))
		zb_run_cal();
	if (zb_want("pair"))
		zb_run_pair();
	if (zb_want("allocn"))
		zb_run_allocn();
	if (zb_want("order"))
		zb_run_orders();
	if (zb_want("bulk"))
		zb_run_bulk();
	if (zb_want("smp"))
		zb_run_smp(false);
	if (zb_want("pc"))
		zb_run_smp(true);
	if (zb_want("lat"))
		zb_run_lat();
	complete(&zb_done);
	return 0;
}

static int __init zb_init(void)
{
	struct task_struct *t;
	int ret = 0;

	zb_pages = vcalloc(ZB_MAX_N, sizeof(*zb_pages));
	zb_pages2 = vcalloc(ZB_MAX_N, sizeof(*zb_pages2));
	zb_lat = vcalloc(ZB_LAT_N, sizeof(*zb_lat));
	if (!zb_pages || !zb_pages2 || !zb_lat) {
		ret = -ENOMEM;
		goto out;
	}
	t = kthread_create(zb_runner, NULL, "za_bench/0");
	if (IS_ERR(t)) {
		ret = PTR_ERR(t);
		goto out;
	}
	kthread_bind(t, 0);
	pr_info("start reps=%u scale=%u cases=%s\n", reps, scale, cases);
	wake_up_process(t);
	/* Wake every second so that the hung-task detector stays quiet. */
	while (!wait_for_completion_timeout(&zb_done, HZ))
		;
	pr_info("done%s\n", zb_any_failed ? " (an allocation failed)" : "");
out:
	vfree(zb_lat);
	vfree(zb_pages2);
	vfree(zb_pages);
	return ret;
}

static void __exit zb_exit(void)
{
}

module_init(zb_init);
module_exit(zb_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("zonealloc against the kernel's page allocator: benchmark");
