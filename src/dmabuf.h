/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ZONEALLOC_DMABUF_H
#define _ZONEALLOC_DMABUF_H

#include <linux/mm_types.h>
#include <linux/types.h>

struct dma_buf;

/**
 * struct za_dmabuf_src - what a dma-buf exports and whom it tells at the end.
 * @pfn: first page frame of a physically contiguous range of the pool; the
 *	exporter keeps it in place (never moved, never freed) until
 *	@release is called.
 * @nr_pages: pages in the range.
 * @map: ZONEALLOC_MAP_* cache mode of the dma-buf's CPU mappings.
 * @release: called once, with this description, from the dma-buf's
 *	release when the last reference to the dma-buf is gone; process
 *	context.
 * @priv: for @release.
 */
struct za_dmabuf_src {
	unsigned long pfn;
	unsigned long nr_pages;
	u32 map;
	void (*release)(const struct za_dmabuf_src *src);
	void *priv;
};

int za_dmabuf_check_fd_flags(u32 fd_flags);
pgprot_t za_map_pgprot(u32 map, pgprot_t prot);
struct dma_buf *za_dmabuf_export(const struct za_dmabuf_src *src,
				 u32 fd_flags);
int za_dmabuf_sync(unsigned long pfn, unsigned long offset,
		   unsigned long size, u32 flags);
int za_dmabuf_init(void);
void za_dmabuf_exit(void);

#endif /* _ZONEALLOC_DMABUF_H */
