/* SPDX-License-Identifier: GPL-2.0 */
/* Host stub: the system's __u64 and friends, then the kernel's u64. */
#include_next <linux/types.h>
#include <host_kernel.h>
