// SPDX-License-Identifier: GPL-2.0
/*
 * zactl: command-line driver for /dev/zonealloc. See usage() or
 * `zactl --help`.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <string.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "lib/libzonealloc.h"

enum {
	EXIT_OK = 0,
	EXIT_FAILED = 1,	/* an operation failed */
	EXIT_USAGE = 2,		/* bad command line */
	EXIT_NODEV = 3,		/* no /dev/zonealloc (module not loaded) */
	EXIT_PERM = 4,		/* no permission to open it */
	EXIT_VERIFY = 5,	/* mapped content was wrong */
};

#define MAX_HELD 65536

/* JSON output, one object per line. */
#define JSON_ERROR "{\"command\":\"%s\",\"ok\":false,\"operation\":\"%s\",\"error\":\"%s\",\"errno\":%d,\"message\":\"%s\"}\n"
#define JSON_VERIFY_FAILED "{\"command\":\"%s\",\"ok\":false,\"operation\":\"verify\",\"handle\":%llu}\n"
#define JSON_INFO_POOL "{\"command\":\"info\",\"ok\":true,\"page_size\":%u,\"max_order\":%u,\"nr_zones\":%u,\"pool_pages\":%llu,\"free_pages\":%llu,\"pcp_pages\":%llu,\"file_pages\":%llu,\"file_allocations\":%llu,\"quota_pages\":%llu,\"user_pages\":%llu,\"zones\":["
#define JSON_INFO_ZONE "%s{\"zone\":%u,\"name\":\"%s\",\"managed_pages\":%llu,\"free_pages\":%llu,\"pcp_pages\":%llu,\"watermark_min\":%llu,\"watermark_low\":%llu,\"watermark_high\":%llu,\"nr_free\":["
#define JSON_ALLOC_CONTIG "{\"command\":\"alloc\",\"ok\":true,\"handle\":%llu,\"contig_pages\":%lu,\"flags\":\"%s\",\"phys_addr\":%llu,\"zone\":\"%s\"}\n"
#define JSON_ALLOC_BULK "{\"command\":\"alloc\",\"ok\":true,\"bulk\":true,\"count\":%u,\"flags\":\"%s\"}\n"
#define JSON_ALLOC "{\"command\":\"alloc\",\"ok\":true,\"handle\":%llu,\"order\":%lu,\"flags\":\"%s\",\"phys_addr\":%llu,\"zone\":\"%s\",\"migratetype\":\"%s\"}\n"
#define JSON_STRESS_FAILED "{\"command\":\"stress\",\"ok\":false,\"operation\":\"accounting\"}\n"
#define JSON_STRESS "{\"command\":\"stress\",\"ok\":true,\"seed\":%lu,\"ops\":%lu,\"allocs\":%lu,\"frees\":%lu,\"maps\":%lu,\"enomem\":%lu,\"bytes_verified\":%zu}\n"
#define JSON_OPEN_FAILED "{\"command\":\"open\",\"ok\":false,\"error\":\"%s\",\"errno\":%d}\n"
#define TEXT_STRESS "stress: seed %lu, %lu ops: %lu allocs, %lu frees, %lu map checks, %lu ENOMEM/EDQUOT, %zu bytes verified; pool figures back\n"
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

struct held {
	__u64 handle;
	unsigned long pages;
	int verified;		/* content written and checked */
};

static struct zal_dev dev = { .fd = -1 };
static struct held held[MAX_HELD];
static unsigned int nheld;
static int json;
static int dry_run;	/* parse the command line only */
static const char *prog = "zactl";

static const char help_text[] =
	"usage: %s [-d DEVICE] [--json] COMMAND [OPTIONS] [+ COMMAND [OPTIONS]]...\n"
	"\n"
	"Drive /dev/zonealloc. Allocations belong to the open file that made them\n"
	"and are freed when it is closed, so each invocation opens the device once\n"
	"and runs a sequence of commands, separated by a lone '+', on that file:\n"
	"\n"
	"  %s alloc --order 3 --count 4 --map --free\n"
	"  %s alloc -o 2 -c 8 -f movable,dma32 + info + map + free + info\n"
	"\n"
	"A later invocation cannot free or map an earlier one's handles.\n"
	"\n"
	"commands:\n"
	"  info                 pool and per-zone figures, this file's and this user's pages\n"
	"  alloc [-o ORDER] [-c COUNT] [-f FLAGS] [--bulk | --contig PAGES]\n"
	"        [--node N] [--map] [--free] [--hold SECONDS]\n"
	"                       allocate COUNT (1) blocks of 2^ORDER (0) pages;\n"
	"                       --node: prefer NUMA node N (default: this CPU's;\n"
	"                       flag thisnode: N only);\n"
	"                       --bulk: COUNT order-0 pages with ALLOC_BULK;\n"
	"                       --contig: COUNT ranges of exactly PAGES pages;\n"
	"                       --map: map each, check it reads zero, write and\n"
	"                       verify a pattern; --hold: keep them SECONDS;\n"
	"                       --free: free them again\n"
	"  map [-H HANDLE]      map, check and write every held allocation (or one)\n"
	"  free [-H HANDLE] [--bulk]\n"
	"                       free every held allocation (or one); --bulk: with\n"
	"                       one FREE_BULK call\n"
	"  export [-H HANDLE] [-m wc|uncached] [--check]\n"
	"                       export every held allocation (or one) as a\n"
	"                       dma-buf, kept open until zactl exits (so it\n"
	"                       outlives a later free); --check: map the dma-buf\n"
	"                       and check it reads what the allocation holds\n"
	"  sync [-H HANDLE] [--end] [--read|--write]\n"
	"                       sync every held allocation (or one) for the CPU\n"
	"                       (or, --end, for devices); the CPU reads and\n"
	"                       writes unless --read or --write\n"
	"  hold SECONDS         sleep, holding everything\n"
	"  compact [-z ZONE|all] [-o ORDER|-1] [-m async|sync-light|sync]\n"
	"                       compact; EAGAIN: no block of ORDER formed\n"
	"  drain [-C CPU|-1]    drain per-CPU lists back to the free lists\n"
	"  stress [-n OPS] [-s SEED] [-O MAX_ORDER] [-f FLAGS]\n"
	"                       OPS (10000) random alloc/free/map steps, each\n"
	"                       mapping checked, then everything freed and the\n"
	"                       pool's figures checked\n"
	"\n"
	"FLAGS: comma-separated ZONEALLOC_GFP_* names, any case: dma, highmem,\n"
	"dma32, movable, reclaimable, high, atomic, zero, noretry, retry_mayfail,\n"
	"nofail, nowarn, and the cache modes wc and uncached (or a number). ZONE: dma, dma32, normal, highmem, movable,\n"
	"all or 0..4.\n"
	"\n"
	"options:\n"
	"  -d, --device PATH    device node (default %s)\n"
	"  -j, --json           one JSON object per command, one per line\n"
	"  -h, --help           this text\n"
	"\n"
	"exit status:\n"
	"  0  success\n"
	"  1  an operation failed (the kernel returned an error)\n"
	"  2  usage error\n"
	"  3  device missing (is the module loaded?)\n"
	"  4  permission denied opening the device\n"
	"  5  mapped memory did not read back as written (or fresh pages not zero)\n";

static void print_help(FILE *f)
{
	fprintf(f, help_text, prog, prog, prog, ZAL_DEFAULT_PATH);
}

static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n(try %s --help)\n", prog);
	return EXIT_USAGE;
}

static const char *errname(int err)
{
	const char *s = strerrorname_np(err < 0 ? -err : err);

	return s ? s : "E?";
}

/* Report a failed operation; returns EXIT_FAILED. */
static int op_failed(const char *cmd, const char *what, int err)
{
	if (json)
		printf(JSON_ERROR, cmd, what, errname(err), -err,
		       strerror(-err));
	else
		fprintf(stderr, "%s: %s: %s: %s (%s)\n", prog, cmd, what,
			strerror(-err), errname(err));
	return EXIT_FAILED;
}

static int parse_ulong(const char *s, unsigned long max, unsigned long *v)
{
	char *end;

	errno = 0;
	*v = strtoul(s, &end, 0);
	if (errno || !*s || *end || *v > max || *s == '-')
		return -1;
	return 0;
}

static int parse_long(const char *s, long min, long max, long *v)
{
	char *end;

	errno = 0;
	*v = strtol(s, &end, 0);
	if (errno || !*s || *end || *v < min || *v > max)
		return -1;
	return 0;
}

/* ------------------------------------------------------------- mapping */

static unsigned char pattern(__u64 handle, size_t i)
{
	return (unsigned char)(handle * 131 + i * 7 + (i >> 12));
}

/*
 * Map one held allocation, check that never-written pages read zero,
 * write a pattern, verify it through a second mapping. Returns 0, -errno
 * from mmap, or 1 on a content mismatch.
 */
static int map_check(struct held *h, size_t *bytes)
{
	size_t len = dev.page_size * h->pages, i;
	unsigned char *p, *q;
	int ret;

	ret = zal_map(&dev, h->handle, len, PROT_READ | PROT_WRITE, (void **)&p);
	if (ret)
		return ret;
	ret = 0;
	for (i = 0; i < len; i++) {
		unsigned char want = h->verified ? pattern(h->handle, i) : 0;

		if (p[i] != want) {
			fprintf(stderr, "%s: handle %llu byte %zu: %#x, expected %#x\n",
				prog, (unsigned long long)h->handle, i, p[i],
				want);
			ret = 1;
			break;
		}
	}
	for (i = 0; !ret && i < len; i++)
		p[i] = pattern(h->handle, i);
	zal_unmap(p, len);
	if (ret)
		return ret;
	ret = zal_map(&dev, h->handle, len, PROT_READ, (void **)&q);
	if (ret)
		return ret;
	for (i = 0; i < len; i++)
		if (q[i] != pattern(h->handle, i)) {
			ret = 1;
			break;
		}
	zal_unmap(q, len);
	h->verified = 1;
	*bytes += len;
	return ret;
}

static int map_held(const char *cmd, int only, __u64 handle)
{
	size_t bytes = 0;
	unsigned int i, n = 0;
	int ret;

	for (i = 0; i < nheld; i++) {
		if (only && held[i].handle != handle)
			continue;
		ret = map_check(&held[i], &bytes);
		if (ret < 0)
			return op_failed(cmd, "mmap", ret);
		if (ret > 0) {
			if (json)
				printf(JSON_VERIFY_FAILED, cmd,
				       (unsigned long long)held[i].handle);
			return EXIT_VERIFY;
		}
		n++;
	}
	if (only && !n) {
		/* Not one of ours: let the kernel say so. */
		void *p;

		ret = zal_map(&dev, handle, dev.page_size, PROT_READ, &p);
		if (!ret)
			zal_unmap(p, dev.page_size);
		return op_failed(cmd, "mmap", ret ? ret : -ENOENT);
	}
	if (json)
		printf("{\"command\":\"%s\",\"ok\":true,\"mapped\":%u,\"bytes_verified\":%zu}\n",
		       cmd, n, bytes);
	else
		printf("mapped %u allocation%s, %zu bytes written and verified\n",
		       n, n == 1 ? "" : "s", bytes);
	return EXIT_OK;
}

/* ------------------------------------------------------------ commands */

static int free_held(const char *cmd, int only, __u64 handle, int bulk)
{
	unsigned int i, n = 0, k;
	__u64 *hs;
	int ret;

	if (bulk && !only) {
		for (i = 0; i < nheld; i += k) {
			k = nheld - i < ZONEALLOC_BULK_MAX ?
				nheld - i : ZONEALLOC_BULK_MAX;
			hs = malloc(k * sizeof(*hs));
			if (!hs)
				return op_failed(cmd, "malloc", -ENOMEM);
			for (n = 0; n < k; n++)
				hs[n] = held[i + n].handle;
			ret = zal_free_bulk(&dev, hs, k);
			free(hs);
			if (ret)
				return op_failed(cmd, "FREE_BULK", ret);
		}
		n = nheld;
		nheld = 0;
	} else if (only) {
		ret = zal_free(&dev, handle);
		if (ret)
			return op_failed(cmd, "FREE", ret);
		for (i = 0; i < nheld; i++)
			if (held[i].handle == handle)
				held[i] = held[--nheld];
		n = 1;
	} else {
		while (nheld) {
			ret = zal_free(&dev, held[nheld - 1].handle);
			if (ret)
				return op_failed(cmd, "FREE", ret);
			nheld--;
			n++;
		}
	}
	if (json)
		printf("{\"command\":\"%s\",\"ok\":true,\"freed\":%u}\n", cmd, n);
	else
		printf("freed %u allocation%s\n", n, n == 1 ? "" : "s");
	return EXIT_OK;
}

static void print_info(const struct zonealloc_info *in)
{
	unsigned int z, o;

	if (json) {
		printf(JSON_INFO_POOL,
		       in->page_size, in->max_order, in->nr_zones,
		       (unsigned long long)in->pool_pages,
		       (unsigned long long)in->free_pages,
		       (unsigned long long)in->pcp_pages,
		       (unsigned long long)in->file_pages,
		       (unsigned long long)in->file_allocations,
		       (unsigned long long)in->quota_pages,
		       (unsigned long long)in->user_pages);
		for (z = 0; z < ZONEALLOC_NR_ZONES; z++) {
			const struct zonealloc_zone_info *zi = &in->zones[z];

			printf(JSON_INFO_ZONE,
			       z ? "," : "", z, zal_zone_name(z),
			       (unsigned long long)zi->managed_pages,
			       (unsigned long long)zi->free_pages,
			       (unsigned long long)zi->pcp_pages,
			       (unsigned long long)zi->watermark_min,
			       (unsigned long long)zi->watermark_low,
			       (unsigned long long)zi->watermark_high);
			for (o = 0; o <= ZONEALLOC_MAX_ORDER; o++)
				printf("%s%llu", o ? "," : "",
				       (unsigned long long)zi->nr_free[o]);
			printf("]}");
		}
		printf("]}\n");
		return;
	}
	printf("pool: %llu pages of %u bytes, %llu free, %llu on per-CPU lists\n",
	       (unsigned long long)in->pool_pages, in->page_size,
	       (unsigned long long)in->free_pages,
	       (unsigned long long)in->pcp_pages);
	printf("this file: %llu pages in %llu allocations\n",
	       (unsigned long long)in->file_pages,
	       (unsigned long long)in->file_allocations);
	printf("this user: %llu pages, quota %llu%s\n",
	       (unsigned long long)in->user_pages,
	       (unsigned long long)in->quota_pages,
	       in->quota_pages ? " pages" : " (no limit)");
	printf("%-8s %9s %9s %7s %7s %7s %7s  free blocks per order 0..%u\n",
	       "zone", "managed", "free", "pcp", "min", "low", "high",
	       in->max_order);
	for (z = 0; z < ZONEALLOC_NR_ZONES; z++) {
		const struct zonealloc_zone_info *zi = &in->zones[z];

		printf("%-8s %9llu %9llu %7llu %7llu %7llu %7llu ",
		       zal_zone_name(z), (unsigned long long)zi->managed_pages,
		       (unsigned long long)zi->free_pages,
		       (unsigned long long)zi->pcp_pages,
		       (unsigned long long)zi->watermark_min,
		       (unsigned long long)zi->watermark_low,
		       (unsigned long long)zi->watermark_high);
		for (o = 0; o <= ZONEALLOC_MAX_ORDER; o++)
			printf(" %llu", (unsigned long long)zi->nr_free[o]);
		printf("\n");
	}
}

static int cmd_info(int argc, char **argv)
{
	struct zonealloc_info in;
	int ret;

	if (argc > 1)
		return usage_error("info: unexpected argument %s", argv[1]);
	if (dry_run)
		return EXIT_OK;
	ret = zal_info(&dev, &in);
	if (ret)
		return op_failed("info", "INFO", ret);
	print_info(&in);
	return EXIT_OK;
}

static int hold(unsigned long secs)
{
	struct timespec ts = { .tv_sec = (time_t)secs };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
	return EXIT_OK;
}

/* Allocate @count ranges of @pages contiguous pages. */
static int alloc_contigs(unsigned long pages, unsigned long count,
			 unsigned int flags, int node)
{
#ifdef ZONEALLOC_IOC_ALLOC_CONTIG
	struct zonealloc_alloc_contig c;
	unsigned long n;
	char fbuf[160];
	int ret;

	for (n = 0; n < count; n++) {
		ret = zal_alloc_contig_node(&dev, pages, flags, node, &c);
		if (ret)
			return op_failed("alloc", "ALLOC_CONTIG", ret);
		held[nheld].handle = c.handle;
		held[nheld].pages = pages;
		held[nheld++].verified = 0;
		if (json)
			printf(JSON_ALLOC_CONTIG, (unsigned long long)c.handle,
			       pages, zal_format_flags(flags, fbuf, sizeof(fbuf)),
			       (unsigned long long)c.phys_addr,
			       zal_zone_name(c.zone));
		else
			printf("handle %llu: %lu contiguous pages, zone %s, phys %#llx\n",
			       (unsigned long long)c.handle, pages,
			       zal_zone_name(c.zone),
			       (unsigned long long)c.phys_addr);
	}
	return EXIT_OK;
#else
	return usage_error("alloc: built without ALLOC_CONTIG");
#endif
}

static int cmd_alloc(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "order", required_argument, NULL, 'o' },
		{ "count", required_argument, NULL, 'c' },
		{ "flags", required_argument, NULL, 'f' },
		{ "bulk", no_argument, NULL, 'b' },
		{ "map", no_argument, NULL, 'M' },
		{ "free", no_argument, NULL, 'F' },
		{ "hold", required_argument, NULL, 'w' },
		{ "contig", required_argument, NULL, 'C' },
		{ "node", required_argument, NULL, 'N' },
		{ }
	};
	unsigned long order = 0, count = 1, secs = 0, contig = 0, nodev;
	unsigned int flags = 0, i, n;
	int node = -1;
	int opt, bulk = 0, map = 0, do_free = 0, ret, rc;
	struct zonealloc_alloc a;
	char fbuf[160];

	optind = 0;
	while ((opt = getopt_long(argc, argv, "+o:c:f:", opts, NULL)) != -1) {
		switch (opt) {
		case 'o':
			if (parse_ulong(optarg, UINT32_MAX, &order))
				return usage_error("alloc: bad order %s", optarg);
			break;
		case 'c':
			if (parse_ulong(optarg, MAX_HELD, &count) || !count)
				return usage_error("alloc: bad count %s (1..%d)",
						   optarg, MAX_HELD);
			break;
		case 'f':
			if (zal_parse_flags(optarg, &flags))
				return usage_error("alloc: bad flags %s", optarg);
			break;
		case 'b':
			bulk = 1;
			break;
		case 'M':
			map = 1;
			break;
		case 'F':
			do_free = 1;
			break;
		case 'w':
			if (parse_ulong(optarg, 86400, &secs))
				return usage_error("alloc: bad --hold %s", optarg);
			break;
		case 'C':
			if (parse_ulong(optarg, UINT32_MAX, &contig) || !contig)
				return usage_error("alloc: bad --contig %s", optarg);
			break;
		case 'N':
			if (parse_ulong(optarg, 1023, &nodev))
				return usage_error("alloc: bad --node %s", optarg);
			node = (int)nodev;
			break;
		default:
			return usage_error("alloc: bad option");
		}
	}
	if (optind < argc)
		return usage_error("alloc: unexpected argument %s", argv[optind]);
	if (bulk && order)
		return usage_error("alloc: --bulk allocates order-0 pages only");
	if (contig && (bulk || order))
		return usage_error("alloc: --contig takes neither --bulk nor --order");
	if (dry_run)
		return EXIT_OK;
	if (nheld + count > MAX_HELD)
		return usage_error("alloc: at most %d allocations held", MAX_HELD);

	n = 0;
	if (contig) {
		rc = alloc_contigs(contig, count, flags, node);
		if (rc)
			return rc;
		n = count;
	} else if (bulk) {
		__u64 *hs = calloc(ZONEALLOC_BULK_MAX, sizeof(*hs));
		unsigned int k;

		if (!hs)
			return op_failed("alloc", "calloc", -ENOMEM);
		while (n < count) {
			k = count - n < ZONEALLOC_BULK_MAX ? count - n :
				ZONEALLOC_BULK_MAX;
			ret = zal_alloc_bulk_node(&dev, flags, node, hs, &k);
			if (ret) {
				free(hs);
				return op_failed("alloc", "ALLOC_BULK", ret);
			}
			for (i = 0; i < k; i++) {
				held[nheld].handle = hs[i];
				held[nheld].pages = 1;
				held[nheld++].verified = 0;
			}
			n += k;
		}
		free(hs);
		if (json)
			printf(JSON_ALLOC_BULK, n, zal_format_flags(flags, fbuf, sizeof(fbuf)));
		else
			printf("allocated %u pages with ALLOC_BULK\n", n);
	} else {
		for (n = 0; n < count; n++) {
			ret = zal_alloc_node(&dev, order, flags, node, &a);
			if (ret) {
				if (!json && n)
					printf("allocated %u before the failure\n", n);
				return op_failed("alloc", "ALLOC", ret);
			}
			held[nheld].handle = a.handle;
			held[nheld].pages = 1ul << order;
			held[nheld++].verified = 0;
			if (json)
				printf(JSON_ALLOC, (unsigned long long)a.handle, order,
				       zal_format_flags(flags, fbuf, sizeof(fbuf)),
				       (unsigned long long)a.phys_addr,
				       zal_zone_name(a.zone),
				       zal_migratetype_name(a.migratetype));
			else
				printf("handle %llu: order %lu, zone %s, %s, phys %#llx\n",
				       (unsigned long long)a.handle, order,
				       zal_zone_name(a.zone),
				       zal_migratetype_name(a.migratetype),
				       (unsigned long long)a.phys_addr);
		}
	}
	if (map) {
		rc = map_held("alloc", 0, 0);
		if (rc)
			return rc;
	}
	if (secs)
		hold(secs);
	if (do_free)
		return free_held("alloc", 0, 0, bulk);
	return EXIT_OK;
}

static int handle_opt(const char *cmd, int argc, char **argv, int *only,
		      __u64 *handle, int *bulk)
{
	static const struct option opts[] = {
		{ "handle", required_argument, NULL, 'H' },
		{ "bulk", no_argument, NULL, 'b' },
		{ }
	};
	unsigned long v;
	int opt;

	optind = 0;
	*only = 0;
	while ((opt = getopt_long(argc, argv, "+H:", opts, NULL)) != -1) {
		switch (opt) {
		case 'H':
			if (parse_ulong(optarg, ULONG_MAX, &v))
				return usage_error("%s: bad handle %s", cmd, optarg);
			*handle = v;
			*only = 1;
			break;
		case 'b':
			if (!bulk)
				return usage_error("%s: no --bulk here", cmd);
			*bulk = 1;
			break;
		default:
			return usage_error("%s: bad option", cmd);
		}
	}
	if (optind < argc)
		return usage_error("%s: unexpected argument %s", cmd,
				   argv[optind]);
	return 0;
}

static int cmd_free(int argc, char **argv)
{
	int only, bulk = 0, ret;
	__u64 h = 0;

	ret = handle_opt("free", argc, argv, &only, &h, &bulk);
	if (ret || dry_run)
		return ret;
	return free_held("free", only, h, bulk);
}

static int cmd_map(int argc, char **argv)
{
	int only, ret;
	__u64 h = 0;

	ret = handle_opt("map", argc, argv, &only, &h, NULL);
	if (ret || dry_run)
		return ret;
	return map_held("map", only, h);
}

static int cmd_hold(int argc, char **argv)
{
	unsigned long secs;

	if (argc != 2 || parse_ulong(argv[1], 86400, &secs))
		return usage_error("hold: expected SECONDS");
	if (dry_run)
		return EXIT_OK;
	hold(secs);
	if (json)
		printf("{\"command\":\"hold\",\"ok\":true,\"seconds\":%lu}\n",
		       secs);
	return EXIT_OK;
}

/* dma-bufs made by export, open until exit. */
static int exported[MAX_HELD];
static unsigned int nexported;

/* Does the dma-buf @fd read as @h's memory does? 0 yes, 1 no, or -errno. */
static int export_check(int fd, const struct held *h)
{
	size_t len = dev.page_size * h->pages, i;
	unsigned char *p;

	p = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		return -errno;
	for (i = 0; i < len; i++)
		if (p[i] != (h->verified ? pattern(h->handle, i) : 0))
			break;
	munmap(p, len);
	return i < len;
}

static int cmd_export(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "handle", required_argument, NULL, 'H' },
		{ "mode", required_argument, NULL, 'm' },
		{ "check", no_argument, NULL, 'c' },
		{ }
	};
	unsigned int i, n = 0, map = 0;
	int opt, only = 0, check = 0, fd, ret;
	unsigned long v;
	__u64 h = 0, size;

	optind = 0;
	while ((opt = getopt_long(argc, argv, "+H:m:", opts, NULL)) != -1) {
		switch (opt) {
		case 'H':
			if (parse_ulong(optarg, ULONG_MAX, &v))
				return usage_error("export: bad handle %s", optarg);
			h = v;
			only = 1;
			break;
		case 'm':
			if (!strcasecmp(optarg, "wc"))
				map = ZONEALLOC_MAP_WC;
			else if (!strcasecmp(optarg, "uncached"))
				map = ZONEALLOC_MAP_UNCACHED;
			else if (strcasecmp(optarg, "cached"))
				return usage_error("export: bad mode %s", optarg);
			break;
		case 'c':
			check = 1;
			break;
		default:
			return usage_error("export: bad option");
		}
	}
	if (optind < argc)
		return usage_error("export: unexpected argument %s", argv[optind]);
	if (dry_run)
		return EXIT_OK;
	for (i = 0; i < nheld; i++) {
		if (only && held[i].handle != h)
			continue;
		if (nexported >= MAX_HELD)
			return op_failed("export", "export", -EMFILE);
		ret = zal_export(&dev, held[i].handle, O_RDWR | O_CLOEXEC, map,
				 &fd, &size);
		if (ret)
			return op_failed("export", "export", ret);
		exported[nexported++] = fd;
		if (check) {
			ret = export_check(fd, &held[i]);
			if (ret < 0)
				return op_failed("export", "mmap", ret);
			if (ret) {
				if (json)
					printf(JSON_VERIFY_FAILED, "export",
					       (unsigned long long)held[i].handle);
				return EXIT_VERIFY;
			}
		}
		if (!json)
			printf("exported handle %llu as dma-buf fd %d, %llu bytes\n",
			       (unsigned long long)held[i].handle, fd,
			       (unsigned long long)size);
		n++;
	}
	if (only && !n)
		return op_failed("export", "export",
				 zal_export(&dev, h, O_RDWR, map, &fd, NULL) ?: -ENOENT);
	if (json)
		printf("{\"command\":\"export\",\"ok\":true,\"exported\":%u,\"checked\":%s}\n",
		       n, check ? "true" : "false");
	else
		printf("exported %u allocation%s%s\n", n, n == 1 ? "" : "s",
		       check ? ", each dma-buf checked" : "");
	return EXIT_OK;
}

static int cmd_sync(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "handle", required_argument, NULL, 'H' },
		{ "end", no_argument, NULL, 'e' },
		{ "read", no_argument, NULL, 'r' },
		{ "write", no_argument, NULL, 'w' },
		{ }
	};
	unsigned int i, n = 0, flags = 0, dir = 0;
	int opt, only = 0, ret;
	unsigned long v;
	__u64 h = 0;

	optind = 0;
	while ((opt = getopt_long(argc, argv, "+H:", opts, NULL)) != -1) {
		switch (opt) {
		case 'H':
			if (parse_ulong(optarg, ULONG_MAX, &v))
				return usage_error("sync: bad handle %s", optarg);
			h = v;
			only = 1;
			break;
		case 'e':
			flags |= ZONEALLOC_SYNC_END;
			break;
		case 'r':
			dir |= ZONEALLOC_SYNC_READ;
			break;
		case 'w':
			dir |= ZONEALLOC_SYNC_WRITE;
			break;
		default:
			return usage_error("sync: bad option");
		}
	}
	if (optind < argc)
		return usage_error("sync: unexpected argument %s", argv[optind]);
	flags |= dir ? dir : ZONEALLOC_SYNC_RW;
	if (dry_run)
		return EXIT_OK;
	for (i = 0; i < nheld; i++) {
		if (only && held[i].handle != h)
			continue;
		ret = zal_sync(&dev, held[i].handle, 0,
			       dev.page_size * held[i].pages, flags);
		if (ret)
			return op_failed("sync", "sync", ret);
		n++;
	}
	if (only && !n)
		return op_failed("sync", "sync",
				 zal_sync(&dev, h, 0, 1, flags) ?: -ENOENT);
	if (json)
		printf("{\"command\":\"sync\",\"ok\":true,\"synced\":%u}\n", n);
	else
		printf("synced %u allocation%s for the %s\n", n, n == 1 ? "" : "s",
		       flags & ZONEALLOC_SYNC_END ? "device" : "CPU");
	return EXIT_OK;
}

static int parse_zone(const char *s, unsigned int *zone)
{
	unsigned long v;
	unsigned int z;

	if (!strcasecmp(s, "all")) {
		*zone = ZONEALLOC_ZONE_ALL;
		return 0;
	}
	for (z = 0; z < ZONEALLOC_NR_ZONES; z++)
		if (!strcasecmp(s, zal_zone_name(z))) {
			*zone = z;
			return 0;
		}
	if (parse_ulong(s, UINT32_MAX, &v))
		return -1;
	*zone = v;
	return 0;
}

static int cmd_compact(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "zone", required_argument, NULL, 'z' },
		{ "order", required_argument, NULL, 'o' },
		{ "mode", required_argument, NULL, 'm' },
		{ }
	};
	static const char * const modes[] = { "async", "sync-light", "sync" };
	unsigned int zone = ZONEALLOC_ZONE_ALL, mode = 0;
	long order = -1;
	__u64 migrated = 0;
	int opt, ret;

	optind = 0;
	while ((opt = getopt_long(argc, argv, "+z:o:m:", opts, NULL)) != -1) {
		switch (opt) {
		case 'z':
			if (parse_zone(optarg, &zone))
				return usage_error("compact: bad zone %s", optarg);
			break;
		case 'o':
			if (parse_long(optarg, INT32_MIN, INT32_MAX, &order))
				return usage_error("compact: bad order %s", optarg);
			break;
		case 'm':
			for (mode = 0; mode < 3; mode++)
				if (!strcasecmp(optarg, modes[mode]))
					break;
			if (mode == 3) {
				unsigned long v;

				if (parse_ulong(optarg, UINT32_MAX, &v))
					return usage_error("compact: bad mode %s",
							   optarg);
				mode = v;
			}
			break;
		default:
			return usage_error("compact: bad option");
		}
	}
	if (optind < argc)
		return usage_error("compact: unexpected argument %s",
				   argv[optind]);
	if (dry_run)
		return EXIT_OK;
	ret = zal_compact(&dev, zone, (int)order, mode, &migrated);
	if (ret)
		return op_failed("compact", "COMPACT", ret);
	if (json)
		printf("{\"command\":\"compact\",\"ok\":true,\"migrated\":%llu}\n",
		       (unsigned long long)migrated);
	else
		printf("compacted: %llu pages migrated\n",
		       (unsigned long long)migrated);
	return EXIT_OK;
}

static int cmd_drain(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "cpu", required_argument, NULL, 'C' },
		{ }
	};
	long cpu = -1;
	int opt, ret;

	optind = 0;
	while ((opt = getopt_long(argc, argv, "+C:", opts, NULL)) != -1) {
		if (opt != 'C' || parse_long(optarg, INT32_MIN, INT32_MAX, &cpu))
			return usage_error("drain: bad option");
	}
	if (optind < argc)
		return usage_error("drain: unexpected argument %s", argv[optind]);
	if (dry_run)
		return EXIT_OK;
	ret = zal_drain(&dev, (int)cpu);
	if (ret)
		return op_failed("drain", "DRAIN", ret);
	if (json)
		printf("{\"command\":\"drain\",\"ok\":true,\"cpu\":%ld}\n", cpu);
	else
		printf("drained %s\n", cpu < 0 ? "every CPU" : "one CPU");
	return EXIT_OK;
}

static unsigned long long rng;

static unsigned int rnd(unsigned int n)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (unsigned int)((rng * 2685821657736338717ull) >> 33) % n;
}

static int cmd_stress(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "ops", required_argument, NULL, 'n' },
		{ "seed", required_argument, NULL, 's' },
		{ "max-order", required_argument, NULL, 'O' },
		{ "flags", required_argument, NULL, 'f' },
		{ }
	};
	unsigned long ops = 10000, seed = 0, maxo = 3, i;
	unsigned long allocs = 0, frees = 0, maps = 0, nomem = 0;
	unsigned int flags = 0, keep = nheld;
	struct zonealloc_info before, after;
	struct zonealloc_alloc a;
	size_t bytes = 0;
	int opt, ret;

	optind = 0;
	while ((opt = getopt_long(argc, argv, "+n:s:O:f:", opts, NULL)) != -1) {
		switch (opt) {
		case 'n':
			if (parse_ulong(optarg, ULONG_MAX, &ops))
				return usage_error("stress: bad --ops %s", optarg);
			break;
		case 's':
			if (parse_ulong(optarg, ULONG_MAX, &seed))
				return usage_error("stress: bad --seed %s", optarg);
			break;
		case 'O':
			if (parse_ulong(optarg, ZONEALLOC_MAX_ORDER, &maxo))
				return usage_error("stress: bad --max-order %s",
						   optarg);
			break;
		case 'f':
			if (zal_parse_flags(optarg, &flags))
				return usage_error("stress: bad flags %s", optarg);
			break;
		default:
			return usage_error("stress: bad option");
		}
	}
	if (optind < argc)
		return usage_error("stress: unexpected argument %s", argv[optind]);
	if (dry_run)
		return EXIT_OK;
	if (!seed)
		seed = (unsigned long)time(NULL) ^ (unsigned long)getpid();
	rng = seed | 1;
	zal_drain(&dev, -1);
	ret = zal_info(&dev, &before);
	if (ret)
		return op_failed("stress", "INFO", ret);
	for (i = 0; i < ops; i++) {
		unsigned int r = rnd(100);

		if ((r < 45 || nheld == keep) && nheld < MAX_HELD) {
			unsigned int order = rnd(maxo + 1);

			ret = zal_alloc(&dev, order, flags | ZONEALLOC_GFP_NOWARN,
					&a);
			if (ret == -ENOMEM || ret == -EDQUOT) {
				nomem++;
				continue;
			}
			if (ret)
				return op_failed("stress", "ALLOC", ret);
			held[nheld].handle = a.handle;
			held[nheld].pages = 1ul << order;
			held[nheld++].verified = 0;
			allocs++;
		} else if (r < 80) {
			unsigned int k = keep + rnd(nheld - keep);

			/* Check the content before it goes. */
			ret = map_check(&held[k], &bytes);
			if (ret < 0)
				return op_failed("stress", "mmap", ret);
			if (ret > 0)
				return EXIT_VERIFY;
			ret = zal_free(&dev, held[k].handle);
			if (ret)
				return op_failed("stress", "FREE", ret);
			held[k] = held[--nheld];
			frees++;
		} else {
			ret = map_check(&held[keep + rnd(nheld - keep)], &bytes);
			if (ret < 0)
				return op_failed("stress", "mmap", ret);
			if (ret > 0)
				return EXIT_VERIFY;
			maps++;
		}
	}
	while (nheld > keep) {
		ret = zal_free(&dev, held[--nheld].handle);
		if (ret)
			return op_failed("stress", "FREE", ret);
		frees++;
	}
	zal_drain(&dev, -1);
	ret = zal_info(&dev, &after);
	if (ret)
		return op_failed("stress", "INFO", ret);
	if (after.file_pages != before.file_pages ||
	    after.free_pages + after.pcp_pages !=
	    before.free_pages + before.pcp_pages) {
		fprintf(stderr, "%s: stress: pages not back: free+pcp %llu, was %llu\n",
			prog,
			(unsigned long long)(after.free_pages + after.pcp_pages),
			(unsigned long long)(before.free_pages + before.pcp_pages));
		if (json)
			printf(JSON_STRESS_FAILED);
		return EXIT_FAILED;
	}
	if (json)
		printf(JSON_STRESS, seed, ops, allocs, frees, maps, nomem, bytes);
	else
		printf(TEXT_STRESS, seed, ops, allocs, frees, maps, nomem, bytes);
	return EXIT_OK;
}

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
} commands[] = {
	{ "info", cmd_info },
	{ "alloc", cmd_alloc },
	{ "free", cmd_free },
	{ "map", cmd_map },
	{ "hold", cmd_hold },
	{ "export", cmd_export },
	{ "sync", cmd_sync },
	{ "compact", cmd_compact },
	{ "drain", cmd_drain },
	{ "stress", cmd_stress },
};

static int find_command(const char *name)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(name, commands[i].name))
			return (int)i;
	return -1;
}

/* Run the commands from argv[optind] on, separated by "+". */
static int run_commands(int first, int argc, char **argv)
{
	int i, end, rc = EXIT_OK;

	for (i = first; i < argc && rc == EXIT_OK; i = end + 1) {
		end = i;
		while (end < argc && strcmp(argv[end], "+"))
			end++;
		rc = commands[find_command(argv[i])].fn(end - i, argv + i);
	}
	return rc;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "device", required_argument, NULL, 'd' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	const char *path = NULL;
	int opt, i, ret, rc, first;

	setvbuf(stdout, NULL, _IOLBF, 0);
	while ((opt = getopt_long(argc, argv, "+d:jh", opts, NULL)) != -1) {
		switch (opt) {
		case 'd':
			path = optarg;
			break;
		case 'j':
			json = 1;
			break;
		case 'h':
			print_help(stdout);
			return EXIT_OK;
		default:
			return usage_error("bad option");
		}
	}
	if (optind >= argc)
		return usage_error("no command");

	/* Check the whole command line before touching the device. */
	for (i = optind; i < argc; i++) {
		if (find_command(argv[i]) < 0)
			return usage_error("unknown command %s", argv[i]);
		while (i < argc && strcmp(argv[i], "+"))
			i++;
		if (i == argc - 1)
			return usage_error("nothing after the last +");
	}
	first = optind;
	dry_run = 1;
	rc = run_commands(first, argc, argv);
	dry_run = 0;
	if (rc)
		return rc;

	ret = zal_open(&dev, path);
	if (ret) {
		fprintf(stderr, "%s: cannot open %s: %s\n", prog,
			path ? path : ZAL_DEFAULT_PATH, strerror(-ret));
		if (json)
			printf(JSON_OPEN_FAILED, errname(ret), -ret);
		if (ret == -ENOENT || ret == -ENODEV || ret == -ENXIO)
			return EXIT_NODEV;
		if (ret == -EACCES || ret == -EPERM)
			return EXIT_PERM;
		return EXIT_FAILED;
	}
	rc = run_commands(first, argc, argv);
	zal_close(&dev);
	return rc;
}
