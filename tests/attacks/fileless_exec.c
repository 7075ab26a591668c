/* fileless_exec MODE: run a program the policy forbids (/bin/sh) by a door
 * other than a plain execve of its path. The forbidden program itself prints
 * "RESULT won: ..." and exits 0, so the attack wins only if it really ran.
 *   memfd-execveat  a copy of /bin/sh (ATK_WORK/sh-copy, put there by the
 *                   runner) written to a memfd, run with execveat(AT_EMPTY_PATH)
 *   memfd-proc      the same memfd run as execve("/proc/self/fd/N")
 *   exec-copy       execve of ATK_WORK/sh-copy itself (no exec right there)
 *   execveat-dirfd  execveat(O_PATH fd of /usr/bin, "sh")
 *   vfork-exec      vfork, and the child execs /bin/sh
 */
#include "attack.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static char *const *shell_argv(const char *how)
{
	static char script[160];
	static char *argv[] = { "sh", "-c", script, NULL };
	snprintf(script, sizeof(script), "echo 'RESULT won: %s ran the forbidden /bin/sh'; exit 0",
		 how);
	return argv;
}

static int memfd_with_shell(void)
{
	int src = open(ATK_WORK "/sh-copy", O_RDONLY | O_CLOEXEC);
	if (src < 0)
		atk_result(ATK_ERROR, "open of the shell's copy: %s", atk_errname(errno));
	int mfd = memfd_create("payload", 0);
	if (mfd < 0)
		atk_result(ATK_BLOCKED, "memfd_create: %s", atk_errname(errno));
	char buf[65536];
	ssize_t n;
	while ((n = read(src, buf, sizeof(buf))) > 0) {
		if (write(mfd, buf, (size_t)n) != n)
			atk_result(ATK_ERROR, "write to the memfd: %s", atk_errname(errno));
	}
	close(src);
	return mfd;
}

static int memfd_execveat(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	int mfd = memfd_with_shell();
	syscall(SYS_execveat, mfd, "", shell_argv("execveat of a memfd"), environ, AT_EMPTY_PATH);
	atk_result(ATK_BLOCKED, "execveat(memfd, AT_EMPTY_PATH): %s", atk_errname(errno));
}

static int memfd_proc(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	int mfd = memfd_with_shell();
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", mfd);
	execve(path, shell_argv("execve of /proc/self/fd/N of a memfd"), environ);
	atk_result(ATK_BLOCKED, "execve(%s): %s", path, atk_errname(errno));
}

static int exec_copy(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	execve(ATK_WORK "/sh-copy", shell_argv("execve of a copy in the writable directory"),
	       environ);
	atk_result(ATK_BLOCKED, "execve of the copy: %s", atk_errname(errno));
}

static int execveat_dirfd(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	int dir = open("/usr/bin", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dir < 0)
		atk_result(ATK_ERROR, "O_PATH open of /usr/bin: %s", atk_errname(errno));
	syscall(SYS_execveat, dir, "sh", shell_argv("execveat with a dirfd"), environ, 0);
	atk_result(ATK_BLOCKED, "execveat(dirfd, \"sh\"): %s", atk_errname(errno));
}

static int vfork_exec(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	static volatile int child_errno;
	char *const *sh_argv = shell_argv("a vfork child");
	pid_t pid = vfork();
	if (pid == 0) {
		execve("/bin/sh", sh_argv, environ);
		child_errno = errno;
		_exit(127);
	}
	if (pid < 0)
		atk_result(ATK_ERROR, "vfork: %s", atk_errname(errno));
	int status;
	if (waitpid(pid, &status, 0) < 0)
		atk_result(ATK_ERROR, "waitpid: %s", atk_errname(errno));
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		atk_result(ATK_WON, "the vfork child ran /bin/sh");
	if (WIFSIGNALED(status))
		atk_result(ATK_BLOCKED, "the vfork child died of signal %d", WTERMSIG(status));
	atk_result(ATK_BLOCKED, "execve in the vfork child: %s", atk_errname(child_errno));
}

int main(int argc, char **argv)
{
	static const struct atk_mode modes[] = {
		{ "memfd-execveat", memfd_execveat }, { "memfd-proc", memfd_proc },
		{ "exec-copy", exec_copy },	      { "execveat-dirfd", execveat_dirfd },
		{ "vfork-exec", vfork_exec },	      { NULL, NULL },
	};
	atk_dispatch(modes, argc, argv);
}
