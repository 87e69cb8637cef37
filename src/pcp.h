/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ZONEALLOC_PCP_H
#define _ZONEALLOC_PCP_H

#include "pool.h"

static inline int za_pcp_list_index(unsigned int order, int mt)
{
	return order * ZA_MIGRATE_PCPTYPES + mt;
}

static inline unsigned int za_pcp_list_order(int idx)
{
	return idx / ZA_MIGRATE_PCPTYPES;
}

static inline bool za_pcp_allowed_order(unsigned int order)
{
	return order <= ZA_PCP_MAX_ORDER;
}

int za_zone_batchsize(unsigned long managed_pages);
int za_zone_highsize(unsigned long low_wmark, int batch, int nr_cpus);

int za_pcp_init(struct zonealloc_pool *pool);
void za_pcp_exit(struct zonealloc_pool *pool);
void za_pcp_update_high_batch(struct zonealloc_pool *pool);
struct za_page *za_pcp_alloc(struct za_zone *zone, unsigned int order,
			     int mt);
bool za_pcp_free(struct za_zone *zone, struct za_page *zp,
		 unsigned int order);
unsigned long za_pcp_drain_cpu(struct zonealloc_pool *pool, int cpu);
unsigned long za_pcp_drain_all(struct zonealloc_pool *pool);
int za_pcp_module_init(void);
void za_pcp_module_exit(void);

#endif /* _ZONEALLOC_PCP_H */
