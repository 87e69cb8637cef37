// SPDX-License-Identifier: GPL-2.0
/*
 * Format tests of /sys/kernel/debug/zonealloc/: buddyinfo, pagetypeinfo and
 * extfrag/{unusable,extfrag}_index are checked line by line against regular
 * expressions written from mm/vmstat.c's format strings, and the same
 * expressions are applied to the kernel's own /proc/buddyinfo,
 * /proc/pagetypeinfo and /sys/kernel/debug/extfrag/ files, which must pass
 * too. The figures are also compared with ZONEALLOC_IOC_INFO.
 */

#include "za_test.h"

#include <regex.h>

#define DBG "/sys/kernel/debug/zonealloc/"
#define NR_ORDERS (ZONEALLOC_MAX_ORDER + 1)
#define MAX_LINES 512
#define MAX_ZONES 16

static const char * const module_zones[] = {
	"DMA", "DMA32", "Normal", "HighMem", "Movable", NULL
};

static const char * const kernel_zones[] = {
	"DMA", "DMA32", "Normal", "HighMem", "Movable", "Device", NULL
};

static const char * const module_types[] = {
	"Unmovable", "Movable", "Reclaimable", "HighAtomic", "Isolate", NULL
};

/* Every type the kernel may list, in migratetype_names[] order. */
static const char * const kernel_types[] = {
	"Unmovable", "Movable", "Reclaimable", "HighAtomic", "CMA", "Isolate",
	NULL
};

/* A file, split into lines. */
struct file {
	char *buf;
	char *line[MAX_LINES];
	int n;
};

/* One zone's row, as parsed from a file. */
struct row {
	char zone[16];
	unsigned long v[NR_ORDERS];
};

static int read_file(const char *path, struct file *f)
{
	size_t cap = 1 << 16, len = 0;
	ssize_t r;
	char *p;
	int fdr;

	memset(f, 0, sizeof(*f));
	fdr = open(path, O_RDONLY);
	if (fdr < 0)
		return za_fail("open %s: %s", path, za_errname(errno));
	f->buf = malloc(cap + 1);
	if (!f->buf) {
		close(fdr);
		return za_fail("out of memory");
	}
	while ((r = read(fdr, f->buf + len, cap - len)) > 0) {
		len += r;
		if (len == cap) {
			cap *= 2;
			p = realloc(f->buf, cap + 1);
			if (!p) {
				close(fdr);
				return za_fail("out of memory");
			}
			f->buf = p;
		}
	}
	close(fdr);
	if (r < 0)
		return za_fail("read %s: %s", path, za_errname(errno));
	f->buf[len] = '\0';
	if (!len)
		return za_fail("%s is empty", path);
	if (f->buf[len - 1] != '\n')
		return za_fail("%s does not end with a newline", path);
	for (p = f->buf; *p && f->n < MAX_LINES; ) {
		char *nl = strchr(p, '\n');

		*nl = '\0';
		f->line[f->n++] = p;
		p = nl + 1;
	}
	if (*p)
		return za_fail("%s: more than %d lines", path, MAX_LINES);
	return 0;
}

static void free_file(struct file *f)
{
	free(f->buf);
	f->buf = NULL;
}

/* Append to a pattern being built. */
static void cat(char *re, size_t len, const char *fmt, ...)
{
	size_t used = strlen(re);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(re + used, len - used, fmt, ap);
	va_end(ap);
}

/*
 * "%<w>lu": a decimal without leading zeros, right-aligned in @w columns
 * (or wider), as an alternation over the number of digits.
 */
static void re_num(char *re, size_t len, int w)
{
	int d;

	cat(re, len, "(");
	for (d = 1; d < w; d++) {
		if (d == 1)
			cat(re, len, " {%d}[0-9]|", w - 1);
		else
			cat(re, len, " {%d}[1-9][0-9]{%d}|", w - d, d - 1);
	}
	cat(re, len, "[1-9][0-9]{%d,}", w - 1);
	if (w == 1)
		cat(re, len, "|0");
	cat(re, len, ")");
}

/* "%<w>s" over a list of names: each right-aligned in @w columns. */
static void re_names(char *re, size_t len, const char * const *names, int w)
{
	int i;

	cat(re, len, "(");
	for (i = 0; names[i]; i++)
		cat(re, len, "%s%*s", i ? "|" : "", w, names[i]);
	cat(re, len, ")");
}

static int compile(regex_t *r, const char *re)
{
	char msg[128];
	int ret = regcomp(r, re, REG_EXTENDED | REG_NOSUB);

	if (ret) {
		regerror(ret, r, msg, sizeof(msg));
		return za_fail("bad regex %s: %s", re, msg);
	}
	return 0;
}

static int match(const char *re, const char *line)
{
	regex_t r;
	int ret;

	if (compile(&r, re))
		return -2;
	ret = regexec(&r, line, 0, NULL, 0);
	regfree(&r);
	return ret ? -1 : 0;
}

/* "Node %d, zone %8s " */
static void re_node_zone(char *re, size_t len, const char * const *zones)
{
	cat(re, len, "Node (0|[1-9][0-9]*), zone ");
	re_names(re, len, zones, 8);
	cat(re, len, " ");
}

static int name_index(const char * const *names, const char *s)
{
	int i;

	for (i = 0; names[i]; i++)
		if (!strcmp(names[i], s))
			return i;
	return -1;
}

/* Parse "Node N, zone NAME v v v ..." into @row (after a regex matched). */
static int parse_row(const char *line, struct row *row, int nvals, int ptype)
{
	const char *p = strstr(line, "zone ");
	char *end;
	int i;

	memset(row, 0, sizeof(*row));
	if (!p || sscanf(p + 5, " %15[^, ]", row->zone) != 1)
		return -1;
	p += 5;
	while (*p == ' ')
		p++;
	p += strlen(row->zone);
	if (ptype) {
		p = strstr(p, "type ");
		if (!p)
			return -1;
		p += 5;
		while (*p == ' ')
			p++;
		while (*p && *p != ' ')
			p++;
	}
	for (i = 0; i < nvals; i++) {
		while (*p == ' ' || *p == '>')
			p++;
		row->v[i] = strtoul(p, &end, 10);
		if (end == p)
			return -1;
		p = end;
	}
	return 0;
}

/* The zone names of @rows must be in @zones' order, each at most once. */
static int check_zone_order(const char *path, struct row *rows, int n,
			    const char * const *zones)
{
	int i, last = -1, idx;

	for (i = 0; i < n; i++) {
		idx = name_index(zones, rows[i].zone);
		if (idx < 0)
			return za_fail("%s: unknown zone %s", path, rows[i].zone);
		if (idx <= last)
			return za_fail("%s: zone %s out of order", path,
				       rows[i].zone);
		last = idx;
	}
	return 0;
}

/*
 * buddyinfo: "Node %d, zone %8s " then "%6lu " per order, newline; one line
 * per populated zone.
 */
static int check_buddyinfo(const char *path, const char * const *zones,
			   struct row *rows, int *nrows)
{
	char re[4096] = "^";
	struct file f;
	int i;

	re_node_zone(re, sizeof(re), zones);
	cat(re, sizeof(re), "(");
	re_num(re, sizeof(re), 6);
	cat(re, sizeof(re), " ){%d}$", NR_ORDERS);
	if (read_file(path, &f)) {
		free_file(&f);
		return -1;
	}
	*nrows = 0;
	for (i = 0; i < f.n; i++) {
		if (match(re, f.line[i])) {
			za_fail("%s line %d does not match %s: \"%s\"", path,
				i + 1, re, f.line[i]);
			free_file(&f);
			return -1;
		}
		if (*nrows < MAX_ZONES &&
		    !parse_row(f.line[i], &rows[*nrows], NR_ORDERS, 0))
			(*nrows)++;
	}
	free_file(&f);
	if (!*nrows)
		return za_fail("%s lists no zone", path);
	return check_zone_order(path, rows, *nrows, zones);
}

/*
 * pagetypeinfo, per node:
 *	"Page block order: %d\n"
 *	"Pages per block:  %lu\n"
 *	"\n"
 *	"%-43s " "Free pages count per migrate type at order", "%6d " per order
 *	per zone and type: "Node %4d, zone %8s, type %12s " then "%s%6lu "
 *		(">" and 100000 when the count was capped)
 *	"\n%-23s" "Number of blocks type ", "%12s " per type
 *	per zone: "Node %d, zone %8s " then "%12lu " per type
 * Each zone lists every type, in the header's order; the type list is
 * @types, or where @types_may_skip a subsequence of it.
 */
/* What check_pagetypeinfo() has read so far, shared by its parts. */
struct pti {
	const char *path;
	const char * const *zones;
	const char * const *types;
	struct file f;
	int l;			/* the line being read */
	char re_hdr[512], re_free[4096], re_bhdr[1024], re_blocks[2048];
	const char *ht[16];	/* the types the first zone lists, in order */
	int ntypes;
	struct row *free_sum;	/* free pages per zone, summed over types */
	int nzones;
};

static int pti_mismatch(struct pti *s, const char *re)
{
	return za_fail("%s line %d does not match %s: \"%s\"", s->path,
		       s->l + 1, re, s->f.line[s->l]);
}

static int pti_short(struct pti *s)
{
	return za_fail("%s ends early (%d lines)", s->path, s->f.n);
}

/* The exact formats of the lines, as mm/vmstat.c prints them. */
static void pti_build_res(struct pti *s)
{
	char hdr[256];
	int o;

	snprintf(hdr, sizeof(hdr), "%-43s ",
		 "Free pages count per migrate type at order");
	snprintf(s->re_hdr, sizeof(s->re_hdr), "^%s", hdr);
	for (o = 0; o < NR_ORDERS; o++)
		cat(s->re_hdr, sizeof(s->re_hdr), "%6d ", o);
	cat(s->re_hdr, sizeof(s->re_hdr), "$");

	/* "Node %4d" */
	snprintf(s->re_free, sizeof(s->re_free), "^");
	cat(s->re_free, sizeof(s->re_free),
	    "Node (   [0-9]|  [1-9][0-9]| [1-9][0-9]{2}|");
	cat(s->re_free, sizeof(s->re_free), "[1-9][0-9]{3,}), zone ");
	re_names(s->re_free, sizeof(s->re_free), s->zones, 8);
	cat(s->re_free, sizeof(s->re_free), ", type ");
	re_names(s->re_free, sizeof(s->re_free), s->types, 12);
	cat(s->re_free, sizeof(s->re_free), " ((");
	re_num(s->re_free, sizeof(s->re_free), 6);
	cat(s->re_free, sizeof(s->re_free), "|>100000) ){%d}$", NR_ORDERS);

	snprintf(hdr, sizeof(hdr), "%-23s", "Number of blocks type ");
	snprintf(s->re_bhdr, sizeof(s->re_bhdr), "^%s(", hdr);
	re_names(s->re_bhdr, sizeof(s->re_bhdr), s->types, 12);
	cat(s->re_bhdr, sizeof(s->re_bhdr), " )+$");

	snprintf(s->re_blocks, sizeof(s->re_blocks), "^");
	re_node_zone(s->re_blocks, sizeof(s->re_blocks), s->zones);
	cat(s->re_blocks, sizeof(s->re_blocks), "(");
	re_num(s->re_blocks, sizeof(s->re_blocks), 12);
	cat(s->re_blocks, sizeof(s->re_blocks), " )+$");
}

/*
 * "Page block order: N", "Pages per block:  2^N", a blank line and the
 * free-count header with every order.
 */
static int pti_check_preamble(struct pti *s)
{
	static const char re_order[] = "^Page block order: (0|[1-9][0-9]*)$";
	static const char re_ppb[] = "^Pages per block:  [1-9][0-9]*$";
	unsigned long ppb;
	int order;

	if (s->l + 4 > s->f.n)
		return pti_short(s);
	if (match(re_order, s->f.line[s->l]))
		return pti_mismatch(s, re_order);
	order = atoi(s->f.line[s->l] + 18);
	s->l++;
	if (match(re_ppb, s->f.line[s->l]))
		return pti_mismatch(s, re_ppb);
	ppb = strtoul(s->f.line[s->l] + 18, NULL, 10);
	if (order > 30 || ppb != 1ul << order)
		return za_fail("%s: %lu pages per block with order %d",
			       s->path, ppb, order);
	s->l++;
	if (s->f.line[s->l][0])
		return za_fail("%s line %d: expected a blank line, got \"%s\"",
			       s->path, s->l + 1, s->f.line[s->l]);
	s->l++;
	if (match(s->re_hdr, s->f.line[s->l]))
		return pti_mismatch(s, s->re_hdr);
	s->l++;
	return 0;
}

/* Zone @z listed @t types: the first sets the number, the others match it. */
static int pti_zone_done(struct pti *s, int z, int t)
{
	if (z == 0)
		s->ntypes = t;
	if (z > 0 && t != s->ntypes)
		return za_fail("%s: zone %s lists %d types, the first zone %d",
			       s->path, s->free_sum[z].zone, t, s->ntypes);
	return 0;
}

/*
 * The free-page lines up to the blank line: every zone lists the types of
 * the first, in the same order; the counts are summed per zone.
 */
static int pti_check_free_section(struct pti *s)
{
	char zone[16], type[16];
	struct row row;
	int z = -1, t = 0, o, idx;

	while (s->l < s->f.n && s->f.line[s->l][0]) {
		const char *line = s->f.line[s->l];

		if (match(s->re_free, line))
			return pti_mismatch(s, s->re_free);
		if (sscanf(line, "Node %*d, zone %15s type %15s", zone,
			   type) != 2 || parse_row(line, &row, NR_ORDERS, 1))
			return za_fail("%s line %d unparsable", s->path,
				       s->l + 1);
		zone[strlen(zone) - 1] = '\0'; /* the comma */
		if (z < 0 || strcmp(s->free_sum[z].zone, zone)) {
			/* A new zone: the last one had every type. */
			if (pti_zone_done(s, z, t))
				return -1;
			if (++z >= MAX_ZONES)
				return za_fail("%s: too many zones", s->path);
			memset(&s->free_sum[z], 0, sizeof(s->free_sum[z]));
			snprintf(s->free_sum[z].zone,
				 sizeof(s->free_sum[z].zone), "%s", zone);
			t = 0;
		}
		if (t >= 16)
			return za_fail("%s: too many types", s->path);
		if (z == 0) {
			idx = name_index(s->types, type);
			s->ht[t] = s->types[idx < 0 ? 0 : idx];
		} else if (t >= s->ntypes || strcmp(s->ht[t], type)) {
			return za_fail("%s line %d: zone %s lists type %s where %s was expected",
				       s->path, s->l + 1, zone, type,
				       t < s->ntypes ? s->ht[t] : "a new zone");
		}
		for (o = 0; o < NR_ORDERS; o++)
			s->free_sum[z].v[o] += row.v[o];
		t++;
		s->l++;
	}
	if (pti_zone_done(s, z, t))
		return -1;
	s->nzones = z + 1;
	if (!s->nzones)
		return za_fail("%s: no zone in the free-page section", s->path);
	return 0;
}

/* The blank line, then a block-count header naming the same types. */
static int pti_check_block_header(struct pti *s)
{
	char *save = NULL, *tok;
	char copy[512];
	int i = 0;

	if (s->l >= s->f.n)
		return pti_short(s);
	s->l++;	/* the blank line */
	if (s->l >= s->f.n)
		return pti_short(s);
	if (match(s->re_bhdr, s->f.line[s->l]))
		return pti_mismatch(s, s->re_bhdr);
	snprintf(copy, sizeof(copy), "%s", s->f.line[s->l] + 23);
	for (tok = strtok_r(copy, " ", &save); tok;
	     tok = strtok_r(NULL, " ", &save), i++)
		if (i >= s->ntypes || strcmp(tok, s->ht[i]))
			return za_fail("%s: block header type %s not in the free lists'",
				       s->path, tok);
	if (i != s->ntypes)
		return za_fail("%s: block header has %d types, free lists %d",
			       s->path, i, s->ntypes);
	s->l++;
	return 0;
}

/* One block-count line per zone of the free lists, in the same order. */
static int pti_check_block_counts(struct pti *s)
{
	struct row brows[MAX_ZONES];
	int bz = 0, i;
	const char *p;

	while (s->l < s->f.n &&
	       strncmp(s->f.line[s->l], "Page block order", 16)) {
		const char *line = s->f.line[s->l];

		if (match(s->re_blocks, line))
			return pti_mismatch(s, s->re_blocks);
		if (bz >= MAX_ZONES || parse_row(line, &brows[bz], s->ntypes, 0))
			return za_fail("%s line %d: bad block counts", s->path,
				       s->l + 1);
		/* exactly ntypes columns */
		i = 0;
		for (p = strstr(line, "zone ") + 14; *p; p++)
			if (*p != ' ' && p[-1] == ' ')
				i++;
		if (i != s->ntypes)
			return za_fail("%s line %d: %d block counts for %d types",
				       s->path, s->l + 1, i, s->ntypes);
		if (bz >= s->nzones ||
		    strcmp(brows[bz].zone, s->free_sum[bz].zone))
			return za_fail("%s: block counts: zone %s out of place",
				       s->path, brows[bz].zone);
		bz++;
		s->l++;
	}
	if (bz != s->nzones)
		return za_fail("%s: %d zones in the block counts, %d in the free lists",
			       s->path, bz, s->nzones);
	return 0;
}

/* The types listed: in the order of @types, all of them unless skippable. */
static int pti_check_types(struct pti *s, int types_may_skip)
{
	int i, idx, last = -1;

	for (i = 0; i < s->ntypes; i++) {
		idx = name_index(s->types, s->ht[i]);
		if (idx <= last)
			return za_fail("%s: type %s out of order", s->path,
				       s->ht[i]);
		last = idx;
	}
	if (!types_may_skip && s->types[s->ntypes])
		return za_fail("%s: lists %d types, expected all of them",
			       s->path, s->ntypes);
	if (s->ntypes < 4)
		return za_fail("%s: only %d types", s->path, s->ntypes);
	return 0;
}

static int check_pagetypeinfo(const char *path, const char * const *zones,
			      const char * const *types, int types_may_skip,
			      struct row *free_sum, int *nzones)
{
	struct pti *s = calloc(1, sizeof(*s));
	int ret = -1;

	if (!s)
		return za_fail("out of memory");
	s->path = path;
	s->zones = zones;
	s->types = types;
	s->free_sum = free_sum;
	pti_build_res(s);
	*nzones = 0;
	if (read_file(path, &s->f))
		goto out_free;
	while (s->l < s->f.n) {
		if (pti_check_preamble(s) || pti_check_free_section(s) ||
		    pti_check_block_header(s) || pti_check_block_counts(s))
			goto out_free;
		*nzones = s->nzones;
	}
	if (!pti_check_types(s, types_may_skip))
		ret = check_zone_order(path, free_sum, *nzones, zones);
out_free:
	free_file(&s->f);
	free(s);
	return ret;
}

/*
 * extfrag/unusable_index: "Node %d, zone %8s " then "%d.%03d " per order of
 * an index 0..1000. extfrag/extfrag_index: the same with "%2d.%03d " of an
 * index in -1000..1000 (-1000: a suitable block exists; values between
 * -1000 and 0 print as " 0.-NNN" or " 0.-NN", as the kernel's do).
 */
static int check_index_file(const char *path, const char * const *zones,
			    int extfrag, int *nrows)
{
	char re[2048] = "^";
	struct row rows[MAX_ZONES];
	struct file f;
	int i, n = 0;

	re_node_zone(re, sizeof(re), zones);
	if (extfrag)
		cat(re, sizeof(re),
		    "(( 0\\.([0-9]{3}|-[0-9]{2,3})| 1\\.000|-1\\.000) ){%d}$",
		    NR_ORDERS);
	else
		cat(re, sizeof(re), "((0\\.[0-9]{3}|1\\.000) ){%d}$",
		    NR_ORDERS);
	if (read_file(path, &f)) {
		free_file(&f);
		return -1;
	}
	for (i = 0; i < f.n; i++) {
		if (match(re, f.line[i])) {
			za_fail("%s line %d does not match %s: \"%s\"", path,
				i + 1, re, f.line[i]);
			free_file(&f);
			return -1;
		}
		if (n < MAX_ZONES &&
		    sscanf(strstr(f.line[i], "zone ") + 5, " %15s",
			   rows[n].zone) == 1)
			n++;
	}
	free_file(&f);
	*nrows = n;
	if (!n)
		return za_fail("%s lists no zone", path);
	return check_zone_order(path, rows, n, zones);
}

static struct zonealloc_info info;
static int have_info;

/* The populated zones of the pool, as INFO reports them. */
static int populated(const char **names)
{
	int z, n = 0;

	for (z = 0; z < ZONEALLOC_NR_ZONES; z++)
		if (info.zones[z].managed_pages)
			names[n++] = module_zones[z];
	return n;
}

static int same_zones(const char *path, struct row *rows, int n)
{
	const char *names[ZONEALLOC_NR_ZONES];
	int np, i;

	if (!have_info)
		return za_fail("no INFO to compare with");
	np = populated(names);
	if (np != n)
		return za_fail("%s lists %d zones, the pool has %d populated",
			       path, n, np);
	for (i = 0; i < n; i++)
		if (strcmp(rows[i].zone, names[i]))
			return za_fail("%s: zone %s where %s was expected",
				       path, rows[i].zone, names[i]);
	return 0;
}

static int t_buddyinfo_module(void)
{
	struct row rows[MAX_ZONES];
	int n;

	if (check_buddyinfo(DBG "buddyinfo", module_zones, rows, &n))
		return -1;
	return same_zones(DBG "buddyinfo", rows, n);
}

static int t_buddyinfo_kernel(void)
{
	struct row rows[MAX_ZONES];
	int n;

	return check_buddyinfo("/proc/buddyinfo", kernel_zones, rows, &n);
}

/* Drain and read INFO again, just before a file is read. */
static int refresh_info(void)
{
	int fdi, ret;

	fdi = za_devopen();
	if (fdi < 0)
		return za_fail("open: %s", za_errname(errno));
	ret = za_rawdrain(fdi, -1);
	if (!ret)
		ret = za_rawinfo(fdi, &info);
	close(fdi);
	if (ret)
		return za_fail("DRAIN/INFO: %s", za_errname(ret));
	have_info = 1;
	return 0;
}

/*
 * Per-zone, per-order free block counts read from a debugfs file against
 * INFO's nr_free. With @capped (pagetypeinfo), counts the kernel caps at
 * 100000 (printed with ">") are not compared.
 */
static int rows_match_info(const struct row *rows, int n, const char *what,
			   int capped)
{
	int i, z, o;

	for (i = 0; i < n; i++) {
		z = name_index(module_zones, rows[i].zone);
		for (o = 0; o < NR_ORDERS; o++)
			if (!(capped && rows[i].v[o] >= 100000) &&
			    rows[i].v[o] != info.zones[z].nr_free[o])
				return za_fail("zone %s order %d: %s %lu, INFO nr_free %llu",
					       rows[i].zone, o, what, rows[i].v[o],
					       (unsigned long long)info.zones[z].nr_free[o]);
	}
	return 0;
}

static int buddyinfo_matches_info(void)
{
	struct row rows[MAX_ZONES];
	int n;

	if (refresh_info())
		return -1;
	if (check_buddyinfo(DBG "buddyinfo", module_zones, rows, &n))
		return -1;
	return rows_match_info(rows, n, "buddyinfo", 0);
}

static int t_buddyinfo_matches_info(void)
{
	return za_retry(buddyinfo_matches_info);
}

static int pagetypeinfo_module(void)
{
	struct row sums[MAX_ZONES], brows[MAX_ZONES];
	int n, nb;

	if (refresh_info())
		return -1;
	if (check_pagetypeinfo(DBG "pagetypeinfo", module_zones, module_types,
			       0, sums, &n))
		return -1;
	if (same_zones(DBG "pagetypeinfo", sums, n))
		return -1;
	/* The per-type free counts add up to buddyinfo's (idle pool). */
	if (check_buddyinfo(DBG "buddyinfo", module_zones, brows, &nb))
		return -1;
	if (nb != n)
		return za_fail("buddyinfo has %d zones, pagetypeinfo %d", nb, n);
	return rows_match_info(sums, n, "pagetypeinfo types sum", 1);
}

static int t_pagetypeinfo_module(void)
{
	return za_retry(pagetypeinfo_module);
}

static int t_pagetypeinfo_kernel(void)
{
	struct row sums[MAX_ZONES];
	int n;

	return check_pagetypeinfo("/proc/pagetypeinfo", kernel_zones,
				  kernel_types, 1, sums, &n);
}

/* One of the module's extfrag files: its format, and one line per zone. */
static int check_module_index(const char *name, int wide)
{
	char path[128];
	int n;

	snprintf(path, sizeof(path), DBG "extfrag/%s", name);
	if (check_index_file(path, module_zones, wide, &n))
		return -1;
	if (have_info) {
		const char *names[ZONEALLOC_NR_ZONES];

		if (n != populated(names))
			return za_fail("%s lists %d zones", name, n);
	}
	return 0;
}

static int t_unusable_module(void)
{
	return check_module_index("unusable_index", 0);
}

static int t_extfrag_module(void)
{
	return check_module_index("extfrag_index", 1);
}

static int t_unusable_kernel(void)
{
	int n;

	return check_index_file("/sys/kernel/debug/extfrag/unusable_index",
				kernel_zones, 0, &n);
}

static int t_extfrag_kernel(void)
{
	int n;

	return check_index_file("/sys/kernel/debug/extfrag/extfrag_index",
				kernel_zones, 1, &n);
}

static int t_readable(const char *path)
{
	struct file f;
	int ret = read_file(path, &f);

	free_file(&f);
	return ret;
}

static int t_zoneinfo(void)
{
	const char *names[ZONEALLOC_NR_ZONES];
	char re[256];
	struct file f;
	int n, i, l, found;

	if (read_file(DBG "zoneinfo", &f)) {
		free_file(&f);
		return -1;
	}
	n = have_info ? populated(names) : 0;
	for (i = 0; i < n; i++) {
		found = 0;
		snprintf(re, sizeof(re), "zone +%s( |,|$)", names[i]);
		for (l = 0; l < f.n && !found; l++)
			found = !match(re, f.line[l]);
		if (!found) {
			free_file(&f);
			return za_fail("zoneinfo does not mention zone %s",
				       names[i]);
		}
	}
	free_file(&f);
	return 0;
}

static int t_vmstat(void)
{
	return t_readable(DBG "vmstat");
}

/* Fragment the pool a little so the files show more than one figure. */
static void fragment(int fdf)
{
	struct zonealloc_alloc a;
	__u64 h[300];
	int i;

	for (i = 0; i < 300; i++)
		h[i] = za_rawalloc(fdf, i % 4, i % 3 ? ZONEALLOC_GFP_MOVABLE :
				   0, &a) ? 0 : a.handle;
	for (i = 0; i < 300; i += 2)
		if (h[i])
			za_rawfree(fdf, h[i]);
}

static void kernel_files(void)
{
	za_run("proc-buddyinfo-format", t_buddyinfo_kernel);
	za_run("proc-pagetypeinfo-format", t_pagetypeinfo_kernel);
	if (!access("/sys/kernel/debug/extfrag", F_OK)) {
		za_run("kernel-unusable-index-format", t_unusable_kernel);
		za_run("kernel-extfrag-index-format", t_extfrag_kernel);
	}
}

/* Check one file, of kind buddyinfo|pagetypeinfo|unusable|extfrag. */
static int check_one(const char *kind, const char *path)
{
	struct row rows[MAX_ZONES];
	int n, ret;

	if (!strcmp(kind, "buddyinfo"))
		ret = check_buddyinfo(path, kernel_zones, rows, &n);
	else if (!strcmp(kind, "pagetypeinfo"))
		ret = check_pagetypeinfo(path, kernel_zones, kernel_types, 1,
					 rows, &n);
	else if (!strcmp(kind, "unusable") || !strcmp(kind, "extfrag"))
		ret = check_index_file(path, kernel_zones,
				       !strcmp(kind, "extfrag"), &n);
	else
		ret = za_fail("unknown kind %s", kind);
	za_report(path, !ret, za_why);
	return za_summary("za_debugfs_test");
}

/*
 * With --kernel-only, check only the kernel's own files (no module); with
 * --file KIND PATH, check one file.
 */
int main(int argc, char **argv)
{
	int fdf;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 3 && !strcmp(argv[1], "--file"))
		return check_one(argv[2], argv[3]);
	if (argc > 1 && !strcmp(argv[1], "--kernel-only")) {
		kernel_files();
		return za_summary("za_debugfs_test");
	}
	fdf = za_devopen();
	if (fdf < 0) {
		printf("FAIL: za_debugfs_test-open (%s: %s)\n", ZA_DEV,
		       za_errname(errno));
		return 3;
	}
	have_info = !za_rawdrain(fdf, -1) && !za_rawinfo(fdf, &info);
	close(fdf);

	za_run("debugfs-buddyinfo-format", t_buddyinfo_module);
	za_run("debugfs-buddyinfo-matches-info", t_buddyinfo_matches_info);
	za_run("debugfs-pagetypeinfo-format", t_pagetypeinfo_module);
	za_run("debugfs-unusable-index-format", t_unusable_module);
	za_run("debugfs-extfrag-index-format", t_extfrag_module);
	kernel_files();
	za_run("debugfs-zoneinfo-readable", t_zoneinfo);
	za_run("debugfs-vmstat-readable", t_vmstat);

	/* Again with a fragmented pool, held by an open file. */
	fdf = za_devopen();
	if (fdf >= 0) {
		fragment(fdf);
		have_info = !za_rawdrain(fdf, -1) && !za_rawinfo(fdf, &info);
		za_run("debugfs-buddyinfo-format-fragmented", t_buddyinfo_module);
		za_run("debugfs-pagetypeinfo-format-fragmented",
		       t_pagetypeinfo_module);
		za_run("debugfs-unusable-index-format-fragmented",
		       t_unusable_module);
		za_run("debugfs-extfrag-index-format-fragmented",
		       t_extfrag_module);
		close(fdf);
	}
	return za_summary("za_debugfs_test");
}
