#include "decode.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/openat2.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#include "netaddr.h"
#include "tracee_mem.h"

enum arg_kind {
	ARG_END,
	ARG_INT,
	ARG_HEX,
	ARG_FD,	  /* also AT_FDCWD */
	ARG_PATH, /* char * */
	ARG_OPEN_FLAGS,
	ARG_MODE,     /* octal */
	ARG_SOCKADDR, /* struct sockaddr *, length in the next argument */
	ARG_ARGV,     /* char *const argv[] */
	ARG_OPEN_HOW, /* struct open_how * (openat2) */
	ARG_SKIP,     /* present but not worth printing (a length already used) */
};

struct arg_spec {
	const char *name;
	enum arg_kind kind;
};

struct syscall_spec {
	long nr;
	struct arg_spec args[6];
};

#define A(n, k)                                                                                    \
	{                                                                                          \
		n, ARG_##k                                                                         \
	}

/* Only syscalls that fhirguard typically traces or denies. */
static const struct syscall_spec specs[] = {
	{ SYS_open, { A("path", PATH), A("flags", OPEN_FLAGS), A("mode", MODE) } },
	{ SYS_creat, { A("path", PATH), A("mode", MODE) } },
	{ SYS_openat,
	  { A("dirfd", FD), A("path", PATH), A("flags", OPEN_FLAGS), A("mode", MODE) } },
	{ SYS_openat2, { A("dirfd", FD), A("path", PATH), A("how", OPEN_HOW), A("size", SKIP) } },
	{ SYS_execve, { A("path", PATH), A("argv", ARGV) } },
	{ SYS_execveat,
	  { A("dirfd", FD), A("path", PATH), A("argv", ARGV), A("envp", SKIP), A("flags", HEX) } },
	{ SYS_connect, { A("fd", FD), A("addr", SOCKADDR), A("addrlen", SKIP) } },
	{ SYS_bind, { A("fd", FD), A("addr", SOCKADDR), A("addrlen", SKIP) } },
	{ SYS_listen, { A("fd", FD), A("backlog", INT) } },
	{ SYS_sendto,
	  { A("fd", FD), A("buf", SKIP), A("len", INT), A("flags", HEX), A("addr", SOCKADDR),
	    A("addrlen", SKIP) } },
	{ SYS_sendmsg, { A("fd", FD), A("msg", HEX), A("flags", HEX) } },
	{ SYS_socket, { A("domain", INT), A("type", HEX), A("protocol", INT) } },
	{ SYS_mkdir, { A("path", PATH), A("mode", MODE) } },
	{ SYS_mkdirat, { A("dirfd", FD), A("path", PATH), A("mode", MODE) } },
	{ SYS_mknod, { A("path", PATH), A("mode", MODE), A("dev", HEX) } },
	{ SYS_mknodat, { A("dirfd", FD), A("path", PATH), A("mode", MODE), A("dev", HEX) } },
	{ SYS_unlink, { A("path", PATH) } },
	{ SYS_unlinkat, { A("dirfd", FD), A("path", PATH), A("flags", HEX) } },
	{ SYS_rmdir, { A("path", PATH) } },
	{ SYS_rename, { A("oldpath", PATH), A("newpath", PATH) } },
	{ SYS_renameat,
	  { A("olddirfd", FD), A("oldpath", PATH), A("newdirfd", FD), A("newpath", PATH) } },
	{ SYS_renameat2,
	  { A("olddirfd", FD), A("oldpath", PATH), A("newdirfd", FD), A("newpath", PATH),
	    A("flags", HEX) } },
	{ SYS_link, { A("oldpath", PATH), A("newpath", PATH) } },
	{ SYS_linkat,
	  { A("olddirfd", FD), A("oldpath", PATH), A("newdirfd", FD), A("newpath", PATH),
	    A("flags", HEX) } },
	{ SYS_symlink, { A("target", PATH), A("linkpath", PATH) } },
	{ SYS_symlinkat, { A("target", PATH), A("newdirfd", FD), A("linkpath", PATH) } },
	{ SYS_chmod, { A("path", PATH), A("mode", MODE) } },
	{ SYS_fchmodat, { A("dirfd", FD), A("path", PATH), A("mode", MODE) } },
	{ SYS_chown, { A("path", PATH), A("uid", INT), A("gid", INT) } },
	{ SYS_lchown, { A("path", PATH), A("uid", INT), A("gid", INT) } },
	{ SYS_fchownat,
	  { A("dirfd", FD), A("path", PATH), A("uid", INT), A("gid", INT), A("flags", HEX) } },
	{ SYS_truncate, { A("path", PATH), A("length", INT) } },
	{ SYS_utimensat, { A("dirfd", FD), A("path", PATH), A("times", HEX), A("flags", HEX) } },
	{ SYS_chdir, { A("path", PATH) } },
	{ SYS_chroot, { A("path", PATH) } },
	{ SYS_stat, { A("path", PATH) } },
	{ SYS_lstat, { A("path", PATH) } },
	{ SYS_newfstatat,
	  { A("dirfd", FD), A("path", PATH), A("statbuf", SKIP), A("flags", HEX) } },
	{ SYS_statx, { A("dirfd", FD), A("path", PATH), A("flags", HEX), A("mask", HEX) } },
	{ SYS_access, { A("path", PATH), A("mode", INT) } },
	{ SYS_faccessat, { A("dirfd", FD), A("path", PATH), A("mode", INT) } },
	{ SYS_faccessat2, { A("dirfd", FD), A("path", PATH), A("mode", INT), A("flags", HEX) } },
	{ SYS_readlink, { A("path", PATH) } },
	{ SYS_readlinkat, { A("dirfd", FD), A("path", PATH) } },
	{ SYS_mount, { A("source", PATH), A("target", PATH), A("fstype", PATH), A("flags", HEX) } },
	{ SYS_umount2, { A("target", PATH), A("flags", HEX) } },
	{ SYS_pivot_root, { A("new_root", PATH), A("put_old", PATH) } },
	{ SYS_ptrace, { A("request", INT), A("pid", INT), A("addr", HEX), A("data", HEX) } },
	{ SYS_kill, { A("pid", INT), A("sig", INT) } },
	{ SYS_tgkill, { A("tgid", INT), A("tid", INT), A("sig", INT) } },
	{ SYS_memfd_create, { A("name", PATH), A("flags", HEX) } },
	{ SYS_unshare, { A("flags", HEX) } },
	{ SYS_setns, { A("fd", FD), A("nstype", HEX) } },
	{ SYS_clone, { A("flags", HEX) } },
	{ SYS_bpf, { A("cmd", INT) } },
	{ SYS_personality, { A("persona", HEX) } },
	{ SYS_process_vm_readv, { A("pid", INT) } },
	{ SYS_process_vm_writev, { A("pid", INT) } },
	{ SYS_io_uring_setup, { A("entries", INT), A("params", HEX) } },
	{ SYS_perf_event_open, { A("attr", HEX), A("pid", INT), A("cpu", INT) } },
	{ SYS_init_module, { A("image", HEX), A("len", INT), A("params", PATH) } },
	{ SYS_finit_module, { A("fd", FD), A("params", PATH), A("flags", HEX) } },
};

#undef A

enum { MAX_PATH_READ = 4096, MAX_ARGV_SHOWN = 32 };

static const struct syscall_spec *find_spec(long nr)
{
	for (size_t i = 0; i < sizeof(specs) / sizeof(specs[0]); i++) {
		if (specs[i].nr == nr)
			return &specs[i];
	}
	return NULL;
}

static void write_path(pid_t tid, uint64_t addr, struct fg_json_buf *b)
{
	char path[MAX_PATH_READ];
	if (addr == 0) {
		fg_json_null(b);
		return;
	}
	ssize_t n = fg_read_string(tid, addr, path, sizeof(path));
	if (n == FG_MEM_UNREADABLE) {
		fg_json_string(b, "<unreadable>");
		return;
	}
	if (n == FG_MEM_TOO_LONG) {
		fg_json_string(b, "<longer than PATH_MAX>");
		return;
	}
	fg_json_bytes(b, path, (size_t)n);
}

static void write_fd(uint64_t value, struct fg_json_buf *b)
{
	int fd = (int)value;
	if (fd == AT_FDCWD)
		fg_json_string(b, "AT_FDCWD");
	else
		fg_json_int(b, fd);
}

static void write_mode(uint64_t value, struct fg_json_buf *b)
{
	char text[16];
	snprintf(text, sizeof(text), "0%03o", (unsigned int)(value & 07777));
	fg_json_string(b, text);
}

struct flag_name {
	int flag;
	const char *name;
};

static void write_open_flags(uint64_t value, struct fg_json_buf *b)
{
	static const struct flag_name flags[] = {
		{ O_CREAT, "O_CREAT" },		{ O_EXCL, "O_EXCL" },
		{ O_NOCTTY, "O_NOCTTY" },	{ O_TRUNC, "O_TRUNC" },
		{ O_APPEND, "O_APPEND" },	{ O_NONBLOCK, "O_NONBLOCK" },
		{ O_DSYNC, "O_DSYNC" },		{ O_DIRECT, "O_DIRECT" },
		{ O_LARGEFILE, "O_LARGEFILE" }, { O_DIRECTORY, "O_DIRECTORY" },
		{ O_NOFOLLOW, "O_NOFOLLOW" },	{ O_NOATIME, "O_NOATIME" },
		{ O_CLOEXEC, "O_CLOEXEC" },	{ O_PATH, "O_PATH" },
	};
	char text[512];
	unsigned int f = (unsigned int)value;
	const char *access = (f & O_ACCMODE) == O_RDONLY   ? "O_RDONLY"
			     : (f & O_ACCMODE) == O_WRONLY ? "O_WRONLY"
			     : (f & O_ACCMODE) == O_RDWR   ? "O_RDWR"
							   : "O_ACCMODE";
	snprintf(text, sizeof(text), "%s", access);
	unsigned int left = f & ~(unsigned int)O_ACCMODE;
	/* O_TMPFILE includes O_DIRECTORY; name it as a whole. */
	if ((left & O_TMPFILE) == O_TMPFILE) {
		strncat(text, "|O_TMPFILE", sizeof(text) - strlen(text) - 1);
		left &= ~(unsigned int)O_TMPFILE;
	}
	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		if ((left & (unsigned int)flags[i].flag) == (unsigned int)flags[i].flag &&
		    flags[i].flag != 0) {
			strncat(text, "|", sizeof(text) - strlen(text) - 1);
			strncat(text, flags[i].name, sizeof(text) - strlen(text) - 1);
			left &= ~(unsigned int)flags[i].flag;
		}
	}
	if (left != 0) {
		char rest[24];
		snprintf(rest, sizeof(rest), "|0x%x", left);
		strncat(text, rest, sizeof(text) - strlen(text) - 1);
	}
	fg_json_string(b, text);
}

static void write_sockaddr(pid_t tid, uint64_t addr, uint64_t len, struct fg_json_buf *b)
{
	unsigned char raw[sizeof(struct sockaddr_storage)];
	struct fg_endpoint ep;
	if (addr == 0) {
		fg_json_null(b);
		return;
	}
	if (len > sizeof(raw) || fg_read_memory(tid, addr, raw, (size_t)len) < 0 ||
	    fg_endpoint_decode(raw, (size_t)len, &ep, NULL) < 0) {
		fg_json_string(b, "<unreadable>");
		return;
	}
	char text[INET6_ADDRSTRLEN];
	fg_json_begin_object(b);
	fg_json_key(b, "family");
	switch (ep.family) {
	case FG_EP_INET:
	case FG_EP_INET6:
		fg_json_string(b, ep.family == FG_EP_INET ? "inet" : "inet6");
		if (ep.family == FG_EP_INET)
			inet_ntop(AF_INET, ep.addr + 12, text, sizeof(text));
		else
			inet_ntop(AF_INET6, ep.addr, text, sizeof(text));
		fg_json_key(b, "address");
		fg_json_string(b, text);
		fg_json_key(b, "port");
		fg_json_uint(b, ep.port);
		break;
	case FG_EP_UNIX:
		fg_json_string(b, "unix");
		if (ep.unix_unnamed) {
			fg_json_key(b, "unnamed");
			fg_json_bool(b, true);
		} else {
			fg_json_key(b, ep.unix_abstract ? "abstract" : "path");
			fg_json_bytes(b, ep.unix_path, ep.unix_path_len);
		}
		break;
	case FG_EP_OTHER:
		fg_json_int(b, ep.raw_family);
		break;
	}
	fg_json_end_object(b);
}

static void write_argv(pid_t tid, uint64_t addr, struct fg_json_buf *b)
{
	if (addr == 0) {
		fg_json_null(b);
		return;
	}
	fg_json_begin_array(b);
	for (int i = 0; i < MAX_ARGV_SHOWN; i++) {
		uint64_t ptr;
		if (fg_read_memory(tid, addr + (uint64_t)i * sizeof(ptr), &ptr, sizeof(ptr)) < 0) {
			fg_json_string(b, "<unreadable>");
			break;
		}
		if (ptr == 0)
			break;
		write_path(tid, ptr, b);
		if (i == MAX_ARGV_SHOWN - 1)
			fg_json_string(b, "...");
	}
	fg_json_end_array(b);
}

static void write_open_how(pid_t tid, uint64_t addr, struct fg_json_buf *b)
{
	struct open_how how;
	if (fg_read_memory(tid, addr, &how, sizeof(how)) < 0) {
		fg_json_string(b, "<unreadable>");
		return;
	}
	fg_json_begin_object(b);
	fg_json_key(b, "flags");
	write_open_flags(how.flags, b);
	fg_json_key(b, "mode");
	write_mode(how.mode, b);
	fg_json_key(b, "resolve");
	fg_json_hex(b, how.resolve);
	fg_json_end_object(b);
}

void fg_decode_args(const struct fg_syscall_event *ev, struct fg_json_buf *b)
{
	/* The table is x86_64's: an i386 (int 0x80) or x32 call's number
	 * names another syscall there, so its registers are shown raw. */
	bool native = ev->arch == AUDIT_ARCH_X86_64 && (ev->nr & 0x40000000) == 0;
	const struct syscall_spec *spec = native ? find_spec(ev->nr) : NULL;
	fg_json_begin_object(b);
	if (spec == NULL) {
		fg_json_key(b, "raw");
		fg_json_begin_array(b);
		for (int i = 0; i < 6; i++)
			fg_json_hex(b, ev->args[i]);
		fg_json_end_array(b);
		fg_json_end_object(b);
		return;
	}
	for (int i = 0; i < 6 && spec->args[i].kind != ARG_END; i++) {
		uint64_t v = ev->args[i];
		if (spec->args[i].kind == ARG_SKIP)
			continue;
		fg_json_key(b, spec->args[i].name);
		switch (spec->args[i].kind) {
		case ARG_INT:
			fg_json_int(b, (long long)(int64_t)v);
			break;
		case ARG_HEX:
			fg_json_hex(b, v);
			break;
		case ARG_FD:
			write_fd(v, b);
			break;
		case ARG_PATH:
			write_path(ev->tid, v, b);
			break;
		case ARG_OPEN_FLAGS:
			write_open_flags(v, b);
			break;
		case ARG_MODE:
			write_mode(v, b);
			break;
		case ARG_SOCKADDR:
			write_sockaddr(ev->tid, v, i < 5 ? ev->args[i + 1] : 0, b);
			break;
		case ARG_ARGV:
			write_argv(ev->tid, v, b);
			break;
		case ARG_OPEN_HOW:
			write_open_how(ev->tid, v, b);
			break;
		case ARG_END:
		case ARG_SKIP:
			break;
		}
	}
	fg_json_end_object(b);
}
