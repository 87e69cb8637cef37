// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for compaction and migration. A test owner registers
 * migrate_ops on a private pool: it tracks its blocks in an array, fills
 * every page with a pattern derived from the block and the run's seed, and
 * moves blocks per the contract of migrate.h. Cases cover migration itself,
 * the scanners, suitability, deferral, capture, kcompactd (woken and
 * proactive), contiguous allocation over isolated pageblocks, and the
 * fragmentation target: after filling a pool with movable pages and
 * freeing three of every four, one sync compaction must let order-9
 * allocations succeed for at least 95% of the blocks the free memory could
 * form. The invariant checker runs after every compaction.
 */

#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/prandom.h>
#include <linux/slab.h>
#include <zonealloc.h>

#include "alloc.h"
#include "buddy.h"
#include "compaction.h"
#include "contig.h"
#include "migrate.h"
#include "pcp.h"
#include "pool.h"
#include "test_pool.h"
#include "vmstat.h"

#define MOVABLE_GFP	(ZONEALLOC_GFP_MOVABLE | ZONEALLOC_GFP_NORETRY | \
			 ZONEALLOC_GFP_NOWARN)

struct tblock {
	struct za_page *zp;
	unsigned int order;
	bool live;
	bool pinned;
};

/**
 * struct towner - a test owner of movable blocks.
 * @lock: protects @blocks, @nr and the block each entry refers to; the
 *	move callback takes it as the real owner takes its file lock.
 * @blocks: its blocks; the owner cookie of entry i is i + 1.
 * @nr: entries used.
 * @max: entries allocated.
 * @moves: blocks moved so far.
 * @pool: the pool.
 * @nr_batches: batches handed to towner_move_batch() (with towner_batch_ops).
 * @batch_pages: pages in each of the first %TOWNER_BATCHES batches.
 * @first_dst: destination pfns of the first batch.
 * @first_src: source pfns of the first batch.
 * @nr_first: entries of @first_dst.
 */
struct towner {
	struct mutex lock;	/* see above */
	struct tblock *blocks;
	unsigned int nr;
	unsigned int max;
	atomic_t moves;
	struct za_pool *pool;
	unsigned int nr_batches;
#define TOWNER_BATCHES	64
	unsigned int batch_pages[TOWNER_BATCHES];
	unsigned long first_dst[ZA_MIGRATE_BATCH_MAX];
	unsigned long first_src[ZA_MIGRATE_BATCH_MAX];
	unsigned int nr_first;
};

static int towner_move(struct za_pool *pool, unsigned long owner,
		       struct za_page *src, struct za_page *dst,
		       unsigned int order, enum za_migrate_mode mode)
{
	struct towner *to = pool->migrate_priv;
	unsigned long idx = owner - 1;
	struct tblock *b;
	int ret;

	if (mode == ZA_MIGRATE_ASYNC) {
		if (!mutex_trylock(&to->lock))
			return -EAGAIN;
	} else {
		mutex_lock(&to->lock);
	}
	b = idx < to->nr ? &to->blocks[idx] : NULL;
	if (!b || !b->live || b->zp != src || b->order != order) {
		ret = -ENOENT;
	} else if (b->pinned) {
		ret = -EBUSY;
	} else {
		za_migrate_copy(dst, src, order);
		WRITE_ONCE(dst->owner, owner);
		WRITE_ONCE(src->owner, 0);
		b->zp = dst;
		atomic_inc(&to->moves);
		ret = 0;
	}
	mutex_unlock(&to->lock);
	return ret;
}

static const struct za_migrate_ops towner_ops = {
	.move = towner_move,
};

/* A batch is recorded, then moved block by block. */
static void towner_move_batch(struct za_pool *pool,
			      struct za_migrate_req *reqs, unsigned int nr,
			      enum za_migrate_mode mode)
{
	struct towner *to = pool->migrate_priv;
	unsigned int i, pages = 0;

	for (i = 0; i < nr; i++)
		pages += 1U << reqs[i].order;
	mutex_lock(&to->lock);
	if (!to->nr_batches) {
		for (i = 0; i < nr; i++) {
			to->first_dst[i] = reqs[i].dst->pfn;
			to->first_src[i] = reqs[i].src->pfn;
		}
		to->nr_first = nr;
	}
	if (to->nr_batches < TOWNER_BATCHES)
		to->batch_pages[to->nr_batches] = pages;
	to->nr_batches++;
	mutex_unlock(&to->lock);
	for (i = 0; i < nr; i++)
		if (reqs[i].result == -EINPROGRESS)
			reqs[i].result = towner_move(pool, reqs[i].owner,
						     reqs[i].src, reqs[i].dst,
						     reqs[i].order, mode);
}

static const struct za_migrate_ops towner_batch_ops = {
	.move = towner_move,
	.move_batch = towner_move_batch,
};

static void towner_release(void *arg)
{
	struct towner *to = arg;

	WRITE_ONCE(to->pool->migrate_ops, NULL);
	to->pool->migrate_priv = NULL;
	kvfree(to->blocks);
	mutex_destroy(&to->lock);
	kfree(to);
}

static struct towner *towner_create(struct kunit *test,
				    struct za_pool *pool,
				    unsigned int max)
{
	struct towner *to = kzalloc(sizeof(*to), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, to);
	to->blocks = kvcalloc(max, sizeof(*to->blocks), GFP_KERNEL);
	if (!to->blocks) {
		kfree(to);
		KUNIT_FAIL_AND_ABORT(test, "no memory for %u blocks", max);
	}
	mutex_init(&to->lock);
	to->max = max;
	to->pool = pool;
	pool->migrate_priv = to;
	WRITE_ONCE(pool->migrate_ops, &towner_ops);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, towner_release,
							to), 0);
	return to;
}

static u32 tpattern(unsigned int idx, unsigned long page, unsigned int word)
{
	return (idx * 2654435761U) ^ (page << 20) ^ (word * 40503U) ^
	       za_test_seed();
}

static void tfill(struct za_page *zp, unsigned int order, unsigned int idx)
{
	unsigned long i;
	unsigned int w;

	for (i = 0; i < (1UL << order); i++) {
		u32 *p = page_address(pfn_to_page(zp->pfn + i));

		for (w = 0; w < PAGE_SIZE / sizeof(u32); w++)
			p[w] = tpattern(idx, i, w);
	}
}

static bool tverify(struct za_page *zp, unsigned int order, unsigned int idx)
{
	unsigned long i;
	unsigned int w;

	for (i = 0; i < (1UL << order); i++) {
		u32 *p = page_address(pfn_to_page(zp->pfn + i));

		for (w = 0; w < PAGE_SIZE / sizeof(u32); w++)
			if (p[w] != tpattern(idx, i, w))
				return false;
	}
	return true;
}

/* Allocate a block, fill it, then let compaction see its owner. */
static int towner_alloc(struct towner *to, u32 gfp, unsigned int order)
{
	struct za_page *zp;
	unsigned int idx;

	if (to->nr == to->max)
		return -ENOSPC;
	zp = za_alloc_pages(to->pool, gfp, order);
	if (IS_ERR(zp))
		return PTR_ERR(zp);
	tfill(zp, order, to->nr);
	mutex_lock(&to->lock);
	idx = to->nr++;
	to->blocks[idx] = (struct tblock){ .zp = zp, .order = order,
					   .live = true };
	za_page_set_owner(zp, idx + 1);
	mutex_unlock(&to->lock);
	return idx;
}

static void towner_free(struct kunit *test, struct towner *to,
			unsigned int idx)
{
	struct tblock *b = &to->blocks[idx];

	mutex_lock(&to->lock);
	KUNIT_EXPECT_TRUE(test, b->live);
	if (b->live) {
		KUNIT_EXPECT_EQ(test, za_free_pages(to->pool, b->zp, b->order),
				0);
		b->live = false;
	}
	mutex_unlock(&to->lock);
}

/* Every live block still holds its pattern and names its owner. */
static void towner_verify(struct kunit *test, struct towner *to,
			  const char *when)
{
	unsigned int i, bad = 0;

	mutex_lock(&to->lock);
	for (i = 0; i < to->nr; i++) {
		struct tblock *b = &to->blocks[i];

		if (!b->live)
			continue;
		if (za_page_state(b->zp) != ZA_PAGE_ALLOC ||
		    za_page_order(b->zp) != b->order ||
		    za_page_owner(b->zp) != i + 1 ||
		    !tverify(b->zp, b->order, i)) {
			if (!bad)
				KUNIT_FAIL(test, "%s: block %u (pfn %#lx) lost its content",
					   when, i, b->zp->pfn);
			bad++;
		}
	}
	mutex_unlock(&to->lock);
	KUNIT_EXPECT_EQ_MSG(test, bad, 0U, "%s: content mismatches", when);
}

static void towner_set_pinned(struct towner *to, bool pinned)
{
	unsigned int i;

	mutex_lock(&to->lock);
	for (i = 0; i < to->nr; i++)
		to->blocks[i].pinned = pinned;
	mutex_unlock(&to->lock);
}

/*
 * The fragmenting workload: fill the pool with movable order-0 pages,
 * then free three of every four (by pfn), so every pageblock keeps some.
 */
static void fragment(struct kunit *test, struct towner *to)
{
	unsigned int i, nr;

	while (towner_alloc(to, MOVABLE_GFP, 0) >= 0)
		;
	nr = to->nr;
	KUNIT_ASSERT_GT(test, nr, 0U);
	for (i = 0; i < nr; i++)
		if ((to->blocks[i].zp->pfn & 3) != 3)
			towner_free(test, to, i);
	za_pcp_drain_all(to->pool);
	za_test_check(test, to->pool, "after fragmenting");
}

#define ZSTAT(zone, name) za_zone_events(zone, name)

static unsigned long free_pageblocks(struct za_zone *zone)
{
	return zone->free_area[ZA_PAGEBLOCK_ORDER].nr_free +
	       (zone->free_area[ZA_MAX_ORDER].nr_free <<
		(ZA_MAX_ORDER - ZA_PAGEBLOCK_ORDER));
}

static bool pageblock_is_free(struct za_pool *pool,
			      struct za_page *head)
{
	struct za_page *zp;

	if (za_page_state(head) == ZA_PAGE_FREE)
		return head->order >= ZA_PAGEBLOCK_ORDER;
	zp = za_pfn_to_page(pool, head->pfn & ~((1UL << ZA_MAX_ORDER) - 1));
	return zp && zp != head && za_page_state(zp) == ZA_PAGE_FREE &&
	       zp->order == ZA_MAX_ORDER;
}

static void zonealloc_compaction_migrate_block(struct kunit *test)
{
	static const unsigned int layout[ZA_NR_ZONES] = { [ZA_ZONE_NORMAL] = 4 };
	struct za_pool *pool = za_test_pool(test, layout, false);
	struct za_zone *zone = &pool->zones[ZA_ZONE_NORMAL];
	struct towner *to = towner_create(test, pool, 64);
	unsigned long moved = 0;
	struct za_page *dst, *src;
	unsigned int i;
	int idx;

	for (i = 0; i < 16; i++)
		KUNIT_ASSERT_GE(test, towner_alloc(to, MOVABLE_GFP, i % 4), 0);
	for (i = 0; i < 16; i++) {
		struct tblock *b = &to->blocks[i];

		dst = za_alloc_pages(pool, MOVABLE_GFP, b->order);
		KUNIT_ASSERT_FALSE(test, IS_ERR(dst));
		src = b->zp;
		KUNIT_ASSERT_EQ_MSG(test, za_migrate_block(pool, src, i + 1, dst,
							   b->order,
							   ZA_MIGRATE_SYNC),
				    0, "block %u order %u", i, b->order);
		KUNIT_EXPECT_PTR_EQ(test, b->zp, dst);
		KUNIT_EXPECT_EQ(test, dst->owner, (unsigned long)i + 1);
		/* Moved: the source is still allocated, for the caller. */
		KUNIT_EXPECT_EQ(test, za_page_state(src), (u8)ZA_PAGE_ALLOC);
		KUNIT_EXPECT_EQ(test, za_free_pages(pool, src, b->order), 0);
		moved += 1UL << b->order;
	}
	towner_verify(test, to, "after moving every block");
	KUNIT_EXPECT_EQ(test, ZSTAT(zone, pgmigrate_success), (long)moved);

	/* Pinned: refused, nothing changes. */
	idx = 5;
	to->blocks[idx].pinned = true;
	src = to->blocks[idx].zp;
	dst = za_alloc_pages(pool, MOVABLE_GFP, to->blocks[idx].order);
	KUNIT_ASSERT_FALSE(test, IS_ERR(dst));
	KUNIT_EXPECT_EQ(test, za_migrate_block(pool, src, idx + 1, dst,
					       to->blocks[idx].order,
					       ZA_MIGRATE_SYNC), -EBUSY);
	KUNIT_EXPECT_PTR_EQ(test, to->blocks[idx].zp, src);
	KUNIT_EXPECT_EQ(test, ZSTAT(zone, pgmigrate_fail),
			1L << to->blocks[idx].order);
	/* A stale pick (the block is not where compaction saw it). */
	KUNIT_EXPECT_EQ(test, za_migrate_block(pool, dst, idx + 1, src,
					       to->blocks[idx].order,
					       ZA_MIGRATE_ASYNC), -ENOENT);
	/* No owner cookie: never movable. */
	KUNIT_EXPECT_EQ(test, za_migrate_block(pool, src, 0, dst,
					       to->blocks[idx].order,
					       ZA_MIGRATE_ASYNC), -EBUSY);
	KUNIT_EXPECT_EQ(test, za_free_pages(pool, dst, to->blocks[idx].order),
			0);
	towner_verify(test, to, "after refused moves");
	za_test_check(test, pool, "after migrations");
}

static void zonealloc_compaction_scanners_meet(struct kunit *test)
{
	static const unsigned int layout[ZA_NR_ZONES] = { [ZA_ZONE_NORMAL] = 8 };
	struct za_pool *pool = za_test_pool(test, layout, true);
	struct za_zone *zone = &pool->zones[ZA_ZONE_NORMAL];
	struct towner *to = towner_create(test, pool, 8 * ZA_PAGEBLOCK_PAGES);
	unsigned long migrated, used, scanned, pb, busy = 0, need;
	unsigned int c;

	fragment(test, to);
	KUNIT_EXPECT_EQ(test, free_pageblocks(zone), 0UL);
	KUNIT_ASSERT_EQ(test, za_compact(pool, -1, -1, ZA_MIGRATE_SYNC,
					 &migrated), 0);
	za_test_check(test, pool, "after full compaction");
	towner_verify(test, to, "after full compaction");
	KUNIT_EXPECT_GT(test, migrated, 0UL);
	KUNIT_EXPECT_EQ(test, (unsigned long)atomic_read(&to->moves),
			migrated);

	/* Each page is looked at by one scanner at most: they met once. */
	scanned = ZSTAT(zone, compact_migrate_scanned) +
		  ZSTAT(zone, compact_free_scanned);
	KUNIT_EXPECT_LE(test, scanned, zone->managed_pages);
	KUNIT_EXPECT_EQ(test, zone->compact_cached_free_pfn, 0UL);

	/* What is left is packed in at most one more pageblock than needed. */
	used = za_pool_allocated_pages(pool);
	need = DIV_ROUND_UP(used, ZA_PAGEBLOCK_PAGES);
	for (c = 0; c < pool->nr_chunks; c++) {
		struct za_chunk *chunk = &pool->chunks[c];

		for (pb = 0; pb < chunk->nr_pages; pb += ZA_PAGEBLOCK_PAGES)
			if (!pageblock_is_free(pool, &chunk->pages[pb]))
				busy++;
	}
	kunit_info(test, "%lu pages left in %lu pageblocks (%lu needed), %lu migrated, %lu scanned\n",
		   used, busy, need, migrated, scanned);
	KUNIT_EXPECT_LE(test, busy, need + 1);
}

static void zonealloc_compaction_suitable(struct kunit *test)
{
	static const unsigned int layout[ZA_NR_ZONES] = { [ZA_ZONE_NORMAL] = 4 };
	struct za_pool *pool = za_test_pool(test, layout, false);
	struct za_zone *zone = &pool->zones[ZA_ZONE_NORMAL];
	struct towner *to = towner_create(test, pool, 8 * ZA_PAGEBLOCK_PAGES);
	unsigned int saved = za_extfrag_threshold;

	/* A free block exists: the index is -1000, never "lack of memory". */
	KUNIT_EXPECT_TRUE(test, za_compaction_suitable(zone, 9, ZA_ZONE_NORMAL));

	fragment(test, to);
	KUNIT_EXPECT_TRUE(test, za_compaction_suitable(zone, 9, ZA_ZONE_NORMAL));
	za_extfrag_threshold = 1000;
	KUNIT_EXPECT_FALSE(test, za_compaction_suitable(zone, 9,
							ZA_ZONE_NORMAL));
	/* Non-costly orders ignore the fragmentation index. */
	KUNIT_EXPECT_TRUE(test, za_compaction_suitable(zone, 2, ZA_ZONE_NORMAL));
	za_extfrag_threshold = saved;

	/* Too little free memory above the low watermark for order 9. */
	while (towner_alloc(to, MOVABLE_GFP, 0) >= 0)
		;
	KUNIT_EXPECT_FALSE(test, za_compaction_suitable(zone, 9,
							ZA_ZONE_NORMAL));
	/* An explicit request still runs, and cannot make the block. */
	KUNIT_EXPECT_EQ(test, za_compact(pool, ZA_ZONE_NORMAL, 9,
					 ZA_MIGRATE_SYNC, NULL), -EAGAIN);
	za_test_check(test, pool, "after compaction with no memory");
	towner_verify(test, to, "after compaction with no memory");
}

/* The zone's pageblock heads in pfn order (chunks may lie anywhere). */
static unsigned int pageblock_heads(struct za_pool *pool,
				    struct za_page **heads, unsigned int max)
{
	unsigned int c, n = 0, i, j;
	unsigned long pb;

	for (c = 0; c < pool->nr_chunks; c++)
		for (pb = 0; pb < pool->chunks[c].nr_pages && n < max;
		     pb += ZA_PAGEBLOCK_PAGES)
			heads[n++] = &pool->chunks[c].pages[pb];
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			if (heads[j]->pfn < heads[i]->pfn)
				swap(heads[i], heads[j]);
	return n;
}

/*
 * Fill a pool with movable blocks of @order and free three of every four:
 * each pageblock keeps 128 pages.
 */
static void fragment_order(struct kunit *test, struct towner *to,
			   unsigned int order)
{
	unsigned int i, nr;

	while (towner_alloc(to, MOVABLE_GFP, order) >= 0)
		;
	nr = to->nr;
	KUNIT_ASSERT_GT(test, nr, 0U);
	for (i = 0; i < nr; i++)
		if (((to->blocks[i].zp->pfn >> order) & 3) != 3)
			towner_free(test, to, i);
	za_pcp_drain_all(to->pool);
}

/*
 * COMPACT_CLUSTER_MAX batches. 6.12's isolate_migratepages_block() stops
 * isolating once cc->nr_migratepages (pages, not folios) reaches
 * COMPACT_CLUSTER_MAX, 32; isolate_migratepages() returns after the first
 * pageblock that gave any; compact_zone() hands that list to one
 * migrate_pages() call. So a pageblock whose movable blocks hold P pages
 * gives P / 32 batches of 32 pages and one of P % 32 if that is not 0,
 * pageblocks in pfn order (the migrate scanner's), whatever the blocks'
 * order (32 blocks of order 0, 8 of order 2); the last batch may be cut
 * short when the free scanner runs out. Each batch is one call of the
 * owner's move_batch.
 */
static void zonealloc_compaction_cluster_batches(struct kunit *test)
{
	static const unsigned int layout[ZA_NR_ZONES] = { [ZA_ZONE_NORMAL] = 4 };
	unsigned int order;

	for (order = 0; order <= 2; order += 2) {
		struct za_pool *pool = za_test_pool(test, layout, false);
		struct towner *to = towner_create(test, pool,
						  4 * ZA_PAGEBLOCK_PAGES);
		unsigned int expect[TOWNER_BATCHES], nr_expect = 0;
		unsigned long migrated, pages = 0;
		struct za_page *heads[4];
		unsigned int i, nr, b;

		WRITE_ONCE(pool->migrate_ops, &towner_batch_ops);
		fragment_order(test, to, order);
		KUNIT_ASSERT_EQ(test, pageblock_heads(pool, heads, 4), 4U);
		for (b = 0; b < 4; b++) {
			unsigned int p = 0;

			for (i = 0; i < to->nr; i++)
				if (to->blocks[i].live &&
				    to->blocks[i].zp->pfn - heads[b]->pfn <
				    ZA_PAGEBLOCK_PAGES)
					p += 1U << order;
			for (; p && nr_expect < TOWNER_BATCHES; p -= min(p, 32U))
				expect[nr_expect++] = min(p, 32U);
		}
		KUNIT_ASSERT_EQ(test, za_compact(pool, ZA_ZONE_NORMAL, -1,
						 ZA_MIGRATE_SYNC, &migrated), 0);
		za_test_check(test, pool, "after batched compaction");
		towner_verify(test, to, "after batched compaction");
		nr = min_t(unsigned int, to->nr_batches, TOWNER_BATCHES);
		KUNIT_ASSERT_GT(test, nr, 0U);
		KUNIT_ASSERT_LT(test, to->nr_batches, TOWNER_BATCHES);
		KUNIT_ASSERT_LE(test, nr, nr_expect);
		for (i = 0; i < nr; i++) {
			pages += to->batch_pages[i];
			if (i + 1 < nr)
				KUNIT_EXPECT_EQ_MSG(test, to->batch_pages[i],
						    expect[i], "order %u batch %u",
						    order, i);
			else
				KUNIT_EXPECT_LE(test, to->batch_pages[i],
						expect[i]);
		}
		/* Every page handed over was moved (destinations taken first). */
		KUNIT_EXPECT_EQ(test, pages, migrated);
		KUNIT_EXPECT_EQ(test, (unsigned long)atomic_read(&to->moves) << order,
				migrated);
		kunit_info(test, "order %u: %lu pages moved in %u batches\n",
			   order, migrated, to->nr_batches);
	}
}

static unsigned int pageblocks_skipped(struct za_pool *pool)
{
	unsigned int c, n = 0;
	unsigned long i;

	for (c = 0; c < pool->nr_chunks; c++)
		for (i = 0; i < pool->chunks[c].nr_pages;
		     i += ZA_PAGEBLOCK_PAGES)
			n += READ_ONCE(pool->chunks[c].pages[i].pb_skip);
	return n;
}

/* Sync-light direct compaction of the Normal zone for order 9. */
static struct za_page *direct_compact(struct za_pool *pool,
				      enum za_compact_result *result)
{
	return za_try_to_compact_pages(pool, 0, false, ZA_PAGEBLOCK_ORDER,
				       ZA_ALLOC_WMARK_MIN, ZA_ZONE_NORMAL,
				       ZA_MIGRATE_MOVABLE,
				       ZA_COMPACT_PRIO_SYNC_LIGHT, result);
}

/* Pageblocks with nothing to move are marked and passed over next time. */
static void zonealloc_compaction_skip_hints(struct kunit *test)
{
	static const unsigned int layout[ZA_NR_ZONES] = { [ZA_ZONE_NORMAL] = 4 };
	struct za_pool *pool = za_test_pool(test, layout, false);
	struct za_zone *zone = &pool->zones[ZA_ZONE_NORMAL];
	struct za_page **held;
	enum za_compact_result result;
	unsigned int nr = 0, i;
	long scanned;

	towner_create(test, pool, 1);
	held = kunit_kcalloc(test, 4 * ZA_PAGEBLOCK_PAGES, sizeof(*held),
			     GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, held);
	/* Unmovable pages (no owner) in every pageblock. */
	for (;;) {
		struct za_page *zp = za_alloc_pages(pool, ZONEALLOC_GFP_NORETRY |
						    ZONEALLOC_GFP_NOWARN, 0);

		if (IS_ERR(zp))
			break;
		held[nr++] = zp;
	}
	for (i = 0; i < nr; i++)
		if ((held[i]->pfn & 3) != 3)
			KUNIT_EXPECT_EQ(test, za_free_pages(pool, held[i], 0), 0);

	KUNIT_EXPECT_NULL(test, direct_compact(pool, &result));
	KUNIT_EXPECT_EQ(test, result, ZA_COMPACT_COMPLETE);
	KUNIT_EXPECT_EQ(test, pageblocks_skipped(pool), 4U);
	KUNIT_EXPECT_TRUE(test, zone->compact_blockskip_flush);
	KUNIT_EXPECT_EQ(test, zone->compact_defer_shift, 1U);
	za_test_check(test, pool, "after a failed compaction");

	/* Hints kept: the next compaction scans nothing. */
	zone->compact_blockskip_flush = false;
	za_compaction_defer_reset(zone, ZA_PAGEBLOCK_ORDER, true);
	scanned = ZSTAT(zone, compact_migrate_scanned);
	KUNIT_EXPECT_NULL(test, direct_compact(pool, &result));
	KUNIT_EXPECT_EQ(test, ZSTAT(zone, compact_migrate_scanned), scanned);

	/* A full compaction ignores them and leaves them alone. */
	zone->compact_blockskip_flush = false;
	KUNIT_EXPECT_EQ(test, za_compact(pool, ZA_ZONE_NORMAL, -1,
					 ZA_MIGRATE_SYNC, NULL), 0);
	KUNIT_EXPECT_GE(test, ZSTAT(zone, compact_migrate_scanned) - scanned,
			(long)zone->managed_pages);
	KUNIT_EXPECT_EQ(test, pageblocks_skipped(pool), 4U);

	/* A pending flush clears them before the next compaction. */
	zone->compact_blockskip_flush = true;
	za_compaction_defer_reset(zone, ZA_PAGEBLOCK_ORDER, true);
	scanned = ZSTAT(zone, compact_migrate_scanned);
	KUNIT_EXPECT_NULL(test, direct_compact(pool, &result));
	KUNIT_EXPECT_GE(test, ZSTAT(zone, compact_migrate_scanned) - scanned,
			(long)zone->managed_pages);
	za_test_check(test, pool, "after compactions with skip hints");
}

/*
 * Fill the @n pageblocks of the Normal zone (@heads, in pfn order) with
 * movable order-0 pages, with no watermarks so that every page is placed,
 * then free each page @free_it names by pageblock and offset.
 */
static void tlayout(struct kunit *test, struct towner *to,
		    struct za_page **heads, unsigned int n,
		    bool (*free_it)(unsigned int pb, unsigned long off))
{
	struct za_zone *zone = &to->pool->zones[ZA_ZONE_NORMAL];
	unsigned int i, b;

	KUNIT_ASSERT_EQ(test, pageblock_heads(to->pool, heads, n), n);
	for (i = 0; i < ZA_NR_WMARK; i++)
		zone->watermark[i] = 0;
	while (towner_alloc(to, MOVABLE_GFP, 0) >= 0)
		;
	KUNIT_ASSERT_EQ(test, to->nr, n * ZA_PAGEBLOCK_PAGES);
	for (i = 0; i < to->nr; i++) {
		unsigned long pfn = to->blocks[i].zp->pfn;

		for (b = 0; b < n; b++)
			if (pfn - heads[b]->pfn < ZA_PAGEBLOCK_PAGES)
				break;
		KUNIT_ASSERT_LT(test, b, n);
		if (free_it(b, pfn - heads[b]->pfn))
			towner_free(test, to, i);
	}
	za_pcp_drain_all(to->pool);
	za_test_check(test, to->pool, "after the layout");
}

/* Sync-light direct compaction of the Normal zone for @order (movable). */
static struct za_page *direct_compact_order(struct za_pool *pool,
					    unsigned int order,
					    enum za_compact_result *result)
{
	return za_try_to_compact_pages(pool, 0, false, order,
				       ZA_ALLOC_WMARK_MIN, ZA_ZONE_NORMAL,
				       ZA_MIGRATE_MOVABLE,
				       ZA_COMPACT_PRIO_SYNC_LIGHT, result);
}

/* Give back a block that compaction captured. */
static void free_captured(struct kunit *test, struct za_pool *pool,
			  struct za_page *zp, unsigned int order)
{
	struct za_zone *zone = &pool->zones[ZA_ZONE_NORMAL];
	unsigned long flags;

	spin_lock_irqsave(&zone->lock, flags);
	za_free_one_page(zone, zp, order, za_get_pageblock_mt(zp));
	spin_unlock_irqrestore(&zone->lock, flags);
	za_test_check(test, pool, "after a capture");
}

static bool skip_every_free(unsigned int b, unsigned long off)
{
	return (b == 0 && off % 16) || (b == 3 && !(off % 32));
}

/*
 * Skip marks on every scanned pageblock, as 6.12. Pageblocks b0..b3 in
 * pfn order (P0..P3): b0 keeps one movable page in 16 (32 pages), b1 and
 * b2 are full, b3 has 16 single free pages. Direct compaction for order 4
 * (none free), worked by hand from 6.12:
 * - the migrate scanner isolates 32 pages in b0 (offsets 0..496, so
 *   migrate_pfn = P0 + 497), and test_and_set_skip() marks b0 at the first;
 * - fast_isolate_freepages() (scan_start) finds a b3 page on the order-0
 *   list (b3 is above low_pfn) and fast_isolate_around() takes b3's 16
 *   pages, scanning it whole: marked;
 * - 16 pages short, the next search finds nothing above min_pfn =
 *   pageblock_start((P3 + P0 + 497) / 2), which lies in b1 or in a hole
 *   above it, never in b2 (P3 - P2 = 512 < distance / 2). Direct
 *   compaction is pessimistic: free_pfn = min_pfn, fast_isolate_around()
 *   scans b1 if min_pfn is b1, marking it; else the linear scan from
 *   min_pfn down reaches b1 and marks it (update_pageblock_skip()). b2,
 *   above the restart point, is never scanned: not marked.
 * The 16 moves that find a destination free b0's first 16-page ranges,
 * and the first one forms the order-4 block that is captured.
 */
static void zonealloc_compaction_skip_every_block(struct kunit *test)
{
	static const unsigned int layout[ZA_NR_ZONES] = { [ZA_ZONE_NORMAL] = 4 };
	struct za_pool *pool = za_test_pool(test, layout, false);
	struct za_zone *zone = &pool->zones[ZA_ZONE_NORMAL];
	struct towner *to = towner_create(test, pool, 4 * ZA_PAGEBLOCK_PAGES);
	enum za_compact_result result;
	struct za_page *zp, *heads[4];
	unsigned int b;

	tlayout(test, to, heads, 4, skip_every_free);
	KUNIT_ASSERT_EQ(test, pageblocks_skipped(pool), 0U);
	KUNIT_ASSERT_EQ(test, zone->free_pages, 480UL + 16);

	zp = direct_compact_order(pool, 4, &result);
	KUNIT_ASSERT_NOT_NULL(test, zp);
	KUNIT_EXPECT_EQ(test, result, ZA_COMPACT_SUCCESS);
	KUNIT_EXPECT_EQ(test, zp->pfn, heads[0]->pfn);
	KUNIT_EXPECT_EQ(test, (unsigned int)atomic_read(&to->moves), 16U);
	for (b = 0; b < 4; b++)
		KUNIT_EXPECT_EQ_MSG(test, heads[b]->pb_skip, b == 2 ? 0 : 1,
				    "pageblock %u", b);
	towner_verify(test, to, "after compaction with skip marks");
	free_captured(test, pool, zp, 4);
}

/*
 * The layout for fast_isolate_freepages(): in pageblock 0 all but one
 * page in 16 (32 movable pages to move, free blocks of orders 0-3); in
 * pageblock 2 the order-3 block at offset 256; in pageblock 3 the single
 * page at offset 500.
 */
static bool fast_isolate_free(unsigned int b, unsigned long off)
{
	return (b == 0 && off % 16) || (b == 2 && off >= 256 && off < 264) ||
	       (b == 3 && off == 500);
}

/*
 * fast_isolate_freepages(), worked by hand for fast_layout() and direct
 * compaction for order 4 (sync-light). The free scanner starts at the
 * zone's last pageblock, so scan_start holds and limit = 512 / 2. With
 * pageblocks b0..b3 at pfns P0..P3 in order (the zone may have holes,
 * the formulas take the pfns) and the migrate scanner past its 32nd
 * source (P0 + 497): distance = P3 - (P0 + 497), low_pfn =
 * pageblock_start(P3 - distance / 4), min_pfn = pageblock_start(P3 -
 * distance / 2). search_order = min(order - 1, order) = 3 first: the
 * order-3 list holds b0's 32 blocks and b2's one; from the tail, the
 * first at or above low_pfn (b2, when low_pfn <= P2) is taken; then
 * fast_isolate_around() scans the rest of b2 (nothing more), marking it.
 * 8 pages: isolate_freepages() returns without the linear scan, so the
 * first destinations are b2's 256..263 (compaction_alloc() splits the
 * order-3 block, lowest first), not b3's page 500 that the linear scan
 * from the top would have taken first.
 */
static void zonealloc_compaction_fast_isolate_freepages(struct kunit *test)
{
	static const unsigned int layout[ZA_NR_ZONES] = { [ZA_ZONE_NORMAL] = 4 };
	struct za_pool *pool = za_test_pool(test, layout, false);
	struct towner *to = towner_create(test, pool, 4 * ZA_PAGEBLOCK_PAGES);
	enum za_compact_result result;
	unsigned long distance, low_pfn;
	struct za_page *zp, *heads[4];
	unsigned int i;

	WRITE_ONCE(pool->migrate_ops, &towner_batch_ops);
	tlayout(test, to, heads, 4, fast_isolate_free);
	distance = heads[3]->pfn - (heads[0]->pfn + 497);
	low_pfn = ALIGN_DOWN(heads[3]->pfn - distance / 4, ZA_PAGEBLOCK_PAGES);
	/* The hand-worked case needs b2 in the top quarter. */
	if (low_pfn > heads[2]->pfn)
		kunit_skip(test, "pageblock 2 below low_pfn: chunks far apart");

	zp = direct_compact_order(pool, 4, &result);
	KUNIT_ASSERT_NOT_NULL(test, zp);
	KUNIT_ASSERT_GE(test, to->nr_first, 8U);
	for (i = 0; i < 8; i++)
		KUNIT_EXPECT_EQ_MSG(test, to->first_dst[i] - heads[2]->pfn,
				    256UL + i, "destination %u", i);
	KUNIT_EXPECT_EQ(test, READ_ONCE(heads[2]->pb_skip), 1);
	towner_verify(test, to, "after fast_isolate_freepages");
	free_captured(test, pool, zp, 4);
}

/*
 * fast_find_migrateblock(), worked by hand. Eight pageblocks b0..b7 (pfns
 * P0..P7 in order): all movable pages; b1 also has one free order-3 block
 * (offset 64); b2..b7 keep one page in four (free blocks of orders 0 and
 * 1 only). Direct compaction for order 9 (costly, movable): the migrate
 * scanner starts at the zone's start, so distance = (P7 - P0) / 2 and
 * high_pfn = pageblock_start(P0 + distance). Orders 8 down to 3 are
 * searched, head first, within freelist_scan_limit() = 32 + 1 entries;
 * the only block there is b1's, below high_pfn when P1 < high_pfn, and b1
 * is not marked skipped: the scan starts at b1, not b0. b1 is emptied
 * (504 pages moved into the top pageblocks) and captured, where a linear
 * scan would have emptied b0 (512 pages).
 */
static bool fast_find_free(unsigned int b, unsigned long off)
{
	return (b == 1 && off >= 64 && off < 72) || (b >= 2 && off % 4 != 3);
}

static void zonealloc_compaction_fast_find_migrateblock(struct kunit *test)
{
	static const unsigned int layout[ZA_NR_ZONES] = { [ZA_ZONE_NORMAL] = 8 };
	struct za_pool *pool = za_test_pool(test, layout, false);
	struct towner *to = towner_create(test, pool, 8 * ZA_PAGEBLOCK_PAGES);
	enum za_compact_result result;
	struct za_page *zp, *heads[8];
	unsigned long high_pfn;

	WRITE_ONCE(pool->migrate_ops, &towner_batch_ops);
	KUNIT_ASSERT_EQ(test, pageblock_heads(pool, heads, 8), 8U);
	high_pfn = ALIGN_DOWN(heads[0]->pfn + (heads[7]->pfn - heads[0]->pfn) / 2,
			      ZA_PAGEBLOCK_PAGES);
	if (heads[1]->pfn >= high_pfn)
		kunit_skip(test, "pageblock 1 above high_pfn: chunks far apart");
	tlayout(test, to, heads, 8, fast_find_free);

	zp = direct_compact_order(pool, ZA_PAGEBLOCK_ORDER, &result);
	KUNIT_ASSERT_NOT_NULL(test, zp);
	KUNIT_EXPECT_EQ(test, result, ZA_COMPACT_SUCCESS);
	KUNIT_EXPECT_EQ(test, zp->pfn, heads[1]->pfn);
	KUNIT_ASSERT_GT(test, to->nr_first, 0U);
	KUNIT_EXPECT_EQ(test, to->first_src[0], heads[1]->pfn);
	KUNIT_EXPECT_EQ(test, (unsigned int)atomic_read(&to->moves), 504U);
	towner_verify(test, to, "after fast_find_migrateblock");
	free_captured(test, pool, zp, ZA_PAGEBLOCK_ORDER);
}

/*
 * isolate_freepages()' stride, worked by hand. Four pageblocks b0..b3 in
 * pfn order, no watermarks, all movable pages; freed: b0 all but one page
 * in 16 (32 pages to move), b3 the pages at offsets 1 and 2, b2 the page
 * at offset 64, b1 the page at offset 5. An async full compaction (order
 * -1: no free-list search): the free scanner starts at b3 with stride
 * COMPACT_CLUSTER_MAX (32), so looks at offsets 0, 32, ..., 480 and finds
 * nothing; stride = min(32, 32 << 1) = 32. b2: offset 64 gives a page,
 * fewer than the 32 needed, so on with stride 1; b1: offset 5 gives a
 * page. The two moves go to b2 + 64 and b1 + 5, in that order; b3's pages
 * (a sync scan's first) stay free.
 */
static bool stride_free(unsigned int b, unsigned long off)
{
	return (b == 0 && off % 16) || (b == 1 && off == 5) ||
	       (b == 2 && off == 64) || (b == 3 && (off == 1 || off == 2));
}

static void zonealloc_compaction_async_stride(struct kunit *test)
{
	static const unsigned int layout[ZA_NR_ZONES] = { [ZA_ZONE_NORMAL] = 4 };
	struct za_pool *pool = za_test_pool(test, layout, false);
	struct towner *to = towner_create(test, pool, 4 * ZA_PAGEBLOCK_PAGES);
	struct za_page *heads[4];
	unsigned long migrated;
	int ret;

	WRITE_ONCE(pool->migrate_ops, &towner_batch_ops);
	tlayout(test, to, heads, 4, stride_free);

	/*
	 * -EAGAIN is possible after the moves: async compaction gives up
	 * on need_resched() when the rest of b0 gives nothing.
	 */
	ret = za_compact(pool, ZA_ZONE_NORMAL, -1, ZA_MIGRATE_ASYNC, &migrated);
	KUNIT_EXPECT_TRUE_MSG(test, !ret || ret == -EAGAIN, "ret %d", ret);
	KUNIT_EXPECT_EQ(test, migrated, 2UL);
	KUNIT_ASSERT_EQ(test, to->nr_first, 2U);
	KUNIT_EXPECT_EQ(test, to->first_dst[0], heads[2]->pfn + 64);
	KUNIT_EXPECT_EQ(test, to->first_dst[1], heads[1]->pfn + 5);
	KUNIT_EXPECT_EQ(test, za_page_state(heads[3] + 1), (u8)ZA_PAGE_FREE);
	KUNIT_EXPECT_EQ(test, za_page_state(heads[3] + 2), (u8)ZA_PAGE_FREE);
	towner_verify(test, to, "after async compaction");
	za_test_check(test, pool, "after async compaction");
}

static void zonealloc_compaction_defer_backoff(struct kunit *test)
{
	static const unsigned int layout[ZA_NR_ZONES] = { [ZA_ZONE_NORMAL] = 2 };
	struct za_pool *pool = za_test_pool(test, layout, false);
	struct za_zone *zone = &pool->zones[ZA_ZONE_NORMAL];
	unsigned int k, skipped;
	long deferrals;

	/* A success at 9 sets the failed order above it: never deferred. */
	za_compaction_defer_reset(zone, 9, true);
	KUNIT_EXPECT_EQ(test, zone->compact_order_failed, 10);
	KUNIT_EXPECT_FALSE(test, za_compaction_deferred(zone, 9));
	for (k = 1; k <= ZA_COMPACT_MAX_DEFER_SHIFT + 2; k++) {
		unsigned int shift = min_t(unsigned int, k,
					   ZA_COMPACT_MAX_DEFER_SHIFT);

		za_defer_compaction(zone, 9);
		KUNIT_EXPECT_EQ(test, zone->compact_defer_shift, shift);
		deferrals = ZSTAT(zone, deferrals);
		skipped = 0;
		while (za_compaction_deferred(zone, 9) && skipped < 1000)
			skipped++;
		KUNIT_EXPECT_EQ_MSG(test, skipped, (1U << shift) - 1,
				    "after %u deferrals", k);
		KUNIT_EXPECT_EQ(test, ZSTAT(zone, deferrals) - deferrals,
				(long)skipped);
	}
	/* Lower orders than the one that failed are never deferred. */
	KUNIT_EXPECT_EQ(test, zone->compact_order_failed, 9);
	KUNIT_EXPECT_FALSE(test, za_compaction_deferred(zone, 3));

	/* Success resets the backoff. */
	za_compaction_defer_reset(zone, 9, true);
	KUNIT_EXPECT_EQ(test, zone->compact_defer_shift, 0U);
	KUNIT_EXPECT_EQ(test, zone->compact_order_failed, 10);
	KUNIT_EXPECT_FALSE(test, za_compaction_deferred(zone, 9));
	KUNIT_EXPECT_FALSE(test, za_compaction_deferred(zone, 10));
}

/* Direct compaction fails on pinned blocks, backs off, then succeeds. */
static void zonealloc_compaction_defer_direct(struct kunit *test)
{
	static const unsigned int layout[ZA_NR_ZONES] = { [ZA_ZONE_NORMAL] = 4 };
	struct za_pool *pool = za_test_pool(test, layout, false);
	struct za_zone *zone = &pool->zones[ZA_ZONE_NORMAL];
	struct towner *to = towner_create(test, pool, 4 * ZA_PAGEBLOCK_PAGES);
	const u32 gfp = ZONEALLOC_GFP_MOVABLE | ZONEALLOC_GFP_NOWARN;
	struct za_page *zp = ERR_PTR(-ENOMEM);
	unsigned int tries;

	fragment(test, to);
	towner_set_pinned(to, true);
	zp = za_alloc_pages(pool, gfp, ZA_PAGEBLOCK_ORDER);
	KUNIT_EXPECT_TRUE(test, IS_ERR(zp));
	KUNIT_EXPECT_GE(test, ZSTAT(zone, compact_stall), 1L);
	KUNIT_EXPECT_GE(test, ZSTAT(zone, compact_fail), 1L);
	KUNIT_EXPECT_EQ(test, zone->compact_defer_shift, 1U);
	za_test_check(test, pool, "after failed direct compaction");
	towner_verify(test, to, "after failed direct compaction");

	towner_set_pinned(to, false);
	for (tries = 0; tries < 1U << ZA_COMPACT_MAX_DEFER_SHIFT; tries++) {
		zp = za_alloc_pages(pool, gfp, ZA_PAGEBLOCK_ORDER);
		if (!IS_ERR(zp))
			break;
	}
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(zp), "no order-9 block after %u tries",
			       tries);
	kunit_info(test, "order-9 allocation after %u retries, %ld deferrals\n",
		   tries, ZSTAT(zone, deferrals));
	KUNIT_EXPECT_GE(test, ZSTAT(zone, deferrals), 1L);
	KUNIT_EXPECT_GE(test, ZSTAT(zone, compact_success), 1L);
	KUNIT_EXPECT_EQ(test, zone->compact_defer_shift, 0U);
	KUNIT_EXPECT_EQ(test, za_free_pages(pool, zp, ZA_PAGEBLOCK_ORDER), 0);
	za_test_check(test, pool, "after direct compaction");
	towner_verify(test, to, "after direct compaction");
}

static void zonealloc_compaction_capture(struct kunit *test)
{
	static const unsigned int layout[ZA_NR_ZONES] = { [ZA_ZONE_NORMAL] = 8 };
	struct za_pool *pool = za_test_pool(test, layout, false);
	struct za_zone *zone = &pool->zones[ZA_ZONE_NORMAL];
	struct towner *to = towner_create(test, pool, 8 * ZA_PAGEBLOCK_PAGES);
	enum za_compact_result result;
	unsigned long flags, free_before;
	struct za_page *zp;

	fragment(test, to);
	free_before = zone->free_pages;
	zp = za_try_to_compact_pages(pool, 0, false, ZA_PAGEBLOCK_ORDER,
				     ZA_ALLOC_WMARK_MIN, ZA_ZONE_NORMAL,
				     ZA_MIGRATE_MOVABLE, ZA_COMPACT_PRIO_SYNC_FULL,
				     &result);
	KUNIT_ASSERT_NOT_NULL(test, zp);
	KUNIT_EXPECT_EQ(test, result, ZA_COMPACT_SUCCESS);
	KUNIT_EXPECT_EQ(test, zp->order, ZA_PAGEBLOCK_ORDER);
	KUNIT_EXPECT_EQ(test, za_page_state(zp), (u8)ZA_PAGE_TAIL);
	KUNIT_EXPECT_EQ(test, zp->pfn & (ZA_PAGEBLOCK_PAGES - 1), 0UL);
	/* Taken for the requester: not on the free lists any more. */
	KUNIT_EXPECT_EQ(test, zone->free_pages + ZA_PAGEBLOCK_PAGES,
			free_before);
	KUNIT_EXPECT_EQ(test, free_pageblocks(zone), 0UL);
	towner_verify(test, to, "after capture");

	spin_lock_irqsave(&zone->lock, flags);
	za_free_one_page(zone, zp, ZA_PAGEBLOCK_ORDER, za_get_pageblock_mt(zp));
	spin_unlock_irqrestore(&zone->lock, flags);
	za_test_check(test, pool, "after capture");

	/* The allocation path captures too. */
	zp = za_alloc_pages(pool, ZONEALLOC_GFP_MOVABLE | ZONEALLOC_GFP_NOWARN,
			    ZA_PAGEBLOCK_ORDER + 1);
	KUNIT_ASSERT_FALSE(test, IS_ERR(zp));
	KUNIT_EXPECT_EQ(test, za_page_state(zp), (u8)ZA_PAGE_ALLOC);
	KUNIT_EXPECT_EQ(test, za_free_pages(pool, zp, ZA_PAGEBLOCK_ORDER + 1),
			0);
	za_test_check(test, pool, "after allocation with capture");
	towner_verify(test, to, "after allocation with capture");
}

static bool range_is_allocated(struct za_pool *pool,
			       struct za_page *first, unsigned long nr)
{
	unsigned long pfn = first->pfn;

	while (pfn < first->pfn + nr) {
		struct za_page *zp = za_pfn_to_page(pool, pfn);

		if (!zp || za_page_state(zp) != ZA_PAGE_ALLOC || za_page_owner(zp))
			return false;
		pfn += 1UL << zp->order;
	}
	return pfn == first->pfn + nr;
}

static bool none_isolated(struct za_pool *pool)
{
	unsigned int c;
	unsigned long i;

	for (c = 0; c < pool->nr_chunks; c++)
		for (i = 0; i < pool->chunks[c].nr_pages;
		     i += ZA_PAGEBLOCK_PAGES)
			if (pool->chunks[c].pages[i].pb_mt == ZA_MIGRATE_ISOLATE)
				return false;
	return true;
}

static void zonealloc_compaction_contig(struct kunit *test)
{
	static const unsigned int layout[ZA_NR_ZONES] = { [ZA_ZONE_NORMAL] = 8 };
	/* Test pools are made of 2-pageblock chunks: ranges fit in one. */
	static const unsigned long sizes[] = { 700, 3, 512, 1000 };
	struct za_pool *pool = za_test_pool(test, layout, true);
	struct towner *to = towner_create(test, pool, 8 * ZA_PAGEBLOCK_PAGES);
	struct za_page *first[ARRAY_SIZE(sizes)];
	unsigned int i;

	fragment(test, to);

	/* With every owner's block pinned no range can be made. */
	towner_set_pinned(to, true);
	KUNIT_EXPECT_EQ(test, za_alloc_contig(pool, 700, 0, &first[0]),
			-ENOMEM);
	KUNIT_EXPECT_TRUE(test, none_isolated(pool));
	za_test_check(test, pool, "after a failed contiguous allocation");
	towner_verify(test, to, "after a failed contiguous allocation");
	towner_set_pinned(to, false);

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		KUNIT_ASSERT_EQ_MSG(test, za_alloc_contig(pool, sizes[i], 0,
							  &first[i]), 0,
				    "%lu pages", sizes[i]);
		KUNIT_EXPECT_TRUE_MSG(test, range_is_allocated(pool, first[i],
							       sizes[i]),
				      "%lu pages at pfn %#lx", sizes[i],
				      first[i]->pfn);
		KUNIT_EXPECT_TRUE(test, none_isolated(pool));
		za_test_check(test, pool, "after a contiguous allocation");
		towner_verify(test, to, "after a contiguous allocation");
	}
	for (i = 0; i < ARRAY_SIZE(sizes); i++)
		za_free_contig(pool, first[i], sizes[i]);
	za_pcp_drain_all(pool);
	za_test_check(test, pool, "after freeing the contiguous ranges");
	towner_verify(test, to, "after freeing the contiguous ranges");
	KUNIT_EXPECT_EQ(test, za_alloc_contig(pool, 0, 0, &first[0]), -EINVAL);
}

/* The target: figures printed for the closing note. */
static void zonealloc_compaction_fragmentation_target(struct kunit *test)
{
	static const unsigned int layout[ZA_NR_ZONES] = { [ZA_ZONE_NORMAL] = 32 };
	struct za_pool *pool = za_test_pool(test, layout, true);
	struct za_zone *zone = &pool->zones[ZA_ZONE_NORMAL];
	struct towner *to = towner_create(test, pool, 32 * ZA_PAGEBLOCK_PAGES);
	unsigned long possible, formed, allocated = 0, migrated;
	struct za_page **held;
	unsigned long jif;

	fragment(test, to);
	possible = zone->free_pages >> ZA_PAGEBLOCK_ORDER;
	KUNIT_ASSERT_GE(test, possible, 20UL);
	jif = jiffies;
	KUNIT_ASSERT_EQ(test, za_compact(pool, -1, -1, ZA_MIGRATE_SYNC,
					 &migrated), 0);
	jif = jiffies - jif;
	za_test_check(test, pool, "after one sync compaction");
	towner_verify(test, to, "after one sync compaction");
	formed = free_pageblocks(zone);

	/* Atomic requests: no further compaction, the lowest watermark. */
	held = kunit_kcalloc(test, possible, sizeof(*held), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, held);
	while (allocated < possible) {
		struct za_page *zp;

		zp = za_alloc_pages(pool, ZONEALLOC_GFP_MOVABLE |
				    ZONEALLOC_GFP_ATOMIC | ZONEALLOC_GFP_HIGH |
				    ZONEALLOC_GFP_NOWARN, ZA_PAGEBLOCK_ORDER);
		if (IS_ERR(zp))
			break;
		held[allocated++] = zp;
	}
	kunit_info(test, "fragmentation target: %lu order-9 blocks possible, %lu formed (%lu.%lu%%), %lu allocated (%lu.%lu%%); %lu pages migrated in %u ms\n",
		   possible, formed, formed * 100 / possible,
		   formed * 1000 / possible % 10, allocated,
		   allocated * 100 / possible, allocated * 1000 / possible % 10,
		   migrated, jiffies_to_msecs(jif));
	KUNIT_EXPECT_GE(test, formed * 100, possible * 95);
	/* Only the min watermark may refuse a block compaction formed. */
	KUNIT_EXPECT_GE(test, allocated + 1, formed);
	while (allocated)
		KUNIT_EXPECT_EQ(test, za_free_pages(pool, held[--allocated],
						    ZA_PAGEBLOCK_ORDER), 0);
	za_test_check(test, pool, "after the order-9 allocations");
	towner_verify(test, to, "after the order-9 allocations");
}

struct churn {
	struct towner *to;
	struct completion done;
	unsigned int replaced;
	unsigned int bad;
	bool stop;
};

/* The owner at work: check, free and reallocate its blocks at random. */
static int churn_thread(void *arg)
{
	struct churn *ch = arg;
	struct towner *to = ch->to;
	struct rnd_state rnd;

	prandom_seed_state(&rnd, za_test_seed());
	while (!READ_ONCE(ch->stop)) {
		unsigned int idx = prandom_u32_state(&rnd) % to->nr;
		struct tblock *b = &to->blocks[idx];
		unsigned int order = prandom_u32_state(&rnd) % 3;
		struct za_page *zp;

		mutex_lock(&to->lock);
		if (b->live) {
			if (!tverify(b->zp, b->order, idx))
				ch->bad++;
			WARN_ON(za_free_pages(to->pool, b->zp, b->order));
			b->live = false;
		}
		mutex_unlock(&to->lock);
		zp = za_alloc_pages(to->pool, MOVABLE_GFP, order);
		if (!IS_ERR(zp)) {
			tfill(zp, order, idx);
			mutex_lock(&to->lock);
			*b = (struct tblock){ .zp = zp, .order = order,
					      .live = true };
			za_page_set_owner(zp, idx + 1);
			mutex_unlock(&to->lock);
			ch->replaced++;
		}
		cond_resched();
	}
	complete(&ch->done);
	return 0;
}

/* Compaction while the owner frees, reallocates and checks its blocks. */
static void zonealloc_compaction_concurrent(struct kunit *test)
{
	static const unsigned int layout[ZA_NR_ZONES] = { [ZA_ZONE_NORMAL] = 8 };
	struct za_pool *pool = za_test_pool(test, layout, true);
	struct towner *to = towner_create(test, pool, 8 * ZA_PAGEBLOCK_PAGES);
	unsigned long migrated, total = 0;
	unsigned int round, captured = 0, ranges = 0;
	struct task_struct *task;
	struct churn ch = { .to = to };

	fragment(test, to);
	init_completion(&ch.done);
	task = kthread_run(churn_thread, &ch, "za_churn");
	KUNIT_ASSERT_FALSE(test, IS_ERR(task));
	for (round = 0; round < 12; round++) {
		static const enum za_migrate_mode modes[] = {
			ZA_MIGRATE_ASYNC, ZA_MIGRATE_SYNC_LIGHT,
			ZA_MIGRATE_SYNC,
		};
		unsigned long deadline = jiffies + 5 * HZ;
		struct za_page *zp;
		int ret;

		/* Let the owner get going (it may share this CPU). */
		while (READ_ONCE(ch.replaced) < (round + 1) * 64 &&
		       time_before(jiffies, deadline))
			usleep_range(1000, 2000);
		ret = za_compact(pool, -1, -1, modes[round % 3], &migrated);
		KUNIT_EXPECT_TRUE(test, !ret || ret == -EAGAIN);
		total += migrated;
		zp = za_alloc_pages(pool, ZONEALLOC_GFP_MOVABLE |
				    ZONEALLOC_GFP_NOWARN, ZA_PAGEBLOCK_ORDER);
		if (!IS_ERR(zp)) {
			captured++;
			KUNIT_EXPECT_EQ(test, za_free_pages(pool, zp,
							    ZA_PAGEBLOCK_ORDER),
					0);
		}
		ret = za_alloc_contig(pool, 700, 0, &zp);
		KUNIT_EXPECT_TRUE(test, !ret || ret == -ENOMEM);
		if (!ret) {
			ranges++;
			KUNIT_EXPECT_TRUE(test, range_is_allocated(pool, zp,
								   700));
			za_free_contig(pool, zp, 700);
		}
	}
	WRITE_ONCE(ch.stop, true);
	wait_for_completion(&ch.done);
	kunit_info(test, "%lu pages migrated, %u order-9 allocations, %u contiguous ranges, %u blocks replaced meanwhile\n",
		   total, captured, ranges, ch.replaced);
	KUNIT_EXPECT_TRUE(test, none_isolated(pool));
	KUNIT_EXPECT_EQ(test, ch.bad, 0U);
	KUNIT_EXPECT_GT(test, total, 0UL);
	KUNIT_EXPECT_GT(test, ch.replaced, 0U);
	za_pcp_drain_all(pool);
	za_test_check(test, pool, "after concurrent compaction");
	towner_verify(test, to, "after concurrent compaction");
}

/*
 * As 6.12's __compaction_suitable(): a non-costly order needs free pages
 * above min plus compact_gap(), a costly one above low, each with the
 * watermark boost (wmark_pages()).
 */
static void zonealloc_compaction_suitable_wmark(struct kunit *test)
{
	static const unsigned int layout[ZA_NR_ZONES] = { [ZA_ZONE_NORMAL] = 4 };
	struct za_pool *pool = za_test_pool(test, layout, false);
	struct za_zone *zone = &pool->zones[ZA_ZONE_NORMAL];
	unsigned long free = zone->free_pages;
	unsigned long min = free / 4;

	/* Free pages well above min, but not above low plus any gap. */
	zone->watermark[ZA_WMARK_MIN] = min;
	zone->watermark[ZA_WMARK_LOW] = free - 4;
	zone->watermark[ZA_WMARK_HIGH] = free;
	KUNIT_EXPECT_TRUE(test, za_compaction_suitable(zone, 2, ZA_ZONE_NORMAL));
	KUNIT_EXPECT_TRUE(test, za_compaction_suitable(zone, ZA_COSTLY_ORDER,
						       ZA_ZONE_NORMAL));
	KUNIT_EXPECT_FALSE(test, za_compaction_suitable(zone,
							ZA_COSTLY_ORDER + 1,
							ZA_ZONE_NORMAL));
	/* The boost counts: free pages above min + boost + 2 << order. */
	zone->watermark_boost = free - min - 6;
	KUNIT_EXPECT_TRUE(test, za_compaction_suitable(zone, 1, ZA_ZONE_NORMAL));
	KUNIT_EXPECT_FALSE(test, za_compaction_suitable(zone, 2,
							ZA_ZONE_NORMAL));
	zone->watermark_boost = 0;
}

static void stop_kcompactd(void *pool)
{
	za_kcompactd_stop(pool);
}

static void zonealloc_compaction_kcompactd(struct kunit *test)
{
	static const unsigned int layout[ZA_NR_ZONES] = { [ZA_ZONE_NORMAL] = 4 };
	struct za_pool *pool = za_test_pool(test, layout, false);
	struct za_zone *zone = &pool->zones[ZA_ZONE_NORMAL];
	struct towner *to = towner_create(test, pool, 4 * ZA_PAGEBLOCK_PAGES);
	unsigned int saved = za_compaction_proactiveness;
	unsigned long deadline;
	struct za_page *zp;

	fragment(test, to);
	/*
	 * The order-0 allocations in fragment() stop at the min watermark,
	 * and pages a CPU's list held meanwhile come back at its drain: what
	 * is left free may make a whole pageblock. Take those, so that only
	 * kcompactd can form the next one.
	 */
	while (free_pageblocks(zone))
		KUNIT_ASSERT_GE(test, towner_alloc(to, MOVABLE_GFP |
						   ZONEALLOC_GFP_ATOMIC,
						   ZA_PAGEBLOCK_ORDER), 0);
	/* Only the wakeup may compact here. */
	za_compaction_proactiveness = 0;
	KUNIT_ASSERT_EQ(test, za_kcompactd_run(pool), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, stop_kcompactd,
							pool), 0);
	/* A failing high-order allocation wakes it (atomic: no compaction). */
	zp = za_alloc_pages(pool, ZONEALLOC_GFP_MOVABLE | ZONEALLOC_GFP_ATOMIC |
			    ZONEALLOC_GFP_NOWARN, ZA_PAGEBLOCK_ORDER);
	KUNIT_EXPECT_TRUE(test, IS_ERR(zp));
	deadline = jiffies + 20 * HZ;
	while (!free_pageblocks(zone) && time_before(jiffies, deadline))
		msleep(20);
	za_compaction_proactiveness = saved;
	za_kcompactd_stop(pool);
	KUNIT_EXPECT_GT(test, free_pageblocks(zone), 0UL);
	za_test_check(test, pool, "after kcompactd");
	towner_verify(test, to, "after kcompactd");
}

static void zonealloc_compaction_proactive(struct kunit *test)
{
	static const unsigned int layout[ZA_NR_ZONES] = { [ZA_ZONE_NORMAL] = 4 };
	struct za_pool *pool = za_test_pool(test, layout, false);
	struct towner *to = towner_create(test, pool, 4 * ZA_PAGEBLOCK_PAGES);
	unsigned int saved = za_compaction_proactiveness, before, after;
	unsigned long deadline;

	fragment(test, to);
	before = za_fragmentation_score_pool(pool);
	KUNIT_EXPECT_GT(test, before, 90U);
	za_compaction_proactiveness = 50;
	KUNIT_ASSERT_EQ(test, za_kcompactd_run(pool), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, stop_kcompactd,
							pool), 0);
	deadline = jiffies + 20 * HZ;
	while (za_fragmentation_score_pool(pool) > 50 &&
	       time_before(jiffies, deadline))
		msleep(20);
	za_kcompactd_stop(pool);
	za_compaction_proactiveness = saved;
	after = za_fragmentation_score_pool(pool);
	kunit_info(test, "fragmentation score %u -> %u\n", before, after);
	KUNIT_EXPECT_LE(test, after, 50U);
	za_test_check(test, pool, "after proactive compaction");
	towner_verify(test, to, "after proactive compaction");
}

static struct kunit_case za_compaction_cases[] = {
	KUNIT_CASE(zonealloc_compaction_migrate_block),
	KUNIT_CASE(zonealloc_compaction_scanners_meet),
	KUNIT_CASE(zonealloc_compaction_suitable),
	KUNIT_CASE(zonealloc_compaction_suitable_wmark),
	KUNIT_CASE(zonealloc_compaction_skip_hints),
	KUNIT_CASE(zonealloc_compaction_skip_every_block),
	KUNIT_CASE(zonealloc_compaction_cluster_batches),
	KUNIT_CASE(zonealloc_compaction_fast_isolate_freepages),
	KUNIT_CASE(zonealloc_compaction_fast_find_migrateblock),
	KUNIT_CASE(zonealloc_compaction_async_stride),
	KUNIT_CASE(zonealloc_compaction_defer_backoff),
	KUNIT_CASE(zonealloc_compaction_defer_direct),
	KUNIT_CASE(zonealloc_compaction_capture),
	KUNIT_CASE(zonealloc_compaction_contig),
	KUNIT_CASE(zonealloc_compaction_fragmentation_target),
	KUNIT_CASE(zonealloc_compaction_kcompactd),
	KUNIT_CASE(zonealloc_compaction_proactive),
	KUNIT_CASE(zonealloc_compaction_concurrent),
	{}
};

static struct kunit_suite za_compaction_suite = {
	.name = "zonealloc_compaction",
	.suite_init = za_test_suite_init,
	.init = za_test_case_init,
	.test_cases = za_compaction_cases,
};

kunit_test_suite(za_compaction_suite);
