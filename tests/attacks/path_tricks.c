/* path_tricks MODE [secret|vault]: reach a secret through a path the
 * supervisor must resolve as the kernel does. Won when the secret's content
 * is read (or, for proc-fd-write, when a read-only file is written).
 *
 *   dotdot         WORK/pub/../../TARGET
 *   cwd            chdir(WORK/pub), then ../../TARGET
 *   dirfd          openat(O_PATH fd of WORK/pub, "../../TARGET")
 *   symlink        a symlink planted in WORK pointing at the target
 *   hardlink       a hard link to the target made in WORK (refusing link() is the defence)
 *   rename         moving the target into WORK
 *   proc-root      /proc/self/root/TARGET
 *   proc-fd-dir    /proc/self/fd/N/../../TARGET, N a directory fd of WORK/pub
 *   openat2        openat2() of WORK/pub/../../TARGET
 *   handle         name_to_handle_at + open_by_handle_at (the handle is saved
 *                  by the runner in WORK/TARGET.handle, in case the first is refused)
 *   openat2-inroot openat2(fd of a jail, ATK_PUBLIC, RESOLVE_IN_ROOT): the
 *                  kernel opens JAIL/tmp/.../pub/key (a secret), not ATK_PUBLIC;
 *                  the jail is ATK_JAIL for "secret", ATK_WORK_JAIL for "vault"
 * Without a target:
 *   opath-reopen   O_PATH fd of ATK_VISIBLE (stat allowed), reopened for reading
 *                  through /proc/self/fd/N
 *   proc-fd-write  ATK_READONLY opened for reading, reopened for writing
 *                  through /proc/self/fd/N
 */
#include "attack.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static const char *target;
static const char *target_rel; /* relative to ATK_ROOT: "secret/key", "work/vlt/key" */

static void pick_target(int argc, char **argv)
{
	target = atk_target(argc >= 2 ? argv[1] : NULL);
	target_rel = target + strlen(ATK_ROOT "/");
}

/* The attack's last step: fd (or the errno of the call that made it). */
static int conclude(const char *what, int fd)
{
	if (fd < 0)
		atk_result(ATK_BLOCKED, "%s: %s", what, atk_errname(errno));
	if (atk_fd_is_secret(fd))
		atk_result(ATK_WON, "%s: read the secret", what);
	atk_result(ATK_BLOCKED, "%s: opened something that is not the secret", what);
}

static int open_dir(const char *path, int flags)
{
	int fd = open(path, flags | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		atk_result(ATK_ERROR, "cannot open %s: %s", path, atk_errname(errno));
	return fd;
}

static int dotdot(int argc, char **argv)
{
	pick_target(argc, argv);
	char path[256];
	snprintf(path, sizeof(path), ATK_WORK "/pub/../../%s", target_rel);
	return conclude(path, open(path, O_RDONLY));
}

static int cwd(int argc, char **argv)
{
	pick_target(argc, argv);
	if (chdir(ATK_WORK "/pub") < 0)
		atk_result(ATK_ERROR, "chdir: %s", atk_errname(errno));
	char path[256];
	snprintf(path, sizeof(path), "../../%s", target_rel);
	return conclude(path, open(path, O_RDONLY));
}

static int dirfd_relative(int argc, char **argv)
{
	pick_target(argc, argv);
	int dir = open_dir(ATK_WORK "/pub", O_PATH);
	char path[256];
	snprintf(path, sizeof(path), "../../%s", target_rel);
	return conclude(path, openat(dir, path, O_RDONLY));
}

static int symlink_planted(int argc, char **argv)
{
	pick_target(argc, argv);
	const char *link = ATK_WORK "/planted-symlink";
	unlink(link);
	if (symlink(target, link) < 0)
		atk_result(ATK_BLOCKED, "symlink: %s", atk_errname(errno));
	return conclude("open of the planted symlink", open(link, O_RDONLY));
}

static int hardlink(int argc, char **argv)
{
	pick_target(argc, argv);
	const char *link = ATK_WORK "/planted-hardlink";
	unlink(link);
	if (linkat(AT_FDCWD, target, AT_FDCWD, link, 0) < 0)
		atk_result(ATK_BLOCKED, "link: %s", atk_errname(errno));
	return conclude("open of the hard link", open(link, O_RDONLY));
}

static int rename_in(int argc, char **argv)
{
	pick_target(argc, argv);
	const char *moved = ATK_WORK "/moved-secret";
	unlink(moved);
	if (rename(target, moved) < 0)
		atk_result(ATK_BLOCKED, "rename: %s", atk_errname(errno));
	return conclude("open of the moved file", open(moved, O_RDONLY));
}

static int proc_root(int argc, char **argv)
{
	pick_target(argc, argv);
	char path[256];
	snprintf(path, sizeof(path), "/proc/self/root%s", target);
	return conclude(path, open(path, O_RDONLY));
}

static int proc_fd_dir(int argc, char **argv)
{
	pick_target(argc, argv);
	int dir = open_dir(ATK_WORK "/pub", O_RDONLY);
	char path[256];
	snprintf(path, sizeof(path), "/proc/self/fd/%d/../../%s", dir, target_rel);
	return conclude(path, open(path, O_RDONLY));
}

static int openat2_dotdot(int argc, char **argv)
{
	pick_target(argc, argv);
	char path[256];
	snprintf(path, sizeof(path), ATK_WORK "/pub/../../%s", target_rel);
	struct open_how how = { .flags = O_RDONLY };
	int fd = (int)syscall(SYS_openat2, AT_FDCWD, path, &how, sizeof(how));
	return conclude("openat2", fd);
}

static int openat2_inroot(int argc, char **argv)
{
	pick_target(argc, argv);
	int jail = open_dir(strcmp(target, ATK_VAULT) == 0 ? ATK_WORK_JAIL : ATK_JAIL, O_PATH);
	struct open_how how = { .flags = O_RDONLY, .resolve = RESOLVE_IN_ROOT };
	int fd = (int)syscall(SYS_openat2, jail, ATK_PUBLIC, &how, sizeof(how));
	return conclude("openat2 RESOLVE_IN_ROOT", fd);
}

static int by_handle(int argc, char **argv)
{
	pick_target(argc, argv);
	struct {
		struct file_handle h;
		unsigned char bytes[MAX_HANDLE_SZ];
	} fh = { .h.handle_bytes = MAX_HANDLE_SZ };
	int mount_id;
	if (name_to_handle_at(AT_FDCWD, target, &fh.h, &mount_id, 0) < 0) {
		/* Refused: use the handle the runner saved (an attacker can
		 * also guess one: inode numbers are small). */
		int saved_errno = errno;
		char saved[256];
		snprintf(saved, sizeof(saved), ATK_WORK "/%s.handle",
			 strcmp(target, ATK_VAULT) == 0 ? "vault" : "secret");
		int fd = open(saved, O_RDONLY);
		if (fd < 0 || read(fd, &fh, sizeof(fh)) < (ssize_t)sizeof(fh.h))
			atk_result(ATK_ERROR, "name_to_handle_at: %s, and no saved handle %s",
				   atk_errname(saved_errno), saved);
		close(fd);
		fprintf(stderr, "name_to_handle_at: %s; using the saved handle\n",
			atk_errname(saved_errno));
	}
	int mount_fd = open_dir(ATK_WORK, O_RDONLY);
	return conclude("open_by_handle_at", open_by_handle_at(mount_fd, &fh.h, O_RDONLY));
}

static int opath_reopen(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	int fd = open(ATK_VISIBLE, O_PATH | O_CLOEXEC);
	if (fd < 0)
		atk_result(ATK_ERROR, "O_PATH open of %s (the policy allows stat): %s", ATK_VISIBLE,
			   atk_errname(errno));
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	return conclude("reopen of the O_PATH fd", open(path, O_RDONLY));
}

static int proc_fd_write(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	int fd = open(ATK_READONLY, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		atk_result(ATK_ERROR, "open of %s for reading: %s", ATK_READONLY,
			   atk_errname(errno));
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	int w = open(path, O_WRONLY | O_APPEND);
	if (w < 0)
		atk_result(ATK_BLOCKED, "reopen for writing: %s", atk_errname(errno));
	if (write(w, "overwritten\n", 12) != 12)
		atk_result(ATK_BLOCKED, "write: %s", atk_errname(errno));
	atk_result(ATK_WON, "wrote to the read-only file through %s", path);
}

int main(int argc, char **argv)
{
	static const struct atk_mode modes[] = {
		{ "dotdot", dotdot },
		{ "cwd", cwd },
		{ "dirfd", dirfd_relative },
		{ "symlink", symlink_planted },
		{ "hardlink", hardlink },
		{ "rename", rename_in },
		{ "proc-root", proc_root },
		{ "proc-fd-dir", proc_fd_dir },
		{ "openat2", openat2_dotdot },
		{ "handle", by_handle },
		{ "openat2-inroot", openat2_inroot },
		{ "opath-reopen", opath_reopen },
		{ "proc-fd-write", proc_fd_write },
		{ NULL, NULL },
	};
	atk_dispatch(modes, argc, argv);
}
