/* preflight.h - can supervision work here? Checked before anything starts,
 * so that a container without the rights fhirguard needs gets one line
 * naming the cause and the setting to change, not a cryptic failure later. */
#ifndef FG_PREFLIGHT_H
#define FG_PREFLIGHT_H

#include "fg_error.h"

/* Seccomp filters that return SECCOMP_RET_TRACE must be allowed. */
int fg_preflight_seccomp(struct fg_error *err);

/* The PID of the process tracing fhirguard itself, or 0. */
int fg_preflight_tracer_pid(void);

/* /proc must be mounted: every path is resolved through it. */
int fg_preflight_proc(struct fg_error *err);

/* A set-user-ID or set-group-ID program would silently run without that
 * privilege under no_new_privs (which seccomp filters need): refused with a
 * line that says so, unless the bit changes nothing (the file belongs to the
 * user and group fhirguard runs as) or the mount ignores it (nosuid). */
int fg_preflight_setid(const char *path, struct fg_error *err);

#endif
