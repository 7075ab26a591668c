/* syscall_event.h - one syscall stopped in the supervisor, as the kernel
 * reported it (PTRACE_GET_SYSCALL_INFO). */
#ifndef FG_SYSCALL_EVENT_H
#define FG_SYSCALL_EVENT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct fg_syscall_event {
	pid_t tid;
	pid_t pid; /* thread group */
	uint32_t arch;
	long nr;
	uint64_t args[6];
	uint32_t ret_data; /* SECCOMP_RET_DATA: which policy rule sent it here */
	/* The task's root directory, when the tracer keeps it open
	 * (fg_resolve_request.root_fd). */
	bool has_root_fd;
	int root_fd;
};

#endif
