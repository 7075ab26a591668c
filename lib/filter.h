/* filter.h - the seccomp-bpf filter built from a policy.
 *
 * Static decisions live in the kernel: allowed syscalls run at full speed
 * (no argument conditions, so the kernel's action cache serves them), silent
 * denials return their errno in the kernel. Everything that needs a look or
 * a log line returns SECCOMP_RET_TRACE with the rule's number in the data
 * field, so the supervisor knows which rule sent it without a lookup.
 * Calls through any ABI but the native one are killed.
 */
#ifndef FG_FILTER_H
#define FG_FILTER_H

#include <seccomp.h>
#include <stdbool.h>
#include <stdint.h>

#include "fg_error.h"
#include "policy.h"

/* A syscall number no kernel uses (below the x32 bit), which the filter
 * always kills. The supervisor kills a task that must die by rewriting its
 * stopped syscall to this number: the kernel re-runs the filter after a
 * trace stop and the task dies of SIGSYS exactly as with
 * SECCOMP_RET_KILL_PROCESS, before returning to user space. */
enum { FG_KILL_SYSCALL_NR = 0x3ffffff0 };

/* SECCOMP_RET_DATA values: 0 is the policy's default rule, N+1 is rule N;
 * FG_RET_DATA_MAPPING marks a traced executable file mapping, or a memory
 * call near the argument area (fg_filter_guards_mappings). */
enum {
	FG_RET_DATA_DEFAULT = 0,
	FG_RET_DATA_MAPPING = 0xffff,
	FG_RET_DATA_CLONE_NS = 0xfffe,
	/* A call through another ABI (x32 numbers, int 0x80): the supervisor
	 * logs it and kills the process with SIGKILL. */
	FG_RET_DATA_BAD_ARCH = 0xfffd,
	/* A call aimed at fhirguard's own process: see fg_filter_pid_arg. */
	FG_RET_DATA_SUPERVISOR_TARGET = 0xfffc,
};

/* Calls that act on another process by PID (kill, tgkill, pidfd_open,
 * prlimit64, sched_setaffinity, setpriority, ...): the index of their PID
 * argument, or -1. When the syscall layer allows one, the filter sends it to
 * the supervisor (they are rare), which refuses with EPERM and logs those
 * aimed at fhirguard itself (fg_filter_targets_supervisor): a program must
 * not signal, throttle or re-limit its supervisor. */
int fg_filter_pid_arg(long nr);

/* Whether `pid`, the PID argument of call `nr`, names fhirguard: its PID,
 * and for kill also -1 (everyone) and its process group. */
bool fg_filter_targets_supervisor(long nr, int64_t pid);

/* clone is allowed for threads and processes, but clone with a CLONE_NEW*
 * flag is unshare by another door: when the syscall layer allows clone and
 * not unshare, those clones get unshare's rule (deny with its errno, or
 * kill), decided by the supervisor so that each one is logged. */
bool fg_filter_guards_clone_namespaces(const struct fg_policy *policy);

/* With a files section (policy->guard_exec_mappings), running a file's code
 * through mmap or mprotect
 * (PROT_EXEC) needs the exec right on it, as execve does: when the syscall
 * layer allows mmap, mprotect or pkey_mprotect, the filter still traces
 * those that ask for PROT_EXEC on a file (mmap without MAP_ANONYMOUS; every
 * mprotect with PROT_EXEC, since the filter cannot see what is mapped). The
 * others, and anonymous executable memory (a JIT), stay in the kernel. */
bool fg_filter_guards_exec_mappings(const struct fg_policy *policy, long nr);

/* With policy->pin_arguments, the calls that could replace the argument
 * area's mapping (lib/argarea.h: mmap with MAP_FIXED, munmap, mremap,
 * madvise, remap_file_pages, shmat with SHM_REMAP) are traced when their
 * address is below FG_ARGAREA_END, and stay in the kernel otherwise. True
 * for a call that the exec-mapping or the area guard traces in part. */
bool fg_filter_guards_mappings(const struct fg_policy *policy, long nr);

/* The area guard is a second, small filter: every rule in it traces
 * (SECCOMP_RET_DATA FG_RET_DATA_MAPPING), everything else is allowed. The
 * kernel runs both filters and takes the stricter action, so a guarded call
 * the main filter allows is traced, one it refuses stays refused. (In one
 * filter the guard's address test would overlap the main rules, and
 * libseccomp does not say which of two overlapping rules wins.) Loaded
 * before the main filter: on two traces the main filter's data counts.
 * Every syscall it does not name stays in the kernel's action cache. */
scmp_filter_ctx fg_filter_build_area_guard(const struct fg_policy *policy, struct fg_error *err);

/* The CLONE_NEW* flags clone(2) takes (CLONE_NEWTIME only through clone3
 * and unshare: on clone its bit is part of the exit signal). */
enum {
	FG_CLONE_NAMESPACE_FLAGS = 0x00020000 | 0x02000000 | 0x04000000 | 0x08000000 | 0x10000000 |
				   0x20000000 | 0x40000000,
};

scmp_filter_ctx fg_filter_build(const struct fg_policy *policy, enum fg_mode mode,
				struct fg_error *err);

/* Writes libseccomp's pseudo-code of the filter to fd (for `fhirguard check`
 * and tests). */
int fg_filter_export_text(scmp_filter_ctx ctx, int fd);

#endif
