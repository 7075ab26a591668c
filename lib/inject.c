#include "inject.h"

#include <elf.h>
#include <errno.h>
#include <linux/audit.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#include "procfs.h"

uint64_t fg_inject_find_vdso_syscall(void)
{
	unsigned long long lo = 0, hi = 0;
	FILE *f = fopen("/proc/self/maps", "re");
	if (f == NULL)
		return 0;
	char line[512];
	while (fgets(line, sizeof(line), f) != NULL) {
		if (strstr(line, "[vdso]") != NULL && sscanf(line, "%llx-%llx", &lo, &hi) == 2)
			break;
		lo = hi = 0;
	}
	fclose(f);
	const unsigned char *vdso = (const unsigned char *)(uintptr_t)lo;
	for (unsigned long long i = 0; lo != 0 && i + 1 < hi - lo; i++) {
		if (vdso[i] == 0x0f && vdso[i + 1] == 0x05) /* syscall */
			return i;
	}
	return 0;
}

/* Resumes tid with PTRACE_SYSCALL until its next syscall-exit stop, passing
 * syscall-entry and seccomp stops and holding back signals. Returns 0 with
 * the call's result and ABI, or -1 (outcome->gone when the task died). */
static int run_to_exit_stop(pid_t tid, struct fg_inject_outcome *outcome, long *rval,
			    uint32_t *arch)
{
	for (;;) {
		if (ptrace(PTRACE_SYSCALL, tid, NULL, NULL) < 0 && errno != ESRCH)
			return -1;
		int status;
		pid_t got;
		do
			got = waitpid(tid, &status, __WALL);
		while (got < 0 && errno == EINTR);
		if (got < 0)
			return -1;
		if (WIFEXITED(status) || WIFSIGNALED(status)) {
			outcome->gone = true;
			outcome->status = status;
			return -1;
		}
		if (!WIFSTOPPED(status))
			continue;
		int sig = WSTOPSIG(status);
		int event = (int)((unsigned int)status >> 16);
		if (sig == (SIGTRAP | 0x80)) {
			struct __ptrace_syscall_info info;
			memset(&info, 0, sizeof(info));
			if (ptrace(PTRACE_GET_SYSCALL_INFO, tid, (void *)sizeof(info), &info) < 0)
				return -1;
			if (info.op == PTRACE_SYSCALL_INFO_EXIT) {
				*rval = (long)info.exit.rval;
				*arch = info.arch;
				return 0;
			}
			continue; /* the entry stop */
		}
		if (event == 0 && sig > 0 && sig < 64)
			/* A signal for the program: delivered after the
			 * registers are back (the caller sends it again). */
			outcome->held_signals |= 1ULL << sig;
		/* Seccomp and other event stops: the call goes on. */
	}
}

/* Runs one syscall in the stopped task from `insn`, starting from `base`
 * registers: 0 with its result (a value or -errno) in *result, or -1 when
 * it could not run (outcome->gone when the task died). */
static int inject_call(pid_t tid, const struct user_regs_struct *base, uint64_t insn, long nr,
		       uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
		       struct fg_inject_outcome *outcome, long *result)
{
	struct user_regs_struct regs = *base;
	regs.rip = insn;
	regs.rax = (unsigned long long)nr;
	regs.orig_rax = (unsigned long long)-1;
	regs.rdi = a0;
	regs.rsi = a1;
	regs.rdx = a2;
	regs.r10 = a3;
	regs.r8 = a4;
	regs.r9 = 0;
	if (ptrace(PTRACE_SETREGS, tid, NULL, &regs) < 0)
		return -1;
	uint32_t arch;
	return run_to_exit_stop(tid, outcome, result, &arch);
}

struct fg_argarea *fg_inject_argarea(pid_t tid, uint64_t vdso_syscall_offset,
				     struct fg_inject_outcome *outcome, struct fg_error *err)
{
	memset(outcome, 0, sizeof(*outcome));
	long result;
	uint32_t arch;
	/* The exec event comes from inside execve: run it to its end first. */
	if (run_to_exit_stop(tid, outcome, &result, &arch) < 0) {
		fg_error_set(err, "the program could not be stopped after execve");
		return NULL;
	}
	if (arch != AUDIT_ARCH_X86_64) {
		fg_error_set(err, "not an x86_64 program");
		return NULL;
	}
	uint64_t vdso = fg_proc_auxv_value(tid, AT_SYSINFO_EHDR);
	if (vdso_syscall_offset == 0 || vdso == 0) {
		fg_error_set(err, "no vDSO to run syscalls from");
		return NULL;
	}
	uint64_t insn = vdso + vdso_syscall_offset;
	struct user_regs_struct saved;
	if (ptrace(PTRACE_GETREGS, tid, NULL, &saved) < 0) {
		fg_error_set(err, "cannot read the program's registers: %s", strerror(errno));
		return NULL;
	}
	/* The memfd's name, below the new program's stack pointer (nothing
	 * lives there yet). */
	uint64_t name_at = (saved.rsp - 512) & ~15ULL;
	static const char name[16] = "fhirguard-args";
	long words[2];
	memcpy(words, name, sizeof(words));
	if (ptrace(PTRACE_POKEDATA, tid, (void *)name_at, (void *)words[0]) < 0 ||
	    ptrace(PTRACE_POKEDATA, tid, (void *)(name_at + 8), (void *)words[1]) < 0) {
		fg_error_set(err, "cannot write to the program's stack: %s", strerror(errno));
		return NULL;
	}

	struct fg_argarea *area = NULL;
	long fd = -1;
	if (inject_call(tid, &saved, insn, SYS_memfd_create, name_at,
			MFD_CLOEXEC | MFD_ALLOW_SEALING, 0, 0, 0, outcome, &fd) < 0) {
		fg_error_set(err, "memfd_create did not run in the program");
		goto restore;
	}
	if (fd < 0) {
		fg_error_set(err, "memfd_create failed in the program: %s", strerror((int)-fd));
		goto restore;
	}
	int pidfd = (int)syscall(SYS_pidfd_open, tid, 0);
	int mine = pidfd < 0 ? -1 : (int)syscall(SYS_pidfd_getfd, pidfd, (int)fd, 0);
	if (pidfd >= 0)
		close(pidfd);
	if (mine < 0) {
		fg_error_set(err, "cannot take the program's memfd: %s", strerror(errno));
	} else {
		area = fg_argarea_create(mine, err);
	}
	long mapped = -1;
	if (area != NULL &&
	    (inject_call(tid, &saved, insn, SYS_mmap, FG_ARGAREA_START, FG_ARGAREA_SIZE, PROT_READ,
			 MAP_SHARED | MAP_FIXED_NOREPLACE, (uint64_t)fd, outcome, &mapped) < 0 ||
	     mapped != FG_ARGAREA_START)) {
		if (!outcome->gone)
			fg_error_set(err, "cannot map the argument area at 0x%x: %s",
				     FG_ARGAREA_START,
				     mapped < 0 && mapped > -4096 ? strerror((int)-mapped)
								  : "another address");
		fg_argarea_unref(area);
		area = NULL;
	}
	long closed;
	if (!outcome->gone)
		inject_call(tid, &saved, insn, SYS_close, (uint64_t)fd, 0, 0, 0, 0, outcome,
			    &closed);
restore:
	if (outcome->gone) {
		fg_argarea_unref(area);
		fg_error_set(err, "the program died during exec");
		return NULL;
	}
	if (ptrace(PTRACE_SETREGS, tid, NULL, &saved) < 0) {
		outcome->must_kill = true;
		fg_argarea_unref(area);
		fg_error_set(err, "cannot restore the program's registers: %s", strerror(errno));
		return NULL;
	}
	return area;
}
