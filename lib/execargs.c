/* execargs.c - see execargs.h. */
#include "execargs.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "procfs.h"
#include "tracee_mem.h"

static int grow_argv(struct fg_exec_argv *a)
{
	size_t cap = a->argv_cap ? a->argv_cap * 2 : 64;
	char **argv = realloc(a->argv, cap * sizeof(*argv));
	if (argv == NULL)
		return -ENOMEM;
	a->argv = argv;
	a->argv_cap = cap;
	return 0;
}

/* The strings and their offsets into bytes, or a negative errno. */
static int read_strings(struct fg_exec_argv *a, pid_t tid, uint64_t addr)
{
	for (;;) {
		uint64_t ptr;
		if (fg_read_memory(tid, addr + a->argc * sizeof(ptr), &ptr, sizeof(ptr)) < 0)
			return -EFAULT;
		if (ptr == 0)
			return 0;
		if (a->argc >= FG_EXEC_ARGV_MAX_ARGS)
			return -E2BIG;
		if (a->argc + 1 >= a->argv_cap && grow_argv(a) < 0)
			return -ENOMEM;
		size_t room = FG_EXEC_ARGV_MAX_BYTES - a->len;
		ssize_t n = fg_read_string(tid, ptr, a->bytes + a->len, room);
		if (n == FG_MEM_UNREADABLE)
			return -EFAULT;
		if (n < 0)
			return -E2BIG; /* no NUL within what is left */
		/* An offset for now: bytes is final only at the end. */
		a->argv[a->argc++] = (char *)(uintptr_t)a->len;
		a->len += (size_t)n + 1;
	}
}

int fg_exec_argv_read(struct fg_exec_argv *a, pid_t tid, uint64_t addr)
{
	a->len = 0;
	a->argc = 0;
	if (a->bytes == NULL) {
		/* Pages are only touched as far as strings are written. */
		a->bytes = malloc(FG_EXEC_ARGV_MAX_BYTES);
		if (a->bytes == NULL)
			return -ENOMEM;
	}
	if (a->argv_cap == 0 && grow_argv(a) < 0)
		return -ENOMEM;
	int rc = addr == 0 ? 0 : read_strings(a, tid, addr); /* NULL: an empty argv */
	if (rc < 0) {
		/* Nothing half-read is left for a caller to use. */
		a->len = 0;
		a->argc = 0;
	}
	for (size_t i = 0; i < a->argc; i++)
		a->argv[i] = a->bytes + (uintptr_t)a->argv[i];
	a->argv[a->argc] = NULL;
	return rc;
}

void fg_exec_argv_free(struct fg_exec_argv *a)
{
	free(a->bytes);
	free(a->argv);
	*a = (struct fg_exec_argv){ 0 };
}

struct fg_checked_args *fg_checked_args_new(const struct fg_exec_argv *a, size_t prefix)
{
	size_t skip = a->argc > 0 ? strlen(a->argv[0]) + 1 : 0;
	size_t len = a->len - skip;
	struct fg_checked_args *c = malloc(sizeof(*c) + len + 1);
	if (c == NULL)
		return NULL;
	c->count = a->argc > 0 ? a->argc - 1 : 0;
	c->prefix = prefix;
	/* argv[0]; or for a script the kernel's own strings instead: the
	 * "#!" line (at most 256 bytes) and the name the script was run by. */
	c->prefix_room = (skip > 256 ? skip : 256) + PATH_MAX + 64;
	c->len = len;
	memcpy(c->bytes, a->bytes + skip, len);
	c->bytes[len] = '\0';
	return c;
}

bool fg_checked_args_match(const struct fg_checked_args *c, const char *cmdline, size_t len)
{
	/* Every string ends with a NUL, the last one included. */
	if (len == 0 || cmdline[len - 1] != '\0' || len < c->len)
		return false;
	size_t strings = 0;
	for (size_t i = 0; i < len; i++) {
		if (cmdline[i] == '\0')
			strings++;
	}
	if (strings != c->prefix + c->count)
		return false;
	size_t tail = len - c->len;
	/* The checked strings start right after a NUL (or at the start, which
	 * the count above rules out when a prefix is expected). */
	if (tail > 0 && cmdline[tail - 1] != '\0')
		return false;
	return memcmp(cmdline + tail, c->bytes, c->len) == 0;
}

bool fg_checked_args_verify(const struct fg_checked_args *c, pid_t pid)
{
	/* One byte more than a matching command line can have is enough to
	 * tell a longer one. */
	size_t cap = c->len + c->prefix_room + 1;
	char *buf = malloc(cap);
	if (buf == NULL)
		return false;
	ssize_t len = fg_proc_cmdline(pid, buf, cap);
	/* A full buffer means a longer command line than any prefix allows. */
	bool ok = len >= 0 && (size_t)len < cap && fg_checked_args_match(c, buf, (size_t)len);
	free(buf);
	return ok;
}
