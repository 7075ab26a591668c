#include "json_buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

void fg_json_buf_init(struct fg_json_buf *b)
{
	memset(b, 0, sizeof(*b));
}

void fg_json_buf_free(struct fg_json_buf *b)
{
	free(b->data);
	memset(b, 0, sizeof(*b));
}

void fg_json_buf_reset(struct fg_json_buf *b)
{
	b->len = 0;
	b->failed = false;
	b->need_comma = false;
}

void fg_json_raw(struct fg_json_buf *b, const char *text, size_t len)
{
	if (b->failed)
		return;
	if (b->len + len + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (b->len + len + 1 > cap)
			cap *= 2;
		char *data = realloc(b->data, cap);
		if (data == NULL) {
			b->failed = true;
			return;
		}
		b->data = data;
		b->cap = cap;
	}
	memcpy(b->data + b->len, text, len);
	b->len += len;
	b->data[b->len] = '\0';
}

static void put(struct fg_json_buf *b, const char *text)
{
	fg_json_raw(b, text, strlen(text));
}

/* Every value starts here: a comma when it follows a sibling. */
static void begin_value(struct fg_json_buf *b)
{
	if (b->need_comma)
		put(b, ",");
	b->need_comma = true;
}

void fg_json_begin_object(struct fg_json_buf *b)
{
	begin_value(b);
	put(b, "{");
	b->need_comma = false;
}

void fg_json_end_object(struct fg_json_buf *b)
{
	put(b, "}");
	b->need_comma = true;
}

void fg_json_begin_array(struct fg_json_buf *b)
{
	begin_value(b);
	put(b, "[");
	b->need_comma = false;
}

void fg_json_end_array(struct fg_json_buf *b)
{
	put(b, "]");
	b->need_comma = true;
}

void fg_json_key(struct fg_json_buf *b, const char *key)
{
	fg_json_string(b, key);
	put(b, ":");
	b->need_comma = false;
}

void fg_json_bytes(struct fg_json_buf *b, const char *s, size_t len)
{
	begin_value(b);
	put(b, "\"");
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < len) {
		unsigned char c = p[i];
		char esc[8];
		if (c == '"' || c == '\\') {
			esc[0] = '\\';
			esc[1] = (char)c;
			fg_json_raw(b, esc, 2);
			i++;
		} else if (c == '\n') {
			put(b, "\\n");
			i++;
		} else if (c == '\t') {
			put(b, "\\t");
			i++;
		} else if (c == '\r') {
			put(b, "\\r");
			i++;
		} else if (c < 0x20 || c == 0x7f) {
			snprintf(esc, sizeof(esc), "\\u%04x", c);
			put(b, esc);
			i++;
		} else {
			size_t n = fg_utf8_sequence_length(p + i, len - i);
			if (n == 0) {
				snprintf(esc, sizeof(esc), "\\u%04x", c);
				put(b, esc);
				i++;
			} else {
				fg_json_raw(b, s + i, n);
				i += n;
			}
		}
	}
	put(b, "\"");
}

void fg_json_string(struct fg_json_buf *b, const char *s)
{
	if (s == NULL) {
		fg_json_null(b);
		return;
	}
	fg_json_bytes(b, s, strlen(s));
}

void fg_json_int(struct fg_json_buf *b, long long v)
{
	char text[32];
	begin_value(b);
	snprintf(text, sizeof(text), "%lld", v);
	put(b, text);
}

void fg_json_uint(struct fg_json_buf *b, unsigned long long v)
{
	char text[32];
	begin_value(b);
	snprintf(text, sizeof(text), "%llu", v);
	put(b, text);
}

void fg_json_hex(struct fg_json_buf *b, unsigned long long v)
{
	char text[32];
	begin_value(b);
	snprintf(text, sizeof(text), "\"0x%llx\"", v);
	put(b, text);
}

void fg_json_bool(struct fg_json_buf *b, bool v)
{
	begin_value(b);
	put(b, v ? "true" : "false");
}

void fg_json_null(struct fg_json_buf *b)
{
	begin_value(b);
	put(b, "null");
}
