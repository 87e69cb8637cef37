// SPDX-License-Identifier: GPL-2.0
/*
 * Scale: a 64 GiB pool (16 M pages) of three zones in 1 GiB ranges, with 64
 * simulated CPUs. Reports the set-up time, the descriptor bytes per page,
 * the invariant checker's time and the throughput of order-0 (per-CPU
 * lists, freed on another CPU than the one that allocated) and order-9
 * (buddy lists) allocation and free; fills a quarter of the pool, checks,
 * frees it all and checks that every zone is back to its set-up free
 * blocks.
 */

#include <host_kernel.h>

#include "alloc.h"
#include "pcp.h"
#include "pool.h"
#include "tests.h"

#define SC_CPUS		64
#define SC_PAGES	(16UL << 20)		/* 64 GiB of 4 KiB pages */
#define SC_GIB		(SZ_1G / PAGE_SIZE)	/* pages per GiB */
#define SC_BATCH	4096

struct sc_state {
	struct za_pool *pool;
	struct za_page **held;
	unsigned long nr_held;
	unsigned long nr_free0[ZA_NR_ZONES][ZA_NR_ORDERS];
};

/* DMA below 16 MiB, DMA32 to 3 GiB (a PCI hole up to 4 GiB), Normal above. */
static unsigned long sc_layout(struct za_pool *pool)
{
	unsigned long pfn, left, total = 0;
	int ret;

	ret = za_pool_add_range(pool, 512, 4096 - 512, ZA_ZONE_DMA);
	total += 4096 - 512;
	ret |= za_pool_add_range(pool, 4096, 3 * SC_GIB - 4096, ZA_ZONE_DMA32);
	total += 3 * SC_GIB - 4096;
	/* 1 GiB ranges with 2 MiB holes, so that they stay separate chunks. */
	pfn = 4 * SC_GIB;
	left = SC_PAGES - total;
	while (left) {
		unsigned long nr = min(left, SC_GIB);

		ret |= za_pool_add_range(pool, pfn, nr, ZA_ZONE_NORMAL);
		total += nr;
		left -= nr;
		pfn += nr + ZA_PAGEBLOCK_PAGES;
	}
	HT_EXPECT(!ret, "adding the ranges failed");
	return pfn;
}

static double sc_alloc_free(struct sc_state *sc, unsigned int order,
			    unsigned long total, u32 gfp)
{
	unsigned long done = 0, i;
	double t0 = ht_now();
	int cpu = 0;

	while (done < total) {
		unsigned long n = min(total - done, (unsigned long)SC_BATCH);

		host_cpu = cpu;
		for (i = 0; i < n; i++) {
			struct za_page *zp = za_alloc_pages(sc->pool, gfp, order);

			if (IS_ERR(zp)) {
				ht_fail("order-%u allocation %lu failed: %ld",
					order, done + i, PTR_ERR(zp));
				return 0;
			}
			sc->held[i] = zp;
		}
		/* Freed on the next CPU: remote frees fill its lists. */
		cpu = (cpu + 1) % SC_CPUS;
		host_cpu = cpu;
		for (i = 0; i < n; i++)
			za_free_pages(sc->pool, sc->held[i], order);
		done += n;
	}
	return 2.0 * total / (ht_now() - t0);
}

/* Allocate mixed orders 0..3 until @pages are held. */
static void sc_fill(struct sc_state *sc, unsigned long pages)
{
	unsigned long held = 0;
	u64 rng = ht_seed;

	while (held < pages) {
		unsigned int order = ht_below(&rng, 4);
		struct za_page *zp;

		host_cpu = ht_below(&rng, SC_CPUS);
		zp = za_alloc_pages(sc->pool, ZONEALLOC_GFP_MOVABLE, order);
		if (IS_ERR(zp)) {
			ht_fail("fill: order-%u allocation failed at %lu pages",
				order, held);
			return;
		}
		sc->held[sc->nr_held++] = zp;
		held += 1UL << order;
	}
}

static void sc_free_all(struct sc_state *sc)
{
	u64 rng = ht_seed ^ 0x9e3779b97f4a7c15ULL;
	unsigned long i;

	for (i = 0; i < sc->nr_held; i++) {
		host_cpu = ht_below(&rng, SC_CPUS);
		za_free_pages(sc->pool, sc->held[i], sc->held[i]->order);
	}
	sc->nr_held = 0;
}

void scale_test(void)
{
	unsigned long max_pfn, managed = 0, overhead;
	struct sc_state sc = {};
	double t0, t_setup, t_check, order0, order9;
	int z, o, ret;

	host_nr_cpus = SC_CPUS;
	sc.held = calloc(SC_PAGES / 4 + SC_BATCH, sizeof(*sc.held));
	sc.pool = za_pool_create("host-scale");
	if (!HT_EXPECT(sc.pool && sc.held, "out of memory"))
		goto out;
	max_pfn = sc_layout(sc.pool);
	host_memmap_init(max_pfn);

	t0 = ht_now();
	ret = za_pool_setup(sc.pool);
	t_setup = ht_now() - t0;
	if (!HT_EXPECT(!ret, "setup: %d", ret))
		goto out;
	for (z = 0; z < ZA_NR_ZONES; z++) {
		managed += sc.pool->zones[z].managed_pages;
		for (o = 0; o <= ZA_MAX_ORDER; o++)
			sc.nr_free0[z][o] = sc.pool->zones[z].free_area[o].nr_free;
	}
	HT_EXPECT(managed == SC_PAGES, "%lu pages managed", managed);
	overhead = sizeof(*sc.pool) + sc.pool->max_chunks * sizeof(struct za_chunk);
	for (z = 0; z < ZA_NR_ZONES; z++)
		if (sc.pool->zones[z].pcp)
			overhead += SC_CPUS * sizeof(struct za_pcp);

	t0 = ht_now();
	ht_pool_check(sc.pool, "after set-up");
	t_check = ht_now() - t0;
	ht_info("%lu MiB in %u ranges, %d CPUs: set-up %.2fs, check %.2fs, %zu descriptor bytes per page (+%.3f for pool, ranges and per-CPU lists)",
		managed >> (20 - PAGE_SHIFT), sc.pool->nr_chunks, SC_CPUS,
		t_setup, t_check, sizeof(struct za_page),
		(double)overhead / managed);

	order0 = sc_alloc_free(&sc, 0, 1UL << 21, 0);
	order9 = sc_alloc_free(&sc, 9, 1UL << 14, 0);
	ht_info("throughput: order-0 %.2f M allocs+frees/s (per-CPU lists, 64 CPUs), order-9 %.2f M/s (buddy lists)",
		order0 / 1e6, order9 / 1e6);
	za_pcp_drain_all(sc.pool);
	ht_pool_check(sc.pool, "after the throughput runs");

	t0 = ht_now();
	sc_fill(&sc, SC_PAGES / 4);
	ht_info("filled a quarter (%lu blocks of orders 0-3) in %.2fs",
		sc.nr_held, ht_now() - t0);
	ht_pool_check(sc.pool, "a quarter full");
	HT_EXPECT(za_pool_allocated_pages(sc.pool) >= SC_PAGES / 4,
		  "%lu pages allocated", za_pool_allocated_pages(sc.pool));
	sc_free_all(&sc);
	za_pcp_drain_all(sc.pool);
	ht_pool_check(sc.pool, "emptied");
	for (z = 0; z < ZA_NR_ZONES; z++) {
		struct za_zone *zone = &sc.pool->zones[z];

		HT_EXPECT(zone->free_pages == zone->managed_pages,
			  "zone %s: %lu of %lu free", za_zone_names[z],
			  zone->free_pages, zone->managed_pages);
		for (o = 0; o <= ZA_MAX_ORDER; o++)
			HT_EXPECT(zone->free_area[o].nr_free == sc.nr_free0[z][o],
				  "zone %s order %d: %lu free blocks, %lu at set-up",
				  za_zone_names[z], o, zone->free_area[o].nr_free,
				  sc.nr_free0[z][o]);
	}
out:
	HT_EXPECT(za_pool_destroy(sc.pool) == 0, "pages outstanding");
	host_memmap_init(0);
	free(sc.held);
}
