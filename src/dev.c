// SPDX-License-Identifier: GPL-2.0
/*
 * The misc device /dev/zonealloc: the userspace entry point.
 *
 * Each open file owns the allocations made through it. An allocation is
 * named by a handle, unique across all open files, and can be mapped with
 * offset = handle * PAGE_SIZE. Handles are spaced 2^ZA_MAX_ORDER apart, so
 * the file offsets of two allocations never overlap and tearing down the
 * mappings of one never touches another's. Pages are zeroed before userspace
 * can see them; closing the file (or the process dying) frees everything.
 *
 * A mapping never outlives its allocation. Handle ids are reused, so a VMA
 * does not name its allocation by handle: it holds a reference on the
 * &struct za_alloc it was made for (taken at mmap, and again for every copy
 * of the VMA made by a split, mremap or fork), and the fault handler maps
 * only that allocation, and only while it is live. Every release and every
 * move zaps the allocation's file range, so no PTE survives either.
 *
 * Pages are charged to the real uid of the opener (the file's f_cred), so
 * one user's open files share one quota.
 */

#include <linux/capability.h>
#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/cred.h>
#include <linux/dma-buf.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/highmem.h>
#include <linux/kref.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/refcount.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include <kunit/visibility.h>
#include <uapi/linux/zonealloc.h>

#include "alloc.h"
#include "chunk.h"
#include "compaction.h"
#include "contig.h"
#include "dev.h"
#include "dmabuf.h"
#include "elastic.h"
#include "gfp.h"
#include "migrate.h"
#include "pcp.h"
#include "pool.h"
#include "trace.h"

static unsigned long user_quota_pages;
module_param(user_quota_pages, ulong, 0644);
MODULE_PARM_DESC(user_quota_pages,
		 "Most pages the open files of /dev/zonealloc of one user (real uid of the opener) may hold together (0: no limit)");
/* The name before the quota counted per user; the same variable. */
module_param_named(file_quota_pages, user_quota_pages, ulong, 0644);
MODULE_PARM_DESC(file_quota_pages, "Old name of user_quota_pages");

/* Handle = id << ZA_HANDLE_SHIFT; ids are 1..max_handle_id. */
#define ZA_HANDLE_SHIFT		ZA_MAX_ORDER
#define ZA_HANDLE_MAX_ID	((1U << (31 - ZA_HANDLE_SHIFT)) - 1)
#define ZA_HANDLE_MIN_IDS	64U

/* Read at load only: tests shrink it to make ids come round quickly. */
static unsigned int max_handle_id = ZA_HANDLE_MAX_ID;
module_param(max_handle_id, uint, 0444);
MODULE_PARM_DESC(max_handle_id,
		 "For tests of handle reuse: the largest handle id (64..2097151, default 2097151)");

/**
 * struct za_user - the pages one user's open files hold, for the quota.
 * @uid: the real uid of the openers.
 * @files: open files charged to it; guarded by za_users_lock.
 * @nr_pages: pages they hold; updated atomically, never above the quota.
 */
struct za_user {
	kuid_t uid;
	unsigned int files;
	atomic_long_t nr_pages;
};

/* Protects za_users and every record's @files: lookup, creation, release. */
static DEFINE_MUTEX(za_users_lock);
/* Records of the users with an open file, indexed by kuid value. */
static DEFINE_XARRAY(za_users);

/**
 * struct za_file - the state of one open file of /dev/zonealloc.
 * @pool: the pool its allocations come from.
 * @lock: protects @allocs, @nr_pages and the lifetime of every
 *	&struct za_alloc owned by this file. Held by the fault handler (under
 *	mmap_lock), so never held across copy_{to,from}_user().
 * @allocs: its allocations.
 * @nr_pages: pages they hold.
 * @nr_allocs: how many there are.
 * @user: the record its pages are charged to, that of the opener's uid.
 * @mapping: the address space its mappings live in.
 * @ref: held by the open file and by a migration that looks the file up
 *	from a handle, so that the file outlives the migration's locking.
 */
struct za_file {
	struct kref ref;
	struct za_pool *pool;
	struct mutex lock;	/* see above: allocs, nr_pages, alloc lifetime */
	struct list_head allocs;
	unsigned long nr_pages;
	unsigned long nr_allocs;
	struct za_user *user;
	struct address_space *mapping;
};

/**
 * struct za_alloc - one allocation made through /dev/zonealloc.
 * @owner: the open file it belongs to; fixed for its lifetime.
 * @node: link on @owner's list.
 * @zp: head descriptor of the block.
 * @handle: its handle.
 * @order: its order, for a buddy allocation.
 * @nr_pages: its size in pages.
 * @contig: an exact range from ZONEALLOC_IOC_ALLOC_CONTIG, not a buddy
 *	block; its handle also reserves the ids that its offsets span.
 * @gfp: the GFP flags it was allocated with.
 * @map: its ZONEALLOC_MAP_* cache mode.
 * @phys_exposed: its physical address was given out, so it must never move.
 * @exported: a dma-buf of it lives, so it must not move, and its pages
 *	outlive a FREE until the dma-buf's release; set under @owner's lock,
 *	cleared (WRITE_ONCE) by that release.
 * @deferred: link on za_deferred while freed but its pages still in use.
 * @claimed: picked by an unfinished FREE_BULK; guarded by @owner's lock.
 * @freed: it was freed: its handle is gone and its pages went back to the
 *	pool or wait on za_deferred; set under @owner's lock, before its
 *	range is zapped, and never cleared. The fault handler checks it
 *	under the same lock.
 * @moves: times compaction moved it; guarded by @owner's lock.
 * @ref: one reference for the owner (dropped when its pages go back to
 *	the pool), one for every VMA that maps it, so that a stale VMA still
 *	finds @freed, and one for a dma-buf of it.
 */
struct za_alloc {
	struct za_file *owner;
	struct list_head node;
	struct za_page *zp;
	u64 handle;
	unsigned int order;
	unsigned long nr_pages;
	bool contig;
	u32 gfp;
	u32 map;
	bool phys_exposed;
	bool exported;
	struct list_head deferred;
	bool claimed;
	bool freed;
	u32 moves;
	refcount_t ref;
};

static void za_alloc_put(struct za_alloc *za)
{
	if (refcount_dec_and_test(&za->ref))
		kfree(za);
}

/* Every live handle of every open file; its own lock guards the tree. */
static DEFINE_XARRAY_ALLOC1(za_handles);
/*
 * Serialises insertions into za_handles, so that a range of ids found free
 * stays free until it is claimed, and guards the cyclic cursor.
 */
static DEFINE_MUTEX(za_handle_lock);
static u32 za_handle_next;	/* guarded by za_handle_lock */

static struct za_alloc *za_lookup(struct za_file *zf, u64 handle)
{
	struct za_alloc *za;
	unsigned long id;

	lockdep_assert_held(&zf->lock);
	if (handle & ((1ULL << ZA_HANDLE_SHIFT) - 1))
		return NULL;
	id = handle >> ZA_HANDLE_SHIFT;
	if (!id || id > max_handle_id)
		return NULL;
	/*
	 * An entry of another file may be freed concurrently by its owner;
	 * comparing its owner under the xarray lock, which the owner's erase
	 * takes, keeps the entry alive for the comparison.
	 */
	xa_lock(&za_handles);
	za = xa_load(&za_handles, id);
	if (xa_is_value(za) || (za && za->owner != zf))
		za = NULL;
	xa_unlock(&za_handles);
	return za;
}

/* Ids a mapping of @nr_pages at the handle's offset spans. */
static unsigned long za_handle_span(unsigned long nr_pages)
{
	return DIV_ROUND_UP(nr_pages, 1UL << ZA_HANDLE_SHIFT);
}

/* Reserve the @span ids from @first, all free; za_handle_lock is held. */
static int za_handle_insert(struct za_alloc *za, unsigned long first,
			    unsigned long span)
{
	unsigned long i;
	int ret = 0;

	lockdep_assert_held(&za_handle_lock);
	for (i = 0; i < span && !ret; i++)
		ret = xa_insert(&za_handles, first + i,
				i ? xa_mk_value(first) : za, GFP_KERNEL);
	if (ret) {
		/* Ids first .. first + i - 2 are ours; the failed one is not. */
		while (--i > 0)
			xa_erase(&za_handles, first + i - 1);
	}
	return ret;
}

/*
 * Give @za a handle, reserving as many consecutive ids as its offsets span
 * (more than one only for a large contiguous range), so that no other
 * allocation's offsets overlap it. Ids are handed out cyclically. All
 * insertions are serialised by za_handle_lock, so a range found free is
 * claimed whole; a range is searched for at most once round the id space.
 */
static int za_handle_alloc(struct za_alloc *za)
{
	unsigned long span = za_handle_span(za->nr_pages);
	unsigned long last_id = max_handle_id, first, idx, seen = 0;
	int ret;
	u32 id;

	if (span > last_id)
		return -ENOSPC;
	mutex_lock(&za_handle_lock);
	if (span == 1) {
		ret = xa_alloc_cyclic(&za_handles, &id, za,
				      XA_LIMIT(1, last_id), &za_handle_next,
				      GFP_KERNEL);
		if (ret >= 0) {
			first = id;
			ret = 0;
		}
		goto out;
	}
	first = za_handle_next;
	for (;;) {
		if (!first || first > last_id || first + span - 1 > last_id) {
			if (first && first <= last_id)
				seen += last_id + 1 - first;
			first = 1;
		}
		if (seen > last_id) {
			ret = -EBUSY;
			goto out;
		}
		idx = first;
		if (!xa_find(&za_handles, &idx, first + span - 1, XA_PRESENT))
			break;
		/* Skip past the id in use. */
		seen += idx + 1 - first;
		first = idx + 1;
		cond_resched();
	}
	ret = za_handle_insert(za, first, span);
	if (!ret)
		za_handle_next = first + span > last_id ? 1 : first + span;
out:
	mutex_unlock(&za_handle_lock);
	if (ret < 0)
		return ret == -EBUSY ? -ENOSPC : ret;
	za->handle = (u64)first << ZA_HANDLE_SHIFT;
	return 0;
}

static void za_handle_free(struct za_alloc *za)
{
	unsigned long i, id = za->handle >> ZA_HANDLE_SHIFT;

	for (i = 0; i < za_handle_span(za->nr_pages); i++)
		xa_erase(&za_handles, id + i);
}

/*
 * Tear down every PTE of @za's file range, in every process: called on
 * every release and every move, whatever the allocation's history, since a
 * VMA copied by fork or a stale VMA may hold PTEs that no flag records.
 */
static void za_zap(struct za_file *zf, struct za_alloc *za)
{
	lockdep_assert_held(&zf->lock);
	unmap_mapping_range(zf->mapping, (loff_t)za->handle << PAGE_SHIFT,
			    (loff_t)za->nr_pages << PAGE_SHIFT, 1);
}

/* The end of @za's file range, in bytes. */
static loff_t za_range_end(struct za_alloc *za)
{
	return (loff_t)(za->handle + za->nr_pages) << PAGE_SHIFT;
}

static void za_put_pages(struct za_file *zf, struct za_alloc *za)
{
	if (za->contig)
		za_free_contig(zf->pool, za->zp, za->nr_pages);
	else
		WARN_ON_ONCE(za_free_pages(zf->pool, za->zp, za->order));
}

static void za_uncharge(struct za_file *zf, unsigned long nr_pages)
{
	atomic_long_sub(nr_pages, &zf->user->nr_pages);
}

/* Charge @nr_pages to the file's user, unless that exceeds the quota. */
static int za_charge(struct za_file *zf, unsigned long nr_pages)
{
	atomic_long_t *held = &zf->user->nr_pages;
	unsigned long quota = READ_ONCE(user_quota_pages);
	long old = atomic_long_read(held);

	do {
		if (quota && (unsigned long)old + nr_pages > quota)
			return -EDQUOT;
	} while (!atomic_long_try_cmpxchg(held, &old, old + nr_pages));
	return 0;
}

/* The record of @uid, created if needed, with one more file charged to it. */
static struct za_user *za_user_get(kuid_t uid)
{
	unsigned long key = __kuid_val(uid);
	struct za_user *zu;
	int ret;

	mutex_lock(&za_users_lock);
	zu = xa_load(&za_users, key);
	if (zu) {
		zu->files++;
		goto out;
	}
	zu = kzalloc(sizeof(*zu), GFP_KERNEL);
	if (!zu) {
		zu = ERR_PTR(-ENOMEM);
		goto out;
	}
	zu->uid = uid;
	zu->files = 1;
	atomic_long_set(&zu->nr_pages, 0);
	ret = xa_err(xa_store(&za_users, key, zu, GFP_KERNEL));
	if (ret) {
		kfree(zu);
		zu = ERR_PTR(ret);
	}
out:
	mutex_unlock(&za_users_lock);
	return zu;
}

static void za_user_put(struct za_user *zu)
{
	mutex_lock(&za_users_lock);
	if (!--zu->files) {
		WARN_ON_ONCE(atomic_long_read(&zu->nr_pages));
		xa_erase(&za_users, __kuid_val(zu->uid));
		kfree(zu);
	}
	mutex_unlock(&za_users_lock);
}

/* One more holder of @zu: a freed allocation whose pages are still used. */
static void za_user_hold(struct za_user *zu)
{
	mutex_lock(&za_users_lock);
	zu->files++;
	mutex_unlock(&za_users_lock);
}

/*
 * Freed allocations whose pages someone still uses: a dma-buf of them
 * lives, or a page holds a reference beyond the pool's own (a
 * get_user_pages() pin: O_DIRECT, vmsplice, a USERPTR buffer). Their
 * pages must not go back to the pool, where another allocation would get
 * them, until both are gone. Each entry holds its allocation's owner
 * reference, a reference on its file (for the pool) and its user's record
 * (the pages stay charged to the quota), and one on this module, so that
 * the module is not unloaded under a pinned page. za_deferred_work reaps
 * them: at once when a dma-buf is released, else every ZA_DEFERRED_POLL
 * while the list is not empty, since a pin's end calls nobody.
 */
static LIST_HEAD(za_deferred);
/* Protects za_deferred. Nests inside a file's lock. */
static DEFINE_MUTEX(za_deferred_lock);
static void za_deferred_reap(struct work_struct *work);
static DECLARE_DELAYED_WORK(za_deferred_work, za_deferred_reap);
#define ZA_DEFERRED_POLL	(HZ / 10)

/* Does someone besides the pool hold a page of @za? */
static bool za_alloc_referenced(struct za_alloc *za)
{
	unsigned long i;

	for (i = 0; i < za->nr_pages; i++)
		if (page_ref_count(pfn_to_page(za->zp->pfn + i)) != 1)
			return true;
	return false;
}

static void za_finish_free(struct za_alloc *za)
{
	struct za_file *zf = za->owner;

	za_put_pages(zf, za);
	za_uncharge(zf, za->nr_pages);
	za_alloc_put(za);
}

static void za_file_free(struct kref *ref);

static void za_deferred_reap(struct work_struct *work)
{
	struct za_alloc *za, *tmp;
	LIST_HEAD(done);
	bool more;

	mutex_lock(&za_deferred_lock);
	list_for_each_entry_safe(za, tmp, &za_deferred, deferred)
		if (!READ_ONCE(za->exported) && !za_alloc_referenced(za))
			list_move(&za->deferred, &done);
	more = !list_empty(&za_deferred);
	if (more)
		schedule_delayed_work(&za_deferred_work, ZA_DEFERRED_POLL);
	mutex_unlock(&za_deferred_lock);

	list_for_each_entry_safe(za, tmp, &done, deferred) {
		struct za_file *zf = za->owner;
		struct za_user *zu = zf->user;

		za_finish_free(za);
		za_user_put(zu);
		kref_put(&zf->ref, za_file_free);
		/*
		 * Module exit cancels this work synchronously, so the code
		 * stays until this function has returned.
		 */
		module_put(THIS_MODULE);
	}
}

/*
 * Unlink, unmap and free one allocation; the caller holds zf->lock. VMAs
 * that still map it keep the structure, marked freed, until they go. Its
 * pages go back to the pool now, or once no dma-buf and no pin holds them.
 */
static void za_release_alloc(struct za_file *zf, struct za_alloc *za)
{
	lockdep_assert_held(&zf->lock);
	trace_za_file_free(zf, za->handle, za->zp, za->nr_pages, za->gfp);
	za_handle_free(za);
	list_del(&za->node);
	za->freed = true;
	za_zap(zf, za);
	zf->nr_pages -= za->nr_pages;
	zf->nr_allocs--;
	/* After the zap: no new reference can be taken through a PTE. */
	if (!za->exported && !za_alloc_referenced(za)) {
		za_finish_free(za);
		return;
	}
	/* Compaction and ALLOC_CONTIG leave a block without owner alone. */
	if (!za->contig)
		za_page_set_owner(za->zp, 0);
	__module_get(THIS_MODULE);
	kref_get(&zf->ref);
	za_user_hold(zf->user);
	mutex_lock(&za_deferred_lock);
	list_add_tail(&za->deferred, &za_deferred);
	if (!za->exported)
		mod_delayed_work(system_wq, &za_deferred_work, ZA_DEFERRED_POLL);
	mutex_unlock(&za_deferred_lock);
}

/* At most one cache mode, and only for pages that never move. */
static int za_check_map(u32 flags)
{
	u32 map = flags & ZONEALLOC_MAP_MASK;

	if (map == ZONEALLOC_MAP_MASK)
		return -EINVAL;
	/* x86 PAT maps RAM PFN-mapped write-back whatever the VMA asks. */
	if (map && (flags & ZONEALLOC_GFP_MOVABLE))
		return -EINVAL;
	return 0;
}

static int za_check_flags(u32 flags, unsigned int order)
{
	int ret;

	/* Userspace may not pin a task in the kernel until memory appears. */
	if (flags & ZONEALLOC_GFP_NOFAIL)
		return -EINVAL;
	ret = za_gfp_valid(flags, order);
	if (ret)
		return ret;
	/* Dipping below min and reserving high-atomic blocks is a privilege. */
	if ((flags & (ZONEALLOC_GFP_ATOMIC | ZONEALLOC_GFP_HIGH)) &&
	    !capable(CAP_SYS_ADMIN))
		return -EPERM;
	return 0;
}

/*
 * The node field of ALLOC, ALLOC_BULK and ALLOC_CONTIG: ZONEALLOC_NODE(nid)
 * or 0 for the calling CPU's node (NUMA_NO_NODE). A node that is not
 * possible, or that the pool has no zones for, is -EINVAL.
 */
static int za_node_arg(struct za_file *zf, u32 node, int *nid)
{
	*nid = NUMA_NO_NODE;
	if (!node)
		return 0;
	if (node > MAX_NUMNODES || !node_possible(node - 1) ||
	    node > zf->pool->nr_nodes)
		return -EINVAL;
	*nid = node - 1;
	return 0;
}

/* What an allocation request tells its caller. */
struct za_alloc_result {
	u64 handle;
	u64 phys_addr;
	u32 zone;
	u32 node;
};

/*
 * Allocate, zero and register one buddy block of @order or, with @contig,
 * an exact range of @nr_pages. zf->lock is not held while the pool
 * allocates, so that compaction on behalf of this very request may move
 * this file's other allocations; the quota is charged up front.
 */
static int za_alloc_one(struct za_file *zf, int nid, u32 flags,
			unsigned int order, unsigned long nr_pages, bool contig,
			bool expose_phys, struct za_alloc_result *out)
{
	u32 za_gfp = flags & ~ZONEALLOC_MAP_MASK;
	struct za_alloc *za;
	struct za_page *zp;
	unsigned long i;
	int ret;

	ret = za_charge(zf, nr_pages);
	if (ret)
		return ret;
	mutex_lock(&zf->lock);
	zf->nr_pages += nr_pages;
	mutex_unlock(&zf->lock);

	/* Charged to the caller: stale VMAs may keep it after the free. */
	za = kzalloc(sizeof(*za), GFP_KERNEL_ACCOUNT);
	if (!za) {
		ret = -ENOMEM;
		goto err_unreserve;
	}
	if (contig) {
		ret = za_alloc_contig_node(zf->pool, nid, nr_pages, za_gfp,
					   &zp);
	} else {
		zp = za_alloc_pages_node(zf->pool, nid,
					 za_gfp | ZONEALLOC_GFP_NOWARN, order);
		ret = PTR_ERR_OR_ZERO(zp);
	}
	if (ret)
		goto err_unreserve;
	/* Never expose a page's previous contents, whatever the flags say. */
	for (i = 0; i < nr_pages; i++) {
		clear_highpage(pfn_to_page(zp->pfn + i));
		if (!(flags & ZONEALLOC_GFP_ATOMIC))
			cond_resched();
	}
	za->owner = zf;
	za->zp = zp;
	za->order = order;
	za->nr_pages = nr_pages;
	za->contig = contig;
	za->gfp = flags & ~ZONEALLOC_MAP_MASK;
	za->map = flags & ZONEALLOC_MAP_MASK;
	za->phys_exposed = expose_phys;
	refcount_set(&za->ref, 1);

	mutex_lock(&zf->lock);
	ret = za_handle_alloc(za);
	if (ret) {
		mutex_unlock(&zf->lock);
		za_put_pages(zf, za);
		goto err_unreserve;
	}
	/* From here on compaction may pick the block: it is fully set up. */
	if (!contig)
		za_page_set_owner(zp, za->handle);
	list_add_tail(&za->node, &zf->allocs);
	zf->nr_allocs++;
	/* Read under the lock: once it drops, the block may move or go. */
	out->handle = za->handle;
	out->zone = zp->zone % ZA_NR_ZONES;
	out->node = ZONEALLOC_NODE(zp->zone / ZA_NR_ZONES);
	out->phys_addr = expose_phys ? PFN_PHYS(zp->pfn) : 0;
	trace_za_file_alloc(zf, za->handle, zp, nr_pages, flags);
	mutex_unlock(&zf->lock);
	return 0;

err_unreserve:
	kfree(za);
	mutex_lock(&zf->lock);
	zf->nr_pages -= nr_pages;
	mutex_unlock(&zf->lock);
	za_uncharge(zf, nr_pages);
	return ret;
}

/* Undo an allocation whose result could not be copied out. */
static void za_undo_alloc(struct za_file *zf, u64 handle)
{
	struct za_alloc *za;

	mutex_lock(&zf->lock);
	za = za_lookup(zf, handle);
	if (za)
		za_release_alloc(zf, za);
	mutex_unlock(&zf->lock);
}

static long za_ioctl_alloc(struct za_file *zf, void __user *uarg)
{
	struct za_alloc_result res;
	struct zonealloc_alloc a;
	bool expose;
	int ret, nid;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return -EFAULT;
	if (a.reserved0 || a.reserved)
		return -EINVAL;
	ret = za_node_arg(zf, a.node, &nid);
	if (ret)
		return ret;
	ret = za_check_map(a.flags);
	if (ret)
		return ret;
	ret = za_check_flags(a.flags & ~ZONEALLOC_MAP_MASK, a.order);
	if (ret)
		return ret;

	/* Only an unmovable allocation, which then never moves, shows it. */
	expose = !(a.flags & ZONEALLOC_GFP_MOVABLE) && capable(CAP_SYS_ADMIN);
	ret = za_alloc_one(zf, nid, a.flags, a.order, 1UL << a.order, false,
			   expose, &res);
	if (ret)
		return ret;
	a.handle = res.handle;
	a.zone = res.zone;
	a.node = res.node;
	a.phys_addr = res.phys_addr;
	a.migratetype = za_gfp_migratetype(a.flags & ~ZONEALLOC_MAP_MASK);

	if (copy_to_user(uarg, &a, sizeof(a))) {
		za_undo_alloc(zf, a.handle);
		return -EFAULT;
	}
	return 0;
}

static long za_ioctl_alloc_contig(struct za_file *zf, void __user *uarg)
{
	struct zonealloc_alloc_contig c;
	struct za_alloc_result res;
	int ret, nid;

	if (copy_from_user(&c, uarg, sizeof(c)))
		return -EFAULT;
	if (c.reserved0 || c.reserved1 || c.reserved2 || c.reserved)
		return -EINVAL;
	ret = za_node_arg(zf, c.node, &nid);
	if (ret)
		return ret;
	if (!c.nr_pages || c.nr_pages > ZONEALLOC_CONTIG_MAX_PAGES)
		return -EINVAL;
	/* A range is claimed by isolating and migrating: it must sleep. */
	if (c.flags & (ZONEALLOC_GFP_ATOMIC | ZONEALLOC_GFP_MOVABLE))
		return -EINVAL;
	ret = za_check_map(c.flags);
	if (ret)
		return ret;
	ret = za_check_flags(c.flags & ~ZONEALLOC_MAP_MASK, 0);
	if (ret)
		return ret;

	/* A range never moves, so its address may be shown to the admin. */
	ret = za_alloc_one(zf, nid, c.flags, 0, c.nr_pages, true,
			   capable(CAP_SYS_ADMIN), &res);
	if (ret)
		return ret;
	c.handle = res.handle;
	c.zone = res.zone;
	c.node = res.node;
	c.phys_addr = res.phys_addr;
	if (copy_to_user(uarg, &c, sizeof(c))) {
		za_undo_alloc(zf, c.handle);
		return -EFAULT;
	}
	return 0;
}

static long za_ioctl_query(struct za_file *zf, void __user *uarg)
{
	struct zonealloc_query q;
	struct za_alloc *za;

	if (copy_from_user(&q, uarg, sizeof(q)))
		return -EFAULT;
	if (q.reserved0 || q.reserved[0] || q.reserved[1])
		return -EINVAL;

	mutex_lock(&zf->lock);
	za = za_lookup(zf, q.handle);
	if (za) {
		q.phys_addr = za->phys_exposed ? PFN_PHYS(za->zp->pfn) : 0;
		q.nr_pages = za->nr_pages;
		q.zone = za->zp->zone % ZA_NR_ZONES;
		q.flags = za->gfp | za->map;
		q.moves = za->moves;
	}
	mutex_unlock(&zf->lock);
	if (!za)
		return -ENOENT;
	if (copy_to_user(uarg, &q, sizeof(q)))
		return -EFAULT;
	return 0;
}

static long za_ioctl_free(struct za_file *zf, void __user *uarg)
{
	struct zonealloc_free f;
	struct za_alloc *za;

	if (copy_from_user(&f, uarg, sizeof(f)))
		return -EFAULT;
	if (f.reserved)
		return -EINVAL;

	mutex_lock(&zf->lock);
	za = za_lookup(zf, f.handle);
	if (za)
		za_release_alloc(zf, za);
	mutex_unlock(&zf->lock);
	return za ? 0 : -ENOENT;
}

static long za_ioctl_alloc_bulk(struct za_file *zf, void __user *uarg)
{
	struct zonealloc_bulk b;
	u64 *handles;
	unsigned int i, n = 0;
	long ret = 0;
	int nid;

	if (copy_from_user(&b, uarg, sizeof(b)))
		return -EFAULT;
	if (b.reserved0 || b.reserved)
		return -EINVAL;
	ret = za_node_arg(zf, b.node, &nid);
	if (ret)
		return ret;
	if (!b.count || b.count > ZONEALLOC_BULK_MAX)
		return -EINVAL;
	ret = za_check_flags(b.flags, 0);
	if (ret)
		return ret;
	/* Fail on an unwritable array before allocating anything. */
	if (!access_ok(u64_to_user_ptr(b.handles), b.count * sizeof(u64)))
		return -EFAULT;
	handles = kvmalloc_array(b.count, sizeof(*handles), GFP_KERNEL);
	if (!handles)
		return -ENOMEM;

	for (n = 0; n < b.count; n++) {
		struct za_alloc_result out;

		ret = za_alloc_one(zf, nid, b.flags, 0, 1, false, false, &out);
		if (ret)
			break;
		handles[n] = out.handle;
	}

	/* As alloc_pages_bulk(): a partial result is a success. */
	if (n) {
		b.count = n;
		ret = 0;
		if (copy_to_user(u64_to_user_ptr(b.handles), handles,
				 n * sizeof(u64)) ||
		    copy_to_user(uarg, &b, sizeof(b)))
			ret = -EFAULT;
	}
	if (ret == -EFAULT) {
		mutex_lock(&zf->lock);
		for (i = 0; i < n; i++) {
			struct za_alloc *za = za_lookup(zf, handles[i]);

			if (za)
				za_release_alloc(zf, za);
		}
		mutex_unlock(&zf->lock);
	}
	kvfree(handles);
	return ret;
}

static long za_ioctl_free_bulk(struct za_file *zf, void __user *uarg)
{
	struct zonealloc_bulk b;
	struct za_alloc **found;
	u64 *handles;
	unsigned int i, j;
	long ret = 0;

	if (copy_from_user(&b, uarg, sizeof(b)))
		return -EFAULT;
	if (b.node || b.reserved0 || b.reserved || b.flags)
		return -EINVAL;
	if (!b.count || b.count > ZONEALLOC_BULK_MAX)
		return -EINVAL;
	handles = kvmalloc_array(b.count, sizeof(*handles), GFP_KERNEL);
	found = kvmalloc_array(b.count, sizeof(*found), GFP_KERNEL);
	if (!handles || !found) {
		ret = -ENOMEM;
		goto out;
	}
	if (copy_from_user(handles, u64_to_user_ptr(b.handles),
			   b.count * sizeof(u64))) {
		ret = -EFAULT;
		goto out;
	}

	mutex_lock(&zf->lock);
	/* All or nothing: every handle must be ours, and appear once. */
	for (i = 0; i < b.count; i++) {
		found[i] = za_lookup(zf, handles[i]);
		if (!found[i] || found[i]->claimed) {
			ret = -ENOENT;
			break;
		}
		found[i]->claimed = true;
	}
	for (j = 0; j < i; j++) {
		if (ret)
			found[j]->claimed = false;
		else
			za_release_alloc(zf, found[j]);
	}
	mutex_unlock(&zf->lock);
out:
	kvfree(found);
	kvfree(handles);
	return ret;
}

/*
 * The dma-buf of @za is gone (or was never made): its pages may move again
 * or, if the allocation was freed meanwhile, go back to the pool.
 */
static void za_unexport(struct za_alloc *za)
{
	struct za_file *zf = za->owner;
	bool freed;

	mutex_lock(&zf->lock);
	WRITE_ONCE(za->exported, false);
	freed = za->freed;
	mutex_unlock(&zf->lock);
	/*
	 * Reap now, so that the pages are back (and uncharged) when the last
	 * close() returns; a pin still held leaves them to the polling work.
	 * The dma-buf still holds the module here.
	 */
	if (freed)
		za_deferred_reap(NULL);
	za_alloc_put(za);
	kref_put(&zf->ref, za_file_free);
}

static void za_dmabuf_release(const struct za_dmabuf_src *src)
{
	za_unexport(src->priv);
}

static long za_ioctl_export(struct za_file *zf, void __user *uarg,
			    unsigned int usize)
{
	struct zonealloc_export e = {};
	struct za_dmabuf_src src = {
		.release = za_dmabuf_release,
	};
	struct dma_buf *dmabuf;
	struct za_alloc *za;
	int fd, ret;

	/* Without dma-buf in the kernel, none of what follows is built. */
	if (!IS_ENABLED(CONFIG_DMA_SHARED_BUFFER))
		return -EOPNOTSUPP;
	if (usize < ZONEALLOC_EXPORT_SIZE_VER0)
		return -EINVAL;
	/* Missing fields are zero; unknown ones must be (else -E2BIG). */
	ret = copy_struct_from_user(&e, sizeof(e), uarg, usize);
	if (ret)
		return ret;
	if (e.reserved0 || e.reserved[0] || e.reserved[1])
		return -EINVAL;
	ret = za_dmabuf_check_fd_flags(e.fd_flags);
	if (ret)
		return ret;
	if ((e.flags & ~ZONEALLOC_MAP_MASK) || e.flags == ZONEALLOC_MAP_MASK)
		return -EINVAL;

	mutex_lock(&zf->lock);
	za = za_lookup(zf, e.handle);
	if (!za) {
		ret = -ENOENT;
	} else if (za->exported) {
		ret = -EBUSY;
	} else {
		/* From here on the block stays put: za_dev_move() refuses. */
		za->exported = true;
		refcount_inc(&za->ref);
		kref_get(&zf->ref);
		src.pfn = za->zp->pfn;
		src.nr_pages = za->nr_pages;
		src.map = e.flags ? e.flags : za->map;
		src.priv = za;
	}
	mutex_unlock(&zf->lock);
	if (ret)
		return ret;

	dmabuf = za_dmabuf_export(&src, e.fd_flags);
	if (IS_ERR(dmabuf)) {
		za_unexport(za);
		return PTR_ERR(dmabuf);
	}
	/* As dma_buf_fd(), but installed only once the caller has it. */
	fd = get_unused_fd_flags(e.fd_flags);
	if (fd < 0) {
		dma_buf_put(dmabuf);
		return fd;
	}
	e.fd = fd;
	e.size = (u64)src.nr_pages << PAGE_SHIFT;
	if (copy_to_user(uarg, &e, min_t(size_t, usize, sizeof(e)))) {
		put_unused_fd(fd);
		dma_buf_put(dmabuf);
		return -EFAULT;
	}
	fd_install(fd, dmabuf->file);
	return 0;
}

static long za_ioctl_sync(struct za_file *zf, void __user *uarg)
{
	struct zonealloc_sync y;
	struct za_alloc *za;
	u64 bytes;
	int ret;

	if (copy_from_user(&y, uarg, sizeof(y)))
		return -EFAULT;
	if (y.reserved0 || y.reserved[0] || y.reserved[1])
		return -EINVAL;
	if ((y.flags & ~(ZONEALLOC_SYNC_RW | ZONEALLOC_SYNC_END)) ||
	    !(y.flags & ZONEALLOC_SYNC_RW) || !y.size)
		return -EINVAL;

	mutex_lock(&zf->lock);
	za = za_lookup(zf, y.handle);
	if (!za) {
		ret = -ENOENT;
		goto out;
	}
	bytes = (u64)za->nr_pages << PAGE_SHIFT;
	if (y.offset >= bytes || y.size > bytes - y.offset) {
		ret = -EINVAL;
		goto out;
	}
	/* Under the lock: the allocation neither moves nor goes meanwhile. */
	ret = za_dmabuf_sync(za->zp->pfn, y.offset, y.size, y.flags);
out:
	mutex_unlock(&zf->lock);
	return ret;
}

static void za_fill_zone_info(struct za_zone *zone,
			      struct zonealloc_zone_info *zi)
{
	unsigned long flags;
	int cpu, order;

	/* A zone type's figures are the sums over the nodes. */
	spin_lock_irqsave(&zone->lock, flags);
	zi->managed_pages += zone->managed_pages;
	zi->free_pages += zone->free_pages;
	zi->watermark_min += zone->watermark[ZA_WMARK_MIN];
	zi->watermark_low += zone->watermark[ZA_WMARK_LOW];
	zi->watermark_high += zone->watermark[ZA_WMARK_HIGH];
	for (order = 0; order < ZA_NR_ORDERS; order++)
		zi->nr_free[order] += zone->free_area[order].nr_free;
	spin_unlock_irqrestore(&zone->lock, flags);

	if (!zone->pcp)
		return;
	for_each_possible_cpu(cpu)
		zi->pcp_pages += READ_ONCE(per_cpu_ptr(zone->pcp, cpu)->count);
}

static long za_ioctl_info(struct za_file *zf, void __user *uarg)
{
	struct zonealloc_info *info;
	struct za_zone *zone;
	u32 usize;
	int ret, z;

	BUILD_BUG_ON(sizeof(*info) != ZONEALLOC_INFO_SIZE_VER1);
	if (get_user(usize, (u32 __user *)uarg))
		return -EFAULT;
	if (usize < ZONEALLOC_INFO_SIZE_VER0)
		return -EINVAL;
	if (usize > PAGE_SIZE)
		return -E2BIG;
	info = kzalloc(sizeof(*info), GFP_KERNEL);
	if (!info)
		return -ENOMEM;
	/* Only the size is input; bytes beyond our struct must be zero. */
	ret = copy_struct_from_user(info, sizeof(*info), uarg, usize);
	if (ret)
		goto out;

	memset(info, 0, sizeof(*info));
	info->size = min_t(u32, usize, sizeof(*info));
	info->nr_zones = ZONEALLOC_NR_ZONES;
	info->page_size = PAGE_SIZE;
	info->max_order = ZONEALLOC_MAX_ORDER;
	info->quota_pages = READ_ONCE(user_quota_pages);
	for (zone = zf->pool->zones; zone < za_pool_zones_end(zf->pool); zone++)
		za_fill_zone_info(zone, &info->zones[zone->idx]);
	for (z = 0; z < ZA_NR_ZONES; z++) {
		struct zonealloc_zone_info *zi = &info->zones[z];

		info->pool_pages += zi->managed_pages;
		info->free_pages += zi->free_pages;
		info->pcp_pages += zi->pcp_pages;
	}
	mutex_lock(&zf->lock);
	info->file_pages = zf->nr_pages;
	info->file_allocations = zf->nr_allocs;
	mutex_unlock(&zf->lock);
	info->user_pages = atomic_long_read(&zf->user->nr_pages);

	if (copy_to_user(uarg, info, info->size))
		ret = -EFAULT;
out:
	kfree(info);
	return ret;
}

static long za_ioctl_compact(struct za_file *zf, void __user *uarg)
{
	struct zonealloc_compact c;
	unsigned long migrated = 0;
	int ret;

	/* It stalls the whole pool's users: only the admin may ask. */
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (copy_from_user(&c, uarg, sizeof(c)))
		return -EFAULT;
	if (c.reserved0 || c.reserved[0] || c.reserved[1])
		return -EINVAL;
	if (c.zone >= ZONEALLOC_NR_ZONES && c.zone != ZONEALLOC_ZONE_ALL)
		return -EINVAL;
	if (c.order < -1 || c.order > ZONEALLOC_MAX_ORDER)
		return -EINVAL;
	if (c.mode > ZONEALLOC_COMPACT_SYNC)
		return -EINVAL;

	BUILD_BUG_ON(ZONEALLOC_COMPACT_ASYNC != ZA_MIGRATE_ASYNC);
	BUILD_BUG_ON(ZONEALLOC_COMPACT_SYNC_LIGHT != ZA_MIGRATE_SYNC_LIGHT);
	BUILD_BUG_ON(ZONEALLOC_COMPACT_SYNC != ZA_MIGRATE_SYNC);
	ret = za_compact(zf->pool, c.zone == ZONEALLOC_ZONE_ALL ? -1 : c.zone,
			 c.order, c.mode, &migrated);
	if (ret && ret != -EAGAIN)
		return ret;
	/* Even when no block of the order could be formed, say what moved. */
	c.migrated = migrated;
	if (copy_to_user(uarg, &c, sizeof(c)))
		return -EFAULT;
	return ret;
}

static long za_ioctl_drain(struct za_file *zf, void __user *uarg)
{
	struct zonealloc_drain d;
	bool online;

	/* Draining every CPU's lists is an IPI storm on demand: admin only. */
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (copy_from_user(&d, uarg, sizeof(d)))
		return -EFAULT;
	if (d.reserved)
		return -EINVAL;
	if (d.cpu == -1) {
		za_pcp_drain_all(zf->pool);
		return 0;
	}
	if (d.cpu < 0 || d.cpu >= nr_cpu_ids)
		return -EINVAL;
	cpus_read_lock();
	online = cpu_online(d.cpu);
	if (online)
		za_pcp_drain_cpu(zf->pool, d.cpu);
	cpus_read_unlock();
	return online ? 0 : -EINVAL;
}

static long za_dev_ioctl(struct file *file, unsigned int cmd,
			 unsigned long arg)
{
	struct za_file *zf = file->private_data;
	void __user *uarg = (void __user *)arg;

	/* Any size from the first version's up, as dma-heap's ALLOC. */
	if (_IOC_TYPE(cmd) == _IOC_TYPE(ZONEALLOC_IOC_EXPORT) &&
	    _IOC_NR(cmd) == _IOC_NR(ZONEALLOC_IOC_EXPORT) &&
	    _IOC_DIR(cmd) == _IOC_DIR(ZONEALLOC_IOC_EXPORT))
		return za_ioctl_export(zf, uarg, _IOC_SIZE(cmd));

	switch (cmd) {
	case ZONEALLOC_IOC_ALLOC:
		return za_ioctl_alloc(zf, uarg);
	case ZONEALLOC_IOC_FREE:
		return za_ioctl_free(zf, uarg);
	case ZONEALLOC_IOC_ALLOC_BULK:
		return za_ioctl_alloc_bulk(zf, uarg);
	case ZONEALLOC_IOC_FREE_BULK:
		return za_ioctl_free_bulk(zf, uarg);
	case ZONEALLOC_IOC_INFO:
		return za_ioctl_info(zf, uarg);
	case ZONEALLOC_IOC_COMPACT:
		return za_ioctl_compact(zf, uarg);
	case ZONEALLOC_IOC_DRAIN:
		return za_ioctl_drain(zf, uarg);
	case ZONEALLOC_IOC_ALLOC_CONTIG:
		return za_ioctl_alloc_contig(zf, uarg);
	case ZONEALLOC_IOC_QUERY:
		return za_ioctl_query(zf, uarg);
	case ZONEALLOC_IOC_SYNC:
		return za_ioctl_sync(zf, uarg);
	case ZONEALLOC_IOC_GROW:
	case ZONEALLOC_IOC_SHRINK:
		return za_elastic_ioctl(zf->pool, cmd, uarg);
	default:
		return -ENOTTY;
	}
}

/*
 * Mappings are filled in at fault time from the allocation's current
 * pages, so that an allocation whose mappings are zapped (freed, or later
 * moved by compaction) is never reached through a stale PTE. Each VMA
 * holds a reference on the allocation it was made for and maps nothing
 * else: once that allocation is freed, the VMA only ever gets SIGBUS, even
 * when its handle id has been given to another allocation since.
 *
 * An allocation that never moves is mapped with its pages' reference
 * counts (VM_MIXEDMAP, vmf_insert_page()), so that get_user_pages() takes
 * them: O_DIRECT, vmsplice and V4L2 USERPTR work on it. A pin outliving
 * the allocation's FREE keeps the pages out of the pool until it ends
 * (see za_release_alloc()). A movable allocation stays VM_PFNMAP: a pin
 * would hold its pages in place, and compaction could neither move them
 * nor tell who holds them; get_user_pages() refuses PFN maps, so no pin
 * can be taken.
 */
static vm_fault_t za_vm_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct za_alloc *za = vma->vm_private_data;
	struct za_file *zf = za->owner;
	vm_fault_t ret = VM_FAULT_SIGBUS;
	unsigned long idx = vmf->pgoff - (unsigned long)za->handle;

	mutex_lock(&zf->lock);
	if (za->freed || vmf->pgoff < za->handle || idx >= za->nr_pages)
		goto out;
	if (vma->vm_flags & VM_MIXEDMAP)
		ret = vmf_insert_page(vma, vmf->address,
				      pfn_to_page(za->zp->pfn + idx));
	else
		ret = vmf_insert_pfn(vma, vmf->address, za->zp->pfn + idx);
out:
	mutex_unlock(&zf->lock);
	return ret;
}

/* A copy of the VMA (split, mremap, fork) also names the allocation. */
static void za_vm_open(struct vm_area_struct *vma)
{
	struct za_alloc *za = vma->vm_private_data;

	refcount_inc(&za->ref);
}

static void za_vm_close(struct vm_area_struct *vma)
{
	za_alloc_put(vma->vm_private_data);
}

static const struct vm_operations_struct za_vm_ops = {
	.open = za_vm_open,
	.close = za_vm_close,
	.fault = za_vm_fault,
};

static int za_dev_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct za_file *zf = file->private_data;
	unsigned long pages = vma_pages(vma);
	struct za_alloc *za;
	bool movable = false;
	u32 map = 0;
	int ret = 0;

	/* A private mapping would copy pages on write, outside the pool. */
	if (!(vma->vm_flags & VM_SHARED))
		return -EINVAL;

	mutex_lock(&zf->lock);
	za = za_lookup(zf, vma->vm_pgoff);
	if (!za) {
		ret = -ENOENT;
	} else if (pages > za->nr_pages) {
		ret = -EINVAL;
	} else {
		refcount_inc(&za->ref);
		movable = za->gfp & ZONEALLOC_GFP_MOVABLE;
		map = za->map;
	}
	mutex_unlock(&zf->lock);
	if (ret)
		return ret;

	/* Which pages back the VMA decides its kind: see za_vm_fault(). */
	if (movable)
		vm_flags_set(vma, VM_PFNMAP | VM_IO);
	else
		vm_flags_set(vma, VM_MIXEDMAP);
	vm_flags_set(vma, VM_DONTEXPAND | VM_DONTDUMP);
	vma->vm_page_prot = za_map_pgprot(map, vma->vm_page_prot);
	/* Dropped by za_vm_close(), whatever happened to the allocation. */
	vma->vm_private_data = za;
	vma->vm_ops = &za_vm_ops;
	return 0;
}

static void za_file_free(struct kref *ref)
{
	struct za_file *zf = container_of(ref, struct za_file, ref);

	mutex_destroy(&zf->lock);
	kfree(zf);
}

/* Look up the allocation a move names, under the handles' lock. */
static struct za_alloc *za_move_lookup(unsigned long owner)
{
	u64 handle = owner;
	unsigned long id = handle >> ZA_HANDLE_SHIFT;
	XA_STATE(xas, &za_handles, id);
	struct za_alloc *za;

	lockdep_assert_held(&za_handles.xa_lock);
	if (!id || id > max_handle_id ||
	    (handle & ((1ULL << ZA_HANDLE_SHIFT) - 1)))
		return NULL;
	/* Under the lock: no RCU walk, no retry (as xa_load() needs). */
	za = xas_load(&xas);
	return xa_is_value(za) || xa_is_zero(za) ? NULL : za;
}

/* May @za move from @r->src? -EINPROGRESS if so; zf->lock is held. */
static int za_move_check(struct za_alloc *za, struct za_migrate_req *r)
{
	lockdep_assert_held(&za->owner->lock);
	if (za->freed || za->zp != r->src || za->contig || za->order != r->order)
		return -ENOENT;
	/* A page someone holds a reference on stays where it is. */
	if (za->phys_exposed || za->exported ||
	    !(za->gfp & ZONEALLOC_GFP_MOVABLE) || za_alloc_referenced(za))
		return -EBUSY;
	return -EINPROGRESS;
}

/*
 * Move the blocks of the batch that belong to @zf (zas[i]->owner), from
 * entry @first on, under @zf's lock, which the fault handler also takes:
 * the mappings of all of them are zapped first, in one pass over the file
 * range that spans them, so a fault during the copies waits and then maps
 * the new pages, and userspace never sees a half-copied page. The pass may
 * also zap PTEs of allocations whose handles lie in between: they are
 * refaulted from the same, current pages.
 */
static void za_dev_move_file(struct za_file *zf, struct za_migrate_req *reqs,
			     struct za_alloc **zas, unsigned int first,
			     unsigned int nr, enum za_migrate_mode mode)
{
	unsigned int i, asked = 0, moved = 0;
	loff_t lo = LLONG_MAX, hi = 0;
	bool locked = true;

	if (mode == ZA_MIGRATE_ASYNC)
		locked = mutex_trylock(&zf->lock);
	else
		mutex_lock(&zf->lock);
	for (i = first; i < nr; i++) {
		struct za_migrate_req *r = &reqs[i];
		struct za_alloc *za = zas[i];

		if (!za || za->owner != zf || r->result != -EINPROGRESS)
			continue;
		asked++;
		r->result = locked ? za_move_check(za, r) : -EAGAIN;
		if (r->result != -EINPROGRESS)
			continue;
		lo = min_t(loff_t, lo, (loff_t)za->handle << PAGE_SHIFT);
		hi = max(hi, za_range_end(za));
	}
	if (!locked)
		return;
	if (hi)
		unmap_mapping_range(zf->mapping, lo, hi - lo, 1);
	for (i = first; i < nr && hi; i++) {
		struct za_migrate_req *r = &reqs[i];
		struct za_alloc *za = zas[i];

		if (!za || za->owner != zf || r->result != -EINPROGRESS)
			continue;
		za_migrate_copy(r->dst, r->src, r->order);
		za_page_set_owner(r->dst, r->owner);
		za_page_set_owner(r->src, 0);
		za->zp = r->dst;
		za->moves++;
		r->result = 0;
		moved++;
	}
	trace_za_move_batch(zf, asked, moved, hi ? 1 : 0);
	mutex_unlock(&zf->lock);
}

/*
 * Compaction's request to move a batch of our allocations (see migrate.h).
 * Only movable allocations move, never one whose physical address was
 * given out nor one a dma-buf exports. Every handle is looked up at once;
 * then, file by file, the blocks are moved under the file's lock.
 */
static void za_dev_move_batch(struct za_pool *pool,
			      struct za_migrate_req *reqs, unsigned int nr,
			      enum za_migrate_mode mode)
{
	struct za_alloc *zas[ZA_MIGRATE_BATCH_MAX];
	unsigned int i;

	if (WARN_ON_ONCE(nr > ZA_MIGRATE_BATCH_MAX))
		return;
	/*
	 * The owner erases its entries, under this lock, before it drops
	 * its reference: one found here may still take another.
	 */
	xa_lock(&za_handles);
	for (i = 0; i < nr; i++) {
		zas[i] = NULL;
		if (reqs[i].result != -EINPROGRESS)
			continue;
		zas[i] = za_move_lookup(reqs[i].owner);
		if (!zas[i]) {
			reqs[i].result = -ENOENT;
			continue;
		}
		refcount_inc(&zas[i]->ref);
		kref_get(&zas[i]->owner->ref);
	}
	xa_unlock(&za_handles);

	for (i = 0; i < nr; i++)
		if (zas[i] && reqs[i].result == -EINPROGRESS)
			za_dev_move_file(zas[i]->owner, reqs, zas, i, nr, mode);
	for (i = 0; i < nr; i++) {
		struct za_file *zf;

		if (!zas[i])
			continue;
		zf = zas[i]->owner;
		za_alloc_put(zas[i]);
		kref_put(&zf->ref, za_file_free);
	}
}

/* One move alone (contiguous allocation's): a batch of one. */
static int za_dev_move(struct za_pool *pool, unsigned long owner,
		       struct za_page *src, struct za_page *dst,
		       unsigned int order, enum za_migrate_mode mode)
{
	struct za_migrate_req r = {
		.src = src, .dst = dst, .owner = owner, .order = order,
		.result = -EINPROGRESS,
	};

	za_dev_move_batch(pool, &r, 1, mode);
	return r.result;
}

static const struct za_migrate_ops za_dev_migrate_ops = {
	.move = za_dev_move,
	.move_batch = za_dev_move_batch,
};

/**
 * za_dev_set_migrate_ops() - let compaction move the device's allocations.
 * @pool: the pool the device allocates from.
 *
 * Context: Process context, module init, before the pool's kcompactd starts
 * and before za_dev_init().
 */
void za_dev_set_migrate_ops(struct za_pool *pool)
{
	WRITE_ONCE(pool->migrate_ops, &za_dev_migrate_ops);
}

static int za_dev_open(struct inode *inode, struct file *file)
{
	struct za_user *zu;
	struct za_file *zf;

	if (!za_global_pool)
		return -ENODEV;
	zf = kzalloc(sizeof(*zf), GFP_KERNEL);
	if (!zf)
		return -ENOMEM;
	/* The opener pays, whoever later uses the file. */
	zu = za_user_get(file->f_cred->uid);
	if (IS_ERR(zu)) {
		kfree(zf);
		return PTR_ERR(zu);
	}
	zf->user = zu;
	kref_init(&zf->ref);
	zf->pool = za_global_pool;
	mutex_init(&zf->lock);
	INIT_LIST_HEAD(&zf->allocs);
	zf->mapping = file->f_mapping;
	file->private_data = zf;
	return 0;
}

/* No mapping can remain: each VMA holds a reference on the file. */
static int za_dev_release(struct inode *inode, struct file *file)
{
	struct za_file *zf = file->private_data;
	struct za_alloc *za, *tmp;

	mutex_lock(&zf->lock);
	list_for_each_entry_safe(za, tmp, &zf->allocs, node) {
		za_release_alloc(zf, za);
		cond_resched();
	}
	mutex_unlock(&zf->lock);
	za_user_put(zf->user);
	kref_put(&zf->ref, za_file_free);
	return 0;
}

static const struct file_operations za_dev_fops = {
	.owner = THIS_MODULE,
	.open = za_dev_open,
	.release = za_dev_release,
	.unlocked_ioctl = za_dev_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.mmap = za_dev_mmap,
	.llseek = noop_llseek,
};

struct miscdevice za_miscdev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "zonealloc",
	.fops = &za_dev_fops,
	.mode = 0600,
};
EXPORT_SYMBOL_IF_KUNIT(za_miscdev);

/**
 * za_dev_init() - register /dev/zonealloc.
 *
 * Context: Process context, module init, after the pool is set up.
 * Return: 0 on success or a negative errno from misc_register().
 */
int za_dev_init(void)
{
	int ret;

	BUILD_BUG_ON(ZONEALLOC_NR_ZONES != ZA_NR_ZONES);
	BUILD_BUG_ON(ZONEALLOC_MAX_ORDER != ZA_MAX_ORDER);
	BUILD_BUG_ON(ZONEALLOC_ZONE_MOVABLE != ZA_ZONE_MOVABLE);
	BUILD_BUG_ON(ZONEALLOC_ZONE_HIGHMEM != ZA_ZONE_HIGHMEM);
	BUILD_BUG_ON(ZONEALLOC_MIGRATE_RECLAIMABLE != ZA_MIGRATE_RECLAIMABLE);
	BUILD_BUG_ON(ZONEALLOC_MIGRATE_MOVABLE != ZA_MIGRATE_MOVABLE);
	BUILD_BUG_ON(ZONEALLOC_MIGRATE_ISOLATE != ZA_MIGRATE_ISOLATE);
	if (max_handle_id < ZA_HANDLE_MIN_IDS ||
	    max_handle_id > ZA_HANDLE_MAX_ID) {
		max_handle_id = clamp(max_handle_id, ZA_HANDLE_MIN_IDS,
				      ZA_HANDLE_MAX_ID);
		pr_info("max_handle_id clamped to %u\n", max_handle_id);
	}
	ret = misc_register(&za_miscdev);
	if (ret)
		return ret;
	ret = za_dmabuf_init();
	if (ret)
		misc_deregister(&za_miscdev);
	return ret;
}

/**
 * za_dev_exit() - remove /dev/zonealloc.
 *
 * Context: Process context, module exit; no file can be open.
 */
void za_dev_exit(void)
{
	misc_deregister(&za_miscdev);
	/* Every deferred entry held a module reference: none is left. */
	cancel_delayed_work_sync(&za_deferred_work);
	WARN_ON_ONCE(!list_empty(&za_deferred));
	za_dmabuf_exit();
	/* kcompactd may still run: it reads the ops with READ_ONCE(). */
	if (za_global_pool)
		WRITE_ONCE(za_global_pool->migrate_ops, NULL);
	WARN_ON_ONCE(!xa_empty(&za_handles));
	WARN_ON_ONCE(!xa_empty(&za_users));
}
