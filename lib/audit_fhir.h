/* audit_fhir.h - audit lines as FHIR R4 AuditEvent resources.
 *
 * The other line format of the audit log (--log-format auditevent): every
 * line is one AuditEvent (NDJSON), coded the way the IHE ATNA model and the
 * DICOM audit vocabulary expect, so that an audit repository or a FHIR
 * server can store fhirguard's decisions next to the FHIR server's own audit
 * trail. The renderers only format: the caller reads /proc and the tracee,
 * and queues the text like any other line.
 */
#ifndef FG_AUDIT_FHIR_H
#define FG_AUDIT_FHIR_H

#include <limits.h>
#include <stdint.h>
#include <sys/types.h>

#include "json_buf.h"
#include "policy.h"

/* Defined in audit.h, which includes this header for the origin below. */
struct fg_audit_decision;

/* "HOST-PID-START": at most 20 + 1 + 7 + 1 + 14 bytes, so that with "-SEQ"
 * (at most 21 bytes) an id stays within FHIR's 64 characters. */
enum { FG_AUDITEVENT_RUN_ID_SIZE = 44 };

/* What is the same on every line of one fhirguard run. */
struct fg_auditevent_origin {
	char hostname[HOST_NAME_MAX + 1]; /* source.observer: the host (container) */
	pid_t pid;			  /* fhirguard's own */
	/* Prefix of every resource id. The start time is part of it because
	 * fhirguard is usually PID 1 of a container whose hostname stays the
	 * same across restarts: host and PID alone would repeat ids. */
	char run_id[FG_AUDITEVENT_RUN_ID_SIZE];
};

/* Fills o for this process: gethostname(), getpid() and the current time. */
void fg_auditevent_origin_init(struct fg_auditevent_origin *o);

/* Fills o from given facts (start_us: microseconds since the epoch). */
void fg_auditevent_origin_set(struct fg_auditevent_origin *o, const char *hostname, pid_t pid,
			      uint64_t start_us);

/* The facts every line has. */
struct fg_auditevent_line {
	const struct fg_auditevent_origin *origin;
	const char *recorded; /* RFC 3339 UTC, as fg_audit_timestamp() writes it */
	uint64_t seq;	      /* the line's number in this run; the id ends with it */
};

/* What the caller found out about the task that made the call. NULL or ""
 * leaves an element out. */
struct fg_auditevent_task {
	const char *comm;    /* the thread's name */
	const char *exe;     /* the process's executable */
	const char *syscall; /* the call's name */
	const char *arch;    /* "x86_64" */
	const char *args;    /* fg_decode_args() output as JSON text; NULL: raw registers */
};

/* Each function appends one AuditEvent object to b, without a newline. */

/* One decision on one syscall. */
void fg_auditevent_decision(struct fg_json_buf *b, const struct fg_auditevent_line *line,
			    const struct fg_audit_decision *d,
			    const struct fg_auditevent_task *task);

/* fhirguard starts `argv` under the policy from `policy_source`. */
void fg_auditevent_start(struct fg_json_buf *b, const struct fg_auditevent_line *line,
			 const char *policy_source, enum fg_mode mode, char *const argv[],
			 const char *version);

/* The main program ended (wait_status) and fhirguard returns exit_code. */
void fg_auditevent_exit(struct fg_json_buf *b, const struct fg_auditevent_line *line,
			int wait_status, int exit_code);

/* `lines` lines were dropped because the log was not read fast enough. */
void fg_auditevent_lost(struct fg_json_buf *b, const struct fg_auditevent_line *line,
			uint64_t lines);

#endif
