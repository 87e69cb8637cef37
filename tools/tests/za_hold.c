// SPDX-License-Identifier: GPL-2.0
/*
 * za_hold: hold an allocation of /dev/zonealloc open across an rmmod.
 *
 *	za_hold [-o ORDER] [-m] [-c]
 *
 * Opens the device and allocates one block of ORDER (default 2); -m maps
 * it and fills it with a pattern; -c then closes the file, so that only the
 * mapping keeps it open. Prints "za_hold: holding" and waits for SIGUSR1
 * (or SIGTERM). Then, with -m, reads the mapping back and prints one of
 * "za_hold: pattern intact", "za_hold: mapping revoked (SIGBUS)" (the pages
 * were taken away from the mapping: safe) or "za_hold: pattern differs"
 * (the mapping shows memory that is no longer ours: exit 1); without -m it
 * frees the block and prints "za_hold: freed" or "za_hold: free failed".
 */

#include "za_test.h"

#include <setjmp.h>
#include <signal.h>
#include <sys/mman.h>

static sigjmp_buf env;
static sig_atomic_t go;	/* read with __atomic_load_n() */
static __u64 *p;

static void on_go(int sig)
{
	(void)sig;
	__atomic_store_n(&go, 1, __ATOMIC_RELAXED);
}

static void on_bus(int sig)
{
	siglongjmp(env, sig);
}

int main(int argc, char **argv)
{
	int opt, map = 0, closefd = 0, fd, ret;
	unsigned int order = 2;
	struct zonealloc_alloc a;
	size_t len, i, n;
	struct sigaction sa;
	sigset_t mask, old;

	while ((opt = getopt(argc, argv, "o:mc")) != -1) {
		switch (opt) {
		case 'o':
			order = strtoul(optarg, NULL, 0);
			break;
		case 'm':
			map = 1;
			break;
		case 'c':
			closefd = 1;
			break;
		default:
			fprintf(stderr, "usage: za_hold [-o ORDER] [-m] [-c]\n");
			return 2;
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_go;
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sa.sa_handler = on_bus;
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGSEGV, &sa, NULL);
	sigemptyset(&mask);
	sigaddset(&mask, SIGUSR1);
	sigaddset(&mask, SIGTERM);
	sigprocmask(SIG_BLOCK, &mask, &old);

	fd = za_devopen();
	if (fd < 0) {
		printf("za_hold: open: %s\n", za_errname(errno));
		return 3;
	}
	ret = za_rawalloc(fd, order, ZONEALLOC_GFP_MOVABLE, &a);
	if (ret) {
		printf("za_hold: ALLOC order %u: %s\n", order, za_errname(ret));
		return 1;
	}
	len = (size_t)sysconf(_SC_PAGESIZE) << order;
	n = len / sizeof(__u64);
	if (map) {
		p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
			 (off_t)(a.handle * sysconf(_SC_PAGESIZE)));
		if (p == MAP_FAILED) {
			printf("za_hold: mmap: %s\n", za_errname(errno));
			return 1;
		}
		for (i = 0; i < n; i++)
			p[i] = ~i ^ 0x5a5a5a5a5a5a5a5aull;
	}
	if (closefd)
		close(fd);
	printf("za_hold: holding order %u%s%s\n", order,
	       map ? ", mapped" : "", closefd ? ", file closed" : "");
	while (!__atomic_load_n(&go, __ATOMIC_RELAXED))
		sigsuspend(&old);

	if (map) {
		if (sigsetjmp(env, 1)) {
			printf("za_hold: mapping revoked (SIGBUS)\n");
			return 0;
		}
		for (i = 0; i < n; i++)
			if (__atomic_load_n(&p[i], __ATOMIC_RELAXED) !=
			    (~i ^ 0x5a5a5a5a5a5a5a5aull)) {
				printf("za_hold: pattern differs at word %zu\n",
				       i);
				return 1;
			}
		printf("za_hold: pattern intact\n");
		return 0;
	}
	ret = za_rawfree(fd, a.handle);
	printf("za_hold: %s\n", ret ? "free failed" : "freed");
	return ret ? 1 : 0;
}
