// SPDX-License-Identifier: GPL-2.0
/*
 * libzonealloc: thin wrappers around the /dev/zonealloc ioctls and mmap.
 * See libzonealloc.h for the contract of each function.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "libzonealloc.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

const char * const zal_flag_names[] = {
	"dma", "highmem", "dma32", "movable", "reclaimable", "high",
	"atomic", "zero", "noretry", "retry_mayfail", "nofail", "nowarn",
	"thisnode", NULL
};

static int za_ioctl(struct zal_dev *dev, unsigned long cmd, void *arg)
{
	if (ioctl(dev->fd, cmd, arg) < 0)
		return -errno;
	return 0;
}

int zal_open(struct zal_dev *dev, const char *path)
{
	long ps = sysconf(_SC_PAGESIZE);

	dev->fd = open(path ? path : ZAL_DEFAULT_PATH, O_RDWR | O_CLOEXEC);
	if (dev->fd < 0)
		return -errno;
	dev->page_size = ps > 0 ? (size_t)ps : 4096;
	return 0;
}

int zal_close(struct zal_dev *dev)
{
	int ret = 0;

	if (dev->fd >= 0 && close(dev->fd) < 0)
		ret = -errno;
	dev->fd = -1;
	return ret;
}

int zal_alloc_node(struct zal_dev *dev, unsigned int order,
		   unsigned int flags, int node, struct zonealloc_alloc *out)
{
	struct zonealloc_alloc a;
	int ret;

	if (node < -1)
		return -EINVAL;
	memset(&a, 0, sizeof(a));
	a.order = order;
	a.flags = flags;
	a.node = ZONEALLOC_NODE(node);
	ret = za_ioctl(dev, ZONEALLOC_IOC_ALLOC, &a);
	if (!ret && out)
		*out = a;
	return ret;
}

int zal_alloc(struct zal_dev *dev, unsigned int order, unsigned int flags,
	      struct zonealloc_alloc *out)
{
	return zal_alloc_node(dev, order, flags, -1, out);
}

#ifdef ZONEALLOC_IOC_ALLOC_CONTIG
int zal_alloc_contig_node(struct zal_dev *dev, unsigned int nr_pages,
			  unsigned int flags, int node,
			  struct zonealloc_alloc_contig *out)
{
	struct zonealloc_alloc_contig c;
	int ret;

	if (node < -1)
		return -EINVAL;
	memset(&c, 0, sizeof(c));
	c.nr_pages = nr_pages;
	c.flags = flags;
	c.node = ZONEALLOC_NODE(node);
	ret = za_ioctl(dev, ZONEALLOC_IOC_ALLOC_CONTIG, &c);
	if (!ret && out)
		*out = c;
	return ret;
}

int zal_alloc_contig(struct zal_dev *dev, unsigned int nr_pages,
		     unsigned int flags, struct zonealloc_alloc_contig *out)
{
	return zal_alloc_contig_node(dev, nr_pages, flags, -1, out);
}
#endif

int zal_free(struct zal_dev *dev, __u64 handle)
{
	struct zonealloc_free f;

	memset(&f, 0, sizeof(f));
	f.handle = handle;
	return za_ioctl(dev, ZONEALLOC_IOC_FREE, &f);
}

int zal_alloc_bulk_node(struct zal_dev *dev, unsigned int flags, int node,
			__u64 *handles, unsigned int *count)
{
	struct zonealloc_bulk b;
	int ret;

	if (node < -1)
		return -EINVAL;
	memset(&b, 0, sizeof(b));
	b.count = *count;
	b.flags = flags;
	b.node = ZONEALLOC_NODE(node);
	b.handles = (uintptr_t)handles;
	ret = za_ioctl(dev, ZONEALLOC_IOC_ALLOC_BULK, &b);
	if (!ret)
		*count = b.count;
	return ret;
}

int zal_alloc_bulk(struct zal_dev *dev, unsigned int flags, __u64 *handles,
		   unsigned int *count)
{
	return zal_alloc_bulk_node(dev, flags, -1, handles, count);
}

int zal_free_bulk(struct zal_dev *dev, const __u64 *handles,
		  unsigned int count)
{
	struct zonealloc_bulk b;

	memset(&b, 0, sizeof(b));
	b.count = count;
	b.handles = (uintptr_t)handles;
	return za_ioctl(dev, ZONEALLOC_IOC_FREE_BULK, &b);
}

int zal_map(struct zal_dev *dev, __u64 handle, size_t len, int prot,
	    void **addrp)
{
	void *p;

	if (handle > (__u64)INT64_MAX / dev->page_size)
		return -EOVERFLOW;
	p = mmap(NULL, len, prot, MAP_SHARED, dev->fd,
		 (off_t)(handle * dev->page_size));
	if (p == MAP_FAILED)
		return -errno;
	*addrp = p;
	return 0;
}

int zal_unmap(void *addr, size_t len)
{
	if (munmap(addr, len) < 0)
		return -errno;
	return 0;
}

int zal_info(struct zal_dev *dev, struct zonealloc_info *info)
{
	memset(info, 0, sizeof(*info));
	info->size = sizeof(*info);
	return za_ioctl(dev, ZONEALLOC_IOC_INFO, info);
}

int zal_compact(struct zal_dev *dev, unsigned int zone, int order,
		unsigned int mode, __u64 *migrated)
{
	struct zonealloc_compact c;
	int ret;

	memset(&c, 0, sizeof(c));
	c.zone = zone;
	c.order = order;
	c.mode = mode;
	ret = za_ioctl(dev, ZONEALLOC_IOC_COMPACT, &c);
	if ((!ret || ret == -EAGAIN) && migrated)
		*migrated = c.migrated;
	return ret;
}

int zal_drain(struct zal_dev *dev, int cpu)
{
	struct zonealloc_drain d;

	memset(&d, 0, sizeof(d));
	d.cpu = cpu;
	return za_ioctl(dev, ZONEALLOC_IOC_DRAIN, &d);
}

int zal_export(struct zal_dev *dev, __u64 handle, unsigned int fd_flags,
	       unsigned int map, int *fdp, __u64 *sizep)
{
	struct zonealloc_export e;
	int ret;

	memset(&e, 0, sizeof(e));
	e.handle = handle;
	e.fd_flags = fd_flags;
	e.flags = map;
	ret = za_ioctl(dev, ZONEALLOC_IOC_EXPORT, &e);
	if (ret)
		return ret;
	*fdp = e.fd;
	if (sizep)
		*sizep = e.size;
	return 0;
}

int zal_sync(struct zal_dev *dev, __u64 handle, __u64 offset, __u64 size,
	     unsigned int flags)
{
	struct zonealloc_sync y;

	memset(&y, 0, sizeof(y));
	y.handle = handle;
	y.offset = offset;
	y.size = size;
	y.flags = flags;
	return za_ioctl(dev, ZONEALLOC_IOC_SYNC, &y);
}

/* The cache-mode names, which are not GFP bits. */
static const struct {
	const char *name;
	unsigned int bit;
} zal_map_names[] = {
	{ "wc", ZONEALLOC_MAP_WC },
	{ "uncached", ZONEALLOC_MAP_UNCACHED },
};

int zal_parse_flags(const char *s, unsigned int *flags)
{
	char *copy, *tok, *save = NULL, *end;
	unsigned int f = 0;
	int ret = 0, i;

	copy = strdup(s);
	if (!copy)
		return -ENOMEM;
	for (tok = strtok_r(copy, ",|+ ", &save); tok;
	     tok = strtok_r(NULL, ",|+ ", &save)) {
		if (!strncasecmp(tok, "ZONEALLOC_GFP_", 14))
			tok += 14;
		if (!strcasecmp(tok, "none"))
			continue;
		for (i = 0; zal_flag_names[i]; i++)
			if (!strcasecmp(tok, zal_flag_names[i]))
				break;
		if (zal_flag_names[i]) {
			f |= 1u << i;
			continue;
		}
		for (i = 0; i < (int)ARRAY_SIZE(zal_map_names); i++)
			if (!strcasecmp(tok, zal_map_names[i].name))
				break;
		if (i < (int)ARRAY_SIZE(zal_map_names)) {
			f |= zal_map_names[i].bit;
			continue;
		}
		errno = 0;
		{
			unsigned long v = strtoul(tok, &end, 0);

			if (errno || *end || v > UINT32_MAX) {
				ret = -EINVAL;
				break;
			}
			f |= (unsigned int)v;
		}
	}
	free(copy);
	if (!ret)
		*flags = f;
	return ret;
}

char *zal_format_flags(unsigned int flags, char *buf, size_t len)
{
	size_t used = 0;
	int i;

	if (!len)
		return buf;
	buf[0] = '\0';
	for (i = 0; zal_flag_names[i]; i++) {
		if (!(flags & (1u << i)))
			continue;
		used += snprintf(buf + used, used < len ? len - used : 0,
				 "%s%s", used ? "," : "", zal_flag_names[i]);
		flags &= ~(1u << i);
	}
	for (i = 0; i < (int)ARRAY_SIZE(zal_map_names); i++) {
		if (!(flags & zal_map_names[i].bit))
			continue;
		used += snprintf(buf + used, used < len ? len - used : 0,
				 "%s%s", used ? "," : "", zal_map_names[i].name);
		flags &= ~zal_map_names[i].bit;
	}
	if (flags)
		used += snprintf(buf + used, used < len ? len - used : 0,
				 "%s%#x", used ? "," : "", flags);
	if (!used)
		snprintf(buf, len, "none");
	return buf;
}

const char *zal_zone_name(unsigned int zone)
{
	static const char * const names[ZONEALLOC_NR_ZONES] = {
		"DMA", "DMA32", "Normal", "HighMem", "Movable",
	};

	return zone < ZONEALLOC_NR_ZONES ? names[zone] : "?";
}

const char *zal_migratetype_name(unsigned int mt)
{
	static const char * const names[] = {
		"Unmovable", "Movable", "Reclaimable", "HighAtomic", "Isolate",
	};

	return mt < ARRAY_SIZE(names) ? names[mt] : "?";
}
