// SPDX-License-Identifier: GPL-2.0
/*
 * Model-based random testing: random operations on a five-zone pool with
 * per-CPU lists on four simulated CPUs (allocations of every order and
 * flag combination, through the internal and the exported API, frees, bad
 * frees, bulk calls, drains, CPU switches and CPU death, isolation and its
 * undo, compaction of every kind, contiguous allocations, pinning, a
 * busy per-CPU lock), each checked against a plain reference model: which
 * pfns each live allocation covers (no overlap, nothing in an isolated
 * range, in a zone the flags allow, contents intact after moves), the
 * validity and zone of every request computed independently of src/gfp.c,
 * and every 1,000 operations the invariant checker plus the model's
 * counts: allocated pages per zone, free + per-CPU = managed - allocated,
 * highatomic reservations = highatomic pageblocks, module references =
 * exported blocks. Each tenth of the run ends by freeing everything: every
 * zone must then be back to the free block counts per order it had after
 * set-up.
 */

#include <host_kernel.h>

#include <zonealloc.h>
#include "alloc.h"
#include "buddy.h"
#include "compaction.h"
#include "gfp.h"
#include "migrate.h"
#include "pcp.h"
#include "pool.h"
#include "vmstat.h"
#include "tests.h"

#define MT_CHECK_EVERY	1000
#define MT_EPOCHS	10
#define MT_MAX_ISO	8
#define MT_MEMMAP	114688UL

enum mt_kind {
	MT_KIND_ALLOC,		/* za_alloc_pages() */
	MT_KIND_API,		/* zonealloc_alloc_pages() or the bulk call */
	MT_KIND_CONTIG,		/* za_alloc_contig() */
};

struct mt_block {
	unsigned long pfn;
	unsigned long nr;
	unsigned int order;
	u8 kind;
	u8 zone;
	bool live;
	bool pinned;
	bool owned;		/* has an owner cookie: compaction may move it */
	u32 tag;
};

struct mt_iso {
	unsigned long start, end;
	u8 old_mt[4];
};

struct mt_model {
	struct za_pool *pool;
	u64 rng;
	struct mt_block *blocks;
	unsigned int nr_blocks, max_blocks;
	unsigned int *free_ids;
	unsigned int nr_free_ids;
	unsigned int *live;	/* ids of live blocks, for random picks */
	unsigned int *live_pos;
	unsigned int nr_live;
	u32 *own;		/* per pfn: block id + 1, or 0 */
	struct mt_iso iso[MT_MAX_ISO];
	unsigned int nr_iso;
	unsigned long alloc_pages[ZA_NR_ZONES];
	unsigned long nr_free0[ZA_NR_ZONES][ZA_NR_ORDERS];
	unsigned long op;
	const char *what;
	char last[160];
	unsigned long moves, allocs, alloc_fails, frees, compactions, contigs;
	unsigned long isolations, checks, epochs_ok, used_sum, kcompactd_runs;
};

static struct mt_model *mt;

/* The layout: [start pfn, pages, zone], added out of order. */
static const unsigned long mt_layout[][3] = {
	{ 16384, 4096, ZA_ZONE_NORMAL },
	{ 512, 1024, ZA_ZONE_DMA },
	{ 36864, 2048, ZA_ZONE_MOVABLE },
	{ 4096, 2048, ZA_ZONE_DMA32 },
	{ 20480, 2048, ZA_ZONE_NORMAL },	/* merges with the first */
	{ 32768, 1536, ZA_ZONE_HIGHMEM },
	/* Right after HighMem: order-9 buddies across the boundary. */
	{ 34304, 512, ZA_ZONE_MOVABLE },
	{ 8192, 1024, ZA_ZONE_DMA32 },
	{ 24576, 1024, ZA_ZONE_NORMAL },
	/* Normal above 51,200 pages: 1% of it may be highatomic. */
	{ 65536, 45056, ZA_ZONE_NORMAL },
};

static u32 mt_word(u32 tag, unsigned long i)
{
	return (tag * 2654435761U) ^ (u32)(i * 40503U) ^ 0x5a5a5a5a;
}

static __printf(1, 2) void mt_fail(const char *fmt, ...)
{
	char buf[512];
	va_list args;

	va_start(args, fmt);
	vsnprintf(buf, sizeof(buf), fmt, args);
	va_end(args);
	ht_fail("op %lu (%s): %s", mt->op, mt->last, buf);
}

/* Model bookkeeping. */
static unsigned int mt_new_block(void)
{
	unsigned int id;

	if (mt->nr_free_ids) {
		id = mt->free_ids[--mt->nr_free_ids];
	} else {
		if (mt->nr_blocks == mt->max_blocks) {
			mt->max_blocks *= 2;
			unsigned int n = mt->max_blocks;

			mt->blocks = reallocarray(mt->blocks, n,
						  sizeof(*mt->blocks));
			mt->free_ids = reallocarray(mt->free_ids, n,
						    sizeof(*mt->free_ids));
			mt->live = reallocarray(mt->live, n, sizeof(*mt->live));
			mt->live_pos = reallocarray(mt->live_pos, n,
						    sizeof(*mt->live_pos));
		}
		id = mt->nr_blocks++;
	}
	memset(&mt->blocks[id], 0, sizeof(mt->blocks[id]));
	return id;
}

static bool mt_in_iso(unsigned long pfn)
{
	unsigned int i;

	for (i = 0; i < mt->nr_iso; i++)
		if (pfn >= mt->iso[i].start && pfn < mt->iso[i].end)
			return true;
	return false;
}

/* Claim [pfn, pfn + nr) for block @id: nothing else may hold any of it. */
static bool mt_claim(unsigned int id, unsigned long pfn, unsigned long nr)
{
	unsigned long i;

	for (i = 0; i < nr; i++) {
		if (pfn + i >= MT_MEMMAP || mt->own[pfn + i]) {
			mt_fail("pfn %#lx handed out twice (held by block %u)",
				pfn + i, pfn + i < MT_MEMMAP ? mt->own[pfn + i] - 1 : 0);
			return false;
		}
	}
	for (i = 0; i < nr; i++)
		mt->own[pfn + i] = id + 1;
	return true;
}

static void mt_fill(struct mt_block *b)
{
	unsigned long i;

	for (i = 0; i < b->nr; i++)
		host_memmap[b->pfn + i].host_data = mt_word(b->tag, i);
}

static bool mt_verify(struct mt_block *b)
{
	unsigned long i;

	for (i = 0; i < b->nr; i++) {
		if (host_memmap[b->pfn + i].host_data != mt_word(b->tag, i)) {
			mt_fail("contents of block at pfn %#lx order %u page %lu lost",
				b->pfn, b->order, i);
			return false;
		}
	}
	return true;
}

static void mt_add_live(unsigned int id, unsigned long pfn, unsigned long nr,
			unsigned int order, u8 kind)
{
	struct mt_block *b = &mt->blocks[id];

	b->pfn = pfn;
	b->nr = nr;
	b->order = order;
	b->kind = kind;
	b->live = true;
	b->tag = (u32)ht_rand(&mt->rng);
	b->zone = za_pfn_to_page(mt->pool, pfn)->zone;
	mt->live_pos[id] = mt->nr_live;
	mt->live[mt->nr_live++] = id;
	mt->alloc_pages[b->zone] += nr;
	mt_fill(b);
}

static void mt_drop_live(unsigned int id)
{
	struct mt_block *b = &mt->blocks[id];
	unsigned int pos = mt->live_pos[id], last = mt->live[--mt->nr_live];
	unsigned long i;

	mt->live[pos] = last;
	mt->live_pos[last] = pos;
	for (i = 0; i < b->nr; i++)
		mt->own[b->pfn + i] = 0;
	mt->alloc_pages[b->zone] -= b->nr;
	b->live = false;
	mt->free_ids[mt->nr_free_ids++] = id;
}

/* The owner's side of migration (migrate.h), as dev.c does it. */
static int mt_move(struct za_pool *pool, unsigned long owner,
		   struct za_page *src, struct za_page *dst, unsigned int order,
		   enum za_migrate_mode mode)
{
	unsigned int id = owner - 1;
	struct mt_block *b = id < mt->nr_blocks ? &mt->blocks[id] : NULL;
	unsigned long i;

	if (host_locks_held)
		mt_fail("move called with %d locks held", host_locks_held);
	/* The owner's lock is busy: async gives up, sync tries again. */
	if (ht_below(&mt->rng, 20) == 0)
		return -EAGAIN;
	if (!b || !b->live || !b->owned || b->pfn != src->pfn ||
	    b->order != order)
		return -ENOENT;
	if (b->pinned)
		return -EBUSY;
	if (dst->state != ZA_PAGE_ALLOC || dst->order != order ||
	    dst->zone != src->zone)
		mt_fail("move of pfn %#lx to pfn %#lx: destination state %u order %u zone %u",
			src->pfn, dst->pfn, dst->state, dst->order, dst->zone);
	if (mt_in_iso(dst->pfn))
		mt_fail("move destination pfn %#lx is in an isolated range",
			dst->pfn);
	if (!mt_verify(b))
		return -EBUSY;
	for (i = 0; i < b->nr; i++)
		mt->own[b->pfn + i] = 0;
	if (!mt_claim(id, dst->pfn, b->nr)) {
		mt_claim(id, b->pfn, b->nr);
		return -EBUSY;
	}
	za_migrate_copy(dst, src, order);
	WRITE_ONCE(dst->owner, owner);
	WRITE_ONCE(src->owner, 0);
	b->pfn = dst->pfn;
	mt->moves++;
	return 0;
}

static const struct za_migrate_ops mt_ops = {
	.move = mt_move,
};

/* A random flag word: mostly valid, every bit in play. */
static u32 mt_random_gfp(void)
{
	u32 gfp = ht_below(&mt->rng, 16);	/* zone bits, some invalid */

	if (ht_below(&mt->rng, 3) == 0)
		gfp |= ZONEALLOC_GFP_MOVABLE;
	if (ht_below(&mt->rng, 8) == 0)
		gfp |= ZONEALLOC_GFP_RECLAIMABLE;
	if (ht_below(&mt->rng, 6) == 0)
		gfp |= ZONEALLOC_GFP_HIGH;
	if (ht_below(&mt->rng, 5) == 0)
		gfp |= ZONEALLOC_GFP_ATOMIC;
	if (ht_below(&mt->rng, 8) == 0)
		gfp |= ZONEALLOC_GFP_ZERO;
	if (ht_below(&mt->rng, 4) == 0)
		gfp |= ZONEALLOC_GFP_NORETRY;
	if (ht_below(&mt->rng, 8) == 0)
		gfp |= ZONEALLOC_GFP_RETRY_MAYFAIL;
	if (ht_below(&mt->rng, 60) == 0)
		gfp |= ZONEALLOC_GFP_NOFAIL;
	if (ht_below(&mt->rng, 200) == 0)
		gfp |= 0x1000;		/* unknown */
	return gfp | ZONEALLOC_GFP_NOWARN;
}

static unsigned int mt_random_order(void)
{
	unsigned long r = ht_below(&mt->rng, 1000);

	if (r < 600)
		return r % 4;
	if (r < 950)
		return 4 + r % 6;
	if (r < 995)
		return ZA_MAX_ORDER;
	return ZA_MAX_ORDER + 1;
}

/* Checks of a block the allocator just returned. */
static bool mt_check_new(struct za_page *zp, unsigned int order, u32 gfp)
{
	int highest = ht_ref_zone(gfp);
	unsigned long i;

	if (zp->state != ZA_PAGE_ALLOC || zp->order != order) {
		mt_fail("new block at pfn %#lx: state %u order %u, want order %u",
			zp->pfn, zp->state, zp->order, order);
		return false;
	}
	if (zp->pfn & ((1UL << order) - 1)) {
		mt_fail("order-%u block at misaligned pfn %#lx", order, zp->pfn);
		return false;
	}
	if (zp->zone > highest) {
		mt_fail("gfp %#x (highest zone %d) got a block of zone %u",
			gfp, highest, zp->zone);
		return false;
	}
	for (i = 0; i < (1UL << order); i++) {
		if (mt_in_iso(zp->pfn + i)) {
			mt_fail("pfn %#lx of an isolated range allocated",
				zp->pfn + i);
			return false;
		}
		if ((gfp & ZONEALLOC_GFP_ZERO) &&
		    host_memmap[zp->pfn + i].host_data) {
			mt_fail("GFP_ZERO block at pfn %#lx: page %lu not zero",
				zp->pfn, i);
			return false;
		}
	}
	return true;
}

static void mt_free_block(unsigned int id);

/* Give each pageblock of an isolation the type it had before. */
static void mt_undo_iso(const struct mt_iso *iso)
{
	unsigned long pfn;

	for (pfn = iso->start; pfn < iso->end; pfn += ZA_PAGEBLOCK_PAGES) {
		u8 old = iso->old_mt[(pfn - iso->start) >> ZA_PAGEBLOCK_ORDER];
		int ret = za_undo_isolate_range(mt->pool, pfn,
						pfn + ZA_PAGEBLOCK_PAGES, old);

		if (ret)
			mt_fail("undo isolation returned %d", ret);
		if (za_get_pageblock_mt(za_pfn_to_page(mt->pool, pfn)) != old)
			mt_fail("pfn %#lx: type %d after undo, want %u", pfn,
				za_get_pageblock_mt(za_pfn_to_page(mt->pool, pfn)),
				old);
	}
}

/* NOFAIL waits for someone to free memory: free something. */
static void mt_schedule_hook(void *arg)
{
	unsigned int i;

	(void)arg;
	for (i = 0; i < mt->nr_live; i++) {
		unsigned int id = mt->live[ht_below(&mt->rng, mt->nr_live)];

		if (mt->blocks[id].kind != MT_KIND_API) {
			mt_free_block(id);
			return;
		}
	}
	if (mt->nr_iso) {
		mt_undo_iso(&mt->iso[--mt->nr_iso]);
		return;
	}
	if (host_schedules > 100000) {
		mt_fail("NOFAIL request waits forever");
		abort();
	}
}

/*
 * A request without reserves (no HIGH, ATOMIC or NOFAIL) only takes from a
 * zone above its min watermark plus the lowmem_reserve against the
 * request's highest zone, as __zone_watermark_ok(). Free pages counted
 * before the call, with the per-CPU lists that a drain may return.
 */
static void mt_wmark_before(unsigned long *avail)
{
	int z, cpu;

	for (z = 0; z < ZA_NR_ZONES; z++) {
		struct za_zone *zone = &mt->pool->zones[z];

		/* The slow path may give highatomic blocks back: counted. */
		avail[z] = zone->free_pages;
		if (zone->pcp)
			for_each_possible_cpu(cpu)
				avail[z] += per_cpu_ptr(zone->pcp, cpu)->count;
	}
}

static void mt_wmark_check(const unsigned long *avail, struct za_page *zp,
			   unsigned int order, u32 gfp)
{
	struct za_zone *zone = &mt->pool->zones[zp->zone];
	long need = zone->watermark[ZA_WMARK_MIN] +
		    zone->lowmem_reserve[ht_ref_zone(gfp)];

	if (gfp & (ZONEALLOC_GFP_HIGH | ZONEALLOC_GFP_ATOMIC |
		   ZONEALLOC_GFP_NOFAIL))
		return;
	if ((long)avail[zp->zone] - ((1L << order) - 1) <= need)
		mt_fail("zone %s: order-%u block with %lu free, min %lu + reserve %ld",
			za_zone_names[zp->zone], order, avail[zp->zone],
			zone->watermark[ZA_WMARK_MIN],
			zone->lowmem_reserve[ht_ref_zone(gfp)]);
}

static void op_alloc(bool api)
{
	unsigned long avail[ZA_NR_ZONES];
	u32 gfp = mt_random_gfp();
	unsigned int order = mt_random_order();
	bool valid = ht_ref_valid(gfp, order);
	bool atomic = gfp & ZONEALLOC_GFP_ATOMIC;
	struct za_page *zp;
	unsigned int id;

	if ((gfp & ZONEALLOC_GFP_NOFAIL) && order > ZA_COSTLY_ORDER)
		gfp &= ~ZONEALLOC_GFP_NOFAIL;
	valid = ht_ref_valid(gfp, order);
	snprintf(mt->last, sizeof(mt->last), "%s gfp %#x order %u cpu %d",
		 api ? "zonealloc_alloc_pages" : "za_alloc_pages", gfp, order,
		 host_cpu);
	/* An atomic caller may run with preemption off: it must not sleep. */
	mt_wmark_before(avail);
	if (atomic)
		preempt_disable();
	if (api) {
		struct page *page = zonealloc_alloc_pages(gfp, order);

		zp = IS_ERR(page) ? ERR_CAST(page) :
		     za_pfn_to_page(mt->pool, page_to_pfn(page));
	} else {
		zp = za_alloc_pages(mt->pool, gfp, order);
	}
	if (atomic)
		preempt_enable();

	if (!valid) {
		if (PTR_ERR(zp) != -EINVAL)
			mt_fail("invalid request returned %ld, not -EINVAL",
				IS_ERR(zp) ? PTR_ERR(zp) : 0);
		if (!IS_ERR(zp))
			za_free_pages(mt->pool, zp, order);
		return;
	}
	if (IS_ERR(zp)) {
		if (PTR_ERR(zp) != -ENOMEM)
			mt_fail("valid request returned %ld", PTR_ERR(zp));
		if (gfp & ZONEALLOC_GFP_NOFAIL)
			mt_fail("NOFAIL request failed");
		mt->alloc_fails++;
		return;
	}
	mt->allocs++;
	if (!mt_check_new(zp, order, gfp))
		return;
	mt_wmark_check(avail, zp, order, gfp);
	id = mt_new_block();
	if (!mt_claim(id, zp->pfn, 1UL << order)) {
		mt->free_ids[mt->nr_free_ids++] = id;
		return;
	}
	mt_add_live(id, zp->pfn, 1UL << order, order,
		    api ? MT_KIND_API : MT_KIND_ALLOC);
	if (api)
		return;
	/* Movable blocks get an owner, as dev.c gives them a handle. */
	if (ht_ref_mt(gfp) == ZA_MIGRATE_MOVABLE && ht_below(&mt->rng, 8)) {
		mt->blocks[id].owned = true;
		WRITE_ONCE(zp->owner, id + 1);
	}
}

static void op_bulk(void)
{
	u32 gfp = mt_random_gfp() & ~(ZONEALLOC_GFP_NOFAIL | 0x1000u);
	unsigned int nr = 1 + ht_below(&mt->rng, 64), i;
	struct page *pages[64];
	bool valid = ht_ref_valid(gfp, 0);
	int ret;

	snprintf(mt->last, sizeof(mt->last), "bulk gfp %#x nr %u cpu %d", gfp,
		 nr, host_cpu);
	memset(pages, 0, sizeof(pages));
	/* Some entries already set: they are skipped. */
	for (i = 0; i < nr; i++)
		if (ht_below(&mt->rng, 16) == 0)
			pages[i] = &host_memmap[0];
	if (gfp & ZONEALLOC_GFP_ATOMIC)
		preempt_disable();
	ret = zonealloc_alloc_pages_bulk(gfp, nr, pages);
	if (gfp & ZONEALLOC_GFP_ATOMIC)
		preempt_enable();
	if (!valid) {
		if (ret != -EINVAL)
			mt_fail("invalid bulk request returned %d", ret);
		return;
	}
	if (ret < 0 || (unsigned int)ret > nr) {
		mt_fail("bulk returned %d for %u", ret, nr);
		return;
	}
	for (i = 0; i < nr; i++) {
		struct za_page *zp;
		unsigned int id;

		if (!pages[i] || pages[i] == &host_memmap[0])
			continue;
		zp = za_pfn_to_page(mt->pool, page_to_pfn(pages[i]));
		if (!zp) {
			mt_fail("bulk page pfn %#lx not in the pool",
				page_to_pfn(pages[i]));
			continue;
		}
		if (!mt_check_new(zp, 0, gfp))
			continue;
		id = mt_new_block();
		if (!mt_claim(id, zp->pfn, 1)) {
			mt->free_ids[mt->nr_free_ids++] = id;
			continue;
		}
		mt_add_live(id, zp->pfn, 1, 0, MT_KIND_API);
		mt->allocs++;
	}
}

static void mt_free_block(unsigned int id)
{
	struct mt_block *b = &mt->blocks[id];
	struct za_page *zp = za_pfn_to_page(mt->pool, b->pfn);
	int ret;

	mt_verify(b);
	if (b->kind == MT_KIND_CONTIG) {
		mt_drop_live(id);
		za_free_contig(mt->pool, zp, b->nr);
		mt->frees++;
		return;
	}
	if (b->kind == MT_KIND_API)
		ret = zonealloc_free_pages(pfn_to_page(b->pfn), b->order);
	else
		ret = za_free_pages(mt->pool, zp, b->order);
	if (ret) {
		mt_fail("free of pfn %#lx order %u returned %d", b->pfn,
			b->order, ret);
		return;
	}
	/* Clobber the contents: a later reader of them is a bug. */
	mt_drop_live(id);
	mt->frees++;
}

static void op_free(void)
{
	unsigned int id;

	if (!mt->nr_live)
		return;
	id = mt->live[ht_below(&mt->rng, mt->nr_live)];
	snprintf(mt->last, sizeof(mt->last), "free pfn %#lx order %u kind %u cpu %d",
		 mt->blocks[id].pfn, mt->blocks[id].order, mt->blocks[id].kind,
		 host_cpu);
	mt_free_block(id);
}

/* Free a random set of exported order-0 pages in one bulk call. */
static void op_bulk_free(void)
{
	unsigned int ids[32], n = 0, i, j, tries;
	struct page *pages[32];
	int ret;

	for (tries = 0; tries < 64 && n < 32 && mt->nr_live; tries++) {
		unsigned int id = mt->live[ht_below(&mt->rng, mt->nr_live)];
		struct mt_block *b = &mt->blocks[id];

		if (b->kind != MT_KIND_API || b->order)
			continue;
		for (j = 0; j < n && ids[j] != id; j++)
			;
		if (j < n)
			continue;
		mt_verify(b);
		ids[n] = id;
		pages[n++] = pfn_to_page(b->pfn);
		if (n < 32 && ht_below(&mt->rng, 4) == 0) {
			ids[n] = UINT_MAX;	/* a NULL entry, skipped */
			pages[n++] = NULL;
		}
	}
	snprintf(mt->last, sizeof(mt->last), "bulk free of %u entries", n);
	ret = zonealloc_free_pages_bulk(n, pages);
	if (ret)
		mt_fail("bulk free returned %d", ret);
	for (i = 0; i < n; i++) {
		if (pages[i])
			mt_fail("bulk free left entry %u", i);
		if (ids[i] != UINT_MAX) {
			mt_drop_live(ids[i]);
			mt->frees++;
		}
	}
}

static void op_bad_free(void)
{
	unsigned int id;
	struct mt_block *b;
	struct za_page *zp;
	unsigned int order;
	int ret;

	if (!mt->nr_live)
		return;
	id = mt->live[ht_below(&mt->rng, mt->nr_live)];
	b = &mt->blocks[id];
	if (b->kind == MT_KIND_CONTIG)
		return;
	zp = za_pfn_to_page(mt->pool, b->pfn);
	switch (ht_below(&mt->rng, 3)) {
	case 0:		/* wrong order */
		order = (b->order + 1 + ht_below(&mt->rng, ZA_MAX_ORDER)) %
			(ZA_MAX_ORDER + 1);
		break;
	case 1:		/* a tail page */
		if (!b->order)
			return;
		zp += 1 + ht_below(&mt->rng, (1UL << b->order) - 1);
		order = 0;
		break;
	default:	/* an order above the maximum */
		order = ZA_MAX_ORDER + 1 + ht_below(&mt->rng, 4);
		break;
	}
	snprintf(mt->last, sizeof(mt->last), "bad free pfn %#lx order %u (block pfn %#lx order %u)",
		 zp->pfn, order, b->pfn, b->order);
	ret = za_free_pages(mt->pool, zp, order);
	if (ret != -EINVAL)
		mt_fail("bad free returned %d", ret);
	if (zp->state == ZA_PAGE_TAIL && zp->pfn == b->pfn)
		mt_fail("bad free changed the block's state");
}

static void op_isolate(void)
{
	unsigned int c = ht_below(&mt->rng, mt->pool->nr_chunks);
	struct za_chunk *chunk = &mt->pool->chunks[c];
	unsigned long nr_pb = chunk->nr_pages >> ZA_PAGEBLOCK_ORDER;
	unsigned long len = 1 + ht_below(&mt->rng, min(nr_pb, 4UL));
	unsigned long first = ht_below(&mt->rng, nr_pb - len + 1);
	unsigned long start = chunk->start_pfn + (first << ZA_PAGEBLOCK_ORDER);
	unsigned long end = start + (len << ZA_PAGEBLOCK_ORDER), pfn;
	bool overlap = false;
	struct mt_iso *iso;
	unsigned int i;
	int ret;

	if (mt->nr_iso == MT_MAX_ISO)
		return;
	for (i = 0; i < mt->nr_iso; i++)
		if (start < mt->iso[i].end && mt->iso[i].start < end)
			overlap = true;
	snprintf(mt->last, sizeof(mt->last), "isolate [%#lx, %#lx)", start, end);
	iso = &mt->iso[mt->nr_iso];
	ret = za_isolate_range(mt->pool, start, end, ZA_MIGRATE_MOVABLE,
			       iso->old_mt);
	if (overlap && ret != -EBUSY)
		mt_fail("isolating over an isolated range returned %d", ret);
	if (ret == -EBUSY) {
		bool highatomic = false;

		for (pfn = start; pfn < end; pfn += ZA_PAGEBLOCK_PAGES) {
			int pb_mt = za_get_pageblock_mt(za_pfn_to_page(mt->pool, pfn));

			if (pb_mt == ZA_MIGRATE_HIGHATOMIC)
				highatomic = true;
			if (pb_mt == ZA_MIGRATE_ISOLATE && !mt_in_iso(pfn))
				mt_fail("failed isolation left pfn %#lx isolated",
					pfn);
		}
		if (!overlap && !highatomic)
			mt_fail("isolation of a range neither isolated nor highatomic: -EBUSY");
		return;
	}
	if (ret) {
		mt_fail("isolate returned %d", ret);
		return;
	}
	iso->start = start;
	iso->end = end;
	mt->nr_iso++;
	mt->isolations++;
	for (pfn = start; pfn < end; pfn += ZA_PAGEBLOCK_PAGES)
		if (za_get_pageblock_mt(za_pfn_to_page(mt->pool, pfn)) !=
		    ZA_MIGRATE_ISOLATE)
			mt_fail("pfn %#lx not isolated", pfn);
	/* As the callers do: cached pages go to the (isolated) free lists. */
	za_pcp_drain_all(mt->pool);
}

static void op_undo_isolate(void)
{
	struct mt_iso iso;
	unsigned int i;

	if (!mt->nr_iso)
		return;
	i = ht_below(&mt->rng, mt->nr_iso);
	iso = mt->iso[i];
	mt->iso[i] = mt->iso[--mt->nr_iso];
	snprintf(mt->last, sizeof(mt->last), "undo isolation [%#lx, %#lx)",
		 iso.start, iso.end);
	mt_undo_iso(&iso);
}

static void op_compact(void)
{
	int zone = (int)ht_below(&mt->rng, ZA_NR_ZONES + 1) - 1;
	int order = (int)ht_below(&mt->rng, ZA_NR_ORDERS + 1) - 1;
	enum za_migrate_mode mode = ht_below(&mt->rng, 3);
	unsigned long migrated = 0;
	int ret;

	host_need_resched = ht_below(&mt->rng, 8) == 0;
	host_fatal_signal = ht_below(&mt->rng, 16) == 0;
	snprintf(mt->last, sizeof(mt->last), "compact zone %d order %d mode %d%s",
		 zone, order, mode, host_fatal_signal ? " killed" : "");
	ret = za_compact(mt->pool, zone, order, mode, &migrated);
	host_need_resched = 0;
	if (ret && ret != -EAGAIN && !(host_fatal_signal && ret == -EINTR))
		mt_fail("za_compact returned %d", ret);
	host_fatal_signal = 0;
	mt->compactions++;
}

static void op_contig(void)
{
	unsigned long nr = 1 + ht_below(&mt->rng, ht_below(&mt->rng, 4) ? 64 : 1536);
	u32 gfp = mt_random_gfp() & ~(ZONEALLOC_GFP_ATOMIC | ZONEALLOC_GFP_NOFAIL);
	struct za_page *first;
	unsigned long pfn;
	unsigned int id;
	int ret;

	/* The caller is killed, or the pageblock types cannot be saved. */
	host_fatal_signal = ht_below(&mt->rng, 16) == 0;
	host_kmalloc_fail_in = ht_below(&mt->rng, 16) == 0;
	snprintf(mt->last, sizeof(mt->last), "contig nr %lu gfp %#x%s%s", nr,
		 gfp, host_fatal_signal ? " killed" : "",
		 host_kmalloc_fail_in ? " no memory" : "");
	ret = za_alloc_contig(mt->pool, nr, gfp, &first);
	if (host_fatal_signal && ret == -EINTR)
		ret = -ENOMEM;
	host_fatal_signal = 0;
	host_kmalloc_fail_in = 0;
	if (!ht_ref_valid(gfp, 0)) {
		if (ret != -EINVAL)
			mt_fail("invalid contig request returned %d", ret);
		return;
	}
	if (ret) {
		if (ret != -ENOMEM)
			mt_fail("contig returned %d", ret);
		return;
	}
	if (first->zone > ht_ref_zone(gfp))
		mt_fail("contig gfp %#x got zone %u", gfp, first->zone);
	for (pfn = first->pfn; pfn < first->pfn + nr; ) {
		struct za_page *zp = za_pfn_to_page(mt->pool, pfn);

		if (!zp || zp->state != ZA_PAGE_ALLOC || zp->owner ||
		    zp->zone != first->zone) {
			mt_fail("contig range at pfn %#lx: page %#lx not allocated",
				first->pfn, pfn);
			return;
		}
		if (mt_in_iso(pfn))
			mt_fail("contig range holds isolated pfn %#lx", pfn);
		pfn += 1UL << zp->order;
		if (pfn > first->pfn + nr)
			mt_fail("contig block at %#lx reaches past the range",
				zp->pfn);
	}
	id = mt_new_block();
	if (!mt_claim(id, first->pfn, nr)) {
		mt->free_ids[mt->nr_free_ids++] = id;
		return;
	}
	mt_add_live(id, first->pfn, nr, 0, MT_KIND_CONTIG);
	mt->contigs++;
}

/* kcompactd wakes: the work asked for since, or a proactive check. */
static void op_kcompactd(void)
{
	snprintf(mt->last, sizeof(mt->last), "kcompactd runs");
	host_kthread_run(1 + ht_below(&mt->rng, 2));
	mt->kcompactd_runs++;
}

static void op_pin(void)
{
	unsigned int id;

	if (!mt->nr_live)
		return;
	id = mt->live[ht_below(&mt->rng, mt->nr_live)];
	mt->blocks[id].pinned = !mt->blocks[id].pinned;
}

/* The owner of this CPU's list lock is interrupted by an atomic request. */
static void op_pcp_busy(void)
{
	int z = ht_below(&mt->rng, ZA_NR_ZONES);
	struct za_zone *zone = &mt->pool->zones[z];
	struct za_pcp *pcp;

	if (!zone->pcp)
		return;
	pcp = per_cpu_ptr(zone->pcp, host_cpu);
	snprintf(mt->last, sizeof(mt->last), "pcp lock of zone %d cpu %d busy",
		 z, host_cpu);
	spin_lock(&pcp->lock);
	if (ht_below(&mt->rng, 2)) {
		u32 gfp = ZONEALLOC_GFP_ATOMIC | ZONEALLOC_GFP_NOWARN;
		struct za_page *zp;
		unsigned int id;

		if (z == ZA_ZONE_DMA)
			gfp |= ZONEALLOC_GFP_DMA;
		else if (z == ZA_ZONE_DMA32)
			gfp |= ZONEALLOC_GFP_DMA32;
		zp = za_alloc_pages(mt->pool, gfp, ht_below(&mt->rng, 4));
		if (!IS_ERR(zp) && mt_check_new(zp, zp->order, gfp)) {
			id = mt_new_block();
			if (mt_claim(id, zp->pfn, 1UL << zp->order))
				mt_add_live(id, zp->pfn, 1UL << zp->order,
					    zp->order, MT_KIND_ALLOC);
		}
	} else if (mt->nr_live) {
		unsigned int id = mt->live[ht_below(&mt->rng, mt->nr_live)];

		if (mt->blocks[id].kind == MT_KIND_ALLOC)
			mt_free_block(id);
	}
	spin_unlock(&pcp->lock);
}

/* Highatomic reservations must be exactly the highatomic pageblocks. */
static void mt_check_highatomic(struct za_zone *zone)
{
	unsigned long n = 0, pfn;
	unsigned int c;

	for (c = 0; c < mt->pool->nr_chunks; c++) {
		struct za_chunk *chunk = &mt->pool->chunks[c];

		if (chunk->zone != zone->idx)
			continue;
		for (pfn = 0; pfn < chunk->nr_pages; pfn += ZA_PAGEBLOCK_PAGES)
			if (za_get_pageblock_mt(&chunk->pages[pfn]) ==
			    ZA_MIGRATE_HIGHATOMIC)
				n += ZA_PAGEBLOCK_PAGES;
	}
	if (n != zone->nr_reserved_highatomic)
		mt_fail("zone %s: nr_reserved_highatomic %lu, highatomic pageblocks hold %lu pages",
			za_zone_names[zone->idx], zone->nr_reserved_highatomic, n);
}

static void mt_check(void)
{
	unsigned long api = 0;
	unsigned int i;
	int z;

	mt->checks++;
	if (host_locks_held || host_preempt_count)
		mt_fail("%d locks held, preempt count %d", host_locks_held,
			host_preempt_count);
	if (!ht_pool_check(mt->pool, mt->last))
		mt_fail("invariant checker failed");
	if (za_pool_allocated_pages(mt->pool) !=
	    mt->alloc_pages[0] + mt->alloc_pages[1] + mt->alloc_pages[2] +
	    mt->alloc_pages[3] + mt->alloc_pages[4])
		mt_fail("pool says %lu pages allocated, the model %lu",
			za_pool_allocated_pages(mt->pool),
			mt->alloc_pages[0] + mt->alloc_pages[1] +
			mt->alloc_pages[2] + mt->alloc_pages[3] +
			mt->alloc_pages[4]);
	for (z = 0; z < ZA_NR_ZONES; z++) {
		struct za_zone *zone = &mt->pool->zones[z];
		unsigned long free = 0, pcp = 0;
		int o, t, cpu;

		for (o = 0; o <= ZA_MAX_ORDER; o++)
			for (t = 0; t < ZA_MIGRATE_TYPES; t++) {
				struct za_page *zp;

				list_for_each_entry(zp, &zone->free_area[o].free_list[t], lru)
					free += 1UL << o;
			}
		if (zone->pcp)
			for_each_possible_cpu(cpu)
				pcp += per_cpu_ptr(zone->pcp, cpu)->count;
		if (free + pcp + mt->alloc_pages[z] != zone->managed_pages)
			mt_fail("zone %s: free %lu + pcp %lu + model allocated %lu != managed %lu",
				za_zone_names[z], free, pcp, mt->alloc_pages[z],
				zone->managed_pages);
		mt_check_highatomic(zone);
	}
	for (i = 0; i < mt->nr_live; i++) {
		struct mt_block *b = &mt->blocks[mt->live[i]];
		struct za_page *zp = za_pfn_to_page(mt->pool, b->pfn);

		if (b->kind == MT_KIND_API)
			api++;
		if (b->kind != MT_KIND_CONTIG &&
		    (zp->state != ZA_PAGE_ALLOC || zp->order != b->order))
			mt_fail("model block pfn %#lx order %u: state %u order %u",
				b->pfn, b->order, zp->state, zp->order);
		if (b->kind == MT_KIND_ALLOC &&
		    zp->owner != (b->owned ? mt->live[i] + 1 : 0))
			mt_fail("block pfn %#lx: owner %lu", b->pfn, zp->owner);
		mt_verify(b);
	}
	if (host_module_refs != (api ? 1 : 0))
		mt_fail("module references %ld with %lu exported blocks out",
			host_module_refs, api);
}

/* Free everything: each zone must be back to its free blocks at set-up. */
static void mt_epoch_end(void)
{
	unsigned int i;
	int z, o;

	snprintf(mt->last, sizeof(mt->last), "end of epoch: free everything");
	while (mt->nr_live)
		mt_free_block(mt->live[0]);
	while (mt->nr_iso)
		mt_undo_iso(&mt->iso[--mt->nr_iso]);
	za_pcp_drain_all(mt->pool);
	mt_check();
	/* Highatomic blocks never merge with others: give them back first. */
	for (z = 0; z < ZA_NR_ZONES; z++) {
		struct za_zone *zone = &mt->pool->zones[z];
		unsigned long flags;

		spin_lock_irqsave(&zone->lock, flags);
		while (za_unreserve_highatomic_pageblock(zone, ZA_MIGRATE_MOVABLE,
							 true))
			;
		spin_unlock_irqrestore(&zone->lock, flags);
		if (zone->nr_reserved_highatomic)
			mt_fail("zone %s: %lu highatomic pages left reserved",
				za_zone_names[z], zone->nr_reserved_highatomic);
	}
	/* Isolate and undo every range: each free block is freed again. */
	for (i = 0; i < mt->pool->nr_chunks; i++) {
		struct za_chunk *c = &mt->pool->chunks[i];
		int ret = za_isolate_range(mt->pool, c->start_pfn,
					   c->start_pfn + c->nr_pages,
					   ZA_MIGRATE_MOVABLE, NULL);

		if (ret)
			mt_fail("isolating chunk %u when empty: %d", i, ret);
		za_undo_isolate_range(mt->pool, c->start_pfn,
				      c->start_pfn + c->nr_pages,
				      ZA_MIGRATE_MOVABLE);
	}
	mt_check();
	for (z = 0; z < ZA_NR_ZONES; z++) {
		struct za_zone *zone = &mt->pool->zones[z];

		if (zone->free_pages != zone->managed_pages)
			mt_fail("zone %s: %lu of %lu pages free when empty",
				za_zone_names[z], zone->free_pages,
				zone->managed_pages);
		for (o = 0; o <= ZA_MAX_ORDER; o++)
			if (zone->free_area[o].nr_free != mt->nr_free0[z][o])
				mt_fail("zone %s order %d: %lu free blocks empty, %lu at set-up",
					za_zone_names[z], o,
					zone->free_area[o].nr_free,
					mt->nr_free0[z][o]);
	}
	mt->epochs_ok++;
}

static unsigned long mt_managed;

static unsigned long mt_used(void)
{
	unsigned long n = 0;
	int z;

	for (z = 0; z < ZA_NR_ZONES; z++)
		n += mt->alloc_pages[z];
	return n;
}

static void mt_setup(u64 seed, bool pcp)
{
	unsigned int i;
	int z, o, ret;

	mt = calloc(1, sizeof(*mt));
	mt->rng = seed ? seed : 1;
	mt->max_blocks = 1024;
	mt->blocks = calloc(mt->max_blocks, sizeof(*mt->blocks));
	mt->free_ids = calloc(mt->max_blocks, sizeof(*mt->free_ids));
	mt->live = calloc(mt->max_blocks, sizeof(*mt->live));
	mt->live_pos = calloc(mt->max_blocks, sizeof(*mt->live_pos));
	mt->own = calloc(MT_MEMMAP, sizeof(*mt->own));
	host_memmap_init(MT_MEMMAP);

	za_pcp_module_init();
	mt->pool = za_pool_create("host-model");
	mt->pool->pcp_enabled = pcp;
	for (i = 0; i < ARRAY_SIZE(mt_layout); i++) {
		ret = za_pool_add_range(mt->pool, mt_layout[i][0],
					mt_layout[i][1], mt_layout[i][2]);
		HT_EXPECT(!ret, "add range %u: %d", i, ret);
	}
	ret = za_pool_setup(mt->pool);
	HT_EXPECT(!ret, "setup: %d", ret);
	mt->pool->migrate_ops = &mt_ops;
	ret = za_kcompactd_run(mt->pool);
	HT_EXPECT(!ret, "kcompactd: %d", ret);
	za_global_pool = mt->pool;
	host_schedule_hook = mt_schedule_hook;
	mt_managed = 0;
	for (z = 0; z < ZA_NR_ZONES; z++)
		mt_managed += mt->pool->zones[z].managed_pages;
	for (z = 0; z < ZA_NR_ZONES; z++)
		for (o = 0; o <= ZA_MAX_ORDER; o++)
			mt->nr_free0[z][o] = mt->pool->zones[z].free_area[o].nr_free;
	snprintf(mt->last, sizeof(mt->last), "set-up");
	mt_check();
}

static void mt_teardown(bool failed)
{
	unsigned long out;

	za_global_pool = NULL;
	za_kcompactd_stop(mt->pool);
	host_kthread_forget();
	out = za_pool_destroy(mt->pool);
	/* After a failure the run stopped with blocks out: nothing to add. */
	if (!failed)
		HT_EXPECT(out == 0, "%lu pages outstanding at destroy", out);
	host_module_refs = 0;
	za_pcp_module_exit();
	free(mt->blocks);
	free(mt->free_ids);
	free(mt->live);
	free(mt->live_pos);
	free(mt->own);
	free(mt);
	mt = NULL;
	host_schedule_hook = NULL;
}

static void op_drain(unsigned long r)
{
	int cpu = ht_below(&mt->rng, host_nr_cpus);

	if (r < 700) {
		snprintf(mt->last, sizeof(mt->last), "drain cpu %d", cpu);
		za_pcp_drain_cpu(mt->pool, cpu);
	} else if (r < 705) {
		snprintf(mt->last, sizeof(mt->last), "drain all");
		za_pcp_drain_all(mt->pool);
	} else if (r < 760) {
		host_cpu = cpu;
	} else {
		snprintf(mt->last, sizeof(mt->last), "cpu %d dead", cpu);
		host_cpu_dead(cpu);
	}
}

/* One random operation; allocations dominate while the pool fills. */
static void mt_step(unsigned long r, bool fill)
{
	if (r < (fill ? 600 : 250))
		op_alloc(r % 8 == 0);
	else if (r < 640)
		op_free();
	else if (r < 660)
		op_bulk();
	else if (r < 670)
		op_bulk_free();
	else if (r < 680)
		op_bad_free();
	else if (r < 763)
		op_drain(r);
	else if (r < 775)
		op_isolate();
	else if (r < 790)
		op_undo_isolate();
	else if (r < 796)
		op_compact();
	else if (r < 798)
		op_contig();
	else if (r < 800)
		op_kcompactd();
	else if (r < 810)
		op_pin();
	else if (r < 820)
		op_pcp_busy();
	else if (fill)
		op_alloc(r % 8 == 0);
	else
		op_free();
}

static void mt_run(unsigned long ops, bool pcp)
{
	unsigned long epoch = max(ops / MT_EPOCHS, 1UL);
	unsigned long failures = ht_failures;
	unsigned long highatomic = 0, steals = 0, fallbacks = 0;
	double t0 = ht_now();
	int z;

	mt_setup(ht_seed, pcp);
	ht_info("seed %#llx, %lu operations, check every %d",
		(unsigned long long)ht_seed, ops, MT_CHECK_EVERY);
	for (mt->op = 1; mt->op <= ops && ht_failures == failures; mt->op++) {
		unsigned long r = ht_below(&mt->rng, 1000);
		/* Each epoch keeps the pool at its own fill level, to full. */
		unsigned long target = 50 + (mt->op / epoch) * 60 / MT_EPOCHS;
		bool fill = mt_used() * 100 < target * mt_managed;

		mt_step(r, fill);
		if (ht_failures != failures)
			break;
		mt->used_sum += mt_used();
		if (mt->op % MT_CHECK_EVERY == 0)
			mt_check();
		if (mt->op % epoch == 0)
			mt_epoch_end();
	}
	if (ht_failures == failures)
		mt_epoch_end();
	for (z = 0; z < ZA_NR_ZONES; z++) {
		struct za_zone *zone = &mt->pool->zones[z];

		highatomic += za_zone_events(zone, highatomic_reserved);
		steals += za_zone_events(zone, steals);
		fallbacks += za_zone_events(zone, fallbacks);
	}
	ht_info("%lu highatomic reservations, %lu fallbacks, %lu pageblocks claimed, %lu kcompactd runs, %lu NOFAIL waits",
		highatomic, fallbacks, steals, mt->kcompactd_runs,
		host_schedules);
	ht_info("%lu ops in %.1fs: %lu allocations (%lu failed), %lu frees, %lu moves, %lu compactions, %lu contiguous, %lu isolations, %lu checks, %lu empty-pool checks; pool %lu%% full on average",
		mt->op - 1, ht_now() - t0, mt->allocs, mt->alloc_fails,
		mt->frees, mt->moves, mt->compactions, mt->contigs,
		mt->isolations, mt->checks, mt->epochs_ok,
		mt->used_sum * 100 / max(mt->op - 1, 1UL) / mt_managed);
	if (ht_failures != failures)
		ht_info("failed at operation %lu; replay: hosttest -s %#llx -n %lu %s",
			mt->op, (unsigned long long)ht_seed, ht_ops,
			pcp ? "model" : "model-nopcp");
	mt_teardown(ht_failures != failures);
}

void model_test(void)
{
	mt_run(ht_ops, true);
}

/* The same without per-CPU lists, a fifth as long. */
void model_nopcp_test(void)
{
	mt_run(max(ht_ops / 5, 1UL), false);
}
