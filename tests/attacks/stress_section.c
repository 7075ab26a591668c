/* The "must not break" section: workloads that must finish under fhirguard
 * with correct results and not one denial. Each runs natively first (the
 * workload itself is sound), then under fhirguard with the attack policy. */
#include "runner.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "attack.h"

#define EXTERNAL_SIGNALS "5000"
#define INTERNAL_SIGNALS "5000"

struct stress_case {
	const char *name;
	const char *args[4];
	/* Drives a running workload that printed "READY PID"; returns NULL or
	 * what went wrong. */
	const char *(*drive)(pid_t pid);
};

static void sleep_ms(long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

/* Counts pid's threads, and how many are stopped (T, or t under ptrace). */
static void thread_states(pid_t pid, int *threads, int *stopped)
{
	char dir_path[64];
	snprintf(dir_path, sizeof(dir_path), "/proc/%d/task", (int)pid);
	*threads = *stopped = 0;
	DIR *dir = opendir(dir_path);
	struct dirent *e;
	while (dir != NULL && (e = readdir(dir)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		char path[400], buf[512];
		snprintf(path, sizeof(path), "%s/%s/stat", dir_path, e->d_name);
		FILE *f = fopen(path, "r");
		if (f == NULL)
			continue;
		size_t n = fread(buf, 1, sizeof(buf) - 1, f);
		fclose(f);
		buf[n] = '\0';
		char *paren = strrchr(buf, ')');
		(*threads)++;
		if (paren != NULL && (paren[2] == 'T' || paren[2] == 't'))
			(*stopped)++;
	}
	if (dir != NULL)
		closedir(dir);
}

/* Waits up to timeout_ms for all threads stopped (want_stopped) or none. */
static bool wait_states(pid_t pid, bool want_stopped, long timeout_ms)
{
	for (long waited = 0; waited <= timeout_ms; waited += 20) {
		int threads, stopped;
		thread_states(pid, &threads, &stopped);
		if (threads > 0 && (want_stopped ? stopped == threads : stopped == 0))
			return true;
		sleep_ms(20);
	}
	return false;
}

static const char *drive_stopcont(pid_t pid)
{
	sleep_ms(300);
	kill(pid, SIGSTOP);
	if (!wait_states(pid, true, 10000))
		return "not every thread stopped within 10 s of SIGSTOP";
	for (int i = 0; i < 5; i++) {
		sleep_ms(100);
		if (!wait_states(pid, true, 0))
			return "a thread ran again while the group was stopped";
	}
	kill(pid, SIGCONT);
	if (!wait_states(pid, false, 10000))
		return "threads still stopped 10 s after SIGCONT";
	sleep_ms(300);
	kill(pid, SIGUSR1);
	return NULL;
}

static const char *drive_signals(pid_t pid)
{
	long n = strtol(EXTERNAL_SIGNALS, NULL, 10);
	for (long i = 0; i < n; i++) {
		union sigval v = { .sival_int = (int)i };
		long tries = 0;
		while (sigqueue(pid, SIGRTMIN, v) < 0) {
			if (errno != EAGAIN || ++tries > 100000)
				return "sigqueue failed";
			sleep_ms(1);
		}
	}
	return NULL;
}

static const struct stress_case stress_cases[] = {
	{ "stress-500-threads-x-200-opens", { "opens", "500", "200" }, NULL },
	{ "stress-200-processes", { "processes", "200" }, NULL },
	{ "stress-exec-from-thread", { "exec-thread" }, NULL },
	{ "stress-stop-cont-group", { "stopcont" }, drive_stopcont },
	{ "stress-signal-storm", { "signals", EXTERNAL_SIGNALS, INTERNAL_SIGNALS }, drive_signals },
};

/* Runs one workload; returns NULL when it reported ok, or what failed. */
static const char *run_workload(const struct runner *rn, const struct stress_case *c,
				const char *log, struct run *r, char *text, size_t size)
{
	char *argv[16];
	int n = 0;
	if (log != NULL) {
		argv[n++] = (char *)rn->fhirguard;
		argv[n++] = "--policy";
		argv[n++] = (char *)rn->policy;
		argv[n++] = "--log";
		argv[n++] = (char *)log;
		argv[n++] = "--";
		unlink(log);
	}
	argv[n++] = ATK_BIN "/attack_stress";
	for (int i = 0; i < 4 && c->args[i] != NULL; i++)
		argv[n++] = (char *)c->args[i];
	argv[n] = NULL;
	fixture_reset();
	const char *driven = NULL;
	run_start(r, argv);
	if (c->drive != NULL) {
		char line[128];
		if (!run_read_line(r, line, sizeof(line), 60) || strncmp(line, "READY ", 6) != 0)
			driven = "no READY line within 60 s";
		else
			driven = c->drive((pid_t)strtol(line + 6, NULL, 10));
	}
	run_wait(r, 600);
	result_text(r, text, size);
	if (driven != NULL)
		return driven;
	if (r->exit_code != 0 || !result_is(r, "ok"))
		return "the workload failed";
	return NULL;
}

void run_stress_section(struct runner *rn)
{
	for (size_t i = 0; i < sizeof(stress_cases) / sizeof(stress_cases[0]); i++) {
		const struct stress_case *c = &stress_cases[i];
		if (!selected(rn, c->name))
			continue;
		char log[512], text[600];
		log_path_for(c->name, log, sizeof(log));
		struct run r;
		const char *fail = run_workload(rn, c, NULL, &r, text, sizeof(text));
		run_free(&r);
		if (fail != NULL) {
			verdict_line(rn, "FAIL", c->name, "natively: %s: %s", fail, text);
			continue;
		}
		double start = seconds_now();
		fail = run_workload(rn, c, log, &r, text, sizeof(text));
		double seconds = seconds_now() - start;
		run_free(&r);
		struct log_scan scan;
		bool have_log = scan_log(log, NULL, &scan);
		if (fail != NULL) {
			verdict_line(rn, "FAIL", c->name, "under fhirguard: %s: %s [log %s]", fail,
				     text, log);
		} else if (!have_log || !scan.exit_line) {
			verdict_line(rn, "FAIL", c->name, "fhirguard did not log its exit [log %s]",
				     log);
		} else if (scan.denials > 0) {
			verdict_line(rn, "FAIL", c->name, "%ld denials; first: %.200s [log %s]",
				     scan.denials, scan.first_denial, log);
		} else {
			verdict_line(rn, "PASS", c->name, "under fhirguard: %s; no denial (%.1f s)",
				     text, seconds);
			if (!rn->keep_logs)
				unlink(log);
		}
	}
}
