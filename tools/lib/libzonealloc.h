/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libzonealloc: a small userspace driver library for /dev/zonealloc.
 *
 * Every function that can fail returns 0 on success or a negative errno
 * (-ENOENT, -EINVAL, ...), exactly as the kernel returned it; errno itself
 * is left as the failing system call set it. Allocations belong to the
 * struct zal_dev (the open file) that made them: another zal_dev, even in the
 * same process, cannot free or map them, and closing a zal_dev (or the exit
 * of the process) frees every allocation it still holds.
 */
#ifndef _LIBZONEALLOC_H
#define _LIBZONEALLOC_H

#include <stddef.h>
#include <linux/zonealloc.h>

/**
 * define ZAL_DEFAULT_PATH - the device node zal_open() uses for a NULL path.
 */
#define ZAL_DEFAULT_PATH "/dev/zonealloc"

/**
 * struct zal_dev - an open /dev/zonealloc.
 * @fd: the file descriptor; usable with raw ioctls and mmap().
 * @page_size: the page size, as sysconf(_SC_PAGESIZE) reports it.
 */
struct zal_dev {
	int fd;
	size_t page_size;
};

/**
 * zal_open() - open the device.
 * @dev: filled in on success.
 * @path: device node, or NULL for %ZAL_DEFAULT_PATH.
 *
 * Return: 0, or -errno from open() (-ENOENT: no such node, -EACCES: no
 * permission, -ENXIO/-ENODEV: node without a loaded module).
 */
int zal_open(struct zal_dev *dev, const char *path);

/**
 * zal_close() - close the device; frees every allocation of @dev.
 * @dev: an open device; its @fd is set to -1.
 *
 * Return: 0, or -errno from close().
 */
int zal_close(struct zal_dev *dev);

/**
 * zal_alloc() - allocate 2^@order contiguous pages.
 * @dev: an open device.
 * @order: 0..%ZONEALLOC_MAX_ORDER.
 * @flags: ZONEALLOC_GFP_* bits.
 * @out: filled in with the handle, physical address, zone and migratetype;
 *	may be NULL only if the caller does not need the handle.
 *
 * Return: 0; -EINVAL (bad order or flags), -ENOMEM (pool exhausted),
 * -EDQUOT (over the quota of the opener's user), -EPERM (%ZONEALLOC_GFP_HIGH
 * or %ZONEALLOC_GFP_ATOMIC without CAP_SYS_ADMIN).
 */
int zal_alloc(struct zal_dev *dev, unsigned int order, unsigned int flags,
	      struct zonealloc_alloc *out);

/**
 * zal_alloc_node() - zal_alloc() preferring NUMA node @node.
 * @dev: an open device.
 * @order: 0..%ZONEALLOC_MAX_ORDER.
 * @flags: ZONEALLOC_GFP_* bits; with %ZONEALLOC_GFP_THISNODE ("thisnode")
 *	the pages come from @node or the call fails with -ENOMEM.
 * @node: the preferred node, or -1 for the calling CPU's (what zal_alloc()
 *	asks for).
 * @out: as zal_alloc(); @out->node is ZONEALLOC_NODE() of the node the
 *	pages came from.
 *
 * Return: as zal_alloc(); -EINVAL also for a node that is not possible.
 */
int zal_alloc_node(struct zal_dev *dev, unsigned int order,
		   unsigned int flags, int node, struct zonealloc_alloc *out);

#ifdef ZONEALLOC_IOC_ALLOC_CONTIG
/**
 * zal_alloc_contig() - allocate exactly @nr_pages physically contiguous pages.
 * @dev: an open device.
 * @nr_pages: 1..%ZONEALLOC_CONTIG_MAX_PAGES, any number.
 * @flags: zone bits, RECLAIMABLE, HIGH, NOWARN, retry bits (not ATOMIC,
 *	MOVABLE or NOFAIL).
 * @out: filled in with the handle, physical address and zone; may be NULL.
 *
 * The range is freed, mapped and counted like any allocation.
 *
 * Return: 0; -EINVAL, -ENOMEM, -EDQUOT.
 */
int zal_alloc_contig(struct zal_dev *dev, unsigned int nr_pages,
		     unsigned int flags, struct zonealloc_alloc_contig *out);

/**
 * zal_alloc_contig_node() - zal_alloc_contig() preferring NUMA node @node.
 * @dev: an open device.
 * @nr_pages: 1..%ZONEALLOC_CONTIG_MAX_PAGES.
 * @flags: as zal_alloc_contig(), and %ZONEALLOC_GFP_THISNODE.
 * @node: the preferred node, or -1 for the calling CPU's.
 * @out: as zal_alloc_contig(); @out->node is ZONEALLOC_NODE() of the node
 *	of the range.
 *
 * Return: as zal_alloc_contig().
 */
int zal_alloc_contig_node(struct zal_dev *dev, unsigned int nr_pages,
			  unsigned int flags, int node,
			  struct zonealloc_alloc_contig *out);
#endif

/**
 * zal_free() - free one allocation of @dev.
 * @dev: an open device.
 * @handle: a handle returned by zal_alloc() or zal_alloc_bulk() on @dev.
 *
 * Mappings of the allocation stay in place but touching them raises SIGBUS.
 *
 * Return: 0; -ENOENT (no such allocation in this file).
 */
int zal_free(struct zal_dev *dev, __u64 handle);

/**
 * zal_alloc_bulk() - allocate up to *@count order-0 pages.
 * @dev: an open device.
 * @flags: ZONEALLOC_GFP_* bits.
 * @handles: array of at least *@count entries, receives the handles.
 * @count: in: pages wanted (1..%ZONEALLOC_BULK_MAX); out: pages allocated,
 *	which may be fewer.
 *
 * Return: 0; -EINVAL, -ENOMEM (none at all), -EDQUOT, -EFAULT.
 */
int zal_alloc_bulk(struct zal_dev *dev, unsigned int flags, __u64 *handles,
		   unsigned int *count);

/**
 * zal_alloc_bulk_node() - zal_alloc_bulk() preferring NUMA node @node.
 * @dev: an open device.
 * @flags: ZONEALLOC_GFP_* bits.
 * @node: the preferred node, or -1 for the calling CPU's.
 * @handles: as zal_alloc_bulk().
 * @count: as zal_alloc_bulk().
 *
 * Return: as zal_alloc_bulk().
 */
int zal_alloc_bulk_node(struct zal_dev *dev, unsigned int flags, int node,
			__u64 *handles, unsigned int *count);

/**
 * zal_free_bulk() - free @count allocations, all of them or none.
 * @dev: an open device.
 * @handles: the handles.
 * @count: 1..%ZONEALLOC_BULK_MAX.
 *
 * Return: 0; -ENOENT (one handle unknown, foreign or repeated: none freed).
 */
int zal_free_bulk(struct zal_dev *dev, const __u64 *handles,
		  unsigned int count);

/**
 * zal_map() - map (the first @len bytes of) an allocation, MAP_SHARED.
 * @dev: an open device.
 * @handle: an allocation of @dev.
 * @len: bytes to map, at most the allocation's size.
 * @prot: PROT_* bits.
 * @addrp: receives the address.
 *
 * Return: 0; -ENOENT (unknown handle), -EINVAL (@len too large).
 */
int zal_map(struct zal_dev *dev, __u64 handle, size_t len, int prot,
	    void **addrp);

/**
 * zal_unmap() - undo zal_map().
 * @addr: the address zal_map() returned.
 * @len: the length given to zal_map().
 *
 * Return: 0, or -errno from munmap().
 */
int zal_unmap(void *addr, size_t len);

/**
 * zal_info() - read pool, zone and per-file figures.
 * @dev: an open device.
 * @info: filled in; its size field is set by zal_info().
 *
 * Return: 0, or -errno from the ioctl.
 */
int zal_info(struct zal_dev *dev, struct zonealloc_info *info);

/**
 * zal_compact() - compact one zone or all.
 * @dev: an open device.
 * @zone: ZONEALLOC_ZONE_* or %ZONEALLOC_ZONE_ALL.
 * @order: target order, or -1 for a full compaction.
 * @mode: ZONEALLOC_COMPACT_*.
 * @migrated: if not NULL, receives the number of pages moved.
 *
 * @migrated is written on success and on -EAGAIN.
 *
 * Return: 0; -EINVAL; -EPERM (no CAP_SYS_ADMIN); -EAGAIN (no block of
 * @order could be formed, or async compaction met contention);
 * -EOPNOTSUPP without compaction.
 */
int zal_compact(struct zal_dev *dev, unsigned int zone, int order,
		unsigned int mode, __u64 *migrated);

/**
 * zal_drain() - drain per-CPU page lists back to the buddy free lists.
 * @dev: an open device.
 * @cpu: an online CPU, or -1 for all.
 *
 * Return: 0; -EINVAL (not an online CPU); -EPERM (no CAP_SYS_ADMIN).
 */
int zal_drain(struct zal_dev *dev, int cpu);

/**
 * zal_export() - export an allocation as a dma-buf.
 * @dev: an open device.
 * @handle: an allocation of @dev.
 * @fd_flags: O_CLOEXEC and O_ACCMODE bits of the new descriptor.
 * @map: cache mode of the dma-buf's CPU mappings: 0 (the allocation's),
 *	%ZONEALLOC_MAP_WC or %ZONEALLOC_MAP_UNCACHED.
 * @fdp: receives the dma-buf's file descriptor.
 * @sizep: if not NULL, receives its size in bytes.
 *
 * The dma-buf keeps the pages (in place, charged to the allocating user)
 * after zal_free() or zal_close() until its last reference goes.
 *
 * Return: 0; -ENOENT (unknown handle), -EBUSY (already exported),
 * -EINVAL (bad @fd_flags or @map).
 */
int zal_export(struct zal_dev *dev, __u64 handle, unsigned int fd_flags,
	       unsigned int map, int *fdp, __u64 *sizep);

/**
 * zal_sync() - sync a byte range of an allocation for the CPU or devices.
 * @dev: an open device.
 * @handle: an allocation of @dev.
 * @offset: first byte.
 * @size: bytes, at least 1, inside the allocation.
 * @flags: %ZONEALLOC_SYNC_START or %ZONEALLOC_SYNC_END, with
 *	%ZONEALLOC_SYNC_READ, %ZONEALLOC_SYNC_WRITE or %ZONEALLOC_SYNC_RW.
 *
 * Return: 0; -ENOENT (unknown handle), -EINVAL (bad range or flags).
 */
int zal_sync(struct zal_dev *dev, __u64 handle, __u64 offset, __u64 size,
	     unsigned int flags);

/**
 * zal_parse_flags() - parse a comma-separated list of flag names.
 * @s: e.g. "movable,dma32" or "zero,nowarn"; names are the ZONEALLOC_GFP_*
 *	suffixes in either case, "wc" and "uncached" for the ZONEALLOC_MAP_*
 *	cache modes, "none" or "" for 0, or a number (0x...).
 * @flags: receives the bits.
 *
 * Return: 0, or -EINVAL naming an unknown flag.
 */
int zal_parse_flags(const char *s, unsigned int *flags);

/**
 * zal_format_flags() - write the names of @flags, comma-separated.
 * @flags: ZONEALLOC_GFP_* and ZONEALLOC_MAP_* bits; unknown bits print
 *	as a hex number.
 * @buf: output buffer.
 * @len: its size.
 *
 * Return: @buf.
 */
char *zal_format_flags(unsigned int flags, char *buf, size_t len);

/**
 * zal_zone_name() - the name of a zone, as the kernel's files spell it.
 * @zone: ZONEALLOC_ZONE_*.
 *
 * Return: "DMA", "DMA32", "Normal", "HighMem", "Movable" or "?".
 */
const char *zal_zone_name(unsigned int zone);

/**
 * zal_migratetype_name() - the name of a migratetype.
 * @mt: ZONEALLOC_MIGRATE_*.
 *
 * Return: "Unmovable", "Movable", "Reclaimable", "HighAtomic", "Isolate"
 * or "?".
 */
const char *zal_migratetype_name(unsigned int mt);

/**
 * zal_flag_names - the flag names zal_parse_flags() knows, indexed by bit.
 */
extern const char * const zal_flag_names[];

#endif /* _LIBZONEALLOC_H */
