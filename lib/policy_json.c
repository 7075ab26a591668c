/* policy_json.c - helpers shared by the policy section parsers. */
#include "policy_json.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int fg_loader_error_at(struct fg_loader *ld, const cJSON *node, int at_key, const char *fmt, ...)
{
	size_t offset = fg_json_node_offset(&ld->positions, ld->root, node, at_key);
	int line, col;
	fg_json_line_col(ld->text, offset, &line, &col);
	char what[768];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return fg_error_set(ld->err, "%s:%d:%d: %s", ld->source, line, col, what);
}

const char *fg_json_type_name(const cJSON *node)
{
	if (cJSON_IsObject(node))
		return "an object";
	if (cJSON_IsArray(node))
		return "an array";
	if (cJSON_IsString(node))
		return "a string";
	if (cJSON_IsNumber(node))
		return "a number";
	if (cJSON_IsBool(node))
		return "a boolean";
	return "null";
}

/* Rejects keys not in `allowed` (NULL-terminated) and keys given twice. */
int fg_loader_check_keys(struct fg_loader *ld, const cJSON *object, const char *where,
			 const char *const *allowed)
{
	for (const cJSON *m = object->child; m != NULL; m = m->next) {
		bool known = false;
		for (size_t i = 0; allowed[i] != NULL; i++)
			known = known || strcmp(allowed[i], m->string) == 0;
		if (!known) {
			char list[256] = "";
			for (size_t i = 0; allowed[i] != NULL; i++) {
				strncat(list, i ? ", " : "", sizeof(list) - strlen(list) - 1);
				strncat(list, allowed[i], sizeof(list) - strlen(list) - 1);
			}
			return fg_loader_error_at(ld, m, 1,
						  "unknown key \"%s\" in %s (expected one of: %s)",
						  m->string, where, list);
		}
		for (const cJSON *prev = object->child; prev != m; prev = prev->next) {
			if (strcmp(prev->string, m->string) == 0)
				return fg_loader_error_at(
				    ld, m, 1, "key \"%s\" appears twice in %s", m->string, where);
		}
	}
	return 0;
}

int fg_loader_expect_type(struct fg_loader *ld, const cJSON *node, cJSON_bool ok, const char *what,
			  const char *expected)
{
	if (ok)
		return 0;
	return fg_loader_error_at(ld, node, 0, "%s must be %s, not %s", what, expected,
				  fg_json_type_name(node));
}

/* Copies an optional string member into *out (left NULL when absent). */
int fg_loader_optional_string(struct fg_loader *ld, const cJSON *object, const char *key,
			      const char *where, char **out)
{
	const cJSON *node = cJSON_GetObjectItemCaseSensitive(object, key);
	*out = NULL;
	if (node == NULL)
		return 0;
	char what[128];
	snprintf(what, sizeof(what), "\"%s\" in %s", key, where);
	if (fg_loader_expect_type(ld, node, cJSON_IsString(node), what, "a string") < 0)
		return -1;
	*out = strdup(node->valuestring);
	if (*out == NULL)
		return fg_error_set(ld->err, "%s: out of memory", ld->source);
	return 0;
}

int fg_loader_optional_bool(struct fg_loader *ld, const cJSON *object, const char *key,
			    const char *where, bool *out)
{
	const cJSON *node = cJSON_GetObjectItemCaseSensitive(object, key);
	if (node == NULL)
		return 0;
	char what[128];
	snprintf(what, sizeof(what), "\"%s\" in %s", key, where);
	if (fg_loader_expect_type(ld, node, cJSON_IsBool(node), what, "true or false") < 0)
		return -1;
	*out = cJSON_IsTrue(node);
	return 0;
}

int fg_loader_line_of(struct fg_loader *ld, const cJSON *node)
{
	int line, col;
	fg_json_line_col(ld->text, fg_json_node_offset(&ld->positions, ld->root, node, 0), &line,
			 &col);
	return line;
}
