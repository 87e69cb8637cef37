// SPDX-License-Identifier: GPL-2.0
/*
 * za_exporter: an in-kernel user of zonealloc_export_dmabuf() for the
 * unload test. At load it allocates an order-2 block through the API,
 * writes a pattern, exports it as a dma-buf and, as an importer would:
 *
 *  - vmaps the dma-buf and checks the pattern through the vmap, then
 *    writes a second pattern through it and checks it through the pages;
 *  - attaches a device whose DMA mask (24 bits) cannot reach the block
 *    (-ERANGE expected unless the block lies below 16 MiB) and one with a
 *    64-bit mask, maps that attachment and checks the scatterlist covers
 *    the block exactly.
 *
 * It keeps the dma-buf until it is unloaded, then drops it: the block goes
 * back to the pool with the last reference, and only then may zonealloc
 * unload. zonealloc's symbols are taken with symbol_get() only for each
 * call. Results go to the kernel log: "za_exporter: export ok ..." or
 * "za_exporter: FAIL ...".
 */

#include <linux/dma-buf.h>
#include <linux/dma-mapping.h>
#include <linux/err.h>
#include <linux/fcntl.h>
#include <linux/highmem.h>
#include <linux/iosys-map.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/scatterlist.h>
#include <linux/sizes.h>
#include <linux/version.h>
#include <zonealloc.h>

#include "compat.h"

ZA_MODULE_IMPORT_NS_DMA_BUF;

#define ZA_EXP_ORDER	2

static struct dma_buf *za_exp_buf;

static u8 za_exp_byte(unsigned long i, u8 salt)
{
	return (u8)(i * 31 + salt);
}

/* Fill or check the block through its pages; returns bad bytes. */
static unsigned long za_exp_pages(struct page *page, u8 salt, bool check)
{
	unsigned long p, i, bad = 0;

	for (p = 0; p < BIT(ZA_EXP_ORDER); p++) {
		u8 *v = kmap_local_page(page + p);

		for (i = 0; i < PAGE_SIZE; i++) {
			u8 want = za_exp_byte(p * PAGE_SIZE + i, salt);

			if (!check)
				v[i] = want;
			else if (v[i] != want)
				bad++;
		}
		kunmap_local(v);
	}
	return bad;
}

static int za_exp_vmap(struct dma_buf *buf, struct page *page)
{
	struct iosys_map map;
	unsigned long i, bad = 0;
	u8 *v;
	int ret;

	ret = dma_buf_vmap_unlocked(buf, &map);
	if (ret) {
		pr_err("FAIL vmap: %d\n", ret);
		return ret;
	}
	v = map.vaddr;
	for (i = 0; i < BIT(ZA_EXP_ORDER) * PAGE_SIZE; i++) {
		if (v[i] != za_exp_byte(i, 1))
			bad++;
		v[i] = za_exp_byte(i, 2);
	}
	dma_buf_vunmap_unlocked(buf, &map);
	if (bad) {
		pr_err("FAIL vmap read %lu bad bytes\n", bad);
		return -EIO;
	}
	bad = za_exp_pages(page, 2, true);
	if (bad) {
		pr_err("FAIL pages read %lu bad bytes written through the vmap\n",
		       bad);
		return -EIO;
	}
	return 0;
}

/* Attach @dev with a @bits DMA mask; map and check the table if it may. */
static int za_exp_attach(struct dma_buf *buf, struct page *page,
			 struct device *dev, unsigned int bits)
{
	phys_addr_t last = page_to_phys(page) +
			   (BIT(ZA_EXP_ORDER) << PAGE_SHIFT) - 1;
	bool reach = bits >= 64 || last < BIT_ULL(bits);
	struct dma_buf_attachment *at;
	struct sg_table *sgt;
	struct scatterlist *sg;
	unsigned long len = 0;
	unsigned int i;
	int ret = 0;

	ret = dma_coerce_mask_and_coherent(dev, DMA_BIT_MASK(bits));
	if (ret) {
		pr_err("FAIL set a %u-bit mask: %d\n", bits, ret);
		return ret;
	}
	at = dma_buf_attach(buf, dev);
	if (IS_ERR(at)) {
		if (!reach && PTR_ERR(at) == -ERANGE)
			return 0;
		pr_err("FAIL attach with a %u-bit mask: %ld\n", bits,
		       PTR_ERR(at));
		return PTR_ERR(at);
	}
	if (!reach) {
		pr_err("FAIL attach with a %u-bit mask reached %pa\n", bits,
		       &last);
		dma_buf_detach(buf, at);
		return -EINVAL;
	}
	sgt = dma_buf_map_attachment_unlocked(at, DMA_BIDIRECTIONAL);
	if (IS_ERR(sgt)) {
		ret = PTR_ERR(sgt);
		pr_err("FAIL map with a %u-bit mask: %d\n", bits, ret);
		goto out;
	}
	for_each_sgtable_sg(sgt, sg, i) {
		if (page_to_pfn(sg_page(sg)) != page_to_pfn(page) +
		    (len >> PAGE_SHIFT))
			ret = -EINVAL;
		len += sg->length;
	}
	if (ret || len != BIT(ZA_EXP_ORDER) << PAGE_SHIFT) {
		pr_err("FAIL the table covers %lu bytes, not the block\n", len);
		ret = -EINVAL;
	}
	dma_buf_unmap_attachment_unlocked(at, sgt, DMA_BIDIRECTIONAL);
out:
	dma_buf_detach(buf, at);
	return ret;
}

static int __init za_exporter_init(void)
{
	struct dma_buf *(*export)(struct page *page, unsigned int order,
				  u32 map, u32 fd_flags);
	struct page *(*alloc)(u32 gfp, unsigned int order);
	int (*free)(struct page *page, unsigned int order);
	struct platform_device *pdev;
	struct dma_buf *buf;
	struct page *page;
	int ret = -ENODEV;

	export = symbol_get(zonealloc_export_dmabuf);
	alloc = symbol_get(zonealloc_alloc_pages);
	free = symbol_get(zonealloc_free_pages);
	if (!export || !alloc || !free) {
		pr_err("FAIL zonealloc is not loaded\n");
		goto out;
	}
	page = alloc(0, ZA_EXP_ORDER);
	if (IS_ERR(page)) {
		ret = PTR_ERR(page);
		pr_err("FAIL order-%u allocation: %d\n", ZA_EXP_ORDER, ret);
		goto out;
	}
	za_exp_pages(page, 1, false);
	/* Bad arguments: the caller keeps the block. */
	buf = export(page, ZA_EXP_ORDER, ZONEALLOC_MAP_MASK, O_RDWR);
	if (!IS_ERR(buf) || PTR_ERR(buf) != -EINVAL) {
		pr_err("FAIL export with both cache modes: %ld\n",
		       IS_ERR(buf) ? PTR_ERR(buf) : 0L);
		/* A dma-buf owns the block; a failed export leaves it ours. */
		if (!IS_ERR(buf))
			dma_buf_put(buf);
		else
			free(page, ZA_EXP_ORDER);
		ret = -EINVAL;
		goto out;
	}
	buf = export(page, ZA_EXP_ORDER, 0, O_RDWR | O_CLOEXEC);
	if (IS_ERR(buf)) {
		ret = PTR_ERR(buf);
		pr_err("FAIL export: %d\n", ret);
		free(page, ZA_EXP_ORDER);
		goto out;
	}
	/* From here the dma-buf owns the block. */
	ret = za_exp_vmap(buf, page);
	pdev = platform_device_register_simple("za_exporter", -1, NULL, 0);
	if (IS_ERR(pdev)) {
		pr_err("FAIL no device: %ld\n", PTR_ERR(pdev));
		ret = ret ?: PTR_ERR(pdev);
	} else {
		ret = ret ?: za_exp_attach(buf, page, &pdev->dev, 24);
		ret = ret ?: za_exp_attach(buf, page, &pdev->dev, 64);
		platform_device_unregister(pdev);
	}
	if (ret) {
		dma_buf_put(buf);
		goto out;
	}
	za_exp_buf = buf;
	pr_info("export ok: pfn %#lx, %lu pages, vmap and attachments checked\n",
		page_to_pfn(page), BIT(ZA_EXP_ORDER));
out:
	if (export)
		symbol_put(zonealloc_export_dmabuf);
	if (alloc)
		symbol_put(zonealloc_alloc_pages);
	if (free)
		symbol_put(zonealloc_free_pages);
	return ret;
}

static void __exit za_exporter_exit(void)
{
	dma_buf_put(za_exp_buf);
	pr_info("dma-buf dropped\n");
}

module_init(za_exporter_init);
module_exit(za_exporter_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Exports a zonealloc block as a dma-buf in the kernel (test)");
