/* pathres_world.c - the scratch tree, dirfds and tracee processes of
 * fuzz_pathres (see pathres_world.h). */
#include "pathres_world.h"

#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* The ns-proc tracee's own procfs, at this fd number in that tracee only. */
enum { NS_PROC_FD = 200 };

static char base[PATH_MAX];
static struct world_tracee tracees[N_KINDS];
static int tracee_count;
static int dirfds[24];
static const char *dirfd_names[24];
static int dirfd_count;
static pid_t main_pid;

static void in_base(char *buf, size_t size, const char *rel)
{
	snprintf(buf, size, "%s/%s", base, rel);
}

static void must(bool ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_pathres: setup: %s: %s\n", what, strerror(errno));
		exit(1);
	}
}

static void make_dir(const char *rel)
{
	char p[PATH_MAX];
	in_base(p, sizeof(p), rel);
	must(mkdir(p, 0755) == 0, p);
}

static void make_file(const char *rel)
{
	char p[PATH_MAX];
	in_base(p, sizeof(p), rel);
	int fd = open(p, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	must(fd >= 0, p);
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
	must(symlink(t, p) == 0, p);
}

/* long1 .. long4: texts of nearly PATH_MAX bytes, each naming the next
 * first, so that following them stacks the texts (the resolver's buffer for
 * the rest of the path grows past its local room). */
static void make_long_links(void)
{
	for (int i = 1; i <= 4; i++) {
		char text[PATH_MAX];
		int n = i < 4 ? snprintf(text, sizeof(text), "long%d/", i + 1)
			      : snprintf(text, sizeof(text), "a/");
		while (n + 3 < 4000) {
			text[n++] = '.';
			text[n++] = '/';
		}
		text[n] = '\0';
		char rel[32];
		snprintf(rel, sizeof(rel), "jail/long%d", i);
		make_link(text, rel);
	}
}

/* deep/ and 18 directories of 250-byte names below it, reached by the
 * links deep1 (9 levels) and, at its end, more (9 levels): a path longer
 * than PATH_MAX that the kernel walks and the resolver must refuse. */
static void make_deep_dirs(void)
{
	char name[251];
	memset(name, 'd', 250);
	name[250] = '\0';
	char nine[10 * 251 + 1];
	size_t n = 0;
	for (int i = 0; i < 9; i++)
		n += (size_t)snprintf(nine + n, sizeof(nine) - n, "%s%s", i ? "/" : "", name);
	make_dir("jail/deep");
	char p[PATH_MAX];
	in_base(p, sizeof(p), "jail/deep");
	int fd = open(p, O_PATH | O_DIRECTORY | O_CLOEXEC);
	for (int level = 0; level < 18 && fd >= 0; level++) {
		must(mkdirat(fd, name, 0755) == 0, "mkdirat");
		if (level == 9)
			must(symlinkat(nine, fd, "more") == 0, "symlinkat");
		int next = openat(fd, name, O_PATH | O_DIRECTORY | O_CLOEXEC);
		close(fd);
		fd = next;
	}
	must(fd >= 0, "deep directories");
	close(fd);
	char text[sizeof(nine) + 8];
	snprintf(text, sizeof(text), "deep/%s", nine);
	make_link(text, "jail/deep1");
}

static void make_tree(void)
{
	make_dir("jail");
	make_dir("jail/a");
	make_dir("jail/a/b");
	make_dir("jail/a/b/c");
	make_file("jail/a/b/c/file");
	make_dir("jail/a/b/c/dir");
	make_dir("jail/etc");
	make_file("jail/etc/passwd");
	make_dir("jail/proc");
	make_dir("jail/tmp");
	make_link("/a/b", "jail/link_abs");
	make_link("a/b/c", "jail/link_rel");
	make_link("../../..", "jail/a/up3");
	make_link(".", "jail/a/dot");
	make_link("b/c/file", "jail/a/to_file");
	make_link("b/c/", "jail/a/trail");
	make_link("loop2", "jail/loop1");
	make_link("loop1", "jail/loop2");
	make_link("nowhere/x", "jail/dangling");
	make_link("/proc/self/fd", "jail/fds");
	make_link("/proc/self/cwd", "jail/cwd_link");
	make_link("/proc/self/root", "jail/root_link");
	make_link("/proc/thread-self", "jail/ts");
	make_link("{base}/outside", "jail/host_abs");
	make_link("/etc", "jail/etc_link");
	char a[PATH_MAX], b[PATH_MAX];
	in_base(a, sizeof(a), "jail/a/b/c/file");
	in_base(b, sizeof(b), "jail/hard");
	must(link(a, b) == 0, "link");
	in_base(a, sizeof(a), "jail/fifo");
	must(mkfifo(a, 0644) == 0, "mkfifo");
	/* c00 .. c40: 41 links, one more than the kernel follows. */
	make_link("a", "jail/c40");
	for (int i = 39; i >= 0; i--) {
		char from[32], to[32];
		snprintf(from, sizeof(from), "jail/c%02d", i);
		snprintf(to, sizeof(to), "c%02d", i + 1);
		make_link(to, from);
	}
	char name[NAME_MAX + 1];
	memset(name, 'n', NAME_MAX);
	name[NAME_MAX] = '\0';
	char rel[PATH_MAX];
	snprintf(rel, sizeof(rel), "jail/%s", name);
	make_dir(rel);
	make_long_links();
	make_deep_dirs();
	make_dir("outside");
	make_file("outside/secret");
	make_link("{base}/jail/a", "outside/back_in");
}

/* Removes what dirfd holds, by descriptor: the deep directories are beyond
 * PATH_MAX, which path-based walkers (nftw) cannot reach. */
static void remove_in(int dirfd)
{
	DIR *d = fdopendir(dirfd);
	if (d == NULL) {
		close(dirfd);
		return;
	}
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (unlinkat(dirfd, e->d_name, 0) == 0 || errno != EISDIR)
			continue;
		int sub = openat(dirfd, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (sub >= 0)
			remove_in(sub);
		unlinkat(dirfd, e->d_name, AT_REMOVEDIR);
	}
	closedir(d);
}

static void remove_tree(void)
{
	if (getpid() != main_pid || base[0] == '\0')
		return;
	int fd = open(base, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd >= 0)
		remove_in(fd);
	rmdir(base);
}

/* AT_FDCWD, -1 and 999999 are kept as they are: bad dirfds on purpose. */
static void add_fd(int fd, const char *name)
{
	if (fd < 0 && fd != AT_FDCWD && fd != -1) {
		fprintf(stderr, "fuzz_pathres: no dirfd for %s: %s\n", name, strerror(errno));
		return;
	}
	dirfd_names[dirfd_count] = name;
	dirfds[dirfd_count++] = fd;
}

static int open_in_base(const char *rel, int flags)
{
	char p[PATH_MAX];
	in_base(p, sizeof(p), rel);
	return open(p, flags | O_CLOEXEC, 0600);
}

static void open_dirfds(void)
{
	add_fd(AT_FDCWD, "AT_FDCWD");
	add_fd(open_in_base("jail", O_RDONLY | O_DIRECTORY), "jail");
	add_fd(open_in_base("jail/a/b", O_PATH | O_DIRECTORY), "jail/a/b");
	add_fd(open_in_base("jail/a/b/c/file", O_RDONLY), "a file");
	add_fd(open_in_base("jail/link_abs", O_PATH | O_NOFOLLOW), "a symlink (O_PATH)");
	add_fd(open_in_base("outside", O_PATH | O_DIRECTORY), "outside the jail");
	int sv[2];
	must(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == 0, "socketpair");
	add_fd(sv[0], "a socket");
	int pv[2];
	must(pipe2(pv, O_CLOEXEC) == 0, "pipe");
	add_fd(pv[0], "a pipe");
	add_fd(memfd_create("fuzz", MFD_CLOEXEC), "a memfd");
	add_fd(open_in_base("jail/tmp", O_TMPFILE | O_RDWR), "an O_TMPFILE");
	int gone = open_in_base("jail/tmp/gone", O_RDWR | O_CREAT);
	char p[PATH_MAX];
	in_base(p, sizeof(p), "jail/tmp/gone");
	must(unlink(p) == 0, "unlink");
	add_fd(gone, "an unlinked file");
	add_fd(open("/", O_PATH | O_DIRECTORY | O_CLOEXEC), "/");
	add_fd(open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC), "/proc");
	add_fd(eventfd(0, EFD_CLOEXEC), "an eventfd");
	add_fd(-1, "-1");
	add_fd(999999, "a closed fd");
}

/* ---- tracee processes -------------------------------------------------------- */

static bool enter_context(enum tracee_kind kind)
{
	char jail[PATH_MAX], cwd[PATH_MAX];
	in_base(jail, sizeof(jail), "jail");
	switch (kind) {
	case PLAIN:
		in_base(cwd, sizeof(cwd), "jail/a");
		return chdir(cwd) == 0;
	case CHROOT:
		return chroot(jail) == 0 && chdir("/a/b") == 0;
	case CWD_OUT:
		in_base(cwd, sizeof(cwd), "outside");
		return chdir(cwd) == 0 && chroot(jail) == 0;
	case NS_PROC: {
		char proc[PATH_MAX];
		in_base(proc, sizeof(proc), "jail/proc");
		if (unshare(CLONE_NEWNS) < 0 ||
		    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
		    mount("proc", proc, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0 ||
		    chroot(jail) < 0 || chdir("/a") < 0)
			return false;
		int fd = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
		return fd >= 0 && dup2(fd, NS_PROC_FD) == NS_PROC_FD && close(fd) == 0;
	}
	case N_KINDS:
		break;
	}
	return false;
}

/* What the parent sends: dirfd, flags, then the path with its NUL. */
struct request {
	int dirfd;
	int flags;
	char path[PATH_MAX + 200];
};

struct reply {
	int rc;
	struct statx stx;
};

/* libFuzzer's -timeout alarm interrupts blocking calls: go on. */
static ssize_t retry_recv(int sock, void *buf, size_t size)
{
	ssize_t n;
	do
		n = recv(sock, buf, size, 0);
	while (n < 0 && errno == EINTR);
	return n;
}

static ssize_t retry_send(int sock, const void *buf, size_t size)
{
	ssize_t n;
	do
		n = send(sock, buf, size, 0);
	while (n < 0 && errno == EINTR);
	return n;
}

/* The tracee: answers statx requests until the parent goes away. */
static void serve(int sock, enum tracee_kind kind)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	bool ok = enter_context(kind);
	if (retry_send(sock, &ok, sizeof(ok)) != sizeof(ok) || !ok)
		_exit(0);
	for (;;) {
		struct request req;
		ssize_t n = retry_recv(sock, &req, sizeof(req));
		if (n <= (ssize_t)offsetof(struct request, path))
			_exit(0);
		req.path[sizeof(req.path) - 1] = '\0';
		struct reply rep;
		memset(&rep, 0, sizeof(rep));
		rep.rc = statx(req.dirfd, req.path, req.flags,
			       STATX_TYPE | STATX_INO | STATX_MNT_ID, &rep.stx) == 0
			     ? 0
			     : errno;
		if (retry_send(sock, &rep, sizeof(rep)) != sizeof(rep))
			_exit(0);
	}
}

static void start_tracee(enum tracee_kind kind)
{
	int sv[2];
	must(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == 0, "socketpair");
	pid_t pid = fork();
	must(pid >= 0, "fork");
	if (pid == 0) {
		close(sv[0]);
		serve(sv[1], kind);
	}
	close(sv[1]);
	bool ok = false;
	if (retry_recv(sv[0], &ok, sizeof(ok)) != sizeof(ok) || !ok) {
		fprintf(stderr, "fuzz_pathres: tracee %s unavailable (%s)\n", world_kind_name(kind),
			kind == PLAIN ? "cannot chdir" : "needs root");
		must(kind != PLAIN, "the plain tracee");
		close(sv[0]);
		waitpid(pid, NULL, 0);
		return;
	}
	tracees[tracee_count++] = (struct world_tracee){ kind, pid, sv[0] };
	if (kind == NS_PROC) {
		dirfd_names[dirfd_count] = "ns-proc's own /proc (not open in the others)";
		dirfds[dirfd_count++] = NS_PROC_FD;
	}
}

int world_statx(const struct world_tracee *t, int dirfd, const char *path, int flags,
		struct statx *stx)
{
	struct request req;
	req.dirfd = dirfd;
	req.flags = flags;
	size_t len = strnlen(path, sizeof(req.path) - 1);
	memcpy(req.path, path, len);
	req.path[len] = '\0';
	struct reply rep;
	size_t size = offsetof(struct request, path) + len + 1;
	if (retry_send(t->sock, &req, size) != (ssize_t)size ||
	    retry_recv(t->sock, &rep, sizeof(rep)) != sizeof(rep)) {
		fprintf(stderr, "fuzz_pathres: tracee %s is gone: %s\n", world_kind_name(t->kind),
			strerror(errno));
		abort();
	}
	*stx = rep.stx;
	return rep.rc;
}

/* ---- the world ------------------------------------------------------------------ */

const char *world_kind_name(enum tracee_kind kind)
{
	static const char *const names[] = { "plain", "chroot", "cwd-out", "ns-proc" };
	return kind < N_KINDS ? names[kind] : "?";
}

void world_setup(void)
{
	main_pid = getpid();
	const char *tmp = getenv("FG_FUZZ_TMP");
	snprintf(base, sizeof(base), "%s/fuzz-pathres.XXXXXX", tmp != NULL ? tmp : "/tmp");
	must(mkdtemp(base) != NULL, "mkdtemp");
	atexit(remove_tree);
	make_tree();
	open_dirfds();
	start_tracee(PLAIN);
	if (geteuid() == 0) {
		start_tracee(CHROOT);
		start_tracee(CWD_OUT);
		start_tracee(NS_PROC);
	}
}

int world_tracee_count(void)
{
	return tracee_count;
}

const struct world_tracee *world_tracee(int i)
{
	return &tracees[i % tracee_count];
}

int world_dirfd_count(void)
{
	return dirfd_count;
}

int world_dirfd(int i)
{
	return dirfds[i % dirfd_count];
}

const char *world_dirfd_name(int fd)
{
	for (int i = 0; i < dirfd_count; i++) {
		if (dirfds[i] == fd)
			return dirfd_names[i];
	}
	return "?";
}

const char *world_keep(void)
{
	static char kept[PATH_MAX];
	snprintf(kept, sizeof(kept), "%s", base);
	base[0] = '\0';
	return kept;
}
