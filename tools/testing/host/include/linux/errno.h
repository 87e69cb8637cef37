/* SPDX-License-Identifier: GPL-2.0 */
/* Host stub: the system's errno values (libc includes this one too). */
#include_next <linux/errno.h>
#include <host_kernel.h>
