/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ZONEALLOC_VMSTAT_H
#define _ZONEALLOC_VMSTAT_H

#include <linux/percpu.h>

#include "pool.h"

struct seq_file;

static inline void __za_count_zone_events(struct za_zone *zone,
					  size_t offset, unsigned long n)
{
	this_cpu_add(*(unsigned long __percpu *)((void __percpu *)zone->stats +
						 offset), n);
}

/*
 * Count @n events of @item (a field of struct za_zone_stats) in @zone, as
 * count_vm_events(): on this CPU's copy, with no lock, in any context.
 */
#define za_count_zone_events(zone, item, n)				\
	__za_count_zone_events(zone, offsetof(struct za_zone_stats, item), n)
#define za_count_zone_event(zone, item) za_count_zone_events(zone, item, 1)

/* The sum over every CPU of a counter of @zone, as a long. */
#define za_zone_events(zone, item)					\
	za_zone_stat_sum(zone, offsetof(struct za_zone_stats, item))

long za_zone_stat_sum(struct za_zone *zone, size_t offset);
int za_vmstat_init(struct za_pool *pool);
void za_vmstat_exit(struct za_pool *pool);

/* As struct contig_page_info in mm/vmstat.c. */
struct za_contig_page_info {
	unsigned long free_pages;
	unsigned long free_blocks_total;
	unsigned long free_blocks_suitable;
};

void za_fill_contig_page_info(struct za_zone *zone, unsigned int suitable_order,
			      struct za_contig_page_info *info);
int za_fragmentation_index(unsigned int order,
			   const struct za_contig_page_info *info);
int za_unusable_free_index(unsigned int order,
			   const struct za_contig_page_info *info);

void za_show_buddyinfo(struct seq_file *m, struct za_pool *pool);
void za_show_pagetypeinfo(struct seq_file *m, struct za_pool *pool);
void za_show_unusable_index(struct seq_file *m, struct za_pool *pool);
void za_show_extfrag_index(struct seq_file *m, struct za_pool *pool);
void za_show_zoneinfo(struct seq_file *m, struct za_pool *pool);
void za_show_vmstat(struct seq_file *m, struct za_pool *pool);

#endif /* _ZONEALLOC_VMSTAT_H */
