/* inspect_cost POLICY MODE ITERATIONS PATH - the supervisor's own work for
 * one traced openat, without ptrace, for callgrind and perf:
 *
 *   rules    fg_rules_check_file(PATH, read): the files rules only
 *   inspect  fg_inspect() of an openat(AT_FDCWD, PATH, O_RDONLY) made by
 *            this very process: reading the path from memory
 *            (process_vm_readv), resolving it (lib/pathres.c) and the rules
 *   decide   fg_decide(): the syscall layer's verdict
 *
 * Prints the verdict and rule once, then the time per call. Links the
 * library of the build given to the compiler (bench/profile builds it). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <linux/audit.h>

#include "decide.h"
#include "inspect.h"
#include "policy.h"

static long long now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static struct fg_inspection insp;

int main(int argc, char **argv)
{
	if (argc != 5) {
		fprintf(stderr,
			"usage: inspect_cost POLICY rules|inspect|decide ITERATIONS PATH\n");
		return 2;
	}
	struct fg_policy policy;
	struct fg_error err;
	if (fg_policy_load_file(argv[1], &policy, &err) != 0) {
		fprintf(stderr, "inspect_cost: %s\n", err.msg);
		return 1;
	}
	const char *mode = argv[2];
	long n = atol(argv[3]);
	const char *path = argv[4];
	struct fg_syscall_event ev = {
		.tid = getpid(),
		.pid = getpid(),
		.arch = AUDIT_ARCH_X86_64,
		.nr = SYS_openat,
		.args = { (uint64_t)AT_FDCWD, (uint64_t)(uintptr_t)path, O_RDONLY },
	};
	const struct fg_syscall_rule *rule = fg_policy_syscall_rule(&policy, SYS_openat);
	for (size_t i = 0; rule != NULL && i < policy.rule_count; i++) {
		if (&policy.rules[i] == rule)
			ev.ret_data = (uint32_t)(i + 1);
	}
	const char *verdict = "?", *rule_id = "?";
	long long start = now_ns();
	for (long i = 0; i < n; i++) {
		if (strcmp(mode, "rules") == 0) {
			fg_rules_check_file(&policy.sections, path, FG_RIGHT_READ, &insp.decision);
			verdict = fg_verdict_name(insp.decision.outcome.verdict);
			rule_id = insp.decision.rule_id;
		} else if (strcmp(mode, "inspect") == 0) {
			fg_inspect(&policy, &ev, &insp);
			verdict = fg_verdict_name(insp.decision.outcome.verdict);
			rule_id = insp.decision.rule_id;
		} else if (strcmp(mode, "decide") == 0) {
			struct fg_decision d;
			fg_decide(&policy, FG_MODE_ENFORCE, false, &ev, &d);
			verdict = fg_action_name(d.action);
			rule_id = d.rule;
		} else {
			fprintf(stderr, "inspect_cost: unknown mode %s\n", mode);
			return 2;
		}
	}
	long long elapsed = now_ns() - start;
	printf("mode=%s verdict=%s rule=%s object=%s ns_per_op=%.1f\n", mode, verdict,
	       rule_id ? rule_id : "(none)", strcmp(mode, "inspect") == 0 ? insp.object : path,
	       (double)elapsed / (double)n);
	fg_policy_free(&policy);
	return 0;
}
