/* SPDX-License-Identifier: GPL-2.0 */
/*
 * zonealloc in-kernel API: allocate and free pages from the module's pool.
 * Flags are the ZONEALLOC_GFP_* bits of <uapi/linux/zonealloc.h>.
 */
#ifndef _ZONEALLOC_H
#define _ZONEALLOC_H

#include <linux/types.h>
#include <uapi/linux/zonealloc.h>

struct page;

struct page *zonealloc_alloc_pages(u32 gfp, unsigned int order);
int zonealloc_free_pages(struct page *page, unsigned int order);
int zonealloc_alloc_pages_bulk(u32 gfp, unsigned int nr, struct page **pages);
int zonealloc_free_pages_bulk(unsigned int nr, struct page **pages);

#endif /* _ZONEALLOC_H */
