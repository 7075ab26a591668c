#include "inspect.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "argarea.h"
#include "errno_names.h"
#include "netaddr.h"
#include "pathres.h"
#include "procfs.h"
#include "tracee_mem.h"

/* How a syscall names a path: which arguments, and how it is resolved. */
struct path_arg {
	int dirfd_arg; /* index of the dirfd argument, -1 for AT_FDCWD */
	int path_arg;  /* index of the path argument, -1 for "" (an fd-only call) */
	bool follow;   /* follows a final symlink */
	unsigned rights;
	/* O_CREAT: the create right is needed only when the file is missing
	 * (opening an existing file with O_CREAT creates nothing). */
	bool create_if_missing;
};

/* Keeps a copy of bytes the check read through pointer argument `arg`;
 * returns the pin's index, or -1 (then the call will be refused). */
static int add_pin(struct fg_inspection *out, int arg, const void *bytes, size_t len, int size_arg,
		   int points_to)
{
	size_t offset = (out->pin_used + 15u) & ~(size_t)15u;
	if (out->pin_count >= FG_MAX_PINS || offset + len > sizeof(out->pin_data)) {
		out->pin_overflow = true;
		return -1;
	}
	memcpy(out->pin_data + offset, bytes, len);
	out->pins[out->pin_count] = (struct fg_pin){
		.arg = arg,
		.size_arg = size_arg,
		.points_to = points_to,
		.dirfd_arg = -1,
		.offset = (unsigned)offset,
		.len = (unsigned)len,
	};
	out->pin_used = (unsigned)(offset + len);
	return (int)out->pin_count++;
}

/* Whether the resolved path exists in the tracee's root. */
static bool exists_in_root(const struct fg_syscall_event *ev, const char *path)
{
	struct stat st;
	if (ev->has_root_fd && path[0] == '/')
		return fstatat(ev->root_fd, path[1] != '\0' ? path + 1 : ".", &st,
			       AT_SYMLINK_NOFOLLOW) == 0;
	char host[PATH_MAX + 64];
	snprintf(host, sizeof(host), "/proc/%d/root%s", (int)ev->pid, path);
	return fstatat(AT_FDCWD, host, &st, AT_SYMLINK_NOFOLLOW) == 0;
}

static void decide_error(struct fg_inspection *out, int error, const char *failure,
			 bool kernel_equivalent)
{
	out->decision.outcome.verdict = FG_VERDICT_DENY;
	out->decision.outcome.deny_errno = error;
	out->decision.rule_id = "supervisor";
	out->decision.line = 0;
	out->failure = failure;
	out->kernel_equivalent = kernel_equivalent;
}

/* The most severe of two decisions; on a tie the first stays. */
static void combine(struct fg_rule_decision *into, const struct fg_rule_decision *next)
{
	if (next->outcome.verdict > into->outcome.verdict)
		*into = *next;
}

/* Errors the kernel gives for the same path itself: answering with them
 * changes nothing for the program. */
static bool kernel_would_fail(int error)
{
	return error == ENOENT || error == ENOTDIR || error == ELOOP || error == ENAMETOOLONG ||
	       error == EBADF || error == EFAULT;
}

/* Reads and resolves one path argument into buf. Returns 0, or -1 with the
 * denial already written into out. */
/* A path that fg_resolve_path could not resolve: the kernel's own errno
 * where the kernel would fail the same way, EACCES otherwise. */
static void decide_resolve_failure(struct fg_inspection *out, int rc, int error)
{
	if (rc == FG_RESOLVE_NOT_A_PATH)
		/* A socket, pipe or anon inode reached through a magic link:
		 * no file rule can name it. */
		decide_error(out, EACCES, "the path names an object that is not a file", false);
	else if (error == FG_RESOLVE_OUTSIDE_ROOT)
		decide_error(out, EACCES, "the path leads outside the process's root", false);
	else if (error == FG_RESOLVE_DELETED)
		decide_error(out, EACCES, "the path names a deleted file or a memfd", false);
	else if (kernel_would_fail(error))
		decide_error(out, error, "the path does not resolve", true);
	else
		decide_error(out, EACCES, "the path could not be resolved", false);
}

static int resolve_arg(const struct fg_syscall_event *ev, int dirfd_arg, int path_arg, bool follow,
		       bool empty_path_ok, char *buf, size_t size, struct fg_inspection *out,
		       struct fg_inspection *pins)
{
	char raw[PATH_MAX];
	const char *path = "";
	if (path_arg >= 0) {
		ssize_t n = fg_read_string(ev->tid, ev->args[path_arg], raw, sizeof(raw));
		if (n == FG_MEM_UNREADABLE) {
			decide_error(out, EFAULT, "the path argument is unreadable", true);
			return -1;
		}
		if (n == FG_MEM_TOO_LONG) {
			decide_error(out, ENAMETOOLONG, "the path is longer than PATH_MAX", true);
			return -1;
		}
		path = raw;
		add_pin(pins, path_arg, raw, (size_t)n + 1, -1, -1);
	}
	struct fg_resolve_request req = {
		.pid = ev->pid,
		.tid = ev->tid,
		.has_root_fd = ev->has_root_fd,
		.root_fd = ev->root_fd,
		.dirfd = dirfd_arg >= 0 ? (int)ev->args[dirfd_arg] : AT_FDCWD,
		.path = path,
		.follow_last = follow,
		.empty_path_ok = empty_path_ok || path_arg < 0,
	};
	int error = 0;
	int rc = fg_resolve_path(&req, buf, size, &error, NULL);
	if (rc != 0) {
		decide_resolve_failure(out, rc, error);
		if (buf[0] == '\0')
			snprintf(buf, size, "%s", path);
		return -1;
	}
	return 0;
}

static unsigned open_rights(uint64_t flags)
{
	unsigned rights = 0;
	if (flags & O_PATH)
		return FG_RIGHT_STAT;
	switch (flags & O_ACCMODE) {
	case O_RDONLY:
		rights |= FG_RIGHT_READ;
		break;
	case O_WRONLY:
		rights |= FG_RIGHT_WRITE;
		break;
	default:
		rights |= FG_RIGHT_READ | FG_RIGHT_WRITE;
		break;
	}
	/* O_TMPFILE includes O_DIRECTORY: test all of its bits. */
	if ((flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE)
		rights |= FG_RIGHT_CREATE;
	if (flags & O_TRUNC)
		rights |= FG_RIGHT_WRITE;
	return rights;
}

static void check_file(const struct fg_policy *policy, const struct fg_syscall_event *ev,
		       const struct path_arg *arg, bool empty_path_ok, char *object, size_t size,
		       struct fg_inspection *out)
{
	/* A failure replaces an earlier decision only when more severe, or
	 * when that decision was no failure. */
	struct fg_rule_decision before = out->decision;
	const char *before_failure = out->failure;
	bool before_kernel_equivalent = out->kernel_equivalent;
	if (resolve_arg(ev, arg->dirfd_arg, arg->path_arg, arg->follow, empty_path_ok, object, size,
			out, out) < 0) {
		if (out->decision.outcome.verdict <= before.outcome.verdict &&
		    before_failure != NULL) {
			out->decision = before;
			out->failure = before_failure;
			out->kernel_equivalent = before_kernel_equivalent;
		}
		return;
	}
	unsigned rights = arg->rights;
	if (arg->create_if_missing && exists_in_root(ev, object))
		rights &= ~(unsigned)FG_RIGHT_CREATE;
	struct fg_rule_decision d;
	fg_rules_check_file(&policy->sections, object, rights, &d);
	out->rights |= rights;
	if (object == out->object)
		out->object_rights |= rights;
	else
		out->object2_rights |= rights;
	combine(&out->decision, &d);
}

/* For the audit line of a refused openat2(RESOLVE_IN_ROOT): the path below
 * its dirfd, as the dirfd's path and the raw path joined (not resolved). */
static void describe_in_root(const struct fg_syscall_event *ev, struct fg_inspection *out)
{
	char raw[PATH_MAX];
	char dir[PATH_MAX];
	if (fg_read_string(ev->tid, ev->args[1], raw, sizeof(raw)) < 0)
		return;
	struct fg_resolve_request req = {
		.pid = ev->pid,
		.tid = ev->tid,
		.has_root_fd = ev->has_root_fd,
		.root_fd = ev->root_fd,
		.dirfd = (int)ev->args[0],
		.path = "",
		.follow_last = true,
		.empty_path_ok = true,
	};
	int error = 0;
	if (fg_resolve_path(&req, dir, sizeof(dir), &error, NULL) != 0)
		snprintf(dir, sizeof(dir), "(fd %d)", (int)ev->args[0]);
	const char *rest = raw[0] == '/' ? raw + 1 : raw;
	snprintf(out->object, sizeof(out->object), "%.2000s%s%.2000s", dir,
		 strcmp(dir, "/") == 0 ? "" : "/", rest);
}

/* The kernel's O_LARGEFILE (glibc defines it as 0 on x86_64). */
#define KERNEL_O_LARGEFILE 0100000

/* The flags openat and open keep (the kernel's VALID_OPEN_FLAGS): openat
 * drops the others, openat2 refuses them. */
#define VALID_OPEN_FLAGS                                                                           \
	(O_RDONLY | O_WRONLY | O_RDWR | O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_APPEND |         \
	 O_NONBLOCK | O_DSYNC | FASYNC | O_DIRECT | KERNEL_O_LARGEFILE | O_DIRECTORY |             \
	 O_NOFOLLOW | O_NOATIME | O_CLOEXEC | O_PATH | O_TMPFILE | O_SYNC)

/* The open_how the kernel builds for open, openat and creat (fs/open.c,
 * build_open_how). */
static struct open_how build_open_how(uint64_t flags, uint64_t mode)
{
	struct open_how how = { .flags = (flags & VALID_OPEN_FLAGS) | KERNEL_O_LARGEFILE };
	if ((how.flags & O_CREAT) || (how.flags & O_TMPFILE) == O_TMPFILE)
		how.mode = mode & 07777;
	if (how.flags & O_PATH)
		how.flags &= O_DIRECTORY | O_NOFOLLOW | O_PATH | O_CLOEXEC;
	return how;
}

/* Whether the raw path pinned for argument `path_arg` ends in '/'. */
static bool raw_ends_in_slash(const struct fg_inspection *out, int path_arg)
{
	for (unsigned i = 0; i < out->pin_count; i++) {
		const struct fg_pin *pin = &out->pins[i];
		if (pin->arg == path_arg && pin->len >= 2 &&
		    out->pin_data[pin->offset + pin->len - 2] == '/')
			return true;
	}
	return false;
}

/* Whether the raw path pinned for argument `path_arg` is "" (AT_EMPTY_PATH:
 * the call acts on its dirfd itself, which may be a symlink opened with
 * O_PATH|O_NOFOLLOW; its resolved path would be followed). */
static bool raw_is_empty(const struct fg_inspection *out, int path_arg)
{
	for (unsigned i = 0; i < out->pin_count; i++) {
		const struct fg_pin *pin = &out->pins[i];
		if (pin->arg == path_arg && pin->len == 1)
			return true;
	}
	return false;
}

/* An allowed open runs as openat2(AT_FDCWD, the resolved path, flags,
 * RESOLVE_NO_SYMLINKS), from the argument area: the kernel opens the very
 * name the policy checked, and a symlink another task plants or swaps on
 * the way after the check fails the open (ELOOP) instead of leading
 * elsewhere. Kept as it is (pinned, not rewritten): openat2 with resolve
 * flags of its own, a path ending in "/" (its errors differ), and a policy
 * under which openat2 itself would not run. */
static void prepare_open_rewrite(const struct fg_policy *policy, int path_arg, struct open_how how,
				 struct fg_inspection *out)
{
	enum fg_action openat2_rule = fg_policy_syscall_rule(policy, SYS_openat2)->action;
	if (openat2_rule != FG_ACTION_TRACE && openat2_rule != FG_ACTION_ALLOW)
		return;
	if (out->object[0] != '/')
		return;
	if (how.resolve & ~(uint64_t)(RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS))
		return;
	if (raw_ends_in_slash(out, path_arg))
		return;
	how.resolve = RESOLVE_NO_SYMLINKS;
	out->pin_count = 0;
	out->pin_used = 0;
	out->pin_overflow = false;
	add_pin(out, 1, out->object, strlen(out->object) + 1, -1, -1);
	add_pin(out, 2, &how, sizeof(how), 3, -1);
	out->open_as_openat2 = true;
}

static void inspect_open(const struct fg_policy *policy, const struct fg_syscall_event *ev,
			 struct fg_inspection *out)
{
	int dirfd_arg = -1, path_arg = 0;
	uint64_t flags, mode = 0;
	struct open_how how;
	switch (ev->nr) {
	case SYS_open:
		flags = ev->args[1];
		mode = ev->args[2];
		break;
	case SYS_creat:
		flags = O_CREAT | O_WRONLY | O_TRUNC;
		mode = ev->args[1];
		break;
	case SYS_openat:
		dirfd_arg = 0;
		path_arg = 1;
		flags = ev->args[2];
		mode = ev->args[3];
		break;
	default: /* openat2 */
		dirfd_arg = 0;
		path_arg = 1;
		if (ev->args[3] < sizeof(how) ||
		    fg_read_memory(ev->tid, ev->args[2], &how, sizeof(how)) < 0) {
			decide_error(out, EFAULT, "the open_how argument is unreadable", true);
			return;
		}
		if (ev->args[3] > sizeof(how)) {
			/* A larger struct from a newer libc: the kernel accepts
			 * it when the bytes it does not know are zero. */
			unsigned char tail[4096];
			size_t extra = (size_t)(ev->args[3] - sizeof(how));
			if (extra > sizeof(tail) - sizeof(how)) {
				decide_error(out, E2BIG, "the open_how argument is too large",
					     true);
				return;
			}
			if (fg_read_memory(ev->tid, ev->args[2] + sizeof(how), tail, extra) < 0) {
				decide_error(out, EFAULT, "the open_how argument is unreadable",
					     true);
				return;
			}
			for (size_t i = 0; i < extra; i++) {
				if (tail[i] != 0) {
					decide_error(out, E2BIG,
						     "the open_how argument has unknown fields",
						     true);
					return;
				}
			}
		}
		/* The kernel reads the copy, with the size of what was checked. */
		add_pin(out, 2, &how, sizeof(how), 3, -1);
		flags = how.flags;
		if (how.resolve & RESOLVE_IN_ROOT) {
			/* The dirfd becomes the root of the walk: a different
			 * resolution than the one checked here. */
			out->kind = "file";
			describe_in_root(ev, out);
			decide_error(out, EACCES,
				     "openat2 with RESOLVE_IN_ROOT is refused: the supervisor "
				     "does not resolve it",
				     false);
			return;
		}
		if (how.resolve & (RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS))
			flags |= O_NOFOLLOW;
		break;
	}
	if (ev->nr != SYS_openat2)
		how = build_open_how(flags, mode);
	/* O_CREAT|O_EXCL never follows a final symlink (it fails EEXIST). */
	bool follow = !(flags & O_NOFOLLOW) && !((flags & O_CREAT) && (flags & O_EXCL));
	bool exclusive = (flags & O_CREAT) && (flags & O_EXCL);
	struct path_arg arg = { dirfd_arg, path_arg, follow, open_rights(flags),
				(flags & O_CREAT) && !exclusive };
	out->kind = "file";
	check_file(policy, ev, &arg, false, out->object, sizeof(out->object), out);
	if (out->failure == NULL)
		prepare_open_rewrite(policy, path_arg, how, out);
}

/* One path of a path call, as the resolved absolute path (a trailing '/'
 * kept: it changes what unlink and rename accept), with its dirfd set to
 * AT_FDCWD. */
static void pin_resolved(struct fg_inspection *out, const struct path_arg *arg,
			 const char *resolved, bool slash)
{
	char path[PATH_MAX + 1];
	int n = snprintf(path, sizeof(path), "%s%s", resolved,
			 slash && strcmp(resolved, "/") != 0 ? "/" : "");
	if (n < 0 || (size_t)n >= sizeof(path)) {
		out->pin_overflow = true;
		return;
	}
	int index = add_pin(out, arg->path_arg, path, (size_t)n + 1, -1, -1);
	if (index >= 0)
		out->pins[index].dirfd_arg = arg->dirfd_arg;
}

/* A path call other than open runs with the resolved paths: a dirfd or a
 * working directory another thread changes after the check changes
 * nothing, and no symlink remains to be followed. A directory on the way
 * that another task replaces with a symlink is kept out by running these
 * calls one at a time (lib/tracer.c, the path lock): every call that could
 * make that replacement is one of them. */
static void prepare_path_rewrite(const struct path_arg *first, const struct path_arg *second,
				 struct fg_inspection *out)
{
	bool first_slash = first->path_arg >= 0 && raw_ends_in_slash(out, first->path_arg);
	bool second_slash = second->rights != 0 && raw_ends_in_slash(out, second->path_arg);
	bool first_empty = first->path_arg >= 0 && raw_is_empty(out, first->path_arg);
	out->pin_count = 0;
	out->pin_used = 0;
	out->pin_overflow = false;
	if (first_empty)
		/* Kept as "", with its dirfd: no walk, so nothing to race but
		 * the string itself, which the pin holds. */
		add_pin(out, first->path_arg, "", 1, -1, -1);
	else if (first->path_arg >= 0 && out->object[0] == '/')
		pin_resolved(out, first, out->object, first_slash);
	if (second->rights != 0 && out->object2[0] == '/')
		pin_resolved(out, second, out->object2, second_slash);
	out->serialize = out->pin_count > 0 || out->pin_overflow;
}

/* Path syscalls other than open and exec: one or two paths and a right. */
struct path_syscall {
	long nr;
	struct path_arg first;
	struct path_arg second; /* path_arg 0 and dirfd_arg 0 with rights 0: none */
	int flags_arg;		/* AT_SYMLINK_NOFOLLOW / AT_EMPTY_PATH live here, or -1 */
};

#define NONE                                                                                       \
	{                                                                                          \
		0, 0, false, 0, false                                                              \
	}

static const struct path_syscall path_syscalls[] = {
	{ SYS_mkdir, { -1, 0, false, FG_RIGHT_CREATE }, NONE, -1 },
	{ SYS_mkdirat, { 0, 1, false, FG_RIGHT_CREATE }, NONE, -1 },
	{ SYS_mknod, { -1, 0, false, FG_RIGHT_CREATE }, NONE, -1 },
	{ SYS_mknodat, { 0, 1, false, FG_RIGHT_CREATE }, NONE, -1 },
	{ SYS_unlink, { -1, 0, false, FG_RIGHT_DELETE }, NONE, -1 },
	{ SYS_unlinkat, { 0, 1, false, FG_RIGHT_DELETE }, NONE, -1 },
	{ SYS_rmdir, { -1, 0, false, FG_RIGHT_DELETE }, NONE, -1 },
	{ SYS_rename, { -1, 0, false, FG_RIGHT_DELETE }, { -1, 1, false, FG_RIGHT_CREATE }, -1 },
	{ SYS_renameat, { 0, 1, false, FG_RIGHT_DELETE }, { 2, 3, false, FG_RIGHT_CREATE }, -1 },
	{ SYS_renameat2, { 0, 1, false, FG_RIGHT_DELETE }, { 2, 3, false, FG_RIGHT_CREATE }, -1 },
	/* A hard link gives a file a second name: only files that live where
	 * the program may create files can be linked (no linking /etc/shadow
	 * into a writable directory). */
	{ SYS_link, { -1, 0, false, FG_RIGHT_CREATE }, { -1, 1, false, FG_RIGHT_CREATE }, -1 },
	{ SYS_linkat, { 0, 1, false, FG_RIGHT_CREATE }, { 2, 3, false, FG_RIGHT_CREATE }, 4 },
	{ SYS_symlink, { -1, 1, false, FG_RIGHT_CREATE }, NONE, -1 },
	{ SYS_symlinkat, { 1, 2, false, FG_RIGHT_CREATE }, NONE, -1 },
	{ SYS_chmod, { -1, 0, true, FG_RIGHT_METADATA }, NONE, -1 },
	{ SYS_fchmodat, { 0, 1, true, FG_RIGHT_METADATA }, NONE, -1 },
	{ 452 /* fchmodat2 */, { 0, 1, true, FG_RIGHT_METADATA }, NONE, 3 },
	{ SYS_fchmod, { 0, -1, true, FG_RIGHT_METADATA }, NONE, -1 },
	{ SYS_chown, { -1, 0, true, FG_RIGHT_METADATA }, NONE, -1 },
	{ SYS_lchown, { -1, 0, false, FG_RIGHT_METADATA }, NONE, -1 },
	{ SYS_fchownat, { 0, 1, true, FG_RIGHT_METADATA }, NONE, 4 },
	{ SYS_fchown, { 0, -1, true, FG_RIGHT_METADATA }, NONE, -1 },
	{ SYS_truncate, { -1, 0, true, FG_RIGHT_WRITE }, NONE, -1 },
	{ SYS_utime, { -1, 0, true, FG_RIGHT_METADATA }, NONE, -1 },
	{ SYS_utimes, { -1, 0, true, FG_RIGHT_METADATA }, NONE, -1 },
	{ SYS_futimesat, { 0, 1, true, FG_RIGHT_METADATA }, NONE, -1 },
	{ SYS_utimensat, { 0, 1, true, FG_RIGHT_METADATA }, NONE, 3 },
	{ SYS_setxattr, { -1, 0, true, FG_RIGHT_METADATA }, NONE, -1 },
	{ SYS_lsetxattr, { -1, 0, false, FG_RIGHT_METADATA }, NONE, -1 },
	{ SYS_fsetxattr, { 0, -1, true, FG_RIGHT_METADATA }, NONE, -1 },
	{ SYS_removexattr, { -1, 0, true, FG_RIGHT_METADATA }, NONE, -1 },
	{ SYS_lremovexattr, { -1, 0, false, FG_RIGHT_METADATA }, NONE, -1 },
	{ SYS_fremovexattr, { 0, -1, true, FG_RIGHT_METADATA }, NONE, -1 },
	{ SYS_chdir, { -1, 0, true, FG_RIGHT_STAT }, NONE, -1 },
	{ SYS_chroot, { -1, 0, true, FG_RIGHT_STAT }, NONE, -1 },
	{ SYS_stat, { -1, 0, true, FG_RIGHT_STAT }, NONE, -1 },
	{ SYS_lstat, { -1, 0, false, FG_RIGHT_STAT }, NONE, -1 },
	{ SYS_newfstatat, { 0, 1, true, FG_RIGHT_STAT }, NONE, 3 },
	{ SYS_statx, { 0, 1, true, FG_RIGHT_STAT }, NONE, 2 },
	{ SYS_access, { -1, 0, true, FG_RIGHT_STAT }, NONE, -1 },
	{ SYS_faccessat, { 0, 1, true, FG_RIGHT_STAT }, NONE, -1 },
	{ SYS_faccessat2, { 0, 1, true, FG_RIGHT_STAT }, NONE, 3 },
	{ SYS_readlink, { -1, 0, false, FG_RIGHT_STAT }, NONE, -1 },
	{ SYS_readlinkat, { 0, 1, false, FG_RIGHT_STAT }, NONE, -1 },
};

#undef NONE

static void inspect_path_syscall(const struct fg_policy *policy, const struct fg_syscall_event *ev,
				 const struct path_syscall *spec, struct fg_inspection *out)
{
	struct path_arg first = spec->first;
	struct path_arg second = spec->second;
	bool empty_path_ok = false;
	if (spec->flags_arg >= 0) {
		uint64_t flags = ev->args[spec->flags_arg];
		/* linkat follows only with AT_SYMLINK_FOLLOW; the others stop
		 * following with AT_SYMLINK_NOFOLLOW. */
		if (ev->nr == SYS_linkat)
			first.follow = (flags & AT_SYMLINK_FOLLOW) != 0;
		else if (flags & AT_SYMLINK_NOFOLLOW)
			first.follow = false;
		empty_path_ok = (flags & AT_EMPTY_PATH) != 0;
	}
	/* unlinkat(AT_REMOVEDIR) is rmdir; utimensat(fd, NULL) acts on fd. */
	if (ev->nr == SYS_utimensat && ev->args[1] == 0)
		first.path_arg = -1;
	if (ev->nr == SYS_renameat2 && (ev->args[4] & RENAME_EXCHANGE)) {
		first.rights = FG_RIGHT_DELETE | FG_RIGHT_CREATE;
		second.rights = FG_RIGHT_DELETE | FG_RIGHT_CREATE;
	}
	out->kind = "file";
	check_file(policy, ev, &first, empty_path_ok, out->object, sizeof(out->object), out);
	if (second.rights != 0)
		check_file(policy, ev, &second, false, out->object2, sizeof(out->object2), out);
	/* Creating a name that exists fails with EEXIST before the kernel
	 * looks at permissions (mkdir -p of an existing data directory): the
	 * same answer here, not a policy denial. */
	bool creates_first = ev->nr == SYS_mkdir || ev->nr == SYS_mkdirat || ev->nr == SYS_mknod ||
			     ev->nr == SYS_mknodat || ev->nr == SYS_symlink ||
			     ev->nr == SYS_symlinkat;
	bool creates_second = ev->nr == SYS_link || ev->nr == SYS_linkat;
	const char *created = creates_first ? out->object : creates_second ? out->object2 : NULL;
	if (created != NULL && out->failure == NULL && created[0] != '\0' &&
	    exists_in_root(ev, created))
		decide_error(out, EEXIST, "the name to create exists", true);
	if (out->failure == NULL)
		prepare_path_rewrite(&first, &second, out);
}

/* The interpreter of a "#!" script, resolved in the tracee's view; "" when
 * the file is not a script. *has_arg: the line names an argument for it
 * after the interpreter (the kernel then passes it as one more string). */
static int script_interpreter(const struct fg_syscall_event *ev, const char *path, char *out,
			      size_t size, bool *has_arg)
{
	*has_arg = false;
	char host[PATH_MAX + 64];
	snprintf(host, sizeof(host), "/proc/%d/root%s", (int)ev->pid, path);
	out[0] = '\0';
	int fd = open(host, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return 0; /* the exec will fail on its own */
	char head[256];
	ssize_t n = read(fd, head, sizeof(head) - 1);
	close(fd);
	if (n < 2 || head[0] != '#' || head[1] != '!')
		return 0;
	head[n] = '\0';
	char *p = head + 2;
	while (*p == ' ' || *p == '\t')
		p++;
	size_t len = strcspn(p, " \t\n");
	if (len == 0 || p[0] != '/')
		return -1;
	snprintf(out, size, "%.*s", (int)len, p);
	const char *rest = p + len + strspn(p + len, " \t");
	*has_arg = *rest != '\0' && *rest != '\n';
	return 0;
}

static void inspect_exec(const struct fg_policy *policy, const struct fg_syscall_event *ev,
			 struct fg_inspection *out)
{
	bool at = ev->nr == SYS_execveat;
	struct path_arg arg = { at ? 0 : -1, at ? 1 : 0, true, FG_RIGHT_EXEC };
	bool empty_path_ok = at && (ev->args[4] & AT_EMPTY_PATH);
	if (at && (ev->args[4] & AT_SYMLINK_NOFOLLOW))
		arg.follow = false;
	out->kind = "exec";
	check_file(policy, ev, &arg, empty_path_ok, out->object, sizeof(out->object), out);
	if (out->failure != NULL)
		return;

	/* argv matters only to rules with argument patterns; then it is read
	 * whole and kept, to be compared with what the kernel copied. */
	char *no_argv[] = { NULL };
	char **argv = no_argv;
	if (fg_rules_exec_checks_args(&policy->sections)) {
		int rc = fg_exec_argv_read(&out->exec_argv, ev->tid, ev->args[at ? 2 : 1]);
		if (rc == -EFAULT) {
			decide_error(out, EFAULT, "argv is unreadable", true);
			return;
		}
		if (rc < 0) {
			decide_error(out, rc == -E2BIG ? E2BIG : ENOMEM,
				     rc == -E2BIG
					 ? "argv is longer than fhirguard checks (2 MiB or "
					   "65536 arguments)"
					 : "out of memory for argv",
				     false);
			return;
		}
		argv = out->exec_argv.argv;
		out->exec_args_checked = true;
	}
	struct fg_rule_decision d;
	fg_rules_check_exec(&policy->sections, out->object, argv, &d);
	combine(&out->decision, &d);

	char interpreter[PATH_MAX];
	bool interpreter_has_arg = false;
	if (script_interpreter(ev, out->object, interpreter, sizeof(interpreter),
			       &interpreter_has_arg) < 0) {
		decide_error(out, ENOEXEC, "the script's #! line is not an absolute path", false);
		return;
	}
	out->exec_prefix = 1; /* argv[0] */
	if (interpreter[0] != '\0') {
		/* The interpreter runs too: it needs the exec right itself. */
		struct fg_resolve_request req = { .pid = ev->pid,
						  .tid = ev->tid,
						  .has_root_fd = ev->has_root_fd,
						  .root_fd = ev->root_fd,
						  .dirfd = AT_FDCWD,
						  .path = interpreter,
						  .follow_last = true };
		int error = 0;
		if (fg_resolve_path(&req, out->object2, sizeof(out->object2), &error, NULL) != 0) {
			decide_error(out, EACCES, "the script's interpreter does not resolve",
				     false);
			return;
		}
		fg_rules_check_file(&policy->sections, out->object2, FG_RIGHT_EXEC, &d);
		combine(&out->decision, &d);
		/* The kernel runs: interpreter, script, the script's arguments. */
		size_t argc = 0;
		while (argv[argc] != NULL)
			argc++;
		char **interpreter_argv = malloc((argc + 3) * sizeof(*interpreter_argv));
		if (interpreter_argv == NULL) {
			decide_error(out, ENOMEM, "out of memory for argv", false);
			return;
		}
		size_t n = 0;
		interpreter_argv[n++] = out->object2;
		interpreter_argv[n++] = out->object;
		for (size_t i = 1; i < argc; i++)
			interpreter_argv[n++] = argv[i];
		interpreter_argv[n] = NULL;
		fg_rules_check_exec(&policy->sections, out->object2, interpreter_argv, &d);
		free(interpreter_argv);
		combine(&out->decision, &d);
		/* In the new program: interpreter, its argument, the script's name. */
		out->exec_prefix = interpreter_has_arg ? 3 : 2;
	}
	snprintf(out->checked_exe, sizeof(out->checked_exe), "%s",
		 interpreter[0] ? out->object2 : out->object);
}

/* A duplicate of the tracee's socket fd, to ask its type and address. */
static int tracee_socket(const struct fg_syscall_event *ev, int fd)
{
	int pidfd = (int)syscall(SYS_pidfd_open, ev->pid, 0);
	if (pidfd < 0)
		return -1;
	int dup = (int)syscall(SYS_pidfd_getfd, pidfd, fd, 0);
	close(pidfd);
	return dup;
}

/* FG_PROTO_* of a socket, or 0 when it is none of those. */
static unsigned socket_protocol(int sock, const char **name)
{
	int domain = 0, type = 0;
	socklen_t len = sizeof(domain);
	if (getsockopt(sock, SOL_SOCKET, SO_DOMAIN, &domain, &len) < 0)
		return 0;
	len = sizeof(type);
	if (getsockopt(sock, SOL_SOCKET, SO_TYPE, &type, &len) < 0)
		return 0;
	if (domain == AF_INET || domain == AF_INET6) {
		if (type == SOCK_STREAM) {
			*name = "tcp";
			return FG_PROTO_TCP;
		}
		if (type == SOCK_DGRAM) {
			*name = "udp";
			return FG_PROTO_UDP;
		}
	} else if (domain == AF_UNIX) {
		if (type == SOCK_STREAM) {
			*name = "unix-stream";
			return FG_PROTO_UNIX_STREAM;
		}
		*name = "unix-dgram";
		return FG_PROTO_UNIX_DGRAM;
	}
	return 0;
}

/* A unix socket path resolved as the kernel resolves it (relative to the
 * working directory, through symlinks; bind does not follow a final one):
 * rules name the socket reached, not the string passed. Connecting to a
 * socket that does not exist gets the kernel's ENOENT, unlogged. Returns -1
 * after deciding. */
static int resolve_unix_path(const struct fg_syscall_event *ev, unsigned operation,
			     struct fg_endpoint *ep, struct fg_inspection *out)
{
	char resolved[PATH_MAX];
	struct fg_resolve_request req = {
		.pid = ev->pid,
		.tid = ev->tid,
		.has_root_fd = ev->has_root_fd,
		.root_fd = ev->root_fd,
		.dirfd = AT_FDCWD,
		.path = ep->unix_path,
		.follow_last = operation != FG_NET_BIND,
	};
	int error = 0;
	int rc = fg_resolve_path(&req, resolved, sizeof(resolved), &error, NULL);
	if (rc != 0) {
		decide_resolve_failure(out, rc, error);
		return -1;
	}
	if (operation != FG_NET_BIND && !exists_in_root(ev, resolved)) {
		decide_error(out, ENOENT, "the socket does not exist", true);
		return -1;
	}
	size_t n = strlen(resolved);
	if (n >= sizeof(ep->unix_path)) {
		snprintf(out->object, sizeof(out->object), "unix:%.4000s", resolved);
		decide_error(out, EACCES, "the socket's resolved path is too long for a rule",
			     false);
		return -1;
	}
	memcpy(ep->unix_path, resolved, n + 1);
	ep->unix_path_len = n;
	return 0;
}

static void check_endpoint(const struct fg_policy *policy, const struct fg_syscall_event *ev,
			   unsigned operation, unsigned protocol, const unsigned char *raw,
			   size_t len, struct fg_inspection *out)
{
	struct fg_endpoint ep;
	if (fg_endpoint_decode(raw, len, &ep, NULL) < 0) {
		decide_error(out, EINVAL, "the socket address is malformed", true);
		return;
	}
	fg_endpoint_format(&ep, out->object, sizeof(out->object));
	if (ep.family == FG_EP_UNIX && !ep.unix_abstract && !ep.unix_unnamed) {
		if (resolve_unix_path(ev, operation, &ep, out) < 0)
			return;
		fg_endpoint_format(&ep, out->object, sizeof(out->object));
	}
	if (ep.family == FG_EP_OTHER) {
		/* AF_UNSPEC on a UDP sendto still sends to the address in it:
		 * an address of a family we cannot check is refused. */
		decide_error(out, EAFNOSUPPORT,
			     "the socket address has a family fhirguard cannot check", false);
		return;
	}
	out->has_endpoint = true;
	out->endpoint = ep;
	out->net_operation = operation;
	out->net_protocol = protocol;
	struct fg_rule_decision d;
	fg_rules_check_net(&policy->sections, operation, protocol, &ep, &d);
	combine(&out->decision, &d);
}

static void check_socket_operation(const struct fg_policy *policy,
				   const struct fg_syscall_event *ev, unsigned operation,
				   uint64_t addr, uint64_t addrlen, struct fg_inspection *out);

/* The destination of one message (or none: addr 0), checked like sendto. */
static void check_destination(const struct fg_policy *policy, const struct fg_syscall_event *ev,
			      uint64_t addr, uint64_t addrlen, struct fg_inspection *out);

/* sendmmsg: every message's destination must be allowed. */
static void inspect_sendmmsg(const struct fg_policy *policy, const struct fg_syscall_event *ev,
			     struct fg_inspection *out)
{
	enum { MAX_MESSAGES = 1024 }; /* the kernel's UIO_MAXIOV cap on vlen */
	out->operation = "send";
	uint64_t count = ev->args[2];
	if (count > MAX_MESSAGES)
		count = MAX_MESSAGES;
	for (uint64_t i = 0; i < count; i++) {
		struct mmsghdr m;
		if (fg_read_memory(ev->tid, ev->args[1] + i * sizeof(m), &m, sizeof(m)) < 0) {
			decide_error(out, EFAULT, "a message header is unreadable", true);
			return;
		}
		check_destination(policy, ev, (uint64_t)(uintptr_t)m.msg_hdr.msg_name,
				  m.msg_hdr.msg_namelen, out);
		if (out->decision.outcome.verdict != FG_VERDICT_ALLOW)
			return;
	}
	if (out->has_endpoint)
		/* Every address allowed, but the kernel would read each one
		 * again, from the program's memory: not race-free. */
		decide_error(out, EOPNOTSUPP,
			     "sendmmsg with destination addresses is refused (not race-free): send "
			     "them with sendto or sendmsg",
			     false);
}

static void inspect_network(const struct fg_policy *policy, const struct fg_syscall_event *ev,
			    struct fg_inspection *out)
{
	out->kind = "network";
	if (ev->nr == SYS_sendto || ev->nr == SYS_sendmsg || ev->nr == SYS_sendmmsg) {
		uint64_t flags = ev->nr == SYS_sendmsg ? ev->args[2] : ev->args[3];
		if (flags & MSG_FASTOPEN) {
			/* Its connect happens inside the send, where the
			 * supervisor cannot make it race-free (and Landlock does
			 * not check it): answered as a kernel without client TFO. */
			out->operation = "send";
			decide_error(out, EOPNOTSUPP, "TCP Fast Open is refused", false);
			return;
		}
	}
	unsigned operation;
	uint64_t addr = 0, addrlen = 0;
	switch (ev->nr) {
	case SYS_connect:
		operation = FG_NET_CONNECT;
		out->operation = "connect";
		addr = ev->args[1];
		addrlen = ev->args[2];
		break;
	case SYS_bind:
	case SYS_listen:
		operation = FG_NET_BIND;
		out->operation = ev->nr == SYS_bind ? "bind" : "listen";
		addr = ev->args[1];
		addrlen = ev->args[2];
		break;
	case SYS_sendto:
		operation = FG_NET_SEND;
		out->operation = "send";
		addr = ev->args[4];
		addrlen = ev->args[5];
		break;
	case SYS_sendmmsg:
		inspect_sendmmsg(policy, ev, out);
		return;
	default: { /* sendmsg */
		struct msghdr msg;
		operation = FG_NET_SEND;
		out->operation = "send";
		if (fg_read_memory(ev->tid, ev->args[1], &msg, sizeof(msg)) < 0) {
			decide_error(out, EFAULT, "the message header is unreadable", true);
			return;
		}
		addr = (uint64_t)(uintptr_t)msg.msg_name;
		addrlen = msg.msg_namelen;
		break;
	}
	}
	if (operation == FG_NET_SEND) {
		unsigned pins_before = out->pin_count;
		check_destination(policy, ev, addr, addrlen, out);
		if (ev->nr == SYS_sendmsg && out->pin_count > pins_before) {
			/* The copied msghdr points at the copied address. */
			struct msghdr msg;
			if (fg_read_memory(ev->tid, ev->args[1], &msg, sizeof(msg)) == 0 &&
			    (uint64_t)(uintptr_t)msg.msg_name == addr && msg.msg_namelen == addrlen)
				add_pin(out, 1, &msg, sizeof(msg), -1, (int)pins_before);
			else
				out->pin_overflow = true; /* changed while checked: refuse */
		}
		return;
	}
	check_socket_operation(policy, ev, operation, addr, addrlen, out);
}

static void check_destination(const struct fg_policy *policy, const struct fg_syscall_event *ev,
			      uint64_t addr, uint64_t addrlen, struct fg_inspection *out)
{
	if (addr == 0)
		return; /* a connected socket: its connect was checked */
	check_socket_operation(policy, ev, FG_NET_SEND, addr, addrlen, out);
}

/* Checks one operation of the socket ev->args[0] on the address at addr
 * (for listen: the address the socket is bound to). */
static void check_socket_operation(const struct fg_policy *policy,
				   const struct fg_syscall_event *ev, unsigned operation,
				   uint64_t addr, uint64_t addrlen, struct fg_inspection *out)
{
	int sock = tracee_socket(ev, (int)ev->args[0]);
	if (sock < 0) {
		decide_error(out, EBADF, "the socket cannot be examined", true);
		return;
	}
	const char *protocol_name = NULL;
	unsigned protocol = socket_protocol(sock, &protocol_name);
	out->protocol = protocol_name;
	unsigned char raw[sizeof(struct sockaddr_storage)];
	size_t len;
	if (ev->nr == SYS_listen) {
		/* listen names no address: the one the socket is bound to counts. */
		socklen_t bound = sizeof(raw);
		if (getsockname(sock, (struct sockaddr *)raw, &bound) < 0) {
			close(sock);
			decide_error(out, EBADF, "the listening socket's address cannot be read",
				     false);
			return;
		}
		len = bound;
	} else {
		if (addrlen > sizeof(raw) ||
		    fg_read_memory(ev->tid, addr, raw, (size_t)addrlen) < 0) {
			close(sock);
			decide_error(out, addrlen > sizeof(raw) ? EINVAL : EFAULT,
				     "the socket address is unreadable", true);
			return;
		}
		len = (size_t)addrlen;
	}
	if (protocol == 0) {
		/* Families other than inet and unix were checked at socket(). */
		close(sock);
		return;
	}
	check_endpoint(policy, ev, operation, protocol, raw, len, out);
	bool inet = (protocol & (FG_PROTO_TCP | FG_PROTO_UDP)) != 0;
	if (ev->nr != SYS_listen && !(inet && (ev->nr == SYS_connect || ev->nr == SYS_bind)))
		/* Not performed by the supervisor: the kernel reads the
		 * address again, from the checked copy (sendmsg's from the
		 * pinned msghdr, in inspect_network). */
		add_pin(out,
			ev->nr == SYS_connect || ev->nr == SYS_bind ? 1
			: ev->nr == SYS_sendto			    ? 4
								    : -1,
			raw, len, -1, -1);
	bool proxied_call =
	    ev->nr == SYS_connect || ev->nr == SYS_bind ||
	    ((ev->nr == SYS_sendto || ev->nr == SYS_sendmsg) && protocol == FG_PROTO_UDP);

	if (inet && proxied_call && out->failure == NULL &&
	    out->decision.outcome.verdict == FG_VERDICT_ALLOW && len <= sizeof(out->proxy_addr)) {
		/* Race-free: the supervisor performs it with this very address. */
		out->has_proxy = true;
		out->proxy_sock = sock;
		memcpy(out->proxy_addr, raw, len);
		out->proxy_len = len;
		return;
	}
	close(sock);
}

static void inspect_socket(const struct fg_policy *policy, const struct fg_syscall_event *ev,
			   struct fg_inspection *out)
{
	out->kind = "socket";
	snprintf(out->object, sizeof(out->object), "domain %d type %d", (int)ev->args[0],
		 (int)(ev->args[1] & 0xf));
	if (!fg_rules_socket_allowed(&policy->sections, (int)ev->args[0], (int)ev->args[1])) {
		out->decision.outcome.verdict = FG_VERDICT_DENY;
		out->decision.outcome.deny_errno = EAFNOSUPPORT;
		out->decision.rule_id = policy->sections.network_section.default_id;
		out->decision.line = 0;
	}
}

/* Calls that could replace the argument area's mapping (lib/argarea.h),
 * which the filter traces when their address is below its end: refused
 * when they touch it. Returns true after deciding. */
static bool inspect_area_guard(const struct fg_syscall_event *ev, struct fg_inspection *out)
{
	const uint64_t *a = ev->args;
	bool touches = false;
	switch (ev->nr) {
	case SYS_mmap:
		touches = (a[3] & MAP_FIXED) != 0 && fg_argarea_overlaps(a[0], a[1]);
		break;
	case SYS_munmap:
	case SYS_madvise:
	case SYS_remap_file_pages:
		touches = fg_argarea_overlaps(a[0], a[1]);
		break;
	case SYS_mremap:
		touches = fg_argarea_overlaps(a[0], a[1]) || fg_argarea_overlaps(a[0], a[2]) ||
			  ((a[3] & MREMAP_FIXED) != 0 && fg_argarea_overlaps(a[4], a[2]));
		break;
	case SYS_shmat:
		/* The segment's size is not in the call: any address below
		 * the area's end counts. */
		touches = (a[2] & SHM_REMAP) != 0 && a[1] < FG_ARGAREA_END;
		break;
	default:
		return false;
	}
	if (!touches)
		return false;
	out->kind = "memory";
	snprintf(out->object, sizeof(out->object), "0x%llx", (unsigned long long)a[0]);
	decide_error(out, EPERM,
		     "the call would replace fhirguard's argument area (0x10000-0x400000), which "
		     "keeps the checked copies of pointer arguments",
		     false);
	return true;
}

/* mmap(PROT_EXEC) of a file: running its code needs the exec right on it,
 * as execve does (the filter traces only file-backed executable maps). */
static void inspect_exec_mmap(const struct fg_policy *policy, const struct fg_syscall_event *ev,
			      struct fg_inspection *out)
{
	if ((ev->args[2] & PROT_EXEC) == 0 || (ev->args[3] & MAP_ANONYMOUS) != 0) {
		out->inspected = false; /* no file code: nothing to decide */
		return;
	}
	out->kind = "file";
	const struct path_arg mapped = {
		.dirfd_arg = 4, .path_arg = -1, .follow = true, .rights = FG_RIGHT_EXEC
	};
	check_file(policy, ev, &mapped, true, out->object, sizeof(out->object), out);
}

struct exec_mapping_check {
	const struct fg_policy *policy;
	struct fg_inspection *out;
};

static void check_mapped_file(const char *path, void *ctx)
{
	struct exec_mapping_check *c = ctx;
	struct fg_inspection *out = c->out;
	static const char deleted[] = " (deleted)";
	size_t n = strlen(path);
	if (out->object[0] == '\0')
		snprintf(out->object, sizeof(out->object), "%s", path);
	if (n > sizeof(deleted) - 1 && strcmp(path + n - (sizeof(deleted) - 1), deleted) == 0) {
		/* A removed file (or a memfd) has no path a rule could name. */
		snprintf(out->object, sizeof(out->object), "%s", path);
		decide_error(out, EACCES, "the mapped file has been deleted", false);
		return;
	}
	struct fg_rule_decision d;
	fg_rules_check_file(&c->policy->sections, path, FG_RIGHT_EXEC, &d);
	if (d.outcome.verdict != FG_VERDICT_ALLOW)
		snprintf(out->object, sizeof(out->object), "%s", path);
	out->rights |= FG_RIGHT_EXEC;
	out->object_rights |= FG_RIGHT_EXEC;
	combine(&out->decision, &d);
}

/* mprotect(PROT_EXEC): every file mapped in the range needs the exec right
 * (anonymous memory, a JIT's code cache, needs none). */
static void inspect_exec_mprotect(const struct fg_policy *policy, const struct fg_syscall_event *ev,
				  struct fg_inspection *out)
{
	if ((ev->args[2] & PROT_EXEC) == 0) {
		out->inspected = false;
		return;
	}
	out->kind = "file";
	struct exec_mapping_check c = { .policy = policy, .out = out };
	uint64_t start = ev->args[0];
	uint64_t end = start + ev->args[1];
	if (end < start)
		end = UINT64_MAX;
	if (fg_proc_file_mappings(ev->pid, start, end, check_mapped_file, &c) < 0)
		decide_error(out, EACCES, "the process's mappings cannot be read", false);
	if (out->object[0] == '\0')
		out->inspected = false; /* only anonymous memory: nothing to decide */
}

void fg_inspection_free(struct fg_inspection *insp)
{
	fg_exec_argv_free(&insp->exec_argv);
}

void fg_inspect(const struct fg_policy *policy, const struct fg_syscall_event *ev,
		struct fg_inspection *out)
{
	memset(out, 0, offsetof(struct fg_inspection, object));
	out->object[0] = '\0';
	out->object2[0] = '\0';
	out->checked_exe[0] = '\0';
	out->decision.outcome.verdict = FG_VERDICT_ALLOW;
	out->decision.rule_id = NULL;
	out->inspected = true;
	switch (ev->nr) {
	case SYS_open:
	case SYS_openat:
	case SYS_openat2:
	case SYS_creat:
		inspect_open(policy, ev, out);
		return;
	case SYS_execve:
	case SYS_execveat:
		inspect_exec(policy, ev, out);
		/* Not pinned: what runs is compared with what was checked at
		 * the exec event, by device and inode (lib/tracer.c). */
		out->pin_count = 0;
		out->pin_used = 0;
		out->pin_overflow = false;
		return;
	case SYS_connect:
	case SYS_bind:
	case SYS_listen:
	case SYS_sendto:
	case SYS_sendmsg:
	case SYS_sendmmsg:
		inspect_network(policy, ev, out);
		return;
	case SYS_socket:
		inspect_socket(policy, ev, out);
		return;
	case SYS_mmap:
		if (!inspect_area_guard(ev, out))
			inspect_exec_mmap(policy, ev, out);
		return;
	case SYS_munmap:
	case SYS_madvise:
	case SYS_remap_file_pages:
	case SYS_mremap:
	case SYS_shmat:
		if (!inspect_area_guard(ev, out))
			out->inspected = false; /* not near the area: nothing to decide */
		return;
	case SYS_mprotect:
	case SYS_pkey_mprotect:
		inspect_exec_mprotect(policy, ev, out);
		return;
	default:
		break;
	}
	for (size_t i = 0; i < sizeof(path_syscalls) / sizeof(path_syscalls[0]); i++) {
		if (path_syscalls[i].nr == ev->nr) {
			inspect_path_syscall(policy, ev, &path_syscalls[i], out);
			return;
		}
	}
	out->inspected = false;
}

bool fg_inspect_is_path_call(long nr)
{
	for (size_t i = 0; i < sizeof(path_syscalls) / sizeof(path_syscalls[0]); i++) {
		if (path_syscalls[i].nr == nr)
			return path_syscalls[i].first.path_arg >= 0 ||
			       path_syscalls[i].second.rights != 0;
	}
	return false;
}

void fg_rights_text(unsigned rights, char *buf, size_t size)
{
	buf[0] = '\0';
	for (int i = 0; i < FG_RIGHT_COUNT; i++) {
		if (!(rights & (1u << i)))
			continue;
		if (buf[0] != '\0')
			strncat(buf, ",", size - strlen(buf) - 1);
		strncat(buf, fg_right_name((enum fg_right)(1u << i)), size - strlen(buf) - 1);
	}
}
