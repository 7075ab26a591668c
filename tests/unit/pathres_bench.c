/* pathres_bench - what one fg_resolve_path call costs, against a live tracee.
 *
 * Usage: pathres_bench [iterations [case]]. Prints ns per call for a few
 * kinds of path, and for the kernel's own openat(O_PATH) + close of the same
 * path as a yardstick; with a case number, runs that case only (to count its
 * syscalls with strace -c). Not a test: timings depend on the machine.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "pathres.h"

static double now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static void die(const char *what)
{
	fprintf(stderr, "pathres_bench: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void bench(pid_t pid, const char *path, long n)
{
	struct fg_resolve_request req = {
		.pid = pid, .tid = pid, .dirfd = AT_FDCWD, .path = path, .follow_last = true
	};
	char out[PATH_MAX];
	int code = 0;
	struct fg_error err;
	if (fg_resolve_path(&req, out, sizeof(out), &code, &err) < 0) {
		fprintf(stderr, "pathres_bench: %s\n", err.msg);
		exit(1);
	}
	double t0 = now_ns();
	for (long i = 0; i < n; i++)
		fg_resolve_path(&req, out, sizeof(out), &code, &err);
	printf("%8.0f ns  %-40s -> %s\n", (now_ns() - t0) / (double)n, path, out);
}

static void kernel(const char *path, long n)
{
	double t0 = now_ns();
	for (long i = 0; i < n; i++) {
		int fd = open(path, O_PATH | O_CLOEXEC);
		if (fd < 0)
			die(path);
		close(fd);
	}
	printf("%8.0f ns  kernel openat(O_PATH)+close of %s\n", (now_ns() - t0) / (double)n, path);
}

static void in_base(char *buf, size_t size, const char *base, const char *rel)
{
	snprintf(buf, size, "%s%s", base, rel);
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 100000;
	int only = argc > 2 ? atoi(argv[2]) : -1;
	char base[] = "/tmp/pathres-bench.XXXXXX";
	if (mkdtemp(base) == NULL)
		die("mkdtemp");
	static const char *const dirs[] = { "/a", "/a/b", "/a/b/c" };
	char p[PATH_MAX];
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		in_base(p, sizeof(p), base, dirs[i]);
		if (mkdir(p, 0755) < 0)
			die(p);
	}
	in_base(p, sizeof(p), base, "/a/b/c/d");
	close(open(p, O_WRONLY | O_CREAT | O_CLOEXEC, 0644));
	char link[PATH_MAX];
	in_base(link, sizeof(link), base, "/l");
	if (symlink("a/b", link) < 0)
		die("symlink");

	/* The tracee: cwd <base>/a/b, fd 50 on <base>/a/b/c/d, waiting. */
	int hold[2];
	int ready[2];
	if (pipe(hold) < 0 || pipe(ready) < 0)
		die("pipe");
	pid_t pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		close(hold[1]);
		in_base(p, sizeof(p), base, "/a/b");
		if (chdir(p) < 0 || dup2(open("c/d", O_RDONLY), 50) < 0)
			_exit(1);
		char c = 1;
		if (write(ready[1], &c, 1) != 1)
			_exit(1);
		_exit(read(hold[0], &c, 1) < 0);
	}
	close(hold[0]);
	char c;
	if (read(ready[0], &c, 1) != 1)
		die("tracee");

	char abs6[PATH_MAX];
	char missing[PATH_MAX];
	char via_link[PATH_MAX];
	in_base(abs6, sizeof(abs6), base, "/a/b/c/d");
	in_base(missing, sizeof(missing), base, "/a/b/c/new");
	in_base(via_link, sizeof(via_link), base, "/l/c/d");
	const char *const cases[] = {
		abs6, missing, via_link, "c/d", "/proc/self/fd/50", "/proc/self/status",
	};
	printf("%ld calls each, tracee %d\n", n, (int)pid);
	if (only < 0)
		kernel(abs6, n);
	for (int i = 0; i < (int)(sizeof(cases) / sizeof(cases[0])); i++)
		if (only < 0 || only == i)
			bench(pid, cases[i], n);

	close(hold[1]);
	waitpid(pid, NULL, 0);
	unlink(link);
	unlink(abs6);
	for (size_t i = sizeof(dirs) / sizeof(dirs[0]); i > 0; i--) {
		in_base(p, sizeof(p), base, dirs[i - 1]);
		rmdir(p);
	}
	rmdir(base);
	return 0;
}
