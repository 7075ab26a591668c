#include "harness.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

const char *fhirguard_path(void)
{
	const char *p = getenv("FHIRGUARD");
	return p ? p : "fhirguard";
}

const char *syscalls_only_policy(void)
{
	static char path[1024]; /* set once; the same for every call */
	if (path[0] == '\0')
		source_path("policy/syscalls-only.json", path, sizeof(path));
	return path;
}

const char *helper_path(const char *name, char *buf, size_t size)
{
	const char *dir = getenv("HELPERS");
	snprintf(buf, size, "%s/%s", dir ? dir : ".", name);
	return buf;
}

const char *source_path(const char *relative, char *buf, size_t size)
{
	const char *root = getenv("SOURCE_ROOT");
	snprintf(buf, size, "%s/%s", root ? root : ".", relative);
	return buf;
}

void run_start(struct run *r, char *const argv[])
{
	sigset_t none;
	sigemptyset(&none);
	run_start_masked(r, argv, &none);
}

static void start(struct run *r, char *const argv[], const sigset_t *mask, const char *dir);

void run_start_masked(struct run *r, char *const argv[], const sigset_t *mask)
{
	start(r, argv, mask, NULL);
}

void run_start_in(struct run *r, char *const argv[], const char *dir)
{
	sigset_t none;
	sigemptyset(&none);
	start(r, argv, &none, dir);
}

static void start(struct run *r, char *const argv[], const sigset_t *mask, const char *dir)
{
	int out[2], err[2];
	memset(r, 0, sizeof(*r));
	if (pipe2(out, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0) {
		perror("pipe");
		exit(99);
	}
	r->pid = fork();
	if (r->pid == 0) {
		dup2(out[1], 1);
		dup2(err[1], 2);
		int null = open("/dev/null", O_RDONLY);
		dup2(null, 0);
		sigprocmask(SIG_SETMASK, mask, NULL);
		if (dir != NULL && chdir(dir) < 0) {
			perror(dir);
			_exit(99);
		}
		execvp(argv[0], argv);
		perror(argv[0]);
		_exit(99);
	}
	close(out[1]);
	close(err[1]);
	r->out_fd = out[0];
	r->err_fd = err[0];
}

static void append(char **buf, size_t *len, const char *data, size_t n)
{
	char *grown = realloc(*buf, *len + n + 1);
	if (grown == NULL)
		exit(99);
	memcpy(grown + *len, data, n);
	*len += n;
	grown[*len] = '\0';
	*buf = grown;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

bool run_read_line(struct run *r, char *line, size_t size, int timeout_s)
{
	double deadline = now_s() + timeout_s;
	for (;;) {
		if (r->out != NULL) {
			char *start = r->out + r->out_consumed;
			char *nl = strchr(start, '\n');
			if (nl != NULL) {
				size_t n = (size_t)(nl - start);
				snprintf(line, size, "%.*s", (int)n, start);
				r->out_consumed += n + 1;
				return true;
			}
		}
		double left = deadline - now_s();
		if (left <= 0)
			return false;
		struct pollfd p = { .fd = r->out_fd, .events = POLLIN };
		if (poll(&p, 1, (int)(left * 1000)) <= 0)
			return false;
		char chunk[4096];
		ssize_t n = read(r->out_fd, chunk, sizeof(chunk));
		if (n <= 0)
			return false;
		append(&r->out, &r->out_len, chunk, (size_t)n);
	}
}

void run_wait(struct run *r, int timeout_s)
{
	double deadline = now_s() + timeout_s;
	bool out_open = true, err_open = true;
	while (out_open || err_open) {
		double left = deadline - now_s();
		if (left <= 0) {
			kill(r->pid, SIGKILL);
			fprintf(stderr, "harness: killed pid %d after %d s\n", (int)r->pid,
				timeout_s);
			break;
		}
		struct pollfd p[2] = { { .fd = out_open ? r->out_fd : -1, .events = POLLIN },
				       { .fd = err_open ? r->err_fd : -1, .events = POLLIN } };
		if (poll(p, 2, (int)(left * 1000)) <= 0)
			continue;
		char chunk[8192];
		if (p[0].revents) {
			ssize_t n = read(r->out_fd, chunk, sizeof(chunk));
			if (n <= 0)
				out_open = false;
			else
				append(&r->out, &r->out_len, chunk, (size_t)n);
		}
		if (p[1].revents) {
			ssize_t n = read(r->err_fd, chunk, sizeof(chunk));
			if (n <= 0)
				err_open = false;
			else
				append(&r->err, &r->err_len, chunk, (size_t)n);
		}
	}
	waitpid(r->pid, &r->status, 0);
	r->exit_code = WIFSIGNALED(r->status) ? 128 + WTERMSIG(r->status) : WEXITSTATUS(r->status);
	if (r->out == NULL)
		append(&r->out, &r->out_len, "", 0);
	if (r->err == NULL)
		append(&r->err, &r->err_len, "", 0);
	close(r->out_fd);
	close(r->err_fd);
}

void run_sync(struct run *r, char *const argv[], int timeout_s)
{
	run_start(r, argv);
	run_wait(r, timeout_s);
}

void run_free(struct run *r)
{
	free(r->out);
	free(r->err);
	r->out = r->err = NULL;
}

void temp_log_path(char *buf, size_t size, const char *tag)
{
	const char *dir = getenv("TMPDIR");
	snprintf(buf, size, "%s/fhirguard-test-%s-%d.log", dir ? dir : "/tmp", tag, (int)getpid());
	unlink(buf);
}

char *read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	char *buf = NULL;
	size_t len = 0;
	char chunk[8192];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		append(&buf, &len, chunk, n);
	fclose(f);
	if (buf == NULL)
		append(&buf, &len, "", 0);
	return buf;
}

int count_lines_with(const char *text, const char *const needles[])
{
	int count = 0;
	const char *line = text;
	while (line != NULL && *line != '\0') {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		bool all = true;
		for (size_t i = 0; needles[i] != NULL && all; i++) {
			size_t nlen = strlen(needles[i]);
			bool found = false;
			for (size_t j = 0; j + nlen <= len && !found; j++)
				found = memcmp(line + j, needles[i], nlen) == 0;
			all = found;
		}
		count += all;
		line = end ? end + 1 : NULL;
	}
	return count;
}

int count_substr(const char *text, const char *needle)
{
	int count = 0;
	size_t nlen = strlen(needle);
	for (const char *p = text; (p = strstr(p, needle)) != NULL; p += nlen)
		count++;
	return count;
}
