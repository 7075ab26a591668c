/* spawn.h - starting the supervised program.
 *
 * The child puts itself in its own process group (taking the terminal if
 * there is one), restores the signal state fhirguard changed, waits until
 * the tracer has seized it, sets no_new_privs, applies the Landlock ruleset,
 * installs the seccomp filter and execs (Landlock first: the filter could
 * refuse its syscalls). A failure at any of these steps is reported back
 * through a close-on-exec pipe.
 */
#ifndef FG_SPAWN_H
#define FG_SPAWN_H

#include <seccomp.h>
#include <signal.h>
#include <stddef.h>
#include <sys/types.h>

#include "fg_error.h"
#include "landlock.h"
#include "tracer.h"

struct fg_spawn {
	pid_t pid;
	int report_fd; /* read end; carries a struct fg_spawn_failure if exec failed */
};

struct fg_spawn_failure {
	int stage; /* FG_SPAWN_STAGE_* */
	int error; /* errno */
};

enum {
	FG_SPAWN_STAGE_FILTER = 1,
	FG_SPAWN_STAGE_EXEC = 2,
	FG_SPAWN_STAGE_NO_NEW_PRIVS = 3,
	FG_SPAWN_STAGE_LANDLOCK = 4,
};

/* Finds COMMAND as execvp would (PATH search when it has no slash).
 * Returns 0 with the path in buf, or 126/127 with a message in err. */
int fg_spawn_resolve(const char *command, char *buf, size_t size, struct fg_error *err);

/* What the child restores before it runs the program. */
struct fg_child_state {
	sigset_t mask; /* the signal mask fhirguard started with */
	int nice;      /* the nice value fhirguard started with (it raises its own) */
	/* The argument-area guard filter, loaded before the main one, or NULL
	 * (lib/filter.h). */
	scmp_filter_ctx area_guard;
};

/* Forks, seizes and releases the child. `landlock` may have no ruleset
 * (ruleset_fd -1). Returns 0, or -1 with err set (no child left). */
int fg_spawn_start(const char *path, char *const argv[], scmp_filter_ctx filter,
		   const struct fg_landlock_plan *landlock, const struct fg_child_state *child,
		   struct fg_tracer *tracer, struct fg_spawn *out, struct fg_error *err);

/* After the main child ended: its exec failure, if any (0 when it exec'd). */
int fg_spawn_read_failure(struct fg_spawn *s, struct fg_spawn_failure *failure);

#endif
