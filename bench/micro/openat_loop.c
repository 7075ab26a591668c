/* openat_loop ITERATIONS PATH - open and close a file the policy allows; under
 * fhirguard every openat stops in the supervisor, which resolves the path and
 * checks it against the files rules. Any failure is an error: a benchmark
 * that measured denials would measure the wrong thing. */
#include <fcntl.h>
#include <unistd.h>

#include "bench_common.h"

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: openat_loop ITERATIONS PATH\n");
		return 2;
	}
	long n = bench_count(argv[1], "ITERATIONS");
	const char *path = argv[2];
	int64_t start = bench_now_ns();
	for (long i = 0; i < n; i++) {
		int fd = openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			bench_fail(path);
		close(fd);
	}
	int64_t elapsed = bench_now_ns() - start;
	bench_report(n, elapsed);
	return 0;
}
