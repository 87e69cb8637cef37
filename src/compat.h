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
 * Since 6.12 (hugetlb's gigantic folios), alloc_contig_range() can return
 * the range as one compound page, which free_contig_range() then frees in
 * one piece straight to the buddy lists; freed page by page, it would sit
 * on the kernel's per-CPU lists, out of MemFree.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
#define ZA_CONTIG_GFP_COMP __GFP_COMP
#define ZA_CONTIG_FREE_AS_BLOCK 0
#else
#define ZA_CONTIG_GFP_COMP 0
/*
 * Older kernels: turn the range into one non-compound high-order block
 * (tail refcounts to zero, as alloc_pages() without __GFP_COMP leaves
 * them) and free it with __free_pages(), which bypasses the per-CPU lists.
 */
#define ZA_CONTIG_FREE_AS_BLOCK 1
#endif

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

#endif /* _ZONEALLOC_COMPAT_H */
