/* SPDX-License-Identifier: GPL-2.0 */
/*
 * za_replay's mapping from the gfp flags that kmem:mm_page_alloc prints
 * (and its migratetype field) to ZONEALLOC_GFP_* flags, shared with its
 * host test za_replay_gfptest.c (Documentation/replay.rst, "Mapping").
 */
#ifndef _ZA_REPLAY_H
#define _ZA_REPLAY_H

#include <linux/zonealloc.h>
#include <string.h>

#include "../../bench/zb_replay.h"

#define ZB_GFP_NAME(name) #name
static const char *const za_replay_names[ZB_GFP_NR_NAMES] = {
#include "../../bench/zb_replay_gfp.h"
};

#undef ZB_GFP_NAME

/*
 * The names of a flags string ("GFP_KERNEL|__GFP_COMP", "none"; it ends
 * at a blank or the end) as a mask of ZB_GFP() bits into *@names.
 * Returns the number of tokens that are not names (a "0x..." remainder
 * of bits without a name, or a name newer than ZB_GFP_NAMES).
 */
static inline int za_replay_parse(const char *s, unsigned long long *names)
{
	int unknown = 0, i;
	size_t n;

	*names = 0;
	for (;;) {
		n = strcspn(s, "| \t\n");
		for (i = 0; i < ZB_GFP_NR_NAMES; i++)
			if (strlen(za_replay_names[i]) == n &&
			    !strncmp(s, za_replay_names[i], n))
				break;
		if (i < ZB_GFP_NR_NAMES)
			*names |= 1ULL << i;
		else if (n && strncmp(s, "none", n))
			unknown++;
		if (s[n] != '|')
			return unknown;
		s += n + 1;
	}
}

/* The names whose value includes __GFP_DIRECT_RECLAIM: may sleep. */
#define ZA_REPLAY_RECLAIM (ZB_GFP(GFP_KERNEL) | ZB_GFP(GFP_KERNEL_ACCOUNT) | \
	ZB_GFP(GFP_NOFS) | ZB_GFP(GFP_NOIO) | ZB_GFP(GFP_USER) |	\
	ZB_GFP(GFP_HIGHUSER) | ZB_GFP(GFP_HIGHUSER_MOVABLE) |		\
	ZB_GFP(GFP_TRANSHUGE) | ZB_GFP(__GFP_RECLAIM) |			\
	ZB_GFP(__GFP_DIRECT_RECLAIM))

/* The names whose value includes __GFP_NOMEMALLOC. */
#define ZA_REPLAY_NOMEMALLOC (ZB_GFP(GFP_TRANSHUGE_LIGHT) |		\
	ZB_GFP(GFP_TRANSHUGE) | ZB_GFP(__GFP_NOMEMALLOC))

/*
 * ZONEALLOC_GFP_* flags for a recorded allocation: @names from
 * za_replay_parse(), @mt the event's migratetype (0 unmovable,
 * 1 movable, 2 reclaimable; others are reserves the request did not ask
 * for). The rules, each asserted by za_replay_gfptest:
 *  - the migratetype comes from @mt, not from the names;
 *  - GFP_DMA and GFP_DMA32 select their zones; __GFP_HIGHMEM does not:
 *    x86_64 has no HIGHMEM zone, and without movablecore no MOVABLE one;
 *  - GFP_ATOMIC and __GFP_HIGH give ZONEALLOC_GFP_HIGH;
 *  - no name that may direct-reclaim or has __GFP_NOMEMALLOC gives
 *    ZONEALLOC_GFP_ATOMIC (6.12's ALLOC_NON_BLOCK), as does 6.1's
 *    __GFP_ATOMIC;
 *  - __GFP_NORETRY gives NORETRY, else __GFP_RETRY_MAYFAIL RETRY_MAYFAIL;
 *  - __GFP_NOFAIL and __GFP_ZERO are not passed (a replay must not hang;
 *    zeroing is not compared), NOWARN always is.
 */
static inline unsigned int za_replay_zgfp(unsigned long long names, int mt)
{
	unsigned int flags = ZONEALLOC_GFP_NOWARN;

	if (mt == 1)
		flags |= ZONEALLOC_GFP_MOVABLE;
	else if (mt == 2)
		flags |= ZONEALLOC_GFP_RECLAIMABLE;
	if (names & ZB_GFP(GFP_DMA))
		flags |= ZONEALLOC_GFP_DMA;
	if (names & ZB_GFP(GFP_DMA32))
		flags |= ZONEALLOC_GFP_DMA32;
	if (names & (ZB_GFP(GFP_ATOMIC) | ZB_GFP(__GFP_HIGH)))
		flags |= ZONEALLOC_GFP_HIGH;
	if (!(names & (ZA_REPLAY_RECLAIM | ZA_REPLAY_NOMEMALLOC)) ||
	    (names & ZB_GFP(__GFP_ATOMIC)))
		flags |= ZONEALLOC_GFP_ATOMIC;
	if (names & ZB_GFP(__GFP_NORETRY))
		flags |= ZONEALLOC_GFP_NORETRY;
	else if (names & ZB_GFP(__GFP_RETRY_MAYFAIL))
		flags |= ZONEALLOC_GFP_RETRY_MAYFAIL;
	return flags;
}

#endif /* _ZA_REPLAY_H */
