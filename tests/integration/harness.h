/* harness.h - runs fhirguard and other programs for the integration tests.
 *
 * Paths come from the environment meson sets: FHIRGUARD (the binary),
 * HELPERS (the helper programs' directory), SOURCE_ROOT (the repository).
 */
#ifndef FG_TEST_HARNESS_H
#define FG_TEST_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <signal.h>
#include <sys/types.h>

struct run {
	pid_t pid;
	int out_fd; /* the program's stdout, read by run_read_line */
	int err_fd;
	char *out; /* all of stdout after run_wait */
	char *err; /* all of stderr after run_wait */
	size_t out_len, err_len;
	size_t out_consumed; /* bytes of out already returned by run_read_line */
	int status;	     /* wait status */
	int exit_code;	     /* exit code, or 128+N for signal N */
	char log_path[256];
};

const char *fhirguard_path(void);

/* policy/syscalls-only.json: the syscall layer without argument sections,
 * for running generic programs (sh, make, helpers) under fhirguard. */
const char *syscalls_only_policy(void);
/* Path of helper `name` in the build tree (static buffer per call site is not
 * used: the result is written into buf). */
const char *helper_path(const char *name, char *buf, size_t size);
const char *source_path(const char *relative, char *buf, size_t size);

/* Starts argv (NULL-terminated) with stdout and stderr captured and no
 * signal blocked. */
void run_start(struct run *r, char *const argv[]);

/* The same, with `mask` as the program's blocked signals. */
void run_start_masked(struct run *r, char *const argv[], const sigset_t *mask);

/* The same as run_start, in working directory `dir`. */
void run_start_in(struct run *r, char *const argv[], const char *dir);

/* Reads one line of stdout (without the newline) within timeout_s seconds.
 * Returns false at EOF or timeout. Read data is also kept for r->out. */
bool run_read_line(struct run *r, char *line, size_t size, int timeout_s);

/* Waits for the program (killing it after timeout_s) and collects output. */
void run_wait(struct run *r, int timeout_s);

/* run_start + run_wait. */
void run_sync(struct run *r, char *const argv[], int timeout_s);

void run_free(struct run *r);

/* A fresh audit log path under the temporary directory. */
void temp_log_path(char *buf, size_t size, const char *tag);

/* Reads a whole file (NULL if missing); the caller frees it. */
char *read_file(const char *path);

/* Number of lines of text containing every one of the NULL-terminated
 * needles. */
int count_lines_with(const char *text, const char *const needles[]);

/* Number of occurrences of needle in text. */
int count_substr(const char *text, const char *needle);

#endif
