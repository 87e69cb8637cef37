// SPDX-License-Identifier: GPL-2.0
/*
 * za_soak: a timed soak of /dev/zonealloc with processes killed mid-work.
 *
 *	za_soak [-t SECONDS] [-w WORKERS] [-k KILL_SECONDS] [-s SEED] [-q]
 *
 * WORKERS processes (default 3) each open the device and, until SECONDS
 * (default 600) have passed, allocate blocks of orders 0-10, movable and
 * not, and contiguous ranges (ALLOC_CONTIG), map each one, fill it with a
 * pattern of its own, verify it (again after a remap, and before each
 * free), free, compact (COMPACT) and drain, holding at most a share of the
 * pool each. Every KILL_SECONDS (default 30) one worker, chosen at random,
 * is SIGKILLed wherever it is and a new one started. At the end the workers
 * free everything and exit; then:
 *
 *   soak-patterns      no word read back differs from what was written
 *   soak-workers       no worker died other than by our SIGKILL, and no
 *                      call failed in a way its arguments rule out
 *   soak-kills         one kill per KILL_SECONDS, at least one
 *   soak-coverage      every order 0-10, ALLOC_CONTIG and COMPACT succeeded
 *   soak-free-counts   after DRAIN, the free pages (total, per zone and per
 *                      order) are exactly those at the start
 */

#include "za_test.h"

#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>

#define MAX_HELD 256
#define MAX_SLOTS 512
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

enum { OP_ALLOC, OP_CONTIG, OP_FREE, OP_VERIFY, OP_REMAP, OP_COMPACT,
	OP_DRAIN, NR_OPS };
static const char * const op_names[NR_OPS] = {
	"alloc", "alloc_contig", "free", "verify", "remap", "compact", "drain",
};

/* One worker's figures, in memory shared with the parent. */
struct wstats {
	pid_t pid;
	int running;
	unsigned long ops[NR_OPS], ok[NR_OPS], order_ok[ZONEALLOC_MAX_ORDER + 1];
	unsigned long movable_ok, unmovable_ok, enomem;
	unsigned long long words_verified, mismatches, errors;
	char first_error[256];
};

struct shared {
	int stop;	/* read with __atomic_load_n() */
	struct wstats w[MAX_SLOTS];
};

struct held {
	__u64 handle;
	unsigned long pages;
	unsigned long long key;
	__u64 *map;
};

static struct shared *sh;
static struct wstats *me;
static struct held held[MAX_HELD];
static int nheld, quiet;
static unsigned long held_pages, budget;
static size_t page_size;
static unsigned long long rng_state;

static unsigned long long rnd(void)
{
	return za_rnd(&rng_state);
}

static unsigned int below(unsigned int n)
{
	return za_below(&rng_state, n);
}

static void error(const char *fmt, ...)
{
	va_list ap;

	if (!me->errors) {
		va_start(ap, fmt);
		vsnprintf(me->first_error, sizeof(me->first_error), fmt, ap);
		va_end(ap);
		printf("za_soak: worker %d: %s\n", (int)getpid(),
		       me->first_error);
	}
	me->errors++;
}

static void fill(struct held *h)
{
	za_fill_pattern(h->map, h->pages * page_size, h->key);
}

static void verify(struct held *h)
{
	unsigned long i, n = h->pages * page_size / 8;
	unsigned long long bad = 0;

	for (i = 0; i < n; i++) {
		if (h->map[i] == za_pattern(h->key, i))
			continue;
		if (!bad && !me->mismatches)
			printf("za_soak: handle %llu (%lu pages) word %lu: %#llx, not %#llx\n",
			       (unsigned long long)h->handle, h->pages, i,
			       (unsigned long long)h->map[i],
			       (unsigned long long)za_pattern(h->key, i));
		bad++;
	}
	me->words_verified += n;
	me->mismatches += bad;
}

static void *map_handle(int fd, __u64 handle, unsigned long pages)
{
	void *p = mmap(NULL, pages * page_size, PROT_READ | PROT_WRITE,
		       MAP_SHARED, fd, (off_t)(handle * page_size));

	if (p == MAP_FAILED) {
		error("mmap of handle %llu (%lu pages): %s",
		      (unsigned long long)handle, pages, za_errname(errno));
		return NULL;
	}
	return p;
}

static void hold(int fd, __u64 handle, unsigned long pages)
{
	struct held *h = &held[nheld];

	h->handle = handle;
	h->pages = pages;
	h->key = rnd();
	h->map = map_handle(fd, handle, pages);
	if (!h->map) {
		za_rawfree(fd, handle);
		return;
	}
	fill(h);
	verify(h);
	nheld++;
	held_pages += pages;
}

static void release(int fd, int i)
{
	struct held *h = &held[i];
	int ret;

	verify(h);
	munmap(h->map, h->pages * page_size);
	ret = za_rawfree(fd, h->handle);
	me->ops[OP_FREE]++;
	if (ret)
		error("FREE of live handle %llu: %s",
		      (unsigned long long)h->handle, za_errname(ret));
	else
		me->ok[OP_FREE]++;
	held_pages -= h->pages;
	*h = held[--nheld];
}

/* Make room for @pages: free random allocations until they fit. */
static void make_room(int fd, unsigned long pages)
{
	while (nheld && (held_pages + pages > budget || nheld >= MAX_HELD))
		release(fd, below(nheld));
}

static unsigned int pick_order(void)
{
	unsigned int r = below(100);

	/* Mostly small, but every order 0-10 often enough to be seen. */
	if (r < 60)
		return below(4);
	if (r < 85)
		return 4 + below(4);
	return 8 + below(3);
}

static void do_alloc(int fd)
{
	struct zonealloc_alloc a;
	unsigned int order = pick_order(), flags;
	int movable = below(2), ret;

	flags = ZONEALLOC_GFP_NOWARN | (movable ? ZONEALLOC_GFP_MOVABLE : 0);
	if (!movable && below(4) == 0)
		flags |= ZONEALLOC_GFP_RECLAIMABLE;
	if (below(4) == 0)
		flags |= ZONEALLOC_GFP_DMA32;
	make_room(fd, 1ul << order);
	me->ops[OP_ALLOC]++;
	ret = za_rawalloc(fd, order, flags, &a);
	if (ret == -ENOMEM || ret == -EDQUOT) {
		me->enomem++;
		return;
	}
	if (ret) {
		error("ALLOC order %u flags %#x: %s", order, flags,
		      za_errname(ret));
		return;
	}
	me->ok[OP_ALLOC]++;
	me->order_ok[order]++;
	if (movable)
		me->movable_ok++;
	else
		me->unmovable_ok++;
	hold(fd, a.handle, 1ul << order);
}

static void do_contig(int fd)
{
	struct zonealloc_alloc_contig c;
	unsigned int pages = 1 + below(below(4) ? 64 : 1024);
	int ret;

	make_room(fd, pages);
	memset(&c, 0, sizeof(c));
	c.nr_pages = pages;
	c.flags = ZONEALLOC_GFP_NOWARN;
	me->ops[OP_CONTIG]++;
	ret = za_ioc(fd, ZONEALLOC_IOC_ALLOC_CONTIG, &c);
	if (ret == -ENOMEM || ret == -EDQUOT || ret == -EBUSY ||
	    ret == -EAGAIN) {
		me->enomem++;
		return;
	}
	if (ret) {
		error("ALLOC_CONTIG %u pages: %s", pages, za_errname(ret));
		return;
	}
	me->ok[OP_CONTIG]++;
	hold(fd, c.handle, pages);
}

/* Unmap and map again: the contents stay whatever moved meanwhile. */
static void do_remap(int fd)
{
	struct held *h;

	if (!nheld)
		return;
	h = &held[below(nheld)];
	me->ops[OP_REMAP]++;
	munmap(h->map, h->pages * page_size);
	h->map = map_handle(fd, h->handle, h->pages);
	if (!h->map) {
		/* Forget it: the file's close frees it. */
		held_pages -= h->pages;
		*h = held[--nheld];
		return;
	}
	me->ok[OP_REMAP]++;
	verify(h);
}

static void do_compact(int fd)
{
	struct zonealloc_compact c;
	int ret;

	memset(&c, 0, sizeof(c));
	c.zone = ZONEALLOC_ZONE_ALL;
	c.order = (int)below(12) - 1;
	c.mode = below(3);
	me->ops[OP_COMPACT]++;
	ret = za_ioc(fd, ZONEALLOC_IOC_COMPACT, &c);
	if (!ret || ret == -EAGAIN)
		me->ok[OP_COMPACT]++;
	else if (ret != -EOPNOTSUPP && ret != -EBUSY)
		error("COMPACT order %d mode %u: %s", c.order, c.mode,
		      za_errname(ret));
}

static void do_drain(int fd)
{
	int ret;

	me->ops[OP_DRAIN]++;
	ret = za_rawdrain(fd, below(2) ? -1 : (int)below(2));
	if (ret)
		error("DRAIN: %s", za_errname(ret));
	else
		me->ok[OP_DRAIN]++;
}

static void worker(int slot, unsigned long long seed)
{
	int fd, i;

	me = &sh->w[slot];
	rng_state = seed | 1;
	fd = za_devopen();
	if (fd < 0) {
		error("open: %s", za_errname(errno));
		_exit(1);
	}
	while (!__atomic_load_n(&sh->stop, __ATOMIC_RELAXED)) {
		unsigned int r = below(100);

		if (r < 40) {
			do_alloc(fd);
		} else if (r < 46) {
			do_contig(fd);
		} else if (r < 70 && nheld) {
			release(fd, below(nheld));
		} else if (r < 88 && nheld) {
			me->ops[OP_VERIFY]++;
			verify(&held[below(nheld)]);
			me->ok[OP_VERIFY]++;
		} else if (r < 94) {
			do_remap(fd);
		} else if (r < 98) {
			do_compact(fd);
		} else {
			do_drain(fd);
		}
	}
	for (i = nheld - 1; i >= 0; i--)
		release(fd, i);
	close(fd);
	_exit(me->errors ? 1 : 0);
}

static int spawn(int slot, unsigned long long seed)
{
	pid_t pid;

	sh->w[slot].running = 1;
	pid = fork();
	if (pid < 0) {
		sh->w[slot].running = 0;
		return -1;
	}
	if (!pid)
		worker(slot, seed);
	sh->w[slot].pid = pid;
	return 0;
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

/* The free figures once drained: total, per zone and per order. */
struct counts {
	__u64 avail, zone[ZONEALLOC_NR_ZONES];
	__u64 nr_free[ZONEALLOC_NR_ZONES][ZONEALLOC_MAX_ORDER + 1];
};

static int read_counts(int fd, struct counts *c)
{
	struct zonealloc_info info;
	int ret, z, o;

	ret = za_rawdrain(fd, -1);
	if (!ret)
		ret = za_rawinfo(fd, &info);
	if (ret)
		return ret;
	c->avail = info.free_pages + info.pcp_pages;
	for (z = 0; z < ZONEALLOC_NR_ZONES; z++) {
		c->zone[z] = info.zones[z].free_pages + info.zones[z].pcp_pages;
		for (o = 0; o <= ZONEALLOC_MAX_ORDER; o++)
			c->nr_free[z][o] = info.zones[z].nr_free[o];
	}
	return 0;
}

/* Read the counts until they equal @want, for up to 3 s (kcompactd). */
static int settle(int fd, const struct counts *want, struct counts *c)
{
	int i, ret = 0;

	for (i = 0; i < 300; i++) {
		ret = read_counts(fd, c);
		if (ret || !memcmp(c, want, sizeof(*c)))
			break;
		usleep(10000);
	}
	return ret;
}

/* Where the free blocks of @end differ from those of @start. */
static void print_diffs(const struct counts *start, const struct counts *end)
{
	int z, o;

	for (z = 0; z < ZONEALLOC_NR_ZONES; z++)
		for (o = 0; o <= ZONEALLOC_MAX_ORDER; o++)
			if (end->nr_free[z][o] != start->nr_free[z][o])
				printf("za_soak: zone %d order %d: %llu free, %llu at start\n",
				       z, o,
				       (unsigned long long)end->nr_free[z][o],
				       (unsigned long long)start->nr_free[z][o]);
}

static void bad_usage(void)
{
	fprintf(stderr,
		"usage: za_soak [-t SECONDS] [-w WORKERS] [-k KILL_SECONDS] [-s SEED] [-q]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	unsigned long secs = 600, kill_secs = 30, seed = 0, kills = 0;
	unsigned long deaths = 0, ops = 0, okops = 0, sum[NR_OPS] = { 0 };
	unsigned long sum_ok[NR_OPS] = { 0 }, order_ok[ZONEALLOC_MAX_ORDER + 1] = { 0 };
	unsigned long movable = 0, unmovable = 0, enomem = 0;
	unsigned long long words = 0, mismatches = 0, errors = 0;
	int opt, workers = 3, nslots, fd, i, o, status, ret;
	double t0, next_kill, elapsed;
	struct counts start, end;
	char why[512], first_error[256] = "";
	__u64 pool;
	pid_t pid;

	while ((opt = getopt(argc, argv, "t:w:k:s:q")) != -1) {
		switch (opt) {
		case 't':
			secs = strtoul(optarg, NULL, 0);
			break;
		case 'w':
			workers = atoi(optarg);
			break;
		case 'k':
			kill_secs = strtoul(optarg, NULL, 0);
			break;
		case 's':
			seed = strtoul(optarg, NULL, 0);
			break;
		case 'q':
			quiet = 1;
			break;
		default:
			bad_usage();
		}
	}
	if (workers < 1 || workers > 32 || !kill_secs)
		bad_usage();
	setvbuf(stdout, NULL, _IOLBF, 0);
	t0 = now();
	if (!seed)
		seed = (unsigned long)(t0 * 1e9) ^ (unsigned long)getpid() << 16;
	rng_state = seed | 1;
	page_size = sysconf(_SC_PAGESIZE);
	printf("za_soak: seed %lu, %lu s, %d workers, a kill every %lu s\n",
	       seed, secs, workers, kill_secs);

	fd = za_devopen();
	if (fd < 0) {
		printf("FAIL: soak-open (%s: %s)\n", ZA_DEV, za_errname(errno));
		return 3;
	}
	ret = za_settled(fd, &start.avail, &pool);
	if (!ret)
		ret = read_counts(fd, &start);
	if (ret) {
		printf("FAIL: soak-start (DRAIN/INFO: %s)\n", za_errname(ret));
		return 1;
	}
	/* Together the workers hold at most three quarters of the pool. */
	budget = pool * 3 / 4 / workers;
	printf("za_soak: pool %llu pages, free %llu at start, %lu pages per worker\n",
	       (unsigned long long)pool, (unsigned long long)start.avail,
	       budget);

	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		return 1;
	memset(sh, 0, sizeof(*sh));
	for (nslots = 0; nslots < workers; nslots++)
		if (spawn(nslots, rnd()))
			return 1;

	next_kill = t0 + kill_secs;
	while ((elapsed = now() - t0) < secs) {
		double wake = t0 + secs < next_kill ? t0 + secs : next_kill;

		/* A worker that ended by itself is a failure; replace it. */
		while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
			for (i = 0; i < nslots; i++)
				if (sh->w[i].pid == pid && sh->w[i].running)
					break;
			if (i == nslots)
				continue;
			sh->w[i].running = 0;
			deaths++;
			printf("za_soak: worker %d ended by itself at %.0f s, status %#x\n",
			       (int)pid, elapsed, status);
			if (nslots < MAX_SLOTS && !spawn(nslots, rnd()))
				nslots++;
		}
		if (now() >= next_kill) {
			int live[MAX_SLOTS], nlive = 0;

			for (i = 0; i < nslots; i++)
				if (sh->w[i].running)
					live[nlive++] = i;
			if (nlive && nslots < MAX_SLOTS) {
				i = live[below(nlive)];
				kill(sh->w[i].pid, SIGKILL);
				waitpid(sh->w[i].pid, &status, 0);
				sh->w[i].running = 0;
				kills++;
				if (!quiet)
					printf("za_soak: %.0f s: killed %d (%lu allocations)\n",
					       now() - t0, (int)sh->w[i].pid,
					       sh->w[i].ok[OP_ALLOC] +
					       sh->w[i].ok[OP_CONTIG]);
				if (!spawn(nslots, rnd()))
					nslots++;
			}
			next_kill += kill_secs;
			continue;
		}
		wake -= now();
		usleep(wake > 0.2 ? 200000 : wake > 0 ? (useconds_t)(wake * 1e6) : 0);
	}

	__atomic_store_n(&sh->stop, 1, __ATOMIC_RELAXED);
	for (i = 0; i < nslots; i++) {
		if (!sh->w[i].running)
			continue;
		if (waitpid(sh->w[i].pid, &status, 0) < 0 ||
		    !WIFEXITED(status) || WEXITSTATUS(status)) {
			deaths++;
			printf("za_soak: worker %d ended with status %#x\n",
			       (int)sh->w[i].pid, status);
		}
		sh->w[i].running = 0;
	}
	elapsed = now() - t0;

	for (i = 0; i < nslots; i++) {
		struct wstats *w = &sh->w[i];

		for (o = 0; o < NR_OPS; o++) {
			sum[o] += w->ops[o];
			sum_ok[o] += w->ok[o];
			ops += w->ops[o];
			okops += w->ok[o];
		}
		for (o = 0; o <= ZONEALLOC_MAX_ORDER; o++)
			order_ok[o] += w->order_ok[o];
		movable += w->movable_ok;
		unmovable += w->unmovable_ok;
		enomem += w->enomem;
		words += w->words_verified;
		mismatches += w->mismatches;
		errors += w->errors;
		if (!first_error[0] && w->errors)
			snprintf(first_error, sizeof(first_error), "%s",
				 w->first_error);
	}
	printf("za_soak: %.0f s, %d workers started, %lu killed; %lu operations",
	       elapsed, nslots, kills, ops);
	printf(" (%lu succeeded), %lu ENOMEM\n", okops, enomem);
	printf("za_soak: per operation (tried/succeeded):");
	for (o = 0; o < NR_OPS; o++)
		printf(" %s %lu/%lu", op_names[o], sum[o], sum_ok[o]);
	printf("\nza_soak: allocations by order:");
	for (o = 0; o <= ZONEALLOC_MAX_ORDER; o++)
		printf(" %d:%lu", o, order_ok[o]);
	printf("; movable %lu, not movable %lu\n", movable, unmovable);
	printf("za_soak: %llu words (%llu MiB) verified, %llu mismatches\n",
	       words, words * 8 >> 20, mismatches);

	snprintf(why, sizeof(why), "%llu words differ", mismatches);
	za_report("soak-patterns", !mismatches && words, why);
	snprintf(why, sizeof(why),
		 "%lu workers died other than by SIGKILL, %llu failed calls, first: %s",
		 deaths, errors, first_error);
	za_report("soak-workers", !deaths && !errors, why);
	snprintf(why, sizeof(why), "%lu kills in %.0f s, expected %lu",
		 kills, elapsed, (secs - 1) / kill_secs);
	za_report("soak-kills", kills >= (secs - 1) / kill_secs && kills, why);
	{
		int ok = sum_ok[OP_CONTIG] && sum_ok[OP_COMPACT] && movable &&
			 unmovable;

		for (o = 0; o <= ZONEALLOC_MAX_ORDER; o++)
			ok &= order_ok[o] > 0;
		snprintf(why, sizeof(why),
			 "an order, ALLOC_CONTIG, COMPACT, movable or unmovable never succeeded");
		za_report("soak-coverage", ok, why);
	}

	ret = settle(fd, &start, &end);
	snprintf(why, sizeof(why), "DRAIN/INFO %s: free+pcp %llu, at start %llu",
		 za_errname(ret), (unsigned long long)end.avail,
		 (unsigned long long)start.avail);
	if (!ret && end.avail == start.avail && memcmp(&end, &start, sizeof(end))) {
		print_diffs(&start, &end);
		snprintf(why, sizeof(why),
			 "the same free pages, but not the same per zone or per order (see above)");
	}
	printf("za_soak: free pages %llu at start, %llu at the end\n",
	       (unsigned long long)start.avail, (unsigned long long)end.avail);
	za_report("soak-free-counts", !ret && !memcmp(&end, &start, sizeof(end)),
		  why);
	close(fd);
	return za_summary("za_soak");
}
