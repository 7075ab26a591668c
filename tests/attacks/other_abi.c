/* other_abi MODE TARGET: open the secret through another syscall ABI of the
 * same x86_64 process, which a filter written for x86_64 numbers must not
 * let through.
 *   x32    openat with the x32 bit (0x40000000 | 257)
 *   int80  the i386 open (5) through int 0x80, the path in the low 4 GiB
 * Won when the secret is read. x32 is often compiled out or disabled
 * (syscall.x32=n): natively that is ENOSYS, reported as unavailable.
 */
#include "attack.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define X32_SYSCALL_BIT 0x40000000L
#define I386_OPEN	5

static int x32(int argc, char **argv)
{
	const char *target = atk_target(argc >= 2 ? argv[1] : NULL);
	long fd = syscall(X32_SYSCALL_BIT | SYS_openat, AT_FDCWD, target, O_RDONLY);
	if (fd < 0 && errno == ENOSYS)
		atk_result(ATK_UNAVAILABLE, "x32 openat: ENOSYS (no x32 ABI in this kernel)");
	if (fd < 0)
		atk_result(ATK_BLOCKED, "x32 openat: %s", atk_errname(errno));
	if (atk_fd_is_secret((int)fd))
		atk_result(ATK_WON, "read the secret opened through the x32 ABI");
	atk_result(ATK_BLOCKED, "x32 openat opened something else");
}

static int int80(int argc, char **argv)
{
	const char *target = atk_target(argc >= 2 ? argv[1] : NULL);
	/* int 0x80 takes 32-bit pointers: the path must live below 4 GiB. */
	char *low = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
	if (low == MAP_FAILED)
		atk_result(ATK_ERROR, "mmap(MAP_32BIT): %s", atk_errname(errno));
	strcpy(low, target);
	long ret = I386_OPEN;
	__asm__ volatile("int $0x80"
			 : "+a"(ret)
			 : "b"(low), "c"(O_RDONLY), "d"(0)
			 : "memory", "r8", "r9", "r10", "r11");
	if (ret == -ENOSYS)
		atk_result(ATK_UNAVAILABLE, "int 0x80 open: ENOSYS (no 32-bit emulation)");
	if (ret < 0)
		atk_result(ATK_BLOCKED, "int 0x80 open: %s", atk_errname((int)-ret));
	if (atk_fd_is_secret((int)ret))
		atk_result(ATK_WON, "read the secret opened through int 0x80");
	atk_result(ATK_BLOCKED, "int 0x80 open opened something else");
}

int main(int argc, char **argv)
{
	static const struct atk_mode modes[] = {
		{ "x32", x32 },
		{ "int80", int80 },
		{ NULL, NULL },
	};
	atk_dispatch(modes, argc, argv);
}
