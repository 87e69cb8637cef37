// SPDX-License-Identifier: GPL-2.0
/*
 * za_holder: an in-kernel user of zonealloc for the unload test. At load it
 * allocates blocks of several orders and a bulk batch through the exported
 * API, writes a pattern into them and keeps them; at unload it checks the
 * pattern and frees them. zonealloc's symbols are taken with symbol_get()
 * only for the duration of each call, so the only thing that can keep
 * zonealloc loaded meanwhile is the allocations themselves.
 *
 * With bench=N it also times N order-0 allocate/free pairs at load.
 */

#include <linux/err.h>
#include <linux/highmem.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <zonealloc.h>

#define ZA_HOLDER_BULK	32

static const unsigned int za_holder_orders[] = { 0, 3, 10 };

static unsigned int bench;
module_param(bench, uint, 0444);
MODULE_PARM_DESC(bench, "Time this many order-0 alloc/free pairs at load (default 0)");

static struct page *za_holder_blocks[ARRAY_SIZE(za_holder_orders)];
static struct page *za_holder_bulk[ZA_HOLDER_BULK];

static u8 za_holder_byte(unsigned long pfn)
{
	return (u8)(pfn * 37 + 11);
}

/* Fill (or check) every page of a block with a byte derived from its pfn. */
static unsigned long za_holder_pattern(struct page *page, unsigned int order,
				       bool check)
{
	unsigned long i, bad = 0;

	for (i = 0; i < BIT(order); i++) {
		u8 want = za_holder_byte(page_to_pfn(page + i));
		u8 *p = kmap_local_page(page + i);

		if (check)
			bad += !!memchr_inv(p, want, PAGE_SIZE);
		else
			memset(p, want, PAGE_SIZE);
		kunmap_local(p);
	}
	return bad;
}

static void za_holder_bench(void)
{
	struct page *(*alloc)(u32 gfp, unsigned int order);
	int (*free)(struct page *page, unsigned int order);
	unsigned int i;
	ktime_t t0;
	u64 ns;

	alloc = symbol_get(zonealloc_alloc_pages);
	free = symbol_get(zonealloc_free_pages);
	if (alloc && free) {
		t0 = ktime_get();
		for (i = 0; i < bench; i++) {
			struct page *page = alloc(0, 0);

			if (IS_ERR(page) || free(page, 0))
				break;
		}
		ns = ktime_to_ns(ktime_sub(ktime_get(), t0));
		pr_info("bench: %u order-0 alloc+free pairs, %llu ns each\n",
			i, i ? div_u64(ns, i) : 0);
	}
	if (alloc)
		symbol_put(zonealloc_alloc_pages);
	if (free)
		symbol_put(zonealloc_free_pages);
}

static int __init za_holder_init(void)
{
	struct page *(*alloc)(u32 gfp, unsigned int order);
	int (*alloc_bulk)(u32 gfp, unsigned int nr, struct page **pages);
	unsigned int i, pages = 0;
	int got, ret = 0;

	if (bench)
		za_holder_bench();
	alloc = symbol_get(zonealloc_alloc_pages);
	alloc_bulk = symbol_get(zonealloc_alloc_pages_bulk);
	if (!alloc || !alloc_bulk) {
		pr_err("zonealloc is not loaded\n");
		ret = -ENODEV;
		goto out;
	}
	for (i = 0; i < ARRAY_SIZE(za_holder_orders); i++) {
		struct page *page = alloc(ZONEALLOC_GFP_NOWARN,
					  za_holder_orders[i]);

		if (IS_ERR(page)) {
			pr_err("order-%u allocation failed: %ld\n",
			       za_holder_orders[i], PTR_ERR(page));
			continue;
		}
		za_holder_pattern(page, za_holder_orders[i], false);
		za_holder_blocks[i] = page;
		pages += BIT(za_holder_orders[i]);
	}
	got = alloc_bulk(ZONEALLOC_GFP_NOWARN, ZA_HOLDER_BULK, za_holder_bulk);
	for (i = 0; got > 0 && i < ZA_HOLDER_BULK; i++) {
		if (za_holder_bulk[i]) {
			za_holder_pattern(za_holder_bulk[i], 0, false);
			pages++;
		}
	}
	pr_info("holding %u pages in %zu blocks and %d bulk pages\n", pages,
		ARRAY_SIZE(za_holder_orders), got);
out:
	/* Only the allocations may keep zonealloc loaded from here on. */
	if (alloc)
		symbol_put(zonealloc_alloc_pages);
	if (alloc_bulk)
		symbol_put(zonealloc_alloc_pages_bulk);
	return ret;
}

static void __exit za_holder_exit(void)
{
	int (*free)(struct page *page, unsigned int order);
	int (*free_bulk)(unsigned int nr, struct page **pages);
	unsigned long bad = 0, freed = 0;
	unsigned int i;

	free = symbol_get(zonealloc_free_pages);
	free_bulk = symbol_get(zonealloc_free_pages_bulk);
	if (!free || !free_bulk) {
		/* The bug under test: the pages went back with zonealloc. */
		pr_err("zonealloc was unloaded while za_holder held its pages\n");
		goto out;
	}
	for (i = 0; i < ARRAY_SIZE(za_holder_orders); i++) {
		unsigned int order = za_holder_orders[i];

		if (!za_holder_blocks[i])
			continue;
		bad += za_holder_pattern(za_holder_blocks[i], order, true);
		if (free(za_holder_blocks[i], order))
			pr_err("order-%u free failed\n", order);
		else
			freed += BIT(order);
	}
	for (i = 0; i < ZA_HOLDER_BULK; i++)
		if (za_holder_bulk[i]) {
			bad += za_holder_pattern(za_holder_bulk[i], 0, true);
			freed++;
		}
	if (free_bulk(ZA_HOLDER_BULK, za_holder_bulk))
		pr_err("bulk free failed\n");
	if (bad)
		pr_err("pattern mismatch in %lu pages\n", bad);
	else
		pr_info("freed %lu pages, pattern intact\n", freed);
out:
	if (free)
		symbol_put(zonealloc_free_pages);
	if (free_bulk)
		symbol_put(zonealloc_free_pages_bulk);
}

module_init(za_holder_init);
module_exit(za_holder_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Holds zonealloc pages across an rmmod attempt (test)");
