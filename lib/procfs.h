/* procfs.h - facts about a task from /proc, for audit lines. */
#ifndef FG_PROCFS_H
#define FG_PROCFS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* The thread's name (comm); "?" when it cannot be read. */
void fg_proc_comm(pid_t tid, char *buf, size_t size);

/* The process's executable path; "?" when it cannot be read. */
void fg_proc_exe(pid_t pid, char *buf, size_t size);

/* The thread group (process) of a task, or -1 when it is gone. */
pid_t fg_proc_tgid(pid_t tid);

/* The task's effective capabilities (CapEff), or -1 when unreadable. */
int fg_proc_cap_eff(pid_t tid, uint64_t *caps);

/* Calls `each` with the path of every file mapping of process `pid` that
 * overlaps [start, end), as /proc/PID/maps shows it (fhirguard's view of the
 * path; " (deleted)" kept). Anonymous and special mappings ([heap], ...) are
 * skipped. Returns 0, or -1 when the maps cannot be read. */
int fg_proc_file_mappings(pid_t pid, unsigned long long start, unsigned long long end,
			  void (*each)(const char *path, void *ctx), void *ctx);

/* The inode of the shared file mapping that spans exactly [start, end)
 * read-only in task tid (lib/argarea.h), or 0 when there is none. */
unsigned long fg_proc_mapping_inode(pid_t tid, unsigned long long start, unsigned long long end);

/* The value of auxiliary-vector entry `type` (AT_SYSINFO_EHDR, ...) of a
 * task, or 0 when absent or unreadable. */
uint64_t fg_proc_auxv_value(pid_t tid, uint64_t type);

/* A process's command line (/proc/PID/cmdline: its argv strings, each
 * NUL-terminated) into buf, up to size bytes; returns the length read, or
 * -1 when it cannot be read. A result of size means "size or longer". */
ssize_t fg_proc_cmdline(pid_t pid, char *buf, size_t size);

#endif
