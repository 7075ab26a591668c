/* toctou_net MODE COUNT: four flipper threads rewrite a sockaddr_in between
 * an allowed and a forbidden destination while two threads connect, bind or
 * send with it, COUNT attempts in all. Won when a connection to (or a bind
 * on) the forbidden destination succeeds; for sends the runner counts the
 * datagrams that reach the forbidden port.
 *
 * Modes (the runner listens on 127.0.0.1:ATK_PORT_ALLOWED,
 * 127.0.0.1:ATK_PORT_FORBIDDEN and 127.0.0.2:ATK_PORT_ALLOWED, and receives
 * UDP on 127.0.0.1:ATK_SEND_ALLOWED and ATK_SEND_FORBIDDEN):
 *   connect-port  127.0.0.1: port ATK_PORT_ALLOWED <-> ATK_PORT_FORBIDDEN
 *                 (Landlock's TCP port rules can refuse this one)
 *   connect-addr  port ATK_PORT_ALLOWED: 127.0.0.1 <-> 127.0.0.2 (Landlock has
 *                 no addresses: only the supervisor can refuse it)
 *   bind-port     127.0.0.1: port ATK_BIND_ALLOWED <-> ATK_BIND_FORBIDDEN
 *   bind-addr     port ATK_BIND_ALLOWED: 127.0.0.1 <-> 127.0.0.2
 *   sendto-port   UDP sendto, port ATK_SEND_ALLOWED <-> ATK_SEND_FORBIDDEN
 *   sendmsg-port  the same with sendmsg (the address behind msg_name)
 * Each flip is one aligned store of the port (2 bytes) or the address (4).
 */
#include "attack.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#define FLIPPERS 4
#define OPENERS	 2

static struct {
	_Alignas(64) struct sockaddr_in sa;
	enum { OP_CONNECT, OP_BIND, OP_SENDTO, OP_SENDMSG } op;
	bool bind, flip_addr;
	uint16_t port_good, port_bad; /* network order */
	uint32_t addr_good, addr_bad; /* network order */
	long count;
	atomic_long attempts, allowed, refused, other_errors, won_at;
	atomic_int stop, other_errno;
} race;

static void *flipper(void *arg)
{
	(void)arg;
	while (!atomic_load_explicit(&race.stop, memory_order_relaxed)) {
		if (race.flip_addr) {
			__atomic_store_n(&race.sa.sin_addr.s_addr, race.addr_bad, __ATOMIC_RELAXED);
			__atomic_store_n(&race.sa.sin_addr.s_addr, race.addr_good,
					 __ATOMIC_RELAXED);
		} else {
			__atomic_store_n(&race.sa.sin_port, race.port_bad, __ATOMIC_RELAXED);
			__atomic_store_n(&race.sa.sin_port, race.port_good, __ATOMIC_RELAXED);
		}
	}
	return NULL;
}

/* Where the socket really went: its peer (connect) or its name (bind). */
static bool reached_forbidden(int s)
{
	struct sockaddr_in where;
	socklen_t len = sizeof(where);
	int rc = race.bind ? getsockname(s, (struct sockaddr *)&where, &len)
			   : getpeername(s, (struct sockaddr *)&where, &len);
	if (rc < 0)
		return false;
	return race.flip_addr ? where.sin_addr.s_addr == race.addr_bad
			      : where.sin_port == race.port_bad;
}

static void attempt(long n)
{
	int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0) {
		atomic_store(&race.other_errno, errno);
		atomic_fetch_add(&race.other_errors, 1);
		return;
	}
	int one = 1;
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	int rc = race.bind ? bind(s, (struct sockaddr *)&race.sa, sizeof(race.sa))
			   : connect(s, (struct sockaddr *)&race.sa, sizeof(race.sa));
	if (rc == 0 && reached_forbidden(s)) {
		race.won_at = n + 1;
		atomic_store(&race.stop, 1);
	} else if (rc == 0) {
		atomic_fetch_add(&race.allowed, 1);
	} else if (errno == EACCES || errno == EPERM) {
		atomic_fetch_add(&race.refused, 1);
	} else {
		atomic_store(&race.other_errno, errno);
		atomic_fetch_add(&race.other_errors, 1);
	}
	/* Reset instead of FIN: no TIME_WAIT to exhaust the local ports. */
	struct linger reset = { .l_onoff = 1, .l_linger = 0 };
	setsockopt(s, SOL_SOCKET, SO_LINGER, &reset, sizeof(reset));
	close(s);
}

/* One datagram; whether it reached the forbidden port only the receiver
 * (the runner) knows. */
static void send_one(int s)
{
	ssize_t rc;
	if (race.op == OP_SENDTO) {
		rc = sendto(s, "x", 1, 0, (struct sockaddr *)&race.sa, sizeof(race.sa));
	} else {
		struct iovec iov = { "x", 1 };
		struct msghdr msg = { .msg_name = &race.sa,
				      .msg_namelen = sizeof(race.sa),
				      .msg_iov = &iov,
				      .msg_iovlen = 1 };
		rc = sendmsg(s, &msg, 0);
	}
	if (rc >= 0) {
		atomic_fetch_add(&race.allowed, 1);
	} else if (errno == EACCES || errno == EPERM) {
		atomic_fetch_add(&race.refused, 1);
	} else if (errno != ENOBUFS && errno != EAGAIN) {
		atomic_store(&race.other_errno, errno);
		atomic_fetch_add(&race.other_errors, 1);
	}
}

static void *opener(void *arg)
{
	(void)arg;
	int udp = -1;
	if (race.op == OP_SENDTO || race.op == OP_SENDMSG) {
		udp = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		if (udp < 0)
			atk_result(ATK_ERROR, "socket(SOCK_DGRAM): %s", atk_errname(errno));
	}
	long n;
	while (!atomic_load(&race.stop) && (n = atomic_fetch_add(&race.attempts, 1)) < race.count) {
		if (udp >= 0)
			send_one(udp);
		else
			attempt(n);
	}
	if (udp >= 0)
		close(udp);
	return NULL;
}

static int run(const char *mode, int op, bool flip_addr, int argc, char **argv)
{
	race.count = argc >= 2 ? strtol(argv[1], NULL, 10) : 0;
	if (race.count <= 0)
		atk_result(ATK_ERROR, "usage: toctou_net MODE COUNT");
	race.op = op;
	race.bind = op == OP_BIND;
	race.flip_addr = flip_addr;
	bool sends = op == OP_SENDTO || op == OP_SENDMSG;
	int good = race.bind ? ATK_BIND_ALLOWED : sends ? ATK_SEND_ALLOWED : ATK_PORT_ALLOWED;
	int bad = race.bind ? ATK_BIND_FORBIDDEN : sends ? ATK_SEND_FORBIDDEN : ATK_PORT_FORBIDDEN;
	race.port_good = htons((uint16_t)good);
	race.port_bad = flip_addr ? race.port_good : htons((uint16_t)bad);
	race.addr_good = htonl(0x7f000001);
	race.addr_bad = flip_addr ? htonl(0x7f000002) : race.addr_good;
	race.sa.sin_family = AF_INET;
	race.sa.sin_port = race.port_good;
	race.sa.sin_addr.s_addr = race.addr_good;

	pthread_t flippers[FLIPPERS], openers[OPENERS];
	for (int i = 0; i < FLIPPERS; i++) {
		if (pthread_create(&flippers[i], NULL, flipper, NULL) != 0)
			atk_result(ATK_ERROR, "pthread_create failed");
	}
	for (int i = 1; i < OPENERS; i++) {
		if (pthread_create(&openers[i], NULL, opener, NULL) != 0)
			atk_result(ATK_ERROR, "pthread_create failed");
	}
	opener(NULL);
	for (int i = 1; i < OPENERS; i++)
		pthread_join(openers[i], NULL);
	atomic_store(&race.stop, 1);
	for (int i = 0; i < FLIPPERS; i++)
		pthread_join(flippers[i], NULL);

	long attempts = race.attempts < race.count ? race.attempts : race.count;
	if (race.won_at > 0)
		atk_result(ATK_WON, "%s: reached the forbidden %s at attempt %ld", mode,
			   flip_addr ? "address" : "port", race.won_at);
	if (sends)
		atk_result(ATK_BLOCKED,
			   "%s: %ld attempts, %ld sent, %ld refused, %ld other errors (the runner "
			   "counts what reached the forbidden port)",
			   mode, attempts, (long)race.allowed, (long)race.refused,
			   (long)race.other_errors);
	if (race.allowed == 0 || race.refused == 0 || race.other_errors > 0)
		atk_result(ATK_ERROR,
			   "%s: race not exercised: %ld attempts, %ld allowed, %ld refused, %ld "
			   "other errors (last %s)",
			   mode, attempts, (long)race.allowed, (long)race.refused,
			   (long)race.other_errors,
			   race.other_errors ? atk_errname(race.other_errno) : "none");
	atk_result(
	    ATK_BLOCKED, "%s: %ld attempts, %ld allowed, %ld refused, never the forbidden %s", mode,
	    attempts, (long)race.allowed, (long)race.refused, flip_addr ? "address" : "port");
}

static int connect_port(int argc, char **argv)
{
	return run("connect-port", OP_CONNECT, false, argc, argv);
}

static int connect_addr(int argc, char **argv)
{
	return run("connect-addr", OP_CONNECT, true, argc, argv);
}

static int bind_port(int argc, char **argv)
{
	return run("bind-port", OP_BIND, false, argc, argv);
}

static int bind_addr(int argc, char **argv)
{
	return run("bind-addr", OP_BIND, true, argc, argv);
}

static int sendto_port(int argc, char **argv)
{
	return run("sendto-port", OP_SENDTO, false, argc, argv);
}

static int sendmsg_port(int argc, char **argv)
{
	return run("sendmsg-port", OP_SENDMSG, false, argc, argv);
}

int main(int argc, char **argv)
{
	static const struct atk_mode modes[] = {
		{ "connect-port", connect_port },
		{ "connect-addr", connect_addr },
		{ "bind-port", bind_port },
		{ "bind-addr", bind_addr },
		{ "sendto-port", sendto_port },
		{ "sendmsg-port", sendmsg_port },
		{ NULL, NULL },
	};
	atk_dispatch(modes, argc, argv);
}
