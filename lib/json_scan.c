#include "json_scan.h"

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

/* Policies are shallow; a deep file is almost certainly not a policy. */
enum { MAX_DEPTH = 64 };

struct scanner {
	const char *text;
	size_t len;
	size_t at;
	struct fg_json_positions *pos;
	size_t error_offset;
	char *what;
	size_t what_size;
};

static int fail(struct scanner *s, size_t offset, const char *what)
{
	s->error_offset = offset;
	snprintf(s->what, s->what_size, "%s", what);
	return -1;
}

static int record(struct scanner *s, size_t value_offset, size_t key_offset)
{
	struct fg_json_positions *p = s->pos;
	if (p->count == p->capacity) {
		size_t cap = p->capacity ? p->capacity * 2 : 64;
		size_t *v = realloc(p->value_offset, cap * sizeof(*v));
		if (v == NULL)
			return fail(s, value_offset, "out of memory");
		p->value_offset = v;
		size_t *k = realloc(p->key_offset, cap * sizeof(*k));
		if (k == NULL)
			return fail(s, value_offset, "out of memory");
		p->key_offset = k;
		p->capacity = cap;
	}
	p->value_offset[p->count] = value_offset;
	p->key_offset[p->count] = key_offset;
	p->count++;
	return 0;
}

static void skip_space(struct scanner *s)
{
	while (s->at < s->len) {
		char c = s->text[s->at];
		if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
			return;
		s->at++;
	}
}

static bool at_end(const struct scanner *s)
{
	return s->at >= s->len;
}

static char peek(const struct scanner *s)
{
	return at_end(s) ? '\0' : s->text[s->at];
}

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static int scan_string(struct scanner *s)
{
	size_t start = s->at;
	s->at++; /* opening quote */
	for (;;) {
		if (at_end(s))
			return fail(s, start, "unterminated string");
		unsigned char c = (unsigned char)s->text[s->at];
		if (c == '"') {
			s->at++;
			return 0;
		}
		if (c < 0x20)
			return fail(
			    s, s->at,
			    "control character inside a string (use an escape such as \\n)");
		if (c == '\\') {
			s->at++;
			char e = peek(s);
			if (e == 'u') {
				for (int i = 1; i <= 4; i++) {
					if (s->at + i >= s->len || !is_hex(s->text[s->at + i]))
						return fail(
						    s, s->at,
						    "expected four hexadecimal digits after \\u");
				}
				s->at += 5;
				continue;
			}
			if (strchr("\"\\/bfnrt", e) == NULL || e == '\0')
				return fail(s, s->at - 1,
					    "invalid escape in a string (expected one of \\\" \\\\ "
					    "\\/ \\b \\f \\n \\r \\t \\uXXXX)");
			s->at++;
			continue;
		}
		size_t n =
		    fg_utf8_sequence_length((const unsigned char *)s->text + s->at, s->len - s->at);
		if (n == 0)
			return fail(s, s->at, "invalid UTF-8 in a string");
		s->at += n;
	}
}

static int scan_digits(struct scanner *s, const char *what)
{
	if (!(peek(s) >= '0' && peek(s) <= '9'))
		return fail(s, s->at, what);
	while (peek(s) >= '0' && peek(s) <= '9')
		s->at++;
	return 0;
}

static int scan_number(struct scanner *s)
{
	if (peek(s) == '-')
		s->at++;
	if (peek(s) == '0') {
		s->at++;
		if (peek(s) >= '0' && peek(s) <= '9')
			return fail(s, s->at, "numbers must not have leading zeros");
	} else if (scan_digits(s, "expected a digit") < 0) {
		return -1;
	}
	if (peek(s) == '.') {
		s->at++;
		if (scan_digits(s, "expected a digit after the decimal point") < 0)
			return -1;
	}
	if (peek(s) == 'e' || peek(s) == 'E') {
		s->at++;
		if (peek(s) == '+' || peek(s) == '-')
			s->at++;
		if (scan_digits(s, "expected a digit in the exponent") < 0)
			return -1;
	}
	return 0;
}

static int scan_literal(struct scanner *s, const char *word)
{
	size_t n = strlen(word);
	if (s->len - s->at < n || memcmp(s->text + s->at, word, n) != 0)
		return fail(
		    s, s->at,
		    "expected a value (a string, number, object, array, true, false or null)");
	s->at += n;
	return 0;
}

static int scan_value(struct scanner *s, size_t key_offset, int depth);

static int scan_object(struct scanner *s, int depth)
{
	s->at++; /* '{' */
	skip_space(s);
	if (peek(s) == '}') {
		s->at++;
		return 0;
	}
	for (;;) {
		skip_space(s);
		if (peek(s) != '"')
			return fail(s, s->at,
				    peek(s) == '}' ? "trailing comma before '}'"
						   : "expected a member name in double quotes");
		size_t key_offset = s->at;
		if (scan_string(s) < 0)
			return -1;
		skip_space(s);
		if (peek(s) != ':')
			return fail(s, s->at, "expected ':' after the member name");
		s->at++;
		skip_space(s);
		if (scan_value(s, key_offset, depth + 1) < 0)
			return -1;
		skip_space(s);
		if (peek(s) == ',') {
			s->at++;
			continue;
		}
		if (peek(s) == '}') {
			s->at++;
			return 0;
		}
		return fail(s, s->at, "expected ',' or '}' after an object member");
	}
}

static int scan_array(struct scanner *s, int depth)
{
	s->at++; /* '[' */
	skip_space(s);
	if (peek(s) == ']') {
		s->at++;
		return 0;
	}
	for (;;) {
		skip_space(s);
		if (peek(s) == ']')
			return fail(s, s->at, "trailing comma before ']'");
		if (scan_value(s, (size_t)-1, depth + 1) < 0)
			return -1;
		skip_space(s);
		if (peek(s) == ',') {
			s->at++;
			continue;
		}
		if (peek(s) == ']') {
			s->at++;
			return 0;
		}
		return fail(s, s->at, "expected ',' or ']' after an array element");
	}
}

static int scan_value(struct scanner *s, size_t key_offset, int depth)
{
	if (depth > MAX_DEPTH)
		return fail(s, s->at, "nesting is too deep for a policy");
	if (at_end(s))
		return fail(s, s->at, "unexpected end of file, expected a value");
	if (record(s, s->at, key_offset) < 0)
		return -1;
	switch (peek(s)) {
	case '{':
		return scan_object(s, depth);
	case '[':
		return scan_array(s, depth);
	case '"':
		return scan_string(s);
	case 't':
		return scan_literal(s, "true");
	case 'f':
		return scan_literal(s, "false");
	case 'n':
		return scan_literal(s, "null");
	default:
		if (peek(s) == '-' || (peek(s) >= '0' && peek(s) <= '9'))
			return scan_number(s);
		return fail(
		    s, s->at,
		    "expected a value (a string, number, object, array, true, false or null)");
	}
}

int fg_json_scan(const char *text, size_t len, struct fg_json_positions *pos, size_t *error_offset,
		 char *what, size_t what_size)
{
	struct scanner s = {
		.text = text,
		.len = len,
		.pos = pos,
		.what = what,
		.what_size = what_size,
	};
	memset(pos, 0, sizeof(*pos));
	skip_space(&s);
	int rc = scan_value(&s, (size_t)-1, 0);
	if (rc == 0) {
		skip_space(&s);
		if (!at_end(&s))
			rc = fail(&s, s.at, "unexpected text after the end of the policy");
	}
	if (rc < 0) {
		*error_offset = s.error_offset;
		fg_json_positions_free(pos);
	}
	return rc;
}

void fg_json_positions_free(struct fg_json_positions *pos)
{
	free(pos->value_offset);
	free(pos->key_offset);
	memset(pos, 0, sizeof(*pos));
}

void fg_json_line_col(const char *text, size_t offset, int *line, int *col)
{
	int l = 1;
	int c = 1;
	for (size_t i = 0; i < offset && text[i] != '\0'; i++) {
		if (text[i] == '\n') {
			l++;
			c = 1;
		} else {
			c++;
		}
	}
	*line = l;
	*col = c;
}

/* Pre-order index of `node` below `at`, counting from *index. */
static bool find_preorder(const cJSON *at, const cJSON *node, size_t *index)
{
	if (at == node)
		return true;
	(*index)++;
	for (const cJSON *child = at->child; child != NULL; child = child->next) {
		if (find_preorder(child, node, index))
			return true;
	}
	return false;
}

size_t fg_json_node_offset(const struct fg_json_positions *pos, const cJSON *root,
			   const cJSON *node, int want_key)
{
	size_t index = 0;
	if (!find_preorder(root, node, &index) || index >= pos->count)
		return 0;
	if (want_key && pos->key_offset[index] != (size_t)-1)
		return pos->key_offset[index];
	return pos->value_offset[index];
}
