/* tree_walk WALKS ROOT - nftw over a directory tree, WALKS times: a stat for
 * every entry (allowed in the kernel) and an openat of every directory
 * (traced). Reports the time per entry and the entries per walk. */
#include <ftw.h>

#include "bench_common.h"

static long entries;

static int count_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)path;
	(void)st;
	(void)ftw;
	if (type == FTW_DNR || type == FTW_NS) {
		fprintf(stderr, "tree_walk: cannot read %s\n", path);
		return 1;
	}
	entries++;
	return 0;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: tree_walk WALKS ROOT\n");
		return 2;
	}
	long walks = bench_count(argv[1], "WALKS");
	int64_t start = bench_now_ns();
	for (long i = 0; i < walks; i++) {
		if (nftw(argv[2], count_entry, 32, FTW_PHYS) != 0)
			bench_fail(argv[2]);
	}
	int64_t elapsed = bench_now_ns() - start;
	printf("entries_per_walk=%ld ns_per_walk=%.0f ", entries / walks,
	       (double)elapsed / (double)walks);
	bench_report(entries, elapsed);
	return 0;
}
