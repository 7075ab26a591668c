/* End to end: the HAPI FHIR server fixture as PID 1's child in a new PID and
 * mount namespace, under fhirguard in enforce mode with the default policy,
 * driven by the checking FHIR workload; then SIGTERM stops it gracefully. */
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static pid_t first_child(pid_t parent)
{
	char path[128];
	snprintf(path, sizeof(path), "/proc/%d/task/%d/children", (int)parent, (int)parent);
	char *text = read_file(path);
	pid_t child = text ? (pid_t)atoi(text) : 0;
	free(text);
	return child;
}

/* Starts the server (under fhirguard when guarded) and waits for its ready
 * line; returns the seconds it took. */
static double start_server(struct run *r, bool guarded, const char *log_path, int port,
			   const char *data_dir)
{
	char jar[1024], port_text[16];
	source_path("tests/fhir-server/target/fhir-server.jar", jar, sizeof(jar));
	ck_assert_msg(access(jar, R_OK) == 0, "%s is missing: run scripts/build.sh first", jar);
	snprintf(port_text, sizeof(port_text), "%d", port);
	char *server[] = { "java",   "-jar",	jar,	      "--host",		"127.0.0.1",
			   "--port", port_text, "--data-dir", (char *)data_dir, NULL };
	char *argv[32];
	size_t n = 0;
	if (guarded) {
		char *prefix[] = { "unshare",
				   "--pid",
				   "--fork",
				   "--mount-proc",
				   (char *)fhirguard_path(),
				   "--log",
				   (char *)log_path,
				   "--" };
		for (size_t i = 0; i < sizeof(prefix) / sizeof(prefix[0]); i++)
			argv[n++] = prefix[i];
	}
	for (size_t i = 0; server[i] != NULL; i++)
		argv[n++] = server[i];
	argv[n] = NULL;
	double t0 = now_s();
	run_start(r, argv);
	char line[2048];
	while (run_read_line(r, line, sizeof(line), 180)) {
		if (strstr(line, "fhir-server ready:") != NULL)
			return now_s() - t0;
	}
	ck_abort_msg("the FHIR server did not get ready; output: %s", r->out);
	return 0;
}

START_TEST(fhir_server_under_fhirguard)
{
	int port = 18000 + (int)(getpid() % 1000);
	char data_dir[256], native_dir[256], log_path[256];
	snprintf(data_dir, sizeof(data_dir), "/tmp/fhirguard-e2e-%d", (int)getpid());
	snprintf(native_dir, sizeof(native_dir), "/tmp/fhirguard-e2e-native-%d", (int)getpid());
	mkdir(data_dir, 0700);
	mkdir(native_dir, 0700);
	temp_log_path(log_path, sizeof(log_path), "fhir");

	/* Native start, for the record only. */
	struct run native;
	double native_ready = start_server(&native, false, NULL, port, native_dir);
	kill(native.pid, SIGTERM);
	run_wait(&native, 60);
	run_free(&native);

	struct run r;
	double guarded_ready = start_server(&r, true, log_path, port, data_dir);
	fprintf(stderr, "fhir: start-to-ready native %.2f s, under fhirguard %.2f s\n",
		native_ready, guarded_ready);

	char workload[1024], base[128];
	source_path("tests/fhir-server/workload.py", workload, sizeof(workload));
	snprintf(base, sizeof(base), "http://127.0.0.1:%d/fhir", port);
	char *client[] = { "python3", workload, "--base", base, "--requests", "1000", NULL };
	struct run w;
	double t0 = now_s();
	run_sync(&w, client, 600);
	fprintf(stderr, "fhir: 1000 requests in %.2f s under fhirguard\n", now_s() - t0);
	ck_assert_msg(strstr(w.out, "workload: 1000 passed, 0 failed") != NULL, "workload: %s %s",
		      w.out, w.err);
	ck_assert_int_eq(w.exit_code, 0);
	run_free(&w);

	/* SIGTERM to fhirguard (PID 1 inside, the child of unshare outside). */
	pid_t guard = first_child(r.pid);
	ck_assert_int_gt(guard, 0);
	kill(guard, SIGTERM);
	run_wait(&r, 120);
	ck_assert_msg(strstr(r.out, "fhir-server stopped") != NULL, "no graceful stop: %s", r.out);
	/* The JVM exits 143 after SIGTERM; fhirguard returns exactly that. */
	ck_assert_int_eq(r.exit_code, 143);

	char *log = read_file(log_path);
	ck_assert_ptr_nonnull(log);
	const char *const syscalls[] = { "\"type\":\"syscall\"", NULL };
	ck_assert_msg(count_lines_with(log, syscalls) == 0, "denials: %s", log);
	const char *const exit_line[] = { "\"type\":\"exit\"", "\"exit_code\":143", NULL };
	ck_assert_int_eq(count_lines_with(log, exit_line), 1);
	free(log);
	unlink(log_path);
	run_free(&r);
	char cleanup[600];
	snprintf(cleanup, sizeof(cleanup), "rm -rf %s %s", data_dir, native_dir);
	ck_assert_int_eq(system(cleanup), 0);
}
END_TEST

static Suite *fhir_suite(void)
{
	Suite *s = suite_create("fhir");
	TCase *tc = tcase_create("end_to_end");
	tcase_set_timeout(tc, 900);
	tcase_add_test(tc, fhir_server_under_fhirguard);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(fhir_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
