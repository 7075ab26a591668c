// landlock.h - the in-kernel backstop for the files and network sections.
//
// (Line comments here: path patterns contain the pair that opens a block
// comment.)
//
// The supervisor decides file and network calls in user space, after reading
// their arguments from the tracee's memory. Another thread of the tracee can
// rewrite a path between that check and the kernel's own use of it (TOCTOU).
// Landlock closes most of that gap: the kernel itself refuses what the
// ruleset does not allow, whatever the path buffer says when the call runs.
//
// Soundness comes first: the ruleset allows a SUPERSET of what the policy can
// allow (a program the policy allows must never break because of Landlock),
// and refuses as much of the rest as Landlock can express. What it cannot
// express, fg_landlock_describe_limits tells `fhirguard check`.
//
// How the policy maps to Landlock:
//
//  - Files (only with a files section whose default is not allow): every
//    filesystem right the running ABI knows is handled. Each allow rule grants
//    its rights beneath the literal prefix of its pattern (the leading
//    components without `*`, `?`, `[` or `\`): read -> READ_FILE, READ_DIR;
//    write -> WRITE_FILE, TRUNCATE; read or write -> IOCTL_DEV (the policy
//    never restricts ioctl, and a JVM ioctls /dev/urandom and ttys); exec ->
//    EXECUTE and READ_FILE (the kernel opens a program for reading to run it);
//    create -> every MAKE_* (mknod of devices included) and REFER; delete ->
//    REMOVE_FILE, REMOVE_DIR and REFER; metadata, stat -> nothing (Landlock
//    does not restrict them). A fully literal pattern names one object: a
//    file gets the file rights, a directory only READ_DIR (its contents are
//    not part of the rule).
//  - Creating or removing the object a pattern names itself ("/data/x", or
//    "/data" for "/data/**") happens in its parent directory, so those rights
//    go to the parent. When the policy lets the program create that object
//    (it can delete and re-create it, or rename something over it), its other
//    rights go to the parent too: Landlock rules stick to inodes, and a
//    re-created object would otherwise lose them.
//  - A prefix that does not exist: when the policy lets the program create its
//    first missing component, the rule's rights go to the nearest existing
//    ancestor (the program can build the tree, then use it); otherwise the
//    rule is skipped (there is nothing to reach). A directory another process
//    creates after the start is therefore refused: create it before starting.
//  - "/proc/self" and "/proc/thread-self" would name fhirguard, not the
//    tracee (whose PID is not known before fork): such prefixes become /proc.
//  - The kernel opens a program's ELF interpreter itself (no syscall the
//    supervisor sees) and Landlock wants READ_FILE and EXECUTE on it: when an
//    allow rule grants exec, the usual x86_64 loaders and the PT_INTERP of
//    literal exec paths get those rights.
//  - Landlock refuses to move a file where it would gain rights (EXDEV). Each
//    directory a rename or link may start from gets the rights of every
//    directory it may end in, so that the moves the policy allows work.
//  - MAKE_SOCK is also what bind() of a unix socket needs, which the network
//    section (not files) decides: it is handled only when every unix bind the
//    network section allows names a literal directory (then granted there).
//  - Network (ABI 4+, only with a network section whose default is not
//    allow): BIND_TCP and CONNECT_TCP are handled, each allow rule with tcp
//    grants its ports (send with tcp counts as connect: TCP Fast Open, which
//    Landlock does not check today; the superset holds if it ever does). An
//    operation some allow rule permits on every port, or on more than
//    FG_LANDLOCK_MAX_PORTS ports in all, is not handled (thousands of port
//    rules cost memory and time and buy little). Addresses are ignored:
//    Landlock has none.
//
// Only what the policy governs: a syscall the syscall layer allows in the
// kernel never reaches the supervisor, so its section allows it everywhere
// (fg_landlock_prepare_policy leaves the matching rights unhandled), and
// audit mode allows everything (no ruleset).
//
// Landlock's own gaps, which `fhirguard check` lists: metadata and stat are
// not restricted; UDP, sends, addresses and unix sockets are not either;
// TCP Fast Open (sendto with MSG_FASTOPEN) connects without Landlock's check;
// mmap(PROT_EXEC) is not restricted, so READ_FILE on a file is enough to run
// its code through the loader: EXECUTE only guards execve.
//
// Paths are the tracee's view: fhirguard builds the ruleset in the parent,
// before fork, in the same root and mount namespace as the program, so host
// paths are tracee paths. Whoever changes root or namespaces for the child
// must prepare after that.
#ifndef FG_LANDLOCK_H
#define FG_LANDLOCK_H

#include <stddef.h>
#include <stdint.h>

#include "fg_error.h"
#include "policy.h"
#include "rules.h"

/* An operation allowed on more ports than this is not handled at all. */
enum { FG_LANDLOCK_MAX_PORTS = 1024 };

struct fg_landlock_plan {
	int ruleset_fd;	      /* -1: nothing to apply (see the reasons) */
	int abi;	      /* 0: Landlock unavailable */
	uint64_t handled_fs;  /* LANDLOCK_ACCESS_FS_* the ruleset handles */
	uint64_t handled_net; /* LANDLOCK_ACCESS_NET_* */
	size_t path_rules;    /* LANDLOCK_RULE_PATH_BENEATH rules added */
	size_t port_rules;    /* LANDLOCK_RULE_NET_PORT rules added */
	/* Static text, NULL when not applicable: why there is no ruleset at all,
	 * why files (handled_fs == 0) or network (handled_net == 0) is not
	 * handled. */
	const char *unavailable_reason;
	const char *fs_reason;
	const char *net_reason;
};

/* The running kernel's Landlock ABI, 0 when unavailable: not built in
 * (ENOSYS), disabled at boot (EOPNOTSUPP), or refused by a container
 * runtime's seccomp profile (EPERM). */
int fg_landlock_abi(void);

/* In the parent, before fork: builds the ruleset (its fd is O_CLOEXEC; the
 * child applies it before exec and must not close it before). Returns 0 with
 * plan->ruleset_fd == -1 and plan->unavailable_reason set when Landlock is
 * unavailable or the policy has nothing it can enforce; -1 with `err` on a
 * real error (out of memory or descriptors, a rule the kernel rejects). */
int fg_landlock_prepare(const struct fg_rules *rules, struct fg_landlock_plan *plan,
			struct fg_error *err);

/* What fhirguard should call: as fg_landlock_prepare, but only for what the
 * policy really governs. In audit mode nothing (audit allows everything).
 * When the syscall layer allows a file syscall in the kernel (open, execve,
 * mkdir, rename, ...), the supervisor never sees it and the files section
 * allows it everywhere: files are not handled. Likewise connect and bind
 * for tcp connect and bind (and unix binds for MAKE_SOCK). */
int fg_landlock_prepare_policy(const struct fg_policy *policy, enum fg_mode mode,
			       struct fg_landlock_plan *plan, struct fg_error *err);

/* In the child, after prctl(PR_SET_NO_NEW_PRIVS, 1) and before seccomp_load
 * and execve, while it has one thread (Landlock restricts the calling thread
 * and what it creates later). After it, every open the child makes is
 * checked: open what it needs first. Async-signal-safe: one syscall. Returns
 * 0 (also when there is no ruleset) or -errno, as seccomp_load does (EPERM:
 * no_new_privs is not set and the child lacks CAP_SYS_ADMIN). */
int fg_landlock_apply(const struct fg_landlock_plan *plan);

/* One line for the audit log's start line and for people: "abi 7: files
 * (78 path rules), tcp (1 port rule)", with "; files not enforced: WHY" or
 * "; tcp not enforced: WHY" when one section is left out, or "off: WHY"
 * when there is no ruleset. */
void fg_landlock_summary(const struct fg_landlock_plan *plan, char *buf, size_t size);

/* Closes the ruleset; safe to call twice and on a plan prepare refused. */
void fg_landlock_release(struct fg_landlock_plan *plan);

/* One human-readable line per thing Landlock cannot express for this policy
 * on this machine (for `fhirguard check`); `abi` is fg_landlock_abi(). Lines
 * start with "landlock: " and have no newline. */
void fg_landlock_describe_limits(const struct fg_rules *rules, int abi,
				 void (*emit)(const char *line, void *ctx), void *ctx);

/* The same for a whole policy, knowing what its syscall layer leaves
 * unchecked (what `fhirguard check` should call). */
void fg_landlock_describe_policy_limits(const struct fg_policy *policy, int abi,
					void (*emit)(const char *line, void *ctx), void *ctx);

#endif
