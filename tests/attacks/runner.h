/* runner.h - the attack runner's parts: the fixture under ATK_ROOT, the
 * forbidden listeners, audit log scanning, and the two sections. */
#ifndef FG_ATTACK_RUNNER_H
#define FG_ATTACK_RUNNER_H

#include <stdbool.h>
#include <stddef.h>

#include "harness.h"

struct runner {
	const char *fhirguard;
	char policy[1024];
	char build_dir[1024]; /* where the attack programs were built */
	long count;	      /* attempts per TOCTOU race */
	const char *only;     /* comma-separated names or prefixes, or NULL */
	bool keep_logs;
	int passed, failed, skipped, gaps;
};

/* fixture.c */
/* Creates ATK_ROOT from scratch: directories, files, the programs copied
 * into ATK_BIN, payloads. Exits the runner with a message on failure. */
void fixture_create(const struct runner *rn);
/* Puts every file back as fixture_create made it (attacks move, link and
 * overwrite them natively) and saves fresh file handles of the secrets. */
void fixture_reset(void);
void fixture_mount_umount_target(void);
void fixture_unmount_all(void);

/* Listens on 127.0.0.1:ATK_PORT_ALLOWED, 127.0.0.1:ATK_PORT_FORBIDDEN and
 * 127.0.0.2:ATK_PORT_ALLOWED, accepting and closing in a thread, and
 * receives UDP on 127.0.0.1:ATK_SEND_ALLOWED and ATK_SEND_FORBIDDEN. */
void listeners_start(void);
/* Waits until no connection or datagram is pending on any listener and the
 * count below has stopped moving (at most 5 s): what one run sent is never
 * counted in the next. */
void listeners_settle(void);
/* Connections accepted and datagrams received so far on the forbidden
 * listeners. */
long listeners_forbidden_accepts(void);

/* audit_scan.c */
struct log_scan {
	bool exit_line;	  /* fhirguard logged its own exit */
	long denials;	  /* syscall lines with verdict deny, kill or stop */
	bool audit_found; /* one of them contains a needle */
	char audit[200];  /* its verdict and rule */
	char first_denial[300];
};
/* Scans the JSON Lines log at path; needles may be NULL. */
bool scan_log(const char *path, const char *const *needles, struct log_scan *out);

/* The text after "RESULT " on the program's result line, or a description
 * of its exit status when there is none. */
void result_text(const struct run *r, char *buf, size_t size);
bool result_is(const struct run *r, const char *word);

/* runner.c */
bool selected(const struct runner *rn, const char *name);
void log_path_for(const char *name, char *buf, size_t size);
double seconds_now(void);
/* "PASS"/"FAIL"/"SKIP" line and counting. */
void verdict_line(struct runner *rn, const char *status, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* stress_section.c */
void run_stress_section(struct runner *rn);

#endif
