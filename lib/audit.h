/* audit.h - the audit log: one JSON object per line (JSON Lines).
 *
 * Lines are queued in memory and written without blocking, so a stalled log
 * reader never stalls the supervised program. If the queue overflows, lines
 * are dropped, counted, and the count is reported on stderr and in the log
 * (a gap in "seq" shows where). Field reference: policy/README.md.
 */
#ifndef FG_AUDIT_H
#define FG_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "audit_fhir.h"
#include "fg_error.h"
#include "inspect.h"
#include "json_buf.h"
#include "policy.h"
#include "syscall_event.h"

/* --log-format: how each line is written. */
enum fg_log_format {
	FG_LOG_JSONL,	   /* one flat object per line (policy/README.md "Audit log") */
	FG_LOG_AUDITEVENT, /* one FHIR R4 AuditEvent per line (lib/audit_fhir.h) */
};

struct fg_audit {
	int fd;
	const char *name; /* for messages: the file name or "stderr" */
	bool use_poll;	  /* fd could not be made non-blocking: poll before writing */
	char *queue;
	size_t queued;
	size_t queue_limit;
	uint64_t seq;
	uint64_t dropped; /* lines lost since the last report */
	uint64_t dropped_total;
	bool write_error_reported;
	struct fg_json_buf line;
	enum fg_log_format format;
	struct fg_auditevent_origin origin; /* FG_LOG_AUDITEVENT: host, PID, run id */
	struct fg_json_buf scratch;	    /* decoded arguments, the lost-lines note */
};

/* One decision on one syscall. */
struct fg_audit_decision {
	const struct fg_syscall_event *event;
	enum fg_mode mode;
	enum fg_action verdict; /* what the policy says: allow, deny or kill */
	enum fg_action action;	/* what was done (differs in audit mode) */
	int deny_errno;		/* when verdict is deny */
	const char *rule;	/* id of the rule that decided */
	const char *reason;	/* optional extra words, e.g. why a check failed closed */
	const struct fg_inspection *inspection; /* the argument check, or NULL */
};

/* Opens `path` for appending, or standard error when path is NULL. */
int fg_audit_open(struct fg_audit *a, const char *path, enum fg_log_format format,
		  struct fg_error *err);

/* Flushes what it can within timeout_ms, reports losses on stderr, closes. */
void fg_audit_close(struct fg_audit *a, int timeout_ms);

void fg_audit_decision(struct fg_audit *a, const struct fg_audit_decision *d);

/* A "start" line: what runs, under which policy, with which in-kernel
 * backstop (`landlock`: a short summary, e.g. "abi 7: files (78 path rules),
 * tcp (1 port rule)" or "off: <why>"; JSON Lines format only). */
void fg_audit_start(struct fg_audit *a, const struct fg_policy *policy, enum fg_mode mode,
		    char *const argv[], const char *version, const char *landlock,
		    int supervisor_nice);

/* An "exit" line: how the main program ended and what fhirguard returns. */
/* What the supervisor did during the run, for the exit line (operators
 * and bench/ read the cost of supervision from it). */
struct fg_audit_counts {
	uint64_t seccomp_stops; /* traced syscalls */
	uint64_t signal_stops;	/* signals delivered through the tracer */
	uint64_t group_stops;
	uint64_t event_stops; /* fork, clone, exec and first stops */
	/* syscall-exit stops: path calls under the path lock, pending
	 * connects, and the syscalls run in a program at exec */
	uint64_t exit_stops;
	uint64_t denied;
	uint64_t killed;
};

void fg_audit_exit(struct fg_audit *a, int wait_status, int exit_code,
		   const struct fg_audit_counts *counts);

/* Writes queued lines as far as the log accepts them without blocking.
 * Returns true while lines remain queued. */
bool fg_audit_flush(struct fg_audit *a);

/* Formats the current time as RFC 3339 UTC with microseconds. */
void fg_audit_timestamp(char *buf, size_t size);

#endif
