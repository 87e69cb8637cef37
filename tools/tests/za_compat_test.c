// SPDX-License-Identifier: GPL-2.0
/*
 * The 32-bit ABI: built with -m32 and run on a 64-bit kernel, this drives
 * ALLOC, FREE, ALLOC_BULK, FREE_BULK, INFO, COMPACT, DRAIN and mmap through
 * compat_ioctl. The structures have the same layout in both ABIs, and
 * ALLOC_BULK's handles pointer is a __u64 holding a 32-bit address.
 */

#define _FILE_OFFSET_BITS 64
#include "za_test.h"

#include <sys/mman.h>

static int fd;

static int t_compat_abi(void)
{
	if (sizeof(void *) != 4)
		return za_fail("not a 32-bit build (pointers of %zu bytes)",
			       sizeof(void *));
	if (sizeof(struct zonealloc_alloc) != 48 ||
	    sizeof(struct zonealloc_free) != 16 ||
	    sizeof(struct zonealloc_bulk) != 32 ||
	    sizeof(struct zonealloc_info) != ZONEALLOC_INFO_SIZE_VER1 ||
	    sizeof(struct zonealloc_compact) != 40 ||
	    sizeof(struct zonealloc_drain) != 8)
		return za_fail("structure sizes differ from the 64-bit ABI");
	return 0;
}

static int t_compat_alloc_free(void)
{
	struct zonealloc_alloc a;
	struct zonealloc_info info;
	int ret;

	ret = za_rawalloc(fd, 2, 0, &a);
	if (ret)
		return za_fail("ALLOC: %s", za_errname(ret));
	if (!a.handle || a.zone >= ZONEALLOC_NR_ZONES)
		return za_fail("handle %llu zone %u",
			       (unsigned long long)a.handle, a.zone);
	if (!a.phys_addr)
		return za_fail("root, unmovable: phys_addr 0");
	ret = za_rawinfo(fd, &info);
	if (ret)
		return za_fail("INFO: %s", za_errname(ret));
	if (info.file_pages != 4 || info.file_allocations != 1 ||
	    info.nr_zones != ZONEALLOC_NR_ZONES ||
	    info.max_order != ZONEALLOC_MAX_ORDER || !info.pool_pages)
		return za_fail("INFO figures: file_pages %llu allocations %llu",
			       (unsigned long long)info.file_pages,
			       (unsigned long long)info.file_allocations);
	ret = za_rawfree(fd, a.handle);
	if (ret)
		return za_fail("FREE: %s", za_errname(ret));
	if (za_expect_err(za_rawfree(fd, a.handle), ENOENT, "double FREE"))
		return -1;
	if (za_expect_err(za_rawalloc(fd, 11, 0, &a), EINVAL, "order 11"))
		return -1;
	info.size = ZONEALLOC_INFO_SIZE_VER0 - 1;
	if (za_expect_err(za_ioc(fd, ZONEALLOC_IOC_INFO, &info), EINVAL,
			  "INFO short size"))
		return -1;
	return 0;
}

static int t_compat_bulk(void)
{
	static __u64 h[16];
	struct zonealloc_bulk b = { .count = 16, .handles = (uintptr_t)h };
	struct zonealloc_info info;
	int ret, i;

	ret = za_ioc(fd, ZONEALLOC_IOC_ALLOC_BULK, &b);
	if (ret)
		return za_fail("ALLOC_BULK: %s", za_errname(ret));
	for (i = 0; i < (int)b.count; i++)
		if (!h[i])
			return za_fail("handle %d is 0", i);
	ret = za_rawinfo(fd, &info);
	if (ret || info.file_pages != b.count)
		return za_fail("INFO file_pages %llu, count %u",
			       (unsigned long long)info.file_pages, b.count);
	ret = za_ioc(fd, ZONEALLOC_IOC_FREE_BULK, &b);
	if (ret)
		return za_fail("FREE_BULK: %s", za_errname(ret));
	b.handles = 0;
	if (za_expect_err(za_ioc(fd, ZONEALLOC_IOC_ALLOC_BULK, &b), EFAULT,
			  "NULL handles"))
		return -1;
	return 0;
}

static int t_compat_mmap(void)
{
	size_t ps = sysconf(_SC_PAGESIZE);
	struct zonealloc_alloc a;
	unsigned char *p;
	size_t i;
	int ret;

	ret = za_rawalloc(fd, 1, 0, &a);
	if (ret)
		return za_fail("ALLOC: %s", za_errname(ret));
	p = mmap(NULL, 2 * ps, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		 (off_t)(a.handle * ps));
	if (p == MAP_FAILED)
		return za_fail("mmap: %s", za_errname(errno));
	for (i = 0; i < 2 * ps; i++)
		if (p[i])
			return za_fail("fresh page not zero");
	memset(p, 0x3c, 2 * ps);
	munmap(p, 2 * ps);
	return za_rawfree(fd, a.handle) ? za_fail("FREE failed") : 0;
}

static int t_compat_compact_drain(void)
{
	struct zonealloc_compact c = { .zone = ZONEALLOC_ZONE_ALL,
				       .order = -1 };
	int ret;

	ret = za_ioc(fd, ZONEALLOC_IOC_COMPACT, &c);
	if (ret && ret != -EOPNOTSUPP && ret != -EAGAIN)
		return za_fail("COMPACT: %s", za_errname(ret));
	c.mode = 3;
	if (za_expect_err(za_ioc(fd, ZONEALLOC_IOC_COMPACT, &c), EINVAL,
			  "COMPACT mode 3"))
		return -1;
	ret = za_rawdrain(fd, -1);
	if (ret)
		return za_fail("DRAIN: %s", za_errname(ret));
	if (za_expect_err(za_ioc(fd, _IOWR(ZONEALLOC_IOC_MAGIC, 0x3f, __u64), &c),
			  ENOTTY, "unknown command"))
		return -1;
	return 0;
}

int main(void)
{
	__u64 before, after;

	setvbuf(stdout, NULL, _IOLBF, 0);
	fd = za_devopen();
	if (fd < 0) {
		printf("FAIL: compat32-open (%s: %s)\n", ZA_DEV,
		       za_errname(errno));
		return 3;
	}
	if (za_settled(fd, &before, NULL))
		before = 0;
	za_run("compat32-abi", t_compat_abi);
	za_run("compat32-alloc-free-info", t_compat_alloc_free);
	za_run("compat32-bulk", t_compat_bulk);
	za_run("compat32-mmap", t_compat_mmap);
	za_run("compat32-compact-drain-enotty", t_compat_compact_drain);
	if (za_settled(fd, &after, NULL))
		after = 1;
	close(fd);
	za_report("compat32-no-leak", before == after,
		  "free+pcp differs after the tests");
	return za_summary("za_compat_test");
}
