/* inject.h - mapping the argument area into a program right after execve.
 *
 * At the exec event the new program has not run an instruction, and its
 * address space is fresh: one thread, nothing shared with another process,
 * a private descriptor table. That is the one moment the supervisor can make
 * the program run syscalls of its choosing without anyone interfering:
 *
 *   memfd_create("fhirguard-args")     the program's own memfd ...
 *   (the supervisor takes a duplicate with pidfd_getfd, sizes and seals it,
 *    and maps it read-write: lib/argarea.c)
 *   mmap(FG_ARGAREA_START, ..., PROT_READ, MAP_SHARED|MAP_FIXED_NOREPLACE)
 *   close(fd)                          ... left mapped read-only, no fd.
 *
 * Each call runs from a `syscall` instruction found in the vDSO (no byte of
 * the program is changed), with the registers of the execve's syscall-exit
 * stop restored afterwards. The calls go through fhirguard's own filter like
 * any other (memfd_create is traced, which the injection expects).
 */
#ifndef FG_INJECT_H
#define FG_INJECT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "argarea.h"
#include "fg_error.h"

/* The offset of a `syscall` instruction in this kernel's 64-bit vDSO
 * (found in fhirguard's own), or 0 when there is none. */
uint64_t fg_inject_find_vdso_syscall(void);

struct fg_inject_outcome {
	bool gone;	/* the task died meanwhile: `status` is its wait status */
	int status;	/* for gone */
	bool must_kill; /* its registers could not be restored */
	/* Signals that arrived during the injection and were held back; the
	 * caller sends them again (bit N: signal N). */
	uint64_t held_signals;
};

/* At tid's PTRACE_EVENT_EXEC stop: maps a new argument area into it and
 * returns the area (one reference), or NULL with err set. Unless the task
 * died, it is left in a syscall-exit stop with its registers as the execve
 * left them, for the caller to resume. */
struct fg_argarea *fg_inject_argarea(pid_t tid, uint64_t vdso_syscall_offset,
				     struct fg_inject_outcome *outcome, struct fg_error *err);

#endif
