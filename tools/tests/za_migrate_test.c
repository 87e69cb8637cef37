// SPDX-License-Identifier: GPL-2.0
/*
 * Movable allocations really move: a child process pinned to one CPU keeps
 * writing and verifying patterns in its mapped movable allocations while
 * the parent, on the other CPU, runs compaction again and again. Every page
 * must always read back what was last written; compaction must have moved
 * pages meanwhile. Then the fragmenting workload of the compaction issue:
 * fill the pool with movable order-0 pages, free three of every four, run
 * one sync compaction and count the order-9 blocks that can be allocated
 * against those the free memory could form.
 *
 *   za_migrate_test [-r ROUNDS] [-s SEED]
 */

#include "za_test.h"

#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>

#define NR_ALLOCS	256
#define PAGE		4096UL

static unsigned int rounds = 20;
static unsigned int seed = 1;

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

static int info(int fd, struct zonealloc_info *in)
{
	memset(in, 0, sizeof(*in));
	in->size = sizeof(*in);
	return za_ioc(fd, ZONEALLOC_IOC_INFO, in);
}

static int compact_all(int fd, int order, unsigned long long *migrated)
{
	struct zonealloc_compact c = {
		.zone = ZONEALLOC_ZONE_ALL, .order = order,
		.mode = ZONEALLOC_COMPACT_SYNC,
	};
	int ret = za_ioc(fd, ZONEALLOC_IOC_COMPACT, &c);

	if (migrated)
		*migrated += c.migrated;
	return ret == -EAGAIN ? 0 : ret;
}

static int query(int fd, __u64 handle, struct zonealloc_query *q)
{
	memset(q, 0, sizeof(*q));
	q->handle = handle;
	return za_ioc(fd, ZONEALLOC_IOC_QUERY, q);
}

struct mapping {
	__u64 handle;
	unsigned int pages;
	uint64_t *mem;
};

/* Each word of each page carries its handle, page, word and generation. */
static uint64_t word(const struct mapping *m, unsigned long i, uint64_t gen)
{
	return (m->handle << 24) ^ (i * 0x9e3779b97f4a7c15ULL) ^ gen;
}

static unsigned long verify_and_write(struct mapping *m, uint64_t gen)
{
	unsigned long i, n = m->pages * PAGE / 8, bad = 0;

	for (i = 0; i < n; i++)
		if (m->mem[i] != word(m, i, gen))
			bad++;
	for (i = 0; i < n; i++)
		m->mem[i] = word(m, i, gen + 1);
	return bad;
}

static int test_content_survives_compaction(void)
{
	struct mapping maps[NR_ALLOCS];
	unsigned long long migrated = 0;
	int fd, pipefd[2], status, n = 0, i, moved = 0;
	unsigned long mismatches = 0;
	pid_t child;

	fd = open(ZA_DEV, O_RDWR);
	if (fd < 0)
		return za_fail("open: %s", strerror(errno));
	srand(seed);
	/* Movable order-0..2 blocks, every other one freed to leave holes. */
	for (i = 0; i < NR_ALLOCS * 2; i++) {
		struct zonealloc_alloc a = {
			.order = rand() % 3, .flags = ZONEALLOC_GFP_MOVABLE,
		};
		struct zonealloc_free f;
		int ret = za_ioc(fd, ZONEALLOC_IOC_ALLOC, &a);

		if (ret)
			return za_fail("alloc %d: %s", i, za_errname(ret));
		if (i % 2) {
			f = (struct zonealloc_free){ .handle = a.handle };
			za_ioc(fd, ZONEALLOC_IOC_FREE, &f);
			continue;
		}
		maps[n].handle = a.handle;
		maps[n].pages = 1U << a.order;
		maps[n].mem = mmap(NULL, maps[n].pages * PAGE,
				   PROT_READ | PROT_WRITE, MAP_SHARED, fd,
				   a.handle * PAGE);
		if (maps[n].mem == MAP_FAILED)
			return za_fail("mmap: %s", strerror(errno));
		for (unsigned long w = 0; w < maps[n].pages * PAGE / 8; w++)
			maps[n].mem[w] = word(&maps[n], w, 0);
		n++;
	}

	if (pipe(pipefd))
		return za_fail("pipe");
	child = fork();
	if (child == 0) {
		unsigned long bad = 0;
		uint64_t gen = 0;
		char c;

		pin(1);
		close(pipefd[1]);
		fcntl(pipefd[0], F_SETFL, O_NONBLOCK);
		while (read(pipefd[0], &c, 1) < 0) {
			for (i = 0; i < n; i++)
				bad += verify_and_write(&maps[i], gen);
			gen++;
		}
		for (i = 0; i < n; i++)
			bad += verify_and_write(&maps[i], gen);
		printf("  writer: %llu passes over %d mappings, %lu mismatches\n",
		       (unsigned long long)gen, n, bad);
		_exit(bad ? 1 : 0);
	}
	pin(0);
	close(pipefd[0]);
	for (i = 0; i < (int)rounds; i++) {
		int ret = compact_all(fd, -1, &migrated);

		if (ret) {
			kill(child, SIGKILL);
			return za_fail("compact: %s", za_errname(ret));
		}
		usleep(20000);
	}
	close(pipefd[1]);
	waitpid(child, &status, 0);
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		mismatches = 1;
	for (i = 0; i < n; i++) {
		struct zonealloc_query q;

		if (query(fd, maps[i].handle, &q) == 0 && q.moves)
			moved++;
	}
	printf("  %u compactions moved %llu pages under the writer; %d of %d allocations moved\n",
	       rounds, migrated, moved, n);
	close(fd);
	if (mismatches)
		return za_fail("the writer saw wrong data");
	if (!migrated || !moved)
		return za_fail("compaction moved nothing");
	return 0;
}

/*
 * An allocation whose physical address was handed out never moves, even
 * when compaction moves everything around it.
 */
static int test_unmovable_stays(void)
{
	struct zonealloc_alloc u = { .order = 0 };
	struct zonealloc_query q;
	int fd = open(ZA_DEV, O_RDWR), ret, i;
	unsigned long long migrated = 0;
	uint64_t *p;

	if (fd < 0)
		return za_fail("open: %s", strerror(errno));
	ret = za_ioc(fd, ZONEALLOC_IOC_ALLOC, &u);
	if (ret || !u.phys_addr)
		return za_fail("unmovable alloc as root: %s, phys %#llx",
			       za_errname(ret), (unsigned long long)u.phys_addr);
	p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		 u.handle * PAGE);
	if (p == MAP_FAILED)
		return za_fail("mmap: %s", strerror(errno));
	for (i = 0; i < 512; i++)
		p[i] = 0xfeed0000 + i;
	if (compact_all(fd, -1, &migrated))
		return za_fail("compact failed");
	for (i = 0; i < 512; i++)
		if (p[i] != 0xfeed0000ULL + i)
			return za_fail("unmovable page changed at word %d", i);
	ret = query(fd, u.handle, &q);
	if (ret || q.moves || q.phys_addr != u.phys_addr)
		return za_fail("the pinned page moved: %s, %u moves, phys %#llx",
			       za_errname(ret), q.moves,
			       (unsigned long long)q.phys_addr);
	close(fd);
	return 0;
}

#define PROACTIVENESS "/sys/module/zonealloc/parameters/compaction_proactiveness"

/* Read or write a module parameter; -1 on failure. */
static int param(const char *path, int value)
{
	char buf[32];
	int fd = open(path, value < 0 ? O_RDONLY : O_WRONLY), n;

	if (fd < 0)
		return -1;
	if (value < 0) {
		n = read(fd, buf, sizeof(buf) - 1);
		buf[n > 0 ? n : 0] = '\0';
		value = n > 0 ? atoi(buf) : -1;
	} else {
		n = snprintf(buf, sizeof(buf), "%d\n", value);
		if (write(fd, buf, n) != n)
			value = -1;
	}
	close(fd);
	return value;
}

static int test_order9_after_fragmentation(void)
{
	unsigned long nr = 0, cap, i, possible, got = 0;
	unsigned long long migrated = 0;
	struct zonealloc_info in;
	__u64 *handles;
	int fd, ret, proactive;

	/*
	 * One sync compaction is what is measured: keep background proactive
	 * compaction from holding free pages while the blocks are counted.
	 */
	proactive = param(PROACTIVENESS, -1);
	param(PROACTIVENESS, 0);
	fd = open(ZA_DEV, O_RDWR);
	if (fd < 0)
		return za_fail("open: %s", strerror(errno));
	if (info(fd, &in))
		return za_fail("info");
	cap = in.pool_pages;
	handles = calloc(cap, sizeof(*handles));
	/* Fill with movable order-0 pages, in bulk. */
	for (;;) {
		struct zonealloc_bulk b = {
			.count = ZONEALLOC_BULK_MAX, .flags = ZONEALLOC_GFP_MOVABLE |
			ZONEALLOC_GFP_NOWARN, .handles = (uintptr_t)(handles + nr),
		};

		if (nr + b.count > cap)
			b.count = cap - nr;
		if (!b.count || za_ioc(fd, ZONEALLOC_IOC_ALLOC_BULK, &b))
			break;
		nr += b.count;
	}
	/* Free three of every four, spread over every pageblock. */
	for (i = 0; i < nr; i++) {
		struct zonealloc_free f = { .handle = handles[i] };

		if (i % 4 != 3 && za_ioc(fd, ZONEALLOC_IOC_FREE, &f) == 0)
			handles[i] = 0;
	}
	struct zonealloc_drain d = { .cpu = -1 };

	za_ioc(fd, ZONEALLOC_IOC_DRAIN, &d);
	info(fd, &in);
	possible = 0;
	for (i = 0; i < ZONEALLOC_NR_ZONES; i++)
		possible += in.zones[i].free_pages / 512;

	ret = compact_all(fd, -1, &migrated);
	if (ret)
		return za_fail("compact: %s", za_errname(ret));
	for (;;) {
		struct zonealloc_alloc a = {
			.order = 9,
			.flags = ZONEALLOC_GFP_MOVABLE | ZONEALLOC_GFP_NOWARN |
				 ZONEALLOC_GFP_NORETRY,
		};

		if (za_ioc(fd, ZONEALLOC_IOC_ALLOC, &a))
			break;
		got++;
	}
	printf("  filled %lu pages, kept 1 in 4; compaction moved %llu pages;\n"
	       "  order-9 allocations: %lu of %lu possible (%lu.%lu%%)\n",
	       nr, migrated, got, possible,
	       possible ? got * 100 / possible : 0,
	       possible ? got * 1000 / possible % 10 : 0);
	close(fd);
	free(handles);
	if (proactive >= 0)
		param(PROACTIVENESS, proactive);
	if (!possible)
		return za_fail("no order-9 block was possible");
	if (got * 100 < possible * 95)
		return za_fail("%lu of %lu order-9 blocks, below 95%%", got, possible);
	return 0;
}

int main(int argc, char **argv)
{
	int opt;

	while ((opt = getopt(argc, argv, "r:s:")) != -1) {
		switch (opt) {
		case 'r':
			rounds = strtoul(optarg, NULL, 0);
			break;
		case 's':
			seed = strtoul(optarg, NULL, 0);
			break;
		default:
			fprintf(stderr, "usage: %s [-r ROUNDS] [-s SEED]\n", argv[0]);
			return 2;
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	za_run("migrate-content-survives-compaction", test_content_survives_compaction);
	za_run("migrate-unmovable-stays", test_unmovable_stays);
	za_run("compact-order9-after-fragmentation", test_order9_after_fragmentation);
	return za_summary("za_migrate_test");
}
