/* fuzz_policy.c - the policy parser (lib/policy_load.c, lib/json_scan.c,
 * lib/rules_parse.c) and what consumes a loaded policy: the syscall table,
 * the files/exec/network decisions (lib/rules_eval.c), the seccomp filter
 * (lib/filter.c) and the Landlock plan (lib/landlock.c).
 *
 * Input: the policy text, not NUL-terminated. Properties:
 *  - an error names "fuzz.json:" and leaves the policy empty;
 *  - a loaded policy has a rule (with an id and a valid action) for every
 *    syscall number, and its files decisions agree with a reference reading
 *    of policy/README.md (first match per right, the most severe right wins,
 *    the first right on a tie);
 *  - building the filter and the Landlock plan (never applied) neither
 *    crashes nor leaks; Landlock's limit lines start with "landlock: ".
 *
 * The Landlock planner opens the programs that exec rules name to read
 * their ELF header. So that a fuzzed path never opens a real device, this
 * process gets a mount namespace of its own with an empty /dev (only null,
 * zero, random and urandom), when it can (root); otherwise the Landlock part
 * is skipped.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdbool.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "filter.h"
#include "fuzz_util.h"
#include "glob.h"
#include "landlock.h"
#include "policy.h"
#include "rules.h"

static const char source[] = "fuzz.json";
static bool landlock_safe;

/* A private mount namespace whose /dev holds four harmless devices. */
static bool hide_devices(void)
{
	static const struct {
		const char *path;
		unsigned minor;
	} keep[] = {
		{ "/dev/null", 3 }, { "/dev/zero", 5 }, { "/dev/random", 8 }, { "/dev/urandom", 9 }
	};
	if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
	    mount("tmpfs", "/dev", "tmpfs", MS_NOSUID | MS_NOEXEC, "size=64k,mode=755") < 0)
		return false;
	for (size_t i = 0; i < sizeof(keep) / sizeof(keep[0]); i++) {
		if (mknod(keep[i].path, S_IFCHR | 0666, makedev(1, keep[i].minor)) < 0)
			fprintf(stderr, "fuzz_policy: mknod %s: %s\n", keep[i].path,
				strerror(errno));
	}
	return true;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	landlock_safe = hide_devices();
	if (!landlock_safe)
		fprintf(stderr,
			"fuzz_policy: no private /dev (not root?): Landlock plans skipped\n");
	return 0;
}

static void check_empty(const struct fg_policy *p)
{
	const struct fg_rules *r = &p->sections;
	if (p->source != NULL || p->description != NULL || p->rules != NULL || p->rule_count != 0 ||
	    r->files != NULL || r->file_count != 0 || r->execs != NULL || r->exec_count != 0 ||
	    r->nets != NULL || r->net_count != 0 || r->extra_families != NULL ||
	    r->files_section.default_id != NULL || r->exec_section.default_id != NULL ||
	    r->network_section.default_id != NULL)
		fuzz_fail("a policy that failed to load is not empty");
}

static void check_error(const struct fg_error *err)
{
	if (memchr(err->msg, '\0', sizeof(err->msg)) == NULL)
		fuzz_fail("the error message is not terminated");
	if (strncmp(err->msg, source, strlen(source)) != 0 || err->msg[strlen(source)] != ':')
		fuzz_fail("the error message does not start with \"%s:\": %s", source, err->msg);
}

static bool valid_action(enum fg_action a)
{
	return a == FG_ACTION_ALLOW || a == FG_ACTION_TRACE || a == FG_ACTION_DENY ||
	       a == FG_ACTION_KILL;
}

static void check_syscalls(const struct fg_policy *p)
{
	if (p->source == NULL || strcmp(p->source, source) != 0)
		fuzz_fail("the loaded policy's source is not \"%s\"", source);
	for (long nr = -2; nr < FG_SYSCALL_COUNT + 2; nr++) {
		const struct fg_syscall_rule *r = fg_policy_syscall_rule(p, nr);
		if (r == NULL || r->id == NULL || !valid_action(r->action) ||
		    fg_action_name(r->action) == NULL)
			fuzz_fail("syscall %ld has no valid rule", nr);
	}
	for (size_t i = 0; i < FG_SYSCALL_COUNT; i++) {
		if (p->syscall_rule[i] < -1 || p->syscall_rule[i] >= (long)p->rule_count)
			fuzz_fail("syscall %zu points at rule %d of %zu", i, p->syscall_rule[i],
				  p->rule_count);
	}
	if (p->default_rule.action == FG_ACTION_TRACE)
		fuzz_fail("the default syscall rule is trace, which policy/README.md forbids");
}

static int severity(enum fg_verdict v)
{
	return v == FG_VERDICT_ALLOW ? 0 : v == FG_VERDICT_DENY ? 1 : v == FG_VERDICT_KILL ? 2 : 3;
}

/* policy/README.md, "The files section", read literally. */
static const char *ref_file_rule(const struct fg_rules *r, const char *path, unsigned rights)
{
	if (!r->files_section.present)
		return "(no files section)";
	const char *best = r->files_section.default_id;
	int best_severity = -1;
	for (unsigned bit = 0; bit < FG_RIGHT_COUNT; bit++) {
		if (!(rights & (1u << bit)))
			continue;
		const char *id = r->files_section.default_id;
		enum fg_verdict v = r->files_section.default_outcome.verdict;
		for (size_t i = 0; i < r->file_count; i++) {
			if ((r->files[i].rights & (1u << bit)) &&
			    fg_glob_match(r->files[i].pattern, path)) {
				id = r->files[i].head.id;
				v = r->files[i].head.outcome.verdict;
				break;
			}
		}
		if (severity(v) > best_severity) {
			best = id;
			best_severity = severity(v);
		}
	}
	return best;
}

static void check_files(const struct fg_policy *p)
{
	static const char *const paths[] = { "/",
					     "/etc/shadow",
					     "/etc/passwd",
					     "/proc/1/mem",
					     "/tmp/x",
					     "/data/a/b",
					     "/usr/lib/jvm/java/bin/java" };
	const struct fg_rules *r = &p->sections;
	size_t extra = r->file_count < 16 ? r->file_count : 16;
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]) + extra; i++) {
		/* The rules' own patterns, read as paths, hit the literal ones. */
		const char *path = i < sizeof(paths) / sizeof(paths[0])
				       ? paths[i]
				       : r->files[i - sizeof(paths) / sizeof(paths[0])].pattern;
		for (unsigned rights = 0; rights < (1u << FG_RIGHT_COUNT); rights += 9) {
			struct fg_rule_decision d;
			fg_rules_check_file(r, path, rights, &d);
			const char *want = ref_file_rule(r, path, rights);
			if (d.rule_id == NULL || (rights != 0 && strcmp(d.rule_id, want) != 0))
				fuzz_fail("files: %s with rights 0x%x: rule %s, reference %s", path,
					  rights, d.rule_id ? d.rule_id : "(null)", want);
		}
	}
}

static void check_exec_net(const struct fg_policy *p)
{
	const struct fg_rules *r = &p->sections;
	char *argv_java[] = { "java", "-jar", "/app/fhir-server.jar", NULL };
	char *argv_sh[] = { "sh", "-c", "echo hi", NULL };
	char *argv_none[] = { NULL };
	char *const *argvs[] = { argv_java, argv_sh, argv_none };
	const char *programs[] = { "/usr/bin/java", "/bin/sh", "/usr/lib/jvm/x/bin/java" };
	for (size_t i = 0; i < 3; i++) {
		for (size_t j = 0; j < 3; j++) {
			struct fg_rule_decision d;
			fg_rules_check_exec(r, programs[i], argvs[j], &d);
			if (d.rule_id == NULL)
				fuzz_fail("exec: no rule named");
		}
	}
	static const uint8_t v4[] = { 2, 0, 0x1f, 0x90, 127, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0 };
	static const uint8_t un[] = { 1, 0, '/', 'r', 'u', 'n', '/', 'x', 0 };
	struct fg_endpoint eps[2];
	struct fg_error err;
	if (fg_endpoint_decode(v4, sizeof(v4), &eps[0], &err) < 0 ||
	    fg_endpoint_decode(un, sizeof(un), &eps[1], &err) < 0)
		fuzz_fail("fg_endpoint_decode: %s", err.msg);
	for (unsigned op = FG_NET_CONNECT; op <= FG_NET_SEND; op <<= 1) {
		for (unsigned proto = FG_PROTO_TCP; proto <= FG_PROTO_UNIX_DGRAM; proto <<= 1) {
			for (size_t e = 0; e < 2; e++) {
				struct fg_rule_decision d;
				fg_rules_check_net(r, op, proto, &eps[e], &d);
				if (d.rule_id == NULL)
					fuzz_fail("network: no rule named");
			}
		}
	}
	static const int domains[] = { AF_UNIX, AF_INET, AF_INET6, AF_NETLINK, AF_PACKET, 12345 };
	static const int types[] = { SOCK_STREAM, SOCK_DGRAM, SOCK_RAW, SOCK_SEQPACKET };
	for (size_t i = 0; i < 6; i++)
		for (size_t j = 0; j < 4; j++)
			(void)fg_rules_socket_allowed(r, domains[i], types[j] | SOCK_CLOEXEC);
}

static void check_limit_line(const char *line, void *ctx)
{
	(void)ctx;
	if (strncmp(line, "landlock: ", 10) != 0 || strchr(line, '\n') != NULL)
		fuzz_fail("a Landlock limit line is malformed: %s", line);
}

static void check_consumers(const struct fg_policy *p)
{
	struct fg_error err = { { 0 } };
	scmp_filter_ctx ctx = fg_filter_build(p, p->mode, &err);
	if (ctx != NULL)
		seccomp_release(ctx);
	else if (err.msg[0] == '\0')
		fuzz_fail("fg_filter_build failed without a message");
	if (!landlock_safe)
		return;
	struct fg_landlock_plan plan;
	if (fg_landlock_prepare_policy(p, FG_MODE_ENFORCE, &plan, &err) == 0) {
		char summary[512];
		fg_landlock_summary(&plan, summary, sizeof(summary));
		fg_landlock_describe_policy_limits(p, plan.abi, check_limit_line, NULL);
		fg_landlock_release(&plan);
		fg_landlock_release(&plan); /* documented as safe */
	} else if (err.msg[0] == '\0') {
		fuzz_fail("fg_landlock_prepare_policy failed without a message");
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fg_policy p;
	struct fg_error err = { { 0 } };
	if (fg_policy_load_text((const char *)data, size, source, &p, &err) < 0) {
		check_error(&err);
		check_empty(&p);
		return 0;
	}
	check_syscalls(&p);
	check_files(&p);
	check_exec_net(&p);
	check_consumers(&p);
	fg_policy_free(&p);
	return 0;
}
