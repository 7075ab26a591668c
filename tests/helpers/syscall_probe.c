/* syscall_probe NAME...: makes each named call once and prints
 * "NAME ret=R errno=NAME" for each. Used to check what the filter and the
 * supervisor do with allowed, denied and killed calls. */
#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <unistd.h>

static void show(const char *name, long ret, int err)
{
	printf("%s ret=%ld errno=%s\n", name, ret, ret < 0 ? strerrorname_np(err) : "0");
	fflush(stdout);
}

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		const char *name = argv[i];
		long ret;
		errno = 0;
		if (strcmp(name, "getppid") == 0) {
			ret = syscall(SYS_getppid);
		} else if (strcmp(name, "clone3") == 0) {
			struct clone_args args = { .exit_signal = 17 };
			ret = syscall(SYS_clone3, &args, sizeof(args));
			if (ret == 0)
				_exit(0);
		} else if (strcmp(name, "ptrace") == 0) {
			ret = syscall(SYS_ptrace, PTRACE_ATTACH, getppid(), 0, 0);
		} else if (strcmp(name, "mount") == 0) {
			ret = syscall(SYS_mount, "none", "/mnt", "tmpfs", 0, NULL);
		} else if (strcmp(name, "io_uring_setup") == 0) {
			ret = syscall(SYS_io_uring_setup, 4, NULL);
		} else if (strcmp(name, "personality") == 0) {
			ret = syscall(SYS_personality, 0xffffffff);
		} else if (strcmp(name, "unshare") == 0) {
			ret = syscall(SYS_unshare, CLONE_NEWNS);
		} else if (strcmp(name, "reboot") == 0) {
			/* Bad magic: harmless natively (EINVAL or EPERM). */
			ret = syscall(SYS_reboot, 0, 0, 0, NULL);
		} else if (strcmp(name, "openat") == 0) {
			ret = syscall(SYS_openat, AT_FDCWD, "/etc/hostname", O_RDONLY);
		} else if (strcmp(name, "getpid") == 0) {
			ret = syscall(SYS_getpid);
		} else if (strcmp(name, "x32_getpid") == 0) {
			/* The x32 ABI: same entry, number | 0x40000000 (x32 getpid is 39). */
			ret = syscall(0x40000000 | 39);
		} else if (strcmp(name, "int80_getpid") == 0) {
			/* The 32-bit ABI from a 64-bit process: i386 getpid is 20. */
			long r = 20;
			__asm__ volatile("int $0x80" : "+a"(r) : : "memory");
			ret = r;
		} else if (strcmp(name, "unlisted") == 0) {
			/* A number no kernel has: the policy's default applies. */
			ret = syscall(1000);
		} else {
			fprintf(stderr, "syscall_probe: unknown call %s\n", name);
			return 2;
		}
		show(name, ret, errno);
	}
	return 0;
}
