/* argarea MODE: get writable memory where fhirguard keeps the checked copies
 * of pointer arguments (0x10000-0x400000, lib/argarea.h), so that a racing
 * thread could rewrite a path after the check again. Won when a byte at
 * AREA can be written (natively nothing is mapped there, so each technique
 * wins on an empty range).
 *   map-fixed      mmap(MAP_FIXED) anonymous read-write memory over it
 *   unmap          munmap it, then map read-write memory there (a hint)
 *   mremap-onto    move a read-write mapping onto it (MREMAP_FIXED)
 *   mremap-away    move it away, then map read-write memory there
 *   dontfork       madvise(MADV_DONTFORK), fork: the child maps memory there
 *   mprotect       mprotect(PROT_READ|PROT_WRITE) (mapping read-only memory
 *                  there first when nothing is)
 *   proc-mem       write through /proc/self/mem (FOLL_FORCE)
 * (process_vm_writev needs no case: it never writes read-only memory, and
 * the shipped policy refuses it anyway: supervisor-pvm-write.)
 */
#include "attack.h"

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define AREA	  ((void *)0x10000)
#define AREA_SIZE 4096

static sigjmp_buf fault;

static void on_fault(int sig)
{
	(void)sig;
	siglongjmp(fault, 1);
}

/* Whether a byte at AREA can be written (and reads back). */
static bool writable(void)
{
	struct sigaction sa = { .sa_handler = on_fault };
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	volatile char *p = AREA;
	if (sigsetjmp(fault, 1) != 0)
		return false;
	p[0] = 'X';
	return p[0] == 'X';
}

static void finish(const char *how)
{
	if (writable())
		atk_result(ATK_WON, "%s: wrote at %p", how, AREA);
	atk_result(ATK_BLOCKED, "%s: %p is not writable", how, AREA);
}

static void *map_rw(void *hint, int extra_flags)
{
	return mmap(hint, AREA_SIZE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | extra_flags, -1, 0);
}

static int map_fixed(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	void *p = map_rw(AREA, MAP_FIXED);
	if (p == MAP_FAILED)
		atk_result(ATK_BLOCKED, "mmap(MAP_FIXED): %s", atk_errname(errno));
	finish("mmap(MAP_FIXED)");
	return 0;
}

static int unmap(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	if (munmap(AREA, AREA_SIZE) < 0)
		atk_result(ATK_BLOCKED, "munmap: %s", atk_errname(errno));
	map_rw(AREA, 0);
	finish("munmap, then mmap");
	return 0;
}

static int mremap_onto(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	void *p = map_rw(NULL, 0);
	if (p == MAP_FAILED)
		atk_result(ATK_ERROR, "mmap: %s", atk_errname(errno));
	if (mremap(p, AREA_SIZE, AREA_SIZE, MREMAP_MAYMOVE | MREMAP_FIXED, AREA) == MAP_FAILED)
		atk_result(ATK_BLOCKED, "mremap onto it: %s", atk_errname(errno));
	finish("mremap(MREMAP_FIXED)");
	return 0;
}

static int mremap_away(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	void *away = map_rw(NULL, 0); /* a free place to move it to */
	if (away == MAP_FAILED)
		atk_result(ATK_ERROR, "mmap: %s", atk_errname(errno));
	if (mremap(AREA, AREA_SIZE, AREA_SIZE, MREMAP_MAYMOVE | MREMAP_FIXED, away) == MAP_FAILED &&
	    errno != EFAULT) /* EFAULT: nothing there to move (natively) */
		atk_result(ATK_BLOCKED, "mremap away: %s", atk_errname(errno));
	map_rw(AREA, 0);
	finish("mremap away, then mmap");
	return 0;
}

static int dontfork(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	if (madvise(AREA, AREA_SIZE, MADV_DONTFORK) < 0 && errno != ENOMEM)
		atk_result(ATK_BLOCKED, "madvise(MADV_DONTFORK): %s", atk_errname(errno));
	pid_t child = fork();
	if (child < 0)
		atk_result(ATK_ERROR, "fork: %s", atk_errname(errno));
	if (child == 0) {
		map_rw(AREA, 0);
		_exit(writable() ? 0 : 1);
	}
	int status;
	waitpid(child, &status, 0);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		atk_result(ATK_WON, "the forked child wrote at %p", AREA);
	atk_result(ATK_BLOCKED, "the forked child could not write at %p", AREA);
	return 0;
}

static int make_writable(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	if (mprotect(AREA, AREA_SIZE, PROT_READ) < 0) /* nothing there (natively) */
		mmap(AREA, AREA_SIZE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
		     -1, 0);
	if (mprotect(AREA, AREA_SIZE, PROT_READ | PROT_WRITE) < 0)
		atk_result(ATK_BLOCKED, "mprotect(PROT_WRITE): %s", atk_errname(errno));
	finish("mprotect(PROT_WRITE)");
	return 0;
}

/* Read-only memory at AREA to write to: fhirguard's area, or natively a
 * read-only mapping made for the test. */
static void read_only_there(void)
{
	if (mprotect(AREA, AREA_SIZE, PROT_READ) < 0 &&
	    mmap(AREA, AREA_SIZE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1,
		 0) != AREA)
		atk_result(ATK_ERROR, "cannot map read-only memory at %p", AREA);
}

static int proc_mem(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	read_only_there();
	int fd = open("/proc/self/mem", O_RDWR);
	if (fd < 0)
		atk_result(ATK_BLOCKED, "open /proc/self/mem: %s", atk_errname(errno));
	if (pwrite(fd, "X", 1, (off_t)(uintptr_t)AREA) != 1)
		atk_result(ATK_BLOCKED, "write through /proc/self/mem: %s", atk_errname(errno));
	if (*(volatile char *)AREA == 'X')
		atk_result(ATK_WON, "wrote at %p through /proc/self/mem", AREA);
	atk_result(ATK_BLOCKED, "the write did not land");
	return 0;
}

int main(int argc, char **argv)
{
	static const struct atk_mode modes[] = {
		{ "map-fixed", map_fixed },	{ "unmap", unmap },
		{ "mremap-onto", mremap_onto }, { "mremap-away", mremap_away },
		{ "dontfork", dontfork },	{ "mprotect", make_writable },
		{ "proc-mem", proc_mem },	{ NULL, NULL },
	};
	atk_dispatch(modes, argc, argv);
}
