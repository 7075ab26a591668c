#include "attack.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

_Noreturn void atk_result(enum atk_exit code, const char *fmt, ...)
{
	static const char *const words[] = { "won", "blocked", "error", "unavailable" };
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* One write: threads of the attack may still be running. */
	char line[600];
	int n = snprintf(line, sizeof(line), "RESULT %s: %s\n", words[code], msg);
	if (n > 0 && write(1, line, (size_t)n) < 0)
		code = ATK_ERROR;
	_exit(code);
}

long atk_read_fd(int fd, char *buf, size_t size)
{
	size_t got = 0;
	while (got + 1 < size) {
		ssize_t n = read(fd, buf + got, size - 1 - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		got += (size_t)n;
	}
	buf[got] = '\0';
	return (long)got;
}

bool atk_fd_is_secret(int fd)
{
	char buf[128];
	return atk_read_fd(fd, buf, sizeof(buf)) >= 0 &&
	       strncmp(buf, ATK_SECRET_MARK, strlen(ATK_SECRET_MARK)) == 0;
}

const char *atk_target(const char *name)
{
	if (name != NULL && strcmp(name, "secret") == 0)
		return ATK_SECRET;
	if (name != NULL && strcmp(name, "vault") == 0)
		return ATK_VAULT;
	atk_result(ATK_ERROR, "target must be secret or vault, not %s", name ? name : "(none)");
}

const char *atk_errname(int err)
{
	const char *name = strerrorname_np(err);
	return name ? name : "E?";
}

_Noreturn void atk_dispatch(const struct atk_mode *modes, int argc, char **argv)
{
	if (argc >= 2) {
		for (const struct atk_mode *m = modes; m->name != NULL; m++) {
			if (strcmp(m->name, argv[1]) == 0)
				exit(m->run(argc - 1, argv + 1));
		}
	}
	fprintf(stderr, "usage: %s MODE [ARGS]; modes:", argv[0]);
	for (const struct atk_mode *m = modes; m->name != NULL; m++)
		fprintf(stderr, " %s", m->name);
	fprintf(stderr, "\n");
	atk_result(ATK_ERROR, "unknown or missing mode");
}
