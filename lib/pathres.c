#include "pathres.h"

#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

enum {
	MAX_LINKS = 40,	   /* MAXSYMLINKS: the kernel fails the 41st with ELOOP */
	PROC_ROOT_INO = 1, /* the root directory of every procfs instance */
	MORE = 0,	   /* a step's result: keep walking */
	DONE = 1,	   /* a step's result: the answer is in out */
};

/* The part of the path not walked yet. It sits at the end of buf, so that a
 * symlink's text is put in front of it without moving it; only deep nests of
 * long links move it to the heap. */
struct rest {
	char *buf;
	size_t cap;   /* buf[cap - 1] is the terminating NUL */
	size_t start; /* the rest is buf + start */
	char local[2 * PATH_MAX];
};

struct comp {
	char name[NAME_MAX + 1];
	bool last;  /* nothing but slashes follows */
	bool slash; /* last, and a slash follows: must be a directory */
};

struct walk {
	const struct fg_resolve_request *req;
	char *out;
	size_t size;
	int ret;       /* DONE means 0, unless this says FG_RESOLVE_NOT_A_PATH */
	int code;      /* errno-style reason for -1 */
	bool keep_out; /* out holds a magic link's text for the audit line */
	struct fg_error *err;
	int procdir;	     /* /proc/<tid>, opened when first needed */
	int root;	     /* the thread's root directory */
	int cur;	     /* the directory reached: root, or a descriptor of its own */
	int cur_proc;	     /* cur is on a procfs: -1 not known yet, 0 no, 1 yes */
	char path[PATH_MAX]; /* cur's path in the tracee's view */
	size_t len;
	int links;		  /* symlinks followed, counted as the kernel counts them */
	int single;		  /* components to walk one by one: a run of them failed */
	char root_text[PATH_MAX]; /* the root in fhirguard's view; "" until read */
	struct rest rest;
};

static void rest_init(struct rest *r, const char *path, size_t len)
{
	r->buf = r->local;
	r->cap = sizeof(r->local);
	r->start = r->cap - 1 - len;
	memcpy(r->buf + r->start, path, len);
	r->buf[r->cap - 1] = '\0';
}

static int rest_push(struct rest *r, const char *text, size_t len)
{
	if (len > r->start) {
		size_t used = r->cap - r->start;
		size_t cap = 2 * r->cap;
		if (cap < used + len + PATH_MAX)
			cap = used + len + PATH_MAX;
		char *buf = malloc(cap);
		if (buf == NULL)
			return -1;
		memcpy(buf + cap - used, r->buf + r->start, used);
		if (r->buf != r->local)
			free(r->buf);
		r->buf = buf;
		r->start = cap - used;
		r->cap = cap;
	}
	r->start -= len;
	memcpy(r->buf + r->start, text, len);
	return 0;
}

static void rest_free(struct rest *r)
{
	if (r->buf != r->local)
		free(r->buf);
}

/* Takes the next component off r. Returns 1, 0 when only slashes are left,
 * or -1 when the component is longer than NAME_MAX. The slashes after it
 * stay in r: a symlink's text put in front keeps the trailing slash. */
static int rest_next(struct rest *r, struct comp *c)
{
	const char *p = r->buf + r->start;
	while (*p == '/')
		p++;
	r->start = (size_t)(p - r->buf);
	if (*p == '\0')
		return 0;
	size_t len = strcspn(p, "/");
	if (len > NAME_MAX)
		return -1;
	memcpy(c->name, p, len);
	c->name[len] = '\0';
	const char *q = p + len;
	r->start = (size_t)(q - r->buf);
	bool slash = *q == '/';
	while (*q == '/')
		q++;
	c->last = *q == '\0';
	c->slash = c->last && slash;
	return 1;
}

static int fail(struct walk *w, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(struct walk *w, int code, const char *fmt, ...)
{
	char why[600];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	w->code = code;
	return fg_error_set(w->err, "cannot resolve \"%.300s\" for task %d: %s", w->req->path,
			    (int)w->req->tid, why);
}

/* For a failed syscall on `name` in the current directory. */
static int fail_errno(struct walk *w, const char *name)
{
	int e = errno;
	return fail(w, e, "%.200s in %.200s: %s", name, w->path, strerror(e));
}

static void set_cur(struct walk *w, int fd)
{
	if (w->cur != w->root)
		close(w->cur);
	w->cur = fd;
	w->cur_proc = -1;
}

static void set_path(struct walk *w, const char *path)
{
	w->len = strlen(path);
	memcpy(w->path, path, w->len + 1);
}

static void go_root(struct walk *w)
{
	set_cur(w, w->root);
	set_path(w, "/");
}

/* Writes cur's path, joined with name unless NULL, as the answer. */
static int finish(struct walk *w, const char *name)
{
	size_t n = name == NULL ? 0 : strlen(name);
	size_t sep = n > 0 && w->len > 1;
	size_t total = w->len + sep + n;
	if (total >= PATH_MAX)
		return fail(w, ENAMETOOLONG, "the result is longer than PATH_MAX");
	if (total >= w->size)
		return fail(w, ERANGE, "the result does not fit in %zu bytes", w->size);
	memcpy(w->out, w->path, w->len);
	if (sep)
		w->out[w->len] = '/';
	memcpy(w->out + w->len + sep, name == NULL ? "" : name, n);
	w->out[total] = '\0';
	return DONE;
}

static int append(struct walk *w, const char *name, size_t n)
{
	size_t sep = w->len > 1;
	if (w->len + sep + n >= PATH_MAX)
		return fail(w, ENAMETOOLONG, "the path grows longer than PATH_MAX");
	if (sep)
		w->path[w->len++] = '/';
	memcpy(w->path + w->len, name, n);
	w->len += n;
	w->path[w->len] = '\0';
	return 0;
}

static int enter(struct walk *w, int fd, const char *name)
{
	if (append(w, name, strlen(name)) < 0) {
		close(fd);
		return -1;
	}
	set_cur(w, fd);
	return MORE;
}

/* Components a run leaves to step(): ".", ".." and the procfs names that
 * must name the tracee (a run would fail on those symlinks anyway). */
static bool is_special(const char *name, size_t n)
{
	return (n == 1 && name[0] == '.') || (n == 2 && memcmp(name, "..", 2) == 0) ||
	       (n == 4 && memcmp(name, "self", 4) == 0) ||
	       (n == 11 && memcmp(name, "thread-self", 11) == 0);
}

/* Walks a run of two or more directory components in one openat2 that
 * refuses every symlink, magic or not. Returns 1
 * having walked it, or 0 when there is none or it failed: then the
 * components are walked one by one, which tells why. */
static int walk_run(struct walk *w)
{
	const char *first = w->rest.buf + w->rest.start;
	while (*first == '/')
		first++;
	const char *p = first;
	const char *end = NULL;
	int count = 0;
	for (;;) {
		size_t n = strcspn(p, "/");
		const char *next = p + n;
		while (*next == '/')
			next++;
		/* The final component is never part of a run. */
		if (n == 0 || *next == '\0' || n > NAME_MAX || is_special(p, n))
			break;
		count++;
		end = p + n;
		p = next;
	}
	if (count < 2 || (size_t)(end - first) >= PATH_MAX)
		return 0;
	char run[PATH_MAX];
	memcpy(run, first, (size_t)(end - first));
	run[end - first] = '\0';
	struct open_how how = {
		.flags = O_PATH | O_DIRECTORY | O_CLOEXEC,
		.resolve = RESOLVE_NO_SYMLINKS,
	};
	int fd = (int)syscall(SYS_openat2, w->cur, run, &how, sizeof(how));
	if (fd < 0) {
		w->single = count;
		return 0;
	}
	for (p = run; *p != '\0';) {
		size_t n = strcspn(p, "/");
		if (append(w, p, n) < 0) {
			close(fd);
			return -1;
		}
		p += n;
		while (*p == '/')
			p++;
	}
	set_cur(w, fd);
	w->rest.start = (size_t)(end - w->rest.buf);
	return 1;
}

/* cur's path is "/" exactly when cur is the tracee's root: every step keeps
 * the path equal to the physical one (a directory has one parent, a mount
 * root's ".." is its mountpoint's parent), so ".." is decided on the path,
 * as the kernel decides it on the root it holds. */
static int dotdot(struct walk *w)
{
	if (w->len == 1)
		return MORE;
	int fd = openat(w->cur, "..", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return fail_errno(w, "..");
	set_cur(w, fd);
	char *slash = strrchr(w->path, '/');
	w->len = slash == w->path ? 1 : (size_t)(slash - w->path);
	w->path[w->len] = '\0';
	return MORE;
}

static int proc_dir(struct walk *w)
{
	if (w->procdir < 0) {
		char proc[32];
		snprintf(proc, sizeof(proc), "/proc/%d", (int)w->req->tid);
		w->procdir = open(proc, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (w->procdir < 0) {
			int e = errno == ENOENT ? ESRCH : errno;
			return fail(w, e, "cannot open %s: %s", proc, strerror(e));
		}
	}
	return w->procdir;
}

static int on_proc(struct walk *w)
{
	if (w->cur_proc < 0) {
		struct statfs sfs;
		if (fstatfs(w->cur, &sfs) < 0)
			return fail_errno(w, ".");
		w->cur_proc = sfs.f_type == PROC_SUPER_MAGIC;
	}
	return w->cur_proc;
}

/* "self" and "thread-self" in a procfs root must name the tracee, not the
 * fhirguard process that reads them. */
static int proc_self(struct walk *w, bool thread)
{
	struct statx stx;
	if (statx(w->cur, "", AT_EMPTY_PATH, STATX_INO, &stx) < 0)
		return fail_errno(w, ".");
	if (stx.stx_ino != PROC_ROOT_INO)
		return 0;
	/* The tracee's PID is known in fhirguard's namespace only. A procfs
	 * whose "self" is not fhirguard's PID (or has none: fhirguard is not in
	 * it) belongs to another PID namespace. */
	char text[32];
	char want[32];
	ssize_t n = readlinkat(w->cur, "self", text, sizeof(text) - 1);
	text[n < 0 ? 0 : n] = '\0';
	snprintf(want, sizeof(want), "%d", (int)getpid());
	if (strcmp(text, want) != 0)
		return fail(w, FG_RESOLVE_OUTSIDE_ROOT,
			    "the procfs at %.200s belongs to another PID namespace", w->path);
	if (++w->links > MAX_LINKS)
		return fail(w, ELOOP, "more than %d symlinks", MAX_LINKS);
	char sub[64];
	int len;
	if (thread)
		len = snprintf(sub, sizeof(sub), "%d/task/%d", (int)w->req->pid, (int)w->req->tid);
	else
		len = snprintf(sub, sizeof(sub), "%d", (int)w->req->pid);
	w->single = 0;
	if (rest_push(&w->rest, sub, (size_t)len) < 0)
		return fail(w, ENOMEM, "out of memory");
	return 1;
}

/* Magic links exist on procfs only, next to plain symlinks such as
 * "mounts" -> "self/mounts". openat2 tells them apart without following a
 * magic one. */
static int is_magic(struct walk *w, const char *name)
{
	struct open_how how = { .flags = O_PATH | O_CLOEXEC, .resolve = RESOLVE_NO_MAGICLINKS };
	int fd = (int)syscall(SYS_openat2, w->cur, name, &how, sizeof(how));
	if (fd >= 0) {
		close(fd);
		return 0;
	}
	int e = errno;
	if (e == ELOOP)
		return 1;
	if (e == ENOSYS || e == EINVAL || e == E2BIG)
		return fail(w, e, "openat2 is needed to tell magic links apart: %s", strerror(e));
	return 0; /* a plain symlink that leads nowhere from fhirguard's view */
}

/* The part of a path in fhirguard's view that lies inside the tracee's
 * root, as a path in the tracee's view; NULL in *inside when there is none. */
static int strip_root(struct walk *w, const char *text, const char **inside)
{
	if (w->root_text[0] == '\0') {
		char root[32];
		snprintf(root, sizeof(root), "/proc/%d/root", (int)w->req->tid);
		ssize_t n = w->procdir >= 0
				? readlinkat(w->procdir, "root", w->root_text, sizeof(w->root_text))
				: readlink(root, w->root_text, sizeof(w->root_text));
		if (n <= 0 || (size_t)n == sizeof(w->root_text)) {
			w->root_text[0] = '\0';
			return fail(w, n < 0 ? errno : ENAMETOOLONG, "cannot read %s", root);
		}
		w->root_text[n] = '\0';
	}
	size_t n = strlen(w->root_text);
	*inside = NULL;
	if (n == 1)
		*inside = text;
	else if (strncmp(text, w->root_text, n) == 0 && text[n] == '\0')
		*inside = "/";
	else if (strncmp(text, w->root_text, n) == 0 && text[n] == '/')
		*inside = text + n;
	return 0;
}

static bool same_object(const struct statx *a, const struct statx *b)
{
	return (a->stx_mask & b->stx_mask & STATX_MNT_ID) && a->stx_dev_major == b->stx_dev_major &&
	       a->stx_dev_minor == b->stx_dev_minor && a->stx_ino == b->stx_ino &&
	       a->stx_mnt_id == b->stx_mnt_id;
}

/* Whether `inside`, walked from the tracee's root without following any
 * symlink, reaches the object described by want. */
static bool reaches(struct walk *w, const char *inside, const struct statx *want)
{
	struct open_how how = {
		.flags = O_PATH | O_NOFOLLOW | O_CLOEXEC,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS,
	};
	int fd = (int)syscall(SYS_openat2, w->root, inside, &how, sizeof(how));
	if (fd < 0)
		return false;
	struct statx stx;
	bool same = statx(fd, "", AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW, STATX_INO | STATX_MNT_ID,
			  &stx) == 0 &&
		    same_object(&stx, want);
	close(fd);
	return same;
}

static bool deleted_suffix(const char *text)
{
	static const char suffix[] = " (deleted)";
	size_t n = strlen(text);
	return n >= sizeof(suffix) - 1 && strcmp(text + n - (sizeof(suffix) - 1), suffix) == 0;
}

static int fail_magic(struct walk *w, int code, const char *text)
{
	snprintf(w->out, w->size, "%s", text);
	w->keep_out = true;
	if (code == FG_RESOLVE_DELETED)
		return fail(w, code, "it names a deleted file: %.400s", text);
	return fail(w, code, "it leads to %.400s, which has no path inside the tracee's root",
		    text);
}

/* A magic link (/proc/<pid>/fd/N, cwd, root, exe, map_files/...) is no
 * text: the kernel jumps to the object it holds, whatever the root. Its
 * readlink text is that object's path from fhirguard's root, which is
 * trusted only once the part inside the tracee's root, walked from there
 * without symlinks, reaches the object the jump reaches. */
static int follow_magic(struct walk *w, int dirfd, const char *name, bool last, bool must_dir)
{
	char text[PATH_MAX];
	ssize_t n = readlinkat(dirfd, name, text, sizeof(text));
	if (n < 0)
		return fail_errno(w, name);
	if ((size_t)n == sizeof(text))
		return fail(w, ENAMETOOLONG, "%.200s: its target is longer than PATH_MAX", name);
	text[n] = '\0';
	int fd = openat(dirfd, name, O_PATH | O_CLOEXEC);
	if (fd < 0)
		return fail_errno(w, name);
	struct statx stx;
	if (statx(fd, "", AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW,
		  STATX_TYPE | STATX_NLINK | STATX_INO | STATX_MNT_ID, &stx) < 0) {
		close(fd);
		return fail_errno(w, name);
	}
	bool dir = S_ISDIR(stx.stx_mode);
	int r = MORE;
	const char *inside = NULL;
	if (text[0] != '/') {
		/* "socket:[1234]", "pipe:[...]", "anon_inode:[eventfd]", "mnt:[...]" */
		if (last && !must_dir) {
			if ((size_t)n >= w->size)
				r = fail(w, ERANGE, "%s does not fit in %zu bytes", text, w->size);
			else {
				memcpy(w->out, text, (size_t)n + 1);
				w->ret = FG_RESOLVE_NOT_A_PATH;
				r = DONE;
			}
		} else {
			r = fail(w, ENOTDIR, "%.200s is %.200s, not a directory", name, text);
		}
	} else if (stx.stx_nlink == 0) {
		r = fail_magic(w, FG_RESOLVE_DELETED, text);
	} else if (strip_root(w, text, &inside) < 0) {
		r = -1;
	} else if (inside == NULL) {
		r = fail_magic(w, FG_RESOLVE_OUTSIDE_ROOT, text);
	} else if (!reaches(w, inside, &stx)) {
		/* A file unlinked under this name but linked elsewhere, or an
		 * object of another mount namespace. */
		r = fail_magic(
		    w, deleted_suffix(text) ? FG_RESOLVE_DELETED : FG_RESOLVE_OUTSIDE_ROOT, text);
	} else if ((!last || must_dir) && !dir) {
		r = fail(w, ENOTDIR, "%.400s is not a directory", text);
	}
	if (r != MORE || last) {
		close(fd);
		if (r != MORE)
			return r;
		set_path(w, inside);
		return finish(w, NULL);
	}
	set_cur(w, fd);
	set_path(w, inside);
	return MORE;
}

static int follow_link(struct walk *w, const char *name, bool last, bool must_dir)
{
	w->single = 0; /* what follows is new text, or a new directory */
	if (++w->links > MAX_LINKS)
		return fail(w, ELOOP, "more than %d symlinks", MAX_LINKS);
	int r = on_proc(w);
	if (r > 0)
		r = is_magic(w, name);
	if (r < 0)
		return -1;
	if (r > 0)
		return follow_magic(w, w->cur, name, last, must_dir);

	/* Expanded here, never by the kernel: it would read an absolute
	 * target from fhirguard's root. */
	char text[PATH_MAX];
	ssize_t n = readlinkat(w->cur, name, text, sizeof(text));
	if (n < 0)
		return fail_errno(w, name);
	if ((size_t)n == sizeof(text))
		return fail(w, ENAMETOOLONG, "%.200s: its target is longer than PATH_MAX", name);
	if (n == 0)
		return fail(w, ENOENT, "%.200s is an empty symlink", name);
	if (rest_push(&w->rest, text, (size_t)n) < 0)
		return fail(w, ENOMEM, "out of memory");
	if (text[0] == '/')
		go_root(w);
	return MORE;
}

static int step(struct walk *w, const struct comp *c)
{
	const char *name = c->name;
	bool follow = !c->last || c->slash || w->req->follow_last;
	bool must_dir = !c->last || c->slash;

	if (strcmp(name, ".") == 0)
		return MORE;
	if (strcmp(name, "..") == 0)
		return dotdot(w);
	if (follow && (strcmp(name, "self") == 0 || strcmp(name, "thread-self") == 0)) {
		int r = on_proc(w);
		if (r > 0)
			r = proc_self(w, name[0] == 't');
		if (r < 0)
			return -1;
		if (r > 0)
			return MORE;
	}
	if (!c->last) {
		/* The common case, a directory, costs one openat. */
		int fd = openat(w->cur, name, O_PATH | O_NOFOLLOW | O_DIRECTORY | O_CLOEXEC);
		if (fd >= 0)
			return enter(w, fd, name);
		if (errno != ENOTDIR)
			return fail_errno(w, name);
	}
	struct statx stx;
	if (statx(w->cur, name, AT_SYMLINK_NOFOLLOW, STATX_TYPE, &stx) < 0) {
		if (errno == ENOENT && c->last)
			return finish(w, name);
		return fail_errno(w, name);
	}
	if (S_ISLNK(stx.stx_mode))
		return follow ? follow_link(w, name, c->last, must_dir) : finish(w, name);
	if (c->last && (S_ISDIR(stx.stx_mode) || !must_dir))
		return finish(w, name);
	if (!S_ISDIR(stx.stx_mode))
		return fail(w, ENOTDIR, "%.200s in %.200s is not a directory", name, w->path);
	/* It became a directory since the openat above. */
	int fd = openat(w->cur, name, O_PATH | O_NOFOLLOW | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return fail_errno(w, name);
	return enter(w, fd, name);
}

/* Relative paths start at the cwd or dirfd: magic links of the thread. */
static int start(struct walk *w, bool empty)
{
	char name[32];
	int dirfd = w->req->dirfd;
	if (dirfd == AT_FDCWD)
		snprintf(name, sizeof(name), "cwd");
	else if (dirfd < 0)
		return fail(w, EBADF, "dirfd %d is not a file descriptor", dirfd);
	else
		snprintf(name, sizeof(name), "fd/%d", dirfd);
	if (proc_dir(w) < 0)
		return -1;
	int r = follow_magic(w, w->procdir, name, empty, false);
	if (r < 0 && w->code == ENOENT && dirfd != AT_FDCWD)
		return fail(w, EBADF, "dirfd %d is not open", dirfd);
	if (r < 0 && w->code == ENOENT)
		return fail(w, ESRCH, "the thread is gone");
	return r;
}

static int resolve(struct walk *w)
{
	const struct fg_resolve_request *req = w->req;
	size_t len = strnlen(req->path, PATH_MAX);
	if (len == PATH_MAX)
		return fail(w, ENAMETOOLONG, "the path is longer than PATH_MAX");
	if (len == 0 && !req->empty_path_ok)
		return fail(w, ENOENT, "the path is empty");

	char proc[32];
	snprintf(proc, sizeof(proc), "/proc/%d/root", (int)req->tid);
	w->root = req->has_root_fd ? req->root_fd : open(proc, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (w->root < 0) {
		int e = errno == ENOENT ? ESRCH : errno;
		return fail(w, e, "cannot open %s: %s", proc, strerror(e));
	}
	w->cur = w->root;
	set_path(w, "/");
	rest_init(&w->rest, req->path, len);
	if (req->path[0] != '/') {
		int r = start(w, len == 0);
		if (r != MORE)
			return r;
	}
	for (;;) {
		struct comp c;
		int r = w->single > 0 ? 0 : walk_run(w);
		if (r < 0)
			return -1;
		if (r > 0)
			continue;
		if (w->single > 0)
			w->single--;
		r = rest_next(&w->rest, &c);
		if (r < 0)
			return fail(w, ENAMETOOLONG, "a component is longer than NAME_MAX");
		if (r == 0)
			return finish(w, NULL);
		r = step(w, &c);
		if (r != MORE)
			return r;
	}
}

/* Field by field: zeroing the 16 KiB of buffers would cost more than the
 * walk of a short path. */
static void walk_init(struct walk *w, const struct fg_resolve_request *req, char *out, size_t size,
		      struct fg_error *err)
{
	w->req = req;
	w->out = out;
	w->size = size;
	w->ret = 0;
	w->code = 0;
	w->keep_out = false;
	w->err = err;
	w->procdir = -1;
	w->root = -1;
	w->cur = -1;
	w->cur_proc = -1;
	w->path[0] = '\0';
	w->len = 0;
	w->links = 0;
	w->single = 0;
	w->root_text[0] = '\0';
	w->rest.buf = w->rest.local;
	w->rest.cap = 0;
	w->rest.start = 0;
}

int fg_resolve_path(const struct fg_resolve_request *req, char *out, size_t size, int *error_code,
		    struct fg_error *err)
{
	if (req == NULL || req->path == NULL || out == NULL || size == 0) {
		if (error_code != NULL)
			*error_code = EINVAL;
		return fg_error_set(err, "fg_resolve_path: missing argument");
	}
	struct walk w;
	walk_init(&w, req, out, size, err);
	out[0] = '\0';
	int r = resolve(&w);
	if (w.cur >= 0 && w.cur != w.root)
		close(w.cur);
	if (w.root >= 0 && !req->has_root_fd)
		close(w.root);
	if (w.procdir >= 0)
		close(w.procdir);
	rest_free(&w.rest);
	if (r < 0) {
		if (!w.keep_out)
			out[0] = '\0';
		if (error_code != NULL)
			*error_code = w.code;
		return -1;
	}
	if (error_code != NULL)
		*error_code = 0;
	return w.ret == FG_RESOLVE_NOT_A_PATH ? FG_RESOLVE_NOT_A_PATH : 0;
}
