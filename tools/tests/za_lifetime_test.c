// SPDX-License-Identifier: GPL-2.0
/*
 * A mapping never outlives the allocation it was made for (issue 9, §1).
 * Handle ids are reused, so these tests free a mapped allocation A, cycle
 * allocations until A's handle comes round again for a new allocation B,
 * and check that A's old mapping only ever gets SIGBUS: never B's pages,
 * never B's bytes, not after B moves and not after B is freed. Also the
 * handle table under a race of multi-id ALLOC_CONTIG ranges against
 * order-0 allocations of another process.
 *
 * Cycling is quick when the module is loaded with a small id space
 * (max_handle_id=8192, as itest-vm.sh does); without the parameter (an
 * older module) the whole default space of 2^21 - 1 ids is cycled.
 *
 *   za_lifetime_test [NAME-SUBSTRING]
 */

#include "za_test.h"

#include <setjmp.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define MAXID_PARAM "/sys/module/zonealloc/parameters/max_handle_id"
#define SECRET 0x5ec7e75ec7e75ec7ULL
#define NR_MOVE 64

static size_t page_size;
static unsigned long max_id = (1UL << 21) - 1;
static __u64 start_avail;

static const char *en(int err)
{
	return za_errname(err);
}

static void *map(int f, __u64 handle, size_t pages)
{
	void *p = mmap(NULL, pages * page_size, PROT_READ | PROT_WRITE,
		       MAP_SHARED, f, (off_t)(handle * page_size));

	return p == MAP_FAILED ? NULL : p;
}

static sigjmp_buf touch_env;

static void touch_handler(int sig)
{
	siglongjmp(touch_env, sig);
}

/* Read one word; returns the signal it raised, or 0 and *@val. */
static int peek(const uint64_t *p, uint64_t *val)
{
	struct sigaction sa, old_bus, old_segv;
	int sig;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = touch_handler;
	sigaction(SIGBUS, &sa, &old_bus);
	sigaction(SIGSEGV, &sa, &old_segv);
	sig = sigsetjmp(touch_env, 1);
	if (!sig)
		*val = __atomic_load_n(p, __ATOMIC_RELAXED);
	sigaction(SIGBUS, &old_bus, NULL);
	sigaction(SIGSEGV, &old_segv, NULL);
	return sig;
}

/*
 * A stale mapping must raise SIGBUS; on failure say what it read (B's
 * secret, or other pages) so the report tells how bad it was.
 */
static int expect_sigbus(const void *p, const char *what)
{
	uint64_t v = 0;
	int sig = peek(p, &v);

	if (sig == SIGBUS)
		return 0;
	if (sig)
		return za_fail("%s: signal %d, expected SIGBUS", what, sig);
	return za_fail("%s: readable, expected SIGBUS (read %#llx%s)", what,
		       (unsigned long long)v,
		       v == SECRET ? ": B's secret" : "");
}

static int query(int f, __u64 handle, struct zonealloc_query *q)
{
	memset(q, 0, sizeof(*q));
	q->handle = handle;
	return za_ioc(f, ZONEALLOC_IOC_QUERY, q);
}

static int free_bulk(int f, __u64 *h, unsigned int n)
{
	struct zonealloc_bulk b = { .count = n, .handles = (uintptr_t)h };

	return n ? za_ioc(f, ZONEALLOC_IOC_FREE_BULK, &b) : 0;
}

static int is_target(__u64 h, const __u64 *want, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (want[i] == h)
			return i;
	return -1;
}

/*
 * Allocate (order 0 in bulk, else one by one) and free again until every
 * handle of @want[@n] has come back; those allocations are kept, in
 * @got[i] = @want[i]. Fails if the ids do not come round within three
 * passes over the id space.
 */
static int cycle_until(int f, unsigned int order, unsigned int flags,
		       const __u64 *want, unsigned int n)
{
	static __u64 h[ZONEALLOC_BULK_MAX], drop[ZONEALLOC_BULK_MAX];
	unsigned long done = 0;
	unsigned int left = n, i, nd;
	int ret, k;

	while (left) {
		struct zonealloc_bulk b = {
			.count = order ? 1 : ZONEALLOC_BULK_MAX,
			.flags = flags, .handles = (uintptr_t)h,
		};

		if (done > 3 * max_id + 3 * ZONEALLOC_BULK_MAX)
			return za_fail("%u of %u handles never came back after %lu allocations",
				       left, n, done);
		if (order) {
			struct zonealloc_alloc a;

			ret = za_rawalloc(f, order, flags, &a);
			h[0] = a.handle;
		} else {
			ret = za_ioc(f, ZONEALLOC_IOC_ALLOC_BULK, &b);
		}
		if (ret)
			return za_fail("cycling allocations after %lu: %s",
				       done, en(ret));
		done += b.count;
		for (i = 0, nd = 0; i < b.count; i++) {
			k = is_target(h[i], want, n);
			if (k >= 0)
				left--;
			else
				drop[nd++] = h[i];
		}
		ret = free_bulk(f, drop, nd);
		if (ret)
			return za_fail("FREE_BULK while cycling: %s", en(ret));
	}
	return 0;
}

/* ---------------------------------------------------------------------- */

/* Allocate A (order 0) in @f and map it; NULL once a failure is reported. */
static uint64_t *alloc_map_a(int f, struct zonealloc_alloc *a)
{
	uint64_t *p;
	int ret = za_rawalloc(f, 0, 0, a);

	if (ret) {
		za_fail("alloc A: %s", en(ret));
		return NULL;
	}
	p = map(f, a->handle, 1);
	if (!p)
		za_fail("mmap A: %s", en(errno));
	return p;
}

/*
 * The wrap-around of the issue: A mapped and freed, its id comes round for
 * B (never mapped itself); A's old mapping faults, before and after B is
 * freed, and never reaches B's pages.
 */
static int t_wrap_stale_mapping(void)
{
	struct zonealloc_alloc a;
	int f = za_devopen(), ret;
	uint64_t *p;

	if (f < 0)
		return za_fail("open: %s", en(errno));
	p = alloc_map_a(f, &a);
	if (!p)
		return -1;
	za_fill_words(p, page_size, 0xa);
	ret = za_rawfree(f, a.handle);
	if (ret)
		return za_fail("free A: %s", en(ret));
	ret = expect_sigbus(p, "A's mapping after free");
	if (!ret)
		ret = cycle_until(f, 0, 0, &a.handle, 1);
	if (!ret)
		ret = expect_sigbus(p, "A's mapping once B has A's handle");
	if (!ret) {
		ret = za_rawfree(f, a.handle);
		if (ret)
			ret = za_fail("free B: %s", en(ret));
	}
	if (!ret)
		ret = expect_sigbus(p, "A's mapping after B is freed");
	munmap(p, page_size);
	close(f);
	return ret;
}

/* A maps and frees; B, same size, gets A's handle and writes a secret. */
static int t_secret_same_file(void)
{
	struct zonealloc_alloc a;
	int f = za_devopen(), ret;
	uint64_t *pa, *pb = NULL;

	if (f < 0)
		return za_fail("open: %s", en(errno));
	pa = alloc_map_a(f, &a);
	if (!pa)
		return -1;
	za_fill_words(pa, page_size, 0xa);
	ret = za_rawfree(f, a.handle);
	if (!ret)
		ret = cycle_until(f, 0, 0, &a.handle, 1);
	if (!ret) {
		pb = map(f, a.handle, 1);
		if (!pb)
			ret = za_fail("mmap B: %s", en(errno));
	}
	if (!ret) {
		za_fill_words(pb, page_size, SECRET);
		ret = expect_sigbus(pa, "A's old mapping while B holds a secret");
	}
	if (!ret)
		ret = za_check_words(pb, page_size, SECRET, "contents");
	if (!ret)
		ret = za_rawfree(f, a.handle);
	if (!ret)
		ret = expect_sigbus(pa, "A's old mapping after B is freed");
	if (!ret)
		ret = expect_sigbus(pb, "B's mapping after B is freed");
	munmap(pa, page_size);
	if (pb)
		munmap(pb, page_size);
	close(f);
	return ret;
}

/*
 * The same through every copy of A's VMA: split by munmap() of its middle
 * page, one piece moved by mremap(), one inherited by a forked child.
 */
static int t_secret_split_mremap_fork(void)
{
	struct zonealloc_alloc a;
	int f = za_devopen(), ret, status, pipefd[2];
	unsigned char *p, *moved = NULL, *pb = NULL;
	pid_t child = -1;
	char c;

	if (f < 0)
		return za_fail("open: %s", en(errno));
	ret = za_rawalloc(f, 2, 0, &a);
	if (ret)
		return za_fail("alloc A: %s", en(ret));
	p = map(f, a.handle, 4);
	if (!p)
		return za_fail("mmap A: %s", en(errno));
	za_fill_words(p, 4 * page_size, 0xa);
	if (munmap(p + page_size, page_size))
		return za_fail("munmap of the middle page: %s", en(errno));
	/* To an address of its own, so that the VMA really moves. */
	moved = mmap(NULL, page_size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
		     -1, 0);
	if (moved == MAP_FAILED)
		return za_fail("mmap of a target: %s", en(errno));
	moved = mremap(p + 3 * page_size, page_size, page_size,
		       MREMAP_MAYMOVE | MREMAP_FIXED, moved);
	if (moved == MAP_FAILED)
		return za_fail("mremap: %s", en(errno));
	ret = za_check_words(p, page_size, 0xa, "first page") ||
	      za_check_words(p + 2 * page_size, page_size, 0xa, "third page") ||
	      za_check_words(moved, page_size, 0xa, "moved page");
	if (ret)
		return -1;
	if (pipe(pipefd))
		return za_fail("pipe: %s", en(errno));
	fflush(stdout);
	child = fork();
	if (child < 0)
		return za_fail("fork: %s", en(errno));
	if (!child) {
		uint64_t v;

		close(pipefd[1]);
		if (read(pipefd[0], &c, 1) != 1)
			_exit(2);
		/* Every piece must fault in the child too. */
		if (peek((void *)p, &v) != SIGBUS ||
		    peek((void *)(p + 2 * page_size), &v) != SIGBUS ||
		    peek((void *)moved, &v) != SIGBUS)
			_exit(v == SECRET ? 4 : 3);
		_exit(0);
	}
	close(pipefd[0]);
	ret = za_rawfree(f, a.handle);
	if (ret)
		ret = za_fail("free A: %s", en(ret));
	if (!ret)
		ret = cycle_until(f, 2, 0, &a.handle, 1);
	if (!ret) {
		pb = map(f, a.handle, 4);
		if (!pb)
			ret = za_fail("mmap B: %s", en(errno));
		else
			za_fill_words(pb, 4 * page_size, SECRET);
	}
	if (!ret)
		ret = expect_sigbus(p, "A's first piece");
	if (!ret)
		ret = expect_sigbus(p + 2 * page_size, "A's third page");
	if (!ret)
		ret = expect_sigbus(moved, "A's mremap()ed page");
	if (write(pipefd[1], "g", 1) != 1 && !ret)
		ret = za_fail("pipe write: %s", en(errno));
	close(pipefd[1]);
	if (waitpid(child, &status, 0) != child)
		status = -1;
	if (!ret && (!WIFEXITED(status) || WEXITSTATUS(status)))
		ret = za_fail("the forked child's copy of A's mapping: status %#x%s",
			      status, WIFEXITED(status) && WEXITSTATUS(status) == 4 ?
			      " (read B's secret)" : "");
	munmap(p, page_size);
	munmap(p + 2 * page_size, page_size);
	munmap(moved, page_size);
	if (pb)
		munmap(pb, 4 * page_size);
	close(f);
	return ret;
}

/*
 * A in one file, B in another file of the same process: A's old mapping
 * faults whatever B does with the handle.
 */
static int t_secret_other_file(void)
{
	struct zonealloc_alloc a;
	int f = za_devopen(), g = za_devopen(), ret;
	uint64_t *pa, *pb = NULL;

	if (f < 0 || g < 0)
		return za_fail("open: %s", en(errno));
	pa = alloc_map_a(f, &a);
	if (!pa)
		return -1;
	ret = za_rawfree(f, a.handle);
	if (!ret)
		ret = cycle_until(g, 0, 0, &a.handle, 1);
	if (!ret) {
		pb = map(g, a.handle, 1);
		if (!pb)
			ret = za_fail("mmap B in the other file: %s", en(errno));
		else
			za_fill_words(pb, page_size, SECRET);
	}
	if (!ret)
		ret = expect_sigbus(pa, "A's old mapping, B in another file");
	if (!ret && map(f, a.handle, 1))
		ret = za_fail("A's file mapped B's handle");
	munmap(pa, page_size);
	if (pb)
		munmap(pb, page_size);
	close(f);
	close(g);
	return ret;
}

static int compact_all(int f, unsigned long long *migrated)
{
	struct zonealloc_compact c = {
		.zone = ZONEALLOC_ZONE_ALL, .order = -1,
		.mode = ZONEALLOC_COMPACT_SYNC,
	};
	int ret = za_ioc(f, ZONEALLOC_IOC_COMPACT, &c);

	*migrated += c.migrated;
	return ret == -EAGAIN ? 0 : ret;
}

static int cmp_u64(const void *a, const void *b)
{
	__u64 x = *(const __u64 *)a, y = *(const __u64 *)b;

	return x < y ? -1 : x > y;
}

/*
 * Occupy the upper half of the pool with unmovable order-9 blocks (their
 * physical addresses, shown to root, tell which half), so that what is
 * allocated next lands low, where compaction's migrate scanner starts.
 * Returns how many handles were kept in @ballast.
 */
static int take_upper_half(int f, __u64 *ballast, int max)
{
	static __u64 phys[256], handles[256];
	struct zonealloc_alloc a;
	int n = 0, kept = 0, i;
	__u64 median;

	while (n < max && n < (int)ARRAY_SIZE(phys) &&
	       !za_rawalloc(f, 9, ZONEALLOC_GFP_NOWARN, &a)) {
		phys[n] = a.phys_addr;
		handles[n++] = a.handle;
	}
	if (!n)
		return 0;
	memcpy(ballast, phys, n * sizeof(*phys));
	qsort(ballast, n, sizeof(*ballast), cmp_u64);
	median = ballast[n / 2];
	for (i = 0; i < n; i++) {
		if (phys[i] >= median)
			ballast[kept++] = handles[i];
		else
			za_rawfree(f, handles[i]);
	}
	return kept;
}

/*
 * As above with compaction moving B: NR_MOVE movable A's are mapped and
 * freed, their handles come round for NR_MOVE movable B's (placed low in
 * the pool), which write secrets; then the upper half is freed and
 * COMPACT runs until some B have moved (if none has, as happens in the
 * debug kernel where the placement differs, large ALLOC_CONTIG ranges move
 * them out). No old mapping reaches a B, before or after the move.
 */
static int t_secret_compaction_moves(void)
{
	static __u64 want[NR_MOVE], fillers[ZONEALLOC_BULK_MAX];
	static __u64 holes[ZONEALLOC_BULK_MAX / 2], ballast[64];
	uint64_t *pa[NR_MOVE] = { 0 }, *pb[NR_MOVE] = { 0 };
	unsigned long long migrated = 0;
	int f = za_devopen(), ret = 0, i, round, moved = 0;
	unsigned int nr;
	char what[64];
	int nb;

	if (f < 0)
		return za_fail("open: %s", en(errno));
	nb = take_upper_half(f, ballast, ARRAY_SIZE(ballast));
	for (i = 0; i < NR_MOVE && !ret; i++) {
		struct zonealloc_alloc a;

		ret = za_rawalloc(f, 0, ZONEALLOC_GFP_MOVABLE, &a);
		if (ret)
			return za_fail("alloc A%d: %s", i, en(ret));
		want[i] = a.handle;
		pa[i] = map(f, a.handle, 1);
		if (!pa[i])
			return za_fail("mmap A%d: %s", i, en(errno));
		za_fill_words(pa[i], page_size, 0xa);
	}
	for (i = 0; i < NR_MOVE && !ret; i++)
		ret = za_rawfree(f, want[i]);
	if (ret)
		return za_fail("free A: %s", en(ret));
	ret = cycle_until(f, 0, ZONEALLOC_GFP_MOVABLE, want, NR_MOVE);
	for (i = 0; i < NR_MOVE && !ret; i++) {
		pb[i] = map(f, want[i], 1);
		if (!pb[i])
			ret = za_fail("mmap B%d: %s", i, en(errno));
		else
			za_fill_words(pb[i], page_size, SECRET);
	}
	/* Room at the top for compaction to move the B's into. */
	for (i = 0; i < nb; i++)
		za_rawfree(f, ballast[i]);
	for (round = 0; round < 3 && !ret && !moved; round++) {
		struct zonealloc_bulk b = {
			.count = ZONEALLOC_BULK_MAX,
			.flags = ZONEALLOC_GFP_MOVABLE,
			.handles = (uintptr_t)fillers,
		};
		unsigned int n = 0, kept = 0, j;

		/* From the second round on, holes among movable fillers. */
		if (round) {
			ret = za_ioc(f, ZONEALLOC_IOC_ALLOC_BULK, &b);
			if (ret) {
				ret = za_fail("fillers: %s", en(ret));
				break;
			}
			for (j = 0; j < b.count; j++) {
				if (j % 2)
					fillers[kept++] = fillers[j];
				else
					holes[n++] = fillers[j];
			}
			ret = free_bulk(f, holes, n);
			if (ret) {
				ret = za_fail("free fillers: %s", en(ret));
				break;
			}
		}
		ret = compact_all(f, &migrated);
		if (!ret)
			ret = free_bulk(f, fillers, kept);
		if (ret) {
			ret = za_fail("COMPACT or FREE_BULK: %s", en(ret));
			break;
		}
		for (i = 0; i < NR_MOVE; i++) {
			struct zonealloc_query q;

			if (!query(f, want[i], &q) && q.moves)
				moved++;
		}
	}
	if (!ret)
		printf("  COMPACT moved %llu pages; %d of %d B's moved\n",
		       migrated, moved, NR_MOVE);
	/*
	 * The migrate scanner only walks up to the free scanner: B's high in
	 * the zone never move. Claiming a large range moves the movable
	 * allocations in it out through the same path.
	 */
	for (nr = 12288; nr >= 1024 && !ret && !moved; nr /= 2) {
		struct zonealloc_alloc_contig c = { .nr_pages = nr };

		if (za_ioc(f, ZONEALLOC_IOC_ALLOC_CONTIG, &c))
			continue;
		ret = za_rawfree(f, c.handle);
		for (i = 0; i < NR_MOVE; i++) {
			struct zonealloc_query q;

			if (!query(f, want[i], &q) && q.moves)
				moved++;
		}
		printf("  ALLOC_CONTIG of %u pages: %d of %d B's moved\n", nr,
		       moved, NR_MOVE);
	}
	if (!ret && !moved)
		ret = za_fail("compaction moved none of the B allocations");
	for (i = 0; i < NR_MOVE && !ret; i++) {
		snprintf(what, sizeof(what), "A%d's old mapping after B%d moved",
			 i, i);
		ret = expect_sigbus(pa[i], what);
		if (!ret && za_check_words(pb[i], page_size, SECRET, "B"))
			ret = za_fail("B%d lost its secret in the move: %s", i,
				      za_why);
	}
	for (i = 0; i < NR_MOVE && !ret; i++)
		ret = za_rawfree(f, want[i]);
	for (i = 0; i < NR_MOVE && !ret; i++) {
		snprintf(what, sizeof(what), "A%d's old mapping after B%d freed",
			 i, i);
		ret = expect_sigbus(pa[i], what);
	}
	for (i = 0; i < NR_MOVE; i++) {
		if (pa[i])
			munmap(pa[i], page_size);
		if (pb[i])
			munmap(pb[i], page_size);
	}
	close(f);
	return ret;
}

/*
 * Allocate order-0 pages (and free them) until the next id handed out is
 * @id; ids from the cursor to @id must be free.
 */
static int cycle_to(int f, unsigned long id)
{
	static __u64 h[ZONEALLOC_BULK_MAX];
	unsigned long last, done = 0, d;
	struct zonealloc_alloc a;
	int ret;

	/* Where the cursor is: bulk counts below never cross the top id. */
	ret = za_rawalloc(f, 0, 0, &a);
	if (!ret)
		ret = za_rawfree(f, a.handle);
	if (ret)
		return za_fail("cycling: %s", en(ret));
	last = a.handle >> ZONEALLOC_MAX_ORDER;
	for (;;) {
		struct zonealloc_bulk b = { .handles = (uintptr_t)h };

		if (last == id - 1)
			return 0;
		d = last < id - 1 ? id - 1 - last : max_id - last;
		if (!d) {
			last = 0;
			continue;
		}
		if (done > 2 * max_id + 2)
			return za_fail("id %lu never came round", id);
		b.count = d < ZONEALLOC_BULK_MAX ? d : ZONEALLOC_BULK_MAX;
		ret = za_ioc(f, ZONEALLOC_IOC_ALLOC_BULK, &b);
		if (ret)
			return za_fail("cycling: %s", en(ret));
		done += b.count;
		last = h[b.count - 1] >> ZONEALLOC_MAX_ORDER;
		ret = free_bulk(f, h, b.count);
		if (ret)
			return za_fail("cycling, FREE_BULK: %s", en(ret));
	}
}

/*
 * A multi-id ALLOC_CONTIG handle that meets an id in use must leave that
 * id alone: P and Q get ids p and p + 1, P is freed, ids come round to p,
 * and another file's range of 2 ids is claimed there. Q must still be Q.
 */
static int t_contig_next_to_live_handle(void)
{
	struct zonealloc_alloc_contig c = { .nr_pages = 1025 };
	struct zonealloc_alloc pa, qa;
	struct zonealloc_query q;
	int f = za_devopen(), g = za_devopen(), ret;
	unsigned long p;

	if (f < 0 || g < 0)
		return za_fail("open: %s", en(errno));
	for (;;) {
		ret = za_rawalloc(f, 0, 0, &pa);
		if (!ret)
			ret = za_rawalloc(f, 0, 0, &qa);
		if (ret)
			return za_fail("alloc P, Q: %s", en(ret));
		p = pa.handle >> ZONEALLOC_MAX_ORDER;
		if (p >= 2 && qa.handle >> ZONEALLOC_MAX_ORDER == p + 1)
			break;
		/* Only Q may hold an id while the ids come round. */
		za_rawfree(f, pa.handle);
		za_rawfree(f, qa.handle);
	}
	ret = za_rawfree(f, pa.handle);
	if (!ret)
		ret = cycle_to(f, p);
	if (!ret) {
		ret = za_ioc(g, ZONEALLOC_IOC_ALLOC_CONTIG, &c);
		if (ret)
			ret = za_fail("ALLOC_CONTIG of 1025 pages: %s", en(ret));
	}
	if (!ret) {
		ret = query(f, qa.handle, &q);
		if (ret)
			ret = za_fail("Q after the range was claimed: %s", en(ret));
		else if (q.nr_pages != 1)
			ret = za_fail("Q's handle now names %llu pages",
				      (unsigned long long)q.nr_pages);
	}
	if (!ret && query(g, qa.handle, &q) == 0)
		ret = za_fail("the other file's range took Q's handle");
	close(f);
	close(g);
	return ret;
}

/*
 * With every id in use, allocations fail with ENOSPC (a range after one
 * pass over the ids, not looping), and one freed id serves an order-0
 * allocation but not a range of two ids. Only with a small id space.
 */
static int t_ids_exhausted(void)
{
	static __u64 h[ZONEALLOC_BULK_MAX];
	struct zonealloc_alloc_contig c = { .nr_pages = 1025 };
	struct zonealloc_alloc a;
	unsigned long held = 0;
	int f = za_devopen(), ret = 0;

	if (f < 0)
		return za_fail("open: %s", en(errno));
	if (max_id > 16384) {
		printf("  (skipped: %lu ids, more than the pool's pages)\n",
		       max_id);
		close(f);
		return 0;
	}
	while (held <= max_id) {
		struct zonealloc_bulk b = {
			.count = ZONEALLOC_BULK_MAX, .handles = (uintptr_t)h,
		};

		ret = za_ioc(f, ZONEALLOC_IOC_ALLOC_BULK, &b);
		if (ret)
			break;
		held += b.count;
	}
	if (held != max_id || ret != -ENOSPC) {
		ret = za_fail("%lu of %lu ids taken, then %s, expected ENOSPC",
			      held, max_id, en(ret));
		goto out;
	}
	ret = za_expect_err(za_rawalloc(f, 0, 0, &a), ENOSPC,
			    "ALLOC with every id in use");
	if (ret)
		goto out;
	ret = za_expect_err(za_ioc(f, ZONEALLOC_IOC_ALLOC_CONTIG, &c), ENOSPC,
			    "ALLOC_CONTIG with every id in use");
	if (ret)
		goto out;
	ret = za_rawfree(f, h[0]);
	if (!ret) {
		ret = za_expect_err(za_ioc(f, ZONEALLOC_IOC_ALLOC_CONTIG, &c),
				    ENOSPC, "ALLOC_CONTIG of 2 ids with 1 free");
		if (ret)
			goto out;
		ret = za_rawalloc(f, 0, 0, &a);
	}
	if (ret)
		ret = za_fail("free, then ALLOC with one id free: %s", en(ret));
out:
	close(f);
	return ret;
}

/*
 * One process claims and frees ALLOC_CONTIG ranges of more than 1024 pages
 * (several handle ids each) while this one makes order-0 allocations:
 * every handle this process got must still be there.
 */
static int t_contig_race_handles(void)
{
	static __u64 h[4096];
	unsigned int n, i, lost = 0, rounds = 0, total = 0;
	int f = za_devopen(), ret, status, pipefd[2];
	unsigned long contigs = 0;
	pid_t child;

	if (f < 0)
		return za_fail("open: %s", en(errno));
	if (pipe(pipefd))
		return za_fail("pipe: %s", en(errno));
	fflush(stdout);
	child = fork();
	if (child < 0)
		return za_fail("fork: %s", en(errno));
	if (!child) {
		int g = za_devopen();
		unsigned long ok = 0;
		unsigned int seed = 7;

		close(pipefd[0]);
		if (g < 0)
			_exit(2);
		for (i = 0; i < 400; i++) {
			struct zonealloc_alloc_contig c = {
				.nr_pages = 1025 + rand_r(&seed) % 2048,
			};

			if (za_ioc(g, ZONEALLOC_IOC_ALLOC_CONTIG, &c))
				continue;
			ok++;
			za_rawfree(g, c.handle);
		}
		if (write(pipefd[1], &ok, sizeof(ok)) != sizeof(ok))
			_exit(3);
		_exit(0);
	}
	close(pipefd[1]);
	fcntl(pipefd[0], F_SETFL, O_NONBLOCK);
	for (;;) {
		ssize_t r = read(pipefd[0], &contigs, sizeof(contigs));

		/* The child's count, or EOF if it died before sending it. */
		if (r >= 0)
			break;
		for (n = 0; n + 64 <= ARRAY_SIZE(h); n += 64) {
			struct zonealloc_bulk b = {
				.count = 64, .handles = (uintptr_t)(h + n),
			};

			ret = za_ioc(f, ZONEALLOC_IOC_ALLOC_BULK, &b);
			if (ret || b.count != 64)
				break;
		}
		for (i = 0; i < n; i++) {
			struct zonealloc_query q;

			if (query(f, h[i], &q)) {
				lost++;
				h[i] = 0;
			}
		}
		for (i = 0; i < n; i++)
			if (h[i])
				za_rawfree(f, h[i]);
		total += n;
		rounds++;
	}
	waitpid(child, &status, 0);
	close(pipefd[0]);
	close(f);
	printf("  %u rounds, %u order-0 handles, %lu contig ranges meanwhile, %u lost\n",
	       rounds, total, contigs, lost);
	if (lost)
		return za_fail("%u of %u live handles gave ENOENT", lost, total);
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		return za_fail("the ALLOC_CONTIG child: status %#x", status);
	if (!contigs)
		return za_fail("no ALLOC_CONTIG succeeded");
	return 0;
}

static const struct {
	const char *name;
	int (*fn)(void);
} tests[] = {
	{ "wrap-stale-mapping-sigbus", t_wrap_stale_mapping },
	{ "reuse-secret-same-file", t_secret_same_file },
	{ "reuse-secret-split-mremap-fork", t_secret_split_mremap_fork },
	{ "reuse-secret-other-file", t_secret_other_file },
	{ "reuse-secret-compaction-moves", t_secret_compaction_moves },
	{ "contig-next-to-live-handle", t_contig_next_to_live_handle },
	{ "ids-exhausted-enospc", t_ids_exhausted },
	{ "contig-race-handles", t_contig_race_handles },
};

int main(int argc, char **argv)
{
	const char *only = argc > 1 ? argv[1] : NULL;
	char name[96], why[96];
	__u64 avail = 0, pool;
	unsigned int i;
	FILE *pf;
	int f;

	setvbuf(stdout, NULL, _IOLBF, 0);
	page_size = sysconf(_SC_PAGESIZE);
	pf = fopen(MAXID_PARAM, "r");
	if (pf) {
		if (fscanf(pf, "%lu", &max_id) != 1)
			max_id = (1UL << 21) - 1;
		fclose(pf);
	}
	printf("  handle ids: 1..%lu%s\n", max_id, pf ? "" : " (no parameter)");
	f = za_devopen();
	if (f < 0) {
		printf("FAIL: za_lifetime_test-open (%s: %s)\n", ZA_DEV,
		       en(errno));
		return 3;
	}
	za_settled(f, &start_avail, &pool);
	for (i = 0; i < ARRAY_SIZE(tests); i++) {
		if (only && !strstr(tests[i].name, only))
			continue;
		za_run(tests[i].name, tests[i].fn);
		za_settle_to(f, start_avail, &avail, NULL);
		snprintf(name, sizeof(name), "%s-pages-back", tests[i].name);
		snprintf(why, sizeof(why), "free+pcp %llu, %llu at the start",
			 (unsigned long long)avail,
			 (unsigned long long)start_avail);
		za_report(name, avail == start_avail, why);
	}
	close(f);
	return za_summary("za_lifetime_test");
}
