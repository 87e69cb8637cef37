// SPDX-License-Identifier: GPL-2.0
/*
 * The out-of-line part of the host stubs (include/host_kernel.h): the
 * simulated CPU, lock and sleep checks, warnings, the memmap, allocation
 * failure injection, CPU hotplug and module parameters.
 */

#include <host_kernel.h>

#include "harness.h"

unsigned long host_warnings;
int host_nr_cpus = 4;
int host_cpu;
int host_preempt_count;
int host_locks_held;
int host_need_resched;
int host_fatal_signal;
int host_verbose;
long host_kmalloc_fail_in;
long host_module_refs;
struct module host_this_module;
struct page *host_memmap;
unsigned long host_memmap_pfns;
int (*host_cpuhp_teardown)(unsigned int cpu, struct hlist_node *node);
void (*host_schedule_hook)(void *arg);
void *host_schedule_hook_arg;
unsigned long host_schedules;

void host_warn(const char *file, int line, const char *what)
{
	host_warnings++;
	ht_fail("%s:%d: %s", file, line, what);
}

void host_lock_fail(spinlock_t *lock, const char *what, const char *file,
		    int line)
{
	host_warnings++;
	ht_fail("%s:%d: %s (lock last taken at %s:%d)", file, line, what,
		lock->file ? lock->file : "-", lock->line);
}

void host_check_cpu(int cpu, const char *file, int line)
{
	if (cpu < 0 || cpu >= host_nr_cpus) {
		host_warnings++;
		ht_fail("%s:%d: cpu %d out of range (%d CPUs)", file, line, cpu,
			host_nr_cpus);
		abort();
	}
}

void host_might_sleep(const char *file, int line)
{
	if (host_locks_held || host_preempt_count) {
		host_warnings++;
		ht_fail("%s:%d: sleeping function called with %d locks held, preempt count %d",
			file, line, host_locks_held, host_preempt_count);
	}
}

void host_schedule_timeout(long timeout)
{
	(void)timeout;
	host_might_sleep(__FILE__, __LINE__);
	host_schedules++;
	if (host_schedule_hook) {
		host_schedule_hook(host_schedule_hook_arg);
	} else if (host_schedules > 1000000) {
		ht_fail("schedule_timeout: nobody frees memory, the caller would wait forever");
		abort();
	}
}

void *host_alloc_percpu(size_t size)
{
	return host_kmalloc(host_nr_cpus, size, true);
}

void *host_kmalloc(size_t n, size_t size, bool zero)
{
	if (host_kmalloc_fail_in > 0 && --host_kmalloc_fail_in == 0)
		return NULL;
	if (size && n > SIZE_MAX / size)
		return NULL;
	if (zero)
		return calloc(n ? n : 1, size ? size : 1);
	return malloc(n && size ? n * size : 1);
}

void *host_krealloc_array(void *p, size_t n, size_t size)
{
	if (host_kmalloc_fail_in > 0 && --host_kmalloc_fail_in == 0)
		return NULL;
	if (size && n > SIZE_MAX / size)
		return NULL;
	return realloc(p, n * size);
}

struct page *host_pfn_to_page(unsigned long pfn, const char *file, int line)
{
	if (pfn >= host_memmap_pfns) {
		host_warnings++;
		ht_fail("%s:%d: pfn_to_page(%#lx) outside the memmap (%#lx pfns)",
			file, line, pfn, host_memmap_pfns);
		abort();
	}
	return &host_memmap[pfn];
}

int host_memmap_init(unsigned long pfns)
{
	free(host_memmap);
	host_memmap = calloc(pfns, sizeof(*host_memmap));
	host_memmap_pfns = host_memmap ? pfns : 0;
	return host_memmap ? 0 : -ENOMEM;
}

static struct task_struct host_kthread;
static int (*host_kthread_fn)(void *data);
static void *host_kthread_data;
static int host_kthread_budget;
int host_kthread_stop;

struct task_struct *host_kthread_create(int (*fn)(void *), void *data)
{
	if (host_kthread_fn)
		return ERR_PTR(-EBUSY);	/* one thread at a time */
	host_kthread_fn = fn;
	host_kthread_data = data;
	return &host_kthread;
}

/* Each wait of the thread uses one of its turns; then it must stop. */
void host_kthread_wait(void)
{
	host_might_sleep(__FILE__, __LINE__);
	if (--host_kthread_budget < 0)
		host_kthread_stop = 1;
}

/* Run the thread's function for @budget waits and what follows each. */
void host_kthread_run(int budget)
{
	if (!host_kthread_fn)
		return;
	host_kthread_budget = budget;
	host_kthread_stop = 0;
	host_kthread_fn(host_kthread_data);
	host_kthread_stop = 0;
}

void host_kthread_forget(void)
{
	host_kthread_fn = NULL;
	host_kthread_data = NULL;
}

#define HOST_MAX_CPUHP 16
static struct hlist_node *host_cpuhp_nodes[HOST_MAX_CPUHP];

int host_cpuhp_setup(int (*teardown)(unsigned int cpu, struct hlist_node *node))
{
	host_cpuhp_teardown = teardown;
	return CPUHP_BP_PREPARE_DYN + 1;
}

int host_cpuhp_add(struct hlist_node *node)
{
	int i;

	for (i = 0; i < HOST_MAX_CPUHP; i++) {
		if (!host_cpuhp_nodes[i]) {
			host_cpuhp_nodes[i] = node;
			return 0;
		}
	}
	return -ENOSPC;
}

void host_cpuhp_remove(struct hlist_node *node)
{
	int i;

	for (i = 0; i < HOST_MAX_CPUHP; i++)
		if (host_cpuhp_nodes[i] == node)
			host_cpuhp_nodes[i] = NULL;
}

/* What the kernel does when @cpu dies: every instance's dead callback. */
void host_cpu_dead(unsigned int cpu)
{
	int i;

	for (i = 0; i < HOST_MAX_CPUHP; i++)
		if (host_cpuhp_nodes[i] && host_cpuhp_teardown)
			host_cpuhp_teardown(cpu, host_cpuhp_nodes[i]);
}

int param_set_uint_minmax(const char *val, const struct kernel_param *kp,
			  unsigned int min, unsigned int max)
{
	unsigned long v;
	char *end;

	if (!val || !*val)
		return -EINVAL;
	errno = 0;
	v = strtoul(val, &end, 0);
	if (errno || (*end && *end != '\n') || v > UINT_MAX || v < min ||
	    v > max || *val == '-')
		return -EINVAL;
	*(unsigned int *)kp->arg = v;
	return 0;
}

int param_get_uint(char *buffer, const struct kernel_param *kp)
{
	return sprintf(buffer, "%u\n", *(unsigned int *)kp->arg);
}

void seq_printf(struct seq_file *m, const char *fmt, ...)
{
	va_list args;
	int n;

	if (m->count >= m->size)
		return;
	va_start(args, fmt);
	n = vsnprintf(m->buf + m->count, m->size - m->count, fmt, args);
	va_end(args);
	if (n > 0)
		m->count = min(m->size, m->count + n);
}

void seq_putc(struct seq_file *m, char c)
{
	if (m->count + 1 < m->size) {
		m->buf[m->count++] = c;
		m->buf[m->count] = '\0';
	}
}

void seq_puts(struct seq_file *m, const char *s)
{
	seq_printf(m, "%s", s);
}
