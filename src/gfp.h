/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ZONEALLOC_GFP_H
#define _ZONEALLOC_GFP_H

#include <linux/types.h>
#include <uapi/linux/zonealloc.h>

#include "pool.h"

/* Allocation flags, as mm/internal.h's ALLOC_*. */
#define ZA_ALLOC_WMARK_MIN	ZA_WMARK_MIN
#define ZA_ALLOC_WMARK_LOW	ZA_WMARK_LOW
#define ZA_ALLOC_WMARK_HIGH	ZA_WMARK_HIGH
#define ZA_ALLOC_NO_WATERMARKS	0x04	/* don't check watermarks at all */
#define ZA_ALLOC_WMARK_MASK	(ZA_ALLOC_NO_WATERMARKS - 1)
#define ZA_ALLOC_MIN_RESERVE	0x08	/* __GFP_HIGH: half the min reserve */
#define ZA_ALLOC_NON_BLOCK	0x10	/* caller cannot sleep: a bit more */
#define ZA_ALLOC_HIGHATOMIC	0x20	/* may use and build highatomic blocks */
#define ZA_ALLOC_NOFRAGMENT	0x40	/* avoid mixing pageblock types */
#define ZA_ALLOC_RESERVES	(ZA_ALLOC_NON_BLOCK | ZA_ALLOC_MIN_RESERVE | \
				 ZA_ALLOC_HIGHATOMIC)

/*
 * Internal bits above the uapi flags, set by za_alloc_pages_node() once
 * the flags are validated: the node the request prefers, plus one (0: the
 * node of the CPU it runs on). They travel with the flags through the
 * slow path to every zonelist walk.
 */
#define ZA_GFP_NODE_SHIFT	24
#define ZA_GFP_NODE_MASK	(0xffU << ZA_GFP_NODE_SHIFT)

int za_gfp_zone(u32 gfp);
int za_gfp_migratetype(u32 gfp);
int za_gfp_valid(u32 gfp, unsigned int order);
unsigned int za_gfp_to_alloc_flags(u32 gfp, unsigned int order);

#endif /* _ZONEALLOC_GFP_H */
