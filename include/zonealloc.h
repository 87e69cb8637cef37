/* SPDX-License-Identifier: GPL-2.0 */
/*
 * zonealloc in-kernel API: allocate and free pages from the module's pool.
 * Flags are the ZONEALLOC_GFP_* bits of <uapi/linux/zonealloc.h>.
 *
 * The pages behave like those of alloc_contig_range(): not compound, each
 * with its own reference count of one. Drop every reference you take
 * before freeing them, and free them only with these calls. Each
 * allocation outstanding keeps zonealloc loaded (rmmod fails) until it is
 * freed.
 */
#ifndef _ZONEALLOC_H
#define _ZONEALLOC_H

#include <linux/types.h>
#include <uapi/linux/zonealloc.h>

struct dma_buf;
struct page;

/*
 * The _node variants prefer NUMA node @nid (NUMA_NO_NODE: the calling
 * CPU's, which is what the others do) and with ZONEALLOC_GFP_THISNODE take
 * pages from it only.
 */
struct page *zonealloc_alloc_pages(u32 gfp, unsigned int order);
struct page *zonealloc_alloc_pages_node(int nid, u32 gfp, unsigned int order);
int zonealloc_free_pages(struct page *page, unsigned int order);
int zonealloc_alloc_pages_bulk(u32 gfp, unsigned int nr, struct page **pages);
int zonealloc_alloc_pages_bulk_node(int nid, u32 gfp, unsigned int nr,
				    struct page **pages);
int zonealloc_free_pages_bulk(unsigned int nr, struct page **pages);
struct dma_buf *zonealloc_export_dmabuf(struct page *page, unsigned int order,
					u32 map, u32 fd_flags);

#endif /* _ZONEALLOC_H */
