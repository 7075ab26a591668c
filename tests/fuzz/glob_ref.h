/* glob_ref.h - a slow, obviously correct reading of the pattern syntax of
 * lib/glob.h (path patterns) and lib/rules_parse.h (exec argument patterns),
 * written from those comments and policy/README.md, not from the code.
 *
 * The fuzz_glob target compares lib's fast matchers and validators with it.
 * Matching is dynamic programming over (element, byte) and (component,
 * component) pairs: polynomial, no backtracking.
 */
#ifndef FG_FUZZ_GLOB_REF_H
#define FG_FUZZ_GLOB_REF_H

#include <stdbool.h>
#include <stddef.h>

/* Whether `pattern` is a well-formed path pattern. */
bool ref_glob_valid(const char *pattern);

/* A valid path pattern against a normalised absolute path. */
bool ref_glob_match(const char *pattern, const char *path);

/* Whether `pattern` is a well-formed argument pattern ("**" as a whole
 * pattern included, which the validator rejects: the caller handles it). */
bool ref_arg_valid(const char *pattern);

/* A valid argument pattern against one argument. */
bool ref_arg_match(const char *pattern, const char *arg);

#endif
