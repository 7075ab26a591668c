/* exec_mmap MODE: run native code from a file the policy lets the program
 * read and write but not execute (files in ATK_WORK, put there by the
 * runner). Won when the code runs and returns 42.
 *   dlopen         dlopen(ATK_WORK/payload.so) and call its function
 *   mmap-exec      mmap(PROT_READ|PROT_EXEC) of ATK_WORK/code.bin (raw x86-64
 *                  code: mov eax, 42; ret)
 *   mprotect-exec  mmap(PROT_READ) of the same file, then mprotect(PROT_EXEC)
 */
#include "attack.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

typedef int (*payload_fn)(void);

static int run_code(const char *how, void *code)
{
	payload_fn fn;
	memcpy(&fn, &code, sizeof(fn));
	int got = fn();
	if (got == 42)
		atk_result(ATK_WON, "%s: the file's code ran", how);
	atk_result(ATK_ERROR, "%s: the code returned %d, not 42", how, got);
}

static int by_dlopen(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	void *lib = dlopen(ATK_WORK "/payload.so", RTLD_NOW | RTLD_LOCAL);
	if (lib == NULL)
		atk_result(ATK_BLOCKED, "dlopen: %s", dlerror());
	void *sym = dlsym(lib, "fhirguard_attack_payload");
	if (sym == NULL)
		atk_result(ATK_ERROR, "dlsym: %s", dlerror());
	return run_code("dlopen", sym);
}

static int open_code(void)
{
	int fd = open(ATK_WORK "/code.bin", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		atk_result(ATK_ERROR, "open of code.bin (read is allowed): %s", atk_errname(errno));
	return fd;
}

static int mmap_exec(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	void *p = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE, open_code(), 0);
	if (p == MAP_FAILED)
		atk_result(ATK_BLOCKED, "mmap(PROT_EXEC): %s", atk_errname(errno));
	return run_code("mmap(PROT_EXEC)", p);
}

static int mprotect_exec(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	void *p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, open_code(), 0);
	if (p == MAP_FAILED)
		atk_result(ATK_ERROR, "mmap(PROT_READ): %s", atk_errname(errno));
	if (mprotect(p, 4096, PROT_READ | PROT_EXEC) < 0)
		atk_result(ATK_BLOCKED, "mprotect(PROT_EXEC): %s", atk_errname(errno));
	return run_code("mprotect(PROT_EXEC)", p);
}

int main(int argc, char **argv)
{
	static const struct atk_mode modes[] = {
		{ "dlopen", by_dlopen },
		{ "mmap-exec", mmap_exec },
		{ "mprotect-exec", mprotect_exec },
		{ NULL, NULL },
	};
	atk_dispatch(modes, argc, argv);
}
