#include "cases.h"

#include "attack.h"

/* Needles: what a deny, kill or stop line of the guarded run must name. */
#define SYSCALL(name) "\"syscall\":\"" name "\""
#define SECRET	      "/tmp/fhirguard-attacks/secret/key\""
#define VAULT	      "/tmp/fhirguard-attacks/work/vlt/key\""

#define LANDLOCK_FILES                                                                             \
	"Landlock: the kernel itself refuses the secret (no rule grants it); the supervisor logs " \
	"what it saw"
#define RESOLVER "supervisor: paths resolved as the kernel resolves them (lib/pathres.c)"

/* A deny rule inside a tree Landlock allows: the supervisor alone refuses it. */
#define PINNED_FILES                                                                               \
	"supervisor, race-free: the kernel reads the checked copy of the path in fhirguard's "     \
	"read-only argument area (lib/argarea.h); Landlock allows the whole writable tree and "    \
	"cannot refuse the vault inside it"

#define RACE(prog, mode, target, needle, mech, gap)                                                \
	{                                                                                          \
		"toctou-path-" mode "-" target, "TOCTOU on paths", prog,                           \
		    { mode, target, "@COUNT" }, { needle }, mech, CASE_RACE, NULL, gap             \
	}

/* A symlink swapped on the path between the check and the open. */
#define RENAMED_OPEN                                                                               \
	"supervisor, race-free: an allowed open runs as openat2 of the checked path with "         \
	"RESOLVE_NO_SYMLINKS (a symlink planted after the check fails it with ELOOP)"

/* A directory swapped on the path of a rename between the check and the call. */
#define PATH_LOCK                                                                                  \
	"supervisor, race-free: path calls other than open run with the resolved paths, one at a " \
	"time from check to syscall exit (the path lock), and every call that could swap a "       \
	"directory for a symlink is one of them"

#define FS_RACE(mode, target, needle, mech)                                                        \
	{                                                                                          \
		"toctou-fs-" mode "-" target, "TOCTOU on paths", "attack_toctou_fs",               \
		    { mode, target, "@COUNT" }, { needle }, mech, CASE_RACE, NULL                  \
	}

#define NET_RACE(mode, needle, mech, flags)                                                        \
	{                                                                                          \
		"toctou-net-" mode, "TOCTOU on sockaddr", "attack_toctou_net", { mode, "@COUNT" }, \
		    { needle }, mech, CASE_RACE | (flags), NULL                                    \
	}

#define PATH(mode, target, needle, mech)                                                           \
	{                                                                                          \
		"path-" mode "-" target, "path tricks", "attack_path_tricks", { mode, target },    \
		    { needle }, mech, 0, NULL                                                      \
	}

#define ESCAPE(mode, needle, mech)                                                                 \
	{                                                                                          \
		"escape-" mode, "escapes", "attack_escapes", { mode }, { needle }, mech, 0, NULL   \
	}

#define AREA(mode, needle)                                                                         \
	{                                                                                          \
		"argarea-" mode, "reaching the supervisor", "attack_argarea", { mode },            \
		    { needle },                                                                    \
		    "supervisor: calls that could replace the argument area are traced below its " \
		    "end and refused when they touch it (lib/filter.h, area guard)",               \
		    0, NULL                                                                        \
	}

#define SUPER(mode, target, needle, mech)                                                          \
	{                                                                                          \
		"supervisor-" mode, "reaching the supervisor", "attack_supervisor",                \
		    { mode, target }, { needle }, mech, CASE_AS_PID1, NULL                         \
	}

#define NO_ESCAPE "the shipped syscall layer: rule no-escape (EPERM, logged)"

const struct attack_case attack_cases[] = {
	/* TOCTOU on pointer arguments. */
	RACE("attack_toctou_path", "threads", "secret", SECRET, LANDLOCK_FILES, NULL),
	RACE("attack_toctou_path", "clonevm", "secret", SECRET, LANDLOCK_FILES, NULL),
	RACE("attack_toctou_path", "mapshared", "secret", SECRET, LANDLOCK_FILES, NULL),
	RACE("attack_toctou_path", "vfork", "secret", SECRET, LANDLOCK_FILES, NULL),
	RACE("attack_toctou_path", "threads", "vault", VAULT, PINNED_FILES, NULL),
	RACE("attack_toctou_path", "clonevm", "vault", VAULT, PINNED_FILES, NULL),
	RACE("attack_toctou_path", "mapshared", "vault", VAULT, PINNED_FILES, NULL),
	RACE("attack_toctou_path", "vfork", "vault", VAULT, PINNED_FILES, NULL),
	NET_RACE("connect-port", "127.0.0.1:47102",
		 "Landlock TCP port rules, and connect performed by the supervisor on a duplicate "
		 "of the socket with the address it checked",
		 CASE_FORBIDDEN_LISTENER),
	NET_RACE("connect-addr", "127.0.0.2:47101",
		 "connect performed by the supervisor on a duplicate of the socket with the "
		 "address it checked (Landlock has no addresses)",
		 CASE_FORBIDDEN_LISTENER),
	NET_RACE("bind-port", "127.0.0.1:47104",
		 "Landlock TCP port rules, and bind performed by the supervisor on a duplicate of "
		 "the socket",
		 0),
	NET_RACE("bind-addr", "127.0.0.2:47103",
		 "bind performed by the supervisor on a duplicate of the socket (Landlock has no "
		 "addresses)",
		 0),

	NET_RACE("sendto-port", "127.0.0.1:47106",
		 "sendto checked by the supervisor, race-free (Landlock has no UDP rules)",
		 CASE_FORBIDDEN_LISTENER),
	NET_RACE("sendmsg-port", "127.0.0.1:47106",
		 "sendmsg checked by the supervisor, race-free (Landlock has no UDP rules)",
		 CASE_FORBIDDEN_LISTENER),
	{ "toctou-exec",
	  "TOCTOU on paths",
	  "attack_toctou_args",
	  { "exec", "@EXECCOUNT" },
	  { "work/sh_\"" },
	  "exec rules, and /proc/PID/exe compared with the checked file at the exec event (a "
	  "mismatch is killed); Landlock EXECUTE",
	  CASE_RACE,
	  NULL },
	{ "toctou-exec-argv",
	  "TOCTOU on paths",
	  "attack_toctou_args",
	  { "exec-argv", "@EXECCOUNT" },
	  { "\"evil\"", "argv was changed after the check" },
	  "exec rules with argument patterns: argv read whole and checked; the argv the kernel "
	  "copied (/proc/PID/cmdline) compared with it at the exec event (a mismatch is killed "
	  "before the program's first instruction)",
	  CASE_RACE,
	  NULL },
	FS_RACE("symlink", "secret", SECRET, LANDLOCK_FILES),
	FS_RACE("symlink", "vault", VAULT, RENAMED_OPEN),
	FS_RACE("dir", "secret", SECRET, LANDLOCK_FILES),
	FS_RACE("dir", "vault", VAULT, RENAMED_OPEN),
	FS_RACE("rename", "secret", SECRET, LANDLOCK_FILES),
	FS_RACE("rename", "vault", VAULT, PATH_LOCK),
	{ "toctou-openat2-how-secret",
	  "TOCTOU on paths",
	  "attack_toctou_args",
	  { "openat2-how", "secret", "@COUNT" },
	  { "secret/visible\"" },
	  LANDLOCK_FILES,
	  CASE_RACE,
	  NULL },
	{ "toctou-openat2-how-vault",
	  "TOCTOU on paths",
	  "attack_toctou_args",
	  { "openat2-how", "vault", "@COUNT" },
	  { ATK_WORK_JAIL ATK_PUBLIC "\"" },
	  "supervisor, race-free: the kernel reads the checked copy of open_how in fhirguard's "
	  "read-only argument area (lib/argarea.h)",
	  CASE_RACE,
	  NULL },

	/* Network tricks. */
	{ "net-v4mapped",
	  "network tricks",
	  "attack_net_tricks",
	  { "v4mapped" },
	  { "47102" },
	  "network rules: IPv4 blocks match IPv4-mapped IPv6 destinations; Landlock port rules",
	  CASE_FORBIDDEN_LISTENER,
	  NULL },
	{ "net-fastopen",
	  "network tricks",
	  "attack_net_tricks",
	  { "fastopen" },
	  { "47102" },
	  "network rules: sendto with an address is a send (Landlock does not see TCP Fast Open)",
	  CASE_FORBIDDEN_LISTENER,
	  NULL },

	{ "net-sendmsg",
	  "network tricks",
	  "attack_net_tricks",
	  { "sendmsg" },
	  { "127.0.0.1:47106" },
	  "network rules: the address behind sendmsg's msg_name is a send",
	  CASE_FORBIDDEN_LISTENER,
	  NULL },
	{ "net-sendmmsg",
	  "network tricks",
	  "attack_net_tricks",
	  { "sendmmsg" },
	  { "127.0.0.1:47106" },
	  "network rules: every message of a sendmmsg is checked, not only the first",
	  CASE_FORBIDDEN_LISTENER,
	  NULL },

	/* Path tricks, each against both secrets. */
	PATH("dotdot", "secret", SECRET, RESOLVER),
	PATH("dotdot", "vault", VAULT, RESOLVER),
	PATH("cwd", "secret", SECRET, RESOLVER),
	PATH("cwd", "vault", VAULT, RESOLVER),
	PATH("dirfd", "secret", SECRET, RESOLVER),
	PATH("dirfd", "vault", VAULT, RESOLVER),
	PATH("symlink", "secret", SECRET, RESOLVER " (the symlink is followed)"),
	PATH("symlink", "vault", VAULT, RESOLVER " (the symlink is followed)"),
	PATH("hardlink", "secret", SECRET,
	     "files rules: link() needs create on the source's path, which the secret refuses"),
	PATH("hardlink", "vault", VAULT,
	     "files rules: link() needs create on the source's path, which the vault refuses"),
	PATH("rename", "secret", SECRET, "files rules: rename needs delete on the source"),
	PATH("rename", "vault", VAULT, "files rules: rename needs delete on the source"),
	PATH("proc-root", "secret", SECRET, RESOLVER " (/proc/self/root)"),
	PATH("proc-root", "vault", VAULT, RESOLVER " (/proc/self/root)"),
	PATH("proc-fd-dir", "secret", SECRET, RESOLVER " (magic links /proc/PID/fd/N)"),
	PATH("proc-fd-dir", "vault", VAULT, RESOLVER " (magic links /proc/PID/fd/N)"),
	PATH("openat2", "secret", SECRET, RESOLVER " (openat2 is traced like openat)"),
	PATH("openat2", "vault", VAULT, RESOLVER " (openat2 is traced like openat)"),
	{ "path-handle-secret",
	  "path tricks",
	  "attack_path_tricks",
	  { "handle", "secret" },
	  { SYSCALL("open_by_handle_at") },
	  NO_ESCAPE " for name_to_handle_at and open_by_handle_at",
	  0,
	  NULL },
	{ "path-handle-vault",
	  "path tricks",
	  "attack_path_tricks",
	  { "handle", "vault" },
	  { SYSCALL("open_by_handle_at") },
	  NO_ESCAPE " for name_to_handle_at and open_by_handle_at",
	  0,
	  NULL },
	{ "path-openat2-inroot-secret",
	  "path tricks",
	  "attack_path_tricks",
	  { "openat2-inroot", "secret" },
	  { ATK_JAIL ATK_PUBLIC "\"" },
	  RESOLVER " (RESOLVE_IN_ROOT resolves under the dirfd)",
	  0,
	  NULL },
	{ "path-openat2-inroot-vault",
	  "path tricks",
	  "attack_path_tricks",
	  { "openat2-inroot", "vault" },
	  { ATK_WORK_JAIL ATK_PUBLIC "\"" },
	  RESOLVER " (RESOLVE_IN_ROOT resolves under the dirfd)",
	  0,
	  NULL },
	{ "path-opath-reopen",
	  "path tricks",
	  "attack_path_tricks",
	  { "opath-reopen" },
	  { "/tmp/fhirguard-attacks/secret/visible\"" },
	  RESOLVER " (reopening /proc/self/fd/N asks the right again on the file it names)",
	  0,
	  NULL },
	{ "path-proc-fd-write",
	  "path tricks",
	  "attack_path_tricks",
	  { "proc-fd-write" },
	  { "/tmp/fhirguard-attacks/readonly.txt\"" },
	  RESOLVER " (reopening for writing asks for write)",
	  0,
	  NULL },

	/* Other doors to the same effects. */
	{ "door-io-uring-open",
	  "other doors",
	  "attack_io_uring",
	  { "open", "vault" },
	  { SYSCALL("io_uring_setup") },
	  "the shipped syscall layer: rule no-io-uring (ENOSYS, logged)",
	  0,
	  NULL },
	{ "door-io-uring-connect",
	  "other doors",
	  "attack_io_uring",
	  { "connect" },
	  { SYSCALL("io_uring_setup") },
	  "the shipped syscall layer: rule no-io-uring (ENOSYS, logged)",
	  CASE_FORBIDDEN_LISTENER,
	  NULL },
	{ "door-x32",
	  "other doors",
	  "attack_other_abi",
	  { "x32", "vault" },
	  { "x32", "1073742081" },
	  "the filter kills any call that is not the x86_64 ABI (SIGSYS)",
	  0,
	  NULL },
	{ "door-int80",
	  "other doors",
	  "attack_other_abi",
	  { "int80", "vault" },
	  { "i386", "int 0x80", "int80" },
	  "the filter kills any call that is not the x86_64 ABI (SIGSYS)",
	  0,
	  NULL },
	{ "door-memfd-execveat",
	  "other doors",
	  "attack_fileless_exec",
	  { "memfd-execveat" },
	  { SYSCALL("execveat"), SYSCALL("memfd_create") },
	  "exec rules: a program without a path (memfd) is refused",
	  0,
	  NULL },
	{ "door-memfd-proc",
	  "other doors",
	  "attack_fileless_exec",
	  { "memfd-proc" },
	  { SYSCALL("execve"), SYSCALL("memfd_create") },
	  "exec rules: /proc/self/fd/N resolves to a memfd, which has no path",
	  0,
	  NULL },
	{ "door-exec-copy",
	  "other doors",
	  "attack_fileless_exec",
	  { "exec-copy" },
	  { SYSCALL("execve") },
	  "exec rules and the files exec right: nothing in the writable tree runs",
	  0,
	  NULL },
	{ "door-execveat-dirfd",
	  "other doors",
	  "attack_fileless_exec",
	  { "execveat-dirfd" },
	  { SYSCALL("execveat") },
	  "exec rules: the program is resolved relative to the dirfd",
	  0,
	  NULL },
	{ "door-vfork-exec",
	  "other doors",
	  "attack_fileless_exec",
	  { "vfork-exec" },
	  { SYSCALL("execve") },
	  "exec rules: vfork children are traced like any other",
	  0,
	  NULL },
	{ "door-dlopen",
	  "other doors",
	  "attack_exec_mmap",
	  { "dlopen" },
	  { SYSCALL("mmap"), "work/payload.so\"" },
	  "mmap(PROT_EXEC) of a file checked against the files exec right",
	  0,
	  NULL },
	{ "door-mmap-exec",
	  "other doors",
	  "attack_exec_mmap",
	  { "mmap-exec" },
	  { SYSCALL("mmap"), "work/code.bin\"" },
	  "mmap(PROT_EXEC) of a file checked against the files exec right",
	  0,
	  NULL },
	{ "door-mprotect-exec",
	  "other doors",
	  "attack_exec_mmap",
	  { "mprotect-exec" },
	  { SYSCALL("mprotect"), "work/code.bin\"" },
	  "mprotect(PROT_EXEC) of a file mapping checked like mmap(PROT_EXEC)",
	  0,
	  NULL },

	/* Reaching the supervisor (fhirguard as PID 1, as in a container). */
	SUPER("ptrace-attach", NULL, SYSCALL("ptrace"), NO_ESCAPE),
	SUPER("ptrace-seize", NULL, SYSCALL("ptrace"), NO_ESCAPE),
	SUPER("pvm-read", NULL, SYSCALL("process_vm_readv"), NO_ESCAPE),
	SUPER("pvm-write", NULL, SYSCALL("process_vm_writev"), NO_ESCAPE),
	SUPER("proc-mem", NULL, "/mem\"", "files rules: /proc/*/mem is a secret"),
	SUPER("kill-kill", NULL, SYSCALL("kill"),
	      "the kernel: PID 1 of a PID namespace ignores SIGKILL from inside it"),
	SUPER("kill-stop", NULL, SYSCALL("kill"),
	      "the kernel: PID 1 of a PID namespace ignores SIGSTOP from inside it"),
	SUPER("seccomp-allow", "vault", VAULT,
	      "seccomp itself: a new filter cannot lift RET_TRACE of the existing one (the open "
	      "still stops in the supervisor)"),
	SUPER("seccomp-notify", "vault", SYSCALL("seccomp"),
	      NO_ESCAPE " for seccomp(): RET_USER_NOTIF would outrank RET_TRACE"),
	SUPER("dumpable", "vault", VAULT,
	      "the supervisor reads memory as root with ptrace access: PR_SET_DUMPABLE changes "
	      "nothing; unreadable memory is a kill, never an allow"),
	SUPER("ptracer", NULL, SYSCALL("ptrace"), NO_ESCAPE " (and a tracee has one tracer)"),
	SUPER("traceme", NULL, SYSCALL("ptrace"), NO_ESCAPE " (and a tracee has one tracer)"),

	/* The argument area: where the checked copies live must stay read-only. */
	AREA("map-fixed", SYSCALL("mmap")),
	AREA("unmap", SYSCALL("munmap")),
	AREA("mremap-onto", SYSCALL("mremap")),
	AREA("mremap-away", SYSCALL("mremap")),
	AREA("dontfork", SYSCALL("madvise")),
	{ "argarea-mprotect",
	  "reaching the supervisor",
	  "attack_argarea",
	  { "mprotect" },
	  { NULL },
	  "the kernel: the area is a sealed memfd (F_SEAL_FUTURE_WRITE) mapped shared and "
	  "read-only, so the mapping has no VM_MAYWRITE",
	  CASE_NO_AUDIT,
	  "mprotect fails in the kernel (EACCES) and is not traced: nothing for fhirguard to log" },
	{ "argarea-proc-mem",
	  "reaching the supervisor",
	  "attack_argarea",
	  { "proc-mem" },
	  { "/mem\"" },
	  "files rules: /proc/*/mem is a secret (and FOLL_FORCE does not write shared mappings)",
	  0,
	  NULL },

	/* Escapes and escalation. */
	ESCAPE("mount", SYSCALL("mount"), NO_ESCAPE),
	{ "escape-umount",
	  "escapes",
	  "attack_escapes",
	  { "umount" },
	  { SYSCALL("umount2") },
	  NO_ESCAPE,
	  CASE_UMOUNT_TARGET,
	  NULL },
	ESCAPE("fsmount", SYSCALL("fsopen"), NO_ESCAPE),
	ESCAPE("pivot-root", SYSCALL("pivot_root"), NO_ESCAPE),
	ESCAPE("chroot", SYSCALL("chroot"), NO_ESCAPE),
	ESCAPE("unshare", SYSCALL("unshare"), NO_ESCAPE),
	ESCAPE("setns", SYSCALL("setns"), NO_ESCAPE),
	ESCAPE("clone-ns", SYSCALL("clone"),
	       "namespace flags of clone refused (the shipped layer allows clone in the kernel)"),
	{ "escape-clone3-ns",
	  "escapes",
	  "attack_escapes",
	  { "clone3-ns" },
	  { SYSCALL("clone3") },
	  "the shipped syscall layer: clone3 is ENOSYS in the kernel (its flags are in memory)",
	  CASE_NO_AUDIT,
	  "the shipped policy refuses clone3 in the kernel without a log line on purpose: glibc "
	  "tries it before every thread" },
	ESCAPE("bpf", SYSCALL("bpf"), NO_ESCAPE),
	ESCAPE("perf", SYSCALL("perf_event_open"), NO_ESCAPE),
	ESCAPE("keyctl", SYSCALL("keyctl"), NO_ESCAPE),
	ESCAPE("add-key", SYSCALL("add_key"), NO_ESCAPE),
	ESCAPE("userfaultfd", SYSCALL("userfaultfd"), NO_ESCAPE),
	ESCAPE("kexec-load", SYSCALL("kexec_load"),
	       "the shipped syscall layer: rule kernel-level (kill)"),
	ESCAPE("kexec-file-load", SYSCALL("kexec_file_load"),
	       "the shipped syscall layer: rule kernel-level (kill)"),
	ESCAPE("init-module", SYSCALL("init_module"),
	       "the shipped syscall layer: rule kernel-level (kill)"),
	ESCAPE("finit-module", SYSCALL("finit_module"),
	       "the shipped syscall layer: rule kernel-level (kill)"),
	ESCAPE("personality", SYSCALL("personality"), NO_ESCAPE),
	ESCAPE("packet", SYSCALL("socket"),
	       "network section: socket families not listed are refused"),
	ESCAPE("raw", SYSCALL("socket"), "network section: raw inet sockets need the raw family"),
};

const size_t attack_case_count = sizeof(attack_cases) / sizeof(attack_cases[0]);
