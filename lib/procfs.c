#include "procfs.h"

#include <fcntl.h>
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

pid_t fg_proc_tgid(pid_t tid)
{
	char path[64];
	char text[2048];
	snprintf(path, sizeof(path), "/proc/%d/status", (int)tid);
	if (read_small_file(path, text, sizeof(text)) < 0)
		return -1;
	const char *line = strstr(text, "\nTgid:");
	if (line == NULL)
		return -1;
	return (pid_t)strtol(line + strlen("\nTgid:"), NULL, 10);
}
