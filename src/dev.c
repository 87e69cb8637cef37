// SPDX-License-Identifier: GPL-2.0
/*
 * The misc device /dev/zonealloc: the userspace entry point. Requests arrive
 * as ioctls on an open file; each open file owns its allocations.
 */

#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <kunit/visibility.h>

#include "dev.h"

static int zonealloc_open(struct inode *inode, struct file *file)
{
	return 0;
}

static int zonealloc_release(struct inode *inode, struct file *file)
{
	return 0;
}

static long zonealloc_ioctl(struct file *file, unsigned int cmd,
			    unsigned long arg)
{
	return -ENOTTY;
}

static const struct file_operations zonealloc_fops = {
	.owner = THIS_MODULE,
	.open = zonealloc_open,
	.release = zonealloc_release,
	.unlocked_ioctl = zonealloc_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

struct miscdevice zonealloc_miscdev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "zonealloc",
	.fops = &zonealloc_fops,
	.mode = 0600,
};
EXPORT_SYMBOL_IF_KUNIT(zonealloc_miscdev);

/**
 * zonealloc_dev_init() - register /dev/zonealloc.
 *
 * Context: Process context, module init.
 * Return: 0 on success or a negative errno from misc_register().
 */
int zonealloc_dev_init(void)
{
	return misc_register(&zonealloc_miscdev);
}

/**
 * zonealloc_dev_exit() - remove /dev/zonealloc.
 *
 * Context: Process context, module exit.
 */
void zonealloc_dev_exit(void)
{
	misc_deregister(&zonealloc_miscdev);
}
