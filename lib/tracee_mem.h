/* tracee_mem.h - reading a stopped tracee's memory.
 *
 * One process_vm_readv per page at most. Nothing read here is trusted for
 * longer than the stop it was read in.
 */
#ifndef FG_TRACEE_MEM_H
#define FG_TRACEE_MEM_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

enum {
	FG_MEM_UNREADABLE = -1, /* bad address, or the task is gone */
	FG_MEM_TOO_LONG = -2,	/* no NUL within the buffer */
};

/* Reads a NUL-terminated string at addr into buf (size bytes including the
 * NUL). Returns its length, or one of the negative codes above. */
ssize_t fg_read_string(pid_t tid, uint64_t addr, char *buf, size_t size);

/* Reads exactly len bytes; returns 0, or FG_MEM_UNREADABLE. */
int fg_read_memory(pid_t tid, uint64_t addr, void *buf, size_t len);

#endif
