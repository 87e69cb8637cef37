/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ZONEALLOC_VMSTAT_H
#define _ZONEALLOC_VMSTAT_H

#include "pool.h"

struct seq_file;

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
