/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every gfp flag name that kmem:mm_page_alloc prints on 6.1 or 6.12
 * (show_gfp_flags(), include/trace/events/mmflags.h), in its order, each
 * as ZB_GFP_NAME(name): included several times, with ZB_GFP_NAME defined
 * by the includer (bench/zb_replay.h). za_replay turns a recorded flags
 * string into a mask of these names' indices (bit N for the N-th name);
 * zb_replay ORs the running kernel's value of each name in the mask.
 * Append only: the indices are the protocol.
 */
ZB_GFP_NAME(GFP_TRANSHUGE),
ZB_GFP_NAME(GFP_TRANSHUGE_LIGHT),
ZB_GFP_NAME(GFP_HIGHUSER_MOVABLE),
ZB_GFP_NAME(GFP_HIGHUSER),
ZB_GFP_NAME(GFP_USER),
ZB_GFP_NAME(GFP_KERNEL_ACCOUNT),
ZB_GFP_NAME(GFP_KERNEL),
ZB_GFP_NAME(GFP_NOFS),
ZB_GFP_NAME(GFP_ATOMIC),
ZB_GFP_NAME(GFP_NOIO),
ZB_GFP_NAME(GFP_NOWAIT),
ZB_GFP_NAME(GFP_DMA),
ZB_GFP_NAME(__GFP_HIGHMEM),
ZB_GFP_NAME(GFP_DMA32),
ZB_GFP_NAME(__GFP_HIGH),
ZB_GFP_NAME(__GFP_ATOMIC),
ZB_GFP_NAME(__GFP_IO),
ZB_GFP_NAME(__GFP_FS),
ZB_GFP_NAME(__GFP_NOWARN),
ZB_GFP_NAME(__GFP_RETRY_MAYFAIL),
ZB_GFP_NAME(__GFP_NOFAIL),
ZB_GFP_NAME(__GFP_NORETRY),
ZB_GFP_NAME(__GFP_COMP),
ZB_GFP_NAME(__GFP_ZERO),
ZB_GFP_NAME(__GFP_NOMEMALLOC),
ZB_GFP_NAME(__GFP_MEMALLOC),
ZB_GFP_NAME(__GFP_HARDWALL),
ZB_GFP_NAME(__GFP_THISNODE),
ZB_GFP_NAME(__GFP_RECLAIMABLE),
ZB_GFP_NAME(__GFP_MOVABLE),
ZB_GFP_NAME(__GFP_ACCOUNT),
ZB_GFP_NAME(__GFP_WRITE),
ZB_GFP_NAME(__GFP_RECLAIM),
ZB_GFP_NAME(__GFP_DIRECT_RECLAIM),
ZB_GFP_NAME(__GFP_KSWAPD_RECLAIM),
ZB_GFP_NAME(__GFP_ZEROTAGS),
ZB_GFP_NAME(__GFP_SKIP_ZERO),
ZB_GFP_NAME(__GFP_SKIP_KASAN),
ZB_GFP_NAME(__GFP_SKIP_KASAN_POISON),
ZB_GFP_NAME(__GFP_SKIP_KASAN_UNPOISON),
