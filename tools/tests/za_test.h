/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A tiny test harness for zonealloc's integration tests. A test is a
 * function returning 0 (pass) or the value of za_fail() (fail, with a
 * reason); za_run() prints "PASS: name" or "FAIL: name (reason)" and
 * za_summary() the closing "N passed, N failed" line of the binary.
 */
#ifndef _ZA_TEST_H
#define _ZA_TEST_H

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/zonealloc.h>

#define ZA_DEV "/dev/zonealloc"

static int za_passed, za_failed;
static char za_why[512];

static inline const char *za_errname(int err)
{
	const char *s;

	if (!err)
		return "0";
	s = strerrorname_np(err < 0 ? -err : err);
	return s ? s : "E?";
}

static inline int za_fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(za_why, sizeof(za_why), fmt, ap);
	va_end(ap);
	return -1;
}

/*
 * The check of an expected error: 0 if @ret, the result of a call that
 * returns 0 or -errno (za_ioc() and the za_raw*() helpers), is -@err; else
 * the value of za_fail() with the reason "<case>: <what it gave>, expected
 * <err>", @fmt and its arguments naming the case. Use as
 *	if (za_expect_err(za_rawfree(fd, h), ENOENT, "double free"))
 *		return -1;
 */
static inline int za_expect_err(int ret, int err, const char *fmt, ...)
{
	char what[256];
	va_list ap;

	if (ret == -err)
		return 0;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return za_fail("%s: %s, expected %s", what, za_errname(ret),
		       za_errname(err));
}

static inline void za_run(const char *name, int (*fn)(void))
{
	za_why[0] = '\0';
	if (fn() == 0) {
		za_passed++;
		printf("PASS: %s\n", name);
	} else {
		za_failed++;
		printf("FAIL: %s (%s)\n", name, za_why[0] ? za_why : "?");
	}
	fflush(stdout);
}

static inline void za_report(const char *name, int ok, const char *why)
{
	if (ok) {
		za_passed++;
		printf("PASS: %s\n", name);
	} else {
		za_failed++;
		printf("FAIL: %s (%s)\n", name, why);
	}
	fflush(stdout);
}

static inline int za_summary(const char *prog)
{
	printf("%s: %d passed, %d failed\n", prog, za_passed, za_failed);
	return za_failed ? 1 : 0;
}

/* xorshift64*: a small, replayable generator; seed the state with seed | 1. */
static inline unsigned long long za_rnd(unsigned long long *state)
{
	*state ^= *state >> 12;
	*state ^= *state << 25;
	*state ^= *state >> 27;
	return *state * 2685821657736338717ull;
}

/* A number in 0..n-1 (0 when n is 0). */
static inline unsigned int za_below(unsigned long long *state, unsigned int n)
{
	return n ? (unsigned int)(za_rnd(state) % n) : 0;
}

/*
 * Contents of mapped allocations, as 64-bit words (lengths are multiples
 * of 8): a constant word, or a pattern keyed per allocation whose word @i
 * differs from its neighbours' and from other keys'.
 */
static inline uint64_t za_pattern(uint64_t key, size_t i)
{
	uint64_t x = key ^ (i * 0x9e3779b97f4a7c15ull);

	x ^= x >> 29;
	return x * 0xbf58476d1ce4e5b9ull;
}

static inline void za_fill_words(void *p, size_t len, uint64_t v)
{
	uint64_t *w = p;
	size_t i;

	for (i = 0; i < len / 8; i++)
		w[i] = v;
}

static inline int za_check_words(const void *p, size_t len, uint64_t v,
				 const char *what)
{
	const uint64_t *w = p;
	size_t i;

	for (i = 0; i < len / 8; i++)
		if (w[i] != v)
			return za_fail("%s: word %zu reads %#llx, expected %#llx",
				       what, i, (unsigned long long)w[i],
				       (unsigned long long)v);
	return 0;
}

static inline void za_fill_pattern(void *p, size_t len, uint64_t key)
{
	uint64_t *w = p;
	size_t i;

	for (i = 0; i < len / 8; i++)
		w[i] = za_pattern(key, i);
}

static inline int za_check_pattern(const void *p, size_t len, uint64_t key,
				   const char *what)
{
	const uint64_t *w = p;
	size_t i;

	for (i = 0; i < len / 8; i++)
		if (w[i] != za_pattern(key, i))
			return za_fail("%s: word %zu reads %#llx, expected %#llx",
				       what, i, (unsigned long long)w[i],
				       (unsigned long long)za_pattern(key, i));
	return 0;
}

/*
 * Set the module's quota, user_quota_pages (or, on a module from before
 * the quota counted per user, file_quota_pages); 0 for no limit. Returns
 * 0 or -errno.
 */
static inline int za_set_quota(unsigned long pages)
{
	FILE *f = fopen("/sys/module/zonealloc/parameters/user_quota_pages", "w");

	if (!f)
		f = fopen("/sys/module/zonealloc/parameters/file_quota_pages", "w");
	if (!f)
		return -errno;
	fprintf(f, "%lu\n", pages);
	return fclose(f) ? -errno : 0;
}

/* An ioctl returning 0 or -errno. */
static inline int za_ioc(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) < 0 ? -errno : 0;
}

static inline int za_devopen(void)
{
	return open(ZA_DEV, O_RDWR | O_CLOEXEC);
}

static inline int za_rawalloc(int fd, unsigned int order, unsigned int flags,
			      struct zonealloc_alloc *a)
{
	memset(a, 0, sizeof(*a));
	a->order = order;
	a->flags = flags;
	return za_ioc(fd, ZONEALLOC_IOC_ALLOC, a);
}

static inline int za_rawfree(int fd, __u64 handle)
{
	struct zonealloc_free f = { .handle = handle };

	return za_ioc(fd, ZONEALLOC_IOC_FREE, &f);
}

static inline int za_rawinfo(int fd, struct zonealloc_info *info)
{
	memset(info, 0, sizeof(*info));
	info->size = sizeof(*info);
	return za_ioc(fd, ZONEALLOC_IOC_INFO, info);
}

static inline int za_rawdrain(int fd, int cpu)
{
	struct zonealloc_drain d = { .cpu = cpu };

	return za_ioc(fd, ZONEALLOC_IOC_DRAIN, &d);
}

/*
 * Drain every CPU's lists and read the pool figures; *@avail gets
 * free_pages + pcp_pages, *@pool pool_pages.
 */
static inline int za_settled_once(int fd, __u64 *avail, __u64 *pool)
{
	struct zonealloc_info info;
	int ret;

	ret = za_rawdrain(fd, -1);
	if (ret)
		return ret;
	ret = za_rawinfo(fd, &info);
	if (ret)
		return ret;
	*avail = info.free_pages + info.pcp_pages;
	if (pool)
		*pool = info.pool_pages;
	return 0;
}

/*
 * As za_settled_once(), but waits (up to 3 s) for *@avail to equal @want:
 * background compaction (kcompactd) holds isolated free pages for a
 * moment, off the free and per-CPU lists. @want of 0 means pool_pages.
 */
static inline int za_settle_to(int fd, __u64 want, __u64 *avail, __u64 *pool)
{
	__u64 p;
	int ret, i;

	for (i = 0; i < 300; i++) {
		ret = za_settled_once(fd, avail, &p);
		if (ret)
			return ret;
		if (pool)
			*pool = p;
		if (*avail == (want ? want : p))
			return 0;
		usleep(10000);
	}
	return 0;
}

/*
 * Run a check that compares figures read at different moments up to five
 * times: background compaction may move pages between two reads.
 */
static inline int za_retry(int (*fn)(void))
{
	int i, ret = -1;

	for (i = 0; i < 5 && ret; i++) {
		if (i)
			usleep(50000);
		ret = fn();
	}
	return ret;
}

/* The pool figures once every page is back (or 3 s have passed). */
static inline int za_settled(int fd, __u64 *avail, __u64 *pool)
{
	return za_settle_to(fd, 0, avail, pool);
}

/*
 * Free blocks per order in a buddyinfo file (zonealloc's debugfs one or
 * /proc/buddyinfo: the same layout), every zone added up, into
 * nr[0..ZONEALLOC_MAX_ORDER]. Returns 0, or -errno if it cannot be read.
 */
static inline int za_buddyinfo_at(const char *path, unsigned long long *nr)
{
	char line[512], *p, *end;
	unsigned long long v;
	FILE *f = fopen(path, "r");
	int o;

	memset(nr, 0, (ZONEALLOC_MAX_ORDER + 1) * sizeof(*nr));
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		p = strstr(line, "zone");
		if (!p)
			continue;
		p += 4;
		while (*p == ' ')
			p++;
		p += strcspn(p, " ");
		for (o = 0; o <= ZONEALLOC_MAX_ORDER; o++) {
			v = strtoull(p, &end, 10);
			if (end == p)
				break;
			nr[o] += v;
			p = end;
		}
	}
	fclose(f);
	return 0;
}

static inline int za_buddyinfo(unsigned long long *nr)
{
	return za_buddyinfo_at("/sys/kernel/debug/zonealloc/buddyinfo", nr);
}

#endif /* _ZA_TEST_H */
