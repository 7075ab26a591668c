#include "task_table.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "argarea.h"

enum { INITIAL_CAPACITY = 64 };

static size_t slot_of(const struct fg_task_table *table, pid_t tid)
{
	/* Fibonacci hashing spreads consecutive TIDs over the table. */
	uint64_t h = (uint64_t)(uint32_t)tid * 11400714819323198485ull;
	return (size_t)(h >> 32) & (table->capacity - 1);
}

void fg_task_table_init(struct fg_task_table *table)
{
	memset(table, 0, sizeof(*table));
}

void fg_task_set_area(struct fg_task *task, struct fg_argarea *area)
{
	if (task->area != NULL) {
		fg_argarea_release_small(task->area, task->small_slot);
		fg_argarea_release_large(task->area, task->large_slot);
		fg_argarea_unref(task->area);
	}
	task->small_slot = -1;
	task->large_slot = -1;
	task->area = area;
	if (area != NULL)
		fg_argarea_ref(area);
}

/* What a task entry owns. */
static void release_task(struct fg_task *task)
{
	free(task->checked_exe);
	task->checked_exe = NULL;
	free(task->checked_args);
	task->checked_args = NULL;
	if (task->has_pending_connect)
		close(task->pending_connect_sock);
	task->has_pending_connect = false;
	if (task->root_fd >= 0)
		close(task->root_fd);
	task->root_fd = -1;
	fg_task_set_area(task, NULL);
}

void fg_task_table_free(struct fg_task_table *table)
{
	for (size_t i = 0; i < table->capacity; i++) {
		if (table->slots[i].tid != 0)
			release_task(&table->slots[i]);
	}
	free(table->slots);
	memset(table, 0, sizeof(*table));
}

struct fg_task *fg_task_find(struct fg_task_table *table, pid_t tid)
{
	if (table->capacity == 0 || tid <= 0)
		return NULL;
	for (size_t i = slot_of(table, tid);; i = (i + 1) & (table->capacity - 1)) {
		if (table->slots[i].tid == tid)
			return &table->slots[i];
		if (table->slots[i].tid == 0)
			return NULL;
	}
}

static int grow(struct fg_task_table *table)
{
	size_t capacity = table->capacity ? table->capacity * 2 : INITIAL_CAPACITY;
	struct fg_task *old = table->slots;
	size_t old_capacity = table->capacity;
	table->slots = calloc(capacity, sizeof(*table->slots));
	if (table->slots == NULL) {
		table->slots = old;
		return -1;
	}
	table->capacity = capacity;
	for (size_t i = 0; i < old_capacity; i++) {
		if (old[i].tid == 0)
			continue;
		size_t j = slot_of(table, old[i].tid);
		while (table->slots[j].tid != 0)
			j = (j + 1) & (capacity - 1);
		table->slots[j] = old[i];
	}
	free(old);
	return 0;
}

struct fg_task *fg_task_add(struct fg_task_table *table, pid_t tid)
{
	if (tid <= 0)
		return NULL;
	struct fg_task *task = fg_task_find(table, tid);
	if (task != NULL)
		return task;
	/* Keep the load factor under 1/2 so probes stay short. */
	if ((table->count + 1) * 2 > table->capacity && grow(table) < 0)
		return NULL;
	size_t i = slot_of(table, tid);
	while (table->slots[i].tid != 0)
		i = (i + 1) & (table->capacity - 1);
	table->slots[i] =
	    (struct fg_task){ .tid = tid, .small_slot = -1, .large_slot = -1, .root_fd = -1 };
	table->count++;
	return &table->slots[i];
}

bool fg_task_remove(struct fg_task_table *table, pid_t tid)
{
	struct fg_task *task = fg_task_find(table, tid);
	if (task == NULL)
		return false;
	size_t mask = table->capacity - 1;
	size_t hole = (size_t)(task - table->slots);
	release_task(task);
	table->slots[hole] = (struct fg_task){ .tid = 0 };
	table->count--;
	/* Backward-shift deletion: move later members of the probe run into the
	 * hole so that lookups never stop early at it. */
	for (size_t i = (hole + 1) & mask; table->slots[i].tid != 0; i = (i + 1) & mask) {
		size_t home = slot_of(table, table->slots[i].tid);
		/* Move entry i to the hole unless its home lies cyclically in (hole, i]. */
		bool home_after_hole =
		    (i > hole) ? (home > hole && home <= i) : (home > hole || home <= i);
		if (!home_after_hole) {
			table->slots[hole] = table->slots[i];
			table->slots[i] = (struct fg_task){ .tid = 0 };
			hole = i;
		}
	}
	return true;
}
