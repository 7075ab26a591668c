/* Unit tests for the path resolver, against real processes and a real tree.
 *
 * One scratch tree under /tmp and five tracees, started once: a plain one
 * with a second thread of its own cwd, a chroot'ed one, one chroot'ed with
 * its cwd left outside, one chroot'ed in a mount namespace of its own with a
 * procfs inside, and PID 1 of a new PID namespace with its own procfs. Each
 * table row resolves one path as one of them. Rows for the plain tracee are
 * also checked against the kernel itself where it can answer. Needs root.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pathres.h"

enum tracee { PLAIN, CHROOT, CHROOT_OUT, NSPROC, FOREIGN, N_TRACEES };

static const char *const tracee_names[] = { "plain", "chroot", "chroot-cwd-out", "ns-proc",
					    "foreign-pidns" };

struct report {
	pid_t pid; /* in the test's PID namespace */
	pid_t tid; /* PLAIN: the second thread */
};

struct tracee_info {
	pid_t child; /* our child: the tracee, or its parent for FOREIGN */
	struct report rep;
	int hold; /* closing it lets the tracee exit */
};

/* Test-only state, set up once before the tests fork. */
static char base[64];
static char exe[PATH_MAX];
static pid_t runner;
static struct tracee_info tracees[N_TRACEES];

/* ---- the scratch tree ---- */

static void in_base(char *buf, size_t size, const char *rel)
{
	snprintf(buf, size, "%s/%s", base, rel);
}

static void make_dir(const char *rel)
{
	char p[PATH_MAX];
	in_base(p, sizeof(p), rel);
	ck_assert_msg(mkdir(p, 0755) == 0, "mkdir %s: %s", p, strerror(errno));
}

static void make_file(const char *rel)
{
	char p[PATH_MAX];
	in_base(p, sizeof(p), rel);
	int fd = open(p, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	ck_assert_msg(fd >= 0, "create %s: %s", p, strerror(errno));
	close(fd);
}

/* target may start with "{base}". */
static void make_link(const char *target, const char *rel)
{
	char p[PATH_MAX];
	char t[PATH_MAX];
	in_base(p, sizeof(p), rel);
	if (strncmp(target, "{base}", 6) == 0)
		snprintf(t, sizeof(t), "%s%s", base, target + 6);
	else
		snprintf(t, sizeof(t), "%s", target);
	ck_assert_msg(symlink(t, p) == 0, "symlink %s: %s", p, strerror(errno));
}

static void make_tree(void)
{
	make_file("file");
	make_dir("dir");
	make_file("dir/f");
	make_dir("dir/sub");
	make_file("dir/sub/deep.txt");
	make_link("..", "dir/up");
	make_link("{base}/dir", "abs_link");
	make_link("dir/sub", "rel_link");
	make_link("file", "file_link");
	make_link("chain2", "chain1");
	make_link("chain3", "chain2");
	make_link("dir/f", "chain3");
	make_link("loop2", "loop1");
	make_link("loop1", "loop2");
	make_link("self_loop", "self_loop");
	make_link("missing_target", "dangling");
	make_link("nodir/x", "dangling_dir");
	make_link("/nonexistent-pathres-target", "dangling_abs");
	make_link("/proc/self/fd/11", "fd_link");
	make_link("/proc/self/cwd", "cwd_link");
	make_link("/proc/self/fd/13", "pipe_link");
	/* c01 .. c40 are 40 links, the most the kernel follows; c00 is one more. */
	make_link("file", "c40");
	for (int i = 39; i >= 0; i--) {
		char from[16];
		char to[16];
		snprintf(from, sizeof(from), "c%02d", i);
		snprintf(to, sizeof(to), "c%02d", i + 1);
		make_link(to, from);
	}
	make_file("hl_a");
	char a[PATH_MAX];
	char b[PATH_MAX];
	in_base(a, sizeof(a), "hl_a");
	in_base(b, sizeof(b), "hl_b");
	ck_assert(link(a, b) == 0);

	make_dir("jail");
	make_dir("jail/etc");
	make_file("jail/etc/passwd");
	make_dir("jail/home");
	make_dir("jail/home/user");
	make_dir("jail/proc");
	make_dir("jail/tmp");
	make_dir("jail/fakeproc");
	make_dir("jail/fakeproc/self");
	make_dir("jail/jonly"); /* in the jail only: ".." escapes would miss it */
	make_file("jail/jonly/file");
	make_link("/proc/self/fd/7", "jail/tmp/fdlink");
	make_link("/etc", "jail/abs_escape");
	make_link("../../../..", "jail/dotdot_escape");
	make_link("/etc/nothing", "jail/abs_dangling");
}

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (type == FTW_DP)
		return rmdir(path);
	return unlink(path);
}

/* ---- the tracees ---- */

static void must(bool ok, int code)
{
	if (!ok)
		_exit(code);
}

/* Puts fd at number want (the tests name tracee fds by number). */
static void place(int fd, int want)
{
	must(fd >= 0, 10);
	if (fd != want) {
		must(dup2(fd, want) == want, 11);
		close(fd);
	}
}

static void path_of(char *buf, size_t size, const char *rel)
{
	in_base(buf, size, rel);
}

/* Until the test closes the other end. */
static void wait_hold(int hold)
{
	char c;
	while (read(hold, &c, 1) != 0 && errno == EINTR)
		;
	_exit(0);
}

struct thread_arg {
	char dir[PATH_MAX];
	int done; /* write end: the thread reports its TID */
};

static void *thread_main(void *arg)
{
	const struct thread_arg *a = arg;
	/* A cwd of its own: /proc/<tid>/cwd differs from the process's. */
	must(unshare(CLONE_FS) == 0 && chdir(a->dir) == 0, 20);
	pid_t tid = gettid();
	must(write(a->done, &tid, sizeof(tid)) == sizeof(tid), 21);
	for (;;)
		pause();
	return NULL;
}

static void plain_setup(struct report *rep)
{
	char p[PATH_MAX];
	path_of(p, sizeof(p), "dir");
	must(chdir(p) == 0, 30);
	path_of(p, sizeof(p), "dir/sub");
	place(open(p, O_RDONLY | O_DIRECTORY), 10);
	path_of(p, sizeof(p), "dir/f");
	place(open(p, O_RDONLY), 11);
	place(socket(AF_UNIX, SOCK_STREAM, 0), 12);
	int fds[2];
	must(pipe(fds) == 0, 31);
	place(fds[0], 13);
	path_of(p, sizeof(p), "deleted_me");
	place(open(p, O_RDWR | O_CREAT | O_EXCL, 0600), 14);
	must(unlink(p) == 0, 32);
	path_of(p, sizeof(p), "file");
	place(open(p, O_PATH), 15);
	path_of(p, sizeof(p), "abs_link");
	place(open(p, O_PATH | O_NOFOLLOW), 16);
	/* Still linked as hl_b, unlinked as hl_a, and a decoy file takes the
	 * name its magic link shows. */
	path_of(p, sizeof(p), "hl_a");
	place(open(p, O_RDONLY), 17);
	must(unlink(p) == 0, 33);
	path_of(p, sizeof(p), "hl_a (deleted)");
	must(close(open(p, O_WRONLY | O_CREAT | O_EXCL, 0644)) == 0, 34);
	place(memfd_create("pathres", MFD_CLOEXEC), 18);
	place(eventfd(0, 0), 19);

	static struct thread_arg arg;
	int done[2];
	must(pipe(done) == 0, 35);
	path_of(arg.dir, sizeof(arg.dir), "dir/sub");
	arg.done = done[1];
	pthread_t th;
	must(pthread_create(&th, NULL, thread_main, &arg) == 0, 36);
	must(read(done[0], &rep->tid, sizeof(rep->tid)) == sizeof(rep->tid), 37);
}

static void chroot_setup(void)
{
	char p[PATH_MAX];
	path_of(p, sizeof(p), "dir");
	place(open(p, O_RDONLY | O_DIRECTORY), 20);
	path_of(p, sizeof(p), "jail/home/user");
	must(chdir(p) == 0, 40);
	path_of(p, sizeof(p), "jail");
	must(chroot(p) == 0, 41);
	place(open("/etc", O_RDONLY | O_DIRECTORY), 10);
	place(open("/etc/passwd", O_RDONLY), 11);
}

static void chroot_out_setup(void)
{
	char p[PATH_MAX];
	must(chdir(base) == 0, 50);
	path_of(p, sizeof(p), "jail");
	must(chroot(p) == 0, 51);
}

/* A mount namespace of its own with a procfs inside the jail. The procfs is
 * of the PID namespace the process is in when it mounts. */
static void nsproc_setup(void)
{
	char p[PATH_MAX];
	path_of(p, sizeof(p), "jail/etc/passwd");
	place(open(p, O_RDONLY), 8); /* opened through the old namespace's mount */
	must(unshare(CLONE_NEWNS) == 0, 60);
	must(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0, 61);
	path_of(p, sizeof(p), "jail/proc");
	must(mount("proc", p, "proc", 0, NULL) == 0, 62);
	path_of(p, sizeof(p), "jail/etc/passwd");
	place(open(p, O_RDONLY), 7);
	path_of(p, sizeof(p), "jail/home/user");
	must(chdir(p) == 0, 63);
	path_of(p, sizeof(p), "jail");
	must(chroot(p) == 0, 64);
}

static void tracee_main(enum tracee kind, int ready, int hold)
{
	/* Out of the way of the fd numbers the tracees use. */
	ready = fcntl(ready, F_DUPFD, 100);
	hold = fcntl(hold, F_DUPFD, 100);
	must(ready >= 0 && hold >= 0, 2);
	struct report rep = { .pid = getpid(), .tid = getpid() };
	switch (kind) {
	case PLAIN:
		plain_setup(&rep);
		break;
	case CHROOT:
		chroot_setup();
		break;
	case CHROOT_OUT:
		chroot_out_setup();
		break;
	case NSPROC:
		nsproc_setup();
		break;
	case FOREIGN: {
		must(unshare(CLONE_NEWPID) == 0, 70);
		int gc_ready[2];
		must(pipe(gc_ready) == 0, 71);
		pid_t gc = fork();
		must(gc >= 0, 72);
		if (gc == 0) {
			/* PID 1 of the new namespace, with a procfs of it. */
			nsproc_setup();
			char c = 1;
			must(write(gc_ready[1], &c, 1) == 1, 73);
			wait_hold(hold);
		}
		char c;
		must(read(gc_ready[0], &c, 1) == 1, 74);
		/* Stays to reap it: an orphan would be a zombie of the
		 * machine's init. */
		rep.pid = gc;
		rep.tid = gc;
		must(write(ready, &rep, sizeof(rep)) == sizeof(rep), 4);
		_exit(waitpid(gc, NULL, 0) != gc);
	}
	default:
		_exit(3);
	}
	must(write(ready, &rep, sizeof(rep)) == sizeof(rep), 4);
	wait_hold(hold);
}

static void spawn(enum tracee kind)
{
	int ready[2];
	int hold[2];
	ck_assert(pipe2(ready, O_CLOEXEC) == 0 && pipe2(hold, O_CLOEXEC) == 0);
	pid_t pid = fork();
	ck_assert(pid >= 0);
	if (pid == 0) {
		close(ready[0]);
		close(hold[1]);
		tracee_main(kind, ready[1], hold[0]);
		_exit(0);
	}
	close(ready[1]);
	close(hold[0]);
	struct tracee_info *t = &tracees[kind];
	t->child = pid;
	t->hold = hold[1];
	ssize_t n = read(ready[0], &t->rep, sizeof(t->rep));
	close(ready[0]);
	if (n != (ssize_t)sizeof(t->rep)) {
		int status = 0;
		waitpid(pid, &status, 0);
		ck_abort_msg("tracee %s failed to start (exit %d)", tracee_names[kind],
			     WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	}
}

static void setup(void)
{
	runner = getpid();
	snprintf(base, sizeof(base), "/tmp/pathres.XXXXXX");
	ck_assert(mkdtemp(base) != NULL);
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	ck_assert(n > 0);
	exe[n] = '\0';
	make_tree();
	for (int k = 0; k < N_TRACEES; k++)
		spawn((enum tracee)k);
}

static void teardown(void)
{
	for (int k = 0; k < N_TRACEES; k++) {
		struct tracee_info *t = &tracees[k];
		if (t->child <= 0)
			continue;
		close(t->hold);
		if (t->rep.pid > 0 && t->rep.pid != t->child)
			kill(t->rep.pid, SIGKILL); /* its parent, our child, reaps it */
		else
			kill(t->child, SIGKILL);
		waitpid(t->child, NULL, 0);
		t->child = 0;
	}
	if (base[0] != '\0')
		nftw(base, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* ---- the table ---- */

enum { FOLLOW = 0, NOFOLLOW = 1, EMPTY = 2 };

struct row {
	enum tracee who;
	int dirfd;
	const char *path; /* {base}, {pid}, {tid}, {cpid}, {npid}, {runner} expand */
	unsigned flags;
	int ret;	  /* 0, -1 or FG_RESOLVE_NOT_A_PATH */
	int code;	  /* error_code when ret is -1 */
	const char *want; /* out; a final '*' matches any rest; NULL means "" */
	bool thread;	  /* as PLAIN's second thread */
};

/* clang-format off */
#define OK(who, fd, path, flags, want) { who, fd, path, flags, 0, 0, want, false }
#define ERR(who, fd, path, flags, code) { who, fd, path, flags, -1, code, NULL, false }
#define ERR_OUT(who, fd, path, flags, code, want) { who, fd, path, flags, -1, code, want, false }
#define NAP(who, fd, path, want) { who, fd, path, FOLLOW, FG_RESOLVE_NOT_A_PATH, 0, want, false }
#define THREAD(path, want) { PLAIN, AT_FDCWD, path, FOLLOW, 0, 0, want, true }
/* clang-format on */

enum { CWD = AT_FDCWD, OUTSIDE = FG_RESOLVE_OUTSIDE_ROOT, GONE = FG_RESOLVE_DELETED };

/* The plain tracee: cwd {base}/dir; fds 10 {base}/dir/sub, 11 {base}/dir/f,
 * 12 a socket, 13 a pipe, 14 an unlinked file, 15 O_PATH {base}/file,
 * 16 O_PATH|O_NOFOLLOW of the symlink abs_link, 17 hl_a (unlinked, still
 * linked as hl_b), 18 a memfd, 19 an eventfd; its second thread's cwd is
 * {base}/dir/sub. */
static const struct row rows[] = {
	/* absolute paths and normalisation */
	OK(PLAIN, CWD, "{base}/file", FOLLOW, "{base}/file"),
	OK(PLAIN, CWD, "{base}/dir", FOLLOW, "{base}/dir"),
	OK(PLAIN, CWD, "{base}/dir/", FOLLOW, "{base}/dir"),
	OK(PLAIN, CWD, "{base}//dir///f", FOLLOW, "{base}/dir/f"),
	OK(PLAIN, CWD, "{base}/./dir/./f", FOLLOW, "{base}/dir/f"),
	OK(PLAIN, CWD, "{base}/dir/sub/../f", FOLLOW, "{base}/dir/f"),
	OK(PLAIN, CWD, "{base}/dir/sub/../../dir/./sub//deep.txt", FOLLOW,
	   "{base}/dir/sub/deep.txt"),
	OK(PLAIN, CWD, "/", FOLLOW, "/"),
	OK(PLAIN, CWD, "//", FOLLOW, "/"),
	OK(PLAIN, CWD, "/..", FOLLOW, "/"),
	OK(PLAIN, CWD, "/../../..", FOLLOW, "/"),
	OK(PLAIN, CWD, "/./", FOLLOW, "/"),
	OK(PLAIN, CWD, "/../..{base}/file", FOLLOW, "{base}/file"),
	/* relative to the cwd ({base}/dir) */
	OK(PLAIN, CWD, "f", FOLLOW, "{base}/dir/f"),
	OK(PLAIN, CWD, "./sub/deep.txt", FOLLOW, "{base}/dir/sub/deep.txt"),
	OK(PLAIN, CWD, ".", FOLLOW, "{base}/dir"),
	OK(PLAIN, CWD, "..", FOLLOW, "{base}"),
	OK(PLAIN, CWD, "../../../../../../../../../../..", FOLLOW, "/"),
	OK(PLAIN, CWD, "../../../../../../../..{base}/dir/f", FOLLOW, "{base}/dir/f"),
	/* relative to a dirfd */
	OK(PLAIN, 10, "deep.txt", FOLLOW, "{base}/dir/sub/deep.txt"),
	OK(PLAIN, 10, "../f", FOLLOW, "{base}/dir/f"),
	OK(PLAIN, 10, ".", FOLLOW, "{base}/dir/sub"),
	ERR(PLAIN, 11, "x", FOLLOW, ENOTDIR),
	ERR(PLAIN, 99, "x", FOLLOW, EBADF),
	ERR(PLAIN, -5, "x", FOLLOW, EBADF),
	OK(PLAIN, 99, "{base}/file", FOLLOW, "{base}/file"),
	/* missing components */
	OK(PLAIN, CWD, "{base}/dir/newfile", FOLLOW, "{base}/dir/newfile"),
	OK(PLAIN, CWD, "newfile", FOLLOW, "{base}/dir/newfile"),
	OK(PLAIN, CWD, "{base}/dir/newdir/", FOLLOW, "{base}/dir/newdir"),
	ERR(PLAIN, CWD, "{base}/nodir/x", FOLLOW, ENOENT),
	ERR(PLAIN, CWD, "{base}/nodir/..", FOLLOW, ENOENT),
	ERR(PLAIN, CWD, "nodir/x", FOLLOW, ENOENT),
	/* not a directory */
	ERR(PLAIN, CWD, "{base}/file/x", FOLLOW, ENOTDIR),
	ERR(PLAIN, CWD, "{base}/file/", FOLLOW, ENOTDIR),
	ERR(PLAIN, CWD, "{base}/file/.", FOLLOW, ENOTDIR),
	ERR(PLAIN, CWD, "{base}/file/..", FOLLOW, ENOTDIR),
	ERR(PLAIN, CWD, "{base}/file_link/", FOLLOW, ENOTDIR),
	/* symlinks */
	OK(PLAIN, CWD, "{base}/abs_link", FOLLOW, "{base}/dir"),
	OK(PLAIN, CWD, "{base}/abs_link", NOFOLLOW, "{base}/abs_link"),
	OK(PLAIN, CWD, "{base}/abs_link/", NOFOLLOW, "{base}/dir"),
	OK(PLAIN, CWD, "{base}/abs_link/f", NOFOLLOW, "{base}/dir/f"),
	OK(PLAIN, CWD, "{base}/rel_link/deep.txt", FOLLOW, "{base}/dir/sub/deep.txt"),
	OK(PLAIN, CWD, "{base}/rel_link/..", FOLLOW, "{base}/dir"),
	OK(PLAIN, CWD, "{base}/dir/up/file", FOLLOW, "{base}/file"),
	OK(PLAIN, CWD, "up/dir/up/dir/f", FOLLOW, "{base}/dir/f"),
	OK(PLAIN, CWD, "{base}/chain1", FOLLOW, "{base}/dir/f"),
	OK(PLAIN, CWD, "{base}/chain1", NOFOLLOW, "{base}/chain1"),
	ERR(PLAIN, CWD, "{base}/loop1", FOLLOW, ELOOP),
	OK(PLAIN, CWD, "{base}/loop1", NOFOLLOW, "{base}/loop1"),
	ERR(PLAIN, CWD, "{base}/loop1/x", NOFOLLOW, ELOOP),
	ERR(PLAIN, CWD, "{base}/self_loop", FOLLOW, ELOOP),
	OK(PLAIN, CWD, "{base}/c01", FOLLOW, "{base}/file"),
	ERR(PLAIN, CWD, "{base}/c00", FOLLOW, ELOOP),
	OK(PLAIN, CWD, "{base}/c00", NOFOLLOW, "{base}/c00"),
	OK(PLAIN, CWD, "{base}/dangling", FOLLOW, "{base}/missing_target"),
	OK(PLAIN, CWD, "{base}/dangling", NOFOLLOW, "{base}/dangling"),
	ERR(PLAIN, CWD, "{base}/dangling_dir", FOLLOW, ENOENT),
	OK(PLAIN, CWD, "{base}/dangling_abs", FOLLOW, "/nonexistent-pathres-target"),
	/* empty paths */
	ERR(PLAIN, CWD, "", FOLLOW, ENOENT),
	ERR(PLAIN, 11, "", FOLLOW, ENOENT),
	OK(PLAIN, CWD, "", EMPTY, "{base}/dir"),
	OK(PLAIN, 11, "", EMPTY, "{base}/dir/f"),
	OK(PLAIN, 15, "", EMPTY, "{base}/file"),
	OK(PLAIN, 16, "", EMPTY, "{base}/abs_link"),
	OK(PLAIN, 10, "deep.txt", EMPTY, "{base}/dir/sub/deep.txt"),
	{ PLAIN, 12, "", EMPTY, FG_RESOLVE_NOT_A_PATH, 0, "socket:[*", false },
	{ PLAIN, 13, "", EMPTY, FG_RESOLVE_NOT_A_PATH, 0, "pipe:[*", false },
	ERR_OUT(PLAIN, 14, "", EMPTY, GONE, "{base}/deleted_me (deleted)"),
	ERR_OUT(PLAIN, 17, "", EMPTY, GONE, "{base}/hl_a (deleted)"),
	ERR(PLAIN, 99, "", EMPTY, EBADF),
	ERR_OUT(PLAIN, 18, "", EMPTY, GONE, "/memfd:pathres (deleted)"),
	{ PLAIN, 19, "", EMPTY, FG_RESOLVE_NOT_A_PATH, 0, "anon_inode:[eventfd]", false },
	ERR(PLAIN, 19, "x", FOLLOW, ENOTDIR),
	/* /proc/self is the tracee; magic links */
	OK(PLAIN, CWD, "/proc/self", FOLLOW, "/proc/{pid}"),
	OK(PLAIN, CWD, "/proc/self/", NOFOLLOW, "/proc/{pid}"),
	OK(PLAIN, CWD, "/proc/self", NOFOLLOW, "/proc/self"),
	OK(PLAIN, CWD, "/proc/self/status", FOLLOW, "/proc/{pid}/status"),
	OK(PLAIN, CWD, "/proc/self/cwd", FOLLOW, "{base}/dir"),
	OK(PLAIN, CWD, "/proc/self/cwd/f", FOLLOW, "{base}/dir/f"),
	OK(PLAIN, CWD, "/proc/self/cwd", NOFOLLOW, "/proc/{pid}/cwd"),
	OK(PLAIN, CWD, "/proc/self/fd/11", FOLLOW, "{base}/dir/f"),
	OK(PLAIN, CWD, "/proc/self/fd/11", NOFOLLOW, "/proc/{pid}/fd/11"),
	OK(PLAIN, CWD, "/proc/self/fd/10/deep.txt", FOLLOW, "{base}/dir/sub/deep.txt"),
	OK(PLAIN, CWD, "/proc/self/fd/10/..", FOLLOW, "{base}/dir"),
	OK(PLAIN, CWD, "/proc/self/fd/10/../../file", FOLLOW, "{base}/file"),
	NAP(PLAIN, CWD, "/proc/self/fd/12", "socket:[*"),
	ERR(PLAIN, CWD, "/proc/self/fd/12/x", FOLLOW, ENOTDIR),
	ERR(PLAIN, CWD, "/proc/self/fd/12/", FOLLOW, ENOTDIR),
	ERR_OUT(PLAIN, CWD, "/proc/self/fd/14", FOLLOW, GONE, "{base}/deleted_me (deleted)"),
	OK(PLAIN, CWD, "/proc/self/fd/16", FOLLOW, "{base}/abs_link"),
	OK(PLAIN, CWD, "/proc/self/fd/99", FOLLOW, "/proc/{pid}/fd/99"),
	ERR(PLAIN, CWD, "/proc/self/fd/99/x", FOLLOW, ENOENT),
	NAP(PLAIN, CWD, "/proc/self/ns/net", "net:[*"),
	ERR_OUT(PLAIN, CWD, "/proc/self/fd/18", FOLLOW, GONE, "/memfd:pathres (deleted)"),
	NAP(PLAIN, CWD, "/proc/self/fd/19", "anon_inode:[eventfd]"),
	OK(PLAIN, CWD, "/proc/self/root", FOLLOW, "/"),
	OK(PLAIN, CWD, "/proc/self/root{base}/file", FOLLOW, "{base}/file"),
	OK(PLAIN, CWD, "/proc/self/root/..", FOLLOW, "/"),
	OK(PLAIN, CWD, "/proc/self/exe", FOLLOW, "{exe}"),
	OK(PLAIN, CWD, "/proc/mounts", FOLLOW, "/proc/{pid}/mounts"),
	OK(PLAIN, CWD, "/proc/net", NOFOLLOW, "/proc/net"),
	OK(PLAIN, CWD, "/proc/net/", NOFOLLOW, "/proc/{pid}/net"),
	OK(PLAIN, CWD, "/proc/./self/../self/fd/11", FOLLOW, "{base}/dir/f"),
	OK(PLAIN, CWD, "/dev/fd/11", FOLLOW, "{base}/dir/f"),
	OK(PLAIN, CWD, "{base}/fd_link", FOLLOW, "{base}/dir/f"),
	OK(PLAIN, CWD, "{base}/fd_link", NOFOLLOW, "{base}/fd_link"),
	OK(PLAIN, CWD, "{base}/cwd_link/f", NOFOLLOW, "{base}/dir/f"),
	NAP(PLAIN, CWD, "{base}/pipe_link", "pipe:[*"),
	ERR(PLAIN, CWD, "{base}/pipe_link/x", FOLLOW, ENOTDIR),
	OK(PLAIN, CWD, "/proc/self/task/{tid}/cwd", FOLLOW, "{base}/dir/sub"),
	OK(PLAIN, CWD, "/proc/{cpid}/root/etc/passwd", FOLLOW, "{base}/jail/etc/passwd"),
	OK(PLAIN, CWD, "/proc/{cpid}/cwd", FOLLOW, "{base}/jail/home/user"),
	ERR_OUT(PLAIN, CWD, "/proc/{npid}/root/etc/passwd", FOLLOW, OUTSIDE, "{base}/jail"),
	OK(PLAIN, CWD, "{base}/jail/fakeproc/self/x", FOLLOW, "{base}/jail/fakeproc/self/x"),
	/* a thread with a cwd of its own ({base}/dir/sub) */
	THREAD("deep.txt", "{base}/dir/sub/deep.txt"),
	THREAD("/proc/thread-self/cwd", "{base}/dir/sub"),
	THREAD("/proc/thread-self", "/proc/{pid}/task/{tid}"),
	THREAD("/proc/self/cwd", "{base}/dir"),
	THREAD("/proc/thread-self/fd/11", "{base}/dir/f"),
	/* chroot'ed in {base}/jail, cwd /home/user, 10 = /etc, 11 = /etc/passwd,
	 * 20 = {base}/dir outside */
	OK(CHROOT, CWD, "/etc/passwd", FOLLOW, "/etc/passwd"),
	OK(CHROOT, 10, "passwd", FOLLOW, "/etc/passwd"),
	OK(CHROOT, CWD, "../../etc/passwd", FOLLOW, "/etc/passwd"),
	OK(CHROOT, CWD, "../../../../../../etc/passwd", FOLLOW, "/etc/passwd"),
	OK(CHROOT, CWD, ".", FOLLOW, "/home/user"),
	OK(CHROOT, CWD, "/..", FOLLOW, "/"),
	OK(CHROOT, CWD, "/../../etc", FOLLOW, "/etc"),
	OK(CHROOT, CWD, "/abs_escape/passwd", FOLLOW, "/etc/passwd"),
	OK(CHROOT, CWD, "/abs_escape", NOFOLLOW, "/abs_escape"),
	OK(CHROOT, CWD, "/dotdot_escape", FOLLOW, "/"),
	OK(CHROOT, CWD, "/dotdot_escape/etc/passwd", FOLLOW, "/etc/passwd"),
	OK(CHROOT, CWD, "/dotdot_escape/jonly/file", FOLLOW, "/jonly/file"),
	OK(CHROOT, CWD, "/../../../jonly/file", FOLLOW, "/jonly/file"),
	OK(CHROOT, CWD, "../../../../jonly/file", FOLLOW, "/jonly/file"),
	ERR(CHROOT, CWD, "/../..{base}/file", FOLLOW, ENOENT),
	OK(CHROOT, CWD, "/abs_dangling", FOLLOW, "/etc/nothing"),
	OK(CHROOT, CWD, "/nofile", FOLLOW, "/nofile"),
	OK(CHROOT, 11, "", EMPTY, "/etc/passwd"),
	ERR_OUT(CHROOT, 20, "f", FOLLOW, OUTSIDE, "{base}/dir"),
	ERR_OUT(CHROOT, 20, "", EMPTY, OUTSIDE, "{base}/dir"),
	ERR(CHROOT, CWD, "/proc/self/status", FOLLOW, ENOENT),
	OK(CHROOT, CWD, "/fakeproc/self", FOLLOW, "/fakeproc/self"),
	/* chroot'ed with the cwd left outside the root */
	ERR_OUT(CHROOT_OUT, CWD, "x", FOLLOW, OUTSIDE, "{base}"),
	ERR_OUT(CHROOT_OUT, CWD, "", EMPTY, OUTSIDE, "{base}"),
	OK(CHROOT_OUT, CWD, "/etc/passwd", FOLLOW, "/etc/passwd"),
	/* chroot'ed in a mount namespace with a procfs at /proc; 7 = /etc/passwd,
	 * 8 = the same file opened through the old namespace's mount */
	OK(NSPROC, CWD, "/proc/self/fd/7", FOLLOW, "/etc/passwd"),
	OK(NSPROC, CWD, "/proc/self/cwd", FOLLOW, "/home/user"),
	OK(NSPROC, CWD, "/proc/self/root/etc/passwd", FOLLOW, "/etc/passwd"),
	OK(NSPROC, CWD, "/proc/self/root/../..", FOLLOW, "/"),
	OK(NSPROC, CWD, "/proc/self/root/../../jonly/file", FOLLOW, "/jonly/file"),
	OK(NSPROC, CWD, "/proc/self/cwd/../../../jonly", FOLLOW, "/jonly"),
	OK(NSPROC, CWD, "/tmp/fdlink", FOLLOW, "/etc/passwd"),
	OK(NSPROC, CWD, "/proc/self", FOLLOW, "/proc/{pid}"),
	OK(NSPROC, CWD, "/proc/thread-self/cwd", FOLLOW, "/home/user"),
	OK(NSPROC, CWD, "passwd", FOLLOW, "/home/user/passwd"),
	ERR_OUT(NSPROC, CWD, "/proc/self/exe", FOLLOW, OUTSIDE, "{exe}"),
	ERR_OUT(NSPROC, CWD, "/proc/{runner}/root/etc", FOLLOW, OUTSIDE, "/"),
	ERR_OUT(NSPROC, CWD, "/proc/self/fd/8", FOLLOW, OUTSIDE, "{base}/jail/etc/passwd"),
	ERR(NSPROC, CWD, "/proc/self/fd/7/x", FOLLOW, ENOTDIR),
	/* PID 1 of another PID namespace, with its own procfs */
	ERR(FOREIGN, CWD, "/proc/self/status", FOLLOW, OUTSIDE),
	ERR(FOREIGN, CWD, "/proc/thread-self", FOLLOW, OUTSIDE),
	OK(FOREIGN, CWD, "/proc/self", NOFOLLOW, "/proc/self"),
	OK(FOREIGN, CWD, "/proc/1/cwd", FOLLOW, "/home/user"),
	OK(FOREIGN, CWD, "/proc/1/root/etc/passwd", FOLLOW, "/etc/passwd"),
	OK(FOREIGN, CWD, "/etc/passwd", FOLLOW, "/etc/passwd"),
};

enum { N_ROWS = sizeof(rows) / sizeof(rows[0]) };

static void expand(char *buf, size_t size, const char *text, const struct row *r)
{
	size_t n = 0;
	buf[0] = '\0';
	while (*text != '\0' && n + 1 < size) {
		char value[PATH_MAX];
		const char *end = *text == '{' ? strchr(text, '}') : NULL;
		value[0] = '\0';
		if (end != NULL) {
			size_t k = (size_t)(end - text + 1);
			if (strncmp(text, "{base}", k) == 0)
				snprintf(value, sizeof(value), "%s", base);
			else if (strncmp(text, "{pid}", k) == 0)
				snprintf(value, sizeof(value), "%d", (int)tracees[r->who].rep.pid);
			else if (strncmp(text, "{tid}", k) == 0)
				snprintf(value, sizeof(value), "%d", (int)tracees[PLAIN].rep.tid);
			else if (strncmp(text, "{cpid}", k) == 0)
				snprintf(value, sizeof(value), "%d", (int)tracees[CHROOT].rep.pid);
			else if (strncmp(text, "{npid}", k) == 0)
				snprintf(value, sizeof(value), "%d", (int)tracees[NSPROC].rep.pid);
			else if (strncmp(text, "{runner}", k) == 0)
				snprintf(value, sizeof(value), "%d", (int)runner);
			else if (strncmp(text, "{exe}", k) == 0)
				snprintf(value, sizeof(value), "%s", exe);
			else
				ck_abort_msg("unknown placeholder in %s", text);
			text = end + 1;
		} else {
			value[0] = *text++;
			value[1] = '\0';
		}
		n += (size_t)snprintf(buf + n, size - n, "%s", value);
	}
}

static bool matches(const char *got, const char *want)
{
	size_t n = strlen(want);
	if (n > 0 && want[n - 1] == '*')
		return strncmp(got, want, n - 1) == 0;
	return strcmp(got, want) == 0;
}

/* The kernel's own answer, for rows it can give one for: the plain tracee
 * shares the test's root, so opening the path here lands where the tracee
 * would land. Paths through /proc/self would name the test, not the tracee. */
static void kernel_agrees(const struct row *r, const char *path, int ret, int code, const char *out)
{
	static const char *const tracee_specific[] = { "proc", "fd_link", "cwd_link", "pipe_link",
						       "/dev/fd" };
	if (r->who != PLAIN || r->thread || (r->flags & EMPTY))
		return;
	for (size_t i = 0; i < sizeof(tracee_specific) / sizeof(tracee_specific[0]); i++)
		if (strstr(r->path, tracee_specific[i]) != NULL)
			return;
	char dir[PATH_MAX];
	if (r->dirfd == AT_FDCWD)
		in_base(dir, sizeof(dir), "dir");
	else if (r->dirfd == 10)
		in_base(dir, sizeof(dir), "dir/sub");
	else if (r->dirfd == 11)
		in_base(dir, sizeof(dir), "dir/f");
	else
		return;
	int dirfd = open(dir, O_PATH | O_CLOEXEC);
	ck_assert(dirfd >= 0);
	int flags = O_PATH | O_CLOEXEC | ((r->flags & NOFOLLOW) ? O_NOFOLLOW : 0);
	int fd = openat(dirfd, path, flags);
	int e = errno;
	close(dirfd);
	if (fd >= 0) {
		char self[64];
		char real[PATH_MAX];
		snprintf(self, sizeof(self), "/proc/self/fd/%d", fd);
		ssize_t n = readlink(self, real, sizeof(real) - 1);
		close(fd);
		ck_assert(n > 0);
		real[n] = '\0';
		ck_assert_msg(ret == 0 && strcmp(out, real) == 0,
			      "%s: the kernel opens %s, the resolver says %d \"%s\"", path, real,
			      ret, out);
	} else if (e != ENOENT) {
		ck_assert_msg(ret == -1 && code == e,
			      "%s: the kernel fails with %s, the resolver says %d (%s)", path,
			      strerror(e), ret, strerror(code));
	}
}

START_TEST(resolve_row)
{
	const struct row *r = &rows[_i];
	const struct tracee_info *t = &tracees[r->who];
	char path[PATH_MAX];
	char want[PATH_MAX];
	expand(path, sizeof(path), r->path, r);
	expand(want, sizeof(want), r->want == NULL ? "" : r->want, r);
	struct fg_resolve_request req = {
		.pid = t->rep.pid,
		.tid = r->thread ? t->rep.tid : t->rep.pid,
		.dirfd = r->dirfd,
		.path = path,
		.follow_last = !(r->flags & NOFOLLOW),
		.empty_path_ok = (r->flags & EMPTY) != 0,
	};
	char out[PATH_MAX];
	int code = -12345;
	struct fg_error err = { { 0 } };
	int ret = fg_resolve_path(&req, out, sizeof(out), &code, &err);
	ck_assert_msg(ret == r->ret && (ret != -1 || code == r->code) && matches(out, want),
		      "row %d (%s, dirfd %d, \"%s\"%s%s): want %d/%s \"%s\", got %d/%s \"%s\" (%s)",
		      _i, tracee_names[r->who], r->dirfd, path,
		      (r->flags & NOFOLLOW) ? ", nofollow" : "",
		      (r->flags & EMPTY) ? ", empty_path_ok" : "", r->ret,
		      r->ret == -1 ? strerror(r->code) : "-", want, ret,
		      ret == -1 ? strerror(code) : "-", out, err.msg);
	ck_assert_int_eq(code, ret == -1 ? r->code : 0);
	if (ret == -1)
		ck_assert_msg(err.msg[0] != '\0', "no error message");
	kernel_agrees(r, path, ret, code, out);
}
END_TEST

/* ---- the rest, one by one ---- */

static int resolve_as(enum tracee who, const char *path, char *out, size_t size, int *code)
{
	struct fg_resolve_request req = {
		.pid = tracees[who].rep.pid,
		.tid = tracees[who].rep.pid,
		.dirfd = AT_FDCWD,
		.path = path,
		.follow_last = true,
	};
	struct fg_error err;
	return fg_resolve_path(&req, out, size, code, &err);
}

START_TEST(path_length_limits)
{
	static char path[PATH_MAX + 16];
	char out[PATH_MAX];
	int code = 0;

	/* PATH_MAX includes the NUL: 4095 characters pass, 4096 do not. */
	memset(path, '/', PATH_MAX - 1);
	path[PATH_MAX - 1] = '\0';
	ck_assert_int_eq(resolve_as(PLAIN, path, out, sizeof(out), &code), 0);
	ck_assert_str_eq(out, "/");
	memset(path, '/', PATH_MAX);
	path[PATH_MAX] = '\0';
	ck_assert_int_eq(resolve_as(PLAIN, path, out, sizeof(out), &code), -1);
	ck_assert_int_eq(code, ENAMETOOLONG);

	/* NAME_MAX per component. */
	int n = snprintf(path, sizeof(path), "%s/", base);
	memset(path + n, 'a', NAME_MAX);
	path[n + NAME_MAX] = '\0';
	ck_assert_int_eq(resolve_as(PLAIN, path, out, sizeof(out), &code), 0);
	ck_assert_str_eq(out, path);
	memset(path + n, 'a', NAME_MAX + 1);
	path[n + NAME_MAX + 1] = '\0';
	ck_assert_int_eq(resolve_as(PLAIN, path, out, sizeof(out), &code), -1);
	ck_assert_int_eq(code, ENAMETOOLONG);
}
END_TEST

START_TEST(output_buffer_too_small)
{
	char path[PATH_MAX];
	char out[PATH_MAX];
	int code = 0;
	in_base(path, sizeof(path), "dir/f");
	size_t len = strlen(path);
	ck_assert_int_eq(resolve_as(PLAIN, path, out, len + 1, &code), 0);
	ck_assert_str_eq(out, path);
	ck_assert_int_eq(resolve_as(PLAIN, path, out, len, &code), -1);
	ck_assert_int_eq(code, ERANGE);
	ck_assert_str_eq(out, "");
	ck_assert_int_eq(resolve_as(PLAIN, "/proc/self/fd/12", out, 4, &code), -1);
	ck_assert_int_eq(code, ERANGE);
}
END_TEST

START_TEST(gone_task_is_esrch)
{
	pid_t pid = fork();
	ck_assert(pid >= 0);
	if (pid == 0)
		_exit(0);
	ck_assert(waitpid(pid, NULL, 0) == pid);
	struct fg_resolve_request req = {
		.pid = pid, .tid = pid, .dirfd = AT_FDCWD, .path = "/etc", .follow_last = true
	};
	char out[PATH_MAX];
	int code = 0;
	struct fg_error err;
	ck_assert_int_eq(fg_resolve_path(&req, out, sizeof(out), &code, &err), -1);
	ck_assert_int_eq(code, ESRCH);
	ck_assert_ptr_nonnull(strstr(err.msg, "/proc/"));
}
END_TEST

START_TEST(missing_arguments)
{
	char out[16];
	int code = 0;
	struct fg_resolve_request req = { .pid = 1, .tid = 1, .dirfd = AT_FDCWD, .path = NULL };
	ck_assert_int_eq(fg_resolve_path(&req, out, sizeof(out), &code, NULL), -1);
	ck_assert_int_eq(code, EINVAL);
	req.path = "/";
	ck_assert_int_eq(fg_resolve_path(&req, out, 0, &code, NULL), -1);
	ck_assert_int_eq(fg_resolve_path(NULL, out, sizeof(out), NULL, NULL), -1);
}
END_TEST

/* /proc/<pid>/map_files/<range> of the tracee's executable mapping. */
START_TEST(map_files_link)
{
	char maps[64];
	snprintf(maps, sizeof(maps), "/proc/%d/maps", (int)tracees[PLAIN].rep.pid);
	FILE *f = fopen(maps, "r");
	ck_assert_ptr_nonnull(f);
	char line[PATH_MAX + 256];
	char range[64] = "";
	while (fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		const char *p = strchr(line, '/');
		if (p != NULL && strcmp(p, exe) == 0) {
			snprintf(range, sizeof(range), "%.*s", (int)strcspn(line, " "), line);
			break;
		}
	}
	fclose(f);
	ck_assert_msg(range[0] != '\0', "no mapping of %s", exe);
	char path[128];
	char out[PATH_MAX];
	int code = 0;
	snprintf(path, sizeof(path), "/proc/self/map_files/%s", range);
	ck_assert_int_eq(resolve_as(PLAIN, path, out, sizeof(out), &code), 0);
	ck_assert_str_eq(out, exe);
}
END_TEST

/* A chain of links whose texts add up to far more than the inline buffer. */
START_TEST(long_link_texts)
{
	char target[PATH_MAX];
	char name[PATH_MAX];
	char out[PATH_MAX];
	int code = 0;
	/* Each link is "./././.../next": 4000 characters. */
	for (int i = 0; i < 8; i++) {
		int n = 0;
		while (n < 4000 - 8)
			n += snprintf(target + n, sizeof(target) - (size_t)n, "./");
		if (i < 7)
			snprintf(target + n, sizeof(target) - (size_t)n, "long%d", i + 1);
		else
			snprintf(target + n, sizeof(target) - (size_t)n, "file");
		snprintf(name, sizeof(name), "long%d", i);
		make_link(target, name);
	}
	in_base(name, sizeof(name), "long0/../dir/f");
	/* long0 is followed as a directory component: it ends at "file". */
	ck_assert_int_eq(resolve_as(PLAIN, name, out, sizeof(out), &code), -1);
	ck_assert_int_eq(code, ENOTDIR);
	in_base(name, sizeof(name), "long0");
	ck_assert_int_eq(resolve_as(PLAIN, name, out, sizeof(out), &code), 0);
	in_base(name, sizeof(name), "file");
	ck_assert_str_eq(out, name);
}
END_TEST

static int count_fds(void)
{
	int n = 0;
	char p[64];
	for (int fd = 0; fd < 1024; fd++) {
		snprintf(p, sizeof(p), "/proc/self/fd/%d", fd);
		n += access(p, F_OK) == 0;
	}
	return n;
}

/* Every row again, successes and failures alike, must leave no descriptor
 * behind: the supervisor resolves paths for as long as it runs. */
START_TEST(no_descriptor_leaks)
{
	int before = count_fds();
	for (int i = 0; i < N_ROWS; i++) {
		const struct row *r = &rows[i];
		char path[PATH_MAX];
		expand(path, sizeof(path), r->path, r);
		struct fg_resolve_request req = {
			.pid = tracees[r->who].rep.pid,
			.tid = r->thread ? tracees[r->who].rep.tid : tracees[r->who].rep.pid,
			.dirfd = r->dirfd,
			.path = path,
			.follow_last = !(r->flags & NOFOLLOW),
			.empty_path_ok = (r->flags & EMPTY) != 0,
		};
		char out[PATH_MAX];
		int code;
		fg_resolve_path(&req, out, sizeof(out), &code, NULL);
	}
	ck_assert_int_eq(count_fds(), before);
}
END_TEST

static Suite *pathres_suite(void)
{
	Suite *s = suite_create("pathres");
	TCase *tc = tcase_create("resolve");
	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_loop_test(tc, resolve_row, 0, N_ROWS);
	tcase_add_test(tc, path_length_limits);
	tcase_add_test(tc, output_buffer_too_small);
	tcase_add_test(tc, gone_task_is_esrch);
	tcase_add_test(tc, missing_arguments);
	tcase_add_test(tc, map_files_link);
	tcase_add_test(tc, long_link_texts);
	tcase_add_test(tc, no_descriptor_leaks);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	if (geteuid() != 0) {
		/* chroot, mount and namespaces: 77 is "skipped" to meson. */
		fprintf(stderr, "test_pathres needs root; skipped\n");
		return 77;
	}
	SRunner *sr = srunner_create(pathres_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
