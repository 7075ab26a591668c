#include "preflight.h"

#include <errno.h>
#include <linux/seccomp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
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
	if (saved == ENOSYS && prctl(PR_GET_SECCOMP, 0, 0, 0, 0) == 2)
		/* Filtered already: a profile that answers unknown calls with
		 * ENOSYS (podman, CRI-O) rather than a kernel without it. */
		return fg_error_set(err,
				    "the seccomp() syscall is refused here (%s) by the container "
				    "runtime's seccomp profile (a filter is already active); allow "
				    "seccomp (and ptrace) for this container",
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

int fg_preflight_proc(struct fg_error *err)
{
	if (access("/proc/self/status", R_OK) == 0)
		return 0;
	return fg_error_set(err,
			    "/proc is not mounted (%s): fhirguard resolves paths and reads "
			    "the program's state through it; mount proc at /proc",
			    strerror(errno));
}

int fg_preflight_setid(const char *path, struct fg_error *err)
{
	struct stat st;
	if (stat(path, &st) < 0 || !S_ISREG(st.st_mode))
		return 0; /* the exec reports it */
	bool setuid = (st.st_mode & S_ISUID) != 0 && st.st_uid != geteuid();
	bool setgid =
	    (st.st_mode & S_ISGID) != 0 && (st.st_mode & S_IXGRP) != 0 && st.st_gid != getegid();
	if (!setuid && !setgid)
		return 0;
	struct statvfs fs;
	if (statvfs(path, &fs) == 0 && (fs.f_flag & ST_NOSUID) != 0)
		return 0;
	return fg_error_set(err,
			    "%s is set-%s-ID, but under fhirguard it would run without that "
			    "privilege (no_new_privs, which seccomp filters need, ignores the "
			    "bit); run the container as the %s it needs, or remove the bit",
			    path, setuid ? "user" : "group", setuid ? "user" : "group");
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
