// SPDX-License-Identifier: GPL-2.0
/*
 * Moving allocated blocks between places in a pool: the copy itself, and the
 * driver that hands a block picked by compaction (or by a contiguous
 * allocation) to its owner. Who may move a block, and how its users follow
 * it, is the owner's business (struct za_migrate_ops in migrate.h).
 */

#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <kunit/visibility.h>

#include "migrate.h"
#include "trace.h"
#include "vmstat.h"

/**
 * za_migrate_copy() - copy the contents of one block to another.
 * @dst: head of the destination block.
 * @src: head of the source block.
 * @order: the order of both.
 *
 * Context: Any context; the caller owns both blocks.
 */
void za_migrate_copy(struct za_page *dst, struct za_page *src,
		     unsigned int order)
{
	unsigned long i;

	for (i = 0; i < (1UL << order); i++)
		copy_highpage(pfn_to_page(dst->pfn + i),
			      pfn_to_page(src->pfn + i));
}
EXPORT_SYMBOL_IF_KUNIT(za_migrate_copy);

/**
 * za_migrate_block() - ask the owner of an allocated block to move it.
 * @pool: the pool.
 * @src: head of the allocated block to move.
 * @owner: its owner cookie as read when it was picked (&struct za_page.owner).
 * @dst: head of the destination: same zone and order, already taken off
 *	the free lists and marked %ZA_PAGE_ALLOC with @order by the caller.
 * @order: the order of both.
 * @mode: how hard the owner may try (may it sleep on its lock).
 *
 * Calls @pool's migrate_ops->move (see &struct za_migrate_ops) and counts
 * the outcome in @src's zone. On success the caller frees @src; otherwise
 * it frees @dst (or keeps it for another block).
 *
 * Context: Process context; no zone or PCP lock held. Sleeps only if
 * @mode is not %ZA_MIGRATE_ASYNC.
 * Return: 0 when moved; -EBUSY when nothing in @pool can move or the block
 * has no owner or is pinned; -EAGAIN when the owner is busy; -ENOENT when
 * @src is no longer that owner's block.
 */
int za_migrate_block(struct za_pool *pool, struct za_page *src,
		     unsigned long owner, struct za_page *dst,
		     unsigned int order, enum za_migrate_mode mode)
{
	const struct za_migrate_ops *ops = READ_ONCE(pool->migrate_ops);
	struct za_zone *zone = za_page_zone(pool, src);
	int ret;

	if (mode != ZA_MIGRATE_ASYNC)
		might_sleep();
	if (WARN_ON_ONCE(za_page_state(dst) != ZA_PAGE_ALLOC ||
			 za_page_order(dst) != order))
		return -EINVAL;
	if (!ops || !ops->move || !owner)
		return -EBUSY;

	ret = ops->move(pool, owner, src, dst, order, mode);
	trace_za_move(owner, src, dst, order, mode, ret);
	if (!ret)
		za_count_zone_events(zone, pgmigrate_success, 1L << order);
	else if (ret != -ENOENT)
		za_count_zone_events(zone, pgmigrate_fail, 1L << order);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(za_migrate_block);

/**
 * za_migrate_batch() - ask the owners of up to %ZA_MIGRATE_BATCH_MAX
 *	allocated blocks to move them.
 * @pool: the pool.
 * @reqs: the blocks, each with its destination prepared as for
 *	za_migrate_block(), all in one zone.
 * @nr: how many (at most %ZA_MIGRATE_BATCH_MAX).
 * @mode: how hard the owners may try.
 *
 * As migrate_pages_batch(): the whole batch is handed to the owner at once
 * (&struct za_migrate_ops.move_batch), so that it unmaps every block of
 * the batch in one pass before copying; an owner without it is asked
 * block by block. Sets each request's @result as za_migrate_block()
 * returns, and counts the outcomes in the zone once per batch. The caller
 * frees the source of each block moved and the destination of the rest.
 *
 * Context: Process context; no zone or PCP lock held. Sleeps only if
 * @mode is not %ZA_MIGRATE_ASYNC.
 */
void za_migrate_batch(struct za_pool *pool, struct za_migrate_req *reqs,
		      unsigned int nr, enum za_migrate_mode mode)
{
	const struct za_migrate_ops *ops = READ_ONCE(pool->migrate_ops);
	unsigned long ok = 0, failed = 0;
	unsigned int i;

	if (!nr || WARN_ON_ONCE(nr > ZA_MIGRATE_BATCH_MAX))
		return;
	if (mode != ZA_MIGRATE_ASYNC)
		might_sleep();
	for (i = 0; i < nr; i++) {
		struct za_migrate_req *r = &reqs[i];

		r->result = -EINPROGRESS;
		if (WARN_ON_ONCE(za_page_state(r->dst) != ZA_PAGE_ALLOC ||
				 za_page_order(r->dst) != r->order))
			r->result = -EINVAL;
		else if (!ops || !ops->move || !r->owner)
			r->result = -EBUSY;
	}
	if (ops && ops->move_batch) {
		ops->move_batch(pool, reqs, nr, mode);
	} else if (ops && ops->move) {
		for (i = 0; i < nr; i++) {
			struct za_migrate_req *r = &reqs[i];

			if (r->result == -EINPROGRESS)
				r->result = ops->move(pool, r->owner, r->src,
						      r->dst, r->order, mode);
		}
	}
	for (i = 0; i < nr; i++) {
		struct za_migrate_req *r = &reqs[i];

		trace_za_move(r->owner, r->src, r->dst, r->order, mode,
			      r->result);
		if (!r->result)
			ok += 1UL << r->order;
		else if (r->result != -ENOENT)
			failed += 1UL << r->order;
	}
	if (ok)
		za_count_zone_events(za_page_zone(pool, reqs[0].src),
				     pgmigrate_success, ok);
	if (failed)
		za_count_zone_events(za_page_zone(pool, reqs[0].src),
				     pgmigrate_fail, failed);
}
EXPORT_SYMBOL_IF_KUNIT(za_migrate_batch);
