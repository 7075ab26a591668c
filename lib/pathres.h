/* pathres.h - the file a traced syscall's path names, as the tracee sees it.
 *
 * A check on the raw string is easy to fool ("../", symlinks, /proc/self/
 * root/...), so policies are matched against the path this resolver finds
 * by walking the tracee's tree the way the kernel will, on the host through
 * an O_PATH descriptor of /proc/<tid>/root:
 *
 * - Directories are opened one at a time, or a run of them in one openat2
 *   that refuses every symlink. Symlinks are read and expanded here (an
 *   absolute target restarts at the tracee's root), never by the kernel,
 *   which would read them from fhirguard's root; 40 at most, as the kernel.
 * - ".." stops at the tracee's root.
 * - "self" and "thread-self" in a procfs root become the tracee's PID (and
 *   TID), also when reached through a planted symlink. A procfs of another
 *   PID namespace, where those numbers mean nothing, is an error.
 * - A magic link (/proc/<pid>/fd/N, cwd, root, exe, map_files/..., and the
 *   cwd or dirfd a relative path starts from) is a jump to an object. Its
 *   text, a path from fhirguard's root, is cut to the part inside the
 *   tracee's root and trusted only if that part, walked from the tracee's
 *   root without symlinks, reaches the same object (device, inode, mount).
 *
 * Every doubt is an error, never a guess. The answer is a snapshot: another
 * thread or process may change the tree between this walk and the syscall,
 * which only the caller can rule out. The caller must keep tid from being
 * reaped during the call (a tracer does, until it waits for the exit), or a
 * new task could take its number.
 *
 * Needs Linux 5.8 (openat2, STATX_MNT_ID) and a /proc of fhirguard's own PID
 * namespace; fhirguard's root must contain the tracee's (".." is stopped at
 * the tracee's root only).
 */
#ifndef FG_PATHRES_H
#define FG_PATHRES_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "fg_error.h"

struct fg_resolve_request {
	pid_t pid;	    /* the tracee's thread group: what /proc/self names */
	pid_t tid;	    /* the calling thread: its root, cwd and fd table are used */
	int dirfd;	    /* AT_FDCWD or a tracee fd number; ignored for absolute paths */
	const char *path;   /* as read from the tracee */
	bool follow_last;   /* follow a symlink in the final component (false for
			     * O_NOFOLLOW, AT_SYMLINK_NOFOLLOW, lstat, unlink, rename) */
	bool empty_path_ok; /* AT_EMPTY_PATH: "" means dirfd (or the cwd) itself */
	/* An O_PATH descriptor of tid's root directory that the caller keeps
	 * (lib/tracer.c caches one per task), instead of opening
	 * /proc/<tid>/root for each call; valid only while that root cannot
	 * change. */
	bool has_root_fd;
	int root_fd;
};

enum {
	/* Returned (not an error) when the path ends at an object that has no
	 * path: a socket, pipe, anon_inode or namespace, reached through a magic
	 * link such as /proc/self/fd/N or an AT_EMPTY_PATH dirfd. out holds the
	 * kernel's name for it, e.g. "socket:[1234]", for audit lines. */
	FG_RESOLVE_NOT_A_PATH = 1,
};

/* error_code values with a meaning of their own; the others are the errno
 * the kernel would give (ENOENT, ENOTDIR, ELOOP, ENAMETOOLONG, EBADF for a
 * dirfd that is not open), the errno of an unreadable /proc entry (ESRCH when
 * the thread is gone), ERANGE when out is too small, or ENOMEM. */
enum {
	/* A magic link (/proc/.../fd/N, cwd, root, exe, map_files) or the cwd
	 * or dirfd leads outside the tracee's root, into another mount
	 * namespace's tree, or to a /proc of another PID namespace: there is no
	 * path in the tracee's view that names the object. */
	FG_RESOLVE_OUTSIDE_ROOT = EXDEV,
	/* A magic link names a deleted file, an O_TMPFILE or a memfd: there is
	 * no path that reaches it. */
	FG_RESOLVE_DELETED = ESTALE,
};

/* Writes the resolved path, absolute in the tracee's view (relative to its
 * root directory), normalised and without a trailing slash (except "/"),
 * into out. A missing final component is not an error: the result is the
 * path it would be created at, after following its parent chain and, with
 * follow_last, a dangling final symlink. A final symlink is the result
 * itself unless followed (a trailing slash always follows, as in the
 * kernel).
 *
 * Returns 0, FG_RESOLVE_NOT_A_PATH, or -1 with *error_code and err set.
 * On -1, out is "" except for FG_RESOLVE_OUTSIDE_ROOT and FG_RESOLVE_DELETED
 * caused by a magic link, where it holds the link's text in fhirguard's view
 * (e.g. "/tmp/x (deleted)"). error_code may be NULL; err may be NULL. */
int fg_resolve_path(const struct fg_resolve_request *req, char *out, size_t size, int *error_code,
		    struct fg_error *err);

#endif
