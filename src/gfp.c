// SPDX-License-Identifier: GPL-2.0
/*
 * Allocation flags: which zone a request may start its zonelist walk from,
 * which migratetype it wants, and which reserves it may use. The semantics
 * are those of include/linux/gfp.h (GFP_ZONE_TABLE, GFP_ZONE_BAD,
 * gfp_migratetype()) and of gfp_to_alloc_flags() in mm/page_alloc.c.
 */

#include <linux/bits.h>
#include <linux/errno.h>
#include <linux/module.h>
#include <kunit/visibility.h>

#include "pool.h"
#include "gfp.h"

#define D	ZONEALLOC_GFP_DMA
#define H	ZONEALLOC_GFP_HIGHMEM
#define D32	ZONEALLOC_GFP_DMA32
#define M	ZONEALLOC_GFP_MOVABLE
#define BAD	(-EINVAL)

/*
 * Highest zone a request may use, indexed by its four zone bits. MOVABLE on
 * its own only marks the pages movable; together with HIGHMEM it opens the
 * MOVABLE zone. Combinations of two distinct zone modifiers are invalid, as
 * in GFP_ZONE_BAD.
 */
static const s8 za_gfp_zone_table[16] = {
	[0]		= ZA_ZONE_NORMAL,
	[D]		= ZA_ZONE_DMA,
	[H]		= ZA_ZONE_HIGHMEM,
	[D32]		= ZA_ZONE_DMA32,
	[M]		= ZA_ZONE_NORMAL,
	[M | D]		= ZA_ZONE_DMA,
	[M | H]		= ZA_ZONE_MOVABLE,
	[M | D32]	= ZA_ZONE_DMA32,
	[D | H]		= BAD,
	[D | D32]	= BAD,
	[D32 | H]	= BAD,
	[D | D32 | H]	= BAD,
	[M | H | D]	= BAD,
	[M | D32 | D]	= BAD,
	[M | D32 | H]	= BAD,
	[M | D32 | D | H] = BAD,
};

/**
 * za_gfp_zone() - the highest zone a request may allocate from.
 * @gfp: ZONEALLOC_GFP_* flags.
 *
 * Context: Any context.
 * Return: an &enum za_zone_type, or -EINVAL for an invalid zone combination.
 */
int za_gfp_zone(u32 gfp)
{
	return za_gfp_zone_table[gfp & ZONEALLOC_GFP_ZONEMASK];
}
EXPORT_SYMBOL_IF_KUNIT(za_gfp_zone);

/**
 * za_gfp_migratetype() - the migratetype a request allocates for.
 * @gfp: ZONEALLOC_GFP_* flags.
 *
 * Context: Any context.
 * Return: an &enum za_migratetype, or -EINVAL when both MOVABLE and
 * RECLAIMABLE are set (the kernel warns about that combination).
 */
int za_gfp_migratetype(u32 gfp)
{
	bool movable = gfp & ZONEALLOC_GFP_MOVABLE;
	bool reclaimable = gfp & ZONEALLOC_GFP_RECLAIMABLE;

	if (movable && reclaimable)
		return -EINVAL;
	if (movable)
		return ZA_MIGRATE_MOVABLE;
	if (reclaimable)
		return ZA_MIGRATE_RECLAIMABLE;
	return ZA_MIGRATE_UNMOVABLE;
}
EXPORT_SYMBOL_IF_KUNIT(za_gfp_migratetype);

/**
 * za_gfp_valid() - check a request before it touches a pool.
 * @gfp: ZONEALLOC_GFP_* flags.
 * @order: requested order.
 *
 * Context: Any context.
 * Return: 0, or -EINVAL for unknown bits, an invalid zone or migratetype
 * combination, NOFAIL with ATOMIC or NORETRY, or an order above the
 * module's maximum.
 */
int za_gfp_valid(u32 gfp, unsigned int order)
{
	if (gfp & ~ZONEALLOC_GFP_ALL)
		return -EINVAL;
	if (order > ZA_MAX_ORDER)
		return -EINVAL;
	if (za_gfp_zone(gfp) < 0 || za_gfp_migratetype(gfp) < 0)
		return -EINVAL;
	if ((gfp & ZONEALLOC_GFP_NOFAIL) &&
	    (gfp & (ZONEALLOC_GFP_ATOMIC | ZONEALLOC_GFP_NORETRY)))
		return -EINVAL;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(za_gfp_valid);

/**
 * za_gfp_to_alloc_flags() - slow-path allocation flags for a request.
 * @gfp: ZONEALLOC_GFP_* flags, already validated.
 * @order: requested order.
 *
 * As gfp_to_alloc_flags(): the min watermark; HIGH may use half the min
 * reserve; a caller that cannot sleep a quarter of the rest, and with
 * HIGH as well, for a high order, the highatomic reserve.
 *
 * Context: Any context.
 * Return: ZA_ALLOC_* flags.
 */
unsigned int za_gfp_to_alloc_flags(u32 gfp, unsigned int order)
{
	unsigned int alloc_flags = ZA_ALLOC_WMARK_MIN;

	if (gfp & ZONEALLOC_GFP_HIGH)
		alloc_flags |= ZA_ALLOC_MIN_RESERVE;
	if (gfp & ZONEALLOC_GFP_ATOMIC) {
		alloc_flags |= ZA_ALLOC_NON_BLOCK;
		if (order > 0 && (gfp & ZONEALLOC_GFP_HIGH))
			alloc_flags |= ZA_ALLOC_HIGHATOMIC;
	}
	return alloc_flags;
}
EXPORT_SYMBOL_IF_KUNIT(za_gfp_to_alloc_flags);
