/* getppid_loop ITERATIONS - a hot syscall the policy allows in the kernel.
 * getppid is called through syscall(2): the C library never caches it. */
#include <sys/syscall.h>
#include <unistd.h>

#include "bench_common.h"

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: getppid_loop ITERATIONS\n");
		return 2;
	}
	long n = bench_count(argv[1], "ITERATIONS");
	long per_batch = n / BENCH_BATCHES > 0 ? n / BENCH_BATCHES : 1;
	int64_t elapsed[BENCH_BATCHES];
	long sum = 0;
	for (int b = 0; b < BENCH_BATCHES; b++) {
		int64_t start = bench_now_ns();
		for (long i = 0; i < per_batch; i++)
			sum += syscall(SYS_getppid);
		elapsed[b] = bench_now_ns() - start;
	}
	if (sum == 0)
		fprintf(stderr, "getppid returned 0\n");
	bench_report_batches(per_batch, elapsed, BENCH_BATCHES);
	return 0;
}
