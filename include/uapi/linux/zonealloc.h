/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * zonealloc userspace ABI: allocation flag bits. The low four bits select
 * the zone exactly as the kernel's __GFP_DMA, __GFP_HIGHMEM, __GFP_DMA32 and
 * __GFP_MOVABLE do, so a flags word indexes the 16-entry zone table directly.
 */
#ifndef _UAPI_LINUX_ZONEALLOC_H
#define _UAPI_LINUX_ZONEALLOC_H

/**
 * define ZONEALLOC_GFP_DMA - allocate below 16 MiB (zone DMA).
 */
#define ZONEALLOC_GFP_DMA		0x0001u
/**
 * define ZONEALLOC_GFP_HIGHMEM - the emulated HIGHMEM zone may be used.
 */
#define ZONEALLOC_GFP_HIGHMEM		0x0002u
/**
 * define ZONEALLOC_GFP_DMA32 - allocate below 4 GiB (zone DMA32).
 */
#define ZONEALLOC_GFP_DMA32		0x0004u
/**
 * define ZONEALLOC_GFP_MOVABLE - the pages are movable; with
 * %ZONEALLOC_GFP_HIGHMEM the MOVABLE zone may be used.
 */
#define ZONEALLOC_GFP_MOVABLE		0x0008u
/**
 * define ZONEALLOC_GFP_RECLAIMABLE - the pages are reclaimable.
 */
#define ZONEALLOC_GFP_RECLAIMABLE	0x0010u
/**
 * define ZONEALLOC_GFP_HIGH - high priority: may dip below the min watermark.
 * From userspace only for CAP_SYS_ADMIN callers (else -EPERM).
 */
#define ZONEALLOC_GFP_HIGH		0x0020u
/**
 * define ZONEALLOC_GFP_ATOMIC - the caller cannot sleep; may use reserves
 * (and, with %ZONEALLOC_GFP_HIGH, reserve high-atomic pageblocks). From
 * userspace only for CAP_SYS_ADMIN callers (else -EPERM).
 */
#define ZONEALLOC_GFP_ATOMIC		0x0040u
/**
 * define ZONEALLOC_GFP_ZERO - return zeroed pages.
 */
#define ZONEALLOC_GFP_ZERO		0x0080u
/**
 * define ZONEALLOC_GFP_NORETRY - fail rather than retry.
 */
#define ZONEALLOC_GFP_NORETRY		0x0100u
/**
 * define ZONEALLOC_GFP_RETRY_MAYFAIL - retry hard, but may still fail.
 */
#define ZONEALLOC_GFP_RETRY_MAYFAIL	0x0200u
/**
 * define ZONEALLOC_GFP_NOFAIL - never fail; may not be combined with
 * %ZONEALLOC_GFP_ATOMIC.
 */
#define ZONEALLOC_GFP_NOFAIL		0x0400u
/**
 * define ZONEALLOC_GFP_NOWARN - do not log allocation failures.
 */
#define ZONEALLOC_GFP_NOWARN		0x0800u
/**
 * define ZONEALLOC_GFP_THISNODE - take the pages from the preferred node
 * only (see @node in struct zonealloc_alloc), as __GFP_THISNODE: the
 * request fails with -ENOMEM rather than fall back to another node.
 */
#define ZONEALLOC_GFP_THISNODE		0x1000u

/**
 * define ZONEALLOC_GFP_ZONEMASK - the bits that select the zone.
 */
#define ZONEALLOC_GFP_ZONEMASK		0x000fu
/**
 * define ZONEALLOC_GFP_ALL - every defined flag bit.
 */
#define ZONEALLOC_GFP_ALL		0x1fffu

/**
 * define ZONEALLOC_NODE - the @node field value that prefers node @nid;
 * ZONEALLOC_NODE(-1), that is 0, prefers the node of the CPU the call runs
 * on (numa_node_id()), which is what every caller that leaves the field
 * zero gets (binaries built before the field existed among them). A node
 * id the kernel cannot have (not a possible node) is -EINVAL.
 */
#define ZONEALLOC_NODE(nid)		((__u32)((nid) + 1))

/**
 * define ZONEALLOC_MAP_WC - map the allocation write-combining (CPU
 * mappings of /dev/zonealloc and of its dma-buf) instead of cached. Not a
 * GFP bit: accepted in the @flags of struct zonealloc_alloc and struct
 * zonealloc_alloc_contig, and in struct zonealloc_export. The kernel's own
 * linear mapping of the pages stays cached (as with u-dma-buf): use
 * %ZONEALLOC_IOC_SYNC or DMA_BUF_IOCTL_SYNC around device access anyway.
 */
#define ZONEALLOC_MAP_WC		0x00010000u
/**
 * define ZONEALLOC_MAP_UNCACHED - map the allocation uncached; as
 * %ZONEALLOC_MAP_WC otherwise. The two are exclusive (-EINVAL).
 */
#define ZONEALLOC_MAP_UNCACHED		0x00020000u
/**
 * define ZONEALLOC_MAP_MASK - the cache-mode bits; none set means cached.
 */
#define ZONEALLOC_MAP_MASK		0x00030000u

/*
 * The ioctl ABI of /dev/zonealloc.
 *
 * Every structure has fixed-width, naturally aligned fields; fields marked
 * reserved must be zero on input (non-zero is -EINVAL) and are zero on
 * output. Growth: a new operation gets a new ioctl number; struct
 * zonealloc_info is size-prefixed (its @size field) and read with
 * copy_struct_from_user() semantics, so it may grow at its end. Unknown
 * commands fail with -ENOTTY.
 *
 * An allocation belongs to the open file that made it and is named by a
 * handle. mmap() of an allocation uses offset = handle * page size and a
 * length of at most its size; mappings must be MAP_SHARED and cannot grow.
 * A mapping stays bound to the allocation it was made for: once that is
 * freed, every access to the mapping (and to its copies made by fork,
 * mremap or a split) raises SIGBUS, even after the handle has been given
 * to a new allocation. Handles are reused once freed.
 * Handles are spaced 2^%ZONEALLOC_MAX_ORDER apart, so these offsets quickly
 * exceed 32 bits: 32-bit programs must use 64-bit file offsets (mmap64(),
 * or _FILE_OFFSET_BITS=64).
 */

#include <linux/ioctl.h>
#include <linux/types.h>

/**
 * define ZONEALLOC_NR_ZONES - zones of the pool, indexed as
 * %ZONEALLOC_ZONE_DMA .. %ZONEALLOC_ZONE_MOVABLE.
 */
#define ZONEALLOC_NR_ZONES		5
#define ZONEALLOC_ZONE_DMA		0
#define ZONEALLOC_ZONE_DMA32		1
#define ZONEALLOC_ZONE_NORMAL		2
#define ZONEALLOC_ZONE_HIGHMEM		3
#define ZONEALLOC_ZONE_MOVABLE		4
/**
 * define ZONEALLOC_ZONE_ALL - every zone, where an ioctl takes a zone.
 */
#define ZONEALLOC_ZONE_ALL		0xffffffffu

/* Migratetypes reported by %ZONEALLOC_IOC_ALLOC. */
#define ZONEALLOC_MIGRATE_UNMOVABLE	0
#define ZONEALLOC_MIGRATE_MOVABLE	1
#define ZONEALLOC_MIGRATE_RECLAIMABLE	2
#define ZONEALLOC_MIGRATE_HIGHATOMIC	3
#define ZONEALLOC_MIGRATE_ISOLATE	4

/**
 * define ZONEALLOC_MAX_ORDER - the largest allocation order.
 */
#define ZONEALLOC_MAX_ORDER		10
/**
 * define ZONEALLOC_BULK_MAX - most pages per bulk ioctl.
 */
#define ZONEALLOC_BULK_MAX		4096

/**
 * struct zonealloc_alloc - argument of %ZONEALLOC_IOC_ALLOC.
 * @order: in: allocate 2^@order contiguous pages, 0..%ZONEALLOC_MAX_ORDER.
 * @flags: in: ZONEALLOC_GFP_* bits, and at most one of %ZONEALLOC_MAP_WC
 *	and %ZONEALLOC_MAP_UNCACHED; the pages are always zeroed before
 *	userspace can see them, whether or not %ZONEALLOC_GFP_ZERO is set.
 * @handle: out: names the allocation in this open file; never 0.
 * @phys_addr: out: physical address of the first page, given only to
 *	CAP_SYS_ADMIN callers and only for unmovable allocations (which then
 *	never move); 0 otherwise.
 * @zone: out: the zone the pages came from (ZONEALLOC_ZONE_*).
 * @migratetype: out: the migratetype of the request (ZONEALLOC_MIGRATE_*).
 * @node: in: the preferred NUMA node, as ZONEALLOC_NODE(nid) (0: the
 *	calling CPU's node); the zones are tried in the kernel's fallback
 *	order for that node: its own from the request's highest zone down,
 *	then the other nodes' by distance. Out: ZONEALLOC_NODE() of the node
 *	the pages came from.
 * @reserved0: must be zero.
 * @reserved: must be zero.
 */
struct zonealloc_alloc {
	__u32 order;
	__u32 flags;
	__u64 handle;
	__u64 phys_addr;
	__u32 zone;
	__u32 migratetype;
	__u32 node;
	__u32 reserved0;
	__u64 reserved;
};

/**
 * struct zonealloc_free - argument of %ZONEALLOC_IOC_FREE.
 * @handle: in: an allocation of this open file. Mappings of it are torn
 *	down before its pages return to the pool.
 * @reserved: must be zero.
 */
struct zonealloc_free {
	__u64 handle;
	__u64 reserved;
};

/**
 * struct zonealloc_bulk - argument of %ZONEALLOC_IOC_ALLOC_BULK and
 * %ZONEALLOC_IOC_FREE_BULK.
 * @count: in: number of order-0 pages (1..%ZONEALLOC_BULK_MAX); out, for
 *	ALLOC_BULK: how many were allocated (at least one, or the call fails
 *	with -ENOMEM), as alloc_pages_bulk() may return fewer than asked.
 * @flags: in: ZONEALLOC_GFP_* bits for ALLOC_BULK; must be zero for
 *	FREE_BULK.
 * @handles: in: user pointer to an array of @count __u64 handles, written
 *	by ALLOC_BULK and read by FREE_BULK. FREE_BULK frees all of them or,
 *	if any is not an allocation of this file (or repeats), none (-ENOENT).
 * @node: in: the preferred node for ALLOC_BULK, as in struct
 *	zonealloc_alloc (0: the calling CPU's); must be zero for FREE_BULK.
 * @reserved0: must be zero.
 * @reserved: must be zero.
 */
struct zonealloc_bulk {
	__u32 count;
	__u32 flags;
	__u64 handles;
	__u32 node;
	__u32 reserved0;
	__u64 reserved;
};

/**
 * struct zonealloc_zone_info - one zone in struct zonealloc_info.
 * @managed_pages: pages the zone's buddy allocator manages (0: empty zone).
 * @free_pages: pages on its free lists.
 * @pcp_pages: pages on its per-CPU lists.
 * @watermark_min: min watermark, in pages.
 * @watermark_low: low watermark, in pages.
 * @watermark_high: high watermark, in pages.
 * @nr_free: free blocks of each order 0..%ZONEALLOC_MAX_ORDER.
 * @reserved: zero.
 */
struct zonealloc_zone_info {
	__u64 managed_pages;
	__u64 free_pages;
	__u64 pcp_pages;
	__u64 watermark_min;
	__u64 watermark_low;
	__u64 watermark_high;
	__u64 nr_free[ZONEALLOC_MAX_ORDER + 1];
	__u64 reserved;
};

/**
 * struct zonealloc_info - argument of %ZONEALLOC_IOC_INFO.
 * @size: in: sizeof(struct zonealloc_info) as the caller was built with;
 *	at least %ZONEALLOC_INFO_SIZE_VER0. The kernel fills the first
 *	min(@size, its own size) bytes; a larger @size is accepted only if
 *	the bytes the kernel does not know are zero (else -E2BIG).
 * @nr_zones: out: %ZONEALLOC_NR_ZONES.
 * @page_size: out: the page size in bytes.
 * @max_order: out: %ZONEALLOC_MAX_ORDER.
 * @pool_pages: out: pages managed by all zones.
 * @free_pages: out: pages on the free lists of all zones.
 * @pcp_pages: out: pages on per-CPU lists of all zones.
 * @file_pages: out: pages allocated through this open file.
 * @file_allocations: out: allocations (handles) of this open file.
 * @quota_pages: out: most pages all open files of one user (the real uid
 *	of each file's opener) may hold together (0: no limit).
 * @zones: out: per-zone figures, indexed by ZONEALLOC_ZONE_*.
 * @user_pages: out (from %ZONEALLOC_INFO_SIZE_VER1): pages charged to the
 *	user of this file (the real uid of its opener), the figure
 *	@quota_pages bounds: the allocations of all of that user's open
 *	files, and freed ones whose pages a dma-buf or a pin still holds.
 */
struct zonealloc_info {
	__u32 size;
	__u32 nr_zones;
	__u32 page_size;
	__u32 max_order;
	__u64 pool_pages;
	__u64 free_pages;
	__u64 pcp_pages;
	__u64 file_pages;
	__u64 file_allocations;
	__u64 quota_pages;
	struct zonealloc_zone_info zones[ZONEALLOC_NR_ZONES];
	__u64 user_pages;
};

/**
 * define ZONEALLOC_INFO_SIZE_VER0 - size of the first struct zonealloc_info.
 */
#define ZONEALLOC_INFO_SIZE_VER0	784
/**
 * define ZONEALLOC_INFO_SIZE_VER1 - size with @user_pages.
 */
#define ZONEALLOC_INFO_SIZE_VER1	792

/* Compaction modes, as the kernel's MIGRATE_ASYNC/SYNC_LIGHT/SYNC. */
#define ZONEALLOC_COMPACT_ASYNC		0
#define ZONEALLOC_COMPACT_SYNC_LIGHT	1
#define ZONEALLOC_COMPACT_SYNC		2

/**
 * struct zonealloc_compact - argument of %ZONEALLOC_IOC_COMPACT; only for
 * CAP_SYS_ADMIN callers (else -EPERM).
 * @zone: in: a ZONEALLOC_ZONE_* index or %ZONEALLOC_ZONE_ALL.
 * @order: in: compact until a block of this order is free
 *	(0..%ZONEALLOC_MAX_ORDER), or -1 for a full compaction.
 * @mode: in: ZONEALLOC_COMPACT_*.
 * @reserved0: must be zero.
 * @migrated: out: pages moved. Also written when the call fails with
 *	-EAGAIN: no block of @order could be formed (or async compaction
 *	met contention).
 * @reserved: must be zero.
 */
struct zonealloc_compact {
	__u32 zone;
	__s32 order;
	__u32 mode;
	__u32 reserved0;
	__u64 migrated;
	__u64 reserved[2];
};

/**
 * struct zonealloc_drain - argument of %ZONEALLOC_IOC_DRAIN; only for
 * CAP_SYS_ADMIN callers (else -EPERM).
 * @cpu: in: drain this CPU's per-CPU lists, or -1 for every CPU.
 * @reserved: must be zero.
 */
struct zonealloc_drain {
	__s32 cpu;
	__u32 reserved;
};

/**
 * define ZONEALLOC_CONTIG_MAX_PAGES - most pages one ALLOC_CONTIG may ask for.
 */
#define ZONEALLOC_CONTIG_MAX_PAGES	(1u << 20)

/**
 * struct zonealloc_alloc_contig - argument of %ZONEALLOC_IOC_ALLOC_CONTIG.
 * @nr_pages: in: number of physically contiguous pages,
 *	1..%ZONEALLOC_CONTIG_MAX_PAGES; need not be a power of two. The pool
 *	isolates pageblocks and moves their movable allocations out to make
 *	room, as alloc_contig_range() does for the kernel.
 * @flags: in: ZONEALLOC_GFP_* zone bits and %ZONEALLOC_GFP_RECLAIMABLE,
 *	%ZONEALLOC_GFP_HIGH, %ZONEALLOC_GFP_NOWARN and the retry bits, and
 *	%ZONEALLOC_GFP_THISNODE, and at most one of %ZONEALLOC_MAP_WC and
 *	%ZONEALLOC_MAP_UNCACHED; %ZONEALLOC_GFP_ATOMIC,
 *	%ZONEALLOC_GFP_MOVABLE and %ZONEALLOC_GFP_NOFAIL are -EINVAL.
 * @reserved0: must be zero.
 * @handle: out: names the range; mmap() and FREE it as any allocation.
 * @phys_addr: out: physical address of the first page, for CAP_SYS_ADMIN
 *	callers only (a range never moves); 0 otherwise.
 * @zone: out: the zone of the range.
 * @reserved1: must be zero.
 * @node: in: the preferred node, as in struct zonealloc_alloc (0: the
 *	calling CPU's); its zones are searched first, then the other nodes'
 *	by distance (none with %ZONEALLOC_GFP_THISNODE). Out:
 *	ZONEALLOC_NODE() of the node of the range.
 * @reserved2: must be zero.
 * @reserved: must be zero.
 */
struct zonealloc_alloc_contig {
	__u32 nr_pages;
	__u32 flags;
	__u64 reserved0;
	__u64 handle;
	__u64 phys_addr;
	__u32 zone;
	__u32 reserved1;
	__u32 node;
	__u32 reserved2;
	__u64 reserved;
};

/**
 * struct zonealloc_query - argument of %ZONEALLOC_IOC_QUERY.
 * @handle: in: an allocation of this open file (else -ENOENT).
 * @phys_addr: out: as %ZONEALLOC_IOC_ALLOC reported it: the physical
 *	address for CAP_SYS_ADMIN callers of an allocation that never moves,
 *	0 otherwise.
 * @nr_pages: out: its size in pages.
 * @zone: out: the zone it is in now.
 * @flags: out: the ZONEALLOC_GFP_* and ZONEALLOC_MAP_* flags it was
 *	allocated with.
 * @moves: out: how many times compaction has moved it.
 * @reserved0: must be zero.
 * @reserved: must be zero.
 */
struct zonealloc_query {
	__u64 handle;
	__u64 phys_addr;
	__u64 nr_pages;
	__u32 zone;
	__u32 flags;
	__u32 moves;
	__u32 reserved0;
	__u64 reserved[2];
};

/**
 * struct zonealloc_export - argument of %ZONEALLOC_IOC_EXPORT: turn an
 * allocation of this open file (a buddy block or a contiguous range) into
 * a dma-buf.
 * @handle: in: the allocation (else -ENOENT). One dma-buf at a time per
 *	allocation (-EBUSY while one lives; dup() the fd to share it).
 * @fd_flags: in: flags of the new file descriptor: O_CLOEXEC and the
 *	O_ACCMODE bits, as for a dma-heap (other bits: -EINVAL).
 * @fd: out: the dma-buf file descriptor.
 * @flags: in: cache mode of the dma-buf's CPU mappings (mmap, vmap): 0 for
 *	the allocation's own, or one of %ZONEALLOC_MAP_WC and
 *	%ZONEALLOC_MAP_UNCACHED (other bits: -EINVAL).
 * @reserved0: must be zero.
 * @size: out: the dma-buf's size in bytes, that of the allocation.
 * @reserved: must be zero.
 *
 * While the dma-buf lives its pages never move: a movable allocation is
 * pinned (compaction and %ZONEALLOC_IOC_ALLOC_CONTIG leave it in place).
 * FREE of the handle, or closing the device file (and the death of the
 * process), tears down the allocation's /dev/zonealloc mappings but not the
 * dma-buf: the pages stay allocated, and charged to the quota of the user
 * that allocated them, until the last reference to the dma-buf goes.
 *
 * The size is encoded in the ioctl number, as for dma-heaps: a caller built
 * against an older, shorter struct (at least %ZONEALLOC_EXPORT_SIZE_VER0
 * bytes) gets the fields it lacks taken as zero; a newer, longer one must
 * have zero in the bytes the kernel does not know (else -E2BIG).
 */
struct zonealloc_export {
	__u64 handle;
	__u32 fd_flags;
	__s32 fd;
	__u32 flags;
	__u32 reserved0;
	__u64 size;
	__u64 reserved[2];
};

/**
 * define ZONEALLOC_EXPORT_SIZE_VER0 - the shortest struct zonealloc_export
 * accepted: @handle, @fd_flags and @fd.
 */
#define ZONEALLOC_EXPORT_SIZE_VER0	16

/* Directions of %ZONEALLOC_IOC_SYNC, as DMA_BUF_SYNC_*. */
#define ZONEALLOC_SYNC_READ		(1u << 0)
#define ZONEALLOC_SYNC_WRITE		(2u << 0)
#define ZONEALLOC_SYNC_RW		(ZONEALLOC_SYNC_READ | ZONEALLOC_SYNC_WRITE)
#define ZONEALLOC_SYNC_START		(0u << 2)
#define ZONEALLOC_SYNC_END		(1u << 2)

/**
 * struct zonealloc_sync - argument of %ZONEALLOC_IOC_SYNC: make a byte range
 * of an allocation coherent between the CPU and devices, as
 * DMA_BUF_IOCTL_SYNC does for a dma-buf (and u-dma-buf's sync_for_cpu and
 * sync_for_device).
 * @handle: in: an allocation of this open file (else -ENOENT).
 * @offset: in: first byte of the range, from the start of the allocation.
 * @size: in: bytes, at least 1; the range must lie inside the allocation
 *	(else -EINVAL).
 * @flags: in: %ZONEALLOC_SYNC_START (the CPU is about to access the range:
 *	sync for the CPU) or %ZONEALLOC_SYNC_END (the CPU is done: sync for
 *	devices), or'ed with %ZONEALLOC_SYNC_READ, %ZONEALLOC_SYNC_WRITE or
 *	%ZONEALLOC_SYNC_RW, the CPU's access (at least one; other bits:
 *	-EINVAL).
 * @reserved0: must be zero.
 * @reserved: must be zero.
 */
struct zonealloc_sync {
	__u64 handle;
	__u64 offset;
	__u64 size;
	__u32 flags;
	__u32 reserved0;
	__u64 reserved[2];
};

/**
 * struct zonealloc_resize - argument of %ZONEALLOC_IOC_GROW and
 * %ZONEALLOC_IOC_SHRINK; only for CAP_SYS_ADMIN (-EPERM otherwise).
 * @size: in: bytes to claim from the kernel (GROW) or give back (SHRINK),
 *	rounded up to whole chunks (@chunk_size); 1 .. 2^40.
 * @zone: in: GROW: the zone the memory should join, or
 *	%ZONEALLOC_ZONE_ALL to let its address decide; SHRINK: must be
 *	%ZONEALLOC_ZONE_ALL. Anything else is -EINVAL.
 * @flags: in: GROW: zero; SHRINK: %ZONEALLOC_SHRINK_EVACUATE or zero.
 * @done: out: bytes claimed or given back; GROW stops at max_mb, SHRINK
 *	at min_mb and at the last chunk that is entirely free (or, with
 *	%ZONEALLOC_SHRINK_EVACUATE, that can be evacuated).
 * @pool_size: out: bytes the pool holds afterwards.
 * @chunk_size: out: bytes per chunk.
 * @moved_pages: in: zero; out: SHRINK: pages of allocations moved out of
 *	the chunks given back.
 *
 * GROW fails with -ENOSPC when the pool is at max_mb and -ENOMEM when the
 * kernel had no free chunk; once one chunk was claimed it succeeds with
 * @done short. SHRINK succeeds, @done possibly 0.
 */
struct zonealloc_resize {
	__u64 size;
	__u32 zone;
	__u32 flags;
	__u64 done;
	__u64 pool_size;
	__u64 chunk_size;
	__u64 moved_pages;
};

/**
 * define ZONEALLOC_SHRINK_EVACUATE - SHRINK may move movable allocations
 * out of a chunk (as compaction does; their contents and mappings stay)
 * to give it back. A chunk with an unmovable allocation stays.
 */
#define ZONEALLOC_SHRINK_EVACUATE	0x0001u

#define ZONEALLOC_IOC_MAGIC		0xBA

/* Allocate 2^order pages; returns a handle. */
#define ZONEALLOC_IOC_ALLOC	_IOWR(ZONEALLOC_IOC_MAGIC, 0x00, struct zonealloc_alloc)
/* Free one allocation of this file. */
#define ZONEALLOC_IOC_FREE	_IOWR(ZONEALLOC_IOC_MAGIC, 0x01, struct zonealloc_free)
/* Allocate many order-0 pages. */
#define ZONEALLOC_IOC_ALLOC_BULK _IOWR(ZONEALLOC_IOC_MAGIC, 0x02, struct zonealloc_bulk)
/* Free many allocations of this file, all or none. */
#define ZONEALLOC_IOC_FREE_BULK	_IOWR(ZONEALLOC_IOC_MAGIC, 0x03, struct zonealloc_bulk)
/*
 * Pool, zone and per-file figures. The number encodes the first struct's
 * size for good: the struct grows, its @size field says how much of it a
 * caller holds, and every build sends the same command.
 */
#define ZONEALLOC_IOC_INFO	_IOWR(ZONEALLOC_IOC_MAGIC, 0x04, __u8[ZONEALLOC_INFO_SIZE_VER0])
/* Compact one zone or all; -EAGAIN if no block of the order could be formed. */
#define ZONEALLOC_IOC_COMPACT	_IOWR(ZONEALLOC_IOC_MAGIC, 0x05, struct zonealloc_compact)
/* Drain per-CPU page lists back to the buddy free lists. */
#define ZONEALLOC_IOC_DRAIN	_IOWR(ZONEALLOC_IOC_MAGIC, 0x06, struct zonealloc_drain)
/* Describe one allocation of this file. */
#define ZONEALLOC_IOC_QUERY	_IOWR(ZONEALLOC_IOC_MAGIC, 0x08, struct zonealloc_query)
/* Allocate an exact range of N contiguous pages. */
#define ZONEALLOC_IOC_ALLOC_CONTIG _IOWR(ZONEALLOC_IOC_MAGIC, 0x07, struct zonealloc_alloc_contig)
/* Export an allocation as a dma-buf; the size is encoded in the number. */
#define ZONEALLOC_IOC_EXPORT	_IOWR(ZONEALLOC_IOC_MAGIC, 0x09, struct zonealloc_export)
/* Sync a range of an allocation for the CPU or for devices. */
#define ZONEALLOC_IOC_SYNC	_IOW(ZONEALLOC_IOC_MAGIC, 0x0a, struct zonealloc_sync)

/* Claim more memory for the pool from the kernel. */
#define ZONEALLOC_IOC_GROW	_IOWR(ZONEALLOC_IOC_MAGIC, 0x0b, struct zonealloc_resize)
/* Give entirely free chunks back to the kernel. */
#define ZONEALLOC_IOC_SHRINK	_IOWR(ZONEALLOC_IOC_MAGIC, 0x0c, struct zonealloc_resize)

#endif /* _UAPI_LINUX_ZONEALLOC_H */
