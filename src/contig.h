/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ZONEALLOC_CONTIG_H
#define _ZONEALLOC_CONTIG_H

#include "pool.h"

#if IS_ENABLED(CONFIG_KUNIT)
extern unsigned long za_contig_probes;
#endif

int za_alloc_contig_node(struct za_pool *pool, int nid,
			 unsigned long nr_pages, u32 gfp,
			 struct za_page **first);
int za_alloc_contig(struct za_pool *pool, unsigned long nr_pages,
		    u32 gfp, struct za_page **first);
int za_evacuate_range(struct za_pool *pool, unsigned long start_pfn,
		      unsigned long nr_pages, unsigned long *moved);
void za_free_contig(struct za_pool *pool, struct za_page *first,
		    unsigned long nr_pages);

#endif /* _ZONEALLOC_CONTIG_H */
