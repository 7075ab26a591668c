/* policy.h - the in-memory policy: what fhirguard enforces.
 *
 * Loaded once at start (policy_load.c) and read-only afterwards. The syscall
 * layer decides per syscall number; argument-level sections build on it.
 */
#ifndef FG_POLICY_H
#define FG_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fg_error.h"
#include "rules.h"

/* Syscall numbers of the native ABI that a policy can name (x86_64 uses
 * fewer than 500). */
enum { FG_SYSCALL_COUNT = 1024 };

enum fg_action {
	FG_ACTION_ALLOW, /* runs in the kernel, never stops */
	FG_ACTION_TRACE, /* stops in the supervisor, which looks at arguments */
	FG_ACTION_DENY,	 /* fails with an errno */
	FG_ACTION_KILL,	 /* the whole process dies with SIGSYS */
	FG_ACTION_STOP,	 /* argument rules only: kill, then stop the whole container */
};

enum fg_mode {
	FG_MODE_ENFORCE, /* decisions are applied */
	FG_MODE_AUDIT,	 /* decisions are logged, everything is allowed */
};

struct fg_syscall_rule {
	char *id;	   /* the name audit lines use: the policy's "id", or "syscalls.rules[N]" */
	char *description; /* may be NULL */
	enum fg_action action;
	int deny_errno; /* for FG_ACTION_DENY */
	/* For FG_ACTION_DENY: false keeps the denial inside the kernel, where
	 * it costs nothing and is not logged (for calls that programs probe and
	 * expect to fail, such as clone3). */
	bool log;
	int line; /* line in the policy file, for messages */
};

struct fg_policy {
	char *source; /* file name, or "(embedded default policy)" */
	char *description;
	enum fg_mode mode;
	bool log_allowed; /* also log traced calls that were allowed */
	struct fg_syscall_rule default_rule;
	struct fg_syscall_rule *rules;
	size_t rule_count;
	/* Index into rules for every native syscall number, -1 for default_rule. */
	int16_t syscall_rule[FG_SYSCALL_COUNT];
	/* The argument-level sections: files, exec, network. */
	struct fg_rules sections;
	/* Trace executable file mappings (lib/filter.h): set by the loader when
	 * there is a files section, and by learn mode, which must see them. */
	bool guard_exec_mappings;
	/* Run checked calls with their pointer arguments copied where no task
	 * can change them (lib/argarea.h): set by the loader when a files or
	 * network section checks such arguments. */
	bool pin_arguments;
};

/* Parses `text` as a policy. `source` names it in error messages. On error
 * the message reads "SOURCE:LINE:COL: what was expected" and *policy is left
 * empty: no partial policy ever exists. */
int fg_policy_load_text(const char *text, size_t len, const char *source, struct fg_policy *policy,
			struct fg_error *err);

int fg_policy_load_file(const char *path, struct fg_policy *policy, struct fg_error *err);

/* The policy compiled into the binary, used when no --policy is given. */
int fg_policy_load_default(struct fg_policy *policy, struct fg_error *err);

void fg_policy_free(struct fg_policy *policy);

/* The rule that governs syscall `nr` (the default rule for numbers the
 * policy does not name). */
const struct fg_syscall_rule *fg_policy_syscall_rule(const struct fg_policy *policy, long nr);

const char *fg_action_name(enum fg_action action);
const char *fg_mode_name(enum fg_mode mode);

#endif
