/* policy_json.h - helpers shared by the policy section parsers.
 *
 * Every parser reports errors through fg_loader_error_at, which points at the
 * line and column of the offending key or value (lib/json_scan.c).
 */
#ifndef FG_POLICY_JSON_H
#define FG_POLICY_JSON_H

#include <cjson/cJSON.h>
#include <stdbool.h>

#include "fg_error.h"
#include "json_scan.h"
#include "policy.h"

struct fg_loader {
	const char *source;
	const char *text;
	const cJSON *root;
	struct fg_json_positions positions;
	struct fg_policy *policy;
	struct fg_error *err;
};

/* "SOURCE:LINE:COL: message" about node (its key when at_key is set). */
int fg_loader_error_at(struct fg_loader *ld, const cJSON *node, int at_key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* "an object", "a string", ... for messages. */
const char *fg_json_type_name(const cJSON *node);

/* Rejects keys not in `allowed` (NULL-terminated) and keys given twice. */
int fg_loader_check_keys(struct fg_loader *ld, const cJSON *object, const char *where,
			 const char *const *allowed);

int fg_loader_expect_type(struct fg_loader *ld, const cJSON *node, cJSON_bool ok, const char *what,
			  const char *expected);

/* Copies an optional string member into *out (left NULL when absent). */
int fg_loader_optional_string(struct fg_loader *ld, const cJSON *object, const char *key,
			      const char *where, char **out);

int fg_loader_optional_bool(struct fg_loader *ld, const cJSON *object, const char *key,
			    const char *where, bool *out);

/* The 1-based line of node, for rule records. */
int fg_loader_line_of(struct fg_loader *ld, const cJSON *node);

#endif
