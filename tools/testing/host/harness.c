// SPDX-License-Identifier: GPL-2.0
/*
 * The host test runner: runs every case (or those named), each counting
 * once, and ends with "hosttest: N passed, N failed".
 *
 *   hosttest [-s SEED] [-n OPS] [-v] [-l] [CASE...]
 *
 * -s replays a run of the random cases; -n sets the model test's number
 * of operations; -l lists the cases.
 */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "tests.h"

u64 ht_seed;
unsigned long ht_ops = 1000000;
bool ht_ops_given;
unsigned long ht_failures;

static const char *ht_current = "-";
static unsigned long ht_printed;

void ht_fail(const char *fmt, ...)
{
	va_list args;

	ht_failures++;
	if (ht_printed++ >= 20)
		return;
	fprintf(stdout, "  %s: ", ht_current);
	va_start(args, fmt);
	vfprintf(stdout, fmt, args);
	va_end(args);
	fputc('\n', stdout);
	fflush(stdout);
}

void ht_info(const char *fmt, ...)
{
	va_list args;

	fprintf(stdout, "  %s: ", ht_current);
	va_start(args, fmt);
	vfprintf(stdout, fmt, args);
	va_end(args);
	fputc('\n', stdout);
	fflush(stdout);
}

double ht_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static bool ht_selected(const char *name, int argc, char **argv)
{
	int i;

	if (!argc)
		return true;
	for (i = 0; i < argc; i++)
		if (!strcmp(argv[i], name))
			return true;
	return false;
}

int main(int argc, char **argv)
{
	unsigned int passed = 0, failed = 0;
	const struct ht_case *c;
	double t0 = ht_now();
	int opt;

	ht_seed = (u64)time(NULL) ^ ((u64)getpid() << 32);
	while ((opt = getopt(argc, argv, "s:n:vl")) != -1) {
		switch (opt) {
		case 's':
			ht_seed = strtoull(optarg, NULL, 0);
			break;
		case 'n':
			ht_ops = strtoul(optarg, NULL, 0);
			ht_ops_given = true;
			break;
		case 'v':
			host_verbose = 1;
			break;
		case 'l':
			for (c = ht_cases; c->name; c++)
				printf("%s\n", c->name);
			return 0;
		default:
			fprintf(stderr, "usage: %s [-s SEED] [-n OPS] [-v] [-l] [CASE...]\n",
				argv[0]);
			return 2;
		}
	}
	if (!ht_seed)
		ht_seed = 1;
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("hosttest: seed %#llx (replay: -s %#llx)\n",
	       (unsigned long long)ht_seed, (unsigned long long)ht_seed);

	for (c = ht_cases; c->name; c++) {
		unsigned long before = ht_failures;
		double t = ht_now();

		if (!ht_selected(c->name, argc - optind, argv + optind))
			continue;
		ht_current = c->name;
		ht_printed = 0;
		ht_reset_host();
		c->run();
		ht_check_host_clean();
		if (ht_failures == before) {
			passed++;
			printf("PASS: %s (%.2fs)\n", c->name, ht_now() - t);
		} else {
			failed++;
			printf("FAIL: %s (%lu failures, %.2fs; replay: -s %#llx -n %lu %s)\n",
			       c->name, ht_failures - before, ht_now() - t,
			       (unsigned long long)ht_seed, ht_ops, c->name);
		}
	}
	printf("hosttest: %.1fs\n", ht_now() - t0);
	printf("hosttest: %u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
