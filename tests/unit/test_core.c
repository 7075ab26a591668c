/* Unit tests: JSON output, the task table, options, names, and the seccomp
 * filter loaded into a real (forked) process. */
#include <check.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "audit.h"
#include "errno_names.h"
#include "filter.h"
#include "json_buf.h"
#include "options.h"
#include "syscall_names.h"
#include "task_table.h"

/* --- JSON output ------------------------------------------------------ */

static const struct {
	const char *in;
	size_t len;
	const char *out;
} escapes[] = {
	{ "plain", 5, "\"plain\"" },
	{ "a\"b\\c", 5, "\"a\\\"b\\\\c\"" },
	{ "tab\tnl\ncr\r", 10, "\"tab\\tnl\\ncr\\r\"" },
	{ "\x01\x1f\x7f", 3, "\"\\u0001\\u001f\\u007f\"" },
	{ "caf\xc3\xa9", 5, "\"caf\xc3\xa9\"" },
	{ "\xe2\x82\xac", 3, "\"\xe2\x82\xac\"" },
	{ "\xf0\x9f\x98\x80", 4, "\"\xf0\x9f\x98\x80\"" },
	{ "bad\xff", 4, "\"bad\\u00ff\"" },
	{ "\xc3", 1, "\"\\u00c3\"" },
	{ "\xc0\xaf", 2, "\"\\u00c0\\u00af\"" },	    /* overlong */
	{ "\xed\xa0\x80", 3, "\"\\u00ed\\u00a0\\u0080\"" }, /* surrogate */
	{ "nul\0x", 5, "\"nul\\u0000x\"" },
	{ "", 0, "\"\"" },
};

START_TEST(string_escapes)
{
	struct fg_json_buf b;
	fg_json_buf_init(&b);
	fg_json_bytes(&b, escapes[_i].in, escapes[_i].len);
	ck_assert_str_eq(b.data, escapes[_i].out);
	fg_json_buf_free(&b);
}
END_TEST

START_TEST(objects_and_arrays)
{
	struct fg_json_buf b;
	fg_json_buf_init(&b);
	fg_json_begin_object(&b);
	fg_json_key(&b, "n");
	fg_json_int(&b, -5);
	fg_json_key(&b, "list");
	fg_json_begin_array(&b);
	fg_json_uint(&b, 1);
	fg_json_hex(&b, 255);
	fg_json_bool(&b, true);
	fg_json_null(&b);
	fg_json_begin_object(&b);
	fg_json_end_object(&b);
	fg_json_end_array(&b);
	fg_json_key(&b, "s");
	fg_json_string(&b, NULL);
	fg_json_end_object(&b);
	ck_assert_str_eq(b.data, "{\"n\":-5,\"list\":[1,\"0xff\",true,null,{}],\"s\":null}");
	fg_json_buf_free(&b);
}
END_TEST

START_TEST(timestamp_is_rfc3339_utc_microseconds)
{
	char ts[64];
	fg_audit_timestamp(ts, sizeof(ts));
	ck_assert_int_eq(strlen(ts), 27);
	ck_assert_int_eq(ts[4], '-');
	ck_assert_int_eq(ts[10], 'T');
	ck_assert_int_eq(ts[19], '.');
	ck_assert_int_eq(ts[26], 'Z');
}
END_TEST

/* --- task table ------------------------------------------------------- */

START_TEST(task_table_against_a_reference)
{
	enum { MAX_TID = 5000 };
	static bool present[MAX_TID];
	memset(present, 0, sizeof(present));
	struct fg_task_table t;
	fg_task_table_init(&t);
	unsigned int seed = 12345;
	size_t count = 0;
	for (int step = 0; step < 200000; step++) {
		pid_t tid = (pid_t)(rand_r(&seed) % (MAX_TID - 1)) + 1;
		if (rand_r(&seed) % 3 != 0) {
			struct fg_task *task = fg_task_add(&t, tid);
			ck_assert_ptr_nonnull(task);
			ck_assert_int_eq(task->tid, tid);
			if (!present[tid])
				count++;
			present[tid] = true;
		} else {
			bool removed = fg_task_remove(&t, tid);
			ck_assert_int_eq(removed, present[tid]);
			if (present[tid])
				count--;
			present[tid] = false;
		}
		if (step % 1000 == 0) {
			for (pid_t i = 1; i < MAX_TID; i++)
				ck_assert_int_eq(fg_task_find(&t, i) != NULL, present[i]);
		}
		ck_assert_uint_eq(t.count, count);
	}
	fg_task_table_free(&t);
}
END_TEST

/* --- options ---------------------------------------------------------- */

START_TEST(options_parse)
{
	char *argv[] = { "fhirguard", "--policy", "p.json",  "--mode=audit", "--log",
			 "l",	      "-g",	  "--grace", "0.5",	     "--log-allowed",
			 "--",	      "java",	  "-jar",    "x.jar",	     NULL };
	struct fg_options o;
	struct fg_error err;
	ck_assert_int_eq(fg_options_parse(14, argv, &o, &err), 0);
	ck_assert_str_eq(o.policy_path, "p.json");
	ck_assert_str_eq(o.log_path, "l");
	ck_assert(o.mode_given);
	ck_assert_int_eq(o.mode, FG_MODE_AUDIT);
	ck_assert(o.signal_group);
	ck_assert(o.log_allowed);
	ck_assert_int_eq(o.grace_ms, 500);
	ck_assert_str_eq(o.command[0], "java");
	ck_assert_str_eq(o.command[2], "x.jar");
	ck_assert_ptr_null(o.command[3]);
}
END_TEST

START_TEST(options_command_without_dashes)
{
	char *argv[] = { "fhirguard", "sh", "-c", "true", NULL };
	struct fg_options o;
	struct fg_error err;
	ck_assert_int_eq(fg_options_parse(4, argv, &o, &err), 0);
	ck_assert_str_eq(o.command[0], "sh");
	ck_assert_str_eq(o.command[1], "-c");
	ck_assert_int_eq(o.grace_ms, 5000);
	ck_assert(!o.mode_given);
}
END_TEST

static const struct {
	int argc;
	char *argv[6];
	const char *message;
} bad_options[] = {
	{ 1, { "fhirguard" }, "no command given" },
	{ 2, { "fhirguard", "--policy" }, "--policy needs a value" },
	{ 3,
	  { "fhirguard", "--grace", "-1" },
	  "--grace: expected seconds between 0 and 3600, got \"-1\"" },
	{ 3, { "fhirguard", "--grace", "soon" }, "--grace: expected seconds" },
	{ 3,
	  { "fhirguard", "--mode", "strict" },
	  "--mode: expected \"enforce\", \"audit\" or \"learn\", got \"strict\"" },
	{ 3, { "fhirguard", "--verbose", "true" }, "unknown option \"--verbose\"" },
	{ 2, { "fhirguard", "--" }, "no command given" },
};

START_TEST(options_errors)
{
	struct fg_options o;
	struct fg_error err;
	char *argv[6];
	memcpy(argv, bad_options[_i].argv, sizeof(argv));
	ck_assert_int_lt(fg_options_parse(bad_options[_i].argc, argv, &o, &err), 0);
	ck_assert_msg(strstr(err.msg, bad_options[_i].message) == err.msg, "got %s", err.msg);
}
END_TEST

/* --- names ------------------------------------------------------------ */

START_TEST(names)
{
	ck_assert_int_eq(fg_errno_from_name("EACCES"), EACCES);
	ck_assert_int_eq(fg_errno_from_name("ENOTSUP"), ENOTSUP);
	ck_assert_int_eq(fg_errno_from_name("EPERMX"), -1);
	ck_assert_str_eq(fg_errno_name(ENOSYS), "ENOSYS");
	ck_assert_ptr_null(fg_errno_name(4095));
	ck_assert_int_eq(fg_syscall_from_name("openat"), SYS_openat);
	ck_assert_int_eq(fg_syscall_from_name("listmount"), 458);
	ck_assert_int_eq(fg_syscall_from_name("socketcall"), FG_SYSCALL_OTHER_ARCH);
	ck_assert_int_eq(fg_syscall_from_name("nosuchcall"), FG_SYSCALL_UNKNOWN);
	char buf[64];
	ck_assert_str_eq(fg_syscall_name(SYS_execve, buf, sizeof(buf)), "execve");
	ck_assert_str_eq(fg_syscall_name(467, buf, sizeof(buf)), "open_tree_attr");
	ck_assert_str_eq(fg_syscall_name(999, buf, sizeof(buf)), "syscall_999");
}
END_TEST

/* --- the filter in a real process --------------------------------------- */

/* Forks a child that loads the filter and makes `nr`; returns its wait
 * status, with the call's errno as exit code when it returns. */
static int child_with_filter(scmp_filter_ctx ctx, long nr)
{
	pid_t pid = fork();
	if (pid == 0) {
		if (seccomp_load(ctx) < 0)
			_exit(100);
		long r = syscall(nr, 0, 0, 0);
		_exit(r < 0 ? errno : 0);
	}
	int status;
	waitpid(pid, &status, 0);
	return status;
}

START_TEST(filter_in_a_real_process)
{
	const char *text = "{\"version\": 1, \"syscalls\": {\"default\": {\"action\": \"allow\"},\n"
			   "  \"rules\": [{\"action\": \"deny\", \"errno\": \"EXDEV\", \"log\": "
			   "false, \"syscalls\": [\"getppid\"]},\n"
			   "             {\"action\": \"deny\", \"errno\": \"EACCES\", "
			   "\"syscalls\": [\"getuid\"]}]}}";
	struct fg_policy p;
	struct fg_error err;
	ck_assert_msg(fg_policy_load_text(text, strlen(text), "t", &p, &err) == 0, "%s", err.msg);
	scmp_filter_ctx ctx = fg_filter_build(&p, FG_MODE_ENFORCE, &err);
	ck_assert_ptr_nonnull(ctx);
	/* Silent deny: the kernel answers. */
	int status = child_with_filter(ctx, SYS_getppid);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), EXDEV);
	/* Logged deny goes to a tracer; with none attached the kernel fails
	 * the call with ENOSYS: closed, never open. */
	status = child_with_filter(ctx, SYS_getuid);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), ENOSYS);
	/* The reserved number is always killed. */
	status = child_with_filter(ctx, FG_KILL_SYSCALL_NR);
	ck_assert(WIFSIGNALED(status));
	ck_assert_int_eq(WTERMSIG(status), SIGSYS);
	/* Allowed calls run. */
	status = child_with_filter(ctx, SYS_getpid);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 0);
	seccomp_release(ctx);

	/* In audit mode even silent denials are lifted. */
	ctx = fg_filter_build(&p, FG_MODE_AUDIT, &err);
	status = child_with_filter(ctx, SYS_getppid);
	ck_assert_int_eq(WEXITSTATUS(status), 0);
	seccomp_release(ctx);
	fg_policy_free(&p);
}
END_TEST

static Suite *core_suite(void)
{
	Suite *s = suite_create("core");
	TCase *json = tcase_create("json_buf");
	tcase_add_loop_test(json, string_escapes, 0, sizeof(escapes) / sizeof(escapes[0]));
	tcase_add_test(json, objects_and_arrays);
	tcase_add_test(json, timestamp_is_rfc3339_utc_microseconds);
	suite_add_tcase(s, json);
	TCase *tasks = tcase_create("task_table");
	tcase_set_timeout(tasks, 120);
	tcase_add_test(tasks, task_table_against_a_reference);
	suite_add_tcase(s, tasks);
	TCase *opts = tcase_create("options");
	tcase_add_test(opts, options_parse);
	tcase_add_test(opts, options_command_without_dashes);
	tcase_add_loop_test(opts, options_errors, 0, sizeof(bad_options) / sizeof(bad_options[0]));
	suite_add_tcase(s, opts);
	TCase *misc = tcase_create("names_and_filter");
	tcase_add_test(misc, names);
	tcase_add_test(misc, filter_in_a_real_process);
	suite_add_tcase(s, misc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(core_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
