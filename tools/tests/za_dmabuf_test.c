// SPDX-License-Identifier: GPL-2.0
/*
 * Sharing with devices (issue 12): dma-buf export, its lifetime, the SYNC
 * ioctls, mappings that get_user_pages() accepts, and an import by a real
 * importer, vgem (when /dev/dri has its node: itest-vm.sh loads it).
 *
 *   za_dmabuf_test [NAME-SUBSTRING]
 */

#include "za_test.h"

#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <linux/dma-buf.h>
#include <linux/loop.h>

/* The DRM uapi we need (no libdrm headers in the build). */
struct za_drm_prime_handle {
	__u32 handle;
	__u32 flags;
	__s32 fd;
};

struct za_drm_gem_close {
	__u32 handle;
	__u32 pad;
};

#define ZA_DRM_IOCTL_GEM_CLOSE _IOW('d', 0x09, struct za_drm_gem_close)
#define ZA_DRM_IOCTL_PRIME_HANDLE_TO_FD _IOWR('d', 0x2d, struct za_drm_prime_handle)
#define ZA_DRM_IOCTL_PRIME_FD_TO_HANDLE _IOWR('d', 0x2e, struct za_drm_prime_handle)

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static size_t page_size;
static int dev = -1;
static __u64 start_avail;

static void *map_fd(int fd, off_t off, size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, off);

	return p == MAP_FAILED ? NULL : p;
}

static void *map_handle(int fd, __u64 handle, size_t len)
{
	return map_fd(fd, (off_t)(handle * page_size), len);
}

static int export(int fd, __u64 handle, __u32 fd_flags, __u32 flags,
		  struct zonealloc_export *e)
{
	memset(e, 0, sizeof(*e));
	e->handle = handle;
	e->fd_flags = fd_flags;
	e->flags = flags;
	return za_ioc(fd, ZONEALLOC_IOC_EXPORT, e);
}

/* Every page is back in the pool (waiting out kcompactd and reaping). */
static int all_back(const char *when)
{
	__u64 avail = 0;
	int i;

	/* The reaper polls pinned pages every 100 ms. */
	for (i = 0; i < 10; i++) {
		if (za_settle_to(dev, start_avail, &avail, NULL))
			return za_fail("%s: INFO failed", when);
		if (avail == start_avail)
			return 0;
	}
	return za_fail("%s: %llu pages available, %llu at the start", when,
		       (unsigned long long)avail,
		       (unsigned long long)start_avail);
}

static __u64 avail_now(void)
{
	__u64 avail = 0;

	za_settled_once(dev, &avail, NULL);
	return avail;
}

/* Allocate 2^order pages, map them and fill them with @key's pattern. */
static int alloc_filled(int fd, unsigned int order, unsigned int flags,
			uint64_t key, __u64 *handle, void **p)
{
	struct zonealloc_alloc a;
	int ret = za_rawalloc(fd, order, flags, &a);

	if (ret)
		return za_fail("ALLOC order %u: %s", order, za_errname(ret));
	*handle = a.handle;
	*p = map_handle(fd, a.handle, page_size << order);
	if (!*p)
		return za_fail("mmap: %s", strerror(errno));
	za_fill_pattern(*p, page_size << order, key);
	return 0;
}

static int t_export_basic(void)
{
	size_t len = 4 * page_size;
	struct zonealloc_export e, e2;
	void *p, *q;
	__u64 h;
	int ret;

	if (alloc_filled(dev, 2, 0, 1, &h, &p))
		return -1;
	ret = export(dev, h, O_RDWR | O_CLOEXEC, 0, &e);
	if (ret)
		return za_fail("EXPORT: %s", za_errname(ret));
	if (e.size != len || e.fd < 0)
		return za_fail("EXPORT: size %llu fd %d",
			       (unsigned long long)e.size, e.fd);
	if (!(fcntl(e.fd, F_GETFD) & FD_CLOEXEC))
		return za_fail("O_CLOEXEC not set on the dma-buf fd");
	if (lseek(e.fd, 0, SEEK_END) != (off_t)len)
		return za_fail("lseek(SEEK_END) is not the size");
	q = map_fd(e.fd, 0, len);
	if (!q)
		return za_fail("mmap of the dma-buf: %s", strerror(errno));
	if (za_check_pattern(q, len, 1, "dma-buf view of /dev/zonealloc's writes"))
		return -1;
	za_fill_pattern(q, len, 2);
	if (za_check_pattern(p, len, 2, "/dev/zonealloc view of the dma-buf's writes"))
		return -1;
	if (za_expect_err(export(dev, h, O_RDWR, 0, &e2), EBUSY,
			  "second export"))
		return -1;
	if (map_fd(e.fd, (off_t)len, page_size))
		return za_fail("mmap past the dma-buf's end succeeded");
	munmap(q, len);
	munmap(p, len);
	close(e.fd);
	if (za_rawfree(dev, h))
		return za_fail("FREE");
	return all_back("after FREE and close");
}

/* An ALLOC_CONTIG range of a length that is no power of two. */
static int t_export_contig(void)
{
	struct zonealloc_alloc_contig c = { .nr_pages = 300 };
	size_t len = 300 * page_size;
	struct zonealloc_export e;
	void *p, *q;
	int ret;

	ret = za_ioc(dev, ZONEALLOC_IOC_ALLOC_CONTIG, &c);
	if (ret)
		return za_fail("ALLOC_CONTIG: %s", za_errname(ret));
	p = map_handle(dev, c.handle, len);
	if (!p)
		return za_fail("mmap");
	za_fill_pattern(p, len, 14);
	ret = export(dev, c.handle, O_RDWR, ZONEALLOC_MAP_UNCACHED, &e);
	if (ret)
		return za_fail("EXPORT: %s", za_errname(ret));
	if (e.size != len)
		return za_fail("size %llu", (unsigned long long)e.size);
	q = map_fd(e.fd, 0, len);
	if (!q)
		return za_fail("mmap of the dma-buf: %s", strerror(errno));
	if (za_check_pattern(q, len, 14, "uncached dma-buf view of a range"))
		return -1;
	munmap(p, len);
	if (za_rawfree(dev, c.handle))
		return za_fail("FREE");
	if (za_check_pattern(q, len, 14, "range after FREE"))
		return -1;
	munmap(q, len);
	close(e.fd);
	return all_back("after the range's dma-buf");
}

static int t_export_errors(void)
{
	struct zonealloc_export e;
	unsigned int bad[] = { ~0u, O_NONBLOCK, O_TRUNC, O_APPEND };
	struct zonealloc_alloc a;
	unsigned int i;
	int ret;

	__u64 h;

	ret = za_rawalloc(dev, 0, 0, &a);
	if (ret)
		return za_fail("ALLOC: %s", za_errname(ret));
	h = a.handle;
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		if (za_expect_err(export(dev, h, bad[i], 0, &e), EINVAL,
				  "fd_flags %#x", bad[i]))
			return -1;
	if (za_expect_err(export(dev, h, O_RDWR, ZONEALLOC_MAP_MASK, &e),
			  EINVAL, "both cache modes") ||
	    za_expect_err(export(dev, h, O_RDWR, ZONEALLOC_GFP_DMA, &e),
			  EINVAL, "a GFP bit in flags") ||
	    za_expect_err(export(dev, h + (1ULL << ZONEALLOC_MAX_ORDER),
				 O_RDWR, 0, &e), ENOENT, "unknown handle") ||
	    za_expect_err(export(dev, 0, O_RDWR, 0, &e), ENOENT, "handle 0"))
		return -1;
	memset(&e, 0, sizeof(e));
	e.handle = h;
	e.reserved[1] = 1;
	if (za_expect_err(za_ioc(dev, ZONEALLOC_IOC_EXPORT, &e), EINVAL,
			  "reserved set"))
		return -1;
	/* Bad sizes: the allocation's, the only size a dma-buf gets. */
	if (za_expect_err(za_rawalloc(dev, ZONEALLOC_MAX_ORDER + 1, 0, &a),
			  EINVAL, "order past the max"))
		return -1;
	if (za_expect_err(za_rawalloc(dev, 0, ZONEALLOC_MAP_WC | ZONEALLOC_GFP_MOVABLE, &a),
			  EINVAL, "WC movable") ||
	    za_expect_err(za_rawalloc(dev, 0, ZONEALLOC_MAP_MASK, &a), EINVAL,
			  "WC and uncached"))
		return -1;
	return za_rawfree(dev, h) ? za_fail("FREE") : all_back("after the errors");
}

/* The struct at an older (shorter) and a newer (longer) size. */
static int t_export_sizes(void)
{
	struct {
		struct zonealloc_export e;
		__u64 extra;
	} big;
	struct zonealloc_alloc a;
	__u32 old[4];
	unsigned long cmd;
	int ret;

	ret = za_rawalloc(dev, 0, 0, &a);
	if (ret)
		return za_fail("ALLOC: %s", za_errname(ret));
	memset(old, 0, sizeof(old));
	memcpy(old, &a.handle, 8);
	old[2] = O_RDWR | O_CLOEXEC;
	old[3] = (__u32)-1;
	cmd = _IOC(_IOC_READ | _IOC_WRITE, ZONEALLOC_IOC_MAGIC, 0x09,
		   ZONEALLOC_EXPORT_SIZE_VER0);
	ret = za_ioc(dev, cmd, old);
	if (ret)
		return za_fail("EXPORT at the first version's size: %s",
			       za_errname(ret));
	if ((int)old[3] < 0 || fcntl((int)old[3], F_GETFD) < 0)
		return za_fail("the short struct got no fd (%d)", (int)old[3]);
	close((int)old[3]);
	/* The dma-buf is gone: a newer, longer struct may export again. */
	memset(&big, 0, sizeof(big));
	big.e.handle = a.handle;
	big.e.fd_flags = O_RDWR;
	cmd = _IOC(_IOC_READ | _IOC_WRITE, ZONEALLOC_IOC_MAGIC, 0x09, sizeof(big));
	ret = za_ioc(dev, cmd, &big);
	if (ret)
		return za_fail("EXPORT with a longer struct: %s", za_errname(ret));
	if (big.e.size != page_size || big.extra)
		return za_fail("longer struct: size %llu, extra %llu",
			       (unsigned long long)big.e.size,
			       (unsigned long long)big.extra);
	close(big.e.fd);
	memset(&big, 0, sizeof(big));
	big.e.handle = a.handle;
	big.extra = 1;
	if (za_expect_err(za_ioc(dev, cmd, &big), E2BIG,
			  "longer struct with an unknown field set"))
		return -1;
	cmd = _IOC(_IOC_READ | _IOC_WRITE, ZONEALLOC_IOC_MAGIC, 0x09, 8);
	if (za_expect_err(za_ioc(dev, cmd, &big), EINVAL,
			  "struct shorter than the first version"))
		return -1;
	return za_rawfree(dev, a.handle) ? za_fail("FREE") : 0;
}

static int t_sync(void)
{
	struct dma_buf_sync s = { 0 };
	struct zonealloc_sync y;
	struct zonealloc_export e;
	__u64 h;
	void *p;
	int ret;

	if (alloc_filled(dev, 1, ZONEALLOC_MAP_WC, 3, &h, &p))
		return -1;
	ret = export(dev, h, O_RDWR, 0, &e);
	if (ret)
		return za_fail("EXPORT: %s", za_errname(ret));
	s.flags = DMA_BUF_SYNC_START | DMA_BUF_SYNC_RW;
	if (ioctl(e.fd, DMA_BUF_IOCTL_SYNC, &s))
		return za_fail("DMA_BUF_IOCTL_SYNC start: %s", strerror(errno));
	s.flags = DMA_BUF_SYNC_END | DMA_BUF_SYNC_RW;
	if (ioctl(e.fd, DMA_BUF_IOCTL_SYNC, &s))
		return za_fail("DMA_BUF_IOCTL_SYNC end: %s", strerror(errno));
	s.flags = ~0ull;
	if (!ioctl(e.fd, DMA_BUF_IOCTL_SYNC, &s) || errno != EINVAL)
		return za_fail("DMA_BUF_IOCTL_SYNC with bad flags: not EINVAL");
	{
		void *q = map_fd(e.fd, 0, 2 * page_size);

		if (!q)
			return za_fail("mmap of the WC dma-buf: %s", strerror(errno));
		if (za_check_pattern(q, 2 * page_size, 3, "WC dma-buf view"))
			return -1;
		munmap(q, 2 * page_size);
	}
	close(e.fd);

	memset(&y, 0, sizeof(y));
	y.handle = h;
	y.offset = 100;
	y.size = 2 * page_size - 100;
	y.flags = ZONEALLOC_SYNC_START | ZONEALLOC_SYNC_READ;
	ret = za_ioc(dev, ZONEALLOC_IOC_SYNC, &y);
	if (ret)
		return za_fail("SYNC start read: %s", za_errname(ret));
	y.flags = ZONEALLOC_SYNC_END | ZONEALLOC_SYNC_RW;
	ret = za_ioc(dev, ZONEALLOC_IOC_SYNC, &y);
	if (ret)
		return za_fail("SYNC end rw: %s", za_errname(ret));
	y.size++;
	if (za_expect_err(za_ioc(dev, ZONEALLOC_IOC_SYNC, &y), EINVAL, "past the end"))
		return -1;
	y.size = 0;
	if (za_expect_err(za_ioc(dev, ZONEALLOC_IOC_SYNC, &y), EINVAL, "size 0"))
		return -1;
	y.size = 1;
	y.flags = ZONEALLOC_SYNC_START;
	if (za_expect_err(za_ioc(dev, ZONEALLOC_IOC_SYNC, &y), EINVAL, "no direction"))
		return -1;
	y.flags = ZONEALLOC_SYNC_RW | 8;
	if (za_expect_err(za_ioc(dev, ZONEALLOC_IOC_SYNC, &y), EINVAL, "unknown flag"))
		return -1;
	y.flags = ZONEALLOC_SYNC_RW;
	y.offset = ~0ull;
	if (za_expect_err(za_ioc(dev, ZONEALLOC_IOC_SYNC, &y), EINVAL, "offset ~0"))
		return -1;
	/* WC mapping still reads what was written. */
	if (za_check_pattern(p, 2 * page_size, 3, "WC mapping"))
		return -1;
	munmap(p, 2 * page_size);
	if (za_rawfree(dev, h))
		return za_fail("FREE");
	y.offset = 0;
	return za_expect_err(za_ioc(dev, ZONEALLOC_IOC_SYNC, &y), ENOENT,
			     "freed handle");
}

/* The dma-buf keeps the pages after FREE, then gives every one back. */
static int t_outlives_free(void)
{
	size_t len = 8 * page_size;
	struct zonealloc_export e;
	struct zonealloc_info info;
	__u64 h, avail;
	void *p, *q;
	int ret;

	if (alloc_filled(dev, 3, ZONEALLOC_GFP_MOVABLE, 4, &h, &p))
		return -1;
	ret = export(dev, h, O_RDWR, 0, &e);
	if (ret)
		return za_fail("EXPORT: %s", za_errname(ret));
	munmap(p, len);
	if (za_rawfree(dev, h))
		return za_fail("FREE");
	q = map_fd(e.fd, 0, len);
	if (!q)
		return za_fail("mmap after FREE: %s", strerror(errno));
	if (za_check_pattern(q, len, 4, "dma-buf after FREE"))
		return -1;
	avail = avail_now();
	if (avail + 8 > start_avail)
		return za_fail("after FREE, %llu pages available of %llu: the dma-buf's went back",
			       (unsigned long long)avail,
			       (unsigned long long)start_avail);
	if (za_rawinfo(dev, &info) || info.file_pages)
		return za_fail("file_pages %llu after FREE",
			       (unsigned long long)info.file_pages);
	close(e.fd);
	/* The mapping holds the dma-buf: still there. */
	if (za_check_pattern(q, len, 4, "dma-buf mapping after close"))
		return -1;
	if (avail_now() != avail)
		return za_fail("pages went back while mapped");
	munmap(q, len);
	return all_back("after the last reference");
}

static int t_outlives_close(void)
{
	size_t len = 2 * page_size;
	struct zonealloc_export e;
	int fd = za_devopen();
	__u64 h;
	void *p, *q;
	int ret;

	if (fd < 0)
		return za_fail("open: %s", strerror(errno));
	if (alloc_filled(fd, 1, 0, 5, &h, &p))
		return -1;
	ret = export(fd, h, O_RDWR, 0, &e);
	if (ret)
		return za_fail("EXPORT: %s", za_errname(ret));
	munmap(p, len);
	close(fd);
	q = map_fd(e.fd, 0, len);
	if (!q)
		return za_fail("mmap after close: %s", strerror(errno));
	if (za_check_pattern(q, len, 5, "dma-buf after close of the device"))
		return -1;
	munmap(q, len);
	if (avail_now() + 2 > start_avail)
		return za_fail("pages went back while the dma-buf lives");
	close(e.fd);
	return all_back("after the last reference");
}

/* The steps of t_quota() under a quota of 8 pages. */
static int quota_steps(void)
{
	struct zonealloc_export e;
	struct zonealloc_alloc a;
	int ret;

	ret = za_rawalloc(dev, 3, 0, &a);
	if (ret)
		return za_fail("ALLOC of the whole quota: %s", za_errname(ret));
	ret = export(dev, a.handle, O_RDWR, 0, &e);
	if (ret)
		return za_fail("EXPORT: %s", za_errname(ret));
	if (za_rawfree(dev, a.handle))
		return za_fail("FREE");
	ret = za_expect_err(za_rawalloc(dev, 0, 0, &a), EDQUOT,
			    "ALLOC while freed, exported pages fill the quota");
	close(e.fd);
	if (ret)
		return ret;
	/* Released by the close's last fput, on return to userspace. */
	ret = za_rawalloc(dev, 3, 0, &a);
	if (ret)
		return za_fail("ALLOC after the release: %s", za_errname(ret));
	return za_rawfree(dev, a.handle) ? za_fail("FREE") : 0;
}

/* Exported pages stay charged to their user's quota until released. */
static int t_quota(void)
{
	int ret;

	ret = za_set_quota(8);
	if (ret)
		return za_fail("cannot set the quota: %s", za_errname(ret));
	ret = quota_steps();
	if (za_set_quota(0) && !ret)
		return za_fail("cannot reset the quota");
	return ret ? ret : all_back("after the quota test");
}

/* The exporting process is SIGKILLed; its dma-buf fd lives on here. */
static int t_outlives_sigkill(void)
{
	size_t len = 4 * page_size;
	char c, cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { &c, 1 };
	struct msghdr m = { 0 };
	struct cmsghdr *cm;
	int sv[2], fd, status;
	pid_t pid;
	void *q;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		return za_fail("socketpair");
	pid = fork();
	if (pid == 0) {
		struct zonealloc_export e;
		int f = za_devopen();
		__u64 h;
		void *p;

		close(sv[0]);
		if (f < 0 || alloc_filled(f, 2, 0, 6, &h, &p) ||
		    export(f, h, O_RDWR, 0, &e))
			_exit(1);
		m.msg_iov = &iov;
		m.msg_iovlen = 1;
		m.msg_control = cbuf;
		m.msg_controllen = sizeof(cbuf);
		cm = CMSG_FIRSTHDR(&m);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cm), &e.fd, sizeof(int));
		if (sendmsg(sv[1], &m, 0) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(sv[1]);
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	m.msg_control = cbuf;
	m.msg_controllen = sizeof(cbuf);
	cm = recvmsg(sv[0], &m, 0) == 1 ? CMSG_FIRSTHDR(&m) : NULL;
	if (!cm) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		return za_fail("no fd from the child");
	}
	memcpy(&fd, CMSG_DATA(cm), sizeof(int));
	close(sv[0]);
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	if (!WIFSIGNALED(status))
		return za_fail("child not killed");
	q = map_fd(fd, 0, len);
	if (!q)
		return za_fail("mmap after SIGKILL: %s", strerror(errno));
	if (za_check_pattern(q, len, 6, "dma-buf after SIGKILL of its exporter"))
		return -1;
	munmap(q, len);
	close(fd);
	return all_back("after the last reference");
}

/*
 * EXPORT races FREE: a child sharing the open file frees each allocation
 * as soon as it learns its handle, while this process exports it. Each
 * export either finds it gone (-ENOENT) or makes a dma-buf that reads the
 * allocation's bytes whatever the FREE did; at the end every page is back.
 */
static int t_export_races_free(void)
{
	enum { ROUNDS = 400 };
	int pfd[2], i, status, exported = 0, gone = 0, ret;
	struct zonealloc_export e;
	pid_t pid;

	if (pipe(pfd))
		return za_fail("pipe");
	pid = fork();
	if (pid == 0) {
		__u64 h;

		close(pfd[1]);
		while (read(pfd[0], &h, sizeof(h)) == sizeof(h))
			za_rawfree(dev, h);
		_exit(0);
	}
	close(pfd[0]);
	for (i = 0; i < ROUNDS; i++) {
		unsigned int order = i % 3;
		size_t len = page_size << order;
		__u64 h;
		void *p;

		if (alloc_filled(dev, order, i & 1 ? ZONEALLOC_GFP_MOVABLE : 0,
				 1000 + i, &h, &p))
			break;
		munmap(p, len);
		if (write(pfd[1], &h, sizeof(h)) != sizeof(h)) {
			za_fail("write to the child");
			break;
		}
		/* Give the child a varying head start. */
		if (i % 4 == 1)
			sched_yield();
		else if (i % 4 == 2)
			usleep(i % 200);
		ret = export(dev, h, O_RDWR, 0, &e);
		if (ret == -ENOENT) {
			gone++;
			continue;
		}
		if (ret) {
			za_fail("EXPORT round %d: %s", i, za_errname(ret));
			break;
		}
		exported++;
		p = map_fd(e.fd, 0, len);
		ret = p ? za_check_pattern(p, len, 1000 + i, "raced dma-buf") :
			  za_fail("mmap of the dma-buf");
		if (p)
			munmap(p, len);
		close(e.fd);
		if (ret)
			break;
	}
	close(pfd[1]);
	waitpid(pid, &status, 0);
	if (i < ROUNDS)
		return -1;
	printf("  %d rounds: %d exported, %d freed first\n", ROUNDS, exported,
	       gone);
	return all_back("after the race");
}

/*
 * Compaction moves movable neighbours but never an exported allocation:
 * fill the pool with movable pages, keep one in four, export some of
 * those kept, compact the whole pool.
 */
static int t_compaction_pinned(void)
{
	enum { BATCH = ZONEALLOC_BULK_MAX, NEXP = 16, MAXH = 1 << 16, NCONTIG = 32 };
	struct zonealloc_compact c = { .zone = ZONEALLOC_ZONE_ALL, .order = -1,
				       .mode = ZONEALLOC_COMPACT_SYNC };
	int fds[NEXP], fd = za_devopen(), i, j, nexp = 0, ret;
	__u64 *h = calloc(MAXH, sizeof(*h)), *drop = calloc(MAXH, sizeof(*h));
	unsigned long n = 0, ndrop = 0, kept = 0, moved = 0, ncontig = 0;
	struct zonealloc_query q;
	struct zonealloc_bulk b;
	__u64 exp_h[NEXP];
	__u32 exp_moves[NEXP];

	if (fd < 0 || !h || !drop)
		return za_fail("open");
	while (n + BATCH <= MAXH) {
		memset(&b, 0, sizeof(b));
		b.count = BATCH;
		b.flags = ZONEALLOC_GFP_MOVABLE;
		b.handles = (uintptr_t)(h + n);
		if (za_ioc(fd, ZONEALLOC_IOC_ALLOC_BULK, &b))
			break;
		n += b.count;
	}
	for (i = 0; i < (int)n; i++) {
		if (i % 4)
			drop[ndrop++] = h[i];
		else
			h[kept++] = h[i];
	}
	for (i = 0; i < (int)ndrop; i += BATCH) {
		memset(&b, 0, sizeof(b));
		b.count = ndrop - i < BATCH ? ndrop - i : BATCH;
		b.handles = (uintptr_t)(drop + i);
		if (za_ioc(fd, ZONEALLOC_IOC_FREE_BULK, &b))
			return za_fail("FREE_BULK");
	}
	/* Export kept pages spread over the pool. */
	for (i = 0; i < NEXP && kept; i++) {
		struct zonealloc_export e;
		__u64 hh = h[(unsigned long)i * kept / NEXP];
		void *p = map_handle(fd, hh, page_size);

		if (!p)
			return za_fail("mmap");
		za_fill_pattern(p, page_size, 100 + i);
		munmap(p, page_size);
		ret = export(fd, hh, O_RDWR, 0, &e);
		if (ret)
			return za_fail("EXPORT: %s", za_errname(ret));
		/*
		 * Background compaction may have moved it before the export:
		 * from here on its count must stay.
		 */
		memset(&q, 0, sizeof(q));
		q.handle = hh;
		if (za_ioc(fd, ZONEALLOC_IOC_QUERY, &q))
			return za_fail("QUERY after EXPORT");
		exp_moves[nexp] = q.moves;
		exp_h[nexp] = hh;
		fds[nexp++] = e.fd;
	}
	ret = za_ioc(fd, ZONEALLOC_IOC_COMPACT, &c);
	if (ret && ret != -EAGAIN)
		return za_fail("COMPACT: %s", za_errname(ret));
	/* Ranges isolate pageblocks and move what is in them, but not these. */
	for (i = 0; i < NCONTIG; i++) {
		struct zonealloc_alloc_contig ac = { .nr_pages = 512 };

		ret = za_ioc(fd, ZONEALLOC_IOC_ALLOC_CONTIG, &ac);
		if (ret == -ENOMEM)
			break;
		if (ret)
			return za_fail("ALLOC_CONTIG: %s", za_errname(ret));
		ncontig++;
	}
	for (i = 0; i < (int)kept; i++) {
		memset(&q, 0, sizeof(q));
		q.handle = h[i];
		if (za_ioc(fd, ZONEALLOC_IOC_QUERY, &q))
			return za_fail("QUERY");
		for (j = 0; j < nexp; j++)
			if (exp_h[j] == h[i] && q.moves != exp_moves[j])
				return za_fail("exported allocation moved %u times while exported",
					       q.moves - exp_moves[j]);
		moved += q.moves;
	}
	if (!moved)
		return za_fail("compaction moved none of %lu pages: the check proves nothing",
			       kept);
	printf("  compaction and %lu ranges of 512 pages moved %lu times",
	       ncontig, moved);
	printf(" among %lu pages kept; none of the %d exported\n", kept, nexp);
	for (i = 0; i < nexp; i++) {
		void *d = map_fd(fds[i], 0, page_size);

		if (!d || za_check_pattern(d, page_size, 100 + i,
					   "exported page after compaction"))
			return d ? -1 : za_fail("mmap dma-buf");
		munmap(d, page_size);
		close(fds[i]);
	}
	close(fd);
	free(h);
	free(drop);
	return all_back("after compaction");
}

static int open_vgem(void)
{
	static const char * const nodes[] = {
		"/dev/dri/renderD128", "/dev/dri/card0",
	};
	unsigned int i;
	int fd;

	for (i = 0; i < ARRAY_SIZE(nodes); i++) {
		fd = open(nodes[i], O_RDWR | O_CLOEXEC);
		if (fd >= 0)
			return fd;
	}
	return -1;
}

/*
 * vgem imports the dma-buf (attach + map for its device) and holds it by
 * a GEM handle; PRIME_HANDLE_TO_FD gives its view back as a file. Data
 * written through each view is read through the other, and vgem's handle
 * alone keeps the pages after FREE and close of every other fd.
 */
static int t_vgem(void)
{
	struct za_drm_prime_handle ph = { 0 };
	struct za_drm_gem_close gc = { 0 };
	struct dma_buf_sync s = { 0 };
	size_t len = 16 * page_size;
	struct zonealloc_export e;
	int drm = open_vgem(), vfd;
	__u64 h;
	void *p, *v;
	int ret;

	if (drm < 0)
		return za_fail("no vgem node in /dev/dri (vgem not loaded)");
	if (alloc_filled(dev, 4, 0, 7, &h, &p))
		return -1;
	ret = export(dev, h, O_RDWR | O_CLOEXEC, 0, &e);
	if (ret)
		return za_fail("EXPORT: %s", za_errname(ret));
	ph.fd = e.fd;
	if (ioctl(drm, ZA_DRM_IOCTL_PRIME_FD_TO_HANDLE, &ph))
		return za_fail("PRIME_FD_TO_HANDLE: %s", strerror(errno));
	close(e.fd);
	ph.fd = -1;
	ph.flags = O_RDWR | O_CLOEXEC;
	if (ioctl(drm, ZA_DRM_IOCTL_PRIME_HANDLE_TO_FD, &ph))
		return za_fail("PRIME_HANDLE_TO_FD: %s", strerror(errno));
	vfd = ph.fd;
	v = map_fd(vfd, 0, len);
	if (!v)
		return za_fail("mmap of vgem's view: %s", strerror(errno));
	/* Syncs vgem's attachment, mapped for its device at import. */
	s.flags = DMA_BUF_SYNC_START | DMA_BUF_SYNC_RW;
	if (ioctl(vfd, DMA_BUF_IOCTL_SYNC, &s))
		return za_fail("SYNC start with vgem attached: %s", strerror(errno));
	if (za_check_pattern(v, len, 7, "vgem view of zonealloc's writes"))
		return -1;
	za_fill_pattern(v, len, 8);
	s.flags = DMA_BUF_SYNC_END | DMA_BUF_SYNC_RW;
	if (ioctl(vfd, DMA_BUF_IOCTL_SYNC, &s))
		return za_fail("SYNC end with vgem attached: %s", strerror(errno));
	if (za_check_pattern(p, len, 8, "zonealloc view of vgem's writes"))
		return -1;
	munmap(v, len);
	close(vfd);
	munmap(p, len);
	if (za_rawfree(dev, h))
		return za_fail("FREE");
	/* Only vgem's handle holds it now. */
	if (avail_now() + 16 > start_avail)
		return za_fail("pages went back while vgem holds the dma-buf");
	ph.fd = -1;
	if (ioctl(drm, ZA_DRM_IOCTL_PRIME_HANDLE_TO_FD, &ph))
		return za_fail("PRIME_HANDLE_TO_FD after FREE: %s", strerror(errno));
	v = map_fd(ph.fd, 0, len);
	if (!v || za_check_pattern(v, len, 8, "vgem view after FREE"))
		return v ? -1 : za_fail("mmap after FREE");
	munmap(v, len);
	close(ph.fd);
	gc.handle = ph.handle;
	if (ioctl(drm, ZA_DRM_IOCTL_GEM_CLOSE, &gc))
		return za_fail("GEM_CLOSE: %s", strerror(errno));
	close(drm);
	return all_back("after vgem let go");
}

/* Set up a loop device over a file of @len bytes of @key's pattern. */
static int loop_setup(size_t len, uint64_t key, char *path, size_t plen)
{
	int ctl, lfd, ffd, n;
	void *buf = malloc(len);

	if (!buf)
		return -1;
	za_fill_pattern(buf, len, key);
	ffd = open("/tmp/za_dmabuf.img", O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (ffd < 0 || write(ffd, buf, len) != (ssize_t)len) {
		free(buf);
		return -1;
	}
	free(buf);
	ctl = open("/dev/loop-control", O_RDWR);
	n = ctl < 0 ? -1 : ioctl(ctl, LOOP_CTL_GET_FREE);
	if (ctl >= 0)
		close(ctl);
	if (n < 0) {
		close(ffd);
		return -1;
	}
	snprintf(path, plen, "/dev/loop%d", n);
	lfd = open(path, O_RDWR);
	if (lfd < 0 || ioctl(lfd, LOOP_SET_FD, ffd)) {
		close(ffd);
		return -1;
	}
	close(ffd);
	return lfd;
}

/* O_DIRECT reads land in a mapped non-movable allocation (GUP pins it). */
static int t_odirect(void)
{
	size_t len = 16 * page_size;
	struct zonealloc_export e;
	char path[64];
	int lfd, dfd;
	ssize_t n;
	__u64 h;
	void *p;

	lfd = loop_setup(len, 9, path, sizeof(path));
	if (lfd < 0)
		return za_fail("no loop device (loop.ko not loaded?): %s",
			       strerror(errno));
	dfd = open(path, O_RDONLY | O_DIRECT);
	if (dfd < 0)
		return za_fail("open %s O_DIRECT: %s", path, strerror(errno));
	if (alloc_filled(dev, 4, 0, 10, &h, &p))
		return -1;
	n = pread(dfd, p, len, 0);
	if (n != (ssize_t)len)
		return za_fail("O_DIRECT read into the mapping: %zd (%s)", n,
			       strerror(errno));
	if (za_check_pattern(p, len, 9, "O_DIRECT data"))
		return -1;
	munmap(p, len);
	za_rawfree(dev, h);
	/* A movable allocation stays a PFN map: no pin can be taken. */
	if (alloc_filled(dev, 0, ZONEALLOC_GFP_MOVABLE, 11, &h, &p))
		return -1;
	n = pread(dfd, p, page_size, 0);
	if (n >= 0 || errno != EFAULT)
		return za_fail("O_DIRECT into a movable mapping: %zd (%s), expected EFAULT",
			       n, strerror(errno));
	munmap(p, page_size);
	za_rawfree(dev, h);
	/* Nor through a dma-buf's mapping: a pin could outlive the dma-buf. */
	if (alloc_filled(dev, 0, 0, 15, &h, &p))
		return -1;
	munmap(p, page_size);
	if (export(dev, h, O_RDWR, 0, &e))
		return za_fail("EXPORT");
	p = map_fd(e.fd, 0, page_size);
	if (!p)
		return za_fail("mmap of the dma-buf");
	/* 6.12 refuses (VM_IO); 6.1's fast GUP pins: either way, no harm. */
	n = pread(dfd, p, page_size, 0);
	if (n != (ssize_t)page_size && (n >= 0 || errno != EFAULT))
		return za_fail("O_DIRECT into a dma-buf mapping: %zd (%s)", n,
			       strerror(errno));
	if (n == (ssize_t)page_size &&
	    za_check_pattern(p, page_size, 9, "O_DIRECT into a dma-buf"))
		return -1;
	munmap(p, page_size);
	close(e.fd);
	za_rawfree(dev, h);
	close(dfd);
	ioctl(lfd, LOOP_CLR_FD, 0);
	close(lfd);
	unlink("/tmp/za_dmabuf.img");
	return all_back("after O_DIRECT");
}

/* Pin the page at @p into a new pipe @pfd with vmsplice(). */
static int pin_page(void *p, int pfd[2])
{
	struct iovec iov = { .iov_base = p, .iov_len = page_size };

	if (pipe(pfd))
		return za_fail("pipe");
	if (vmsplice(pfd[1], &iov, 1, 0) != (ssize_t)page_size)
		return za_fail("vmsplice: %s", strerror(errno));
	return 0;
}

/*
 * A page pinned by vmsplice stays out of the pool after FREE: allocations
 * made meanwhile never get it (they are zeroed and refilled here), and the
 * pipe still reads the old bytes. Closing the pipe gives it back.
 */
static int t_pin_after_free(void)
{
	enum { N = 64 };
	struct zonealloc_alloc a;
	__u64 pinned_phys, h, hs[N];
	uint64_t *buf;
	int pfd[2], i, ret;
	void *p;

	ret = za_rawalloc(dev, 0, 0, &a);
	if (ret)
		return za_fail("ALLOC: %s", za_errname(ret));
	h = a.handle;
	pinned_phys = a.phys_addr;
	p = map_handle(dev, h, page_size);
	if (!p)
		return za_fail("mmap");
	za_fill_pattern(p, page_size, 12);
	if (pin_page(p, pfd))
		return -1;
	munmap(p, page_size);
	if (za_rawfree(dev, h))
		return za_fail("FREE");
	for (i = 0; i < N; i++) {
		ret = za_rawalloc(dev, 0, 0, &a);
		if (ret)
			return za_fail("ALLOC %d: %s", i, za_errname(ret));
		hs[i] = a.handle;
		if (pinned_phys && a.phys_addr == pinned_phys)
			return za_fail("the pinned page was handed out again");
		p = map_handle(dev, a.handle, page_size);
		if (!p)
			return za_fail("mmap");
		za_fill_words(p, page_size, 0xbadbadbadull);
		munmap(p, page_size);
	}
	for (i = 0; i < N; i++)
		za_rawfree(dev, hs[i]);
	if (avail_now() + 1 > start_avail)
		return za_fail("the pinned page is back in the pool");
	buf = malloc(page_size);
	if (!buf || read(pfd[0], buf, page_size) != (ssize_t)page_size)
		return za_fail("read from the pipe");
	ret = za_check_pattern(buf, page_size, 12, "pipe after FREE");
	free(buf);
	if (ret)
		return -1;
	close(pfd[0]);
	close(pfd[1]);
	return all_back("after the pin dropped");
}

/*
 * Where a fast pin can be taken through the dma-buf's own mapping (6.1),
 * it outlives the dma-buf and the FREE: the page stays out of the pool,
 * with its bytes, until the pin drops. Where it cannot (6.12), vmsplice
 * fails with EFAULT.
 */
static int t_pin_via_dmabuf(void)
{
	struct zonealloc_export e;
	uint64_t *buf;
	int pfd[2], ret;
	void *p;
	__u64 h;

	if (alloc_filled(dev, 0, ZONEALLOC_GFP_MOVABLE, 16, &h, &p))
		return -1;
	munmap(p, page_size);
	ret = export(dev, h, O_RDWR, 0, &e);
	if (ret)
		return za_fail("EXPORT: %s", za_errname(ret));
	p = map_fd(e.fd, 0, page_size);
	if (!p)
		return za_fail("mmap of the dma-buf");
	ret = pin_page(p, pfd);
	munmap(p, page_size);
	close(e.fd);
	za_rawfree(dev, h);
	if (ret)
		return strstr(za_why, "Bad address") ? (za_why[0] = 0) : -1;
	if (avail_now() + 1 > start_avail)
		return za_fail("the pinned page is back in the pool");
	buf = malloc(page_size);
	if (!buf || read(pfd[0], buf, page_size) != (ssize_t)page_size)
		return za_fail("read from the pipe");
	ret = za_check_pattern(buf, page_size, 16, "pipe after the dma-buf went");
	free(buf);
	close(pfd[0]);
	close(pfd[1]);
	return ret ? ret : all_back("after the pin through the dma-buf");
}

/* rmmod -f's cousin that never waits: fails while the module is in use. */
static int try_unload(void)
{
	return syscall(SYS_delete_module, "zonealloc", O_NONBLOCK) ? -errno : 0;
}

/*
 * Close our file and try to unload: 0 if that was refused, as it must be
 * while @what holds the module; the file is open again either way.
 */
static int unload_refused(const char *what)
{
	int un;

	close(dev);
	un = try_unload();
	dev = za_devopen();
	if (dev < 0)
		return za_fail("the module went under %s (%s)", what,
			       za_errname(un));
	if (un != -EWOULDBLOCK && un != -EBUSY)
		return za_fail("unload under %s: %s", what, za_errname(un));
	return 0;
}

/*
 * With no /dev/zonealloc file open, a live dma-buf, or a pin on a freed
 * allocation's page, keeps the module loaded; once it goes, the pages are
 * back (the module would then unload: not tried, the tests go on).
 */
static int t_module_pinned(void)
{
	struct zonealloc_export e;
	struct zonealloc_alloc a;
	int pfd[2], ret;
	void *p;
	__u64 h;

	if (alloc_filled(dev, 1, 0, 13, &h, &p))
		return -1;
	ret = export(dev, h, O_RDWR | O_CLOEXEC, 0, &e);
	if (ret)
		return za_fail("EXPORT: %s", za_errname(ret));
	munmap(p, 2 * page_size);
	if (unload_refused("a live dma-buf"))
		return -1;
	close(e.fd);

	ret = za_rawalloc(dev, 0, 0, &a);
	if (ret)
		return za_fail("ALLOC: %s", za_errname(ret));
	p = map_handle(dev, a.handle, page_size);
	if (!p)
		return za_fail("mmap");
	if (pin_page(p, pfd))
		return -1;
	munmap(p, page_size);
	/* Closing the file frees the allocation under the pin. */
	if (unload_refused("a pinned page"))
		return -1;
	close(pfd[0]);
	close(pfd[1]);
	return all_back("after the dma-buf and the pin");
}

static const struct {
	const char *name;
	int (*fn)(void);
} tests[] = {
	{ "dmabuf-export-map-both-ways", t_export_basic },
	{ "dmabuf-export-contig-range", t_export_contig },
	{ "dmabuf-export-errors", t_export_errors },
	{ "dmabuf-export-struct-sizes", t_export_sizes },
	{ "dmabuf-sync", t_sync },
	{ "dmabuf-outlives-free", t_outlives_free },
	{ "dmabuf-outlives-close", t_outlives_close },
	{ "dmabuf-outlives-sigkill", t_outlives_sigkill },
	{ "dmabuf-quota-until-release", t_quota },
	{ "dmabuf-export-races-free", t_export_races_free },
	{ "dmabuf-compaction-never-moves", t_compaction_pinned },
	{ "dmabuf-vgem-import", t_vgem },
	{ "gup-odirect-read", t_odirect },
	{ "gup-pin-outlives-free", t_pin_after_free },
	{ "gup-pin-via-dmabuf-outlives-it", t_pin_via_dmabuf },
	{ "dmabuf-and-pin-hold-module", t_module_pinned },
};

int main(int argc, char **argv)
{
	unsigned int i;

	page_size = sysconf(_SC_PAGESIZE);
	dev = za_devopen();
	if (dev < 0) {
		printf("FAIL: dmabuf-open (%s)\n", strerror(errno));
		return 1;
	}
	za_settled(dev, &start_avail, NULL);
	for (i = 0; i < ARRAY_SIZE(tests); i++)
		if (argc < 2 || strstr(tests[i].name, argv[1]))
			za_run(tests[i].name, tests[i].fn);
	close(dev);
	return za_summary("za_dmabuf_test");
}
