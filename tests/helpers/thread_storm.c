/* thread_storm THREADS OPENS [exec-from-thread]: starts THREADS threads that
 * each open and close /etc/hostname OPENS times (traced calls), half of them
 * exiting while others are still in traced calls. With "exec-from-thread",
 * a non-leader thread then execs /bin/echo while the other threads run.
 * Prints "opens N failures F" (or the echo's output). */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int opens_per_thread;
static int failures;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static void *worker(void *arg)
{
	(void)arg;
	int failed = 0;
	for (int i = 0; i < opens_per_thread; i++) {
		int fd = open("/etc/hostname", O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			failed++;
		else
			close(fd);
	}
	pthread_mutex_lock(&lock);
	failures += failed;
	pthread_mutex_unlock(&lock);
	return NULL;
}

static void *execer(void *arg)
{
	(void)arg;
	usleep(20000);
	execl("/bin/echo", "echo", "exec from a thread worked", (char *)NULL);
	perror("execl");
	exit(1);
}

int main(int argc, char **argv)
{
	int threads = argc > 1 ? atoi(argv[1]) : 100;
	opens_per_thread = argc > 2 ? atoi(argv[2]) : 10;
	int exec_from_thread = argc > 3 && strcmp(argv[3], "exec-from-thread") == 0;
	pthread_t *ids = calloc((size_t)threads, sizeof(*ids));
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 64 * 1024);
	for (int i = 0; i < threads; i++) {
		if (pthread_create(&ids[i], &attr, worker, NULL) != 0) {
			fprintf(stderr, "pthread_create failed at %d\n", i);
			return 1;
		}
	}
	if (exec_from_thread) {
		pthread_t e;
		pthread_create(&e, NULL, execer, NULL);
		for (;;)
			pause();
	}
	for (int i = 0; i < threads; i++)
		pthread_join(ids[i], NULL);
	printf("opens %d failures %d\n", threads * opens_per_thread, failures);
	return failures == 0 ? 0 : 1;
}
