/* net_tricks MODE: reach the forbidden port 127.0.0.1:ATK_PORT_FORBIDDEN
 * (where the runner listens) by a way other than a plain AF_INET connect.
 *   v4mapped  an AF_INET6 socket connecting to ::ffff:127.0.0.1
 *   fastopen  sendto(MSG_FASTOPEN) on a fresh TCP socket: connects and sends
 *             in one call (Landlock's connect rules do not see it)
 * Won when the connection is made. And UDP to 127.0.0.1:ATK_SEND_FORBIDDEN,
 * where the runner counts what arrives (the sender cannot tell):
 *   sendmsg   one sendmsg with the forbidden address in msg_name
 *   sendmmsg  one sendmmsg of two messages: the first to ATK_SEND_ALLOWED,
 *             the second to the forbidden port
 */
#include "attack.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

static int v4mapped(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	int s = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		atk_result(ATK_ERROR, "socket(AF_INET6): %s", atk_errname(errno));
	struct sockaddr_in6 sa = { .sin6_family = AF_INET6,
				   .sin6_port = htons(ATK_PORT_FORBIDDEN) };
	inet_pton(AF_INET6, "::ffff:127.0.0.1", &sa.sin6_addr);
	if (connect(s, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		atk_result(ATK_BLOCKED, "connect to [::ffff:127.0.0.1]:%d: %s", ATK_PORT_FORBIDDEN,
			   atk_errname(errno));
	atk_result(ATK_WON, "connected to [::ffff:127.0.0.1]:%d", ATK_PORT_FORBIDDEN);
}

static int fastopen(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		atk_result(ATK_ERROR, "socket: %s", atk_errname(errno));
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_port = htons(ATK_PORT_FORBIDDEN),
				  .sin_addr.s_addr = htonl(0x7f000001) };
	/* A byte sent means the connection was made: the runner closes it at
	 * once (with the byte unread, so with a reset), so getpeername may
	 * already fail here; the runner's listener counts it anyway. */
	ssize_t sent = sendto(s, "x", 1, MSG_FASTOPEN, (struct sockaddr *)&sa, sizeof(sa));
	if (sent < 0)
		atk_result(ATK_BLOCKED, "sendto(MSG_FASTOPEN) to 127.0.0.1:%d: %s",
			   ATK_PORT_FORBIDDEN, atk_errname(errno));
	atk_result(ATK_WON, "sent %zd byte to 127.0.0.1:%d with MSG_FASTOPEN", sent,
		   ATK_PORT_FORBIDDEN);
}

static int udp_socket(struct sockaddr_in *good, struct sockaddr_in *bad)
{
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		atk_result(ATK_ERROR, "socket(SOCK_DGRAM): %s", atk_errname(errno));
	*good = (struct sockaddr_in){ .sin_family = AF_INET,
				      .sin_port = htons(ATK_SEND_ALLOWED),
				      .sin_addr.s_addr = htonl(0x7f000001) };
	*bad = *good;
	bad->sin_port = htons(ATK_SEND_FORBIDDEN);
	return s;
}

static int send_msg(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	struct sockaddr_in good, bad;
	int s = udp_socket(&good, &bad);
	struct iovec iov = { "x", 1 };
	struct msghdr msg = {
		.msg_name = &bad, .msg_namelen = sizeof(bad), .msg_iov = &iov, .msg_iovlen = 1
	};
	if (sendmsg(s, &msg, 0) < 0)
		atk_result(ATK_BLOCKED, "sendmsg to 127.0.0.1:%d: %s", ATK_SEND_FORBIDDEN,
			   atk_errname(errno));
	atk_result(ATK_BLOCKED, "sendmsg to 127.0.0.1:%d returned (the runner counts arrivals)",
		   ATK_SEND_FORBIDDEN);
}

static int send_mmsg(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	struct sockaddr_in good, bad;
	int s = udp_socket(&good, &bad);
	struct iovec iov = { "x", 1 };
	struct mmsghdr msgs[2] = {
		{ .msg_hdr = { .msg_name = &good,
			       .msg_namelen = sizeof(good),
			       .msg_iov = &iov,
			       .msg_iovlen = 1 } },
		{ .msg_hdr = { .msg_name = &bad,
			       .msg_namelen = sizeof(bad),
			       .msg_iov = &iov,
			       .msg_iovlen = 1 } },
	};
	int n = sendmmsg(s, msgs, 2, 0);
	if (n < 0)
		atk_result(ATK_BLOCKED, "sendmmsg: %s", atk_errname(errno));
	atk_result(ATK_BLOCKED, "sendmmsg sent %d of 2 messages (the runner counts arrivals)", n);
}

int main(int argc, char **argv)
{
	static const struct atk_mode modes[] = {
		{ "v4mapped", v4mapped },  { "fastopen", fastopen }, { "sendmsg", send_msg },
		{ "sendmmsg", send_mmsg }, { NULL, NULL },
	};
	atk_dispatch(modes, argc, argv);
}
