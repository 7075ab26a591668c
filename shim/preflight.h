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

#endif
