// SPDX-License-Identifier: GPL-2.0
/*
 * zb_replay: replay a recorded sequence of the kernel's page allocations
 * and frees through BOTH the kernel's page allocator (alloc_pages() with
 * the recorded gfp flags, __free_pages()) and zonealloc's in-kernel API
 * (zonealloc_alloc_pages() with the flags mapped to ZONEALLOC_GFP_*), one
 * event at a time, so that both sides see the same sequence.
 *
 * tools/tests/za_replay -k parses the trace, matches frees to allocations
 * and writes struct zb_replay_event records to debugfs zb_replay/events;
 * between writes it samples /proc/buddyinfo, zonealloc's debugfs and
 * zb_replay/stats (Documentation/replay.rst).
 *
 * leave_mb first holds memory back in order-10 blocks, so that the
 * kernel side replays in about as much free memory as zonealloc's pool.
 * Replaying into the live kernel must not take the guest down: the
 * kernel side's outstanding pages are capped at cap_pct percent of the
 * free memory at load time (further allocations are refused and
 * counted), __GFP_NOFAIL and __GFP_MEMALLOC are dropped, and an
 * allocation that may reclaim gets __GFP_RETRY_MAYFAIL unless it has
 * __GFP_NORETRY, so that it fails rather than invoking the OOM killer.
 * __GFP_ZERO and __GFP_ACCOUNT are dropped: zeroing and memcg charging
 * are not what is compared. Everything still allocated is freed at rmmod.
 */

#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/hash.h>
#include <linux/list.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <zonealloc.h>

#include "zb_replay.h"

static unsigned int cap_pct = 50;
module_param(cap_pct, uint, 0444);
MODULE_PARM_DESC(cap_pct, "Kernel side: at most this percentage of the free memory at load outstanding (default 50)");

static unsigned int leave_mb;
module_param(leave_mb, uint, 0444);
MODULE_PARM_DESC(leave_mb, "At load, hold order-10 blocks until about this much memory is free, for the kernel side to replay in (default 0: hold none)");

static unsigned int max_live = 1 << 18;
module_param(max_live, uint, 0444);
MODULE_PARM_DESC(max_live, "Most blocks live at once (default 262144)");

#define ZB_HASH_BITS	16

#ifndef MAX_PAGE_ORDER			/* 6.1: MAX_ORDER is exclusive */
#define MAX_PAGE_ORDER (MAX_ORDER - 1)
#endif

/* Names that one of the two kernels lacks: no bits there. */
#ifndef __GFP_ATOMIC
#define __GFP_ATOMIC 0
#endif
#ifndef __GFP_SKIP_ZERO
#define __GFP_SKIP_ZERO 0
#endif
#ifndef __GFP_SKIP_KASAN
#define __GFP_SKIP_KASAN 0
#endif
#ifndef __GFP_SKIP_KASAN_POISON
#define __GFP_SKIP_KASAN_POISON 0
#endif
#ifndef __GFP_SKIP_KASAN_UNPOISON
#define __GFP_SKIP_KASAN_UNPOISON 0
#endif

#define ZB_GFP_NAME(name) name
static const gfp_t zb_kgfp[ZB_GFP_NR_NAMES] = {
#include "zb_replay_gfp.h"
};

#undef ZB_GFP_NAME

/* A replayed block, by the recorded pfn of its first page. */
struct zb_live {
	struct hlist_node node;	/* in zb_hash, or on zb_spare */
	u64 pfn;
	struct page *kpage;	/* the kernel's block, or NULL */
	struct page *zpage;	/* zonealloc's block, or NULL */
	unsigned int order;
};

/*
 * zb_lock serializes the replay: it protects zb_hash, zb_spare, every
 * entry of zb_entries and the counters in zb_stat.
 */
static DEFINE_MUTEX(zb_lock);
static struct hlist_head *zb_hash;
static HLIST_HEAD(zb_spare);
static struct zb_live *zb_entries;
static unsigned long zb_cap;		/* pages */
static LIST_HEAD(zb_balloon);		/* leave_mb's blocks; init and exit only */

static struct {
	u64 allocs, frees;
	u64 k_failed, k_refused;	/* alloc_pages() failed; over the cap */
	u64 za_failed;			/* zonealloc_alloc_pages() failed */
	u64 full;			/* no entry left: neither side tried */
	u64 replaced, unknown;		/* alloc at a live pfn; free of none */
	unsigned long k_pages, za_pages; /* outstanding */
	unsigned int live;
} zb_stat;

static struct dentry *zb_dir;

static gfp_t zb_gfp(u64 names)
{
	gfp_t gfp = 0;
	int i;

	for (i = 0; i < ZB_GFP_NR_NAMES; i++)
		if (names & BIT_ULL(i))
			gfp |= zb_kgfp[i];
	gfp &= ~(__GFP_ZERO | __GFP_ACCOUNT | __GFP_NOFAIL | __GFP_MEMALLOC);
	if ((gfp & __GFP_DIRECT_RECLAIM) && !(gfp & __GFP_NORETRY))
		gfp |= __GFP_RETRY_MAYFAIL;
	return gfp | __GFP_NOWARN;
}

static struct zb_live *zb_lookup(u64 pfn)
{
	struct zb_live *e;

	lockdep_assert_held(&zb_lock);
	hlist_for_each_entry(e, &zb_hash[hash_64(pfn, ZB_HASH_BITS)], node)
		if (e->pfn == pfn)
			return e;
	return NULL;
}

static void zb_release(struct zb_live *e)
{
	lockdep_assert_held(&zb_lock);
	if (e->kpage) {
		__free_pages(e->kpage, e->order);
		zb_stat.k_pages -= 1UL << e->order;
	}
	if (e->zpage) {
		/* Only a bug of ours makes it fail: the block stays lost. */
		if (!WARN_ON_ONCE(zonealloc_free_pages(e->zpage, e->order)))
			zb_stat.za_pages -= 1UL << e->order;
	}
	hlist_del(&e->node);
	hlist_add_head(&e->node, &zb_spare);
	zb_stat.live--;
}

static void zb_alloc(const struct zb_replay_event *ev)
{
	unsigned long nr = 1UL << ev->order;
	struct zb_live *e;
	struct page *page;

	lockdep_assert_held(&zb_lock);
	zb_stat.allocs++;
	e = zb_lookup(ev->pfn);
	if (e) {
		/* The recorded free was lost: the kernel reused the pfn. */
		zb_stat.replaced++;
		zb_release(e);
	}
	if (hlist_empty(&zb_spare)) {
		zb_stat.full++;
		return;
	}
	e = hlist_entry(zb_spare.first, struct zb_live, node);
	hlist_del(&e->node);
	e->pfn = ev->pfn;
	e->order = ev->order;
	e->kpage = NULL;
	e->zpage = NULL;
	if (zb_stat.k_pages + nr > zb_cap) {
		zb_stat.k_refused++;
	} else {
		e->kpage = alloc_pages(zb_gfp(ev->kgfp), ev->order);
		if (e->kpage)
			zb_stat.k_pages += nr;
		else
			zb_stat.k_failed++;
	}
	page = zonealloc_alloc_pages(ev->zgfp, ev->order);
	if (IS_ERR_OR_NULL(page)) {
		zb_stat.za_failed++;
	} else {
		e->zpage = page;
		zb_stat.za_pages += nr;
	}
	hlist_add_head(&e->node, &zb_hash[hash_64(ev->pfn, ZB_HASH_BITS)]);
	zb_stat.live++;
}

static void zb_free(const struct zb_replay_event *ev)
{
	struct zb_live *e;

	lockdep_assert_held(&zb_lock);
	zb_stat.frees++;
	e = zb_lookup(ev->pfn);
	if (e)
		zb_release(e);
	else
		zb_stat.unknown++;
}

static bool zb_valid(const struct zb_replay_event *ev)
{
	unsigned int zone;

	if (ev->pad)
		return false;
	if (ev->op == ZB_OP_FREE)
		return !ev->kgfp && !ev->zgfp && !ev->order;
	if (ev->op != ZB_OP_ALLOC || ev->order > ZONEALLOC_MAX_ORDER ||
	    ev->order > MAX_PAGE_ORDER || (ev->kgfp >> ZB_GFP_NR_NAMES) ||
	    (ev->zgfp & ~ZONEALLOC_GFP_ALL))
		return false;
	/* Names no real allocation combines (GFP_DMA|GFP_DMA32): no zone. */
	zone = (__force unsigned int)(zb_gfp(ev->kgfp) & GFP_ZONEMASK);
	return !((GFP_ZONE_BAD >> zone) & 1);
}

static ssize_t zb_events_write(struct file *file, const char __user *buf,
			       size_t count, loff_t *ppos)
{
	struct zb_replay_event ev;
	size_t done = 0;

	if (count % sizeof(ev))
		return -EINVAL;
	mutex_lock(&zb_lock);
	while (done < count) {
		if (copy_from_user(&ev, buf + done, sizeof(ev))) {
			mutex_unlock(&zb_lock);
			return done ? done : -EFAULT;
		}
		if (!zb_valid(&ev))
			break;
		if (ev.op == ZB_OP_ALLOC)
			zb_alloc(&ev);
		else
			zb_free(&ev);
		done += sizeof(ev);
		if (fatal_signal_pending(current))
			break;
		cond_resched();
	}
	mutex_unlock(&zb_lock);
	return done ? done : -EINVAL;
}

static const struct file_operations zb_events_fops = {
	.owner = THIS_MODULE,
	.write = zb_events_write,
	.llseek = noop_llseek,
};

static int zb_stats_show(struct seq_file *m, void *v)
{
	mutex_lock(&zb_lock);
	seq_printf(m, "allocs %llu frees %llu k_failed %llu k_refused %llu za_failed %llu full %llu replaced %llu unknown %llu k_pages %lu za_pages %lu cap %lu live %u\n",
		   zb_stat.allocs, zb_stat.frees, zb_stat.k_failed,
		   zb_stat.k_refused, zb_stat.za_failed, zb_stat.full,
		   zb_stat.replaced, zb_stat.unknown, zb_stat.k_pages,
		   zb_stat.za_pages, zb_cap, zb_stat.live);
	mutex_unlock(&zb_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(zb_stats);

static void zb_release_all(void)
{
	struct hlist_node *tmp;
	struct zb_live *e;
	unsigned int b;

	mutex_lock(&zb_lock);
	for (b = 0; b < (1U << ZB_HASH_BITS); b++) {
		hlist_for_each_entry_safe(e, tmp, &zb_hash[b], node) {
			zb_release(e);
			cond_resched();
		}
	}
	mutex_unlock(&zb_lock);
}

/* Take the kernel's free memory down to about @leave_mb in top-order blocks. */
static void zb_inflate(void)
{
	unsigned long leave = (unsigned long)leave_mb << (20 - PAGE_SHIFT);
	struct sysinfo si;
	struct page *page;

	for (;;) {
		si_meminfo(&si);
		if (si.freeram <= leave + (1UL << MAX_PAGE_ORDER))
			return;
		page = alloc_pages(GFP_KERNEL | __GFP_NORETRY | __GFP_NOWARN,
				   MAX_PAGE_ORDER);
		if (!page)
			return;
		list_add(&page->lru, &zb_balloon);
		cond_resched();
	}
}

static void zb_deflate(void)
{
	struct page *page, *tmp;

	list_for_each_entry_safe(page, tmp, &zb_balloon, lru) {
		list_del(&page->lru);
		__free_pages(page, MAX_PAGE_ORDER);
	}
}

static int __init zb_init(void)
{
	struct sysinfo si;
	unsigned int i;

	if (!max_live || cap_pct > 100)
		return -EINVAL;
	zb_hash = vcalloc(1U << ZB_HASH_BITS, sizeof(*zb_hash));
	zb_entries = vcalloc(max_live, sizeof(*zb_entries));
	if (!zb_hash || !zb_entries) {
		vfree(zb_hash);
		vfree(zb_entries);
		return -ENOMEM;
	}
	for (i = 0; i < max_live; i++)
		hlist_add_head(&zb_entries[i].node, &zb_spare);
	if (leave_mb)
		zb_inflate();
	si_meminfo(&si);
	zb_cap = si.freeram / 100 * cap_pct;
	zb_dir = debugfs_create_dir("zb_replay", NULL);
	debugfs_create_file("events", 0200, zb_dir, NULL, &zb_events_fops);
	debugfs_create_file("stats", 0400, zb_dir, NULL, &zb_stats_fops);
	pr_info("cap %lu pages (%lu free), %u entries\n", zb_cap, si.freeram,
		max_live);
	return 0;
}

static void __exit zb_exit(void)
{
	/* No write is running once the files are gone. */
	debugfs_remove_recursive(zb_dir);
	zb_release_all();
	zb_deflate();
	vfree(zb_entries);
	vfree(zb_hash);
}

module_init(zb_init);
module_exit(zb_exit);
MODULE_DESCRIPTION("Replay recorded page allocations through the kernel and zonealloc");
MODULE_LICENSE("GPL");
