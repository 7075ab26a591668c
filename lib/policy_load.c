/* policy_load.c - JSON policy file -> struct fg_policy.
 *
 * Strict by design: unknown keys, duplicate keys, wrong types, unknown
 * syscall names and a syscall named by two rules are all errors that point at
 * FILE:LINE:COLUMN. Nothing is applied unless the whole file is valid.
 */
#include "policy.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errno_names.h"
#include "json_scan.h"
#include "policy_json.h"
#include "rules_parse.h"
#include "syscall_names.h"

enum { POLICY_VERSION = 1, MAX_POLICY_BYTES = 16 * 1024 * 1024 };

static int parse_action(struct fg_loader *ld, const cJSON *rule, const char *where,
			struct fg_syscall_rule *out)
{
	static const char *const action_keys[] = { "id",  "description", "action", "errno",
						   "log", "syscalls",	 NULL };
	if (fg_loader_check_keys(ld, rule, where, action_keys) < 0)
		return -1;
	const cJSON *action = cJSON_GetObjectItemCaseSensitive(rule, "action");
	if (action == NULL)
		return fg_loader_error_at(
		    ld, rule, 0, "%s has no \"action\" (expected allow, trace, deny or kill)",
		    where);
	if (!cJSON_IsString(action))
		return fg_loader_error_at(ld, action, 0, "\"action\" must be a string, not %s",
					  fg_json_type_name(action));
	const char *name = action->valuestring;
	if (strcmp(name, "allow") == 0)
		out->action = FG_ACTION_ALLOW;
	else if (strcmp(name, "trace") == 0)
		out->action = FG_ACTION_TRACE;
	else if (strcmp(name, "deny") == 0)
		out->action = FG_ACTION_DENY;
	else if (strcmp(name, "kill") == 0)
		out->action = FG_ACTION_KILL;
	else
		return fg_loader_error_at(
		    ld, action, 0, "unknown action \"%s\" (expected allow, trace, deny or kill)",
		    name);

	const cJSON *errno_node = cJSON_GetObjectItemCaseSensitive(rule, "errno");
	out->deny_errno = EPERM;
	if (errno_node != NULL) {
		if (out->action != FG_ACTION_DENY)
			return fg_loader_error_at(ld, errno_node, 1,
						  "\"errno\" only goes with \"action\": \"deny\"");
		if (!cJSON_IsString(errno_node))
			return fg_loader_error_at(
			    ld, errno_node, 0, "\"errno\" must be a name such as \"EPERM\", not %s",
			    fg_json_type_name(errno_node));
		out->deny_errno = fg_errno_from_name(errno_node->valuestring);
		if (out->deny_errno < 0)
			return fg_loader_error_at(
			    ld, errno_node, 0,
			    "unknown errno \"%s\" (expected a name such as EPERM, "
			    "EACCES or ENOSYS)",
			    errno_node->valuestring);
	}
	out->log = true;
	const cJSON *log_node = cJSON_GetObjectItemCaseSensitive(rule, "log");
	if (log_node != NULL && out->action != FG_ACTION_DENY)
		return fg_loader_error_at(
		    ld, log_node, 1,
		    "\"log\" only goes with \"action\": \"deny\" (kills are always logged)");
	if (fg_loader_optional_bool(ld, rule, "log", where, &out->log) < 0)
		return -1;
	if (fg_loader_optional_string(ld, rule, "description", where, &out->description) < 0)
		return -1;
	if (fg_loader_optional_string(ld, rule, "id", where, &out->id) < 0)
		return -1;
	out->line = fg_loader_line_of(ld, rule);
	return 0;
}

static int parse_default(struct fg_loader *ld, const cJSON *node)
{
	struct fg_syscall_rule *rule = &ld->policy->default_rule;
	if (!cJSON_IsObject(node))
		return fg_loader_error_at(
		    ld, node, 0,
		    "\"default\" must be an object such as {\"action\": \"deny\", "
		    "\"errno\": \"ENOSYS\"}, not %s",
		    fg_json_type_name(node));
	if (cJSON_GetObjectItemCaseSensitive(node, "syscalls") != NULL)
		return fg_loader_error_at(
		    ld, cJSON_GetObjectItemCaseSensitive(node, "syscalls"), 1,
		    "\"default\" applies to every syscall no rule names; it takes no \"syscalls\"");
	if (parse_action(ld, node, "\"syscalls.default\"", rule) < 0)
		return -1;
	if (rule->action == FG_ACTION_TRACE)
		return fg_loader_error_at(
		    ld, node, 0,
		    "\"default\" cannot be \"trace\": name the syscalls to trace in a rule");
	if (rule->id == NULL)
		rule->id = strdup("syscalls.default");
	return rule->id ? 0 : fg_error_set(ld->err, "%s: out of memory", ld->source);
}

static int parse_rule(struct fg_loader *ld, const cJSON *node, size_t index)
{
	struct fg_policy *p = ld->policy;
	struct fg_syscall_rule *rule = &p->rules[index];
	char where[64];
	snprintf(where, sizeof(where), "syscalls rule %zu", index + 1);
	if (!cJSON_IsObject(node))
		return fg_loader_error_at(ld, node, 0,
					  "each syscalls rule must be an object, not %s",
					  fg_json_type_name(node));
	if (parse_action(ld, node, where, rule) < 0)
		return -1;
	if (rule->id == NULL) {
		char id[64];
		snprintf(id, sizeof(id), "syscalls.rules[%zu]", index);
		rule->id = strdup(id);
		if (rule->id == NULL)
			return fg_error_set(ld->err, "%s: out of memory", ld->source);
	}
	const cJSON *names = cJSON_GetObjectItemCaseSensitive(node, "syscalls");
	if (names == NULL)
		return fg_loader_error_at(ld, node, 0, "%s has no \"syscalls\" list", where);
	if (!cJSON_IsArray(names) || cJSON_GetArraySize(names) == 0)
		return fg_loader_error_at(
		    ld, names, 0, "\"syscalls\" must be a non-empty array of syscall names");
	for (const cJSON *name = names->child; name != NULL; name = name->next) {
		if (!cJSON_IsString(name))
			return fg_loader_error_at(ld, name, 0,
						  "a syscall name must be a string, not %s",
						  fg_json_type_name(name));
		long nr = fg_syscall_from_name(name->valuestring);
		if (nr == FG_SYSCALL_UNKNOWN)
			return fg_loader_error_at(ld, name, 0, "unknown syscall \"%s\"",
						  name->valuestring);
		if (nr == FG_SYSCALL_OTHER_ARCH)
			continue; /* a portable policy may name calls of other ABIs */
		if (nr >= FG_SYSCALL_COUNT)
			return fg_loader_error_at(ld, name, 0,
						  "syscall \"%s\" (%ld) is out of range",
						  name->valuestring, nr);
		int16_t previous = p->syscall_rule[nr];
		if (previous >= 0)
			return fg_loader_error_at(
			    ld, name, 0,
			    "syscall \"%s\" is already governed by %s (line %d); a "
			    "syscall may appear in one rule only",
			    name->valuestring, p->rules[previous].id, p->rules[previous].line);
		p->syscall_rule[nr] = (int16_t)index;
	}
	return 0;
}

static int parse_syscalls(struct fg_loader *ld, const cJSON *node)
{
	static const char *const keys[] = { "default", "rules", NULL };
	if (!cJSON_IsObject(node))
		return fg_loader_error_at(ld, node, 0, "\"syscalls\" must be an object, not %s",
					  fg_json_type_name(node));
	if (fg_loader_check_keys(ld, node, "\"syscalls\"", keys) < 0)
		return -1;
	const cJSON *def = cJSON_GetObjectItemCaseSensitive(node, "default");
	if (def == NULL)
		return fg_loader_error_at(
		    ld, node, 0,
		    "\"syscalls\" has no \"default\" (what happens to syscalls no rule names)");
	if (parse_default(ld, def) < 0)
		return -1;
	const cJSON *rules = cJSON_GetObjectItemCaseSensitive(node, "rules");
	if (rules == NULL)
		return 0;
	if (!cJSON_IsArray(rules))
		return fg_loader_error_at(ld, rules, 0, "\"rules\" must be an array, not %s",
					  fg_json_type_name(rules));
	size_t count = (size_t)cJSON_GetArraySize(rules);
	if (count > INT16_MAX)
		return fg_loader_error_at(ld, rules, 0, "too many syscalls rules (at most %d)",
					  INT16_MAX);
	struct fg_policy *p = ld->policy;
	p->rules = calloc(count ? count : 1, sizeof(*p->rules));
	if (p->rules == NULL)
		return fg_error_set(ld->err, "%s: out of memory", ld->source);
	p->rule_count = count;
	size_t index = 0;
	for (const cJSON *rule = rules->child; rule != NULL; rule = rule->next, index++) {
		if (parse_rule(ld, rule, index) < 0)
			return -1;
	}
	return 0;
}

static int parse_log(struct fg_loader *ld, const cJSON *node)
{
	static const char *const keys[] = { "allowed", NULL };
	if (!cJSON_IsObject(node))
		return fg_loader_error_at(ld, node, 0, "\"log\" must be an object, not %s",
					  fg_json_type_name(node));
	if (fg_loader_check_keys(ld, node, "\"log\"", keys) < 0)
		return -1;
	return fg_loader_optional_bool(ld, node, "allowed", "\"log\"", &ld->policy->log_allowed);
}

static int parse_root(struct fg_loader *ld)
{
	static const char *const keys[] = { "version", "description", "mode",	 "log", "syscalls",
					    "files",   "exec",	      "network", NULL };
	const cJSON *root = ld->root;
	if (!cJSON_IsObject(root))
		return fg_loader_error_at(ld, root, 0, "a policy must be a JSON object, not %s",
					  fg_json_type_name(root));
	if (fg_loader_check_keys(ld, root, "the policy", keys) < 0)
		return -1;
	const cJSON *version = cJSON_GetObjectItemCaseSensitive(root, "version");
	if (version == NULL)
		return fg_loader_error_at(
		    ld, root, 0, "the policy has no \"version\" (expected \"version\": %d)",
		    POLICY_VERSION);
	if (!cJSON_IsNumber(version) || version->valuedouble != POLICY_VERSION)
		return fg_loader_error_at(
		    ld, version, 0,
		    "unsupported policy version (this fhirguard reads \"version\": %d)",
		    POLICY_VERSION);
	if (fg_loader_optional_string(ld, root, "description", "the policy",
				      &ld->policy->description) < 0)
		return -1;
	const cJSON *mode = cJSON_GetObjectItemCaseSensitive(root, "mode");
	if (mode != NULL) {
		if (!cJSON_IsString(mode))
			return fg_loader_error_at(
			    ld, mode, 0, "\"mode\" must be \"enforce\" or \"audit\", not %s",
			    fg_json_type_name(mode));
		if (strcmp(mode->valuestring, "enforce") == 0)
			ld->policy->mode = FG_MODE_ENFORCE;
		else if (strcmp(mode->valuestring, "audit") == 0)
			ld->policy->mode = FG_MODE_AUDIT;
		else
			return fg_loader_error_at(
			    ld, mode, 0, "unknown mode \"%s\" (expected \"enforce\" or \"audit\")",
			    mode->valuestring);
	}
	const cJSON *log = cJSON_GetObjectItemCaseSensitive(root, "log");
	if (log != NULL && parse_log(ld, log) < 0)
		return -1;
	const cJSON *syscalls = cJSON_GetObjectItemCaseSensitive(root, "syscalls");
	if (syscalls == NULL)
		return fg_loader_error_at(ld, root, 0, "the policy has no \"syscalls\" section");
	if (parse_syscalls(ld, syscalls) < 0)
		return -1;
	if (fg_rules_parse(ld, root, &ld->policy->sections) < 0)
		return -1;
	ld->policy->guard_exec_mappings = ld->policy->sections.files_section.present;
	ld->policy->pin_arguments = ld->policy->sections.files_section.present ||
				    ld->policy->sections.network_section.present;
	return 0;
}

int fg_policy_load_text(const char *text, size_t len, const char *source, struct fg_policy *policy,
			struct fg_error *err)
{
	memset(policy, 0, sizeof(*policy));
	for (size_t i = 0; i < FG_SYSCALL_COUNT; i++)
		policy->syscall_rule[i] = -1;

	struct fg_loader ld = { .source = source, .text = text, .policy = policy, .err = err };
	size_t error_offset = 0;
	char what[256];
	if (memchr(text, '\0', len) != NULL) {
		int line, col;
		fg_json_line_col(text, (size_t)((const char *)memchr(text, '\0', len) - text),
				 &line, &col);
		return fg_error_set(err, "%s:%d:%d: NUL byte in the policy (is this a JSON file?)",
				    source, line, col);
	}
	if (fg_json_scan(text, len, &ld.positions, &error_offset, what, sizeof(what)) < 0) {
		int line, col;
		fg_json_line_col(text, error_offset, &line, &col);
		return fg_error_set(err, "%s:%d:%d: %s", source, line, col, what);
	}
	cJSON *root = cJSON_ParseWithLength(text, len);
	if (root == NULL) {
		fg_json_positions_free(&ld.positions);
		return fg_error_set(err, "%s: the JSON parser rejected the file", source);
	}
	ld.root = root;
	int rc = parse_root(&ld);
	if (rc == 0) {
		policy->source = strdup(source);
		if (policy->source == NULL)
			rc = fg_error_set(err, "%s: out of memory", source);
	}
	cJSON_Delete(root);
	fg_json_positions_free(&ld.positions);
	if (rc < 0)
		fg_policy_free(policy);
	return rc;
}

int fg_policy_load_file(const char *path, struct fg_policy *policy, struct fg_error *err)
{
	memset(policy, 0, sizeof(*policy));
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return fg_error_set(err, "%s: cannot open the policy: %s", path, strerror(errno));
	char *text = malloc(MAX_POLICY_BYTES + 1);
	if (text == NULL) {
		fclose(f);
		return fg_error_set(err, "%s: out of memory", path);
	}
	size_t len = fread(text, 1, MAX_POLICY_BYTES + 1, f);
	int read_error = ferror(f);
	fclose(f);
	int rc;
	if (read_error)
		rc = fg_error_set(err, "%s: cannot read the policy", path);
	else if (len > MAX_POLICY_BYTES)
		rc = fg_error_set(err, "%s: the policy is larger than %d MiB", path,
				  MAX_POLICY_BYTES / (1024 * 1024));
	else
		rc = fg_policy_load_text(text, len, path, policy, err);
	free(text);
	return rc;
}

static void free_rule(struct fg_syscall_rule *rule)
{
	free(rule->id);
	free(rule->description);
}

void fg_policy_free(struct fg_policy *policy)
{
	for (size_t i = 0; i < policy->rule_count; i++)
		free_rule(&policy->rules[i]);
	free(policy->rules);
	free_rule(&policy->default_rule);
	fg_rules_free(&policy->sections);
	free(policy->source);
	free(policy->description);
	memset(policy, 0, sizeof(*policy));
	/* An emptied policy still answers "default rule" for every syscall. */
	for (size_t i = 0; i < FG_SYSCALL_COUNT; i++)
		policy->syscall_rule[i] = -1;
}

const struct fg_syscall_rule *fg_policy_syscall_rule(const struct fg_policy *policy, long nr)
{
	if (nr < 0 || nr >= FG_SYSCALL_COUNT || policy->syscall_rule[nr] < 0)
		return &policy->default_rule;
	return &policy->rules[policy->syscall_rule[nr]];
}

const char *fg_action_name(enum fg_action action)
{
	switch (action) {
	case FG_ACTION_ALLOW:
		return "allow";
	case FG_ACTION_TRACE:
		return "trace";
	case FG_ACTION_DENY:
		return "deny";
	case FG_ACTION_KILL:
		return "kill";
	case FG_ACTION_STOP:
		return "stop";
	}
	return "unknown";
}

const char *fg_mode_name(enum fg_mode mode)
{
	return mode == FG_MODE_AUDIT ? "audit" : "enforce";
}
