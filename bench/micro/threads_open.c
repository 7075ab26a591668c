/* threads_open THREADS OPENS PATH [--hold] - THREADS threads each open and
 * close PATH OPENS times, all starting together. Reports the thread creation
 * time and the time per open over the whole parallel phase.
 *
 * With --hold the threads stay alive after the work: the program prints
 * "ready" and waits for end of file on standard input, so that a harness can
 * read the supervisor's memory while it supervises every thread. */
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <unistd.h>

#include "bench_common.h"

enum { STACK_SIZE = 64 * 1024 };

static pthread_barrier_t start_line, finish_line, release;
static long opens;
static const char *path;
static bool hold;

static void *worker(void *unused)
{
	(void)unused;
	pthread_barrier_wait(&start_line);
	for (long i = 0; i < opens; i++) {
		int fd = openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			bench_fail(path);
		close(fd);
	}
	pthread_barrier_wait(&finish_line);
	if (hold)
		pthread_barrier_wait(&release);
	return NULL;
}

static void wait_for_eof(void)
{
	char buf[64];
	while (read(STDIN_FILENO, buf, sizeof(buf)) > 0) {
	}
}

int main(int argc, char **argv)
{
	if (argc < 4 || argc > 5 || (argc == 5 && strcmp(argv[4], "--hold") != 0)) {
		fprintf(stderr, "usage: threads_open THREADS OPENS PATH [--hold]\n");
		return 2;
	}
	long threads = bench_count(argv[1], "THREADS");
	opens = bench_count(argv[2], "OPENS");
	path = argv[3];
	hold = argc == 5;
	pthread_t *ids = calloc((size_t)threads, sizeof(*ids));
	pthread_attr_t attr;
	if (ids == NULL)
		bench_fail("calloc");
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, STACK_SIZE);
	pthread_barrier_init(&start_line, NULL, (unsigned)threads + 1);
	pthread_barrier_init(&finish_line, NULL, (unsigned)threads + 1);
	pthread_barrier_init(&release, NULL, (unsigned)threads + 1);

	int64_t spawn_start = bench_now_ns();
	for (long i = 0; i < threads; i++) {
		int e = pthread_create(&ids[i], &attr, worker, NULL);
		if (e != 0) {
			errno = e;
			bench_fail("pthread_create");
		}
	}
	pthread_barrier_wait(&start_line);
	int64_t start = bench_now_ns();
	pthread_barrier_wait(&finish_line);
	int64_t elapsed = bench_now_ns() - start;
	printf("spawn_ns=%lld ", (long long)(start - spawn_start));
	bench_report(threads * opens, elapsed);
	if (hold) {
		printf("ready\n");
		fflush(stdout);
		wait_for_eof();
		pthread_barrier_wait(&release);
	}
	for (long i = 0; i < threads; i++)
		pthread_join(ids[i], NULL);
	free(ids);
	return 0;
}
