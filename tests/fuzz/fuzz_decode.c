/* fuzz_decode.c - the audit line's "args" object (lib/decode.c): a traced
 * syscall's registers and the tracee memory they point at, with this
 * process as the tracee (lib/tracee_mem.c reads it with process_vm_readv).
 *
 * Input: byte 0 picks the syscall; bytes 1-48 are the six registers; the
 * rest is the tracee's memory, three pages at 0x200000000000 followed by an
 * unmapped one. A register whose top byte is 0xaa points into that memory
 * (its low 16 bits are the offset), and so can a pointer inside it (argv),
 * so paths, argv arrays, struct open_how and socket addresses are read from
 * fuzzed bytes, up to and across the unmapped page.
 * Properties: the output is one JSON object (cJSON parses it) in strict
 * UTF-8, and nothing is read or written outside lib's own buffers.
 */
#include <cjson/cJSON.h>
#include <stdbool.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "decode.h"
#include "fuzz_util.h"
#include "json_buf.h"

enum { PAGE = 4096, MEM_SIZE = 3 * PAGE, POINTER_TAG = 0xaa };
#define MEM_ADDRESS 0x200000000000ull

static const long calls[] = {
	SYS_open,	  SYS_openat,	 SYS_openat2,	  SYS_execve,	    SYS_execveat,
	SYS_connect,	  SYS_bind,	 SYS_sendto,	  SYS_socket,	    SYS_renameat2,
	SYS_linkat,	  SYS_symlinkat, SYS_mount,	  SYS_fchownat,	    SYS_statx,
	SYS_memfd_create, SYS_ptrace,	 SYS_init_module, SYS_finit_module, SYS_kill,
	SYS_getpid,	  9999,
};

static unsigned char *mem;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/* At a fixed address, so that pointers inside the memory (argv) can be
	 * fuzzed too and inputs replay the same. */
	mem = mmap((void *)MEM_ADDRESS, MEM_SIZE + PAGE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (mem == MAP_FAILED || mprotect(mem + MEM_SIZE, PAGE, PROT_NONE) < 0) {
		perror("fuzz_decode: mmap");
		exit(1);
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 49)
		return -1;
	struct fg_syscall_event ev;
	memset(&ev, 0, sizeof(ev));
	ev.tid = (pid_t)syscall(SYS_gettid);
	ev.pid = getpid();
	ev.arch = 0xc000003e; /* AUDIT_ARCH_X86_64 */
	ev.nr = calls[data[0] % (sizeof(calls) / sizeof(calls[0]))];
	for (int i = 0; i < 6; i++) {
		uint64_t v;
		memcpy(&v, data + 1 + 8 * i, sizeof(v));
		if (v >> 56 == POINTER_TAG)
			v = (uint64_t)(uintptr_t)(mem + (v & 0xffff) % (MEM_SIZE + PAGE));
		ev.args[i] = v;
	}
	size_t n = size - 49 < MEM_SIZE ? size - 49 : MEM_SIZE;
	memcpy(mem, data + 49, n);
	memset(mem + n, 0, MEM_SIZE - n);

	struct fg_json_buf b;
	fg_json_buf_init(&b);
	fg_decode_args(&ev, &b);
	if (b.failed || b.data == NULL)
		fuzz_fail("fg_decode_args: out of memory");
	cJSON *json = cJSON_ParseWithLength(b.data, b.len);
	if (json == NULL || !cJSON_IsObject(json) ||
	    !fuzz_valid_utf8((const unsigned char *)b.data, b.len) || strlen(b.data) != b.len)
		fuzz_fail("fg_decode_args (syscall %ld) wrote invalid JSON or UTF-8: %s", ev.nr,
			  b.data);
	cJSON_Delete(json);
	fg_json_buf_free(&b);
	return 0;
}
