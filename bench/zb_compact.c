// SPDX-License-Identifier: GPL-2.0
/*
 * zb_compact: the fragmenting workload of the compaction issue, against
 * zonealloc and against the kernel, run in the benchmark VM.
 *
 *   zb_compact za        fill /dev/zonealloc's pool with movable order-0
 *                        pages, free three of every four, one sync
 *                        compaction of every zone
 *   zb_compact k MIB     the same on MIB of anonymous memory, in a VM
 *                        whose free memory is not much more than that:
 *                        fault it in, MADV_DONTNEED three of every four
 *                        pages, then echo 1 >/proc/sys/vm/compact_memory
 *                        (kcompactd and watermark boosting are turned off
 *                        first, so that only that compaction runs)
 *
 * Prints "ZBC <side> <key> <value>" lines: possible and formed order-9
 * blocks, pages migrated, compaction time in ns, and the order-9 unusable
 * index before and after (in thousandths).
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <linux/zonealloc.h>

#define PAGE	4096UL

static const char * const zone_names[] = {
	"DMA", "DMA32", "Normal", "HighMem", "Movable",
};

static unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* The order-9 column of a zone's line in an unusable_index file, x1000. */
static long unusable9(const char *path, const char *zone)
{
	char line[512], name[32];
	long best = -1;
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		int node, n, o, a, b;
		char *p;

		if (sscanf(line, "Node %d, zone %31s%n", &node, name, &n) != 2)
			continue;
		if (strcmp(name, zone))
			continue;
		p = line + n;
		for (o = 0; o <= 9; o++) {
			int used;

			if (sscanf(p, " %d.%d%n", &a, &b, &used) != 2)
				break;
			p += used;
			if (o == 9)
				best = a * 1000L + b;
		}
	}
	fclose(f);
	return best;
}

/* Free order-9 blocks (an order-10 block counts twice) in /proc/buddyinfo. */
static long buddy9(void)
{
	char line[512], name[32];
	long total = 0;
	FILE *f = fopen("/proc/buddyinfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		unsigned long v[11];
		int node, n;

		if (sscanf(line, "Node %d, zone %31s%n", &node, name, &n) != 2)
			continue;
		if (sscanf(line + n, "%lu %lu %lu %lu %lu %lu %lu %lu %lu %lu %lu",
			   &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6],
			   &v[7], &v[8], &v[9], &v[10]) != 11)
			continue;
		total += v[9] + 2 * v[10];
	}
	fclose(f);
	return total;
}

static long read_vmstat(const char *key)
{
	char name[128];
	long val, ret = -1;
	FILE *f = fopen("/proc/vmstat", "r");

	if (!f)
		return -1;
	while (fscanf(f, "%127s %ld", name, &val) == 2)
		if (!strcmp(name, key))
			ret = val;
	fclose(f);
	return ret;
}

static int zb_info(int fd, struct zonealloc_info *in)
{
	memset(in, 0, sizeof(*in));
	in->size = sizeof(*in);
	return ioctl(fd, ZONEALLOC_IOC_INFO, in);
}

static int run_za(void)
{
	const char *ui = "/sys/kernel/debug/zonealloc/extfrag/unusable_index";
	unsigned long nr = 0, cap, i, kept = 0, possible = 0, formed = 0;
	struct zonealloc_compact c = {
		.zone = ZONEALLOC_ZONE_ALL, .order = -1,
		.mode = ZONEALLOC_COMPACT_SYNC,
	};
	struct zonealloc_drain d = { .cpu = -1 };
	struct zonealloc_info in;
	const char *zone = "DMA32";
	__u64 *handles, *frees;
	unsigned long nfree = 0, most = 0;
	unsigned long long t0, t1;
	int fd, z, ret;

	fd = open("/dev/zonealloc", O_RDWR);
	if (fd < 0 || zb_info(fd, &in)) {
		perror("zb_compact: /dev/zonealloc");
		return 1;
	}
	for (z = 0; z < ZONEALLOC_NR_ZONES; z++) {
		if (in.zones[z].managed_pages > most) {
			most = in.zones[z].managed_pages;
			zone = zone_names[z];
		}
	}
	cap = in.pool_pages;
	handles = calloc(cap, sizeof(*handles));
	frees = calloc(cap, sizeof(*frees));
	if (!handles || !frees)
		return 1;
	for (;;) {
		struct zonealloc_bulk b = {
			.count = ZONEALLOC_BULK_MAX,
			.flags = ZONEALLOC_GFP_MOVABLE | ZONEALLOC_GFP_NOWARN,
			.handles = (uintptr_t)(handles + nr),
		};

		if (nr + b.count > cap)
			b.count = cap - nr;
		if (!b.count || ioctl(fd, ZONEALLOC_IOC_ALLOC_BULK, &b))
			break;
		nr += b.count;
	}
	for (i = 0; i < nr; i++) {
		if (i % 4 == 3)
			kept++;
		else
			frees[nfree++] = handles[i];
	}
	for (i = 0; i < nfree; i += ZONEALLOC_BULK_MAX) {
		struct zonealloc_bulk b = {
			.count = nfree - i < ZONEALLOC_BULK_MAX ?
				 nfree - i : ZONEALLOC_BULK_MAX,
			.handles = (uintptr_t)(frees + i),
		};

		if (ioctl(fd, ZONEALLOC_IOC_FREE_BULK, &b)) {
			perror("zb_compact: FREE_BULK");
			return 1;
		}
	}
	ioctl(fd, ZONEALLOC_IOC_DRAIN, &d);
	zb_info(fd, &in);
	for (z = 0; z < ZONEALLOC_NR_ZONES; z++)
		possible += in.zones[z].free_pages / 512;
	printf("ZBC za filled %lu\nZBC za kept %lu\nZBC za possible %lu\n",
	       nr, kept, possible);
	printf("ZBC za unusable_before %ld\n", unusable9(ui, zone));

	t0 = now_ns();
	ret = ioctl(fd, ZONEALLOC_IOC_COMPACT, &c);
	t1 = now_ns();
	if (ret && errno != EAGAIN) {
		perror("zb_compact: COMPACT");
		return 1;
	}
	ioctl(fd, ZONEALLOC_IOC_DRAIN, &d);
	zb_info(fd, &in);
	for (z = 0; z < ZONEALLOC_NR_ZONES; z++)
		formed += in.zones[z].nr_free[9] + 2 * in.zones[z].nr_free[10];
	printf("ZBC za formed %lu\nZBC za migrated %llu\nZBC za ns %llu\n",
	       formed, (unsigned long long)c.migrated,
	       (unsigned long long)(t1 - t0));
	printf("ZBC za unusable_after %ld\n", unusable9(ui, zone));
	close(fd);
	free(handles);
	free(frees);
	return 0;
}

static long meminfo_kb(const char *key)
{
	char name[64];
	long val, ret = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return -1;
	while (fscanf(f, "%63s %ld kB", name, &val) == 2)
		if (!strcmp(name, key))
			ret = val;
	fclose(f);
	return ret;
}

static void sysctl(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY);

	if (fd < 0 || write(fd, val, strlen(val)) < 0)
		perror(path);
	if (fd >= 0)
		close(fd);
}

/*
 * The kernel's side. As zonealloc's pool is filled whole, the VM this runs
 * in is small and the mapping takes nearly all of its free memory: then
 * the zone is made of the fragmented pages, as the pool is.
 */
static int run_k(unsigned long mib)
{
	const char *ui = "/sys/kernel/debug/extfrag/unusable_index";
	unsigned long pages, i, possible;
	long b3, m0, m1, free_kb;
	/* A VM below 4 GiB: nearly all its memory is in DMA32. */
	const char *zone = "DMA32";
	unsigned long long t0, t1;
	char *p;
	int fd;

	free_kb = meminfo_kb("MemFree:");
	if (free_kb < 0 || (unsigned long)free_kb / 1024 < mib + 16) {
		fprintf(stderr, "zb_compact: too little free memory\n");
		return 1;
	}
	sysctl("/proc/sys/vm/compaction_proactiveness", "0");
	sysctl("/proc/sys/vm/watermark_boost_factor", "0");
	pages = mib * 256;
	p = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		perror("zb_compact: mmap");
		return 1;
	}
	/* Order-0 pages, as on zonealloc's side: no transparent huge pages. */
	madvise(p, pages * PAGE, MADV_NOHUGEPAGE);
	for (i = 0; i < pages; i++)
		p[i * PAGE] = 1;
	for (i = 0; i < pages; i++)
		if (i % 4 != 3)
			madvise(p + i * PAGE, PAGE, MADV_DONTNEED);
	possible = meminfo_kb("MemFree:") / 2048;
	printf("ZBC k filled %lu\nZBC k kept %lu\nZBC k possible %lu\n",
	       pages, pages / 4, possible);
	printf("ZBC k formed_before %ld\n", buddy9());
	printf("ZBC k unusable_before %ld\n", unusable9(ui, zone));
	m0 = read_vmstat("pgmigrate_success");

	fd = open("/proc/sys/vm/compact_memory", O_WRONLY);
	if (fd < 0) {
		perror("zb_compact: compact_memory");
		return 1;
	}
	t0 = now_ns();
	if (write(fd, "1", 1) != 1)
		perror("zb_compact: compact_memory");
	t1 = now_ns();
	close(fd);
	m1 = read_vmstat("pgmigrate_success");
	b3 = buddy9();
	printf("ZBC k formed %ld\n", b3);
	printf("ZBC k migrated %ld\nZBC k ns %llu\n", m1 - m0,
	       (unsigned long long)(t1 - t0));
	printf("ZBC k unusable_after %ld\n", unusable9(ui, zone));
	munmap(p, pages * PAGE);
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc >= 2 && !strcmp(argv[1], "za"))
		return run_za();
	if (argc >= 3 && !strcmp(argv[1], "k"))
		return run_k(strtoul(argv[2], NULL, 0));
	fprintf(stderr, "usage: zb_compact za | zb_compact k MIB\n");
	return 2;
}
