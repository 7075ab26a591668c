#include "procfs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Reads a small /proc file into buf (NUL-terminated); returns its length or -1. */
static ssize_t read_small_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return n;
}

void fg_proc_comm(pid_t tid, char *buf, size_t size)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/comm", (int)tid);
	ssize_t n = read_small_file(path, buf, size);
	if (n <= 0) {
		snprintf(buf, size, "?");
		return;
	}
	if (buf[n - 1] == '\n')
		buf[n - 1] = '\0';
}

void fg_proc_exe(pid_t pid, char *buf, size_t size)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/exe", (int)pid);
	ssize_t n = readlink(path, buf, size - 1);
	if (n < 0) {
		snprintf(buf, size, "?");
		return;
	}
	buf[n] = '\0';
}

/* The text after "\nNAME:" in /proc/TID/status, or NULL. */
static const char *status_field(pid_t tid, const char *name, char *text, size_t size)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/status", (int)tid);
	if (read_small_file(path, text, size) < 0)
		return NULL;
	const char *line = strstr(text, name);
	return line == NULL ? NULL : line + strlen(name);
}

pid_t fg_proc_tgid(pid_t tid)
{
	char text[2048];
	const char *value = status_field(tid, "\nTgid:", text, sizeof(text));
	return value == NULL ? -1 : (pid_t)strtol(value, NULL, 10);
}

int fg_proc_cap_eff(pid_t tid, uint64_t *caps)
{
	char text[4096];
	const char *value = status_field(tid, "\nCapEff:", text, sizeof(text));
	if (value == NULL)
		return -1;
	*caps = strtoull(value, NULL, 16);
	return 0;
}

int fg_proc_file_mappings(pid_t pid, unsigned long long start, unsigned long long end,
			  void (*each)(const char *path, void *ctx), void *ctx)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	FILE *f = fopen(path, "re");
	if (f == NULL)
		return -1;
	char *line = NULL;
	size_t cap = 0;
	while (getline(&line, &cap, f) > 0) {
		unsigned long long lo, hi;
		int name_at = 0;
		/* "lo-hi perms offset dev inode   name" */
		if (sscanf(line, "%llx-%llx %*s %*s %*s %*s %n", &lo, &hi, &name_at) < 2 ||
		    name_at == 0)
			continue;
		if (hi <= start || lo >= end)
			continue;
		char *name = line + name_at;
		name[strcspn(name, "\n")] = '\0';
		if (name[0] == '/')
			each(name, ctx);
	}
	free(line);
	fclose(f);
	return 0;
}

unsigned long fg_proc_mapping_inode(pid_t tid, unsigned long long start, unsigned long long end)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/maps", (int)tid);
	FILE *f = fopen(path, "re");
	if (f == NULL)
		return 0;
	char *line = NULL;
	size_t cap = 0;
	unsigned long found = 0;
	while (found == 0 && getline(&line, &cap, f) > 0) {
		unsigned long long lo, hi;
		char perms[8];
		unsigned long inode;
		/* "lo-hi perms offset dev inode   name" */
		if (sscanf(line, "%llx-%llx %7s %*s %*s %lu", &lo, &hi, perms, &inode) == 4 &&
		    lo == start && hi == end && strcmp(perms, "r--s") == 0)
			found = inode;
	}
	free(line);
	fclose(f);
	return found;
}

ssize_t fg_proc_cmdline(pid_t pid, char *buf, size_t size)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	/* The kernel hands a long command line out in pieces. */
	size_t len = 0;
	bool failed = false;
	while (len < size) {
		ssize_t n = read(fd, buf + len, size - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			failed = true;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	return failed ? -1 : (ssize_t)len;
}

uint64_t fg_proc_auxv_value(pid_t tid, uint64_t type)
{
	char path[64];
	uint64_t auxv[2 * 64];
	snprintf(path, sizeof(path), "/proc/%d/auxv", (int)tid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, auxv, sizeof(auxv));
	close(fd);
	for (ssize_t i = 0; n > 0 && (i + 2) * (ssize_t)sizeof(uint64_t) <= n; i += 2) {
		if (auxv[i] == type)
			return auxv[i + 1];
		if (auxv[i] == 0) /* AT_NULL */
			break;
	}
	return 0;
}
