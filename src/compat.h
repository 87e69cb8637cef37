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

#endif /* _ZONEALLOC_COMPAT_H */
