/* decode.h - a syscall's arguments as readable JSON, for audit lines.
 *
 * Each known syscall has a list of named arguments of a kind (path, fd,
 * flags, socket address, ...); pointers are read from the stopped tracee.
 * Unknown syscalls get their six raw registers.
 */
#ifndef FG_DECODE_H
#define FG_DECODE_H

#include "json_buf.h"
#include "syscall_event.h"

/* Appends the "args" object for ev to b (the key is written by the caller). */
void fg_decode_args(const struct fg_syscall_event *ev, struct fg_json_buf *b);

#endif
