#include "preflight.h"

#include <errno.h>
#include <linux/seccomp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int fg_preflight_seccomp(struct fg_error *err)
{
	uint32_t action = SECCOMP_RET_TRACE;
	if (syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &action) == 0)
		return 0;
	int saved = errno;
	if (saved == EPERM || saved == EACCES)
		return fg_error_set(err,
				    "the seccomp() syscall is refused here (%s): the container "
				    "runtime's seccomp profile or an outer sandbox blocks it; "
				    "allow seccomp (and ptrace) for this container",
				    strerror(saved));
	if (saved == ENOSYS)
		return fg_error_set(err,
				    "this kernel has no seccomp filters (seccomp: %s): fhirguard "
				    "needs CONFIG_SECCOMP_FILTER",
				    strerror(saved));
	return fg_error_set(err,
			    "this kernel does not offer SECCOMP_RET_TRACE (seccomp: %s): fhirguard "
			    "needs Linux 4.8 or later",
			    strerror(saved));
}

int fg_preflight_tracer_pid(void)
{
	FILE *f = fopen("/proc/self/status", "re");
	if (f == NULL)
		return 0;
	char line[256];
	int pid = 0;
	while (fgets(line, sizeof(line), f) != NULL) {
		if (strncmp(line, "TracerPid:", 10) == 0) {
			pid = atoi(line + 10);
			break;
		}
	}
	fclose(f);
	return pid;
}
