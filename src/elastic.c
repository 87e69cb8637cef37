// SPDX-License-Identifier: GPL-2.0
/*
 * Elastic pool: the global pool grows by whole chunks when a zone runs
 * below its low watermark (a worker, woken from the allocation slow path
 * as kswapd is) or on request (GROW ioctl, "grow" parameter), up to
 * max_mb; and gives entirely free chunks back to the kernel under memory
 * pressure (a shrinker) or on request (SHRINK ioctl, "shrink" parameter),
 * down to min_mb. chunk.c claims and releases the chunks, pool.c inserts
 * and removes them (the locking rule is written there).
 *
 * Hysteresis: the worker is woken when a zone is below its low watermark
 * and grows it until it is above its high watermark; the shrinker gives
 * back only whole chunks the zones hold above their high watermarks. A
 * zone the shrinker leaves is above high, so it does not wake the worker;
 * a zone the worker leaves has nothing spare, so the shrinker leaves it.
 * A failed claim backs the worker off, doubling from one second to a
 * minute, so a kernel with no free chunk is not searched on every
 * allocation.
 */

#include <linux/capability.h>
#include <linux/jiffies.h>
#include <linux/kstrtox.h>
#include <linux/ktime.h>
#include <linux/mmzone.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/shrinker.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/sysfs.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>
#include <uapi/linux/zonealloc.h>

#include "alloc.h"
#include "chunk.h"
#include "elastic.h"
#include "pool.h"

#define ZA_CHUNK_MB		((ZA_CHUNK_PAGES * PAGE_SIZE) >> 20)
#define ZA_GROW_BACKOFF_MIN	HZ
#define ZA_GROW_BACKOFF_MAX	(60 * HZ)
#define ZA_RESIZE_MAX_BYTES	BIT_ULL(40)

/**
 * struct za_elastic - growth and shrink state of the global pool.
 * @pool: the pool, NULL when there is none (before init, after exit).
 * @grow_work: the worker that grows short zones.
 * @shrinker: gives free chunks back under memory pressure.
 * @pending: bit per highest zone of a request that found its zones below
 *	their low watermarks; atomic bitops.
 * @order: the highest order the requests since the last run asked for;
 *	a hint, read and reset with xchg().
 * @next_grow: jiffies before which the worker does not grow (back-off);
 *	lockless, READ_ONCE()/WRITE_ONCE().
 * @backoff: current back-off; under za_elastic_mutex.
 * @initial_chunks: chunks claimed at load, max_mb's default.
 * @grown: chunks claimed since load.
 * @grow_failed: claims that found no chunk.
 * @grow_ns: time spent claiming and adding the @grown chunks.
 * @shrunk: chunks given back on request.
 * @reclaimed: chunks given back by the shrinker.
 */
struct za_elastic {
	struct za_pool *pool;
	struct work_struct grow_work;
	struct shrinker *shrinker;
	unsigned long pending;
	unsigned int order;
	unsigned long next_grow;
	unsigned long backoff;
	unsigned int initial_chunks;
	atomic_long_t grown;
	atomic_long_t grow_failed;
	atomic64_t grow_ns;
	atomic_long_t shrunk;
	atomic_long_t reclaimed;
};

/*
 * Serialises growers (worker, ioctl, parameter), requested shrinks and
 * exit; protects za_el.pool against exit and za_el.backoff. Never taken by
 * the shrinker, which only trylocks the pool's resize_sem.
 */
static DEFINE_MUTEX(za_elastic_mutex);
static struct za_elastic za_el;

static int za_param_set_mb(const char *val, const struct kernel_param *kp)
{
	unsigned int mb;

	/* 0 or at most the capacity: half of memory, see za_chunk_capacity(). */
	if (!val || kstrtouint(val, 0, &mb) ||
	    mb > za_chunk_capacity() * ZA_CHUNK_MB)
		return -EINVAL;
	WRITE_ONCE(*(unsigned int *)kp->arg, mb);
	return 0;
}

static const struct kernel_param_ops za_param_mb_ops = {
	.set = za_param_set_mb,
	.get = param_get_uint,
};

static unsigned int max_mb;
module_param_cb(max_mb, &za_param_mb_ops, &max_mb, 0644);
MODULE_PARM_DESC(max_mb,
		 "Most MiB the pool grows to; 0 (default): pool_mb, no growth beyond the initial size. At most half of memory");

static unsigned int min_mb;
module_param_cb(min_mb, &za_param_mb_ops, &min_mb, 0644);
MODULE_PARM_DESC(min_mb,
		 "Fewest MiB the pool shrinks to under memory pressure or on request (default 0)");

static unsigned int za_max_chunks(void)
{
	unsigned int mb = READ_ONCE(max_mb);

	if (!mb)
		return za_el.initial_chunks;
	return min(DIV_ROUND_UP(mb, ZA_CHUNK_MB), za_chunk_capacity());
}

static unsigned int za_min_chunks(void)
{
	return DIV_ROUND_UP(READ_ONCE(min_mb), ZA_CHUNK_MB);
}

/*
 * Claim one chunk for @zone (-1: any), from node @nid first (-1: any);
 * za_elastic_mutex held.
 */
static int za_elastic_grow_one(struct za_pool *pool, int nid, int zone)
{
	u64 t0 = ktime_get_ns();
	int ret;

	lockdep_assert_held(&za_elastic_mutex);
	if (za_chunk_nr() >= za_max_chunks())
		return -ENOSPC;
	ret = za_chunk_grow(pool, nid, zone);
	if (ret == -ENOMEM) {
		atomic_long_inc(&za_el.grow_failed);
		return ret;
	}
	if (ret)
		return ret;
	atomic64_add(ktime_get_ns() - t0, &za_el.grow_ns);
	atomic_long_inc(&za_el.grown);
	return 0;
}

/* Would a request of @order fail @zone's high watermark? */
static bool za_zone_short(struct za_zone *zone, unsigned int order)
{
	return !za_zone_watermark_ok(zone, order,
				     READ_ONCE(zone->watermark[ZA_WMARK_HIGH]) +
				     READ_ONCE(zone->watermark_boost),
				     zone->idx, 0);
}

/*
 * The zone to grow for a request whose highest zone is @highest: the
 * highest populated zone type at or below it that is short on some node
 * (the first such node), as the zonelist would have fallen back to it;
 * NULL if none is. The chunk is then claimed on that zone's node.
 */
static struct za_zone *za_short_zone(struct za_pool *pool, int highest,
				     unsigned int order)
{
	struct za_zone *zone;
	int z;

	for (z = highest; z >= 0; z--)
		for (zone = pool->zones; zone < za_pool_zones_end(pool); zone++)
			if (zone->idx == z && za_zone_populated(zone) &&
			    za_zone_short(zone, order))
				return zone;
	return NULL;
}

static void za_grow_work(struct work_struct *work)
{
	struct za_pool *pool;
	struct za_zone *zone;
	unsigned int order;
	int h;

	mutex_lock(&za_elastic_mutex);
	pool = za_el.pool;
	order = xchg(&za_el.order, 0);
	while (pool && (h = find_last_bit(&za_el.pending, ZA_NR_ZONES)) <
		       ZA_NR_ZONES) {
		clear_bit(h, &za_el.pending);
		while ((zone = za_short_zone(pool, h, order))) {
			int ret = za_elastic_grow_one(pool, zone->node,
						      zone->idx);

			if (ret == -ENOSPC)
				break;
			if (ret) {
				za_el.backoff = clamp(za_el.backoff * 2,
						      ZA_GROW_BACKOFF_MIN,
						      ZA_GROW_BACKOFF_MAX);
				WRITE_ONCE(za_el.next_grow,
					   jiffies + za_el.backoff);
				xchg(&za_el.pending, 0);
				break;
			}
			za_el.backoff = 0;
		}
	}
	mutex_unlock(&za_elastic_mutex);
}

/**
 * za_elastic_wake() - a request found @pool's zones below their low
 *	watermarks.
 * @pool: the pool the allocation ran in.
 * @zone: the highest zone the request may use; the worker grows the
 *	highest populated zone at or below it that is short.
 * @order: the order of the request: the worker grows until a block of it
 *	passes the high watermark.
 *
 * Wakes the grow worker unless the pool is not elastic, is at max_mb, or
 * the worker is backing off after a failed claim.
 *
 * Context: Any context.
 */
void za_elastic_wake(struct za_pool *pool, int zone, unsigned int order)
{
	if (!READ_ONCE(pool->elastic) || zone < 0 || zone >= ZA_NR_ZONES ||
	    time_before(jiffies, READ_ONCE(za_el.next_grow)) ||
	    za_chunk_nr() >= za_max_chunks())
		return;
	if (order > READ_ONCE(za_el.order))
		WRITE_ONCE(za_el.order, order);
	set_bit(zone, &za_el.pending);
	queue_work(system_unbound_wq, &za_el.grow_work);
}

/*
 * Pages above every zone's high watermark (of node @nid, or of all for
 * -1), in chunks, above min_mb.
 */
static unsigned long za_spare_chunks(struct za_pool *pool, int nid)
{
	unsigned long spare = 0, nr = za_chunk_nr(), min = za_min_chunks();
	struct za_zone *zone;

	for (zone = pool->zones; zone < za_pool_zones_end(pool); zone++) {
		unsigned long free = READ_ONCE(zone->free_pages);
		unsigned long high = READ_ONCE(zone->watermark[ZA_WMARK_HIGH]);

		if ((nid < 0 || zone->node == nid) && free > high)
			spare += (free - high) / ZA_CHUNK_PAGES;
	}
	return nr > min ? min(spare, nr - min) : 0;
}

static unsigned long za_shrink_count(struct shrinker *s,
				     struct shrink_control *sc)
{
	struct za_pool *pool = READ_ONCE(za_el.pool);

	if (!pool)
		return 0;
	/* NUMA aware: reclaim of node sc->nid takes that node's chunks. */
	return za_spare_chunks(pool, sc->nid) * ZA_CHUNK_PAGES;
}

/*
 * Called from reclaim, possibly by a task that holds pool locks (a grower
 * allocating descriptors holds resize_sem): trylock only, and stop when
 * it is busy. Allocates nothing.
 */
static unsigned long za_shrink_scan(struct shrinker *s,
				    struct shrink_control *sc)
{
	struct za_pool *pool = READ_ONCE(za_el.pool);
	unsigned long want, freed = 0;

	if (!pool || !down_write_trylock(&pool->resize_sem))
		return SHRINK_STOP;
	want = min(DIV_ROUND_UP(sc->nr_to_scan, ZA_CHUNK_PAGES),
		   za_spare_chunks(pool, sc->nid));
	while (freed < want && !za_chunk_shrink_one(pool, sc->nid, NULL))
		freed++;
	up_write(&pool->resize_sem);
	atomic_long_add(freed, &za_el.reclaimed);
	return freed ? freed * ZA_CHUNK_PAGES : SHRINK_STOP;
}

/*
 * Give back up to @want chunks, not below min_mb; with @moved, evacuate
 * chunks when no free one is left. za_elastic_mutex held.
 */
static unsigned long za_elastic_shrink(struct za_pool *pool,
				       unsigned long want,
				       unsigned long *moved)
{
	unsigned long done = 0;

	lockdep_assert_held(&za_elastic_mutex);
	down_write(&pool->resize_sem);
	while (done < want && za_chunk_nr() > za_min_chunks() &&
	       !za_chunk_shrink_one(pool, -1, moved))
		done++;
	up_write(&pool->resize_sem);
	atomic_long_add(done, &za_el.shrunk);
	return done;
}

static unsigned long za_elastic_grow(struct za_pool *pool, int zone,
				     unsigned long want, int *err)
{
	unsigned long done = 0;

	lockdep_assert_held(&za_elastic_mutex);
	*err = 0;
	while (done < want && !(*err = za_elastic_grow_one(pool, -1, zone)))
		done++;
	return done;
}

/**
 * za_elastic_ioctl() - %ZONEALLOC_IOC_GROW and %ZONEALLOC_IOC_SHRINK.
 * @pool: the pool of the file.
 * @cmd: the command.
 * @uarg: a struct zonealloc_resize.
 *
 * Context: Process context; sleeps (a grow migrates the kernel's pages).
 * Return: 0; -EPERM without CAP_SYS_ADMIN; -EFAULT; -EINVAL for bad
 * fields; -ENODEV when the pool is not elastic; for GROW, -ENOSPC at
 * max_mb or -ENOMEM when not one chunk could be claimed.
 */
long za_elastic_ioctl(struct za_pool *pool, unsigned int cmd,
		      void __user *uarg)
{
	struct zonealloc_resize r;
	unsigned long want, done, moved = 0;
	bool grow = cmd == ZONEALLOC_IOC_GROW;
	int err = 0;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (copy_from_user(&r, uarg, sizeof(r)))
		return -EFAULT;
	if (!r.size || r.size > ZA_RESIZE_MAX_BYTES || r.moved_pages ||
	    (r.flags & ~(grow ? 0 : ZONEALLOC_SHRINK_EVACUATE)) ||
	    r.done || r.pool_size || r.chunk_size ||
	    (r.zone != ZONEALLOC_ZONE_ALL && (!grow || r.zone >= ZA_NR_ZONES)))
		return -EINVAL;
	want = DIV_ROUND_UP_ULL(r.size, ZA_CHUNK_PAGES * PAGE_SIZE);

	mutex_lock(&za_elastic_mutex);
	if (za_el.pool != pool) {
		mutex_unlock(&za_elastic_mutex);
		return -ENODEV;
	}
	if (grow)
		done = za_elastic_grow(pool, r.zone == ZONEALLOC_ZONE_ALL ?
				       -1 : r.zone, want, &err);
	else
		done = za_elastic_shrink(pool, want,
					 r.flags & ZONEALLOC_SHRINK_EVACUATE ?
					 &moved : NULL);
	mutex_unlock(&za_elastic_mutex);
	if (grow && !done)
		return err;

	r.done = (u64)done * ZA_CHUNK_PAGES * PAGE_SIZE;
	r.pool_size = (u64)za_chunk_nr() * ZA_CHUNK_PAGES * PAGE_SIZE;
	r.chunk_size = ZA_CHUNK_PAGES * PAGE_SIZE;
	r.moved_pages = moved;
	return copy_to_user(uarg, &r, sizeof(r)) ? -EFAULT : 0;
}

/* Writing N to "grow" or "shrink" claims or gives back N MiB. */
static int za_param_set_resize(const char *val, const struct kernel_param *kp)
{
	bool grow = kp->arg == &za_el.grown;
	unsigned long want;
	unsigned int mb;
	int err = 0;

	if (!val || kstrtouint(val, 0, &mb) || !mb)
		return -EINVAL;
	want = DIV_ROUND_UP(mb, ZA_CHUNK_MB);
	mutex_lock(&za_elastic_mutex);
	if (!za_el.pool)
		err = -ENODEV;
	else if (!grow)
		za_elastic_shrink(za_el.pool, want, NULL);
	else if (za_elastic_grow(za_el.pool, -1, want, &err))
		err = 0;	/* short of @want is fine once a chunk came */
	mutex_unlock(&za_elastic_mutex);
	return err;
}

static int za_param_get_resize(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%ld\n", atomic_long_read(kp->arg));
}

static const struct kernel_param_ops za_param_resize_ops = {
	.set = za_param_set_resize,
	.get = za_param_get_resize,
};

module_param_cb(grow, &za_param_resize_ops, &za_el.grown, 0644);
MODULE_PARM_DESC(grow,
		 "Write N: claim N MiB more (up to max_mb); read: chunks claimed since load");
module_param_cb(shrink, &za_param_resize_ops, &za_el.shrunk, 0644);
MODULE_PARM_DESC(shrink,
		 "Write N: give back up to N MiB of free chunks (down to min_mb); read: chunks given back on request");

/**
 * za_elastic_init() - make @pool elastic: start its shrinker.
 * @pool: the global pool, set up.
 *
 * Context: Process context, module init.
 * Return: 0 or -ENOMEM.
 */
int za_elastic_init(struct za_pool *pool)
{
	struct shrinker *s;

	INIT_WORK(&za_el.grow_work, za_grow_work);
	/* Not 0: jiffies starts 5 minutes before wrapping to 0. */
	za_el.next_grow = jiffies;
	za_el.backoff = 0;
	za_el.initial_chunks = za_chunk_nr();
	s = shrinker_alloc(SHRINKER_NUMA_AWARE, "zonealloc");
	if (!s)
		return -ENOMEM;
	s->count_objects = za_shrink_count;
	s->scan_objects = za_shrink_scan;
	s->batch = ZA_CHUNK_PAGES;
	za_el.shrinker = s;
	mutex_lock(&za_elastic_mutex);
	WRITE_ONCE(za_el.pool, pool);
	WRITE_ONCE(pool->elastic, &za_el);
	mutex_unlock(&za_elastic_mutex);
	shrinker_register(s);
	return 0;
}

/**
 * za_elastic_exit() - stop growing and shrinking the pool.
 *
 * After it returns no worker, shrinker or request touches the pool: the
 * pool is forgotten under the mutex (requests see -ENODEV), the worker is
 * cancelled and waited for, and the shrinker is unregistered, which waits
 * for a scan in progress.
 *
 * Context: Process context, module exit or failed init, before the pool
 * is destroyed; no allocation is in progress.
 */
void za_elastic_exit(void)
{
	struct za_pool *pool;

	mutex_lock(&za_elastic_mutex);
	pool = za_el.pool;
	WRITE_ONCE(za_el.pool, NULL);
	if (pool)
		WRITE_ONCE(pool->elastic, NULL);
	mutex_unlock(&za_elastic_mutex);
	cancel_work_sync(&za_el.grow_work);
	shrinker_free(za_el.shrinker);
	za_el.shrinker = NULL;
	if (pool)
		pr_info("elastic: %ld chunks grown in %llu us (%ld failed claims), %ld given back on request, %ld under pressure\n",
			atomic_long_read(&za_el.grown),
			(unsigned long long)atomic64_read(&za_el.grow_ns) / 1000,
			atomic_long_read(&za_el.grow_failed),
			atomic_long_read(&za_el.shrunk),
			atomic_long_read(&za_el.reclaimed));
}
