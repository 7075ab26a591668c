#include "tracer.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/audit.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#include "argarea.h"
#include "decide.h"
#include "filter.h"
#include "inject.h"
#include "inspect.h"
#include "netproxy.h"
#include "procfs.h"
#include "syscall_event.h"

enum {
	TRACE_OPTIONS = PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK |
			PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXEC | PTRACE_O_TRACESECCOMP |
			PTRACE_O_EXITKILL,
};

void fg_tracer_init(struct fg_tracer *t, const struct fg_policy *policy, enum fg_mode mode,
		    bool log_allowed, struct fg_audit *audit)
{
	memset(t, 0, sizeof(*t));
	t->policy = policy;
	t->mode = mode;
	t->log_allowed = log_allowed;
	t->audit = audit;
	fg_task_table_init(&t->tasks);
	if (policy->pin_arguments)
		t->vdso_syscall_offset = fg_inject_find_vdso_syscall();
	/* In audit mode (and learn mode) refused calls run: roots can change. */
	t->cache_roots = mode == FG_MODE_ENFORCE;
	static const long root_changers[] = { SYS_chroot, SYS_pivot_root, SYS_unshare, SYS_setns };
	for (size_t i = 0; i < sizeof(root_changers) / sizeof(root_changers[0]); i++) {
		enum fg_action action = fg_policy_syscall_rule(policy, root_changers[i])->action;
		if (action == FG_ACTION_ALLOW || action == FG_ACTION_TRACE)
			t->cache_roots = false;
	}
}

void fg_tracer_free(struct fg_tracer *t)
{
	fg_task_table_free(&t->tasks);
	fg_inspection_free(&t->inspection);
	free(t->path_queue);
	t->path_queue = NULL;
}

int fg_tracer_seize(struct fg_tracer *t, pid_t pid, struct fg_error *err)
{
	if (ptrace(PTRACE_SEIZE, pid, NULL, (void *)(long)TRACE_OPTIONS) < 0) {
		int saved = errno;
		/* ENOSYS: ptrace exists on every x86_64 kernel, so a seccomp
		 * profile that answers unknown calls with ENOSYS refused it. */
		if (saved == EPERM || saved == ENOSYS)
			return fg_error_set(
			    err,
			    "cannot trace the program (ptrace: %s): the container runtime forbids "
			    "ptrace; allow the ptrace syscall in its seccomp profile (or run with "
			    "CAP_SYS_PTRACE) and check that kernel.yama.ptrace_scope is below 3",
			    strerror(saved));
		return fg_error_set(err, "cannot trace the program (ptrace: %s)", strerror(saved));
	}
	struct fg_task *task = fg_task_add(&t->tasks, pid);
	if (task == NULL)
		return fg_error_set(err, "out of memory");
	task->tgid = pid;
	if (t->main_pid == 0)
		t->main_pid = pid;
	return 0;
}

static pid_t task_tgid(struct fg_task *task)
{
	if (task->tgid <= 0)
		task->tgid = fg_proc_tgid(task->tid);
	return task->tgid > 0 ? task->tgid : task->tid;
}

/* Resumes a task; a task that died meanwhile (ESRCH) needs nothing more. */
static void resume(pid_t tid, int sig)
{
	ptrace(PTRACE_CONT, tid, NULL, (void *)(long)sig);
}

/* The last resort when a decision cannot be applied: the process must not
 * run on with a call it was refused. */
static void kill_process(struct fg_task *task)
{
	kill(task_tgid(task), SIGKILL);
}

static int poke_user(pid_t tid, size_t offset, long value)
{
	return (int)ptrace(PTRACE_POKEUSER, tid, (void *)offset, (void *)value);
}

/* Skips the stopped syscall; the program sees `retval` (0, a count or
 * -errno) as its result. */
static void apply_result(struct fg_task *task, long retval)
{
	if (poke_user(task->tid, offsetof(struct user_regs_struct, orig_rax), -1) < 0 ||
	    poke_user(task->tid, offsetof(struct user_regs_struct, rax), retval) < 0) {
		if (errno != ESRCH)
			kill_process(task);
		return;
	}
	resume(task->tid, 0);
}

/* Stack bytes left alone below the stopped task's stack pointer: the x86_64
 * red zone (128) and some margin. */
enum { BELOW_STACK_POINTER = 256 };

/* A blocking connect the supervisor started: the task waits for it in
 * poll(2) on its own socket instead of re-running connect, which would read
 * the address again and could, after another thread swapped the descriptor
 * for a fresh socket, connect that one unchecked. The pollfd goes below the
 * task's stack pointer; another thread rewriting it can only end the wait
 * early. The syscall-exit stop (handle_syscall_exit_stop) gives connect's
 * result and restores the argument registers, which the program may expect
 * unchanged after a syscall. Returns -1 when the task cannot be set up. */
static int wait_in_poll(struct fg_task *task, int fd, int sock)
{
	struct user_regs_struct regs;
	if (ptrace(PTRACE_GETREGS, task->tid, NULL, &regs) < 0)
		return -1;
	unsigned long long slot = (regs.rsp - BELOW_STACK_POINTER) & ~7ULL;
	struct pollfd wait_for = { .fd = fd, .events = POLLOUT };
	long word;
	memcpy(&word, &wait_for, sizeof(word));
	if (ptrace(PTRACE_POKEDATA, task->tid, (void *)slot, (void *)word) < 0)
		return -1;
	const unsigned long long args[6] = { regs.rdi, regs.rsi, regs.rdx,
					     regs.r10, regs.r8,	 regs.r9 };
	memcpy(task->saved_args, args, sizeof(task->saved_args));
	regs.orig_rax = SYS_poll;
	regs.rdi = slot;
	regs.rsi = 1;
	regs.rdx = (unsigned long long)-1; /* no timeout, as a blocking connect */
	if (ptrace(PTRACE_SETREGS, task->tid, NULL, &regs) < 0)
		return -1;
	task->has_pending_connect = true;
	task->pending_connect_sock = sock;
	if (ptrace(PTRACE_SYSCALL, task->tid, NULL, NULL) < 0 && errno != ESRCH)
		kill_process(task);
	return 0;
}

/* Performs an allowed inet connect or bind with the checked address (see
 * lib/netproxy.h); takes the socket duplicate. */
static void apply_proxy(struct fg_task *task, const struct fg_syscall_event *ev,
			struct fg_inspection *insp)
{
	int sock = insp->proxy_sock;
	insp->has_proxy = false;
	struct fg_netproxy_result r;
	fg_netproxy_perform(ev, sock, insp->proxy_addr, insp->proxy_len, &r);
	if (!r.connecting) {
		close(sock);
		apply_result(task, r.retval);
		return;
	}
	if (wait_in_poll(task, (int)ev->args[0], sock) < 0) {
		close(sock);
		/* The connection goes on without the task waiting for it: what
		 * an interrupted blocking connect returns. */
		apply_result(task, -EINTR);
	}
}

static void finish_path_call(struct fg_tracer *t, struct fg_task *task);

/* At a syscall-exit stop: the argument registers back as saved in the task
 * (the program may expect them unchanged: the kernel keeps them across a
 * syscall), and with has_result the call's result in rax. Returns -1 when
 * they cannot be set (the task gone, or killed). */
static int restore_arguments(struct fg_task *task, bool has_result, long result)
{
	struct user_regs_struct regs;
	if (ptrace(PTRACE_GETREGS, task->tid, NULL, &regs) < 0) {
		if (errno != ESRCH)
			kill_process(task);
		return -1;
	}
	if (has_result)
		regs.rax = (unsigned long long)result;
	regs.rdi = task->saved_args[0];
	regs.rsi = task->saved_args[1];
	regs.rdx = task->saved_args[2];
	regs.r10 = task->saved_args[3];
	regs.r8 = task->saved_args[4];
	regs.r9 = task->saved_args[5];
	if (ptrace(PTRACE_SETREGS, task->tid, NULL, &regs) < 0) {
		if (errno != ESRCH)
			kill_process(task);
		return -1;
	}
	return 0;
}

/* A syscall-exit stop: the end of a path call under the path lock, or of
 * the poll(2) a pending connect waits in (connect's result). */
static void handle_syscall_exit_stop(struct fg_tracer *t, struct fg_task *task)
{
	if (task->holds_path_lock) {
		finish_path_call(t, task);
		return;
	}
	if (!task->has_pending_connect) {
		resume(task->tid, 0);
		return;
	}
	int sock = task->pending_connect_sock;
	task->has_pending_connect = false;
	long result = -EINTR; /* still connecting: interrupted, as natively */
	struct pollfd ready = { .fd = sock, .events = POLLOUT };
	if (poll(&ready, 1, 0) == 1) {
		int error = 0;
		socklen_t len = sizeof(error);
		if (getsockopt(sock, SOL_SOCKET, SO_ERROR, &error, &len) < 0)
			error = errno;
		result = error != 0 ? -error : 0;
	}
	close(sock);
	if (restore_arguments(task, true, result) == 0)
		resume(task->tid, 0);
}

/* Turns the stopped syscall into the one the filter always kills. */
static void apply_kill(struct fg_task *task)
{
	if (poke_user(task->tid, offsetof(struct user_regs_struct, orig_rax), FG_KILL_SYSCALL_NR) <
	    0) {
		if (errno != ESRCH)
			kill_process(task);
		return;
	}
	resume(task->tid, 0);
}

/* The executable an allowed execve was checked against, and the arguments
 * when rules looked at them, kept until the exec event shows what really
 * runs. False when out of memory (the exec cannot then be verified). */
static bool remember_exec(struct fg_task *task, const struct fg_inspection *insp)
{
	free(task->checked_exe);
	free(task->checked_args);
	task->checked_args = NULL;
	task->checked_exe = strdup(insp->checked_exe);
	if (insp->exec_args_checked)
		task->checked_args = fg_checked_args_new(&insp->exec_argv, insp->exec_prefix);
	return task->checked_exe != NULL &&
	       (!insp->exec_args_checked || task->checked_args != NULL);
}

static enum fg_action action_of_verdict(enum fg_verdict verdict)
{
	switch (verdict) {
	case FG_VERDICT_ALLOW:
		return FG_ACTION_ALLOW;
	case FG_VERDICT_DENY:
		return FG_ACTION_DENY;
	case FG_VERDICT_KILL:
		return FG_ACTION_KILL;
	case FG_VERDICT_STOP:
		return FG_ACTION_STOP;
	}
	return FG_ACTION_KILL;
}

/* Lets the argument rules decide a call the syscall layer traces. */
static void apply_inspection(struct fg_tracer *t, const struct fg_inspection *insp,
			     struct fg_decision *d)
{
	if (!insp->inspected)
		return;
	if (insp->decision.rule_id != NULL) {
		d->verdict = action_of_verdict(insp->decision.outcome.verdict);
		d->deny_errno = insp->decision.outcome.deny_errno;
		d->rule = insp->decision.rule_id;
	}
	d->reason = insp->failure;
	if (d->verdict == FG_ACTION_ALLOW || (insp->failure != NULL && insp->kernel_equivalent))
		d->log = t->log_allowed;
	else
		d->log = true;
	/* Audit mode relaxes policy verdicts; a failure to read or resolve an
	 * argument is the supervisor's own check and stays. */
	if (t->mode == FG_MODE_AUDIT && insp->failure == NULL)
		d->action = FG_ACTION_ALLOW;
	else
		d->action = d->verdict;
}

/* Learn mode: tell the learner what this call acted on. Only what was
 * resolved is learned; a call that failed closed teaches nothing. */
static void learn_from(struct fg_tracer *t, const struct fg_syscall_event *ev,
		       const struct fg_decision *d, const struct fg_inspection *insp)
{
	struct fg_learner *l = t->learner;
	if (!insp->inspected) {
		if (d->verdict == FG_ACTION_DENY || d->verdict == FG_ACTION_KILL)
			fg_learner_syscall(l, ev->nr);
		return;
	}
	if (insp->failure != NULL)
		return;
	if (strcmp(insp->kind, "file") == 0) {
		if (insp->object_rights != 0)
			fg_learner_file(l, insp->object, insp->object_rights);
		if (insp->object2_rights != 0)
			fg_learner_file(l, insp->object2, insp->object2_rights);
	} else if (strcmp(insp->kind, "exec") == 0) {
		char *program[] = { (char *)insp->object, NULL };
		fg_learner_file(l, insp->object, FG_RIGHT_EXEC);
		fg_learner_exec(l, insp->object, program);
		if (insp->object2[0] != '\0') {
			char *interpreter[] = { (char *)insp->object2, NULL };
			fg_learner_file(l, insp->object2, FG_RIGHT_EXEC);
			fg_learner_exec(l, insp->object2, interpreter);
		}
	} else if (strcmp(insp->kind, "network") == 0) {
		if (insp->has_endpoint)
			fg_learner_net(l, insp->net_operation, insp->net_protocol, &insp->endpoint);
	} else if (strcmp(insp->kind, "socket") == 0) {
		int domain = (int)ev->args[0];
		int type = (int)ev->args[1] & 0xf;
		bool plain = (domain == AF_INET || domain == AF_INET6 || domain == AF_UNIX) &&
			     type != SOCK_RAW;
		if (!plain)
			fg_learner_socket(l, domain, type);
	}
}

/* The argument area of a task's address space: known from the fork,
 * clone or exec that made it, or else (a new task whose parent's event has
 * not been handled yet) found by the inode /proc/TID/maps shows there. */
static struct fg_argarea *task_area(struct fg_tracer *t, struct fg_task *task)
{
	if (task->area != NULL)
		return task->area;
	unsigned long inode = fg_proc_mapping_inode(task->tid, FG_ARGAREA_START, FG_ARGAREA_END);
	for (size_t i = 0; inode != 0 && i < t->tasks.capacity; i++) {
		struct fg_argarea *area = t->tasks.slots[i].area;
		if (t->tasks.slots[i].tid != 0 && area != NULL && area->inode == inode) {
			fg_task_set_area(task, area);
			return area;
		}
	}
	return NULL;
}

static const size_t ARG_REGISTER[6] = {
	offsetof(struct user_regs_struct, rdi), offsetof(struct user_regs_struct, rsi),
	offsetof(struct user_regs_struct, rdx), offsetof(struct user_regs_struct, r10),
	offsetof(struct user_regs_struct, r8),	offsetof(struct user_regs_struct, r9),
};

struct register_change {
	size_t offset; /* in struct user_regs_struct */
	long value;
};

/* Copies the checked pointer arguments into the task's slot of its
 * argument area and points the call's registers at the copies
 * (lib/argarea.h). Returns NULL, or why the call cannot run. */
static const char *place_pins(struct fg_tracer *t, struct fg_task *task,
			      const struct fg_inspection *insp)
{
	if (insp->pin_overflow)
		return "the call's pointer arguments do not fit fhirguard's argument area";
	struct fg_argarea *area = task_area(t, task);
	if (area == NULL)
		return "the process has no argument area to run checked calls from";
	bool large = insp->pin_used > FG_ARGAREA_SMALL_SLOT;
	int slot = -1;
	if (!large) {
		if (task->small_slot < 0)
			task->small_slot = fg_argarea_take_small(area);
		slot = task->small_slot;
		large = slot < 0;
	}
	if (large) {
		if (task->large_slot < 0)
			task->large_slot = fg_argarea_take_large(area, task->tid);
		slot = task->large_slot;
		if (slot < 0)
			return "fhirguard's argument area is full (too many tasks in checked calls "
			       "with long arguments at once)";
	}
	unsigned char *copy = fg_argarea_slot(area, large, slot);
	uint64_t base = fg_argarea_tracee_address(large, slot);
	memcpy(copy, insp->pin_data, insp->pin_used);
	for (unsigned i = 0; i < insp->pin_count; i++) {
		const struct fg_pin *pin = &insp->pins[i];
		if (pin->points_to >= 0) {
			uint64_t target = base + insp->pins[pin->points_to].offset;
			memcpy(copy + pin->offset, &target, sizeof(target));
		}
	}
	/* The register changes: one PTRACE_POKEUSER each when few, else one
	 * GETREGS/SETREGS pair (an open rewritten as openat2 changes five). */
	struct register_change change[2 * FG_MAX_PINS + 2];
	size_t count = 0;
	if (insp->open_as_openat2) {
		change[count++] =
		    (struct register_change){ offsetof(struct user_regs_struct, orig_rax),
					      SYS_openat2 };
		change[count++] = (struct register_change){ ARG_REGISTER[0], AT_FDCWD };
	}
	for (unsigned i = 0; i < insp->pin_count; i++) {
		const struct fg_pin *pin = &insp->pins[i];
		if (pin->arg >= 0 && pin->arg < 6)
			change[count++] = (struct register_change){ ARG_REGISTER[pin->arg],
								    (long)(base + pin->offset) };
		if (pin->size_arg >= 0 && pin->size_arg < 6)
			change[count++] =
			    (struct register_change){ ARG_REGISTER[pin->size_arg], (long)pin->len };
	}
	static const char *const failed =
	    "the supervisor could not point the call at its checked arguments";
	if (count <= 2) {
		for (size_t i = 0; i < count; i++) {
			if (poke_user(task->tid, change[i].offset, change[i].value) < 0)
				return failed;
		}
		return NULL;
	}
	struct user_regs_struct regs;
	if (ptrace(PTRACE_GETREGS, task->tid, NULL, &regs) < 0)
		return failed;
	for (size_t i = 0; i < count; i++)
		memcpy((char *)&regs + change[i].offset, &change[i].value, sizeof(long));
	if (ptrace(PTRACE_SETREGS, task->tid, NULL, &regs) < 0)
		return failed;
	return NULL;
}

/* The path lock. A path call other than open (rename, unlink, chmod, ...)
 * runs with resolved absolute paths, but the kernel still walks them, and a
 * directory on the way could be replaced by a symlink between the check and
 * the walk. Every call that can make that replacement (rename, unlink,
 * rmdir, symlink, link, mkdir, ...) is such a path call; running them one at
 * a time, each from its check to its syscall-exit stop, leaves the tree as
 * it was checked. Opens need no lock: they run as openat2 with
 * RESOLVE_NO_SYMLINKS and cannot make the replacement. A task stopped at a
 * path call while another runs waits in the queue, unresumed, and is checked
 * when its turn comes. */
static void enqueue_path_call(struct fg_tracer *t, pid_t tid)
{
	if (t->path_queue_len == t->path_queue_cap) {
		size_t cap = t->path_queue_cap == 0 ? 16 : 2 * t->path_queue_cap;
		pid_t *grown = realloc(t->path_queue, cap * sizeof(*grown));
		if (grown == NULL) {
			kill(tid, SIGKILL); /* cannot wait its turn: must not run */
			return;
		}
		t->path_queue = grown;
		t->path_queue_cap = cap;
	}
	t->path_queue[t->path_queue_len++] = tid;
}

static void handle_seccomp_stop(struct fg_tracer *t, struct fg_task *task);

static void forget_queued_path_call(struct fg_tracer *t, pid_t tid)
{
	size_t kept = 0;
	for (size_t i = 0; i < t->path_queue_len; i++) {
		if (t->path_queue[i] != tid)
			t->path_queue[kept++] = t->path_queue[i];
	}
	t->path_queue_len = kept;
}

/* Hands the lock on: checks the waiting path calls in order until one of
 * them takes it. */
static void release_path_lock(struct fg_tracer *t)
{
	t->path_lock_holder = 0;
	while (t->path_lock_holder == 0 && t->path_queue_len > 0) {
		pid_t tid = t->path_queue[0];
		memmove(t->path_queue, t->path_queue + 1,
			(t->path_queue_len - 1) * sizeof(*t->path_queue));
		t->path_queue_len--;
		struct fg_task *task = fg_task_find(&t->tasks, tid);
		if (task != NULL)
			handle_seccomp_stop(t, task);
	}
}

/* Resumes a path call that took the lock, to stop again at its exit. */
static void run_under_path_lock(struct fg_tracer *t, struct fg_task *task,
				const struct fg_syscall_event *ev)
{
	memcpy(task->saved_args, ev->args, sizeof(task->saved_args));
	task->holds_path_lock = true;
	t->path_lock_holder = task->tid;
	if (ptrace(PTRACE_SYSCALL, task->tid, NULL, NULL) < 0 && errno != ESRCH)
		kill_process(task);
}

/* The path call is over: its argument registers back as the program set
 * them (the kernel keeps them across a syscall), the lock to the next. */
static void finish_path_call(struct fg_tracer *t, struct fg_task *task)
{
	task->holds_path_lock = false;
	if (restore_arguments(task, false, 0) == 0)
		resume(task->tid, 0);
	if (t->path_lock_holder == task->tid)
		release_path_lock(t);
}

static void handle_seccomp_stop(struct fg_tracer *t, struct fg_task *task)
{
	struct __ptrace_syscall_info info;
	memset(&info, 0, sizeof(info));
	long got = ptrace(PTRACE_GET_SYSCALL_INFO, task->tid, (void *)sizeof(info), &info);
	if (got < 0 && errno == ESRCH)
		return; /* killed while stopped */
	if (got >= 0 && info.op == PTRACE_SYSCALL_INFO_SECCOMP && t->policy->pin_arguments &&
	    t->path_lock_holder != 0 && t->path_lock_holder != task->tid &&
	    fg_inspect_is_path_call((long)info.seccomp.nr)) {
		enqueue_path_call(t, task->tid); /* checked when its turn comes */
		return;
	}
	t->stats.seccomp_stops++;

	struct fg_syscall_event ev = {
		.tid = task->tid,
		.pid = task_tgid(task),
		.arch = info.arch,
		.nr = (long)info.seccomp.nr,
		.ret_data = info.seccomp.ret_data,
	};
	memcpy(ev.args, info.seccomp.args, sizeof(ev.args));
	/* One descriptor per process, kept by its leader's entry: the threads
	 * have the same root (none can change it). */
	struct fg_task *leader = t->cache_roots ? fg_task_find(&t->tasks, ev.pid) : NULL;
	if (leader != NULL) {
		if (leader->root_fd < 0) {
			char root[32];
			snprintf(root, sizeof(root), "/proc/%d/root", (int)task->tid);
			leader->root_fd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
		}
		ev.has_root_fd = leader->root_fd >= 0;
		ev.root_fd = leader->root_fd;
	}

	struct fg_decision d;
	struct fg_inspection *insp = &t->inspection;
	insp->inspected = false;
	if (got < 0 || info.op != PTRACE_SYSCALL_INFO_SECCOMP) {
		/* Never allow what could not be read. */
		d = (struct fg_decision){
			.verdict = FG_ACTION_KILL,
			.action = FG_ACTION_KILL,
			.rule = "supervisor",
			.reason = "the supervisor could not read the syscall",
			.log = true,
		};
	} else {
		fg_decide(t->policy, t->mode, t->log_allowed, &ev, &d);
		if (d.inspect) {
			fg_inspect(t->policy, &ev, insp);
			apply_inspection(t, insp, &d);
		}
		if (t->learner != NULL)
			learn_from(t, &ev, &d, insp);
		if (d.action == FG_ACTION_ALLOW && t->policy->pin_arguments && insp->inspected &&
		    (insp->pin_count > 0 || insp->pin_overflow) && !insp->has_proxy) {
			const char *failure = place_pins(t, task, insp);
			if (failure != NULL) {
				d.verdict = d.action = FG_ACTION_DENY;
				d.deny_errno = EACCES;
				d.rule = "supervisor";
				d.reason = failure;
				d.log = true;
			}
		}
	}
	if (d.log) {
		struct fg_audit_decision record = {
			.event = &ev,
			.mode = t->mode,
			.verdict = d.verdict,
			.action = d.action,
			.deny_errno = d.deny_errno,
			.rule = d.rule,
			.reason = d.reason,
			.inspection = insp->inspected ? insp : NULL,
		};
		fg_audit_decision(t->audit, &record);
	}
	switch (d.action) {
	case FG_ACTION_DENY:
		t->stats.denied++;
		apply_result(task, -d.deny_errno);
		break;
	case FG_ACTION_STOP:
		t->stop_requested = true;
		t->stats.killed++;
		apply_kill(task);
		break;
	case FG_ACTION_KILL:
		t->stats.killed++;
		if (ev.arch != AUDIT_ARCH_X86_64 || (ev.nr & 0x40000000) != 0) {
			/* The kill syscall number means nothing in another ABI
			 * (the filter would trace it again): SIGKILL, which a
			 * stopped task obeys before the call runs. */
			kill_process(task);
			break;
		}
		apply_kill(task);
		break;
	case FG_ACTION_ALLOW:
	case FG_ACTION_TRACE:
		if (insp->inspected && insp->checked_exe[0] != '\0' && !remember_exec(task, insp)) {
			apply_result(task, -ENOMEM);
			break;
		}
		if (insp->inspected && insp->has_proxy && d.verdict == FG_ACTION_ALLOW) {
			apply_proxy(task, &ev, insp);
			break;
		}
		if (insp->inspected && insp->serialize && t->policy->pin_arguments) {
			run_under_path_lock(t, task, &ev);
			break;
		}
		resume(task->tid, 0);
		break;
	}
	if (insp->inspected && insp->has_proxy) {
		close(insp->proxy_sock); /* audit mode: the call runs as it is */
		insp->has_proxy = false;
	}
}

static void handle_new_task_event(struct fg_tracer *t, pid_t parent_tid, int event)
{
	/* Takes the parent's TID, not its entry: adding the child may grow
	 * the table and move every entry. */
	unsigned long new_tid = 0;
	if (ptrace(PTRACE_GETEVENTMSG, parent_tid, NULL, &new_tid) == 0 && new_tid > 0) {
		struct fg_task *parent = fg_task_find(&t->tasks, parent_tid);
		/* Threads and CLONE_VM children share the address space, forked
		 * ones inherit its shared mapping: the same area either way. */
		struct fg_argarea *area = parent != NULL ? parent->area : NULL;
		struct fg_task *child = fg_task_add(&t->tasks, (pid_t)new_tid);
		/* fork and vfork make a new process; clone may make either. */
		if (child != NULL && event != PTRACE_EVENT_CLONE)
			child->tgid = (pid_t)new_tid;
		if (child != NULL && child->area == NULL && area != NULL)
			fg_task_set_area(child, area);
	}
	resume(parent_tid, 0);
}

/* At the exec event, before the new program runs an instruction: is the
 * file that runs the file that was checked? Another thread could have
 * swapped the path in between. Compared by device and inode, in the
 * process's own root. */
static bool exec_matches_check(pid_t pid, const char *checked)
{
	char exe[64], checked_host[PATH_MAX + 64];
	struct stat running, allowed;
	snprintf(exe, sizeof(exe), "/proc/%d/exe", (int)pid);
	snprintf(checked_host, sizeof(checked_host), "/proc/%d/root%s", (int)pid, checked);
	if (stat(exe, &running) < 0 || stat(checked_host, &allowed) < 0)
		return false;
	return running.st_dev == allowed.st_dev && running.st_ino == allowed.st_ino;
}

/* Kills a program at its exec event, before its first instruction, with an
 * audit line that says why. */
static void kill_at_exec(struct fg_tracer *t, pid_t tid, const char *reason)
{
	struct fg_syscall_event ev = {
		.tid = tid, .pid = tid, .arch = AUDIT_ARCH_X86_64, .nr = SYS_execve
	};
	struct fg_audit_decision record = {
		.event = &ev,
		.mode = t->mode,
		.verdict = FG_ACTION_KILL,
		.action = FG_ACTION_KILL,
		.rule = "supervisor",
		.reason = reason,
	};
	fg_audit_decision(t->audit, &record);
	t->stats.killed++;
	kill(tid, SIGKILL);
}

/* Returns false after killing a program that is not the one checked, or
 * that got other arguments than the ones checked. */
static bool verify_exec(struct fg_tracer *t, pid_t tid, const char *checked,
			const struct fg_checked_args *args)
{
	if (checked != NULL && !exec_matches_check(tid, checked)) {
		kill_at_exec(t, tid, "the program that runs is not the one the exec check allowed");
		return false;
	}
	if (args != NULL && !fg_checked_args_verify(args, tid)) {
		kill_at_exec(t, tid,
			     "the program's arguments are not the ones the exec check allowed "
			     "(argv was changed after the check)");
		return false;
	}
	return true;
}

/* A program that cannot get its argument area cannot run checked calls
 * race-free: it is killed before its first instruction, with the reason. */
static void refuse_without_area(struct fg_tracer *t, pid_t tid, const char *why)
{
	char reason[1200];
	snprintf(reason, sizeof(reason),
		 "fhirguard could not set up the argument area for checked calls: %s", why);
	kill_at_exec(t, tid, reason);
}

/* Maps a fresh argument area into a program at its exec event (see
 * lib/inject.h). Returns true when the task died meanwhile, with its wait
 * status in *status. */
static bool set_up_area(struct fg_tracer *t, pid_t tid, int *status)
{
	struct fg_task *task = fg_task_find(&t->tasks, tid);
	if (task != NULL)
		fg_task_set_area(task, NULL);
	struct fg_inject_outcome outcome;
	struct fg_error err = { .msg = "" };
	struct fg_argarea *area = fg_inject_argarea(tid, t->vdso_syscall_offset, &outcome, &err);
	if (outcome.gone) {
		fg_task_remove(&t->tasks, tid);
		*status = outcome.status;
		return true;
	}
	task = fg_task_find(&t->tasks, tid);
	if (area != NULL && task != NULL)
		fg_task_set_area(task, area);
	fg_argarea_unref(area); /* the task holds it now */
	if (area == NULL || outcome.must_kill) {
		refuse_without_area(t, tid, err.msg);
		resume(tid, 0);
		return false;
	}
	for (int sig = 1; sig < 64; sig++) {
		if (outcome.held_signals & (1ULL << sig))
			syscall(SYS_tgkill, tid, tid, sig);
	}
	resume(tid, 0);
	return false;
}

static bool handle_exec_event(struct fg_tracer *t, pid_t tid, int *status)
{
	unsigned long former_tid = 0;
	/* A non-leader thread that execs takes over the leader's TID; its old
	 * TID vanishes without an exit report. Removing it may move entries,
	 * so the task is looked up again afterwards. */
	char *checked = NULL;
	struct fg_checked_args *args = NULL;
	if (ptrace(PTRACE_GETEVENTMSG, tid, NULL, &former_tid) == 0 && (pid_t)former_tid != tid) {
		struct fg_task *former = fg_task_find(&t->tasks, (pid_t)former_tid);
		if (former != NULL) {
			checked = former->checked_exe;
			args = former->checked_args;
			former->checked_exe = NULL;
			former->checked_args = NULL;
		}
		fg_task_remove(&t->tasks, (pid_t)former_tid);
	}
	struct fg_task *task = fg_task_find(&t->tasks, tid);
	if (task != NULL) {
		task->tgid = tid;
		if (checked == NULL) {
			checked = task->checked_exe;
			args = task->checked_args;
			task->checked_exe = NULL;
			task->checked_args = NULL;
		}
	}
	bool allowed = verify_exec(t, tid, checked, args);
	free(checked);
	free(args);
	if (tid == t->main_pid)
		t->main_execed = true;
	if (allowed && t->policy->pin_arguments)
		return set_up_area(t, tid, status);
	resume(tid, 0);
	return false;
}

static bool is_group_stop_signal(int sig)
{
	return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
}

bool fg_tracer_handle_status(struct fg_tracer *t, pid_t tid, int *status_io)
{
	int status = *status_io;
	if (WIFEXITED(status) || WIFSIGNALED(status)) {
		fg_task_remove(&t->tasks, tid);
		forget_queued_path_call(t, tid); /* its TID may be reused */
		if (t->path_lock_holder == tid)
			release_path_lock(t); /* died in its path call */
		return true;
	}
	if (!WIFSTOPPED(status))
		return false;
	struct fg_task *task = fg_task_add(&t->tasks, tid);
	if (task == NULL) {
		/* Out of memory: a task we cannot track cannot be supervised. */
		kill(tid, SIGKILL);
		return false;
	}
	if (task->large_slot >= 0) {
		/* Stopped again: the call that used its large slot is over. */
		fg_argarea_release_large(task->area, task->large_slot);
		task->large_slot = -1;
	}
	int sig = WSTOPSIG(status);
	int event = (int)((unsigned int)status >> 16);
	switch (event) {
	case PTRACE_EVENT_SECCOMP:
		handle_seccomp_stop(t, task);
		break;
	case PTRACE_EVENT_FORK:
	case PTRACE_EVENT_VFORK:
	case PTRACE_EVENT_CLONE:
		t->stats.event_stops++;
		handle_new_task_event(t, tid, event);
		break;
	case PTRACE_EVENT_EXEC:
		t->stats.event_stops++;
		return handle_exec_event(t, tid, status_io);
	case PTRACE_EVENT_STOP:
		if (is_group_stop_signal(sig)) {
			/* Stay stopped, like an untraced process, until SIGCONT. */
			t->stats.group_stops++;
			ptrace(PTRACE_LISTEN, tid, NULL, NULL);
		} else {
			/* The first stop of a new task, or an interrupt. */
			t->stats.event_stops++;
			resume(tid, 0);
		}
		break;
	case 0:
		if (sig == (SIGTRAP | 0x80)) {
			/* Only after a PTRACE_SYSCALL: a path call under the
			 * path lock, or a pending connect. */
			t->stats.exit_stops++;
			handle_syscall_exit_stop(t, task);
			break;
		}
		/* A signal is about to be delivered: deliver it unchanged. */
		t->stats.signal_stops++;
		resume(tid, sig);
		break;
	default:
		t->stats.event_stops++;
		resume(tid, 0);
		break;
	}
	return false;
}

size_t fg_tracer_processes(struct fg_tracer *t, pid_t *out, size_t max)
{
	size_t count = 0;
	for (size_t i = 0; i < t->tasks.capacity; i++) {
		struct fg_task *task = &t->tasks.slots[i];
		if (task->tid == 0)
			continue;
		pid_t tgid = task_tgid(task);
		bool seen = false;
		for (size_t j = 0; j < count && !seen; j++)
			seen = out[j] == tgid;
		if (!seen && count < max)
			out[count++] = tgid;
	}
	return count;
}
