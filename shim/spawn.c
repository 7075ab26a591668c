#include "spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "options.h"

extern char **environ;

static const char default_path[] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/* 0 when `path` is an executable regular file, else an errno. */
static int check_executable(const char *path)
{
	struct stat st;
	if (stat(path, &st) < 0)
		return errno;
	if (S_ISDIR(st.st_mode))
		return EISDIR;
	if (access(path, X_OK) < 0)
		return errno;
	return 0;
}

int fg_spawn_resolve(const char *command, char *buf, size_t size, struct fg_error *err)
{
	if (command[0] == '\0') {
		fg_error_set(err, "empty command name");
		return FG_EXIT_NOT_FOUND;
	}
	if (strchr(command, '/') != NULL) {
		int e = check_executable(command);
		if (e == ENOENT || e == ENOTDIR) {
			fg_error_set(err, "%s: no such file", command);
			return FG_EXIT_NOT_FOUND;
		}
		if (e != 0) {
			fg_error_set(err, "%s: cannot execute: %s", command, strerror(e));
			return FG_EXIT_NOT_EXECUTABLE;
		}
		snprintf(buf, size, "%s", command);
		return 0;
	}
	const char *search = getenv("PATH");
	if (search == NULL || search[0] == '\0')
		search = default_path;
	int first_error = 0;
	const char *dir = search;
	while (dir != NULL) {
		const char *colon = strchr(dir, ':');
		size_t dir_len = colon ? (size_t)(colon - dir) : strlen(dir);
		/* An empty PATH entry means the current directory. */
		int n = dir_len == 0 ? snprintf(buf, size, "%s", command)
				     : snprintf(buf, size, "%.*s/%s", (int)dir_len, dir, command);
		if (n > 0 && (size_t)n < size) {
			int e = check_executable(buf);
			if (e == 0)
				return 0;
			if (e != ENOENT && e != ENOTDIR && first_error == 0)
				first_error = e;
		}
		dir = colon ? colon + 1 : NULL;
	}
	if (first_error != 0) {
		fg_error_set(err, "%s: cannot execute: %s", command, strerror(first_error));
		return FG_EXIT_NOT_EXECUTABLE;
	}
	fg_error_set(err, "%s: command not found in PATH", command);
	return FG_EXIT_NOT_FOUND;
}

static void report_and_exit(int fd, int stage, int error)
{
	struct fg_spawn_failure failure = { .stage = stage, .error = error };
	ssize_t ignored = write(fd, &failure, sizeof(failure));
	(void)ignored;
	if (stage == FG_SPAWN_STAGE_EXEC)
		_exit(error == ENOENT ? FG_EXIT_NOT_FOUND : FG_EXIT_NOT_EXECUTABLE);
	_exit(FG_EXIT_FHIRGUARD);
}

/* Runs in the child between fork and exec. */
static void run_child(const char *path, char *const argv[], scmp_filter_ctx filter,
		      const struct fg_landlock_plan *landlock, const struct fg_child_state *child,
		      int go_fd, int report_fd)
{
	/* Own process group, so that group signalling reaches the whole job;
	 * take the terminal while SIGTTOU is still ignored. */
	setpgid(0, 0);
	if (isatty(STDIN_FILENO))
		tcsetpgrp(STDIN_FILENO, getpid());
	/* Ignored signals stay ignored across exec: undo what fhirguard set. */
	signal(SIGTTIN, SIG_DFL);
	signal(SIGTTOU, SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
	sigprocmask(SIG_SETMASK, &child->mask, NULL);
	/* The program runs at the priority fhirguard was started with. */
	setpriority(PRIO_PROCESS, 0, child->nice);

	char go;
	if (read(go_fd, &go, 1) != 1)
		_exit(FG_EXIT_FHIRGUARD); /* the supervisor could not attach */
	close(go_fd);

	/* Landlock needs no_new_privs (or CAP_SYS_ADMIN); libseccomp would set
	 * it too, but only inside seccomp_load, after Landlock. */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		report_and_exit(report_fd, FG_SPAWN_STAGE_NO_NEW_PRIVS, errno);
	int rc = fg_landlock_apply(landlock);
	if (rc < 0)
		report_and_exit(report_fd, FG_SPAWN_STAGE_LANDLOCK, -rc);
	/* The guard first: on two traces the main filter's data counts. */
	rc = child->area_guard != NULL ? seccomp_load(child->area_guard) : 0;
	if (rc == 0)
		rc = seccomp_load(filter);
	if (rc < 0)
		report_and_exit(report_fd, FG_SPAWN_STAGE_FILTER, -rc);
	execve(path, argv, environ);
	report_and_exit(report_fd, FG_SPAWN_STAGE_EXEC, errno);
}

int fg_spawn_start(const char *path, char *const argv[], scmp_filter_ctx filter,
		   const struct fg_landlock_plan *landlock, const struct fg_child_state *child,
		   struct fg_tracer *tracer, struct fg_spawn *out, struct fg_error *err)
{
	int go[2];
	int report[2];
	if (pipe2(go, O_CLOEXEC) < 0)
		return fg_error_set(err, "cannot create a pipe: %s", strerror(errno));
	if (pipe2(report, O_CLOEXEC) < 0) {
		close(go[0]);
		close(go[1]);
		return fg_error_set(err, "cannot create a pipe: %s", strerror(errno));
	}
	pid_t pid = fork();
	if (pid < 0) {
		int saved = errno;
		close(go[0]);
		close(go[1]);
		close(report[0]);
		close(report[1]);
		return fg_error_set(err, "cannot fork: %s", strerror(saved));
	}
	if (pid == 0) {
		close(go[1]);
		close(report[0]);
		run_child(path, argv, filter, landlock, child, go[0], report[1]);
	}
	close(go[0]);
	close(report[1]);
	/* The parent sets the group too, so it exists before any signal is
	 * forwarded to it (the child may not have run yet). */
	setpgid(pid, pid);
	if (fg_tracer_seize(tracer, pid, err) < 0) {
		close(go[1]); /* the child sees EOF and exits */
		close(report[0]);
		kill(pid, SIGKILL);
		waitpid(pid, NULL, __WALL);
		return -1;
	}
	if (write(go[1], "g", 1) != 1) {
		int saved = errno;
		close(go[1]);
		close(report[0]);
		kill(pid, SIGKILL);
		waitpid(pid, NULL, __WALL);
		return fg_error_set(err, "cannot release the child: %s", strerror(saved));
	}
	close(go[1]);
	/* Read only after the child ended; never wait on it. */
	fcntl(report[0], F_SETFL, O_NONBLOCK);
	out->pid = pid;
	out->report_fd = report[0];
	return 0;
}

int fg_spawn_read_failure(struct fg_spawn *s, struct fg_spawn_failure *failure)
{
	memset(failure, 0, sizeof(*failure));
	if (s->report_fd < 0)
		return 0;
	/* The child has ended: the pipe holds a report or is at end of file. */
	ssize_t n = read(s->report_fd, failure, sizeof(*failure));
	close(s->report_fd);
	s->report_fd = -1;
	return n == (ssize_t)sizeof(*failure) ? 1 : 0;
}
