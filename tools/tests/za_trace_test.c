// SPDX-License-Identifier: GPL-2.0
/*
 * The zonealloc trace events through tracefs, and debugfs "pageblocks".
 *
 * Events are recorded in a private tracefs instance (instances/za_trace),
 * so that other users of the top-level buffer are left alone. Each case
 * enables the events it needs, does the operation that must fire them and
 * checks the fields of the lines it recorded against what the ioctls
 * answered: the pfn of an unmovable allocation is its physical address
 * (given to root), its handle and order are known. Lines are taken from
 * this process only (the "-PID " of the line) where kcompactd could add
 * lines of its own. Run as root.
 */

#include "za_test.h"

#include <stdbool.h>
#include <sys/mount.h>
#include <sys/stat.h>

#define TRACING "/sys/kernel/tracing"
#define INST TRACING "/instances/za_trace"
#define PAGEBLOCKS "/sys/kernel/debug/zonealloc/pageblocks"
#define PB_PAGES 512
#define MAX_HANDLES 65536
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const char * const zone_names[] = {
	"DMA", "DMA32", "Normal", "HighMem", "Movable",
};

static int fd = -1;
static char pidtag[32];
static __u64 handles[MAX_HANDLES];
static unsigned int nr_handles;

/* Every event, and fields its format must list (the kernel's names). */
static const struct {
	const char *name;
	const char *fields;
} events[] = {
	{ "za_mm_page_alloc", "pfn order gfp_flags migratetype zone" },
	{ "za_mm_page_free", "pfn order zone" },
	{ "za_mm_page_alloc_zone_locked", "pfn order migratetype percpu_refill" },
	{ "za_mm_page_pcpu_drain", "pfn order migratetype" },
	{ "za_mm_page_alloc_extfrag",
	  "alloc_order fallback_order alloc_migratetype fallback_migratetype change_ownership" },
	{ "za_mm_compaction_begin", "zone_start migrate_pfn free_pfn zone_end sync" },
	{ "za_mm_compaction_end", "zone_start migrate_pfn free_pfn zone_end sync status" },
	{ "za_mm_compaction_isolate_migratepages", "start_pfn end_pfn nr_scanned nr_taken" },
	{ "za_mm_compaction_isolate_freepages", "start_pfn end_pfn nr_scanned nr_taken" },
	{ "za_mm_compaction_migratepages", "nr_migrated nr_failed" },
	{ "za_mm_compaction_suitable", "nid idx order ret" },
	{ "za_mm_compaction_finished", "nid idx order ret" },
	{ "za_mm_compaction_defer_compaction",
	  "nid idx order considered defer_shift order_failed" },
	{ "za_mm_compaction_deferred", "nid idx order considered defer_shift order_failed" },
	{ "za_mm_compaction_defer_reset", "nid idx order considered defer_shift order_failed" },
	{ "za_mm_compaction_wakeup_kcompactd", "nid order highest_zoneidx" },
	{ "za_mm_compaction_kcompactd_wake", "nid order highest_zoneidx" },
	{ "za_mm_compaction_kcompactd_sleep", "nid" },
	{ "za_chunk_claim", "pfn nr_pages flag" },
	{ "za_chunk_release", "pfn nr_pages flag" },
	{ "za_move", "owner src_pfn dst_pfn zone order mode ret" },
	{ "za_move_batch", "file nr moved unmaps" },
	{ "za_file_alloc", "file handle pfn zone nr_pages gfp_flags" },
	{ "za_file_free", "file handle pfn zone nr_pages gfp_flags" },
};

static int write_file(const char *path, const char *s)
{
	int f = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	ssize_t n;

	if (f < 0)
		return -errno;
	n = write(f, s, strlen(s));
	close(f);
	return n < 0 ? -errno : 0;
}

/* The whole of a file, NUL-terminated; NULL (with a reason) on failure. */
static char *read_all(const char *path)
{
	size_t cap = 1 << 16, len = 0;
	char *buf = malloc(cap + 1), *p;
	int f = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t r;

	if (f < 0 || !buf) {
		za_fail("open %s: %s", path, za_errname(errno));
		if (f >= 0)
			close(f);
		free(buf);
		return NULL;
	}
	while ((r = read(f, buf + len, cap - len)) > 0) {
		len += r;
		if (len == cap) {
			cap *= 2;
			p = realloc(buf, cap + 1);
			if (!p) {
				r = -1;
				break;
			}
			buf = p;
		}
	}
	close(f);
	if (r < 0) {
		za_fail("read %s: %s", path, za_errname(errno));
		free(buf);
		return NULL;
	}
	buf[len] = '\0';
	return buf;
}

static int ev_enable(const char *ev, int on)
{
	char path[256];

	snprintf(path, sizeof(path), INST "/events/zonealloc/%s/enable", ev);
	return write_file(path, on ? "1" : "0");
}

/* Record exactly the events of the NULL-terminated @evs, from an empty buffer. */
static int record(const char * const *evs)
{
	int ret;

	ret = write_file(INST "/events/zonealloc/enable", "0");
	if (!ret)
		ret = write_file(INST "/trace", "");
	for (; *evs && !ret; evs++)
		ret = ev_enable(*evs, 1);
	return ret ? za_fail("enabling %s: %s", *evs, za_errname(ret)) : 0;
}

#define RECORD(...) record((const char * const []){ __VA_ARGS__, NULL })

/* Stop recording and return the buffer's text. */
static char *stop(void)
{
	write_file(INST "/events/zonealloc/enable", "0");
	return read_all(INST "/trace");
}

/*
 * The next line of event @ev in @buf from *@pos, copied into @line; only
 * this process's lines if @mine. NULL at the end.
 */
static const char *next_ev(const char *buf, const char *ev, bool mine,
			   const char **pos, char *line, size_t len)
{
	char tag[128];
	const char *p = *pos ? *pos : buf;

	snprintf(tag, sizeof(tag), " %s: ", ev);
	while (*p) {
		const char *end = strchr(p, '\n');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		const char *next = end ? end + 1 : p + n;

		if (n < len) {
			memcpy(line, p, n);
			line[n] = '\0';
			if (strstr(line, tag) && (!mine || strstr(line, pidtag))) {
				*pos = next;
				return line;
			}
		}
		p = next;
	}
	*pos = p;
	return NULL;
}

/* The value of " key=" in @line (decimal, 0x hex, or negative). */
static int field(const char *line, const char *key, long long *v)
{
	char pat[64];
	const char *p;

	snprintf(pat, sizeof(pat), " %s=", key);
	p = strstr(line, pat);
	if (!p)
		return za_fail("no %s in \"%s\"", key, line);
	*v = strtoll(p + strlen(pat), NULL, 0);
	return 0;
}

/* The word after " key=" (up to a space or comma). */
static int field_str(const char *line, const char *key, char *out, size_t len)
{
	char pat[64];
	const char *p;
	size_t n;

	snprintf(pat, sizeof(pat), " %s=", key);
	p = strstr(line, pat);
	if (!p)
		return za_fail("no %s in \"%s\"", key, line);
	p += strlen(pat);
	n = strcspn(p, " ,");
	if (n >= len)
		n = len - 1;
	memcpy(out, p, n);
	out[n] = '\0';
	return 0;
}

/* "range=(0xA ~ 0xB)" of the isolate events. */
static int isolate_range(const char *line, unsigned long long *a, unsigned long long *b)
{
	const char *p = strstr(line, " range=(");

	if (!p || sscanf(p, " range=(%llx ~ %llx)", a, b) != 2)
		return za_fail("no range in \"%s\"", line);
	return 0;
}

static int alloc_phys(unsigned int order, unsigned int flags,
		      struct zonealloc_alloc *a)
{
	int ret = za_rawalloc(fd, order, flags, a);

	if (ret)
		return za_fail("ALLOC order %u flags %#x: %s", order, flags,
			       za_errname(ret));
	if (!(flags & ZONEALLOC_GFP_MOVABLE) && !a->phys_addr)
		return za_fail("no physical address for root");
	return 0;
}

static unsigned long long pfn_of(const struct zonealloc_alloc *a)
{
	return a->phys_addr >> 12;
}

/* Fill the pool with order-0 pages of @flags, as far as it goes. */
static int fill(unsigned int flags)
{
	nr_handles = 0;
	while (nr_handles + ZONEALLOC_BULK_MAX <= MAX_HANDLES) {
		struct zonealloc_bulk b = {
			.count = ZONEALLOC_BULK_MAX, .flags = flags,
			.handles = (uintptr_t)(handles + nr_handles),
		};
		int ret = za_ioc(fd, ZONEALLOC_IOC_ALLOC_BULK, &b);

		if (ret == -ENOMEM)
			break;
		if (ret)
			return za_fail("ALLOC_BULK: %s", za_errname(ret));
		nr_handles += b.count;
	}
	return nr_handles ? 0 : za_fail("nothing allocated");
}

/* Free every handle but one in @keep (in place, in bulk); keep the rest. */
static int thin(unsigned int keep)
{
	unsigned int i, n = 0, kept = 0;
	__u64 batch[1024];

	for (i = 0; i < nr_handles; i++) {
		if (i % keep == 0) {
			handles[kept++] = handles[i];
			continue;
		}
		batch[n++] = handles[i];
		if (n == 1024 || i + 1 == nr_handles) {
			struct zonealloc_bulk b = {
				.count = n, .handles = (uintptr_t)batch,
			};
			int ret = za_ioc(fd, ZONEALLOC_IOC_FREE_BULK, &b);

			if (ret)
				return za_fail("FREE_BULK: %s", za_errname(ret));
			n = 0;
		}
	}
	nr_handles = kept;
	return za_rawdrain(fd, -1);
}

/* A fresh file: what the previous case held goes back. */
static int reopen(void)
{
	if (fd >= 0)
		close(fd);
	nr_handles = 0;
	fd = za_devopen();
	return fd < 0 ? za_fail("open: %s", za_errname(errno)) : 0;
}

static int t_formats(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(events); i++) {
		char path[256], names[256], want[80], *f, *save, *fmt;

		snprintf(path, sizeof(path), TRACING "/events/zonealloc/%s/format",
			 events[i].name);
		fmt = read_all(path);
		if (!fmt)
			return -1;
		snprintf(names, sizeof(names), "%s", events[i].fields);
		for (f = strtok_r(names, " ", &save); f; f = strtok_r(NULL, " ", &save)) {
			snprintf(want, sizeof(want), " %s;", f);
			if (!strstr(fmt, want)) {
				free(fmt);
				return za_fail("%s: no field %s", events[i].name, f);
			}
		}
		free(fmt);
	}
	return 0;
}

/* An allocation and its free: the kmem events and the file's own. */
static int t_alloc_free(void)
{
	const char *pos = NULL, *l;
	struct zonealloc_alloc a;
	char line[512], s[128], *buf;
	long long v;

	if (reopen() ||
	    RECORD("za_mm_page_alloc", "za_mm_page_free", "za_file_alloc", "za_file_free") ||
	    alloc_phys(2, 0, &a))
		return -1;
	if (za_rawfree(fd, a.handle))
		return za_fail("FREE failed");
	buf = stop();
	if (!buf)
		return -1;
	while ((l = next_ev(buf, "za_mm_page_alloc", true, &pos, line, sizeof(line))))
		if (!field(l, "pfn", &v) && (unsigned long long)v == pfn_of(&a))
			break;
	if (!l)
		return za_fail("no za_mm_page_alloc with pfn %#llx", pfn_of(&a));
	if (field(l, "order", &v) || v != 2 || field(l, "migratetype", &v) ||
	    v != a.migratetype || field_str(l, "gfp_flags", s, sizeof(s)) ||
	    strcmp(s, "ZONEALLOC_GFP_NOWARN") || field_str(l, "zone", s, sizeof(s)) ||
	    a.zone >= 5 || strcmp(s, zone_names[a.zone]))
		return za_fail("za_mm_page_alloc: \"%s\" (zone %u)", l, a.zone);

	pos = NULL;
	while ((l = next_ev(buf, "za_file_alloc", true, &pos, line, sizeof(line))))
		if (!field(l, "handle", &v) && (__u64)v == a.handle)
			break;
	if (!l || field(l, "pfn", &v) || (unsigned long long)v != pfn_of(&a) ||
	    field(l, "nr_pages", &v) || v != 4 ||
	    field_str(l, "gfp_flags", s, sizeof(s)) || strcmp(s, "none"))
		return za_fail("za_file_alloc of handle %#llx: \"%s\"",
			       (unsigned long long)a.handle, l ? l : "none");

	pos = NULL;
	while ((l = next_ev(buf, "za_mm_page_free", true, &pos, line, sizeof(line))))
		if (!field(l, "pfn", &v) && (unsigned long long)v == pfn_of(&a))
			break;
	if (!l || field(l, "order", &v) || v != 2)
		return za_fail("za_mm_page_free of pfn %#llx: \"%s\"", pfn_of(&a),
			       l ? l : "none");

	pos = NULL;
	while ((l = next_ev(buf, "za_file_free", true, &pos, line, sizeof(line))))
		if (!field(l, "handle", &v) && (__u64)v == a.handle)
			break;
	if (!l || field(l, "pfn", &v) || (unsigned long long)v != pfn_of(&a))
		return za_fail("za_file_free of handle %#llx: \"%s\"",
			       (unsigned long long)a.handle, l ? l : "none");
	free(buf);
	return 0;
}

/* Under the zone lock: an order-4 block exactly, an order-0 by a refill. */
static int t_zone_locked(void)
{
	struct zonealloc_alloc big, small;
	const char *pos = NULL, *l;
	char line[512], *buf;
	long long v, o;
	bool found = false;

	if (reopen() || za_rawdrain(fd, -1) ||
	    RECORD("za_mm_page_alloc_zone_locked") || alloc_phys(4, 0, &big) ||
	    alloc_phys(0, 0, &small))
		return -1;
	buf = stop();
	if (!buf)
		return -1;
	while ((l = next_ev(buf, "za_mm_page_alloc_zone_locked", true, &pos, line,
			    sizeof(line))))
		if (!field(l, "pfn", &v) && (unsigned long long)v == pfn_of(&big))
			break;
	if (!l || field(l, "order", &v) || v != 4 || field(l, "percpu_refill", &v) ||
	    v != 0 || field(l, "migratetype", &v) || v != big.migratetype)
		return za_fail("order 4 at pfn %#llx: \"%s\"", pfn_of(&big),
			       l ? l : "none");
	/* The drained per-CPU list refilled with a block holding the page. */
	pos = NULL;
	while (!found && (l = next_ev(buf, "za_mm_page_alloc_zone_locked", true,
				      &pos, line, sizeof(line)))) {
		if (field(l, "pfn", &v) || field(l, "order", &o))
			return -1;
		found = pfn_of(&small) >= (unsigned long long)v &&
			pfn_of(&small) < (unsigned long long)v + (1ULL << o) &&
			strstr(l, " percpu_refill=1");
	}
	free(buf);
	return found ? 0 : za_fail("no refill holding pfn %#llx", pfn_of(&small));
}

/* Pages freed to this CPU's list reach the buddy lists by a drain. */
static int t_pcpu_drain(void)
{
	struct zonealloc_alloc a[8];
	char line[512], *buf;
	const char *pos, *l;
	unsigned int i;
	long long v;

	if (reopen() || za_rawdrain(fd, -1))
		return -1;
	for (i = 0; i < 8; i++)
		if (alloc_phys(0, 0, &a[i]))
			return -1;
	for (i = 0; i < 8; i++)
		if (za_rawfree(fd, a[i].handle))
			return za_fail("FREE failed");
	if (RECORD("za_mm_page_pcpu_drain") || za_rawdrain(fd, -1))
		return -1;
	buf = stop();
	if (!buf)
		return -1;
	for (i = 0; i < 8; i++) {
		pos = NULL;
		while ((l = next_ev(buf, "za_mm_page_pcpu_drain", true, &pos, line,
				    sizeof(line))))
			if (!field(l, "pfn", &v) && (unsigned long long)v == pfn_of(&a[i]))
				break;
		if (!l || field(l, "order", &v) || v != 0) {
			free(buf);
			return za_fail("no drain of pfn %#llx", pfn_of(&a[i]));
		}
	}
	free(buf);
	return 0;
}

/* Reclaimable order-4 blocks until one comes from another type's list. */
static int t_extfrag(void)
{
	char line[512], *buf = NULL;
	struct zonealloc_alloc a;
	unsigned long long pfns[4096];
	const char *pos, *l = NULL;
	unsigned int n = 0, i;
	long long v, fo, frag;

	if (reopen() || RECORD("za_mm_page_alloc_extfrag"))
		return -1;
	while (!l && n < 4096) {
		if (za_rawalloc(fd, 4, ZONEALLOC_GFP_RECLAIMABLE, &a))
			break;
		pfns[n++] = pfn_of(&a);
		if (n % 16)
			continue;
		free(buf);
		buf = read_all(INST "/trace");
		if (!buf)
			return -1;
		pos = NULL;
		while ((l = next_ev(buf, "za_mm_page_alloc_extfrag", true, &pos, line,
				    sizeof(line)))) {
			if (field(l, "pfn", &v))
				return -1;
			for (i = 0; i < n && pfns[i] != (unsigned long long)v; i++)
				;
			if (i < n)
				break;
		}
	}
	stop();
	free(buf);
	if (!l)
		return za_fail("no fallback in %u order-4 reclaimable allocations", n);
	if (field(l, "alloc_order", &v) || v != 4 ||
	    field(l, "alloc_migratetype", &v) || v != ZONEALLOC_MIGRATE_RECLAIMABLE ||
	    field(l, "fallback_migratetype", &v) || v == ZONEALLOC_MIGRATE_RECLAIMABLE ||
	    field(l, "fallback_order", &fo) || fo < 4 || fo > ZONEALLOC_MAX_ORDER ||
	    field(l, "pageblock_order", &v) || v != 9 ||
	    field(l, "fragmenting", &frag) || frag != (fo < 9 ? 1 : 0) ||
	    field(l, "change_ownership", &v) || (v != 0 && v != 1))
		return za_fail("\"%s\"", l);
	return 0;
}

/*
 * Unmovable pages, every other one freed: no order-9 block, nothing to
 * move. Compaction for order 9 fails, the zone is deferred, and the next
 * request is skipped while it is.
 */
static int t_deferral(void)
{
	static const char * const evs[] = {
		"za_mm_compaction_suitable", "za_mm_compaction_defer_compaction",
		"za_mm_compaction_deferred", "za_mm_compaction_begin",
		"za_mm_compaction_end", "za_mm_compaction_finished",
		"za_mm_compaction_wakeup_kcompactd", NULL,
	};
	bool deferred = false, defer = false;
	const char *pos, *l;
	struct zonealloc_alloc a;
	char line[512], s[64], *buf = NULL;
	long long v, c, lim;
	int i;

	if (reopen() || fill(0) || thin(2) || record(evs))
		return -1;
	/* At most 1 << 6 requests are skipped once deferred. */
	for (i = 0; i < 200 && !(deferred && defer); i++) {
		if (za_rawalloc(fd, 9, ZONEALLOC_GFP_NOWARN, &a) != -ENOMEM)
			return za_fail("order 9 did not fail");
		free(buf);
		buf = read_all(INST "/trace");
		if (!buf)
			return -1;
		pos = NULL;
		while ((l = next_ev(buf, "za_mm_compaction_defer_compaction", true, &pos,
				    line, sizeof(line)))) {
			if (field(l, "order", &v) || v != 9 || field(l, "consider", &c) ||
			    c != 0 || field(l, "order_failed", &v) || v > 9)
				return za_fail("\"%s\"", l);
			defer = true;
		}
		pos = NULL;
		while ((l = next_ev(buf, "za_mm_compaction_deferred", true, &pos,
				    line, sizeof(line)))) {
			if (field(l, "order", &v) || v != 9 || field(l, "consider", &c) ||
			    field(l, "limit", &lim) || c >= lim || lim > 64)
				return za_fail("\"%s\"", l);
			deferred = true;
		}
	}
	stop();
	if (!defer || !deferred) {
		free(buf);
		return za_fail("%d requests: defer_compaction %d, deferred %d", i,
			       defer, deferred);
	}
	/*
	 * Some zone is worth compacting for order 9. As 6.12, the kcompactd
	 * wakeup asks every zone from DMA up first (kcompactd_node_suitable()),
	 * so the first line may be another zone's "skipped".
	 */
	pos = NULL;
	while ((l = next_ev(buf, "za_mm_compaction_suitable", true, &pos, line,
			    sizeof(line)))) {
		if (field(l, "order", &v) || v != 9 ||
		    field_str(l, "ret", s, sizeof(s)))
			return za_fail("suitable: \"%s\"", l);
		if (!strcmp(s, "continue"))
			break;
	}
	if (!l)
		return za_fail("suitable: no order-9 \"continue\"");
	/* Nothing can move: no compaction of this process succeeds. */
	pos = NULL;
	for (i = 0; (l = next_ev(buf, "za_mm_compaction_end", true, &pos, line,
				 sizeof(line))); i++)
		if (field_str(l, "status", s, sizeof(s)) || !strcmp(s, "success") ||
		    !strcmp(s, "continue"))
			return za_fail("end: \"%s\"", l);
	if (!i)
		return za_fail("no compaction end");
	pos = NULL;
	l = next_ev(buf, "za_mm_compaction_wakeup_kcompactd", true, &pos, line,
		    sizeof(line));
	if (!l || field(l, "order", &v) || v != 9)
		return za_fail("wakeup_kcompactd: \"%s\"", l ? l : "none");
	pos = NULL;
	if (!next_ev(buf, "za_mm_compaction_begin", true, &pos, line, sizeof(line)) ||
	    !next_ev(buf, "za_mm_compaction_finished", true, &pos, line, sizeof(line)))
		return za_fail("no begin or finished");
	free(buf);
	return 0;
}

/*
 * Movable pages, three of four freed: an order-9 request compacts
 * directly, then a full compaction of every zone. Each move the owner made
 * is a za_move line, and the migratepages lines add up to them. The
 * owner moved them in batches of up to COMPACT_CLUSTER_MAX (32) blocks,
 * each with at most one unmap pass: its za_move_batch lines count the
 * same blocks, in fewer lines than blocks.
 */
static int t_compaction(void)
{
	static const char * const evs[] = {
		"za_mm_compaction_begin", "za_mm_compaction_end",
		"za_mm_compaction_isolate_migratepages",
		"za_mm_compaction_isolate_freepages", "za_mm_compaction_migratepages",
		"za_move", "za_move_batch", "za_mm_compaction_defer_reset",
		"za_mm_compaction_kcompactd_wake", "za_mm_compaction_kcompactd_sleep",
		"za_mm_compaction_finished", "za_mm_compaction_wakeup_kcompactd", NULL,
	};
	struct zonealloc_compact c = {
		.zone = ZONEALLOC_ZONE_ALL, .order = -1, .mode = ZONEALLOC_COMPACT_SYNC,
	};
	long long v, w, migrated = 0, moved = 0, begins = 0, ends = 0;
	long long blocks = 0, batched = 0, batches = 0;
	unsigned long long a0, a1;
	char line[512], *buf;
	struct zonealloc_alloc a;
	const char *pos, *l;
	bool woken = false;
	int ret, i;

	if (reopen() || fill(ZONEALLOC_GFP_MOVABLE) || thin(4) || record(evs))
		return -1;
	/* The zone may still be deferred for order 9: at most 64 skips. */
	for (i = 0; i < 100; i++) {
		ret = za_rawalloc(fd, 9, ZONEALLOC_GFP_MOVABLE | ZONEALLOC_GFP_NOWARN, &a);
		if (ret != -ENOMEM)
			break;
	}
	if (ret)
		return za_fail("order 9 after thinning: %s", za_errname(ret));
	ret = za_ioc(fd, ZONEALLOC_IOC_COMPACT, &c);
	if (ret && ret != -EAGAIN)
		return za_fail("COMPACT: %s", za_errname(ret));
	/*
	 * kcompactd, woken by the order-9 request if it took the slow path,
	 * runs on its own: wait for its lines (it also wakes every 500 ms,
	 * and logs each sleep).
	 */
	for (i = 0; i < 300; i++) {
		buf = read_all(INST "/trace");
		if (!buf)
			return -1;
		pos = NULL;
		woken = next_ev(buf, "za_mm_compaction_wakeup_kcompactd", true, &pos,
				line, sizeof(line)) != NULL;
		pos = NULL;
		l = next_ev(buf, "za_mm_compaction_kcompactd_wake", false, &pos, line,
			    sizeof(line));
		if (!woken || (l && next_ev(buf, "za_mm_compaction_kcompactd_sleep",
					    false, &pos, line, sizeof(line))))
			break;
		free(buf);
		buf = NULL;
		usleep(10000);
	}
	free(buf);
	buf = stop();
	if (!buf)
		return -1;
	for (pos = NULL; (l = next_ev(buf, "za_move", true, &pos, line, sizeof(line)));) {
		long long r, o;

		if (field(l, "ret", &r) || field(l, "src_pfn", &w) || field(l, "dst_pfn", &v) ||
		    field(l, "order", &o))
			return -1;
		if (r)
			continue;
		/* The free scanner stays above the migrate scanner. */
		if (v <= w)
			return za_fail("moved down: \"%s\"", l);
		moved += 1LL << o;
		blocks++;
	}
	for (pos = NULL; (l = next_ev(buf, "za_move_batch", true, &pos, line,
				      sizeof(line)));) {
		long long n, m, u;

		if (field(l, "nr", &n) || field(l, "moved", &m) || field(l, "unmaps", &u))
			return -1;
		if (n < 1 || n > 32 || m > n || u > 1 || (m && u != 1))
			return za_fail("\"%s\"", l);
		batched += m;
		batches++;
	}
	if (batched != blocks || batches >= blocks)
		return za_fail("%lld blocks moved in %lld batches (za_move_batch: %lld)",
			       blocks, batches, batched);
	for (pos = NULL; (l = next_ev(buf, "za_mm_compaction_migratepages", true, &pos,
				      line, sizeof(line)));) {
		if (field(l, "nr_migrated", &v))
			return -1;
		migrated += v;
	}
	if (!moved || migrated != moved)
		return za_fail("%lld pages moved, migratepages says %lld", moved, migrated);
	for (pos = NULL; (l = next_ev(buf, "za_mm_compaction_isolate_migratepages", true,
				      &pos, line, sizeof(line)));)
		if (isolate_range(l, &a0, &a1) || a1 < a0 || field(l, "nr_scanned", &v) ||
		    field(l, "nr_taken", &w) || w > v || (unsigned long long)v != a1 - a0)
			return za_fail("\"%s\"", l);
	for (pos = NULL; (l = next_ev(buf, "za_mm_compaction_isolate_freepages", true,
				      &pos, line, sizeof(line)));)
		if (isolate_range(l, &a0, &a1) || a1 <= a0 || a0 % PB_PAGES ||
		    a1 - a0 > PB_PAGES || field(l, "nr_taken", &w) || w > PB_PAGES)
			return za_fail("\"%s\"", l);
	for (pos = NULL; (l = next_ev(buf, "za_mm_compaction_begin", true, &pos, line,
				      sizeof(line)));) {
		if (field(l, "zone_start", &v) || field(l, "zone_end", &w) || v >= w)
			return za_fail("\"%s\"", l);
		begins++;
	}
	for (pos = NULL; (l = next_ev(buf, "za_mm_compaction_end", true, &pos, line,
				      sizeof(line)));)
		ends++;
	if (!begins || begins != ends)
		return za_fail("%lld begins, %lld ends", begins, ends);
	/*
	 * When this process's direct compaction formed the block (kcompactd
	 * may have been first), it reset the deferral: the zone no longer
	 * fails at order 9.
	 */
	pos = NULL;
	while ((l = next_ev(buf, "za_mm_compaction_finished", true, &pos, line,
			    sizeof(line))))
		if (strstr(l, " order=9 ret=success"))
			break;
	if (l) {
		pos = NULL;
		l = next_ev(buf, "za_mm_compaction_defer_reset", true, &pos, line,
			    sizeof(line));
		if (!l || field(l, "order", &v) || v != 9 ||
		    field(l, "order_failed", &w) || w <= 9)
			return za_fail("defer_reset: \"%s\"", l ? l : "none");
	}
	pos = NULL;
	l = next_ev(buf, "za_mm_compaction_kcompactd_wake", false, &pos, line,
		    sizeof(line));
	if (woken && (!l || field(l, "order", &v) || v < 1 || v > ZONEALLOC_MAX_ORDER ||
		      !next_ev(buf, "za_mm_compaction_kcompactd_sleep", false, &pos,
			       line, sizeof(line))))
		return za_fail("kcompactd woken: no wake then sleep");
	free(buf);
	return 0;
}

/* One pageblocks line; false if it does not parse. */
static bool pb_line(const char *l, unsigned long long *pfn, unsigned long *n)
{
	char zone[16], mt[16];
	int skip, end = 0;

	if (sscanf(l, "%llx %15s %15s %lu %lu %lu %lu %d%n", pfn, zone, mt, &n[0],
		   &n[1], &n[2], &n[3], &skip, &end) != 8 || l[end] != '\0' ||
	    (skip != 0 && skip != 1))
		return false;
	return strstr(" DMA DMA32 Normal HighMem Movable ", zone) &&
	       strstr(" Unmovable Movable Reclaimable HighAtomic Isolate ", mt) &&
	       n[0] + n[1] + n[2] + n[3] <= PB_PAGES;
}

/*
 * Every pageblock once, in pfn order; the columns add up to the pool and
 * to what this file holds: an unmovable order-4 block in its pageblock's
 * line, and a movable order-3 block.
 */
static int pb_check(const struct zonealloc_alloc *a)
{
	unsigned long long pfn, last = 0, lines = 0, sum[4] = { 0 };
	__u64 avail, pool;
	bool seen = false;
	char *buf, *l, *save;
	unsigned long n[4];
	int i;

	if (za_settled_once(fd, &avail, &pool))
		return za_fail("INFO failed");
	buf = read_all(PAGEBLOCKS);
	if (!buf)
		return -1;
	l = strtok_r(buf, "\n", &save);
	if (!l || strcmp(l, "# pfn zone migratetype free movable unmovable reclaimable skip"))
		return za_fail("header \"%s\"", l ? l : "");
	while ((l = strtok_r(NULL, "\n", &save))) {
		if (!pb_line(l, &pfn, n) || pfn % PB_PAGES || (lines && pfn <= last))
			return za_fail("line \"%s\"", l);
		for (i = 0; i < 4; i++)
			sum[i] += n[i];
		if (pfn_of(a) >= pfn && pfn_of(a) < pfn + PB_PAGES)
			seen = n[2] >= 16;
		last = pfn;
		lines++;
	}
	free(buf);
	if (lines * PB_PAGES != pool)
		return za_fail("%llu lines for %llu pages", lines, (unsigned long long)pool);
	if (!seen)
		return za_fail("pageblock of pfn %#llx: fewer than 16 unmovable", pfn_of(a));
	if (sum[0] != avail || sum[1] != 8 || sum[2] != 16 || sum[3] != 0)
		return za_fail("free %llu (avail %llu) movable %llu unmov %llu reclaimable %llu",
			       sum[0], (unsigned long long)avail, sum[1], sum[2], sum[3]);
	return 0;
}

static struct zonealloc_alloc pb_unmovable;

static int pb_check_once(void)
{
	return pb_check(&pb_unmovable);
}

static int t_pageblocks(void)
{
	struct zonealloc_alloc m;

	if (reopen() || alloc_phys(4, 0, &pb_unmovable) ||
	    alloc_phys(3, ZONEALLOC_GFP_MOVABLE, &m))
		return -1;
	/* kcompactd may hold pages of the count between two reads. */
	return za_retry(pb_check_once);
}

static int setup(void)
{
	struct stat st;

	if (stat(TRACING "/instances", &st) &&
	    mount("nodev", TRACING, "tracefs", 0, NULL))
		return za_fail("mount tracefs: %s", za_errname(errno));
	if (stat(TRACING "/events/zonealloc", &st))
		return za_fail("no " TRACING "/events/zonealloc");
	rmdir(INST);
	if (mkdir(INST, 0700))
		return za_fail("mkdir " INST ": %s", za_errname(errno));
	if (write_file(INST "/buffer_size_kb", "8192"))
		return za_fail("buffer_size_kb: %s", za_errname(errno));
	snprintf(pidtag, sizeof(pidtag), "-%d ", getpid());
	return 0;
}

int main(void)
{
	za_run("trace-setup", setup);
	if (za_failed)
		return za_summary("za_trace_test");
	za_run("trace-formats", t_formats);
	za_run("trace-alloc-free", t_alloc_free);
	za_run("trace-zone-locked", t_zone_locked);
	za_run("trace-pcpu-drain", t_pcpu_drain);
	za_run("trace-extfrag", t_extfrag);
	za_run("trace-deferral", t_deferral);
	za_run("trace-compaction", t_compaction);
	za_run("debugfs-pageblocks", t_pageblocks);
	if (fd >= 0)
		close(fd);
	rmdir(INST);
	return za_summary("za_trace_test");
}
