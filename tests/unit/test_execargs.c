/* Unit tests for lib/execargs.c: argv read whole from a process (this one:
 * process_vm_readv works on itself), and the comparison of the checked
 * arguments with a new program's command line. The end-to-end proof (a
 * thread rewriting argv after the check never gets its exec through) is
 * the attack suite's toctou-exec-argv case. */
#include <check.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "execargs.h"

static int read_argv(struct fg_exec_argv *a, char *const argv[])
{
	return fg_exec_argv_read(a, getpid(), (uint64_t)(uintptr_t)argv);
}

START_TEST(reads_long_arguments_whole)
{
	/* The old reader kept 255 bytes of each of 63 arguments. */
	size_t long_len = 200 * 1000;
	char *long_arg = malloc(long_len + 1);
	ck_assert_ptr_nonnull(long_arg);
	memset(long_arg, 'a', long_len);
	memcpy(long_arg + long_len - 4, "curl", 4);
	long_arg[long_len] = '\0';
	char *argv[102] = { "prog", long_arg };
	char numbers[100][8];
	for (int i = 0; i < 99; i++) {
		snprintf(numbers[i], sizeof(numbers[i]), "%d", i);
		argv[2 + i] = numbers[i];
	}
	struct fg_exec_argv a = { 0 };
	ck_assert_int_eq(read_argv(&a, argv), 0);
	ck_assert_uint_eq(a.argc, 101);
	ck_assert_str_eq(a.argv[0], "prog");
	ck_assert_uint_eq(strlen(a.argv[1]), long_len);
	ck_assert_str_eq(a.argv[1] + long_len - 4, "curl");
	ck_assert_str_eq(a.argv[100], "98");
	ck_assert_ptr_null(a.argv[101]);
	fg_exec_argv_free(&a);
	free(long_arg);
}
END_TEST

START_TEST(refuses_what_it_cannot_read_whole)
{
	struct fg_exec_argv a = { 0 };
	char *bad[] = { "prog", (char *)(uintptr_t)8, NULL };
	ck_assert_int_eq(read_argv(&a, bad), -EFAULT);
	ck_assert_int_eq(fg_exec_argv_read(&a, getpid(), 8), -EFAULT);

	size_t huge_len = FG_EXEC_ARGV_MAX_BYTES;
	char *huge = malloc(huge_len + 1);
	ck_assert_ptr_nonnull(huge);
	memset(huge, 'x', huge_len);
	huge[huge_len] = '\0';
	char *too_long[] = { "prog", huge, NULL };
	ck_assert_int_eq(read_argv(&a, too_long), -E2BIG);
	free(huge);
	/* Nothing half-read is left behind. */
	ck_assert_uint_eq(a.argc, 0);
	ck_assert_ptr_null(a.argv[0]);

	/* A NULL argv is an empty one to the kernel. */
	ck_assert_int_eq(fg_exec_argv_read(&a, getpid(), 0), 0);
	ck_assert_uint_eq(a.argc, 0);
	ck_assert_ptr_null(a.argv[0]);
	fg_exec_argv_free(&a);
}
END_TEST

static struct fg_checked_args *checked(char *const argv[], size_t prefix)
{
	struct fg_exec_argv a = { 0 };
	ck_assert_int_eq(read_argv(&a, argv), 0);
	struct fg_checked_args *c = fg_checked_args_new(&a, prefix);
	ck_assert_ptr_nonnull(c);
	fg_exec_argv_free(&a);
	return c;
}

static int matches(const struct fg_checked_args *c, const char *cmdline, size_t len)
{
	return fg_checked_args_match(c, cmdline, len);
}

#define CMDLINE(s) s, sizeof(s) - 1 /* a literal with its embedded NULs */

START_TEST(program_gets_exactly_the_checked_arguments)
{
	char *argv[] = { "prog", "-c", "safe", NULL };
	struct fg_checked_args *c = checked(argv, 1);
	ck_assert(matches(c, CMDLINE("prog\0-c\0safe\0")));
	/* argv[0] is not checked by any rule: another one is fine. */
	ck_assert(matches(c, CMDLINE("/usr/bin/prog\0-c\0safe\0")));
	ck_assert(!matches(c, CMDLINE("prog\0-c\0evil\0")));
	ck_assert(!matches(c, CMDLINE("prog\0-c\0safe\0more\0")));
	ck_assert(!matches(c, CMDLINE("prog\0-c\0")));
	ck_assert(!matches(c, CMDLINE("prog\0x-c\0safe\0")));	    /* joined to argv[0] */
	ck_assert(!matches(c, CMDLINE("prog\0extra\0-c\0safe\0"))); /* one inserted */
	ck_assert(!matches(c, CMDLINE("-c\0safe\0")));		    /* argv[0] missing */
	ck_assert(!matches(c, CMDLINE("prog\0-c\0safe")));	    /* no final NUL */
	ck_assert(!matches(c, "", 0));
	free(c);
}
END_TEST

START_TEST(scripts_get_the_kernels_strings_first)
{
	char *argv[] = { "./run.sh", "safe", NULL };
	struct fg_checked_args *two = checked(argv, 2);
	ck_assert(matches(two, CMDLINE("/bin/sh\0./run.sh\0safe\0")));
	ck_assert(!matches(two, CMDLINE("/bin/sh\0-e\0./run.sh\0safe\0")));
	ck_assert(!matches(two, CMDLINE("/bin/sh\0./run.sh\0evil\0")));
	free(two);
	struct fg_checked_args *three = checked(argv, 3);
	ck_assert(matches(three, CMDLINE("/bin/sh\0-e\0./run.sh\0safe\0")));
	ck_assert(!matches(three, CMDLINE("/bin/sh\0./run.sh\0safe\0")));
	free(three);
}
END_TEST

START_TEST(empty_argv_gets_the_kernels_empty_argv0)
{
	char *argv[] = { NULL };
	struct fg_checked_args *c = checked(argv, 1);
	ck_assert_uint_eq(c->count, 0);
	ck_assert(matches(c, CMDLINE("\0")));
	ck_assert(!matches(c, CMDLINE("\0evil\0")));
	free(c);
}
END_TEST

static Suite *execargs_suite(void)
{
	Suite *s = suite_create("execargs");
	TCase *tc = tcase_create("read");
	tcase_add_test(tc, reads_long_arguments_whole);
	tcase_add_test(tc, refuses_what_it_cannot_read_whole);
	suite_add_tcase(s, tc);
	tc = tcase_create("match");
	tcase_add_test(tc, program_gets_exactly_the_checked_arguments);
	tcase_add_test(tc, scripts_get_the_kernels_strings_first);
	tcase_add_test(tc, empty_argv_gets_the_kernels_empty_argv0);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(execargs_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
