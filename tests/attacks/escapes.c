/* escapes MODE: leave the container or gain privilege. Run natively as root
 * each one succeeds, and affects only this process or the suite's own
 * directory (its mounts are undone). Calls that cannot be made safely
 * (kexec, modules, pivot_root of the real root) are only shown reachable: a
 * bogus argument that the kernel rejects after its permission check
 * (EINVAL, ENOEXEC, ENOENT) counts as "won", a permission error as blocked.
 *
 *   mount, umount, fsmount, pivot-root (reachable), chroot (chroot + fchdir
 *   escape), unshare, setns, clone-ns, clone3-ns, bpf, perf, keyctl, add-key,
 *   userfaultfd, kexec-load, kexec-file-load, init-module, finit-module
 *   (reachable), personality, packet (AF_PACKET socket), raw (SOCK_RAW socket)
 */
#include "attack.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/keyctl.h>
#include <linux/perf_event.h>
#include <linux/sched.h>
#include <linux/userfaultfd.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/personality.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define MNT_TARGET    ATK_ROOT "/mnt"
#define UMOUNT_TARGET ATK_ROOT "/mnt-umount" /* the runner mounts a tmpfs here */

#define FSOPEN_CLOEXEC_	     1
#define FSCONFIG_CMD_CREATE_ 6
#define FSMOUNT_CLOEXEC_     1
#define KEXEC_ARCH_386_	     (3 << 16)

/* The verdict for a call that returned rc (errno set when rc < 0). */
static int verdict(const char *call, long rc)
{
	if (rc >= 0)
		atk_result(ATK_WON, "%s succeeded (%ld)", call, rc);
	if (errno == ENOSYS)
		atk_result(ATK_UNAVAILABLE, "%s: ENOSYS", call);
	atk_result(ATK_BLOCKED, "%s: %s", call, atk_errname(errno));
}

/* For calls shown only reachable: any error but a permission error (or
 * ENOSYS) means the kernel got past its permission check. */
static int reachable(const char *call, long rc)
{
	if (rc >= 0)
		atk_result(ATK_ERROR, "%s unexpectedly succeeded", call);
	int err = errno;
	if (err == ENOSYS)
		atk_result(ATK_UNAVAILABLE, "%s: ENOSYS (not in this kernel)", call);
	if (err == EPERM || err == EACCES)
		atk_result(ATK_BLOCKED, "%s: %s", call, atk_errname(err));
	atk_result(ATK_WON, "%s reached the kernel's argument checks (%s for a bogus argument)",
		   call, atk_errname(err));
}

#define NO_ARGS                                                                                    \
	(void)argc;                                                                                \
	(void)argv

static int do_mount(int argc, char **argv)
{
	NO_ARGS;
	mkdir(MNT_TARGET, 0755);
	long rc = syscall(SYS_mount, "none", MNT_TARGET, "tmpfs", 0L, "size=1m");
	if (rc == 0)
		syscall(SYS_umount2, MNT_TARGET, 0L);
	return verdict("mount tmpfs", rc);
}

static int do_umount(int argc, char **argv)
{
	NO_ARGS;
	long rc = syscall(SYS_umount2, UMOUNT_TARGET, 0L);
	if (rc < 0 && errno == EINVAL)
		atk_result(ATK_ERROR, "umount2: EINVAL: %s is not a mount point", UMOUNT_TARGET);
	return verdict("umount2 of the runner's tmpfs", rc);
}

static int do_fsmount(int argc, char **argv)
{
	NO_ARGS;
	int fs = (int)syscall(SYS_fsopen, "tmpfs", FSOPEN_CLOEXEC_);
	if (fs < 0)
		return verdict("fsopen", -1);
	if (syscall(SYS_fsconfig, fs, FSCONFIG_CMD_CREATE_, NULL, NULL, 0) < 0)
		return verdict("fsconfig", -1);
	/* A detached mount: attached nowhere, gone when the fd closes. */
	return verdict("fsmount", syscall(SYS_fsmount, fs, FSMOUNT_CLOEXEC_, 0));
}

static int do_pivot_root(int argc, char **argv)
{
	NO_ARGS;
	/* A new root that does not exist: ENOENT comes after the permission
	 * check, and nothing can ever be pivoted. */
	return reachable("pivot_root",
			 syscall(SYS_pivot_root, ATK_ROOT "/no-such-dir", ATK_ROOT "/no-such-dir"));
}

static int do_chroot(int argc, char **argv)
{
	NO_ARGS;
	struct stat real_root, now;
	const char *jail = ATK_WORK "/chroot-jail";
	mkdir(jail, 0755);
	if (stat("/", &real_root) < 0 || chdir(ATK_WORK) < 0)
		atk_result(ATK_ERROR, "setup: %s", atk_errname(errno));
	int outside = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (outside < 0)
		atk_result(ATK_ERROR, "open of the working directory: %s", atk_errname(errno));
	if (chroot(jail) < 0)
		return verdict("chroot", -1);
	/* The classic escape: the cwd is outside the new root; climb, and make
	 * the real root the root again. */
	if (fchdir(outside) < 0)
		atk_result(ATK_BLOCKED, "fchdir: %s", atk_errname(errno));
	for (int i = 0; i < 64; i++) {
		if (chdir("..") < 0)
			atk_result(ATK_BLOCKED, "chdir(..): %s", atk_errname(errno));
	}
	if (chroot(".") < 0)
		atk_result(ATK_BLOCKED, "chroot(.): %s", atk_errname(errno));
	if (stat("/", &now) == 0 && now.st_ino == real_root.st_ino &&
	    now.st_dev == real_root.st_dev)
		atk_result(ATK_WON, "chroot, then fchdir out of it: back at the real root");
	atk_result(ATK_BLOCKED, "chroot worked, the escape did not");
}

static int do_unshare(int argc, char **argv)
{
	NO_ARGS;
	return verdict("unshare(CLONE_NEWUSER|CLONE_NEWNS)",
		       syscall(SYS_unshare, (long)(CLONE_NEWUSER | CLONE_NEWNS)));
}

static int do_setns(int argc, char **argv)
{
	NO_ARGS;
	/* A pidfd of our own child names its namespaces, which are ours:
	 * joining changes nothing here, but the call is the door. (A pidfd of
	 * the parent, fhirguard, is refused already at pidfd_open.) */
	pid_t child = fork();
	if (child == 0) {
		pause();
		_exit(0);
	}
	if (child < 0)
		atk_result(ATK_ERROR, "fork: %s", atk_errname(errno));
	int pidfd = (int)syscall(SYS_pidfd_open, child, 0);
	long rc = pidfd < 0 ? -1 : syscall(SYS_setns, pidfd, (long)CLONE_NEWUTS);
	int saved = errno;
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	if (pidfd < 0)
		atk_result(ATK_ERROR, "pidfd_open: %s", atk_errname(saved));
	errno = saved;
	return verdict("setns(pidfd of our child, CLONE_NEWUTS)", rc);
}

#define NS_FLAGS (CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWUTS)

static int child_outcome(const char *call, long pid)
{
	if (pid == 0)
		syscall(SYS_exit_group, 0L);
	if (pid < 0)
		return verdict(call, -1);
	int status;
	waitpid((pid_t)pid, &status, 0);
	atk_result(ATK_WON, "%s made a child in new namespaces (status 0x%x)", call, status);
}

static int do_clone_ns(int argc, char **argv)
{
	NO_ARGS;
	return child_outcome("clone(CLONE_NEWUSER|NEWNS|NEWPID|NEWUTS)",
			     syscall(SYS_clone, (long)(NS_FLAGS | SIGCHLD), 0L, 0L, 0L, 0L));
}

static int do_clone3_ns(int argc, char **argv)
{
	NO_ARGS;
	struct clone_args args = { .flags = NS_FLAGS, .exit_signal = SIGCHLD };
	return child_outcome("clone3(CLONE_NEWUSER|NEWNS|NEWPID|NEWUTS)",
			     syscall(SYS_clone3, &args, sizeof(args)));
}

static int do_bpf(int argc, char **argv)
{
	NO_ARGS;
	union bpf_attr attr;
	memset(&attr, 0, sizeof(attr));
	attr.map_type = BPF_MAP_TYPE_ARRAY;
	attr.key_size = 4;
	attr.value_size = 4;
	attr.max_entries = 1;
	return verdict("bpf(BPF_MAP_CREATE)",
		       syscall(SYS_bpf, BPF_MAP_CREATE, &attr, sizeof(attr)));
}

static int do_perf(int argc, char **argv)
{
	NO_ARGS;
	struct perf_event_attr attr;
	memset(&attr, 0, sizeof(attr));
	attr.type = PERF_TYPE_SOFTWARE;
	attr.size = sizeof(attr);
	attr.config = PERF_COUNT_SW_TASK_CLOCK;
	attr.disabled = 1;
	return verdict("perf_event_open", syscall(SYS_perf_event_open, &attr, 0, -1, -1, 0L));
}

static int do_keyctl(int argc, char **argv)
{
	NO_ARGS;
	return verdict("keyctl(KEYCTL_JOIN_SESSION_KEYRING)",
		       syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, NULL));
}

static int do_add_key(int argc, char **argv)
{
	NO_ARGS;
	return verdict("add_key to the process keyring",
		       syscall(SYS_add_key, "user", "fhirguard-attack", "x", 1L,
			       (long)KEY_SPEC_PROCESS_KEYRING));
}

static int do_userfaultfd(int argc, char **argv)
{
	NO_ARGS;
	int fd = (int)syscall(SYS_userfaultfd, (long)(O_CLOEXEC | O_NONBLOCK));
	if (fd < 0)
		return verdict("userfaultfd", -1);
	struct uffdio_api api = { .api = UFFD_API };
	return verdict("userfaultfd + UFFDIO_API", ioctl(fd, UFFDIO_API, &api) == 0 ? fd : -1);
}

static int do_kexec_load(int argc, char **argv)
{
	NO_ARGS;
	/* 17 segments (more than KEXEC_SEGMENT_MAX) and the i386 arch: EINVAL
	 * after the permission check; nothing is ever loaded. */
	return reachable("kexec_load",
			 syscall(SYS_kexec_load, 0L, 17L, NULL, (long)KEXEC_ARCH_386_));
}

static int do_kexec_file_load(int argc, char **argv)
{
	NO_ARGS;
	return reachable("kexec_file_load",
			 syscall(SYS_kexec_file_load, -1L, -1L, 0L, "", 0x80000000L));
}

static int do_init_module(int argc, char **argv)
{
	NO_ARGS;
	static char garbage[64]; /* not an ELF file: ENOEXEC, never loaded */
	return reachable("init_module", syscall(SYS_init_module, garbage, sizeof(garbage), ""));
}

static int do_finit_module(int argc, char **argv)
{
	NO_ARGS;
	/* Unknown flags: EINVAL right after the permission check. */
	return reachable("finit_module", syscall(SYS_finit_module, -1L, "", 0x80000000L));
}

static int do_personality(int argc, char **argv)
{
	NO_ARGS;
	long old = syscall(SYS_personality, (long)READ_IMPLIES_EXEC);
	if (old < 0)
		return verdict("personality(READ_IMPLIES_EXEC)", -1);
	long now = syscall(SYS_personality, 0xffffffffL);
	if (now >= 0 && (now & READ_IMPLIES_EXEC))
		atk_result(ATK_WON, "personality now has READ_IMPLIES_EXEC");
	atk_result(ATK_BLOCKED, "personality(READ_IMPLIES_EXEC) did not stick (0x%lx)", now);
}

static int do_packet(int argc, char **argv)
{
	NO_ARGS;
	return verdict("socket(AF_PACKET, SOCK_RAW)",
		       socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL)));
}

static int do_raw(int argc, char **argv)
{
	NO_ARGS;
	return verdict("socket(AF_INET, SOCK_RAW, IPPROTO_ICMP)",
		       socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMP));
}

int main(int argc, char **argv)
{
	static const struct atk_mode modes[] = {
		{ "mount", do_mount },
		{ "umount", do_umount },
		{ "fsmount", do_fsmount },
		{ "pivot-root", do_pivot_root },
		{ "chroot", do_chroot },
		{ "unshare", do_unshare },
		{ "setns", do_setns },
		{ "clone-ns", do_clone_ns },
		{ "clone3-ns", do_clone3_ns },
		{ "bpf", do_bpf },
		{ "perf", do_perf },
		{ "keyctl", do_keyctl },
		{ "add-key", do_add_key },
		{ "userfaultfd", do_userfaultfd },
		{ "kexec-load", do_kexec_load },
		{ "kexec-file-load", do_kexec_file_load },
		{ "init-module", do_init_module },
		{ "finit-module", do_finit_module },
		{ "personality", do_personality },
		{ "packet", do_packet },
		{ "raw", do_raw },
		{ NULL, NULL },
	};
	atk_dispatch(modes, argc, argv);
}
