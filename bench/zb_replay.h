/* SPDX-License-Identifier: GPL-2.0 */
/*
 * zb_replay: what tools/tests/za_replay writes to the in-kernel replayer
 * (bench/zb_replay.c) through debugfs zb_replay/events. Shared by the
 * module and the userspace replayer (Documentation/replay.rst).
 */
#ifndef _ZB_REPLAY_H
#define _ZB_REPLAY_H

#include <linux/types.h>

/* ZB_GFP_BIT_<name>: the index of each name of zb_replay_gfp.h. */
#define ZB_GFP_NAME(name) ZB_GFP_BIT_##name
enum zb_gfp_bit {
#include "zb_replay_gfp.h"
	ZB_GFP_NR_NAMES
};

#undef ZB_GFP_NAME

#define ZB_GFP(name) (1ULL << ZB_GFP_BIT_##name)

/* zb_replay_event.op */
#define ZB_OP_ALLOC	1	/* allocate on both sides, keyed by pfn */
#define ZB_OP_FREE	2	/* free both sides of the block at pfn */

/**
 * struct zb_replay_event - one replayed event, 24 bytes.
 * @pfn: the recorded pfn of the block's first page: the key that a later
 *	%ZB_OP_FREE names.
 * @kgfp: %ZB_OP_ALLOC: the recorded flags, a mask of ZB_GFP() bits.
 * @zgfp: %ZB_OP_ALLOC: ZONEALLOC_GFP_* flags for zonealloc's side.
 * @op: %ZB_OP_ALLOC or %ZB_OP_FREE.
 * @order: %ZB_OP_ALLOC: 0 to 10.
 * @pad: zero.
 *
 * A write of whole events replays them in order and returns its length.
 * It stops at a bad event (a nonzero @pad, an unknown @op, an order above
 * 10, a name bit or a ZONEALLOC_GFP_* bit not defined, names whose zone
 * bits select no zone, or a free with anything but @pfn set) or a fatal
 * signal, returning the bytes of the events replayed before, or -EINVAL
 * if there are none; a length that is not a multiple of the size is
 * -EINVAL.
 */
struct zb_replay_event {
	__u64 pfn;
	__u64 kgfp;
	__u32 zgfp;
	__u8 op;
	__u8 order;
	__u16 pad;
};

#endif /* _ZB_REPLAY_H */
