// SPDX-License-Identifier: GPL-2.0
/*
 * za_replay: replay the kernel's own page allocations through zonealloc
 * (Documentation/replay.rst).
 *
 *	za_replay [-n] [-s EVERY] TRACE
 *
 * TRACE is a copy of tracefs "trace" with the kmem events mm_page_alloc,
 * mm_page_free, mm_page_free_batched and mm_page_alloc_extfrag enabled.
 * Every allocation is replayed with ZONEALLOC_IOC_ALLOC at its order, the
 * kernel's gfp flags mapped to ZONEALLOC_GFP_* (migratetype from the
 * event's migratetype field; GFP_ATOMIC / __GFP_HIGH / __GFP_DMA32 /
 * __GFP_NORETRY / __GFP_RETRY_MAYFAIL by name); every free is matched to
 * the live allocation at its pfn and replayed with ZONEALLOC_IOC_FREE.
 * Allocations the pool cannot satisfy are counted ("failed"), as are frees
 * of pages allocated before the recording began ("unmatched"); neither
 * stops the replay. Extfrag events count the kernel's fallbacks and steals
 * (change_ownership=1).
 *
 * Every EVERY events (default 2000), and at the end, prints
 *	REPLAY <events> <kernel fallbacks> <kernel steals> <za unusable
 *	index at order 9> <za free blocks of order >= 9> <za fallbacks>
 *	<za steals> <failed>
 * and at the end
 *	za_replay: events N allocs N frees N unmatched N failed N ...
 * With -n (dry run, no device) only the matching is done: every
 * allocation succeeds with a made-up handle, so the parser and the pfn
 * matching are testable on any machine (scripts/replay --selftest).
 * Exit status 0, or 1 on a bad argument or an unreadable trace.
 */

#include "za_test.h"

#include <stdbool.h>

#define DBG "/sys/kernel/debug/zonealloc/"
#define NR_ORDERS (ZONEALLOC_MAX_ORDER + 1)
#define BIT(n) (1u << (n))
#define HASH_BITS 20
#define HASH_SIZE BIT(HASH_BITS)

/* A live replayed allocation, found by the kernel's pfn. */
struct live {
	unsigned long long pfn;
	__u64 handle;
	bool used;
};

static struct live *table;
static bool dry;
static int fd = -1;
static unsigned long long events, allocs, frees, unmatched, failed, live_nr;
static unsigned long long k_fallbacks, k_steals;

static unsigned int slot(unsigned long long pfn)
{
	return (unsigned int)((pfn * 0x9e3779b97f4a7c15ull) >> (64 - HASH_BITS));
}

/* Open addressing, linear probing; a deleted slot is refilled by shifting. */
static struct live *lookup(unsigned long long pfn)
{
	unsigned int i = slot(pfn);

	while (table[i].used) {
		if (table[i].pfn == pfn)
			return &table[i];
		i = (i + 1) & (HASH_SIZE - 1);
	}
	return NULL;
}

static int insert(unsigned long long pfn, __u64 handle)
{
	unsigned int i = slot(pfn);

	if (live_nr >= HASH_SIZE / 2)
		return -ENOSPC;
	while (table[i].used)
		i = (i + 1) & (HASH_SIZE - 1);
	table[i].pfn = pfn;
	table[i].handle = handle;
	table[i].used = true;
	live_nr++;
	return 0;
}

static void delete(struct live *e)
{
	unsigned int i = e - table, j = i, k;

	table[i].used = false;
	live_nr--;
	for (;;) {
		j = (j + 1) & (HASH_SIZE - 1);
		if (!table[j].used)
			return;
		k = slot(table[j].pfn);
		/* Leave j where it is if its home slot k lies in (i, j]. */
		if (i <= j ? (i < k && k <= j) : (i < k || k <= j))
			continue;
		table[i] = table[j];
		table[j].used = false;
		i = j;
	}
}

static unsigned int map_gfp(const char *gfp, int mt)
{
	unsigned int flags = 0;

	if (mt == 1)
		flags |= ZONEALLOC_GFP_MOVABLE;
	else if (mt == 2)
		flags |= ZONEALLOC_GFP_RECLAIMABLE;
	if (strstr(gfp, "GFP_ATOMIC"))
		flags |= ZONEALLOC_GFP_ATOMIC | ZONEALLOC_GFP_HIGH;
	else if (strstr(gfp, "GFP_NOWAIT"))
		flags |= ZONEALLOC_GFP_ATOMIC;
	if (strstr(gfp, "__GFP_HIGH|") || strstr(gfp, "__GFP_HIGH ") ||
	    (strlen(gfp) >= 10 && !strcmp(gfp + strlen(gfp) - 10, "__GFP_HIGH")))
		flags |= ZONEALLOC_GFP_HIGH;
	if (strstr(gfp, "__GFP_DMA32"))
		flags |= ZONEALLOC_GFP_DMA32;
	if (strstr(gfp, "__GFP_NORETRY"))
		flags |= ZONEALLOC_GFP_NORETRY;
	else if (strstr(gfp, "__GFP_RETRY_MAYFAIL"))
		flags |= ZONEALLOC_GFP_RETRY_MAYFAIL;
	return flags | ZONEALLOC_GFP_NOWARN;
}

/* The value after "key=" in a trace line, or -1. */
static long long field(const char *line, const char *key, int base)
{
	const char *p = strstr(line, key);

	return p ? strtoll(p + strlen(key), NULL, base) : -1;
}

static void do_alloc(const char *line)
{
	long long pfn = field(line, " pfn=0x", 16);
	long long order = field(line, " order=", 10);
	long long mt = field(line, " migratetype=", 10);
	const char *gfp = strstr(line, " gfp_flags=");
	struct zonealloc_alloc a;
	struct live *e;
	__u64 handle;

	if (pfn < 0 || order < 0 || order >= NR_ORDERS || !gfp)
		return;
	allocs++;
	if (!dry && za_rawalloc(fd, order, map_gfp(gfp + 11, mt), &a)) {
		failed++;
		return;
	}
	handle = dry ? allocs : a.handle;
	/* A pfn still live: the kernel freed it unseen (e.g. a lost event). */
	e = lookup(pfn);
	if (e) {
		if (!dry)
			za_rawfree(fd, e->handle);
		delete(e);
	}
	if (insert(pfn, handle)) {
		if (!dry)
			za_rawfree(fd, handle);
		failed++;
	}
}

static void do_free(const char *line)
{
	long long pfn = field(line, " pfn=0x", 16);
	struct live *e;

	if (pfn < 0)
		return;
	frees++;
	e = lookup(pfn);
	if (!e) {
		unmatched++;
		return;
	}
	if (!dry)
		za_rawfree(fd, e->handle);
	delete(e);
}

/* The all-zones total of a debugfs vmstat counter, or -1. */
static long long vmstat(const char *name)
{
	char line[256];
	long long v = 0;
	size_t n = strlen(name);
	FILE *f = fopen(DBG "vmstat", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, name, n) && line[n] == ' ')
			v = strtoll(line + n + 1, NULL, 10);
	fclose(f);
	return v;
}

static void sample(void)
{
	unsigned long long nr[NR_ORDERS], free = 0, suitable = 0;
	int o;

	if (!dry && !za_buddyinfo(nr)) {
		for (o = 0; o < NR_ORDERS; o++) {
			free += nr[o] << o;
			if (o >= 9)
				suitable += nr[o] << (o - 9);
		}
	}
	printf("REPLAY %llu %llu %llu %.3f %llu %lld %lld %llu\n", events,
	       k_fallbacks, k_steals,
	       free ? (double)(free - (suitable << 9)) / free : 1.0, suitable,
	       dry ? 0 : vmstat("fallbacks"), dry ? 0 : vmstat("steals"),
	       failed);
}

int main(int argc, char **argv)
{
	unsigned long long every = 2000;
	char line[1024];
	FILE *in;
	int c;

	while ((c = getopt(argc, argv, "ns:")) != -1) {
		switch (c) {
		case 'n':
			dry = true;
			break;
		case 's':
			every = strtoull(optarg, NULL, 10);
			break;
		default:
			goto usage;
		}
	}
	if (optind != argc - 1 || !every)
		goto usage;
	in = fopen(argv[optind], "r");
	if (!in) {
		perror(argv[optind]);
		return 1;
	}
	table = calloc(HASH_SIZE, sizeof(*table));
	if (!table)
		return 1;
	if (!dry) {
		fd = za_devopen();
		if (fd < 0) {
			perror(ZA_DEV);
			return 1;
		}
	}
	sample();
	while (fgets(line, sizeof(line), in)) {
		if (line[0] == '#')
			continue;
		line[strcspn(line, "\n")] = '\0';
		if (strstr(line, " mm_page_alloc: ")) {
			do_alloc(line);
		} else if (strstr(line, " mm_page_free: ") ||
			   strstr(line, " mm_page_free_batched: ")) {
			do_free(line);
		} else if (strstr(line, " mm_page_alloc_extfrag: ")) {
			k_fallbacks++;
			if (field(line, " change_ownership=", 10) == 1)
				k_steals++;
		} else {
			continue;
		}
		if (++events % every == 0)
			sample();
	}
	fclose(in);
	if (events % every)
		sample();
	printf("za_replay: events %llu allocs %llu frees %llu unmatched %llu",
	       events, allocs, frees, unmatched);
	printf(" failed %llu live %llu kernel_fallbacks %llu kernel_steals %llu\n",
	       failed, live_nr, k_fallbacks, k_steals);
	/* Closing the device returns what is still live. */
	if (fd >= 0)
		close(fd);
	free(table);
	return 0;
usage:
	fprintf(stderr, "usage: za_replay [-n] [-s EVERY] TRACE\n");
	return 1;
}
