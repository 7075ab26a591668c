/* fg_error.h - one human-readable error message, filled by whoever fails.
 *
 * Every fallible function in lib/ takes a `struct fg_error *` and writes one
 * complete sentence into it ("FILE:LINE:COL: expected ..."), so that the shim
 * can print it as is and exit.
 */
#ifndef FG_ERROR_H
#define FG_ERROR_H

#include <stddef.h>

struct fg_error {
	char msg[1024];
};

/* printf-style; always returns -1 so callers can `return fg_error_set(...)`. */
int fg_error_set(struct fg_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
