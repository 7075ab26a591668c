/* Integration tests: the filter and the supervisor on real programs. */
#include <cjson/cJSON.h>
#include <check.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"

static char policy_buf[1024];

static const char *actions_policy(void)
{
	return source_path("tests/integration/policies/actions.json", policy_buf,
			   sizeof(policy_buf));
}

/* Runs syscall_probe CALL under fhirguard with the actions policy. */
static void probe(struct run *r, const char *log, const char *mode, const char *call)
{
	char helper[512];
	char *argv[] = { (char *)fhirguard_path(),
			 "--policy",
			 (char *)actions_policy(),
			 "--mode",
			 (char *)mode,
			 "--log",
			 (char *)log,
			 "--",
			 (char *)helper_path("syscall_probe", helper, sizeof(helper)),
			 (char *)call,
			 NULL };
	run_sync(r, argv, 60);
}

static int syscall_lines(const char *log)
{
	const char *const needles[] = { "\"type\":\"syscall\"", NULL };
	return count_lines_with(log, needles);
}

START_TEST(denied_call_gets_errno_and_one_line)
{
	char log_path[256];
	temp_log_path(log_path, sizeof(log_path), "deny");
	struct run r;
	probe(&r, log_path, "enforce", "getpid");
	ck_assert_int_eq(r.exit_code, 0);
	ck_assert_msg(strstr(r.out, "getpid ret=-1 errno=EACCES") != NULL, "out: %s", r.out);
	char *log = read_file(log_path);
	ck_assert_ptr_nonnull(log);
	const char *const deny[] = { "\"syscall\":\"getpid\"",
				     "\"verdict\":\"deny\"",
				     "\"action\":\"deny\"",
				     "\"errno\":\"EACCES\"",
				     "\"rule\":\"deny-getpid\"",
				     "\"mode\":\"enforce\"",
				     NULL };
	ck_assert_int_eq(count_lines_with(log, deny), 1);
	ck_assert_msg(syscall_lines(log) == 1, "log: %s", log);
	free(log);
	unlink(log_path);
	run_free(&r);
}
END_TEST

START_TEST(killed_call_dies_of_sigsys_with_one_line)
{
	char log_path[256];
	temp_log_path(log_path, sizeof(log_path), "kill");
	struct run r;
	probe(&r, log_path, "enforce", "getppid");
	ck_assert_int_eq(r.exit_code, 128 + SIGSYS);
	ck_assert_ptr_null(strstr(r.out, "getppid ret="));
	char *log = read_file(log_path);
	const char *const kill_line[] = { "\"syscall\":\"getppid\"", "\"verdict\":\"kill\"",
					  "\"action\":\"kill\"", "\"rule\":\"kill-getppid\"",
					  NULL };
	ck_assert_int_eq(count_lines_with(log, kill_line), 1);
	ck_assert_int_eq(syscall_lines(log), 1);
	const char *const exit_line[] = { "\"type\":\"exit\"", "\"signal\":31", "\"exit_code\":159",
					  NULL };
	ck_assert_int_eq(count_lines_with(log, exit_line), 1);
	free(log);
	unlink(log_path);
	run_free(&r);
}
END_TEST

START_TEST(audit_mode_logs_but_allows)
{
	char log_path[256];
	temp_log_path(log_path, sizeof(log_path), "audit");
	struct run r;
	probe(&r, log_path, "audit", "getpid");
	ck_assert_int_eq(r.exit_code, 0);
	ck_assert_msg(strstr(r.out, "getpid ret=-1") == NULL, "out: %s", r.out);
	char *log = read_file(log_path);
	const char *const line[] = { "\"syscall\":\"getpid\"", "\"verdict\":\"deny\"",
				     "\"action\":\"allow\"", "\"mode\":\"audit\"", NULL };
	ck_assert_int_eq(count_lines_with(log, line), 1);
	free(log);
	unlink(log_path);
	run_free(&r);

	/* A kill verdict is logged and the process lives on. */
	probe(&r, log_path, "audit", "getppid");
	ck_assert_int_eq(r.exit_code, 0);
	ck_assert_ptr_nonnull(strstr(r.out, "getppid ret="));
	log = read_file(log_path);
	const char *const kill_line[] = { "\"syscall\":\"getppid\"", "\"verdict\":\"kill\"",
					  "\"action\":\"allow\"", NULL };
	ck_assert_int_eq(count_lines_with(log, kill_line), 1);
	free(log);
	unlink(log_path);
	run_free(&r);
}
END_TEST

START_TEST(clone3_is_enosys_and_unlogged)
{
	char log_path[256];
	temp_log_path(log_path, sizeof(log_path), "clone3");
	struct run r;
	probe(&r, log_path, "enforce", "clone3");
	ck_assert_int_eq(r.exit_code, 0);
	ck_assert_msg(strstr(r.out, "clone3 ret=-1 errno=ENOSYS") != NULL, "out: %s", r.out);
	char *log = read_file(log_path);
	ck_assert_int_eq(syscall_lines(log), 0);
	free(log);
	unlink(log_path);
	run_free(&r);
}
END_TEST

/* Calls through the x32 ABI and through int 0x80 are killed before they
 * run (the filter sends them to the supervisor, which logs the attempt and
 * sends SIGKILL), each with an audit line naming the ABI. */
START_TEST(other_abis_are_killed)
{
	static const char *const calls[] = { "x32_getpid", "int80_getpid" };
	static const char *const names[] = { "\"syscall\":\"x32_39\"", "\"syscall\":\"i386_20\"" };
	for (size_t i = 0; i < 2; i++) {
		char log_path[256];
		temp_log_path(log_path, sizeof(log_path), "abi");
		struct run r;
		probe(&r, log_path, "enforce", calls[i]);
		ck_assert_msg(r.exit_code == 128 + SIGKILL, "%s: exit %d, out %s", calls[i],
			      r.exit_code, r.out);
		char *log = read_file(log_path);
		/* Registers shown raw: the number means another call in x86_64's table. */
		const char *const line[] = { names[i], "\"verdict\":\"kill\"",
					     "\"reason\":\"syscall through a non-native ABI\"",
					     "\"args\":{\"raw\":[", NULL };
		ck_assert_msg(count_lines_with(log, line) == 1, "%s: %s", calls[i], log);
		free(log);
		unlink(log_path);
		run_free(&r);
	}
}
END_TEST

/* Natively the same calls run (x32 may be compiled out: then ENOSYS). */
START_TEST(other_abis_run_natively)
{
	char helper[512];
	char *argv[] = { (char *)helper_path("syscall_probe", helper, sizeof(helper)),
			 "int80_getpid", "x32_getpid", NULL };
	struct run r;
	run_sync(&r, argv, 30);
	ck_assert_int_eq(r.exit_code, 0);
	ck_assert_ptr_nonnull(strstr(r.out, "int80_getpid ret="));
	ck_assert_ptr_null(strstr(r.out, "int80_getpid ret=-1"));
	run_free(&r);
}
END_TEST

/* The shipped syscall layer (policy/syscalls-only.json, the same as in the
 * embedded default policy/hapi-fhir.json): escapes denied and logged, kernel-level
 * calls killed, unknown calls ENOSYS and logged. */
START_TEST(syscall_layer_denies_escapes)
{
	static const struct {
		const char *call;
		const char *out;
		const char *rule;
		int exit_code;
	} cases[] = {
		{ "mount", "mount ret=-1 errno=EPERM", "\"rule\":\"no-escape\"", 0 },
		{ "ptrace", "ptrace ret=-1 errno=EPERM", "\"rule\":\"no-escape\"", 0 },
		{ "unshare", "unshare ret=-1 errno=EPERM", "\"rule\":\"no-escape\"", 0 },
		{ "io_uring_setup", "io_uring_setup ret=-1 errno=ENOSYS",
		  "\"rule\":\"no-io-uring\"", 0 },
		{ "unlisted", "unlisted ret=-1 errno=ENOSYS", "\"rule\":\"syscalls.default\"", 0 },
		{ "reboot", NULL, "\"rule\":\"kernel-level\"", 128 + SIGSYS },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char log_path[256], helper[512];
		temp_log_path(log_path, sizeof(log_path), "default");
		char *argv[] = { (char *)fhirguard_path(),
				 "--policy",
				 (char *)syscalls_only_policy(),
				 "--log",
				 log_path,
				 "--",
				 (char *)helper_path("syscall_probe", helper, sizeof(helper)),
				 (char *)cases[i].call,
				 NULL };
		struct run r;
		run_sync(&r, argv, 60);
		ck_assert_msg(r.exit_code == cases[i].exit_code, "%s: exit %d", cases[i].call,
			      r.exit_code);
		if (cases[i].out != NULL)
			ck_assert_msg(strstr(r.out, cases[i].out) != NULL, "%s: out %s",
				      cases[i].call, r.out);
		char *log = read_file(log_path);
		const char *const needles[] = { cases[i].rule, NULL };
		ck_assert_msg(count_lines_with(log, needles) == 1, "%s: log %s", cases[i].call,
			      log);
		ck_assert_int_eq(syscall_lines(log), 1);
		free(log);
		unlink(log_path);
		run_free(&r);
	}
}
END_TEST

/* Every audit line is valid JSON with the documented fields and types. */
START_TEST(audit_lines_have_the_documented_fields)
{
	char log_path[256];
	temp_log_path(log_path, sizeof(log_path), "fields");
	char *argv[] = { (char *)fhirguard_path(),
			 "--policy",
			 (char *)syscalls_only_policy(),
			 "--log-allowed",
			 "--log",
			 log_path,
			 "--",
			 "cat",
			 "/etc/hostname",
			 NULL };
	struct run r;
	run_sync(&r, argv, 60);
	ck_assert_int_eq(r.exit_code, 0);
	char *log = read_file(log_path);
	int syscalls = 0;
	uint64_t expected_seq = 1;
	for (char *line = strtok(log, "\n"); line != NULL; line = strtok(NULL, "\n")) {
		cJSON *obj = cJSON_Parse(line);
		ck_assert_msg(obj != NULL, "not JSON: %s", line);
		const cJSON *time = cJSON_GetObjectItem(obj, "time");
		ck_assert(cJSON_IsString(time));
		/* 2026-11-26T23:40:14.281918Z */
		ck_assert_int_eq(strlen(time->valuestring), 27);
		ck_assert_int_eq(time->valuestring[10], 'T');
		ck_assert_int_eq(time->valuestring[19], '.');
		ck_assert_int_eq(time->valuestring[26], 'Z');
		const cJSON *seq = cJSON_GetObjectItem(obj, "seq");
		ck_assert(cJSON_IsNumber(seq));
		ck_assert_int_eq((uint64_t)seq->valuedouble, expected_seq++);
		const cJSON *type = cJSON_GetObjectItem(obj, "type");
		ck_assert(cJSON_IsString(type));
		if (strcmp(type->valuestring, "syscall") == 0) {
			syscalls++;
			static const char *const strings[] = { "mode",	  "comm", "exe",
							       "syscall", "arch", "verdict",
							       "action",  "rule" };
			for (size_t i = 0; i < sizeof(strings) / sizeof(strings[0]); i++)
				ck_assert_msg(cJSON_IsString(cJSON_GetObjectItem(obj, strings[i])),
					      "%s missing in %s", strings[i], line);
			ck_assert(cJSON_IsNumber(cJSON_GetObjectItem(obj, "pid")));
			ck_assert(cJSON_IsNumber(cJSON_GetObjectItem(obj, "tid")));
			ck_assert(cJSON_IsNumber(cJSON_GetObjectItem(obj, "nr")));
			ck_assert(cJSON_IsObject(cJSON_GetObjectItem(obj, "args")));
			ck_assert_str_eq(cJSON_GetObjectItem(obj, "arch")->valuestring, "x86_64");
		}
		cJSON_Delete(obj);
	}
	ck_assert_int_gt(syscalls, 1);
	free(log);
	log = read_file(log_path);
	const char *const open_line[] = { "\"syscall\":\"openat\"",
					  "\"path\":\"/etc/hostname\"",
					  "\"flags\":\"O_RDONLY\"",
					  "\"comm\":\"cat\"",
					  "\"exe\":\"/usr/bin/cat\"",
					  "\"verdict\":\"allow\"",
					  NULL };
	ck_assert_msg(count_lines_with(log, open_line) == 1, "log: %s", log);
	const char *const exec_line[] = { "\"syscall\":\"execve\"",
					  "\"argv\":[\"cat\",\"/etc/hostname\"]", NULL };
	ck_assert_int_eq(count_lines_with(log, exec_line), 1);
	free(log);
	unlink(log_path);
	run_free(&r);
}
END_TEST

/* 1000 threads doing traced opens at once, half of them exiting while the
 * others are stopped in the supervisor. */
START_TEST(thousands_of_threads)
{
	char helper[512];
	char *argv[] = { (char *)fhirguard_path(),
			 "--policy",
			 (char *)syscalls_only_policy(),
			 "--",
			 (char *)helper_path("thread_storm", helper, sizeof(helper)),
			 "1000",
			 "20",
			 NULL };
	struct run r;
	run_sync(&r, argv, 300);
	ck_assert_msg(r.exit_code == 0, "exit %d err %s", r.exit_code, r.err);
	ck_assert_ptr_nonnull(strstr(r.out, "opens 20000 failures 0"));
	run_free(&r);
}
END_TEST

START_TEST(exec_from_a_non_leader_thread)
{
	char log_path[256], helper[512];
	temp_log_path(log_path, sizeof(log_path), "threadexec");
	char *argv[] = { (char *)fhirguard_path(),
			 "--policy",
			 (char *)syscalls_only_policy(),
			 "--log-allowed",
			 "--log",
			 log_path,
			 "--",
			 (char *)helper_path("thread_storm", helper, sizeof(helper)),
			 "50",
			 "200",
			 "exec-from-thread",
			 NULL };
	struct run r;
	run_sync(&r, argv, 120);
	ck_assert_msg(r.exit_code == 0, "exit %d err %s", r.exit_code, r.err);
	ck_assert_ptr_nonnull(strstr(r.out, "exec from a thread worked"));
	char *log = read_file(log_path);
	const char *const exec_line[] = { "\"syscall\":\"execve\"", "\"path\":\"/bin/echo\"",
					  NULL };
	ck_assert_int_eq(count_lines_with(log, exec_line), 1);
	free(log);
	unlink(log_path);
	run_free(&r);
}
END_TEST

/* Processes killed while stopped in the supervisor (SIGKILL from outside
 * while 50 threads make traced calls) leave fhirguard running and correct. */
START_TEST(process_killed_while_stopped)
{
	char helper[512], script[1200];
	helper_path("thread_storm", helper, sizeof(helper));
	snprintf(script, sizeof(script),
		 "for i in 1 2 3 4 5; do %s 50 100000 & p=$!; sleep 0.3; kill -9 $p; wait $p; "
		 "echo \"killed $?\"; done; %s 4 10",
		 helper, helper);
	char *argv[] = { (char *)fhirguard_path(),
			 "--policy",
			 (char *)syscalls_only_policy(),
			 "--",
			 "sh",
			 "-c",
			 script,
			 NULL };
	struct run r;
	run_sync(&r, argv, 300);
	ck_assert_msg(r.exit_code == 0, "exit %d err %s", r.exit_code, r.err);
	ck_assert_int_eq(count_substr(r.out, "killed 137"), 5);
	ck_assert_ptr_nonnull(strstr(r.out, "opens 40 failures 0"));
	run_free(&r);
}
END_TEST

/* A log nobody reads never stalls the program: lines are dropped, counted
 * and reported on stderr. */
START_TEST(stalled_log_does_not_block)
{
	char fifo[256], helper[512];
	snprintf(fifo, sizeof(fifo), "/tmp/fhirguard-stall-%d", (int)getpid());
	unlink(fifo);
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	/* A reader that holds the FIFO open and never reads. */
	int reader = open(fifo, O_RDONLY | O_NONBLOCK);
	ck_assert_int_ge(reader, 0);
	char *argv[] = { (char *)fhirguard_path(),
			 "--policy",
			 (char *)syscalls_only_policy(),
			 "--log-allowed",
			 "--log",
			 fifo,
			 "--",
			 (char *)helper_path("thread_storm", helper, sizeof(helper)),
			 "4",
			 "10000",
			 NULL };
	struct run r;
	run_sync(&r, argv, 300);
	ck_assert_msg(r.exit_code == 0, "exit %d err %s", r.exit_code, r.err);
	ck_assert_ptr_nonnull(strstr(r.out, "opens 40000 failures 0"));
	ck_assert_msg(strstr(r.err, "lines") != NULL && strstr(r.err, "audit") != NULL,
		      "stderr: %s", r.err);
	close(reader);
	unlink(fifo);
	run_free(&r);
}
END_TEST

static Suite *supervise_suite(void)
{
	Suite *s = suite_create("supervise");
	TCase *tc = tcase_create("decisions");
	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, denied_call_gets_errno_and_one_line);
	tcase_add_test(tc, killed_call_dies_of_sigsys_with_one_line);
	tcase_add_test(tc, audit_mode_logs_but_allows);
	tcase_add_test(tc, clone3_is_enosys_and_unlogged);
	tcase_add_test(tc, other_abis_are_killed);
	tcase_add_test(tc, other_abis_run_natively);
	tcase_add_test(tc, syscall_layer_denies_escapes);
	tcase_add_test(tc, audit_lines_have_the_documented_fields);
	suite_add_tcase(s, tc);
	TCase *load = tcase_create("load");
	tcase_set_timeout(load, 600);
	tcase_add_test(load, thousands_of_threads);
	tcase_add_test(load, exec_from_a_non_leader_thread);
	tcase_add_test(load, process_killed_while_stopped);
	tcase_add_test(load, stalled_log_does_not_block);
	suite_add_tcase(s, load);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(supervise_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
