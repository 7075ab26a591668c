/* Integration tests: fhirguard check and fhirguard explain, the tools for
 * people who write policies. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

static char sections[1024], shadowed[1024];

static void setup(void)
{
	source_path("tests/integration/policies/sections.json", sections, sizeof(sections));
	source_path("tests/integration/policies/shadowed.json", shadowed, sizeof(shadowed));
}

START_TEST(check_valid_policy)
{
	char *argv[] = { (char *)fhirguard_path(), "check", sections, NULL };
	struct run r;
	run_sync(&r, argv, 30);
	ck_assert_msg(r.exit_code == 0, "exit %d: %s %s", r.exit_code, r.out, r.err);
	ck_assert_ptr_nonnull(strstr(r.out, "valid policy, mode enforce"));
	ck_assert_ptr_nonnull(strstr(r.out, "files:    present, 9 rules, default deny (EACCES)"));
	ck_assert_ptr_nonnull(strstr(r.out, "exec:     present"));
	ck_assert_ptr_nonnull(strstr(r.out, "network:  present, 6 rules"));
	/* What the Landlock backstop covers here (tcp ports: this policy's
	 * syscall layer leaves some file syscalls in the kernel), and what it
	 * cannot express (addresses). */
	ck_assert_msg(strstr(r.out, "  landlock: abi ") != NULL, "%s", r.out);
	ck_assert_msg(strstr(r.out, "files not enforced: the syscall layer allows file syscalls") !=
			  NULL,
		      "%s", r.out);
	ck_assert_msg(strstr(r.out, "landlock: network rule backend (line 40): Landlock has no "
				    "addresses") != NULL,
		      "%s", r.out);
	/* The policy lets stat calls run in the kernel while its files section
	 * has stat rules: check says those rules are not enforced. */
	ck_assert_ptr_nonnull(
	    strstr(r.out, "note: stat calls (newfstatat, ...) run in the kernel"));
	ck_assert_ptr_nonnull(strstr(r.out, "0 warnings"));
	run_free(&r);
}
END_TEST

START_TEST(check_warns)
{
	char *argv[] = { (char *)fhirguard_path(), "check", shadowed, NULL };
	struct run r;
	run_sync(&r, argv, 30);
	ck_assert_int_eq(r.exit_code, 0);
	ck_assert_msg(
	    strstr(r.out, "files rule data-logs (\"/data/logs/*.log\") is shadowed by data") !=
		NULL,
	    "out: %s", r.out);
	ck_assert_msg(strstr(r.out, "syscall openat is allowed in the kernel") != NULL, "out: %s",
		      r.out);
	/* Every call that carries a destination address, sendmmsg included. */
	ck_assert_msg(strstr(r.out, "syscall connect is allowed in the kernel") != NULL, "out: %s",
		      r.out);
	ck_assert_msg(strstr(r.out,
			     "syscall sendmmsg is allowed in the kernel by syscalls.default, "
			     "so its send rights are never checked") != NULL,
		      "out: %s", r.out);
	run_free(&r);
}
END_TEST

START_TEST(check_invalid_policy)
{
	char path[256];
	snprintf(path, sizeof(path), "/tmp/fhirguard-check-%d.json", (int)getpid());
	FILE *f = fopen(path, "w");
	fputs("{\"version\": 1, \"syscalls\": {\"default\": {\"action\": \"allow\"}},\n"
	      " \"files\": {\"default\": {\"action\": \"deny\"}, \"rules\": [{\"paths\": "
	      "[\"relative/x\"], "
	      "\"access\": [\"read\"], \"action\": \"allow\"}]}}\n",
	      f);
	fclose(f);
	char *argv[] = { (char *)fhirguard_path(), "check", path, NULL };
	struct run r;
	run_sync(&r, argv, 30);
	unlink(path);
	ck_assert_int_eq(r.exit_code, 1);
	char expected[300];
	snprintf(expected, sizeof(expected), "%s:2:", path);
	ck_assert_msg(strstr(r.err, expected) != NULL, "err: %s", r.err);
	run_free(&r);
}
END_TEST

static const struct {
	const char *args[6];
	int exit_code;
	const char *output;
} explain_cases[] = {
	{ { "--path", "/etc/shadow", "--access", "read" }, 1, "deny (EPERM) by secrets (line " },
	{ { "--path", "/tmp/fhirguard-sections/data/x", "--access", "read,write,create" },
	  0,
	  "allow by data (line " },
	{ { "--path", "/srv/x", "--access", "write" }, 1, "deny (EACCES) by files.default" },
	{ { "--path", "/usr/lib/x.so", "--access", "read" }, 0, "allow by read-only" },
	{ { "--connect", "127.0.0.1:20042" }, 0, "allow by backend" },
	{ { "--connect", "[::ffff:127.0.0.1]:20042" }, 0, "allow by backend" },
	{ { "--connect", "10.0.0.1:5432" }, 1, "deny (EACCES) by network.default" },
	{ { "--connect", "127.0.0.1:20042", "--protocol", "udp" }, 1, "network.default" },
	{ { "--bind", "127.0.0.1:20150" }, 0, "allow by service-port" },
	{ { "--connect", "unix:/tmp/fhirguard-sections/data/db.sock" },
	  0,
	  "allow by data-sockets" },
	{ { "--exec", "/usr/bin/cat" }, 0, "allow by tools" },
	{ { "--exec", "/usr/bin/id" }, 1, "deny (EACCES) by exec.default" },
	{ { "--path", "/x", "--access", "fly" }, 2, NULL },
	{ { "--teleport", "x" }, 2, NULL },
};

START_TEST(explain_table)
{
	char *argv[10] = { (char *)fhirguard_path(), "explain", sections };
	size_t n = 3;
	for (size_t i = 0; i < 6 && explain_cases[_i].args[i] != NULL; i++)
		argv[n++] = (char *)explain_cases[_i].args[i];
	argv[n] = NULL;
	struct run r;
	run_sync(&r, argv, 30);
	ck_assert_msg(r.exit_code == explain_cases[_i].exit_code, "case %d: exit %d out %s err %s",
		      _i, r.exit_code, r.out, r.err);
	if (explain_cases[_i].output != NULL)
		ck_assert_msg(strstr(r.out, explain_cases[_i].output) != NULL, "case %d: %s", _i,
			      r.out);
	run_free(&r);
}
END_TEST

static Suite *tools_suite(void)
{
	Suite *s = suite_create("tools");
	TCase *tc = tcase_create("check_explain");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, check_valid_policy);
	tcase_add_test(tc, check_warns);
	tcase_add_test(tc, check_invalid_policy);
	tcase_add_loop_test(tc, explain_table, 0, sizeof(explain_cases) / sizeof(explain_cases[0]));
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(tools_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
