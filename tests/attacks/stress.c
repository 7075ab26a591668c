/* stress MODE ...: "must not break" workloads, run under fhirguard with the
 * attack policy: they must finish with correct results and no denial. Each
 * prints "RESULT ok: ..." and exits 0, or "RESULT failed: ..." and exits 1.
 *   opens THREADS PER      THREADS threads open and read ATK_PUBLIC PER times each
 *   processes N            N short-lived processes (fork + exec of this
 *                          program, which opens ATK_PUBLIC), 10 at a time
 *   exec-thread            a thread other than the leader execs this program
 *   stopcont               prints "READY PID", 4 threads open in a loop until
 *                          SIGUSR1; the runner stops and continues the group
 *   signals EXTERNAL INTERNAL  prints "READY PID"; 8 threads open in a loop
 *                          while the runner queues EXTERNAL SIGRTMIN signals and a
 *                          thread here queues INTERNAL SIGRTMIN+1 to the others;
 *                          every one must arrive
 */
#include "attack.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define SELF ATK_BIN "/attack_stress"

static _Noreturn void report(bool ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static _Noreturn void report(bool ok, const char *fmt, ...)
{
	char msg[512], line[600];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	int n = snprintf(line, sizeof(line), "RESULT %s: %s\n", ok ? "ok" : "failed", msg);
	if (write(1, line, (size_t)n) != n)
		_exit(1);
	_exit(ok ? 0 : 1);
}

static atomic_long opens, bad_opens;
static atomic_int last_errno;
static atomic_int stop;

/* Opens and reads ATK_PUBLIC once; counts a failure or a wrong content. */
static void open_public(void)
{
	int fd = open(ATK_PUBLIC, O_RDONLY | O_CLOEXEC);
	char buf[64];
	if (fd < 0) {
		atomic_store(&last_errno, errno);
		atomic_fetch_add(&bad_opens, 1);
		return;
	}
	if (atk_read_fd(fd, buf, sizeof(buf)) < 0 ||
	    strncmp(buf, ATK_PUBLIC_MARK, strlen(ATK_PUBLIC_MARK)) != 0)
		atomic_fetch_add(&bad_opens, 1);
	else
		atomic_fetch_add(&opens, 1);
	close(fd);
}

static long per_thread;

static void *open_n(void *arg)
{
	(void)arg;
	for (long i = 0; i < per_thread; i++)
		open_public();
	return NULL;
}

static void *open_until_stop(void *arg)
{
	(void)arg;
	while (!atomic_load(&stop))
		open_public();
	return NULL;
}

static void start_threads(pthread_t *t, long n, void *(*fn)(void *))
{
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 256 * 1024);
	for (long i = 0; i < n; i++) {
		int rc = pthread_create(&t[i], &attr, fn, NULL);
		if (rc != 0)
			report(false, "pthread_create %ld: %s", i, atk_errname(rc));
	}
	pthread_attr_destroy(&attr);
}

static int mode_opens(int argc, char **argv)
{
	long threads = argc >= 3 ? strtol(argv[1], NULL, 10) : 0;
	per_thread = argc >= 3 ? strtol(argv[2], NULL, 10) : 0;
	if (threads <= 0 || per_thread <= 0)
		report(false, "usage: stress opens THREADS PER");
	pthread_t *t = calloc((size_t)threads, sizeof(*t));
	start_threads(t, threads, open_n);
	for (long i = 0; i < threads; i++)
		pthread_join(t[i], NULL);
	long want = threads * per_thread;
	report(opens == want && bad_opens == 0,
	       "%ld threads x %ld opens: %ld correct, %ld bad (%s)", threads, per_thread,
	       (long)opens, (long)bad_opens, bad_opens ? atk_errname(last_errno) : "none");
}

static int mode_child(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	open_public();
	return opens == 1 ? 0 : 1;
}

static int mode_processes(int argc, char **argv)
{
	long n = argc >= 2 ? strtol(argv[1], NULL, 10) : 0;
	if (n <= 0)
		report(false, "usage: stress processes N");
	long ok = 0, failed = 0, running = 0, started = 0;
	int last_status = 0;
	while (ok + failed < n) {
		while (running < 10 && started < n) {
			pid_t pid = fork();
			if (pid < 0)
				report(false, "fork: %s", atk_errname(errno));
			if (pid == 0) {
				char *args[] = { "attack_stress", "child", NULL };
				execve(SELF, args, environ);
				_exit(127);
			}
			running++;
			started++;
		}
		int status;
		if (wait(&status) < 0)
			report(false, "wait: %s", atk_errname(errno));
		running--;
		if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
			ok++;
		} else {
			failed++;
			last_status = status;
		}
	}
	report(failed == 0, "%ld processes: %ld exited 0, %ld failed (last status 0x%x)", n, ok,
	       failed, last_status);
}

static void *exec_from_thread(void *arg)
{
	char pid[32];
	snprintf(pid, sizeof(pid), "%ld", (long)(intptr_t)arg);
	char *args[] = { "attack_stress", "exec-target", pid, NULL };
	execve(SELF, args, environ);
	report(false, "execve from a thread: %s", atk_errname(errno));
}

static int mode_exec_thread(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	pthread_t t;
	if (pthread_create(&t, NULL, exec_from_thread, (void *)(intptr_t)getpid()) != 0)
		report(false, "pthread_create failed");
	pthread_join(t, NULL); /* never returns: the exec ends this thread */
	report(false, "the exec did not replace the process");
}

static long threads_of_self(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long n = -1;
	while (f != NULL && fgets(line, sizeof(line), f) != NULL) {
		if (strncmp(line, "Threads:", 8) == 0)
			n = strtol(line + 8, NULL, 10);
	}
	if (f != NULL)
		fclose(f);
	return n;
}

static int mode_exec_target(int argc, char **argv)
{
	long want_pid = argc >= 2 ? strtol(argv[1], NULL, 10) : -1;
	open_public();
	long threads = threads_of_self();
	report(getpid() == want_pid && threads == 1 && opens == 1,
	       "exec from a non-leader thread: pid %ld (was %ld), %ld thread(s), open %s",
	       (long)getpid(), want_pid, threads, opens == 1 ? "correct" : "failed");
}

static atomic_long opens_at_cont = -1;

static void on_cont(int sig)
{
	(void)sig;
	atomic_store(&opens_at_cont, atomic_load(&opens));
}

static void ready(void)
{
	char line[64];
	int n = snprintf(line, sizeof(line), "READY %ld\n", (long)getpid());
	if (write(1, line, (size_t)n) != n)
		_exit(1);
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Waits for sig (blocked by the caller) at most timeout_s seconds; other
 * signals' handlers may interrupt the wait. */
static bool wait_for(int sig, int timeout_s)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, sig);
	double deadline = now_s() + timeout_s;
	for (double left; (left = deadline - now_s()) > 0;) {
		struct timespec ts = { .tv_sec = (time_t)left,
				       .tv_nsec = (long)((left - (double)(time_t)left) * 1e9) };
		if (sigtimedwait(&set, NULL, &ts) == sig)
			return true;
		if (errno != EINTR)
			return false;
	}
	return false;
}

static int mode_stopcont(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	sigset_t usr1;
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &usr1, NULL);
	struct sigaction sa = { .sa_handler = on_cont, .sa_flags = SA_RESTART };
	sigaction(SIGCONT, &sa, NULL);
	pthread_t t[4];
	start_threads(t, 4, open_until_stop);
	ready();
	bool told = wait_for(SIGUSR1, 120);
	atomic_store(&stop, 1);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	long after = opens_at_cont < 0 ? -1 : opens - opens_at_cont;
	report(told && bad_opens == 0 && after > 0, "%ld opens, %ld bad; %ld after SIGCONT; %s",
	       (long)opens, (long)bad_opens, after,
	       told ? "SIGUSR1 received" : "no SIGUSR1 within 120 s");
}

static atomic_long external_got, internal_got;
static long external_want, internal_want;

static void on_external(int sig)
{
	(void)sig;
	atomic_fetch_add(&external_got, 1);
}

static void on_internal(int sig)
{
	(void)sig;
	atomic_fetch_add(&internal_got, 1);
}

#define SIGNAL_WORKERS	  8
#define SIGNAL_DEADLINE_S 300 /* a hang, not a timing: see README.md */
static pthread_t workers[SIGNAL_WORKERS];

static void *signaler(void *arg)
{
	(void)arg;
	for (long i = 0; i < internal_want; i++) {
		union sigval v = { .sival_int = (int)i };
		while (pthread_sigqueue(workers[i % SIGNAL_WORKERS], SIGRTMIN + 1, v) == EAGAIN)
			sched_yield();
	}
	return NULL;
}

static int mode_signals(int argc, char **argv)
{
	external_want = argc >= 3 ? strtol(argv[1], NULL, 10) : -1;
	internal_want = argc >= 3 ? strtol(argv[2], NULL, 10) : -1;
	if (external_want < 0 || internal_want < 0)
		report(false, "usage: stress signals EXTERNAL INTERNAL");
	struct sigaction sa = { .sa_handler = on_external, .sa_flags = SA_RESTART };
	sigaction(SIGRTMIN, &sa, NULL);
	sa.sa_handler = on_internal;
	sigaction(SIGRTMIN + 1, &sa, NULL);
	/* Only the workers take the signals: block them here and in the
	 * signaler. */
	sigset_t rt;
	sigemptyset(&rt);
	sigaddset(&rt, SIGRTMIN);
	sigaddset(&rt, SIGRTMIN + 1);
	start_threads(workers, SIGNAL_WORKERS, open_until_stop);
	pthread_sigmask(SIG_BLOCK, &rt, NULL);
	pthread_t sender;
	start_threads(&sender, 1, signaler);
	ready();
	double start = now_s(), elapsed;
	bool arrived;
	do {
		struct timespec tick = { .tv_nsec = 10 * 1000 * 1000 };
		nanosleep(&tick, NULL);
		elapsed = now_s() - start;
		arrived = external_got >= external_want && internal_got >= internal_want;
	} while (!arrived && elapsed < SIGNAL_DEADLINE_S);
	pthread_join(sender, NULL);
	atomic_store(&stop, 1);
	for (int i = 0; i < SIGNAL_WORKERS; i++)
		pthread_join(workers[i], NULL);
	report(arrived && external_got == external_want && internal_got == internal_want &&
		   bad_opens == 0 && opens > 0,
	       "signals from outside %ld/%ld, between threads %ld/%ld, %s %.1f s; %ld opens, %ld "
	       "bad (%s)",
	       (long)external_got, external_want, (long)internal_got, internal_want,
	       arrived ? "all arrived within" : "NOT ALL ARRIVED within", elapsed, (long)opens,
	       (long)bad_opens, bad_opens ? atk_errname(last_errno) : "none");
}

int main(int argc, char **argv)
{
	static const struct atk_mode modes[] = {
		{ "opens", mode_opens },
		{ "child", mode_child },
		{ "processes", mode_processes },
		{ "exec-thread", mode_exec_thread },
		{ "exec-target", mode_exec_target },
		{ "stopcont", mode_stopcont },
		{ "signals", mode_signals },
		{ NULL, NULL },
	};
	atk_dispatch(modes, argc, argv);
}
