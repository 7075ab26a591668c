#include "netproxy.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>

#include "procfs.h"
#include "tracee_mem.h"

enum { CAP_NET_BIND_SERVICE_BIT = 10 };

/* The port a bind asks for (0 when none or not inet). sin_port and
 * sin6_port share the same place; an inet6 bind accepts a 24-byte address
 * (no scope id), so the port is read whenever it is there. */
static unsigned bind_port(const void *addr, size_t len)
{
	sa_family_t family;
	uint16_t port;
	if (len < offsetof(struct sockaddr_in, sin_port) + sizeof(port))
		return 0;
	memcpy(&family, addr, sizeof(family));
	if (family != AF_INET && family != AF_INET6)
		return 0;
	memcpy(&port, (const unsigned char *)addr + offsetof(struct sockaddr_in, sin_port),
	       sizeof(port));
	return ntohs(port);
}

/* The first port an unprivileged process may bind (1024 when unreadable,
 * the kernel's default). */
static unsigned unprivileged_port_start(void)
{
	unsigned start = 1024;
	FILE *f = fopen("/proc/sys/net/ipv4/ip_unprivileged_port_start", "re");
	if (f != NULL) {
		if (fscanf(f, "%u", &start) != 1)
			start = 1024;
		fclose(f);
	}
	return start;
}

/* Whether the tracee itself could bind a privileged port: the supervisor
 * may hold privileges the program does not, and must not lend them. A
 * tracee whose status cannot be read is treated as unprivileged. */
static bool tracee_may_bind_privileged(pid_t pid)
{
	uint64_t caps;
	return fg_proc_cap_eff(pid, &caps) == 0 && (caps & (1ULL << CAP_NET_BIND_SERVICE_BIT)) != 0;
}

static void perform_bind(int sock, pid_t pid, const void *addr, size_t len,
			 struct fg_netproxy_result *out)
{
	unsigned port = bind_port(addr, len);
	if (port != 0 && port < unprivileged_port_start() && !tracee_may_bind_privileged(pid)) {
		out->retval = -EACCES; /* what the kernel answers the program itself */
		return;
	}
	out->retval = bind(sock, addr, (socklen_t)len) < 0 ? -errno : 0;
}

static void perform_connect(int sock, const void *addr, size_t len, struct fg_netproxy_result *out)
{
	int type = 0;
	socklen_t type_len = sizeof(type);
	int flags = fcntl(sock, F_GETFL);
	if (flags < 0 || getsockopt(sock, SOL_SOCKET, SO_TYPE, &type, &type_len) < 0) {
		out->retval = -EBADF;
		return;
	}
	bool blocking = (flags & O_NONBLOCK) == 0;
	if (!blocking || type != SOCK_STREAM) {
		/* Non-blocking, or a datagram connect (which never waits). */
		out->retval = connect(sock, addr, (socklen_t)len) < 0 ? -errno : 0;
		return;
	}
	/* A blocking stream connect: start it without waiting (O_NONBLOCK is
	 * the open file's flag, shared with the program, so only for this
	 * call); the tracer makes the program wait for it. */
	if (fcntl(sock, F_SETFL, flags | O_NONBLOCK) < 0) {
		out->retval = -errno;
		return;
	}
	int rc = connect(sock, addr, (socklen_t)len);
	int saved = errno;
	fcntl(sock, F_SETFL, flags);
	if (rc == 0) {
		out->retval = 0;
	} else if (saved == EINPROGRESS) {
		out->connecting = true;
	} else {
		out->retval = -saved;
	}
}

enum { MAX_DATAGRAM = 65535 };

/* What the program's send returns: the byte count, or -errno. The
 * supervisor never waits (MSG_DONTWAIT): where the program's own blocking
 * send would have waited for room, it gets ENOBUFS, which udp senders
 * handle. */
static long send_result(ssize_t sent, int error, int sock, int flags)
{
	if (sent >= 0)
		return (long)sent;
	int file_flags = fcntl(sock, F_GETFL);
	bool blocking =
	    file_flags >= 0 && (file_flags & O_NONBLOCK) == 0 && (flags & MSG_DONTWAIT) == 0;
	if ((error == EAGAIN || error == EWOULDBLOCK) && blocking)
		error = ENOBUFS;
	return -error;
}

static void perform_sendto(const struct fg_syscall_event *ev, int sock, const void *addr,
			   size_t len, struct fg_netproxy_result *out)
{
	uint64_t size = ev->args[2];
	if (size > MAX_DATAGRAM) {
		out->retval = -EMSGSIZE;
		return;
	}
	unsigned char *payload = malloc(size > 0 ? (size_t)size : 1);
	if (payload == NULL) {
		out->retval = -ENOMEM;
		return;
	}
	if (size > 0 && fg_read_memory(ev->tid, ev->args[1], payload, (size_t)size) < 0) {
		free(payload);
		out->retval = -EFAULT;
		return;
	}
	int flags = (int)ev->args[3];
	ssize_t sent = sendto(sock, payload, (size_t)size, flags | MSG_DONTWAIT | MSG_NOSIGNAL,
			      addr, (socklen_t)len);
	int saved = errno;
	free(payload);
	out->retval = send_result(sent, saved, sock, flags);
}

enum { MAX_IOV = 1024, MAX_CONTROL = 4096 };

/* Copies the data of a tracee's msghdr into one buffer. Returns its size,
 * or -errno. */
static ssize_t gather_iov(pid_t tid, const struct msghdr *m, unsigned char **out)
{
	*out = NULL;
	if (m->msg_iovlen > MAX_IOV)
		return -EMSGSIZE;
	struct iovec iov[MAX_IOV];
	size_t count = m->msg_iovlen;
	if (count > 0 &&
	    fg_read_memory(tid, (uint64_t)(uintptr_t)m->msg_iov, iov, count * sizeof(iov[0])) < 0)
		return -EFAULT;
	size_t total = 0;
	for (size_t i = 0; i < count; i++) {
		total += iov[i].iov_len;
		if (iov[i].iov_len > MAX_DATAGRAM || total > MAX_DATAGRAM)
			return -EMSGSIZE;
	}
	unsigned char *buf = malloc(total > 0 ? total : 1);
	if (buf == NULL)
		return -ENOMEM;
	size_t at = 0;
	for (size_t i = 0; i < count; i++) {
		if (iov[i].iov_len > 0 && fg_read_memory(tid, (uint64_t)(uintptr_t)iov[i].iov_base,
							 buf + at, iov[i].iov_len) < 0) {
			free(buf);
			return -EFAULT;
		}
		at += iov[i].iov_len;
	}
	*out = buf;
	return (ssize_t)total;
}

static void perform_sendmsg(const struct fg_syscall_event *ev, int sock, const void *addr,
			    size_t len, struct fg_netproxy_result *out)
{
	struct msghdr m;
	if (fg_read_memory(ev->tid, ev->args[1], &m, sizeof(m)) < 0) {
		out->retval = -EFAULT;
		return;
	}
	unsigned char control[MAX_CONTROL];
	if (m.msg_controllen > sizeof(control)) {
		out->retval = -ENOBUFS;
		return;
	}
	if (m.msg_controllen > 0 && fg_read_memory(ev->tid, (uint64_t)(uintptr_t)m.msg_control,
						   control, m.msg_controllen) < 0) {
		out->retval = -EFAULT;
		return;
	}
	struct msghdr copy = { .msg_name = (void *)addr,
			       .msg_namelen = (socklen_t)len,
			       .msg_control = m.msg_controllen > 0 ? control : NULL,
			       .msg_controllen = m.msg_controllen };
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&copy); c != NULL; c = CMSG_NXTHDR(&copy, c)) {
		if (c->cmsg_level == SOL_SOCKET) {
			out->retval = -EPERM;
			return;
		}
	}
	unsigned char *data;
	ssize_t size = gather_iov(ev->tid, &m, &data);
	if (size < 0) {
		out->retval = size;
		return;
	}
	struct iovec one = { .iov_base = data, .iov_len = (size_t)size };
	copy.msg_iov = &one;
	copy.msg_iovlen = 1;
	int flags = (int)ev->args[2];
	ssize_t sent = sendmsg(sock, &copy, flags | MSG_DONTWAIT | MSG_NOSIGNAL);
	int saved = errno;
	free(data);
	out->retval = send_result(sent, saved, sock, flags);
}

void fg_netproxy_perform(const struct fg_syscall_event *ev, int sock, const void *addr, size_t len,
			 struct fg_netproxy_result *out)
{
	out->connecting = false;
	out->retval = -EINVAL;
	if (ev->nr == SYS_bind)
		perform_bind(sock, ev->pid, addr, len, out);
	else if (ev->nr == SYS_connect)
		perform_connect(sock, addr, len, out);
	else if (ev->nr == SYS_sendto)
		perform_sendto(ev, sock, addr, len, out);
	else if (ev->nr == SYS_sendmsg)
		perform_sendmsg(ev, sock, addr, len, out);
}
