#include "init_loop.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/wait.h>

enum {
	AUDIT_RETRY_MS = 100,  /* how soon to retry a stalled audit log */
	MAX_PROCESSES = 65536, /* processes signalled at shutdown */
	KILL_WAIT_MS = 3000,   /* after SIGKILL, how long to wait for the dead */
};

void fg_init_forwarded_signals(sigset_t *set)
{
	sigfillset(set);
	/* Synchronous signals concern fhirguard itself, not the program. */
	sigdelset(set, SIGSEGV);
	sigdelset(set, SIGBUS);
	sigdelset(set, SIGILL);
	sigdelset(set, SIGFPE);
	sigdelset(set, SIGTRAP);
	sigdelset(set, SIGSYS);
	sigdelset(set, SIGABRT);
	/* Ignored by fhirguard: background reads and writes on a terminal,
	 * and broken pipes on its own log. */
	sigdelset(set, SIGTTIN);
	sigdelset(set, SIGTTOU);
	sigdelset(set, SIGPIPE);
	sigdelset(set, SIGKILL);
	sigdelset(set, SIGSTOP);
}

int fg_exit_code_from_status(int status)
{
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

static void add_ms(struct timespec *ts, int ms)
{
	ts->tv_sec += ms / 1000;
	ts->tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

/* Milliseconds until `deadline` (0 when passed). */
static long ms_until(const struct timespec *deadline)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	long ms =
	    (deadline->tv_sec - now.tv_sec) * 1000 + (deadline->tv_nsec - now.tv_nsec) / 1000000;
	return ms > 0 ? ms : 0;
}

/* Hands every pending child status to the tracer and notes the main exit. */
static void drain_children(struct fg_init_loop *loop)
{
	for (;;) {
		int status;
		pid_t pid = waitpid(-1, &status, __WALL | WNOHANG);
		if (pid == 0)
			return;
		if (pid < 0) {
			if (errno == EINTR)
				continue;
			loop->no_children = true; /* ECHILD */
			return;
		}
		bool gone = fg_tracer_handle_status(loop->tracer, pid, &status);
		if (gone && pid == loop->main_pid && !loop->main_exited) {
			loop->main_exited = true;
			loop->main_status = status;
		}
	}
}

/* Sends sig to every process fhirguard is responsible for. As PID 1 that
 * is everything in the PID namespace; otherwise every traced descendant. */
static void signal_remaining(struct fg_init_loop *loop, int sig)
{
	if (loop->is_pid1) {
		kill(-1, sig);
		return;
	}
	pid_t *pids = malloc(MAX_PROCESSES * sizeof(*pids));
	if (pids == NULL)
		return;
	size_t count = fg_tracer_processes(loop->tracer, pids, MAX_PROCESSES);
	for (size_t i = 0; i < count; i++)
		kill(pids[i], sig);
	free(pids);
}

static void start_shutdown(struct fg_init_loop *loop)
{
	clock_gettime(CLOCK_MONOTONIC, &loop->deadline);
	if (loop->no_children) {
		loop->phase = FG_PHASE_TERMINATING;
		return;
	}
	if (loop->grace_ms == 0) {
		signal_remaining(loop, SIGKILL);
		loop->phase = FG_PHASE_KILLING;
		add_ms(&loop->deadline, KILL_WAIT_MS);
		return;
	}
	signal_remaining(loop, SIGTERM);
	/* A stopped process only acts on SIGTERM once continued. */
	signal_remaining(loop, SIGCONT);
	loop->phase = FG_PHASE_TERMINATING;
	add_ms(&loop->deadline, loop->grace_ms);
}

static void send_to_program(struct fg_init_loop *loop, int sig)
{
	if (loop->signal_group)
		kill(-loop->main_pid, sig);
	else
		kill(loop->main_pid, sig);
}

static void forward(struct fg_init_loop *loop, int sig)
{
	if (loop->tracer->main_execed) {
		send_to_program(loop, sig);
		return;
	}
	/* Keep one of each signal, as the kernel keeps one pending standard
	 * signal; the list is bounded by the number of signals. */
	for (int i = 0; i < loop->deferred_count; i++) {
		if (loop->deferred[i] == sig)
			return;
	}
	if (loop->deferred_count < (int)(sizeof(loop->deferred) / sizeof(loop->deferred[0])))
		loop->deferred[loop->deferred_count++] = sig;
}

static void deliver_deferred(struct fg_init_loop *loop)
{
	if (loop->deferred_count == 0 || !loop->tracer->main_execed)
		return;
	for (int i = 0; i < loop->deferred_count; i++)
		send_to_program(loop, loop->deferred[i]);
	loop->deferred_count = 0;
}

void fg_init_loop_run(struct fg_init_loop *loop)
{
	loop->phase = FG_PHASE_RUNNING;
	for (;;) {
		drain_children(loop);
		deliver_deferred(loop);
		if (loop->tracer->stop_requested && !loop->policy_stop) {
			/* A "stop" rule: nothing in the container runs on. */
			loop->policy_stop = true;
			signal_remaining(loop, SIGKILL);
			loop->phase = FG_PHASE_KILLING;
			clock_gettime(CLOCK_MONOTONIC, &loop->deadline);
			add_ms(&loop->deadline, KILL_WAIT_MS);
		}
		if (loop->main_exited && loop->phase == FG_PHASE_RUNNING)
			start_shutdown(loop);
		if (loop->phase != FG_PHASE_RUNNING && loop->no_children)
			return;
		if (loop->phase != FG_PHASE_RUNNING && ms_until(&loop->deadline) == 0) {
			if (loop->phase == FG_PHASE_KILLING)
				return; /* something is stuck in the kernel; give up on it */
			signal_remaining(loop, SIGKILL);
			loop->phase = FG_PHASE_KILLING;
			add_ms(&loop->deadline, KILL_WAIT_MS);
		}

		long timeout_ms = -1;
		if (loop->phase != FG_PHASE_RUNNING)
			timeout_ms = ms_until(&loop->deadline);
		if (fg_audit_flush(loop->audit) && (timeout_ms < 0 || timeout_ms > AUDIT_RETRY_MS))
			timeout_ms = AUDIT_RETRY_MS;

		siginfo_t info;
		struct timespec timeout = { .tv_sec = timeout_ms / 1000,
					    .tv_nsec = (timeout_ms % 1000) * 1000000L };
		int sig = sigtimedwait(&loop->waited, &info, timeout_ms < 0 ? NULL : &timeout);
		if (sig <= 0 || sig == SIGCHLD)
			continue;
		if (loop->phase == FG_PHASE_RUNNING)
			forward(loop, sig);
	}
}
