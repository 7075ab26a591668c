/* End to end: the HAPI FHIR server fixture as PID 1's child in a new PID and
 * mount namespace, under fhirguard in enforce mode with the shipped policy
 * (policy/hapi-fhir.json), driven by the checking FHIR workload; then the
 * compromise endpoint tries what an attacker would, each attempt is refused
 * with one audit line, and the server answers on; SIGTERM stops it
 * gracefully. */
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
static double start_server_with(struct run *r, bool guarded, const char *log_path, int port,
				const char *data_dir, char *const extra[]);

static double start_server(struct run *r, bool guarded, const char *log_path, int port,
			   const char *data_dir)
{
	char policy[1024];
	source_path("policy/hapi-fhir.json", policy, sizeof(policy));
	char *extra[] = { "--policy", policy, NULL };
	return start_server_with(r, guarded, log_path, port, data_dir, extra);
}

/* The same with fhirguard options of the caller's (NULL-terminated). */
static double start_server_with(struct run *r, bool guarded, const char *log_path, int port,
				const char *data_dir, char *const extra[])
{
	/* Where scripts/build.sh installs it, and where the shipped policy and
	 * the image expect it. */
	char jar[] = "/app/fhir-server.jar", port_text[16];
	ck_assert_msg(access(jar, R_OK) == 0, "%s is missing: run scripts/build.sh first", jar);
	snprintf(port_text, sizeof(port_text), "%d", port);
	char *server[] = {
		"java",	  "-jar",    jar,	   "--host",	     "127.0.0.1",
		"--port", port_text, "--data-dir", (char *)data_dir, "--enable-compromise",
		NULL
	};
	char *argv[32];
	size_t n = 0;
	if (guarded) {
		char *prefix[] = { "unshare", "--pid", "--fork", "--mount-proc",
				   (char *)fhirguard_path() };
		for (size_t i = 0; i < sizeof(prefix) / sizeof(prefix[0]); i++)
			argv[n++] = prefix[i];
		for (size_t i = 0; extra[i] != NULL; i++)
			argv[n++] = extra[i];
		argv[n++] = "--log";
		argv[n++] = (char *)log_path;
		argv[n++] = "--";
	}
	for (size_t i = 0; server[i] != NULL; i++)
		argv[n++] = server[i];
	argv[n] = NULL;
	double t0 = now_s();
	/* The server runs in its data directory, as it would in the image. */
	run_start_in(r, argv, data_dir);
	char line[2048];
	while (run_read_line(r, line, sizeof(line), 180)) {
		if (strstr(line, "fhir-server ready:") != NULL)
			return now_s() - t0;
	}
	ck_abort_msg("the FHIR server did not get ready; output: %s", r->out);
	return 0;
}

/* GET url with curl; returns the body (caller frees). */
static char *http_get(const char *url)
{
	char *argv[] = { "curl", "-s", "--max-time", "30", (char *)url, NULL };
	struct run r;
	run_sync(&r, argv, 60);
	char *body = strdup(r.out);
	run_free(&r);
	return body;
}

/* Through the compromise endpoint (code execution inside the server), try
 * what an attacker would. Each must fail with a Java exception naming the
 * errno, and leave exactly one audit line naming what was refused. */
static void compromise_attempts(int port, const char *log_path, const char *data_dir)
{
	/* A native library in /tmp, as an exploit would drop one, and one in the
	 * data directory, which the server may read and write but not run. */
	char copy[1024], loadlib_data[1024], data_needle[1024];
	snprintf(copy, sizeof(copy),
		 "cp /usr/lib/x86_64-linux-gnu/libz.so.1 /tmp/fhirguard-evil.so && "
		 "cp /usr/lib/x86_64-linux-gnu/libz.so.1 %s/evil.so",
		 data_dir);
	ck_assert_int_eq(system(copy), 0);
	snprintf(loadlib_data, sizeof(loadlib_data), "action=loadlib&path=%s/evil.so", data_dir);
	snprintf(data_needle, sizeof(data_needle), "\"path\":\"%s/evil.so\",\"rights\":\"exec\"",
		 data_dir);
	const struct {
		const char *query;
		const char *reply;	/* in the JSON the endpoint returns */
		const char *log_needle; /* in the one audit line */
	} attempts[] = {
		{ "action=read&path=/etc/shadow", "AccessDeniedException",
		  "\"path\":\"/etc/shadow\"" },
		{ "action=exec&cmd=/bin/sh", "error=13, Permission denied", "\"kind\":\"exec\"" },
		{ "action=connect&host=127.0.0.1&port=9", "Permission denied", "127.0.0.1]:9\"" },
		{ "action=write&path=/etc/fhirguard-was-here", "AccessDeniedException",
		  "\"path\":\"/etc/fhirguard-was-here\"" },
		{ "action=loadlib&path=/tmp/fhirguard-evil.so",
		  "cannot open shared object file: Permission denied",
		  "\"path\":\"/tmp/fhirguard-evil.so\"" },
		/* Readable, so dlopen opens it; mapping its code needs exec. */
		{ loadlib_data, "failed to map segment from shared object", data_needle },
	};
	for (size_t i = 0; i < sizeof(attempts) / sizeof(attempts[0]); i++) {
		char url[512];
		snprintf(url, sizeof(url), "http://127.0.0.1:%d/compromise?%s", port,
			 attempts[i].query);
		char *reply = http_get(url);
		fprintf(stderr, "fhir: %s -> %s\n", attempts[i].query, reply);
		ck_assert_msg(strstr(reply, "\"ok\":false") != NULL, "%s: %s", attempts[i].query,
			      reply);
		ck_assert_msg(strstr(reply, attempts[i].reply) != NULL, "%s: %s", attempts[i].query,
			      reply);
		free(reply);
		char *log = read_file(log_path);
		const char *const needles[] = { "\"type\":\"syscall\"", attempts[i].log_needle,
						NULL };
		/* One line per refused call: dlopen tries a library three times. */
		int lines = count_lines_with(log, needles);
		ck_assert_msg(lines == (i == 4 ? 3 : 1), "%s: %d lines, log %s", attempts[i].query,
			      lines, log);
		if (i == 5)
			fprintf(stderr, "fhir: %s\n", strstr(log, data_needle) - 200);
		free(log);
	}
	unlink("/tmp/fhirguard-evil.so");
}

/* --log-format auditevent: lines from a run with allowed, denied, killed
 * and audit-mode decisions are posted to the FHIR server, whose HAPI parser
 * must accept every one (and give each back unchanged). */
static void auditevents_accepted_by_hapi(const char *base)
{
	char log_path[256], policy[1024], sections[1024], checker[1024];
	temp_log_path(log_path, sizeof(log_path), "auditevent");
	source_path("tests/integration/policies/sections.json", sections, sizeof(sections));
	source_path("tests/integration/policies/actions.json", policy, sizeof(policy));
	source_path("tests/fhir-server/auditevent_check.py", checker, sizeof(checker));
	ck_assert_int_eq(system("mkdir -p /tmp/fhirguard-sections/kill && echo x > "
				"/tmp/fhirguard-sections/kill/x"),
			 0);
	char *files[] = { (char *)fhirguard_path(),
			  "--log-format",
			  "auditevent",
			  "--log-allowed",
			  "--policy",
			  sections,
			  "--log",
			  log_path,
			  "--",
			  "/bin/sh",
			  "-c",
			  "cat /etc/shadow; /usr/bin/id; cat /tmp/fhirguard-sections/kill/x; "
			  "/usr/bin/python3 -c 'import socket; "
			  "socket.socket().connect_ex((\"127.0.0.1\", 1))'",
			  NULL };
	struct run r;
	run_sync(&r, files, 120);
	run_free(&r);
	char helper[512];
	char *probe[] = { (char *)fhirguard_path(),
			  "--log-format",
			  "auditevent",
			  "--mode",
			  "audit",
			  "--policy",
			  policy,
			  "--log",
			  log_path,
			  "--",
			  (char *)helper_path("syscall_probe", helper, sizeof(helper)),
			  "getpid",
			  "getppid",
			  NULL };
	run_sync(&r, probe, 60);
	run_free(&r);
	char *check[] = { "python3", checker, "--base", (char *)base, log_path, NULL };
	run_sync(&r, check, 300);
	fprintf(stderr, "fhir: %s", r.out);
	ck_assert_msg(r.exit_code == 0 && strstr(r.out, " 0 failed") != NULL, "%s %s", r.out,
		      r.err);
	/* Many lines: start, exit, allowed, denied, killed, audit mode. */
	char *log = read_file(log_path);
	ck_assert_int_ge(count_substr(log, "\"resourceType\":\"AuditEvent\""), 20);
	free(log);
	run_free(&r);
	unlink(log_path);
	ck_assert_int_eq(system("rm -rf /tmp/fhirguard-sections"), 0);
}

START_TEST(fhir_server_under_fhirguard)
{
	/* The shipped policy allows binding 8080 and writing below /var/lib/fhir. */
	int port = 8080;
	char data_dir[256], native_dir[256], log_path[256];
	snprintf(data_dir, sizeof(data_dir), "/var/lib/fhir/e2e-%d", (int)getpid());
	snprintf(native_dir, sizeof(native_dir), "/var/lib/fhir/e2e-native-%d", (int)getpid());
	mkdir("/var/lib/fhir", 0755);
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

	/* No denial during normal work. */
	char *log = read_file(log_path);
	ck_assert_ptr_nonnull(log);
	const char *const syscalls[] = { "\"type\":\"syscall\"", NULL };
	ck_assert_msg(count_lines_with(log, syscalls) == 0, "denials: %s", log);
	/* ... with the Landlock backstop applied to the server (both sections). */
	const char *const landlock[] = { "\"type\":\"start\"", "\"landlock\":\"abi ", " files (",
					 " tcp (", NULL };
	ck_assert_msg(count_lines_with(log, landlock) == 1, "start line: %s", log);
	free(log);

	compromise_attempts(port, log_path, data_dir);

	auditevents_accepted_by_hapi(base);

	/* The server still answers FHIR requests after the attempts. */
	char *again[] = { "python3", workload, "--base", base, "--requests", "50", NULL };
	run_sync(&w, again, 300);
	ck_assert_msg(strstr(w.out, "workload: 50 passed, 0 failed") != NULL, "after: %s %s", w.out,
		      w.err);
	run_free(&w);

	/* SIGTERM to fhirguard (PID 1 inside, the child of unshare outside). */
	pid_t guard = first_child(r.pid);
	ck_assert_int_gt(guard, 0);
	kill(guard, SIGTERM);
	run_wait(&r, 120);
	ck_assert_msg(strstr(r.out, "fhir-server stopped") != NULL, "no graceful stop: %s", r.out);
	/* The JVM exits 143 after SIGTERM; fhirguard returns exactly that. */
	ck_assert_int_eq(r.exit_code, 143);

	log = read_file(log_path);
	ck_assert_ptr_nonnull(log);
	/* Exactly the attempts were refused (eight calls), nothing else. */
	int refused = count_lines_with(log, syscalls);
	if (refused != 8)
		fprintf(stderr, "fhir: unexpected log:\n%s\n", log);
	ck_assert_int_eq(refused, 8);
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

/* Runs the workload against a server started with `extra` fhirguard
 * options, then stops it with SIGTERM. */
static void serve_workload(const char *log_path, const char *data_dir, char *const extra[],
			   int requests)
{
	struct run r;
	start_server_with(&r, true, log_path, 8080, data_dir, extra);
	char workload[1024], count[16];
	source_path("tests/fhir-server/workload.py", workload, sizeof(workload));
	snprintf(count, sizeof(count), "%d", requests);
	char *client[] = { "python3",	 workload, "--base", "http://127.0.0.1:8080/fhir",
			   "--requests", count,	   NULL };
	struct run w;
	run_sync(&w, client, 600);
	ck_assert_msg(w.exit_code == 0, "workload: %s %s", w.out, w.err);
	run_free(&w);
	pid_t guard = first_child(r.pid);
	ck_assert_int_gt(guard, 0);
	kill(guard, SIGTERM);
	run_wait(&r, 120);
	ck_assert_msg(r.exit_code == 143, "exit %d: %s", r.exit_code, r.err);
	run_free(&r);
}

/* Learn mode on the real server: learn from a workload, then run the same
 * workload in enforce mode under the learned policy: zero denials. */
START_TEST(learned_fhir_policy_has_zero_denials)
{
	char data_dir[256], learned[256], log_path[256];
	snprintf(data_dir, sizeof(data_dir), "/var/lib/fhir/learn-%d", (int)getpid());
	snprintf(learned, sizeof(learned), "/tmp/fhirguard-learned-%d.json", (int)getpid());
	mkdir("/var/lib/fhir", 0755);
	mkdir(data_dir, 0700);
	temp_log_path(log_path, sizeof(log_path), "fhir-learn");
	char *learn[] = { "--mode", "learn", "--out", learned, NULL };
	serve_workload(log_path, data_dir, learn, 300);

	unlink(log_path);
	char *enforce[] = { "--policy", learned, NULL };
	serve_workload(log_path, data_dir, enforce, 300);
	char *log = read_file(log_path);
	const char *const denials[] = { "\"type\":\"syscall\"", "\"action\":\"deny\"", NULL };
	ck_assert_msg(count_lines_with(log, denials) == 0, "denials under the learned policy: %s",
		      log);
	free(log);
	char *check[] = { (char *)fhirguard_path(), "check", learned, NULL };
	struct run r;
	run_sync(&r, check, 30);
	fprintf(stderr, "fhir: learned policy: %s", r.out);
	ck_assert_int_eq(r.exit_code, 0);
	run_free(&r);
	unlink(log_path);
	unlink(learned);
	char cleanup[300];
	snprintf(cleanup, sizeof(cleanup), "rm -rf %s", data_dir);
	ck_assert_int_eq(system(cleanup), 0);
}
END_TEST

static Suite *fhir_suite(void)
{
	Suite *s = suite_create("fhir");
	TCase *tc = tcase_create("end_to_end");
	tcase_set_timeout(tc, 900);
	tcase_add_test(tc, fhir_server_under_fhirguard);
	tcase_add_test(tc, learned_fhir_policy_has_zero_denials);
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
