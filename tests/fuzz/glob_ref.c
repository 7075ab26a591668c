/* glob_ref.c - the reference matcher (see glob_ref.h). */
#include "glob_ref.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* One element of a pattern: a star, or a set of bytes it takes one of. */
struct element {
	bool star;
	uint8_t set[32];
};

static void set_add(struct element *e, unsigned lo, unsigned hi)
{
	for (unsigned c = lo; c <= hi; c++)
		e->set[c / 8] |= (uint8_t)(1u << (c % 8));
}

static bool set_has(const struct element *e, unsigned char c)
{
	return (e->set[c / 8] >> (c % 8)) & 1u;
}

/* A member byte of a class: a byte, or '\' and the byte it escapes. */
static bool member_byte(const char *p, size_t n, size_t *i, unsigned char *out)
{
	if (*i >= n)
		return false;
	if (p[*i] == '\\') {
		if (*i + 1 >= n)
			return false;
		*out = (unsigned char)p[*i + 1];
		*i += 2;
		return true;
	}
	*out = (unsigned char)p[(*i)++];
	return true;
}

/* The class at p[*i] == '[': "[", an optional '!' or '^', members (a ']'
 * first is a member), "]". A member is a byte or a range "x-y" (a '-' before
 * the closing ']' is a byte). false when unterminated or reversed. */
static bool parse_class(const char *p, size_t n, size_t *i, struct element *e, bool path)
{
	size_t j = *i + 1;
	bool negate = j < n && (p[j] == '!' || p[j] == '^');
	if (negate)
		j++;
	struct element in = { 0 };
	bool first = true;
	for (;;) {
		if (j >= n)
			return false;
		if (p[j] == ']' && !first)
			break;
		first = false;
		unsigned char lo, hi;
		if (!member_byte(p, n, &j, &lo))
			return false;
		hi = lo;
		if (j + 1 < n && p[j] == '-' && p[j + 1] != ']') {
			j++;
			if (!member_byte(p, n, &j, &hi))
				return false;
			if (hi < lo)
				return false;
		}
		set_add(&in, lo, hi);
	}
	*i = j + 1;
	memset(e, 0, sizeof(*e));
	for (unsigned c = 0; c < 256; c++) {
		bool member = set_has(&in, (unsigned char)c) != negate;
		if (member && !(path && c == '/'))
			set_add(e, c, c);
	}
	return true;
}

/* Parses p[0..n) into elements (room for n). Returns their count, or -1
 * when malformed: an unterminated or reversed class, a '\' with nothing
 * after it, or two stars in a row. */
static long parse_elements(const char *p, size_t n, struct element *el, bool path)
{
	long count = 0;
	size_t i = 0;
	while (i < n) {
		struct element *e = &el[count];
		memset(e, 0, sizeof(*e));
		if (p[i] == '*') {
			if (count > 0 && el[count - 1].star)
				return -1;
			e->star = true;
			i++;
		} else if (p[i] == '?') {
			set_add(e, 0, 255);
			if (path)
				e->set['/' / 8] &= (uint8_t) ~(1u << ('/' % 8));
			i++;
		} else if (p[i] == '[') {
			if (!parse_class(p, n, &i, e, path))
				return -1;
		} else if (p[i] == '\\') {
			if (i + 1 >= n)
				return -1;
			set_add(e, (unsigned char)p[i + 1], (unsigned char)p[i + 1]);
			i += 2;
		} else {
			set_add(e, (unsigned char)p[i], (unsigned char)p[i]);
			i++;
		}
		count++;
	}
	return count;
}

/* Elements against exactly s[0..sn): match[i][j] is whether el[i..] matches
 * s[j..], filled from the end. */
static bool match_elements(const struct element *el, size_t m, const char *s, size_t sn)
{
	size_t w = sn + 1;
	bool *match = calloc((m + 1) * w, sizeof(bool));
	if (match == NULL)
		abort();
	match[m * w + sn] = true;
	for (size_t i = m; i-- > 0;) {
		for (size_t j = sn + 1; j-- > 0;) {
			bool ok;
			if (el[i].star)
				ok = match[(i + 1) * w + j] || (j < sn && match[i * w + j + 1]);
			else
				ok = j < sn && set_has(&el[i], (unsigned char)s[j]) &&
				     match[(i + 1) * w + j + 1];
			match[i * w + j] = ok;
		}
	}
	bool result = match[0];
	free(match);
	return result;
}

static int match_text(const char *p, size_t pn, const char *s, size_t sn, bool path)
{
	struct element *el = malloc((pn + 1) * sizeof(*el));
	if (el == NULL)
		abort();
	long m = parse_elements(p, pn, el, path);
	int r = m < 0 ? -1 : match_elements(el, (size_t)m, s, sn);
	free(el);
	return r;
}

/* Components of an absolute text: starts and lengths; "/" has none. */
struct comps {
	size_t count;
	const char **start;
	size_t *len;
};

static void split(const char *text, struct comps *c)
{
	size_t n = strlen(text);
	c->count = 0;
	c->start = malloc((n + 1) * sizeof(*c->start));
	c->len = malloc((n + 1) * sizeof(*c->len));
	if (c->start == NULL || c->len == NULL)
		abort();
	if (n <= 1)
		return;
	const char *p = text + 1;
	for (;;) {
		size_t len = strcspn(p, "/");
		c->start[c->count] = p;
		c->len[c->count++] = len;
		if (p[len] == '\0')
			return;
		p += len + 1;
	}
}

static void comps_free(struct comps *c)
{
	free(c->start);
	free(c->len);
}

static bool is_globstar(const struct comps *c, size_t i)
{
	return c->len[i] == 2 && memcmp(c->start[i], "**", 2) == 0;
}

bool ref_glob_valid(const char *pattern)
{
	size_t n = strlen(pattern);
	if (n == 0 || n > 4095 || pattern[0] != '/')
		return false;
	if (n == 1)
		return true;
	struct comps c;
	split(pattern, &c);
	bool ok = true;
	for (size_t i = 0; i < c.count && ok; i++) {
		const char *s = c.start[i];
		size_t len = c.len[i];
		if (len == 0 || (len == 1 && s[0] == '.') || (len == 2 && memcmp(s, "..", 2) == 0))
			ok = false;
		else if (!is_globstar(&c, i) && match_text(s, len, "", 0, true) < 0)
			ok = false;
	}
	comps_free(&c);
	return ok;
}

bool ref_glob_match(const char *pattern, const char *path)
{
	struct comps p, s;
	split(pattern, &p);
	split(path, &s);
	/* m[i][j]: pattern components i.. match path components j.. */
	size_t w = s.count + 1;
	bool *m = calloc((p.count + 1) * w, sizeof(bool));
	if (m == NULL)
		abort();
	m[p.count * w + s.count] = true;
	for (size_t i = p.count; i-- > 0;) {
		for (size_t j = s.count + 1; j-- > 0;) {
			bool ok;
			if (is_globstar(&p, i))
				ok = m[(i + 1) * w + j] || (j < s.count && m[i * w + j + 1]);
			else
				ok = j < s.count && m[(i + 1) * w + j + 1] &&
				     match_text(p.start[i], p.len[i], s.start[j], s.len[j], true) ==
					 1;
			m[i * w + j] = ok;
		}
	}
	bool result = m[0];
	free(m);
	comps_free(&p);
	comps_free(&s);
	return result;
}

bool ref_arg_valid(const char *pattern)
{
	return match_text(pattern, strlen(pattern), "", 0, false) >= 0;
}

bool ref_arg_match(const char *pattern, const char *arg)
{
	return match_text(pattern, strlen(pattern), arg, strlen(arg), false) == 1;
}
