/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ZONEALLOC_DEBUGFS_H
#define _ZONEALLOC_DEBUGFS_H

struct dentry;
struct za_pool;

int za_debugfs_init(void);
void za_debugfs_exit(void);
void za_debugfs_add_pool(struct za_pool *pool);
void za_debugfs_remove_pool(void);

extern struct dentry *za_debugfs_root;

#endif /* _ZONEALLOC_DEBUGFS_H */
