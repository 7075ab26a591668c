/* fuzz_util.h - what every libFuzzer target of tests/fuzz shares.
 *
 * A target checks properties of what it fuzzes, not only "no crash": a
 * broken property calls fuzz_fail, which prints why and aborts, so libFuzzer
 * saves the input as a crash like any sanitizer finding.
 */
#ifndef FG_FUZZ_UTIL_H
#define FG_FUZZ_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* libFuzzer's entry points (declared for -Wmissing-prototypes). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static inline void fuzz_fail(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

static inline void fuzz_fail(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("fuzz: property broken: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	abort();
}

/* A NUL-terminated heap copy of data (exactly size + 1 bytes, so that ASan
 * sees any read past the end); NULL when out of memory. */
static inline char *fuzz_strndup(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (s == NULL)
		return NULL;
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* Prints a byte string with C escapes, for failure messages. */
static inline void fuzz_print_bytes(FILE *f, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\\' || c == '"')
			fprintf(f, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(f, "\\x%02x", c);
		else
			fputc(c, f);
	}
}

/* Absolute, and no empty, "." or ".." component: "/" or "/a/b", never
 * "/a/", "//a", "/a/./b" or "/a/../b". */
static inline bool fuzz_path_normalised(const char *path)
{
	if (path[0] != '/')
		return false;
	if (path[1] == '\0')
		return true;
	const char *c = path + 1;
	for (;;) {
		size_t n = strcspn(c, "/");
		if (n == 0 || (n == 1 && c[0] == '.') || (n == 2 && c[0] == '.' && c[1] == '.'))
			return false;
		if (c[n] == '\0')
			return true;
		c += n + 1;
	}
}

/* Strict UTF-8: no overlong forms, surrogates or values past U+10FFFF. */
static inline bool fuzz_valid_utf8(const unsigned char *s, size_t n)
{
	static const unsigned lowest[4] = { 0, 0x80, 0x800, 0x10000 };
	size_t i = 0;
	while (i < n) {
		unsigned c = s[i];
		size_t more = c < 0x80 ? 0 : (c & 0xe0) == 0xc0 ? 1 : (c & 0xf0) == 0xe0 ? 2 : 3;
		if (c >= 0x80 && ((c & 0xc0) == 0x80 || c >= 0xf8))
			return false;
		unsigned v = more == 0 ? c : c & (0x3fu >> more);
		for (size_t j = 1; j <= more; j++) {
			if (i + j >= n || (s[i + j] & 0xc0) != 0x80)
				return false;
			v = v << 6 | (s[i + j] & 0x3fu);
		}
		if (v < lowest[more] || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
			return false;
		i += more + 1;
	}
	return true;
}

#endif
