#include "runner.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "attack.h"

#define UMOUNT_TARGET  ATK_ROOT "/mnt-umount"
#define JAIL_FILE      ATK_JAIL ATK_PUBLIC /* what RESOLVE_IN_ROOT opens instead */
#define WORK_JAIL_FILE ATK_WORK_JAIL ATK_PUBLIC

static const char *const programs[] = {
	"attack_toctou_path", "attack_toctou_net", "attack_toctou_args", "attack_path_tricks",
	"attack_net_tricks",  "attack_io_uring",   "attack_other_abi",	 "attack_fileless_exec",
	"attack_exec_mmap",   "attack_supervisor", "attack_escapes",	 "attack_stress",
	"attack_argarea",     "attack_toctou_fs",
};

static _Noreturn void die(const char *what, const char *path)
{
	fprintf(stderr, "attacks: %s %s: %s\n", what, path, strerror(errno));
	exit(1);
}

static void make_dir(const char *path)
{
	if (mkdir(path, 0755) < 0 && errno != EEXIST)
		die("cannot create", path);
}

static void write_file(const char *path, const void *data, size_t len, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0 || write(fd, data, len) != (ssize_t)len || fchmod(fd, mode) < 0)
		die("cannot write", path);
	close(fd);
}

static void write_text(const char *path, const char *text)
{
	write_file(path, text, strlen(text), 0644);
}

static void copy_file(const char *from, const char *to, mode_t mode)
{
	int in = open(from, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		die("cannot read", from);
	int out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (out < 0)
		die("cannot write", to);
	char buf[65536];
	ssize_t n;
	while ((n = read(in, buf, sizeof(buf))) > 0) {
		if (write(out, buf, (size_t)n) != n)
			die("cannot write", to);
	}
	if (n < 0 || fchmod(out, mode) < 0)
		die("cannot copy", from);
	close(in);
	close(out);
}

/* The handle name_to_handle_at gives for path, saved for the handle attack
 * (which uses it when its own name_to_handle_at is refused). */
static void save_handle(const char *path, const char *to)
{
	struct {
		struct file_handle h;
		unsigned char bytes[MAX_HANDLE_SZ];
	} fh = { .h.handle_bytes = MAX_HANDLE_SZ };
	int mount_id;
	if (name_to_handle_at(AT_FDCWD, path, &fh.h, &mount_id, 0) < 0)
		die("name_to_handle_at", path);
	write_file(to, &fh, sizeof(fh), 0644);
}

void fixture_unmount_all(void)
{
	umount2(UMOUNT_TARGET, MNT_DETACH);
	umount2(ATK_ROOT "/mnt", MNT_DETACH);
}

void fixture_mount_umount_target(void)
{
	make_dir(UMOUNT_TARGET);
	if (mount("none", UMOUNT_TARGET, "tmpfs", 0, "size=1m") < 0)
		die("cannot mount a tmpfs on", UMOUNT_TARGET);
}

void fixture_reset(void)
{
	fixture_unmount_all();
	static const char *const dirs[] = {
		ATK_ROOT "/secret",
		ATK_WORK,
		ATK_WORK "/pub",
		ATK_WORK "/vlt",
		ATK_JAIL,
		ATK_JAIL "/tmp",
		ATK_JAIL "/tmp/fhirguard-attacks",
		ATK_JAIL "/tmp/fhirguard-attacks/work",
		ATK_JAIL "/tmp/fhirguard-attacks/work/pub",
		ATK_WORK_JAIL,
		ATK_WORK_JAIL "/tmp",
		ATK_WORK_JAIL "/tmp/fhirguard-attacks",
		ATK_WORK_JAIL "/tmp/fhirguard-attacks/work",
		ATK_WORK_JAIL "/tmp/fhirguard-attacks/work/pub",
	};
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		make_dir(dirs[i]);
	write_text(ATK_SECRET, ATK_SECRET_MARK " key\n");
	write_text(ATK_VISIBLE, ATK_SECRET_MARK " visible\n");
	write_text(ATK_VAULT, ATK_SECRET_MARK " vault\n");
	write_text(JAIL_FILE, ATK_SECRET_MARK " jail\n");
	write_text(WORK_JAIL_FILE, ATK_SECRET_MARK " jail in the writable tree\n");
	write_text(ATK_PUBLIC, ATK_PUBLIC_MARK "\n");
	write_text(ATK_READONLY, "read-only content\n");
	static const char *const planted[] = { "/planted-symlink", "/planted-hardlink",
					       "/moved-secret" };
	for (size_t i = 0; i < sizeof(planted) / sizeof(planted[0]); i++) {
		char path[256];
		snprintf(path, sizeof(path), "%s%s", ATK_WORK, planted[i]);
		unlink(path);
	}
	save_handle(ATK_SECRET, ATK_WORK "/secret.handle");
	save_handle(ATK_VAULT, ATK_WORK "/vault.handle");
}

void fixture_create(const struct runner *rn)
{
	fixture_unmount_all();
	if (system("rm -rf " ATK_ROOT) != 0) {
		fprintf(stderr, "attacks: cannot remove %s\n", ATK_ROOT);
		exit(1);
	}
	make_dir(ATK_ROOT);
	make_dir(ATK_BIN);
	make_dir(ATK_ROOT "/logs");
	fixture_reset();
	char from[2048], to[512];
	for (size_t i = 0; i < sizeof(programs) / sizeof(programs[0]); i++) {
		snprintf(from, sizeof(from), "%s/%s", rn->build_dir, programs[i]);
		snprintf(to, sizeof(to), "%s/%s", ATK_BIN, programs[i]);
		copy_file(from, to, 0755);
	}
	/* Native code and a forbidden program's copy where the policy grants
	 * read and write but no exec. */
	snprintf(from, sizeof(from), "%s/attack_payload.so", rn->build_dir);
	copy_file(from, ATK_WORK "/payload.so", 0755);
	static const unsigned char ret42[] = { 0xb8, 0x2a, 0x00, 0x00, 0x00, 0xc3 };
	write_file(ATK_WORK "/code.bin", ret42, sizeof(ret42), 0755);
	copy_file("/bin/sh", ATK_WORK "/sh-copy", 0755);
	copy_file("/bin/sh", ATK_WORK "/sh_", 0755);
	/* The allowed side of the exec race. */
	copy_file("/bin/true", ATK_BIN "/true", 0755);
}

static atomic_long forbidden_accepts;

#define LISTENERS 5

struct listener {
	int fd;
	bool forbidden;
	bool datagram;
};

static struct listener listeners[LISTENERS];

static int socket_on(int type, const char *addr, int port)
{
	int fd = socket(AF_INET, type | SOCK_CLOEXEC, 0);
	int one = 1;
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	inet_pton(AF_INET, addr, &sa.sin_addr);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    (type == SOCK_STREAM && listen(fd, 4096) < 0)) {
		fprintf(stderr, "attacks: cannot %s on %s:%d: %s\n",
			type == SOCK_STREAM ? "listen" : "receive", addr, port, strerror(errno));
		exit(1);
	}
	return fd;
}

static void take(const struct listener *l)
{
	if (l->datagram) {
		char buf[64];
		while (recv(l->fd, buf, sizeof(buf), MSG_DONTWAIT) >= 0) {
			if (l->forbidden)
				atomic_fetch_add(&forbidden_accepts, 1);
		}
		return;
	}
	int c = accept4(l->fd, NULL, NULL, SOCK_CLOEXEC);
	if (c < 0)
		return;
	if (l->forbidden)
		atomic_fetch_add(&forbidden_accepts, 1);
	close(c);
}

static void *accept_loop(void *arg)
{
	(void)arg;
	struct pollfd p[LISTENERS];
	for (int i = 0; i < LISTENERS; i++)
		p[i] = (struct pollfd){ .fd = listeners[i].fd, .events = POLLIN };
	for (;;) {
		if (poll(p, LISTENERS, -1) < 0)
			continue;
		for (int i = 0; i < LISTENERS; i++) {
			if (p[i].revents & POLLIN)
				take(&listeners[i]);
		}
	}
	return NULL;
}

void listeners_start(void)
{
	listeners[0] = (struct listener){ socket_on(SOCK_STREAM, "127.0.0.1", ATK_PORT_ALLOWED),
					  false, false };
	listeners[1] = (struct listener){ socket_on(SOCK_STREAM, "127.0.0.1", ATK_PORT_FORBIDDEN),
					  true, false };
	listeners[2] =
	    (struct listener){ socket_on(SOCK_STREAM, "127.0.0.2", ATK_PORT_ALLOWED), true, false };
	listeners[3] =
	    (struct listener){ socket_on(SOCK_DGRAM, "127.0.0.1", ATK_SEND_ALLOWED), false, true };
	listeners[4] =
	    (struct listener){ socket_on(SOCK_DGRAM, "127.0.0.1", ATK_SEND_FORBIDDEN), true, true };
	pthread_t t;
	if (pthread_create(&t, NULL, accept_loop, NULL) != 0) {
		fprintf(stderr, "attacks: cannot start the listener thread\n");
		exit(1);
	}
	pthread_detach(t);
}

void listeners_settle(void)
{
	long last = -1;
	for (int tries = 0; tries < 100; tries++) {
		struct pollfd p[LISTENERS];
		for (int i = 0; i < LISTENERS; i++)
			p[i] = (struct pollfd){ .fd = listeners[i].fd, .events = POLLIN };
		bool pending = poll(p, LISTENERS, 0) > 0;
		long now = atomic_load(&forbidden_accepts);
		if (!pending && now == last)
			return;
		last = now;
		usleep(50 * 1000);
	}
	fprintf(stderr, "attacks: the listeners did not settle within 5 s\n");
}

long listeners_forbidden_accepts(void)
{
	return atomic_load(&forbidden_accepts);
}
