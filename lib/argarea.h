/* argarea.h - checked copies of pointer arguments, where no task can change
 * them.
 *
 * The supervisor reads a path (or open_how, or a unix socket address) from
 * the tracee's memory, checks it, and lets the call run. If the kernel then
 * read the argument from the same place, another thread, a CLONE_VM or
 * vfork sibling, or a process sharing the page (MAP_SHARED) could rewrite
 * it in between: a check of one path, an open of another. So the kernel
 * never reads a checked argument from the program's memory. The supervisor
 * copies the bytes it checked into this area and points the call's argument
 * register at the copy.
 *
 * The area is a memfd the supervisor maps read-write, and the traced
 * process maps read-only at a fixed address (FG_ARGAREA_START, injected at
 * each exec: lib/inject.h). It is sealed (F_SEAL_FUTURE_WRITE, no growing or
 * shrinking), so no new writable mapping and no write(2) can reach it, and
 * the process's mapping lacks VM_MAYWRITE: mprotect cannot make it writable,
 * and neither process_vm_writev, /proc/PID/mem (FOLL_FORCE does not apply to
 * shared mappings) nor a kernel write on the program's behalf (AIO) can
 * store into it. What remains is replacing the mapping: munmap, mmap with
 * MAP_FIXED, mremap, shmat with SHM_REMAP, remap_file_pages, or madvise
 * (MADV_DONTFORK would leave a child without it). The area sits at the
 * bottom of the address space, so each of those is caught by one argument
 * comparison in the filter (address < FG_ARGAREA_END: lib/filter.c) and
 * refused by the supervisor when it touches the area (lib/inspect.c).
 *
 * Registers. The kernel keeps a syscall's argument registers, and the call
 * returns with the pointer registers (and, for an open rewritten as openat2,
 * rdi, rdx and r10) still pointing at the copies. Path calls under the path
 * lock get theirs restored at their syscall-exit stop; for opens that would
 * cost a second stop each, so they keep the copies: C libraries' syscall
 * wrappers (glibc's, musl's cancellable ones, Go's) return the result
 * without reusing them.
 *
 * Slots. Each task owns one small slot for its life, rewritten only while
 * the task is stopped in a new syscall, so the copy stays valid for the
 * whole call it belongs to (and, for a program that reuses the register
 * after the call, holds the same bytes until its next checked call).
 * Arguments that do not fit (long paths) take a large slot, held until the
 * task's next stop, when the call is over.
 */
#ifndef FG_ARGAREA_H
#define FG_ARGAREA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "fg_error.h"

enum {
	/* 64 KiB (the usual vm.mmap_min_addr) up to 4 MiB, where non-PIE
	 * x86_64 executables start: nothing else is mapped there. */
	FG_ARGAREA_START = 0x10000,
	FG_ARGAREA_END = 0x400000,
	FG_ARGAREA_SIZE = FG_ARGAREA_END - FG_ARGAREA_START,
	FG_ARGAREA_SMALL_SLOT = 512,
	/* Two paths of PATH_MAX and a struct (renameat2, linkat). */
	FG_ARGAREA_LARGE_SLOT = 2 * 4096 + 512,
	FG_ARGAREA_LARGE_SLOTS = 64,
	FG_ARGAREA_SMALL_SLOTS =
	    (FG_ARGAREA_SIZE - FG_ARGAREA_LARGE_SLOTS * FG_ARGAREA_LARGE_SLOT) /
	    FG_ARGAREA_SMALL_SLOT,
};

struct fg_argarea {
	int memfd;	     /* the supervisor's descriptor */
	unsigned char *map;  /* the supervisor's writable mapping */
	unsigned long inode; /* the memfd's inode: names the area in /proc/PID/maps */
	size_t refs;	     /* tasks whose address space maps it */
	uint8_t small_used[(FG_ARGAREA_SMALL_SLOTS + 7) / 8];
	pid_t large_holder[FG_ARGAREA_LARGE_SLOTS]; /* 0: free */
};

/* Takes over memfd (a fresh memfd that allows sealing, from the tracee:
 * lib/inject.c), sizes, seals and maps it. Returns NULL with err set; memfd
 * is closed either way on failure. */
struct fg_argarea *fg_argarea_create(int memfd, struct fg_error *err);

void fg_argarea_ref(struct fg_argarea *area);

/* Drops one reference; frees the area at zero. */
void fg_argarea_unref(struct fg_argarea *area);

/* A small slot for a task; returns its index or -1 when all are taken. */
int fg_argarea_take_small(struct fg_argarea *area);
void fg_argarea_release_small(struct fg_argarea *area, int slot);

/* A large slot held by tid until fg_argarea_release_large. */
int fg_argarea_take_large(struct fg_argarea *area, pid_t tid);
void fg_argarea_release_large(struct fg_argarea *area, int slot);

/* The address of a slot: in the supervisor's mapping, and in the tracee's
 * (where the kernel reads it). */
unsigned char *fg_argarea_slot(struct fg_argarea *area, bool large, int slot);
uint64_t fg_argarea_tracee_address(bool large, int slot);

/* Whether [addr, addr + len) overlaps the area's address range (len 0
 * counts as one byte, as for a page-granular call). */
bool fg_argarea_overlaps(uint64_t addr, uint64_t len);

#endif
