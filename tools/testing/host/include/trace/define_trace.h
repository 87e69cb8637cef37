/* SPDX-License-Identifier: GPL-2.0 */
/* Host stub: tracepoints are compiled out (see linux/tracepoint.h). */
