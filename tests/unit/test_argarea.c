/* Unit tests for lib/argarea.c: slots, the address range, and the seals
 * that keep a program's mapping of the area read-only. The end-to-end
 * proof (a program under fhirguard cannot make it writable) is the attack
 * suite's argarea-* cases. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "argarea.h"

static struct fg_argarea *new_area(void)
{
	int fd = memfd_create("test-args", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	ck_assert_int_ge(fd, 0);
	struct fg_error err = { .msg = "" };
	struct fg_argarea *area = fg_argarea_create(fd, &err);
	ck_assert_msg(area != NULL, "%s", err.msg);
	return area;
}

START_TEST(layout_fits_the_range)
{
	ck_assert_int_le(FG_ARGAREA_LARGE_SLOTS * FG_ARGAREA_LARGE_SLOT +
			     FG_ARGAREA_SMALL_SLOTS * FG_ARGAREA_SMALL_SLOT,
			 FG_ARGAREA_SIZE);
	ck_assert_int_ge(FG_ARGAREA_SMALL_SLOTS, 4096); /* one per task of a big JVM */
	uint64_t last = fg_argarea_tracee_address(false, FG_ARGAREA_SMALL_SLOTS - 1);
	ck_assert_uint_le(last + FG_ARGAREA_SMALL_SLOT, FG_ARGAREA_END);
	ck_assert_uint_eq(fg_argarea_tracee_address(true, 0), FG_ARGAREA_START);
}
END_TEST

START_TEST(small_slots_are_unique_and_reused)
{
	struct fg_argarea *area = new_area();
	int first = fg_argarea_take_small(area);
	int second = fg_argarea_take_small(area);
	ck_assert_int_ge(first, 0);
	ck_assert_int_ne(first, second);
	fg_argarea_release_small(area, first);
	ck_assert_int_eq(fg_argarea_take_small(area), first);
	int taken = 2;
	while (fg_argarea_take_small(area) >= 0)
		taken++;
	ck_assert_int_eq(taken, FG_ARGAREA_SMALL_SLOTS);
	fg_argarea_release_small(area, 1000);
	ck_assert_int_eq(fg_argarea_take_small(area), 1000);
	fg_argarea_unref(area);
}
END_TEST

START_TEST(large_slots_run_out_cleanly)
{
	struct fg_argarea *area = new_area();
	for (int i = 0; i < FG_ARGAREA_LARGE_SLOTS; i++)
		ck_assert_int_eq(fg_argarea_take_large(area, 100 + i), i);
	ck_assert_int_eq(fg_argarea_take_large(area, 999), -1);
	fg_argarea_release_large(area, 7);
	ck_assert_int_eq(fg_argarea_take_large(area, 999), 7);
	fg_argarea_unref(area);
}
END_TEST

START_TEST(overlap_is_exact)
{
	ck_assert(!fg_argarea_overlaps(0, FG_ARGAREA_START));
	ck_assert(fg_argarea_overlaps(0, FG_ARGAREA_START + 1));
	ck_assert(fg_argarea_overlaps(FG_ARGAREA_START, 0));
	ck_assert(fg_argarea_overlaps(FG_ARGAREA_END - 4096, 4096));
	ck_assert(!fg_argarea_overlaps(FG_ARGAREA_END, 4096));
	ck_assert(fg_argarea_overlaps(0x1000, UINT64_MAX)); /* wraps */
	ck_assert(!fg_argarea_overlaps(0x7f0000000000ULL, 1 << 20));
}
END_TEST

/* What the program gets: its own descriptor of the memfd (it created it),
 * sealed by the supervisor. It can map it only read-only, never make that
 * mapping writable, never write(2) to it; the supervisor's mapping writes. */
START_TEST(seals_keep_the_program_out)
{
	int fd = memfd_create("test-args", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	ck_assert_int_ge(fd, 0);
	int programs_fd = dup(fd);
	struct fg_error err = { .msg = "" };
	struct fg_argarea *area = fg_argarea_create(fd, &err);
	ck_assert_msg(area != NULL, "%s", err.msg);

	ck_assert_int_eq(write(programs_fd, "x", 1), -1);
	ck_assert_int_eq(errno, EPERM);
	ck_assert(mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, programs_fd, 0) ==
		  MAP_FAILED);
	unsigned char *view = mmap(NULL, 4096, PROT_READ, MAP_SHARED, programs_fd, 0);
	ck_assert(view != MAP_FAILED);
	ck_assert_int_eq(mprotect(view, 4096, PROT_READ | PROT_WRITE), -1);
	ck_assert_int_eq(ftruncate(programs_fd, 0), -1);
	ck_assert_int_eq(fcntl(programs_fd, F_ADD_SEALS, 0), -1); /* F_SEAL_SEAL */

	unsigned char *slot = fg_argarea_slot(area, true, 0);
	memcpy(slot, "/checked/path", 14);
	ck_assert_str_eq((const char *)view, "/checked/path");
	munmap(view, 4096);
	close(programs_fd);
	fg_argarea_unref(area);
}
END_TEST

static Suite *argarea_suite(void)
{
	Suite *s = suite_create("argarea");
	TCase *tc = tcase_create("slots");
	tcase_add_test(tc, layout_fits_the_range);
	tcase_add_test(tc, small_slots_are_unique_and_reused);
	tcase_add_test(tc, large_slots_run_out_cleanly);
	tcase_add_test(tc, overlap_is_exact);
	suite_add_tcase(s, tc);
	tc = tcase_create("seals");
	tcase_add_test(tc, seals_keep_the_program_out);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(argarea_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
