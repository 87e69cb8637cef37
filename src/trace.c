// SPDX-License-Identifier: GPL-2.0
/*
 * The zonealloc trace events (trace.h), instantiated once for the module.
 * The call sites include trace.h alone; this file adds the definitions.
 */

#define CREATE_TRACE_POINTS
#include "trace.h"
