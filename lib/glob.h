// glob.h - path patterns for the policy's file rules.
//
// (Line comments here: patterns are full of the two character pairs that
// open and close a block comment.)
//
// Patterns and paths are absolute; paths are already normalised (no ".",
// "..", "//" or trailing '/'). Matching is on bytes and case-sensitive:
//
//   *       any run of bytes within one component (possibly empty), never '/'
//   ?       exactly one byte other than '/' (a two-byte UTF-8 letter is "??")
//   [abc]   one byte of the class; [a-z] ranges, [!a-z] or [^a-z] negation;
//           a ']' first in the class is literal; a class never matches '/'
//   **      as a whole component: zero or more whole components, so /a/**/b
//           matches /a/b, /a/x/b and /a/x/y/b, and /data/** matches /data
//           itself and everything below it, but not /database; /** matches
//           every path
//   \c      the byte c literally (also inside a class)
//
// There is no dotfile rule: '*', '?' and '**' match a leading '.' like any
// other byte, so /home/** covers /home/u/.ssh/id_rsa. '*' never crosses '/',
// so /tmp/* matches /tmp/x but neither /tmp itself nor /tmp/x/y.
#ifndef FG_GLOB_H
#define FG_GLOB_H

#include <stdbool.h>
#include <stddef.h>

#include "fg_error.h"

/* Longest pattern fg_glob_validate accepts: PATH_MAX without the NUL. */
enum { FG_GLOB_MAX_LEN = 4095 };

/* Returns 0 when `pattern` is well formed, else -1 with a message naming the
 * problem and its 1-based column in the pattern. Policies must validate
 * every pattern: fg_glob_match gives invalid ones a fixed but unhelpful
 * meaning (an unterminated '[' is a literal '[', a '**' that is not a whole
 * component acts as '*', a '\' before '/' or at the end is a literal '\'). */
int fg_glob_validate(const char *pattern, struct fg_error *err);

/* True when `path` matches `pattern`; false when either is not absolute.
 * No allocation, and never exponential whatever the stars: at worst
 * O(strlen(pattern) * strlen(path)) steps, so linear in the path (which the
 * traced program controls) for a given pattern. The product is only reached
 * by long stretches between two stars; a pattern's last star or '**' costs
 * no search, since what follows it can only match the end of the path. */
bool fg_glob_match(const char *pattern, const char *path);

// The length of the literal text every match of `pattern` starts with: the
// bytes before its first wildcard, class or escape, less a '/' that opens a
// "**" component (which may match no component: /data/** matches /data).
// A path that does not start with those bytes cannot match, so a caller
// can skip the full match with one strncmp.
size_t fg_glob_literal_prefix(const char *pattern);

/* The number of bytes a matching path must contain verbatim: separators and
 * literal or escaped bytes (the '\' itself not counted); wildcards and
 * classes count 0. More is more specific. */
int fg_glob_specificity(const char *pattern);

#endif
