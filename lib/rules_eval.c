/* rules_eval.c - decisions of the files, exec and network sections.
 *
 * Every check is "first match wins" over rules in policy order, then the
 * section's default; a missing section allows. Nothing here allocates, and
 * every matcher is polynomial in what the traced program controls (paths,
 * arguments, socket names), whatever the policy's patterns.
 */
#include "rules.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "glob.h"
#include "rules_parse.h"

/* --- argument patterns ---------------------------------------------------- */

/* A class starting at p[0] == '['. */
struct arg_class {
	size_t len;    /* bytes from '[' to ']' inclusive; 0: unterminated */
	size_t bad_at; /* index of the first range like z-a, or 0: none */
	bool matched;
};

/* One byte of a class, possibly escaped; advances *j past it. */
static unsigned char class_byte(const char *p, size_t *j)
{
	if (p[*j] == '\\' && p[*j + 1] != '\0')
		(*j)++;
	return (unsigned char)p[(*j)++];
}

/* c is the byte to test, or -1 to only find the end (for validation). */
static void scan_class(const char *p, int c, struct arg_class *ac)
{
	size_t j = 1;
	bool negate = false;
	bool found = false;
	ac->len = 0;
	ac->bad_at = 0;
	ac->matched = false;
	if (p[j] == '!' || p[j] == '^') {
		negate = true;
		j++;
	}
	size_t first = j; /* a ']' here is a member, not the end */
	while (p[j] != '\0') {
		if (p[j] == ']' && j > first) {
			ac->len = j + 1;
			ac->matched = c >= 0 && found != negate;
			return;
		}
		size_t item = j;
		unsigned char lo = class_byte(p, &j);
		unsigned char hi = lo;
		if (p[j] == '-' && p[j + 1] != ']' && p[j + 1] != '\0') {
			j++;
			hi = class_byte(p, &j);
			if (hi < lo && ac->bad_at == 0)
				ac->bad_at = item;
		}
		if (c >= lo && c <= hi)
			found = true;
	}
}

/* Matches the one-byte element at p (not a '*') against c: its length
 * when it matches, 0 when not. Malformed elements are literal bytes. */
static size_t match_one(const char *p, unsigned char c)
{
	switch (p[0]) {
	case '?':
		return 1;
	case '[': {
		struct arg_class ac;
		scan_class(p, c, &ac);
		if (ac.len != 0)
			return ac.matched ? ac.len : 0;
		break;
	}
	case '\\':
		if (p[1] != '\0')
			return (unsigned char)p[1] == c ? 2 : 0;
		break;
	default:
		break;
	}
	return (unsigned char)p[0] == c ? 1 : 0;
}

/* The classic wildcard match that, on a mismatch, backtracks to the most
 * recent star only: exact because every other element takes one byte. */
bool fg_arg_match(const char *pattern, const char *arg)
{
	const char *p = pattern;
	const char *s = arg;
	const char *star_p = NULL; /* pattern just after the last star */
	const char *star_s = NULL; /* where that star's match ends */
	while (*s != '\0') {
		if (*p == '*') {
			while (*p == '*')
				p++;
			if (*p == '\0')
				return true;
			star_p = p;
			star_s = s;
			continue;
		}
		if (*p != '\0') {
			size_t n = match_one(p, (unsigned char)*s);
			if (n != 0) {
				p += n;
				s++;
				continue;
			}
		}
		if (star_p == NULL)
			return false;
		p = star_p;
		s = ++star_s;
	}
	while (*p == '*')
		p++;
	return *p == '\0';
}

/* Shows at most this much of a pattern in messages, as lib/glob.c does. */
enum { SHOWN_MAX = 200 };

static int arg_fail(struct fg_error *err, const char *pattern, size_t at, const char *what)
{
	size_t len = strlen(pattern);
	return fg_error_set(err, "argument pattern \"%.*s%s\": column %zu: %s",
			    (int)(len > SHOWN_MAX ? SHOWN_MAX : len), pattern,
			    len > SHOWN_MAX ? "..." : "", at + 1, what);
}

int fg_arg_pattern_validate(const char *pattern, struct fg_error *err)
{
	size_t i = 0;
	while (pattern[i] != '\0') {
		struct arg_class ac;
		switch (pattern[i]) {
		case '\\':
			if (pattern[i + 1] == '\0')
				return arg_fail(err, pattern, i,
						"a '\\' at the end escapes nothing (write \\\\ for "
						"a literal '\\')");
			i += 2;
			break;
		case '[':
			scan_class(pattern + i, -1, &ac);
			if (ac.len == 0)
				return arg_fail(err, pattern, i,
						"unterminated '[' (write \\[ for a literal '[')");
			if (ac.bad_at != 0)
				return arg_fail(err, pattern, i + ac.bad_at,
						"a range in a character class ends below its "
						"start (write [a-z], not [z-a])");
			i += ac.len;
			break;
		case '*':
			if (pattern[i + 1] == '*')
				return arg_fail(
				    err, pattern, i,
				    "'**' stands alone, as the last pattern, for any "
				    "remaining arguments; within an argument write '*', "
				    "which matches '/' too");
			i++;
			break;
		default:
			i++;
			break;
		}
	}
	return 0;
}

/* --- decisions ------------------------------------------------------------ */

static int severity(enum fg_verdict verdict)
{
	switch (verdict) {
	case FG_VERDICT_ALLOW:
		return 0;
	case FG_VERDICT_DENY:
		return 1;
	case FG_VERDICT_KILL:
		return 2;
	case FG_VERDICT_STOP:
		return 3;
	}
	return 3; /* not a verdict: treat as the worst */
}

static void decide_rule(const struct fg_rule_head *head, struct fg_rule_decision *out)
{
	out->outcome = head->outcome;
	out->rule_id = head->id;
	out->line = head->line;
}

static void decide_default(const struct fg_rule_section *section, struct fg_rule_decision *out)
{
	out->outcome = section->default_outcome;
	out->rule_id = section->default_id;
	out->line = 0;
}

/* What a policy without the section gets: `why` names the absence. */
static void decide_absent(const char *why, struct fg_rule_decision *out)
{
	out->outcome.verdict = FG_VERDICT_ALLOW;
	out->outcome.deny_errno = 0;
	out->rule_id = why;
	out->line = 0;
}

static void check_one_right(const struct fg_rules *rules, const char *path, unsigned right,
			    struct fg_rule_decision *out)
{
	for (size_t i = 0; i < rules->file_count; i++) {
		const struct fg_file_rule *rule = &rules->files[i];
		if ((rule->rights & right) != 0 &&
		    strncmp(path, rule->pattern, rule->literal_len) == 0 &&
		    fg_glob_match(rule->pattern, path)) {
			decide_rule(&rule->head, out);
			return;
		}
	}
	decide_default(&rules->files_section, out);
}

void fg_rules_check_file(const struct fg_rules *rules, const char *path, unsigned rights,
			 struct fg_rule_decision *out)
{
	if (!rules->files_section.present) {
		decide_absent("(no files section)", out);
		return;
	}
	/* No right at all (a caller's bug): the default, never a silent allow. */
	decide_default(&rules->files_section, out);
	bool first = true;
	for (unsigned bit = 0; bit < FG_RIGHT_COUNT; bit++) {
		struct fg_rule_decision one;
		if ((rights & (1u << bit)) == 0)
			continue;
		check_one_right(rules, path, 1u << bit, &one);
		/* Strictly more severe replaces: on a tie the first right names it. */
		if (first || severity(one.outcome.verdict) > severity(out->outcome.verdict))
			*out = one;
		first = false;
	}
}

/* argv[1..] against the rule's argument patterns. */
static bool args_match(const struct fg_exec_rule *rule, char *const argv[])
{
	if (!rule->args_given)
		return true;
	size_t count = 0;
	char *const *args = argv != NULL && argv[0] != NULL ? argv + 1 : NULL;
	while (args != NULL && args[count] != NULL)
		count++;
	size_t fixed = rule->arg_count;
	bool rest = fixed > 0 && strcmp(rule->args[fixed - 1], "**") == 0;
	if (rest)
		fixed--;
	if (rest ? count < fixed : count != fixed)
		return false;
	for (size_t i = 0; i < fixed; i++) {
		if (!fg_arg_match(rule->args[i], args[i]))
			return false;
	}
	return true;
}

void fg_rules_check_exec(const struct fg_rules *rules, const char *path, char *const argv[],
			 struct fg_rule_decision *out)
{
	if (!rules->exec_section.present) {
		decide_absent("(no exec section)", out);
		return;
	}
	for (size_t i = 0; i < rules->exec_count; i++) {
		const struct fg_exec_rule *rule = &rules->execs[i];
		if (fg_glob_match(rule->pattern, path) && args_match(rule, argv)) {
			decide_rule(&rule->head, out);
			return;
		}
	}
	decide_default(&rules->exec_section, out);
}

bool fg_rules_exec_checks_args(const struct fg_rules *rules)
{
	if (!rules->exec_section.present)
		return false;
	for (size_t i = 0; i < rules->exec_count; i++) {
		if (rules->execs[i].args_given)
			return true;
	}
	return false;
}

static bool inet_matches(const struct fg_net_rule *rule, const struct fg_endpoint *ep)
{
	if (ep->family != FG_EP_INET && ep->family != FG_EP_INET6)
		return false;
	if (!fg_port_range_contains(&rule->ports, ep->port))
		return false;
	if (rule->cidr_count == 0)
		return true;
	for (size_t i = 0; i < rule->cidr_count; i++) {
		if (fg_cidr_match(&rule->cidrs[i], ep))
			return true;
	}
	return false;
}

/* "/" + pattern against "/" + name (see rules_parse.c): the extra leading
 * component keeps "@x" from matching "/x" and the reverse. */
static bool abstract_matches(const char *pattern, const struct fg_endpoint *ep)
{
	char name[1 + sizeof(ep->unix_path)];
	char glob[FG_GLOB_MAX_LEN + 2];
	size_t len = strlen(pattern);
	/* A NUL inside the name would cut it short: such names match no pattern. */
	if (ep->unix_path_len >= sizeof(ep->unix_path) ||
	    memchr(ep->unix_path, '\0', ep->unix_path_len) != NULL || len + 2 > sizeof(glob))
		return false;
	name[0] = '/';
	memcpy(name + 1, ep->unix_path, ep->unix_path_len);
	name[1 + ep->unix_path_len] = '\0';
	glob[0] = '/';
	memcpy(glob + 1, pattern, len + 1);
	return fg_glob_match(glob, name);
}

static bool unix_matches(const struct fg_net_rule *rule, const struct fg_endpoint *ep)
{
	if (ep->family != FG_EP_UNIX)
		return false;
	if (rule->unix_pattern == NULL)
		return true;
	if (ep->unix_unnamed || ep->unix_abstract != rule->unix_abstract)
		return false;
	if (ep->unix_abstract)
		return abstract_matches(rule->unix_pattern, ep);
	return fg_glob_match(rule->unix_pattern, ep->unix_path);
}

static bool net_rule_applies(const struct fg_net_rule *rule, unsigned operation, unsigned protocol,
			     const struct fg_endpoint *ep)
{
	if ((rule->operations & operation) == 0 || (rule->protocols & protocol) == 0)
		return false;
	if ((protocol & (FG_PROTO_TCP | FG_PROTO_UDP)) != 0)
		return inet_matches(rule, ep);
	return unix_matches(rule, ep);
}

void fg_rules_check_net(const struct fg_rules *rules, unsigned operation, unsigned protocol,
			const struct fg_endpoint *endpoint, struct fg_rule_decision *out)
{
	if (!rules->network_section.present) {
		decide_absent("(no network section)", out);
		return;
	}
	for (size_t i = 0; i < rules->net_count; i++) {
		const struct fg_net_rule *rule = &rules->nets[i];
		if (net_rule_applies(rule, operation, protocol, endpoint)) {
			decide_rule(&rule->head, out);
			return;
		}
	}
	decide_default(&rules->network_section, out);
}

bool fg_rules_socket_allowed(const struct fg_rules *rules, int domain, int type)
{
	if (!rules->network_section.present)
		return true;
	int kind = type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (domain == AF_UNIX)
		return true;
	if (domain == AF_INET || domain == AF_INET6) {
		if (kind == SOCK_STREAM || kind == SOCK_DGRAM)
			return true;
		/* SCTP's SOCK_SEQPACKET and the rest: no rule could name them. */
		return kind == SOCK_RAW && rules->raw_inet_allowed;
	}
	for (size_t i = 0; i < rules->extra_family_count; i++) {
		if (rules->extra_families[i] == domain)
			return true;
	}
	return false;
}

/* --- freeing and names ---------------------------------------------------- */

static void free_head(struct fg_rule_head *head)
{
	free(head->id);
	free(head->description);
}

void fg_rules_free(struct fg_rules *rules)
{
	for (size_t i = 0; i < rules->file_count; i++) {
		free_head(&rules->files[i].head);
		free(rules->files[i].pattern);
	}
	for (size_t i = 0; i < rules->exec_count; i++) {
		struct fg_exec_rule *rule = &rules->execs[i];
		free_head(&rule->head);
		free(rule->pattern);
		for (size_t j = 0; j < rule->arg_count; j++)
			free(rule->args[j]);
		free(rule->args);
	}
	for (size_t i = 0; i < rules->net_count; i++) {
		free_head(&rules->nets[i].head);
		free(rules->nets[i].cidrs);
		free(rules->nets[i].unix_pattern);
	}
	free(rules->files);
	free(rules->execs);
	free(rules->nets);
	free(rules->extra_families);
	free(rules->files_section.default_id);
	free(rules->exec_section.default_id);
	free(rules->network_section.default_id);
	memset(rules, 0, sizeof(*rules));
}

const char *fg_right_name(enum fg_right right)
{
	switch (right) {
	case FG_RIGHT_READ:
		return "read";
	case FG_RIGHT_WRITE:
		return "write";
	case FG_RIGHT_CREATE:
		return "create";
	case FG_RIGHT_DELETE:
		return "delete";
	case FG_RIGHT_EXEC:
		return "exec";
	case FG_RIGHT_METADATA:
		return "metadata";
	case FG_RIGHT_STAT:
		return "stat";
	}
	return "unknown";
}

const char *fg_verdict_name(enum fg_verdict verdict)
{
	switch (verdict) {
	case FG_VERDICT_ALLOW:
		return "allow";
	case FG_VERDICT_DENY:
		return "deny";
	case FG_VERDICT_KILL:
		return "kill";
	case FG_VERDICT_STOP:
		return "stop";
	}
	return "unknown";
}
