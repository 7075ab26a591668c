/* execargs.h - exec argument patterns without a race.
 *
 * An exec rule with argument patterns is checked on the argv the supervisor
 * reads at the execve stop. The kernel reads argv again when the call runs,
 * and another thread of the program may rewrite it in between. So the argv
 * the check read is read whole (never truncated) and kept; at the exec event,
 * before the new program's first instruction, it is compared with the argv
 * the kernel copied into the new program (/proc/PID/cmdline). A difference
 * kills the program (lib/tracer.c).
 */
#ifndef FG_EXECARGS_H
#define FG_EXECARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

enum {
	/* The kernel's own limit is a quarter of the stack limit (2 MiB with
	 * the usual 8 MiB) for argv and envp together; fhirguard checks argv
	 * up to these and refuses (E2BIG) beyond, rather than check a part. */
	FG_EXEC_ARGV_MAX_BYTES = 2 * 1024 * 1024,
	FG_EXEC_ARGV_MAX_ARGS = 65536,
};

/* Buffers for one argv read from a tracee, reused from call to call. */
struct fg_exec_argv {
	char *bytes; /* the strings, each NUL-terminated, back to back */
	size_t len;
	char **argv; /* pointers into bytes, NULL-terminated */
	size_t argc;
	size_t argv_cap;
};

/* Reads the NULL-terminated pointer array at addr in task tid and every
 * string it points to. Returns 0; -EFAULT when something is unreadable;
 * -E2BIG beyond the limits above; -ENOMEM. */
int fg_exec_argv_read(struct fg_exec_argv *a, pid_t tid, uint64_t addr);

void fg_exec_argv_free(struct fg_exec_argv *a);

/* What an allowed exec was checked with: argv[1..], and how many strings
 * the kernel puts before them in the new program (1: argv[0]; for a "#!"
 * script 2 or 3: interpreter, its optional argument, the script's name). */
struct fg_checked_args {
	size_t count;	    /* strings in bytes */
	size_t prefix;	    /* strings before them */
	size_t prefix_room; /* the most bytes those can take */
	size_t len;
	char bytes[];
};

/* argv[1..] of a; NULL when out of memory. */
struct fg_checked_args *fg_checked_args_new(const struct fg_exec_argv *a, size_t prefix);

/* Whether a command line (the bytes of /proc/PID/cmdline: strings, each
 * NUL-terminated) holds exactly prefix strings and then the checked ones. */
bool fg_checked_args_match(const struct fg_checked_args *c, const char *cmdline, size_t len);

/* Reads /proc/PID/cmdline of a program stopped at its exec event and
 * compares; false when it differs or cannot be read. */
bool fg_checked_args_verify(const struct fg_checked_args *c, pid_t pid);

#endif
