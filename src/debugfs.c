// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/debug/zonealloc/: the module's inspection files. The directory
 * is created first at load so that every part may add to it; the pool's
 * report files exist only while the pool does.
 */

#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/seq_file.h>
#include <kunit/visibility.h>

#include "chunk.h"
#include "compaction.h"
#include "debugfs.h"
#include "pageblocks.h"
#include "pool.h"
#include "vmstat.h"

struct dentry *za_debugfs_root;
EXPORT_SYMBOL_IF_KUNIT(za_debugfs_root);

/* The pool the report files describe; set while they exist. */
static struct za_pool *za_debugfs_pool;
static struct dentry *za_debugfs_extfrag;
static struct dentry *za_debugfs_compact;
static struct dentry *za_debugfs_pageblocks;

struct za_debugfs_file {
	const char *name;
	umode_t mode;
	void (*show)(struct seq_file *m, struct za_pool *pool);
	bool extfrag;
	struct dentry *dentry;
};

/* Modes as the /proc originals: pagetypeinfo walks lists, so root only. */
static struct za_debugfs_file za_debugfs_files[] = {
	{ "buddyinfo", 0444, za_show_buddyinfo },
	{ "pagetypeinfo", 0400, za_show_pagetypeinfo },
	{ "zoneinfo", 0444, za_show_zoneinfo },
	{ "chunks", 0400, za_show_chunks },
	{ "vmstat", 0444, za_show_vmstat },
	{ "unusable_index", 0444, za_show_unusable_index, true },
	{ "extfrag_index", 0444, za_show_extfrag_index, true },
};

static int za_debugfs_show(struct seq_file *m, void *v)
{
	const struct za_debugfs_file *f = m->private;

	/* The reports walk the ranges, which an elastic pool may change. */
	down_read(&za_debugfs_pool->resize_sem);
	f->show(m, za_debugfs_pool);
	up_read(&za_debugfs_pool->resize_sem);
	return 0;
}

static int za_debugfs_open(struct inode *inode, struct file *file)
{
	return single_open(file, za_debugfs_show, inode->i_private);
}

static const struct file_operations za_debugfs_fops = {
	.owner = THIS_MODULE,
	.open = za_debugfs_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
};

/*
 * Writing anything to "compact" compacts every zone fully, synchronously,
 * as writing to /proc/sys/vm/compact_memory does.
 */
static ssize_t za_debugfs_compact_write(struct file *file,
					const char __user *buf, size_t len,
					loff_t *ppos)
{
	unsigned long migrated = 0;
	int ret;

	ret = za_compact(za_debugfs_pool, -1, -1, ZA_MIGRATE_SYNC, &migrated);
	if (ret && ret != -EAGAIN)
		return ret;
	pr_info("compaction of all zones moved %lu pages\n", migrated);
	return len;
}

static const struct file_operations za_debugfs_compact_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = za_debugfs_compact_write,
	.llseek = noop_llseek,
};

/**
 * za_debugfs_init() - create the zonealloc debugfs directory.
 *
 * A kernel without debugfs is not an error: the module works without its
 * inspection files.
 *
 * Context: Process context, module init.
 * Return: 0 on success or when debugfs is unavailable, else a negative errno.
 */
int za_debugfs_init(void)
{
	struct dentry *root;

	root = debugfs_create_dir(KBUILD_MODNAME, NULL);
	if (IS_ERR(root)) {
		if (PTR_ERR(root) == -ENODEV) {
			pr_info("debugfs unavailable, no inspection files\n");
			return 0;
		}
		return PTR_ERR(root);
	}
	za_debugfs_root = root;
	return 0;
}

/**
 * za_debugfs_add_pool() - create the report files for @pool.
 * @pool: the pool to describe; it must outlive the files, which
 *	za_debugfs_remove_pool() removes.
 *
 * Context: Process context, module init.
 */
void za_debugfs_add_pool(struct za_pool *pool)
{
	struct za_debugfs_file *f;

	if (!za_debugfs_root)
		return;
	za_debugfs_pool = pool;
	za_debugfs_extfrag = debugfs_create_dir("extfrag", za_debugfs_root);
	for (f = za_debugfs_files; f < za_debugfs_files + ARRAY_SIZE(za_debugfs_files); f++)
		f->dentry = debugfs_create_file(f->name, f->mode,
						f->extfrag ? za_debugfs_extfrag :
						za_debugfs_root,
						f, &za_debugfs_fops);
	za_debugfs_compact = debugfs_create_file("compact", 0200,
						 za_debugfs_root, NULL,
						 &za_debugfs_compact_fops);
	za_debugfs_pageblocks = za_pageblocks_create(za_debugfs_root, pool);
}

/**
 * za_debugfs_remove_pool() - remove the report files; returns once
 * no reader is inside them, so the pool may then be destroyed.
 *
 * Context: Process context, module exit or init unwind.
 */
void za_debugfs_remove_pool(void)
{
	struct za_debugfs_file *f;

	for (f = za_debugfs_files; f < za_debugfs_files + ARRAY_SIZE(za_debugfs_files); f++) {
		debugfs_remove(f->dentry);
		f->dentry = NULL;
	}
	debugfs_remove(za_debugfs_compact);
	za_debugfs_compact = NULL;
	debugfs_remove(za_debugfs_pageblocks);
	za_debugfs_pageblocks = NULL;
	debugfs_remove(za_debugfs_extfrag);
	za_debugfs_extfrag = NULL;
	za_debugfs_pool = NULL;
}

/**
 * za_debugfs_exit() - remove the directory and everything under it.
 *
 * Context: Process context, module exit.
 */
void za_debugfs_exit(void)
{
	debugfs_remove(za_debugfs_root);
	za_debugfs_root = NULL;
}
