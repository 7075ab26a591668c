/* Integration tests: fhirguard's duties as a container init, run for real
 * (as PID 1 of a new PID namespace where the duty depends on it). */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

START_TEST(exit_codes_pass_through)
{
	static const char *const codes[] = { "0", "1", "7", "42", "126", "127", "255" };
	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		char script[64];
		snprintf(script, sizeof(script), "exit %s", codes[i]);
		char *argv[] = { (char *)fhirguard_path(),
				 "--policy",
				 (char *)syscalls_only_policy(),
				 "--",
				 "sh",
				 "-c",
				 script,
				 NULL };
		struct run r;
		run_sync(&r, argv, 30);
		ck_assert_int_eq(r.exit_code, atoi(codes[i]));
		run_free(&r);
	}
}
END_TEST

START_TEST(death_by_signal_is_128_plus_n)
{
	static const struct {
		const char *sig;
		int code;
	} cases[] = {
		{ "TERM", 143 }, { "KILL", 137 }, { "INT", 130 }, { "SEGV", 139 }, { "USR1", 138 }
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char script[64];
		snprintf(script, sizeof(script), "kill -%s $$", cases[i].sig);
		char *argv[] = { (char *)fhirguard_path(),
				 "--policy",
				 (char *)syscalls_only_policy(),
				 "--",
				 "sh",
				 "-c",
				 script,
				 NULL };
		struct run r;
		run_sync(&r, argv, 30);
		ck_assert_msg(r.exit_code == cases[i].code, "SIG%s: got %d, stderr: %s",
			      cases[i].sig, r.exit_code, r.err);
		run_free(&r);
	}
}
END_TEST

START_TEST(command_not_found_is_127)
{
	char *argv[] = { (char *)fhirguard_path(),	 "--policy",
			 (char *)syscalls_only_policy(), "--",
			 "no-such-command-anywhere",	 NULL };
	struct run r;
	run_sync(&r, argv, 30);
	ck_assert_int_eq(r.exit_code, 127);
	ck_assert_ptr_nonnull(strstr(r.err, "no-such-command-anywhere"));
	run_free(&r);

	char *argv2[] = {
		(char *)fhirguard_path(), "--policy", (char *)syscalls_only_policy(), "--",
		"/no/such/path",	  NULL
	};
	run_sync(&r, argv2, 30);
	ck_assert_int_eq(r.exit_code, 127);
	run_free(&r);
}
END_TEST

START_TEST(not_executable_is_126)
{
	char path[256];
	snprintf(path, sizeof(path), "/tmp/fhirguard-noexec-%d", (int)getpid());
	FILE *f = fopen(path, "w");
	fputs("#!/bin/sh\necho hi\n", f);
	fclose(f);
	chmod(path, 0644);
	char *argv[] = { (char *)fhirguard_path(),
			 "--policy",
			 (char *)syscalls_only_policy(),
			 "--",
			 path,
			 NULL };
	struct run r;
	run_sync(&r, argv, 30);
	unlink(path);
	ck_assert_int_eq(r.exit_code, 126);
	ck_assert_ptr_nonnull(strstr(r.err, "cannot execute"));
	run_free(&r);

	char *argv2[] = { (char *)fhirguard_path(),
			  "--policy",
			  (char *)syscalls_only_policy(),
			  "--",
			  "/tmp",
			  NULL };
	run_sync(&r, argv2, 30);
	ck_assert_int_eq(r.exit_code, 126);
	run_free(&r);
}
END_TEST

START_TEST(usage_errors_are_125)
{
	char *bad_option[] = { (char *)fhirguard_path(),
			       "--policy",
			       (char *)syscalls_only_policy(),
			       "--bogus",
			       "--",
			       "true",
			       NULL };
	struct run r;
	run_sync(&r, bad_option, 30);
	ck_assert_int_eq(r.exit_code, 125);
	ck_assert_ptr_nonnull(strstr(r.err, "unknown option \"--bogus\""));
	run_free(&r);

	char *no_command[] = { (char *)fhirguard_path(), NULL };
	run_sync(&r, no_command, 30);
	ck_assert_int_eq(r.exit_code, 125);
	run_free(&r);

	char *bad_mode[] = { (char *)fhirguard_path(),
			     "--policy",
			     (char *)syscalls_only_policy(),
			     "--mode",
			     "learnish",
			     "true",
			     NULL };
	run_sync(&r, bad_mode, 30);
	ck_assert_int_eq(r.exit_code, 125);
	ck_assert_ptr_nonnull(strstr(r.err, "--mode"));
	run_free(&r);
}
END_TEST

START_TEST(broken_policy_is_125_with_position)
{
	char path[256];
	snprintf(path, sizeof(path), "/tmp/fhirguard-badpolicy-%d.json", (int)getpid());
	FILE *f = fopen(path, "w");
	fputs("{\n  \"version\": 1,\n  \"syscalls\": {\n    \"default\": {\"action\": \"allow\"},\n"
	      "    \"rules\": [ {\"action\": \"deny\", \"syscalls\": [\"getpidd\"]} ]\n  }\n}\n",
	      f);
	fclose(f);
	char *argv[] = { (char *)fhirguard_path(), "--policy", path, "--", "true", NULL };
	struct run r;
	run_sync(&r, argv, 30);
	ck_assert_int_eq(r.exit_code, 125);
	char expected[512];
	snprintf(expected, sizeof(expected), "%s:5:48: unknown syscall \"getpidd\"", path);
	ck_assert_msg(strstr(r.err, expected) != NULL, "stderr was: %s", r.err);
	run_free(&r);

	char *missing[] = { (char *)fhirguard_path(), "--policy", "/no/such/policy.json", "true",
			    NULL };
	run_sync(&r, missing, 30);
	ck_assert_int_eq(r.exit_code, 125);
	ck_assert_ptr_nonnull(strstr(r.err, "/no/such/policy.json: cannot open the policy"));
	run_free(&r);
	unlink(path);
}
END_TEST

START_TEST(version_and_help)
{
	char *argv[] = { (char *)fhirguard_path(), "--version", NULL };
	struct run r;
	run_sync(&r, argv, 30);
	ck_assert_int_eq(r.exit_code, 0);
	ck_assert_ptr_nonnull(strstr(r.out, "fhirguard "));
	run_free(&r);
	char *help[] = { (char *)fhirguard_path(), "--help", NULL };
	run_sync(&r, help, 30);
	ck_assert_int_eq(r.exit_code, 0);
	ck_assert_ptr_nonnull(strstr(r.out, "--policy"));
	ck_assert_ptr_nonnull(strstr(r.out, "125"));
	run_free(&r);
}
END_TEST

/* Every signal an init should forward reaches the program. */
START_TEST(signals_are_forwarded)
{
	const int signals[] = { SIGHUP,	 SIGINT,  SIGQUIT, SIGUSR1,	 SIGUSR2, SIGWINCH,
				SIGCONT, SIGALRM, SIGURG,  SIGRTMIN + 3, SIGTERM };
	char helper[512];
	char *argv[] = { (char *)fhirguard_path(),
			 "--policy",
			 (char *)syscalls_only_policy(),
			 "--",
			 (char *)helper_path("sig_recorder", helper, sizeof(helper)),
			 "30",
			 NULL };
	struct run r;
	run_start(&r, argv);
	char line[256];
	ck_assert(run_read_line(&r, line, sizeof(line), 20));
	ck_assert_ptr_nonnull(strstr(line, "ready"));
	for (size_t i = 0; i < sizeof(signals) / sizeof(signals[0]); i++) {
		kill(r.pid, signals[i]);
		char expected[64];
		if (sigabbrev_np(signals[i]) != NULL)
			snprintf(expected, sizeof(expected), "got SIG%s", sigabbrev_np(signals[i]));
		else
			snprintf(expected, sizeof(expected), "got SIG%d", signals[i]);
		ck_assert_msg(run_read_line(&r, line, sizeof(line), 20), "no line for %s",
			      expected);
		ck_assert_str_eq(line, expected);
	}
	run_wait(&r, 30);
	ck_assert_int_eq(r.exit_code, 0);
	run_free(&r);
}
END_TEST

/* With -g the whole process group gets the signal: both recorders. */
START_TEST(process_group_forwarding)
{
	char helper[512];
	char script[1200];
	helper_path("sig_recorder", helper, sizeof(helper));
	snprintf(script, sizeof(script), "%s 30 & %s 30; wait", helper, helper);
	char *argv[] = { (char *)fhirguard_path(),
			 "--policy",
			 (char *)syscalls_only_policy(),
			 "-g",
			 "--",
			 "sh",
			 "-c",
			 script,
			 NULL };
	struct run r;
	run_start(&r, argv);
	char line[256];
	ck_assert(run_read_line(&r, line, sizeof(line), 20));
	ck_assert(run_read_line(&r, line, sizeof(line), 20));
	/* The group signal kills sh (default action) and reaches both
	 * recorders; sh's exit then makes fhirguard SIGTERM the rest. The
	 * recorders' lines may interleave in any order. */
	kill(r.pid, SIGUSR2);
	run_wait(&r, 30);
	ck_assert_msg(count_substr(r.out, "got SIGUSR2") == 2, "out: %s", r.out);
	ck_assert_msg(count_substr(r.out, "got SIGTERM") == 2, "out: %s", r.out);
	ck_assert_int_eq(r.exit_code, 128 + SIGUSR2);
	run_free(&r);
}
END_TEST

/* A signal sent while fhirguard is still setting up (here: blocked opening
 * its audit log, a FIFO nobody reads yet) is delivered once the program runs.
 * fhirguard is started with SIGUSR1 blocked, as a parent may do: the program
 * inherits that mask, so the signal waits for the recorder's sigtimedwait
 * whatever the timing. */
START_TEST(early_signal_is_not_lost)
{
	char fifo[256];
	snprintf(fifo, sizeof(fifo), "/tmp/fhirguard-fifo-%d", (int)getpid());
	unlink(fifo);
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	char helper[512];
	char *argv[] = { (char *)fhirguard_path(),
			 "--policy",
			 (char *)syscalls_only_policy(),
			 "--log",
			 fifo,
			 "--",
			 (char *)helper_path("sig_recorder", helper, sizeof(helper)),
			 "30",
			 NULL };
	struct run r;
	sigset_t usr1;
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	run_start_masked(&r, argv, &usr1);
	usleep(300000); /* fhirguard is now blocked in open() of the FIFO */
	kill(r.pid, SIGUSR1);
	int reader = open(fifo, O_RDONLY | O_NONBLOCK);
	ck_assert_int_ge(reader, 0);
	char line[256];
	ck_assert(run_read_line(&r, line, sizeof(line), 20));
	ck_assert_ptr_nonnull(strstr(line, "ready"));
	ck_assert(run_read_line(&r, line, sizeof(line), 20));
	ck_assert_str_eq(line, "got SIGUSR1");
	kill(r.pid, SIGTERM);
	run_wait(&r, 30);
	ck_assert_int_eq(r.exit_code, 0);
	close(reader);
	unlink(fifo);
	run_free(&r);
}
END_TEST

/* As PID 1 of a new PID namespace: 100 orphaned grandchildren are reaped,
 * nothing is left as a zombie. */
START_TEST(pid1_reaps_orphans)
{
	char maker[512], counter[512], script[1200];
	helper_path("orphan_maker", maker, sizeof(maker));
	helper_path("zombie_count", counter, sizeof(counter));
	snprintf(script, sizeof(script), "%s 100 1 >/dev/null; sleep 2; %s", maker, counter);
	char *argv[] = { "unshare",
			 "--pid",
			 "--fork",
			 "--mount-proc",
			 (char *)fhirguard_path(),
			 "--policy",
			 (char *)syscalls_only_policy(),
			 "--",
			 "sh",
			 "-c",
			 script,
			 NULL };
	struct run r;
	run_sync(&r, argv, 60);
	ck_assert_msg(r.exit_code == 0, "exit %d, stderr: %s", r.exit_code, r.err);
	/* Left: fhirguard (PID 1), sh, zombie_count. */
	ck_assert_msg(strstr(r.out, "processes 3\n") != NULL, "out: %s", r.out);
	ck_assert_msg(strstr(r.out, "zombies 0\n") != NULL, "out: %s", r.out);
	ck_assert_ptr_null(strstr(r.err, "not running as PID 1"));
	run_free(&r);
}
END_TEST

/* Not PID 1: fhirguard says so once and still reaps orphans (subreaper). */
START_TEST(subreaper_reaps_orphans)
{
	char maker[512], counter[512], script[1400];
	helper_path("orphan_maker", maker, sizeof(maker));
	helper_path("zombie_count", counter, sizeof(counter));
	snprintf(script, sizeof(script), "pids=$(%s 20 1 | cut -d' ' -f2); sleep 2; %s $pids",
		 maker, counter);
	char *argv[] = { (char *)fhirguard_path(),
			 "--policy",
			 (char *)syscalls_only_policy(),
			 "--",
			 "sh",
			 "-c",
			 script,
			 NULL };
	struct run r;
	run_sync(&r, argv, 60);
	ck_assert_int_eq(r.exit_code, 0);
	ck_assert_msg(strstr(r.out, "processes 0\n") != NULL, "out: %s", r.out);
	ck_assert_int_eq(count_substr(r.err, "not running as PID 1"), 1);
	run_free(&r);
}
END_TEST

/* When the program exits, the rest get SIGTERM (a recorder prints it). */
START_TEST(remaining_processes_get_sigterm)
{
	char helper[512], script[1200];
	helper_path("sig_recorder", helper, sizeof(helper));
	snprintf(script, sizeof(script), "%s 30 & sleep 0.5; exit 5", helper);
	char *argv[] = { "unshare",
			 "--pid",
			 "--fork",
			 "--mount-proc",
			 (char *)fhirguard_path(),
			 "--policy",
			 (char *)syscalls_only_policy(),
			 "--",
			 "sh",
			 "-c",
			 script,
			 NULL };
	struct run r;
	run_sync(&r, argv, 60);
	ck_assert_int_eq(r.exit_code, 5);
	ck_assert_msg(strstr(r.out, "got SIGTERM") != NULL, "out: %s", r.out);
	run_free(&r);
}
END_TEST

/* A process that ignores SIGTERM is killed after the grace period, and
 * fhirguard still returns the main program's status. */
START_TEST(grace_period_then_sigkill)
{
	char helper[512], script[1200];
	helper_path("term_ignorer", helper, sizeof(helper));
	snprintf(script, sizeof(script), "%s 120 & sleep 0.5; exit 3", helper);
	char *argv[] = { (char *)fhirguard_path(),
			 "--policy",
			 (char *)syscalls_only_policy(),
			 "--grace",
			 "1",
			 "--",
			 "sh",
			 "-c",
			 script,
			 NULL };
	struct run r;
	double start = now_s();
	run_sync(&r, argv, 100);
	double took = now_s() - start;
	ck_assert_int_eq(r.exit_code, 3);
	/* Not a timing test: only that the 120 s sleeper did not keep it alive. */
	ck_assert_msg(took < 60, "took %.1f s", took);
	run_free(&r);
}
END_TEST

static char process_state(pid_t pid)
{
	char path[64], text[512];
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	FILE *f = fopen(path, "r");
	if (f == NULL)
		return 0;
	size_t n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = '\0';
	const char *p = strrchr(text, ')');
	return p ? p[2] : 0;
}

static pid_t child_of(pid_t parent)
{
	char path[128];
	snprintf(path, sizeof(path), "/proc/%d/task/%d/children", (int)parent, (int)parent);
	char *text = read_file(path);
	pid_t child = text ? (pid_t)atoi(text) : 0;
	free(text);
	return child;
}

/* Job control: SIGTSTP stops the program, SIGCONT resumes it. */
START_TEST(job_control_stop_and_continue)
{
	char *argv[] = { (char *)fhirguard_path(),
			 "--policy",
			 (char *)syscalls_only_policy(),
			 "--",
			 "sleep",
			 "30",
			 NULL };
	struct run r;
	run_start(&r, argv);
	pid_t child = 0;
	for (int i = 0; i < 100 && child == 0; i++) {
		usleep(50000);
		child = child_of(r.pid);
	}
	ck_assert_int_gt(child, 0);
	usleep(200000);
	kill(r.pid, SIGTSTP);
	char state = 0;
	for (int i = 0; i < 100; i++) {
		usleep(50000);
		state = process_state(child);
		if (state == 'T' || state == 't')
			break;
	}
	ck_assert_msg(state == 'T' || state == 't', "state after TSTP: %c", state);
	kill(r.pid, SIGCONT);
	for (int i = 0; i < 100; i++) {
		usleep(50000);
		state = process_state(child);
		if (state == 'S' || state == 'R')
			break;
	}
	ck_assert_msg(state == 'S' || state == 'R', "state after CONT: %c", state);
	kill(r.pid, SIGTERM);
	run_wait(&r, 30);
	ck_assert_int_eq(r.exit_code, 143);
	run_free(&r);
}
END_TEST

/* Where supervision cannot work, one line names the cause and the setting
 * to change, and fhirguard exits 125 before the program starts. The
 * refusals are produced for real: an outer fhirguard plays a container
 * runtime whose seccomp profile refuses seccomp() or ptrace(). */
START_TEST(friendly_failure_when_seccomp_or_ptrace_is_refused)
{
	static const struct {
		const char *runtime_policy;
		const char *message;
	} cases[] = {
		{ "tests/integration/policies/no-seccomp.json",
		  "the seccomp() syscall is refused here (Operation not permitted)" },
		{ "tests/integration/policies/no-ptrace.json",
		  "cannot trace the program (ptrace: Operation not permitted)" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char runtime[1024];
		source_path(cases[i].runtime_policy, runtime, sizeof(runtime));
		char *argv[] = { (char *)fhirguard_path(), "--policy", runtime, "--log",
				 "/dev/null", "--",
				 /* The inner fhirguard is traced by the outer one, and
				  * LeakSanitizer cannot run under ptrace (ASan build). */
				 "env", "ASAN_OPTIONS=detect_leaks=0", (char *)fhirguard_path(),
				 "--policy", (char *)syscalls_only_policy(), "--", "sh", "-c",
				 "echo the program ran", NULL };
		struct run r;
		run_sync(&r, argv, 60);
		ck_assert_msg(r.exit_code == 125, "%s: exit %d", cases[i].runtime_policy,
			      r.exit_code);
		ck_assert_msg(strstr(r.err, cases[i].message) != NULL, "%s: %s",
			      cases[i].runtime_policy, r.err);
		ck_assert_ptr_null(strstr(r.out, "the program ran"));
		run_free(&r);
	}
}
END_TEST

/* Landlock refused (a runtime profile, played by a seccomp filter): one
 * warning and supervisor-only enforcement, or with --require-landlock one
 * line and exit 125 before the program starts. Where Landlock works, the
 * start line says what the ruleset covers. */
START_TEST(landlock_refused_warns_or_fails_when_required)
{
	char deny[1024], inner_policy[1024];
	helper_path("deny_syscalls", deny, sizeof(deny));
	source_path("tests/integration/policies/sections.json", inner_policy, sizeof(inner_policy));
	for (int require = 0; require <= 1; require++) {
		char *argv[] = { deny,
				 "landlock",
				 (char *)fhirguard_path(),
				 "--policy",
				 inner_policy,
				 "--log",
				 "/dev/null",
				 require ? "--require-landlock" : "--log-allowed",
				 "--",
				 "sh",
				 "-c",
				 "echo the program ran",
				 NULL };
		struct run r;
		run_sync(&r, argv, 60);
		if (require) {
			ck_assert_msg(r.exit_code == 125, "exit %d: %s", r.exit_code, r.err);
			ck_assert_msg(strstr(r.err,
					     "--require-landlock: Landlock is not available: "
					     "refused (EPERM)") != NULL,
				      "%s", r.err);
			ck_assert_ptr_null(strstr(r.out, "the program ran"));
		} else {
			ck_assert_msg(r.exit_code == 0, "exit %d: %s", r.exit_code, r.err);
			ck_assert_msg(strstr(r.err, "warning: Landlock is not available: refused "
						    "(EPERM)") != NULL,
				      "%s", r.err);
			ck_assert_msg(strstr(r.err, "--require-landlock makes this an error") !=
					  NULL,
				      "%s", r.err);
			ck_assert_ptr_nonnull(strstr(r.out, "the program ran"));
		}
		run_free(&r);
	}

	char *direct[] = { (char *)fhirguard_path(),
			   "--policy",
			   inner_policy,
			   "--require-landlock",
			   "--",
			   "sh",
			   "-c",
			   "echo the program ran",
			   NULL };
	struct run r;
	run_sync(&r, direct, 60);
	ck_assert_msg(r.exit_code == 0, "exit %d: %s", r.exit_code, r.err);
	ck_assert_msg(strstr(r.err, "\"landlock\":\"abi ") != NULL, "%s", r.err);
	ck_assert_ptr_nonnull(strstr(r.out, "the program ran"));
	run_free(&r);
}
END_TEST

/* Profiles that answer refused calls with ENOSYS (podman, CRI-O) name the
 * runtime, not the kernel; a set-user-ID entrypoint is refused with a line,
 * not run silently without its privilege. */
START_TEST(friendly_failure_enosys_profiles_and_setuid)
{
	static const struct {
		const char *groups;
		int exit_code;
		const char *message;
	} cases[] = {
		{ "ptrace:enosys", 125,
		  "cannot trace the program (ptrace: Function not implemented): the container "
		  "runtime forbids ptrace" },
		{ "seccomp:enosys", 125,
		  "the seccomp() syscall is refused here (Function not implemented) by the "
		  "container runtime's seccomp profile" },
		{ "landlock:enosys", 0,
		  "warning: Landlock is not available (ENOSYS): this kernel lacks it, or the "
		  "container runtime's seccomp profile" },
	};
	char deny[1024], policy[1024];
	helper_path("deny_syscalls", deny, sizeof(deny));
	source_path("tests/integration/policies/sections.json", policy, sizeof(policy));
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		/* LeakSanitizer stops the world with ptrace, which some of these
		 * profiles refuse (ASan build). */
		char *argv[] = { deny,
				 (char *)cases[i].groups,
				 "env",
				 "ASAN_OPTIONS=detect_leaks=0",
				 (char *)fhirguard_path(),
				 "--policy",
				 policy,
				 "--log",
				 "/dev/null",
				 "--",
				 "sh",
				 "-c",
				 "echo the program ran",
				 NULL };
		struct run r;
		run_sync(&r, argv, 60);
		ck_assert_msg(r.exit_code == cases[i].exit_code, "%s: exit %d: %s", cases[i].groups,
			      r.exit_code, r.err);
		ck_assert_msg(strstr(r.err, cases[i].message) != NULL, "%s: %s", cases[i].groups,
			      r.err);
		ck_assert_int_eq(strstr(r.out, "the program ran") != NULL, cases[i].exit_code == 0);
		run_free(&r);
	}

	ck_assert_int_eq(system("cp /usr/bin/id /tmp/fhirguard-suid-id && "
				"chmod 4755 /tmp/fhirguard-suid-id"),
			 0);
	char *setuid_argv[] = { "setpriv",
				"--reuid",
				"65534",
				"--regid",
				"65534",
				"--clear-groups",
				"env",
				"ASAN_OPTIONS=detect_leaks=0",
				(char *)fhirguard_path(),
				"--policy",
				(char *)syscalls_only_policy(),
				"--",
				"/tmp/fhirguard-suid-id",
				NULL };
	struct run r;
	run_sync(&r, setuid_argv, 60);
	unlink("/tmp/fhirguard-suid-id");
	ck_assert_msg(r.exit_code == 125, "exit %d: %s %s", r.exit_code, r.out, r.err);
	ck_assert_msg(strstr(r.err, "/tmp/fhirguard-suid-id is set-user-ID, but under fhirguard "
				    "it would run without that privilege") != NULL,
		      "%s", r.err);
	ck_assert_ptr_null(strstr(r.out, "uid="));
	run_free(&r);
}
END_TEST

/* -e CODE reports CODE as 0 (the JVM's 143 after SIGTERM); others pass. */
START_TEST(remap_exit_code)
{
	char *argv[] = { (char *)fhirguard_path(),
			 "--policy",
			 (char *)syscalls_only_policy(),
			 "-e",
			 "143",
			 "--remap-exit=7",
			 "--",
			 "sh",
			 "-c",
			 "kill -TERM $$",
			 NULL };
	struct run r;
	run_sync(&r, argv, 30);
	ck_assert_int_eq(r.exit_code, 0);
	run_free(&r);
	char *other[] = { (char *)fhirguard_path(),
			  "--policy",
			  (char *)syscalls_only_policy(),
			  "-e",
			  "143",
			  "--",
			  "sh",
			  "-c",
			  "exit 3",
			  NULL };
	run_sync(&r, other, 30);
	ck_assert_int_eq(r.exit_code, 3);
	run_free(&r);
	char *bad[] = { (char *)fhirguard_path(), "-e", "300", "--", "true", NULL };
	run_sync(&r, bad, 30);
	ck_assert_int_eq(r.exit_code, 125);
	ck_assert_ptr_nonnull(strstr(r.err, "-e: expected an exit code from 0 to 255"));
	run_free(&r);
}
END_TEST

static Suite *pid1_suite(void)
{
	Suite *s = suite_create("pid1");
	TCase *tc = tcase_create("init");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, exit_codes_pass_through);
	tcase_add_test(tc, death_by_signal_is_128_plus_n);
	tcase_add_test(tc, command_not_found_is_127);
	tcase_add_test(tc, not_executable_is_126);
	tcase_add_test(tc, usage_errors_are_125);
	tcase_add_test(tc, broken_policy_is_125_with_position);
	tcase_add_test(tc, version_and_help);
	tcase_add_test(tc, signals_are_forwarded);
	tcase_add_test(tc, process_group_forwarding);
	tcase_add_test(tc, early_signal_is_not_lost);
	tcase_add_test(tc, pid1_reaps_orphans);
	tcase_add_test(tc, subreaper_reaps_orphans);
	tcase_add_test(tc, remaining_processes_get_sigterm);
	tcase_add_test(tc, grace_period_then_sigkill);
	tcase_add_test(tc, job_control_stop_and_continue);
	tcase_add_test(tc, friendly_failure_when_seccomp_or_ptrace_is_refused);
	tcase_add_test(tc, remap_exit_code);
	tcase_add_test(tc, landlock_refused_warns_or_fails_when_required);
	tcase_add_test(tc, friendly_failure_enosys_profiles_and_setuid);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(pid1_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
