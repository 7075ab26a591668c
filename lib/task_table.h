/* task_table.h - every task (thread) the supervisor traces, by TID.
 *
 * An open-addressing hash table with linear probing: lookups on every stop
 * are a few instructions, and memory grows with the number of live tasks.
 */
#ifndef FG_TASK_TABLE_H
#define FG_TASK_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct fg_argarea;
struct fg_checked_args;

struct fg_task {
	pid_t tid;  /* 0 marks an empty slot */
	pid_t tgid; /* the process (thread group) it belongs to; 0 until known */
	/* After an allowed execve: the executable the check allowed (owned),
	 * compared with what runs at the exec event. */
	char *checked_exe;
	/* ... and, when exec rules have argument patterns, the arguments it
	 * was checked with (owned; lib/execargs.h). */
	struct fg_checked_args *checked_args;
	/* A blocking connect the supervisor started (lib/netproxy.h) and the
	 * task now waits for in poll(2): the supervisor's duplicate of the
	 * socket (the registers to restore: saved_args, below). */
	bool has_pending_connect;
	int pending_connect_sock;
	/* The argument area its address space maps (lib/argarea.h; one
	 * reference), or NULL until known; its slots there (-1: none). */
	struct fg_argarea *area;
	int small_slot;
	int large_slot;
	/* A path call running under the path lock (lib/tracer.c). */
	bool holds_path_lock;
	/* For a pending connect or a path call under the lock: the argument
	 * registers to restore at the syscall-exit stop. */
	unsigned long long saved_args[6];
	/* For a process's leader: an O_PATH descriptor of the process's root
	 * directory, kept while the policy lets no root change (lib/tracer.c,
	 * cache_roots); -1 when none. */
	int root_fd;
};

struct fg_task_table {
	struct fg_task *slots;
	size_t capacity; /* a power of two */
	size_t count;
};

void fg_task_table_init(struct fg_task_table *table);
void fg_task_table_free(struct fg_task_table *table);

/* Returns the task, or NULL. */
struct fg_task *fg_task_find(struct fg_task_table *table, pid_t tid);

/* Returns the existing or a new task (tgid 0), or NULL when out of memory.
 * Adding and removing move entries: a pointer from find or add is valid only
 * until the next add or remove. */
struct fg_task *fg_task_add(struct fg_task_table *table, pid_t tid);

/* Points the task at another argument area (or none): its slots in the old
 * one are released and the reference moves. */
void fg_task_set_area(struct fg_task *task, struct fg_argarea *area);

/* Returns true when the task was present. */
bool fg_task_remove(struct fg_task_table *table, pid_t tid);

#endif
