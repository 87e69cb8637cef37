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

#include "alloc.h"
#include "chunk.h"
#include "compaction.h"
#include "debugfs.h"
#include "dev.h"
#include "elastic.h"
#include "pcp.h"

static int __init za_init(void)
{
	int ret;

	ret = za_debugfs_init();
	if (ret)
		goto err_debugfs;

	ret = za_pcp_module_init();
	if (ret)
		goto err_pcp;

	ret = za_chunk_init();
	if (ret)
		goto err_chunk;

	za_debugfs_add_pool(za_global_pool);
	/* Before kcompactd starts: it moves blocks with them. */
	za_dev_set_migrate_ops(za_global_pool);

	ret = za_kcompactd_run(za_global_pool);
	if (ret)
		goto err_kcompactd;

	ret = za_elastic_init(za_global_pool);
	if (ret)
		goto err_elastic;

	ret = za_dev_init();
	if (ret)
		goto err_dev;

#ifdef ZONEALLOC_HARNESS_WARN
	/* Built only by the harness self-test to prove a WARN fails the run. */
	WARN_ON_ONCE(1);
#endif

	pr_info("loaded\n");
	return 0;

err_dev:
	za_elastic_exit();
err_elastic:
	za_kcompactd_stop(za_global_pool);
err_kcompactd:
	za_debugfs_remove_pool();
	za_chunk_exit();
err_chunk:
	za_pcp_module_exit();
err_pcp:
	za_debugfs_exit();
err_debugfs:
	return ret;
}

static void __exit za_exit(void)
{
	za_dev_exit();
	za_elastic_exit();
	za_kcompactd_stop(za_global_pool);
	za_debugfs_remove_pool();
	za_chunk_exit();
	za_pcp_module_exit();
	za_debugfs_exit();
	pr_info("unloaded\n");
}

module_init(za_init);
module_exit(za_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("zonealloc developers");
MODULE_DESCRIPTION("Private zoned buddy page allocator over contiguous memory");
