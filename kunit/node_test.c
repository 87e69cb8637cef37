// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for NUMA nodes (issue 11 §1): the fallback zonelists, with
 * the running kernel as the oracle (scripts/kunit boots it on two nodes),
 * and allocations that fill a two-node pool in zonelist order, THISNODE
 * failing instead of falling back, and the preferred node of the
 * contiguous allocator, each with the invariant checker.
 */

#include <kunit/test.h>
#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/mmzone.h>
#include <linux/cpumask.h>
#include <linux/nodemask.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/topology.h>

#include "alloc.h"
#include "compaction.h"
#include "contig.h"
#include "migrate.h"
#include "pcp.h"
#include "pool.h"
#include "test_pool.h"
#include "vmstat.h"

/*
 * The oracle: a pool with a pageblock in every (node, zone) the kernel
 * has memory in must order them, for each node's preference, as the
 * kernel's own fallback zonelist (node_zonelist(nid, GFP_KERNEL), which
 * is ZONELIST_FALLBACK) orders its zones.
 */
static void zonealloc_node_zonelist_oracle(struct kunit *test)
{
	unsigned int (*pb)[ZA_NR_ZONES];
	struct za_pool *pool;
	unsigned int nodes = min_t(unsigned int, nr_node_ids, ZA_MAX_NODES);
	int nid, checked = 0;

	/* scripts/kunit boots two nodes: else this case proves nothing. */
	KUNIT_ASSERT_GE_MSG(test, num_node_state(N_MEMORY), 2,
			    "the KUnit kernel must run on two NUMA nodes");
	pb = kunit_kcalloc(test, nodes, sizeof(*pb), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pb);
	for_each_node_state(nid, N_MEMORY) {
		int i;

		KUNIT_ASSERT_LT(test, nid, (int)nodes);
		for (i = 0; i < MAX_NR_ZONES; i++) {
			int type = za_test_zone_type(i);

			if (populated_zone(&NODE_DATA(nid)->node_zones[i]) &&
			    type >= 0)
				pb[nid][type] = 1;
		}
	}
	pool = za_test_pool_nodes(test, nodes,
				  (const unsigned int (*)[ZA_NR_ZONES])pb,
				  false);

	for_each_node_state(nid, N_MEMORY) {
		struct zonelist *kzl = node_zonelist(nid, GFP_KERNEL);
		struct za_zone **zl = za_pool_zonelist(pool, nid);
		struct zoneref *z;

		for (z = kzl->_zonerefs; zonelist_zone(z); z++) {
			struct zone *kzone = zonelist_zone(z);
			int type = za_test_zone_type(zone_idx(kzone));

			if (type < 0)
				continue;
			/* The pool's next zone with memory. */
			while (*zl && !za_zone_populated(*zl))
				zl++;
			KUNIT_ASSERT_NOT_NULL_MSG(test, *zl,
						  "node %d: the pool's zonelist ends before the kernel's node %d zone %s",
						  nid, zone_to_nid(kzone),
						  kzone->name);
			KUNIT_EXPECT_EQ_MSG(test, (*zl)->node, zone_to_nid(kzone),
					    "node %d: kernel zone %s", nid,
					    kzone->name);
			KUNIT_EXPECT_EQ_MSG(test, (int)(*zl)->idx, type,
					    "node %d: kernel node %d zone %s",
					    nid, zone_to_nid(kzone), kzone->name);
			zl++;
			checked++;
		}
		while (*zl && !za_zone_populated(*zl))
			zl++;
		KUNIT_EXPECT_NULL_MSG(test, *zl,
				      "node %d: the pool's zonelist has more zones than the kernel's",
				      nid);
	}
	/* Each node's list holds every (node, zone) with memory. */
	KUNIT_EXPECT_GE(test, checked, 2 * 2);
}

/*
 * Two fake nodes, each with one pageblock of DMA32 and one of NORMAL; no
 * per-CPU lists; watermarks and lowmem_reserve zeroed so that every page
 * can be taken and the counts are exact.
 */
static struct za_pool *za_node_test_pool(struct kunit *test)
{
	static const unsigned int pb[2][ZA_NR_ZONES] = {
		{ [ZA_ZONE_DMA32] = 1, [ZA_ZONE_NORMAL] = 1 },
		{ [ZA_ZONE_DMA32] = 1, [ZA_ZONE_NORMAL] = 1 },
	};
	struct za_pool *pool = za_test_pool_nodes(test, 2, pb, false);
	struct za_zone *zone;

	for (zone = pool->zones; zone < za_pool_zones_end(pool); zone++) {
		za_test_zero_wmarks(zone);
		memset(zone->lowmem_reserve, 0, sizeof(zone->lowmem_reserve));
	}
	return pool;
}

struct za_node_fill {
	struct za_page **pages;
	unsigned int nr;
};

static void za_node_fill_release(struct za_pool *pool, struct za_node_fill *f)
{
	while (f->nr)
		za_free_pages(pool, f->pages[--f->nr], 0);
}

/*
 * Allocate single pages preferring @nid until the pool refuses; check that
 * the zones fill one after the other in the order of @nid's zonelist (the
 * populated zones up to the request's highest), each to its last page.
 */
static void za_node_fill_check(struct kunit *test, struct za_pool *pool,
			       int nid, u32 gfp, struct za_node_fill *f)
{
	int highest = za_gfp_zone(gfp);
	struct za_zone **zl = za_pool_zonelist(pool, nid);
	struct za_zone *cur = NULL;
	unsigned long in_cur = 0;
	unsigned int zones = 0;

	for (;;) {
		struct za_page *zp = za_alloc_pages_node(pool, nid, gfp, 0);
		struct za_zone *zone;

		if (IS_ERR(zp)) {
			KUNIT_EXPECT_EQ(test, PTR_ERR(zp), -ENOMEM);
			break;
		}
		f->pages[f->nr++] = zp;
		zone = za_page_zone(pool, zp);
		if (zone == cur) {
			in_cur++;
			continue;
		}
		/* The zone before is exhausted; the next is the list's next. */
		if (cur)
			KUNIT_EXPECT_EQ(test, in_cur, cur->managed_pages);
		while (*zl && ((*zl)->idx > highest || !za_zone_populated(*zl) ||
			       ((gfp & ZONEALLOC_GFP_THISNODE) &&
				(*zl)->node != nid)))
			zl++;
		KUNIT_ASSERT_PTR_EQ_MSG(test, zone, *zl,
					"preferring node %d: page from node %d zone %s",
					nid, zone->node, za_zone_names[zone->idx]);
		zl++;
		cur = zone;
		in_cur = 1;
		zones++;
	}
	if (cur)
		KUNIT_EXPECT_EQ(test, in_cur, cur->managed_pages);
	KUNIT_EXPECT_GT(test, zones, 0U);
	za_test_check(test, pool, "after the fill");
}

/*
 * The fallback order, by allocating: preferring node 0, its NORMAL, its
 * DMA32, then node 1's NORMAL and DMA32; preferring node 1, the mirror
 * image. DMA32 requests never touch NORMAL.
 */
static void zonealloc_node_fallback_fill(struct kunit *test)
{
	struct za_pool *pool = za_node_test_pool(test);
	struct za_node_fill f = {};
	static const struct {
		int nid;
		u32 gfp;
		int order[4][2];	/* (node, zone type) in fill order */
		unsigned int nr;
	} cases[] = {
		{ 0, ZONEALLOC_GFP_MOVABLE, { { 0, ZA_ZONE_NORMAL },
		  { 0, ZA_ZONE_DMA32 }, { 1, ZA_ZONE_NORMAL },
		  { 1, ZA_ZONE_DMA32 } }, 4 },
		{ 1, ZONEALLOC_GFP_MOVABLE, { { 1, ZA_ZONE_NORMAL },
		  { 1, ZA_ZONE_DMA32 }, { 0, ZA_ZONE_NORMAL },
		  { 0, ZA_ZONE_DMA32 } }, 4 },
		{ 1, ZONEALLOC_GFP_DMA32, { { 1, ZA_ZONE_DMA32 },
		  { 0, ZA_ZONE_DMA32 } }, 2 },
	};
	unsigned int c, i;

	f.pages = kunit_kcalloc(test, 4 * ZA_PAGEBLOCK_PAGES, sizeof(*f.pages),
				GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, f.pages);

	for (c = 0; c < ARRAY_SIZE(cases); c++) {
		struct za_zone **zl = za_pool_zonelist(pool, cases[c].nid);
		int highest = za_gfp_zone(cases[c].gfp);

		/* The zonelist is the kernel's rule for this layout... */
		for (i = 0; i < cases[c].nr; i++) {
			while (*zl && ((*zl)->idx > highest ||
				       !za_zone_populated(*zl)))
				zl++;
			KUNIT_ASSERT_NOT_NULL(test, *zl);
			KUNIT_EXPECT_EQ(test, (*zl)->node, cases[c].order[i][0]);
			KUNIT_EXPECT_EQ(test, (int)(*zl)->idx,
					cases[c].order[i][1]);
			zl++;
		}
		/* ...and the allocations follow it to the last page. */
		za_node_fill_check(test, pool, cases[c].nid, cases[c].gfp, &f);
		KUNIT_EXPECT_EQ(test, f.nr, cases[c].nr * ZA_PAGEBLOCK_PAGES);
		za_node_fill_release(pool, &f);
		za_test_check(test, pool, "after freeing the fill");
	}
}

/*
 * THISNODE: the preferred node's zones only; once they are full the
 * request fails while the other node still has every page free.
 */
static void zonealloc_node_thisnode(struct kunit *test)
{
	struct za_pool *pool = za_node_test_pool(test);
	struct za_node_fill f = {};
	const u32 gfp = ZONEALLOC_GFP_MOVABLE | ZONEALLOC_GFP_NOWARN;
	struct za_page *zp;
	unsigned int i;

	f.pages = kunit_kcalloc(test, 4 * ZA_PAGEBLOCK_PAGES, sizeof(*f.pages),
				GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, f.pages);

	za_node_fill_check(test, pool, 1, gfp | ZONEALLOC_GFP_THISNODE, &f);
	KUNIT_EXPECT_EQ(test, f.nr, 2 * ZA_PAGEBLOCK_PAGES);
	for (i = 0; i < f.nr; i++)
		KUNIT_EXPECT_EQ(test, za_page_zone(pool, f.pages[i])->node, 1);
	KUNIT_EXPECT_EQ(test, za_pool_zone(pool, 0, ZA_ZONE_NORMAL)->free_pages,
			(unsigned long)ZA_PAGEBLOCK_PAGES);
	/* The same request of any order fails; without THISNODE it falls back. */
	zp = za_alloc_pages_node(pool, 1, gfp | ZONEALLOC_GFP_THISNODE, 3);
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(zp), -ENOMEM);
	zp = za_alloc_pages_node(pool, 1, gfp, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(zp));
	KUNIT_EXPECT_EQ(test, za_page_zone(pool, zp)->node, 0);
	KUNIT_EXPECT_EQ(test, (int)za_page_zone(pool, zp)->idx, ZA_ZONE_NORMAL);
	f.pages[f.nr++] = zp;
	za_test_check(test, pool, "after THISNODE");
	za_node_fill_release(pool, &f);

	/* Nodes the pool has no zones for are refused. */
	zp = za_alloc_pages_node(pool, 2, gfp, 0);
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(zp), -EINVAL);
	zp = za_alloc_pages_node(pool, -2, gfp, 0);
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(zp), -EINVAL);
	za_test_check(test, pool, "at the end");
}

/* ALLOC_CONTIG prefers the node too, and THISNODE keeps it there. */
static void zonealloc_node_contig(struct kunit *test)
{
	struct za_pool *pool = za_node_test_pool(test);
	struct za_page *first, *second, *none;
	int ret;

	ret = za_alloc_contig_node(pool, 1, ZA_PAGEBLOCK_PAGES,
				   ZONEALLOC_GFP_THISNODE, &first);
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_EXPECT_EQ(test, za_page_zone(pool, first)->node, 1);
	KUNIT_EXPECT_EQ(test, (int)za_page_zone(pool, first)->idx,
			ZA_ZONE_NORMAL);
	ret = za_alloc_contig_node(pool, 1, ZA_PAGEBLOCK_PAGES,
				   ZONEALLOC_GFP_THISNODE, &second);
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_EXPECT_EQ(test, za_page_zone(pool, second)->node, 1);
	KUNIT_EXPECT_EQ(test, (int)za_page_zone(pool, second)->idx,
			ZA_ZONE_DMA32);
	za_test_check(test, pool, "after two node-1 ranges");
	/* Node 1 is full: THISNODE fails, and -EINVAL for a node too far. */
	KUNIT_EXPECT_EQ(test, za_alloc_contig_node(pool, 1, 1,
						   ZONEALLOC_GFP_THISNODE,
						   &none),
			-ENOMEM);
	KUNIT_EXPECT_EQ(test, za_alloc_contig_node(pool, 2, 1, 0, &none),
			-EINVAL);
	/* Without THISNODE a range comes from node 0. */
	ret = za_alloc_contig_node(pool, 1, 1, 0, &none);
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_EXPECT_EQ(test, za_page_zone(pool, none)->node, 0);
	za_free_contig(pool, none, 1);
	za_free_contig(pool, second, ZA_PAGEBLOCK_PAGES);
	za_free_contig(pool, first, ZA_PAGEBLOCK_PAGES);
	za_test_check(test, pool, "after the frees");
}

/* Lines of @text that start with @prefix. */
static unsigned int za_count_lines(char *text, const char *prefix)
{
	unsigned int n = 0;
	char *line;

	while ((line = strsep(&text, "\n")))
		n += !strncmp(line, prefix, strlen(prefix));
	return n;
}

/*
 * The reports of a two-node pool: one block per node, node by node, each
 * line naming the zone's node, in the single-node layouts (buddyinfo
 * lines parse back to the zones' counts; pagetypeinfo repeats itself per
 * node, as the kernel's; zoneinfo shows each node's five zones).
 */
static void zonealloc_node_reports(struct kunit *test)
{
	struct za_pool *pool = za_node_test_pool(test);
	static const int order[4][2] = {
		{ 0, ZA_ZONE_DMA32 }, { 0, ZA_ZONE_NORMAL },
		{ 1, ZA_ZONE_DMA32 }, { 1, ZA_ZONE_NORMAL },
	};
	unsigned long v[ZA_NR_ORDERS];
	char *text, *line, name[16];
	int i = 0, node, n, o;

	/* Different counts on the two nodes. */
	for (o = 0; o < 3; o++) {
		struct za_page *zp = za_alloc_pages_node(pool, 1,
							 ZONEALLOC_GFP_THISNODE,
							 o);

		KUNIT_ASSERT_FALSE(test, IS_ERR(zp));
	}
	text = za_test_render(test, za_show_buddyinfo, pool);
	while ((line = strsep(&text, "\n")) && *line) {
		struct za_zone *zone;

		KUNIT_ASSERT_LT_MSG(test, i, 4, "extra line '%s'", line);
		n = sscanf(line, "Node %d, zone %15s %lu %lu %lu %lu %lu %lu %lu %lu %lu %lu %lu",
			   &node, name, &v[0], &v[1], &v[2], &v[3], &v[4], &v[5],
			   &v[6], &v[7], &v[8], &v[9], &v[10]);
		KUNIT_ASSERT_EQ_MSG(test, n, 2 + ZA_NR_ORDERS, "line '%s'", line);
		KUNIT_EXPECT_EQ(test, node, order[i][0]);
		KUNIT_EXPECT_STREQ(test, name, za_zone_names[order[i][1]]);
		zone = za_pool_zone(pool, order[i][0], order[i][1]);
		for (o = 0; o < ZA_NR_ORDERS; o++)
			KUNIT_EXPECT_EQ(test, v[o], zone->free_area[o].nr_free);
		i++;
	}
	KUNIT_EXPECT_EQ(test, i, 4);

	text = za_test_render(test, za_show_pagetypeinfo, pool);
	KUNIT_EXPECT_EQ(test, za_count_lines(text, "Page block order: 9"), 2U);
	text = za_test_render(test, za_show_pagetypeinfo, pool);
	KUNIT_EXPECT_EQ(test, za_count_lines(text, "Node    1, zone"),
			2U * ZA_MIGRATE_TYPES);
	text = za_test_render(test, za_show_zoneinfo, pool);
	KUNIT_EXPECT_EQ(test, za_count_lines(text, "Node 0, zone"),
			(unsigned int)ZA_NR_ZONES);
	text = za_test_render(test, za_show_zoneinfo, pool);
	KUNIT_EXPECT_EQ(test, za_count_lines(text, "Node 1, zone"),
			(unsigned int)ZA_NR_ZONES);
	text = za_test_render(test, za_show_unusable_index, pool);
	KUNIT_EXPECT_EQ(test, za_count_lines(text, "Node 1, zone"), 2U);
	za_test_check(test, pool, "after the reports");
}

/*
 * NUMA_NO_NODE prefers the node of the CPU the call runs on: on each
 * online CPU in turn, the first page comes from that CPU's node
 * (numa_node_id()), the pool's fake nodes being the kernel's two.
 */
static void zonealloc_node_local(struct kunit *test)
{
	struct za_pool *pool = za_node_test_pool(test);
	int cpu, tried = 0;

	for_each_online_cpu(cpu) {
		struct za_page *zp;
		int nid;

		if (set_cpus_allowed_ptr(current, cpumask_of(cpu)))
			continue;
		nid = cpu_to_node(cpu);
		zp = za_alloc_pages(pool, ZONEALLOC_GFP_MOVABLE, 0);
		KUNIT_ASSERT_FALSE(test, IS_ERR(zp));
		KUNIT_EXPECT_EQ_MSG(test, za_page_zone(pool, zp)->node,
				    nid < 2 ? nid : 0, "cpu %d", cpu);
		za_free_pages(pool, zp, 0);
		tried++;
	}
	set_cpus_allowed_ptr(current, cpu_possible_mask);
	KUNIT_EXPECT_GE(test, tried, 2);
	za_test_check(test, pool, "after local allocations");
}

/* An owner that never lets a block move (nothing here is movable anyway). */
static int za_node_refuse_move(struct za_pool *pool, unsigned long owner,
			       struct za_page *src, struct za_page *dst,
			       unsigned int order, enum za_migrate_mode mode)
{
	return -EBUSY;
}

static const struct za_migrate_ops za_node_refuse_ops = {
	.move = za_node_refuse_move,
};

/*
 * Direct compaction walks the preferred node's zonelist, as
 * try_to_compact_pages() walks ac->zonelist: every page of a two-node pool
 * is taken and every other one given back, so that no zone has a free
 * order-1 block and nothing can move; then node 1's Normal gets one. A
 * request preferring node 1 finds it first and stops there: node 0's
 * zones are never compacted, so never deferred. With THISNODE on node 0,
 * node 0's zones fail and are deferred, node 1's are left alone.
 */
static void zonealloc_node_direct_compact(struct kunit *test)
{
	struct za_pool *pool = za_node_test_pool(test);
	unsigned int shift[2][ZA_NR_ZONES], i, nr = 0, kept = 0;
	const u32 gfp = ZONEALLOC_GFP_THISNODE | ZONEALLOC_GFP_NOWARN;
	enum za_compact_result result;
	struct za_page **pages, *zp, *hole = NULL;
	struct za_zone *zone;
	int nid;

	pages = kunit_kcalloc(test, 4 * ZA_PAGEBLOCK_PAGES, sizeof(*pages),
			      GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pages);
	/* Compaction runs only in a pool whose blocks have an owner. */
	WRITE_ONCE(pool->migrate_ops, &za_node_refuse_ops);
	for (nid = 0; nid < 2; nid++)
		while (nr < 4 * ZA_PAGEBLOCK_PAGES) {
			zp = za_alloc_pages_node(pool, nid, gfp, 0);
			if (IS_ERR(zp))
				break;
			pages[nr++] = zp;
		}
	KUNIT_ASSERT_EQ(test, nr, 4 * ZA_PAGEBLOCK_PAGES);
	for (i = 0; i < nr; i++) {
		if (pages[i]->pfn & 1) {
			pages[kept++] = pages[i];
			continue;
		}
		zone = za_page_zone(pool, pages[i]);
		if (!hole && zone->node == 1 && zone->idx == ZA_ZONE_NORMAL)
			hole = pages[i];
		za_free_pages(pool, pages[i], 0);
	}
	za_pcp_drain_all(pool);
	for (zone = pool->zones; zone < za_pool_zones_end(pool); zone++)
		if (za_zone_populated(zone))
			KUNIT_ASSERT_EQ(test, zone->free_area[1].nr_free, 0UL);

	/* The odd buddy of @hole: node 1's Normal gets an order-1 block. */
	KUNIT_ASSERT_NOT_NULL(test, hole);
	for (i = 0; i < kept; i++)
		if (pages[i]->pfn == (hole->pfn ^ 1))
			break;
	KUNIT_ASSERT_LT(test, i, kept);
	za_free_pages(pool, pages[i], 0);
	pages[i] = pages[--kept];
	za_pcp_drain_all(pool);
	KUNIT_ASSERT_EQ(test,
			za_pool_zone(pool, 1, ZA_ZONE_NORMAL)->free_area[1].nr_free,
			1UL);

	for (zone = pool->zones; zone < za_pool_zones_end(pool); zone++)
		shift[zone->node][zone->idx] = zone->compact_defer_shift;
	zp = za_try_to_compact_pages(pool, 1, false, 1, ZA_ALLOC_WMARK_MIN,
				     ZA_ZONE_NORMAL, ZA_MIGRATE_UNMOVABLE,
				     ZA_COMPACT_PRIO_SYNC_LIGHT, &result);
	KUNIT_EXPECT_NULL(test, zp);
	KUNIT_EXPECT_EQ(test, result, ZA_COMPACT_SUCCESS);
	for (zone = pool->zones; zone < za_pool_zones_end(pool); zone++)
		KUNIT_EXPECT_EQ_MSG(test, zone->compact_defer_shift,
				    shift[zone->node][zone->idx],
				    "node %d zone %s compacted", zone->node,
				    za_zone_names[zone->idx]);

	zp = za_try_to_compact_pages(pool, 0, true, 1, ZA_ALLOC_WMARK_MIN,
				     ZA_ZONE_NORMAL, ZA_MIGRATE_UNMOVABLE,
				     ZA_COMPACT_PRIO_SYNC_LIGHT, &result);
	KUNIT_EXPECT_NULL(test, zp);
	KUNIT_EXPECT_NE(test, result, ZA_COMPACT_SUCCESS);
	for (zone = pool->zones; zone < za_pool_zones_end(pool); zone++) {
		if (!za_zone_populated(zone))
			continue;
		if (zone->node == 0)
			KUNIT_EXPECT_GT_MSG(test, zone->compact_defer_shift,
					    shift[0][zone->idx],
					    "node 0 zone %s not deferred",
					    za_zone_names[zone->idx]);
		else
			KUNIT_EXPECT_EQ_MSG(test, zone->compact_defer_shift,
					    shift[1][zone->idx],
					    "node 1 zone %s compacted",
					    za_zone_names[zone->idx]);
	}
	za_test_check(test, pool, "after direct compaction");
	while (kept)
		za_free_pages(pool, pages[--kept], 0);
	WRITE_ONCE(pool->migrate_ops, NULL);
	za_test_check(test, pool, "at the end");
}

static struct kunit_case zonealloc_node_cases[] = {
	KUNIT_CASE(zonealloc_node_zonelist_oracle),
	KUNIT_CASE(zonealloc_node_fallback_fill),
	KUNIT_CASE(zonealloc_node_thisnode),
	KUNIT_CASE(zonealloc_node_contig),
	KUNIT_CASE(zonealloc_node_reports),
	KUNIT_CASE(zonealloc_node_local),
	KUNIT_CASE(zonealloc_node_direct_compact),
	{}
};

static struct kunit_suite zonealloc_node_suite = {
	.name = "zonealloc_node",
	.suite_init = za_test_suite_init,
	.init = za_test_case_init,
	.test_cases = zonealloc_node_cases,
};

kunit_test_suite(zonealloc_node_suite);
