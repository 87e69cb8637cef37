// SPDX-License-Identifier: GPL-2.0
/*
 * za_replay: replay the kernel's own page allocations through zonealloc,
 * and with -k through the kernel's allocator as well (Documentation/replay.rst).
 *
 *	za_replay [-n | -k] [-s EVERY] TRACE
 *
 * TRACE is a copy of tracefs "trace" (or the file itself) with the kmem
 * events mm_page_alloc, mm_page_free, mm_page_free_batched and
 * mm_page_alloc_extfrag enabled. Every allocation is replayed at its
 * order with the kernel's gfp flags mapped to ZONEALLOC_GFP_* (za_replay.h);
 * every free is matched to the live allocation it frees and the block is
 * freed once all its pages have been. Extfrag events count the recorded
 * kernel's fallbacks and steals (change_ownership=1).
 *
 * Replayers:
 *   (default)  userspace, through ZONEALLOC_IOC_ALLOC / FREE;
 *   -k         in the kernel: events go to the zb_replay module (debugfs
 *              zb_replay/events), which replays each on BOTH the kernel's
 *              alloc_pages() (the recorded flags) and zonealloc's
 *              in-kernel API. The kernel side's fallbacks and steals are
 *              counted from mm_page_alloc_extfrag in a tracefs instance
 *              of its own, filtered on this process;
 *   -n         dry run, no device: only the parsing and matching, so that
 *              they are testable anywhere (scripts/replay --selftest).
 *
 * Every EVERY trace events (default 2000), and at the end, prints
 *	REPLAY <events> <recorded fallbacks> <recorded steals> <za unusable
 *	index at order 9> <za free blocks of order >= 9> <za fallbacks>
 *	<za steals> <za failed>
 * and with -k five more columns for the kernel's side of the replay:
 *	<unusable index> <free order-9 blocks> <fallbacks> <steals>
 *	<failed or refused>
 * and at the end the summary lines "za_replay: ..." and "unmatched: ..."
 * (the frees that are not the exact free of a live allocation, by cause).
 * Exit status 0, or 1 on a bad argument, an unreadable trace or a failed
 * write to the replayer.
 */

#include "za_test.h"
#include "za_replay.h"

#include <stdbool.h>
#include <sys/stat.h>

#define DBG "/sys/kernel/debug/zonealloc/"
#define ZB_EVENTS "/sys/kernel/debug/zb_replay/events"
#define ZB_STATS "/sys/kernel/debug/zb_replay/stats"
#define TRACEFS "/sys/kernel/tracing"
#define ZB_INSTANCE TRACEFS "/instances/za_replay"
#define NR_ORDERS (ZONEALLOC_MAX_ORDER + 1)
#define BIT(n) (1u << (n))
#define HASH_BITS 20
#define HASH_SIZE BIT(HASH_BITS)
#define BATCH 4096

/* A live recorded allocation, by its first pfn. */
struct live {
	unsigned long long pfn;
	__u64 handle;		/* ioctl replayer: 0 if the allocation failed */
	unsigned int order;
	unsigned int left;	/* pages of the block not freed yet */
	bool used;
};

static struct live *table;
static bool dry, kmode;
static int fd = -1, extfrag = -1;
static unsigned long long events, allocs, frees, failed, live_nr;
static unsigned long long k_fallbacks, k_steals, unknown_flags, replaced;
static unsigned long long kr_fallbacks, kr_steals;

/* Frees that are not the exact free of a live allocation, by cause. */
static struct {
	unsigned long long before;	/* pfn never allocated in the trace */
	unsigned long long refreed;	/* allocated and freed already */
	unsigned long long batched;	/* mm_page_free_batched repeating a free */
	unsigned long long tail;	/* a page inside a live larger block */
	unsigned long long order;	/* a live block's first pfn, other order */
} um;

/* Every pfn that some recorded allocation covered, grown on demand. */
static unsigned char *seen;
static unsigned long long seen_bytes;

static struct zb_replay_event batch[BATCH];
static unsigned int batch_nr;

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

static struct live *insert(unsigned long long pfn)
{
	unsigned int i = slot(pfn);

	if (live_nr >= HASH_SIZE / 2)
		return NULL;
	while (table[i].used)
		i = (i + 1) & (HASH_SIZE - 1);
	table[i].pfn = pfn;
	table[i].used = true;
	live_nr++;
	return &table[i];
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

static void mark_seen(unsigned long long pfn, unsigned int order)
{
	unsigned long long p, end = pfn + (1ull << order), need = end / 8 + 1;

	if (need > seen_bytes) {
		unsigned long long n = need * 2;
		unsigned char *s = realloc(seen, n);

		if (!s)
			return;
		memset(s + seen_bytes, 0, n - seen_bytes);
		seen = s;
		seen_bytes = n;
	}
	for (p = pfn; p < end; p++)
		seen[p / 8] |= 1u << (p % 8);
}

static bool was_seen(unsigned long long pfn)
{
	return pfn / 8 < seen_bytes && (seen[pfn / 8] & (1u << (pfn % 8)));
}

static int flush(void)
{
	size_t len = batch_nr * sizeof(batch[0]);

	if (!batch_nr)
		return 0;
	batch_nr = 0;
	if (write(fd, batch, len) != (ssize_t)len) {
		perror(ZB_EVENTS);
		return -1;
	}
	return 0;
}

static int queue(const struct zb_replay_event *ev)
{
	batch[batch_nr++] = *ev;
	return batch_nr == BATCH ? flush() : 0;
}

static int release(struct live *e)
{
	struct zb_replay_event ev = { .pfn = e->pfn, .op = ZB_OP_FREE };
	int ret = 0;

	if (kmode)
		ret = queue(&ev);
	else if (!dry && e->handle)
		za_rawfree(fd, e->handle);
	delete(e);
	return ret;
}

/* The value after "key=" in a trace line, or -1. */
static long long field(const char *line, const char *key, int base)
{
	const char *p = strstr(line, key);

	return p ? strtoll(p + strlen(key), NULL, base) : -1;
}

static int do_alloc(const char *line)
{
	long long pfn = field(line, " pfn=0x", 16);
	long long order = field(line, " order=", 10);
	long long mt = field(line, " migratetype=", 10);
	const char *gfp = strstr(line, " gfp_flags=");
	struct zb_replay_event ev = { .op = ZB_OP_ALLOC };
	struct zonealloc_alloc a;
	unsigned long long names;
	struct live *e;

	if (pfn < 0 || order < 0 || order >= NR_ORDERS || !gfp)
		return 0;
	allocs++;
	unknown_flags += za_replay_parse(gfp + 11, &names);
	ev.pfn = pfn;
	ev.order = order;
	ev.kgfp = names;
	ev.zgfp = za_replay_zgfp(names, mt);
	mark_seen(pfn, order);
	/* A pfn still live: the kernel freed it unseen (e.g. a lost event). */
	e = lookup(pfn);
	if (e) {
		replaced++;
		if (release(e))
			return -1;
	}
	e = insert(pfn);
	if (!e) {
		failed++;
		return 0;
	}
	e->order = order;
	e->left = 1u << order;
	e->handle = 1;
	if (kmode)
		return queue(&ev);
	if (!dry && za_rawalloc(fd, order, ev.zgfp, &a)) {
		failed++;
		e->handle = 0;
	} else if (!dry) {
		e->handle = a.handle;
	}
	return 0;
}

/* The live block that holds @pfn without starting there, or NULL. */
static struct live *containing(unsigned long long pfn)
{
	struct live *e;
	unsigned int o;

	for (o = 1; o < NR_ORDERS; o++) {
		e = lookup(pfn & ~((1ull << o) - 1));
		if (e && e->pfn != pfn && e->order >= o)
			return e;
	}
	return NULL;
}

static int do_free(const char *line, bool batched)
{
	long long pfn = field(line, " pfn=0x", 16);
	long long order = field(line, " order=", 10);
	unsigned int nr;
	struct live *e;

	if (pfn < 0)
		return 0;
	/* mm_page_free_batched has no order: its pages are order 0. */
	nr = order > 0 && order < NR_ORDERS ? 1u << order : 1;
	frees++;
	e = lookup(pfn);
	if (e && e->left == 1u << e->order && nr == e->left)
		return release(e);
	if (e) {
		um.order++;
	} else {
		e = containing(pfn);
		if (e)
			um.tail++;
		else if (batched)
			um.batched++;
		else if (was_seen(pfn))
			um.refreed++;
		else
			um.before++;
	}
	if (!e)
		return 0;
	/* Part of a block: it goes back once every page has. */
	e->left -= nr < e->left ? nr : e->left;
	return e->left ? 0 : release(e);
}

/* The unusable index at order 9 and the free order >= 9 blocks. */
static void frag(const char *buddyinfo, double *unusable,
		 unsigned long long *blocks)
{
	unsigned long long nr[NR_ORDERS], free = 0, suitable = 0;
	int o;

	*unusable = 1.0;
	*blocks = 0;
	if (dry || za_buddyinfo_at(buddyinfo, nr))
		return;
	for (o = 0; o < NR_ORDERS; o++) {
		free += nr[o] << o;
		if (o >= 9)
			suitable += nr[o] << (o - 9);
	}
	if (free)
		*unusable = (double)(free - (suitable << 9)) / free;
	*blocks = suitable;
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

/* A counter of zb_replay/stats, or 0. */
static unsigned long long zb_stat(const char *name)
{
	char buf[512], key[64];
	unsigned long long v = 0;
	FILE *f = fopen(ZB_STATS, "r");
	char *p;

	if (!f)
		return 0;
	if (fgets(buf, sizeof(buf), f)) {
		snprintf(key, sizeof(key), "%s ", name);
		for (p = buf; (p = strstr(p, key)); p++)
			if (p == buf || p[-1] == ' ') {
				v = strtoull(p + strlen(key), NULL, 10);
				break;
			}
	}
	fclose(f);
	return v;
}

/* One line of the extfrag instance's trace. */
static void extfrag_line(const char *line)
{
	if (!strstr(line, "mm_page_alloc_extfrag:"))
		return;
	kr_fallbacks++;
	if (field(line, " change_ownership=", 10) == 1)
		kr_steals++;
}

/* Count the replay's own fallbacks and steals seen since the last call. */
static void read_extfrag(void)
{
	static char buf[65536], part[1024];
	static size_t part_len;
	ssize_t n;
	size_t len;
	char *p, *nl;

	if (extfrag < 0)
		return;
	while ((n = read(extfrag, buf, sizeof(buf) - 1)) > 0) {
		buf[n] = '\0';
		for (p = buf; *p; p = nl + 1) {
			nl = strchr(p, '\n');
			len = nl ? (size_t)(nl - p) : strlen(p);
			/* A line split across reads is joined in part[]. */
			if (part_len + len < sizeof(part)) {
				memcpy(part + part_len, p, len);
				part_len += len;
				part[part_len] = '\0';
			}
			if (!nl)
				break;
			extfrag_line(part);
			part_len = 0;
		}
	}
}

static int write_file(const char *path, const char *s)
{
	int f = open(path, O_WRONLY | O_TRUNC);
	ssize_t n;

	if (f < 0)
		return -1;
	n = write(f, s, strlen(s));
	close(f);
	return n == (ssize_t)strlen(s) ? 0 : -1;
}

/* A tracefs instance of our own that sees this process's fallbacks. */
static int open_extfrag(void)
{
	char filter[64];

	mkdir(ZB_INSTANCE, 0755);
	snprintf(filter, sizeof(filter), "common_pid == %d", (int)getpid());
	if (write_file(ZB_INSTANCE "/buffer_size_kb", "1024") ||
	    write_file(ZB_INSTANCE "/events/kmem/mm_page_alloc_extfrag/filter",
		       filter) ||
	    write_file(ZB_INSTANCE "/events/kmem/mm_page_alloc_extfrag/enable",
		       "1"))
		return -1;
	extfrag = open(ZB_INSTANCE "/trace_pipe", O_RDONLY | O_NONBLOCK);
	return extfrag < 0 ? -1 : 0;
}

static void close_extfrag(void)
{
	if (extfrag < 0)
		return;
	close(extfrag);
	write_file(ZB_INSTANCE "/events/kmem/mm_page_alloc_extfrag/enable", "0");
	rmdir(ZB_INSTANCE);
}

static int sample(void)
{
	unsigned long long blocks;
	double unusable;

	if (kmode && flush())
		return -1;
	frag(DBG "buddyinfo", &unusable, &blocks);
	printf("REPLAY %llu %llu %llu %.3f %llu %lld %lld %llu", events,
	       k_fallbacks, k_steals, unusable, blocks,
	       dry ? 0 : vmstat("fallbacks"), dry ? 0 : vmstat("steals"),
	       kmode ? zb_stat("za_failed") : failed);
	if (kmode) {
		read_extfrag();
		frag("/proc/buddyinfo", &unusable, &blocks);
		printf(" %.3f %llu %llu %llu %llu", unusable, blocks,
		       kr_fallbacks, kr_steals,
		       zb_stat("k_failed") + zb_stat("k_refused"));
	}
	printf("\n");
	fflush(stdout);
	return 0;
}

static int replay(FILE *in, unsigned long long every)
{
	char line[1024];
	int ret;

	if (sample())
		return -1;
	while (fgets(line, sizeof(line), in)) {
		if (line[0] == '#')
			continue;
		line[strcspn(line, "\n")] = '\0';
		if (strstr(line, " mm_page_alloc: ")) {
			ret = do_alloc(line);
		} else if (strstr(line, " mm_page_free: ")) {
			ret = do_free(line, false);
		} else if (strstr(line, " mm_page_free_batched: ")) {
			ret = do_free(line, true);
		} else if (strstr(line, " mm_page_alloc_extfrag: ")) {
			k_fallbacks++;
			if (field(line, " change_ownership=", 10) == 1)
				k_steals++;
			ret = 0;
		} else {
			continue;
		}
		if (ret)
			return -1;
		if (++events % every == 0 && sample())
			return -1;
	}
	return events % every ? sample() : 0;
}

int main(int argc, char **argv)
{
	unsigned long long every = 2000;
	char stats[512];
	FILE *in, *f;
	int c, ret;

	while ((c = getopt(argc, argv, "kns:")) != -1) {
		switch (c) {
		case 'k':
			kmode = true;
			break;
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
	if (optind != argc - 1 || !every || (dry && kmode))
		goto usage;
	in = fopen(argv[optind], "r");
	if (!in) {
		perror(argv[optind]);
		return 1;
	}
	table = calloc(HASH_SIZE, sizeof(*table));
	if (!table)
		return 1;
	if (kmode) {
		fd = open(ZB_EVENTS, O_WRONLY | O_CLOEXEC);
		if (fd < 0) {
			perror(ZB_EVENTS);
			return 1;
		}
		if (open_extfrag())
			fprintf(stderr, "za_replay: %s: %s\n", ZB_INSTANCE,
				"no instance, kernel fallbacks not counted");
	} else if (!dry) {
		fd = za_devopen();
		if (fd < 0) {
			perror(ZA_DEV);
			return 1;
		}
	}
	ret = replay(in, every);
	fclose(in);
	printf("za_replay: events %llu allocs %llu frees %llu unmatched %llu",
	       events, allocs, frees,
	       um.before + um.refreed + um.batched + um.tail + um.order);
	printf(" failed %llu live %llu kernel_fallbacks %llu kernel_steals %llu\n",
	       kmode ? zb_stat("za_failed") : failed, live_nr, k_fallbacks,
	       k_steals);
	printf("unmatched: before %llu refreed %llu batched %llu tail %llu",
	       um.before, um.refreed, um.batched, um.tail);
	printf(" order %llu replaced %llu unknown_flags %llu\n", um.order,
	       replaced, unknown_flags);
	if (kmode) {
		f = fopen(ZB_STATS, "r");
		if (f && fgets(stats, sizeof(stats), f))
			printf("zb_replay: %s", stats);
		if (f)
			fclose(f);
		printf("kernel_replay: fallbacks %llu steals %llu\n",
		       kr_fallbacks, kr_steals);
		close_extfrag();
	}
	/* Closing the device returns what is still live (-k: rmmod zb_replay). */
	if (fd >= 0)
		close(fd);
	free(table);
	free(seen);
	return ret ? 1 : 0;
usage:
	fprintf(stderr, "usage: za_replay [-n | -k] [-s EVERY] TRACE\n");
	return 1;
}
