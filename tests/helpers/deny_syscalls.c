/* deny_syscalls - plays a container runtime's seccomp profile: runs COMMAND
 * with the named syscalls refused with EPERM, everything else allowed.
 *
 *   deny_syscalls landlock|ptrace|seccomp[:enosys][,...] COMMAND [ARG...]
 *
 * ":enosys" answers ENOSYS instead, as podman's and CRI-O's profiles answer
 * the calls they do not list.
 *
 * (An outer fhirguard cannot play the runtime for a nested fhirguard that
 * must trace: the outer one already traces every process the inner forks.)
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static size_t add_group(char *name, int *nrs, int *errors, size_t n)
{
	size_t first = n;
	int error = EPERM;
	char *colon = strchr(name, ':');
	if (colon != NULL) {
		*colon = '\0';
		if (strcmp(colon + 1, "enosys") != 0) {
			fprintf(stderr, "deny_syscalls: unknown answer %s\n", colon + 1);
			_exit(2);
		}
		error = ENOSYS;
	}
	if (strcmp(name, "landlock") == 0) {
		nrs[n++] = SYS_landlock_create_ruleset;
		nrs[n++] = SYS_landlock_add_rule;
		nrs[n++] = SYS_landlock_restrict_self;
	} else if (strcmp(name, "ptrace") == 0) {
		nrs[n++] = SYS_ptrace;
	} else if (strcmp(name, "seccomp") == 0) {
		nrs[n++] = SYS_seccomp;
	} else {
		fprintf(stderr, "deny_syscalls: unknown group %s\n", name);
		_exit(2);
	}
	for (size_t i = first; i < n; i++)
		errors[i] = error;
	return n;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: deny_syscalls GROUP[,GROUP] COMMAND [ARG...]\n");
		return 2;
	}
	int nrs[16];
	int errors[16];
	size_t n = 0;
	char groups[256];
	snprintf(groups, sizeof(groups), "%s", argv[1]);
	for (char *save = NULL, *g = strtok_r(groups, ",", &save); g != NULL;
	     g = strtok_r(NULL, ",", &save))
		n = add_group(g, nrs, errors, n);

	struct sock_filter prog[64];
	size_t len = 0;
	prog[len++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
						   offsetof(struct seccomp_data, nr));
	for (size_t i = 0; i < n; i++) {
		prog[len++] =
		    (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)nrs[i], 0, 1);
		prog[len++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
							   SECCOMP_RET_ERRNO | (unsigned)errors[i]);
	}
	prog[len++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	struct sock_fprog fprog = { .len = (unsigned short)len, .filter = prog };
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &fprog) < 0) {
		perror("deny_syscalls: seccomp");
		return 2;
	}
	execvp(argv[2], argv + 2);
	perror(argv[2]);
	return 127;
}
