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

/*
 * Most blocks moved in one batch: as COMPACT_CLUSTER_MAX, the kernel's
 * isolation batch, which migrate_pages() moves as one batch.
 */
#define ZA_MIGRATE_BATCH_MAX	32

/**
 * struct za_migrate_req - one block of a batch to move.
 * @src: head of the allocated block to move.
 * @dst: head of its destination (as for &struct za_migrate_ops.move).
 * @owner: @src's owner cookie as read when it was picked.
 * @order: the order of both.
 * @result: -EINPROGRESS while to be moved; then 0 or an error, as
 *	&struct za_migrate_ops.move returns.
 */
struct za_migrate_req {
	struct za_page *src;
	struct za_page *dst;
	unsigned long owner;
	unsigned int order;
	int result;
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
 * @move_batch: optional: move up to %ZA_MIGRATE_BATCH_MAX blocks at once,
 *	each request whose @result is -EINPROGRESS on entry as @move
 *	would, setting its @result (the others are left alone); as
 *	migrate_pages_batch() does, an owner tears down the mappings of
 *	all its blocks of the batch at once (one unmap pass) before it
 *	copies them. Without it, @move is called for each block.
 */
struct za_migrate_ops {
	int (*move)(struct za_pool *pool, unsigned long owner,
		    struct za_page *src, struct za_page *dst,
		    unsigned int order, enum za_migrate_mode mode);
	void (*move_batch)(struct za_pool *pool, struct za_migrate_req *reqs,
			   unsigned int nr, enum za_migrate_mode mode);
};

void za_migrate_copy(struct za_page *dst, struct za_page *src,
		     unsigned int order);
int za_migrate_block(struct za_pool *pool, struct za_page *src,
		     unsigned long owner, struct za_page *dst,
		     unsigned int order, enum za_migrate_mode mode);
void za_migrate_batch(struct za_pool *pool, struct za_migrate_req *reqs,
		      unsigned int nr, enum za_migrate_mode mode);

/* Retries of a busy owner in sync mode, as migrate_pages() passes. */
#define ZA_MIGRATE_RETRIES	3

#endif /* _ZONEALLOC_MIGRATE_H */
