// SPDX-License-Identifier: GPL-2.0
/*
 * za_faultload: load a module with fault injection aimed at the load alone.
 *
 *	za_faultload [-n NTH] MODULE.ko [PARAMS]
 *
 * Reads MODULE.ko into memory, then sets /proc/self/make-it-fail and calls
 * init_module(2): with the fault-injection knobs' task-filter set, only the
 * allocations made by that call (the kernel's module loader and the
 * module's init) can be made to fail, never those of reading the file or
 * starting this program. -n NTH writes NTH to /proc/self/fail-nth as well:
 * the NTH allocation of the call that passes the knobs' own filters fails,
 * whatever their probability, and "za_faultload: fail-nth left N" tells
 * whether it was reached (0) or how many allocations short the call fell
 * (so NTH of 1000000 counts a load's allocations). Prints
 * "za_faultload: loaded" (exit 0) or "za_faultload: load failed: ERRNO"
 * (exit 1); exit 3 if the module cannot be read or make-it-fail cannot be
 * set.
 */

#include "za_test.h"

#include <sys/stat.h>
#include <sys/syscall.h>

static int proc_write(const char *file, unsigned long val)
{
	int fd = open(file, O_WRONLY | O_CLOEXEC), ok;
	char buf[32];

	if (fd < 0)
		return -1;
	snprintf(buf, sizeof(buf), "%lu", val);
	ok = write(fd, buf, strlen(buf)) == (ssize_t)strlen(buf);
	close(fd);
	return ok ? 0 : -1;
}

static long proc_read(const char *file)
{
	char buf[32] = "";
	int fd = open(file, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	return n > 0 ? strtol(buf, NULL, 10) : -1;
}

static int make_it_fail(int on)
{
	return proc_write("/proc/self/make-it-fail", on);
}

int main(int argc, char **argv)
{
	const char *params, *path;
	unsigned long nth = 0;
	struct stat st;
	char *image;
	long ret, left = 0;
	int fd, err, opt;

	while ((opt = getopt(argc, argv, "n:")) != -1) {
		if (opt != 'n')
			goto usage;
		nth = strtoul(optarg, NULL, 0);
	}
	if (optind >= argc || argc - optind > 2) {
usage:
		fprintf(stderr, "usage: za_faultload [-n NTH] MODULE.ko [PARAMS]\n");
		return 2;
	}
	path = argv[optind];
	params = optind + 1 < argc ? argv[optind + 1] : "";
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st)) {
		printf("za_faultload: %s: %s\n", path, za_errname(errno));
		return 3;
	}
	image = malloc(st.st_size);
	if (!image || read(fd, image, st.st_size) != st.st_size) {
		printf("za_faultload: cannot read %s\n", path);
		return 3;
	}
	close(fd);
	if (make_it_fail(1)) {
		printf("za_faultload: cannot set make-it-fail: %s\n",
		       za_errname(errno));
		return 3;
	}
	if (nth && proc_write("/proc/thread-self/fail-nth", nth)) {
		printf("za_faultload: cannot set fail-nth: %s\n",
		       za_errname(errno));
		return 3;
	}
	ret = syscall(SYS_init_module, image, (unsigned long)st.st_size, params);
	err = errno;
	if (nth) {
		left = proc_read("/proc/thread-self/fail-nth");
		proc_write("/proc/thread-self/fail-nth", 0);
	}
	make_it_fail(0);
	if (nth)
		printf("za_faultload: fail-nth left %ld\n", left);
	if (ret) {
		printf("za_faultload: load failed: %s\n", za_errname(err));
		return 1;
	}
	printf("za_faultload: loaded\n");
	return 0;
}
