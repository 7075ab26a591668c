#include "errno_names.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>

struct errno_name {
	const char *name;
	int value;
};

/* The errnos a policy can sensibly return. Kept to names every libc knows. */
static const struct errno_name errno_names[] = {
	{ "EPERM", EPERM },
	{ "ENOENT", ENOENT },
	{ "ESRCH", ESRCH },
	{ "EINTR", EINTR },
	{ "EIO", EIO },
	{ "ENXIO", ENXIO },
	{ "E2BIG", E2BIG },
	{ "ENOEXEC", ENOEXEC },
	{ "EBADF", EBADF },
	{ "ECHILD", ECHILD },
	{ "EAGAIN", EAGAIN },
	{ "ENOMEM", ENOMEM },
	{ "EACCES", EACCES },
	{ "EFAULT", EFAULT },
	{ "EBUSY", EBUSY },
	{ "EEXIST", EEXIST },
	{ "EXDEV", EXDEV },
	{ "ENODEV", ENODEV },
	{ "ENOTDIR", ENOTDIR },
	{ "EISDIR", EISDIR },
	{ "EINVAL", EINVAL },
	{ "ENFILE", ENFILE },
	{ "EMFILE", EMFILE },
	{ "ENOTTY", ENOTTY },
	{ "ETXTBSY", ETXTBSY },
	{ "EFBIG", EFBIG },
	{ "ENOSPC", ENOSPC },
	{ "ESPIPE", ESPIPE },
	{ "EROFS", EROFS },
	{ "EMLINK", EMLINK },
	{ "EPIPE", EPIPE },
	{ "ERANGE", ERANGE },
	{ "ENAMETOOLONG", ENAMETOOLONG },
	{ "ENOSYS", ENOSYS },
	{ "ENOTEMPTY", ENOTEMPTY },
	{ "ELOOP", ELOOP },
	{ "ENOTSOCK", ENOTSOCK },
	{ "EDESTADDRREQ", EDESTADDRREQ },
	{ "EPROTOTYPE", EPROTOTYPE },
	{ "ENOPROTOOPT", ENOPROTOOPT },
	{ "EPROTONOSUPPORT", EPROTONOSUPPORT },
	{ "ESOCKTNOSUPPORT", ESOCKTNOSUPPORT },
	{ "EOPNOTSUPP", EOPNOTSUPP },
	{ "EPFNOSUPPORT", EPFNOSUPPORT },
	{ "EAFNOSUPPORT", EAFNOSUPPORT },
	{ "EADDRINUSE", EADDRINUSE },
	{ "EADDRNOTAVAIL", EADDRNOTAVAIL },
	{ "ENETDOWN", ENETDOWN },
	{ "ENETUNREACH", ENETUNREACH },
	{ "ECONNABORTED", ECONNABORTED },
	{ "ECONNRESET", ECONNRESET },
	{ "ETIMEDOUT", ETIMEDOUT },
	{ "ECONNREFUSED", ECONNREFUSED },
	{ "EHOSTUNREACH", EHOSTUNREACH },
	{ "EDQUOT", EDQUOT },
	{ "ECANCELED", ECANCELED },
};

int fg_errno_from_name(const char *name)
{
	for (size_t i = 0; i < sizeof(errno_names) / sizeof(errno_names[0]); i++) {
		if (strcmp(errno_names[i].name, name) == 0)
			return errno_names[i].value;
	}
	/* Aliases that name the same value. */
	if (strcmp(name, "ENOTSUP") == 0)
		return ENOTSUP;
	if (strcmp(name, "EWOULDBLOCK") == 0)
		return EWOULDBLOCK;
	return -1;
}

const char *fg_errno_name(int value)
{
	for (size_t i = 0; i < sizeof(errno_names) / sizeof(errno_names[0]); i++) {
		if (errno_names[i].value == value)
			return errno_names[i].name;
	}
	return NULL;
}
