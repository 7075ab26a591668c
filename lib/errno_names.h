/* errno_names.h - errno values by name, for policies and audit lines. */
#ifndef FG_ERRNO_NAMES_H
#define FG_ERRNO_NAMES_H

/* Returns the value of a name such as "EACCES", or -1. */
int fg_errno_from_name(const char *name);

/* Returns the name of an errno value, or NULL when it has none here. */
const char *fg_errno_name(int value);

#endif
