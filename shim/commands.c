#include "commands.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "errno_names.h"
#include "glob.h"
#include "landlock.h"
#include "netaddr.h"
#include "policy.h"
#include "rules.h"
#include "syscall_names.h"

static const char *section_state(const struct fg_rule_section *section)
{
	return section->present ? "present" : "absent (everything allowed)";
}

static void print_outcome(const struct fg_rule_outcome *o)
{
	const char *name = fg_errno_name(o->deny_errno);
	if (o->verdict == FG_VERDICT_DENY)
		printf("deny (%s)", name ? name : "?");
	else
		printf("%s", fg_verdict_name(o->verdict));
}

/* An earlier rule that covers every path of `later` with every right of
 * it: `later` can never decide anything. Detected for the cases people
 * write: the same pattern, or an earlier "DIR/ **" (no space) above the later pattern's
 * literal part. */
static bool pattern_covers(const char *earlier, const char *later)
{
	if (strcmp(earlier, later) == 0)
		return true;
	size_t n = strlen(earlier);
	if (n >= 3 && strcmp(earlier + n - 3, "/**") == 0) {
		size_t prefix = n - 2; /* keep the slash */
		if (strcmp(earlier, "/**") == 0)
			return true;
		if (strncmp(earlier, later, prefix) == 0 && strcspn(later, "*?[\\") >= prefix)
			return true;
		/* A trailing slash-star-star also covers the directory itself. */
		if (strlen(later) == prefix - 1 && strncmp(earlier, later, prefix - 1) == 0)
			return true;
	}
	return false;
}

static int warn_shadowed_files(const struct fg_rules *r)
{
	int warnings = 0;
	for (size_t i = 0; i < r->file_count; i++) {
		for (size_t j = 0; j < i; j++) {
			const struct fg_file_rule *early = &r->files[j], *late = &r->files[i];
			if ((late->rights & ~early->rights) != 0)
				continue;
			if (!pattern_covers(early->pattern, late->pattern))
				continue;
			printf("warning: line %d: files rule %s (\"%s\") is shadowed by %s "
			       "(\"%s\", line %d) and never decides anything\n",
			       late->head.line, late->head.id, late->pattern, early->head.id,
			       early->pattern, early->head.line);
			warnings++;
			break;
		}
	}
	return warnings;
}

enum checked_section { SECTION_FILES, SECTION_EXEC, SECTION_NETWORK };

static bool section_present(const struct fg_policy *p, enum checked_section section)
{
	switch (section) {
	case SECTION_FILES:
		return p->sections.files_section.present;
	case SECTION_EXEC: /* execve needs the exec right of the files section too */
		return p->sections.exec_section.present || p->sections.files_section.present;
	case SECTION_NETWORK:
		return p->sections.network_section.present;
	}
	return false;
}

static int warn_unchecked_calls(const struct fg_policy *p)
{
	static const struct {
		const char *syscall;
		const char *right;
		enum checked_section section;
	} checked[] = {
		{ "openat", "read/write/create", SECTION_FILES },
		{ "execve", "exec", SECTION_EXEC },
		{ "unlink", "delete", SECTION_FILES },
		{ "mkdir", "create", SECTION_FILES },
		{ "rename", "delete/create", SECTION_FILES },
		{ "chmod", "metadata", SECTION_FILES },
		{ "newfstatat", "stat", SECTION_FILES },
		{ "statx", "stat", SECTION_FILES },
		{ "connect", "connect", SECTION_NETWORK },
		{ "bind", "bind", SECTION_NETWORK },
		{ "sendto", "send", SECTION_NETWORK },
		{ "sendmsg", "send", SECTION_NETWORK },
		{ "sendmmsg", "send", SECTION_NETWORK },
	};
	int warnings = 0;
	bool stat_noted = false;
	for (size_t i = 0; i < sizeof(checked) / sizeof(checked[0]); i++) {
		long nr = fg_syscall_from_name(checked[i].syscall);
		if (nr < 0)
			continue;
		const struct fg_syscall_rule *rule = fg_policy_syscall_rule(p, nr);
		if (!section_present(p, checked[i].section) || rule->action != FG_ACTION_ALLOW)
			continue;
		if (strcmp(checked[i].right, "stat") == 0) {
			/* Policies may allow stat broadly for speed: say it, once. */
			if (!stat_noted)
				printf("note: stat calls (%s, ...) run in the kernel by %s: stat "
				       "rights in the files section are not enforced\n",
				       checked[i].syscall, rule->id);
			stat_noted = true;
			continue;
		}
		printf("warning: syscall %s is allowed in the kernel by %s, so its %s rights are "
		       "never checked; make it \"trace\" to enforce them\n",
		       checked[i].syscall, rule->id, checked[i].right);
		warnings++;
	}
	return warnings;
}

static void print_limit(const char *line, void *ctx)
{
	(void)ctx;
	printf("%s\n", line);
}

/* What the in-kernel backstop will enforce on this machine, and what of the
 * policy it cannot express (the supervisor alone enforces that). */
static void print_landlock(const struct fg_policy *p)
{
	struct fg_landlock_plan plan;
	struct fg_error err;
	if (fg_landlock_prepare_policy(p, FG_MODE_ENFORCE, &plan, &err) < 0) {
		printf("  landlock: cannot build the ruleset: %s\n", err.msg);
		return;
	}
	char summary[512];
	fg_landlock_summary(&plan, summary, sizeof(summary));
	printf("  landlock: %s\n", summary);
	fg_landlock_describe_policy_limits(p, plan.abi, print_limit, NULL);
	fg_landlock_release(&plan);
}

int fg_command_check(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: fhirguard check POLICY\n");
		return 1;
	}
	struct fg_policy p;
	struct fg_error err;
	if (fg_policy_load_file(argv[1], &p, &err) < 0) {
		fprintf(stderr, "%s\n", err.msg);
		return 1;
	}
	const struct fg_rules *r = &p.sections;
	size_t allowed = 0, traced = 0, denied = 0, killed = 0;
	for (long nr = 0; nr < FG_SYSCALL_COUNT; nr++) {
		if (p.syscall_rule[nr] < 0)
			continue;
		switch (p.rules[p.syscall_rule[nr]].action) {
		case FG_ACTION_ALLOW:
			allowed++;
			break;
		case FG_ACTION_TRACE:
			traced++;
			break;
		case FG_ACTION_DENY:
			denied++;
			break;
		case FG_ACTION_KILL:
		case FG_ACTION_STOP:
			killed++;
			break;
		}
	}
	printf("%s: valid policy, mode %s\n", argv[1], fg_mode_name(p.mode));
	printf("  syscalls: %zu rules; %zu allowed in the kernel, %zu traced, %zu denied, %zu "
	       "killed; others: %s\n",
	       p.rule_count, allowed, traced, denied, killed,
	       fg_action_name(p.default_rule.action));
	printf("  files:    %s, %zu rules", section_state(&r->files_section), r->file_count);
	if (r->files_section.present) {
		printf(", default ");
		print_outcome(&r->files_section.default_outcome);
	}
	printf("\n  exec:     %s, %zu rules", section_state(&r->exec_section), r->exec_count);
	if (r->exec_section.present) {
		printf(", default ");
		print_outcome(&r->exec_section.default_outcome);
	}
	printf("\n  network:  %s, %zu rules", section_state(&r->network_section), r->net_count);
	if (r->network_section.present) {
		printf(", default ");
		print_outcome(&r->network_section.default_outcome);
	}
	printf("\n");
	print_landlock(&p);
	int warnings = warn_shadowed_files(r) + warn_unchecked_calls(&p);
	printf("%d warning%s\n", warnings, warnings == 1 ? "" : "s");
	fg_policy_free(&p);
	return 0;
}

static unsigned parse_rights(const char *text)
{
	unsigned rights = 0;
	char copy[256];
	snprintf(copy, sizeof(copy), "%s", text);
	for (char *word = strtok(copy, ","); word != NULL; word = strtok(NULL, ",")) {
		bool known = false;
		for (int i = 0; i < FG_RIGHT_COUNT; i++) {
			if (strcmp(word, fg_right_name((enum fg_right)(1u << i))) == 0) {
				rights |= 1u << i;
				known = true;
			}
		}
		if (!known)
			return 0;
	}
	return rights;
}

/* "1.2.3.4:80", "[::1]:443", "unix:/path", "unix:@name" -> sockaddr bytes. */
static int parse_address(const char *text, unsigned char *raw, size_t *len)
{
	memset(raw, 0, sizeof(struct sockaddr_storage));
	if (strncmp(text, "unix:", 5) == 0) {
		struct sockaddr_un *un = (struct sockaddr_un *)raw;
		const char *name = text + 5;
		un->sun_family = AF_UNIX;
		size_t n = strlen(name);
		if (n >= sizeof(un->sun_path))
			return -1;
		if (name[0] == '@') {
			memcpy(un->sun_path + 1, name + 1, n - 1);
			*len = offsetof(struct sockaddr_un, sun_path) + n;
		} else {
			memcpy(un->sun_path, name, n);
			*len = offsetof(struct sockaddr_un, sun_path) + n + 1;
		}
		return 0;
	}
	char host[128];
	const char *colon = strrchr(text, ':');
	if (colon == NULL || (size_t)(colon - text) >= sizeof(host))
		return -1;
	snprintf(host, sizeof(host), "%.*s", (int)(colon - text), text);
	char *end;
	long port = strtol(colon + 1, &end, 10);
	if (*end != '\0' || port < 0 || port > 65535)
		return -1;
	if (host[0] == '[' && host[strlen(host) - 1] == ']') {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)raw;
		host[strlen(host) - 1] = '\0';
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)port);
		if (inet_pton(AF_INET6, host + 1, &in6->sin6_addr) != 1)
			return -1;
		*len = sizeof(*in6);
		return 0;
	}
	struct sockaddr_in *in = (struct sockaddr_in *)raw;
	in->sin_family = AF_INET;
	in->sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, host, &in->sin_addr) != 1)
		return -1;
	*len = sizeof(*in);
	return 0;
}

static unsigned parse_protocol(const char *text)
{
	if (strcmp(text, "tcp") == 0)
		return FG_PROTO_TCP;
	if (strcmp(text, "udp") == 0)
		return FG_PROTO_UDP;
	if (strcmp(text, "unix-stream") == 0)
		return FG_PROTO_UNIX_STREAM;
	if (strcmp(text, "unix-dgram") == 0)
		return FG_PROTO_UNIX_DGRAM;
	return 0;
}

static int explain_usage(void)
{
	fprintf(stderr,
		"usage: fhirguard explain POLICY --path PATH --access RIGHT[,RIGHT...]\n"
		"       fhirguard explain POLICY (--connect | --bind | --send) "
		"ADDR:PORT|unix:PATH|unix:@NAME [--protocol tcp|udp|unix-stream|unix-dgram]\n"
		"       fhirguard explain POLICY --exec PATH [ARG...]\n"
		"rights: read, write, create, delete, exec, metadata, stat\n");
	return 2;
}

static int report(const struct fg_rule_decision *d)
{
	print_outcome(&d->outcome);
	if (d->line > 0)
		printf(" by %s (line %d)\n", d->rule_id, d->line);
	else
		printf(" by %s\n", d->rule_id);
	return d->outcome.verdict == FG_VERDICT_ALLOW ? 0 : 1;
}

int fg_command_explain(int argc, char **argv)
{
	if (argc < 4)
		return explain_usage();
	struct fg_policy p;
	struct fg_error err;
	if (fg_policy_load_file(argv[1], &p, &err) < 0) {
		fprintf(stderr, "%s\n", err.msg);
		return 2;
	}
	int rc = 2;
	struct fg_rule_decision d;
	const char *what = argv[2];
	if (strcmp(what, "--path") == 0 && argc == 6 && strcmp(argv[4], "--access") == 0) {
		unsigned rights = parse_rights(argv[5]);
		if (rights == 0 || argv[3][0] != '/') {
			rc = explain_usage();
		} else {
			fg_rules_check_file(&p.sections, argv[3], rights, &d);
			printf("%s %s: ", argv[5], argv[3]);
			rc = report(&d);
		}
	} else if (strcmp(what, "--exec") == 0) {
		fg_rules_check_exec(&p.sections, argv[3], argv + 3, &d);
		struct fg_rule_decision file;
		fg_rules_check_file(&p.sections, argv[3], FG_RIGHT_EXEC, &file);
		printf("exec %s: ", argv[3]);
		rc = report(&d);
		printf("exec right on the file: ");
		rc |= report(&file);
	} else if (strcmp(what, "--connect") == 0 || strcmp(what, "--bind") == 0 ||
		   strcmp(what, "--send") == 0) {
		unsigned char raw[sizeof(struct sockaddr_storage)];
		size_t len;
		unsigned operation = what[2] == 'c'   ? FG_NET_CONNECT
				     : what[2] == 'b' ? FG_NET_BIND
						      : FG_NET_SEND;
		bool is_unix = strncmp(argv[3], "unix:", 5) == 0;
		unsigned protocol = is_unix ? FG_PROTO_UNIX_STREAM : FG_PROTO_TCP;
		if (argc == 6 && strcmp(argv[4], "--protocol") == 0)
			protocol = parse_protocol(argv[5]);
		struct fg_endpoint ep;
		if (protocol == 0 || (argc != 4 && argc != 6) ||
		    parse_address(argv[3], raw, &len) < 0 ||
		    fg_endpoint_decode(raw, len, &ep, &err) < 0) {
			rc = explain_usage();
		} else {
			fg_rules_check_net(&p.sections, operation, protocol, &ep, &d);
			printf("%s %s: ", what + 2, argv[3]);
			rc = report(&d);
		}
	} else {
		rc = explain_usage();
	}
	fg_policy_free(&p);
	return rc;
}
