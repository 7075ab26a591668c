/* rules.h - the argument-level sections of a policy: files, exec, network.
 *
 * Each section is an ordered list of rules and a default. Evaluation is
 * "first match wins": the first rule (in file order) that applies to the
 * request decides; when none applies, the section's default decides.
 * A missing section allows everything of its kind (as policies that only
 * have a syscall layer expect).
 */
#ifndef FG_RULES_H
#define FG_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "netaddr.h"

/* File access rights. One syscall may need several (O_RDWR|O_CREAT needs
 * read, write and create); each is checked on its own. */
enum fg_right {
	FG_RIGHT_READ = 1 << 0,	    /* open for reading, list a directory */
	FG_RIGHT_WRITE = 1 << 1,    /* open for writing, truncate */
	FG_RIGHT_CREATE = 1 << 2,   /* create a file, directory, node, link or symlink; rename to */
	FG_RIGHT_DELETE = 1 << 3,   /* unlink, rmdir, rename away */
	FG_RIGHT_EXEC = 1 << 4,	    /* execute (the program and a #! interpreter) */
	FG_RIGHT_METADATA = 1 << 5, /* chmod, chown, utimes, set/remove xattrs */
	FG_RIGHT_STAT = 1 << 6,	    /* stat, access, readlink, chdir, open with O_PATH */
};
enum { FG_RIGHT_COUNT = 7 };

/* What a rule or a default does. */
enum fg_verdict {
	FG_VERDICT_ALLOW,
	FG_VERDICT_DENY, /* the call fails with deny_errno */
	FG_VERDICT_KILL, /* the process dies of SIGSYS */
	FG_VERDICT_STOP, /* fhirguard logs, stops the whole container and exits FG_EXIT_POLICY_STOP
			  */
};

struct fg_rule_outcome {
	enum fg_verdict verdict;
	int deny_errno; /* FG_VERDICT_DENY */
};

/* Common to every rule: where it comes from and what it does. */
struct fg_rule_head {
	char *id;	   /* "files.rules[3]" unless the policy names it */
	char *description; /* may be NULL */
	int line;
	struct fg_rule_outcome outcome;
};

struct fg_file_rule {
	struct fg_rule_head head;
	char *pattern;	 /* lib/glob.c pattern, validated */
	unsigned rights; /* FG_RIGHT_* the rule applies to */
	/* Every path the pattern matches starts with its first literal_len
	 * bytes (fg_glob_literal_prefix): a quick test before the match. */
	size_t literal_len;
};

struct fg_exec_rule {
	struct fg_rule_head head;
	char *pattern; /* the resolved executable */
	/* When args_given: argv[1..] must match these patterns one to one
	 * (lib/glob.c syntax without the absolute-path rule: "*" matches any
	 * one argument... see policy/README.md); a final "**" matches any rest. */
	bool args_given;
	char **args;
	size_t arg_count;
};

enum fg_net_operation {
	FG_NET_CONNECT = 1 << 0,
	FG_NET_BIND = 1 << 1, /* bind and listen */
	FG_NET_SEND = 1 << 2, /* sendto/sendmsg with an address */
};

enum fg_net_protocol {
	FG_PROTO_TCP = 1 << 0,
	FG_PROTO_UDP = 1 << 1,
	FG_PROTO_UNIX_STREAM = 1 << 2,
	FG_PROTO_UNIX_DGRAM = 1 << 3, /* also SOCK_SEQPACKET */
};

struct fg_net_rule {
	struct fg_rule_head head;
	unsigned operations; /* FG_NET_* */
	unsigned protocols;  /* FG_PROTO_* */
	/* inet rules: the address must match one CIDR (none given: any) and
	 * the port the range (default 0-65535). */
	struct fg_cidr *cidrs;
	size_t cidr_count;
	struct fg_port_range ports;
	/* unix rules: a path pattern (lib/glob.c) or an abstract name pattern
	 * ("@name" in the policy; stored without the "@", matched with the
	 * same syntax applied to "/" + name); NULL: any. */
	char *unix_pattern;
	bool unix_abstract;
};

struct fg_rule_section {
	bool present;
	struct fg_rule_outcome default_outcome;
	char *default_id; /* "files.default" */
};

struct fg_rules {
	struct fg_rule_section files_section;
	struct fg_file_rule *files;
	size_t file_count;

	struct fg_rule_section exec_section;
	struct fg_exec_rule *execs;
	size_t exec_count;

	struct fg_rule_section network_section;
	struct fg_net_rule *nets;
	size_t net_count;
	/* Socket families other than inet, inet6 and unix that socket() may
	 * create (AF_* numbers), and whether raw inet sockets may be made. */
	int *extra_families;
	size_t extra_family_count;
	bool raw_inet_allowed;
};

/* A decision and the rule that made it (id of a rule or of a default). */
struct fg_rule_decision {
	struct fg_rule_outcome outcome;
	const char *rule_id;
	int line; /* 0 for defaults */
};

/* Files: checks every right in `rights` on `path` (absolute, resolved).
 * The most severe outcome wins (stop > kill > deny > allow); on a tie the
 * first right checked names the rule. */
void fg_rules_check_file(const struct fg_rules *rules, const char *path, unsigned rights,
			 struct fg_rule_decision *out);

/* Exec: the resolved executable and its argv (argv[0] included). */
void fg_rules_check_exec(const struct fg_rules *rules, const char *path, char *const argv[],
			 struct fg_rule_decision *out);

/* Whether some exec rule has argument patterns (then argv matters to the
 * decision: lib/execargs.h). */
bool fg_rules_exec_checks_args(const struct fg_rules *rules);

/* Network: one operation on a decoded endpoint over a protocol. */
void fg_rules_check_net(const struct fg_rules *rules, unsigned operation, unsigned protocol,
			const struct fg_endpoint *endpoint, struct fg_rule_decision *out);

/* socket(domain, type, ...): stream and datagram sockets of inet, inet6
 * and unix are allowed here (their operations are checked later); other
 * families, and raw inet sockets ("raw"), only when the network section
 * lists them in "families". Without a network section: all allowed. */
bool fg_rules_socket_allowed(const struct fg_rules *rules, int domain, int type);

void fg_rules_free(struct fg_rules *rules);

const char *fg_right_name(enum fg_right right);
const char *fg_verdict_name(enum fg_verdict verdict);

#endif
