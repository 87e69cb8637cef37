// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs "pageblocks": one line per pageblock of the pool, for pictures of
 * the pool (scripts/za-picture) and for reading by eye. The format is in
 * Documentation/debugfs.rst.
 *
 * A seq_file iterator with one pageblock per step: a read of a big pool
 * holds each zone lock for one pageblock at a time. Under that lock the
 * buddy heads of the pageblock stand still; heads on per-CPU lists and
 * allocated heads change under other locks, so they are read as the
 * compaction scanners read them (za_page_racy_head()): a line is a
 * snapshot of each block, not of the pageblock as a whole while the pool
 * is busy.
 */

#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/seq_file.h>

#include "buddy.h"
#include "pageblocks.h"
#include "pool.h"

struct za_pb_counts {
	unsigned long free;
	unsigned long alloc[ZA_MIGRATE_PCPTYPES];
};

/* The pageblock of index @pos over the pool's chunks, or NULL past the end. */
static struct za_page *za_pb_at(struct za_pool *pool, loff_t pos)
{
	unsigned int c;

	for (c = 0; c < pool->nr_chunks; c++) {
		struct za_chunk *chunk = &pool->chunks[c];
		unsigned long nr = chunk->nr_pages / ZA_PAGEBLOCK_PAGES;

		if (pos < nr)
			return chunk->pages + pos * ZA_PAGEBLOCK_PAGES;
		pos -= nr;
	}
	return NULL;
}

static void za_pb_count_block(struct za_pb_counts *n, const struct za_page *zp,
			      u8 state, unsigned long pages)
{
	int mt = za_page_mt(zp);

	if (state == ZA_PAGE_FREE || state == ZA_PAGE_PCP)
		n->free += pages;
	else if (state == ZA_PAGE_ALLOC && mt < ZA_MIGRATE_PCPTYPES)
		n->alloc[mt] += pages;
}

/*
 * A block bigger than a pageblock has its head in an earlier pageblock:
 * the pages of @head's pageblock it covers, counted from that head.
 */
static unsigned long za_pb_covered(struct za_pool *pool, struct za_page *head,
				   struct za_pb_counts *n)
{
	unsigned int o;

	for (o = ZA_PAGEBLOCK_ORDER + 1; o <= ZA_MAX_ORDER; o++) {
		unsigned long start = ALIGN_DOWN(head->pfn, 1UL << o);
		struct za_page *zp = za_pfn_to_page(pool, start);
		unsigned int order;
		u8 state;

		if (start == head->pfn || !zp ||
		    !za_page_racy_head(zp, &state, &order) || order != o)
			continue;
		za_pb_count_block(n, zp, state, ZA_PAGEBLOCK_PAGES);
		return ZA_PAGEBLOCK_PAGES;
	}
	return 0;
}

static void za_pb_count(struct za_pool *pool, struct za_page *head,
			struct za_pb_counts *n)
{
	unsigned long i = 0, step;

	memset(n, 0, sizeof(*n));
	if (za_page_state(head) == ZA_PAGE_TAIL)
		i = za_pb_covered(pool, head, n);
	/* Head by head; a page that is no head (mid-change) counts alone. */
	for (; i < ZA_PAGEBLOCK_PAGES; i += step) {
		unsigned int order;
		u8 state;

		step = 1;
		if (za_page_racy_head(head + i, &state, &order)) {
			step = 1UL << order;
			za_pb_count_block(n, head + i, state,
					  min(step, ZA_PAGEBLOCK_PAGES - i));
		}
	}
}

static void *za_pb_start(struct seq_file *m, loff_t *pos)
{
	if (!*pos)
		return SEQ_START_TOKEN;
	return za_pb_at(m->private, *pos - 1);
}

static void *za_pb_next(struct seq_file *m, void *v, loff_t *pos)
{
	++*pos;
	return za_pb_at(m->private, *pos - 1);
}

static void za_pb_stop(struct seq_file *m, void *v)
{
}

static int za_pb_show(struct seq_file *m, void *v)
{
	struct za_pool *pool = m->private;
	struct za_page *head = v;
	struct za_pb_counts n;
	struct za_zone *zone;
	unsigned long flags;
	int mt;

	if (v == SEQ_START_TOKEN) {
		seq_puts(m, "# pfn zone migratetype free movable unmovable reclaimable skip\n");
		return 0;
	}
	zone = za_page_zone(pool, head);
	spin_lock_irqsave(&zone->lock, flags);
	mt = za_get_pageblock_mt(head);
	za_pb_count(pool, head, &n);
	spin_unlock_irqrestore(&zone->lock, flags);
	seq_printf(m, "%#lx %s %s %lu %lu %lu %lu %d\n", head->pfn,
		   za_zone_names[head->zone % ZA_NR_ZONES], za_migratetype_names[mt], n.free,
		   n.alloc[ZA_MIGRATE_MOVABLE], n.alloc[ZA_MIGRATE_UNMOVABLE],
		   n.alloc[ZA_MIGRATE_RECLAIMABLE], READ_ONCE(head->pb_skip));
	cond_resched();
	return 0;
}

static const struct seq_operations za_pb_seq_ops = {
	.start = za_pb_start,
	.next = za_pb_next,
	.stop = za_pb_stop,
	.show = za_pb_show,
};

static int za_pb_open(struct inode *inode, struct file *file)
{
	int ret = seq_open(file, &za_pb_seq_ops);

	if (!ret)
		((struct seq_file *)file->private_data)->private = inode->i_private;
	return ret;
}

static const struct file_operations za_pb_fops = {
	.owner = THIS_MODULE,
	.open = za_pb_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = seq_release,
};

/**
 * za_pageblocks_create() - create the "pageblocks" file for @pool.
 * @dir: the debugfs directory.
 * @pool: the pool; it must outlive the file (debugfs_remove() it first).
 *
 * Root only: it shows physical frame numbers.
 *
 * Context: Process context.
 * Return: the file's dentry (an error pointer is fine to remove).
 */
struct dentry *za_pageblocks_create(struct dentry *dir, struct za_pool *pool)
{
	return debugfs_create_file("pageblocks", 0400, dir, pool, &za_pb_fops);
}
