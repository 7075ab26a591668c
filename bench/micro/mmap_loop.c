/* mmap_loop ITERATIONS - map and unmap one anonymous read-write page. The
 * shipped policy allows mmap in the kernel but with argument conditions (a
 * PROT_EXEC mapping of a file goes to the supervisor), so the kernel's action
 * cache cannot serve it: the filter runs on every call. munmap is a plain
 * allow. */
#include <sys/mman.h>

#include "bench_common.h"

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: mmap_loop ITERATIONS\n");
		return 2;
	}
	long n = bench_count(argv[1], "ITERATIONS");
	long per_batch = n / BENCH_BATCHES > 0 ? n / BENCH_BATCHES : 1;
	int64_t elapsed[BENCH_BATCHES];
	for (int b = 0; b < BENCH_BATCHES; b++) {
		int64_t start = bench_now_ns();
		for (long i = 0; i < per_batch; i++) {
			void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
				       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			if (p == MAP_FAILED)
				bench_fail("mmap");
			munmap(p, 4096);
		}
		elapsed[b] = bench_now_ns() - start;
	}
	bench_report_batches(per_batch, elapsed, BENCH_BATCHES);
	return 0;
}
