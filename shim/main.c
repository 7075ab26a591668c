/* main.c - fhirguard: wiring from the command line to the event loop.
 *
 *   argv -> options -> policy -> audit log -> filter -> spawn -> init loop
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include "audit.h"
#include "commands.h"
#include "filter.h"
#include "init_loop.h"
#include "landlock.h"
#include "options.h"
#include "policy.h"
#include "preflight.h"
#include "spawn.h"
#include "tracer.h"

#ifndef FG_VERSION
#define FG_VERSION "0.1.0"
#endif

enum { AUDIT_CLOSE_TIMEOUT_MS = 2000, SUPERVISOR_NICE_BOOST = 10 };

static void say(const char *message)
{
	fprintf(stderr, "fhirguard: %s\n", message);
}

/* Closes inherited descriptors the program got but fhirguard does not need,
 * so an init holds nothing open (a mount point, a socket, a pipe's end). */
static void close_inherited_fds(int keep_a, int keep_b)
{
	int low = keep_a < keep_b ? keep_a : keep_b;
	int high = keep_a < keep_b ? keep_b : keep_a;
	if (low > 3)
		close_range(3, (unsigned int)low - 1, 0);
	if (high > low + 1)
		close_range((unsigned int)low + 1, (unsigned int)high - 1, 0);
	close_range((unsigned int)high + 1, ~0U, 0);
}

static void report_spawn_failure(struct fg_spawn *spawn, const char *command, int *exit_code)
{
	struct fg_spawn_failure failure;
	if (fg_spawn_read_failure(spawn, &failure) <= 0)
		return;
	char message[512];
	if (failure.stage == FG_SPAWN_STAGE_NO_NEW_PRIVS) {
		snprintf(message, sizeof(message), "cannot set no_new_privs: %s",
			 strerror(failure.error));
		*exit_code = FG_EXIT_FHIRGUARD;
	} else if (failure.stage == FG_SPAWN_STAGE_LANDLOCK) {
		snprintf(message, sizeof(message),
			 "cannot apply the Landlock ruleset: %s (run with a policy whose "
			 "files and network defaults allow, or fix the kernel or runtime)",
			 strerror(failure.error));
		*exit_code = FG_EXIT_FHIRGUARD;
	} else if (failure.stage == FG_SPAWN_STAGE_FILTER) {
		snprintf(message, sizeof(message),
			 "cannot install the seccomp filter: %s (the kernel or the container "
			 "runtime refuses seccomp filters)",
			 strerror(failure.error));
		*exit_code = FG_EXIT_FHIRGUARD;
	} else {
		snprintf(message, sizeof(message), "cannot execute %s: %s%s", command,
			 strerror(failure.error),
			 failure.error == EPERM ? " (is execve denied by the policy?)" : "");
	}
	say(message);
}

/* Builds the Landlock ruleset the child applies before exec (see
 * lib/landlock.h). Without Landlock the supervisor enforces alone: one
 * warning, or an error with --require-landlock. Returns -1 after saying why
 * fhirguard cannot start. */
static int setup_landlock(const struct fg_policy *policy, enum fg_mode mode, bool require,
			  struct fg_landlock_plan *plan, char *summary, size_t size)
{
	struct fg_error err;
	if (fg_landlock_prepare_policy(policy, mode, plan, &err) < 0) {
		say(err.msg);
		return -1;
	}
	fg_landlock_summary(plan, summary, size);
	if (plan->ruleset_fd >= 0 || mode != FG_MODE_ENFORCE)
		return 0;
	char message[640];
	if (require) {
		snprintf(message, sizeof(message),
			 "--require-landlock: %s; run without --require-landlock to enforce "
			 "with the supervisor alone",
			 plan->unavailable_reason);
		say(message);
		return -1;
	}
	if (plan->abi == 0) {
		snprintf(message, sizeof(message),
			 "warning: %s; the policy is enforced by the supervisor alone, without "
			 "the kernel's own file and port checks behind it; --require-landlock "
			 "makes this an error",
			 plan->unavailable_reason);
		say(message);
	}
	return 0;
}

static void release_filters(scmp_filter_ctx filter, scmp_filter_ctx area_guard)
{
	seccomp_release(filter);
	if (area_guard != NULL)
		seccomp_release(area_guard);
}

int main(int argc, char **argv)
{
	/* First of all: block every signal fhirguard forwards, so that none
	 * that arrives before the child exists is lost. */
	sigset_t forwarded, original;
	fg_init_forwarded_signals(&forwarded);
	sigprocmask(SIG_BLOCK, &forwarded, &original);
	signal(SIGTTIN, SIG_IGN);
	signal(SIGTTOU, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);

	/* Policy tools; "fhirguard -- check" runs a program named check. */
	if (argc >= 2 && strcmp(argv[1], "learn") == 0) {
		/* "fhirguard learn ARGS" is "fhirguard --mode=learn ARGS". */
		static char learn_option[] = "--mode=learn";
		argv[1] = learn_option;
	}
	if (argc >= 2 && strcmp(argv[1], "check") == 0)
		return fg_command_check(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "explain") == 0)
		return fg_command_explain(argc - 1, argv + 1);

	struct fg_options opts;
	struct fg_error err;
	if (fg_options_parse(argc, argv, &opts, &err) < 0) {
		say(err.msg);
		return FG_EXIT_FHIRGUARD;
	}
	if (opts.show_help) {
		fg_options_print_help(argv[0]);
		return 0;
	}
	if (opts.show_version) {
		printf("fhirguard %s\n", FG_VERSION);
		return 0;
	}

	struct fg_policy policy;
	int rc = opts.policy_path ? fg_policy_load_file(opts.policy_path, &policy, &err)
				  : fg_policy_load_default(&policy, &err);
	if (rc < 0) {
		say(err.msg);
		return FG_EXIT_FHIRGUARD;
	}
	enum fg_mode mode = opts.mode_given ? opts.mode : policy.mode;
	if (opts.learn)
		policy.guard_exec_mappings = true; /* learn what code each file runs */
	bool log_allowed = opts.log_allowed || policy.log_allowed;

	char path[PATH_MAX];
	int resolve_rc = fg_spawn_resolve(opts.command[0], path, sizeof(path), &err);
	if (resolve_rc != 0) {
		say(err.msg);
		fg_policy_free(&policy);
		return resolve_rc;
	}

	if (fg_preflight_proc(&err) < 0 || fg_preflight_setid(path, &err) < 0 ||
	    fg_preflight_seccomp(&err) < 0) {
		say(err.msg);
		fg_policy_free(&policy);
		return FG_EXIT_FHIRGUARD;
	}
	scmp_filter_ctx filter = fg_filter_build(&policy, mode, &err);
	if (filter == NULL) {
		say(err.msg);
		fg_policy_free(&policy);
		return FG_EXIT_FHIRGUARD;
	}
	scmp_filter_ctx area_guard = NULL;
	if (policy.pin_arguments &&
	    (area_guard = fg_filter_build_area_guard(&policy, &err)) == NULL) {
		say(err.msg);
		release_filters(filter, area_guard);
		fg_policy_free(&policy);
		return FG_EXIT_FHIRGUARD;
	}

	struct fg_landlock_plan landlock;
	char landlock_summary[512];
	if (setup_landlock(&policy, mode, opts.require_landlock, &landlock, landlock_summary,
			   sizeof(landlock_summary)) < 0) {
		release_filters(filter, area_guard);
		fg_policy_free(&policy);
		return FG_EXIT_FHIRGUARD;
	}

	struct fg_audit audit;
	if (fg_audit_open(&audit, opts.log_path, opts.log_format, &err) < 0) {
		say(err.msg);
		fg_landlock_release(&landlock);
		release_filters(filter, area_guard);
		fg_policy_free(&policy);
		return FG_EXIT_FHIRGUARD;
	}

	bool is_pid1 = getpid() == 1;
	if (!is_pid1) {
		if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0)
			say("not running as PID 1; registered as a child subreaper, so orphaned "
			    "processes are still reaped");
		else
			say("not running as PID 1 and cannot become a child subreaper; orphaned "
			    "processes will not be reaped by fhirguard");
	}

	struct fg_tracer tracer;
	fg_tracer_init(&tracer, &policy, mode, log_allowed, &audit);
	if (opts.learn) {
		tracer.learner = fg_learner_new();
		if (tracer.learner == NULL) {
			say("out of memory");
			return FG_EXIT_FHIRGUARD;
		}
	}
	/* Every stop of the program waits until fhirguard runs: on a busy node,
	 * a higher priority halves that wait (measured in bench/ANALYSIS.md).
	 * It needs CAP_SYS_NICE; the program keeps the starting priority. */
	struct fg_child_state child = { .mask = original, .area_guard = area_guard };
	errno = 0;
	child.nice = getpriority(PRIO_PROCESS, 0);
	if (errno != 0)
		child.nice = 0;
	bool raised = setpriority(PRIO_PROCESS, 0, child.nice - SUPERVISOR_NICE_BOOST) == 0;
	fg_audit_start(&audit, &policy, mode, opts.command, FG_VERSION, landlock_summary,
		       raised ? child.nice - SUPERVISOR_NICE_BOOST : child.nice);

	struct fg_spawn spawn;
	int spawn_rc =
	    fg_spawn_start(path, opts.command, filter, &landlock, &child, &tracer, &spawn, &err);
	fg_landlock_release(&landlock);
	if (spawn_rc < 0) {
		say(err.msg);
		int tracer_pid = fg_preflight_tracer_pid();
		if (tracer_pid != 0) {
			/* A process has one tracer: under strace -f, gdb or another
			 * fhirguard, the program is already traced by that one. */
			char message[160];
			snprintf(message, sizeof(message),
				 "fhirguard itself is traced by PID %d (strace -f, gdb or another "
				 "fhirguard?); run it outside that tracer",
				 tracer_pid);
			say(message);
		}
		fg_audit_close(&audit, AUDIT_CLOSE_TIMEOUT_MS);
		fg_tracer_free(&tracer);
		release_filters(filter, area_guard);
		fg_policy_free(&policy);
		return FG_EXIT_FHIRGUARD;
	}
	release_filters(filter, area_guard);
	close_inherited_fds(audit.fd, spawn.report_fd);
	if (chdir("/") < 0)
		say("cannot change to the root directory; the start directory stays in use");

	struct fg_init_loop loop = {
		.tracer = &tracer,
		.audit = &audit,
		.main_pid = spawn.pid,
		.signal_group = opts.signal_group,
		.is_pid1 = is_pid1,
		.grace_ms = opts.grace_ms,
		.waited = forwarded,
	};
	fg_init_loop_run(&loop);

	int exit_code = fg_exit_code_from_status(loop.main_status);
	if (exit_code >= 0 && exit_code <= 255 && opts.remap_to_zero[exit_code])
		exit_code = 0;
	if (loop.policy_stop) {
		say("a \"stop\" rule of the policy matched: the container was stopped (see the "
		    "audit log)");
		exit_code = FG_EXIT_POLICY_STOP;
	}
	report_spawn_failure(&spawn, opts.command[0], &exit_code);
	if (tracer.learner != NULL) {
		if (fg_learner_write(tracer.learner, &policy, opts.learn_out, opts.learn_merge,
				     &err) < 0) {
			say(err.msg);
			exit_code = FG_EXIT_FHIRGUARD;
		} else {
			char message[PATH_MAX + 64];
			snprintf(message, sizeof(message), "learned policy written to %s",
				 opts.learn_out);
			say(message);
		}
		fg_learner_free(tracer.learner);
		tracer.learner = NULL;
	}
	struct fg_audit_counts counts = {
		.seccomp_stops = tracer.stats.seccomp_stops,
		.signal_stops = tracer.stats.signal_stops,
		.group_stops = tracer.stats.group_stops,
		.event_stops = tracer.stats.event_stops,
		.exit_stops = tracer.stats.exit_stops,
		.denied = tracer.stats.denied,
		.killed = tracer.stats.killed,
	};
	fg_audit_exit(&audit, loop.main_status, exit_code, &counts);
	fg_audit_close(&audit, AUDIT_CLOSE_TIMEOUT_MS);
	fg_tracer_free(&tracer);
	fg_policy_free(&policy);
	return exit_code;
}
