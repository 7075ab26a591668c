/* pathres_world.h - what fuzz_pathres resolves paths in.
 *
 * A scratch tree under $FG_FUZZ_TMP (or /tmp): a jail with directories,
 * files, a hard link, a FIFO, symlinks of every kind (relative, absolute,
 * "..", loops, dangling, chains of 40 and 41, to /proc/self/..., out of the
 * jail, texts of nearly PATH_MAX, a path longer than PATH_MAX), and a
 * directory outside the jail. Dirfds of every kind are opened before the
 * tracees are forked, so each tracee has them at the same numbers.
 *
 * The tracees are child processes, as fhirguard's are (the resolver reads
 * /proc/<pid>/...; were they threads of the fuzzer, its own descriptors,
 * opened while resolving, would show in their fd tables):
 *   plain    root "/", cwd in the jail;
 *   chroot   chroot'ed into the jail, cwd inside;
 *   cwd-out  chroot'ed into the jail with its cwd left outside it;
 *   ns-proc  chroot'ed into the jail in a mount namespace of its own, with a
 *            procfs mounted at the jail's /proc.
 * Without root only "plain" exists. Each answers statx requests, so that the
 * kernel resolves a path with that tracee's root, cwd, fds and mounts.
 */
#ifndef FG_FUZZ_PATHRES_WORLD_H
#define FG_FUZZ_PATHRES_WORLD_H

#include <sys/stat.h>
#include <sys/types.h>

enum tracee_kind { PLAIN, CHROOT, CWD_OUT, NS_PROC, N_KINDS };

struct world_tracee {
	enum tracee_kind kind;
	pid_t pid;
	int sock; /* requests to the tracee */
};

/* Builds the tree, opens the dirfds, forks the tracees; exits on failure.
 * The tree is removed at exit. */
void world_setup(void);

int world_tracee_count(void);
const struct world_tracee *world_tracee(int i); /* i modulo the count */
const char *world_kind_name(enum tracee_kind kind);

int world_dirfd_count(void);
int world_dirfd(int i); /* i modulo the count */
const char *world_dirfd_name(int fd);

/* statx(dirfd, path, flags) run by the tracee: 0 or its errno. */
int world_statx(const struct world_tracee *t, int dirfd, const char *path, int flags,
		struct statx *stx);

/* Keeps the tree after exit (for a look at a failure); returns its path. */
const char *world_keep(void);

#endif
