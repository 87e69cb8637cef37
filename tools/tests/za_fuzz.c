// SPDX-License-Identifier: GPL-2.0
/*
 * za_fuzz: a randomized ioctl and mmap fuzzer for /dev/zonealloc.
 *
 *	za_fuzz [-n CALLS] [-s SEED] [-j PROCS] [-q]
 *
 * Issues CALLS (default 100000) random calls: every command and random
 * command numbers and sizes, with random flags, orders, counts, handles
 * (live, stale, another file's, random), reserved fields and pointers
 * (NULL, unmapped, read-only, straddling a guard page), occasional
 * close+reopen and mmap with random offsets and lengths. EXPORT makes
 * dma-bufs (older and newer struct sizes too) that are kept past the FREE
 * of their allocation, mapped, written and synced; GROW and SHRINK resize
 * the pool a few chunks at a time (EPERM unless root). Where the outcome is
 * fully determined by the input (e.g. an invalid order must give -EINVAL,
 * a live handle must free) it is checked. At the end every dma-buf and
 * file is closed, the pool is given back its starting size, and every page
 * must be back: DRAIN, then INFO free + pcp == pool_pages.
 *
 * -j PROCS splits the calls over PROCS processes (seeds SEED, SEED + 1,
 * ...) that fuzz at the same time; the pages are counted once all have
 * ended. Last, the kernel log must be clean: no WARNING, BUG, KASAN,
 * lockdep or kmemleak report written during the run (read from /dev/kmsg),
 * no new warning taint and, where the kernel has kmemleak, no leak after a
 * scan (which waits 6 s for kmemleak's minimum object age).
 */

#include "za_test.h"

#include <setjmp.h>
#include <signal.h>
#include <stddef.h>
#include <sys/mman.h>
#include <linux/dma-buf.h>
#include <sys/wait.h>
#include <time.h>

#define NSLOTS 3
#define MAX_LIVE 4096
#define MAX_STALE 64
#define MAX_MAPS 32
#define PAGE_BUDGET 3000	/* pages one slot may hold before it sheds */
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

struct alloc {
	__u64 handle;
	unsigned long pages;
};

struct slot {
	int fd;
	int nlive;
	struct alloc live[MAX_LIVE];
	__u64 stale[MAX_STALE];
	int nstale;
	unsigned long pages;
};

struct map {
	void *addr;
	size_t len;
};

static struct slot slots[NSLOTS];
static struct map maps[MAX_MAPS];
static int nmaps;
static size_t page_size;
static unsigned long long rng_state;
static unsigned char *arena;	/* rw, rw, ro, none */
static __u64 bulk_handles[ZONEALLOC_BULK_MAX + 16];
static int quiet;

static unsigned long calls, successes, violations, sigs, mmaps_ok;
static unsigned long per_cmd[13], per_cmd_ok[13];
static char first_violation[512];
static const char * const cmd_names[13] = {
	"alloc", "free", "alloc_bulk", "free_bulk", "info", "compact", "drain",
	"other", "alloc_contig", "query", "export", "sync", "resize",
};

static unsigned long long rnd(void)
{
	return za_rnd(&rng_state);
}

static unsigned int below(unsigned int n)
{
	return za_below(&rng_state, n);
}

static int chance(unsigned int percent)
{
	return below(100) < percent;
}

static void violation(const char *fmt, ...)
{
	static char kinds[16][17];
	static int nkinds, kind_count[16];
	char msg[sizeof(first_violation)];
	va_list ap;
	int i;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!violations)
		snprintf(first_violation, sizeof(first_violation), "%s", msg);
	violations++;
	/* Print the first few of each kind (the first 16 characters). */
	for (i = 0; i < nkinds; i++)
		if (!strncmp(kinds[i], msg, 16))
			break;
	if (i == nkinds && nkinds < (int)ARRAY_SIZE(kinds))
		snprintf(kinds[nkinds++], sizeof(kinds[0]), "%.16s", msg);
	if (i < (int)ARRAY_SIZE(kinds) && kind_count[i]++ < (quiet ? 2 : 10))
		printf("za_fuzz: call %lu: %s\n", calls, msg);
}

/* ------------------------------------------------------------- handles */

static int find_live(struct slot *s, __u64 h)
{
	int i;

	for (i = 0; i < s->nlive; i++)
		if (s->live[i].handle == h)
			return i;
	return -1;
}

static void add_live(struct slot *s, __u64 h, unsigned long pages)
{
	if (!h)
		violation("handle 0 returned");
	if (find_live(s, h) >= 0)
		violation("handle %llu returned while live",
			  (unsigned long long)h);
	if (s->nlive >= MAX_LIVE) {
		/* Cannot track it: free it right away. */
		za_rawfree(s->fd, h);
		return;
	}
	s->live[s->nlive].handle = h;
	s->live[s->nlive].pages = pages;
	s->nlive++;
	s->pages += pages;
}

static void drop_live(struct slot *s, int i)
{
	s->pages -= s->live[i].pages;
	s->stale[s->nstale++ % MAX_STALE] = s->live[i].handle;
	s->live[i] = s->live[--s->nlive];
}

static __u64 some_stale(struct slot *s)
{
	int n = s->nstale < MAX_STALE ? s->nstale : MAX_STALE;

	return n ? s->stale[below(n)] : 0;
}

/* A handle to use: live, stale, another slot's, or random. */
static __u64 pick_handle(struct slot *s, int *kind)
{
	struct slot *o = &slots[below(NSLOTS)];
	unsigned int r = below(100);

	if (r < 60 && s->nlive) {
		*kind = 0;
		return s->live[below(s->nlive)].handle;
	}
	if (r < 75 && s->nstale) {
		*kind = 1;
		return some_stale(s);
	}
	if (r < 85 && o != s && o->nlive) {
		*kind = 2;
		return o->live[below(o->nlive)].handle;
	}
	*kind = 3;
	switch (below(4)) {
	case 0:
		return 0;
	case 1:
		return below(4096);
	case 2:
		return rnd();
	default:
		return ~0ull - below(16);
	}
}

/* -------------------------------------------------------------- pointers */

/* A pointer the kernel cannot both read and write @size bytes at. */
static void *pick_bad_ptr(size_t size)
{
	switch (below(6)) {
	case 0:
		return NULL;
	case 1:
		/* below mmap_min_addr: never mapped (a munmapped hole may be) */
		return (void *)(uintptr_t)(0x1000 + below(0xe000));
	case 2:
		return arena + 2 * page_size;	/* read-only */
	case 3:
		return arena + 3 * page_size - size / 2;	/* into the guard */
	case 4:
		return (void *)(uintptr_t)0xffff888000000000ull;
	default:
		return (void *)(uintptr_t)(rnd() | 0xff00000000000000ull);
	}
}

/*
 * An argument pointer for @size bytes (at most a page): a valid buffer most
 * of the time (*@valid set), else a bad one.
 */
static void *pick_ptr(size_t size, int *valid)
{
	*valid = !chance(8);
	if (*valid)
		return arena + below(page_size - size) / 8 * 8;
	return pick_bad_ptr(size);
}

/* ----------------------------------------------------------------- flags */

static int zone_ok(unsigned int z)
{
	/* GFP_ZONE_BAD, as in include/linux/gfp.h */
	static const int bad[16] = {
		[0x3] = 1, [0x5] = 1, [0x6] = 1, [0x7] = 1,
		[0xb] = 1, [0xd] = 1, [0xe] = 1, [0xf] = 1,
	};

	return !bad[z & 0xf];
}

static int flags_ok(unsigned int f)
{
	if (f & ~ZONEALLOC_GFP_ALL)
		return 0;
	if (!zone_ok(f))
		return 0;
	if ((f & ZONEALLOC_GFP_MOVABLE) && (f & ZONEALLOC_GFP_RECLAIMABLE))
		return 0;
	if (f & ZONEALLOC_GFP_NOFAIL)
		return 0;
	return 1;
}

/*
 * ALLOC and ALLOC_CONTIG take a cache mode too: at most one of WC and
 * UNCACHED, and neither with MOVABLE. (A random word rarely has the mode
 * bits alone above the GFP bits; since bit 12, THISNODE, is a GFP bit,
 * such a word may be valid.)
 */
static int alloc_flags_ok(unsigned int f)
{
	unsigned int map = f & ZONEALLOC_MAP_MASK;

	if (map == ZONEALLOC_MAP_MASK ||
	    (map && (f & ZONEALLOC_GFP_MOVABLE)))
		return 0;
	return flags_ok(f & ~ZONEALLOC_MAP_MASK);
}

static unsigned int pick_flags(void)
{
	static const unsigned int zones[] = { 0, 0, 0, 1, 2, 4, 8, 8, 9, 10,
					      12 };
	unsigned int f;

	if (chance(25))
		return chance(50) ? (unsigned int)rnd() :
			(unsigned int)rnd() & ZONEALLOC_GFP_ALL;
	f = zones[below(ARRAY_SIZE(zones))];
	if (!(f & ZONEALLOC_GFP_MOVABLE) && chance(15))
		f |= ZONEALLOC_GFP_RECLAIMABLE;
	f |= (unsigned int)rnd() & (ZONEALLOC_GFP_HIGH | ZONEALLOC_GFP_ATOMIC |
				    ZONEALLOC_GFP_ZERO | ZONEALLOC_GFP_NORETRY |
				    ZONEALLOC_GFP_RETRY_MAYFAIL);
	return f | ZONEALLOC_GFP_NOWARN;
}

static unsigned int pick_order(void)
{
	unsigned int r = below(100);

	if (r < 75)
		return below(4);
	if (r < 88)
		return 4 + below(7);
	if (r < 94)
		return 11 + below(5);
	return (unsigned int)rnd();
}

static __u64 pick_reserved(void)
{
	return chance(92) ? 0 : (chance(50) ? 1ull << below(64) : rnd());
}

/* Possible NUMA nodes, from /sys/devices/system/node/possible ("0-N"). */
static unsigned int nr_nodes = 1;

static void read_nr_nodes(void)
{
	FILE *f = fopen("/sys/devices/system/node/possible", "r");
	char buf[64], *dash;

	if (!f)
		return;
	if (fgets(buf, sizeof(buf), f)) {
		dash = strrchr(buf, '-');
		nr_nodes = strtoul(dash ? dash + 1 : buf, NULL, 10) + 1;
	}
	fclose(f);
}

/* The node field: mostly the caller's node, else a node that may not be. */
static __u32 pick_node(void)
{
	unsigned int r = below(100);

	return r < 85 ? 0 : r < 95 ? below(nr_nodes + 2) : (__u32)rnd();
}

/* 0 (the caller's node) or ZONEALLOC_NODE() of a possible node. */
static int node_ok(__u32 node)
{
	return node <= nr_nodes;
}

/* ----------------------------------------------------------------- calls */

static int expected_errno(int err)
{
	switch (-err) {
	case 0: case EINVAL: case ENOENT: case ENOMEM: case EDQUOT:
	case EFAULT: case E2BIG: case ENOTTY: case EOPNOTSUPP: case EAGAIN:
	case EBUSY: case ENOSPC: case EPERM: case ENODEV:
		return 1;
	}
	return 0;
}

static int taint_fd = -1;
static unsigned long last_taint;

/* The kernel's taint mask; bit 9 (W) is set by the first WARN. */
static unsigned long read_taint(void)
{
	char buf[32];
	ssize_t n;

	if (taint_fd < 0)
		return 0;
	n = pread(taint_fd, buf, sizeof(buf) - 1, 0);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	return strtoul(buf, NULL, 10);
}

/*
 * Issue one ioctl; @len bytes at @arg are its (readable) argument, shown
 * with the command if the call makes the kernel WARN.
 */
static int do_ioctl(struct slot *s, unsigned long cmd, void *arg, size_t len)
{
	unsigned char before[64];
	unsigned long taint;
	int ret;

	len = len < sizeof(before) ? len : sizeof(before);
	if (len)
		memcpy(before, arg, len);
	ret = za_ioc(s->fd, cmd, arg);
	taint = read_taint();
	if ((taint & ~last_taint) & (1ul << 9)) {
		char hex[3 * sizeof(before) + 1];
		size_t i;

		for (i = 0; i < len; i++)
			snprintf(hex + 3 * i, 4, "%02x ", before[i]);
		hex[3 * len] = '\0';
		violation("kernel WARN during cmd %#lx (returned %s), argument: %s",
			  cmd, za_errname(ret), len ? hex : "(bad pointer)");
	}
	last_taint = taint;

	calls++;
	if (!ret)
		successes++;
	if (!expected_errno(ret))
		violation("cmd %#lx returned %s", cmd, za_errname(ret));
	return ret;
}

static void fuzz_alloc(struct slot *s)
{
	int valid, ret, ok;
	struct zonealloc_alloc *a = pick_ptr(sizeof(*a), &valid);
	struct zonealloc_alloc in;

	in.order = pick_order();
	in.flags = pick_flags();
	in.node = pick_node();
	in.reserved0 = (__u32)pick_reserved();
	in.reserved = pick_reserved();
	in.handle = chance(90) ? 0 : rnd();
	in.phys_addr = 0;
	in.zone = 0;
	in.migratetype = 0;
	if (valid)
		*a = in;
	ret = do_ioctl(s, ZONEALLOC_IOC_ALLOC, a, valid ? sizeof(*a) : 0);
	per_cmd[0]++;
	if (!valid) {
		if (!ret)
			violation("ALLOC with a bad pointer succeeded");
		return;
	}
	ok = in.order <= ZONEALLOC_MAX_ORDER && alloc_flags_ok(in.flags) &&
	     node_ok(in.node) && !in.reserved0 && !in.reserved;
	if (ok && ret && ret != -ENOMEM && ret != -EDQUOT)
		violation("ALLOC order %u flags %#x node %u: %s", in.order,
			  in.flags, in.node, za_errname(ret));
	if (!ok && ret != -EINVAL)
		violation("ALLOC order %u flags %#x node %u reserved %x/%llx: %s, expected EINVAL",
			  in.order, in.flags, in.node, in.reserved0,
			  (unsigned long long)in.reserved, za_errname(ret));
	if (!ret) {
		per_cmd_ok[0]++;
		if (a->zone >= ZONEALLOC_NR_ZONES)
			violation("ALLOC zone %u", a->zone);
		if (!a->node || a->node > nr_nodes ||
		    ((in.flags & ZONEALLOC_GFP_THISNODE) && in.node &&
		     a->node != in.node))
			violation("ALLOC node %u returned node %u", in.node,
				  a->node);
		if (ok)
			add_live(s, a->handle, 1ul << in.order);
	}
}

static void fuzz_free(struct slot *s)
{
	int valid, kind, ret, i;
	struct zonealloc_free *f = pick_ptr(sizeof(*f), &valid);
	__u64 h = pick_handle(s, &kind), r = pick_reserved();

	if (valid) {
		f->handle = h;
		f->reserved = r;
	}
	ret = do_ioctl(s, ZONEALLOC_IOC_FREE, f, valid ? sizeof(*f) : 0);
	per_cmd[1]++;
	if (!valid) {
		if (!ret)
			violation("FREE with a bad pointer succeeded");
		return;
	}
	i = find_live(s, h);
	if (r) {
		if (ret != -EINVAL)
			violation("FREE reserved %llx: %s",
				  (unsigned long long)r, za_errname(ret));
		return;
	}
	if (i >= 0 && ret)
		violation("FREE of live handle %llu: %s",
			  (unsigned long long)h, za_errname(ret));
	if (i < 0 && ret != -ENOENT)
		violation("FREE of handle %llu (kind %d) not ours: %s",
			  (unsigned long long)h, kind, za_errname(ret));
	if (!ret) {
		per_cmd_ok[1]++;
		if (i >= 0)
			drop_live(s, i);
	}
}

static void fuzz_alloc_bulk(struct slot *s)
{
	int valid, hvalid = 1, ret, ok;
	struct zonealloc_bulk *b = pick_ptr(sizeof(*b), &valid);
	struct zonealloc_bulk in;
	unsigned int i, r = below(100);

	memset(&in, 0, sizeof(in));
	in.count = r < 85 ? 1 + below(32) : r < 92 ? below(ZONEALLOC_BULK_MAX + 8) :
		(r < 96 ? 0 : (unsigned int)rnd());
	in.flags = pick_flags();
	in.node = pick_node();
	in.reserved0 = (__u32)pick_reserved();
	in.reserved = pick_reserved();
	if (chance(90)) {
		in.handles = (uintptr_t)bulk_handles;
	} else {
		hvalid = 0;
		in.handles = (uintptr_t)pick_bad_ptr(8);
	}
	if (valid)
		*b = in;
	ret = do_ioctl(s, ZONEALLOC_IOC_ALLOC_BULK, b, valid ? sizeof(*b) : 0);
	per_cmd[2]++;
	if (!valid) {
		if (!ret)
			violation("ALLOC_BULK with a bad pointer succeeded");
		return;
	}
	ok = in.count >= 1 && in.count <= ZONEALLOC_BULK_MAX &&
	     flags_ok(in.flags) && node_ok(in.node) && !in.reserved0 &&
	     !in.reserved;
	if (!ok && ret != -EINVAL)
		violation("ALLOC_BULK count %u flags %#x: %s, expected EINVAL",
			  in.count, in.flags, za_errname(ret));
	if (ok && hvalid && ret && ret != -ENOMEM && ret != -EDQUOT)
		violation("ALLOC_BULK count %u flags %#x: %s", in.count,
			  in.flags, za_errname(ret));
	if (ok && !hvalid && !ret)
		violation("ALLOC_BULK into a bad handles pointer succeeded");
	if (ret)
		return;
	per_cmd_ok[2]++;
	if (b->count < 1 || b->count > in.count) {
		violation("ALLOC_BULK count %u out of %u", b->count, in.count);
		return;
	}
	if (!hvalid)
		return;
	for (i = 0; i < b->count; i++)
		add_live(s, bulk_handles[i], 1);
}

static void fuzz_free_bulk(struct slot *s)
{
	int valid, kind, ret, bad = 0, i, j, idx;
	struct zonealloc_bulk *b = pick_ptr(sizeof(*b), &valid);
	struct zonealloc_bulk in;
	unsigned int n;

	memset(&in, 0, sizeof(in));
	n = s->nlive && chance(70) ? 1 + below(s->nlive < 64 ? s->nlive : 64) :
		below(8);
	if (chance(3))
		n = chance(50) ? 0 : ZONEALLOC_BULK_MAX + 1 + below(4);
	if (n > ZONEALLOC_BULK_MAX) {
		for (i = 0; i < (int)ARRAY_SIZE(bulk_handles); i++)
			bulk_handles[i] = 0;
	} else {
		for (i = 0; i < (int)n; i++) {
			bulk_handles[i] = chance(90) && s->nlive ?
				s->live[below(s->nlive)].handle :
				pick_handle(s, &kind);
		}
	}
	/* Expected: all live and distinct. */
	for (i = 0; i < (int)n && i < ZONEALLOC_BULK_MAX; i++) {
		if (find_live(s, bulk_handles[i]) < 0)
			bad = 1;
		for (j = 0; j < i; j++)
			if (bulk_handles[j] == bulk_handles[i])
				bad = 1;
	}
	in.count = n;
	in.flags = chance(95) ? 0 : (unsigned int)rnd() | 1;
	in.node = chance(95) ? 0 : pick_node();
	in.reserved0 = (__u32)pick_reserved();
	in.reserved = pick_reserved();
	in.handles = (uintptr_t)bulk_handles;
	if (chance(4))
		in.handles = (uintptr_t)pick_bad_ptr(8);
	if (valid)
		*b = in;
	ret = do_ioctl(s, ZONEALLOC_IOC_FREE_BULK, b, valid ? sizeof(*b) : 0);
	per_cmd[3]++;
	if (!valid) {
		if (!ret)
			violation("FREE_BULK with a bad pointer succeeded");
		return;
	}
	if (in.handles != (uintptr_t)bulk_handles) {
		if (!ret)
			violation("FREE_BULK with a bad handles pointer succeeded");
		return;
	}
	if (!n || n > ZONEALLOC_BULK_MAX || in.flags || in.node ||
	    in.reserved0 || in.reserved) {
		if (ret != -EINVAL)
			violation("FREE_BULK count %u flags %#x: %s, expected EINVAL",
				  n, in.flags, za_errname(ret));
		return;
	}
	if (bad && ret != -ENOENT)
		violation("FREE_BULK with an unknown or repeated handle: %s",
			  za_errname(ret));
	if (!bad && ret)
		violation("FREE_BULK of %u live handles: %s", n,
			  za_errname(ret));
	if (ret)
		return;
	per_cmd_ok[3]++;
	for (i = 0; i < (int)n; i++) {
		idx = find_live(s, bulk_handles[i]);
		if (idx >= 0)
			drop_live(s, idx);
	}
}

static void fuzz_info(struct slot *s)
{
	static unsigned char buf[8192];
	struct zonealloc_info *info;
	unsigned int r = below(100), size;
	int valid, ret, tail_zero = 1;
	unsigned char *p = pick_ptr(sizeof(*info), &valid);

	size = r < 70 ? sizeof(*info) : r < 80 ? below(ZONEALLOC_INFO_SIZE_VER0) :
		r < 90 ? sizeof(*info) + below(4096) : (unsigned int)rnd();
	if (valid && size > sizeof(*info) && size <= sizeof(buf) - 64) {
		p = buf;
		memset(buf, 0, size);
		if (chance(30)) {
			buf[sizeof(*info) + below(size - sizeof(*info))] = 1;
			tail_zero = 0;
		}
	}
	info = (void *)p;
	if (valid)
		info->size = size;
	ret = do_ioctl(s, ZONEALLOC_IOC_INFO, p, valid ? 64 : 0);
	per_cmd[4]++;
	if (!valid) {
		if (!ret)
			violation("INFO with a bad pointer succeeded");
		return;
	}
	if (size < ZONEALLOC_INFO_SIZE_VER0 && ret != -EINVAL)
		violation("INFO size %u: %s, expected EINVAL", size,
			  za_errname(ret));
	else if (size > 4096 && ret != -E2BIG && ret != -EFAULT)
		violation("INFO size %u: %s, expected E2BIG", size,
			  za_errname(ret));
	else if (size >= ZONEALLOC_INFO_SIZE_VER0 && size <= sizeof(*info) &&
		 ret)
		violation("INFO size %u: %s", size, za_errname(ret));
	else if (size > sizeof(*info) && size <= 4096 && p == buf &&
		 (tail_zero ? ret != 0 : ret != -E2BIG))
		violation("INFO size %u tail %s: %s", size,
			  tail_zero ? "zero" : "non-zero", za_errname(ret));
	if (!ret) {
		per_cmd_ok[4]++;
		if (info->file_pages != s->pages)
			violation("INFO file_pages %llu, the fuzzer holds %lu",
				  (unsigned long long)info->file_pages,
				  s->pages);
	}
}

static void fuzz_compact(struct slot *s)
{
	int valid, ret;
	struct zonealloc_compact *c = pick_ptr(sizeof(*c), &valid);
	struct zonealloc_compact in;

	memset(&in, 0, sizeof(in));
	in.zone = chance(70) ? below(5) : chance(50) ? ZONEALLOC_ZONE_ALL :
		(unsigned int)rnd();
	in.order = chance(80) ? (int)below(12) - 1 : (int)rnd();
	in.mode = chance(85) ? below(3) : (unsigned int)rnd();
	in.reserved0 = pick_reserved();
	in.reserved[0] = pick_reserved();
	in.reserved[1] = pick_reserved();
	if (valid)
		*c = in;
	ret = do_ioctl(s, ZONEALLOC_IOC_COMPACT, c, valid ? sizeof(*c) : 0);
	per_cmd[5]++;
	if (!valid)
		return;
	if ((in.zone < 5 || in.zone == ZONEALLOC_ZONE_ALL) && in.order >= -1 &&
	    in.order <= ZONEALLOC_MAX_ORDER && in.mode <= 2 &&
	    !in.reserved0 && !in.reserved[0] && !in.reserved[1]) {
		if (ret && ret != -EOPNOTSUPP && ret != -EAGAIN)
			violation("COMPACT zone %u order %d mode %u: %s",
				  in.zone, in.order, in.mode, za_errname(ret));
	} else if (ret != -EINVAL) {
		violation("invalid COMPACT zone %#x order %d mode %u: %s",
			  in.zone, in.order, in.mode, za_errname(ret));
	}
	if (!ret)
		per_cmd_ok[5]++;
}

static void fuzz_drain(struct slot *s)
{
	int valid, ret;
	struct zonealloc_drain *d = pick_ptr(sizeof(*d), &valid);
	struct zonealloc_drain in;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);

	in.cpu = chance(70) ? (int)below(3) - 1 : (int)rnd();
	in.reserved = (__u32)pick_reserved();
	if (valid)
		*d = in;
	ret = do_ioctl(s, ZONEALLOC_IOC_DRAIN, d, valid ? sizeof(*d) : 0);
	per_cmd[6]++;
	if (!valid)
		return;
	if (in.reserved || in.cpu < -1 || in.cpu > 4096) {
		if (ret != -EINVAL)
			violation("DRAIN cpu %d reserved %u: %s", in.cpu,
				  in.reserved, za_errname(ret));
	} else if (in.cpu < ncpu && ret) {
		violation("DRAIN cpu %d: %s", in.cpu, za_errname(ret));
	}
	if (!ret)
		per_cmd_ok[6]++;
}

#ifdef ZONEALLOC_IOC_ALLOC_CONTIG
static void fuzz_alloc_contig(struct slot *s)
{
	const unsigned int nok = ZONEALLOC_GFP_ATOMIC | ZONEALLOC_GFP_MOVABLE;
	int valid, ret, ok, zero_any;
	struct zonealloc_alloc_contig *c = pick_ptr(sizeof(*c), &valid);
	struct zonealloc_alloc_contig in;
	unsigned int r = below(100);

	memset(&in, 0, sizeof(in));
	in.nr_pages = r < 70 ? 1 + below(64) : r < 85 ? 1 + below(1500) :
		r < 92 ? 0 : (unsigned int)rnd();
	in.flags = pick_flags();
	if (chance(60))
		in.flags &= ~nok;
	in.reserved0 = pick_reserved();
	in.reserved1 = (__u32)pick_reserved();
	in.node = pick_node();
	in.reserved2 = (__u32)pick_reserved();
	in.reserved = pick_reserved();
	if (valid)
		*c = in;
	ret = do_ioctl(s, ZONEALLOC_IOC_ALLOC_CONTIG, c, valid ? sizeof(*c) : 0);
	per_cmd[8]++;
	if (!valid) {
		if (!ret)
			violation("ALLOC_CONTIG with a bad pointer succeeded");
		return;
	}
	ok = in.nr_pages >= 1 && in.nr_pages <= ZONEALLOC_CONTIG_MAX_PAGES &&
	     alloc_flags_ok(in.flags) && !(in.flags & nok) && !in.reserved0 &&
	     !in.reserved1 && node_ok(in.node) && !in.reserved2 &&
	     !in.reserved;
	/* The header does not say whether GFP_ZERO is taken. */
	zero_any = ok && (in.flags & ZONEALLOC_GFP_ZERO);
	if (ok && ret && ret != -ENOMEM && ret != -EDQUOT &&
	    !(zero_any && ret == -EINVAL))
		violation("ALLOC_CONTIG %u pages flags %#x: %s", in.nr_pages,
			  in.flags, za_errname(ret));
	if (!ok && ret != -EINVAL)
		violation("ALLOC_CONTIG %u pages flags %#x reserved: %s, expected EINVAL",
			  in.nr_pages, in.flags, za_errname(ret));
	if (!ret) {
		per_cmd_ok[8]++;
		if (ok)
			add_live(s, c->handle, in.nr_pages);
	}
}
#endif

#ifdef ZONEALLOC_IOC_QUERY
static void fuzz_query(struct slot *s)
{
	int valid, kind, ret, i;
	struct zonealloc_query *q = pick_ptr(sizeof(*q), &valid);
	struct zonealloc_query in;

	memset(&in, 0, sizeof(in));
	in.handle = pick_handle(s, &kind);
	in.reserved0 = (__u32)pick_reserved();
	in.reserved[0] = pick_reserved();
	in.reserved[1] = pick_reserved();
	if (chance(10))
		in.nr_pages = rnd();
	if (valid)
		*q = in;
	ret = do_ioctl(s, ZONEALLOC_IOC_QUERY, q, valid ? sizeof(*q) : 0);
	per_cmd[9]++;
	if (!valid) {
		if (!ret)
			violation("QUERY with a bad pointer succeeded");
		return;
	}
	i = find_live(s, in.handle);
	if (in.reserved0 || in.reserved[0] || in.reserved[1]) {
		if (ret != -EINVAL)
			violation("QUERY with reserved set: %s, expected EINVAL",
				  za_errname(ret));
		return;
	}
	if (i < 0 && ret != -ENOENT)
		violation("QUERY of handle %llu (kind %d) not ours: %s",
			  (unsigned long long)in.handle, kind, za_errname(ret));
	if (i >= 0 && ret)
		violation("QUERY of live handle %llu: %s",
			  (unsigned long long)in.handle, za_errname(ret));
	if (!ret) {
		per_cmd_ok[9]++;
		if (i >= 0 && q->nr_pages != s->live[i].pages)
			violation("QUERY nr_pages %llu, allocated %lu",
				  (unsigned long long)q->nr_pages,
				  s->live[i].pages);
	}
}
#endif

static const unsigned long valid_cmds[] = {
	ZONEALLOC_IOC_ALLOC, ZONEALLOC_IOC_FREE, ZONEALLOC_IOC_ALLOC_BULK,
	ZONEALLOC_IOC_FREE_BULK, ZONEALLOC_IOC_INFO, ZONEALLOC_IOC_COMPACT,
	ZONEALLOC_IOC_DRAIN,
#ifdef ZONEALLOC_IOC_ALLOC_CONTIG
	ZONEALLOC_IOC_ALLOC_CONTIG,
#endif
#ifdef ZONEALLOC_IOC_QUERY
	ZONEALLOC_IOC_QUERY,
#endif
	ZONEALLOC_IOC_EXPORT, ZONEALLOC_IOC_SYNC, ZONEALLOC_IOC_GROW,
	ZONEALLOC_IOC_SHRINK,
};

/*
 * A zonealloc command that is not one of ours must be -ENOTTY if it reuses
 * the number of one of ours with another size or direction, or if its
 * number is far above ours (0x40..0xff); numbers just above ours may be
 * newer commands than this build knows.
 */
static int must_be_enotty(unsigned long cmd)
{
	unsigned int nr = cmd & 0xff, i;

	if (nr >= 0x40)
		return 1;
	/* EXPORT takes any size, as the header says. */
	if (nr == _IOC_NR(ZONEALLOC_IOC_EXPORT) &&
	    _IOC_DIR(cmd) == _IOC_DIR(ZONEALLOC_IOC_EXPORT))
		return 0;
	for (i = 0; i < ARRAY_SIZE(valid_cmds); i++)
		if ((valid_cmds[i] & 0xff) == nr)
			return 1;
	return 0;
}

static void fuzz_random_cmd(struct slot *s)
{
	static unsigned char buf[16384];
	unsigned long cmd;
	unsigned int i, dir, size, nr;
	int valid, ret;
	void *p;

	dir = below(4);
	nr = chance(70) ? below(12) : below(256);
	size = chance(50) ? below(1024) : (unsigned int)rnd() & 0x3fff;
	cmd = ((unsigned long)dir << 30) | ((unsigned long)size << 16) |
	      ((chance(80) ? ZONEALLOC_IOC_MAGIC : below(256)) << 8) | nr;
	/* ... 'X', 'T', 'f' and 0x94 are skipped below. */
	if (chance(10))
		cmd = (unsigned int)rnd();
	for (i = 0; i < ARRAY_SIZE(valid_cmds); i++)
		if (cmd == valid_cmds[i])
			return;
	p = pick_ptr(64, &valid);
	/* Keep clear of the VFS's own commands (FIFREEZE would freeze /dev). */
	if (((cmd >> 8) & 0xff) == 'X' || ((cmd >> 8) & 0xff) == 'T' ||
	    ((cmd >> 8) & 0xff) == 'f' || ((cmd >> 8) & 0xff) == 0x94)
		return;
	if (valid) {
		for (i = 0; i < sizeof(buf); i += 8)
			*(__u64 *)(buf + i) = chance(50) ? 0 : rnd();
		p = buf;
	}
	ret = do_ioctl(s, cmd, p, valid ? 64 : 0);
	per_cmd[7]++;
	/*
	 * The VFS handles a few generic commands itself (FIOCLEX, FIONBIO,
	 * ...); any zonealloc-magic command here must be ENOTTY.
	 */
	if (((cmd >> 8) & 0xff) == ZONEALLOC_IOC_MAGIC && must_be_enotty(cmd) &&
	    ret != -ENOTTY)
		violation("unknown cmd %#lx: %s, expected ENOTTY", cmd,
			  za_errname(ret));
	if (!ret)
		per_cmd_ok[7]++;
}

/* ------------------------------------------------------------------ mmap */

static sigjmp_buf touch_env;

static void on_fault(int sig)
{
	siglongjmp(touch_env, sig);
}

static void touch_at(unsigned char *p, int write, unsigned char v)
{
	if (!sigsetjmp(touch_env, 1)) {
		if (write)
			__atomic_store_n(p, v, __ATOMIC_RELAXED);
		else
			(void)__atomic_load_n(p, __ATOMIC_RELAXED);
	} else {
		sigs++;
	}
}

static void touch(struct map *m)
{
	touch_at((unsigned char *)m->addr + below(m->len), chance(50),
		 (unsigned char)rnd());
}

static void unmap_one(int i)
{
	munmap(maps[i].addr, maps[i].len);
	maps[i] = maps[--nmaps];
}

static void fuzz_mmap(struct slot *s)
{
	int kind, i, prot, flags;
	__u64 h = pick_handle(s, &kind);
	size_t size = page_size, len;
	off_t off;
	void *p;

	i = find_live(s, h);
	if (i >= 0)
		size = page_size * s->live[i].pages;
	switch (below(6)) {
	case 0:
		len = page_size;
		break;
	case 1:
	case 2:
		len = size;
		break;
	case 3:
		len = size + page_size;
		break;
	case 4:
		len = (1 + below(8)) * page_size;
		break;
	default:
		len = chance(50) ? below(3 * page_size) : below(64 << 20);
	}
	off = h > (__u64)INT64_MAX / page_size ? (off_t)(rnd() & ~0xfffull) :
		(off_t)(h * page_size);
	if (chance(5))
		off += below(page_size);
	prot = chance(90) ? PROT_READ | PROT_WRITE : (int)below(8);
	flags = chance(90) ? MAP_SHARED : chance(50) ? MAP_PRIVATE :
		MAP_SHARED | MAP_POPULATE;
	if (nmaps >= MAX_MAPS)
		unmap_one(below(nmaps));
	p = mmap(NULL, len, prot, flags, s->fd, off);
	calls++;
	if (p == MAP_FAILED)
		return;
	successes++;
	mmaps_ok++;
	if (i < 0 || len > size || !(flags & MAP_SHARED) ||
	    (off & (page_size - 1)))
		violation("mmap handle %llu (kind %d) len %zu size %zu flags %#x succeeded",
			  (unsigned long long)h, kind, len, size, flags);
	maps[nmaps].addr = p;
	maps[nmaps].len = len;
	if ((prot & PROT_WRITE) && (prot & PROT_READ))
		touch(&maps[nmaps]);
	nmaps++;
}

/* ------------------------------------------- dma-buf export, sync, resize */

#define MAX_BUFS 8

/* dma-bufs this process holds, each maybe mapped: freed allocations live on. */
static struct { int fd; void *addr; size_t len; } bufs[MAX_BUFS];
static int nbufs;
static int export_unsupported;	/* the kernel has no dma-buf */

static void close_buf(int i)
{
	if (bufs[i].addr)
		munmap(bufs[i].addr, bufs[i].len);
	close(bufs[i].fd);
	bufs[i] = bufs[--nbufs];
}

/* Map a new dma-buf now and then and write to it, or touch an old one. */
static void use_buf(int i)
{
	struct dma_buf_sync sy;

	if (!bufs[i].addr && chance(50)) {
		void *p = mmap(NULL, bufs[i].len, PROT_READ | PROT_WRITE,
			       MAP_SHARED, bufs[i].fd, 0);

		if (p != MAP_FAILED)
			bufs[i].addr = p;
	}
	if (!bufs[i].addr)
		return;
	sy.flags = DMA_BUF_SYNC_START | DMA_BUF_SYNC_RW;
	if (ioctl(bufs[i].fd, DMA_BUF_IOCTL_SYNC, &sy))
		violation("DMA_BUF_IOCTL_SYNC start: %s", za_errname(-errno));
	touch_at((unsigned char *)bufs[i].addr + below(bufs[i].len), 1,
		 (unsigned char)rnd());
	sy.flags = DMA_BUF_SYNC_END | DMA_BUF_SYNC_RW;
	if (ioctl(bufs[i].fd, DMA_BUF_IOCTL_SYNC, &sy))
		violation("DMA_BUF_IOCTL_SYNC end: %s", za_errname(-errno));
}

static void fuzz_export(struct slot *s)
{
	static const __u32 fdfl[] = { 0, O_CLOEXEC, O_RDWR, O_CLOEXEC | O_RDWR,
				      O_RDONLY, O_NONBLOCK, O_APPEND };
	static const __u32 modes[] = { 0, 0, ZONEALLOC_MAP_WC,
				      ZONEALLOC_MAP_UNCACHED,
				      ZONEALLOC_MAP_WC | ZONEALLOC_MAP_UNCACHED };
	struct zonealloc_export in, *e;
	unsigned long cmd = ZONEALLOC_IOC_EXPORT;
	unsigned int size = sizeof(in);
	int valid, kind, ret, i, ok, tail = 0;

	if (nbufs && chance(40)) {
		i = below(nbufs);
		if (chance(50))
			use_buf(i);
		else
			close_buf(i);
		return;
	}
	memset(&in, 0, sizeof(in));
	in.handle = pick_handle(s, &kind);
	in.fd_flags = chance(90) ? fdfl[below(ARRAY_SIZE(fdfl))] :
		(__u32)rnd();
	in.flags = chance(90) ? modes[below(ARRAY_SIZE(modes))] : (__u32)rnd();
	in.reserved0 = (__u32)pick_reserved();
	in.reserved[0] = pick_reserved();
	in.reserved[1] = pick_reserved();
	/* Older (shorter) and newer (longer) callers, as the header allows. */
	if (chance(15)) {
		size = ZONEALLOC_EXPORT_SIZE_VER0 - 8 + below(48);
		tail = size > sizeof(in) && chance(50);
		cmd = _IOC(_IOC_READ | _IOC_WRITE, ZONEALLOC_IOC_MAGIC, 0x09,
			   size);
	}
	e = pick_ptr(size > sizeof(in) ? size : sizeof(in), &valid);
	if (valid) {
		memset(e, 0, size > sizeof(in) ? size : sizeof(in));
		memcpy(e, &in, size < sizeof(in) ? size : sizeof(in));
		if (tail)
			((unsigned char *)e)[size - 1] = 1;
	}
	ret = do_ioctl(s, cmd, e, valid ? size : 0);
	per_cmd[10]++;
	/* A kernel without dma-buf refuses every EXPORT, before anything. */
	if (ret == -EOPNOTSUPP || export_unsupported) {
		if (ret != -EOPNOTSUPP)
			violation("EXPORT: %s after EOPNOTSUPP", za_errname(ret));
		else if (per_cmd_ok[10])
			violation("EXPORT: EOPNOTSUPP after an export succeeded");
		export_unsupported = 1;
		return;
	}
	if (!valid) {
		if (!ret)
			violation("EXPORT with a bad pointer succeeded");
		return;
	}
	/*
	 * What the kernel reads: the first @size bytes, the rest zero (so a
	 * size that cuts a field leaves only its first bytes).
	 */
	if (size < sizeof(in)) {
		struct zonealloc_export k;

		memset(&k, 0, sizeof(k));
		memcpy(&k, &in, size);
		in = k;
	}
	i = find_live(s, in.handle);
	ok = size >= ZONEALLOC_EXPORT_SIZE_VER0 && !tail && !in.reserved0 &&
	     !in.reserved[0] && !in.reserved[1] &&
	     !(in.fd_flags & ~(O_CLOEXEC | O_ACCMODE)) &&
	     !(in.flags & ~(ZONEALLOC_MAP_WC | ZONEALLOC_MAP_UNCACHED)) &&
	     in.flags != (ZONEALLOC_MAP_WC | ZONEALLOC_MAP_UNCACHED);
	if (!ok && ret != -EINVAL && ret != -E2BIG)
		violation("EXPORT size %u fd_flags %#x flags %#x: %s, expected EINVAL or E2BIG",
			  size, in.fd_flags, in.flags, za_errname(ret));
	else if (ok && i < 0 && ret != -ENOENT)
		violation("EXPORT of handle %llu (kind %d) not ours: %s",
			  (unsigned long long)in.handle, kind, za_errname(ret));
	else if (ok && i >= 0 && ret && ret != -EBUSY)
		violation("EXPORT of live handle %llu: %s",
			  (unsigned long long)in.handle, za_errname(ret));
	if (ret)
		return;
	per_cmd_ok[10]++;
	if (!ok || i < 0) {
		close(e->fd);
		return;
	}
	if (size >= offsetof(struct zonealloc_export, size) + 8 &&
	    e->size != s->live[i].pages * page_size)
		violation("EXPORT size %llu of %lu pages",
			  (unsigned long long)e->size, s->live[i].pages);
	if (nbufs == MAX_BUFS)
		close_buf(below(nbufs));
	bufs[nbufs].fd = e->fd;
	bufs[nbufs].addr = NULL;
	bufs[nbufs].len = s->live[i].pages * page_size;
	nbufs++;
}

static void fuzz_sync(struct slot *s)
{
	struct zonealloc_sync in, *y;
	int valid, kind, ret, i;
	__u64 bytes = 0;
	int ok;

	memset(&in, 0, sizeof(in));
	in.handle = pick_handle(s, &kind);
	i = find_live(s, in.handle);
	if (i >= 0)
		bytes = s->live[i].pages * page_size;
	in.offset = chance(70) && bytes ? below(bytes) : rnd();
	in.size = chance(70) && bytes ? 1 + below(bytes) :
		chance(50) ? 0 : rnd();
	in.flags = chance(85) ? below(8) : (__u32)rnd();
	in.reserved0 = (__u32)pick_reserved();
	in.reserved[0] = pick_reserved();
	in.reserved[1] = pick_reserved();
	y = pick_ptr(sizeof(*y), &valid);
	if (valid)
		*y = in;
	ret = do_ioctl(s, ZONEALLOC_IOC_SYNC, y, valid ? sizeof(*y) : 0);
	per_cmd[11]++;
	if (!valid) {
		if (!ret)
			violation("SYNC with a bad pointer succeeded");
		return;
	}
	ok = !in.reserved0 && !in.reserved[0] && !in.reserved[1] &&
	     !(in.flags & ~(ZONEALLOC_SYNC_RW | ZONEALLOC_SYNC_END)) &&
	     (in.flags & ZONEALLOC_SYNC_RW) && in.size;
	if (!ok && ret != -EINVAL)
		violation("SYNC flags %#x size %llu: %s, expected EINVAL",
			  in.flags, (unsigned long long)in.size,
			  za_errname(ret));
	else if (ok && i < 0 && ret != -ENOENT)
		violation("SYNC of handle %llu (kind %d) not ours: %s",
			  (unsigned long long)in.handle, kind, za_errname(ret));
	else if (ok && i >= 0 &&
		 (in.offset >= bytes || in.size > bytes - in.offset) &&
		 ret != -EINVAL)
		violation("SYNC offset %llu size %llu of %llu bytes: %s, expected EINVAL",
			  (unsigned long long)in.offset,
			  (unsigned long long)in.size,
			  (unsigned long long)bytes, za_errname(ret));
	else if (ok && i >= 0 && in.offset < bytes &&
		 in.size <= bytes - in.offset && ret)
		violation("SYNC of live handle %llu: %s",
			  (unsigned long long)in.handle, za_errname(ret));
	if (!ret)
		per_cmd_ok[11]++;
}

/*
 * GROW and SHRINK by a few chunks at most (the pool is given back its size
 * at the end: see restore_pool()). Only root may; as another user both must
 * be -EPERM.
 */
static void fuzz_resize(struct slot *s)
{
	struct zonealloc_resize in, *r;
	int grow = chance(50), valid, ret, ok;
	unsigned int u = below(100);

	memset(&in, 0, sizeof(in));
	in.size = u < 80 ? (1 + below(3)) * (4ull << 20) - below(4096) :
		u < 90 ? 0 : rnd();
	in.zone = chance(80) ? ZONEALLOC_ZONE_ALL : chance(80) ? below(6) :
		(__u32)rnd();
	in.flags = chance(80) ? (grow ? 0 : below(2)) : (__u32)rnd();
	if (chance(5))
		in.done = rnd();
	if (chance(5))
		in.moved_pages = rnd();
	r = pick_ptr(sizeof(*r), &valid);
	if (valid)
		*r = in;
	ret = do_ioctl(s, grow ? ZONEALLOC_IOC_GROW : ZONEALLOC_IOC_SHRINK, r,
		       valid ? sizeof(*r) : 0);
	per_cmd[12]++;
	if (geteuid()) {
		if (ret != -EPERM)
			violation("%s as a user: %s, expected EPERM",
				  grow ? "GROW" : "SHRINK", za_errname(ret));
		return;
	}
	if (!valid) {
		if (!ret)
			violation("GROW/SHRINK with a bad pointer succeeded");
		return;
	}
	ok = in.size && in.size <= 1ull << 40 && !in.done && !in.moved_pages &&
	     !(in.flags & ~(grow ? 0 : ZONEALLOC_SHRINK_EVACUATE)) &&
	     (in.zone == ZONEALLOC_ZONE_ALL ||
	      (grow && in.zone < ZONEALLOC_NR_ZONES));
	if (!ok && ret != -EINVAL)
		violation("%s size %llu zone %#x flags %#x: %s, expected EINVAL",
			  grow ? "GROW" : "SHRINK",
			  (unsigned long long)in.size, in.zone, in.flags,
			  za_errname(ret));
	else if (ok && ret && !(grow && (ret == -ENOSPC || ret == -ENOMEM)) &&
		 ret != -ENODEV)
		violation("%s size %llu zone %u: %s", grow ? "GROW" : "SHRINK",
			  (unsigned long long)in.size, in.zone,
			  za_errname(ret));
	if (ret)
		return;
	per_cmd_ok[12]++;
	if (r->done > in.size + (4ull << 20) || r->chunk_size != 4ull << 20)
		violation("%s size %llu: done %llu chunk_size %llu",
			  grow ? "GROW" : "SHRINK",
			  (unsigned long long)in.size,
			  (unsigned long long)r->done,
			  (unsigned long long)r->chunk_size);
}

/*
 * Give the pool back the size it had at the start (@pages), so that the
 * final count and the tests that follow see the pool they expect.
 * Return: 0, or the GROW/SHRINK error.
 */
static int restore_pool(int f, __u64 pages)
{
	struct zonealloc_info info;
	struct zonealloc_resize r;
	__u64 now;
	int ret;

	ret = za_rawinfo(f, &info);
	if (ret)
		return ret;
	now = info.pool_pages;
	if (now == pages)
		return 0;
	memset(&r, 0, sizeof(r));
	r.zone = ZONEALLOC_ZONE_ALL;
	r.size = (now < pages ? pages - now : now - pages) * page_size;
	printf("za_fuzz: the pool is %llu pages, was %llu: %s %llu bytes\n",
	       (unsigned long long)now, (unsigned long long)pages,
	       now < pages ? "growing" : "shrinking",
	       (unsigned long long)r.size);
	if (ioctl(f, now < pages ? ZONEALLOC_IOC_GROW : ZONEALLOC_IOC_SHRINK,
		  &r))
		return -errno;
	return 0;
}

/* ------------------------------------------------------------------ main */

static int open_slot(struct slot *s)
{
	s->fd = za_devopen();
	s->nlive = 0;
	s->nstale = 0;
	s->pages = 0;
	return s->fd < 0 ? -errno : 0;
}

static void close_slot(struct slot *s)
{
	close(s->fd);
	s->fd = -1;
	s->nlive = 0;
	s->pages = 0;
}

/* Keep memory bounded: a slot over budget frees most of its pages. */
static void shed(struct slot *s)
{
	while (s->pages > PAGE_BUDGET / 2 && s->nlive) {
		int i = below(s->nlive);

		if (za_rawfree(s->fd, s->live[i].handle))
			violation("shedding: FREE of live handle %llu failed",
				  (unsigned long long)s->live[i].handle);
		drop_live(s, i);
	}
}

static void print_zones(int f)
{
	struct zonealloc_info info;
	char line[256];
	int blocks = 0;
	unsigned int z;
	FILE *pt;

	if (za_rawinfo(f, &info))
		return;
	printf("za_fuzz: pool %llu free %llu pcp %llu file_pages %llu\n",
	       (unsigned long long)info.pool_pages,
	       (unsigned long long)info.free_pages,
	       (unsigned long long)info.pcp_pages,
	       (unsigned long long)info.file_pages);
	for (z = 0; z < ZONEALLOC_NR_ZONES; z++)
		if (info.zones[z].managed_pages)
			printf("za_fuzz: zone %u managed %llu free %llu pcp %llu\n",
			       z,
			       (unsigned long long)info.zones[z].managed_pages,
			       (unsigned long long)info.zones[z].free_pages,
			       (unsigned long long)info.zones[z].pcp_pages);
	/* The pageblock types tell whether a block was left isolated. */
	pt = fopen("/sys/kernel/debug/zonealloc/pagetypeinfo", "r");
	while (pt && fgets(line, sizeof(line), pt)) {
		if (!strncmp(line, "Number of blocks", 16))
			blocks = 1;
		if (blocks)
			printf("za_fuzz: %s", line);
	}
	if (pt)
		fclose(pt);
}

static void bad_usage(void)
{
	fprintf(stderr, "usage: za_fuzz [-n CALLS] [-s SEED] [-j PROCS] [-q]\n");
	exit(2);
}

/* One process's figures, summed by the parent of a -j run. */
struct fuzz_stats {
	unsigned long seed, calls, successes, violations, sigs, mmaps_ok;
	unsigned long reopens, per_cmd[13], per_cmd_ok[13];
	double secs;
	int done;
	char first_violation[512];
};

/* Issue @n calls from three open files, then close everything. */
static void fuzz_run(unsigned long n, unsigned long seed, struct fuzz_stats *st)
{
	struct timespec t0, t1;
	int i;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	rng_state = seed | 1;
	last_taint = read_taint();
	for (i = 0; i < NSLOTS; i++)
		slots[i].fd = -1;
	for (i = 0; i < NSLOTS; i++)
		if (open_slot(&slots[i])) {
			violation("open: %s", za_errname(errno));
			n = 0;
			break;
		}

	while (calls < n) {
		struct slot *s = &slots[below(NSLOTS)];
		unsigned int r = below(1000);

		if (r < 3) {
			/* close + reopen; mappings keep the old file alive */
			close_slot(s);
			if (open_slot(s)) {
				violation("reopen: %s", za_errname(errno));
				break;
			}
			st->reopens++;
			continue;
		}
		if (r < 10 && nmaps) {
			unmap_one(below(nmaps));
			continue;
		}
		if (r < 60) {
			fuzz_mmap(s);
			continue;
		}
		if (r < 75 && nmaps) {
			touch(&maps[below(nmaps)]);
			continue;
		}
		r = below(100);
		if (r < 28)
			fuzz_alloc(s);
		else if (r < 50)
			fuzz_free(s);
		else if (r < 58)
			fuzz_alloc_bulk(s);
		else if (r < 66)
			fuzz_free_bulk(s);
		else if (r < 76)
			fuzz_info(s);
		else if (r < 81)
			fuzz_compact(s);
		else if (r < 86)
			fuzz_drain(s);
#ifdef ZONEALLOC_IOC_ALLOC_CONTIG
		else if (r < 90)
			fuzz_alloc_contig(s);
#endif
#ifdef ZONEALLOC_IOC_QUERY
		else if (r < 93)
			fuzz_query(s);
#endif
		else if (r < 95)
			fuzz_export(s);
		else if (r < 97)
			fuzz_sync(s);
		else if (r < 98 && !below(4))
			fuzz_resize(s);
		else
			fuzz_random_cmd(s);
		if (s->pages > PAGE_BUDGET)
			shed(s);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);

	while (nmaps)
		unmap_one(0);
	while (nbufs)
		close_buf(0);
	for (i = 0; i < NSLOTS; i++)
		if (slots[i].fd >= 0)
			close_slot(&slots[i]);

	st->seed = seed;
	st->secs = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	st->calls = calls;
	st->successes = successes;
	st->violations = violations;
	st->sigs = sigs;
	st->mmaps_ok = mmaps_ok;
	memcpy(st->per_cmd, per_cmd, sizeof(per_cmd));
	memcpy(st->per_cmd_ok, per_cmd_ok, sizeof(per_cmd_ok));
	snprintf(st->first_violation, sizeof(st->first_violation), "%s",
		 first_violation);
	st->done = 1;
}

/*
 * Kernel reports, as scripts/vm matches them on the console: a clean run
 * leaves none of these in the kernel log.
 */
static const char * const report_patterns[] = {
	"WARNING:", "BUG:", "KASAN", "Oops", "Kernel panic",
	"general protection fault", "possible recursive locking",
	"possible circular locking", "inconsistent lock state",
	"INFO: lockdep", "suspicious RCU usage", "UBSAN",
	"unreferenced object", "new suspected memory leak",
	"kmemleak: Cannot", "Kernel memory leak detector disabled",
};

/* The kernel log from here on: /dev/kmsg, positioned at its end. */
static int kmsg_open(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd >= 0)
		lseek(fd, 0, SEEK_END);
	return fd;
}

/*
 * Read the kernel log records written since kmsg_open(); count those that
 * are kernel reports, print the first few, return the count.
 */
static unsigned long kmsg_reports(int fd)
{
	static char rec[8192];
	unsigned long found = 0;
	unsigned int i;
	ssize_t len;
	char *msg;

	for (;;) {
		len = read(fd, rec, sizeof(rec) - 1);
		if (len < 0 && errno == EPIPE)
			continue;	/* overwritten records: go on */
		if (len <= 0)
			break;
		rec[len] = '\0';
		msg = strchr(rec, ';');
		msg = msg ? msg + 1 : rec;
		for (i = 0; i < ARRAY_SIZE(report_patterns); i++)
			if (strstr(msg, report_patterns[i]))
				break;
		if (i == ARRAY_SIZE(report_patterns))
			continue;
		if (found++ < 5)
			printf("za_fuzz: kernel report: %.*s\n",
			       (int)strcspn(msg, "\n"), msg);
	}
	return found;
}

#define KMEMLEAK "/sys/kernel/debug/kmemleak"

/* Forget the leaks kmemleak reported before the run; 0 if it is there. */
static int kmemleak_clear(void)
{
	int fd = open(KMEMLEAK, O_WRONLY | O_CLOEXEC), ret;

	if (fd < 0)
		return -1;
	ret = write(fd, "clear", 5) == 5 ? 0 : -1;
	close(fd);
	return ret;
}

/*
 * Scan for leaks (kmemleak reports objects at least 5 s old, so wait that
 * long after the run first) and return how many objects it lists, or -1.
 */
static long kmemleak_scan(void)
{
	char line[256];
	long leaks = 0;
	FILE *f;
	int fd;

	sleep(6);
	fd = open(KMEMLEAK, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (write(fd, "scan", 4) != 4) {
		close(fd);
		return -1;
	}
	close(fd);
	f = fopen(KMEMLEAK, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "unreferenced object", 19) && leaks++ < 3)
			printf("za_fuzz: kmemleak: %s", line);
	}
	fclose(f);
	return leaks;
}

/* Run @jobs processes of @n / @jobs calls each, seeds @seed, @seed + 1... */
static int fuzz_jobs(unsigned long n, unsigned long seed, int jobs,
		     struct fuzz_stats *sum)
{
	struct fuzz_stats *st;
	int i, status, bad = 0;
	pid_t pid;

	st = mmap(NULL, jobs * sizeof(*st), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (st == MAP_FAILED)
		return -1;
	memset(st, 0, jobs * sizeof(*st));
	for (i = 0; i < jobs; i++) {
		unsigned long share = n / jobs + (i < (int)(n % jobs));

		pid = fork();
		if (pid < 0)
			return -1;
		if (!pid) {
			char tag[32];

			snprintf(tag, sizeof(tag), "za_fuzz[%d]", i);
			fuzz_run(share, seed + i, &st[i]);
			printf("%s: seed %lu: %lu calls in %.1f s, %lu unexpected results\n",
			       tag, st[i].seed, st[i].calls, st[i].secs,
			       st[i].violations);
			_exit(0);
		}
	}
	while ((pid = wait(&status)) > 0)
		if (!WIFEXITED(status) || WEXITSTATUS(status)) {
			printf("za_fuzz: process %d ended with status %#x\n",
			       (int)pid, status);
			bad++;
		}
	for (i = 0; i < jobs; i++) {
		if (!st[i].done) {
			bad++;
			continue;
		}
		sum->calls += st[i].calls;
		sum->successes += st[i].successes;
		sum->violations += st[i].violations;
		sum->sigs += st[i].sigs;
		sum->mmaps_ok += st[i].mmaps_ok;
		sum->reopens += st[i].reopens;
		for (status = 0; status < 13; status++) {
			sum->per_cmd[status] += st[i].per_cmd[status];
			sum->per_cmd_ok[status] += st[i].per_cmd_ok[status];
		}
		if (st[i].secs > sum->secs)
			sum->secs = st[i].secs;
		if (!sum->first_violation[0])
			memcpy(sum->first_violation, st[i].first_violation,
			       sizeof(sum->first_violation));
	}
	munmap(st, jobs * sizeof(*st));
	return bad;
}

int main(int argc, char **argv)
{
	unsigned long n = 100000, seed = 0, kreports;
	struct fuzz_stats sum;
	struct sigaction sa;
	struct timespec t0;
	__u64 avail, pool, start;
	int opt, i, f, ret, jobs = 1, kmsg, bad = 0, leak_ok;
	unsigned long taint0;
	long leaks = -1;

	while ((opt = getopt(argc, argv, "n:s:j:q")) != -1) {
		switch (opt) {
		case 'n':
			n = strtoul(optarg, NULL, 0);
			break;
		case 's':
			seed = strtoul(optarg, NULL, 0);
			break;
		case 'j':
			jobs = atoi(optarg);
			if (jobs < 1 || jobs > 64)
				bad_usage();
			break;
		case 'q':
			quiet = 1;
			break;
		default:
			bad_usage();
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (!seed)
		seed = (unsigned long)t0.tv_nsec ^ (unsigned long)getpid() << 16;
	read_nr_nodes();
	if (jobs > 1)
		printf("za_fuzz: seeds %lu..%lu, %lu calls from %d processes\n",
		       seed, seed + jobs - 1, n, jobs);
	else
		printf("za_fuzz: seed %lu, %lu calls\n", seed, n);
	page_size = sysconf(_SC_PAGESIZE);

	f = za_devopen();
	if (f < 0) {
		printf("FAIL: fuzz-open (%s: %s)\n", ZA_DEV, za_errname(errno));
		return 3;
	}
	ret = za_settled(f, &start, &pool);
	close(f);
	if (ret) {
		printf("FAIL: fuzz-start (DRAIN/INFO: %s)\n", za_errname(ret));
		return 1;
	}

	arena = mmap(NULL, 4 * page_size, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (arena == MAP_FAILED)
		return 1;
	mprotect(arena + 2 * page_size, page_size, PROT_READ);
	mprotect(arena + 3 * page_size, page_size, PROT_NONE);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_fault;
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGSEGV, &sa, NULL);

	taint_fd = open("/proc/sys/kernel/tainted", O_RDONLY | O_CLOEXEC);
	taint0 = read_taint();
	kmsg = kmsg_open();
	leak_ok = !kmemleak_clear();

	memset(&sum, 0, sizeof(sum));
	if (jobs > 1) {
		bad = fuzz_jobs(n, seed, jobs, &sum);
	} else {
		fuzz_run(n, seed, &sum);
		bad = !sum.done;
	}

	printf("za_fuzz: %lu calls (%lu succeeded) in %.1f s (%.0f calls/s), ",
	       sum.calls, sum.successes, sum.secs,
	       sum.secs > 0 ? sum.calls / sum.secs : 0.0);
	printf("%lu reopens, %lu faults on mappings\n", sum.reopens, sum.sigs);
	printf("za_fuzz: per command (tried/succeeded):");
	for (i = 0; i < 13; i++)
		printf(" %s %lu/%lu", cmd_names[i], sum.per_cmd[i],
		       sum.per_cmd_ok[i]);
	printf("\n");
	za_report("fuzz-calls", !bad && sum.calls >= n,
		  bad ? "a fuzzing process crashed" : "stopped early");
	/* A fuzzer whose every call fails tests nothing. */
	if (n >= 10000) {
		char why[200];
		int ok = sum.mmaps_ok > 0;

		for (i = 0; i < 7; i++)
			if (i != 5 && !sum.per_cmd_ok[i])
				ok = 0;
		snprintf(why, sizeof(why),
			 "a command never succeeded: alloc %lu free %lu alloc_bulk %lu free_bulk %lu info %lu drain %lu mmap %lu",
			 sum.per_cmd_ok[0], sum.per_cmd_ok[1], sum.per_cmd_ok[2],
			 sum.per_cmd_ok[3], sum.per_cmd_ok[4], sum.per_cmd_ok[6],
			 sum.mmaps_ok);
		za_report("fuzz-coverage", ok, why);
	}
	{
		char why[600];

		snprintf(why, sizeof(why), "%lu unexpected results, first: %s",
			 sum.violations, sum.first_violation);
		za_report("fuzz-expected-results", !sum.violations, why);
	}

	f = za_devopen();
	if (f < 0) {
		za_report("fuzz-pages-accounted", 0, "cannot reopen");
		return za_summary("za_fuzz");
	}
	ret = restore_pool(f, start);
	if (ret)
		printf("za_fuzz: giving the pool back its size failed: %s\n",
		       za_errname(ret));
	ret = za_settled(f, &avail, &pool);
	if (!ret && (avail != pool || avail != start)) {
		/* Does it come back later (an asynchronous release)? */
		static const unsigned int waits_ms[] = { 10, 100, 1000, 3000 };
		__u64 later = avail;
		unsigned int w;

		for (w = 0; w < ARRAY_SIZE(waits_ms) && later != pool; w++) {
			usleep(waits_ms[w] * 1000);
			if (za_settled(f, &later, NULL))
				break;
		}
		printf("za_fuzz: %lld pages missing after close+DRAIN; %s\n",
		       (long long)(pool - avail),
		       later == pool ? "back after a wait (asynchronous release?)" :
		       "still missing after 4 s");
		print_zones(f);
	}
	close(f);
	{
		char why[200];

		snprintf(why, sizeof(why),
			 "DRAIN/INFO %s: free+pcp %llu, pool_pages %llu, at start %llu",
			 za_errname(ret), (unsigned long long)avail,
			 (unsigned long long)pool, (unsigned long long)start);
		za_report("fuzz-pages-accounted",
			  !ret && avail == pool && avail == start, why);
	}

	/*
	 * A clean kernel log: no report since the start, no new W (warning),
	 * D (oops), B (bad page) or L (soft lockup) taint, and, where the
	 * kernel has kmemleak, no leak.
	 */
	if (leak_ok)
		leaks = kmemleak_scan();
	kreports = kmsg >= 0 ? kmsg_reports(kmsg) : 0;
	{
		unsigned long mask = 1ul << 9 | 1ul << 7 | 1ul << 5 | 1ul << 14;
		unsigned long taint = read_taint();
		char why[300];

		snprintf(why, sizeof(why),
			 "%lu kernel reports in the log, new taint %#lx, kmemleak %ld objects",
			 kreports, (taint & ~taint0) & mask, leaks);
		printf("za_fuzz: kernel log %s, kmemleak %s\n",
		       kmsg >= 0 ? "read" : "unreadable (no check)",
		       leak_ok ? "scanned" : "not in this kernel");
		za_report("fuzz-kernel-clean",
			  !kreports && !((taint & ~taint0) & mask) && leaks <= 0,
			  why);
	}
	return za_summary("za_fuzz");
}
