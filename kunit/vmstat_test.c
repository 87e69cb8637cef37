// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for the pool's reports: the fragmentation indices against
 * their definitions, and buddyinfo/pagetypeinfo parsed back against the
 * zones they describe.
 */

#include <kunit/test.h>
#include <linux/prandom.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "alloc.h"
#include "pool.h"
#include "test_pool.h"
#include "vmstat.h"

/* Free pages in blocks below @order, counted from the blocks themselves. */
static unsigned long za_test_pages_below(const struct za_zone *zone,
					 unsigned int order)
{
	unsigned long pages = 0;
	unsigned int o;

	for (o = 0; o < order; o++)
		pages += zone->free_area[o].nr_free << o;
	return pages;
}

static void zonealloc_vmstat_indices_match_definitions(struct kunit *test)
{
	struct za_zone *zone = kunit_kzalloc(test, sizeof(*zone), GFP_KERNEL);
	struct za_contig_page_info info;
	struct rnd_state rnd;
	unsigned int iter, order, o;

	KUNIT_ASSERT_NOT_NULL(test, zone);
	prandom_seed_state(&rnd, za_test_seed());
	for (iter = 0; iter < 500; iter++) {
		unsigned long free = 0, blocks = 0;

		/* Empty orders are common: make the high ones often empty. */
		for (o = 0; o < ZA_NR_ORDERS; o++) {
			u32 r = prandom_u32_state(&rnd);

			zone->free_area[o].nr_free = (r % 4) ? 0 : r % 50;
			if (o < 3 && (r & 1))
				zone->free_area[o].nr_free = r % 300;
			free += zone->free_area[o].nr_free << o;
			blocks += zone->free_area[o].nr_free;
		}
		for (order = 0; order < ZA_NR_ORDERS; order++) {
			unsigned long below = za_test_pages_below(zone, order);
			int unusable, frag;

			za_fill_contig_page_info(zone, order, &info);
			KUNIT_ASSERT_EQ(test, info.free_pages, free);
			KUNIT_ASSERT_EQ(test, info.free_blocks_total, blocks);
			KUNIT_ASSERT_EQ_MSG(test,
					    info.free_blocks_suitable << order,
					    free - below, "order %u", order);

			unusable = za_unusable_free_index(order, &info);
			if (!free)
				KUNIT_EXPECT_EQ(test, unusable, 1000);
			else
				KUNIT_EXPECT_EQ_MSG(test, unusable,
						    (int)(below * 1000 / free),
						    "order %u iter %u", order, iter);

			frag = za_fragmentation_index(order, &info);
			if (!blocks)
				KUNIT_EXPECT_EQ(test, frag, 0);
			else if (below != free)
				KUNIT_EXPECT_EQ_MSG(test, frag, -1000,
						    "order %u: a block exists", order);
			else
				/*
				 * __fragmentation_index(): below 0 when
				 * there is less free memory than requested.
				 */
				KUNIT_EXPECT_EQ_MSG(test, frag,
						    1000 - (int)((1000 + free * 1000 /
								  (1UL << order)) /
								 blocks),
						    "order %u iter %u", order,
						    iter);
		}
	}
}

/* Many order-0 blocks and nothing larger: failure is fragmentation. */
static void zonealloc_vmstat_extfrag_extremes(struct kunit *test)
{
	struct za_zone *zone = kunit_kzalloc(test, sizeof(*zone), GFP_KERNEL);
	struct za_contig_page_info info;

	KUNIT_ASSERT_NOT_NULL(test, zone);
	zone->free_area[0].nr_free = 1024;
	za_fill_contig_page_info(zone, 10, &info);
	/* 1000 - (1000 + 1024 * 1000 / 1024) / 1024 = 999 */
	KUNIT_EXPECT_EQ(test, za_fragmentation_index(10, &info), 999);
	KUNIT_EXPECT_EQ(test, za_unusable_free_index(10, &info), 1000);

	/* One free page for an order-10 request: lack of memory. */
	zone->free_area[0].nr_free = 1;
	za_fill_contig_page_info(zone, 10, &info);
	KUNIT_EXPECT_EQ(test, za_fragmentation_index(10, &info), 0);
}

/* Allocate a random mix so the free lists are not trivially uniform. */
static void za_test_fragment(struct kunit *test, struct za_pool *pool)
{
	static const u32 gfps[] = {
		0, ZONEALLOC_GFP_MOVABLE, ZONEALLOC_GFP_RECLAIMABLE,
		ZONEALLOC_GFP_DMA, ZONEALLOC_GFP_DMA32,
		ZONEALLOC_GFP_HIGHMEM | ZONEALLOC_GFP_MOVABLE,
	};
	struct rnd_state rnd;
	unsigned int i;

	prandom_seed_state(&rnd, za_test_seed() ^ 0x5eed);
	for (i = 0; i < 64; i++) {
		u32 r = prandom_u32_state(&rnd);

		/* Kept: the pool's destructor reclaims them. */
		za_alloc_pages(pool, gfps[r % ARRAY_SIZE(gfps)] |
			       ZONEALLOC_GFP_NOWARN, (r >> 8) % 4);
	}
}

/* A buddyinfo line, and a pagetypeinfo free-count line: eleven orders. */
#define ZA_TEST_BUDDY_LINE \
	"Node %d, zone %15s %lu %lu %lu %lu %lu %lu %lu %lu %lu %lu %lu"
#define ZA_TEST_PTI_FREE \
	"Node %d, zone %15[^,], type %15s %lu %lu %lu %lu %lu %lu %lu %lu %lu %lu %lu"

static const unsigned int za_test_layout[ZA_NR_ZONES] = {
	[ZA_ZONE_DMA] = 1, [ZA_ZONE_DMA32] = 2, [ZA_ZONE_NORMAL] = 0,
	[ZA_ZONE_HIGHMEM] = 1, [ZA_ZONE_MOVABLE] = 1,
};

static void zonealloc_vmstat_buddyinfo_parses_back(struct kunit *test)
{
	struct za_pool *pool = za_test_pool(test, za_test_layout, false);
	char *text, *line, name[16];
	unsigned long v[ZA_NR_ORDERS];
	int z = -1, node, n, o;

	za_test_fragment(test, pool);
	text = za_test_render(test, za_show_buddyinfo, pool);
	while ((line = strsep(&text, "\n")) && *line) {
		/* The next populated zone, in zone order. */
		do {
			z++;
		} while (z < ZA_NR_ZONES && !za_zone_populated(&pool->zones[z]));
		KUNIT_ASSERT_LT_MSG(test, z, ZA_NR_ZONES, "extra line '%s'", line);
		n = sscanf(line, ZA_TEST_BUDDY_LINE, &node, name, &v[0], &v[1],
			   &v[2], &v[3], &v[4], &v[5], &v[6], &v[7], &v[8], &v[9],
			   &v[10]);
		KUNIT_ASSERT_EQ_MSG(test, n, 2 + ZA_NR_ORDERS, "line '%s'", line);
		KUNIT_EXPECT_EQ(test, node, 0);
		KUNIT_EXPECT_STREQ(test, name, za_zone_names[z]);
		/* "zone %8s ": the name right-aligned in eight columns. */
		KUNIT_EXPECT_EQ_MSG(test, line[21], ' ', "line '%s'", line);
		KUNIT_EXPECT_EQ_MSG(test, strncmp(line + 21 - strlen(name), name,
						  strlen(name)), 0, "line '%s'", line);
		for (o = 0; o < ZA_NR_ORDERS; o++)
			KUNIT_EXPECT_EQ_MSG(test, v[o],
					    pool->zones[z].free_area[o].nr_free,
					    "zone %s order %d", name, o);
	}
	do {
		z++;
	} while (z < ZA_NR_ZONES && !za_zone_populated(&pool->zones[z]));
	KUNIT_EXPECT_EQ_MSG(test, z, ZA_NR_ZONES, "zone %d missing", z);
	za_test_check(test, pool, "after buddyinfo");
}

static const char za_test_pti_head[] =
	"Page block order: 9\nPages per block:  512\n\n"
	"Free pages count per migrate type at order       0      1";

static void zonealloc_vmstat_pagetypeinfo_sums(struct kunit *test)
{
	struct za_pool *pool = za_test_pool(test, za_test_layout, false);
	unsigned long sum[ZA_NR_ZONES][ZA_NR_ORDERS] = { };
	unsigned long blocks[ZA_NR_ZONES] = { };
	char *text, *line, zname[16], tname[16];
	unsigned long v[ZA_NR_ORDERS], b[ZA_MIGRATE_TYPES];
	int node, n, o, z, t, section = 0;

	za_test_fragment(test, pool);
	text = za_test_render(test, za_show_pagetypeinfo, pool);
	KUNIT_EXPECT_TRUE(test, str_has_prefix(text, za_test_pti_head));
	while ((line = strsep(&text, "\n"))) {
		if (str_has_prefix(line, "Number of blocks type "))
			section = 1;
		n = sscanf(line, ZA_TEST_PTI_FREE, &node, zname, tname, &v[0],
			   &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7], &v[8],
			   &v[9], &v[10]);
		if (n == 3 + ZA_NR_ORDERS) {
			KUNIT_ASSERT_EQ(test, section, 0);
			strim(zname);
			z = match_string(za_zone_names, ZA_NR_ZONES, zname);
			KUNIT_ASSERT_GE_MSG(test, z, 0, "zone '%s'", zname);
			t = match_string(za_migratetype_names, ZA_MIGRATE_TYPES, tname);
			KUNIT_ASSERT_GE_MSG(test, t, 0, "type '%s'", tname);
			for (o = 0; o < ZA_NR_ORDERS; o++)
				sum[z][o] += v[o];
			continue;
		}
		n = sscanf(line, "Node %d, zone %15s %lu %lu %lu %lu %lu",
			   &node, zname, &b[0], &b[1], &b[2], &b[3], &b[4]);
		if (n == 2 + ZA_MIGRATE_TYPES) {
			KUNIT_ASSERT_EQ(test, section, 1);
			z = match_string(za_zone_names, ZA_NR_ZONES, zname);
			KUNIT_ASSERT_GE_MSG(test, z, 0, "zone '%s'", zname);
			for (t = 0; t < ZA_MIGRATE_TYPES; t++)
				blocks[z] += b[t];
		}
	}
	for (z = 0; z < ZA_NR_ZONES; z++) {
		for (o = 0; o < ZA_NR_ORDERS; o++)
			KUNIT_EXPECT_EQ_MSG(test, sum[z][o],
					    pool->zones[z].free_area[o].nr_free,
					    "zone %s order %d", za_zone_names[z], o);
		KUNIT_EXPECT_EQ_MSG(test, blocks[z],
				    pool->zones[z].present_pages / ZA_PAGEBLOCK_PAGES,
				    "zone %s", za_zone_names[z]);
	}
	za_test_check(test, pool, "after pagetypeinfo");
}

static struct kunit_case za_vmstat_cases[] = {
	KUNIT_CASE(zonealloc_vmstat_indices_match_definitions),
	KUNIT_CASE(zonealloc_vmstat_extfrag_extremes),
	KUNIT_CASE(zonealloc_vmstat_buddyinfo_parses_back),
	KUNIT_CASE(zonealloc_vmstat_pagetypeinfo_sums),
	{}
};

static struct kunit_suite za_vmstat_suite = {
	.name = "zonealloc_vmstat",
	.suite_init = za_test_suite_init,
	.init = za_test_case_init,
	.test_cases = za_vmstat_cases,
};

kunit_test_suite(za_vmstat_suite);
