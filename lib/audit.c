#include "audit.h"

#include <errno.h>
#include <linux/audit.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "decode.h"
#include "errno_names.h"
#include "procfs.h"
#include "syscall_names.h"

enum { QUEUE_LIMIT = 8 * 1024 * 1024 };

/* Standard error is shared with the supervised program. Making it
 * non-blocking would change the program's own writes, so a pipe or terminal
 * is reopened through /proc to get a file description of our own. */
static int open_stderr(struct fg_audit *a)
{
	struct stat st;
	if (fstat(STDERR_FILENO, &st) < 0)
		return -1;
	if (S_ISREG(st.st_mode)) {
		/* Writes to a regular file do not block on a reader. */
		return fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
	}
	int fd = open("/proc/self/fd/2", O_WRONLY | O_APPEND | O_NONBLOCK | O_CLOEXEC);
	if (fd >= 0)
		return fd;
	/* A socket cannot be reopened: keep it, and poll before each write. */
	a->use_poll = true;
	return fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
}

int fg_audit_open(struct fg_audit *a, const char *path, enum fg_log_format format,
		  struct fg_error *err)
{
	memset(a, 0, sizeof(*a));
	a->queue_limit = QUEUE_LIMIT;
	fg_json_buf_init(&a->line);
	fg_json_buf_init(&a->scratch);
	a->format = format;
	if (format == FG_LOG_AUDITEVENT)
		fg_auditevent_origin_init(&a->origin);
	if (path == NULL) {
		a->name = "stderr";
		a->fd = open_stderr(a);
		if (a->fd < 0)
			return fg_error_set(err, "cannot use standard error for the audit log: %s",
					    strerror(errno));
		return 0;
	}
	a->name = path;
	/* Opened blocking (a FIFO waits for its reader here, before the program
	 * starts), then switched to non-blocking for the run. */
	a->fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
	if (a->fd < 0)
		return fg_error_set(err, "%s: cannot open the audit log: %s", path,
				    strerror(errno));
	int flags = fcntl(a->fd, F_GETFL);
	if (flags < 0 || fcntl(a->fd, F_SETFL, flags | O_NONBLOCK) < 0)
		a->use_poll = true;
	return 0;
}

static void report(const char *message)
{
	/* Best effort: stderr is where the operator looks. */
	ssize_t ignored = write(STDERR_FILENO, message, strlen(message));
	(void)ignored;
}

static uint64_t queued_lines(const struct fg_audit *a)
{
	uint64_t lines = 0;
	for (size_t i = 0; i < a->queued; i++)
		lines += a->queue[i] == '\n';
	return lines;
}

static bool writable_now(const struct fg_audit *a)
{
	if (!a->use_poll)
		return true;
	struct pollfd p = { .fd = a->fd, .events = POLLOUT };
	return poll(&p, 1, 0) == 1 && (p.revents & POLLOUT);
}

bool fg_audit_flush(struct fg_audit *a)
{
	while (a->queued > 0 && a->fd >= 0) {
		if (!writable_now(a))
			return true;
		size_t chunk = a->queued;
		/* Without O_NONBLOCK only a write of PIPE_BUF or less is sure
		 * not to block once poll said the pipe has room. */
		if (a->use_poll && chunk > 4096)
			chunk = 4096;
		ssize_t n = write(a->fd, a->queue, chunk);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				return true;
			if (!a->write_error_reported) {
				char message[512];
				snprintf(message, sizeof(message),
					 "fhirguard: cannot write the audit log (%s): %s; "
					 "decisions are still enforced, but their lines are lost\n",
					 a->name, strerror(errno));
				report(message);
				a->write_error_reported = true;
			}
			a->dropped_total += queued_lines(a);
			a->queued = 0;
			return false;
		}
		memmove(a->queue, a->queue + n, a->queued - (size_t)n);
		a->queued -= (size_t)n;
	}
	return a->queued > 0;
}

static void enqueue(struct fg_audit *a, const char *text, size_t len)
{
	if (a->queued + len > a->queue_limit) {
		a->dropped++;
		a->dropped_total++;
		return;
	}
	if (a->queue == NULL) {
		a->queue = malloc(a->queue_limit);
		if (a->queue == NULL) {
			a->dropped++;
			a->dropped_total++;
			return;
		}
	}
	memcpy(a->queue + a->queued, text, len);
	a->queued += len;
}

void fg_audit_timestamp(char *buf, size_t size)
{
	struct timespec ts;
	struct tm tm;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	char date[32];
	strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf, size, "%s.%06ldZ", date, ts.tv_nsec / 1000);
}

/* Starts a line with the fields every line has. */
static void begin_line(struct fg_audit *a, const char *type)
{
	char now[64];
	fg_audit_timestamp(now, sizeof(now));
	fg_json_buf_reset(&a->line);
	fg_json_begin_object(&a->line);
	fg_json_key(&a->line, "time");
	fg_json_string(&a->line, now);
	fg_json_key(&a->line, "seq");
	fg_json_uint(&a->line, ++a->seq);
	fg_json_key(&a->line, "type");
	fg_json_string(&a->line, type);
}

/* The "lost" line, in the log's format, into a->scratch. */
static void lost_note(struct fg_audit *a)
{
	char now[64];
	fg_audit_timestamp(now, sizeof(now));
	fg_json_buf_reset(&a->scratch);
	if (a->format == FG_LOG_AUDITEVENT) {
		struct fg_auditevent_line line = { &a->origin, now, ++a->seq };
		fg_auditevent_lost(&a->scratch, &line, a->dropped);
		fg_json_raw(&a->scratch, "\n", 1);
		return;
	}
	char note[256];
	int n = snprintf(note, sizeof(note),
			 "{\"time\":\"%s\",\"seq\":%llu,\"type\":\"lost\",\"lines\":%llu}\n", now,
			 (unsigned long long)++a->seq, (unsigned long long)a->dropped);
	fg_json_raw(&a->scratch, note, (size_t)n);
}

/* Queues a->line, a complete value, as one line. */
static void finish_line(struct fg_audit *a)
{
	fg_json_raw(&a->line, "\n", 1);
	if (a->dropped > 0) {
		/* Say that lines were lost before anything else is written. */
		lost_note(a);
		if (!a->scratch.failed && a->queued + a->scratch.len <= a->queue_limit) {
			char message[160];
			snprintf(message, sizeof(message),
				 "fhirguard: the audit log (%s) was not read fast enough; %llu "
				 "lines were lost\n",
				 a->name, (unsigned long long)a->dropped);
			report(message);
			a->dropped = 0;
			enqueue(a, a->scratch.data, a->scratch.len);
		}
	}
	if (a->line.failed) {
		a->dropped++;
		a->dropped_total++;
	} else {
		enqueue(a, a->line.data, a->line.len);
	}
	fg_audit_flush(a);
}

static void end_line(struct fg_audit *a)
{
	fg_json_end_object(&a->line);
	finish_line(a);
}

/* The time and number of a new AuditEvent line; now must outlive it. */
static struct fg_auditevent_line next_event(struct fg_audit *a, char *now, size_t size)
{
	fg_audit_timestamp(now, size);
	fg_json_buf_reset(&a->line);
	struct fg_auditevent_line line = { .origin = &a->origin, .recorded = now, .seq = ++a->seq };
	return line;
}

static const char *arch_name(uint32_t arch)
{
	switch (arch) {
	case 0xc000003e:
		return "x86_64";
	case 0x40000003:
		return "i386";
	case 0xc00000b7:
		return "aarch64";
	default:
		return "unknown";
	}
}

/* "target": what the argument check resolved and asked the policy about. */
static void write_target(struct fg_json_buf *b, const struct fg_inspection *insp)
{
	fg_json_key(b, "target");
	fg_json_begin_object(b);
	fg_json_key(b, "kind");
	fg_json_string(b, insp->kind);
	if (insp->operation != NULL) {
		fg_json_key(b, "operation");
		fg_json_string(b, insp->operation);
	}
	if (insp->protocol != NULL) {
		fg_json_key(b, "protocol");
		fg_json_string(b, insp->protocol);
	}
	bool network = insp->operation != NULL;
	if (insp->object[0] != '\0') {
		fg_json_key(b, network ? "address" : "path");
		fg_json_string(b, insp->object);
	}
	if (insp->object2[0] != '\0') {
		fg_json_key(b, strcmp(insp->kind, "exec") == 0 ? "interpreter" : "path2");
		fg_json_string(b, insp->object2);
	}
	if (insp->rights != 0) {
		char rights[128];
		fg_rights_text(insp->rights, rights, sizeof(rights));
		fg_json_key(b, "rights");
		fg_json_string(b, rights);
	}
	fg_json_end_object(b);
}

static void decision_as_auditevent(struct fg_audit *a, const struct fg_audit_decision *d,
				   const char *comm, const char *exe, const char *name)
{
	fg_json_buf_reset(&a->scratch);
	fg_decode_args(d->event, &a->scratch);
	struct fg_auditevent_task task = {
		.comm = comm,
		.exe = exe,
		.syscall = name,
		.arch = arch_name(d->event->arch),
		.args = a->scratch.failed ? NULL : a->scratch.data,
	};
	char now[64];
	struct fg_auditevent_line line = next_event(a, now, sizeof(now));
	fg_auditevent_decision(&a->line, &line, d, &task);
	finish_line(a);
}

void fg_audit_decision(struct fg_audit *a, const struct fg_audit_decision *d)
{
	const struct fg_syscall_event *ev = d->event;
	char comm[64];
	char exe[4096];
	char name[64];
	fg_proc_comm(ev->tid, comm, sizeof(comm));
	fg_proc_exe(ev->pid, exe, sizeof(exe));
	if (ev->arch == AUDIT_ARCH_X86_64 && (ev->nr & 0x40000000) == 0)
		fg_syscall_name(ev->nr, name, sizeof(name));
	else /* another ABI: the x86_64 names would mislead */
		snprintf(name, sizeof(name), "%s_%ld",
			 ev->arch == AUDIT_ARCH_X86_64 ? "x32" : arch_name(ev->arch),
			 ev->nr & ~0x40000000L);
	if (a->format == FG_LOG_AUDITEVENT) {
		decision_as_auditevent(a, d, comm, exe, name);
		return;
	}

	begin_line(a, "syscall");
	struct fg_json_buf *b = &a->line;
	fg_json_key(b, "mode");
	fg_json_string(b, fg_mode_name(d->mode));
	fg_json_key(b, "pid");
	fg_json_int(b, ev->pid);
	fg_json_key(b, "tid");
	fg_json_int(b, ev->tid);
	fg_json_key(b, "comm");
	fg_json_string(b, comm);
	fg_json_key(b, "exe");
	fg_json_string(b, exe);
	fg_json_key(b, "syscall");
	fg_json_string(b, name);
	fg_json_key(b, "nr");
	fg_json_int(b, ev->nr);
	fg_json_key(b, "arch");
	fg_json_string(b, arch_name(ev->arch));
	fg_json_key(b, "args");
	fg_decode_args(ev, b);
	fg_json_key(b, "verdict");
	fg_json_string(b, fg_action_name(d->verdict));
	fg_json_key(b, "action");
	fg_json_string(b, fg_action_name(d->action));
	if (d->verdict == FG_ACTION_DENY) {
		const char *errno_name = fg_errno_name(d->deny_errno);
		fg_json_key(b, "errno");
		if (errno_name != NULL)
			fg_json_string(b, errno_name);
		else
			fg_json_int(b, d->deny_errno);
	}
	if (d->inspection != NULL)
		write_target(b, d->inspection);
	fg_json_key(b, "rule");
	fg_json_string(b, d->rule);
	if (d->reason != NULL) {
		fg_json_key(b, "reason");
		fg_json_string(b, d->reason);
	}
	end_line(a);
}

void fg_audit_start(struct fg_audit *a, const struct fg_policy *policy, enum fg_mode mode,
		    char *const argv[], const char *version, const char *landlock,
		    int supervisor_nice)
{
	if (a->format == FG_LOG_AUDITEVENT) {
		char now[64];
		struct fg_auditevent_line line = next_event(a, now, sizeof(now));
		fg_auditevent_start(&a->line, &line, policy->source, mode, argv, version);
		finish_line(a);
		return;
	}
	begin_line(a, "start");
	struct fg_json_buf *b = &a->line;
	fg_json_key(b, "version");
	fg_json_string(b, version);
	fg_json_key(b, "pid");
	fg_json_int(b, getpid());
	fg_json_key(b, "mode");
	fg_json_string(b, fg_mode_name(mode));
	fg_json_key(b, "policy");
	fg_json_string(b, policy->source);
	fg_json_key(b, "command");
	fg_json_begin_array(b);
	for (size_t i = 0; argv[i] != NULL; i++)
		fg_json_string(b, argv[i]);
	fg_json_end_array(b);
	fg_json_key(b, "landlock");
	fg_json_string(b, landlock);
	fg_json_key(b, "supervisor_nice");
	fg_json_int(b, supervisor_nice);
	end_line(a);
}

void fg_audit_exit(struct fg_audit *a, int wait_status, int exit_code,
		   const struct fg_audit_counts *counts)
{
	if (a->format == FG_LOG_AUDITEVENT) {
		char now[64];
		struct fg_auditevent_line line = next_event(a, now, sizeof(now));
		fg_auditevent_exit(&a->line, &line, wait_status, exit_code);
		finish_line(a);
		return;
	}
	begin_line(a, "exit");
	struct fg_json_buf *b = &a->line;
	if (WIFSIGNALED(wait_status)) {
		fg_json_key(b, "signal");
		fg_json_int(b, WTERMSIG(wait_status));
	} else {
		fg_json_key(b, "status");
		fg_json_int(b, WEXITSTATUS(wait_status));
	}
	fg_json_key(b, "exit_code");
	fg_json_int(b, exit_code);
	if (counts != NULL) {
		fg_json_key(b, "stops");
		fg_json_begin_object(b);
		fg_json_key(b, "seccomp");
		fg_json_int(b, (long long)counts->seccomp_stops);
		fg_json_key(b, "signal");
		fg_json_int(b, (long long)counts->signal_stops);
		fg_json_key(b, "group");
		fg_json_int(b, (long long)counts->group_stops);
		fg_json_key(b, "event");
		fg_json_int(b, (long long)counts->event_stops);
		fg_json_key(b, "exit");
		fg_json_int(b, (long long)counts->exit_stops);
		fg_json_end_object(b);
		fg_json_key(b, "refused");
		fg_json_int(b, (long long)counts->denied);
		fg_json_key(b, "killed");
		fg_json_int(b, (long long)counts->killed);
	}
	end_line(a);
}

void fg_audit_close(struct fg_audit *a, int timeout_ms)
{
	struct timespec start, now;
	clock_gettime(CLOCK_MONOTONIC, &start);
	while (fg_audit_flush(a)) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		long waited =
		    (now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000;
		if (waited >= timeout_ms)
			break;
		struct pollfd p = { .fd = a->fd, .events = POLLOUT };
		poll(&p, 1, (int)(timeout_ms - waited));
	}
	uint64_t lost = a->dropped_total + queued_lines(a);
	if (lost > 0) {
		char message[256];
		snprintf(message, sizeof(message),
			 "fhirguard: %llu audit lines could not be written to %s\n",
			 (unsigned long long)lost, a->name);
		report(message);
	}
	if (a->fd >= 0)
		close(a->fd);
	a->fd = -1;
	free(a->queue);
	a->queue = NULL;
	fg_json_buf_free(&a->line);
	fg_json_buf_free(&a->scratch);
}
