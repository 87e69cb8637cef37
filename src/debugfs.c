// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/debug/zonealloc/: the module's inspection files. The directory
 * is created at load and removed, with everything under it, at unload.
 */

#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/module.h>
#include <kunit/visibility.h>

#include "debugfs.h"

struct dentry *zonealloc_debugfs_root;
EXPORT_SYMBOL_IF_KUNIT(zonealloc_debugfs_root);

/**
 * zonealloc_debugfs_init() - create the zonealloc debugfs directory.
 *
 * A kernel without debugfs is not an error: the module works without its
 * inspection files.
 *
 * Context: Process context, module init.
 * Return: 0 on success or when debugfs is unavailable, else a negative errno.
 */
int zonealloc_debugfs_init(void)
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
	zonealloc_debugfs_root = root;
	return 0;
}

/**
 * zonealloc_debugfs_exit() - remove the directory and every file under it.
 *
 * Context: Process context, module exit.
 */
void zonealloc_debugfs_exit(void)
{
	debugfs_remove(zonealloc_debugfs_root);
	zonealloc_debugfs_root = NULL;
}
