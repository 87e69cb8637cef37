// SPDX-License-Identifier: GPL-2.0
/*
 * NUMA integration test (issue 11 §1), run by tools/tests/itest-numa.sh in
 * a guest with two nodes (scripts/vm --numa 2) with the module loaded at
 * its defaults (pool_mb spread over both nodes). Needs root: physical
 * addresses tell which node a block is on, through the guest's own
 * /sys/devices/system/node/nodeN/memoryM blocks.
 *
 * Checks: the reports show a "Node N" block for both nodes, line for line
 * in the shape of the guest's own /proc files; allocations (ALLOC,
 * ALLOC_CONTIG) land on the node asked for, and with node 0 on the node
 * of the CPU the caller runs on; THISNODE fills that node and
 * then fails while the other has memory; without it, the preferred node
 * full, allocations fall back to the other node; impossible nodes are
 * refused.
 */

#include "za_test.h"

#include <dirent.h>
#include <regex.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#define NR_NODES	2
#define MAX_HELD	20000

static int fd = -1;
static unsigned long long block_size;
/* Memory block numbers of each node, from sysfs. */
static unsigned long *blocks[NR_NODES];
static unsigned int nr_blocks[NR_NODES];
static __u64 held[MAX_HELD];
static unsigned int nr_held;

static int read_ull(const char *path, int base, unsigned long long *v)
{
	FILE *f = fopen(path, "r");
	int ok;

	if (!f)
		return -errno;
	ok = fscanf(f, base == 16 ? "%llx" : "%llu", v) == 1;
	fclose(f);
	return ok ? 0 : -EINVAL;
}

static int load_node_memory(void)
{
	char path[128];
	unsigned int n;

	if (read_ull("/sys/devices/system/memory/block_size_bytes", 16,
		     &block_size) || !block_size)
		return -1;
	for (n = 0; n < NR_NODES; n++) {
		struct dirent *de;
		DIR *d;

		snprintf(path, sizeof(path), "/sys/devices/system/node/node%u", n);
		d = opendir(path);
		if (!d)
			return -1;
		while ((de = readdir(d))) {
			unsigned long *nb;
			char *end;
			unsigned long b;

			if (strncmp(de->d_name, "memory", 6) ||
			    !de->d_name[6])
				continue;
			b = strtoul(de->d_name + 6, &end, 10);
			if (*end)
				continue;
			nb = realloc(blocks[n], (nr_blocks[n] + 1) * sizeof(*nb));
			if (!nb)
				break;
			blocks[n] = nb;
			blocks[n][nr_blocks[n]++] = b;
		}
		closedir(d);
	}
	return nr_blocks[0] && nr_blocks[1] ? 0 : -1;
}

/* The node whose memory holds @phys, by the guest's memory blocks; -1. */
static int phys_node(unsigned long long phys)
{
	unsigned long b = phys / block_size;
	unsigned int n, i;

	for (n = 0; n < NR_NODES; n++)
		for (i = 0; i < nr_blocks[n]; i++)
			if (blocks[n][i] == b)
				return n;
	return -1;
}

static void free_held(void)
{
	while (nr_held)
		za_rawfree(fd, held[--nr_held]);
}

static int alloc_node(unsigned int order, unsigned int flags, int node,
		      struct zonealloc_alloc *a)
{
	int ret;

	memset(a, 0, sizeof(*a));
	a->order = order;
	a->flags = flags;
	a->node = ZONEALLOC_NODE(node);
	ret = za_ioc(fd, ZONEALLOC_IOC_ALLOC, a);
	if (!ret && nr_held < MAX_HELD)
		held[nr_held++] = a->handle;
	return ret;
}

/* A block asked of @node with its phys and node fields: on node @want? */
static int check_on(const struct zonealloc_alloc *a, int want,
		    const char *what)
{
	if (!a->phys_addr)
		return za_fail("%s: no physical address (not root?)", what);
	if (a->node != ZONEALLOC_NODE(want))
		return za_fail("%s: node field %u, expected %u", what, a->node,
			       ZONEALLOC_NODE(want));
	if (phys_node(a->phys_addr) != want)
		return za_fail("%s: phys %#llx is on node %d, expected %d", what,
			       (unsigned long long)a->phys_addr,
			       phys_node(a->phys_addr), want);
	return 0;
}

static int t_guest(void)
{
	if (load_node_memory())
		return za_fail("the guest has no memory blocks on nodes 0 and 1");
	return 0;
}

/*
 * Every line of @pool that starts with "Node" matches @re, and so does
 * every such line of the guest's own @proc file (the kernel's layout);
 * both nodes appear in @pool. A line of @pool whose text up to the zone
 * name also starts a line of @proc has that prefix byte for byte.
 */
static int same_shape(const char *pool, const char *proc, const char *pat,
		      int per_node_header)
{
	char line[1024], kline[1024];
	int seen[NR_NODES] = { 0 }, kheaders = 0, headers = 0, n;
	FILE *f, *k;
	regex_t re;

	if (regcomp(&re, pat, REG_EXTENDED | REG_NOSUB))
		return za_fail("bad pattern %s", pat);
	k = fopen(proc, "r");
	if (!k)
		return za_fail("%s: %s", proc, strerror(errno));
	while (fgets(kline, sizeof(kline), k)) {
		kline[strcspn(kline, "\n")] = '\0';
		if (!strncmp(kline, "Page block order", 16))
			kheaders++;
		if (strncmp(kline, "Node", 4) || !strstr(kline, "zone"))
			continue;
		if (regexec(&re, kline, 0, NULL, 0)) {
			fclose(k);
			return za_fail("the pattern does not fit the kernel's %s: %s",
				       proc, kline);
		}
	}
	f = fopen(pool, "r");
	if (!f) {
		fclose(k);
		return za_fail("%s: %s", pool, strerror(errno));
	}
	while (fgets(line, sizeof(line), f)) {
		char *z;

		line[strcspn(line, "\n")] = '\0';
		if (!strncmp(line, "Page block order", 16))
			headers++;
		if (strncmp(line, "Node", 4) || !strstr(line, "zone"))
			continue;
		if (regexec(&re, line, 0, NULL, 0)) {
			fclose(f);
			fclose(k);
			return za_fail("%s: line not in the kernel's shape: %s",
				       pool, line);
		}
		if (sscanf(line, "Node %d", &n) == 1 && n >= 0 && n < NR_NODES)
			seen[n]++;
		/* The prefix through the zone name, as the kernel prints it. */
		z = strstr(line, "zone");
		z += 4;
		while (*z == ' ')
			z++;
		z += strcspn(z, " ,\n");
		rewind(k);
		while (fgets(kline, sizeof(kline), k)) {
			size_t len = (size_t)(z - line);

			kline[strcspn(kline, "\n")] = '\0';
			if (!strncmp(kline, line, len) && kline[len] != line[len]) {
				fclose(f);
				fclose(k);
				return za_fail("%s: after \"%.*s\" kernel %#x, pool %#x",
					       pool, (int)len, line, kline[len],
					       line[len]);
			}
		}
	}
	fclose(f);
	fclose(k);
	regfree(&re);
	if (!seen[0] || !seen[1])
		return za_fail("%s: %d lines of node 0, %d of node 1", pool,
			       seen[0], seen[1]);
	if (per_node_header && (headers != NR_NODES || kheaders != NR_NODES))
		return za_fail("%s: %d per-node headers, the kernel's %d",
			       pool, headers, kheaders);
	return 0;
}

static int t_buddyinfo(void)
{
	return same_shape("/sys/kernel/debug/zonealloc/buddyinfo",
			  "/proc/buddyinfo",
			  "^Node [0-9]+, zone +[A-Za-z0-9]+( +[0-9]+){11} *$", 0);
}

static int t_pagetypeinfo(void)
{
	return same_shape("/sys/kernel/debug/zonealloc/pagetypeinfo",
			  "/proc/pagetypeinfo",
			  "^Node +[0-9]+, zone +[A-Za-z0-9]+(, type +[A-Za-z]+( +>?[0-9]+){11}|( +[0-9]+){5,6}) *$",
			  1);
}

static int t_zoneinfo(void)
{
	return same_shape("/sys/kernel/debug/zonealloc/zoneinfo",
			  "/proc/zoneinfo", "^Node [0-9]+, zone +[A-Za-z0-9]+$", 0);
}

/* Single pages and order-3 blocks land on the node asked for. */
static int t_preferred(void)
{
	struct zonealloc_alloc a;
	int node, i, ret;
	char what[64];

	for (node = 0; node < NR_NODES; node++) {
		for (i = 0; i < 32; i++) {
			ret = alloc_node(i % 2 ? 3 : 0, 0, node, &a);
			snprintf(what, sizeof(what), "node %d alloc %d", node, i);
			if (ret) {
				free_held();
				return za_fail("%s: %s", what, za_errname(ret));
			}
			if (check_on(&a, node, what)) {
				free_held();
				return -1;
			}
		}
	}
	free_held();
	return 0;
}

/* The node of CPU @cpu, by the guest's /sys/devices/system/cpu/cpuN/nodeM. */
static int cpu_node(int cpu)
{
	char path[96];
	int n;

	for (n = 0; n < NR_NODES; n++) {
		snprintf(path, sizeof(path),
			 "/sys/devices/system/cpu/cpu%d/node%d", cpu, n);
		if (!access(path, F_OK))
			return n;
	}
	return -1;
}

/* Node field 0 prefers the node of the CPU the call runs on. */
static int t_local(void)
{
	struct zonealloc_alloc a;
	int cpu, seen = 0, ret;
	cpu_set_t set;

	for (cpu = 0; cpu < 2; cpu++) {
		char what[32];
		int node = cpu_node(cpu);

		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		if (node < 0 || sched_setaffinity(0, sizeof(set), &set))
			return za_fail("cannot run on cpu %d (node %d)", cpu,
				       node);
		ret = alloc_node(0, 0, -1, &a);
		if (ret) {
			free_held();
			return za_fail("cpu %d: %s", cpu, za_errname(ret));
		}
		snprintf(what, sizeof(what), "cpu %d", cpu);
		if (check_on(&a, node, what)) {
			free_held();
			return -1;
		}
		seen |= 1 << node;
	}
	CPU_ZERO(&set);
	CPU_SET(0, &set);
	CPU_SET(1, &set);
	sched_setaffinity(0, sizeof(set), &set);
	free_held();
	return seen == 3 ? 0 : za_fail("the two CPUs are on one node");
}

/*
 * THISNODE fills node 1 and then fails; node 0 still serves a request
 * that prefers node 1 without THISNODE: the fallback.
 */
static int t_thisnode_fallback(void)
{
	struct zonealloc_alloc a;
	unsigned int order, got = 0;
	int ret;

	for (order = 9;; ) {
		ret = alloc_node(order, ZONEALLOC_GFP_THISNODE, 1, &a);
		if (ret == -ENOMEM) {
			if (!order)
				break;
			order = order > 3 ? 3 : 0;
			continue;
		}
		if (ret) {
			free_held();
			return za_fail("THISNODE order %u: %s", order,
				       za_errname(ret));
		}
		if (check_on(&a, 1, "THISNODE")) {
			free_held();
			return -1;
		}
		got += 1u << order;
		if (nr_held == MAX_HELD) {
			free_held();
			return za_fail("node 1 did not fill in %d allocations",
				       MAX_HELD);
		}
	}
	printf("numa: node 1 gave %u pages with THISNODE before ENOMEM\n", got);
	if (got < 1024) {
		free_held();
		return za_fail("node 1 gave only %u pages", got);
	}
	ret = alloc_node(0, 0, 1, &a);
	if (ret) {
		free_held();
		return za_fail("fallback from a full node 1: %s", za_errname(ret));
	}
	ret = check_on(&a, 0, "fallback from node 1");
	free_held();
	return ret;
}

static int t_contig(void)
{
	struct zonealloc_alloc_contig c;
	int node, ret;

	for (node = NR_NODES - 1; node >= 0; node--) {
		memset(&c, 0, sizeof(c));
		c.nr_pages = 600;
		c.flags = ZONEALLOC_GFP_THISNODE;
		c.node = ZONEALLOC_NODE(node);
		ret = za_ioc(fd, ZONEALLOC_IOC_ALLOC_CONTIG, &c);
		if (ret)
			return za_fail("contig on node %d: %s", node,
				       za_errname(ret));
		za_rawfree(fd, c.handle);
		if (c.node != ZONEALLOC_NODE(node) ||
		    phys_node(c.phys_addr) != node ||
		    phys_node(c.phys_addr + 599ull * 4096) != node)
			return za_fail("contig for node %d: node field %u, phys %#llx on node %d",
				       node, c.node,
				       (unsigned long long)c.phys_addr,
				       phys_node(c.phys_addr));
	}
	return 0;
}

static int t_bad_node(void)
{
	struct zonealloc_alloc a;
	struct zonealloc_bulk b;
	__u64 h[4];

	if (za_expect_err(alloc_node(0, 0, NR_NODES, &a), EINVAL,
			  "ALLOC on node %d", NR_NODES))
		return -1;
	memset(&b, 0, sizeof(b));
	b.count = 4;
	b.handles = (uintptr_t)h;
	b.node = ZONEALLOC_NODE(NR_NODES + 5);
	if (za_expect_err(za_ioc(fd, ZONEALLOC_IOC_ALLOC_BULK, &b), EINVAL,
			  "ALLOC_BULK on node %d", NR_NODES + 5))
		return -1;
	/* A good node works in bulk too. */
	b.node = ZONEALLOC_NODE(1);
	b.flags = ZONEALLOC_GFP_THISNODE;
	if (za_ioc(fd, ZONEALLOC_IOC_ALLOC_BULK, &b) || b.count < 1)
		return za_fail("ALLOC_BULK on node 1 failed");
	b.node = 0;
	b.flags = 0;
	if (za_ioc(fd, ZONEALLOC_IOC_FREE_BULK, &b))
		return za_fail("FREE_BULK failed");
	return 0;
}

/* Pages the pool's zones of each node manage, from debugfs zoneinfo. */
static int pool_node_pages(unsigned long long pages[NR_NODES])
{
	FILE *f = fopen("/sys/kernel/debug/zonealloc/zoneinfo", "r");
	unsigned long long v;
	char line[256];
	int node = -1;

	memset(pages, 0, NR_NODES * sizeof(*pages));
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "Node %d, zone", &node) == 1)
			continue;
		if (node >= 0 && node < NR_NODES &&
		    sscanf(line, " managed %llu", &v) == 1)
			pages[node] += v;
	}
	fclose(f);
	return 0;
}

/* "Node N MemFree:" of the guest, in bytes; -1 if unreadable. */
static long long node_free(int node)
{
	char path[64], line[256];
	long long kb = -1, v;
	FILE *f;
	int n;

	snprintf(path, sizeof(path), "/sys/devices/system/node/node%d/meminfo",
		 node);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Node %d MemFree: %lld kB", &n, &v) == 2)
			kb = v;
	fclose(f);
	return kb < 0 ? -1 : kb * 1024;
}

/*
 * The NUMA-aware shrinker: a child bound to node 0 (MPOL_BIND) takes more
 * than node 0 has free outside the pool; reclaim on node 0 takes back
 * node 0's chunks, node 1's stay. Node 0, the lower addresses: a shrinker
 * blind to nodes gives back the highest chunks first, node 1's, which do
 * the child no good.
 */
static int t_shrink_one_node(void)
{
	unsigned long long before[NR_NODES], after[NR_NODES];
	long long outside = node_free(0);
	unsigned long long need;
	int status;
	pid_t pid;

	if (pool_node_pages(before) || outside < 0)
		return za_fail("cannot read zoneinfo or node 1's meminfo");
	if (!before[0] || !before[1])
		return za_fail("pool pages per node %llu/%llu", before[0],
			       before[1]);
	need = outside + (before[0] * 4096) / 2;
	pid = fork();
	if (pid == 0) {
		unsigned long mask = 1ul << 0;
		unsigned long long off;
		char *p;

		/* MPOL_BIND (2) to node 0. */
		if (syscall(SYS_set_mempolicy, 2, &mask, 8 * sizeof(mask)))
			_exit(3);
		p = mmap(NULL, need, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			_exit(2);
		for (off = 0; off < need; off += 4096)
			p[off] = 1;
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return za_fail("fork/wait: %s", strerror(errno));
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		return za_fail("the child taking %llu MiB on node 0: status %#x",
			       need >> 20, status);
	if (pool_node_pages(after))
		return za_fail("cannot read zoneinfo");
	printf("numa: child on node 0: %llu MiB; pool node 0 %llu -> %llu, node 1 %llu -> %llu\n",
	       need >> 20, before[0], after[0], before[1], after[1]);
	if (after[0] >= before[0])
		return za_fail("node 0's pool did not shrink");
	if (after[1] != before[1])
		return za_fail("node 1's pool changed: %llu -> %llu pages",
			       before[1], after[1]);
	return 0;
}

int main(int argc, char **argv)
{
	fd = za_devopen();
	if (fd < 0) {
		printf("FAIL: numa-open (%s)\n", strerror(errno));
		return 1;
	}
	/* --shrink: the shrinker test alone, on a pool loaded for it. */
	if (argc > 1 && !strcmp(argv[1], "--shrink")) {
		za_run("numa-shrink-one-node", t_shrink_one_node);
		close(fd);
		return za_summary("za_numa_test");
	}
	za_run("numa-guest-two-nodes", t_guest);
	za_run("numa-buddyinfo-per-node", t_buddyinfo);
	za_run("numa-pagetypeinfo-per-node", t_pagetypeinfo);
	za_run("numa-zoneinfo-per-node", t_zoneinfo);
	za_run("numa-alloc-preferred-node", t_preferred);
	za_run("numa-alloc-local-node", t_local);
	za_run("numa-thisnode-then-fallback", t_thisnode_fallback);
	za_run("numa-contig-node", t_contig);
	za_run("numa-bad-node", t_bad_node);
	close(fd);
	return za_summary("za_numa_test");
}
