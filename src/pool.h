/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The allocator's data model: a pool of zones over pageblock-aligned ranges
 * of physical memory, with one module-owned descriptor per page.
 */
#ifndef _ZONEALLOC_POOL_H
#define _ZONEALLOC_POOL_H

#include <linux/atomic.h>
#include <linux/bitops.h>
#include <linux/bits.h>
#include <linux/cpuhotplug.h>
#include <linux/list.h>
#include <linux/minmax.h>
#include <linux/percpu.h>
#include <linux/rwsem.h>
#include <linux/seqlock.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>

/* The module's own limits, independent of the kernel's MAX_PAGE_ORDER. */
#define ZA_MAX_ORDER		10
#define ZA_NR_ORDERS		(ZA_MAX_ORDER + 1)
#define ZA_PAGEBLOCK_ORDER	9
#define ZA_PAGEBLOCK_PAGES	BIT(ZA_PAGEBLOCK_ORDER)
/* Orders above this are "costly", as PAGE_ALLOC_COSTLY_ORDER. */
#define ZA_COSTLY_ORDER		3
/*
 * Nodes a pool may have memory on: a page's zone is a u8 index into
 * pool->zones, node * ZA_NR_ZONES + zone type (see za_zone_id()).
 */
#define ZA_MAX_NODES		(255 / ZA_NR_ZONES)

/*
 * The kernel's defaults of the vm sysctls a pool mirrors: za_pool_create()
 * starts from them, and so do the module parameters of the global pool.
 * A min_free_kbytes of 0 means "compute it as the kernel does".
 */
#define ZA_DEFAULT_WATERMARK_SCALE_FACTOR	10
#define ZA_DEFAULT_WATERMARK_BOOST_FACTOR	15000
/* As sysctl_lowmem_reserve_ratio's defaults; HIGHMEM and MOVABLE reserve 0. */
#define ZA_DEFAULT_LOWMEM_RESERVE_RATIO	{			\
	[ZA_ZONE_DMA] = 256, [ZA_ZONE_DMA32] = 256, [ZA_ZONE_NORMAL] = 32 \
}

enum za_zone_type {
	ZA_ZONE_DMA,
	ZA_ZONE_DMA32,
	ZA_ZONE_NORMAL,
	ZA_ZONE_HIGHMEM,
	ZA_ZONE_MOVABLE,
	ZA_NR_ZONES
};

enum za_migratetype {
	ZA_MIGRATE_UNMOVABLE,
	ZA_MIGRATE_MOVABLE,
	ZA_MIGRATE_RECLAIMABLE,
	ZA_MIGRATE_PCPTYPES,
	ZA_MIGRATE_HIGHATOMIC = ZA_MIGRATE_PCPTYPES,
	ZA_MIGRATE_ISOLATE,
	ZA_MIGRATE_TYPES
};

enum za_wmark {
	ZA_WMARK_MIN,
	ZA_WMARK_LOW,
	ZA_WMARK_HIGH,
	ZA_NR_WMARK
};

/* What a block head is; every page that is not a head is ZA_PAGE_TAIL. */
enum za_page_state {
	ZA_PAGE_TAIL,
	ZA_PAGE_FREE,		/* head of a block on a zone free list */
	ZA_PAGE_PCP,		/* head of a block on a per-CPU list */
	ZA_PAGE_ALLOC,		/* head of an allocated block */
};

/**
 * struct za_page - the module's descriptor for one page of the pool.
 * @lru: link on a free list or a per-CPU list while @state says so.
 * @pfn: the page frame number described.
 * @owner: opaque handle of the owner of an allocated block, for migration.
 * @state: an &enum za_page_state.
 * @order: block order while @state is not %ZA_PAGE_TAIL.
 * @mt: the free list (migratetype) the block is on while free or on a PCP.
 * @pb_mt: pageblock migratetype; meaningful in the first page of a pageblock.
 * @zone: the zone the page belongs to, as za_zone_id().
 * @pb_skip: compaction's skip hint for the pageblock (see compaction.c);
 *	meaningful in the first page of a pageblock. A lockless hint, read
 *	and written with READ_ONCE()/WRITE_ONCE().
 *
 * Fields of free pages are protected by the zone lock; fields of pages on a
 * per-CPU list by that list's lock; an allocated block belongs to its caller
 * until it is freed. @pb_mt is written under the zone lock.
 *
 * Compaction's scanners read @state, @order, @mt and @owner of any page
 * without those locks, as hints: every change goes through the za_page_*()
 * helpers below, which write with WRITE_ONCE(), and lockless readers use
 * za_page_state(), za_page_order() and za_page_owner().
 */
struct za_page {
	struct list_head lru;
	unsigned long pfn;
	unsigned long owner;
	u8 state;
	u8 order;
	u8 mt;
	u8 pb_mt;
	u8 zone;
	u8 pb_skip;
};

/**
 * struct za_chunk - one pageblock-aligned range of the pool.
 * @start_pfn: first pfn.
 * @nr_pages: length, a multiple of %ZA_PAGEBLOCK_PAGES.
 * @zone: the zone the range belongs to, as za_zone_id() (its node and
 *	zone type).
 * @pages: its descriptors, @nr_pages of them.
 */
struct za_chunk {
	unsigned long start_pfn;
	unsigned long nr_pages;
	unsigned int zone;
	struct za_page *pages;
};

/*
 * PCP lists keep orders 0 .. ZA_PCP_MAX_ORDER, one list per order and PCP
 * migratetype, as Linux keeps up to costly, and pageblock-order blocks on
 * two more lists (movable, and the others), as its NR_PCP_THP lists.
 */
#define ZA_PCP_MAX_ORDER	ZA_COSTLY_ORDER
#define ZA_NR_LOWORDER_PCP_LISTS (ZA_MIGRATE_PCPTYPES * (ZA_PCP_MAX_ORDER + 1))
#define ZA_NR_PCP_THP		2
#define ZA_NR_PCP_LISTS		(ZA_NR_LOWORDER_PCP_LISTS + ZA_NR_PCP_THP)

struct za_free_area {
	struct list_head free_list[ZA_MIGRATE_TYPES];
	unsigned long nr_free;
};

/*
 * za_pcp.flags, as the kernel's PCPF_* flags:
 * ZA_PCPF_PREV_FREE_HIGH_ORDER: the previous free to the list was of an
 *	order from 1 to %ZA_PCP_MAX_ORDER (one such free alone never drains).
 * ZA_PCPF_FREE_HIGH_BATCH: keep a batch on the list before draining for
 *	consecutive high-order frees (the CPU's cache slice is large).
 */
#define ZA_PCPF_PREV_FREE_HIGH_ORDER	BIT(0)
#define ZA_PCPF_FREE_HIGH_BATCH		BIT(1)

/**
 * struct za_pcp - per-CPU lists of one zone, as struct per_cpu_pages.
 * @lock: protects every other field but @batch, @high_min and @high_max.
 *	As the kernel's pcp->lock: the owning CPU only tries it
 *	(za_pcp_trylock(), pinned to the CPU, interrupts left on) and falls
 *	back to the buddy lists when it is busy, so an interrupt handler that
 *	allocates atomically on a CPU whose task holds it gets the buddy
 *	lists, never a deadlock; a drain or the decay of @high from process
 *	context on any CPU waits for it. A plain spinlock, not a local_lock:
 *	a remote drain must exclude the owner.
 * @count: pages on all lists.
 * @high: the list length at which a free drains; moves between @high_min
 *	and @high_max with the traffic (see pcp.c).
 * @high_min: the high mark of an idle list.
 * @high_max: the highest @high may grow to.
 * @batch: the base number of pages a refill or a drain moves.
 * @flags: ZA_PCPF_* flags.
 * @alloc_factor: a refill of order 0 takes @batch << this; grows with
 *	consecutive refills, halves with every free.
 * @free_count: pages freed since the last allocation, halved by each
 *	allocation, at most @batch << %ZA_PCP_BATCH_SCALE_MAX.
 * @lists: free blocks per list index (za_pcp_list_index()).
 *
 * @batch, @high_min and @high_max are set together for every CPU by
 * za_pcp_set_high_and_batch() with WRITE_ONCE(), and read with READ_ONCE():
 * like the kernel's, readers cope with a change between two reads.
 */
struct za_pcp {
	spinlock_t lock;	/* protects the fields below; see above */
	int count;
	int high;
	int high_min;
	int high_max;
	int batch;
	u8 flags;
	u8 alloc_factor;
	short free_count;
	struct list_head lists[ZA_NR_PCP_LISTS];
} ____cacheline_aligned_in_smp;

/*
 * Event counters, per CPU (zone->stats): each CPU adds to its own copy
 * with this_cpu_add() (za_count_zone_events() in vmstat.h), without a lock
 * and without a shared cache line; readers sum the copies of every
 * possible CPU (za_zone_events()).
 */
struct za_zone_stats {
	unsigned long pgalloc;
	unsigned long pgfree;
	unsigned long fallbacks;
	unsigned long steals;
	unsigned long highatomic_reserved;
	unsigned long alloc_fail;
	/* Compaction and migration (compaction.c, migrate.c). */
	unsigned long compact_stall;
	unsigned long compact_fail;
	unsigned long compact_success;
	unsigned long compact_migrate_scanned;
	unsigned long compact_free_scanned;
	unsigned long compact_isolated;
	unsigned long pgmigrate_success;
	unsigned long pgmigrate_fail;
	unsigned long deferrals;
	/* Fallbacks that left two types in a pageblock (buddy.c). */
	unsigned long fallback_pollution;
};

/* zone->flags bits, as the kernel's enum zone_flags. */
enum za_zone_flags {
	/* Free pages were below the high watermark at the last allocation. */
	ZA_ZONE_BELOW_HIGH,
};

/**
 * struct za_zone - one zone of a pool.
 * @pool: the pool this zone belongs to.
 * @idx: its &enum za_zone_type.
 * @node: the NUMA node its memory is on (the node id; the zone is
 *	@pool->zones[za_zone_id()]).
 * @lock: protects @free_area, @free_pages, @nr_reserved_highatomic,
 *	@nr_free_highatomic, the pageblock migratetypes, the descriptors of
 *	free pages of this zone and compaction's deferral state
 *	(@compact_considered, @compact_defer_shift, @compact_order_failed);
 *	@watermark_boost is written under it. Not @stats: they are per-CPU
 *	counters, updated without it.
 * @free_area: the buddy free lists by order.
 * @free_pages: free pages in @free_area, not counting isolated ones.
 * @nr_free_highatomic: free pages in highatomic pageblocks.
 * @nr_reserved_highatomic: pages in highatomic pageblocks.
 * @managed_pages: pages handed to the buddy allocator at setup.
 * @present_pages: pages of the pool ranges assigned to the zone.
 * @start_pfn: lowest pfn of the zone (0 when empty).
 * @end_pfn: one past its highest pfn.
 * @watermark: min/low/high in pages.
 * @watermark_boost: temporary boost added to every watermark; written
 *	under @lock with WRITE_ONCE(), read without it.
 * @lowmem_reserve: pages held back from requests allowed a higher zone.
 * @flags: &enum za_zone_flags bits, set and cleared with atomic bitops.
 * @pcp_batch: pages moved per PCP refill or drain, as zone->pageset_batch.
 * @pcp_high: the high mark of an idle per-CPU list (zone->pageset_high_min).
 * @pcp_high_max: the highest a busy list's high mark goes
 *	(zone->pageset_high_max). The three are set by za_pcp_update_zone()
 *	and copied into every CPU's &struct za_pcp.
 * @pcp: per-CPU lists.
 * @stats: counters for vmstat-like reporting; per CPU, not under @lock.
 * @compact_considered: compaction requests seen since the last deferral;
 *	protected by @lock.
 * @compact_defer_shift: compaction is skipped until @compact_considered
 *	reaches 1 << this (at most 6); protected by @lock.
 * @compact_order_failed: lowest order compaction recently failed for;
 *	protected by @lock.
 * @compact_cached_migrate_pfn: where the migrate scanner resumes, for async
 *	[0] and sync [1] compaction; a lockless hint (0: the zone's start).
 * @compact_cached_free_pfn: where the free scanner resumes; a lockless hint
 *	(0: the zone's end).
 * @compact_blockskip_flush: the scanners met: clear the skip hints before
 *	the next compaction; a lockless hint.
 */
struct za_zone {
	struct za_pool *pool;
	enum za_zone_type idx;
	int node;
	spinlock_t lock;	/* protects the free lists and counts; see above */
	struct za_free_area free_area[ZA_NR_ORDERS];
	unsigned long free_pages;
	unsigned long nr_free_highatomic;
	unsigned long nr_reserved_highatomic;
	unsigned long managed_pages;
	unsigned long present_pages;
	unsigned long start_pfn;
	unsigned long end_pfn;
	unsigned long watermark[ZA_NR_WMARK];
	unsigned long watermark_boost;
	long lowmem_reserve[ZA_NR_ZONES];
	unsigned long flags;
	int pcp_batch;
	int pcp_high;
	int pcp_high_max;
	struct za_pcp __percpu *pcp;
	struct za_zone_stats __percpu *stats;
	unsigned int compact_considered;
	unsigned int compact_defer_shift;
	int compact_order_failed;
	unsigned long compact_cached_migrate_pfn[2];
	unsigned long compact_cached_free_pfn;
	bool compact_blockskip_flush;
};

/**
 * struct za_pool - an independent allocator instance.
 * @name: for messages.
 * @zones: its zones, @nr_nodes * %ZA_NR_ZONES of them, indexed by
 *	za_zone_id(): node 0's by &enum za_zone_type first, then node 1's...
 *	(as each pg_data_t's node_zones). Walk them up to za_pool_zones_end().
 * @nr_nodes: nodes the pool has zones for (node ids 0 .. @nr_nodes - 1),
 *	with memory or not.
 * @zonelists: for each node, every zone of the pool in the order an
 *	allocation preferring that node tries them (za_pool_zonelist()), as
 *	the kernel's ZONELIST_FALLBACK; built at create, fixed.
 * @chunks: the ranges, sorted by pfn. Fixed once the pool is set up,
 *	except in an elastic pool (@keep_ranges), where za_pool_grow_range()
 *	and za_pool_shrink_range() insert and remove entries: see
 *	@resize_sem and @chunks_seq for who may read them when.
 * @nr_chunks: entries used in @chunks.
 * @max_chunks: entries allocated in @chunks; never reallocated once the
 *	pool is set up (lockless lookups may be reading the array).
 * @ready: set by za_pool_setup(); ranges may no longer be added.
 * @keep_ranges: za_pool_setup() merges adjacent ranges only within a
 *	block of the largest order, so that each such block can be removed
 *	on its own later (an elastic pool).
 * @resize_sem: held for write while ranges are inserted or removed at
 *	runtime; held for read by everything that walks @chunks by index or
 *	keeps descriptors across a sleep (compaction, the contiguous
 *	allocator, the reports, the invariant checker). Never taken by the
 *	allocation and free paths, which may run in any context.
 * @chunks_lock: serialises writers of @chunks_seq.
 * @chunks_seq: bumped around every change of @chunks and @nr_chunks after
 *	setup, so that za_pfn_to_page() can search them in any context.
 * @chunk_hint: index in @chunks of the range za_pfn_to_page() last found;
 *	tried first, so that runs of lookups in one range (an elastic pool
 *	has one range per 4 MiB) skip the binary search. Only a hint: read
 *	and written racily, checked against @nr_chunks and the range's bounds
 *	inside the @chunks_seq section; on its own cache line, since misses
 *	write it.
 * @elastic: growth and shrink state of an elastic pool (elastic.c), or NULL.
 * @min_free_kbytes: as the sysctl; 0 at setup means "compute as the kernel".
 * @min_free_auto: @min_free_kbytes was computed at setup, and is computed
 *	again when an elastic pool changes size.
 * @watermark_scale_factor: as the sysctl (in 1/10000 of a zone).
 * @watermark_boost_factor: as the sysctl (in 1/10000 of the high mark).
 * @lowmem_reserve_ratio: as the sysctl, per zone.
 * @pcp_enabled: use per-CPU lists.
 * @layout: how the zones were laid out ("phys", "all", "test"), for reports.
 * @cpuhp_node: instance of the CPU hotplug callbacks that size the per-CPU
 *	lists for the CPUs online and drain a dead CPU's.
 * @cpuhp_added: @cpuhp_node is registered.
 * @pcp_decay_work: lowers the per-CPU lists' high marks once a second
 *	(pcp.c); runs while the pool has per-CPU lists.
 * @migrate_ops: how allocated blocks are moved (see migrate.h); NULL when
 *	nothing in the pool can move. Set with WRITE_ONCE() before the pool's
 *	kcompactd starts; cleared the same way at module exit, while kcompactd
 *	may still run: read it with READ_ONCE().
 * @migrate_priv: for @migrate_ops' own use (a test owner's state).
 * @kcompactd: the pool's compaction threads, one &struct za_kcompactd per
 *	node (@nr_nodes of them; compaction.c), or NULL.
 */
struct za_pool {
	const char *name;
	struct za_zone *zones;
	unsigned int nr_nodes;
	struct za_zone **zonelists;
	struct za_chunk *chunks;
	unsigned int nr_chunks;
	unsigned int max_chunks;
	bool ready;
	bool keep_ranges;
	struct rw_semaphore resize_sem;
	spinlock_t chunks_lock;		/* protects writes of @chunks_seq */
	seqcount_spinlock_t chunks_seq;
	unsigned int chunk_hint ____cacheline_aligned_in_smp;
	struct za_elastic *elastic;
	int min_free_kbytes;
	bool min_free_auto;
	int watermark_scale_factor;
	int watermark_boost_factor;
	int lowmem_reserve_ratio[ZA_NR_ZONES];
	bool pcp_enabled;
	const char *layout;
	struct hlist_node cpuhp_node;
	bool cpuhp_added;
	struct delayed_work pcp_decay_work;
	const struct za_migrate_ops *migrate_ops;
	void *migrate_priv;
	struct za_kcompactd *kcompactd;
};

struct za_migrate_ops;
struct za_kcompactd;
struct za_elastic;

extern const char * const za_zone_names[ZA_NR_ZONES];
extern const char * const za_migratetype_names[ZA_MIGRATE_TYPES];

struct za_pool *za_pool_create(const char *name);
struct za_pool *za_pool_create_nodes(const char *name, unsigned int nr_nodes);
int za_pool_add_range(struct za_pool *pool, unsigned long start_pfn,
		      unsigned long nr_pages, enum za_zone_type zone);
int za_pool_add_range_node(struct za_pool *pool, int nid,
			   unsigned long start_pfn, unsigned long nr_pages,
			   enum za_zone_type zone);
int za_pool_grow_range_node(struct za_pool *pool, int nid,
			    unsigned long start_pfn, unsigned long nr_pages,
			    enum za_zone_type zone);
int za_pool_setup(struct za_pool *pool);
unsigned long za_pool_destroy(struct za_pool *pool);
int za_pool_reserve_chunks(struct za_pool *pool, unsigned int nr);
int za_pool_grow_range(struct za_pool *pool, unsigned long start_pfn,
		       unsigned long nr_pages, enum za_zone_type zone);
int za_pool_shrink_range(struct za_pool *pool, unsigned long start_pfn,
			 bool held,
			 bool (*release)(unsigned long pfn,
					 unsigned long nr_pages, void *arg),
			 void *arg);
void za_pool_resize_watermarks(struct za_pool *pool);
unsigned long za_pool_allocated_pages(struct za_pool *pool);
void za_pool_setup_watermarks(struct za_pool *pool);
void za_pool_setup_lowmem_reserve(struct za_pool *pool);
struct za_page *za_pfn_to_page(struct za_pool *pool,
			       unsigned long pfn);

/*
 * Block state. A head leaves one state through za_page_set_tail() (or
 * za_page_try_unalloc()) and enters the next through one of the setters;
 * the caller holds the lock of the list the block is on or enters, or owns
 * the block.
 */
/* A new, zeroed descriptor: a tail, in a MOVABLE pageblock. */
static inline void za_page_init(struct za_page *zp, unsigned long pfn,
				unsigned int zone)
{
	INIT_LIST_HEAD(&zp->lru);
	zp->pfn = pfn;
	zp->zone = zone;
	zp->pb_mt = ZA_MIGRATE_MOVABLE;
}

static inline u8 za_page_state(const struct za_page *zp)
{
	return READ_ONCE(zp->state);
}

static inline unsigned int za_page_order(const struct za_page *zp)
{
	return READ_ONCE(zp->order);
}

static inline int za_page_mt(const struct za_page *zp)
{
	return READ_ONCE(zp->mt);
}

static inline unsigned long za_page_owner(const struct za_page *zp)
{
	return READ_ONCE(zp->owner);
}

/* Is @zp the head of a free block of exactly @order? */
static inline bool za_page_is_free_order(const struct za_page *zp,
					 unsigned int order)
{
	return za_page_state(zp) == ZA_PAGE_FREE && za_page_order(zp) == order;
}

/* A block head read without its owner's lock: state and order, if sane. */
static inline bool za_page_racy_head(const struct za_page *zp, u8 *state,
				     unsigned int *order)
{
	*state = za_page_state(zp);
	*order = za_page_order(zp);
	return *state != ZA_PAGE_TAIL && *order <= ZA_MAX_ORDER &&
	       !(zp->pfn & ((1UL << *order) - 1));
}

static inline void za_page_set_owner(struct za_page *zp, unsigned long owner)
{
	WRITE_ONCE(zp->owner, owner);
}

/* The order of a head off every list, as a split or a capture leaves it. */
static inline void za_page_set_order(struct za_page *zp, unsigned int order)
{
	WRITE_ONCE(zp->order, order);
}

/* The free list a free or per-CPU block is on. */
static inline void za_page_set_mt(struct za_page *zp, int mt)
{
	WRITE_ONCE(zp->mt, mt);
}

static inline void za_page_set_head(struct za_page *zp, u8 state,
				    unsigned int order, int mt)
{
	za_page_set_order(zp, order);
	za_page_set_mt(zp, mt);
	WRITE_ONCE(zp->state, state);
}

/* Head of a block going on a zone free list; zone->lock held. */
static inline void za_page_set_free(struct za_page *zp, unsigned int order,
				    int mt)
{
	za_page_set_head(zp, ZA_PAGE_FREE, order, mt);
}

/* Head of a block going on a per-CPU list; that list's lock held. */
static inline void za_page_set_pcp(struct za_page *zp, unsigned int order,
				   int mt)
{
	za_page_set_head(zp, ZA_PAGE_PCP, order, mt);
}

/*
 * Head of a block just allocated, no owner yet: compaction does not move
 * it until za_page_set_owner(). The state is written last, so a lockless
 * reader that sees %ZA_PAGE_ALLOC sees the rest.
 */
static inline void za_page_set_alloc(struct za_page *zp, unsigned int order,
				     int mt)
{
	za_page_set_owner(zp, 0);
	za_page_set_head(zp, ZA_PAGE_ALLOC, order, mt);
}

/*
 * Allocated, no owner, movable: a block isolated for compaction or
 * contiguous allocation as a migration target, private to its taker.
 */
static inline void za_page_set_isolated(struct za_page *zp,
					unsigned int order)
{
	za_page_set_alloc(zp, order, ZA_MIGRATE_MOVABLE);
}

/* No longer a head: taken off its list, merged, or about to be freed. */
static inline void za_page_set_tail(struct za_page *zp)
{
	WRITE_ONCE(zp->state, ZA_PAGE_TAIL);
}

/*
 * Allocated to no longer a head, once: false if @zp was not allocated (a
 * double free or a race with another freer), nothing changed then.
 */
static inline bool za_page_try_unalloc(struct za_page *zp)
{
	if (cmpxchg(&zp->state, ZA_PAGE_ALLOC, ZA_PAGE_TAIL) != ZA_PAGE_ALLOC)
		return false;
	za_page_set_owner(zp, 0);
	return true;
}

/* The largest naturally aligned block starting at @pfn and ending by @end. */
static inline unsigned int za_aligned_order(unsigned long pfn, unsigned long end)
{
	unsigned int order = ZA_MAX_ORDER;

	if (pfn)
		order = min_t(unsigned int, __ffs(pfn), ZA_MAX_ORDER);
	while ((1UL << order) > end - pfn)
		order--;
	return order;
}

static inline struct za_zone *za_page_zone(struct za_pool *pool,
					   const struct za_page *zp)
{
	return &pool->zones[zp->zone];
}

static inline bool za_zone_populated(const struct za_zone *zone)
{
	return zone->managed_pages != 0;
}

/* The index of @zone in its pool's zones, as za_page.zone holds it. */
static inline unsigned int za_zone_id(const struct za_zone *zone)
{
	return zone->node * ZA_NR_ZONES + zone->idx;
}

/* Zone @type of node @nid; @nid below @pool->nr_nodes. */
static inline struct za_zone *za_pool_zone(struct za_pool *pool, int nid,
					   enum za_zone_type type)
{
	return &pool->zones[nid * ZA_NR_ZONES + type];
}

static inline unsigned int za_pool_nr_zones(const struct za_pool *pool)
{
	return pool->nr_nodes * ZA_NR_ZONES;
}

/*
 * One past the last zone of @pool: walk every zone of every node, node by
 * node, lowest zone first, with
 * for (zone = pool->zones; zone < za_pool_zones_end(pool); zone++).
 */
static inline struct za_zone *za_pool_zones_end(struct za_pool *pool)
{
	return pool->zones + za_pool_nr_zones(pool);
}

/*
 * The fallback zonelist of node @nid: every zone of the pool, NULL
 * terminated, this node's from the highest zone type down, then the other
 * nodes' by distance (see za_pool_build_zonelists()). A request skips the
 * zones above its highest zone type and the empty ones.
 */
static inline struct za_zone **za_pool_zonelist(struct za_pool *pool,
						int nid)
{
	return pool->zonelists + nid * (za_pool_nr_zones(pool) + 1);
}

/*
 * @nid's zonelist from its own zone @highest on, as first_zones_zonelist():
 * the list starts with the node's own zones, the highest type first, so
 * the entries above @highest are skipped without looking at them.
 */
static inline struct za_zone **za_pool_zonelist_from(struct za_pool *pool,
						     int nid, int highest)
{
	return za_pool_zonelist(pool, nid) + ZA_NR_ZONES - 1 - highest;
}

/*
 * As next_zones_zonelist(): from @zl on, the first zone a request for
 * @highest may use, one with memory at or below @highest; with @thisnode
 * none past @nid's own zones. Return: its entry, or NULL.
 */
static inline struct za_zone **za_next_zones_zonelist(struct za_zone **zl,
						      int nid, int highest,
						      bool thisnode)
{
	for (; *zl; zl++) {
		if (thisnode && (*zl)->node != nid)
			return NULL;
		if ((int)(*zl)->idx <= highest && za_zone_populated(*zl))
			return zl;
	}
	return NULL;
}

/* As first_zones_zonelist(): the first such zone of @nid's zonelist. */
static inline struct za_zone **za_first_zones_zonelist(struct za_pool *pool,
						       int nid, int highest,
						       bool thisnode)
{
	return za_next_zones_zonelist(za_pool_zonelist_from(pool, nid,
							    highest),
				      nid, highest, thisnode);
}

bool za_pool_node_populated(struct za_pool *pool, int nid);

#endif /* _ZONEALLOC_POOL_H */
