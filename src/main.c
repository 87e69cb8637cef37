// SPDX-License-Identifier: GPL-2.0
/*
 * zonealloc: a private page allocator, modelled on mm/page_alloc.c, over
 * physically contiguous memory claimed from the kernel at load time.
 *
 * This file holds module init and exit only; each concern lives in its own
 * file under src/.
 */

#include <linux/module.h>
#include <linux/bug.h>

#include "debugfs.h"
#include "dev.h"

static int __init zonealloc_init(void)
{
	int ret;

	ret = zonealloc_debugfs_init();
	if (ret)
		goto err_debugfs;

	ret = zonealloc_dev_init();
	if (ret)
		goto err_dev;

#ifdef ZONEALLOC_HARNESS_WARN
	/* Built only by the harness self-test to prove a WARN fails the run. */
	WARN_ON_ONCE(1);
#endif

	pr_info("loaded\n");
	return 0;

err_dev:
	zonealloc_debugfs_exit();
err_debugfs:
	return ret;
}

static void __exit zonealloc_exit(void)
{
	zonealloc_dev_exit();
	zonealloc_debugfs_exit();
	pr_info("unloaded\n");
}

module_init(zonealloc_init);
module_exit(zonealloc_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("zonealloc developers");
MODULE_DESCRIPTION("Private zoned buddy page allocator over contiguous memory");
