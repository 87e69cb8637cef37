/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The zonealloc trace system: the kernel's kmem: and compaction: events
 * for the module's own allocator, with the kernel's field names and
 * formats (Linux 6.12, include/trace/events/kmem.h and compaction.h), plus
 * events of the module's own. Documentation/tracing.rst lists them.
 *
 * Where the kernel records a struct page, these record the pfn and the
 * pool's zone; where it prints gfp_t, the ZONEALLOC_GFP_* flags. Every
 * event name carries the za_ prefix: a tracefs event is named after its
 * tracepoint's C identifier, and that identifier names global symbols
 * (__tracepoint_<name>, __traceiter_<name>, the static call) which must
 * carry the module prefix and not shadow the kernel's own, nor share a
 * name with a kernel tracepoint that BPF raw tracepoints look up by name.
 * So zonealloc:za_mm_page_alloc mirrors kmem:mm_page_alloc.
 *
 * Tracepoints are static keys: off, each call site is a patched-out jump.
 * TP_fast_assign() runs only when the event is on, with the caller's locks
 * held; the few that read pageblock state use the lockless accessors.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM zonealloc

#if !defined(_ZONEALLOC_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _ZONEALLOC_TRACE_H

#include <linux/tracepoint.h>
#include <linux/types.h>
#include <uapi/linux/zonealloc.h>

#include "buddy.h"
#include "compaction.h"
#include "migrate.h"
#include "pool.h"

#ifndef _ZONEALLOC_TRACE_ONCE
#define _ZONEALLOC_TRACE_ONCE
/* No block: the pfn the kernel records for a failed allocation. */
#define ZA_TRACE_NO_PFN	(~0UL)

static inline unsigned long za_trace_pfn(const struct za_page *zp)
{
	return IS_ERR_OR_NULL(zp) ? ZA_TRACE_NO_PFN : zp->pfn;
}

static inline int za_trace_zone(const struct za_page *zp)
{
	return IS_ERR_OR_NULL(zp) ? -1 : zp->zone % ZA_NR_ZONES;
}
#endif

/*
 * Enum values in the print formats: TRACE_DEFINE_ENUM() has the kernel
 * write them as numbers into each event's "format", which userspace tools
 * (trace-cmd, perf) read to print the lines themselves.
 */
TRACE_DEFINE_ENUM(ZA_ZONE_DMA);
TRACE_DEFINE_ENUM(ZA_ZONE_DMA32);
TRACE_DEFINE_ENUM(ZA_ZONE_NORMAL);
TRACE_DEFINE_ENUM(ZA_ZONE_HIGHMEM);
TRACE_DEFINE_ENUM(ZA_ZONE_MOVABLE);
TRACE_DEFINE_ENUM(ZA_COMPACT_NOT_SUITABLE);
TRACE_DEFINE_ENUM(ZA_COMPACT_SKIPPED);
TRACE_DEFINE_ENUM(ZA_COMPACT_DEFERRED);
TRACE_DEFINE_ENUM(ZA_COMPACT_CONTINUE);
TRACE_DEFINE_ENUM(ZA_COMPACT_COMPLETE);
TRACE_DEFINE_ENUM(ZA_COMPACT_PARTIAL_SKIPPED);
TRACE_DEFINE_ENUM(ZA_COMPACT_CONTENDED);
TRACE_DEFINE_ENUM(ZA_COMPACT_SUCCESS);
TRACE_DEFINE_ENUM(ZA_MIGRATE_ASYNC);
TRACE_DEFINE_ENUM(ZA_MIGRATE_SYNC_LIGHT);
TRACE_DEFINE_ENUM(ZA_MIGRATE_SYNC);

/* As the kernel's ZONE_TYPE; -1 for "no block". */
#define ZA_TRACE_ZONE_NAMES				\
	{ -1,			"none" },		\
	{ ZA_ZONE_DMA,		"DMA" },		\
	{ ZA_ZONE_DMA32,	"DMA32" },		\
	{ ZA_ZONE_NORMAL,	"Normal" },		\
	{ ZA_ZONE_HIGHMEM,	"HighMem" },		\
	{ ZA_ZONE_MOVABLE,	"Movable" }

#define za_show_zone(z)	__print_symbolic(z, ZA_TRACE_ZONE_NAMES)

/* As show_gfp_flags(): "none" for no flag. */
#define za_show_gfp_flags(flags)					\
	((flags) ? __print_flags(flags, "|",				\
		{ ZONEALLOC_GFP_DMA,		"ZONEALLOC_GFP_DMA" },	\
		{ ZONEALLOC_GFP_HIGHMEM,	"ZONEALLOC_GFP_HIGHMEM" }, \
		{ ZONEALLOC_GFP_DMA32,		"ZONEALLOC_GFP_DMA32" }, \
		{ ZONEALLOC_GFP_MOVABLE,	"ZONEALLOC_GFP_MOVABLE" }, \
		{ ZONEALLOC_GFP_RECLAIMABLE,	"ZONEALLOC_GFP_RECLAIMABLE" }, \
		{ ZONEALLOC_GFP_HIGH,		"ZONEALLOC_GFP_HIGH" },	\
		{ ZONEALLOC_GFP_ATOMIC,		"ZONEALLOC_GFP_ATOMIC" }, \
		{ ZONEALLOC_GFP_ZERO,		"ZONEALLOC_GFP_ZERO" },	\
		{ ZONEALLOC_GFP_NORETRY,	"ZONEALLOC_GFP_NORETRY" }, \
		{ ZONEALLOC_GFP_RETRY_MAYFAIL,	"ZONEALLOC_GFP_RETRY_MAYFAIL" }, \
		{ ZONEALLOC_GFP_NOFAIL,		"ZONEALLOC_GFP_NOFAIL" }, \
		{ ZONEALLOC_GFP_NOWARN,		"ZONEALLOC_GFP_NOWARN" }) : "none")

/* As COMPACTION_STATUS, for enum za_compact_result (compaction.h). */
#define ZA_TRACE_COMPACT_STATUS					\
	{ ZA_COMPACT_NOT_SUITABLE,	"not_suitable_zone" },	\
	{ ZA_COMPACT_SKIPPED,		"skipped" },		\
	{ ZA_COMPACT_DEFERRED,		"deferred" },		\
	{ ZA_COMPACT_CONTINUE,		"continue" },		\
	{ ZA_COMPACT_COMPLETE,		"complete" },		\
	{ ZA_COMPACT_PARTIAL_SKIPPED,	"partial_skipped" },	\
	{ ZA_COMPACT_CONTENDED,		"contended" },		\
	{ ZA_COMPACT_SUCCESS,		"success" }

/* kmem: */

TRACE_EVENT(za_mm_page_alloc,

	TP_PROTO(const struct za_page *zp, unsigned int order, u32 gfp_flags,
		 int migratetype),

	TP_ARGS(zp, order, gfp_flags, migratetype),

	TP_STRUCT__entry(
		__field(unsigned long,	pfn)
		__field(int,		zone)
		__field(unsigned int,	order)
		__field(unsigned long,	gfp_flags)
		__field(int,		migratetype)
	),

	TP_fast_assign(
		__entry->pfn		= za_trace_pfn(zp);
		__entry->zone		= za_trace_zone(zp);
		__entry->order		= order;
		__entry->gfp_flags	= gfp_flags;
		__entry->migratetype	= migratetype;
	),

	TP_printk("pfn=0x%lx zone=%s order=%d migratetype=%d gfp_flags=%s",
		  __entry->pfn != ZA_TRACE_NO_PFN ? __entry->pfn : 0,
		  za_show_zone(__entry->zone),
		  __entry->order,
		  __entry->migratetype,
		  za_show_gfp_flags(__entry->gfp_flags))
);

TRACE_EVENT(za_mm_page_free,

	TP_PROTO(const struct za_page *zp, unsigned int order),

	TP_ARGS(zp, order),

	TP_STRUCT__entry(
		__field(unsigned long,	pfn)
		__field(int,		zone)
		__field(unsigned int,	order)
	),

	TP_fast_assign(
		__entry->pfn		= zp->pfn;
		__entry->zone		= zp->zone % ZA_NR_ZONES;
		__entry->order		= order;
	),

	TP_printk("pfn=0x%lx zone=%s order=%d",
		  __entry->pfn, za_show_zone(__entry->zone), __entry->order)
);

/*
 * percpu_refill as the kernel computes it: the order and type of a per-CPU
 * list. Worked out here rather than at the call site, which is hot.
 */
TRACE_EVENT(za_mm_page_alloc_zone_locked,

	TP_PROTO(const struct za_page *zp, unsigned int order, int migratetype),

	TP_ARGS(zp, order, migratetype),

	TP_STRUCT__entry(
		__field(unsigned long,	pfn)
		__field(int,		zone)
		__field(unsigned int,	order)
		__field(int,		migratetype)
		__field(int,		percpu_refill)
	),

	TP_fast_assign(
		__entry->pfn		= za_trace_pfn(zp);
		__entry->zone		= za_trace_zone(zp);
		__entry->order		= order;
		__entry->migratetype	= migratetype;
		__entry->percpu_refill	= order <= ZA_PCP_MAX_ORDER &&
					  migratetype < ZA_MIGRATE_PCPTYPES;
	),

	TP_printk("pfn=0x%lx zone=%s order=%u migratetype=%d percpu_refill=%d",
		  __entry->pfn != ZA_TRACE_NO_PFN ? __entry->pfn : 0,
		  za_show_zone(__entry->zone),
		  __entry->order,
		  __entry->migratetype,
		  __entry->percpu_refill)
);

TRACE_EVENT(za_mm_page_pcpu_drain,

	TP_PROTO(const struct za_page *zp, unsigned int order, int migratetype),

	TP_ARGS(zp, order, migratetype),

	TP_STRUCT__entry(
		__field(unsigned long,	pfn)
		__field(int,		zone)
		__field(unsigned int,	order)
		__field(int,		migratetype)
	),

	TP_fast_assign(
		__entry->pfn		= zp->pfn;
		__entry->zone		= zp->zone % ZA_NR_ZONES;
		__entry->order		= order;
		__entry->migratetype	= migratetype;
	),

	TP_printk("pfn=0x%lx zone=%s order=%d migratetype=%d",
		  __entry->pfn, za_show_zone(__entry->zone),
		  __entry->order, __entry->migratetype)
);

TRACE_EVENT(za_mm_page_alloc_extfrag,

	TP_PROTO(const struct za_page *zp, int alloc_order, int fallback_order,
		 int alloc_migratetype, int fallback_migratetype),

	TP_ARGS(zp, alloc_order, fallback_order, alloc_migratetype,
		fallback_migratetype),

	TP_STRUCT__entry(
		__field(unsigned long,	pfn)
		__field(int,		zone)
		__field(int,		alloc_order)
		__field(int,		fallback_order)
		__field(int,		alloc_migratetype)
		__field(int,		fallback_migratetype)
		__field(int,		change_ownership)
	),

	TP_fast_assign(
		__entry->pfn			= zp->pfn;
		__entry->zone			= zp->zone % ZA_NR_ZONES;
		__entry->alloc_order		= alloc_order;
		__entry->fallback_order		= fallback_order;
		__entry->alloc_migratetype	= alloc_migratetype;
		__entry->fallback_migratetype	= fallback_migratetype;
		__entry->change_ownership	= alloc_migratetype ==
						  za_get_pageblock_mt(zp);
	),

	TP_printk("pfn=0x%lx zone=%s alloc_order=%d fallback_order=%d pageblock_order=%d alloc_migratetype=%d fallback_migratetype=%d fragmenting=%d change_ownership=%d",
		  __entry->pfn,
		  za_show_zone(__entry->zone),
		  __entry->alloc_order,
		  __entry->fallback_order,
		  ZA_PAGEBLOCK_ORDER,
		  __entry->alloc_migratetype,
		  __entry->fallback_migratetype,
		  __entry->fallback_order < ZA_PAGEBLOCK_ORDER,
		  __entry->change_ownership)
);

/* compaction: */

DECLARE_EVENT_CLASS(za_mm_compaction_isolate_template,

	TP_PROTO(unsigned long start_pfn, unsigned long end_pfn,
		 unsigned long nr_scanned, unsigned long nr_taken),

	TP_ARGS(start_pfn, end_pfn, nr_scanned, nr_taken),

	TP_STRUCT__entry(
		__field(unsigned long, start_pfn)
		__field(unsigned long, end_pfn)
		__field(unsigned long, nr_scanned)
		__field(unsigned long, nr_taken)
	),

	TP_fast_assign(
		__entry->start_pfn = start_pfn;
		__entry->end_pfn = end_pfn;
		__entry->nr_scanned = nr_scanned;
		__entry->nr_taken = nr_taken;
	),

	TP_printk("range=(0x%lx ~ 0x%lx) nr_scanned=%lu nr_taken=%lu",
		  __entry->start_pfn, __entry->end_pfn,
		  __entry->nr_scanned, __entry->nr_taken)
);

DEFINE_EVENT(za_mm_compaction_isolate_template,
	     za_mm_compaction_isolate_migratepages,
	TP_PROTO(unsigned long start_pfn, unsigned long end_pfn,
		 unsigned long nr_scanned, unsigned long nr_taken),
	TP_ARGS(start_pfn, end_pfn, nr_scanned, nr_taken)
);

DEFINE_EVENT(za_mm_compaction_isolate_template,
	     za_mm_compaction_isolate_freepages,
	TP_PROTO(unsigned long start_pfn, unsigned long end_pfn,
		 unsigned long nr_scanned, unsigned long nr_taken),
	TP_ARGS(start_pfn, end_pfn, nr_scanned, nr_taken)
);

TRACE_EVENT(za_mm_compaction_migratepages,

	TP_PROTO(unsigned int nr_migratepages, unsigned int nr_succeeded),

	TP_ARGS(nr_migratepages, nr_succeeded),

	TP_STRUCT__entry(
		__field(unsigned long, nr_migrated)
		__field(unsigned long, nr_failed)
	),

	TP_fast_assign(
		__entry->nr_migrated = nr_succeeded;
		__entry->nr_failed = nr_migratepages - nr_succeeded;
	),

	TP_printk("nr_migrated=%lu nr_failed=%lu",
		  __entry->nr_migrated, __entry->nr_failed)
);

DECLARE_EVENT_CLASS(za_mm_compaction_begin_end_template,

	TP_PROTO(unsigned long zone_start, unsigned long migrate_pfn,
		 unsigned long free_pfn, unsigned long zone_end, bool sync,
		 int status),

	TP_ARGS(zone_start, migrate_pfn, free_pfn, zone_end, sync, status),

	TP_STRUCT__entry(
		__field(unsigned long, zone_start)
		__field(unsigned long, migrate_pfn)
		__field(unsigned long, free_pfn)
		__field(unsigned long, zone_end)
		__field(bool, sync)
		__field(int, status)
	),

	TP_fast_assign(
		__entry->zone_start = zone_start;
		__entry->migrate_pfn = migrate_pfn;
		__entry->free_pfn = free_pfn;
		__entry->zone_end = zone_end;
		__entry->sync = sync;
		__entry->status = status;
	),

	TP_printk("zone_start=0x%lx migrate_pfn=0x%lx free_pfn=0x%lx zone_end=0x%lx, mode=%s status=%s",
		  __entry->zone_start,
		  __entry->migrate_pfn,
		  __entry->free_pfn,
		  __entry->zone_end,
		  __entry->sync ? "sync" : "async",
		  __print_symbolic(__entry->status, ZA_TRACE_COMPACT_STATUS))
);

/*
 * The kernel's mm_compaction_begin has no status: ours records CONTINUE
 * there, and prints the kernel's line without it.
 */
DEFINE_EVENT_PRINT(za_mm_compaction_begin_end_template,
		   za_mm_compaction_begin,
	TP_PROTO(unsigned long zone_start, unsigned long migrate_pfn,
		 unsigned long free_pfn, unsigned long zone_end, bool sync,
		 int status),
	TP_ARGS(zone_start, migrate_pfn, free_pfn, zone_end, sync, status),
	TP_printk("zone_start=0x%lx migrate_pfn=0x%lx free_pfn=0x%lx zone_end=0x%lx, mode=%s",
		  __entry->zone_start,
		  __entry->migrate_pfn,
		  __entry->free_pfn,
		  __entry->zone_end,
		  __entry->sync ? "sync" : "async")
);

DEFINE_EVENT(za_mm_compaction_begin_end_template, za_mm_compaction_end,
	TP_PROTO(unsigned long zone_start, unsigned long migrate_pfn,
		 unsigned long free_pfn, unsigned long zone_end, bool sync,
		 int status),
	TP_ARGS(zone_start, migrate_pfn, free_pfn, zone_end, sync, status)
);

DECLARE_EVENT_CLASS(za_mm_compaction_suitable_template,

	TP_PROTO(const struct za_zone *zone, int order, int ret),

	TP_ARGS(zone, order, ret),

	TP_STRUCT__entry(
		__field(int, nid)
		__field(int, idx)
		__field(int, order)
		__field(int, ret)
	),

	TP_fast_assign(
		__entry->nid = 0;
		__entry->idx = zone->idx;
		__entry->order = order;
		__entry->ret = ret;
	),

	TP_printk("node=%d zone=%-8s order=%d ret=%s",
		  __entry->nid,
		  za_show_zone(__entry->idx),
		  __entry->order,
		  __print_symbolic(__entry->ret, ZA_TRACE_COMPACT_STATUS))
);

DEFINE_EVENT(za_mm_compaction_suitable_template, za_mm_compaction_finished,
	TP_PROTO(const struct za_zone *zone, int order, int ret),
	TP_ARGS(zone, order, ret)
);

DEFINE_EVENT(za_mm_compaction_suitable_template, za_mm_compaction_suitable,
	TP_PROTO(const struct za_zone *zone, int order, int ret),
	TP_ARGS(zone, order, ret)
);

/* Called with zone->lock held: the deferral state is read consistently. */
DECLARE_EVENT_CLASS(za_mm_compaction_defer_template,

	TP_PROTO(const struct za_zone *zone, int order),

	TP_ARGS(zone, order),

	TP_STRUCT__entry(
		__field(int, nid)
		__field(int, idx)
		__field(int, order)
		__field(unsigned int, considered)
		__field(unsigned int, defer_shift)
		__field(int, order_failed)
	),

	TP_fast_assign(
		__entry->nid = 0;
		__entry->idx = zone->idx;
		__entry->order = order;
		__entry->considered = zone->compact_considered;
		__entry->defer_shift = zone->compact_defer_shift;
		__entry->order_failed = zone->compact_order_failed;
	),

	TP_printk("node=%d zone=%-8s order=%d order_failed=%d consider=%u limit=%lu",
		  __entry->nid,
		  za_show_zone(__entry->idx),
		  __entry->order,
		  __entry->order_failed,
		  __entry->considered,
		  1UL << __entry->defer_shift)
);

DEFINE_EVENT(za_mm_compaction_defer_template, za_mm_compaction_deferred,
	TP_PROTO(const struct za_zone *zone, int order),
	TP_ARGS(zone, order)
);

DEFINE_EVENT(za_mm_compaction_defer_template,
	     za_mm_compaction_defer_compaction,
	TP_PROTO(const struct za_zone *zone, int order),
	TP_ARGS(zone, order)
);

DEFINE_EVENT(za_mm_compaction_defer_template, za_mm_compaction_defer_reset,
	TP_PROTO(const struct za_zone *zone, int order),
	TP_ARGS(zone, order)
);

TRACE_EVENT(za_mm_compaction_kcompactd_sleep,

	TP_PROTO(int nid),

	TP_ARGS(nid),

	TP_STRUCT__entry(
		__field(int, nid)
	),

	TP_fast_assign(
		__entry->nid = nid;
	),

	TP_printk("nid=%d", __entry->nid)
);

DECLARE_EVENT_CLASS(za_kcompactd_wake_template,

	TP_PROTO(int nid, int order, int highest_zoneidx),

	TP_ARGS(nid, order, highest_zoneidx),

	TP_STRUCT__entry(
		__field(int, nid)
		__field(int, order)
		__field(int, highest_zoneidx)
	),

	TP_fast_assign(
		__entry->nid = nid;
		__entry->order = order;
		__entry->highest_zoneidx = highest_zoneidx;
	),

	/* classzone_idx: the kernel's name, kept for its ABI. */
	TP_printk("nid=%d order=%d classzone_idx=%-8s",
		  __entry->nid,
		  __entry->order,
		  za_show_zone(__entry->highest_zoneidx))
);

DEFINE_EVENT(za_kcompactd_wake_template, za_mm_compaction_wakeup_kcompactd,
	TP_PROTO(int nid, int order, int highest_zoneidx),
	TP_ARGS(nid, order, highest_zoneidx)
);

DEFINE_EVENT(za_kcompactd_wake_template, za_mm_compaction_kcompactd_wake,
	TP_PROTO(int nid, int order, int highest_zoneidx),
	TP_ARGS(nid, order, highest_zoneidx)
);

/* zonealloc's own. */

/* A chunk of the pool, claimed from the kernel or given back. */
DECLARE_EVENT_CLASS(za_chunk_template,

	TP_PROTO(unsigned long pfn, unsigned long nr_pages, bool flag),

	TP_ARGS(pfn, nr_pages, flag),

	TP_STRUCT__entry(
		__field(unsigned long, pfn)
		__field(unsigned long, nr_pages)
		__field(bool, flag)
	),

	TP_fast_assign(
		__entry->pfn = pfn;
		__entry->nr_pages = nr_pages;
		__entry->flag = flag;
	),

	TP_printk("pfn=0x%lx nr_pages=%lu source=%s",
		  __entry->pfn, __entry->nr_pages,
		  __entry->flag ? "alloc_pages" : "alloc_contig")
);

/* Claimed: @flag says from alloc_pages() rather than alloc_contig_*(). */
DEFINE_EVENT(za_chunk_template, za_chunk_claim,
	TP_PROTO(unsigned long pfn, unsigned long nr_pages, bool flag),
	TP_ARGS(pfn, nr_pages, flag)
);

/* Given back (@flag), or kept out of the kernel because still in use. */
DEFINE_EVENT_PRINT(za_chunk_template, za_chunk_release,
	TP_PROTO(unsigned long pfn, unsigned long nr_pages, bool flag),
	TP_ARGS(pfn, nr_pages, flag),
	TP_printk("pfn=0x%lx nr_pages=%lu released=%d",
		  __entry->pfn, __entry->nr_pages, __entry->flag)
);

/* One allocated block moved by its owner (migrate_ops->move), any outcome. */
TRACE_EVENT(za_move,

	TP_PROTO(unsigned long owner, const struct za_page *src,
		 const struct za_page *dst, unsigned int order, int mode,
		 int ret),

	TP_ARGS(owner, src, dst, order, mode, ret),

	TP_STRUCT__entry(
		__field(unsigned long, owner)
		__field(unsigned long, src_pfn)
		__field(unsigned long, dst_pfn)
		__field(int, zone)
		__field(unsigned int, order)
		__field(int, mode)
		__field(int, ret)
	),

	TP_fast_assign(
		__entry->owner = owner;
		__entry->src_pfn = src->pfn;
		__entry->dst_pfn = dst->pfn;
		__entry->zone = src->zone % ZA_NR_ZONES;
		__entry->order = order;
		__entry->mode = mode;
		__entry->ret = ret;
	),

	TP_printk("owner=0x%lx src_pfn=0x%lx dst_pfn=0x%lx zone=%s order=%u mode=%s ret=%d",
		  __entry->owner, __entry->src_pfn, __entry->dst_pfn,
		  za_show_zone(__entry->zone), __entry->order,
		  __print_symbolic(__entry->mode,
				   { ZA_MIGRATE_ASYNC, "async" },
				   { ZA_MIGRATE_SYNC_LIGHT, "sync_light" },
				   { ZA_MIGRATE_SYNC, "sync" }),
		  __entry->ret)
);

/*
 * One file's share of a batch of moves (migrate_ops->move_batch of
 * /dev/zonealloc): @nr blocks asked, @moved moved, after @unmaps passes of
 * unmap_mapping_range() over the file range spanning them (one, or none
 * when nothing was to move).
 */
TRACE_EVENT(za_move_batch,

	TP_PROTO(const void *file, unsigned int nr, unsigned int moved,
		 unsigned int unmaps),

	TP_ARGS(file, nr, moved, unmaps),

	TP_STRUCT__entry(
		__field(const void *, file)
		__field(unsigned int, nr)
		__field(unsigned int, moved)
		__field(unsigned int, unmaps)
	),

	TP_fast_assign(
		__entry->file = file;
		__entry->nr = nr;
		__entry->moved = moved;
		__entry->unmaps = unmaps;
	),

	TP_printk("file=%p nr=%u moved=%u unmaps=%u",
		  __entry->file, __entry->nr, __entry->moved, __entry->unmaps)
);

/*
 * An allocation of /dev/zonealloc made or freed, with its handle: @file
 * tells open files apart (hashed, as %p prints it), @pfn is where the
 * block is at that moment, @gfp_flags what it was allocated with.
 */
DECLARE_EVENT_CLASS(za_file_template,

	TP_PROTO(const void *file, u64 handle, const struct za_page *zp,
		 unsigned long nr_pages, u32 gfp_flags),

	TP_ARGS(file, handle, zp, nr_pages, gfp_flags),

	TP_STRUCT__entry(
		__field(const void *, file)
		__field(u64, handle)
		__field(unsigned long, pfn)
		__field(int, zone)
		__field(unsigned long, nr_pages)
		__field(unsigned long, gfp_flags)
	),

	TP_fast_assign(
		__entry->file = file;
		__entry->handle = handle;
		__entry->pfn = zp->pfn;
		__entry->zone = zp->zone % ZA_NR_ZONES;
		__entry->nr_pages = nr_pages;
		__entry->gfp_flags = gfp_flags;
	),

	TP_printk("file=%p handle=0x%llx pfn=0x%lx zone=%s nr_pages=%lu gfp_flags=%s",
		  __entry->file, __entry->handle, __entry->pfn,
		  za_show_zone(__entry->zone), __entry->nr_pages,
		  za_show_gfp_flags(__entry->gfp_flags))
);

DEFINE_EVENT(za_file_template, za_file_alloc,
	TP_PROTO(const void *file, u64 handle, const struct za_page *zp,
		 unsigned long nr_pages, u32 gfp_flags),
	TP_ARGS(file, handle, zp, nr_pages, gfp_flags)
);

DEFINE_EVENT(za_file_template, za_file_free,
	TP_PROTO(const void *file, u64 handle, const struct za_page *zp,
		 unsigned long nr_pages, u32 gfp_flags),
	TP_ARGS(file, handle, zp, nr_pages, gfp_flags)
);

#endif /* _ZONEALLOC_TRACE_H */

/* Outside the guard: define_trace.h reads this file again. */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
