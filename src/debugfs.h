/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ZONEALLOC_DEBUGFS_H
#define _ZONEALLOC_DEBUGFS_H

struct dentry;
struct zonealloc_pool;

int zonealloc_debugfs_init(void);
void zonealloc_debugfs_exit(void);
void zonealloc_debugfs_add_pool(struct zonealloc_pool *pool);
void zonealloc_debugfs_remove_pool(void);

extern struct dentry *zonealloc_debugfs_root;

#endif /* _ZONEALLOC_DEBUGFS_H */
