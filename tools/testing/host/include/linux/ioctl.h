/* SPDX-License-Identifier: GPL-2.0 */
/* Host stub: the system's _IOWR() and friends. */
#include_next <linux/ioctl.h>
