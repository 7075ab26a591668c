#include "syscall_names.h"

#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct newer_syscall {
	const char *name;
	long nr;
};

/* x86_64 numbers of syscalls that libseccomp 2.5.4 does not know yet
 * (from the kernel's arch/x86/entry/syscalls/syscall_64.tbl). */
static const struct newer_syscall newer_syscalls[] = {
	{ "statmount", 457 },	      { "listmount", 458 },	   { "lsm_get_self_attr", 459 },
	{ "lsm_set_self_attr", 460 }, { "lsm_list_modules", 461 }, { "mseal", 462 },
	{ "setxattrat", 463 },	      { "getxattrat", 464 },	   { "listxattrat", 465 },
	{ "removexattrat", 466 },     { "open_tree_attr", 467 },   { "file_getattr", 468 },
	{ "file_setattr", 469 },
};

long fg_syscall_from_name(const char *name)
{
	int nr = seccomp_syscall_resolve_name(name);
	if (nr >= 0)
		return nr;
	if (nr != __NR_SCMP_ERROR)
		return FG_SYSCALL_OTHER_ARCH;
	for (size_t i = 0; i < sizeof(newer_syscalls) / sizeof(newer_syscalls[0]); i++) {
		if (strcmp(newer_syscalls[i].name, name) == 0)
			return newer_syscalls[i].nr;
	}
	return FG_SYSCALL_UNKNOWN;
}

const char *fg_syscall_name(long nr, char *buf, size_t size)
{
	char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, (int)nr);
	if (name != NULL) {
		snprintf(buf, size, "%s", name);
		free(name);
		return buf;
	}
	for (size_t i = 0; i < sizeof(newer_syscalls) / sizeof(newer_syscalls[0]); i++) {
		if (newer_syscalls[i].nr == nr) {
			snprintf(buf, size, "%s", newer_syscalls[i].name);
			return buf;
		}
	}
	snprintf(buf, size, "syscall_%ld", nr);
	return buf;
}
