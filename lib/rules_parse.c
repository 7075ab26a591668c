/* rules_parse.c - the "files", "exec" and "network" sections -> struct fg_rules.
 *
 * As strict as the syscall section (policy_load.c): unknown or repeated keys,
 * wrong types, unknown words, and malformed patterns, addresses or ports are
 * errors at FILE:LINE:COLUMN. A files or exec rule naming several paths
 * becomes one entry per path, in order, each with its own copies of the
 * strings, so that fg_rules_free frees every entry alike.
 */
#include "rules_parse.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "errno_names.h"
#include "glob.h"
#include "netaddr.h"

/* A word of a policy list and what it stands for: a bit, or an AF_* number. */
struct word {
	const char *name;
	unsigned value;
};

/* A list of words as messages describe it. */
struct word_list {
	const char *key;      /* "access" */
	const char *a_noun;   /* "an access right", for type errors */
	const char *noun;     /* "access right", for unknown words */
	const char *plural;   /* "access rights" */
	const char *expected; /* "read, write, ... or all" */
	const struct word *words;
};

static const struct word verdict_words[] = {
	{ "allow", FG_VERDICT_ALLOW },
	{ "deny", FG_VERDICT_DENY },
	{ "kill", FG_VERDICT_KILL },
	{ "stop", FG_VERDICT_STOP },
	{ NULL, 0 },
};

static const struct word right_words[] = {
	{ "read", FG_RIGHT_READ },
	{ "write", FG_RIGHT_WRITE },
	{ "create", FG_RIGHT_CREATE },
	{ "delete", FG_RIGHT_DELETE },
	{ "exec", FG_RIGHT_EXEC },
	{ "metadata", FG_RIGHT_METADATA },
	{ "stat", FG_RIGHT_STAT },
	{ "all", (1u << FG_RIGHT_COUNT) - 1 },
	{ NULL, 0 },
};

static const struct word operation_words[] = {
	{ "connect", FG_NET_CONNECT },
	{ "bind", FG_NET_BIND },
	{ "send", FG_NET_SEND },
	{ NULL, 0 },
};

static const struct word protocol_words[] = {
	{ "tcp", FG_PROTO_TCP },
	{ "udp", FG_PROTO_UDP },
	{ "unix-stream", FG_PROTO_UNIX_STREAM },
	{ "unix-dgram", FG_PROTO_UNIX_DGRAM },
	{ NULL, 0 },
};

/* "raw" is no family of its own but allows SOCK_RAW on inet and inet6: a
 * value above every AF_* number (AF_MAX is below 64) stands for it. */
enum { FAMILY_RAW = 1 << 16 };

static const struct word family_words[] = {
	{ "netlink", AF_NETLINK },
	{ "packet", AF_PACKET },
	{ "raw", FAMILY_RAW },
	{ "alg", AF_ALG },
	{ "vsock", AF_VSOCK },
	{ "can", AF_CAN },
	{ "bluetooth", AF_BLUETOOTH },
	{ "key", AF_KEY },
	{ "xdp", AF_XDP },
	{ "tipc", AF_TIPC },
	{ "rds", AF_RDS },
	{ "nfc", AF_NFC },
	{ "qipcrtr", AF_QIPCRTR },
	{ "mctp", AF_MCTP },
	{ NULL, 0 },
};

static const struct word_list verdict_list = {
	.key = "action",
	.a_noun = "an action",
	.noun = "action",
	.plural = "actions",
	.expected = "allow, deny, kill or stop",
	.words = verdict_words,
};

static const struct word_list right_list = {
	.key = "access",
	.a_noun = "an access right",
	.noun = "access right",
	.plural = "access rights",
	.expected = "read, write, create, delete, exec, metadata, stat or all",
	.words = right_words,
};

static const struct word_list operation_list = {
	.key = "operations",
	.a_noun = "an operation",
	.noun = "operation",
	.plural = "operations",
	.expected = "connect, bind or send",
	.words = operation_words,
};

static const struct word_list protocol_list = {
	.key = "protocols",
	.a_noun = "a protocol",
	.noun = "protocol",
	.plural = "protocols",
	.expected = "tcp, udp, unix-stream or unix-dgram",
	.words = protocol_words,
};

static const struct word_list family_list = {
	.key = "families",
	.a_noun = "a socket family",
	.noun = "socket family",
	.plural = "socket families",
	.expected = "netlink, packet, raw, alg, vsock, can, bluetooth, key, xdp, tipc, rds, nfc, "
		    "qipcrtr or mctp",
	.words = family_words,
};

enum {
	INET_PROTOCOLS = FG_PROTO_TCP | FG_PROTO_UDP,
	UNIX_PROTOCOLS = FG_PROTO_UNIX_STREAM | FG_PROTO_UNIX_DGRAM,
};

static int out_of_memory(struct fg_loader *ld)
{
	return fg_error_set(ld->err, "%s: out of memory", ld->source);
}

static int copy_string(struct fg_loader *ld, const char *s, char **out)
{
	*out = NULL;
	if (s == NULL)
		return 0;
	*out = strdup(s);
	return *out != NULL ? 0 : out_of_memory(ld);
}

/* Makes room for `need` elements of `size` bytes; NULL (array untouched)
 * when memory or size_t runs out. */
static void *grow(void *array, size_t *capacity, size_t need, size_t size)
{
	if (need <= *capacity)
		return array;
	size_t wanted = *capacity ? *capacity : 8;
	while (wanted < need) {
		if (wanted > SIZE_MAX / 2)
			return NULL;
		wanted *= 2;
	}
	if (wanted > SIZE_MAX / size)
		return NULL;
	void *bigger = realloc(array, wanted * size);
	if (bigger != NULL)
		*capacity = wanted;
	return bigger;
}

/* --- words and lists ------------------------------------------------------ */

static int parse_word(struct fg_loader *ld, const cJSON *item, const struct word_list *list,
		      unsigned *value)
{
	if (!cJSON_IsString(item))
		return fg_loader_error_at(ld, item, 0, "%s must be a string, not %s", list->a_noun,
					  fg_json_type_name(item));
	for (const struct word *w = list->words; w->name != NULL; w++) {
		if (strcmp(w->name, item->valuestring) == 0) {
			*value = w->value;
			return 0;
		}
	}
	return fg_loader_error_at(ld, item, 0, "unknown %s \"%s\" (expected %s)", list->noun,
				  item->valuestring, list->expected);
}

/* A required, non-empty array of words whose values are or-ed into *bits. */
static int parse_bits(struct fg_loader *ld, const cJSON *rule, const char *where,
		      const struct word_list *list, unsigned *bits)
{
	const cJSON *node = cJSON_GetObjectItemCaseSensitive(rule, list->key);
	*bits = 0;
	if (node == NULL)
		return fg_loader_error_at(ld, rule, 0, "%s has no \"%s\" list (expected %s)", where,
					  list->key, list->expected);
	if (!cJSON_IsArray(node) || cJSON_GetArraySize(node) == 0)
		return fg_loader_error_at(ld, node, 0,
					  "\"%s\" must be a non-empty array of %s (%s)", list->key,
					  list->plural, list->expected);
	for (const cJSON *item = node->child; item != NULL; item = item->next) {
		unsigned value;
		if (parse_word(ld, item, list, &value) < 0)
			return -1;
		*bits |= value;
	}
	return 0;
}

/* --- actions, defaults and what every rule has ---------------------------- */

static int parse_errno(struct fg_loader *ld, const cJSON *obj, struct fg_rule_outcome *out)
{
	const cJSON *node = cJSON_GetObjectItemCaseSensitive(obj, "errno");
	out->deny_errno = EACCES;
	if (node == NULL)
		return 0;
	if (out->verdict != FG_VERDICT_DENY)
		return fg_loader_error_at(ld, node, 1,
					  "\"errno\" only goes with \"action\": \"deny\"");
	if (!cJSON_IsString(node))
		return fg_loader_error_at(ld, node, 0,
					  "\"errno\" must be a name such as \"EACCES\", not %s",
					  fg_json_type_name(node));
	out->deny_errno = fg_errno_from_name(node->valuestring);
	if (out->deny_errno < 0)
		return fg_loader_error_at(ld, node, 0,
					  "unknown errno \"%s\" (expected a name such as EACCES, "
					  "EPERM or EROFS)",
					  node->valuestring);
	return 0;
}

static int parse_outcome(struct fg_loader *ld, const cJSON *obj, const char *where,
			 struct fg_rule_outcome *out)
{
	const cJSON *action = cJSON_GetObjectItemCaseSensitive(obj, "action");
	if (action == NULL)
		return fg_loader_error_at(ld, obj, 0, "%s has no \"action\" (expected %s)", where,
					  verdict_list.expected);
	if (!cJSON_IsString(action))
		return fg_loader_error_at(ld, action, 0, "\"action\" must be a string, not %s",
					  fg_json_type_name(action));
	unsigned verdict;
	if (parse_word(ld, action, &verdict_list, &verdict) < 0)
		return -1;
	out->verdict = (enum fg_verdict)verdict;
	return parse_errno(ld, obj, out);
}

/* The action, id, description and line of a rule or default; `default_id`
 * names it when the policy does not. */
static int parse_head(struct fg_loader *ld, const cJSON *obj, const char *where,
		      const char *default_id, struct fg_rule_head *head)
{
	if (parse_outcome(ld, obj, where, &head->outcome) < 0)
		return -1;
	if (fg_loader_optional_string(ld, obj, "description", where, &head->description) < 0)
		return -1;
	if (fg_loader_optional_string(ld, obj, "id", where, &head->id) < 0)
		return -1;
	if (head->id == NULL && copy_string(ld, default_id, &head->id) < 0)
		return -1;
	head->line = fg_loader_line_of(ld, obj);
	return 0;
}

static void free_head(struct fg_rule_head *head)
{
	free(head->id);
	free(head->description);
	head->id = NULL;
	head->description = NULL;
}

static int copy_head(struct fg_loader *ld, const struct fg_rule_head *from, struct fg_rule_head *to)
{
	to->line = from->line;
	to->outcome = from->outcome;
	if (copy_string(ld, from->id, &to->id) < 0)
		return -1;
	return copy_string(ld, from->description, &to->description);
}

static int parse_default(struct fg_loader *ld, const cJSON *node, const char *section,
			 struct fg_rule_section *out)
{
	static const char *const keys[] = { "id", "description", "action", "errno", NULL };
	char where[64];
	char id[64];
	snprintf(where, sizeof(where), "\"%s.default\"", section);
	snprintf(id, sizeof(id), "%s.default", section);
	if (!cJSON_IsObject(node))
		return fg_loader_error_at(ld, node, 0,
					  "\"default\" must be an object such as {\"action\": "
					  "\"deny\", \"errno\": \"EACCES\"}, not %s",
					  fg_json_type_name(node));
	if (fg_loader_check_keys(ld, node, where, keys) < 0)
		return -1;
	struct fg_rule_head head = { 0 };
	int rc = parse_head(ld, node, where, id, &head);
	/* A section keeps only the outcome and the id of its default. */
	out->default_outcome = head.outcome;
	out->default_id = head.id;
	head.id = NULL;
	free_head(&head);
	return rc;
}

/* What sections have in common: the object, its keys and its default.
 * `governs` completes the message about a missing default. On success
 * *rules is the "rules" array, or NULL when there is none. */
static int parse_section(struct fg_loader *ld, const cJSON *node, const char *name,
			 const char *const *keys, const char *governs,
			 struct fg_rule_section *section, const cJSON **rules)
{
	char where[32];
	snprintf(where, sizeof(where), "\"%s\"", name);
	*rules = NULL;
	if (!cJSON_IsObject(node))
		return fg_loader_error_at(ld, node, 0, "\"%s\" must be an object, not %s", name,
					  fg_json_type_name(node));
	if (fg_loader_check_keys(ld, node, where, keys) < 0)
		return -1;
	const cJSON *def = cJSON_GetObjectItemCaseSensitive(node, "default");
	if (def == NULL)
		return fg_loader_error_at(ld, node, 0,
					  "\"%s\" has no \"default\" (what happens to %s no rule "
					  "matches)",
					  name, governs);
	section->present = true;
	if (parse_default(ld, def, name, section) < 0)
		return -1;
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(node, "rules");
	if (list == NULL)
		return 0;
	if (!cJSON_IsArray(list))
		return fg_loader_error_at(ld, list, 0, "\"rules\" must be an array, not %s",
					  fg_json_type_name(list));
	for (const cJSON *rule = list->child; rule != NULL; rule = rule->next) {
		if (!cJSON_IsObject(rule))
			return fg_loader_error_at(ld, rule, 0,
						  "each %s rule must be an object, not %s", name,
						  fg_json_type_name(rule));
	}
	*rules = list;
	return 0;
}

/* Checks the keys and reads the head of rule number `index` of `section`;
 * `where` receives "files rule 1" for messages. */
static int begin_rule(struct fg_loader *ld, const cJSON *node, const char *section, size_t index,
		      const char *const *keys, char *where, size_t where_size,
		      struct fg_rule_head *head)
{
	char id[64];
	snprintf(where, where_size, "%s rule %zu", section, index + 1);
	snprintf(id, sizeof(id), "%s.rules[%zu]", section, index);
	if (fg_loader_check_keys(ld, node, where, keys) < 0)
		return -1;
	return parse_head(ld, node, where, id, head);
}

/* --- files and exec ---------------------------------------------------- */

/* "paths": a required, non-empty array of valid path patterns. */
static int parse_paths(struct fg_loader *ld, const cJSON *rule, const char *where,
		       const cJSON **paths, size_t *count)
{
	const cJSON *node = cJSON_GetObjectItemCaseSensitive(rule, "paths");
	if (node == NULL)
		return fg_loader_error_at(ld, rule, 0,
					  "%s has no \"paths\" list (absolute path patterns such "
					  "as \"/etc/**\")",
					  where);
	if (!cJSON_IsArray(node) || cJSON_GetArraySize(node) == 0)
		return fg_loader_error_at(ld, node, 0,
					  "\"paths\" must be a non-empty array of path patterns");
	for (const cJSON *item = node->child; item != NULL; item = item->next) {
		struct fg_error why;
		if (!cJSON_IsString(item))
			return fg_loader_error_at(ld, item, 0,
						  "a path pattern must be a string, not %s",
						  fg_json_type_name(item));
		if (fg_glob_validate(item->valuestring, &why) < 0)
			return fg_loader_error_at(ld, item, 0, "%s", why.msg);
	}
	*paths = node;
	*count = (size_t)cJSON_GetArraySize(node);
	return 0;
}

static int parse_file_rule(struct fg_loader *ld, const cJSON *node, size_t index, size_t *capacity,
			   struct fg_rules *out, struct fg_rule_head *head)
{
	static const char *const keys[] = { "id",     "description", "paths", "access",
					    "action", "errno",	     NULL };
	char where[64];
	const cJSON *paths;
	size_t count;
	unsigned rights;
	if (begin_rule(ld, node, "files", index, keys, where, sizeof(where), head) < 0 ||
	    parse_paths(ld, node, where, &paths, &count) < 0 ||
	    parse_bits(ld, node, where, &right_list, &rights) < 0)
		return -1;
	void *files = grow(out->files, capacity, out->file_count + count, sizeof(*out->files));
	if (files == NULL)
		return out_of_memory(ld);
	out->files = files;
	for (const cJSON *path = paths->child; path != NULL; path = path->next) {
		/* Counted before it is filled, so fg_rules_free sees it on error. */
		struct fg_file_rule *rule = &out->files[out->file_count++];
		memset(rule, 0, sizeof(*rule));
		rule->rights = rights;
		if (copy_head(ld, head, &rule->head) < 0 ||
		    copy_string(ld, path->valuestring, &rule->pattern) < 0)
			return -1;
		rule->literal_len = fg_glob_literal_prefix(rule->pattern);
	}
	return 0;
}

static int parse_files(struct fg_loader *ld, const cJSON *node, struct fg_rules *out)
{
	static const char *const keys[] = { "default", "rules", NULL };
	const cJSON *rules;
	if (parse_section(ld, node, "files", keys, "file accesses", &out->files_section, &rules) <
	    0)
		return -1;
	size_t capacity = 0;
	size_t index = 0;
	for (const cJSON *rule = rules ? rules->child : NULL; rule != NULL;
	     rule = rule->next, index++) {
		struct fg_rule_head head = { 0 };
		int rc = parse_file_rule(ld, rule, index, &capacity, out, &head);
		free_head(&head);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* "args": optional; argument patterns, "**" allowed last only. */
static int parse_args(struct fg_loader *ld, const cJSON *rule, const cJSON **args)
{
	const cJSON *node = cJSON_GetObjectItemCaseSensitive(rule, "args");
	*args = node;
	if (node == NULL)
		return 0;
	if (!cJSON_IsArray(node))
		return fg_loader_error_at(ld, node, 0,
					  "\"args\" must be an array of argument patterns, not %s",
					  fg_json_type_name(node));
	for (const cJSON *item = node->child; item != NULL; item = item->next) {
		struct fg_error why;
		if (!cJSON_IsString(item))
			return fg_loader_error_at(ld, item, 0,
						  "an argument pattern must be a string, not %s",
						  fg_json_type_name(item));
		if (strcmp(item->valuestring, "**") == 0) {
			if (item->next != NULL)
				return fg_loader_error_at(
				    ld, item, 0,
				    "\"**\" matches all remaining arguments, so it must be the "
				    "last argument pattern");
			continue;
		}
		if (fg_arg_pattern_validate(item->valuestring, &why) < 0)
			return fg_loader_error_at(ld, item, 0, "%s", why.msg);
	}
	return 0;
}

static int copy_args(struct fg_loader *ld, const cJSON *args, struct fg_exec_rule *rule)
{
	if (args == NULL)
		return 0;
	size_t count = (size_t)cJSON_GetArraySize(args);
	rule->args_given = true;
	rule->args = calloc(count ? count : 1, sizeof(*rule->args));
	if (rule->args == NULL)
		return out_of_memory(ld);
	rule->arg_count = count;
	size_t i = 0;
	for (const cJSON *item = args->child; item != NULL; item = item->next, i++) {
		if (copy_string(ld, item->valuestring, &rule->args[i]) < 0)
			return -1;
	}
	return 0;
}

static int parse_exec_rule(struct fg_loader *ld, const cJSON *node, size_t index, size_t *capacity,
			   struct fg_rules *out, struct fg_rule_head *head)
{
	static const char *const keys[] = { "id",     "description", "paths", "args",
					    "action", "errno",	     NULL };
	char where[64];
	const cJSON *paths;
	const cJSON *args;
	size_t count;
	if (begin_rule(ld, node, "exec", index, keys, where, sizeof(where), head) < 0 ||
	    parse_paths(ld, node, where, &paths, &count) < 0 || parse_args(ld, node, &args) < 0)
		return -1;
	void *execs = grow(out->execs, capacity, out->exec_count + count, sizeof(*out->execs));
	if (execs == NULL)
		return out_of_memory(ld);
	out->execs = execs;
	for (const cJSON *path = paths->child; path != NULL; path = path->next) {
		struct fg_exec_rule *rule = &out->execs[out->exec_count++];
		memset(rule, 0, sizeof(*rule));
		if (copy_head(ld, head, &rule->head) < 0 ||
		    copy_string(ld, path->valuestring, &rule->pattern) < 0 ||
		    copy_args(ld, args, rule) < 0)
			return -1;
	}
	return 0;
}

static int parse_exec(struct fg_loader *ld, const cJSON *node, struct fg_rules *out)
{
	static const char *const keys[] = { "default", "rules", NULL };
	const cJSON *rules;
	if (parse_section(ld, node, "exec", keys, "programs", &out->exec_section, &rules) < 0)
		return -1;
	size_t capacity = 0;
	size_t index = 0;
	for (const cJSON *rule = rules ? rules->child : NULL; rule != NULL;
	     rule = rule->next, index++) {
		struct fg_rule_head head = { 0 };
		int rc = parse_exec_rule(ld, rule, index, &capacity, out, &head);
		free_head(&head);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* --- network -------------------------------------------------------------- */

/* A member that only some protocols can use: the rule must have no other. */
static int check_protocols(struct fg_loader *ld, const cJSON *rule, const char *key,
			   unsigned protocols, unsigned fitting, const char *message)
{
	const cJSON *node = cJSON_GetObjectItemCaseSensitive(rule, key);
	if (node == NULL || (protocols & ~fitting) == 0)
		return 0;
	return fg_loader_error_at(ld, node, 1, "%s", message);
}

static int parse_addresses(struct fg_loader *ld, const cJSON *rule, struct fg_net_rule *out)
{
	const cJSON *node = cJSON_GetObjectItemCaseSensitive(rule, "addresses");
	if (node == NULL)
		return 0;
	if (!cJSON_IsArray(node) || cJSON_GetArraySize(node) == 0)
		return fg_loader_error_at(ld, node, 0,
					  "\"addresses\" must be a non-empty array of addresses "
					  "such as \"10.0.0.0/8\" (leave it out for any address)");
	size_t count = (size_t)cJSON_GetArraySize(node);
	out->cidrs = calloc(count, sizeof(*out->cidrs));
	if (out->cidrs == NULL)
		return out_of_memory(ld);
	for (const cJSON *item = node->child; item != NULL; item = item->next) {
		struct fg_error why;
		if (!cJSON_IsString(item))
			return fg_loader_error_at(ld, item, 0,
						  "an address must be a string, not %s",
						  fg_json_type_name(item));
		if (fg_cidr_parse(item->valuestring, &out->cidrs[out->cidr_count], &why) < 0)
			return fg_loader_error_at(ld, item, 0, "%s", why.msg);
		out->cidr_count++;
	}
	return 0;
}

static int parse_ports(struct fg_loader *ld, const cJSON *rule, struct fg_net_rule *out)
{
	const cJSON *node = cJSON_GetObjectItemCaseSensitive(rule, "ports");
	struct fg_error why;
	out->ports.low = 0;
	out->ports.high = 65535;
	if (node == NULL)
		return 0;
	if (!cJSON_IsString(node))
		return fg_loader_error_at(ld, node, 0,
					  "\"ports\" must be a string such as \"443\" or "
					  "\"1000-2000\", not %s",
					  fg_json_type_name(node));
	if (fg_port_range_parse(node->valuestring, &out->ports, &why) < 0)
		return fg_loader_error_at(ld, node, 0, "%s", why.msg);
	return 0;
}

/* An abstract name pattern is checked as the path pattern "/" + name, or
 * as the name itself when that starts with '/' (rules_eval.c matches "/" +
 * pattern against "/" + name: the leading empty component keeps "@/x" and
 * "@x" apart). */
static int validate_abstract(const char *name, struct fg_error *err)
{
	char path[FG_GLOB_MAX_LEN + 2];
	size_t len = strlen(name);
	if (name[0] == '\0')
		return fg_error_set(err, "an abstract socket name pattern needs a name after '@', "
					 "as in \"@/org/freedesktop/*\"");
	if (name[0] == '/')
		return fg_glob_validate(name, err);
	if (len >= FG_GLOB_MAX_LEN)
		return fg_error_set(err, "the abstract socket name pattern is longer than %d bytes",
				    FG_GLOB_MAX_LEN - 1);
	path[0] = '/';
	memcpy(path + 1, name, len + 1);
	return fg_glob_validate(path, err);
}

static int parse_unix(struct fg_loader *ld, const cJSON *rule, struct fg_net_rule *out)
{
	const cJSON *node = cJSON_GetObjectItemCaseSensitive(rule, "unix");
	struct fg_error why;
	if (node == NULL)
		return 0;
	if (!cJSON_IsString(node))
		return fg_loader_error_at(ld, node, 0,
					  "\"unix\" must be a string: a path pattern such as "
					  "\"/run/*.sock\" or an abstract name such as \"@name\", "
					  "not %s",
					  fg_json_type_name(node));
	const char *text = node->valuestring;
	out->unix_abstract = text[0] == '@';
	const char *pattern = out->unix_abstract ? text + 1 : text;
	int rc =
	    out->unix_abstract ? validate_abstract(pattern, &why) : fg_glob_validate(pattern, &why);
	if (rc < 0)
		return fg_loader_error_at(ld, node, 0, "%s", why.msg);
	return copy_string(ld, pattern, &out->unix_pattern);
}

static int parse_net_rule(struct fg_loader *ld, const cJSON *node, size_t index,
			  struct fg_net_rule *out)
{
	static const char *const keys[] = { "id",	 "description", "operations", "protocols",
					    "addresses", "ports",	"unix",	      "action",
					    "errno",	 NULL };
	char where[64];
	if (begin_rule(ld, node, "network", index, keys, where, sizeof(where), &out->head) < 0 ||
	    parse_bits(ld, node, where, &operation_list, &out->operations) < 0 ||
	    parse_bits(ld, node, where, &protocol_list, &out->protocols) < 0)
		return -1;
	if (check_protocols(ld, node, "addresses", out->protocols, INET_PROTOCOLS,
			    "\"addresses\" only goes with the tcp and udp protocols; this rule "
			    "also names unix-stream or unix-dgram") < 0 ||
	    check_protocols(ld, node, "ports", out->protocols, INET_PROTOCOLS,
			    "\"ports\" only goes with the tcp and udp protocols; this rule also "
			    "names unix-stream or unix-dgram") < 0 ||
	    check_protocols(ld, node, "unix", out->protocols, UNIX_PROTOCOLS,
			    "\"unix\" only goes with the unix-stream and unix-dgram protocols; "
			    "this rule also names tcp or udp") < 0)
		return -1;
	if (parse_addresses(ld, node, out) < 0 || parse_ports(ld, node, out) < 0)
		return -1;
	return parse_unix(ld, node, out);
}

/* Families that are always allowed get a message of their own. */
static int reject_builtin_family(struct fg_loader *ld, const cJSON *item)
{
	static const char *const builtin[] = { "inet", "inet6", "unix", NULL };
	if (!cJSON_IsString(item))
		return 0;
	for (size_t i = 0; builtin[i] != NULL; i++) {
		if (strcmp(builtin[i], item->valuestring) == 0)
			return fg_loader_error_at(
			    ld, item, 0,
			    "\"%s\" needs no listing: inet, inet6 and unix "
			    "sockets are always allowed, and the rules decide "
			    "what they may do",
			    item->valuestring);
	}
	return 0;
}

/* Room for every known family was allocated, and each is stored once. */
static void add_family(int family, struct fg_rules *out)
{
	for (size_t i = 0; i < out->extra_family_count; i++) {
		if (out->extra_families[i] == family)
			return; /* listed twice: harmless */
	}
	out->extra_families[out->extra_family_count++] = family;
}

static int parse_families(struct fg_loader *ld, const cJSON *section, struct fg_rules *out)
{
	const cJSON *node = cJSON_GetObjectItemCaseSensitive(section, "families");
	if (node == NULL)
		return 0;
	if (!cJSON_IsArray(node))
		return fg_loader_error_at(ld, node, 0,
					  "\"families\" must be an array of socket families (%s), "
					  "not %s",
					  family_list.expected, fg_json_type_name(node));
	out->extra_families =
	    calloc(sizeof(family_words) / sizeof(family_words[0]), sizeof(*out->extra_families));
	if (out->extra_families == NULL)
		return out_of_memory(ld);
	for (const cJSON *item = node->child; item != NULL; item = item->next) {
		unsigned value;
		if (reject_builtin_family(ld, item) < 0 ||
		    parse_word(ld, item, &family_list, &value) < 0)
			return -1;
		if (value == FAMILY_RAW)
			out->raw_inet_allowed = true;
		else
			add_family((int)value, out);
	}
	return 0;
}

static int parse_network(struct fg_loader *ld, const cJSON *node, struct fg_rules *out)
{
	static const char *const keys[] = { "default", "families", "rules", NULL };
	const cJSON *rules;
	if (parse_section(ld, node, "network", keys, "network operations", &out->network_section,
			  &rules) < 0 ||
	    parse_families(ld, node, out) < 0)
		return -1;
	if (rules == NULL)
		return 0;
	size_t count = (size_t)cJSON_GetArraySize(rules);
	out->nets = calloc(count ? count : 1, sizeof(*out->nets));
	if (out->nets == NULL)
		return out_of_memory(ld);
	/* All zeroed and counted at once: fg_rules_free copes with any of them. */
	out->net_count = count;
	size_t index = 0;
	for (const cJSON *rule = rules->child; rule != NULL; rule = rule->next, index++) {
		if (parse_net_rule(ld, rule, index, &out->nets[index]) < 0)
			return -1;
	}
	return 0;
}

/* --- entry point ---------------------------------------------------------- */

static int parse_sections(struct fg_loader *ld, const cJSON *root, struct fg_rules *out)
{
	if (!cJSON_IsObject(root))
		return fg_loader_error_at(ld, root, 0, "a policy must be a JSON object, not %s",
					  fg_json_type_name(root));
	const cJSON *files = cJSON_GetObjectItemCaseSensitive(root, "files");
	const cJSON *exec = cJSON_GetObjectItemCaseSensitive(root, "exec");
	const cJSON *network = cJSON_GetObjectItemCaseSensitive(root, "network");
	if (files != NULL && parse_files(ld, files, out) < 0)
		return -1;
	if (exec != NULL && parse_exec(ld, exec, out) < 0)
		return -1;
	if (network != NULL && parse_network(ld, network, out) < 0)
		return -1;
	return 0;
}

int fg_rules_parse(struct fg_loader *ld, const cJSON *root, struct fg_rules *out)
{
	memset(out, 0, sizeof(*out));
	if (parse_sections(ld, root, out) == 0)
		return 0;
	fg_rules_free(out);
	return -1;
}
