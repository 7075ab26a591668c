/* json_buf.h - a growable byte buffer with helpers that write JSON.
 *
 * Used for audit lines. Strings from tracees are arbitrary bytes: valid UTF-8
 * is written as is, control characters as escapes, and bytes that are not
 * UTF-8 as \u00XX so the line stays valid JSON.
 */
#ifndef FG_JSON_BUF_H
#define FG_JSON_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct fg_json_buf {
	char *data;
	size_t len;
	size_t cap;
	bool failed; /* an allocation failed; the content is incomplete */
	bool need_comma;
};

void fg_json_buf_init(struct fg_json_buf *b);
void fg_json_buf_free(struct fg_json_buf *b);
void fg_json_buf_reset(struct fg_json_buf *b);

void fg_json_raw(struct fg_json_buf *b, const char *text, size_t len);
void fg_json_begin_object(struct fg_json_buf *b);
void fg_json_end_object(struct fg_json_buf *b);
void fg_json_begin_array(struct fg_json_buf *b);
void fg_json_end_array(struct fg_json_buf *b);

/* A member name; the value is written next. */
void fg_json_key(struct fg_json_buf *b, const char *key);

/* Values (inside an array, each adds its own comma). */
void fg_json_string(struct fg_json_buf *b, const char *s);
void fg_json_bytes(struct fg_json_buf *b, const char *s, size_t len);
void fg_json_int(struct fg_json_buf *b, long long v);
void fg_json_uint(struct fg_json_buf *b, unsigned long long v);
void fg_json_hex(struct fg_json_buf *b, unsigned long long v); /* as a "0x..." string */
void fg_json_bool(struct fg_json_buf *b, bool v);
void fg_json_null(struct fg_json_buf *b);

#endif
