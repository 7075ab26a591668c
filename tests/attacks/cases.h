/* cases.h - the attack suite's table: what runs, what must stop it, and
 * which audit line proves the supervisor saw it. */
#ifndef FG_ATTACK_CASES_H
#define FG_ATTACK_CASES_H

#include <stddef.h>

enum case_flags {
	/* Guarded: fhirguard runs as PID 1 of a new PID namespace (unshare),
	 * as in a container; natively the attack runs under attack_standin,
	 * so that what it does to its parent hits a disposable process. */
	CASE_AS_PID1 = 1 << 0,
	/* The runner mounts a tmpfs on ATK_ROOT/mnt-umount before each run. */
	CASE_UMOUNT_TARGET = 1 << 1,
	/* A TOCTOU race: "@COUNT" in args becomes the attempt count,
	 * "@EXECCOUNT" the smaller count for exec races. */
	CASE_RACE = 1 << 2,
	/* Reaching a forbidden listener of the runner: a connection or a
	 * datagram there is a win whatever the attack says. */
	CASE_FORBIDDEN_LISTENER = 1 << 3,
	/* No audit line is required: see `why_no_audit`. */
	CASE_NO_AUDIT = 1 << 4,
};

#define CASE_MAX_ARGS	 4
#define CASE_MAX_NEEDLES 4

struct attack_case {
	const char *name;
	const char *group;
	const char *program; /* in ATK_BIN */
	const char *args[CASE_MAX_ARGS + 1];
	/* The guarded run's log must have a deny, kill or stop line that
	 * contains one of these. */
	const char *needles[CASE_MAX_NEEDLES + 1];
	const char *mechanism; /* what is expected to stop it */
	unsigned flags;
	const char *why_no_audit;
	/* Set for an attack fhirguard is known not to stop yet: when it wins
	 * under fhirguard the runner prints GAP with this text and counts it
	 * apart (not as passed); README.md lists each gap and its fix. */
	const char *known_gap;
};

extern const struct attack_case attack_cases[];
extern const size_t attack_case_count;

#endif
