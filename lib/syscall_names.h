/* syscall_names.h - native syscall names and numbers.
 *
 * libseccomp's table comes first; a short table of our own adds calls newer
 * than the libseccomp that Debian ships, so a policy can name every syscall
 * the running kernel has.
 */
#ifndef FG_SYSCALL_NAMES_H
#define FG_SYSCALL_NAMES_H

#include <stddef.h>

enum {
	FG_SYSCALL_UNKNOWN = -1,    /* no such syscall anywhere */
	FG_SYSCALL_OTHER_ARCH = -2, /* exists, but not in the native ABI */
};

/* The native number of `name`, or one of the negative codes above. */
long fg_syscall_from_name(const char *name);

/* Writes the name of `nr` into buf ("syscall_NNN" when unknown). */
const char *fg_syscall_name(long nr, char *buf, size_t size);

#endif
