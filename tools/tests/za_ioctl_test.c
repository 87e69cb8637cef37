// SPDX-License-Identifier: GPL-2.0
/*
 * Integration tests of /dev/zonealloc's ioctls and mmap: every ioctl's
 * success and error cases, mapped content, ownership between open files,
 * cleanup on close and on SIGKILL, the per-user quota and the privilege
 * rules (physical addresses; reserves, COMPACT and DRAIN need
 * CAP_SYS_ADMIN). Run as root in a VM with the module loaded.
 *
 * Each test gets a fresh open file (fd); after it, every file is closed and
 * the pool's free + per-CPU pages must be back at their starting figure.
 */

#include "za_test.h"

#include <grp.h>
#include <setjmp.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <linux/capability.h>

#define QUOTA_PARAM "/sys/module/zonealloc/parameters/user_quota_pages"
#define QUOTA_PARAM_OLD "/sys/module/zonealloc/parameters/file_quota_pages"
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static size_t page_size;
static __u64 start_avail;
static int fd = -1, fd2 = -1;
static void *map_addr;
static size_t map_len;
static int quota_set;

static const char *en(int err)
{
	return za_errname(err);
}

static int file_figures(int f, __u64 *pages, __u64 *allocs)
{
	struct zonealloc_info info;
	int ret = za_rawinfo(f, &info);

	if (ret)
		return ret;
	*pages = info.file_pages;
	if (allocs)
		*allocs = info.file_allocations;
	return 0;
}

/* After calls that must fail: the file holds no page. */
static int nothing_left(int fd, const char *what)
{
	__u64 pages;
	int ret = file_figures(fd, &pages, NULL);

	if (ret || pages)
		return za_fail("%s left %llu pages on the file (%s)", what,
			       (unsigned long long)pages, en(ret));
	return 0;
}

static int write_quota(unsigned long pages)
{
	int ret = za_set_quota(pages);

	if (!ret)
		quota_set = pages != 0;
	return ret;
}

static int map_handle(int f, __u64 handle, size_t len, int flags, void **p)
{
	*p = mmap(NULL, len, PROT_READ | PROT_WRITE, flags, f,
		  (off_t)(handle * page_size));
	return *p == MAP_FAILED ? -errno : 0;
}

static int settled(__u64 *avail)
{
	int f = za_devopen(), ret;

	if (f < 0)
		return -errno;
	ret = za_settled(f, avail, NULL);
	close(f);
	return ret;
}

static void run(const char *name, int (*fn)(void))
{
	__u64 avail = 0;
	int ret;

	za_why[0] = '\0';
	fd = za_devopen();
	if (fd < 0) {
		snprintf(za_why, sizeof(za_why), "open %s: %s", ZA_DEV,
			 en(errno));
		za_report(name, 0, za_why);
		return;
	}
	ret = fn();
	if (map_addr)
		munmap(map_addr, map_len);
	map_addr = NULL;
	close(fd);
	if (fd2 >= 0)
		close(fd2);
	fd = -1;
	fd2 = -1;
	if (quota_set)
		write_quota(0);
	if (!ret) {
		ret = settled(&avail);
		if (ret)
			za_fail("after the test: DRAIN/INFO: %s", en(ret));
		else if (avail != start_avail)
			ret = za_fail("after close: free+pcp %llu, expected %llu (pages leaked)",
				      (unsigned long long)avail,
				      (unsigned long long)start_avail);
	}
	za_report(name, !ret, za_why);
}

/* ---------------------------------------------------------------- ALLOC */

static int t_alloc_basic(void)
{
	struct zonealloc_alloc a;
	__u64 pages, allocs;
	int ret;

	ret = za_rawalloc(fd, 0, 0, &a);
	if (ret)
		return za_fail("order 0: %s", en(ret));
	if (!a.handle)
		return za_fail("handle 0");
	if (a.zone > ZONEALLOC_ZONE_NORMAL)
		return za_fail("flags 0 gave zone %u, above Normal", a.zone);
	if (a.migratetype != ZONEALLOC_MIGRATE_UNMOVABLE)
		return za_fail("migratetype %u", a.migratetype);
	if (a.reserved0 || a.reserved)
		return za_fail("reserved fields not zero on output");
	if (!a.node)
		return za_fail("no node reported");
	ret = file_figures(fd, &pages, &allocs);
	if (ret || pages != 1 || allocs != 1)
		return za_fail("INFO after alloc: %s file_pages %llu file_allocations %llu",
			       en(ret), (unsigned long long)pages,
			       (unsigned long long)allocs);
	ret = za_rawfree(fd, a.handle);
	if (ret)
		return za_fail("free: %s", en(ret));
	ret = file_figures(fd, &pages, &allocs);
	if (ret || pages || allocs)
		return za_fail("INFO after free: %s file_pages %llu file_allocations %llu",
			       en(ret), (unsigned long long)pages,
			       (unsigned long long)allocs);
	return 0;
}

static int t_alloc_every_order(void)
{
	struct zonealloc_alloc a;
	unsigned int order;
	__u64 pages;
	int ret;

	for (order = 0; order <= ZONEALLOC_MAX_ORDER; order++) {
		ret = za_rawalloc(fd, order, 0, &a);
		if (ret)
			return za_fail("order %u: %s", order, en(ret));
		ret = file_figures(fd, &pages, NULL);
		if (ret || pages != (1ull << order))
			return za_fail("order %u: file_pages %llu", order,
				       (unsigned long long)pages);
		ret = za_rawfree(fd, a.handle);
		if (ret)
			return za_fail("free order %u: %s", order, en(ret));
	}
	return 0;
}

static int t_alloc_bad_order(void)
{
	static const unsigned int orders[] = { 11, 12, 31, 32, 0x80000000u,
					       0xffffffffu };
	struct zonealloc_alloc a;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(orders); i++) {
		if (za_expect_err(za_rawalloc(fd, orders[i], 0, &a), EINVAL,
				  "order %u", orders[i]))
			return -1;
	}
	return 0;
}

static int t_alloc_unknown_flags(void)
{
	struct zonealloc_alloc a;
	unsigned int bit;

	for (bit = 13; bit < 32; bit++) {
		/* The cache modes are valid alone (za_dmabuf_test). */
		if ((1u << bit) & ZONEALLOC_MAP_MASK)
			continue;
		if (za_expect_err(za_rawalloc(fd, 0, 1u << bit, &a), EINVAL,
				  "flag bit %u", bit))
			return -1;
	}
	if (za_expect_err(za_rawalloc(fd, 0, ~ZONEALLOC_GFP_ALL, &a), EINVAL,
			  "flags %#x", ~ZONEALLOC_GFP_ALL))
		return -1;
	return 0;
}

/* The highest zone of each zone-bit combination, -1 where it is bad. */
static const int zone_table[16] = {
	[0] = ZONEALLOC_ZONE_NORMAL,
	[0x1] = ZONEALLOC_ZONE_DMA,		/* DMA */
	[0x2] = ZONEALLOC_ZONE_HIGHMEM,		/* HIGHMEM */
	[0x3] = -1,				/* DMA|HIGHMEM */
	[0x4] = ZONEALLOC_ZONE_DMA32,		/* DMA32 */
	[0x5] = -1,				/* DMA32|DMA */
	[0x6] = -1,				/* DMA32|HIGHMEM */
	[0x7] = -1,				/* DMA32|HIGHMEM|DMA */
	[0x8] = ZONEALLOC_ZONE_NORMAL,		/* MOVABLE */
	[0x9] = ZONEALLOC_ZONE_DMA,		/* MOVABLE|DMA */
	[0xa] = ZONEALLOC_ZONE_MOVABLE,		/* MOVABLE|HIGHMEM */
	[0xb] = -1,				/* MOVABLE|HIGHMEM|DMA */
	[0xc] = ZONEALLOC_ZONE_DMA32,		/* MOVABLE|DMA32 */
	[0xd] = -1,				/* MOVABLE|DMA32|DMA */
	[0xe] = -1,				/* MOVABLE|DMA32|HIGHMEM */
	[0xf] = -1,				/* all four */
};

static int t_alloc_zone_combinations(void)
{
	struct zonealloc_alloc a;
	unsigned int z;
	int ret;

	for (z = 0; z < 16; z++) {
		ret = za_rawalloc(fd, 0, z | ZONEALLOC_GFP_NOWARN, &a);
		if (zone_table[z] < 0) {
			if (za_expect_err(ret, EINVAL, "zone bits %#x", z))
				return -1;
			continue;
		}
		/* A valid request may find all of its zones empty. */
		if (ret == -ENOMEM)
			continue;
		if (ret)
			return za_fail("zone bits %#x: %s", z, en(ret));
		if ((int)a.zone > zone_table[z])
			return za_fail("zone bits %#x gave zone %u, above %d",
				       z, a.zone, zone_table[z]);
		ret = za_rawfree(fd, a.handle);
		if (ret)
			return za_fail("free: %s", en(ret));
	}
	return 0;
}

static int t_alloc_bad_combinations(void)
{
	static const unsigned int bad[] = {
		ZONEALLOC_GFP_MOVABLE | ZONEALLOC_GFP_RECLAIMABLE,
		ZONEALLOC_GFP_NOFAIL,
		ZONEALLOC_GFP_NOFAIL | ZONEALLOC_GFP_ATOMIC,
		ZONEALLOC_GFP_NOFAIL | ZONEALLOC_GFP_MOVABLE,
		ZONEALLOC_GFP_ALL,
	};
	struct zonealloc_alloc a;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		if (za_expect_err(za_rawalloc(fd, 0, bad[i], &a), EINVAL,
				  "flags %#x", bad[i]))
			return -1;
	}
	return 0;
}

static int t_alloc_reserved(void)
{
	struct zonealloc_alloc a;
	int i;

	/* Two reserved fields, and a node no kernel can have. */
	for (i = 0; i < 3; i++) {
		memset(&a, 0, sizeof(a));
		if (i == 0)
			a.reserved0 = 1u << 31;
		else if (i == 1)
			a.reserved = 1ull << 40;
		else
			a.node = ZONEALLOC_NODE(1u << 20);
		if (za_expect_err(za_ioc(fd, ZONEALLOC_IOC_ALLOC, &a), EINVAL,
				  "reserved field or node %d set", i))
			return -1;
	}
	return nothing_left(fd, "failed allocations");
}

static int t_alloc_migratetype(void)
{
	static const struct {
		unsigned int flags, mt;
	} cases[] = {
		{ 0, ZONEALLOC_MIGRATE_UNMOVABLE },
		{ ZONEALLOC_GFP_MOVABLE, ZONEALLOC_MIGRATE_MOVABLE },
		{ ZONEALLOC_GFP_MOVABLE | ZONEALLOC_GFP_HIGHMEM,
		  ZONEALLOC_MIGRATE_MOVABLE },
		{ ZONEALLOC_GFP_RECLAIMABLE, ZONEALLOC_MIGRATE_RECLAIMABLE },
		{ ZONEALLOC_GFP_ZERO | ZONEALLOC_GFP_DMA32,
		  ZONEALLOC_MIGRATE_UNMOVABLE },
	};
	struct zonealloc_alloc a;
	unsigned int i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		ret = za_rawalloc(fd, 1, cases[i].flags, &a);
		if (ret == -ENOMEM)
			continue;
		if (ret || a.migratetype != cases[i].mt)
			return za_fail("flags %#x: %s migratetype %u, expected %u",
				       cases[i].flags, en(ret), a.migratetype,
				       cases[i].mt);
	}
	return 0;
}

static int t_alloc_unique_handles(void)
{
	enum { N = 256 };
	struct zonealloc_alloc a;
	static __u64 h[N];
	int ret, i, j;

	for (i = 0; i < N; i++) {
		ret = za_rawalloc(fd, i % 3, 0, &a);
		if (ret)
			return za_fail("alloc %d: %s", i, en(ret));
		h[i] = a.handle;
		if (!h[i])
			return za_fail("handle 0");
		for (j = 0; j < i; j++)
			if (h[j] == h[i])
				return za_fail("handle %llu returned twice",
					       (unsigned long long)h[i]);
	}
	for (i = 0; i < N; i += 2) {
		ret = za_rawfree(fd, h[i]);
		if (ret)
			return za_fail("free %d: %s", i, en(ret));
	}
	for (i = 0; i < N; i += 2) {
		ret = za_rawalloc(fd, 0, 0, &a);
		if (ret)
			return za_fail("realloc %d: %s", i, en(ret));
		for (j = 1; j < N; j += 2)
			if (h[j] == a.handle)
				return za_fail("live handle %llu issued again",
					       (unsigned long long)a.handle);
	}
	return 0;
}

/* Allocate until the pool says -ENOMEM; closing the file gives all back. */
static int t_alloc_enomem(void)
{
	unsigned int order = ZONEALLOC_MAX_ORDER;
	struct zonealloc_alloc a;
	unsigned long n = 0;
	__u64 pages = 0, fp;
	int ret;

	for (;;) {
		ret = za_rawalloc(fd, order, ZONEALLOC_GFP_NOWARN, &a);
		if (ret == -ENOMEM) {
			if (!order)
				break;
			order--;
			continue;
		}
		if (ret)
			return za_fail("order %u after %lu allocations: %s",
				       order, n, en(ret));
		n++;
		pages += 1ull << order;
		if (pages > start_avail)
			return za_fail("allocated %llu pages, pool has %llu",
				       (unsigned long long)pages,
				       (unsigned long long)start_avail);
	}
	ret = file_figures(fd, &fp, NULL);
	if (ret || fp != pages)
		return za_fail("file_pages %llu, allocated %llu",
			       (unsigned long long)fp,
			       (unsigned long long)pages);
	ret = za_rawalloc(fd, 0, ZONEALLOC_GFP_NOWARN | ZONEALLOC_GFP_HIGH |
			  ZONEALLOC_GFP_ATOMIC, &a);
	if (ret && ret != -ENOMEM)
		return za_fail("atomic alloc on an exhausted pool: %s",
			       en(ret));
	if (pages < start_avail / 2)
		return za_fail("-ENOMEM after only %llu of %llu pages",
			       (unsigned long long)pages,
			       (unsigned long long)start_avail);
	return 0;
}

/* Exit status of a child that became nobody: 0, or what went wrong. */
static int child_status(pid_t pid);

static int become_nobody(void)
{
	if (setgroups(0, NULL) || setgid(65534) || setuid(65534))
		return -1;
	return geteuid() ? 0 : -1;
}

/* INFO of @f at @size bytes into @info, with 0x5a in the bytes after @size. */
static int info_at(int f, __u32 size, struct zonealloc_info *info)
{
	memset(info, 0x5a, sizeof(*info));
	memset(info, 0, size);
	info->size = size;
	return za_ioc(f, ZONEALLOC_IOC_INFO, info);
}

/*
 * INFO's user_pages (VER1) sums the allocations of all open files of the
 * user, and a caller built for VER0 gets nothing past VER0's bytes.
 */
static int t_info_user_pages(void)
{
	struct zonealloc_info ia, ib;
	struct zonealloc_alloc a;
	__u64 base, canary;
	int fa, fb, ret;

	/* The struct grew; the command a VER0 build sends did not change. */
	if (ZONEALLOC_IOC_INFO != _IOWR(ZONEALLOC_IOC_MAGIC, 0x04,
					char[ZONEALLOC_INFO_SIZE_VER0]))
		return za_fail("ZONEALLOC_IOC_INFO is %#lx, not VER0's command",
			       (unsigned long)ZONEALLOC_IOC_INFO);
	fa = za_devopen();
	fb = za_devopen();
	if (fa < 0 || fb < 0)
		return za_fail("open: %s", en(errno));
	ret = info_at(fa, sizeof(ia), &ia);
	if (ret)
		return za_fail("INFO: %s", en(ret));
	base = ia.user_pages;
	if (ia.file_pages || ia.size != ZONEALLOC_INFO_SIZE_VER1)
		return za_fail("new file: file_pages %llu, size %u",
			       (unsigned long long)ia.file_pages, ia.size);
	ret = za_rawalloc(fa, 2, 0, &a) ?: za_rawalloc(fb, 3, 0, &a);
	if (ret)
		return za_fail("ALLOC: %s", en(ret));
	if (info_at(fa, sizeof(ia), &ia) || info_at(fb, sizeof(ib), &ib))
		return za_fail("INFO after ALLOC");
	if (ia.file_pages != 4 || ib.file_pages != 8 ||
	    ia.user_pages != base + 12 || ib.user_pages != base + 12)
		return za_fail("file_pages %llu/%llu, user_pages %llu/%llu; expected 4/8 and %llu",
			       (unsigned long long)ia.file_pages,
			       (unsigned long long)ib.file_pages,
			       (unsigned long long)ia.user_pages,
			       (unsigned long long)ib.user_pages,
			       (unsigned long long)base + 12);
	close(fb);
	ret = info_at(fa, ZONEALLOC_INFO_SIZE_VER0, &ia);
	memcpy(&canary, &ia.user_pages, sizeof(canary));
	if (ret || ia.size != ZONEALLOC_INFO_SIZE_VER0 ||
	    canary != 0x5a5a5a5a5a5a5a5aULL)
		return za_fail("INFO at VER0: %s, size %u, bytes past it %#llx",
			       en(ret), ia.size, (unsigned long long)canary);
	ret = info_at(fa, sizeof(ia), &ia);
	close(fa);
	if (ret || ia.user_pages != base + 4)
		return za_fail("user_pages %llu after the other file closed, expected %llu",
			       (unsigned long long)ia.user_pages,
			       (unsigned long long)base + 4);
	return 0;
}

/*
 * The quota counts all open files of one user (the real uid of the opener)
 * together: a second file of the same user gets nothing more, another user
 * has a quota of its own, a file passed to another user still charges its
 * opener, and closing a file gives its share back.
 */
static int t_alloc_quota(void)
{
	static const char * const quota_why[16] = {
		[10] = "setuid failed",
		[11] = "root's file let nobody past root's quota",
		[12] = "open failed",
		[13] = "nobody had no quota of its own",
		[14] = "nobody went over its quota",
	};
	struct zonealloc_bulk bulk = { 0 };
	struct zonealloc_alloc a;
	struct zonealloc_info info;
	__u64 h[4];
	unsigned int n = 4;
	int ret, status;
	pid_t pid;

	if (access(QUOTA_PARAM_OLD, W_OK))
		return za_fail("%s (the old name) not writable: %s",
			       QUOTA_PARAM_OLD, en(errno));
	ret = write_quota(8);
	if (ret)
		return za_fail("write quota: %s", en(ret));
	ret = za_rawinfo(fd, &info);
	if (ret || info.quota_pages != 8)
		return za_fail("INFO quota_pages %llu (%s), expected 8",
			       (unsigned long long)info.quota_pages, en(ret));
	ret = za_rawalloc(fd, 3, 0, &a);
	if (ret)
		return za_fail("8 pages under a quota of 8: %s", en(ret));
	if (za_expect_err(za_rawalloc(fd, 0, 0, &a), EDQUOT, "9th page"))
		return -1;
	bulk.count = n;
	bulk.handles = (uintptr_t)h;
	if (za_expect_err(za_ioc(fd, ZONEALLOC_IOC_ALLOC_BULK, &bulk), EDQUOT,
			  "bulk over quota"))
		return -1;
	if (za_expect_err(za_rawalloc(fd, 4, 0, &a), EDQUOT, "order 4 over quota"))
		return -1;
	/* The quota is per user: another file of root gets nothing more. */
	fd2 = za_devopen();
	if (fd2 < 0)
		return za_fail("second open: %s", en(errno));
	if (za_expect_err(za_rawalloc(fd2, 0, 0, &a), EDQUOT,
			  "a second file of the same user"))
		return -1;
	/* Another user has its own 8; root's file passed to it charges root. */
	if (chmod(ZA_DEV, 0666))
		return za_fail("chmod: %s", en(errno));
	fflush(stdout);
	pid = fork();
	if (!pid) {
		int f;

		if (become_nobody())
			_exit(10);
		if (za_rawalloc(fd, 0, 0, &a) != -EDQUOT)
			_exit(11);
		f = za_devopen();
		if (f < 0)
			_exit(12);
		if (za_rawalloc(f, 3, 0, &a))
			_exit(13);
		if (za_rawalloc(f, 0, 0, &a) != -EDQUOT)
			_exit(14);
		_exit(0);
	}
	status = pid > 0 ? child_status(pid) : -1;
	chmod(ZA_DEV, 0600);
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		return za_fail("user nobody: status %#x (%s)", status,
			       quota_why[WEXITSTATUS(status) % 16] ?: "?");
	/* Closing a file gives its pages back to the user's quota. */
	close(fd);
	fd = za_devopen();
	if (fd < 0)
		return za_fail("reopen: %s", en(errno));
	ret = za_rawalloc(fd2, 3, 0, &a);
	if (ret)
		return za_fail("8 pages once the first file is closed: %s",
			       en(ret));
	ret = write_quota(0);
	if (ret)
		return za_fail("reset quota: %s", en(ret));
	if (access(QUOTA_PARAM, W_OK))
		return za_fail("%s not writable: %s", QUOTA_PARAM, en(errno));
	ret = za_rawalloc(fd, 4, 0, &a);
	if (ret)
		return za_fail("after lifting the quota: %s", en(ret));
	ret = za_rawinfo(fd, &info);
	if (ret || info.quota_pages)
		return za_fail("INFO quota_pages %llu after reset",
			       (unsigned long long)info.quota_pages);
	return 0;
}

/*
 * A bad argument pointer: unreadable (NULL, unmapped, straddling into a
 * PROT_NONE page) or readable but not writable (a read-only page), where
 * the allocation would succeed but its result cannot be copied back. Each
 * must fail with -EFAULT and leave no pages on the file.
 */
static int efault_cases(unsigned long cmd, size_t size, const void *init)
{
	unsigned char *area;
	void *ptrs[4];
	int ret, i;

	area = mmap(NULL, 3 * page_size, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (area == MAP_FAILED)
		return za_fail("mmap: %s", en(errno));
	/* page 0: read-only copy of @init; page 1: rw; page 2: none */
	memcpy(area, init, size);
	memcpy(area + 2 * page_size - size / 2, init, size / 2);
	mprotect(area, page_size, PROT_READ);
	mprotect(area + 2 * page_size, page_size, PROT_NONE);
	ptrs[0] = NULL;
	ptrs[1] = area;				/* read-only */
	ptrs[2] = area + 2 * page_size - size / 2;	/* into PROT_NONE */
	ptrs[3] = area + 2 * page_size;		/* PROT_NONE */
	for (i = 0; i < 4; i++) {
		ret = za_ioc(fd, cmd, ptrs[i]);
		if (ret != -EFAULT) {
			munmap(area, 3 * page_size);
			return za_fail("argument %s: %s, expected EFAULT",
				       i == 0 ? "NULL" : i == 1 ? "read-only" :
				       i == 2 ? "straddling a PROT_NONE page" :
				       "PROT_NONE", en(ret));
		}
	}
	munmap(area, 3 * page_size);
	return nothing_left(fd, "failed calls");
}

static int t_alloc_efault(void)
{
	struct zonealloc_alloc a = { .order = 1 };

	return efault_cases(ZONEALLOC_IOC_ALLOC, sizeof(a), &a);
}

static int t_info_efault(void)
{
	struct zonealloc_info info = { .size = sizeof(info) };

	return efault_cases(ZONEALLOC_IOC_INFO, sizeof(info), &info);
}

static int t_bulk_arg_efault(void)
{
	static __u64 h[4];
	struct zonealloc_bulk b = { .count = 4, .handles = (uintptr_t)h };

	return efault_cases(ZONEALLOC_IOC_ALLOC_BULK, sizeof(b), &b);
}

/* ----------------------------------------------------------------- FREE */

static int t_free_errors(void)
{
	struct zonealloc_free f;
	struct zonealloc_alloc a;
	__u64 allocs, pages;
	int ret;

	if (za_expect_err(za_rawfree(fd, 0), ENOENT, "handle 0"))
		return -1;
	if (za_expect_err(za_rawfree(fd, 0x123456789ull), ENOENT, "unknown handle"))
		return -1;
	if (za_expect_err(za_rawfree(fd, ~0ull), ENOENT, "handle ~0"))
		return -1;
	ret = za_rawalloc(fd, 1, 0, &a);
	if (ret)
		return za_fail("alloc: %s", en(ret));
	f.handle = a.handle;
	f.reserved = 1;
	if (za_expect_err(za_ioc(fd, ZONEALLOC_IOC_FREE, &f), EINVAL,
			  "reserved set"))
		return -1;
	ret = file_figures(fd, &pages, &allocs);
	if (ret || allocs != 1 || pages != 2)
		return za_fail("a rejected FREE freed something");
	ret = za_rawfree(fd, a.handle);
	if (ret)
		return za_fail("free: %s", en(ret));
	if (za_expect_err(za_rawfree(fd, a.handle), ENOENT, "double free"))
		return -1;
	if (za_expect_err(za_ioc(fd, ZONEALLOC_IOC_FREE, NULL), EFAULT,
			  "NULL argument"))
		return -1;
	return 0;
}

/* ----------------------------------------------------------------- BULK */

static int t_bulk_basic(void)
{
	enum { N = 64 };
	static __u64 h[N];
	struct zonealloc_bulk b;
	__u64 pages, allocs;
	int ret, i, j;

	memset(h, 0, sizeof(h));
	memset(&b, 0, sizeof(b));
	b.count = N;
	b.flags = ZONEALLOC_GFP_MOVABLE;
	b.handles = (uintptr_t)h;
	ret = za_ioc(fd, ZONEALLOC_IOC_ALLOC_BULK, &b);
	if (ret)
		return za_fail("ALLOC_BULK %d: %s", N, en(ret));
	if (b.count < 1 || b.count > N)
		return za_fail("count out %u", b.count);
	for (i = 0; i < (int)b.count; i++) {
		if (!h[i])
			return za_fail("handle %d is 0", i);
		for (j = 0; j < i; j++)
			if (h[i] == h[j])
				return za_fail("handle repeated");
	}
	for (; i < N; i++)
		if (h[i])
			return za_fail("handle %d written beyond count", i);
	ret = file_figures(fd, &pages, &allocs);
	if (ret || pages != b.count || allocs != b.count)
		return za_fail("INFO: file_pages %llu allocs %llu, count %u",
			       (unsigned long long)pages,
			       (unsigned long long)allocs, b.count);
	b.flags = 0;
	ret = za_ioc(fd, ZONEALLOC_IOC_FREE_BULK, &b);
	if (ret)
		return za_fail("FREE_BULK: %s", en(ret));
	ret = file_figures(fd, &pages, &allocs);
	if (ret || pages || allocs)
		return za_fail("after FREE_BULK: file_pages %llu",
			       (unsigned long long)pages);
	if (za_expect_err(za_ioc(fd, ZONEALLOC_IOC_FREE_BULK, &b), ENOENT,
			  "second FREE_BULK"))
		return -1;
	return 0;
}

static int t_bulk_max(void)
{
	static __u64 h[ZONEALLOC_BULK_MAX + 1];
	struct zonealloc_bulk b;
	int ret;

	memset(&b, 0, sizeof(b));
	b.count = ZONEALLOC_BULK_MAX;
	b.handles = (uintptr_t)h;
	ret = za_ioc(fd, ZONEALLOC_IOC_ALLOC_BULK, &b);
	if (ret)
		return za_fail("count BULK_MAX: %s", en(ret));
	ret = za_ioc(fd, ZONEALLOC_IOC_FREE_BULK, &b);
	if (ret)
		return za_fail("FREE_BULK of %u: %s", b.count, en(ret));
	return 0;
}

static int t_bulk_alloc_errors(void)
{
	static const unsigned int badflags[] = {
		0x2000, 0x80000000u,
		ZONEALLOC_GFP_DMA | ZONEALLOC_GFP_DMA32,
		ZONEALLOC_GFP_DMA | ZONEALLOC_GFP_HIGHMEM,
		ZONEALLOC_GFP_MOVABLE | ZONEALLOC_GFP_RECLAIMABLE,
		ZONEALLOC_GFP_NOFAIL,
	};
	static __u64 h[ZONEALLOC_BULK_MAX + 1];
	struct zonealloc_bulk b;
	unsigned int i;
	int ret;

	memset(&b, 0, sizeof(b));
	b.handles = (uintptr_t)h;
	b.count = 0;
	if (za_expect_err(za_ioc(fd, ZONEALLOC_IOC_ALLOC_BULK, &b), EINVAL,
			  "count 0"))
		return -1;
	b.count = ZONEALLOC_BULK_MAX + 1;
	if (za_expect_err(za_ioc(fd, ZONEALLOC_IOC_ALLOC_BULK, &b), EINVAL,
			  "count BULK_MAX+1"))
		return -1;
	b.count = 0xffffffffu;
	if (za_expect_err(za_ioc(fd, ZONEALLOC_IOC_ALLOC_BULK, &b), EINVAL,
			  "count ~0"))
		return -1;
	b.count = 4;
	for (i = 0; i < ARRAY_SIZE(badflags); i++) {
		b.flags = badflags[i];
		if (za_expect_err(za_ioc(fd, ZONEALLOC_IOC_ALLOC_BULK, &b), EINVAL,
				  "flags %#x", badflags[i]))
			return -1;
	}
	b.flags = 0;
	for (i = 0; i < 3; i++) {
		b.reserved0 = i == 0;
		b.reserved = i == 1;
		b.node = i == 2 ? ZONEALLOC_NODE(1u << 20) : 0;
		ret = za_ioc(fd, ZONEALLOC_IOC_ALLOC_BULK, &b);
		b.reserved0 = 0;
		b.reserved = 0;
		b.node = 0;
		if (za_expect_err(ret, EINVAL, "reserved field or node %u", i))
			return -1;
	}
	return nothing_left(fd, "rejected calls");
}

static int t_bulk_efault(void)
{
	struct zonealloc_bulk b;
	__u64 avail = 0;
	void *ro, *gone;
	int ret;

	ro = mmap(NULL, page_size, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
		  -1, 0);
	gone = mmap(NULL, page_size, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
		    -1, 0);
	if (ro == MAP_FAILED || gone == MAP_FAILED)
		return za_fail("mmap: %s", en(errno));
	munmap(gone, page_size);
	memset(&b, 0, sizeof(b));
	b.count = 16;
	b.handles = 0;
	if (za_expect_err(za_ioc(fd, ZONEALLOC_IOC_ALLOC_BULK, &b), EFAULT,
			  "NULL handles"))
		return -1;
	b.handles = (uintptr_t)gone;
	if (za_expect_err(za_ioc(fd, ZONEALLOC_IOC_ALLOC_BULK, &b), EFAULT,
			  "unmapped handles"))
		return -1;
	b.handles = (uintptr_t)ro;
	b.count = 16;
	if (za_expect_err(za_ioc(fd, ZONEALLOC_IOC_ALLOC_BULK, &b), EFAULT,
			  "read-only handles"))
		return -1;
	/* Half of the array writable, half not. */
	b.handles = (uintptr_t)ro - 8 * sizeof(__u64);
	b.count = 16;
	munmap(ro, page_size);
	ro = mmap((char *)ro - page_size, page_size, PROT_READ | PROT_WRITE,
		  MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (ro != MAP_FAILED) {
		ret = za_ioc(fd, ZONEALLOC_IOC_ALLOC_BULK, &b);
		munmap(ro, page_size);
		if (za_expect_err(ret, EFAULT, "half-mapped handles"))
			return -1;
	}
	if (za_expect_err(za_ioc(fd, ZONEALLOC_IOC_ALLOC_BULK, NULL), EFAULT,
			  "NULL argument"))
		return -1;
	if (nothing_left(fd, "failed calls"))
		return -1;
	ret = za_settled(fd, &avail, NULL);
	if (ret || avail != start_avail)
		return za_fail("failed calls leaked %lld pages",
			       (long long)(start_avail - avail));
	b.handles = 0;
	b.count = 1;
	if (za_expect_err(za_ioc(fd, ZONEALLOC_IOC_FREE_BULK, &b), EFAULT,
			  "FREE_BULK NULL handles"))
		return -1;
	return 0;
}

static int t_bulk_free_all_or_nothing(void)
{
	static __u64 h[8], bad[9];
	struct zonealloc_bulk b;
	struct zonealloc_alloc a;
	__u64 allocs, pages;
	int ret, i;

	memset(&b, 0, sizeof(b));
	b.count = 8;
	b.handles = (uintptr_t)h;
	ret = za_ioc(fd, ZONEALLOC_IOC_ALLOC_BULK, &b);
	if (ret || b.count != 8)
		return za_fail("ALLOC_BULK 8: %s count %u", en(ret), b.count);
	fd2 = za_devopen();
	if (fd2 < 0 || za_rawalloc(fd2, 0, 0, &a))
		return za_fail("second file's allocation failed");

	/* An unknown handle last: nothing freed. */
	memcpy(bad, h, sizeof(h));
	bad[8] = 0xdeadbeefull;
	b.handles = (uintptr_t)bad;
	b.count = 9;
	if (za_expect_err(za_ioc(fd, ZONEALLOC_IOC_FREE_BULK, &b), ENOENT,
			  "unknown handle"))
		return -1;
	/* A repeated handle. */
	bad[8] = h[3];
	if (za_expect_err(za_ioc(fd, ZONEALLOC_IOC_FREE_BULK, &b), ENOENT,
			  "repeated handle"))
		return -1;
	/* Another file's handle. */
	bad[8] = a.handle;
	if (za_expect_err(za_ioc(fd, ZONEALLOC_IOC_FREE_BULK, &b), ENOENT,
			  "foreign handle"))
		return -1;
	/* Handle 0 first. */
	bad[0] = 0;
	bad[8] = h[0];
	if (za_expect_err(za_ioc(fd, ZONEALLOC_IOC_FREE_BULK, &b), ENOENT,
			  "handle 0"))
		return -1;
	ret = file_figures(fd, &pages, &allocs);
	if (ret || allocs != 8 || pages != 8)
		return za_fail("a failed FREE_BULK freed pages: %llu allocations left",
			       (unsigned long long)allocs);
	ret = file_figures(fd2, &pages, &allocs);
	if (ret || allocs != 1)
		return za_fail("FREE_BULK freed another file's allocation");

	b.handles = (uintptr_t)h;
	b.count = 8;
	b.flags = ZONEALLOC_GFP_ZERO;
	if (za_expect_err(za_ioc(fd, ZONEALLOC_IOC_FREE_BULK, &b), EINVAL,
			  "flags set"))
		return -1;
	b.flags = 0;
	/* FREE_BULK takes no node either. */
	for (i = 0; i < 3; i++) {
		b.reserved0 = i == 0;
		b.reserved = i == 1;
		b.node = i == 2;
		ret = za_ioc(fd, ZONEALLOC_IOC_FREE_BULK, &b);
		b.reserved0 = 0;
		b.reserved = 0;
		b.node = 0;
		if (za_expect_err(ret, EINVAL, "reserved field or node %d", i))
			return -1;
	}
	b.count = 0;
	if (za_expect_err(za_ioc(fd, ZONEALLOC_IOC_FREE_BULK, &b), EINVAL,
			  "count 0"))
		return -1;
	b.count = ZONEALLOC_BULK_MAX + 1;
	if (za_expect_err(za_ioc(fd, ZONEALLOC_IOC_FREE_BULK, &b), EINVAL,
			  "count BULK_MAX+1"))
		return -1;
	ret = file_figures(fd, &pages, &allocs);
	if (ret || allocs != 8)
		return za_fail("a rejected FREE_BULK freed pages");
	b.count = 8;
	ret = za_ioc(fd, ZONEALLOC_IOC_FREE_BULK, &b);
	if (ret)
		return za_fail("valid FREE_BULK: %s", en(ret));
	/* FREE_BULK takes any allocation, not only bulk ones. */
	ret = za_rawalloc(fd, 3, 0, &a);
	if (ret)
		return za_fail("alloc order 3: %s", en(ret));
	b.handles = (uintptr_t)&a.handle;
	b.count = 1;
	ret = za_ioc(fd, ZONEALLOC_IOC_FREE_BULK, &b);
	if (ret)
		return za_fail("FREE_BULK of an order-3 allocation: %s",
			       en(ret));
	return 0;
}

/*
 * On an exhausted pool ALLOC_BULK fails with -ENOMEM; with a few pages
 * back it returns fewer than asked, with count saying how many.
 */
static int t_bulk_partial_and_enomem(void)
{
	static __u64 h[ZONEALLOC_BULK_MAX];
	unsigned int order = ZONEALLOC_MAX_ORDER;
	struct zonealloc_bulk b;
	struct zonealloc_alloc a;
	__u64 big, pages, allocs, before;
	int ret;

	/* 64 pages to give back later. */
	ret = za_rawalloc(fd, 6, 0, &a);
	if (ret)
		return za_fail("order 6: %s", en(ret));
	big = a.handle;
	for (;;) {
		ret = za_rawalloc(fd, order, ZONEALLOC_GFP_NOWARN, &a);
		if (ret == -ENOMEM) {
			if (!order)
				break;
			order--;
			continue;
		}
		if (ret)
			return za_fail("exhausting, order %u: %s", order,
				       en(ret));
	}
	memset(&b, 0, sizeof(b));
	b.count = 64;
	b.flags = ZONEALLOC_GFP_NOWARN;
	b.handles = (uintptr_t)h;
	ret = file_figures(fd, &before, NULL);
	if (ret)
		return za_fail("INFO: %s", en(ret));
	ret = za_ioc(fd, ZONEALLOC_IOC_ALLOC_BULK, &b);
	if (za_expect_err(ret, ENOMEM, "ALLOC_BULK on an exhausted pool (count %u)",
			  b.count))
		return -1;
	ret = file_figures(fd, &pages, NULL);
	if (ret || pages != before)
		return za_fail("a failed ALLOC_BULK changed file_pages");
	ret = za_rawfree(fd, big);
	if (ret)
		return za_fail("free order 6: %s", en(ret));
	b.count = ZONEALLOC_BULK_MAX;
	ret = za_ioc(fd, ZONEALLOC_IOC_ALLOC_BULK, &b);
	if (ret)
		return za_fail("ALLOC_BULK with 64 pages back: %s", en(ret));
	if (b.count < 1 || b.count >= ZONEALLOC_BULK_MAX)
		return za_fail("ALLOC_BULK returned count %u", b.count);
	ret = file_figures(fd, &pages, &allocs);
	if (ret || pages != before - 64 + b.count)
		return za_fail("file_pages %llu after a partial bulk of %u",
			       (unsigned long long)pages, b.count);
	return 0;
}

/* ----------------------------------------------------------------- INFO */

static int info_figures(void)
{
	struct zonealloc_info info;
	__u64 managed = 0, free = 0, pcp = 0, blocks;
	unsigned int z, o;
	int ret;

	ret = za_rawdrain(fd, -1);
	if (ret)
		return za_fail("DRAIN: %s", en(ret));
	ret = za_rawinfo(fd, &info);
	if (ret)
		return za_fail("INFO: %s", en(ret));
	if (info.nr_zones != ZONEALLOC_NR_ZONES)
		return za_fail("nr_zones %u", info.nr_zones);
	if (info.page_size != page_size)
		return za_fail("page_size %u", info.page_size);
	if (info.max_order != ZONEALLOC_MAX_ORDER)
		return za_fail("max_order %u", info.max_order);
	if (!info.pool_pages)
		return za_fail("pool_pages 0");
	if (info.file_pages || info.file_allocations)
		return za_fail("a new file has pages");
	for (z = 0; z < ZONEALLOC_NR_ZONES; z++) {
		const struct zonealloc_zone_info *zi = &info.zones[z];

		managed += zi->managed_pages;
		free += zi->free_pages;
		pcp += zi->pcp_pages;
		if (zi->reserved)
			return za_fail("zone %u reserved not zero", z);
		if (zi->free_pages + zi->pcp_pages > zi->managed_pages)
			return za_fail("zone %u: free %llu + pcp %llu > managed %llu",
				       z, (unsigned long long)zi->free_pages,
				       (unsigned long long)zi->pcp_pages,
				       (unsigned long long)zi->managed_pages);
		if (zi->managed_pages &&
		    (zi->watermark_min > zi->watermark_low ||
		     zi->watermark_low > zi->watermark_high ||
		     zi->watermark_high > zi->managed_pages))
			return za_fail("zone %u watermarks %llu/%llu/%llu", z,
				       (unsigned long long)zi->watermark_min,
				       (unsigned long long)zi->watermark_low,
				       (unsigned long long)zi->watermark_high);
		blocks = 0;
		for (o = 0; o <= ZONEALLOC_MAX_ORDER; o++)
			blocks += zi->nr_free[o] << o;
		if (blocks != zi->free_pages)
			return za_fail("zone %u: nr_free[] add up to %llu pages, free_pages %llu",
				       z, (unsigned long long)blocks,
				       (unsigned long long)zi->free_pages);
		if (zi->pcp_pages)
			return za_fail("zone %u: pcp_pages %llu after DRAIN",
				       z, (unsigned long long)zi->pcp_pages);
	}
	if (managed != info.pool_pages || free != info.free_pages ||
	    pcp != info.pcp_pages)
		return za_fail("zones add up to %llu/%llu/%llu, pool says %llu/%llu/%llu",
			       (unsigned long long)managed,
			       (unsigned long long)free,
			       (unsigned long long)pcp,
			       (unsigned long long)info.pool_pages,
			       (unsigned long long)info.free_pages,
			       (unsigned long long)info.pcp_pages);
	if (info.free_pages + info.pcp_pages != info.pool_pages)
		return za_fail("idle pool: free %llu + pcp %llu != pool %llu",
			       (unsigned long long)info.free_pages,
			       (unsigned long long)info.pcp_pages,
			       (unsigned long long)info.pool_pages);
	return 0;
}

static int t_info_figures(void)
{
	return za_retry(info_figures);
}

static int info_sized(__u32 size, unsigned char fill_beyond)
{
	static unsigned char buf[8192];
	struct zonealloc_info *info = (void *)buf;

	memset(buf, 0, sizeof(buf));
	if (size > sizeof(*info) && size <= sizeof(buf))
		memset(buf + sizeof(*info), fill_beyond, size - sizeof(*info));
	info->size = size;
	return za_ioc(fd, ZONEALLOC_IOC_INFO, buf);
}

static int t_info_sizes(void)
{
	static const __u32 small[] = { 0, 1, 4, 8, 64,
				       ZONEALLOC_INFO_SIZE_VER0 - 1 };
	unsigned int i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(small); i++) {
		if (za_expect_err(info_sized(small[i], 0), EINVAL, "size %u",
				  small[i]))
			return -1;
	}
	ret = info_sized(ZONEALLOC_INFO_SIZE_VER0, 0);
	if (ret)
		return za_fail("size VER0: %s", en(ret));
	ret = info_sized(sizeof(struct zonealloc_info) + 8, 0);
	if (ret)
		return za_fail("larger size, zero tail: %s", en(ret));
	ret = info_sized(4096, 0);
	if (ret)
		return za_fail("size 4096, zero tail: %s", en(ret));
	if (za_expect_err(info_sized(sizeof(struct zonealloc_info) + 8, 0xff),
			  E2BIG, "larger size, non-zero tail"))
		return -1;
	if (za_expect_err(info_sized(4096, 1), E2BIG, "size 4096, non-zero tail"))
		return -1;
	if (za_expect_err(info_sized(4097, 0), E2BIG, "size 4097"))
		return -1;
	if (za_expect_err(info_sized(0xffffffffu, 0), E2BIG, "size ~0"))
		return -1;
	if (za_expect_err(za_ioc(fd, ZONEALLOC_IOC_INFO, NULL), EFAULT,
			  "NULL argument"))
		return -1;
	return 0;
}

/* The kernel fills min(size, its size) bytes and no more. */
static int t_info_size_ver0_bounds(void)
{
	static unsigned char buf[1024];
	struct zonealloc_info *info = (void *)buf;
	unsigned int i;
	int ret;

	memset(buf, 0, sizeof(buf));
	info->size = sizeof(buf);
	ret = za_ioc(fd, ZONEALLOC_IOC_INFO, buf);
	if (ret)
		return za_fail("size 1024: %s", en(ret));
	for (i = sizeof(*info); i < sizeof(buf); i++)
		if (buf[i])
			return za_fail("byte %u beyond the struct written", i);
	if (info->nr_zones != ZONEALLOC_NR_ZONES)
		return za_fail("nr_zones %u", info->nr_zones);
	return 0;
}

/* -------------------------------------------------------------- COMPACT */

static int compact(__u32 zone, __s32 order, __u32 mode, __u32 r0, __u64 r1,
		   __u64 r2)
{
	struct zonealloc_compact c = {
		.zone = zone, .order = order, .mode = mode, .reserved0 = r0,
		.reserved = { r1, r2 },
	};

	return za_ioc(fd, ZONEALLOC_IOC_COMPACT, &c);
}

static int t_compact(void)
{
	static const __u32 zones[] = { 0, 1, 2, 3, 4, ZONEALLOC_ZONE_ALL };
	static const __s32 orders[] = { -1, 0, 5, ZONEALLOC_MAX_ORDER };
	unsigned int z, o, m;
	int ret;

	for (z = 0; z < ARRAY_SIZE(zones); z++)
		for (o = 0; o < ARRAY_SIZE(orders); o++)
			for (m = 0; m <= ZONEALLOC_COMPACT_SYNC; m++) {
				ret = compact(zones[z], orders[o], m, 0, 0, 0);
				/* -EAGAIN: no block of the order formed */
				if (ret && ret != -EOPNOTSUPP && ret != -EAGAIN)
					return za_fail("zone %#x order %d mode %u: %s",
						       zones[z], orders[o], m,
						       en(ret));
			}
	return 0;
}

static int t_compact_errors(void)
{
	static const struct {
		__u32 zone;
		__s32 order;
		__u32 mode, r0;
		__u64 r1, r2;
	} bad[] = {
		{ 5, -1, 0, 0, 0, 0 },
		{ 0xfffffffeu, -1, 0, 0, 0, 0 },
		{ 0x80000000u, -1, 0, 0, 0, 0 },
		{ ZONEALLOC_ZONE_ALL, -2, 0, 0, 0, 0 },
		{ ZONEALLOC_ZONE_ALL, INT32_MIN, 0, 0, 0, 0 },
		{ ZONEALLOC_ZONE_ALL, 11, 0, 0, 0, 0 },
		{ ZONEALLOC_ZONE_ALL, INT32_MAX, 0, 0, 0, 0 },
		{ ZONEALLOC_ZONE_ALL, -1, 3, 0, 0, 0 },
		{ ZONEALLOC_ZONE_ALL, -1, 0xffffffffu, 0, 0, 0 },
		{ ZONEALLOC_ZONE_ALL, -1, 0, 1, 0, 0 },
		{ ZONEALLOC_ZONE_ALL, -1, 0, 0, 1, 0 },
		{ ZONEALLOC_ZONE_ALL, -1, 0, 0, 0, 1ull << 63 },
		{ 2, 3, 1, 0x80000000u, 0, 0 },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		if (za_expect_err(compact(bad[i].zone, bad[i].order, bad[i].mode,
					  bad[i].r0, bad[i].r1, bad[i].r2),
				  EINVAL,
				  "zone %#x order %d mode %u res %x/%llx/%llx",
				  bad[i].zone, bad[i].order, bad[i].mode, bad[i].r0,
				  (unsigned long long)bad[i].r1,
				  (unsigned long long)bad[i].r2))
			return -1;
	}
	if (za_expect_err(za_ioc(fd, ZONEALLOC_IOC_COMPACT, NULL), EFAULT,
			  "NULL argument"))
		return -1;
	return 0;
}

/* ---------------------------------------------------------------- DRAIN */

static int online_cpus(unsigned char *online, int max)
{
	char buf[256], *p = buf, *end;
	FILE *f;
	long a, b;
	int n = 0;

	memset(online, 0, max);
	f = fopen("/sys/devices/system/cpu/online", "r");
	if (!f || !fgets(buf, sizeof(buf), f)) {
		if (f)
			fclose(f);
		return -1;
	}
	fclose(f);
	while (*p && *p != '\n') {
		a = strtol(p, &end, 10);
		b = a;
		if (*end == '-')
			b = strtol(end + 1, &end, 10);
		for (; a <= b && a < max; a++, n++)
			online[a] = 1;
		p = *end == ',' ? end + 1 : end;
		if (p == end && *p != '\n' && *p)
			break;
	}
	return n;
}

static int t_drain(void)
{
	static const int bad[] = { -2, -100, INT32_MIN, INT32_MAX, 8192 };
	struct zonealloc_drain d;
	struct zonealloc_alloc a;
	unsigned char online[1024];
	__u64 h[16];
	int ret, cpu, n, i;

	n = online_cpus(online, sizeof(online));
	if (n < 1)
		return za_fail("cannot read /sys/devices/system/cpu/online");
	/* Put some pages on this CPU's lists first. */
	for (i = 0; i < 16; i++) {
		ret = za_rawalloc(fd, 0, 0, &a);
		if (ret)
			return za_fail("alloc: %s", en(ret));
		h[i] = a.handle;
	}
	for (i = 0; i < 16; i++)
		za_rawfree(fd, h[i]);
	ret = za_rawdrain(fd, -1);
	if (ret)
		return za_fail("cpu -1: %s", en(ret));
	for (cpu = 0; cpu < (int)sizeof(online); cpu++) {
		ret = za_rawdrain(fd, cpu);
		if (online[cpu] && ret)
			return za_fail("online cpu %d: %s", cpu, en(ret));
		if (!online[cpu] &&
		    za_expect_err(ret, EINVAL, "offline/absent cpu %d", cpu))
			return -1;
	}
	for (i = 0; i < (int)ARRAY_SIZE(bad); i++) {
		if (za_expect_err(za_rawdrain(fd, bad[i]), EINVAL, "cpu %d",
				  bad[i]))
			return -1;
	}
	d.cpu = -1;
	d.reserved = 1;
	if (za_expect_err(za_ioc(fd, ZONEALLOC_IOC_DRAIN, &d), EINVAL,
			  "reserved set"))
		return -1;
	if (za_expect_err(za_ioc(fd, ZONEALLOC_IOC_DRAIN, NULL), EFAULT,
			  "NULL argument"))
		return -1;
	return 0;
}

static int drain_empties_pcp(void)
{
	struct zonealloc_alloc a;
	struct zonealloc_info info;
	__u64 h[32];
	int ret, i;

	for (i = 0; i < 32; i++) {
		ret = za_rawalloc(fd, 0, 0, &a);
		if (ret)
			return za_fail("alloc: %s", en(ret));
		h[i] = a.handle;
	}
	for (i = 0; i < 32; i++)
		za_rawfree(fd, h[i]);
	ret = za_rawdrain(fd, -1);
	if (ret)
		return za_fail("DRAIN: %s", en(ret));
	ret = za_rawinfo(fd, &info);
	if (ret)
		return za_fail("INFO: %s", en(ret));
	if (info.pcp_pages)
		return za_fail("pcp_pages %llu after DRAIN -1",
			       (unsigned long long)info.pcp_pages);
	if (info.free_pages != info.pool_pages)
		return za_fail("free_pages %llu != pool_pages %llu",
			       (unsigned long long)info.free_pages,
			       (unsigned long long)info.pool_pages);
	return 0;
}

static int t_drain_empties_pcp(void)
{
	return za_retry(drain_empties_pcp);
}

/* ------------------------------------------------------------- commands */

static int t_unknown_commands(void)
{
	static const unsigned long cmds[] = {
		0, 1, 0x5401 /* TCGETS */,
		_IO(ZONEALLOC_IOC_MAGIC, 0x00),
		_IO(ZONEALLOC_IOC_MAGIC, 0x07),
		_IOWR(ZONEALLOC_IOC_MAGIC, 0x07, struct zonealloc_free),
		_IOWR(ZONEALLOC_IOC_MAGIC, 0x7f, struct zonealloc_alloc),
		_IO(ZONEALLOC_IOC_MAGIC, 0x3f),
		_IOWR(ZONEALLOC_IOC_MAGIC, 0x08, struct zonealloc_free),
		_IOWR(ZONEALLOC_IOC_MAGIC, 0xff, __u64),
		_IOWR(ZONEALLOC_IOC_MAGIC, 0x00, struct zonealloc_free),
		_IOWR(ZONEALLOC_IOC_MAGIC, 0x00, char[sizeof(struct zonealloc_alloc) + 8]),
		_IOR(ZONEALLOC_IOC_MAGIC, 0x00, struct zonealloc_alloc),
		_IOW(ZONEALLOC_IOC_MAGIC, 0x00, struct zonealloc_alloc),
		_IOWR(ZONEALLOC_IOC_MAGIC, 0x01, struct zonealloc_alloc),
		_IOW(ZONEALLOC_IOC_MAGIC, 0x01, struct zonealloc_free),
		_IOWR(ZONEALLOC_IOC_MAGIC, 0x02, struct zonealloc_free),
		_IOWR(ZONEALLOC_IOC_MAGIC, 0x03, struct zonealloc_alloc),
		_IOWR(ZONEALLOC_IOC_MAGIC, 0x04, __u32),
		_IOWR(ZONEALLOC_IOC_MAGIC, 0x04, char[ZONEALLOC_INFO_SIZE_VER0 + 8]),
		_IOR(ZONEALLOC_IOC_MAGIC, 0x04, struct zonealloc_info),
		_IOWR(ZONEALLOC_IOC_MAGIC, 0x05, struct zonealloc_drain),
		_IOWR(ZONEALLOC_IOC_MAGIC, 0x06, struct zonealloc_compact),
		_IOW(ZONEALLOC_IOC_MAGIC, 0x06, struct zonealloc_drain),
		_IOWR(ZONEALLOC_IOC_MAGIC + 1, 0x00, struct zonealloc_alloc),
		_IOWR(0, 0x00, struct zonealloc_alloc),
		~0ul,
	};
	static unsigned char buf[8192];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		memset(buf, 0, sizeof(buf));
		if (za_expect_err(za_ioc(fd, cmds[i], buf), ENOTTY, "cmd %#lx",
				  cmds[i]))
			return -1;
	}
	return nothing_left(fd, "unknown commands");
}

/* ----------------------------------------------------------------- mmap */

static int t_mmap_roundtrip(void)
{
	struct zonealloc_alloc a;
	size_t len = 4 * page_size;
	void *p, *q;
	int ret;

	ret = za_rawalloc(fd, 2, 0, &a);
	if (ret)
		return za_fail("alloc: %s", en(ret));
	ret = map_handle(fd, a.handle, len, MAP_SHARED, &p);
	if (ret)
		return za_fail("mmap: %s", en(ret));
	if (za_check_words(p, len, 0, "fresh allocation"))
		return -1;
	za_fill_pattern(p, len, 7);
	ret = map_handle(fd, a.handle, len, MAP_SHARED, &q);
	if (ret)
		return za_fail("second mmap: %s", en(ret));
	if (za_check_pattern(q, len, 7, "read through a second mapping"))
		return -1;
	munmap(p, len);
	munmap(q, len);
	ret = map_handle(fd, a.handle, 2 * page_size, MAP_SHARED, &q);
	if (ret)
		return za_fail("mmap after munmap: %s", en(ret));
	if (za_check_pattern(q, 2 * page_size, 7, "a 2-page mapping"))
		return -1;
	munmap(q, 2 * page_size);
	ret = za_rawfree(fd, a.handle);
	if (ret)
		return za_fail("free: %s", en(ret));
	return 0;
}

/*
 * Write a pattern over many allocations, free them, allocate the same again
 * (with and without GFP_ZERO): what userspace sees must be zero.
 */
static int reuse_reads_zero(unsigned int flags)
{
	enum { N = 64 };
	struct zonealloc_alloc a[N];
	unsigned int i, order;
	size_t len;
	void *p;
	int ret, round;

	for (round = 0; round < 2; round++) {
		for (i = 0; i < N; i++) {
			order = i % 4;
			len = page_size << order;
			ret = za_rawalloc(fd, order, round ? flags : 0, &a[i]);
			if (ret)
				return za_fail("round %d alloc %u: %s", round,
					       i, en(ret));
			ret = map_handle(fd, a[i].handle, len, MAP_SHARED, &p);
			if (ret)
				return za_fail("mmap: %s", en(ret));
			if (za_check_words(p, len, 0, round ?
				       "re-allocated pages" : "fresh pages")) {
				munmap(p, len);
				return -1;
			}
			memset(p, 0xa5, len);
			munmap(p, len);
		}
		for (i = 0; i < N; i++) {
			ret = za_rawfree(fd, a[N - 1 - i].handle);
			if (ret)
				return za_fail("free: %s", en(ret));
		}
	}
	return 0;
}

static int t_mmap_reuse_zero(void)
{
	return reuse_reads_zero(0);
}

static int t_mmap_reuse_gfp_zero(void)
{
	return reuse_reads_zero(ZONEALLOC_GFP_ZERO);
}

static int t_mmap_bulk_pages(void)
{
	static __u64 h[32];
	struct zonealloc_bulk b = { .count = 32, .handles = (uintptr_t)h };
	void *p;
	int ret, i;

	ret = za_ioc(fd, ZONEALLOC_IOC_ALLOC_BULK, &b);
	if (ret)
		return za_fail("ALLOC_BULK: %s", en(ret));
	for (i = 0; i < (int)b.count; i++) {
		ret = map_handle(fd, h[i], page_size, MAP_SHARED, &p);
		if (ret)
			return za_fail("mmap bulk handle %d: %s", i, en(ret));
		if (za_check_words(p, page_size, 0, "bulk page")) {
			munmap(p, page_size);
			return -1;
		}
		memset(p, i, page_size);
		munmap(p, page_size);
		if (za_expect_err(map_handle(fd, h[i], 2 * page_size, MAP_SHARED,
					     &p),
				  EINVAL, "2 pages of an order-0 handle"))
			return -1;
	}
	return 0;
}

static int t_mmap_errors(void)
{
	struct zonealloc_alloc a;
	void *p;
	int ret;

	ret = za_rawalloc(fd, 1, 0, &a);
	if (ret)
		return za_fail("alloc: %s", en(ret));
	if (za_expect_err(map_handle(fd, a.handle, 3 * page_size, MAP_SHARED, &p),
			  EINVAL, "length > size"))
		return -1;
	if (za_expect_err(map_handle(fd, a.handle, 2 * page_size, MAP_PRIVATE, &p),
			  EINVAL, "MAP_PRIVATE"))
		return -1;
	if (za_expect_err(map_handle(fd, 0, page_size, MAP_SHARED, &p), ENOENT,
			  "offset 0 (handle 0)"))
		return -1;
	if (za_expect_err(map_handle(fd, 0x7654321ull, page_size, MAP_SHARED, &p),
			  ENOENT, "unknown handle"))
		return -1;
	ret = map_handle(fd, a.handle, page_size, MAP_SHARED, &p);
	if (ret)
		return za_fail("1 of 2 pages: %s", en(ret));
	munmap(p, page_size);
	ret = za_rawfree(fd, a.handle);
	if (ret)
		return za_fail("free: %s", en(ret));
	if (za_expect_err(map_handle(fd, a.handle, page_size, MAP_SHARED, &p),
			  ENOENT, "freed handle"))
		return -1;
	return 0;
}

static int t_mmap_no_grow(void)
{
	struct zonealloc_alloc a;
	void *p, *q;
	int ret;

	ret = za_rawalloc(fd, 1, 0, &a);
	if (ret)
		return za_fail("alloc: %s", en(ret));
	ret = map_handle(fd, a.handle, 2 * page_size, MAP_SHARED, &p);
	if (ret)
		return za_fail("mmap: %s", en(ret));
	map_addr = p;
	map_len = 2 * page_size;
	q = mremap(p, 2 * page_size, 4 * page_size, MREMAP_MAYMOVE);
	if (q != MAP_FAILED) {
		map_addr = q;
		map_len = 4 * page_size;
		return za_fail("mremap grew the mapping to 4 pages");
	}
	q = mremap(p, 2 * page_size, 3 * page_size, 0);
	if (q != MAP_FAILED) {
		map_addr = q;
		map_len = 3 * page_size;
		return za_fail("mremap grew the mapping in place");
	}
	memset(p, 0x5a, 2 * page_size);
	return 0;
}

static int child_status(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

static sigjmp_buf touch_env;

static void touch_handler(int sig)
{
	siglongjmp(touch_env, sig);
}

/* Touch one byte; returns the signal it raised, or 0. */
static int touch(unsigned char *p, int write)
{
	struct sigaction sa, old_bus, old_segv;
	int sig;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = touch_handler;
	sigaction(SIGBUS, &sa, &old_bus);
	sigaction(SIGSEGV, &sa, &old_segv);
	sig = sigsetjmp(touch_env, 1);
	if (!sig) {
		if (write)
			__atomic_store_n(p, 1, __ATOMIC_RELAXED);
		else
			(void)__atomic_load_n(p, __ATOMIC_RELAXED);
	}
	sigaction(SIGBUS, &old_bus, NULL);
	sigaction(SIGSEGV, &old_segv, NULL);
	return sig;
}

static int t_mmap_after_free_sigbus(void)
{
	struct zonealloc_alloc a;
	unsigned char *p;
	void *v;
	int ret, sig;

	ret = za_rawalloc(fd, 2, 0, &a);
	if (ret)
		return za_fail("alloc: %s", en(ret));
	ret = map_handle(fd, a.handle, 4 * page_size, MAP_SHARED, &v);
	if (ret)
		return za_fail("mmap: %s", en(ret));
	map_addr = v;
	map_len = 4 * page_size;
	p = v;
	memset(v, 0x77, 4 * page_size);
	ret = za_rawfree(fd, a.handle);
	if (ret)
		return za_fail("free of a mapped allocation: %s", en(ret));
	sig = touch(p + page_size + 5, 0);
	if (sig != SIGBUS)
		return za_fail("reading freed pages: signal %d, expected SIGBUS",
			       sig);
	sig = touch(p, 1);
	if (sig != SIGBUS)
		return za_fail("writing freed pages: signal %d, expected SIGBUS",
			       sig);
	sig = touch(p + 3 * page_size, 1);
	if (sig != SIGBUS)
		return za_fail("writing the last freed page: signal %d, expected SIGBUS",
			       sig);
	/* The pages went back and come out zeroed. */
	ret = za_rawalloc(fd, 2, 0, &a);
	if (ret)
		return za_fail("realloc: %s", en(ret));
	ret = map_handle(fd, a.handle, 4 * page_size, MAP_SHARED, &v);
	if (ret)
		return za_fail("mmap: %s", en(ret));
	ret = za_check_words(v, 4 * page_size, 0, "re-allocated pages");
	munmap(v, 4 * page_size);
	return ret;
}

/* A mapping keeps the file alive; its pages go back once it is gone too. */
static int t_mmap_outlives_close(void)
{
	struct zonealloc_alloc a;
	__u64 avail = 0;
	void *p;
	int ret, f;

	f = za_devopen();
	if (f < 0)
		return za_fail("open: %s", en(errno));
	ret = za_rawalloc(f, 3, 0, &a);
	if (ret) {
		close(f);
		return za_fail("alloc: %s", en(ret));
	}
	ret = map_handle(f, a.handle, 8 * page_size, MAP_SHARED, &p);
	close(f);
	if (ret)
		return za_fail("mmap: %s", en(ret));
	za_fill_pattern(p, 8 * page_size, 3);
	if (za_check_pattern(p, 8 * page_size, 3, "8 pages")) {
		munmap(p, 8 * page_size);
		return -1;
	}
	ret = za_settle_to(fd, start_avail - 8, &avail, NULL);
	if (ret || avail != start_avail - 8) {
		munmap(p, 8 * page_size);
		return za_fail("while mapped after close: free+pcp %llu, expected %llu",
			       (unsigned long long)avail,
			       (unsigned long long)(start_avail - 8));
	}
	munmap(p, 8 * page_size);
	return 0;
}

/* --------------------------------------------------------- ALLOC_CONTIG */

#ifdef ZONEALLOC_IOC_ALLOC_CONTIG
static int contig(int f, __u32 nr, __u32 flags,
		  struct zonealloc_alloc_contig *c)
{
	memset(c, 0, sizeof(*c));
	c->nr_pages = nr;
	c->flags = flags;
	return za_ioc(f, ZONEALLOC_IOC_ALLOC_CONTIG, c);
}

static int t_contig_basic(void)
{
	static const __u32 sizes[] = { 1, 3, 100, 512, 1500 };
	struct zonealloc_alloc_contig c;
	struct zonealloc_alloc a;
	__u64 pages, allocs;
	unsigned int i;
	void *p;
	int ret;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		size_t len = sizes[i] * page_size;

		ret = contig(fd, sizes[i], 0, &c);
		if (ret)
			return za_fail("%u pages: %s", sizes[i], en(ret));
		if (!c.handle || c.zone >= ZONEALLOC_NR_ZONES)
			return za_fail("%u pages: handle %llu zone %u", sizes[i],
				       (unsigned long long)c.handle, c.zone);
		if (!c.phys_addr || (c.phys_addr & (page_size - 1)))
			return za_fail("root: phys_addr %#llx",
				       (unsigned long long)c.phys_addr);
		if (c.reserved0 || c.reserved1 || c.reserved2 || c.reserved)
			return za_fail("reserved fields set on output");
		if (!c.node)
			return za_fail("no node reported");
		ret = file_figures(fd, &pages, &allocs);
		if (ret || pages != sizes[i] || allocs != 1)
			return za_fail("%u pages: file_pages %llu allocations %llu",
				       sizes[i], (unsigned long long)pages,
				       (unsigned long long)allocs);
		if (za_expect_err(map_handle(fd, c.handle, len + page_size,
					     MAP_SHARED, &p),
				  EINVAL, "mapping %u+1 pages", sizes[i]))
			return -1;
		ret = map_handle(fd, c.handle, len, MAP_SHARED, &p);
		if (ret)
			return za_fail("mmap %u pages: %s", sizes[i], en(ret));
		if (za_check_words(p, len, 0, "fresh contiguous range")) {
			munmap(p, len);
			return -1;
		}
		za_fill_pattern(p, len, sizes[i]);
		munmap(p, len);
		/* Another allocation's offset never falls inside the range. */
		ret = za_rawalloc(fd, 0, 0, &a);
		if (ret)
			return za_fail("alloc: %s", en(ret));
		if (a.handle >= c.handle && a.handle < c.handle + sizes[i])
			return za_fail("handle %llu inside the %u-page range at %llu",
				       (unsigned long long)a.handle, sizes[i],
				       (unsigned long long)c.handle);
		ret = map_handle(fd, c.handle, len, MAP_SHARED, &p);
		if (ret)
			return za_fail("mmap again: %s", en(ret));
		ret = za_check_pattern(p, len, sizes[i], "mapped again");
		munmap(p, len);
		if (ret)
			return -1;
		if (za_rawfree(fd, c.handle) || za_rawfree(fd, a.handle))
			return za_fail("free failed");
		if (za_expect_err(za_rawfree(fd, c.handle), ENOENT,
				  "double free of a range"))
			return -1;
	}
	return 0;
}

static int t_contig_errors(void)
{
	static const __u32 bad_flags[] = {
		ZONEALLOC_GFP_ATOMIC, ZONEALLOC_GFP_MOVABLE, ZONEALLOC_GFP_NOFAIL,
		ZONEALLOC_GFP_DMA | ZONEALLOC_GFP_DMA32,
		ZONEALLOC_GFP_DMA | ZONEALLOC_GFP_HIGHMEM, 0x2000, 0x80000000u,
	};
	struct zonealloc_alloc_contig c;
	unsigned int i;

	if (za_expect_err(contig(fd, 0, 0, &c), EINVAL, "0 pages"))
		return -1;
	if (za_expect_err(contig(fd, ZONEALLOC_CONTIG_MAX_PAGES + 1, 0, &c), EINVAL,
			  "MAX+1 pages"))
		return -1;
	if (za_expect_err(contig(fd, 0xffffffffu, 0, &c), EINVAL, "~0 pages"))
		return -1;
	for (i = 0; i < ARRAY_SIZE(bad_flags); i++) {
		if (za_expect_err(contig(fd, 4, bad_flags[i], &c), EINVAL,
				  "flags %#x", bad_flags[i]))
			return -1;
	}
	for (i = 0; i < 5; i++) {
		memset(&c, 0, sizeof(c));
		c.nr_pages = 4;
		if (i == 0)
			c.reserved0 = 1;
		else if (i == 1)
			c.reserved1 = 1;
		else if (i == 2)
			c.reserved2 = 1;
		else if (i == 3)
			c.reserved = 1ull << 63;
		else
			c.node = ZONEALLOC_NODE(1u << 20);
		if (za_expect_err(za_ioc(fd, ZONEALLOC_IOC_ALLOC_CONTIG, &c),
				  EINVAL, "reserved field %u", i))
			return -1;
	}
	/* Larger than the pool (but within the limit): -ENOMEM. */
	if (za_expect_err(contig(fd, start_avail + 1 <= ZONEALLOC_CONTIG_MAX_PAGES ?
				     start_avail + 1 : ZONEALLOC_CONTIG_MAX_PAGES,
				 ZONEALLOC_GFP_NOWARN, &c),
			  ENOMEM, "more pages than the pool"))
		return -1;
	return nothing_left(fd, "failed calls");
}

static int t_contig_efault(void)
{
	struct zonealloc_alloc_contig c = { .nr_pages = 5 };

	return efault_cases(ZONEALLOC_IOC_ALLOC_CONTIG, sizeof(c), &c);
}

/* Freeing a mapped range larger than one handle's span: all of it SIGBUS. */
static int t_contig_free_mapped(void)
{
	struct zonealloc_alloc_contig c;
	size_t len = 2500 * page_size;
	unsigned char *p;
	void *v;
	int ret, sig;

	ret = contig(fd, 2500, 0, &c);
	if (ret)
		return za_fail("2500 pages: %s", en(ret));
	ret = map_handle(fd, c.handle, len, MAP_SHARED, &v);
	if (ret)
		return za_fail("mmap: %s", en(ret));
	map_addr = v;
	map_len = len;
	p = v;
	memset(p, 0x11, len);
	ret = za_rawfree(fd, c.handle);
	if (ret)
		return za_fail("free: %s", en(ret));
	sig = touch(p + 2400 * page_size, 0);
	if (sig != SIGBUS)
		return za_fail("page 2400 after FREE: signal %d, expected SIGBUS",
			       sig);
	sig = touch(p + 1100 * page_size, 1);
	if (sig != SIGBUS)
		return za_fail("page 1100 after FREE: signal %d, expected SIGBUS",
			       sig);
	sig = touch(p, 0);
	if (sig != SIGBUS)
		return za_fail("page 0 after FREE: signal %d, expected SIGBUS",
			       sig);
	return 0;
}

static int t_contig_unprivileged(void)
{
	struct zonealloc_alloc_contig c;
	int status;
	pid_t pid;

	if (chmod(ZA_DEV, 0666))
		return za_fail("chmod: %s", en(errno));
	fflush(stdout);
	pid = fork();
	if (!pid) {
		int f;

		if (setgroups(0, NULL) || setgid(65534) || setuid(65534))
			_exit(10);
		f = za_devopen();
		if (f < 0)
			_exit(11);
		if (contig(f, 7, 0, &c))
			_exit(12);
		_exit(c.phys_addr ? 13 : 0);
	}
	status = pid > 0 ? child_status(pid) : -1;
	chmod(ZA_DEV, 0600);
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		return za_fail("child status %#x (13: got a phys_addr)",
			       status);
	return 0;
}
#endif

/* ---------------------------------------------------------------- QUERY */

#ifdef ZONEALLOC_IOC_QUERY
static int query(int f, __u64 handle, struct zonealloc_query *q)
{
	memset(q, 0, sizeof(*q));
	q->handle = handle;
	return za_ioc(f, ZONEALLOC_IOC_QUERY, q);
}

static int t_query(void)
{
	static const unsigned int flags[] = {
		0, ZONEALLOC_GFP_MOVABLE | ZONEALLOC_GFP_ZERO,
		ZONEALLOC_GFP_RECLAIMABLE | ZONEALLOC_GFP_NOWARN,
	};
	struct zonealloc_query q;
	struct zonealloc_alloc a;
	unsigned int i;
	__u64 h;
	int ret;

	for (i = 0; i < ARRAY_SIZE(flags); i++) {
		ret = za_rawalloc(fd, 3, flags[i], &a);
		if (ret)
			return za_fail("alloc flags %#x: %s", flags[i], en(ret));
		ret = query(fd, a.handle, &q);
		if (ret)
			return za_fail("QUERY: %s", en(ret));
		if (q.handle != a.handle || q.nr_pages != 8 ||
		    q.flags != flags[i] || q.phys_addr != a.phys_addr ||
		    q.zone >= ZONEALLOC_NR_ZONES || q.reserved0 ||
		    q.reserved[0] || q.reserved[1])
			return za_fail("QUERY %#x: pages %llu flags %#x phys %#llx/%#llx zone %u",
				       flags[i], (unsigned long long)q.nr_pages,
				       q.flags, (unsigned long long)q.phys_addr,
				       (unsigned long long)a.phys_addr, q.zone);
		if (!(flags[i] & ZONEALLOC_GFP_MOVABLE) &&
		    (q.zone != a.zone || q.moves))
			return za_fail("an unmovable allocation moved");
	}
	h = a.handle;
	if (za_rawfree(fd, h))
		return za_fail("free failed");
	if (za_expect_err(query(fd, h, &q), ENOENT, "freed handle"))
		return -1;
	if (za_expect_err(query(fd, 0, &q), ENOENT, "handle 0"))
		return -1;
	if (za_expect_err(query(fd, 0x12345ull, &q), ENOENT, "unknown handle"))
		return -1;
	ret = za_rawalloc(fd, 0, 0, &a);
	if (ret)
		return za_fail("alloc: %s", en(ret));
	fd2 = za_devopen();
	if (fd2 < 0)
		return za_fail("second open: %s", en(errno));
	if (za_expect_err(query(fd2, a.handle, &q), ENOENT,
			  "another file's handle"))
		return -1;
	memset(&q, 0, sizeof(q));
	q.handle = a.handle;
	q.reserved0 = 1;
	if (za_expect_err(za_ioc(fd, ZONEALLOC_IOC_QUERY, &q), EINVAL,
			  "reserved0 set"))
		return -1;
	memset(&q, 0, sizeof(q));
	q.handle = a.handle;
	q.reserved[1] = 1;
	if (za_expect_err(za_ioc(fd, ZONEALLOC_IOC_QUERY, &q), EINVAL,
			  "reserved[1] set"))
		return -1;
	if (za_expect_err(za_ioc(fd, ZONEALLOC_IOC_QUERY, NULL), EFAULT,
			  "NULL argument"))
		return -1;
#ifdef ZONEALLOC_IOC_ALLOC_CONTIG
	{
		struct zonealloc_alloc_contig c;

		ret = contig(fd, 37, 0, &c);
		if (ret)
			return za_fail("ALLOC_CONTIG 37: %s", en(ret));
		ret = query(fd, c.handle, &q);
		if (ret || q.nr_pages != 37 || q.phys_addr != c.phys_addr)
			return za_fail("QUERY of a 37-page range: %s nr_pages %llu",
				       en(ret), (unsigned long long)q.nr_pages);
	}
#endif
	return 0;
}
#endif

/* ------------------------------------------------------------ ownership */

static int t_ownership(void)
{
	struct zonealloc_alloc a, b;
	__u64 pages, allocs;
	void *p;
	int ret;

	fd2 = za_devopen();
	if (fd2 < 0)
		return za_fail("second open: %s", en(errno));
	ret = za_rawalloc(fd, 1, 0, &a);
	if (ret)
		return za_fail("alloc: %s", en(ret));
	ret = za_rawalloc(fd2, 1, 0, &b);
	if (ret)
		return za_fail("alloc on the second file: %s", en(ret));
	if (za_expect_err(za_rawfree(fd2, a.handle), ENOENT,
			  "free of another file's handle"))
		return -1;
	ret = map_handle(fd2, a.handle, page_size, MAP_SHARED, &p);
	if (ret != -ENOENT) {
		if (!ret)
			munmap(p, page_size);
		return za_fail("mmap of another file's handle: %s, expected ENOENT",
			       en(ret));
	}
	ret = file_figures(fd, &pages, &allocs);
	if (ret || allocs != 1 || pages != 2)
		return za_fail("owner lost its allocation");
	ret = file_figures(fd2, &pages, &allocs);
	if (ret || allocs != 1 || pages != 2)
		return za_fail("second file's figures %llu/%llu",
			       (unsigned long long)pages,
			       (unsigned long long)allocs);
	if (a.handle != b.handle) {
		if (za_expect_err(za_rawfree(fd, b.handle), ENOENT, "reverse"))
			return -1;
	}
	ret = za_rawfree(fd, a.handle);
	if (ret)
		return za_fail("owner's free: %s", en(ret));
	ret = za_rawfree(fd2, b.handle);
	if (ret)
		return za_fail("second owner's free: %s", en(ret));
	return 0;
}

/* -------------------------------------------------------------- cleanup */

static int alloc_lots(int f, int map)
{
	static __u64 h[512];
	struct zonealloc_bulk b = { .count = 512, .handles = (uintptr_t)h };
	struct zonealloc_alloc a;
	unsigned int i;
	void *p;

	if (za_ioc(f, ZONEALLOC_IOC_ALLOC_BULK, &b))
		return -1;
	for (i = 0; i < 200; i++) {
		if (za_rawalloc(f, i % 6, i & 1 ? ZONEALLOC_GFP_MOVABLE : 0,
				&a))
			return -1;
		if (map && !map_handle(f, a.handle, page_size << (i % 6),
				       MAP_SHARED, &p))
			memset(p, 0xee, page_size);
	}
	/* Free some pages to fill the per-CPU lists. */
	for (i = 0; i < 64; i++)
		za_rawfree(f, h[i]);
	return 0;
}

static int t_cleanup_on_close(void)
{
	__u64 avail = 0;
	int f, ret;

	f = za_devopen();
	if (f < 0)
		return za_fail("open: %s", en(errno));
	ret = alloc_lots(f, 0);
	close(f);
	if (ret)
		return za_fail("allocations failed");
	ret = za_settled(fd, &avail, NULL);
	if (ret || avail != start_avail)
		return za_fail("after close: free+pcp %llu, expected %llu",
			       (unsigned long long)avail,
			       (unsigned long long)start_avail);
	return 0;
}

static int t_cleanup_on_sigkill(void)
{
	int pfd[2], status, ret;
	__u64 avail = 0, before;
	char c = 0;
	pid_t pid;

	if (pipe(pfd))
		return za_fail("pipe: %s", en(errno));
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return za_fail("fork: %s", en(errno));
	if (!pid) {
		int f = za_devopen();

		close(pfd[0]);
		c = f >= 0 && !alloc_lots(f, 1) ? 'y' : 'n';
		if (write(pfd[1], &c, 1) != 1)
			_exit(2);
		for (;;)
			pause();
	}
	close(pfd[1]);
	ret = read(pfd[0], &c, 1);
	close(pfd[0]);
	if (za_settled_once(fd, &before, NULL))
		before = 0;
	kill(pid, SIGKILL);
	status = child_status(pid);
	if (ret != 1 || c != 'y')
		return za_fail("the child could not allocate");
	if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL)
		return za_fail("child status %#x", status);
	if (before >= start_avail)
		return za_fail("the child held no pages");
	ret = za_settled(fd, &avail, NULL);
	if (ret || avail != start_avail)
		return za_fail("after SIGKILL: free+pcp %llu, expected %llu",
			       (unsigned long long)avail,
			       (unsigned long long)start_avail);
	return 0;
}

/* ------------------------------------------------------------ privilege */

static int t_device_node(void)
{
	struct stat st;

	if (stat(ZA_DEV, &st))
		return za_fail("stat: %s", en(errno));
	if (!S_ISCHR(st.st_mode))
		return za_fail("not a character device");
	if ((st.st_mode & 07777) != 0600 || st.st_uid || st.st_gid)
		return za_fail("mode %o owner %u:%u, expected 600 0:0",
			       st.st_mode & 07777, st.st_uid, st.st_gid);
	return 0;
}

static int t_phys_addr_root(void)
{
	struct zonealloc_alloc a;
	int ret;

	ret = za_rawalloc(fd, 0, 0, &a);
	if (ret)
		return za_fail("unmovable alloc: %s", en(ret));
	if (!a.phys_addr)
		return za_fail("root, unmovable: phys_addr 0");
	if (a.phys_addr & (page_size - 1))
		return za_fail("phys_addr %#llx not page aligned",
			       (unsigned long long)a.phys_addr);
	ret = za_rawalloc(fd, 4, ZONEALLOC_GFP_DMA32, &a);
	if (!ret && (!a.phys_addr ||
		     a.phys_addr + (16 * page_size) > (1ull << 32) ||
		     (a.phys_addr & (16 * page_size - 1))))
		return za_fail("DMA32 order 4: phys_addr %#llx",
			       (unsigned long long)a.phys_addr);
	ret = za_rawalloc(fd, 0, ZONEALLOC_GFP_MOVABLE, &a);
	if (ret)
		return za_fail("movable alloc: %s", en(ret));
	if (a.phys_addr)
		return za_fail("root, movable: phys_addr %#llx, expected 0",
			       (unsigned long long)a.phys_addr);
	ret = za_rawalloc(fd, 0, ZONEALLOC_GFP_MOVABLE | ZONEALLOC_GFP_HIGHMEM,
			  &a);
	if (!ret && a.phys_addr)
		return za_fail("root, movable|highmem: phys_addr %#llx",
			       (unsigned long long)a.phys_addr);
	return 0;
}

static int unpriv_child(void)
{
	struct zonealloc_alloc a;
	void *p;
	int f;

	if (setgroups(0, NULL) || setgid(65534) || setuid(65534))
		return 10;
	if (!geteuid())
		return 11;
	f = za_devopen();
	if (f < 0)
		return 12;
	if (za_rawalloc(f, 0, 0, &a))
		return 13;
	if (a.phys_addr)
		return 14;
	if (map_handle(f, a.handle, page_size, MAP_SHARED, &p))
		return 15;
	memset(p, 1, page_size);
	if (za_rawalloc(f, 0, ZONEALLOC_GFP_MOVABLE, &a))
		return 16;
	if (a.phys_addr)
		return 17;
	if (za_rawdrain(f, -1) != -EPERM)
		return 18;
	if (za_rawalloc(f, 0, ZONEALLOC_GFP_HIGH, &a) != -EPERM)
		return 19;
	return 0;
}

/*
 * Run @child in a forked process; its exit status 0 passes, and any other
 * is explained by @why[status] (a table of @nwhy), after @what.
 */
static int child_verdict(int (*child)(void), const char * const *why,
			 size_t nwhy, const char *what)
{
	int status, code;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return za_fail("fork: %s", en(errno));
	if (!pid)
		_exit(child());
	status = child_status(pid);
	if (!WIFEXITED(status))
		return za_fail("child status %#x", status);
	code = WEXITSTATUS(status);
	if (code)
		return za_fail("%s%s", what, (size_t)code < nwhy && why[code] ?
			       why[code] : "child failed");
	return 0;
}

static int t_phys_addr_unprivileged(void)
{
	static const char * const why[] = {
		[10] = "setuid(65534) failed",
		[11] = "still root",
		[12] = "open failed after chmod 0666",
		[13] = "unmovable alloc failed",
		[14] = "unprivileged unmovable alloc got a phys_addr",
		[15] = "mmap failed",
		[16] = "movable alloc failed",
		[17] = "unprivileged movable alloc got a phys_addr",
		[18] = "DRAIN did not fail with EPERM",
		[19] = "HIGH did not fail with EPERM",
	};
	int ret;

	if (chmod(ZA_DEV, 0666))
		return za_fail("chmod: %s", en(errno));
	ret = child_verdict(unpriv_child, why, ARRAY_SIZE(why), "");
	chmod(ZA_DEV, 0600);
	return ret;
}

/* Clear CAP_SYS_ADMIN from the effective set, staying uid 0. */
static int drop_cap_sys_admin(void)
{
	struct __user_cap_header_struct h = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d))
		return -1;
	d[CAP_SYS_ADMIN / 32].effective &= ~(1U << (CAP_SYS_ADMIN % 32));
	return syscall(SYS_capset, &h, d) ? -1 : 0;
}

/* Each privileged request fails with EPERM without CAP_SYS_ADMIN. */
static int reserves_child(int f, int (*drop)(void))
{
	struct zonealloc_alloc_contig c = { .nr_pages = 4,
					    .flags = ZONEALLOC_GFP_HIGH };
	struct zonealloc_compact k = { .zone = ZONEALLOC_ZONE_ALL,
				       .order = -1 };
	struct zonealloc_bulk b;
	struct zonealloc_alloc a;
	__u64 h[2];

	if (drop())
		return 10;
	if (za_rawalloc(f, 0, ZONEALLOC_GFP_HIGH, &a) != -EPERM)
		return 11;
	if (za_rawalloc(f, 0, ZONEALLOC_GFP_ATOMIC, &a) != -EPERM)
		return 12;
	if (za_rawalloc(f, 2, ZONEALLOC_GFP_ATOMIC | ZONEALLOC_GFP_HIGH,
			&a) != -EPERM)
		return 13;
	b = (struct zonealloc_bulk){ .count = 2, .flags = ZONEALLOC_GFP_HIGH,
				     .handles = (uintptr_t)h };
	if (za_ioc(f, ZONEALLOC_IOC_ALLOC_BULK, &b) != -EPERM)
		return 14;
	if (za_ioc(f, ZONEALLOC_IOC_ALLOC_CONTIG, &c) != -EPERM)
		return 15;
	if (za_ioc(f, ZONEALLOC_IOC_COMPACT, &k) != -EPERM)
		return 16;
	if (za_rawdrain(f, -1) != -EPERM || za_rawdrain(f, 0) != -EPERM)
		return 17;
	if (za_rawalloc(f, 0, 0, &a) || za_rawalloc(f, 0, ZONEALLOC_GFP_MOVABLE, &a))
		return 18;
	return 0;
}

static int cap_child(void)
{
	return reserves_child(fd, drop_cap_sys_admin);
}

static int already_dropped(void)
{
	return 0;
}

static int nobody_child(void)
{
	int f;

	if (become_nobody())
		return 10;
	f = za_devopen();
	return f < 0 ? 19 : reserves_child(f, already_dropped);
}

static int privileged_requests(int (*child)(void))
{
	static const char * const why[] = {
		[10] = "could not drop CAP_SYS_ADMIN",
		[11] = "HIGH allowed",
		[12] = "ATOMIC allowed",
		[13] = "ATOMIC|HIGH allowed",
		[14] = "ALLOC_BULK with HIGH allowed",
		[15] = "ALLOC_CONTIG with HIGH allowed",
		[16] = "COMPACT allowed",
		[17] = "DRAIN allowed",
		[18] = "a plain allocation failed",
		[19] = "open failed after chmod 0666",
	};

	return child_verdict(child, why, ARRAY_SIZE(why),
			     "without CAP_SYS_ADMIN: ");
}

/*
 * ATOMIC and HIGH (below min, high-atomic reserves), COMPACT and DRAIN
 * need CAP_SYS_ADMIN, checked when the call is made: root without it and
 * nobody both get EPERM; root with it gets them.
 */
static int t_reserves_need_cap_sys_admin(void)
{
	static const unsigned int flags[] = {
		ZONEALLOC_GFP_HIGH, ZONEALLOC_GFP_ATOMIC,
		ZONEALLOC_GFP_ATOMIC | ZONEALLOC_GFP_HIGH,
	};
	struct zonealloc_alloc a;
	unsigned int i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(flags); i++) {
		ret = za_rawalloc(fd, 0, flags[i], &a);
		if (ret)
			return za_fail("root, flags %#x: %s", flags[i], en(ret));
	}
	ret = privileged_requests(cap_child);
	if (ret)
		return ret;
	if (chmod(ZA_DEV, 0666))
		return za_fail("chmod: %s", en(errno));
	ret = privileged_requests(nobody_child);
	chmod(ZA_DEV, 0600);
	return ret;
}

static int t_unprivileged_no_access(void)
{
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return za_fail("fork: %s", en(errno));
	if (!pid) {
		if (setgroups(0, NULL) || setgid(65534) || setuid(65534))
			_exit(10);
		_exit(za_devopen() < 0 && errno == EACCES ? 0 : 11);
	}
	status = child_status(pid);
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		return za_fail("nobody could open a 0600 root device (status %#x)",
			       status);
	return 0;
}

static const struct {
	const char *name;
	int (*fn)(void);
} tests[] = {
	{ "device-node-0600-root", t_device_node },
	{ "alloc-basic", t_alloc_basic },
	{ "alloc-every-order", t_alloc_every_order },
	{ "alloc-bad-order", t_alloc_bad_order },
	{ "alloc-unknown-flags", t_alloc_unknown_flags },
	{ "alloc-zone-combinations", t_alloc_zone_combinations },
	{ "alloc-bad-flag-combinations", t_alloc_bad_combinations },
	{ "alloc-reserved", t_alloc_reserved },
	{ "alloc-migratetype", t_alloc_migratetype },
	{ "alloc-unique-handles", t_alloc_unique_handles },
	{ "alloc-enomem", t_alloc_enomem },
	{ "alloc-quota-per-user-edquot", t_alloc_quota },
	{ "info-user-pages", t_info_user_pages },
	{ "alloc-efault-no-leak", t_alloc_efault },
	{ "info-efault", t_info_efault },
	{ "bulk-arg-efault-no-leak", t_bulk_arg_efault },
#ifdef ZONEALLOC_IOC_ALLOC_CONTIG
	{ "contig-basic", t_contig_basic },
	{ "contig-errors", t_contig_errors },
	{ "contig-efault-no-leak", t_contig_efault },
	{ "contig-free-mapped-sigbus", t_contig_free_mapped },
	{ "contig-phys-addr-unprivileged", t_contig_unprivileged },
#endif
	{ "free-errors", t_free_errors },
	{ "bulk-basic", t_bulk_basic },
	{ "bulk-max", t_bulk_max },
	{ "bulk-alloc-errors", t_bulk_alloc_errors },
	{ "bulk-efault-no-leak", t_bulk_efault },
	{ "bulk-free-all-or-nothing", t_bulk_free_all_or_nothing },
	{ "bulk-partial-and-enomem", t_bulk_partial_and_enomem },
	{ "info-figures", t_info_figures },
	{ "info-sizes", t_info_sizes },
	{ "info-larger-buffer", t_info_size_ver0_bounds },
	{ "compact-valid", t_compact },
	{ "compact-errors", t_compact_errors },
	{ "drain-cpus", t_drain },
	{ "drain-empties-pcp", t_drain_empties_pcp },
	{ "unknown-commands-enotty", t_unknown_commands },
	{ "mmap-roundtrip", t_mmap_roundtrip },
	{ "mmap-reuse-reads-zero", t_mmap_reuse_zero },
	{ "mmap-reuse-reads-zero-gfp-zero", t_mmap_reuse_gfp_zero },
	{ "mmap-bulk-pages", t_mmap_bulk_pages },
	{ "mmap-errors", t_mmap_errors },
	{ "mmap-no-grow", t_mmap_no_grow },
	{ "mmap-after-free-sigbus", t_mmap_after_free_sigbus },
	{ "mmap-outlives-close", t_mmap_outlives_close },
#ifdef ZONEALLOC_IOC_QUERY
	{ "query", t_query },
#endif
	{ "ownership-two-files", t_ownership },
	{ "cleanup-on-close", t_cleanup_on_close },
	{ "cleanup-on-sigkill", t_cleanup_on_sigkill },
	{ "phys-addr-root", t_phys_addr_root },
	{ "phys-addr-unprivileged", t_phys_addr_unprivileged },
	{ "reserves-compact-drain-need-cap-sys-admin",
	  t_reserves_need_cap_sys_admin },
	{ "unprivileged-no-access-0600", t_unprivileged_no_access },
};

int main(int argc, char **argv)
{
	const char *only = argc > 1 ? argv[1] : NULL;
	__u64 pool;
	unsigned int i;
	int f, ret;

	setvbuf(stdout, NULL, _IOLBF, 0);
	page_size = sysconf(_SC_PAGESIZE);
	f = za_devopen();
	if (f < 0) {
		printf("FAIL: za_ioctl_test-open (%s: %s)\n", ZA_DEV,
		       en(errno));
		return 3;
	}
	ret = za_settled(f, &start_avail, &pool);
	close(f);
	if (ret) {
		printf("FAIL: za_ioctl_test-start (DRAIN/INFO: %s)\n", en(ret));
		return 1;
	}
	za_report("pool-idle-at-start", start_avail == pool,
		  "free+pcp != pool_pages before any allocation");
	for (i = 0; i < ARRAY_SIZE(tests); i++)
		if (!only || strstr(tests[i].name, only))
			run(tests[i].name, tests[i].fn);
	return za_summary("za_ioctl_test");
}
