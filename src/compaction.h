/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ZONEALLOC_COMPACTION_H
#define _ZONEALLOC_COMPACTION_H

#include <linux/moduleparam.h>

#include "migrate.h"
#include "pool.h"

/* As COMPACT_MAX_DEFER_SHIFT: compaction is skipped up to 63 times. */
#define ZA_COMPACT_MAX_DEFER_SHIFT	6

/* As enum compact_result, the outcomes that matter here. */
enum za_compact_result {
	ZA_COMPACT_NOT_SUITABLE,	/* fragmentation index says no */
	ZA_COMPACT_SKIPPED,		/* too little free memory, or nothing movable */
	ZA_COMPACT_DEFERRED,		/* backing off after failures */
	ZA_COMPACT_CONTINUE,		/* internal: keep going */
	ZA_COMPACT_COMPLETE,		/* the whole zone was scanned */
	ZA_COMPACT_PARTIAL_SKIPPED,	/* scanned from the cached positions */
	ZA_COMPACT_CONTENDED,		/* async compaction gave up on a lock */
	ZA_COMPACT_SUCCESS,		/* a block of the order is free */
};

/*
 * As enum compact_priority: how hard direct compaction tries, lower is
 * harder. Async, then sync-light; the full priority also ignores the skip
 * hints and deferral and scans the whole zone (still sync-light).
 */
enum za_compact_priority {
	ZA_COMPACT_PRIO_SYNC_FULL,
	ZA_MIN_COMPACT_PRIORITY = ZA_COMPACT_PRIO_SYNC_FULL,
	ZA_COMPACT_PRIO_SYNC_LIGHT,
	ZA_MIN_COMPACT_COSTLY_PRIORITY = ZA_COMPACT_PRIO_SYNC_LIGHT,
	ZA_DEF_COMPACT_PRIORITY = ZA_COMPACT_PRIO_SYNC_LIGHT,
	ZA_COMPACT_PRIO_ASYNC,
	ZA_INIT_COMPACT_PRIORITY = ZA_COMPACT_PRIO_ASYNC,
};

extern unsigned int za_compaction_proactiveness;
extern unsigned int za_extfrag_threshold;
extern const struct kernel_param_ops za_compaction_proactiveness_ops;
extern const struct kernel_param_ops za_extfrag_threshold_ops;

int za_compact(struct za_pool *pool, int zone, int order,
	       enum za_migrate_mode mode, unsigned long *migrated);
struct za_page *za_try_to_compact_pages(struct za_pool *pool, int nid,
					bool thisnode, unsigned int order,
					unsigned int alloc_flags,
					int highest_zoneidx, int mt,
					enum za_compact_priority prio,
					enum za_compact_result *result);
bool za_compaction_zonelist_suitable(struct za_pool *pool,
				     unsigned int order, int highest_zoneidx);

bool za_compaction_suitable(struct za_zone *zone, int order,
			    int highest_zoneidx);
bool za_compaction_deferred(struct za_zone *zone, int order);
void za_defer_compaction(struct za_zone *zone, int order);
void za_compaction_defer_reset(struct za_zone *zone, int order,
			       bool alloc_success);
unsigned int za_fragmentation_score_zone(struct za_zone *zone);
unsigned int za_fragmentation_score_pool(struct za_pool *pool);

struct za_compact_control;
void za_free_moved(struct za_zone *zone, struct za_page *zp,
		   unsigned int order, struct za_compact_control *cc);

int za_kcompactd_run(struct za_pool *pool);
void za_kcompactd_stop(struct za_pool *pool);
void za_wakeup_kcompactd(struct za_pool *pool, unsigned int order,
			 int highest_zoneidx);
#if IS_ENABLED(CONFIG_KUNIT)
bool za_kcompactd_state(struct za_pool *pool, unsigned int *order,
			unsigned int *zone, unsigned int *wakeups,
			unsigned int *runs);
#endif

#endif /* _ZONEALLOC_COMPACTION_H */
