#include "argarea.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef F_SEAL_FUTURE_WRITE
#define F_SEAL_FUTURE_WRITE 0x0010 /* Linux 5.1 */
#endif

/* Large slots come first, then the small ones. */
static size_t slot_offset(bool large, int slot)
{
	if (large)
		return (size_t)slot * FG_ARGAREA_LARGE_SLOT;
	return (size_t)FG_ARGAREA_LARGE_SLOTS * FG_ARGAREA_LARGE_SLOT +
	       (size_t)slot * FG_ARGAREA_SMALL_SLOT;
}

struct fg_argarea *fg_argarea_create(int memfd, struct fg_error *err)
{
	struct stat st;
	if (ftruncate(memfd, FG_ARGAREA_SIZE) < 0 || fstat(memfd, &st) < 0) {
		fg_error_set(err, "cannot size the argument area: %s", strerror(errno));
		close(memfd);
		return NULL;
	}
	unsigned char *map =
	    mmap(NULL, FG_ARGAREA_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, memfd, 0);
	if (map == MAP_FAILED) {
		fg_error_set(err, "cannot map the argument area: %s", strerror(errno));
		close(memfd);
		return NULL;
	}
	/* From here on only this mapping writes: no write(2), no new writable
	 * mapping, no size change, no removal of the seals. */
	if (fcntl(memfd, F_ADD_SEALS,
		  F_SEAL_FUTURE_WRITE | F_SEAL_GROW | F_SEAL_SHRINK | F_SEAL_SEAL) < 0) {
		fg_error_set(err, "cannot seal the argument area: %s", strerror(errno));
		munmap(map, FG_ARGAREA_SIZE);
		close(memfd);
		return NULL;
	}
	struct fg_argarea *area = calloc(1, sizeof(*area));
	if (area == NULL) {
		fg_error_set(err, "out of memory");
		munmap(map, FG_ARGAREA_SIZE);
		close(memfd);
		return NULL;
	}
	area->memfd = memfd;
	area->map = map;
	area->inode = (unsigned long)st.st_ino;
	area->refs = 1;
	return area;
}

void fg_argarea_ref(struct fg_argarea *area)
{
	area->refs++;
}

void fg_argarea_unref(struct fg_argarea *area)
{
	if (area == NULL || --area->refs > 0)
		return;
	munmap(area->map, FG_ARGAREA_SIZE);
	close(area->memfd);
	free(area);
}

int fg_argarea_take_small(struct fg_argarea *area)
{
	for (int i = 0; i < FG_ARGAREA_SMALL_SLOTS; i++) {
		if (i % 8 == 0 && area->small_used[i / 8] == 0xff) {
			i += 7; /* a full byte: the next eight */
			continue;
		}
		uint8_t bit = (uint8_t)(1u << (i % 8));
		if ((area->small_used[i / 8] & bit) == 0) {
			area->small_used[i / 8] |= bit;
			return i;
		}
	}
	return -1;
}

void fg_argarea_release_small(struct fg_argarea *area, int slot)
{
	if (slot >= 0 && slot < FG_ARGAREA_SMALL_SLOTS)
		area->small_used[slot / 8] &= (uint8_t) ~(1u << (slot % 8));
}

int fg_argarea_take_large(struct fg_argarea *area, pid_t tid)
{
	for (int i = 0; i < FG_ARGAREA_LARGE_SLOTS; i++) {
		if (area->large_holder[i] == 0) {
			area->large_holder[i] = tid;
			return i;
		}
	}
	return -1;
}

void fg_argarea_release_large(struct fg_argarea *area, int slot)
{
	if (slot >= 0 && slot < FG_ARGAREA_LARGE_SLOTS)
		area->large_holder[slot] = 0;
}

unsigned char *fg_argarea_slot(struct fg_argarea *area, bool large, int slot)
{
	return area->map + slot_offset(large, slot);
}

uint64_t fg_argarea_tracee_address(bool large, int slot)
{
	return FG_ARGAREA_START + slot_offset(large, slot);
}

bool fg_argarea_overlaps(uint64_t addr, uint64_t len)
{
	uint64_t end = addr + (len == 0 ? 1 : len);
	if (end < addr) /* wraps: reaches the top of the address space */
		end = UINT64_MAX;
	return addr < FG_ARGAREA_END && end > FG_ARGAREA_START;
}
