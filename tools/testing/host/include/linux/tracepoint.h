/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host stub: see host_kernel.h. Tracepoints compiled out, as in a kernel
 * without CONFIG_TRACEPOINTS: every trace_<event>() is an empty inline
 * that still takes (and so uses) its arguments.
 */
#include <host_kernel.h>

#ifndef _HOST_TRACEPOINT_H
#define _HOST_TRACEPOINT_H

#define PARAMS(args...) args
#define TP_PROTO(args...) args
#define TP_ARGS(args...) args
#define TP_CONDITION(args...) args
#define TRACE_DEFINE_ENUM(a)

#define DECLARE_TRACE(name, proto, args)				\
	static inline void trace_##name(proto)				\
	{								\
	}								\
	static inline bool trace_##name##_enabled(void)		\
	{								\
		return false;						\
	}

#define TRACE_EVENT(name, proto, args, tstruct, assign, print)		\
	DECLARE_TRACE(name, PARAMS(proto), PARAMS(args))
#define DECLARE_EVENT_CLASS(name, proto, args, tstruct, assign, print)
#define DEFINE_EVENT(template, name, proto, args)			\
	DECLARE_TRACE(name, PARAMS(proto), PARAMS(args))
#define DEFINE_EVENT_PRINT(template, name, proto, args, print)		\
	DECLARE_TRACE(name, PARAMS(proto), PARAMS(args))

#endif
