/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel API zonealloc's allocator logic uses, for userspace, as
 * tools/testing/memblock does it: every <linux/...> header of this directory
 * includes this one. Locks are counters that check their own use (taking a
 * held lock, releasing a free one, lockdep_assert_held() on a free one,
 * sleeping with one held); per-CPU data is an array indexed by the
 * simulated CPU host_cpu; WARN_ON() records the warning so that the test
 * fails; struct page is a stand-in over a malloc'd memmap whose one data
 * word plays the page's contents.
 */
#ifndef _HOST_KERNEL_H
#define _HOST_KERNEL_H

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Kernel configuration the sources are built for (ZA_HOST_UP: no SMP). */
#ifndef ZA_HOST_UP
#define CONFIG_SMP 1
#endif
#define CONFIG_KUNIT 1
#define CONFIG_DEBUG_VM 1

#define KERNEL_VERSION(a, b, c) (((a) << 16) + ((b) << 8) + ((c) > 255 ? 255 : (c)))
#define LINUX_VERSION_CODE KERNEL_VERSION(6, 12, 0)

#define __ARG_PLACEHOLDER_1 0,
#define __take_second_arg(__ignored, val, ...) val
#define __is_defined(x) ___is_defined(x)
#define ___is_defined(val) ____is_defined(__ARG_PLACEHOLDER_##val)
#define ____is_defined(arg1_or_junk) __take_second_arg(arg1_or_junk 1, 0)
#define IS_ENABLED(option) __is_defined(option)

/* Types. */
typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;
typedef unsigned int gfp_t;

/* Annotations. */
#define __percpu
#define __user
#define __acquires(x)
#define __releases(x)
#define __acquire(x) ((void)0)
#define __release(x) ((void)0)
#define __cond_lock(x, c) (c)
#define __must_check __attribute__((warn_unused_result))
#define __printf(a, b) __attribute__((format(printf, a, b)))
#ifndef __always_inline
#define __always_inline inline __attribute__((always_inline))
#endif
#define __maybe_unused __attribute__((unused))
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define data_race(expr) (expr)
#define READ_ONCE(x) (*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, val) \
	do { *(volatile __typeof__(x) *)&(x) = (val); } while (0)
#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Failures the sources report: recorded, the running test fails. */
extern unsigned long host_warnings;
void host_warn(const char *file, int line, const char *what);

#define WARN_ON(cond) ({						\
	bool __w = !!(cond);						\
	if (__w)							\
		host_warn(__FILE__, __LINE__, "WARN_ON(" #cond ")");	\
	__w;								\
})
#define WARN_ON_ONCE(cond) WARN_ON(cond)
#define WARN(cond, ...) WARN_ON(cond)
#define BUG_ON(cond) do { if (cond) { host_warn(__FILE__, __LINE__, "BUG_ON(" #cond ")"); abort(); } } while (0)
#define BUILD_BUG_ON(cond) _Static_assert(!(cond), #cond)

/* Errors. */
#define MAX_ERRNO 4095
#define IS_ERR_VALUE(x) ((unsigned long)(void *)(x) >= (unsigned long)-MAX_ERRNO)
static inline void *ERR_PTR(long error) { return (void *)error; }
static inline long PTR_ERR(const void *ptr) { return (long)ptr; }
static inline bool IS_ERR(const void *ptr) { return IS_ERR_VALUE(ptr); }
static inline bool IS_ERR_OR_NULL(const void *ptr) { return !ptr || IS_ERR(ptr); }
static inline void *ERR_CAST(const void *ptr) { return (void *)ptr; }

/* Bits and arithmetic. */
#define BIT(nr) (1UL << (nr))
#define BITS_PER_LONG 64
#define GENMASK(h, l) (((~0UL) - (1UL << (l)) + 1) & (~0UL >> (BITS_PER_LONG - 1 - (h))))
#define min(x, y) ({ __typeof__(x) __x = (x); __typeof__(y) __y = (y); __x < __y ? __x : __y; })
#define max(x, y) ({ __typeof__(x) __x = (x); __typeof__(y) __y = (y); __x > __y ? __x : __y; })
#define min_t(type, x, y) min((type)(x), (type)(y))
#define max_t(type, x, y) max((type)(x), (type)(y))
#define clamp(val, lo, hi) min(max(val, lo), hi)
#define max3(x, y, z) max(max(x, y), z)
#define clamp_t(type, val, lo, hi) min_t(type, max_t(type, val, lo), hi)
#define mult_frac(x, numer, denom) ({					\
	__typeof__(x) __q = (x) / (denom);				\
	__typeof__(x) __r = (x) % (denom);				\
	(__q * (numer)) + ((__r * (numer)) / (denom));			\
})
#define ALIGN(x, a) (((x) + ((__typeof__(x))(a) - 1)) & ~((__typeof__(x))(a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a) - 1))
#define IS_ALIGNED(x, a) (((x) & ((__typeof__(x))(a) - 1)) == 0)
#define DIV_ROUND_UP(n, d) (((n) + (d) - 1) / (d))
#define div64_ul(x, y) ((x) / (y))
#define div_u64(x, y) ((u64)(x) / (y))
#define __ffs(x) ((unsigned long)__builtin_ctzl(x))
#define ilog2(n) (63 - __builtin_clzl((unsigned long)(n)))
#define rounddown_pow_of_two(n) (1UL << ilog2(n))
#define is_power_of_2(n) ((n) != 0 && (((n) & ((n) - 1)) == 0))

static inline unsigned long int_sqrt(unsigned long x)
{
	unsigned long r = 0, b = 1UL << 62;

	while (b > x)
		b >>= 2;
	while (b) {
		if (x >= r + b) {
			x -= r + b;
			r = (r >> 1) + b;
		} else {
			r >>= 1;
		}
		b >>= 2;
	}
	return r;
}

#define SZ_1K 0x400
#define SZ_1M 0x100000
#define SZ_1G 0x40000000
#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)

/* Atomics (the tests run one thread; these are the real thing anyway). */
typedef struct { int counter; } atomic_t;
typedef struct { long counter; } atomic_long_t;
#define ATOMIC_INIT(i) { (i) }
#define ATOMIC_LONG_INIT(i) { (i) }
#define atomic_read(v) __atomic_load_n(&(v)->counter, __ATOMIC_SEQ_CST)
#define atomic_set(v, i) __atomic_store_n(&(v)->counter, (i), __ATOMIC_SEQ_CST)
#define atomic_inc(v) ((void)__atomic_add_fetch(&(v)->counter, 1, __ATOMIC_SEQ_CST))
#define atomic_long_read(v) atomic_read(v)
#define atomic_long_set(v, i) atomic_set(v, i)
#define atomic_long_inc(v) atomic_inc(v)
#define atomic_long_add(i, v) ((void)__atomic_add_fetch(&(v)->counter, (i), __ATOMIC_SEQ_CST))
#define atomic_long_add_return(i, v) __atomic_add_fetch(&(v)->counter, (i), __ATOMIC_SEQ_CST)
#define atomic_long_sub_and_test(i, v) (__atomic_sub_fetch(&(v)->counter, (i), __ATOMIC_SEQ_CST) == 0)
#define cmpxchg(ptr, old, new) ({					\
	__typeof__(*(ptr)) __o = (old);					\
	__atomic_compare_exchange_n((ptr), &__o, (new), false,		\
				    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST); \
	__o;								\
})
#define try_cmpxchg(ptr, oldp, new)					\
	__atomic_compare_exchange_n((ptr), (oldp), (new), false,	\
				    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)
#define xchg(ptr, v) __atomic_exchange_n((ptr), (v), __ATOMIC_SEQ_CST)
#define set_bit(nr, addr) \
	((void)__atomic_fetch_or((addr), 1UL << (nr), __ATOMIC_SEQ_CST))
#define clear_bit(nr, addr) \
	((void)__atomic_fetch_and((addr), ~(1UL << (nr)), __ATOMIC_SEQ_CST))
#define test_bit(nr, addr) \
	((__atomic_load_n((addr), __ATOMIC_SEQ_CST) >> (nr)) & 1UL)

/* Lists, as include/linux/list.h. */
struct list_head {
	struct list_head *next, *prev;
};

struct hlist_node {
	struct hlist_node *next, **pprev;
};

#define LIST_HEAD_INIT(name) { &(name), &(name) }
#define LIST_HEAD(name) struct list_head name = LIST_HEAD_INIT(name)
static inline void INIT_LIST_HEAD(struct list_head *list)
{
	list->next = list;
	list->prev = list;
}

static inline void __list_add(struct list_head *new, struct list_head *prev,
			      struct list_head *next)
{
	if (next->prev != prev || prev->next != next || new == prev || new == next)
		host_warn(__FILE__, __LINE__, "list_add corruption");
	next->prev = new;
	new->next = next;
	new->prev = prev;
	prev->next = new;
}

static inline void list_add(struct list_head *new, struct list_head *head)
{
	__list_add(new, head, head->next);
}

static inline void list_add_tail(struct list_head *new, struct list_head *head)
{
	__list_add(new, head->prev, head);
}

static inline void __list_del_entry(struct list_head *entry)
{
	if (entry->prev->next != entry || entry->next->prev != entry)
		host_warn(__FILE__, __LINE__, "list_del corruption");
	entry->next->prev = entry->prev;
	entry->prev->next = entry->next;
}

#define LIST_POISON1 ((struct list_head *)0x100)
#define LIST_POISON2 ((struct list_head *)0x122)
static inline void list_del(struct list_head *entry)
{
	__list_del_entry(entry);
	entry->next = LIST_POISON1;
	entry->prev = LIST_POISON2;
}

static inline void list_del_init(struct list_head *entry)
{
	__list_del_entry(entry);
	INIT_LIST_HEAD(entry);
}

static inline void list_move(struct list_head *list, struct list_head *head)
{
	__list_del_entry(list);
	list_add(list, head);
}

static inline void list_move_tail(struct list_head *list, struct list_head *head)
{
	__list_del_entry(list);
	list_add_tail(list, head);
}

static inline bool list_empty(const struct list_head *head)
{
	return READ_ONCE(head->next) == head;
}

#define list_entry(ptr, type, member) container_of(ptr, type, member)
#define list_first_entry(ptr, type, member) list_entry((ptr)->next, type, member)
#define list_last_entry(ptr, type, member) list_entry((ptr)->prev, type, member)
#define list_first_entry_or_null(ptr, type, member) ({			\
	struct list_head *__head = (ptr);				\
	struct list_head *__pos = READ_ONCE(__head->next);		\
	__pos != __head ? list_entry(__pos, type, member) : NULL;	\
})
#define list_next_entry(pos, member) \
	list_entry((pos)->member.next, __typeof__(*(pos)), member)
#define list_for_each(pos, head) \
	for (pos = (head)->next; pos != (head); pos = pos->next)
#define list_for_each_entry(pos, head, member)				\
	for (pos = list_first_entry(head, __typeof__(*pos), member);	\
	     &pos->member != (head);					\
	     pos = list_next_entry(pos, member))
#define list_for_each_entry_safe(pos, n, head, member)			\
	for (pos = list_first_entry(head, __typeof__(*pos), member),	\
	     n = list_next_entry(pos, member);				\
	     &pos->member != (head);					\
	     pos = n, n = list_next_entry(n, member))
#define list_prev_entry(pos, member) \
	list_entry((pos)->member.prev, __typeof__(*(pos)), member)
#define list_for_each_entry_reverse(pos, head, member)			\
	for (pos = list_last_entry(head, __typeof__(*pos), member);	\
	     &pos->member != (head);					\
	     pos = list_prev_entry(pos, member))

static inline int list_is_first(const struct list_head *list,
				const struct list_head *head)
{
	return list->prev == head;
}

static inline int list_is_last(const struct list_head *list,
			       const struct list_head *head)
{
	return list->next == head;
}

/* Move head's entries up to and with @entry to @list (emptied first). */
static inline void list_cut_position(struct list_head *list,
				     struct list_head *head,
				     struct list_head *entry)
{
	struct list_head *first = head->next;

	if (list_empty(head) || entry == head) {
		INIT_LIST_HEAD(list);
		return;
	}
	list->next = first;
	first->prev = list;
	list->prev = entry;
	head->next = entry->next;
	entry->next->prev = head;
	entry->next = list;
}

/* Move head's entries before @entry to @list (emptied first). */
static inline void list_cut_before(struct list_head *list,
				   struct list_head *head,
				   struct list_head *entry)
{
	if (head->next == entry) {
		INIT_LIST_HEAD(list);
		return;
	}
	list->next = head->next;
	list->next->prev = list;
	list->prev = entry->prev;
	list->prev->next = list;
	head->next = entry;
	entry->prev = head;
}

static inline void list_splice_tail(struct list_head *list,
				    struct list_head *head)
{
	if (list_empty(list))
		return;
	list->next->prev = head->prev;
	head->prev->next = list->next;
	list->prev->next = head;
	head->prev = list->prev;
}

#define hlist_entry_safe(ptr, type, member) ({				\
	__typeof__(ptr) ____ptr = (ptr);				\
	____ptr ? container_of(____ptr, type, member) : NULL;		\
})

/* Simulated CPUs, preemption and interrupts. */
#define HOST_MAX_CPUS 256
extern int host_nr_cpus;	/* possible = online CPUs */
extern int host_cpu;		/* the CPU the test "runs" on */
extern int host_preempt_count;
void host_check_cpu(int cpu, const char *file, int line);
void host_might_sleep(const char *file, int line);

#define nr_cpu_ids host_nr_cpus
#define num_online_cpus() ((unsigned int)host_nr_cpus)
#define num_possible_cpus() ((unsigned int)host_nr_cpus)
#define for_each_possible_cpu(cpu) for ((cpu) = 0; (cpu) < host_nr_cpus; (cpu)++)
#define for_each_online_cpu(cpu) for_each_possible_cpu(cpu)
#define smp_processor_id() host_cpu
#define raw_smp_processor_id() host_cpu
#define preempt_disable() ((void)host_preempt_count++)
#define preempt_enable() ((void)host_preempt_count--)
#define migrate_disable() preempt_disable()
#define migrate_enable() preempt_enable()
#define local_irq_save(flags) ((flags) = 0, (void)host_preempt_count++)
#define local_irq_restore(flags) ((void)(flags), (void)host_preempt_count--)
#define local_irq_disable() ((void)host_preempt_count++)
#define local_irq_enable() ((void)host_preempt_count--)

void *host_alloc_percpu(size_t size);
#define alloc_percpu(type) ((type *)host_alloc_percpu(sizeof(type)))
#define free_percpu(ptr) free(ptr)
#define per_cpu_ptr(ptr, cpu) ({					\
	host_check_cpu((cpu), __FILE__, __LINE__);			\
	(ptr) + (cpu);							\
})
#define this_cpu_ptr(ptr) per_cpu_ptr(ptr, host_cpu)
/*
 * A per-CPU counter named by its lvalue: the stub cannot tell the stride
 * of the per-CPU copies from it, so every CPU adds to the first copy.
 * Readers sum every CPU's copy, so sums are what the kernel's would be.
 */
#define this_cpu_add(var, n) ((void)((var) += (n)))
#define ____cacheline_aligned_in_smp

/*
 * Spinlocks: a held flag. Taking a held lock is a deadlock on one CPU and
 * is reported; a trylock of a held lock fails, which is how the tests
 * simulate an interrupted holder or a remote drain.
 */
typedef struct {
	int held;
	const char *file;
	int line;
	unsigned long acquired;	/* times taken, for the tests */
} spinlock_t;

extern int host_locks_held;
void host_lock_fail(spinlock_t *lock, const char *what, const char *file,
		    int line);

static inline void host_spin_lock(spinlock_t *lock, const char *file, int line)
{
	if (lock->held)
		host_lock_fail(lock, "recursive lock (deadlock)", file, line);
	lock->held = 1;
	lock->file = file;
	lock->line = line;
	lock->acquired++;
	host_locks_held++;
	host_preempt_count++;
}

static inline int host_spin_trylock(spinlock_t *lock, const char *file,
				    int line)
{
	if (lock->held)
		return 0;
	host_spin_lock(lock, file, line);
	return 1;
}

static inline void host_spin_unlock(spinlock_t *lock, const char *file,
				    int line)
{
	if (!lock->held)
		host_lock_fail(lock, "unlock of a lock not held", file, line);
	lock->held = 0;
	host_locks_held--;
	host_preempt_count--;
}

#define spin_lock_init(lock) ((lock)->held = 0)
#define spin_lock(lock) host_spin_lock((lock), __FILE__, __LINE__)
#define spin_unlock(lock) host_spin_unlock((lock), __FILE__, __LINE__)
#define spin_trylock(lock) host_spin_trylock((lock), __FILE__, __LINE__)
#define spin_lock_irqsave(lock, flags) \
	do { (flags) = 0; spin_lock(lock); } while (0)
#define spin_unlock_irqrestore(lock, flags) \
	do { (void)(flags); spin_unlock(lock); } while (0)
#define spin_trylock_irqsave(lock, flags) ({ (flags) = 0; spin_trylock(lock); })
#define lockdep_assert_held(lock) do {					\
	if (!(lock)->held)						\
		host_lock_fail((spinlock_t *)(lock),			\
			       "lockdep_assert_held", __FILE__, __LINE__); \
} while (0)

/* Mutexes: as the spinlocks (same layout), and taking one may sleep. */
struct mutex {
	int held;
	const char *file;
	int line;
	unsigned long acquired;
};

#define DEFINE_MUTEX(name) struct mutex name = { 0 }
#define mutex_lock(m) do {						\
	host_might_sleep(__FILE__, __LINE__);				\
	host_spin_lock((spinlock_t *)(m), __FILE__, __LINE__);		\
	host_preempt_count--;						\
} while (0)
#define mutex_unlock(m) do {						\
	host_preempt_count++;						\
	host_spin_unlock((spinlock_t *)(m), __FILE__, __LINE__);	\
} while (0)

/*
 * rw_semaphores: readers counted, a writer flagged; one thread, so a
 * conflicting acquire is a deadlock and is reported. Seqcounts: a counter.
 */
struct rw_semaphore {
	int readers;
	int writer;
};

#define init_rwsem(sem) ((sem)->readers = 0, (sem)->writer = 0)
#define down_read_trylock(sem) \
	((sem)->writer ? 0 : ((sem)->readers++, 1))
#define down_write_trylock(sem) \
	((sem)->writer || (sem)->readers ? 0 : ((sem)->writer = 1))
#define down_read(sem) do {						\
	if (!down_read_trylock(sem))					\
		host_lock_fail(&(spinlock_t){ 0 }, "down_read (deadlock)", __FILE__,	\
			       __LINE__);				\
} while (0)
#define down_write(sem) do {						\
	if (!down_write_trylock(sem))					\
		host_lock_fail(&(spinlock_t){ 0 }, "down_write (deadlock)", __FILE__,	\
			       __LINE__);				\
} while (0)
#define up_read(sem) ((sem)->readers--)
#define up_write(sem) ((sem)->writer = 0)
#define lockdep_assert_held_write(sem) do {				\
	if (!(sem)->writer)						\
		host_lock_fail(&(spinlock_t){ 0 }, "lockdep_assert_held_write",	\
			       __FILE__, __LINE__);			\
} while (0)

typedef struct {
	unsigned int sequence;
} seqcount_spinlock_t;

#define seqcount_spinlock_init(s, lock) ((s)->sequence = 0)
#define read_seqcount_begin(s) ((s)->sequence)
#define read_seqcount_retry(s, start) ((s)->sequence != (start))
#define write_seqcount_begin(s) ((s)->sequence++)
#define write_seqcount_end(s) ((s)->sequence++)

/* Scheduling. */
struct task_struct {
	int host_dummy;
};

extern int host_need_resched;
extern int host_fatal_signal;
void host_schedule_timeout(long timeout);
#define current ((struct task_struct *)NULL)
#define might_sleep() host_might_sleep(__FILE__, __LINE__)
#define cond_resched() host_might_sleep(__FILE__, __LINE__)
#define need_resched() (host_need_resched != 0)
#define fatal_signal_pending(p) ((void)(p), host_fatal_signal != 0)
#define signal_pending(p) fatal_signal_pending(p)
#define schedule_timeout_uninterruptible(t) host_schedule_timeout(t)
#define msecs_to_jiffies(ms) ((long)(ms))

/*
 * kthreads and wait queues: a thread is created but not started; the test
 * runs its function itself with host_kthread_run(), which lets it wait
 * @budget times and then asks it to stop.
 */
typedef struct {
	int host_sleepers;
} wait_queue_head_t;

extern int host_kthread_stop;
struct task_struct *host_kthread_create(int (*fn)(void *), void *data);
void host_kthread_wait(void);
#define kthread_create(fn, data, name, ...) host_kthread_create((fn), (data))
#define kthread_create_on_node(fn, data, node, name, ...) \
	((void)(node), host_kthread_create((fn), (data)))
#define kthread_should_stop() (host_kthread_stop != 0)
static inline int kthread_stop(struct task_struct *task) { (void)task; return 0; }
#define wake_up_process(task) ((void)(task))
#define init_waitqueue_head(wq) ((wq)->host_sleepers = 0)
#define wq_has_sleeper(wq) ((wq)->host_sleepers != 0)
#define wake_up_interruptible(wq) ((void)(wq))
#define wait_event_interruptible_timeout(wq, cond, timeout) \
	((void)(wq), (void)(timeout), host_kthread_wait(), (cond) ? 1L : 0L)

/*
 * Delayed work: queued, never run by itself; the tests call what the work
 * function calls.
 */
#define HZ 100
struct work_struct;
typedef void (*work_func_t)(struct work_struct *work);
struct work_struct {
	work_func_t func;
};

struct delayed_work {
	struct work_struct work;
	int host_pending;
};

struct workqueue_struct;
#define system_wq ((struct workqueue_struct *)NULL)
#define to_delayed_work(w) container_of(w, struct delayed_work, work)
#define INIT_DEFERRABLE_WORK(w, f) \
	do { (w)->work.func = (f); (w)->host_pending = 0; } while (0)
static inline bool queue_delayed_work(struct workqueue_struct *wq,
				      struct delayed_work *w,
				      unsigned long delay)
{
	(void)wq;
	(void)delay;
	w->host_pending = 1;
	return true;
}
#define cancel_delayed_work_sync(w) ({					\
	host_might_sleep(__FILE__, __LINE__);				\
	bool __p = (w)->host_pending;					\
	(w)->host_pending = 0;						\
	__p;								\
})

/* CPU hotplug: the tests call the dead callback themselves. */
enum cpuhp_state {
	CPUHP_INVALID = -1,
	CPUHP_BP_PREPARE_DYN = 1,
};

extern int (*host_cpuhp_teardown)(unsigned int cpu, struct hlist_node *node);
int host_cpuhp_setup(int (*teardown)(unsigned int cpu, struct hlist_node *node));
int host_cpuhp_add(struct hlist_node *node);
void host_cpuhp_remove(struct hlist_node *node);
#define cpuhp_setup_state_multi(state, name, startup, teardown) \
	((void)(startup), host_cpuhp_setup(teardown))
#define cpuhp_remove_multi_state(state) ((void)(state), host_cpuhp_teardown = NULL)
#define cpuhp_state_add_instance_nocalls(state, node) \
	((void)(state), host_cpuhp_add(node))
#define cpuhp_state_remove_instance_nocalls(state, node) \
	((void)(state), host_cpuhp_remove(node))

/* Memory. */
#define GFP_KERNEL 0u
#define __GFP_NOWARN 0u
extern long host_kmalloc_fail_in;	/* > 0: that many succeed, then one fails */
void *host_kmalloc(size_t n, size_t size, bool zero);
#define kmalloc(size, gfp) host_kmalloc(1, (size), false)
#define kzalloc(size, gfp) host_kmalloc(1, (size), true)
#define kmalloc_array(n, size, gfp) host_kmalloc((n), (size), false)
#define kcalloc(n, size, gfp) host_kmalloc((n), (size), true)
#define kvcalloc(n, size, gfp) host_kmalloc((n), (size), true)
#define kvzalloc(size, gfp) host_kmalloc(1, (size), true)
void *host_krealloc_array(void *p, size_t n, size_t size);
#define krealloc_array(p, n, size, gfp) host_krealloc_array((p), (n), (size))
#define kfree(p) free((void *)(p))
#define kvfree(p) free((void *)(p))

#define sort(base, num, size, cmp, swap) qsort((base), (num), (size), (cmp))

/*
 * Pages: a memmap over pfns [0, host_memmap_pfns). A page's contents are
 * one word; its reference count is 1 + host_refs, as every page of the pool
 * holds its claim's reference.
 */
struct page {
	unsigned long host_data;
	int host_refs;
};

extern struct page *host_memmap;
extern unsigned long host_memmap_pfns;
struct page *host_pfn_to_page(unsigned long pfn, const char *file, int line);
#define pfn_to_page(pfn) host_pfn_to_page((pfn), __FILE__, __LINE__)
#define page_to_pfn(page) ((unsigned long)((page) - host_memmap))
#define page_ref_count(page) (1 + (page)->host_refs)
#define clear_highpage(page) ((page)->host_data = 0)
#define copy_highpage(to, from) ((to)->host_data = (from)->host_data)

/* Modules and parameters. */
struct module {
	int host_dummy;
};

extern struct module host_this_module;
extern long host_module_refs;
#define THIS_MODULE (&host_this_module)
#define __module_get(m) ((void)(m), (void)host_module_refs++)
#define module_put(m) ((void)(m), (void)host_module_refs--)
#define EXPORT_SYMBOL(sym)
#define EXPORT_SYMBOL_GPL(sym)
#define EXPORT_SYMBOL_IF_KUNIT(sym)
#define VISIBLE_IF_KUNIT
#define MODULE_PARM_DESC(name, desc)
#define MODULE_LICENSE(l)
#define MODULE_DESCRIPTION(d)

struct kernel_param {
	void *arg;
};

struct kernel_param_ops {
	int (*set)(const char *val, const struct kernel_param *kp);
	int (*get)(char *buffer, const struct kernel_param *kp);
};

#define module_param_cb(name, ops, arg, perm)
int param_set_uint_minmax(const char *val, const struct kernel_param *kp,
			  unsigned int min, unsigned int max);
int param_get_uint(char *buffer, const struct kernel_param *kp);

/* Messages. */
#ifndef pr_fmt
#define pr_fmt(fmt) fmt
#endif
extern int host_verbose;
#define host_printk(fmt, ...) \
	do { if (host_verbose) fprintf(stderr, fmt, ##__VA_ARGS__); } while (0)
#define pr_err(fmt, ...) host_printk(pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn(fmt, ...) host_printk(pr_fmt(fmt), ##__VA_ARGS__)
#define pr_info(fmt, ...) host_printk(pr_fmt(fmt), ##__VA_ARGS__)
#define pr_debug(fmt, ...) host_printk(pr_fmt(fmt), ##__VA_ARGS__)
#define pr_err_ratelimited(fmt, ...) pr_err(fmt, ##__VA_ARGS__)
#define pr_warn_ratelimited(fmt, ...) pr_warn(fmt, ##__VA_ARGS__)

static inline __printf(3, 0) int vscnprintf(char *buf, size_t size,
					    const char *fmt, va_list args)
{
	int n;

	if (!size)
		return 0;
	n = vsnprintf(buf, size, fmt, args);
	if (n < 0)
		return 0;
	return (size_t)n >= size ? (int)size - 1 : n;
}

/* seq_file: output goes to a caller-provided buffer. */
struct seq_file {
	char *buf;
	size_t size;
	size_t count;
};

__printf(2, 3) void seq_printf(struct seq_file *m, const char *fmt, ...);
void seq_putc(struct seq_file *m, char c);
void seq_puts(struct seq_file *m, const char *s);

/* NUMA (linux/topology.h, linux/nodemask.h): one node, node 0. */
#define MAX_NUMNODES		1
#define NUMA_NO_NODE		(-1)
#define nr_node_ids		1U
enum node_states { N_POSSIBLE, N_ONLINE, N_MEMORY, N_CPU };
static inline int numa_node_id(void) { return 0; }
static inline int node_distance(int from, int to) { return from == to ? 10 : 20; }
static inline bool node_state(int node, enum node_states state)
{
	(void)state;
	return node == 0;
}
#define node_possible(node)	node_state(node, N_POSSIBLE)
#define node_online(node)	node_state(node, N_ONLINE)
#define nr_cpus_node(node)	((void)(node), num_online_cpus())

#endif /* _HOST_KERNEL_H */
