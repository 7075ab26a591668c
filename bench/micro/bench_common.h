/* bench_common.h - timing and argument helpers shared by the micro benchmarks.
 *
 * Every benchmark prints one line of key=value pairs on standard output, which
 * bench/lib reads: at least ns_per_op (the time of the measured loop divided
 * by the operations in it) and ops. Start-up (exec, dynamic loading, policy
 * loading under a supervisor) is outside the measured loop.
 */
#ifndef BENCH_COMMON_H
#define BENCH_COMMON_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static inline int64_t bench_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* A positive count from argv, or exit 2 with a message naming it. */
static inline long bench_count(const char *text, const char *what)
{
	char *end = NULL;
	errno = 0;
	long value = strtol(text, &end, 10);
	if (errno != 0 || end == text || *end != '\0' || value <= 0) {
		fprintf(stderr, "%s must be a positive integer, not '%s'\n", what, text);
		exit(2);
	}
	return value;
}

static inline void bench_fail(const char *what)
{
	fprintf(stderr, "%s: %s\n", what, strerror(errno));
	exit(1);
}

static inline void bench_report(long ops, int64_t elapsed_ns)
{
	printf("ns_per_op=%.2f ops=%ld elapsed_ns=%lld\n", (double)elapsed_ns / (double)ops, ops,
	       (long long)elapsed_ns);
	fflush(stdout);
}

/* The tight loops (getppid, clone3, mmap) run in BENCH_BATCHES batches and
 * report the median batch: a preemption or a hypervisor hiccup of a few
 * milliseconds then spoils one batch instead of moving the whole figure.
 * ns_per_op is the median batch's; mean_ns_per_op is the whole loop's. */
#define BENCH_BATCHES 21

static int bench_compare_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

static inline void bench_report_batches(long ops_per_batch, int64_t *elapsed_ns, int batches)
{
	int64_t total = 0;
	for (int i = 0; i < batches; i++)
		total += elapsed_ns[i];
	qsort(elapsed_ns, (size_t)batches, sizeof(elapsed_ns[0]), bench_compare_i64);
	long ops = ops_per_batch * batches;
	printf("ns_per_op=%.2f mean_ns_per_op=%.2f ops=%ld elapsed_ns=%lld batches=%d\n",
	       (double)elapsed_ns[batches / 2] / (double)ops_per_batch, (double)total / (double)ops,
	       ops, (long long)total, batches);
	fflush(stdout);
}

#endif
