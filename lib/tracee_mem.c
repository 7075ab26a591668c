#include "tracee_mem.h"

#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

enum { PAGE = 4096 };

int fg_read_memory(pid_t tid, uint64_t addr, void *buf, size_t len)
{
	if (len == 0)
		return 0;
	struct iovec local = { .iov_base = buf, .iov_len = len };
	struct iovec remote = { .iov_base = (void *)(uintptr_t)addr, .iov_len = len };
	ssize_t n = process_vm_readv(tid, &local, 1, &remote, 1, 0);
	return n == (ssize_t)len ? 0 : FG_MEM_UNREADABLE;
}

ssize_t fg_read_string(pid_t tid, uint64_t addr, char *buf, size_t size)
{
	size_t done = 0;
	if (addr == 0 || size == 0)
		return FG_MEM_UNREADABLE;
	while (done < size) {
		/* Never read across a page boundary in one call: the next page
		 * may be unmapped although the string ends before it. */
		uint64_t at = addr + done;
		size_t chunk = PAGE - (size_t)(at % PAGE);
		if (chunk > size - done)
			chunk = size - done;
		if (fg_read_memory(tid, at, buf + done, chunk) < 0)
			return FG_MEM_UNREADABLE;
		char *nul = memchr(buf + done, '\0', chunk);
		if (nul != NULL)
			return nul - buf;
		done += chunk;
	}
	buf[size - 1] = '\0';
	return FG_MEM_TOO_LONG;
}
