#include "filter.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <unistd.h>

#include "argarea.h"
#include "syscall_names.h"

/* The in-kernel action for one rule; `data` is its SECCOMP_RET_DATA. */
static uint32_t kernel_action(const struct fg_syscall_rule *rule, enum fg_mode mode, uint16_t data)
{
	switch (rule->action) {
	case FG_ACTION_ALLOW:
		return SCMP_ACT_ALLOW;
	case FG_ACTION_DENY:
		if (!rule->log) /* an expected probe: deny in the kernel, unlogged */
			return mode == FG_MODE_AUDIT ? SCMP_ACT_ALLOW
						     : SCMP_ACT_ERRNO((uint16_t)rule->deny_errno);
		return SCMP_ACT_TRACE(data);
	case FG_ACTION_TRACE:
	case FG_ACTION_KILL:
	case FG_ACTION_STOP:
		/* Kills go through the supervisor too, so that each one is
		 * logged; the supervisor then kills in the kernel (see
		 * FG_KILL_SYSCALL_NR). */
		return SCMP_ACT_TRACE(data);
	}
	return SCMP_ACT_KILL_PROCESS;
}

bool fg_filter_guards_exec_mappings(const struct fg_policy *policy, long nr)
{
	if (nr != SCMP_SYS(mmap) && nr != SCMP_SYS(mprotect) && nr != SCMP_SYS(pkey_mprotect))
		return false;
	const struct fg_syscall_rule *rule = fg_policy_syscall_rule(policy, nr);
	return policy->guard_exec_mappings && rule->action == FG_ACTION_ALLOW;
}

static bool is_area_guarded(long nr)
{
	return nr == SCMP_SYS(mmap) || nr == SCMP_SYS(munmap) || nr == SCMP_SYS(mremap) ||
	       nr == SCMP_SYS(madvise) || nr == SCMP_SYS(remap_file_pages) || nr == SCMP_SYS(shmat);
}

bool fg_filter_guards_mappings(const struct fg_policy *policy, long nr)
{
	if (fg_filter_guards_exec_mappings(policy, nr))
		return true;
	return policy->pin_arguments && is_area_guarded(nr) &&
	       fg_policy_syscall_rule(policy, nr)->action == FG_ACTION_ALLOW;
}

/* The rules of one syscall fg_filter_guards_exec_mappings covers: allowed
 * in the kernel without PROT_EXEC (and for mmap, when anonymous), traced
 * otherwise. Each rule tests one masked argument, so the cases are exact. */
static int add_exec_mapping_rules(scmp_filter_ctx ctx, long nr)
{
	uint32_t trace = SCMP_ACT_TRACE(FG_RET_DATA_MAPPING);
	int rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, (int)nr, 1,
				  SCMP_A2_64(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
	if (rc < 0)
		return rc;
	if (nr != SCMP_SYS(mmap))
		return seccomp_rule_add(ctx, trace, (int)nr, 1,
					SCMP_A2_64(SCMP_CMP_MASKED_EQ, PROT_EXEC, PROT_EXEC));
	rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, (int)nr, 1,
			      SCMP_A3_64(SCMP_CMP_MASKED_EQ, MAP_ANONYMOUS, MAP_ANONYMOUS));
	if (rc < 0)
		return rc;
	return seccomp_rule_add(ctx, trace, (int)nr, 2,
				SCMP_A2_64(SCMP_CMP_MASKED_EQ, PROT_EXEC, PROT_EXEC),
				SCMP_A3_64(SCMP_CMP_MASKED_EQ, MAP_ANONYMOUS, 0));
}

/* An address below FG_ARGAREA_END (a power of two): no bit above it set. */
static struct scmp_arg_cmp below_area_end(unsigned arg)
{
	return (struct scmp_arg_cmp){ .arg = arg,
				      .op = SCMP_CMP_MASKED_EQ,
				      .datum_a = ~(uint64_t)(FG_ARGAREA_END - 1),
				      .datum_b = 0 };
}

scmp_filter_ctx fg_filter_build_area_guard(const struct fg_policy *policy, struct fg_error *err)
{
	(void)policy;
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (ctx == NULL) {
		fg_error_set(err, "cannot build the seccomp filter: libseccomp failed to start");
		return NULL;
	}
	/* Other ABIs: the main filter decides (its action takes precedence). */
	const uint32_t trace = SCMP_ACT_TRACE(FG_RET_DATA_MAPPING);
	int rc = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_ALLOW);
	if (rc == 0)
		rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 1);
	if (rc == 0)
		rc = seccomp_rule_add(ctx, trace, SCMP_SYS(mmap), 2, below_area_end(0),
				      SCMP_A3_64(SCMP_CMP_MASKED_EQ, MAP_FIXED, MAP_FIXED));
	if (rc == 0)
		rc = seccomp_rule_add(ctx, trace, SCMP_SYS(munmap), 1, below_area_end(0));
	if (rc == 0)
		rc = seccomp_rule_add(ctx, trace, SCMP_SYS(madvise), 1, below_area_end(0));
	if (rc == 0)
		rc = seccomp_rule_add(ctx, trace, SCMP_SYS(remap_file_pages), 1, below_area_end(0));
	if (rc == 0)
		rc = seccomp_rule_add(ctx, trace, SCMP_SYS(mremap), 1, below_area_end(0));
	if (rc == 0)
		rc = seccomp_rule_add(ctx, trace, SCMP_SYS(mremap), 2, below_area_end(4),
				      SCMP_A3_64(SCMP_CMP_MASKED_EQ, MREMAP_FIXED, MREMAP_FIXED));
	if (rc == 0)
		rc = seccomp_rule_add(ctx, trace, SCMP_SYS(shmat), 2, below_area_end(1),
				      SCMP_A2_64(SCMP_CMP_MASKED_EQ, SHM_REMAP, SHM_REMAP));
	if (rc < 0) {
		fg_error_set(err, "cannot build the argument-area guard filter: %s", strerror(-rc));
		seccomp_release(ctx);
		return NULL;
	}
	return ctx;
}

bool fg_filter_guards_clone_namespaces(const struct fg_policy *policy)
{
	return fg_policy_syscall_rule(policy, SCMP_SYS(clone))->action == FG_ACTION_ALLOW &&
	       fg_policy_syscall_rule(policy, SCMP_SYS(unshare))->action != FG_ACTION_ALLOW;
}

/* clone without namespace flags in the kernel; with any, traced (one rule
 * per flag: a masked comparison can only test for equality). */
static int add_clone_rules(scmp_filter_ctx ctx)
{
	int rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(clone), 1,
				  SCMP_A0_64(SCMP_CMP_MASKED_EQ, FG_CLONE_NAMESPACE_FLAGS, 0));
	for (unsigned bit = 0; bit < 32 && rc == 0; bit++) {
		uint64_t flag = 1ULL << bit;
		if ((FG_CLONE_NAMESPACE_FLAGS & flag) != 0)
			rc = seccomp_rule_add(ctx, SCMP_ACT_TRACE(FG_RET_DATA_CLONE_NS),
					      SCMP_SYS(clone), 1,
					      SCMP_A0_64(SCMP_CMP_MASKED_EQ, flag, flag));
	}
	return rc;
}

int fg_filter_pid_arg(long nr)
{
	static const struct {
		int nr;
		int pid_arg;
	} calls[] = {
		{ SCMP_SYS(kill), 0 },
		{ SCMP_SYS(tkill), 0 },
		{ SCMP_SYS(tgkill), 0 },
		{ SCMP_SYS(rt_sigqueueinfo), 0 },
		{ SCMP_SYS(rt_tgsigqueueinfo), 0 },
		{ SCMP_SYS(pidfd_open), 0 },
		{ SCMP_SYS(prlimit64), 0 },
		{ SCMP_SYS(sched_setaffinity), 0 },
		{ SCMP_SYS(sched_setscheduler), 0 },
		{ SCMP_SYS(sched_setparam), 0 },
		{ SCMP_SYS(sched_setattr), 0 },
		{ SCMP_SYS(setpriority), 1 },
		{ SCMP_SYS(ioprio_set), 1 },
	};
	for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
		if (calls[i].nr == nr)
			return calls[i].pid_arg;
	}
	return -1;
}

/* fhirguard itself, as the argument of a call that takes a PID. */
bool fg_filter_targets_supervisor(long nr, int64_t pid)
{
	int32_t target = (int32_t)pid; /* pid_t: the kernel reads the low 32 bits */
	if (target == getpid())
		return true;
	/* kill(-1) reaches every process the caller may signal; kill(-PGID)
	 * fhirguard's process group. */
	return nr == SCMP_SYS(kill) && (target == -1 || target == -getpgrp());
}

scmp_filter_ctx fg_filter_build(const struct fg_policy *policy, enum fg_mode mode,
				struct fg_error *err)
{
	uint32_t default_action = kernel_action(&policy->default_rule, mode, FG_RET_DATA_DEFAULT);
	scmp_filter_ctx ctx = seccomp_init(default_action);
	if (ctx == NULL) {
		fg_error_set(err, "cannot build the seccomp filter: libseccomp failed to start");
		return NULL;
	}
	/* Other ABIs are killed by the supervisor, so that the attempt has its
	 * audit line (without a tracer, RET_TRACE fails the call: closed). */
	int rc =
	    seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_TRACE(FG_RET_DATA_BAD_ARCH));
	if (rc == 0)
		rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 1);
	/* A binary tree of syscall numbers: the cost of reaching any syscall
	 * is logarithmic, not linear in the number of rules. */
	if (rc == 0)
		rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
	if (rc < 0) {
		fg_error_set(err, "cannot configure the seccomp filter: %s", strerror(-rc));
		seccomp_release(ctx);
		return NULL;
	}
	for (long nr = 0; nr < FG_SYSCALL_COUNT; nr++) {
		int16_t index = policy->syscall_rule[nr];
		if (index < 0)
			continue;
		uint32_t action = kernel_action(&policy->rules[index], mode, (uint16_t)(index + 1));
		if (nr == SCMP_SYS(memfd_create) && policy->pin_arguments &&
		    action != SCMP_ACT_ALLOW)
			/* Run in the program at each exec to set up the argument
			 * area (lib/inject.h): it must reach the supervisor, even
			 * when the policy refuses it silently. */
			action = SCMP_ACT_TRACE((uint16_t)(index + 1));
		if (fg_filter_guards_exec_mappings(policy, nr))
			rc = add_exec_mapping_rules(ctx, nr);
		else if (nr == SCMP_SYS(clone) && fg_filter_guards_clone_namespaces(policy))
			rc = add_clone_rules(ctx);
		else if (fg_filter_pid_arg(nr) >= 0 &&
			 policy->rules[index].action == FG_ACTION_ALLOW)
			/* Rare calls: the supervisor looks at every PID (libseccomp
			 * cannot test one argument for several values in a rule). */
			rc = seccomp_rule_add(ctx, SCMP_ACT_TRACE(FG_RET_DATA_SUPERVISOR_TARGET),
					      (int)nr, 0);
		else if (action == default_action)
			continue; /* libseccomp refuses rules that repeat the default */
		else
			rc = seccomp_rule_add(ctx, action, (int)nr, 0);
		if (rc < 0) {
			char name[64];
			fg_error_set(err, "cannot add syscall %s to the seccomp filter: %s",
				     fg_syscall_name(nr, name, sizeof(name)), strerror(-rc));
			seccomp_release(ctx);
			return NULL;
		}
	}
	if (policy->pin_arguments && policy->syscall_rule[SCMP_SYS(memfd_create)] < 0 &&
	    default_action != SCMP_ACT_ALLOW &&
	    default_action != SCMP_ACT_TRACE(FG_RET_DATA_DEFAULT)) {
		/* The same for a memfd_create the default rule refuses. */
		rc = seccomp_rule_add(ctx, SCMP_ACT_TRACE(FG_RET_DATA_DEFAULT),
				      SCMP_SYS(memfd_create), 0);
		if (rc < 0) {
			fg_error_set(err, "cannot add memfd_create to the seccomp filter: %s",
				     strerror(-rc));
			seccomp_release(ctx);
			return NULL;
		}
	}
	rc = seccomp_rule_add(ctx, SCMP_ACT_KILL_PROCESS, FG_KILL_SYSCALL_NR, 0);
	if (rc < 0) {
		fg_error_set(err, "cannot add the kill syscall to the seccomp filter: %s",
			     strerror(-rc));
		seccomp_release(ctx);
		return NULL;
	}
	return ctx;
}

int fg_filter_export_text(scmp_filter_ctx ctx, int fd)
{
	return seccomp_export_pfc(ctx, fd);
}
