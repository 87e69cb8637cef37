/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every kernel-version difference zonealloc depends on lives here. The rest
 * of the sources are written against the newest supported API (6.12); this
 * header, force-included by Kbuild, maps older kernels onto it.
 */
#ifndef _ZONEALLOC_COMPAT_H
#define _ZONEALLOC_COMPAT_H

#include <linux/version.h>

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 1, 0)
#error "zonealloc requires Linux 6.1 or later"
#endif

/*
 * The kernel's highest buddy order, inclusive. 6.4 made MAX_ORDER inclusive
 * and 6.8 renamed it MAX_PAGE_ORDER; before 6.4 MAX_ORDER was exclusive.
 * (Lazy macros: <linux/mmzone.h> need not be included yet.)
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 4, 0)
#define MAX_PAGE_ORDER (MAX_ORDER - 1)
#elif LINUX_VERSION_CODE < KERNEL_VERSION(6, 8, 0)
#define MAX_PAGE_ORDER MAX_ORDER
#endif

/*
 * Chunks are claimed without __GFP_COMP on every kernel, as CMA claims
 * them: alloc_contig_range() (6.1 and 6.12) then leaves every page with its
 * own reference count of one, so that the pages the module hands out
 * behave like alloc_pages() pages. (6.12 could return the range as one
 * compound page, but a get_page() on any page of it would then pin the
 * whole chunk.) At unload a range goes back as one non-compound high-order
 * block freed with __free_pages() (see chunk.c): freed page by page, as
 * free_contig_range() does, it would sit on the kernel's per-CPU lists, out
 * of MemFree.
 */

/*
 * alloc_contig_range() and alloc_contig_pages() became macros over *_noprof
 * functions in 6.10 (memory allocation profiling); the call syntax is the
 * same on both sides, so nothing is needed here. Kbuild defines
 * ZONEALLOC_HAVE_ALLOC_CONTIG_PAGES when the target kernel exports
 * alloc_contig_pages (or alloc_contig_pages_noprof).
 */

/* vm_flags became read-only behind vm_flags_set() and friends in 6.3. */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 3, 0)
#define vm_flags_set(vma, flags) ((vma)->vm_flags |= (flags))
#endif

/*
 * Shrinkers: 6.7 made them allocated objects (shrinker_alloc(),
 * shrinker_register(), shrinker_free()); 6.1 registers a caller-owned
 * struct with register_shrinker(), which fails only for no memory (for
 * its name): the shrinker then stays unregistered, and the pool gives
 * memory back only on request. unregister_shrinker() ignores a shrinker
 * that was never registered. (Lazy macros: <linux/shrinker.h> and
 * <linux/slab.h> are included where they are used.)
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 7, 0)
/* The name is fixed: the module registers one shrinker. */
#define shrinker_alloc(za_flags, ...) ({				\
	struct shrinker *__za_s = kzalloc(sizeof(*__za_s), GFP_KERNEL);\
									\
	if (__za_s) {							\
		__za_s->flags = (za_flags);				\
		__za_s->seeks = DEFAULT_SEEKS;				\
	}								\
	__za_s;								\
})
#define shrinker_register(s) do {					\
	if (register_shrinker((s), "zonealloc"))			\
		pr_warn("no shrinker: memory goes back only on request\n"); \
} while (0)
#define shrinker_free(s) do {						\
	struct shrinker *__za_s = (s);					\
									\
	if (__za_s) {							\
		unregister_shrinker(__za_s);				\
		kfree(__za_s);						\
	}								\
} while (0)
#endif

/*
 * dma_buf_export() and friends live in the DMA_BUF symbol namespace. 6.13
 * made MODULE_IMPORT_NS() take a string; 6.1 and 6.12 take a bare token.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 13, 0)
#define ZA_MODULE_IMPORT_NS_DMA_BUF MODULE_IMPORT_NS(DMA_BUF)
#else
#define ZA_MODULE_IMPORT_NS_DMA_BUF MODULE_IMPORT_NS("DMA_BUF")
#endif

/*
 * dma_buf_vmap() took the dma-buf's own mutex until 6.2, which moved it
 * under the reservation lock and added the _unlocked variants that take
 * it (used by tools/holder/za_exporter.c, an in-kernel importer).
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 2, 0)
#define dma_buf_vmap_unlocked dma_buf_vmap
#define dma_buf_vunmap_unlocked dma_buf_vunmap
#endif

#endif /* _ZONEALLOC_COMPAT_H */
