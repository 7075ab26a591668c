/* init_loop.h - the PID-1 event loop: the only loop fhirguard runs.
 *
 * All signals an init forwards, and SIGCHLD, are blocked from the first
 * instruction of main() and collected here with sigtimedwait(), so none is
 * lost before the child exists and none races with reaping. After each
 * wake-up the loop drains waitpid(-1, __WALL | WNOHANG): ptrace stops go to
 * the tracer, exits are reaped (orphans included). When the main program
 * exits, every remaining process gets SIGTERM, then SIGKILL after the grace
 * period, and the loop returns.
 */
#ifndef FG_INIT_LOOP_H
#define FG_INIT_LOOP_H

#include <signal.h>
#include <stdbool.h>
#include <sys/types.h>
#include <time.h>

#include "audit.h"
#include "tracer.h"

enum fg_init_phase {
	FG_PHASE_RUNNING,     /* the main program runs */
	FG_PHASE_TERMINATING, /* main exited; the rest got SIGTERM */
	FG_PHASE_KILLING,     /* grace period over; the rest got SIGKILL */
};

struct fg_init_loop {
	struct fg_tracer *tracer;
	struct fg_audit *audit;
	pid_t main_pid;
	bool signal_group;
	bool is_pid1;
	int grace_ms;
	sigset_t waited; /* the blocked signals this loop collects */

	enum fg_init_phase phase;
	bool main_exited;
	int main_status;
	bool no_children;
	bool policy_stop; /* a "stop" verdict ended the run */
	struct timespec deadline;
	/* Signals that arrived before the program's exec, in order, delivered
	 * once it runs (not to fhirguard's own code between fork and exec). */
	int deferred[64];
	int deferred_count;
};

/* The signals fhirguard blocks and forwards (plus SIGCHLD, which it uses). */
void fg_init_forwarded_signals(sigset_t *set);

/* Runs until the main program has exited and every other process is gone. */
void fg_init_loop_run(struct fg_init_loop *loop);

/* The exit code for a wait status: the code, or 128+N for signal N. */
int fg_exit_code_from_status(int status);

#endif
