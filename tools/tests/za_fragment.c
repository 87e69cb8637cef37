// SPDX-License-Identifier: GPL-2.0
/*
 * za_fragment: a workload that fragments the pool and compacts it, for
 * the pictures of scripts/za-picture (Documentation/tracing.rst).
 *
 *	za_fragment
 *
 * Fills the pool with 64-page bulk allocations, mostly movable, one in
 * eight unmovable and one in sixteen reclaimable; frees three of every four
 * movable batches; compacts every zone (sync); frees everything. Prints
 * the pool's fragmentation after every 16 operations as
 *	SAMPLE <op> <phase> <unusable index at order 9> <free blocks of order 0..10>
 * (from debugfs buddyinfo, every zone added up), and debugfs pageblocks
 * before and after the compaction as "PB before <line>", "PB after <line>".
 * Exit status 0, or 1 if an ioctl failed.
 */

#include "za_test.h"

#include <stdbool.h>

#define DBG "/sys/kernel/debug/zonealloc/"
#define BATCH 64
#define MAX_BATCHES 4096
#define NR_ORDERS (ZONEALLOC_MAX_ORDER + 1)

static int fd;
static unsigned int op;
static __u64 handles[MAX_BATCHES][BATCH];
static unsigned int nr_batches;
static unsigned int kind[MAX_BATCHES];	/* 0 unmovable, 1 movable, 2 reclaimable */
static bool held[MAX_BATCHES];

/* Free blocks per order, all zones, from buddyinfo. */
static void sample(const char *phase)
{
	unsigned long long nr[NR_ORDERS], free = 0, suitable = 0;
	int o;

	if (za_buddyinfo(nr))
		return;
	for (o = 0; o < NR_ORDERS; o++) {
		free += nr[o] << o;
		if (o >= 9)
			suitable += nr[o] << (o - 9);
	}
	/* As unusable_free_index() at order 9, over the whole pool. */
	printf("SAMPLE %u %s %.3f", op, phase,
	       free ? (double)(free - (suitable << 9)) / free : 1.0);
	for (o = 0; o < NR_ORDERS; o++)
		printf(" %llu", nr[o]);
	printf("\n");
}

static void snapshot(const char *tag)
{
	char line[256];
	FILE *f = fopen(DBG "pageblocks", "r");

	if (!f) {
		perror(DBG "pageblocks");
		return;
	}
	while (fgets(line, sizeof(line), f))
		if (line[0] != '#')
			printf("PB %s %s", tag, line);
	fclose(f);
}

static int free_batch(unsigned int i)
{
	struct zonealloc_bulk b = {
		.count = BATCH, .handles = (uintptr_t)handles[i],
	};

	held[i] = false;
	return za_ioc(fd, ZONEALLOC_IOC_FREE_BULK, &b);
}

int main(void)
{
	static const unsigned int flags[] = {
		0, ZONEALLOC_GFP_MOVABLE, ZONEALLOC_GFP_RECLAIMABLE,
	};
	struct zonealloc_compact c = {
		.zone = ZONEALLOC_ZONE_ALL, .order = -1,
		.mode = ZONEALLOC_COMPACT_SYNC,
	};
	unsigned int i, movable = 0;
	int ret;

	fd = za_devopen();
	if (fd < 0) {
		perror(ZA_DEV);
		return 1;
	}
	sample("fill");
	for (i = 0; i < MAX_BATCHES; i++) {
		struct zonealloc_bulk b = { .count = BATCH };

		kind[i] = i % 8 == 3 ? 0 : i % 16 == 7 ? 2 : 1;
		b.flags = flags[kind[i]] | ZONEALLOC_GFP_NOWARN;
		b.handles = (uintptr_t)handles[i];
		ret = za_ioc(fd, ZONEALLOC_IOC_ALLOC_BULK, &b);
		if (ret || b.count < BATCH) {
			/* A short batch: give it back, the pool is full. */
			if (!ret) {
				b.flags = 0;
				za_ioc(fd, ZONEALLOC_IOC_FREE_BULK, &b);
			}
			break;
		}
		held[i] = true;
		if (++op % 16 == 0)
			sample("fill");
	}
	nr_batches = i;
	sample("fill");

	for (i = 0; i < nr_batches; i++) {
		if (kind[i] != 1 || movable++ % 4 == 0)
			continue;
		if (free_batch(i)) {
			perror("FREE_BULK");
			return 1;
		}
		if (++op % 16 == 0)
			sample("free");
	}
	za_rawdrain(fd, -1);
	sample("free");
	snapshot("before");

	ret = za_ioc(fd, ZONEALLOC_IOC_COMPACT, &c);
	if (ret && ret != -EAGAIN) {
		fprintf(stderr, "COMPACT: %s\n", za_errname(ret));
		return 1;
	}
	op++;
	sample("compact");
	snapshot("after");

	for (i = 0; i < nr_batches; i++) {
		if (!held[i])
			continue;
		if (free_batch(i)) {
			perror("FREE_BULK");
			return 1;
		}
		if (++op % 16 == 0)
			sample("empty");
	}
	za_rawdrain(fd, -1);
	sample("empty");
	printf("za_fragment: %u batches of %u pages, %u operations\n",
	       nr_batches, BATCH, op);
	close(fd);
	return 0;
}
