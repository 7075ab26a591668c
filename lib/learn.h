/* learn.h - learn mode: observe what a program does, write a policy that
 * allows it, generalised the way a person would write it.
 *
 * The tracer runs the program permissively and reports every object a
 * traced call acts on (after resolution, as in enforce mode). At the end,
 * fg_learner_write turns the observations into files, exec and network
 * rules (a JDK tree as one pattern, a data directory with its rights, the
 * listening port, DNS), each with a description of why it is there, on top
 * of the syscall layer of a base policy.
 */
#ifndef FG_LEARN_H
#define FG_LEARN_H

#include <stdbool.h>
#include <stddef.h>

#include "fg_error.h"
#include "netaddr.h"
#include "policy.h"

struct fg_learner; /* opaque */

struct fg_learner *fg_learner_new(void);
void fg_learner_free(struct fg_learner *l);

/* A file access: resolved absolute path (tracee's view) and FG_RIGHT_* mask. */
void fg_learner_file(struct fg_learner *l, const char *path, unsigned rights);

/* An exec: the resolved program and its argv (NULL-terminated). */
void fg_learner_exec(struct fg_learner *l, const char *path, char *const argv[]);

/* A network operation (FG_NET_*) over a protocol (FG_PROTO_*) to or on an
 * endpoint. */
void fg_learner_net(struct fg_learner *l, unsigned operation, unsigned protocol,
		    const struct fg_endpoint *endpoint);

/* socket() of a family other than inet, inet6 and unix, or a raw inet
 * socket (AF_* and SOCK_* numbers). */
void fg_learner_socket(struct fg_learner *l, int domain, int type);

/* A syscall the base policy's syscall layer would have denied or killed. */
void fg_learner_syscall(struct fg_learner *l, long nr);

/* Writes the learned policy to `path` as JSON: the base policy's version,
 * mode "enforce" and syscall layer (with observed denied syscalls allowed,
 * each said so in its description), plus files, exec and network sections
 * from the observations. With `merge` set and `path` an existing policy,
 * its rules are kept first and only what they do not already allow is
 * added. Returns 0, or -1 with err set. */
int fg_learner_write(const struct fg_learner *l, const struct fg_policy *base, const char *path,
		     bool merge, struct fg_error *err);

#endif
