/* Integration tests: learn mode. A program runs permissively under
 * `fhirguard learn`, the policy written is valid, the same workload then
 * runs under it in enforce mode with zero denials, and what the program
 * never did stays forbidden. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

#define ROOT "/tmp/fhirguard-learn"

static const char workload[] = "cat /etc/hostname >/dev/null; mkdir -p " ROOT "/data/sub; "
			       "echo x > " ROOT "/data/sub/f; cat " ROOT "/data/sub/f; "
			       "rm " ROOT "/data/sub/f; ls " ROOT "/data >/dev/null; "
			       "/usr/bin/python3 -c 'import socket; s = socket.socket(); "
			       "s.bind((\"127.0.0.1\", 20777)); s.listen(); print(\"bound\")'";

static int denials(const char *log_path)
{
	char *log = read_file(log_path);
	const char *const needles[] = { "\"type\":\"syscall\"", "\"action\":\"deny\"", NULL };
	int n = log ? count_lines_with(log, needles) : -1;
	free(log);
	return n;
}

START_TEST(learned_policy_runs_the_workload_with_zero_denials)
{
	ck_assert_int_eq(system("rm -rf " ROOT " && mkdir -p " ROOT "/data"), 0);
	char policy[256], log_path[256];
	snprintf(policy, sizeof(policy), ROOT "/learned.json");
	temp_log_path(log_path, sizeof(log_path), "learn");

	char *learn[] = { (char *)fhirguard_path(),
			  "learn",
			  "--out",
			  policy,
			  "--policy",
			  (char *)syscalls_only_policy(),
			  "--log",
			  log_path,
			  "--",
			  "/bin/sh",
			  "-c",
			  (char *)workload,
			  NULL };
	struct run r;
	run_sync(&r, learn, 120);
	ck_assert_msg(r.exit_code == 0, "learn: exit %d err %s", r.exit_code, r.err);
	ck_assert_ptr_nonnull(strstr(r.out, "bound"));
	ck_assert_ptr_nonnull(strstr(r.err, "learned policy written to"));
	run_free(&r);

	char *check[] = { (char *)fhirguard_path(), "check", policy, NULL };
	run_sync(&r, check, 30);
	ck_assert_msg(r.exit_code == 0, "check: %s %s", r.out, r.err);
	ck_assert_ptr_nonnull(strstr(r.out, "files:    present"));
	run_free(&r);

	unlink(log_path);
	char *enforce[] = { (char *)fhirguard_path(),
			    "--policy",
			    policy,
			    "--log",
			    log_path,
			    "--",
			    "/bin/sh",
			    "-c",
			    (char *)workload,
			    NULL };
	run_sync(&r, enforce, 120);
	ck_assert_msg(r.exit_code == 0, "enforce: exit %d err %s", r.exit_code, r.err);
	ck_assert_ptr_nonnull(strstr(r.out, "bound"));
	char *log = read_file(log_path);
	ck_assert_msg(denials(log_path) == 0, "denials under the learned policy:\n%s", log);
	free(log);
	run_free(&r);

	/* What the workload never did is not allowed. */
	unlink(log_path);
	char *other[] = { (char *)fhirguard_path(),
			  "--policy",
			  policy,
			  "--log",
			  log_path,
			  "--",
			  "/bin/sh",
			  "-c",
			  "cat /etc/shadow; echo x > /etc/fhirguard-learn; echo done",
			  NULL };
	run_sync(&r, other, 60);
	ck_assert_ptr_nonnull(strstr(r.out, "done"));
	ck_assert_int_eq(denials(log_path), 2);
	run_free(&r);

	/* --merge keeps the existing rules and adds only what is new. */
	unlink(log_path);
	char *merge[] = { (char *)fhirguard_path(),
			  "learn",
			  "--merge",
			  "--out",
			  policy,
			  "--policy",
			  policy,
			  "--log",
			  log_path,
			  "--",
			  "/bin/sh",
			  "-c",
			  "cat /etc/os-release > /dev/null",
			  NULL };
	run_sync(&r, merge, 60);
	ck_assert_msg(r.exit_code == 0, "merge: exit %d err %s", r.exit_code, r.err);
	run_free(&r);
	unlink(log_path);
	char *both[] = { (char *)fhirguard_path(),
			 "--policy",
			 policy,
			 "--log",
			 log_path,
			 "--",
			 "/bin/sh",
			 "-c",
			 "cat /etc/os-release >/dev/null; cat /etc/hostname >/dev/null",
			 NULL };
	run_sync(&r, both, 60);
	ck_assert_int_eq(r.exit_code, 0);
	ck_assert_int_eq(denials(log_path), 0);
	run_free(&r);
	unlink(log_path);
	ck_assert_int_eq(system("rm -rf " ROOT), 0);
}
END_TEST

START_TEST(learn_needs_out)
{
	char *argv[] = { (char *)fhirguard_path(), "learn", "--", "true", NULL };
	struct run r;
	run_sync(&r, argv, 30);
	ck_assert_int_eq(r.exit_code, 125);
	ck_assert_ptr_nonnull(strstr(r.err, "learn mode needs --out POLICY"));
	run_free(&r);
}
END_TEST

static Suite *learn_suite(void)
{
	Suite *s = suite_create("learn");
	TCase *tc = tcase_create("learn");
	tcase_set_timeout(tc, 400);
	tcase_add_test(tc, learned_policy_runs_the_workload_with_zero_denials);
	tcase_add_test(tc, learn_needs_out);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(learn_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
