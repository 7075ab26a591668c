/* json_scan.h - a strict JSON (RFC 8259) scanner that records where every
 * value and every object key starts.
 *
 * libcjson builds the tree but knows neither line numbers nor what it
 * expected when it fails. This scanner runs first: it rejects malformed text
 * with "expected ..." messages, and it records offsets in document order,
 * which is exactly the pre-order of the cJSON tree. The policy loader uses
 * that to point at the line and column of any value it rejects.
 */
#ifndef FG_JSON_SCAN_H
#define FG_JSON_SCAN_H

#include <stddef.h>

struct cJSON;

/* Offsets of values in pre-order. key_offset is (size_t)-1 when the value
 * is not an object member. */
struct fg_json_positions {
	size_t *value_offset;
	size_t *key_offset;
	size_t count;
	size_t capacity;
};

/* Scans `text` (len bytes). On error returns -1 with *error_offset set and a
 * message like "expected ',' or '}' after an object member" in `what`. */
int fg_json_scan(const char *text, size_t len, struct fg_json_positions *pos, size_t *error_offset,
		 char *what, size_t what_size);

void fg_json_positions_free(struct fg_json_positions *pos);

/* 1-based line and column (in bytes) of an offset. */
void fg_json_line_col(const char *text, size_t offset, int *line, int *col);

/* Offset of `node` (a node of the tree cJSON built from the same text):
 * of its key when want_key is set and it is an object member, otherwise of
 * its value. Returns 0 when the node is not found. */
size_t fg_json_node_offset(const struct fg_json_positions *pos, const struct cJSON *root,
			   const struct cJSON *node, int want_key);

#endif
