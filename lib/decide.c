#include "decide.h"

#include <errno.h>
#include <linux/audit.h>

#include "filter.h"

/* The x32 ABI shares AUDIT_ARCH_X86_64 and marks its numbers with this bit. */
enum { X32_SYSCALL_BIT = 0x40000000 };

static void fail_closed(struct fg_decision *out, const char *reason)
{
	out->verdict = FG_ACTION_KILL;
	out->deny_errno = 0;
	out->rule = "supervisor";
	out->reason = reason;
	out->log = true;
}

void fg_decide(const struct fg_policy *policy, enum fg_mode mode, bool log_allowed,
	       const struct fg_syscall_event *ev, struct fg_decision *out)
{
	*out = (struct fg_decision){ .reason = NULL };
	if (ev->arch != AUDIT_ARCH_X86_64 || (ev->nr & X32_SYSCALL_BIT) != 0 || ev->nr < 0) {
		/* The filter kills these already; reaching here means something
		 * is wrong, and the safe answer is the same. */
		fail_closed(out, "syscall through a non-native ABI");
	} else {
		const struct fg_syscall_rule *expected = fg_policy_syscall_rule(policy, ev->nr);
		const struct fg_syscall_rule *rule;
		int pid_arg = fg_filter_pid_arg(ev->nr);
		if (ev->ret_data == FG_RET_DATA_SUPERVISOR_TARGET && pid_arg >= 0 &&
		    expected->action == FG_ACTION_ALLOW) {
			/* Allowed, but not against fhirguard itself. */
			if (fg_filter_targets_supervisor(ev->nr, (int64_t)ev->args[pid_arg])) {
				out->verdict = FG_ACTION_DENY;
				out->deny_errno = EPERM;
				out->rule = "supervisor";
				out->reason = "the call targets fhirguard, the supervisor";
				out->log = true;
				out->action = FG_ACTION_DENY;
				return;
			}
			rule = expected;
		} else if (ev->ret_data == FG_RET_DATA_CLONE_NS) {
			/* clone with namespace flags is unshare (filter.h). */
			if (ev->nr == SCMP_SYS(clone) && fg_filter_guards_clone_namespaces(policy))
				expected = fg_policy_syscall_rule(policy, SCMP_SYS(unshare));
			else
				expected = NULL;
			rule = expected;
		} else if (ev->ret_data == FG_RET_DATA_MAPPING)
			/* An executable file mapping of an allowed mmap or
			 * mprotect (the files section decides), or a memory call
			 * near the argument area (filter.h). */
			rule = fg_filter_guards_mappings(policy, ev->nr) ? expected : NULL;
		else if (ev->ret_data == 0)
			rule = &policy->default_rule;
		else if (ev->ret_data - 1 < policy->rule_count)
			rule = &policy->rules[ev->ret_data - 1];
		else
			rule = NULL;
		if (rule == NULL || rule != expected) {
			/* The filter and the policy disagree: never guess. */
			fail_closed(out, "seccomp filter data does not match the policy");
		} else {
			out->rule = rule->id;
			switch (rule->action) {
			case FG_ACTION_ALLOW:
			case FG_ACTION_TRACE:
				/* Allowed by the syscall layer; for a trace rule the
				 * argument rules may still refuse it. */
				out->verdict = FG_ACTION_ALLOW;
				out->log = log_allowed;
				out->inspect = rule->action == FG_ACTION_TRACE ||
					       ev->ret_data == FG_RET_DATA_MAPPING;
				break;
			case FG_ACTION_DENY:
				out->verdict = FG_ACTION_DENY;
				out->deny_errno = rule->deny_errno;
				/* A silent denial reaches here only for memfd_create,
				 * traced for the argument area (filter.c). */
				out->log = rule->log;
				break;
			case FG_ACTION_KILL:
			case FG_ACTION_STOP:
				out->verdict = rule->action;
				out->log = true;
				break;
			}
		}
	}
	/* Audit mode relaxes the policy, never the supervisor's own checks. */
	if (mode == FG_MODE_AUDIT && out->reason == NULL)
		out->action = FG_ACTION_ALLOW;
	else
		out->action = out->verdict;
}
