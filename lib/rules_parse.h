/* rules_parse.h - the "files", "exec" and "network" sections of a policy.
 *
 * Also the argument patterns of exec rules, which the parser validates and
 * the evaluator (rules_eval.c) matches: both halves must agree on the syntax.
 */
#ifndef FG_RULES_PARSE_H
#define FG_RULES_PARSE_H

#include <cjson/cJSON.h>
#include <stdbool.h>

#include "fg_error.h"
#include "policy_json.h"
#include "rules.h"

/* Parses the optional members "files", "exec" and "network" of the policy
 * object `root` (other members are left to the caller) into *out, which is
 * overwritten, not freed. On error returns -1 with "SOURCE:LINE:COL: what"
 * in ld->err, and *out is empty: fg_rules_free has already been called. */
int fg_rules_parse(struct fg_loader *ld, const cJSON *root, struct fg_rules *out);

/* One exec argument pattern, matched against one whole argument: '*' is any
 * run of bytes, '/' included; '?' one byte; [a-z], [!a-z], [^a-z] classes
 * (which may match '/'); '\c' the byte c. On bytes, case-sensitive. Returns
 * 0 when well formed, else -1 naming the problem and its 1-based column.
 * "**" inside a pattern is an error; "**" as a whole pattern is not an
 * argument pattern at all (the parser handles it) and is rejected here. */
int fg_arg_pattern_validate(const char *pattern, struct fg_error *err);

/* True when `arg` matches `pattern`. At worst O(strlen(pattern) *
 * strlen(arg)) steps and no allocation, whatever the stars. */
bool fg_arg_match(const char *pattern, const char *arg);

#endif
