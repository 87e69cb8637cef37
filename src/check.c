// SPDX-License-Identifier: GPL-2.0
/*
 * The invariant checker: one function that decides whether a pool's free
 * lists, per-CPU lists and descriptors agree with each other. The KUnit
 * suites call it after every step (kunit/test_pool.c); nothing in the
 * module calls it.
 */

#include <linux/cpumask.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <kunit/visibility.h>

#include "buddy.h"
#include "check.h"
#include "pcp.h"
#include "pool.h"

struct za_check_count {
	unsigned long free;	/* pages in buddy blocks, isolated included */
	unsigned long free_acct; /* the part counted in zone->free_pages */
	unsigned long free_ha;	/* the part on highatomic lists */
	unsigned long free_heads;
	unsigned long pcp;
	unsigned long pcp_heads;
	unsigned long walk_free;
	unsigned long walk_free_heads;
	unsigned long walk_pcp;
	unsigned long walk_pcp_heads;
	unsigned long walk_alloc;
};

static __printf(3, 4) int za_check_fail(char *buf, size_t len,
					 const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	vscnprintf(buf, len, fmt, args);
	va_end(args);
	return -EINVAL;
}

/* One free list entry: a free head of this order and type, in its zone. */
static int za_check_free_entry(struct za_zone *zone, struct za_page *zp,
			       unsigned int o, int mt, char *buf, size_t len)
{
	const char *zn = za_zone_names[zone->idx];
	int pb_mt = za_get_pageblock_mt(zp);
	unsigned long i;

	if (za_page_state(zp) != ZA_PAGE_FREE || zp->order != o || zp->mt != mt ||
	    zp->zone != za_zone_id(zone))
		return za_check_fail(buf, len,
				     "zone %s order %u %s list: pfn %#lx state %u order %u mt %u zone %u",
				     zn, o, za_migratetype_names[mt], zp->pfn,
				     za_page_state(zp), zp->order, zp->mt, zp->zone);
	if (pb_mt != mt)
		return za_check_fail(buf, len,
				     "zone %s order %u: pfn %#lx on %s list in a %s pageblock",
				     zn, o, zp->pfn, za_migratetype_names[mt],
				     za_migratetype_names[pb_mt]);
	/* A block larger than a pageblock: every pageblock it spans too. */
	for (i = ZA_PAGEBLOCK_PAGES; i < (1UL << o); i += ZA_PAGEBLOCK_PAGES) {
		struct za_page *pb = za_pfn_to_page(zone->pool, zp->pfn + i);

		pb_mt = pb ? za_get_pageblock_mt(pb) : -1;
		if (pb_mt != mt)
			return za_check_fail(buf, len,
					     "zone %s order %u: %s block at pfn %#lx spans a pageblock of type %d at %#lx",
					     zn, o, za_migratetype_names[mt],
					     zp->pfn, pb_mt, zp->pfn + i);
	}
	return 0;
}

static int za_check_pcp(struct za_zone *zone, struct za_check_count *cnt,
			char *buf, size_t len)
{
	const char *zn = za_zone_names[zone->idx];
	int cpu, i;

	for_each_possible_cpu(cpu) {
		struct za_pcp *pcp = per_cpu_ptr(zone->pcp, cpu);
		unsigned long n = 0;

		for (i = 0; i < ZA_NR_PCP_LISTS; i++) {
			struct za_page *zp;

			list_for_each_entry(zp, &pcp->lists[i], lru) {
				if (za_page_state(zp) != ZA_PAGE_PCP ||
				    zp->order != za_pcp_list_order(i) ||
				    zp->zone != za_zone_id(zone))
					return za_check_fail(buf, len,
							     "zone %s cpu %d pcp list %d: pfn %#lx state %u order %u",
							     zn, cpu, i, zp->pfn,
							     za_page_state(zp), zp->order);
				n += 1UL << zp->order;
				cnt->pcp_heads++;
			}
		}
		if (n != pcp->count)
			return za_check_fail(buf, len,
					     "zone %s cpu %d: pcp count %d but %lu listed",
					     zn, cpu, pcp->count, n);
		cnt->pcp += n;
	}
	return 0;
}

static int za_check_lists(struct za_zone *zone, struct za_check_count *cnt,
			  char *buf, size_t len)
{
	const char *zn = za_zone_names[zone->idx];
	unsigned int o;
	int mt, ret;

	for (o = 0; o <= ZA_MAX_ORDER; o++) {
		struct za_free_area *area = &zone->free_area[o];
		unsigned long n = 0;

		for (mt = 0; mt < ZA_MIGRATE_TYPES; mt++) {
			struct za_page *zp;

			list_for_each_entry(zp, &area->free_list[mt], lru) {
				ret = za_check_free_entry(zone, zp, o, mt, buf,
							  len);
				if (ret)
					return ret;
				n++;
				cnt->free += 1UL << o;
				if (mt != ZA_MIGRATE_ISOLATE)
					cnt->free_acct += 1UL << o;
				if (mt == ZA_MIGRATE_HIGHATOMIC)
					cnt->free_ha += 1UL << o;
			}
		}
		if (n != area->nr_free)
			return za_check_fail(buf, len,
					     "zone %s order %u: nr_free %lu but %lu blocks listed",
					     zn, o, area->nr_free, n);
		cnt->free_heads += n;
	}
	if (cnt->free_acct != zone->free_pages)
		return za_check_fail(buf, len,
				     "zone %s: free_pages %lu but %lu listed",
				     zn, zone->free_pages, cnt->free_acct);
	if (cnt->free_ha != zone->nr_free_highatomic)
		return za_check_fail(buf, len,
				     "zone %s: nr_free_highatomic %lu but %lu listed",
				     zn, zone->nr_free_highatomic, cnt->free_ha);
	return zone->pcp ? za_check_pcp(zone, cnt, buf, len) : 0;
}

/* One block found by the walk: aligned, inside its range, tails after it. */
static int za_check_block(struct za_chunk *c, unsigned long j, char *buf,
			  size_t len)
{
	struct za_page *zp = &c->pages[j];
	const char *zn = za_zone_names[c->zone % ZA_NR_ZONES];
	unsigned long k, nr;

	if (za_page_state(zp) == ZA_PAGE_TAIL)
		return za_check_fail(buf, len,
				     "zone %s: pfn %#lx is in no block (lost page)",
				     zn, zp->pfn);
	nr = 1UL << zp->order;
	if (zp->order > ZA_MAX_ORDER || (zp->pfn & (nr - 1)) ||
	    j + nr > c->nr_pages)
		return za_check_fail(buf, len,
				     "zone %s: pfn %#lx bad block order %u",
				     zn, zp->pfn, zp->order);
	for (k = 0; k < nr; k++) {
		if (k && za_page_state(&zp[k]) != ZA_PAGE_TAIL)
			return za_check_fail(buf, len,
					     "zone %s: order-%u block at pfn %#lx overlaps block at pfn %#lx (state %u)",
					     zn, zp->order, zp->pfn, zp[k].pfn,
					     za_page_state(&zp[k]));
		if (zp[k].zone != c->zone)
			return za_check_fail(buf, len,
					     "pfn %#lx: zone %u in a %s range",
					     zp[k].pfn, zp[k].zone, zn);
	}
	return 0;
}

/* Walk every range: each page is a head or a tail of the block before it. */
static int za_check_walk(struct za_pool *pool,
			 struct za_check_count *cnts, char *buf, size_t len)
{
	unsigned int i;
	int ret;

	for (i = 0; i < pool->nr_chunks; i++) {
		struct za_chunk *c = &pool->chunks[i];
		unsigned long j = 0;

		while (j < c->nr_pages) {
			struct za_page *zp = &c->pages[j];
			struct za_check_count *cnt = &cnts[c->zone];
			unsigned long nr = 1UL << zp->order;

			ret = za_check_block(c, j, buf, len);
			if (ret)
				return ret;
			switch (za_page_state(zp)) {
			case ZA_PAGE_FREE:
				cnt->walk_free += nr;
				cnt->walk_free_heads++;
				break;
			case ZA_PAGE_PCP:
				cnt->walk_pcp += nr;
				cnt->walk_pcp_heads++;
				break;
			default:
				cnt->walk_alloc += nr;
			}
			j += nr;
		}
	}
	return 0;
}

static int za_check_zones(struct za_pool *pool, struct za_check_count *cnt,
			  char *buf, size_t len)
{
	struct za_zone *zone;
	int ret;

	for (zone = pool->zones; zone < za_pool_zones_end(pool); zone++) {
		ret = za_check_lists(zone, &cnt[za_zone_id(zone)], buf, len);
		if (ret)
			return ret;
	}
	ret = za_check_walk(pool, cnt, buf, len);
	if (ret)
		return ret;
	for (zone = pool->zones; zone < za_pool_zones_end(pool); zone++) {
		struct za_check_count *c = &cnt[za_zone_id(zone)];
		const char *zn = za_zone_names[zone->idx];

		if (c->free != c->walk_free ||
		    c->free_heads != c->walk_free_heads)
			return za_check_fail(buf, len,
					     "zone %s: lists hold %lu free pages in %lu blocks, ranges %lu in %lu",
					     zn, c->free, c->free_heads,
					     c->walk_free, c->walk_free_heads);
		if (c->pcp != c->walk_pcp || c->pcp_heads != c->walk_pcp_heads)
			return za_check_fail(buf, len,
					     "zone %s: pcp lists hold %lu pages in %lu blocks, ranges %lu in %lu",
					     zn, c->pcp, c->pcp_heads,
					     c->walk_pcp, c->walk_pcp_heads);
		if (c->walk_free + c->walk_pcp + c->walk_alloc !=
		    zone->managed_pages)
			return za_check_fail(buf, len,
					     "zone %s: free %lu + pcp %lu + allocated %lu != managed %lu",
					     zn, c->walk_free, c->walk_pcp,
					     c->walk_alloc, zone->managed_pages);
	}
	return 0;
}

/**
 * za_pool_check() - verify a pool's invariants.
 * @pool: a pool that has been set up.
 * @buf: where to describe the first violation found.
 * @len: size of @buf.
 *
 * Checks that every free list entry is a free head of that order and
 * migratetype in a pageblock of that type; that nr_free, free_pages,
 * nr_free_highatomic and the PCP counts match the lists; that walking the
 * ranges finds every page in exactly one block (free, on a PCP list or
 * allocated), no block overlapping another, and the same free and PCP
 * blocks as the lists; and that free + PCP + allocated equals managed pages
 * in every zone.
 *
 * Context: Process context. The pool must be quiescent: no allocation,
 * free, drain or isolation may run concurrently.
 * Return: 0, or -EINVAL with @buf describing the violation, -ENOMEM.
 */
int za_pool_check(struct za_pool *pool, char *buf, size_t len)
{
	struct za_check_count *cnt;
	int ret;

	buf[0] = '\0';
	cnt = kcalloc(za_pool_nr_zones(pool), sizeof(*cnt), GFP_KERNEL);
	if (!cnt)
		return -ENOMEM;
	ret = za_check_zones(pool, cnt, buf, len);
	kfree(cnt);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(za_pool_check);
