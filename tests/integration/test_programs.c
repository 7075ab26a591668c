/* Integration tests: real programs run unchanged under fhirguard and the
 * shipped syscall layer (policy/syscalls-only.json), with output identical
 * to a native run. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Runs argv natively and under fhirguard (enforce, default policy, audit
 * log in a file) and checks: same exit code, same stdout, no denial. */
static void same_as_native(char *const argv[], int timeout_s, const char *label)
{
	struct run native;
	double t0 = now_s();
	run_sync(&native, argv, timeout_s);
	double native_s = now_s() - t0;

	char log_path[256];
	temp_log_path(log_path, sizeof(log_path), label);
	char *guarded_argv[64] = { (char *)fhirguard_path(),
				   "--policy",
				   (char *)syscalls_only_policy(),
				   "--log",
				   log_path,
				   "--" };
	size_t n = 6;
	for (size_t i = 0; argv[i] != NULL && n < 63; i++)
		guarded_argv[n++] = argv[i];
	guarded_argv[n] = NULL;
	struct run guarded;
	t0 = now_s();
	run_sync(&guarded, guarded_argv, timeout_s);
	double guarded_s = now_s() - t0;
	/* Reported for the record; not asserted (timings are not tests). */
	fprintf(stderr, "%s: native %.2f s, under fhirguard %.2f s\n", label, native_s, guarded_s);

	ck_assert_msg(native.exit_code == 0, "%s natively: exit %d, err %s", label,
		      native.exit_code, native.err);
	ck_assert_msg(guarded.exit_code == native.exit_code, "%s: exit %d vs native %d; err %s",
		      label, guarded.exit_code, native.exit_code, guarded.err);
	ck_assert_msg(strcmp(guarded.out, native.out) == 0,
		      "%s: output differs:\n%s\n--- native:\n%s", label, guarded.out, native.out);
	char *log = read_file(log_path);
	ck_assert_ptr_nonnull(log);
	const char *const denials[] = { "\"type\":\"syscall\"", NULL };
	ck_assert_msg(count_lines_with(log, denials) == 0, "%s: denials in the log:\n%s", label,
		      log);
	free(log);
	unlink(log_path);
	run_free(&native);
	run_free(&guarded);
}

START_TEST(jvm_300_threads_and_subprocesses)
{
	char source[1024], scratch[256];
	source_path("tests/java/ThreadStorm.java", source, sizeof(source));
	snprintf(scratch, sizeof(scratch), "/tmp/fhirguard-jvm-%d", (int)getpid());
	char *argv[] = { "java", "-Xshare:auto", source, scratch, "300", NULL };
	same_as_native(argv, 300, "jvm");
}
END_TEST

START_TEST(shell_script)
{
	char *argv[] = {
		"sh", "-c",
		"set -e; d=$(mktemp -d); cd $d; for i in 1 2 3 4 5; do echo $i > f$i; done; "
		"cat f* | sort -r | tr '\\n' ' '; ls | wc -l; ln -s f1 link; cat link; "
		"mkdir sub && mv f2 sub/ && ls sub; rm -r sub f*; rm link; cd /; rmdir $d; "
		"echo $(( 6 * 7 ))",
		NULL
	};
	same_as_native(argv, 60, "sh");
}
END_TEST

START_TEST(make_j2_builds_a_c_project)
{
	char project[1024], script[4096];
	source_path("tests/integration/data/makeproj", project, sizeof(project));
	snprintf(script, sizeof(script),
		 "set -e; d=$(mktemp -d); cp %s/*.c %s/*.h %s/Makefile $d; "
		 "make -s -j2 -C $d >/dev/null; $d/demo; rm -r $d",
		 project, project, project);
	char *argv[] = { "sh", "-c", script, NULL };
	same_as_native(argv, 120, "make");
}
END_TEST

START_TEST(python_threads)
{
	char *argv[] = {
		"python3", "-c",
		"import threading, tempfile, os, hashlib\n"
		"d = tempfile.mkdtemp()\n"
		"sums = [None] * 32\n"
		"def work(i):\n"
		"    p = os.path.join(d, 'f%d' % i)\n"
		"    with open(p, 'w') as f: f.write('x' * (i + 1) * 100)\n"
		"    with open(p, 'rb') as f: sums[i] = hashlib.sha256(f.read()).hexdigest()[:8]\n"
		"    os.unlink(p)\n"
		"ts = [threading.Thread(target=work, args=(i,)) for i in range(32)]\n"
		"[t.start() for t in ts]; [t.join() for t in ts]\n"
		"os.rmdir(d)\n"
		"print(' '.join(sums))\n",
		NULL
	};
	same_as_native(argv, 120, "python");
}
END_TEST

static Suite *programs_suite(void)
{
	Suite *s = suite_create("programs");
	TCase *tc = tcase_create("unchanged");
	tcase_set_timeout(tc, 900);
	tcase_add_test(tc, jvm_300_threads_and_subprocesses);
	tcase_add_test(tc, shell_script);
	tcase_add_test(tc, make_j2_builds_a_c_project);
	tcase_add_test(tc, python_threads);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(programs_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
