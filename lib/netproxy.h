/* netproxy.h - connect and bind performed by the supervisor, race-free.
 *
 * The supervisor checks a connect or bind against the address it read from
 * the tracee's memory. Another thread (or a process sharing the memory) can
 * rewrite that address before the kernel reads it again when the call runs.
 * So for inet sockets (tcp, udp) the supervisor does not let the kernel read
 * it again: it performs the call itself, on a duplicate of the tracee's
 * socket (pidfd_getfd: the same socket, not a copy), with its own checked
 * copy of the address, and the tracee's call returns the result.
 *
 * One exception keeps a blocking connect blocking without blocking the
 * supervisor: the supervisor starts the connect non-blocking (EINPROGRESS)
 * and the tracer makes the program wait for it in poll(2) on its own socket
 * (lib/tracer.c, wait_in_poll), not in a second connect, which would read the
 * address again and could act on a descriptor another thread swapped.
 *
 * A udp sendto with an address is performed the same way, with the payload
 * read from the tracee (at most 65535 bytes, the most udp carries) and
 * MSG_DONTWAIT: on a blocking socket whose send queue is full the program
 * gets ENOBUFS, which udp senders already handle, rather than blocking the
 * supervisor. sendmsg likewise: its data and control messages are copied
 * (control messages of level SOL_SOCKET are refused with EPERM: some, such as
 * SO_MARK, need privileges the supervisor must not lend). sendmmsg with
 * addresses on inet sockets is refused by the inspection.
 *
 * Unix sockets are not proxied: a unix connect made by the supervisor would
 * carry the supervisor's credentials (SO_PEERCRED) to the server.
 */
#ifndef FG_NETPROXY_H
#define FG_NETPROXY_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "syscall_event.h"

struct fg_netproxy_result {
	bool connecting; /* a blocking connect is in progress: the program must wait for it */
	long retval;	 /* otherwise: skip the call; the tracee gets this (0 or -errno) */
};

/* Performs the stopped call `ev` (connect, bind, or a udp sendto) on
 * `sock`, the supervisor's duplicate of the tracee's socket, with the
 * checked address. */
void fg_netproxy_perform(const struct fg_syscall_event *ev, int sock, const void *addr, size_t len,
			 struct fg_netproxy_result *out);

#endif
