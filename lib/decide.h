/* decide.h - the verdict on one stopped syscall.
 *
 * Pure: it reads the policy and the event and touches nothing else, so it is
 * tested without a tracee. The tracer applies the result.
 */
#ifndef FG_DECIDE_H
#define FG_DECIDE_H

#include <stdbool.h>

#include "policy.h"
#include "syscall_event.h"

struct fg_decision {
	enum fg_action verdict; /* allow, deny or kill: what the policy says */
	enum fg_action action;	/* what to do: the verdict, or allow in audit mode */
	int deny_errno;
	const char *rule;   /* id of the deciding rule */
	const char *reason; /* NULL, or why the supervisor failed closed */
	bool log;	    /* write an audit line */
	bool inspect;	    /* a trace rule: the arguments decide (lib/inspect.c) */
};

void fg_decide(const struct fg_policy *policy, enum fg_mode mode, bool log_allowed,
	       const struct fg_syscall_event *ev, struct fg_decision *out);

#endif
