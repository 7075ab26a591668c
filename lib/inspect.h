/* inspect.h - the argument-level check of one traced syscall.
 *
 * For a syscall the policy traces, find the objects it acts on (files,
 * executables, socket addresses), resolve them the way the kernel will
 * (lib/pathres.c, lib/netaddr.c) and ask the policy's files, exec and
 * network sections (lib/rules_eval.c). Anything that cannot be read or
 * resolved is refused, never allowed.
 */
#ifndef FG_INSPECT_H
#define FG_INSPECT_H

#include <limits.h>
#include <stdbool.h>

#include "execargs.h"
#include "policy.h"
#include "rules.h"
#include "syscall_event.h"

/* One checked pointer argument, for the tracer to copy into the argument
 * area (lib/argarea.h) so that the kernel reads exactly the bytes checked. */
struct fg_pin {
	int arg;	      /* the syscall argument that points to it, or -1 */
	int size_arg;	      /* an argument to set to len (openat2's size), or -1 */
	int points_to;	      /* another pin whose area address goes into this
			       * copy's first 8 bytes (a msghdr's msg_name), or -1 */
	int dirfd_arg;	      /* a dirfd argument to set to AT_FDCWD (the copy
			       * is an absolute path), or -1 */
	unsigned offset, len; /* the bytes, in pin_data */
};

enum {
	FG_MAX_PINS = 4,
	FG_PIN_DATA = 2 * PATH_MAX + 512,
};

/* What the check looked at, for the audit line. */
struct fg_inspection {
	bool inspected; /* the syscall has argument rules at all */
	struct fg_rule_decision decision;
	const char *kind;	 /* "file", "exec", "network", "socket" */
	unsigned rights;	 /* FG_RIGHT_* asked for (files), on both paths */
	unsigned object_rights;	 /* ... on object alone */
	unsigned object2_rights; /* ... on object2 alone */
	const char *operation;	 /* "connect", "bind", "send" (network) */
	const char *protocol;	 /* "tcp", "udp", "unix-stream", "unix-dgram" */
	/* Network: the last endpoint checked, with its FG_NET_* operation and
	 * FG_PROTO_* protocol (for learn mode). */
	bool has_endpoint;
	struct fg_endpoint endpoint;
	unsigned net_operation;
	unsigned net_protocol;
	/* Set when the check failed closed because something could not be
	 * read or resolved; then decision is a denial with that errno. */
	const char *failure;
	/* True when the failure is one the kernel itself would return for the
	 * same call (ENOENT in the middle of a path, EFAULT, ...): not a policy
	 * denial, logged only with log.allowed. */
	bool kernel_equivalent;
	/* An allowed connect or bind on an inet socket: the supervisor's
	 * duplicate of the socket and the checked address, for the tracer to
	 * perform the call itself (lib/netproxy.h). The tracer owns proxy_sock
	 * and closes it. */
	bool has_proxy;
	int proxy_sock;
	unsigned char proxy_addr[128]; /* sizeof(struct sockaddr_storage) */
	size_t proxy_len;
	/* The pointer arguments the check read, which the kernel would read
	 * again: an allowed call runs with them pinned. pin_overflow: more
	 * than fit (the call is refused rather than run unpinned). */
	unsigned pin_count;
	bool pin_overflow;
	/* An open, openat or creat to run as openat2 with the pinned resolved
	 * path and open_how (lib/inspect.c, prepare_open_rewrite). */
	bool open_as_openat2;
	/* A path call other than open (rename, unlink, chmod, ...) that runs
	 * with the resolved paths, alone among such calls (lib/tracer.c: the
	 * path lock), its registers restored at its syscall-exit stop. */
	bool serialize;
	struct fg_pin pins[FG_MAX_PINS];
	unsigned pin_used;
	/* An execve checked against argument patterns: exec_argv holds the
	 * argv read (whole), exec_prefix the strings the kernel puts before
	 * argv[1..] in the new program (lib/execargs.h). */
	bool exec_args_checked;
	size_t exec_prefix;
	/* The large buffers come last: fg_inspect clears the fields above and
	 * only the first byte of the strings below (12 KB of zeroes per event
	 * cost more than a short path's walk). */
	char object[PATH_MAX];	/* resolved path, "127.0.0.1:8080", ... */
	char object2[PATH_MAX]; /* second path (rename, link) or #! interpreter */
	/* For execve: the executable the check allowed, to compare with
	 * /proc/PID/exe at the exec event. */
	char checked_exe[PATH_MAX];
	unsigned char pin_data[FG_PIN_DATA];
	/* Buffers kept from call to call; fg_inspection_free releases them. */
	struct fg_exec_argv exec_argv;
};

void fg_inspect(const struct fg_policy *policy, const struct fg_syscall_event *ev,
		struct fg_inspection *out);

void fg_inspection_free(struct fg_inspection *insp);

/* Whether a traced call `nr` walks a path in the kernel outside the open
 * family: rename, link, unlink, mkdir, chmod, truncate, chdir, ... (the
 * calls lib/tracer.c runs one at a time when arguments are pinned). */
bool fg_inspect_is_path_call(long nr);

/* Names of the rights in a mask, "read,write". */
void fg_rights_text(unsigned rights, char *buf, size_t size);

#endif
