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
	long sum = 0;
	int64_t start = bench_now_ns();
	for (long i = 0; i < n; i++)
		sum += syscall(SYS_getppid);
	int64_t elapsed = bench_now_ns() - start;
	if (sum == 0)
		fprintf(stderr, "getppid returned 0\n");
	bench_report(n, elapsed);
	return 0;
}
