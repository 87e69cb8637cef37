// SPDX-License-Identifier: GPL-2.0
/*
 * za_replay_gfptest: host test of za_replay's mapping from the gfp flags
 * printed by kmem:mm_page_alloc on 6.1 and 6.12, and the event's
 * migratetype, to ZONEALLOC_GFP_* (tools/tests/za_replay.h). Every rule
 * of za_replay_zgfp() is asserted against the uapi values; every name of
 * ZB_GFP_NAMES must parse to its own bit. Run by scripts/replay
 * --selftest; prints PASS/FAIL lines and exits 1 on a failure.
 */

#include "za_test.h"
#include "za_replay.h"

#define NOWARN ZONEALLOC_GFP_NOWARN
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const struct {
	const char *flags;	/* as the trace prints them */
	int mt;			/* the event's migratetype */
	unsigned int want;	/* ZONEALLOC_GFP_* */
	int unknown;		/* tokens that are not names */
	const char *rule;
} cases[] = {
	{ "GFP_KERNEL|__GFP_COMP", 0, NOWARN, 0,
	  "GFP_KERNEL: unmovable, may sleep" },
	{ "GFP_KERNEL_ACCOUNT", 0, NOWARN, 0, "GFP_KERNEL_ACCOUNT: may sleep" },
	{ "GFP_HIGHUSER_MOVABLE|__GFP_ZERO", 1, ZONEALLOC_GFP_MOVABLE | NOWARN,
	  0, "migratetype 1 is MOVABLE; no HIGHMEM zone, no ZERO" },
	{ "GFP_NOFS|__GFP_RECLAIMABLE", 2, ZONEALLOC_GFP_RECLAIMABLE | NOWARN,
	  0, "migratetype 2 is RECLAIMABLE" },
	{ "GFP_HIGHUSER_MOVABLE", 0, NOWARN, 0,
	  "the migratetype field decides, not the names" },
	{ "GFP_KERNEL", 3, NOWARN, 0, "a reserve migratetype is not asked" },
	{ "GFP_USER", 0, NOWARN, 0, "GFP_USER may sleep" },
	{ "GFP_NOIO", 0, NOWARN, 0, "GFP_NOIO may sleep" },
	{ "GFP_NOWAIT|__GFP_NOWARN", 0, ZONEALLOC_GFP_ATOMIC | NOWARN, 0,
	  "GFP_NOWAIT cannot sleep: ATOMIC" },
	{ "GFP_ATOMIC|__GFP_COMP", 0,
	  ZONEALLOC_GFP_ATOMIC | ZONEALLOC_GFP_HIGH | NOWARN, 0,
	  "GFP_ATOMIC: ATOMIC and HIGH" },
	{ "GFP_ATOMIC|__GFP_NOWARN|__GFP_NOMEMALLOC", 0,
	  ZONEALLOC_GFP_HIGH | NOWARN, 0,
	  "__GFP_NOMEMALLOC: no ATOMIC reserves, still HIGH" },
	{ "__GFP_HIGH|__GFP_NOWARN", 0,
	  ZONEALLOC_GFP_ATOMIC | ZONEALLOC_GFP_HIGH | NOWARN, 0,
	  "__GFP_HIGH: HIGH; no reclaim name: ATOMIC" },
	{ "GFP_KERNEL|__GFP_HIGH", 0, ZONEALLOC_GFP_HIGH | NOWARN, 0,
	  "__GFP_HIGH with reclaim: HIGH only" },
	{ "__GFP_ATOMIC|__GFP_KSWAPD_RECLAIM", 0, ZONEALLOC_GFP_ATOMIC | NOWARN,
	  0, "6.1's __GFP_ATOMIC: ATOMIC" },
	{ "__GFP_KSWAPD_RECLAIM", 0, ZONEALLOC_GFP_ATOMIC | NOWARN, 0,
	  "kswapd reclaim only: ATOMIC" },
	{ "__GFP_IO|__GFP_FS|__GFP_DIRECT_RECLAIM", 0, NOWARN, 0,
	  "__GFP_DIRECT_RECLAIM may sleep" },
	{ "__GFP_RECLAIM", 0, NOWARN, 0, "__GFP_RECLAIM may sleep" },
	{ "GFP_TRANSHUGE", 1, ZONEALLOC_GFP_MOVABLE | NOWARN, 0,
	  "GFP_TRANSHUGE may sleep" },
	{ "GFP_TRANSHUGE_LIGHT", 1, ZONEALLOC_GFP_MOVABLE | NOWARN, 0,
	  "GFP_TRANSHUGE_LIGHT has __GFP_NOMEMALLOC: not ATOMIC" },
	{ "GFP_KERNEL|GFP_DMA32", 0, ZONEALLOC_GFP_DMA32 | NOWARN, 0,
	  "GFP_DMA32 (printed for __GFP_DMA32): zone DMA32" },
	{ "GFP_KERNEL|GFP_DMA", 0, ZONEALLOC_GFP_DMA | NOWARN, 0,
	  "GFP_DMA: zone DMA" },
	{ "GFP_KERNEL|__GFP_HIGHMEM", 0, NOWARN, 0,
	  "__GFP_HIGHMEM: no zone bit" },
	{ "GFP_KERNEL|__GFP_NORETRY", 0, ZONEALLOC_GFP_NORETRY | NOWARN, 0,
	  "__GFP_NORETRY" },
	{ "GFP_KERNEL|__GFP_RETRY_MAYFAIL", 0,
	  ZONEALLOC_GFP_RETRY_MAYFAIL | NOWARN, 0, "__GFP_RETRY_MAYFAIL" },
	{ "GFP_KERNEL|__GFP_RETRY_MAYFAIL|__GFP_NORETRY", 0,
	  ZONEALLOC_GFP_NORETRY | NOWARN, 0, "__GFP_NORETRY wins" },
	{ "GFP_KERNEL|__GFP_NOFAIL", 0, NOWARN, 0, "__GFP_NOFAIL not passed" },
	{ "none", 0, ZONEALLOC_GFP_ATOMIC | NOWARN, 0,
	  "no flags at all cannot sleep" },
	{ "GFP_KERNEL|0x4000000", 0, NOWARN, 1, "a hex remainder is unknown" },
	{ "GFP_KERNEL|__GFP_NEWFLAG|__GFP_COMP", 0, NOWARN, 1,
	  "an unknown name is counted and skipped" },
	{ "GFP_KERNEL|__GFP_COMP next=1", 0, NOWARN, 0,
	  "the string ends at a blank" },
};

int main(void)
{
	unsigned long long names;
	unsigned int i, got;
	int unknown, bad = 0;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		unknown = za_replay_parse(cases[i].flags, &names);
		got = za_replay_zgfp(names, cases[i].mt);
		if (got != cases[i].want || unknown != cases[i].unknown ||
		    (got & ~ZONEALLOC_GFP_ALL)) {
			printf("FAIL: gfp %s mt %d (%s): got %#x unknown %d, want %#x unknown %d\n",
			       cases[i].flags, cases[i].mt, cases[i].rule, got,
			       unknown, cases[i].want, cases[i].unknown);
			bad++;
		}
	}
	/* Every name parses to its own bit, which zb_replay turns into gfp_t. */
	for (i = 0; i < ZB_GFP_NR_NAMES; i++) {
		unknown = za_replay_parse(za_replay_names[i], &names);
		if (unknown || names != 1ULL << i) {
			printf("FAIL: gfp name %s parses to %#llx\n",
			       za_replay_names[i], names);
			bad++;
		}
	}
	za_replay_parse("GFP_KERNEL|__GFP_COMP", &names);
	if (names != (ZB_GFP(GFP_KERNEL) | ZB_GFP(__GFP_COMP))) {
		printf("FAIL: gfp GFP_KERNEL|__GFP_COMP parses to %#llx\n", names);
		bad++;
	}
	if (ZB_GFP_NR_NAMES > 64) {
		printf("FAIL: %d gfp names do not fit the 64-bit mask\n",
		       ZB_GFP_NR_NAMES);
		bad++;
	}
	printf("%s: replay-gfp-mapping (%zu cases, %d names)\n",
	       bad ? "FAIL" : "PASS", ARRAY_SIZE(cases),
	       ZB_GFP_NR_NAMES);
	return bad ? 1 : 0;
}
