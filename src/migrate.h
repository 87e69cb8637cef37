/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Moving allocated blocks: the contract between compaction, which picks a
 * movable block and a free destination, and the block's owner, which alone
 * knows who refers to the block (userspace mappings, a handle).
 */
#ifndef _ZONEALLOC_MIGRATE_H
#define _ZONEALLOC_MIGRATE_H

#include "pool.h"

/* As the kernel's enum migrate_mode. */
enum za_migrate_mode {
	ZA_MIGRATE_ASYNC,	/* never block: trylocks only */
	ZA_MIGRATE_SYNC_LIGHT,	/* may block on locks, not on long waits */
	ZA_MIGRATE_SYNC,	/* may block */
};

/**
 * struct za_migrate_ops - how a pool's allocations are moved.
 * @move: move the allocated block @src of order @order, whose owner cookie
 *	was @owner (&struct za_page.owner when compaction picked it), to
 *	@dst. Compaction has already taken @dst (same order, same zone)
 *	off the free lists and marked it %ZA_PAGE_ALLOC with @order. The
 *	owner checks that @src is still its allocation of that order and
 *	movable, tears down every mapping of it, copies the contents with
 *	za_migrate_copy(), and from then on refers to @dst (setting
 *	@dst->owner); all of it under the owner's own lock, which also
 *	serialises against the owner freeing the block. Called without zone
 *	or PCP locks held, in process context; with %ZA_MIGRATE_ASYNC it must
 *	not sleep on a contended lock.
 *	Returns 0 when moved: @src is then no longer referenced and still
 *	%ZA_PAGE_ALLOC, and compaction frees it. Otherwise nothing changed:
 *	-EAGAIN (busy, try later), -EBUSY (pinned: never movable, e.g. its
 *	physical address was given out), -ENOENT (no longer this owner's
 *	allocation: freed meanwhile). Compaction then frees @dst.
 */
struct za_migrate_ops {
	int (*move)(struct za_pool *pool, unsigned long owner,
		    struct za_page *src, struct za_page *dst,
		    unsigned int order, enum za_migrate_mode mode);
};

void za_migrate_copy(struct za_page *dst, struct za_page *src,
		     unsigned int order);
int za_migrate_block(struct za_pool *pool, struct za_page *src,
		     unsigned long owner, struct za_page *dst,
		     unsigned int order, enum za_migrate_mode mode);

/* Retries of a busy owner in sync mode, as migrate_pages() passes. */
#define ZA_MIGRATE_RETRIES	3

#endif /* _ZONEALLOC_MIGRATE_H */
