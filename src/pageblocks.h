/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ZONEALLOC_PAGEBLOCKS_H
#define _ZONEALLOC_PAGEBLOCKS_H

struct dentry;
struct za_pool;

struct dentry *za_pageblocks_create(struct dentry *dir, struct za_pool *pool);

#endif /* _ZONEALLOC_PAGEBLOCKS_H */
