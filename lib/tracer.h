/* tracer.h - the ptrace side of the supervisor.
 *
 * The event loop (shim/init_loop.c) waits for children and hands every
 * waitpid() status here. The tracer tells the kinds of stop apart, decides
 * seccomp stops with the policy, applies the decision, logs it, and resumes
 * the task exactly as the kernel would have run it otherwise.
 */
#ifndef FG_TRACER_H
#define FG_TRACER_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "audit.h"
#include "fg_error.h"
#include "inspect.h"
#include "learn.h"
#include "policy.h"
#include "task_table.h"

struct fg_tracer_stats {
	uint64_t seccomp_stops;
	uint64_t signal_stops; /* signal-delivery-stops, re-injected */
	uint64_t group_stops;
	uint64_t event_stops; /* fork, clone, exec and initial stops */
	uint64_t exit_stops;  /* syscall-exit stops (path lock, pending connect) */
	uint64_t denied;
	uint64_t killed;
};

struct fg_tracer {
	const struct fg_policy *policy;
	enum fg_mode mode;
	bool log_allowed;
	struct fg_audit *audit;
	struct fg_task_table tasks;
	struct fg_tracer_stats stats;
	pid_t main_pid;	  /* the first task seized */
	bool main_execed; /* main_pid has completed its first execve */
	/* Learn mode: every object a traced call acts on is reported here. */
	struct fg_learner *learner;
	/* A "stop" verdict: the init loop stops the whole container. */
	bool stop_requested;
	/* Where `syscall` sits in the vDSO, to set up argument areas (0: not
	 * needed, or none found). */
	uint64_t vdso_syscall_offset;
	/* Keep each task's root directory open between calls: in enforce
	 * mode, when the policy refuses every call that could change a root
	 * (chroot, pivot_root, unshare, setns, and clone with namespace flags
	 * through unshare's rule), it stays what it was at the task's first
	 * check. */
	bool cache_roots;
	/* The path lock: the task whose path call (rename, unlink, chmod, ...)
	 * runs now (0: none), and the tasks stopped at such a call, waiting
	 * their turn, in order. */
	pid_t path_lock_holder;
	pid_t *path_queue;
	size_t path_queue_len, path_queue_cap;
	/* Scratch space for one stop's argument check (large: paths). */
	struct fg_inspection inspection;
};

void fg_tracer_init(struct fg_tracer *t, const struct fg_policy *policy, enum fg_mode mode,
		    bool log_allowed, struct fg_audit *audit);
void fg_tracer_free(struct fg_tracer *t);

/* Attaches to the (not yet exec'd) main child with every option set. */
int fg_tracer_seize(struct fg_tracer *t, pid_t pid, struct fg_error *err);

/* Handles one status returned by waitpid(__WALL). Returns true when the task
 * `tid` no longer exists; *status is then its exit status (the tracer may
 * have waited for it itself while handling a stop). */
bool fg_tracer_handle_status(struct fg_tracer *t, pid_t tid, int *status);

/* Fills `out` with each traced process (thread group) once; returns the
 * count (at most max). */
size_t fg_tracer_processes(struct fg_tracer *t, pid_t *out, size_t max);

#endif
