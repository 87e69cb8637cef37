// SPDX-License-Identifier: GPL-2.0
/*
 * dma-buf export of physically contiguous pool memory.
 *
 * A dma-buf made here describes one contiguous range of the pool that its
 * exporter (dev.c for /dev/zonealloc, or the in-kernel API) keeps in place
 * until the dma-buf's release: the range is neither moved nor freed while
 * any importer, mapping or file descriptor refers to the dma-buf. The
 * dma-buf holds a reference on this module (.owner), so the module cannot
 * be unloaded under it.
 *
 * Every attachment gets its own sg_table, mapped for the importer's device
 * with dma_map_sgtable() at map time; begin/end_cpu_access sync every
 * mapped attachment, as the kernel's system heap does. A device whose DMA
 * mask cannot reach the range (and that has no IOMMU to remap it) is
 * refused at attach with -ERANGE rather than left to bounce buffers, which
 * would break the sharing.
 *
 * The exporter-side SYNC of /dev/zonealloc mappings has no importer's
 * device to sync for: it uses the misc device's own struct device, given a
 * 64-bit DMA mask at load so that dma-direct maps the pages as they are
 * (see za_dmabuf_sync()).
 */

#include <linux/dma-buf.h>
#include <linux/dma-mapping.h>
#include <linux/highmem.h>
#include <linux/iommu.h>
#include <linux/iosys-map.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pfn.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>
#include <uapi/linux/zonealloc.h>

#include <zonealloc.h>

#include "alloc.h"
#include "dev.h"
#include "dmabuf.h"

/**
 * za_dmabuf_check_fd_flags() - validate the fd flags of an export request.
 * @fd_flags: O_CLOEXEC and O_ACCMODE bits, as dma-heaps take.
 *
 * Context: Any context.
 * Return: 0, or -EINVAL for any other bit.
 */
int za_dmabuf_check_fd_flags(u32 fd_flags)
{
	return fd_flags & ~(O_CLOEXEC | O_ACCMODE) ? -EINVAL : 0;
}

/**
 * za_map_pgprot() - page protection for a CPU mapping in a cache mode.
 * @map: ZONEALLOC_MAP_* bits (0: cached).
 * @prot: the cached protection.
 *
 * Context: Any context.
 * Return: @prot, write-combining or uncached as @map asks.
 */
pgprot_t za_map_pgprot(u32 map, pgprot_t prot)
{
	if (map & ZONEALLOC_MAP_WC)
		return pgprot_writecombine(prot);
	if (map & ZONEALLOC_MAP_UNCACHED)
		return pgprot_noncached(prot);
	return prot;
}

/*
 * Kernels without dma-buf support (the KUnit kernel's tinyconfig) get the
 * module without EXPORT: dev.c and the in-kernel call answer -EOPNOTSUPP.
 */
#if IS_ENABLED(CONFIG_DMA_SHARED_BUFFER)
ZA_MODULE_IMPORT_NS_DMA_BUF;

/* Pages per scatterlist entry: its length is an unsigned int. */
#define ZA_SG_MAX_PAGES		(SZ_1G >> PAGE_SHIFT)

/**
 * struct za_buf - the exporter's state of one dma-buf.
 * @src: the range and its owner's release callback.
 * @lock: protects @attachments, @vaddr and @vmap_count.
 * @attachments: &struct za_buf_attach of every attached device.
 * @vaddr: kernel mapping made by vmap, while @vmap_count is non-zero.
 * @vmap_count: vmap calls not yet undone by vunmap.
 */
struct za_buf {
	struct za_dmabuf_src src;
	struct mutex lock;	/* attachments, vaddr, vmap_count */
	struct list_head attachments;
	void *vaddr;
	unsigned int vmap_count;
};

/**
 * struct za_buf_attach - one importer's attachment.
 * @dev: the importer's device.
 * @sgt: the range, mapped for @dev while @mapped.
 * @node: link on &struct za_buf.attachments.
 * @mapped: @sgt is DMA-mapped; guarded by &struct za_buf.lock.
 */
struct za_buf_attach {
	struct device *dev;
	struct sg_table sgt;
	struct list_head node;
	bool mapped;
};

static int za_buf_attach(struct dma_buf *dmabuf,
			 struct dma_buf_attachment *attachment)
{
	struct za_buf *buf = dmabuf->priv;
	struct device *dev = attachment->dev;
	phys_addr_t last = PFN_PHYS(buf->src.pfn + buf->src.nr_pages) - 1;
	unsigned long left = buf->src.nr_pages, pfn = buf->src.pfn;
	struct za_buf_attach *a;
	struct scatterlist *sg;
	int ret;

	/* An IOMMU remaps anything; without one the mask must reach it all. */
	if (!device_iommu_mapped(dev) &&
	    last > min_not_zero(dma_get_mask(dev), dev->bus_dma_limit)) {
		dev_dbg(dev, "zonealloc: DMA mask cannot reach %pa\n", &last);
		return -ERANGE;
	}
	a = kzalloc(sizeof(*a), GFP_KERNEL);
	if (!a)
		return -ENOMEM;
	ret = sg_alloc_table(&a->sgt, DIV_ROUND_UP(left, ZA_SG_MAX_PAGES),
			     GFP_KERNEL);
	if (ret) {
		kfree(a);
		return ret;
	}
	for_each_sgtable_sg(&a->sgt, sg, ret) {
		unsigned long n = min_t(unsigned long, left, ZA_SG_MAX_PAGES);

		sg_set_page(sg, pfn_to_page(pfn), n << PAGE_SHIFT, 0);
		pfn += n;
		left -= n;
	}
	a->dev = dev;
	attachment->priv = a;
	mutex_lock(&buf->lock);
	list_add(&a->node, &buf->attachments);
	mutex_unlock(&buf->lock);
	return 0;
}

static void za_buf_detach(struct dma_buf *dmabuf,
			  struct dma_buf_attachment *attachment)
{
	struct za_buf *buf = dmabuf->priv;
	struct za_buf_attach *a = attachment->priv;

	mutex_lock(&buf->lock);
	list_del(&a->node);
	mutex_unlock(&buf->lock);
	sg_free_table(&a->sgt);
	kfree(a);
}

static struct sg_table *za_buf_map(struct dma_buf_attachment *attachment,
				   enum dma_data_direction dir)
{
	struct za_buf *buf = attachment->dmabuf->priv;
	struct za_buf_attach *a = attachment->priv;
	int ret;

	ret = dma_map_sgtable(a->dev, &a->sgt, dir, 0);
	if (ret)
		return ERR_PTR(ret);
	mutex_lock(&buf->lock);
	a->mapped = true;
	mutex_unlock(&buf->lock);
	return &a->sgt;
}

static void za_buf_unmap(struct dma_buf_attachment *attachment,
			 struct sg_table *sgt, enum dma_data_direction dir)
{
	struct za_buf *buf = attachment->dmabuf->priv;
	struct za_buf_attach *a = attachment->priv;

	mutex_lock(&buf->lock);
	a->mapped = false;
	mutex_unlock(&buf->lock);
	dma_unmap_sgtable(a->dev, sgt, dir, 0);
}

/* Sync every mapped attachment, and the vmap, for the CPU or devices. */
static void za_buf_sync(struct za_buf *buf, enum dma_data_direction dir,
			bool for_cpu)
{
	unsigned long len = buf->src.nr_pages << PAGE_SHIFT;
	struct za_buf_attach *a;

	mutex_lock(&buf->lock);
	if (buf->vmap_count && for_cpu)
		invalidate_kernel_vmap_range(buf->vaddr, len);
	else if (buf->vmap_count)
		flush_kernel_vmap_range(buf->vaddr, len);
	list_for_each_entry(a, &buf->attachments, node) {
		if (!a->mapped)
			continue;
		if (for_cpu)
			dma_sync_sgtable_for_cpu(a->dev, &a->sgt, dir);
		else
			dma_sync_sgtable_for_device(a->dev, &a->sgt, dir);
	}
	mutex_unlock(&buf->lock);
}

static int za_buf_begin_cpu(struct dma_buf *dmabuf,
			    enum dma_data_direction dir)
{
	za_buf_sync(dmabuf->priv, dir, true);
	return 0;
}

static int za_buf_end_cpu(struct dma_buf *dmabuf, enum dma_data_direction dir)
{
	za_buf_sync(dmabuf->priv, dir, false);
	return 0;
}

/*
 * The range never moves while the dma-buf lives, and the VMA holds the
 * dma-buf's file. The pages are inserted with vm_insert_page(), not as a
 * PFN map, because x86 PAT maps RAM PFNs write-back whatever the cache
 * mode asks. VM_IO keeps the slow get_user_pages() off the mapping; a
 * fast pin may still be taken on some kernels and outlive the dma-buf,
 * so both owners check the pages' reference counts before they reuse
 * them (za_api_held here, the deferred list in dev.c).
 */
static int za_buf_mmap(struct dma_buf *dmabuf, struct vm_area_struct *vma)
{
	struct za_buf *buf = dmabuf->priv;
	unsigned long i, pages = vma_pages(vma);
	int ret = 0;

	if (!(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	if (vma->vm_pgoff > buf->src.nr_pages ||
	    pages > buf->src.nr_pages - vma->vm_pgoff)
		return -EINVAL;
	vm_flags_set(vma, VM_IO | VM_MIXEDMAP | VM_DONTEXPAND | VM_DONTDUMP);
	vma->vm_page_prot = za_map_pgprot(buf->src.map, vma->vm_page_prot);
	for (i = 0; i < pages && !ret; i++) {
		ret = vm_insert_page(vma, vma->vm_start + (i << PAGE_SHIFT),
				     pfn_to_page(buf->src.pfn + vma->vm_pgoff + i));
		cond_resched();
	}
	return ret;
}

static int za_buf_vmap(struct dma_buf *dmabuf, struct iosys_map *map)
{
	struct za_buf *buf = dmabuf->priv;
	unsigned long i, n = buf->src.nr_pages;
	struct page **pages;
	int ret = 0;

	mutex_lock(&buf->lock);
	if (buf->vmap_count) {
		buf->vmap_count++;
		goto out;
	}
	pages = kvmalloc_array(n, sizeof(*pages), GFP_KERNEL);
	if (!pages) {
		ret = -ENOMEM;
		goto out;
	}
	for (i = 0; i < n; i++)
		pages[i] = pfn_to_page(buf->src.pfn + i);
	buf->vaddr = vmap(pages, n, VM_MAP,
			  za_map_pgprot(buf->src.map, PAGE_KERNEL));
	kvfree(pages);
	if (!buf->vaddr) {
		ret = -ENOMEM;
		goto out;
	}
	buf->vmap_count = 1;
out:
	if (!ret)
		iosys_map_set_vaddr(map, buf->vaddr);
	mutex_unlock(&buf->lock);
	return ret;
}

static void za_buf_vunmap(struct dma_buf *dmabuf, struct iosys_map *map)
{
	struct za_buf *buf = dmabuf->priv;

	mutex_lock(&buf->lock);
	if (!WARN_ON_ONCE(!buf->vmap_count) && !--buf->vmap_count) {
		vunmap(buf->vaddr);
		buf->vaddr = NULL;
	}
	mutex_unlock(&buf->lock);
	iosys_map_clear(map);
}

/* The last reference is gone: no attachment, mapping or vmap remains. */
static void za_buf_release(struct dma_buf *dmabuf)
{
	struct za_buf *buf = dmabuf->priv;

	WARN_ON_ONCE(buf->vmap_count || !list_empty(&buf->attachments));
	buf->src.release(&buf->src);
	mutex_destroy(&buf->lock);
	kfree(buf);
}

static const struct dma_buf_ops za_buf_ops = {
	.attach = za_buf_attach,
	.detach = za_buf_detach,
	.map_dma_buf = za_buf_map,
	.unmap_dma_buf = za_buf_unmap,
	.begin_cpu_access = za_buf_begin_cpu,
	.end_cpu_access = za_buf_end_cpu,
	.mmap = za_buf_mmap,
	.vmap = za_buf_vmap,
	.vunmap = za_buf_vunmap,
	.release = za_buf_release,
};

/**
 * za_dmabuf_export() - make a dma-buf of a contiguous range of the pool.
 * @src: the range; copied. @src->release is called when the dma-buf's
 *	last reference goes, and only if this call succeeded.
 * @fd_flags: O_CLOEXEC and O_ACCMODE bits for the dma-buf's file.
 *
 * Context: Process context.
 * Return: the dma-buf (one reference, the caller's), or an ERR_PTR:
 * -EINVAL for bad @fd_flags or an empty range, -ENOMEM, or what
 * dma_buf_export() returned.
 */
struct dma_buf *za_dmabuf_export(const struct za_dmabuf_src *src,
				 u32 fd_flags)
{
	DEFINE_DMA_BUF_EXPORT_INFO(exp);
	struct dma_buf *dmabuf;
	struct za_buf *buf;

	if (za_dmabuf_check_fd_flags(fd_flags) || !src->nr_pages ||
	    !src->release)
		return ERR_PTR(-EINVAL);
	buf = kzalloc(sizeof(*buf), GFP_KERNEL);
	if (!buf)
		return ERR_PTR(-ENOMEM);
	buf->src = *src;
	mutex_init(&buf->lock);
	INIT_LIST_HEAD(&buf->attachments);

	exp.exp_name = KBUILD_MODNAME;
	exp.owner = THIS_MODULE;
	exp.ops = &za_buf_ops;
	exp.size = src->nr_pages << PAGE_SHIFT;
	exp.flags = fd_flags;
	exp.priv = buf;
	dmabuf = dma_buf_export(&exp);
	if (IS_ERR(dmabuf)) {
		mutex_destroy(&buf->lock);
		kfree(buf);
	}
	return dmabuf;
}

/*
 * A block of an in-kernel export. VM_IO keeps the slow get_user_pages()
 * off the dma-buf's mappings, but not get_user_pages_fast() on every
 * kernel (6.1 pins through them): a block still referenced at the
 * dma-buf's release waits on za_api_held until the reference drops, and
 * only then is freed. Its own pin on the module (za_api_pin() in alloc.c)
 * keeps the module loaded meanwhile; module exit cancels the work, which
 * may drop that pin, synchronously.
 */
struct za_api_held {
	struct list_head node;
	struct page *page;
	unsigned int order;
};

static LIST_HEAD(za_api_held);
/* Protects za_api_held. */
static DEFINE_MUTEX(za_api_held_lock);
static void za_api_held_reap(struct work_struct *work);
static DECLARE_DELAYED_WORK(za_api_held_work, za_api_held_reap);

static void za_api_held_free(struct za_api_held *h)
{
	WARN_ON_ONCE(zonealloc_free_pages(h->page, h->order));
	kfree(h);
}

static void za_api_held_reap(struct work_struct *work)
{
	struct za_api_held *h, *tmp;
	LIST_HEAD(done);

	mutex_lock(&za_api_held_lock);
	list_for_each_entry_safe(h, tmp, &za_api_held, node)
		if (!za_block_referenced(h->page, h->order))
			list_move(&h->node, &done);
	if (!list_empty(&za_api_held))
		schedule_delayed_work(&za_api_held_work, HZ / 10);
	mutex_unlock(&za_api_held_lock);
	list_for_each_entry_safe(h, tmp, &done, node)
		za_api_held_free(h);
}

static void za_api_buf_release(const struct za_dmabuf_src *src)
{
	struct za_api_held *h = src->priv;

	if (!za_block_referenced(h->page, h->order)) {
		za_api_held_free(h);
		return;
	}
	mutex_lock(&za_api_held_lock);
	list_add_tail(&h->node, &za_api_held);
	mod_delayed_work(system_wq, &za_api_held_work, HZ / 10);
	mutex_unlock(&za_api_held_lock);
}

/**
 * zonealloc_export_dmabuf() - hand a block of the pool over to a dma-buf.
 * @page: the first page of a block from zonealloc_alloc_pages().
 * @order: its order.
 * @map: cache mode of the dma-buf's CPU mappings: 0 (cached),
 *	%ZONEALLOC_MAP_WC or %ZONEALLOC_MAP_UNCACHED.
 * @fd_flags: O_CLOEXEC and O_ACCMODE bits, for a later dma_buf_fd().
 *
 * On success the dma-buf owns the block: the caller must no longer free
 * it, and it is freed (with zonealloc_free_pages()) when the last
 * reference to the dma-buf is dropped. The block never moves meanwhile.
 * Install a file descriptor with dma_buf_fd(), or drop the caller's
 * reference with dma_buf_put().
 *
 * Context: Process context.
 * Return: the dma-buf, or an ERR_PTR: -EINVAL for bad @map, @fd_flags or
 * @order, -ENOMEM, or what dma_buf_export() returned. On failure the
 * caller still owns the block.
 */
struct dma_buf *zonealloc_export_dmabuf(struct page *page, unsigned int order,
					u32 map, u32 fd_flags)
{
	struct za_dmabuf_src src = {
		.nr_pages = 1UL << order,
		.map = map,
		.release = za_api_buf_release,
	};
	struct za_api_held *h;
	struct dma_buf *dmabuf;

	if (!page || order > ZONEALLOC_MAX_ORDER ||
	    (map & ~ZONEALLOC_MAP_MASK) || map == ZONEALLOC_MAP_MASK)
		return ERR_PTR(-EINVAL);
	h = kzalloc(sizeof(*h), GFP_KERNEL);
	if (!h)
		return ERR_PTR(-ENOMEM);
	h->page = page;
	h->order = order;
	src.pfn = page_to_pfn(page);
	src.priv = h;
	dmabuf = za_dmabuf_export(&src, fd_flags);
	if (IS_ERR(dmabuf))
		kfree(h);
	return dmabuf;
}
#else
struct dma_buf *zonealloc_export_dmabuf(struct page *page, unsigned int order,
					u32 map, u32 fd_flags)
{
	return ERR_PTR(-EOPNOTSUPP);
}
#endif /* CONFIG_DMA_SHARED_BUFFER */
EXPORT_SYMBOL_GPL(zonealloc_export_dmabuf);

/**
 * za_dmabuf_sync() - sync a byte range of pool memory for the CPU or devices.
 * @pfn: first page frame of the allocation.
 * @offset: first byte of the range, from @pfn.
 * @size: bytes in the range; the caller checked it lies in the allocation.
 * @flags: ZONEALLOC_SYNC_* bits, already validated.
 *
 * The range is mapped for the misc device (dma-direct with a 64-bit mask:
 * no bounce buffer, no IOMMU) without a CPU sync, synced in the asked
 * direction, and unmapped without a sync again: exactly one sync, as
 * dma_sync_single_for_{cpu,device}() define it, on a valid DMA mapping.
 *
 * Context: Process context.
 * Return: 0, or -ENOMEM if the range could not be mapped.
 */
int za_dmabuf_sync(unsigned long pfn, unsigned long offset,
		   unsigned long size, u32 flags)
{
	struct device *dev = za_miscdev.this_device;
	enum dma_data_direction dir;
	unsigned long done = 0;

	switch (flags & ZONEALLOC_SYNC_RW) {
	case ZONEALLOC_SYNC_READ:
		dir = DMA_FROM_DEVICE;
		break;
	case ZONEALLOC_SYNC_WRITE:
		dir = DMA_TO_DEVICE;
		break;
	default:
		dir = DMA_BIDIRECTIONAL;
		break;
	}
	/* One mapping per gigabyte at most: its length is a size_t anyway. */
	while (done < size) {
		unsigned long start = offset + done;
		size_t len = min_t(unsigned long, size - done, SZ_1G);
		struct page *page = pfn_to_page(pfn + (start >> PAGE_SHIFT));
		dma_addr_t addr;

		addr = dma_map_page_attrs(dev, page, offset_in_page(start),
					  len, dir, DMA_ATTR_SKIP_CPU_SYNC);
		if (dma_mapping_error(dev, addr))
			return -ENOMEM;
		if (flags & ZONEALLOC_SYNC_END)
			dma_sync_single_for_device(dev, addr, len, dir);
		else
			dma_sync_single_for_cpu(dev, addr, len, dir);
		dma_unmap_page_attrs(dev, addr, len, dir,
				     DMA_ATTR_SKIP_CPU_SYNC);
		done += len;
	}
	return 0;
}

/**
 * za_dmabuf_exit() - wait for the reaper of in-kernel exports.
 *
 * Context: Process context, module exit: no dma-buf of the module lives,
 * and no block is held (each pins the module).
 */
void za_dmabuf_exit(void)
{
#if IS_ENABLED(CONFIG_DMA_SHARED_BUFFER)
	cancel_delayed_work_sync(&za_api_held_work);
	WARN_ON_ONCE(!list_empty(&za_api_held));
#endif
}

/**
 * za_dmabuf_init() - give the misc device the DMA mask SYNC maps with.
 *
 * Context: Process context, module init, after the misc device is
 * registered.
 * Return: 0, or the error of dma_coerce_mask_and_coherent().
 */
int za_dmabuf_init(void)
{
	return dma_coerce_mask_and_coherent(za_miscdev.this_device,
					    DMA_BIT_MASK(64));
}
