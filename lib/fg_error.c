#include "fg_error.h"

#include <stdarg.h>
#include <stdio.h>

int fg_error_set(struct fg_error *err, const char *fmt, ...)
{
	if (err == NULL)
		return -1;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -1;
}
