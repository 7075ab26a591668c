/* procs_open PROCS OPENS PATH - PROCS processes each open and close PATH
 * OPENS times, all starting together (they wait for the parent to close a
 * pipe). Reports the fork time and the time per open from the start until
 * the last child is reaped. */
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench_common.h"

static void child(int gate, long opens, const char *path)
{
	char byte;
	while (read(gate, &byte, 1) > 0) {
	}
	for (long i = 0; i < opens; i++) {
		int fd = openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			bench_fail(path);
		close(fd);
	}
	_exit(0);
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: procs_open PROCS OPENS PATH\n");
		return 2;
	}
	long procs = bench_count(argv[1], "PROCS");
	long opens = bench_count(argv[2], "OPENS");
	int gate[2];
	if (pipe(gate) < 0)
		bench_fail("pipe");
	fflush(stdout);
	int64_t spawn_start = bench_now_ns();
	for (long i = 0; i < procs; i++) {
		pid_t pid = fork();
		if (pid < 0)
			bench_fail("fork");
		if (pid == 0) {
			close(gate[1]);
			child(gate[0], opens, argv[3]);
		}
	}
	close(gate[0]);
	int64_t start = bench_now_ns();
	close(gate[1]);
	int failed = 0, status;
	while (wait(&status) > 0) {
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			failed++;
	}
	int64_t elapsed = bench_now_ns() - start;
	if (failed > 0) {
		fprintf(stderr, "procs_open: %d children failed\n", failed);
		return 1;
	}
	printf("spawn_ns=%lld ", (long long)(start - spawn_start));
	bench_report(procs * opens, elapsed);
	return 0;
}
