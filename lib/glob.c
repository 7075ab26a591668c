// glob.c - path pattern matching (syntax in glob.h).
//
// Line comments, as in glob.h: the patterns in them would close a block.
//
// Matching runs on two levels, both the classic iterative wildcard match
// that, on a mismatch, backtracks only to the most recent star:
//  - across components, where '**' is the star and every other pattern
//    component matches exactly one path component;
//  - within one component, where '*' is the star and '?', a class or a
//    literal byte matches exactly one byte.
// Backtracking to the last star alone is exact when everything else matches
// a fixed amount of input: an earlier star could only take over what the
// later one takes anyway. Each (pattern component, path component) pair is
// compared at most once, so the cost is bounded by the product of the
// lengths and adversarial patterns cannot make it exponential.
#include "glob.h"

#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

// A class that starts at p[i] == '[' within p[0..n), n being the end of the
// component: its end and, when a byte was given, whether it matches it.
struct class_scan {
	size_t end;	    // index just past the closing ']', or 0: unterminated
	size_t reversed_at; // index of the first range like z-a, or SIZE_MAX
	bool matched;
};

// One byte of a class, possibly escaped; advances *i past it.
static unsigned char class_byte(const char *p, size_t n, size_t *i)
{
	if (p[*i] == '\\' && *i + 1 < n)
		(*i)++;
	return (unsigned char)p[(*i)++];
}

// c is the byte to test, or -1 to only find the end (for validation).
static void scan_class(const char *p, size_t n, size_t i, int c, struct class_scan *cs)
{
	size_t j = i + 1;
	bool negate = false;
	bool found = false;
	cs->end = 0;
	cs->reversed_at = SIZE_MAX;
	cs->matched = false;
	if (j < n && (p[j] == '!' || p[j] == '^')) {
		negate = true;
		j++;
	}
	size_t first = j; // a ']' here is a member, not the end
	while (j < n) {
		if (p[j] == ']' && j > first) {
			cs->end = j + 1;
			cs->matched = c >= 0 && c != '/' && found != negate;
			return;
		}
		size_t item = j;
		unsigned char lo = class_byte(p, n, &j);
		unsigned char hi = lo;
		if (j + 1 < n && p[j] == '-' && p[j + 1] != ']') {
			j++;
			hi = class_byte(p, n, &j);
			if (hi < lo && cs->reversed_at == SIZE_MAX)
				cs->reversed_at = item;
		}
		if (c >= lo && c <= hi)
			found = true;
	}
}

// Matches the single-byte element at p[pi] against c. Returns the index
// after the element when it matches, 0 when it does not (an element is
// never empty, so 0 is no valid answer).
static size_t match_one(const char *p, size_t pn, size_t pi, unsigned char c)
{
	switch (p[pi]) {
	case '?':
		return c != '/' ? pi + 1 : 0;
	case '[': {
		struct class_scan cs;
		scan_class(p, pn, pi, c, &cs);
		if (cs.end != 0)
			return cs.matched ? cs.end : 0;
		break; // unterminated: a literal '['
	}
	case '\\':
		if (pi + 1 < pn)
			return (unsigned char)p[pi + 1] == c ? pi + 2 : 0;
		break; // nothing to escape: a literal '\'
	default:
		break;
	}
	return (unsigned char)p[pi] == c ? pi + 1 : 0;
}

// Index just past the element at p[pi] (a '*' or what match_one matches).
static size_t element_end(const char *p, size_t pn, size_t pi)
{
	if (p[pi] == '[') {
		struct class_scan cs;
		scan_class(p, pn, pi, -1, &cs);
		if (cs.end != 0)
			return cs.end;
	} else if (p[pi] == '\\' && pi + 1 < pn) {
		return pi + 2;
	}
	return pi + 1;
}

// Index of the last star in p[0..pn), or SIZE_MAX.
static size_t last_star(const char *p, size_t pn)
{
	size_t last = SIZE_MAX;
	for (size_t i = 0; i < pn; i = element_end(p, pn, i)) {
		if (p[i] == '*')
			last = i;
	}
	return last;
}

// p[pi..pn), which has no star, against exactly s[si..sn).
static bool match_fixed(const char *p, size_t pi, size_t pn, const char *s, size_t si, size_t sn)
{
	while (pi < pn && si < sn) {
		pi = match_one(p, pn, pi, (unsigned char)s[si++]);
		if (pi == 0)
			return false;
	}
	return pi == pn && si == sn;
}

// One pattern component against one path component, '*' being the star.
static bool match_component(const char *p, size_t pn, const char *s, size_t sn)
{
	size_t final_star = last_star(p, pn);
	size_t pi = 0;
	size_t si = 0;
	size_t star_pi = SIZE_MAX; // pattern index just after the last star
	size_t star_si = 0;	   // where that star's match currently ends
	while (si < sn) {
		if (pi < pn && p[pi] == '*') {
			bool final = false;
			for (; pi < pn && p[pi] == '*'; pi++)
				final = final || pi == final_star;
			if (final) {
				// What follows the final star matches a fixed number of
				// bytes, so only the end of s can match it: no search,
				// which keeps "*" + long literal linear.
				size_t need = 0;
				for (size_t i = pi; i < pn; i = element_end(p, pn, i))
					need++;
				return need <= sn - si && match_fixed(p, pi, pn, s, sn - need, sn);
			}
			star_pi = pi;
			star_si = si;
			continue;
		}
		if (pi < pn) {
			size_t next = match_one(p, pn, pi, (unsigned char)s[si]);
			if (next != 0) {
				pi = next;
				si++;
				continue;
			}
		}
		if (star_pi == SIZE_MAX)
			return false;
		pi = star_pi;
		si = ++star_si;
	}
	while (pi < pn && p[pi] == '*')
		pi++;
	return pi == pn;
}

// Component cursors: a pointer to the first byte of a component, NULL past
// the last one. "/" has no components; "/a/b" has "a" and "b".
static const char *first_component(const char *s)
{
	return s[1] == '\0' ? NULL : s + 1;
}

static const char *next_component(const char *c)
{
	const char *slash = strchr(c, '/');
	return slash != NULL ? slash + 1 : NULL;
}

static size_t component_length(const char *c)
{
	return strcspn(c, "/");
}

static bool is_globstar(const char *c)
{
	return c[0] == '*' && c[1] == '*' && (c[2] == '/' || c[2] == '\0');
}

static const char *last_globstar(const char *c)
{
	const char *last = NULL;
	for (; c != NULL; c = next_component(c)) {
		if (is_globstar(c))
			last = c;
	}
	return last;
}

static size_t count_components(const char *c)
{
	size_t n = 0;
	for (; c != NULL; c = next_component(c))
		n++;
	return n;
}

// Pattern components without '**' against exactly as many path components.
static bool match_fixed_components(const char *p, const char *s)
{
	for (; p != NULL && s != NULL; p = next_component(p), s = next_component(s)) {
		if (!match_component(p, component_length(p), s, component_length(s)))
			return false;
	}
	return p == NULL && s == NULL;
}

bool fg_glob_match(const char *pattern, const char *path)
{
	if (pattern == NULL || path == NULL || pattern[0] != '/' || path[0] != '/')
		return false;
	const char *p = first_component(pattern);
	const char *s = first_component(path);
	const char *final_globstar = last_globstar(p);
	const char *star_p = NULL; // pattern component after the last '**'
	const char *star_s = NULL; // where that '**' match currently ends
	bool have_star = false;
	for (;;) {
		if (p != NULL && is_globstar(p)) {
			bool final = p == final_globstar;
			p = next_component(p);
			if (final) {
				// As with the final '*' in a component: the rest matches a
				// fixed number of components, the last ones of the path.
				size_t need = count_components(p);
				size_t have = count_components(s);
				if (need > have)
					return false;
				for (size_t skip = have - need; skip > 0; skip--)
					s = next_component(s);
				return match_fixed_components(p, s);
			}
			star_p = p;
			star_s = s;
			have_star = true;
			continue;
		}
		if (p != NULL && s != NULL &&
		    match_component(p, component_length(p), s, component_length(s))) {
			p = next_component(p);
			s = next_component(s);
			continue;
		}
		if (p == NULL && s == NULL)
			return true;
		if (!have_star || star_s == NULL)
			return false;
		star_s = next_component(star_s);
		p = star_p;
		s = star_s;
	}
}

// Shows at most this much of a pattern in messages, which have 1 KiB.
enum { SHOWN_MAX = 200 };

static int fail(struct fg_error *err, const char *pattern, size_t at, const char *what)
{
	size_t len = strlen(pattern);
	return fg_error_set(err, "path pattern \"%.*s%s\": column %zu: %s",
			    (int)(len > SHOWN_MAX ? SHOWN_MAX : len), pattern,
			    len > SHOWN_MAX ? "..." : "", at + 1, what);
}

// Checks the class at pattern[i] == '[' within the component ending at
// `end`; on success stores the index after it in *next.
static int validate_class(const char *pattern, size_t i, size_t end, size_t *next,
			  struct fg_error *err)
{
	struct class_scan cs;
	scan_class(pattern, end, i, -1, &cs);
	if (cs.end == 0) {
		size_t body = i + 1;
		if (body < end && (pattern[body] == '!' || pattern[body] == '^'))
			body++;
		if (pattern[end] == '/' && strchr(pattern + end, ']') != NULL)
			return fail(err, pattern, i,
				    "a character class cannot contain '/' (it never matches '/')");
		if (body < end && pattern[body] == ']' && body + 1 == end)
			return fail(err, pattern, i,
				    "empty character class: a ']' right after '[' or '[!' is a "
				    "member, so this '[' is never closed (write \\[ for a "
				    "literal '[')");
		return fail(err, pattern, i, "unterminated '[' (write \\[ for a literal '[')");
	}
	if (cs.reversed_at != SIZE_MAX)
		return fail(err, pattern, cs.reversed_at,
			    "a range in a character class ends below its start (write [a-z], "
			    "not [z-a])");
	*next = cs.end;
	return 0;
}

static int validate_component(const char *pattern, size_t start, size_t end, struct fg_error *err)
{
	size_t n = end - start;
	const char *c = pattern + start;
	if (n == 0) {
		if (pattern[end] == '\0')
			return fail(err, pattern, start - 1,
				    "a pattern cannot end with '/': write /dir for the directory "
				    "itself, or add '**' for it and everything below");
		return fail(err, pattern, start, "empty component ('//')");
	}
	if ((n == 1 && c[0] == '.') || (n == 2 && c[0] == '.' && c[1] == '.'))
		return fail(err, pattern, start,
			    "'.' and '..' components never match: paths are matched after "
			    "they are made absolute and normalised");
	if (n == 2 && c[0] == '*' && c[1] == '*')
		return 0;
	size_t i = start;
	while (i < end) {
		switch (pattern[i]) {
		case '\\':
			if (i + 1 == end && pattern[end] == '/')
				return fail(err, pattern, i,
					    "a '/' cannot be escaped: it always separates "
					    "components");
			if (i + 1 == end)
				return fail(err, pattern, i,
					    "a '\\' at the end escapes nothing (write \\\\ for a "
					    "literal '\\')");
			i += 2;
			break;
		case '[':
			if (validate_class(pattern, i, end, &i, err) < 0)
				return -1;
			break;
		case '*':
			if (i + 1 < end && pattern[i + 1] == '*')
				return fail(err, pattern, i,
					    "'**' must be a whole component, as in /a/**/b or "
					    "/a/**; within a component write '*'");
			i++;
			break;
		default:
			i++;
			break;
		}
	}
	return 0;
}

int fg_glob_validate(const char *pattern, struct fg_error *err)
{
	if (pattern == NULL || pattern[0] == '\0')
		return fg_error_set(err, "empty path pattern: patterns are absolute paths "
					 "such as /etc/** or /tmp/*.log");
	size_t len = strlen(pattern);
	if (len > FG_GLOB_MAX_LEN)
		return fail(err, pattern, FG_GLOB_MAX_LEN,
			    "the pattern is longer than a path can be (4095 bytes)");
	if (pattern[0] != '/')
		return fail(err, pattern, 0, "the pattern is not absolute: it must start with '/'");
	if (len == 1)
		return 0; // "/": the root directory only
	size_t start = 1;
	for (;;) {
		size_t end = start + component_length(pattern + start);
		if (validate_component(pattern, start, end, err) < 0)
			return -1;
		if (pattern[end] == '\0')
			return 0;
		start = end + 1;
	}
}

int fg_glob_specificity(const char *pattern)
{
	if (pattern == NULL)
		return 0;
	size_t count = 0;
	size_t i = 0;
	while (pattern[i] != '\0') {
		char ch = pattern[i];
		if (ch == '*' || ch == '?') {
			i++;
			continue;
		}
		if (ch == '[') {
			struct class_scan cs;
			scan_class(pattern, i + component_length(pattern + i), i, -1, &cs);
			if (cs.end != 0) {
				i = cs.end;
				continue;
			}
		}
		// As in matching: '\' escapes the next byte of its component.
		if (ch == '\\' && pattern[i + 1] != '\0' && pattern[i + 1] != '/')
			i++;
		count++;
		i++;
	}
	return count > INT_MAX ? INT_MAX : (int)count;
}

size_t fg_glob_literal_prefix(const char *pattern)
{
	size_t n = strcspn(pattern, "*?[\\");
	if (pattern[n] == '*' && pattern[n + 1] == '*' && n > 0 && pattern[n - 1] == '/')
		n--; // "/**" may match no component at all
	return n;
}
