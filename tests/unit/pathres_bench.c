/* pathres_bench - what one fg_resolve_path call costs, against a live tracee.
 *
 * Usage: pathres_bench [iterations]. Prints ns per call for a few kinds of
 * path, and for the kernel's own openat(O_PATH) + close of the same path as
 * a yardstick. Not a test: timings depend on the machine.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
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

static void bench(pid_t pid, int dirfd, const char *path, bool follow, long n)
{
	struct fg_resolve_request req = {
		.pid = pid, .tid = pid, .dirfd = dirfd, .path = path, .follow_last = follow};
	char out[PATH_MAX];
	int code = 0;
	struct fg_error err;
	int ret = fg_resolve_path(&req, out, sizeof(out), &code, &err);
	if (ret < 0) {
		fprintf(stderr, "pathres_bench: %s\n", err.msg);
		exit(1);
	}
	double t0 = now_ns();
	for (long i = 0; i < n; i++)
		fg_resolve_path(&req, out, sizeof(out), &code, &err);
	double per = (now_ns() - t0) / (double)n;
	printf("%8.0f ns  %-40s -> %s\n", per, path, out);
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
	printf("%8.0f ns  kernel openat(O_PATH)+close of %s\n", (now_ns() - t0) / (double)n,
	       path);
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 100000;
	char base[] = "/tmp/pathres-bench.XXXXXX";
	if (mkdtemp(base) == NULL)
		die("mkdtemp");
	char p[PATH_MAX];
	snprintf(p, sizeof(p), "%s/a", base);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/a/b", base);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/a/b/c", base);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/a/b/c/d", base);
	close(open(p, O_WRONLY | O_CREAT, 0644));
	char link[PATH_MAX];
	snprintf(link, sizeof(link), "%s/l", base);
	if (symlink("a/b", link) < 0)
		die("symlink");

	int hold[2];
	if (pipe(hold) < 0)
		die("pipe");
	pid_t pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		close(hold[1]);
		snprintf(p, sizeof(p), "%s/a/b", base);
		if (chdir(p) < 0 || dup2(open("c/d", O_RDONLY), 50) < 0)
			_exit(1);
		char c;
		_exit(read(hold[0], &c, 1) < 0);
	}
	close(hold[0]);
	usleep(100000);

	char abs6[PATH_MAX];
	char via_link[PATH_MAX];
	char missing[PATH_MAX];
	snprintf(abs6, sizeof(abs6), "%s/a/b/c/d", base);
	snprintf(via_link, sizeof(via_link), "%s/l/c/d", base);
	snprintf(missing, sizeof(missing), "%s/a/b/c/new", base);
	printf("%ld calls each, tracee %d\n", n, (int)pid);
	kernel(abs6, n);
	bench(pid, AT_FDCWD, abs6, true, n);
	bench(pid, AT_FDCWD, missing, true, n);
	bench(pid, AT_FDCWD, via_link, true, n);
	bench(pid, AT_FDCWD, "c/d", true, n);
	bench(pid, AT_FDCWD, "/proc/self/fd/50", true, n);
	bench(pid, AT_FDCWD, "/proc/self/status", true, n);

	close(hold[1]);
	waitpid(pid, NULL, 0);
	unlink(link);
	snprintf(p, sizeof(p), "%s/a/b/c/d", base);
	unlink(p);
	static const char *const dirs[] = {"/a/b/c", "/a/b", "/a", ""};
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(p, sizeof(p), "%s%s", base, dirs[i]);
		rmdir(p);
	}
	return 0;
}
