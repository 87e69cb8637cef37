// SPDX-License-Identifier: GPL-2.0
/*
 * Elastic pool tests, run by itest-vm.sh with the module loaded with a
 * large pool_mb (600 in a 1 GiB VM) and every other parameter at its
 * default: GROW/SHRINK argument checks; a shrink and a grow move exactly
 * their memory between the pool and the kernel (MemFree plus the per-CPU
 * counts of /proc/zoneinfo, within 1 MiB); a process that needs more
 * anonymous memory than is left outside the pool gets it without an OOM
 * kill, because the pool gives back its free chunks, while the pool's own
 * allocations keep their contents; afterwards the pool grows again when
 * allocations need it. Prints the figures as "elastic: ..." lines.
 */

#include "za_test.h"

#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>

#define MIB		(1024ULL * 1024)
#define HELD_BLOCKS	8	/* order-9 blocks held through the pressure */

static long page_size;

/* MemFree plus the kernel's per-CPU page counts, in bytes. */
static long long kernel_free(void)
{
	char line[256];
	long long free_kb = -1, pcp = 0, v;
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "MemFree: %lld kB", &v) == 1)
			free_kb = v;
	fclose(f);
	f = fopen("/proc/zoneinfo", "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, " count: %lld", &v) == 1)
			pcp += v;
	fclose(f);
	return free_kb < 0 ? -1 : free_kb * 1024 + pcp * page_size;
}

static int resize(int fd, unsigned long cmd, unsigned long long size,
		  struct zonealloc_resize *r)
{
	memset(r, 0, sizeof(*r));
	r->size = size;
	r->zone = ZONEALLOC_ZONE_ALL;
	return za_ioc(fd, cmd, r);
}

static unsigned long long pool_bytes(int fd)
{
	struct zonealloc_info info;

	return za_rawinfo(fd, &info) ? 0 : info.pool_pages * page_size;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int t_errors(void)
{
	struct zonealloc_resize r;
	int fd = za_devopen(), ret = -1;
	pid_t pid;
	int status;

	if (fd < 0)
		return za_fail("open: %s", strerror(errno));
	memset(&r, 0, sizeof(r));
	r.zone = ZONEALLOC_ZONE_ALL;
	if (za_expect_err(za_ioc(fd, ZONEALLOC_IOC_GROW, &r), EINVAL, "size 0"))
		goto out;
	r.size = MIB;
	r.flags = 1;
	if (za_expect_err(za_ioc(fd, ZONEALLOC_IOC_GROW, &r), EINVAL, "flags"))
		goto out;
	r.flags = ZONEALLOC_SHRINK_EVACUATE;
	if (za_expect_err(za_ioc(fd, ZONEALLOC_IOC_GROW, &r), EINVAL,
			  "EVACUATE on GROW"))
		goto out;
	r.flags = 0;
	r.moved_pages = 1;
	if (za_expect_err(za_ioc(fd, ZONEALLOC_IOC_SHRINK, &r), EINVAL,
			  "moved_pages in"))
		goto out;
	r.moved_pages = 0;
	r.zone = ZONEALLOC_NR_ZONES;
	if (za_expect_err(za_ioc(fd, ZONEALLOC_IOC_GROW, &r), EINVAL,
			  "zone out of range"))
		goto out;
	r.zone = 0;
	if (za_expect_err(za_ioc(fd, ZONEALLOC_IOC_SHRINK, &r), EINVAL,
			  "shrink of one zone"))
		goto out;
	r.zone = ZONEALLOC_ZONE_ALL;
	r.size = (1ULL << 40) + 1;
	if (za_expect_err(za_ioc(fd, ZONEALLOC_IOC_GROW, &r), EINVAL,
			  "size over 2^40"))
		goto out;
	/* The pool is at max_mb (its default: pool_mb): nothing to add. */
	if (za_expect_err(resize(fd, ZONEALLOC_IOC_GROW, MIB, &r), ENOSPC,
			  "grow at max_mb"))
		goto out;

	pid = fork();
	if (pid == 0) {
		if (setgid(65534) || setuid(65534))
			_exit(2);
		_exit(resize(fd, ZONEALLOC_IOC_SHRINK, MIB, &r) == -EPERM &&
		      resize(fd, ZONEALLOC_IOC_GROW, MIB, &r) == -EPERM ? 0 : 1);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid ||
	    !WIFEXITED(status) || WEXITSTATUS(status)) {
		za_fail("unprivileged GROW/SHRINK not refused with EPERM");
		goto out;
	}
	ret = 0;
out:
	close(fd);
	return ret;
}

/* Within 1 MiB: what left the pool arrived in the kernel, and back. */
static int t_accounting_once(void)
{
	struct zonealloc_resize r;
	unsigned long long pool0, want = 16 * MIB;
	long long k0, k1, k2;
	double t0, t1;
	int fd = za_devopen(), ret = -1;

	if (fd < 0)
		return za_fail("open: %s", strerror(errno));
	pool0 = pool_bytes(fd);
	k0 = kernel_free();
	if (resize(fd, ZONEALLOC_IOC_SHRINK, want, &r) || r.done != want ||
	    r.pool_size != pool0 - want || pool_bytes(fd) != pool0 - want) {
		za_fail("shrink by %llu: done %llu, pool %llu -> %llu",
			want, r.done, pool0, r.pool_size);
		goto out;
	}
	k1 = kernel_free();
	t0 = now();
	if (resize(fd, ZONEALLOC_IOC_GROW, want, &r) || r.done != want ||
	    r.pool_size != pool0) {
		za_fail("grow by %llu: done %llu, pool %llu", want, r.done,
			r.pool_size);
		goto out;
	}
	t1 = now();
	k2 = kernel_free();
	if (llabs(k1 - k0 - (long long)want) > (long long)MIB ||
	    llabs(k2 - k0) > (long long)MIB) {
		za_fail("kernel free %lld: shrink %+lld, grow %+lld (want +%llu, 0, +-1 MiB)",
			k0, k1 - k0, k2 - k0, want);
		goto out;
	}
	printf("elastic: grow %.1f ms per %llu MiB chunk (%llu MiB in %.1f ms)\n",
	       (t1 - t0) * 1e3 * r.chunk_size / want, r.chunk_size / MIB,
	       want / MIB, (t1 - t0) * 1e3);
	printf("elastic: kernel free %+lld KiB after the shrink, %+lld KiB after the grow\n",
	       (k1 - k0) / 1024, (k2 - k0) / 1024);
	ret = 0;
out:
	close(fd);
	return ret;
}

static int t_accounting(void)
{
	return za_retry(t_accounting_once);
}

static int held_fd = -1;
static struct zonealloc_alloc held[HELD_BLOCKS];
static void *held_map[HELD_BLOCKS];
static unsigned long long pool_before_pressure, pool_after_pressure;

/* Allocate a little from the pool, map it and fill it with a pattern. */
static int hold_some(void)
{
	size_t len = (size_t)page_size << 9;
	int i;

	held_fd = za_devopen();
	if (held_fd < 0)
		return za_fail("open: %s", strerror(errno));
	for (i = 0; i < HELD_BLOCKS; i++) {
		if (za_rawalloc(held_fd, 9, 0, &held[i]))
			return za_fail("order-9 allocation %d", i);
		held_map[i] = mmap(NULL, len, PROT_READ | PROT_WRITE,
				   MAP_SHARED, held_fd,
				   held[i].handle * page_size);
		if (held_map[i] == MAP_FAILED)
			return za_fail("mmap: %s", strerror(errno));
		za_fill_pattern(held_map[i], len, held[i].handle);
	}
	return 0;
}

/* A child takes more anonymous memory than the kernel has outside the pool. */
static int t_pressure(void)
{
	long long outside = kernel_free();
	unsigned long long need;
	pid_t pid;
	int status, i;

	if (hold_some())
		return -1;
	pool_before_pressure = pool_bytes(held_fd);
	if (outside < 0)
		return za_fail("cannot read /proc/meminfo");
	need = outside + 128 * MIB;
	pid = fork();
	if (pid == 0) {
		char *p = mmap(NULL, need, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		unsigned long long off;

		if (p == MAP_FAILED)
			_exit(2);
		for (off = 0; off < need; off += page_size)
			p[off] = 1;
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return za_fail("fork/wait: %s", strerror(errno));
	if (WIFSIGNALED(status))
		return za_fail("the child taking %llu MiB died of signal %d (OOM kill?)",
			       need / MIB, WTERMSIG(status));
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		return za_fail("the child taking %llu MiB exited with %d",
			       need / MIB, WEXITSTATUS(status));
	pool_after_pressure = pool_bytes(held_fd);
	if (pool_after_pressure >= pool_before_pressure)
		return za_fail("the pool did not shrink: %llu MiB before and after",
			       pool_before_pressure / MIB);
	for (i = 0; i < HELD_BLOCKS; i++)
		if (za_check_pattern(held_map[i], (size_t)page_size << 9,
				     held[i].handle, "held block"))
			return -1;
	printf("elastic: a child took %llu MiB, %lld MiB were free outside the pool\n",
	       need / MIB, outside / (long long)MIB);
	printf("elastic: the pool gave back %llu MiB (%llu -> %llu MiB)\n",
	       (pool_before_pressure - pool_after_pressure) / MIB,
	       pool_before_pressure / MIB, pool_after_pressure / MIB);
	return 0;
}

/* Allocations beyond the shrunken pool succeed once the worker grows it. */
static int t_regrow(void)
{
	unsigned long long held_bytes = 0, goal;
	size_t cap = 4096, n = 0;
	__u64 *handles = calloc(cap, sizeof(*handles));
	double t0 = now();
	int fd = za_devopen(), ret = -1;

	if (!pool_after_pressure)
		return za_fail("no pressure figures (the pressure test failed)");
	if (fd < 0 || !handles)
		return za_fail("open/calloc: %s", strerror(errno));
	/* With the held blocks, more than the shrunken pool holds. */
	goal = pool_after_pressure;
	while (held_bytes < goal && now() - t0 < 60) {
		struct zonealloc_alloc a;

		if (n == cap) {
			za_fail("more than %zu blocks", cap);
			goto out;
		}
		if (za_rawalloc(fd, 9, ZONEALLOC_GFP_NOWARN, &a)) {
			usleep(20000);	/* the grow worker runs */
			continue;
		}
		handles[n++] = a.handle;
		held_bytes += (unsigned long long)page_size << 9;
	}
	if (held_bytes < goal) {
		za_fail("held %llu MiB after 60 s, pool %llu MiB (was %llu)",
			held_bytes / MIB, pool_bytes(fd) / MIB,
			pool_after_pressure / MIB);
		goto out;
	}
	printf("elastic: the pool grew back from %llu to %llu MiB in %.1f s of allocations\n",
	       pool_after_pressure / MIB, pool_bytes(fd) / MIB, now() - t0);
	ret = 0;
out:
	while (n)
		za_rawfree(fd, handles[--n]);
	free(handles);
	close(fd);
	return ret;
}

#define EVAC_MAX	1024

/*
 * Half-used chunks: movable order-9 blocks in pairs (each pair splits one
 * largest block), every second one freed. SHRINK without EVACUATE leaves
 * them; with it, chunks are emptied into the free halves of others and
 * given back, and every remaining block keeps its contents through its
 * mapping.
 */
static int t_evacuate(void)
{
	size_t len = (size_t)page_size << 9;
	static struct zonealloc_alloc a[EVAC_MAX];
	static void *map[EVAC_MAX];
	struct zonealloc_resize r;
	unsigned long long pool0, pool1;
	int fd = za_devopen(), ret = -1, n = 0, i;

	if (fd < 0)
		return za_fail("open: %s", strerror(errno));
	while (n < EVAC_MAX &&
	       !za_rawalloc(fd, 9, ZONEALLOC_GFP_MOVABLE | ZONEALLOC_GFP_NOWARN,
			    &a[n])) {
		map[n] = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED,
			      fd, a[n].handle * page_size);
		if (map[n] == MAP_FAILED) {
			za_fail("mmap: %s", strerror(errno));
			goto out;
		}
		za_fill_pattern(map[n], len, a[n].handle);
		n++;
	}
	if (n < 8) {
		za_fail("only %d movable order-9 blocks", n);
		goto out;
	}
	for (i = 1; i < n; i += 2) {
		munmap(map[i], len);
		map[i] = NULL;
		if (za_rawfree(fd, a[i].handle)) {
			za_fail("free of block %d", i);
			goto out;
		}
	}
	/* Free chunks (the worker may have grown some) go first. */
	if (resize(fd, ZONEALLOC_IOC_SHRINK, 1ULL << 40, &r) || r.moved_pages) {
		za_fail("shrink without EVACUATE moved %llu pages",
			r.moved_pages);
		goto out;
	}
	pool0 = r.pool_size;
	memset(&r, 0, sizeof(r));
	r.size = 1ULL << 40;
	r.zone = ZONEALLOC_ZONE_ALL;
	r.flags = ZONEALLOC_SHRINK_EVACUATE;
	if (za_ioc(fd, ZONEALLOC_IOC_SHRINK, &r) || !r.done ||
	    !r.moved_pages) {
		za_fail("EVACUATE gave back %llu bytes, moved %llu pages (pool %llu MiB)",
			r.done, r.moved_pages, pool0 / MIB);
		goto out;
	}
	pool1 = r.pool_size;
	for (i = 0; i < n; i += 2)
		if (za_check_pattern(map[i], len, a[i].handle,
				     "block after evacuation"))
			goto out;
	printf("elastic: evacuation gave back %llu chunks (%llu -> %llu MiB)\n",
	       r.done / r.chunk_size, pool0 / MIB, pool1 / MIB);
	printf("elastic: evacuation moved %llu pages, %llu per chunk\n",
	       r.moved_pages, r.moved_pages / (r.done / r.chunk_size));
	ret = 0;
out:
	for (i = 0; i < n; i++)
		if (map[i])
			munmap(map[i], len);
	close(fd);
	return ret;
}

int main(void)
{
	page_size = sysconf(_SC_PAGESIZE);
	za_run("elastic-ioctl-errors", t_errors);
	za_run("elastic-shrink-grow-accounting", t_accounting);
	za_run("elastic-pressure-no-oom", t_pressure);
	za_run("elastic-regrow", t_regrow);
	za_run("elastic-evacuate", t_evacuate);
	return za_summary("za_elastic_test");
}
