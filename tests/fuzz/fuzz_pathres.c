/* fuzz_pathres.c - the path resolver (lib/pathres.c) against the kernel, in
 * the tracees and scratch tree of pathres_world.h.
 *
 * Input: byte 0 picks the tracee (bits 0-1), follow_last (bit 2),
 * empty_path_ok (bit 3) and a small output buffer (bit 4); byte 1 the dirfd;
 * byte 2 the small buffer's size; the rest is the path (up to a NUL).
 * FUZZ_VERBOSE=1 prints each input's answers. Properties:
 *  - 0: the answer is absolute and normalised; FG_RESOLVE_NOT_A_PATH: it is
 *    an object's name, not a path; -1: an errno-style code and a message, and
 *    an empty answer unless the code is EXDEV or ESTALE; never more than the
 *    buffer holds;
 *  - whenever both answer, the object the kernel reaches from (dirfd, path)
 *    in the tracee (statx there) is the object the answer names in the
 *    tracee's view (device, inode and mount): the resolver never names
 *    another file than the one the syscall would act on; and when the
 *    kernel finds nothing there (ENOENT: O_CREAT would create it), the
 *    answer names nothing either.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz_util.h"
#include "pathres.h"
#include "pathres_world.h"

static bool verbose; /* FUZZ_VERBOSE=1: one line per input */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	verbose = getenv("FUZZ_VERBOSE") != NULL;
	world_setup();
	return 0;
}

/* ---- the properties ----------------------------------------------------------- */

struct attempt {
	int rc;
	int code;
	char *out;
	struct fg_error err;
	int kernel;	  /* the kernel on (dirfd, path): 0 or errno */
	struct statx obj; /* ... what it reached */
	int named;	  /* the kernel on the answer, when rc == 0 */
	struct statx answer;
};

static bool same_object(const struct statx *a, const struct statx *b)
{
	return a->stx_dev_major == b->stx_dev_major && a->stx_dev_minor == b->stx_dev_minor &&
	       a->stx_ino == b->stx_ino && a->stx_mnt_id == b->stx_mnt_id;
}

static void attempt(const struct world_tracee *t, const struct fg_resolve_request *req, size_t size,
		    struct attempt *a)
{
	a->out = malloc(size); /* exactly size: ASan sees an overflow */
	if (a->out == NULL)
		abort();
	memset(&a->err, 0, sizeof(a->err));
	a->code = -12345;
	a->rc = fg_resolve_path(req, a->out, size, &a->code, &a->err);
	int flags =
	    (req->follow_last ? 0 : AT_SYMLINK_NOFOLLOW) | (req->empty_path_ok ? AT_EMPTY_PATH : 0);
	a->kernel = world_statx(t, req->dirfd, req->path, flags, &a->obj);
	a->named = -1;
	if (a->rc == 0)
		a->named = world_statx(t, AT_FDCWD, a->out, AT_SYMLINK_NOFOLLOW, &a->answer);
}

/* Both reach an object and they differ, or the kernel finds nothing (where
 * O_CREAT would create a file) and the answer names an existing one. */
static bool disagrees(const struct attempt *a)
{
	if (a->rc != 0)
		return false;
	if (a->kernel == 0)
		return a->named != 0 || !same_object(&a->obj, &a->answer);
	return a->kernel == ENOENT && a->named == 0;
}

static void report(const struct world_tracee *t, const struct fg_resolve_request *req, size_t size,
		   const struct attempt *a, const char *what)
{
	const char *dirfd_name = world_dirfd_name(req->dirfd);
	fprintf(stderr,
		"fuzz_pathres: tracee %s (pid %d), dirfd %d (%s), follow_last %d, "
		"empty_path_ok %d, out size %zu\n  path \"",
		world_kind_name(t->kind), (int)t->pid, req->dirfd, dirfd_name, req->follow_last,
		req->empty_path_ok, size);
	fuzz_print_bytes(stderr, req->path, strlen(req->path));
	fprintf(stderr, "\"\n  resolver: %d, code %d, out \"%s\", message \"%s\"\n", a->rc, a->code,
		a->rc == 0 || a->rc == 1 ? a->out : "", a->err.msg);
	fprintf(stderr, "  kernel statx: %s; on the answer: %s\n", strerror(a->kernel),
		a->named < 0 ? "-" : strerror(a->named));
	if (a->kernel == 0 && a->named == 0)
		fprintf(stderr, "  objects: %u:%u ino %llu mnt %llu vs %u:%u ino %llu mnt %llu\n",
			a->obj.stx_dev_major, a->obj.stx_dev_minor,
			(unsigned long long)a->obj.stx_ino, (unsigned long long)a->obj.stx_mnt_id,
			a->answer.stx_dev_major, a->answer.stx_dev_minor,
			(unsigned long long)a->answer.stx_ino,
			(unsigned long long)a->answer.stx_mnt_id);
	fprintf(stderr, "  test tree: %s (kept)\n", world_keep());
	fuzz_fail("%s", what);
}

static void check_shape(const struct world_tracee *t, const struct fg_resolve_request *req,
			size_t size, const struct attempt *a)
{
	size_t len = memchr(a->out, '\0', size) != NULL ? strlen(a->out) : size;
	if (len >= size)
		report(t, req, size, a, "the answer is not terminated within the buffer");
	switch (a->rc) {
	case 0:
		if (!fuzz_path_normalised(a->out) || len >= PATH_MAX)
			report(t, req, size, a, "the answer is not an absolute normalised path");
		break;
	case FG_RESOLVE_NOT_A_PATH:
		if (len == 0 || a->out[0] == '/')
			report(t, req, size, a, "FG_RESOLVE_NOT_A_PATH without an object name");
		break;
	case -1:
		if (a->code <= 0 || a->err.msg[0] == '\0')
			report(t, req, size, a, "an error without a code or a message");
		if (a->code != FG_RESOLVE_OUTSIDE_ROOT && a->code != FG_RESOLVE_DELETED &&
		    a->out[0] != '\0')
			report(t, req, size, a, "an error left text in the answer");
		break;
	default:
		report(t, req, size, a, "an undocumented return value");
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 3)
		return -1;
	const struct world_tracee *t = world_tracee(data[0] & 3);
	char *path = fuzz_strndup(data + 3, size - 3);
	if (path == NULL)
		return 0;
	struct fg_resolve_request req = {
		.pid = t->pid,
		.tid = t->pid,
		.dirfd = world_dirfd(data[1]),
		.path = path,
		.follow_last = (data[0] & 4) != 0,
		.empty_path_ok = (data[0] & 8) != 0,
	};
	size_t out_size = (data[0] & 16) ? (size_t)data[2] + 1 : PATH_MAX;
	struct attempt a;
	attempt(t, &req, out_size, &a);
	check_shape(t, &req, out_size, &a);
	if (verbose) {
		fprintf(stderr, "%s dirfd %d follow %d: \"", world_kind_name(t->kind), req.dirfd,
			req.follow_last);
		fuzz_print_bytes(stderr, path, strlen(path) > 80 ? 80 : strlen(path));
		fprintf(stderr, "\" -> %d \"%s\" (%s); kernel %s, on the answer %s\n", a.rc,
			a.rc >= 0 ? a.out : "", a.rc < 0 ? strerror(a.code) : "ok",
			strerror(a.kernel), a.named < 0 ? "-" : strerror(a.named));
	}
	if (disagrees(&a)) {
		/* /proc changes as processes come and go: ask once more. */
		struct attempt again;
		attempt(t, &req, out_size, &again);
		if (disagrees(&again))
			report(t, &req, out_size, &again,
			       "the answer names another object than the kernel reaches");
		free(again.out);
	}
	free(a.out);
	free(path);
	return 0;
}
