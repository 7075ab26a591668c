/* denied_loop ITERATIONS - a call the policy refuses inside the kernel
 * (clone3: SECCOMP_RET_ERRNO ENOSYS, unlogged, so that the C library falls
 * back to clone). Natively the kernel rejects the NULL argument with EINVAL
 * or EFAULT: both are cheap failures of the same call. */
#include <sys/syscall.h>
#include <unistd.h>

#include "bench_common.h"

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: denied_loop ITERATIONS\n");
		return 2;
	}
	long n = bench_count(argv[1], "ITERATIONS");
	long per_batch = n / BENCH_BATCHES > 0 ? n / BENCH_BATCHES : 1;
	int64_t elapsed[BENCH_BATCHES];
	int last_errno = 0;
	for (int b = 0; b < BENCH_BATCHES; b++) {
		int64_t start = bench_now_ns();
		for (long i = 0; i < per_batch; i++) {
			if (syscall(SYS_clone3, NULL, 0) == 0)
				_exit(0); /* cannot happen: size 0 is invalid */
			last_errno = errno;
		}
		elapsed[b] = bench_now_ns() - start;
	}
	printf("errno=%s ", strerrorname_np(last_errno));
	bench_report_batches(per_batch, elapsed, BENCH_BATCHES);
	return 0;
}
