// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for zonealloc's module surface: the misc device and the
 * debugfs directory that init registers.
 */

#include <kunit/test.h>
#include <linux/debugfs.h>
#include <linux/device.h>
#include <linux/miscdevice.h>
#include <linux/module.h>

#include "debugfs.h"
#include "dev.h"

static void zonealloc_miscdev_registered(struct kunit *test)
{
	struct device *dev = za_miscdev.this_device;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, dev);
	KUNIT_EXPECT_NE(test, za_miscdev.minor, MISC_DYNAMIC_MINOR);
	KUNIT_EXPECT_STREQ(test, dev_name(dev), "zonealloc");
	KUNIT_EXPECT_EQ(test, MAJOR(dev->devt), MISC_MAJOR);
	KUNIT_EXPECT_EQ(test, MINOR(dev->devt), za_miscdev.minor);
	/* Root only by default; a udev rule may widen it to a group. */
	KUNIT_EXPECT_EQ(test, za_miscdev.mode, 0600);
}

static void zonealloc_debugfs_dir_present(struct kunit *test)
{
	struct dentry *d;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, za_debugfs_root);
	d = debugfs_lookup("zonealloc", NULL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, d);
	KUNIT_EXPECT_PTR_EQ(test, d, za_debugfs_root);
	dput(d);
}

#ifdef ZONEALLOC_HARNESS_KUNIT_FAIL
/* Built only by the harness self-test to prove a failing case fails the run. */
static void zonealloc_harness_must_fail(struct kunit *test)
{
	KUNIT_FAIL(test, "harness self-test: this case fails on purpose");
}
#endif

static struct kunit_case zonealloc_module_cases[] = {
	KUNIT_CASE(zonealloc_miscdev_registered),
	KUNIT_CASE(zonealloc_debugfs_dir_present),
#ifdef ZONEALLOC_HARNESS_KUNIT_FAIL
	KUNIT_CASE(zonealloc_harness_must_fail),
#endif
	{}
};

static struct kunit_suite zonealloc_module_suite = {
	.name = "zonealloc_module",
	.test_cases = zonealloc_module_cases,
};

kunit_test_suite(zonealloc_module_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for zonealloc");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
