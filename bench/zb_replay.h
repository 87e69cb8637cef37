/* SPDX-License-Identifier: GPL-2.0 */
/*
 * zb_replay: what tools/tests/za_replay writes to the in-kernel replayer
 * (bench/zb_replay.c) through debugfs zb_replay/events. Shared by the
 * module and the userspace replayer (Documentation/replay.rst).
 */
#ifndef _ZB_REPLAY_H
#define _ZB_REPLAY_H

#include <linux/types.h>

/*
 * ZB_GFP_NAMES - every gfp flag name that kmem:mm_page_alloc prints on
 * 6.1 or 6.12 (show_gfp_flags(), include/trace/events/mmflags.h), in
 * its order. za_replay turns a recorded flags string into a mask of
 * these names' indices (bit N for the N-th name); the module ORs the
 * running kernel's value of each name in the mask. Append only.
 */
#define ZB_GFP_NAMES(X)						\
	X(GFP_TRANSHUGE) X(GFP_TRANSHUGE_LIGHT)			\
	X(GFP_HIGHUSER_MOVABLE) X(GFP_HIGHUSER) X(GFP_USER)		\
	X(GFP_KERNEL_ACCOUNT) X(GFP_KERNEL) X(GFP_NOFS) X(GFP_ATOMIC)	\
	X(GFP_NOIO) X(GFP_NOWAIT) X(GFP_DMA) X(__GFP_HIGHMEM)		\
	X(GFP_DMA32) X(__GFP_HIGH) X(__GFP_ATOMIC) X(__GFP_IO)		\
	X(__GFP_FS) X(__GFP_NOWARN) X(__GFP_RETRY_MAYFAIL)		\
	X(__GFP_NOFAIL) X(__GFP_NORETRY) X(__GFP_COMP) X(__GFP_ZERO)	\
	X(__GFP_NOMEMALLOC) X(__GFP_MEMALLOC) X(__GFP_HARDWALL)	\
	X(__GFP_THISNODE) X(__GFP_RECLAIMABLE) X(__GFP_MOVABLE)	\
	X(__GFP_ACCOUNT) X(__GFP_WRITE) X(__GFP_RECLAIM)		\
	X(__GFP_DIRECT_RECLAIM) X(__GFP_KSWAPD_RECLAIM)		\
	X(__GFP_ZEROTAGS) X(__GFP_SKIP_ZERO) X(__GFP_SKIP_KASAN)	\
	X(__GFP_SKIP_KASAN_POISON) X(__GFP_SKIP_KASAN_UNPOISON)

#define ZB_GFP_ENUM(name) ZB_GFP_BIT_##name,
enum zb_gfp_bit {
	ZB_GFP_NAMES(ZB_GFP_ENUM)
	ZB_GFP_NR_NAMES
};
#undef ZB_GFP_ENUM

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
 * A write of whole events replays them in order; a write whose length is
 * not a multiple of the size, or with a bad event, fails with -EINVAL
 * after replaying the events before it.
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
