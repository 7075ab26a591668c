/* connect_loop ITERATIONS PORT - a TCP connect/accept/close loop on
 * 127.0.0.1:PORT. socket and connect are traced by the policy; the client
 * closes first with SO_LINGER 0, so no TIME_WAIT sockets pile up over runs. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bench_common.h"

static int listener(struct sockaddr_in *addr)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int one = 1;
	if (fd < 0)
		bench_fail("socket");
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0)
		bench_fail("setsockopt");
	if (bind(fd, (struct sockaddr *)addr, sizeof(*addr)) < 0)
		bench_fail("bind");
	if (listen(fd, 16) < 0)
		bench_fail("listen");
	return fd;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: connect_loop ITERATIONS PORT\n");
		return 2;
	}
	long n = bench_count(argv[1], "ITERATIONS");
	long port = bench_count(argv[2], "PORT");
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	int lfd = listener(&addr);
	struct linger hard_close = { .l_onoff = 1, .l_linger = 0 };
	int64_t start = bench_now_ns();
	for (long i = 0; i < n; i++) {
		int c = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (c < 0)
			bench_fail("socket");
		if (connect(c, (struct sockaddr *)&addr, sizeof(addr)) < 0)
			bench_fail("connect");
		int a = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
		if (a < 0)
			bench_fail("accept");
		setsockopt(c, SOL_SOCKET, SO_LINGER, &hard_close, sizeof(hard_close));
		close(c);
		close(a);
	}
	int64_t elapsed = bench_now_ns() - start;
	close(lfd);
	bench_report(n, elapsed);
	return 0;
}
