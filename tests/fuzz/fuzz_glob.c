/* fuzz_glob.c - path patterns (lib/glob.c) and exec argument patterns
 * (lib/rules_eval.c) against the reference reading in glob_ref.c.
 *
 * Input: PATTERN NUL SUBJECT (no NUL: the whole input is the pattern, the
 * subject is "/"). Properties:
 *  - fg_glob_validate accepts exactly the patterns the reference accepts,
 *    and its messages are terminated;
 *  - for a valid pattern and a normalised path, fg_glob_match agrees with
 *    the reference; for anything else it returns without a sanitizer report;
 *  - the same for fg_arg_pattern_validate and fg_arg_match (SUBJECT is then
 *    one argument, any bytes).
 */
#include <string.h>

#include "fuzz_util.h"
#include "glob.h"
#include "glob_ref.h"
#include "rules_parse.h"

/* The reference is quadratic: keep inputs small enough for thousands of
 * runs a second (run.sh passes -max_len=512 as well). */
enum { MAX_INPUT = 1024 };

static void report(const char *what, const char *pattern, const char *subject, bool lib, bool ref)
{
	fprintf(stderr, "fuzz_glob: %s disagrees with the reference\n  pattern \"", what);
	fuzz_print_bytes(stderr, pattern, strlen(pattern));
	fprintf(stderr, "\"\n  subject \"");
	fuzz_print_bytes(stderr, subject, strlen(subject));
	fprintf(stderr, "\"\n  lib says %s, reference says %s\n", lib ? "true" : "false",
		ref ? "true" : "false");
	fuzz_fail("%s", what);
}

static void check_message(const struct fg_error *err)
{
	if (memchr(err->msg, '\0', sizeof(err->msg)) == NULL || err->msg[0] == '\0')
		fuzz_fail("an error message is empty or not terminated");
}

static void check_path_pattern(const char *pattern, const char *path)
{
	struct fg_error err = { { 0 } };
	bool valid = fg_glob_validate(pattern, &err) == 0;
	if (!valid)
		check_message(&err);
	bool ref_valid = ref_glob_valid(pattern);
	if (valid != ref_valid)
		report("fg_glob_validate", pattern, err.msg, valid, ref_valid);
	bool match = fg_glob_match(pattern, path);
	(void)fg_glob_specificity(pattern);
	if (valid && fuzz_path_normalised(path)) {
		bool ref = ref_glob_match(pattern, path);
		if (match != ref)
			report("fg_glob_match", pattern, path, match, ref);
	}
}

static void check_arg_pattern(const char *pattern, const char *arg)
{
	struct fg_error err = { { 0 } };
	bool valid = fg_arg_pattern_validate(pattern, &err) == 0;
	if (!valid)
		check_message(&err);
	bool ref_valid = ref_arg_valid(pattern);
	if (valid != ref_valid)
		report("fg_arg_pattern_validate", pattern, err.msg, valid, ref_valid);
	bool match = fg_arg_match(pattern, arg);
	if (valid) {
		bool ref = ref_arg_match(pattern, arg);
		if (match != ref)
			report("fg_arg_match", pattern, arg, match, ref);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > MAX_INPUT)
		return -1;
	char *text = fuzz_strndup(data, size);
	if (text == NULL)
		return 0;
	const char *pattern = text;
	size_t pattern_len = strlen(text);
	const char *subject = pattern_len < size ? text + pattern_len + 1 : "/";
	check_path_pattern(pattern, subject);
	check_arg_pattern(pattern, subject);
	free(text);
	return 0;
}
