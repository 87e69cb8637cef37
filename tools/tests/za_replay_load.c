// SPDX-License-Identifier: GPL-2.0
/*
 * za_replay_load: the "unmovable" workload of scripts/replay
 * (Documentation/replay.rst): unmovable and reclaimable kernel memory
 * allocated in between the pages of a movable hog that comes and goes.
 *
 *	za_replay_load ROUNDS MARGIN_MB DIR
 *
 * Each round maps an anonymous hog of all free memory but MARGIN_MB
 * (MemFree of /proc/meminfo), in 16 slices; after each slice it creates
 * a sixteenth of the round's kernel objects: pipes holding one page each
 * (unmovable), AF_UNIX socket pairs holding 16 KiB each (unmovable, up to
 * order 3), small files in DIR (reclaimable dentries and inodes, movable
 * page cache) and page tables (one page touched every 2 MiB of a sparse
 * mapping). Then the hog goes, every other slice first, and half of the
 * round's objects are closed or unlinked: the other half stays open until
 * the program exits, scattered over the blocks the hog had. Prints one
 * line per round.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#define SLICES 16
#define PIPES 6144		/* per round */
#define SOCKS 768		/* pairs per round */
#define FILES 4096		/* per round */
#define PT_SPAN (1024ul << 20)	/* of sparse mapping a round: 512 PTE pages */

static long memfree_mb(void)
{
	char line[128];
	long kb = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "MemFree: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb < 0 ? -1 : kb / 1024;
}

static int pipes[PIPES][2], socks[SOCKS][2];

static void objects(const char *dir, int round, int slice)
{
	static char page[16384];
	char path[256];
	int i, f;

	for (i = slice * PIPES / SLICES; i < (slice + 1) * PIPES / SLICES; i++) {
		if (pipe(pipes[i])) {
			pipes[i][0] = -1;
			pipes[i][1] = -1;
			continue;
		}
		if (write(pipes[i][1], page, 4096) < 0)
			perror("pipe write");
	}
	for (i = slice * SOCKS / SLICES; i < (slice + 1) * SOCKS / SLICES; i++) {
		if (socketpair(AF_UNIX, SOCK_STREAM, 0, socks[i])) {
			socks[i][0] = -1;
			socks[i][1] = -1;
			continue;
		}
		if (write(socks[i][0], page, sizeof(page)) < 0)
			perror("socket write");
	}
	for (i = slice * FILES / SLICES; i < (slice + 1) * FILES / SLICES; i++) {
		snprintf(path, sizeof(path), "%s/r%d-%d", dir, round, i);
		f = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (f < 0)
			continue;
		if (write(f, path, strlen(path)) < 0)
			perror("file write");
		close(f);
	}
}

/* Close or unlink every other object of the round. */
static void thin(const char *dir, int round)
{
	char path[256];
	int i;

	for (i = 0; i < PIPES; i += 2) {
		close(pipes[i][0]);
		close(pipes[i][1]);
	}
	for (i = 0; i < SOCKS; i += 2) {
		close(socks[i][0]);
		close(socks[i][1]);
	}
	for (i = 0; i < FILES; i += 2) {
		snprintf(path, sizeof(path), "%s/r%d-%d", dir, round, i);
		unlink(path);
	}
}

int main(int argc, char **argv)
{
	struct rlimit rl = { 65536, 65536 };
	long rounds, margin, hog_mb, slice, s;
	char *hog, *pt, *old_pt = NULL;
	unsigned long off;
	int r;

	if (argc != 4) {
		fprintf(stderr, "usage: za_replay_load ROUNDS MARGIN_MB DIR\n");
		return 1;
	}
	rounds = strtol(argv[1], NULL, 10);
	margin = strtol(argv[2], NULL, 10);
	if (setrlimit(RLIMIT_NOFILE, &rl))
		perror("setrlimit");
	for (r = 0; r < rounds; r++) {
		hog_mb = memfree_mb() - margin;
		if (hog_mb < SLICES)
			hog_mb = SLICES;
		slice = (hog_mb << 20) / SLICES & ~4095l;
		hog = mmap(NULL, slice * SLICES, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		pt = mmap(NULL, PT_SPAN, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (hog == MAP_FAILED || pt == MAP_FAILED) {
			perror("mmap");
			return 1;
		}
		madvise(hog, slice * SLICES, MADV_NOHUGEPAGE);
		madvise(pt, PT_SPAN, MADV_NOHUGEPAGE);
		for (s = 0; s < SLICES; s++) {
			memset(hog + s * slice, r + 1, slice);
			objects(argv[3], r, s);
			for (off = s * PT_SPAN / SLICES;
			     off < (s + 1) * PT_SPAN / SLICES; off += 2ul << 20)
				pt[off] = 1;
		}
		printf("za_replay_load: round %d hog %ld MiB, %d pipes, ",
		       r, hog_mb, PIPES);
		printf("%d socket pairs, %d files, %lu page tables\n",
		       SOCKS, FILES, PT_SPAN >> 21);
		fflush(stdout);
		for (s = 1; s < SLICES; s += 2)
			munmap(hog + s * slice, slice);
		for (s = 0; s < SLICES; s += 2)
			munmap(hog + s * slice, slice);
		thin(argv[3], r);
		/* The page tables of the round before go; this round's stay. */
		if (old_pt)
			munmap(old_pt, PT_SPAN);
		old_pt = pt;
	}
	return 0;
}
