/* supervisor MODE [TARGET]: reach the supervisor, the parent process (under
 * fhirguard as a container's PID 1: fhirguard; natively: the runner's
 * stand-in, attack_standin), or blind or bypass it.
 *   ptrace-attach   PTRACE_ATTACH the parent (then detach)
 *   ptrace-seize    PTRACE_SEIZE the parent
 *   pvm-read        process_vm_readv of the parent's memory
 *   pvm-write       process_vm_writev into it (the bytes it already holds)
 *   proc-mem        open /proc/PPID/mem for writing, write the same bytes
 *   kill-kill       kill(parent, SIGKILL): won if the parent died
 *   kill-stop       kill(parent, SIGSTOP): won if it stopped (then SIGCONT)
 *   seccomp-allow TARGET   install an allow-everything filter (seccomp(), or
 *                  prctl(PR_SET_SECCOMP) if that is refused), then open TARGET
 *   seccomp-notify TARGET  install a filter that sends openat to our own
 *                  listener (SECCOMP_RET_USER_NOTIF outranks RET_TRACE), answer
 *                  CONTINUE from a thread, and open TARGET
 *   dumpable TARGET  PR_SET_DUMPABLE 0 (to blind /proc and ptrace), then open TARGET
 *   ptracer         PR_SET_PTRACER_ANY, then a child PTRACE_SEIZEs us
 *   traceme         a child calls PTRACE_TRACEME and execs: won if we are its tracer
 *   noop            exits 0 (what traceme's child runs)
 */
#include "attack.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static void sleep_ms(long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

/* An address in pid's memory from /proc/pid/maps: the start of the first
 * mapping with the wanted permissions ("r" or "rw"); 0 if none or unreadable. */
static unsigned long find_address(pid_t pid, const char *perms)
{
	char path[64], line[512];
	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	FILE *f = fopen(path, "r");
	if (f == NULL)
		return 0;
	unsigned long found = 0;
	while (found == 0 && fgets(line, sizeof(line), f) != NULL) {
		unsigned long start, end;
		char p[8];
		if (sscanf(line, "%lx-%lx %7s", &start, &end, p) != 3)
			continue;
		if (strncmp(p, perms, strlen(perms)) == 0 && strstr(line, "[v") == NULL)
			found = start;
	}
	fclose(f);
	return found;
}

static int ptrace_attach(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	pid_t parent = getppid();
	if (ptrace(PTRACE_ATTACH, parent, 0, 0) < 0)
		atk_result(ATK_BLOCKED, "PTRACE_ATTACH %d: %s", (int)parent, atk_errname(errno));
	waitpid(parent, NULL, __WALL);
	ptrace(PTRACE_DETACH, parent, 0, 0);
	atk_result(ATK_WON, "attached to the parent %d with PTRACE_ATTACH", (int)parent);
}

static int ptrace_seize(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	pid_t parent = getppid();
	if (ptrace(PTRACE_SEIZE, parent, 0, 0) < 0)
		atk_result(ATK_BLOCKED, "PTRACE_SEIZE %d: %s", (int)parent, atk_errname(errno));
	/* Exiting detaches. */
	atk_result(ATK_WON, "seized the parent %d", (int)parent);
}

/* process_vm_readv/writev: EFAULT means the kernel granted access and only
 * the address (a guess, when /proc/PID/maps is refused) was wrong. The write
 * puts back the bytes just read; if the read was refused it writes blind
 * (only a supervisor that let process_vm_writev through would be hurt). */
static int pvm(bool write)
{
	pid_t parent = getppid();
	unsigned long addr = find_address(parent, write ? "rw" : "r");
	bool guessed = addr == 0;
	if (guessed)
		addr = 0x10000;
	char buf[8] = { 0 };
	struct iovec local = { buf, sizeof(buf) }, remote = { (void *)addr, sizeof(buf) };
	ssize_t n = process_vm_readv(parent, &local, 1, &remote, 1, 0);
	int read_errno = errno;
	if (!write) {
		if (n < 0 && read_errno == EFAULT && guessed)
			atk_result(ATK_WON, "process_vm_readv of %d allowed (EFAULT at a guess)",
				   (int)parent);
		if (n < 0)
			atk_result(ATK_BLOCKED, "process_vm_readv of %d: %s", (int)parent,
				   atk_errname(read_errno));
		atk_result(ATK_WON, "read %zd bytes of the parent %d at 0x%lx", n, (int)parent,
			   addr);
	}
	n = process_vm_writev(parent, &local, 1, &remote, 1, 0);
	if (n < 0 && errno == EFAULT && guessed)
		atk_result(ATK_WON, "process_vm_writev of %d allowed (EFAULT at a guess)",
			   (int)parent);
	if (n < 0)
		atk_result(ATK_BLOCKED, "process_vm_writev of %d: %s (the read: %s)", (int)parent,
			   atk_errname(errno), atk_errname(read_errno));
	atk_result(ATK_WON, "wrote %zd bytes into the parent %d at 0x%lx", n, (int)parent, addr);
}

static int pvm_read(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return pvm(false);
}

static int pvm_write(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return pvm(true);
}

static int proc_mem(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	pid_t parent = getppid();
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/mem", (int)parent);
	int fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		atk_result(ATK_BLOCKED, "open %s for writing: %s", path, atk_errname(errno));
	unsigned long addr = find_address(parent, "rw");
	char buf[8];
	if (addr != 0 && pread(fd, buf, sizeof(buf), (off_t)addr) == (ssize_t)sizeof(buf) &&
	    pwrite(fd, buf, sizeof(buf), (off_t)addr) == (ssize_t)sizeof(buf))
		atk_result(ATK_WON, "opened %s for writing and wrote at 0x%lx", path, addr);
	atk_result(ATK_WON, "opened %s for writing", path);
}

static char process_state(pid_t pid)
{
	char path[64], buf[512];
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return '?';
	long n = atk_read_fd(fd, buf, sizeof(buf));
	close(fd);
	char *paren = n > 0 ? strrchr(buf, ')') : NULL;
	return paren != NULL && paren[1] == ' ' ? paren[2] : '?';
}

static int kill_kill(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	pid_t parent = getppid();
	int rc = kill(parent, SIGKILL);
	int err = errno;
	sleep_ms(300);
	if (getppid() != parent)
		atk_result(ATK_WON, "SIGKILL killed the parent %d", (int)parent);
	if (rc < 0)
		atk_result(ATK_BLOCKED, "kill(%d, SIGKILL): %s", (int)parent, atk_errname(err));
	atk_result(ATK_BLOCKED, "kill(%d, SIGKILL) returned 0, and the parent lives on",
		   (int)parent);
}

static int kill_stop(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	pid_t parent = getppid();
	int rc = kill(parent, SIGSTOP);
	int err = errno;
	sleep_ms(300);
	char state = process_state(parent);
	if (state == 'T') {
		kill(parent, SIGCONT);
		atk_result(ATK_WON, "SIGSTOP stopped the parent %d", (int)parent);
	}
	if (rc < 0)
		atk_result(ATK_BLOCKED, "kill(%d, SIGSTOP): %s", (int)parent, atk_errname(err));
	atk_result(ATK_BLOCKED, "kill(%d, SIGSTOP) returned 0, and the parent runs on (state %c)",
		   (int)parent, state);
}

static int open_target(const char *how, const char *target)
{
	int fd = open(target, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		atk_result(ATK_BLOCKED, "%s; open of the secret: %s", how, atk_errname(errno));
	if (atk_fd_is_secret(fd))
		atk_result(ATK_WON, "%s; read the secret", how);
	atk_result(ATK_ERROR, "%s; opened something else", how);
}

static int seccomp_allow(int argc, char **argv)
{
	const char *target = atk_target(argc >= 2 ? argv[1] : NULL);
	struct sock_filter allow[] = { BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW) };
	struct sock_fprog prog = { .len = 1, .filter = allow };
	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	char how[128];
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) == 0) {
		snprintf(how, sizeof(how), "installed an allow-all filter with seccomp()");
	} else {
		int err = errno;
		if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) < 0)
			atk_result(ATK_BLOCKED, "seccomp(): %s; prctl(PR_SET_SECCOMP): %s",
				   atk_errname(err), atk_errname(errno));
		snprintf(how, sizeof(how),
			 "seccomp() refused (%s), allow-all filter installed with prctl",
			 atk_errname(err));
	}
	return open_target(how, target);
}

static int listener_fd = -1;

static void *answer_continue(void *arg)
{
	(void)arg;
	for (;;) {
		struct seccomp_notif req;
		memset(&req, 0, sizeof(req));
		if (ioctl(listener_fd, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0)
			return NULL;
		struct seccomp_notif_resp resp = { .id = req.id,
						   .flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE };
		ioctl(listener_fd, SECCOMP_IOCTL_NOTIF_SEND, &resp);
	}
}

static int seccomp_notify(int argc, char **argv)
{
	const char *target = atk_target(argc >= 2 ? argv[1] : NULL);
	struct sock_filter filter[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_openat, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = 4, .filter = filter };
	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	listener_fd = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
				   SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
	if (listener_fd < 0)
		atk_result(ATK_BLOCKED, "seccomp(NEW_LISTENER): %s", atk_errname(errno));
	pthread_t t;
	if (pthread_create(&t, NULL, answer_continue, NULL) != 0)
		atk_result(ATK_ERROR, "pthread_create failed");
	return open_target("openat sent to our own listener", target);
}

static int dumpable(int argc, char **argv)
{
	const char *target = atk_target(argc >= 2 ? argv[1] : NULL);
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		atk_result(ATK_BLOCKED, "PR_SET_DUMPABLE: %s", atk_errname(errno));
	return open_target("PR_SET_DUMPABLE 0", target);
}

static int ptracer(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	/* Without Yama this prctl is EINVAL and changes nothing: root may
	 * trace anyway. */
	int rc = prctl(PR_SET_PTRACER, PR_SET_PTRACER_ANY, 0, 0, 0);
	const char *prctl_result = rc == 0 ? "0" : atk_errname(errno);
	pid_t me = getpid();
	pid_t child = fork();
	if (child < 0)
		atk_result(ATK_ERROR, "fork: %s", atk_errname(errno));
	if (child == 0)
		_exit(ptrace(PTRACE_SEIZE, me, 0, 0) == 0 ? 0 : 1);
	int status;
	waitpid(child, &status, 0);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		atk_result(ATK_WON, "PR_SET_PTRACER_ANY (%s), and a child seized us", prctl_result);
	atk_result(ATK_BLOCKED,
		   "PR_SET_PTRACER_ANY (%s); the child could not seize us (status 0x%x)",
		   prctl_result, status);
}

static int traceme(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	pid_t child = fork();
	if (child < 0)
		atk_result(ATK_ERROR, "fork: %s", atk_errname(errno));
	if (child == 0) {
		if (ptrace(PTRACE_TRACEME, 0, 0, 0) < 0) {
			fprintf(stderr, "PTRACE_TRACEME: %s\n", atk_errname(errno));
			_exit(3);
		}
		raise(SIGSTOP);
		char *args[] = { "attack_supervisor", "noop", NULL };
		execve(ATK_BIN "/attack_supervisor", args, environ);
		_exit(4);
	}
	int status;
	waitpid(child, &status, 0);
	if (WIFEXITED(status))
		atk_result(ATK_BLOCKED, "the child's PTRACE_TRACEME failed (exit %d)",
			   WEXITSTATUS(status));
	if (!WIFSTOPPED(status))
		atk_result(ATK_BLOCKED, "the child died (status 0x%x)", status);
	/* We see the child's stops: we are its tracer. Let it exec. */
	ptrace(PTRACE_CONT, child, 0, 0);
	waitpid(child, &status, 0);
	bool exec_stop = WIFSTOPPED(status) && WSTOPSIG(status) == SIGTRAP;
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	if (exec_stop)
		atk_result(ATK_WON, "we trace our child: it stopped for us at its exec");
	atk_result(ATK_WON, "we trace our child (no exec stop seen: status 0x%x)", status);
}

static int noop(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

int main(int argc, char **argv)
{
	static const struct atk_mode modes[] = {
		{ "ptrace-attach", ptrace_attach },
		{ "ptrace-seize", ptrace_seize },
		{ "pvm-read", pvm_read },
		{ "pvm-write", pvm_write },
		{ "proc-mem", proc_mem },
		{ "kill-kill", kill_kill },
		{ "kill-stop", kill_stop },
		{ "seccomp-allow", seccomp_allow },
		{ "seccomp-notify", seccomp_notify },
		{ "dumpable", dumpable },
		{ "ptracer", ptracer },
		{ "traceme", traceme },
		{ "noop", noop },
		{ NULL, NULL },
	};
	atk_dispatch(modes, argc, argv);
}
