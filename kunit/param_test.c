// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for zonealloc's run-time parameters: each takes the range of
 * the vm sysctl it mirrors and refuses anything else with -EINVAL, leaving
 * the value in force unchanged, as the sysctl does.
 */

#include <kunit/test.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>

#include "compaction.h"

struct za_param_case {
	const char *in;
	int ret;
	unsigned int val;	/* read back afterwards */
};

static void za_param_run(struct kunit *test, const char *name,
			 const struct kernel_param_ops *ops, unsigned int start,
			 const struct za_param_case *cases, unsigned int n)
{
	char *buf = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	unsigned int v = start, i;
	struct kernel_param kp = { .name = name, .ops = ops, .arg = &v };
	char want[16];

	KUNIT_ASSERT_NOT_NULL(test, buf);
	for (i = 0; i < n; i++) {
		KUNIT_EXPECT_EQ_MSG(test, ops->set(cases[i].in, &kp),
				    cases[i].ret, "%s <- \"%s\"", name,
				    cases[i].in);
		KUNIT_EXPECT_EQ_MSG(test, v, cases[i].val, "%s after \"%s\"",
				    name, cases[i].in);
		snprintf(want, sizeof(want), "%u\n", cases[i].val);
		KUNIT_EXPECT_GT(test, ops->get(buf, &kp), 0);
		KUNIT_EXPECT_STREQ_MSG(test, buf, want, "%s read back", name);
	}
}

static void zonealloc_param_proactiveness(struct kunit *test)
{
	static const struct za_param_case cases[] = {
		{ "4294967295", -EINVAL, 20 },
		{ "101", -EINVAL, 20 },
		{ "-1", -EINVAL, 20 },
		{ "4294967296", -EINVAL, 20 },
		{ "ten", -EINVAL, 20 },
		{ "", -EINVAL, 20 },
		{ "100\n", 0, 100 },
		{ "0", 0, 0 },
		{ "1000", -EINVAL, 0 },
		{ "42", 0, 42 },
	};

	za_param_run(test, "compaction_proactiveness",
		     &za_compaction_proactiveness_ops, 20, cases,
		     ARRAY_SIZE(cases));
}

static void zonealloc_param_extfrag_threshold(struct kunit *test)
{
	static const struct za_param_case cases[] = {
		{ "1001", -EINVAL, 500 },
		{ "4294967295", -EINVAL, 500 },
		{ "-1", -EINVAL, 500 },
		{ "1000\n", 0, 1000 },
		{ "0", 0, 0 },
		{ "2000", -EINVAL, 0 },
		{ "500", 0, 500 },
	};

	za_param_run(test, "extfrag_threshold", &za_extfrag_threshold_ops,
		     500, cases, ARRAY_SIZE(cases));
}

static struct kunit_case zonealloc_param_cases[] = {
	KUNIT_CASE(zonealloc_param_proactiveness),
	KUNIT_CASE(zonealloc_param_extfrag_threshold),
	{}
};

static struct kunit_suite zonealloc_param_suite = {
	.name = "zonealloc_param",
	.test_cases = zonealloc_param_cases,
};

kunit_test_suite(zonealloc_param_suite);
