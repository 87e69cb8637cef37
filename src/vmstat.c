// SPDX-License-Identifier: GPL-2.0
/*
 * Reports on a pool in the formats of mm/vmstat.c: buddyinfo and
 * pagetypeinfo byte for byte as /proc prints them (with the pool's zones as
 * the zones, all on node 0), zoneinfo, event counters, and the unusable free
 * space and external fragmentation indices.
 *
 * The event counters are per CPU, as the kernel's vm_event_states: each CPU
 * adds to its own copy (za_count_zone_events()) and readers sum them. The
 * free page count stays one field under the zone lock: it is only written
 * where the zone lock is held anyway (refills, drains, the buddy paths), so
 * it needs no per-CPU deltas, and watermark checks read it exactly.
 */

#include <linux/math64.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/seq_file.h>
#include <kunit/visibility.h>

#include "buddy.h"
#include "pool.h"
#include "vmstat.h"

/**
 * za_fill_contig_page_info() - free block counts of a zone for one order.
 * @zone: the zone; its lock need not be held (figures are a snapshot).
 * @suitable_order: the order a request would need.
 * @info: filled with free pages, free blocks, and blocks of @suitable_order
 *	that the free blocks at or above it could supply.
 *
 * Context: Any context.
 */
void za_fill_contig_page_info(struct za_zone *zone, unsigned int suitable_order,
			      struct za_contig_page_info *info)
{
	unsigned int order;

	info->free_pages = 0;
	info->free_blocks_total = 0;
	info->free_blocks_suitable = 0;
	for (order = 0; order < ZA_NR_ORDERS; order++) {
		/* A snapshot for reports and heuristics, as the kernel's. */
		unsigned long blocks = data_race(zone->free_area[order].nr_free);

		info->free_blocks_total += blocks;
		info->free_pages += blocks << order;
		if (order >= suitable_order)
			info->free_blocks_suitable +=
				blocks << (order - suitable_order);
	}
}
EXPORT_SYMBOL_IF_KUNIT(za_fill_contig_page_info);

/**
 * za_fragmentation_index() - why an allocation of @order would fail.
 * @order: the requested order.
 * @info: from za_fill_contig_page_info() for @order.
 *
 * Context: Any context.
 * Return: -1000 if a suitable block exists; otherwise thousandths, towards
 * 0 when the failure is for lack of memory and towards 1000 when it is for
 * fragmentation; 0 with no free memory at all. As the kernel's formula, it
 * goes below 0 when the free pages would make more requested blocks than
 * there are free blocks (one free order-0 block asked for at order 1:
 * -500), and is printed as the kernel prints it.
 */
int za_fragmentation_index(unsigned int order,
			   const struct za_contig_page_info *info)
{
	unsigned long requested = 1UL << order;

	if (order > ZA_MAX_ORDER || !info->free_blocks_total)
		return 0;
	if (info->free_blocks_suitable)
		return -1000;
	return 1000 - div_u64(1000 + div_u64(info->free_pages * 1000ULL,
					     requested),
			      info->free_blocks_total);
}
EXPORT_SYMBOL_IF_KUNIT(za_fragmentation_index);

/**
 * za_unusable_free_index() - share of free memory unusable at @order.
 * @order: the requested order.
 * @info: from za_fill_contig_page_info() for @order.
 *
 * Context: Any context.
 * Return: thousandths of the free pages that are in blocks smaller than
 * @order; 1000 when nothing is free.
 */
int za_unusable_free_index(unsigned int order,
			   const struct za_contig_page_info *info)
{
	if (!info->free_pages)
		return 1000;
	return div_u64((info->free_pages -
			(info->free_blocks_suitable << order)) * 1000ULL,
		       info->free_pages);
}
EXPORT_SYMBOL_IF_KUNIT(za_unusable_free_index);

/*
 * Is node @nid printed in the reports? As the kernel prints the nodes with
 * memory: those with pool memory, and node 0 when no node has any (so that
 * an empty pool still shows its zones).
 */
static bool za_node_shown(struct za_pool *pool, int nid)
{
	int n;

	if (za_pool_node_populated(pool, nid))
		return true;
	if (nid)
		return false;
	for (n = 1; n < pool->nr_nodes; n++)
		if (za_pool_node_populated(pool, n))
			return false;
	return true;
}

/*
 * As walk_zones_in_node(): populated zones only, each under its lock, of
 * node @nid, or of every node in turn for -1.
 */
static void za_walk_zones(struct seq_file *m, struct za_pool *pool, int nid,
			  void (*print)(struct seq_file *m, struct za_zone *z))
{
	struct za_zone *zone;
	unsigned long flags;

	for (zone = pool->zones; zone < za_pool_zones_end(pool); zone++) {
		if ((nid >= 0 && zone->node != nid) ||
		    !za_zone_populated(zone))
			continue;
		spin_lock_irqsave(&zone->lock, flags);
		print(m, zone);
		spin_unlock_irqrestore(&zone->lock, flags);
	}
}

static void za_buddyinfo_print(struct seq_file *m, struct za_zone *zone)
{
	int order;

	lockdep_assert_held(&zone->lock);
	seq_printf(m, "Node %d, zone %8s ", zone->node, za_zone_names[zone->idx]);
	for (order = 0; order < ZA_NR_ORDERS; order++)
		seq_printf(m, "%6lu ", zone->free_area[order].nr_free);
	seq_putc(m, '\n');
}

/**
 * za_show_buddyinfo() - the pool's free blocks per zone and order, in the
 * format of /proc/buddyinfo.
 * @m: output.
 * @pool: the pool.
 *
 * Context: Process context; takes each zone's lock.
 */
void za_show_buddyinfo(struct seq_file *m, struct za_pool *pool)
{
	za_walk_zones(m, pool, -1, za_buddyinfo_print);
}
EXPORT_SYMBOL_IF_KUNIT(za_show_buddyinfo);

/* The kernel caps each count at 100000 while it holds the zone lock. */
#define ZA_PAGETYPEINFO_CAP	100000

static void za_pagetypeinfo_free_print(struct seq_file *m,
				       struct za_zone *zone)
{
	int order, mt;

	lockdep_assert_held(&zone->lock);
	for (mt = 0; mt < ZA_MIGRATE_TYPES; mt++) {
		seq_printf(m, "Node %4d, zone %8s, type %12s ", zone->node,
			   za_zone_names[zone->idx], za_migratetype_names[mt]);
		for (order = 0; order < ZA_NR_ORDERS; order++) {
			unsigned long count = 0;
			struct list_head *pos;
			bool overflow = false;

			list_for_each(pos, &zone->free_area[order].free_list[mt]) {
				if (++count >= ZA_PAGETYPEINFO_CAP) {
					overflow = true;
					break;
				}
			}
			seq_printf(m, "%s%6lu ", overflow ? ">" : "", count);
		}
		seq_putc(m, '\n');
	}
}

static void za_pagetypeinfo_blocks_print(struct seq_file *m,
					 struct za_zone *zone)
{
	struct za_pool *pool = zone->pool;
	unsigned long count[ZA_MIGRATE_TYPES] = { 0 };
	unsigned int c;
	unsigned long i;
	int mt;

	lockdep_assert_held(&zone->lock);
	for (c = 0; c < pool->nr_chunks; c++) {
		struct za_chunk *chunk = &pool->chunks[c];

		if (chunk->zone != za_zone_id(zone))
			continue;
		for (i = 0; i < chunk->nr_pages; i += ZA_PAGEBLOCK_PAGES) {
			mt = za_get_pageblock_mt(&chunk->pages[i]);
			if (mt < ZA_MIGRATE_TYPES)
				count[mt]++;
		}
	}
	seq_printf(m, "Node %d, zone %8s ", zone->node, za_zone_names[zone->idx]);
	for (mt = 0; mt < ZA_MIGRATE_TYPES; mt++)
		seq_printf(m, "%12lu ", count[mt]);
	seq_putc(m, '\n');
}

static void za_show_pagetypeinfo_node(struct seq_file *m,
				      struct za_pool *pool, int nid)
{
	int order, mt;

	seq_printf(m, "Page block order: %d\n", ZA_PAGEBLOCK_ORDER);
	seq_printf(m, "Pages per block:  %lu\n", ZA_PAGEBLOCK_PAGES);
	seq_putc(m, '\n');

	seq_printf(m, "%-43s ", "Free pages count per migrate type at order");
	for (order = 0; order < ZA_NR_ORDERS; order++)
		seq_printf(m, "%6d ", order);
	seq_putc(m, '\n');
	za_walk_zones(m, pool, nid, za_pagetypeinfo_free_print);

	seq_printf(m, "\n%-23s", "Number of blocks type ");
	for (mt = 0; mt < ZA_MIGRATE_TYPES; mt++)
		seq_printf(m, "%12s ", za_migratetype_names[mt]);
	seq_putc(m, '\n');
	za_walk_zones(m, pool, nid, za_pagetypeinfo_blocks_print);
}

/**
 * za_show_pagetypeinfo() - free blocks per zone, migratetype and order,
 * and pageblocks per migratetype, in the format of /proc/pagetypeinfo: as
 * the kernel's, the whole report once per node.
 * @m: output.
 * @pool: the pool.
 *
 * Context: Process context; takes each zone's lock.
 */
void za_show_pagetypeinfo(struct seq_file *m, struct za_pool *pool)
{
	int nid;

	for (nid = 0; nid < pool->nr_nodes; nid++)
		if (za_node_shown(pool, nid))
			za_show_pagetypeinfo_node(m, pool, nid);
}
EXPORT_SYMBOL_IF_KUNIT(za_show_pagetypeinfo);

/* One zone's line of an extfrag file: an index per order, in thousandths. */
static void za_index_print(struct seq_file *m, struct za_zone *zone,
			   int (*index)(unsigned int order,
					const struct za_contig_page_info *info),
			   bool wide)
{
	struct za_contig_page_info info;
	unsigned int order;
	int v;

	seq_printf(m, "Node %d, zone %8s ", zone->node, za_zone_names[zone->idx]);
	for (order = 0; order < ZA_NR_ORDERS; order++) {
		za_fill_contig_page_info(zone, order, &info);
		v = index(order, &info);
		/* unusable_index prints "%d.%03d ", extfrag_index "%2d.%03d ". */
		seq_printf(m, wide ? "%2d.%03d " : "%d.%03d ", v / 1000, v % 1000);
	}
	seq_putc(m, '\n');
}

static void za_unusable_print(struct seq_file *m, struct za_zone *zone)
{
	za_index_print(m, zone, za_unusable_free_index, false);
}

/**
 * za_show_unusable_index() - the unusable free space index per zone and
 * order, in the format of extfrag/unusable_index.
 * @m: output.
 * @pool: the pool.
 *
 * Context: Process context; takes each zone's lock.
 */
void za_show_unusable_index(struct seq_file *m, struct za_pool *pool)
{
	za_walk_zones(m, pool, -1, za_unusable_print);
}
EXPORT_SYMBOL_IF_KUNIT(za_show_unusable_index);

static void za_extfrag_print(struct seq_file *m, struct za_zone *zone)
{
	za_index_print(m, zone, za_fragmentation_index, true);
}

/**
 * za_show_extfrag_index() - the external fragmentation index per zone and
 * order, in the format of extfrag/extfrag_index.
 * @m: output.
 * @pool: the pool.
 *
 * Context: Process context; takes each zone's lock.
 */
void za_show_extfrag_index(struct seq_file *m, struct za_pool *pool)
{
	za_walk_zones(m, pool, -1, za_extfrag_print);
}

static unsigned long za_zone_pcp_count(struct za_zone *zone, int cpu)
{
	return zone->pcp ? READ_ONCE(per_cpu_ptr(zone->pcp, cpu)->count) : 0;
}

/* As zoneinfo's pcp->high: the CPU's current, auto-tuned mark. */
static int za_zone_pcp_high(struct za_zone *zone, int cpu)
{
	struct za_pcp *pcp;

	if (!zone->pcp)
		return zone->pcp_high;
	pcp = per_cpu_ptr(zone->pcp, cpu);
	/* Not yet used since sizing: clamp as its next use will. */
	return clamp(READ_ONCE(pcp->high), READ_ONCE(pcp->high_min),
		     READ_ONCE(pcp->high_max));
}

/**
 * za_show_zoneinfo() - every zone, populated or not, in the manner of
 * /proc/zoneinfo: free pages, watermarks, sizes, lowmem_reserve
 * ("protection"), per-CPU list figures and the pfn span.
 * @m: output.
 * @pool: the pool.
 *
 * Context: Process context; takes each zone's lock.
 */
void za_show_zoneinfo(struct seq_file *m, struct za_pool *pool)
{
	struct za_zone *zone;
	unsigned long flags;
	int i, cpu;

	seq_printf(m, "pool %s: %u chunks\n", pool->name, pool->nr_chunks);
	for (i = 0; i < pool->nr_chunks; i++)
		seq_printf(m, "  chunk %d: pfn %#lx-%#lx zone %s\n", i,
			   pool->chunks[i].start_pfn,
			   pool->chunks[i].start_pfn + pool->chunks[i].nr_pages,
			   za_zone_names[pool->chunks[i].zone % ZA_NR_ZONES]);

	for (zone = pool->zones; zone < za_pool_zones_end(pool); zone++) {
		if (!za_node_shown(pool, zone->node))
			continue;
		spin_lock_irqsave(&zone->lock, flags);
		const struct {
			const char *name;
			unsigned long value;
		} items[] = {
			{ "boost", zone->watermark_boost },
			{ "min", zone->watermark[ZA_WMARK_MIN] },
			{ "low", zone->watermark[ZA_WMARK_LOW] },
			{ "high", zone->watermark[ZA_WMARK_HIGH] },
			{ "spanned", zone->end_pfn - zone->start_pfn },
			{ "present", zone->present_pages },
			{ "managed", zone->managed_pages },
		};

		seq_printf(m, "Node %d, zone %8s", zone->node,
			   za_zone_names[zone->idx]);
		seq_printf(m, "\n  pages free     %lu", zone->free_pages);
		for (i = 0; i < ARRAY_SIZE(items); i++)
			seq_printf(m, "\n        %-8s %lu", items[i].name,
				   items[i].value);
		seq_printf(m, "\n        protection: (%ld", zone->lowmem_reserve[0]);
		for (i = 1; i < ZA_NR_ZONES; i++)
			seq_printf(m, ", %ld", zone->lowmem_reserve[i]);
		seq_putc(m, ')');
		if (!za_zone_populated(zone)) {
			spin_unlock_irqrestore(&zone->lock, flags);
			seq_putc(m, '\n');
			continue;
		}
		seq_printf(m, "\n      %-12s %lu", "nr_highatomic",
			   zone->nr_reserved_highatomic);
		seq_printf(m, "\n      %-12s %lu", "nr_free_highatomic",
			   zone->nr_free_highatomic);
		spin_unlock_irqrestore(&zone->lock, flags);

		seq_puts(m, "\n  pagesets");
		for_each_online_cpu(cpu) {
			seq_printf(m, "\n    cpu: %i", cpu);
			seq_printf(m, "\n              count: %lu",
				   za_zone_pcp_count(zone, cpu));
			seq_printf(m, "\n              high:  %i",
				   za_zone_pcp_high(zone, cpu));
			seq_printf(m, "\n              batch: %i", zone->pcp_batch);
		}
		seq_printf(m, "\n  start_pfn:           %lu\n", zone->start_pfn);
	}
}
EXPORT_SYMBOL_IF_KUNIT(za_show_zoneinfo);

#define ZA_STAT(name) { #name, offsetof(struct za_zone_stats, name) }
static const struct {
	const char *name;
	size_t offset;
} za_vmstat_items[] = {
	ZA_STAT(pgalloc),
	ZA_STAT(pgfree),
	ZA_STAT(fallbacks),
	ZA_STAT(steals),
	ZA_STAT(highatomic_reserved),
	ZA_STAT(alloc_fail),
	ZA_STAT(compact_stall),
	ZA_STAT(compact_fail),
	ZA_STAT(compact_success),
	ZA_STAT(compact_migrate_scanned),
	ZA_STAT(compact_free_scanned),
	ZA_STAT(compact_isolated),
	ZA_STAT(pgmigrate_success),
	ZA_STAT(pgmigrate_fail),
	ZA_STAT(deferrals),
	ZA_STAT(fallback_pollution),
};

/* Zone suffixes as /proc/vmstat spells them (pgalloc_dma32, ...). */
static const char * const za_vmstat_zone_names[ZA_NR_ZONES] = {
	"dma", "dma32", "normal", "high", "movable",
};

/**
 * za_zone_stat_sum() - a per-CPU event counter of a zone, summed.
 * @zone: the zone.
 * @offset: the counter's offset in struct za_zone_stats (za_zone_events()
 *	takes its name).
 *
 * Every possible CPU counts: a CPU that went offline keeps its events.
 *
 * Context: Any context; a snapshot while events are being counted.
 * Return: the sum, as a long (the counters are unsigned and wrap as one).
 */
long za_zone_stat_sum(struct za_zone *zone, size_t offset)
{
	unsigned long sum = 0;
	int cpu;

	if (!zone->stats)
		return 0;
	for_each_possible_cpu(cpu)
		sum += READ_ONCE(*(unsigned long *)((char *)per_cpu_ptr(zone->stats,
									 cpu) +
						      offset));
	return sum;
}
EXPORT_SYMBOL_IF_KUNIT(za_zone_stat_sum);

/**
 * za_vmstat_init() - allocate a pool's per-CPU event counters, zeroed.
 * @pool: a new pool.
 *
 * Context: Process context; may sleep.
 * Return: 0 or -ENOMEM.
 */
int za_vmstat_init(struct za_pool *pool)
{
	int z;

	for (z = 0; z < za_pool_nr_zones(pool); z++) {
		pool->zones[z].stats = alloc_percpu(struct za_zone_stats);
		if (!pool->zones[z].stats) {
			za_vmstat_exit(pool);
			return -ENOMEM;
		}
	}
	return 0;
}

/**
 * za_vmstat_exit() - free a pool's per-CPU event counters.
 * @pool: the pool.
 *
 * Context: Process context.
 */
void za_vmstat_exit(struct za_pool *pool)
{
	int z;

	for (z = 0; z < za_pool_nr_zones(pool); z++) {
		free_percpu(pool->zones[z].stats);
		pool->zones[z].stats = NULL;
	}
}

static long za_zone_stat(struct za_zone *zone, int item)
{
	return za_zone_stat_sum(zone, za_vmstat_items[item].offset);
}

/**
 * za_show_vmstat() - the pool's event counters, one "name value" per line
 * as /proc/vmstat prints them: totals, then per zone.
 * @m: output.
 * @pool: the pool.
 *
 * Context: Any context that may sleep.
 */
void za_show_vmstat(struct seq_file *m, struct za_pool *pool)
{
	struct za_zone *zone;
	int z, i;

	/* As /proc/vmstat: the per-zone counters sum over the nodes. */
	for (i = 0; i < ARRAY_SIZE(za_vmstat_items); i++) {
		long total = 0;

		for (zone = pool->zones; zone < za_pool_zones_end(pool); zone++)
			total += za_zone_stat(zone, i);
		seq_printf(m, "%s %ld\n", za_vmstat_items[i].name, total);
	}
	for (i = 0; i < ARRAY_SIZE(za_vmstat_items); i++)
		for (z = 0; z < ZA_NR_ZONES; z++) {
			long total = 0;

			for (zone = pool->zones; zone < za_pool_zones_end(pool); zone++)
				if (zone->idx == z)
					total += za_zone_stat(zone, i);
			seq_printf(m, "%s_%s %ld\n", za_vmstat_items[i].name,
				   za_vmstat_zone_names[z], total);
		}
}
