// Unit tests for lib/glob.c: path patterns.
//
// (Line comments: the patterns below would close a block comment.)
#include <check.h>
#include <fnmatch.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "glob.h"

#define N_ELEMENTS(a) (sizeof(a) / sizeof((a)[0]))

struct match_case {
	const char *pattern;
	const char *path;
	bool expected;
};

static const struct match_case match_cases[] = {
	// Literals.
	{ "/", "/", true },
	{ "/", "/a", false },
	{ "/etc/passwd", "/etc/passwd", true },
	{ "/etc/passwd", "/etc/passwd2", false },
	{ "/etc/passwd", "/etc", false },
	{ "/etc", "/etc/passwd", false },
	{ "/etc/passwd", "/ETC/passwd", false },
	// '*' stays within a component.
	{ "/tmp/*", "/tmp/x", true },
	{ "/tmp/*", "/tmp", false },
	{ "/tmp/*", "/tmp/x/y", false },
	{ "/tmp/*.log", "/tmp/a.log", true },
	{ "/tmp/*.log", "/tmp/.log", true },
	{ "/tmp/*.log", "/tmp/a.log.gz", false },
	{ "/tmp/*.log*", "/tmp/a.log.gz", true },
	{ "/tmp/a*b*c", "/tmp/abc", true },
	{ "/tmp/a*b*c", "/tmp/aXbYbZc", true },
	{ "/tmp/a*b*c", "/tmp/aXbYcZ", false },
	{ "/*", "/etc", true },
	{ "/*", "/", false },
	{ "/*/passwd", "/etc/passwd", true },
	{ "/*/passwd", "/usr/etc/passwd", false },
	{ "/a*", "/a/b", false },
	{ "/a*", "/a", true },
	// No dotfile rule.
	{ "/home/*", "/home/.bashrc", true },
	{ "/home/*/.ssh/*", "/home/u/.ssh/id_rsa", true },
	{ "/home/?bashrc", "/home/.bashrc", true },
	// '?' is one byte, never '/'.
	{ "/dev/tty?", "/dev/tty1", true },
	{ "/dev/tty?", "/dev/tty", false },
	{ "/dev/tty?", "/dev/tty10", false },
	{ "/a?b", "/a/b", false },
	{ "/??", "/\xc3\xa9", true },
	{ "/?", "/\xc3\xa9", false },
	// Classes.
	{ "/dev/sd[abc]", "/dev/sdb", true },
	{ "/dev/sd[abc]", "/dev/sdd", false },
	{ "/dev/sd[a-c]1", "/dev/sdc1", true },
	{ "/dev/sd[a-c]1", "/dev/sdd1", false },
	{ "/dev/sd[!a-c]", "/dev/sdd", true },
	{ "/dev/sd[!a-c]", "/dev/sda", false },
	{ "/dev/sd[^a-c]", "/dev/sdz", true },
	{ "/dev/sd[^a-c]", "/dev/sdb", false },
	{ "/x[]]", "/x]", true },
	{ "/x[]a]", "/xa", true },
	{ "/x[!]]", "/x]", false },
	{ "/x[!]]", "/xa", true },
	{ "/x[a-]", "/x-", true },
	{ "/x[-a]", "/x-", true },
	{ "/x[\\]]", "/x]", true },
	{ "/x[\\-]", "/x-", true },
	{ "/x[[]", "/x[", true },
	{ "/a[!b]c", "/a/c", false },
	{ "/x[\x80-\xff]", "/x\xc3", true },
	{ "/x[a", "/x[a", true }, // invalid: an unterminated '[' is literal
	// Escapes.
	{ "/a\\*b", "/a*b", true },
	{ "/a\\*b", "/axb", false },
	{ "/a\\?", "/a?", true },
	{ "/a\\?", "/ab", false },
	{ "/a\\[b]", "/a[b]", true },
	{ "/a\\[b]", "/ab", false },
	{ "/a\\\\b", "/a\\b", true },
	{ "/\\a", "/a", true },
	// '**' as a whole component.
	{ "/a/**/b", "/a/b", true },
	{ "/a/**/b", "/a/x/b", true },
	{ "/a/**/b", "/a/x/y/b", true },
	{ "/a/**/b", "/a/x/y/c", false },
	{ "/a/**/b", "/a/b/c", false },
	{ "/a/**/b", "/ab", false },
	{ "/a/**/b", "/a/b/b/b", true },
	{ "/data/**", "/data", true },
	{ "/data/**", "/data/x", true },
	{ "/data/**", "/data/x/y", true },
	{ "/data/**", "/database", false },
	{ "/data/**", "/", false },
	{ "/**", "/", true },
	{ "/**", "/anything/at/all", true },
	{ "/**", "/.hidden/.dir", true },
	{ "/**/*.so", "/lib.so", true },
	{ "/**/*.so", "/usr/lib/x86_64/libc.so", true },
	{ "/**/*.so", "/usr/lib/libc.so.6", false },
	{ "/a/**/b/**/c", "/a/b/c", true },
	{ "/a/**/b/**/c", "/a/x/b/y/z/c", true },
	{ "/a/**/b/**/c", "/a/c/b", false },
	{ "/a/**/**/b", "/a/b", true },
	{ "/**/.ssh/**", "/home/u/.ssh/id_rsa", true },
	{ "/**/.ssh/**", "/home/u/.sshx/id_rsa", false },
	{ "/a/**/x*/b", "/a/q/xy/b", true },
	{ "/a/**/x*/b", "/a/xy/q/b", false },
	{ "/**/a/b", "/a/a/a/b", true },
	{ "/**/a/b", "/a/b/a", false },
	{ "/proc/*/status", "/proc/123/status", true },
	{ "/proc/*/status", "/proc/123/task/4/status", false },
	{ "/proc/**/status", "/proc/123/task/4/status", true },
	// Invalid '**' acts as '*'.
	{ "/a***", "/abc", true },
	{ "/a**", "/a/b", false },
	// Not absolute.
	{ "etc/*", "etc/x", false },
	{ "/etc/*", "etc/x", false },
	{ "", "/", false },
};

START_TEST(match_table)
{
	const struct match_case *c = &match_cases[_i];
	ck_assert_msg(fg_glob_match(c->pattern, c->path) == c->expected,
		      "case %d: pattern \"%s\" path \"%s\": expected %s", _i, c->pattern, c->path,
		      c->expected ? "a match" : "no match");
}
END_TEST

START_TEST(literal_prefix_of_every_match)
{
	const struct match_case *c = &match_cases[_i];
	size_t prefix = fg_glob_literal_prefix(c->pattern);
	ck_assert_msg(!c->expected || strncmp(c->path, c->pattern, prefix) == 0,
		      "case %d: pattern \"%s\" matches \"%s\" but its prefix of %zu bytes does not",
		      _i, c->pattern, c->path, prefix);
}
END_TEST

START_TEST(literal_prefix_values)
{
	ck_assert_uint_eq(fg_glob_literal_prefix("/etc/passwd"), strlen("/etc/passwd"));
	ck_assert_uint_eq(fg_glob_literal_prefix("/tmp/*.log"), strlen("/tmp/"));
	ck_assert_uint_eq(fg_glob_literal_prefix("/data/**"), strlen("/data"));
	ck_assert_uint_eq(fg_glob_literal_prefix("/**"), 0);
	ck_assert_uint_eq(fg_glob_literal_prefix("/a/\\*"), strlen("/a/"));
	ck_assert_uint_eq(fg_glob_literal_prefix("/a[bc]"), strlen("/a"));
}
END_TEST

START_TEST(match_null)
{
	ck_assert(!fg_glob_match(NULL, "/"));
	ck_assert(!fg_glob_match("/**", NULL));
}
END_TEST

struct validate_case {
	const char *pattern;
	const char *error; // substring of the message, NULL when valid
};

static const struct validate_case validate_cases[] = {
	{ "/", NULL },
	{ "/etc/passwd", NULL },
	{ "/**", NULL },
	{ "/a/**/b", NULL },
	{ "/data/**", NULL },
	{ "/tmp/*.log", NULL },
	{ "/x[]]", NULL },
	{ "/x[!]a]", NULL },
	{ "/x[^a-z0-9]", NULL },
	{ "/a\\*", NULL },
	{ "/a\\\\", NULL },
	{ "/a\\**", NULL },
	{ "/a/...", NULL },
	{ "/a/.b", NULL },
	{ "", "empty path pattern" },
	{ NULL, "empty path pattern" },
	{ "etc/passwd", "column 1: the pattern is not absolute" },
	{ "*", "not absolute" },
	{ "/a**", "column 3: '**' must be a whole component" },
	{ "/a**/", "'**' must be a whole component" },
	{ "/**a", "'**' must be a whole component" },
	{ "/a/***/b", "'**' must be a whole component" },
	{ "/a/[bc", "column 4: unterminated '['" },
	{ "/a/[]", "empty character class" },
	{ "/a/[!]", "empty character class" },
	{ "/a/[a/b]", "cannot contain '/'" },
	{ "/a/[z-a]", "ends below its start" },
	{ "/a//b", "column 4: empty component" },
	{ "/a/", "cannot end with '/'" },
	{ "/a/./b", "'.' and '..' components never match" },
	{ "/a/..", "'.' and '..' components never match" },
	{ "/a\\", "escapes nothing" },
	{ "/a\\/b", "cannot be escaped" },
	{ "/x[\\", "unterminated '['" },
};

START_TEST(validate_table)
{
	const struct validate_case *c = &validate_cases[_i];
	struct fg_error err = { { 0 } };
	int rc = fg_glob_validate(c->pattern, &err);
	if (c->error == NULL) {
		ck_assert_msg(rc == 0, "\"%s\" rejected: %s", c->pattern, err.msg);
	} else {
		ck_assert_msg(rc == -1, "\"%s\" accepted", c->pattern ? c->pattern : "(null)");
		ck_assert_msg(strstr(err.msg, c->error) != NULL,
			      "\"%s\": message \"%s\" lacks \"%s\"",
			      c->pattern ? c->pattern : "(null)", err.msg, c->error);
	}
}
END_TEST

START_TEST(validate_length)
{
	static char pattern[FG_GLOB_MAX_LEN + 2];
	struct fg_error err = { { 0 } };
	memset(pattern, 'a', sizeof(pattern) - 1);
	pattern[0] = '/';
	pattern[FG_GLOB_MAX_LEN] = '\0';
	ck_assert_int_eq(fg_glob_validate(pattern, &err), 0);
	pattern[FG_GLOB_MAX_LEN] = 'a';
	ck_assert_int_eq(fg_glob_validate(pattern, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "longer than a path can be"));
	// The message shows only the start of a long pattern and stays whole.
	ck_assert_uint_lt(strlen(err.msg), sizeof(err.msg) - 1);
	ck_assert_ptr_nonnull(strstr(err.msg, "...\""));
}
END_TEST

START_TEST(validate_without_error_buffer)
{
	ck_assert_int_eq(fg_glob_validate("relative", NULL), -1);
}
END_TEST

struct specificity_case {
	const char *pattern;
	int expected;
};

static const struct specificity_case specificity_cases[] = {
	{ "/", 1 },		  // the separator is literal
	{ "/etc/passwd", 11 },	  // all literal
	{ "/etc/*", 5 },	  // a star counts 0
	{ "/**", 1 },		  // so does a globstar
	{ "/etc/pass[wx]d", 10 }, // and a class
	{ "/a\\*", 3 },		  // an escaped byte counts 1
	{ "/dev/tty?", 8 },	  // '?' counts 0
	{ "/a/**/b", 5 },	  // separators around '**' count
	{ "/x[a", 4 },		  // an unterminated '[' is literal
};

START_TEST(specificity_table)
{
	const struct specificity_case *c = &specificity_cases[_i];
	ck_assert_msg(fg_glob_specificity(c->pattern) == c->expected, "\"%s\": %d, expected %d",
		      c->pattern, fg_glob_specificity(c->pattern), c->expected);
}
END_TEST

START_TEST(specificity_orders_rules)
{
	ck_assert_int_gt(fg_glob_specificity("/etc/passwd"), fg_glob_specificity("/etc/*"));
	ck_assert_int_gt(fg_glob_specificity("/etc/*"), fg_glob_specificity("/**"));
	ck_assert_int_eq(fg_glob_specificity(NULL), 0);
}
END_TEST

// Inputs that make a naive backtracking matcher take exponential time. The
// test only has to finish within Check's timeout.
static char *repeat(const char *head, const char *unit, size_t count, const char *tail)
{
	size_t len = strlen(head) + strlen(unit) * count + strlen(tail);
	char *s = malloc(len + 1);
	ck_assert_ptr_nonnull(s);
	char *at = stpcpy(s, head);
	for (size_t i = 0; i < count; i++)
		at = stpcpy(at, unit);
	strcpy(at, tail);
	return s;
}

START_TEST(pathological_globstars)
{
	char *deep = repeat("", "/a", 2047, "");	// 4094 bytes
	char *deep_b = repeat("", "/a", 2046, "/b");	// ends in b
	char *many = repeat("", "/**/a", 600, "/**/b"); // 3005 bytes
	ck_assert(!fg_glob_match("/**/a/**/a/**/a/**/a/**/b", deep));
	ck_assert(fg_glob_match("/**/a/**/a/**/a/**/a/**/b", deep_b));
	ck_assert(!fg_glob_match(many, deep));
	ck_assert(fg_glob_match(many, deep_b));
	char *too_few = repeat("", "/a", 599, "/b"); // the pattern needs 600 a's
	ck_assert(!fg_glob_match(many, too_few));
	// A long run of literal components after '**' must not be retried at
	// every depth more than once each.
	char *long_tail = repeat("/**", "/a", 1000, "/b");
	char *long_middle = repeat("/**", "/a", 1000, "/b/**");
	ck_assert(!fg_glob_match(long_tail, deep));
	ck_assert(fg_glob_match(long_tail, deep_b));
	ck_assert(!fg_glob_match(long_middle, deep));
	ck_assert(fg_glob_match(long_middle, deep_b));
	free(long_tail);
	free(long_middle);
	free(deep);
	free(deep_b);
	free(many);
	free(too_few);
}
END_TEST

START_TEST(pathological_stars)
{
	char *long_a = repeat("/", "a", 4094, "");
	char *stars = repeat("/", "*a", 1000, "*b");
	char *almost = repeat("/*", "a", 2000, "b"); // long literal after a star
	ck_assert(!fg_glob_match(stars, long_a));
	ck_assert(!fg_glob_match(almost, long_a));
	ck_assert(!fg_glob_match("/a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b", long_a));
	ck_assert(fg_glob_match("/a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*", long_a));
	char *stars_path = repeat("/", "*a", 1000, "*b"); // stars as bytes of a path
	ck_assert(fg_glob_match(stars, stars_path));
	free(long_a);
	free(stars);
	free(almost);
	free(stars_path);
}
END_TEST

// A slow but obviously right matcher: fnmatch(3) for one component (it has
// the same '*', '?', class and escape rules when no '/' is involved), and
// plain recursion for '**'.
static bool reference_match(const char *p, const char *s)
{
	if (*p == '\0')
		return *s == '\0';
	const char *p_end = strchr(p + 1, '/');
	size_t p_len = p_end ? (size_t)(p_end - p) : strlen(p);
	if (p_len == 3 && p[1] == '*' && p[2] == '*') {
		if (reference_match(p + 3, s))
			return true;
		if (*s == '\0')
			return false;
		const char *s_next = strchr(s + 1, '/');
		return reference_match(p, s_next ? s_next : s + strlen(s));
	}
	if (*s == '\0')
		return false;
	const char *s_end = strchr(s + 1, '/');
	size_t s_len = s_end ? (size_t)(s_end - s) : strlen(s);
	char pc[64];
	char sc[64];
	snprintf(pc, sizeof(pc), "%.*s", (int)(p_len - 1), p + 1);
	snprintf(sc, sizeof(sc), "%.*s", (int)(s_len - 1), s + 1);
	if (fnmatch(pc, sc, 0) != 0)
		return false;
	return reference_match(p + p_len, s + s_len);
}

static uint32_t next_random(uint32_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 17;
	*state ^= *state << 5;
	return *state;
}

START_TEST(matches_reference)
{
	static const char *const pattern_atoms[] = { "a", "b", "*", "?", "[ab]", "[!a]", "\\a" };
	uint32_t state = 0x2545F491;
	char pattern[128];
	char path[128];
	int matched = 0;
	for (int round = 0; round < 20000; round++) {
		// Patterns: 1-4 components, each '**' or 1-3 atoms.
		char *at = pattern;
		int comps = 1 + (int)(next_random(&state) % 4);
		for (int c = 0; c < comps; c++) {
			*at++ = '/';
			if (next_random(&state) % 4 == 0) {
				at = stpcpy(at, "**");
				continue;
			}
			int atoms = 1 + (int)(next_random(&state) % 3);
			const char *last = "";
			for (int a = 0; a < atoms; a++) {
				const char *atom;
				do // '**' within a component is invalid
					atom = pattern_atoms[next_random(&state) %
							     N_ELEMENTS(pattern_atoms)];
				while (atom[0] == '*' && last[0] == '*');
				at = stpcpy(at, atom);
				last = atom;
			}
		}
		*at = '\0';
		// Paths: "/" or 1-5 components of 1-3 bytes.
		at = path;
		int path_comps = (int)(next_random(&state) % 6);
		for (int c = 0; c < path_comps; c++) {
			*at++ = '/';
			int len = 1 + (int)(next_random(&state) % 3);
			for (int i = 0; i < len; i++)
				*at++ = "ab"[next_random(&state) % 2];
		}
		if (at == path)
			*at++ = '/';
		*at = '\0';
		struct fg_error err;
		ck_assert_msg(fg_glob_validate(pattern, &err) == 0, "%s", err.msg);
		bool expected = reference_match(pattern, strcmp(path, "/") == 0 ? "" : path);
		ck_assert_msg(fg_glob_match(pattern, path) == expected,
			      "pattern \"%s\" path \"%s\": expected %s", pattern, path,
			      expected ? "a match" : "no match");
		// The literal prefix is a necessary condition of every match.
		size_t prefix = fg_glob_literal_prefix(pattern);
		ck_assert_msg(!expected || strncmp(path, pattern, prefix) == 0,
			      "pattern \"%s\" matches \"%s\" but its prefix of %zu bytes does not",
			      pattern, path, prefix);
		matched += expected;
	}
	// The generator must produce both outcomes to mean anything.
	ck_assert_int_gt(matched, 1000);
	ck_assert_int_lt(matched, 19000);
}
END_TEST

static Suite *glob_suite(void)
{
	Suite *s = suite_create("glob");
	TCase *tc = tcase_create("match");
	tcase_add_loop_test(tc, match_table, 0, (int)N_ELEMENTS(match_cases));
	tcase_add_loop_test(tc, literal_prefix_of_every_match, 0, (int)N_ELEMENTS(match_cases));
	tcase_add_test(tc, literal_prefix_values);
	tcase_add_test(tc, match_null);
	tcase_add_test(tc, matches_reference);
	suite_add_tcase(s, tc);
	tc = tcase_create("validate");
	tcase_add_loop_test(tc, validate_table, 0, (int)N_ELEMENTS(validate_cases));
	tcase_add_test(tc, validate_length);
	tcase_add_test(tc, validate_without_error_buffer);
	suite_add_tcase(s, tc);
	tc = tcase_create("specificity");
	tcase_add_loop_test(tc, specificity_table, 0, (int)N_ELEMENTS(specificity_cases));
	tcase_add_test(tc, specificity_orders_rules);
	suite_add_tcase(s, tc);
	tc = tcase_create("pathological");
	tcase_add_test(tc, pathological_globstars);
	tcase_add_test(tc, pathological_stars);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(glob_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
