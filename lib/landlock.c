/* landlock.c - builds and applies the Landlock ruleset (see landlock.h).
 *
 * Two stages. Planning turns the policy into anchors (a path, the Landlock
 * rights wanted beneath or on it, where they come from) using only stat and
 * the policy evaluator, so that `fhirguard check` can describe the result
 * without creating anything. Preparing opens each anchor with O_PATH and
 * hands it to the kernel.
 *
 * Debian 12's UAPI headers (Linux 6.1) stop at ABI 2; what later ABIs added
 * is defined here, and the syscalls are made directly (no liblandlock).
 */
#include "landlock.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <linux/landlock.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "glob.h"
#include "policy.h"
#include "syscall_names.h"

#ifndef __NR_landlock_create_ruleset
#define __NR_landlock_create_ruleset 444
#endif
#ifndef __NR_landlock_add_rule
#define __NR_landlock_add_rule 445
#endif
#ifndef __NR_landlock_restrict_self
#define __NR_landlock_restrict_self 446
#endif

#ifndef LANDLOCK_CREATE_RULESET_VERSION
#define LANDLOCK_CREATE_RULESET_VERSION (1U << 0)
#endif
#ifndef LANDLOCK_ACCESS_FS_REFER
#define LANDLOCK_ACCESS_FS_REFER (1ULL << 13)
#endif
#ifndef LANDLOCK_ACCESS_FS_TRUNCATE
#define LANDLOCK_ACCESS_FS_TRUNCATE (1ULL << 14)
#endif
#ifndef LANDLOCK_ACCESS_FS_IOCTL_DEV
#define LANDLOCK_ACCESS_FS_IOCTL_DEV (1ULL << 15)
#endif
#ifndef LANDLOCK_ACCESS_NET_BIND_TCP
#define LANDLOCK_ACCESS_NET_BIND_TCP (1ULL << 0)
#endif
#ifndef LANDLOCK_ACCESS_NET_CONNECT_TCP
#define LANDLOCK_ACCESS_NET_CONNECT_TCP (1ULL << 1)
#endif
/* An enumerator in newer headers, absent in 6.1: a macro either way. */
#ifndef LANDLOCK_RULE_NET_PORT
#define LANDLOCK_RULE_NET_PORT 2
#endif

/* The 6.1 header's struct landlock_ruleset_attr has handled_access_fs only,
 * and struct landlock_net_port_attr is missing. Both are runs of __u64, kept
 * here as arrays (indexed by the members' order in the kernel's structs). The
 * kernel accepts a ruleset_attr longer than it knows if the tail is zero. */
enum {
	FG_LL_ATTR_FS,	   /* handled_access_fs */
	FG_LL_ATTR_NET,	   /* handled_access_net (ABI 4) */
	FG_LL_ATTR_SCOPED, /* scoped (ABI 6): fhirguard leaves it 0 */
	FG_LL_ATTR_WORDS,
};
enum {
	FG_LL_PORT_ACCESS, /* allowed_access */
	FG_LL_PORT_NUMBER, /* port, host order */
	FG_LL_PORT_WORDS,
};

#define FG_LL_RF   LANDLOCK_ACCESS_FS_READ_FILE
#define FG_LL_RD   LANDLOCK_ACCESS_FS_READ_DIR
#define FG_LL_WF   LANDLOCK_ACCESS_FS_WRITE_FILE
#define FG_LL_EX   LANDLOCK_ACCESS_FS_EXECUTE
#define FG_LL_TR   LANDLOCK_ACCESS_FS_TRUNCATE
#define FG_LL_IO   LANDLOCK_ACCESS_FS_IOCTL_DEV
#define FG_LL_REF  LANDLOCK_ACCESS_FS_REFER
#define FG_LL_SOCK LANDLOCK_ACCESS_FS_MAKE_SOCK
#define FG_LL_MAKE                                                                                 \
	(LANDLOCK_ACCESS_FS_MAKE_CHAR | LANDLOCK_ACCESS_FS_MAKE_DIR |                              \
	 LANDLOCK_ACCESS_FS_MAKE_REG | LANDLOCK_ACCESS_FS_MAKE_SOCK |                              \
	 LANDLOCK_ACCESS_FS_MAKE_FIFO | LANDLOCK_ACCESS_FS_MAKE_BLOCK |                            \
	 LANDLOCK_ACCESS_FS_MAKE_SYM)
#define FG_LL_REMOVE (LANDLOCK_ACCESS_FS_REMOVE_FILE | LANDLOCK_ACCESS_FS_REMOVE_DIR)
/* The rights landlock_add_rule accepts on a file that is not a directory. */
#define FG_LL_FILE_RIGHTS (FG_LL_RF | FG_LL_WF | FG_LL_EX | FG_LL_TR | FG_LL_IO)
#define FG_LL_ABI1_FS	  ((1ULL << 13) - 1)
#define FG_LL_NET_ALL	  (LANDLOCK_ACCESS_NET_BIND_TCP | LANDLOCK_ACCESS_NET_CONNECT_TCP)

/* Where the x86_64 C libraries put their dynamic loader. */
static const char *const fg_ll_loaders[] = {
	"/lib64/ld-linux-x86-64.so.2",
	"/usr/lib64/ld-linux-x86-64.so.2",
	"/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2",
	"/lib/ld-musl-x86_64.so.1",
};

/* What the syscall layer leaves to the sections. A syscall it allows in the
 * kernel never reaches the supervisor, so its section does not govern it:
 * the policy allows it everywhere, and Landlock must not restrict it. */
struct fg_ll_scope {
	bool files_untraced;   /* some file syscall runs unchecked: no files handling */
	uint64_t net_untraced; /* LANDLOCK_ACCESS_NET_* whose syscall runs unchecked */
};

/* The calls the files section governs (README: "Which syscall needs which
 * right"). A finer mapping (mkdir only -> MAKE_DIR) would be possible, but
 * REFER is refused by any domain that handles files, so an unchecked rename
 * or link already rules Landlock out: keep it simple. */
static const char *const fg_ll_file_calls[] = {
	"open",	   "openat",   "openat2", "creat",   "execve",	  "execveat",  "mkdir",
	"mkdirat", "mknod",    "mknodat", "symlink", "symlinkat", "link",      "linkat",
	"unlink",  "unlinkat", "rmdir",	  "rename",  "renameat",  "renameat2", "truncate",
};

/* --- ABI ------------------------------------------------------------------ */

/* The ABI, or 0 with *error set to why Landlock cannot be used. */
static int fg_ll_probe(int *error)
{
	long abi = syscall(__NR_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
	*error = abi < 0 ? errno : 0;
	return abi < 0 ? 0 : (int)abi;
}

int fg_landlock_abi(void)
{
	int error;
	return fg_ll_probe(&error);
}

static const char *fg_ll_unavailable(int error)
{
	switch (error) {
	case ENOSYS:
		if (prctl(PR_GET_SECCOMP, 0, 0, 0, 0) == 2)
			return "Landlock is not available (ENOSYS): this kernel lacks it, or the "
			       "container runtime's seccomp profile (a filter is active) refuses "
			       "its syscalls";
		return "Landlock is not available: this kernel has no Landlock (ENOSYS)";
	case EOPNOTSUPP:
		return "Landlock is not available: it is disabled at boot (EOPNOTSUPP; add "
		       "landlock to the lsm= kernel parameter)";
	case EPERM:
		return "Landlock is not available: refused (EPERM), most likely by the container "
		       "runtime's seccomp profile";
	default:
		return "Landlock is not available: the version probe failed";
	}
}

/* Every filesystem right the ABI knows and fhirguard knows (ABI 6 and 7 add
 * scoping and logging, no filesystem right). */
static uint64_t fg_ll_fs_mask(int abi)
{
	uint64_t mask = FG_LL_ABI1_FS;
	if (abi >= 2)
		mask |= FG_LL_REF;
	if (abi >= 3)
		mask |= FG_LL_TR;
	if (abi >= 5)
		mask |= FG_LL_IO;
	return abi >= 1 ? mask : 0;
}

/* --- rights --------------------------------------------------------------- */

/* Rights used on objects the rule names: reading, writing, running them. */
static uint64_t fg_ll_use_access(unsigned rights)
{
	uint64_t access = 0;
	if (rights & FG_RIGHT_READ)
		access |= FG_LL_RF | FG_LL_RD;
	if (rights & FG_RIGHT_WRITE)
		access |= FG_LL_WF | FG_LL_TR;
	/* ioctl is never checked by the policy: whatever may be opened may be
	 * ioctl'ed (IOCTL_DEV only concerns devices). */
	if (rights & (FG_RIGHT_READ | FG_RIGHT_WRITE))
		access |= FG_LL_IO;
	/* The kernel opens a program for reading before running it. */
	if (rights & FG_RIGHT_EXEC)
		access |= FG_LL_EX | FG_LL_RF;
	return access;
}

/* Rights used on the directory an entry is created in or removed from.
 * REFER comes with both: a rename needs delete at its source and create at
 * its destination, a link create at both, and Landlock wants REFER on both
 * sides when they are different directories. */
static uint64_t fg_ll_entry_access(unsigned rights)
{
	uint64_t access = 0;
	if (rights & FG_RIGHT_CREATE)
		access |= FG_LL_MAKE | FG_LL_REF;
	if (rights & FG_RIGHT_DELETE)
		access |= FG_LL_REMOVE | FG_LL_REF;
	return access;
}

/* "read, write, ..." for messages. */
static void fg_ll_access_words(uint64_t access, char *buf, size_t size)
{
	static const struct {
		uint64_t bits;
		const char *word;
	} words[] = {
		{ FG_LL_RF, "read files" },
		{ FG_LL_RD, "list directories" },
		{ FG_LL_WF | FG_LL_TR, "write" },
		{ FG_LL_MAKE, "create" },
		{ FG_LL_REMOVE, "delete" },
		{ FG_LL_REF, "move" },
		{ FG_LL_EX, "exec" },
		{ FG_LL_IO, "device ioctl" },
	};
	size_t len = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		if (!(access & words[i].bits) || len >= size)
			continue;
		int n = snprintf(buf + len, size - len, "%s%s", len ? ", " : "", words[i].word);
		len += n > 0 ? (size_t)n : 0;
	}
}

/* --- paths ---------------------------------------------------------------- */

enum fg_ll_shape {
	FG_LL_LITERAL, /* no wildcard: names one object */
	FG_LL_TREE,    // PREFIX/**: the prefix and everything beneath it
	FG_LL_GLOB,    /* anything else: some things strictly beneath the prefix */
};

static bool fg_ll_literal_component(const char *c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (c[i] == '*' || c[i] == '?' || c[i] == '[' || c[i] == '\\')
			return false;
	return true;
}

// True when `rest` ("/**", "/**/**", ...) is only ** components.
static bool fg_ll_only_stars(const char *rest)
{
	while (*rest == '/') {
		if (strncmp(rest, "/**", 3) != 0 || (rest[3] != '\0' && rest[3] != '/'))
			return false;
		rest += 3;
	}
	return *rest == '\0';
}

/* True when `path` is `dir` or lies beneath it (component-wise). */
static bool fg_ll_under(const char *path, const char *dir)
{
	size_t n = strlen(dir);
	if (n == 1 && dir[0] == '/')
		return path[0] == '/';
	return strncmp(path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

/* The literal prefix of a validated pattern (at most PATH_MAX bytes with the
 * NUL, since patterns are shorter) and the shape of what follows. */
static enum fg_ll_shape fg_ll_split(const char *pattern, char prefix[PATH_MAX])
{
	const char *p = pattern;
	size_t len = 0;
	while (*p == '/') {
		const char *c = p + 1;
		size_t n = strcspn(c, "/");
		if (!fg_ll_literal_component(c, n))
			break;
		memcpy(prefix + len, p, n + 1);
		len += n + 1;
		p = c + n;
	}
	if (len == 0)
		prefix[len++] = '/';
	prefix[len] = '\0';
	enum fg_ll_shape shape = *p == '\0'	       ? FG_LL_LITERAL
				 : fg_ll_only_stars(p) ? FG_LL_TREE
						       : FG_LL_GLOB;
	/* fhirguard's own /proc/self is not the tracee's; the latter's PID is
	 * unknown before fork. All of /proc is the superset. */
	if (fg_ll_under(prefix, "/proc/self") || fg_ll_under(prefix, "/proc/thread-self")) {
		strcpy(prefix, "/proc");
		shape = FG_LL_GLOB;
	}
	return shape;
}

/* The directory holding `path` ("/" for "/x"). */
static void fg_ll_parent(const char *path, char out[PATH_MAX])
{
	const char *slash = strrchr(path, '/');
	size_t n = slash == NULL || slash == path ? 1 : (size_t)(slash - path);
	memcpy(out, path, n);
	out[n] = '\0';
}

/* PT_INTERP of an x86_64 ELF executable into `buf`; -1 when there is none. */
static int fg_ll_elf_interp(const char *path, char *buf, size_t size)
{
	/* O_NONBLOCK: the path may be a FIFO, which must not block fhirguard. */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return -1;
	int found = -1;
	Elf64_Ehdr eh;
	if (pread(fd, &eh, sizeof(eh), 0) != (ssize_t)sizeof(eh) ||
	    memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh.e_phentsize != sizeof(Elf64_Phdr))
		goto out;
	for (unsigned i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr ph;
		off_t at = (off_t)(eh.e_phoff + (uint64_t)i * sizeof(ph));
		if (pread(fd, &ph, sizeof(ph), at) != (ssize_t)sizeof(ph))
			break;
		if (ph.p_type != PT_INTERP)
			continue;
		if (ph.p_filesz < 2 || ph.p_filesz > size)
			break;
		if (pread(fd, buf, ph.p_filesz, (off_t)ph.p_offset) == (ssize_t)ph.p_filesz &&
		    buf[ph.p_filesz - 1] == '\0' && buf[0] == '/')
			found = 0;
		break;
	}
out:
	close(fd);
	return found;
}

/* --- planning ------------------------------------------------------------- */

enum fg_ll_anchor_kind {
	FG_LL_OBJECT,  /* the object itself: a file's rights, or READ_DIR on a directory */
	FG_LL_TREE_AT, /* beneath a directory, or the file itself */
	FG_LL_DIR_AT,  /* beneath a directory; nothing when it is not one */
};

struct fg_ll_anchor {
	char *path;
	uint64_t access;
	enum fg_ll_anchor_kind kind;
	bool is_dir;			 /* at planning time */
	const struct fg_rule_head *head; /* NULL: added by fhirguard (ELF loaders) */
};

enum fg_ll_note_kind {
	FG_LL_NOTE_BROAD,   /* wildcards: the rule's rights on all of the prefix */
	FG_LL_NOTE_LISTING, /* a literal directory: every directory beneath is listable */
	FG_LL_NOTE_ENTRY,   /* creating/removing the named object: rights on its parent */
	FG_LL_NOTE_REPLACE, /* the named object may be re-created: its rights on the parent */
	FG_LL_NOTE_WALKUP,  /* missing prefix the program may create: rights on an ancestor */
	FG_LL_NOTE_MISSING, /* missing prefix nobody in the sandbox can create: skipped */
	FG_LL_NOTE_REFER,   /* moves between directories: rights added to the source */
};

struct fg_ll_note {
	enum fg_ll_note_kind kind;
	const char *section; /* "files" or "network": where the rule is */
	const struct fg_rule_head *head;
	char *path;
	uint64_t access;
	bool done; /* emitted */
};

struct fg_ll_planner {
	const struct fg_rules *rules;
	const struct fg_ll_scope *scope;
	uint64_t handled_fs;
	struct fg_ll_anchor *anchors;
	size_t anchor_count, anchor_cap;
	bool keep_notes;     /* only `fhirguard check` wants them */
	const char *section; /* of the rules being planned, for notes */
	struct fg_ll_note *notes;
	size_t note_count, note_cap;
};

static int fg_ll_grow(void **items, size_t *cap, size_t count, size_t item_size)
{
	if (count < *cap)
		return 0;
	size_t cap2 = *cap ? *cap * 2 : 32;
	void *p = realloc(*items, cap2 * item_size);
	if (p == NULL)
		return -1;
	*items = p;
	*cap = cap2;
	return 0;
}

static int fg_ll_add_anchor(struct fg_ll_planner *pl, const char *path, uint64_t access,
			    enum fg_ll_anchor_kind kind, bool is_dir,
			    const struct fg_rule_head *head)
{
	if (access == 0)
		return 0;
	if (fg_ll_grow((void **)&pl->anchors, &pl->anchor_cap, pl->anchor_count,
		       sizeof(*pl->anchors)) < 0)
		return -1;
	char *copy = strdup(path);
	if (copy == NULL)
		return -1;
	pl->anchors[pl->anchor_count++] = (struct fg_ll_anchor){
		.path = copy, .access = access, .kind = kind, .is_dir = is_dir, .head = head
	};
	return 0;
}

static int fg_ll_add_note(struct fg_ll_planner *pl, enum fg_ll_note_kind kind,
			  const struct fg_rule_head *head, const char *path, uint64_t access)
{
	if (!pl->keep_notes || head == NULL)
		return 0;
	if (fg_ll_grow((void **)&pl->notes, &pl->note_cap, pl->note_count, sizeof(*pl->notes)) < 0)
		return -1;
	char *copy = strdup(path);
	if (copy == NULL)
		return -1;
	pl->notes[pl->note_count++] = (struct fg_ll_note){
		.kind = kind, .section = pl->section, .head = head, .path = copy, .access = access
	};
	return 0;
}

static void fg_ll_planner_free(struct fg_ll_planner *pl)
{
	for (size_t i = 0; i < pl->anchor_count; i++)
		free(pl->anchors[i].path);
	for (size_t i = 0; i < pl->note_count; i++)
		free(pl->notes[i].path);
	free(pl->anchors);
	free(pl->notes);
	memset(pl, 0, sizeof(*pl));
}

/* Whether the policy lets the program create `path` (and so delete and
 * re-create it, or rename something over it). The real evaluator decides, so
 * that first-match-wins and earlier deny rules count. */
static bool fg_ll_creatable(const struct fg_ll_planner *pl, const char *path)
{
	struct fg_rule_decision d;
	fg_rules_check_file(pl->rules, path, FG_RIGHT_CREATE, &d);
	return d.outcome.verdict == FG_VERDICT_ALLOW;
}

/* `prefix` does not exist. Only the program can bring it into existence
 * within the rules, by creating its first missing component first: if the
 * policy allows that, `access` goes to the nearest existing ancestor (the
 * only object Landlock can attach it to); if not, nothing can be reached
 * through the rule and it adds nothing. */
static int fg_ll_plan_missing(struct fg_ll_planner *pl, const char *prefix, uint64_t access,
			      const struct fg_rule_head *head)
{
	char path[PATH_MAX];
	size_t len = 0;
	const char *p = prefix;
	struct stat st;
	for (;;) {
		if (*p != '/')
			return 0; /* it exists after all (a race): skip */
		size_t n = strcspn(p + 1, "/") + 1;
		memcpy(path + len, p, n);
		path[len + n] = '\0';
		if (stat(path, &st) < 0)
			break;
		if (!S_ISDIR(st.st_mode))
			return 0; /* a file in the way: nothing can be created beneath */
		len += n;
		p += n;
	}
	if (errno != ENOENT)
		return 0; /* unreachable for the program too (same credentials) */
	if (!fg_ll_creatable(pl, path))
		return fg_ll_add_note(pl, FG_LL_NOTE_MISSING, head, prefix, access);
	char parent[PATH_MAX];
	fg_ll_parent(path, parent);
	if (fg_ll_add_anchor(pl, parent, access, FG_LL_DIR_AT, true, head) < 0)
		return -1;
	return fg_ll_add_note(pl, FG_LL_NOTE_WALKUP, head, parent, access);
}

// Rights on the parent of an object a pattern names itself (a literal path,
// or the prefix of PREFIX/**): creating and removing it happen there, and a
// re-created object would not carry the rules attached to the old inode.
static int fg_ll_plan_parent(struct fg_ll_planner *pl, const char *prefix, uint64_t use,
			     uint64_t entry, const struct fg_rule_head *head)
{
	if (strcmp(prefix, "/") == 0)
		return 0;
	char parent[PATH_MAX];
	fg_ll_parent(prefix, parent);
	enum fg_ll_note_kind kind = FG_LL_NOTE_ENTRY;
	uint64_t access = entry;
	if (fg_ll_creatable(pl, prefix)) {
		access |= use;
		kind = FG_LL_NOTE_REPLACE;
	}
	if (access == 0)
		return 0;
	if (fg_ll_add_anchor(pl, parent, access, FG_LL_DIR_AT, true, head) < 0)
		return -1;
	return fg_ll_add_note(pl, kind, head, parent, access);
}

/* One allow pattern with its Landlock rights: `use` on what it names,
 * `entry` on the directories things are created in or removed from. */
static int fg_ll_plan_pattern(struct fg_ll_planner *pl, const char *pattern, uint64_t use,
			      uint64_t entry, const struct fg_rule_head *head)
{
	char prefix[PATH_MAX];
	enum fg_ll_shape shape = fg_ll_split(pattern, prefix);
	struct stat st;
	if (stat(prefix, &st) < 0)
		return fg_ll_plan_missing(pl, prefix, use | entry, head);
	bool dir = S_ISDIR(st.st_mode);
	int rc = 0;
	if (shape == FG_LL_LITERAL) {
		/* A directory named by itself: listing it, not its contents. */
		uint64_t access = dir ? use & FG_LL_RD : use & FG_LL_FILE_RIGHTS;
		rc = fg_ll_add_anchor(pl, prefix, access, FG_LL_OBJECT, dir, head);
		if (rc == 0 && dir && access != 0)
			rc = fg_ll_add_note(pl, FG_LL_NOTE_LISTING, head, prefix, access);
	} else if (dir || shape == FG_LL_TREE) {
		rc = fg_ll_add_anchor(pl, prefix, use | entry, FG_LL_TREE_AT, dir, head);
		if (rc == 0 && shape == FG_LL_GLOB)
			rc = fg_ll_add_note(pl, FG_LL_NOTE_BROAD, head, prefix, use | entry);
	}
	if (rc < 0 || shape == FG_LL_GLOB)
		return rc;
	return fg_ll_plan_parent(pl, prefix, use, entry, head);
}

static int fg_ll_plan_files(struct fg_ll_planner *pl)
{
	pl->section = "files";
	for (size_t i = 0; i < pl->rules->file_count; i++) {
		const struct fg_file_rule *r = &pl->rules->files[i];
		if (r->head.outcome.verdict != FG_VERDICT_ALLOW)
			continue; /* Landlock can only allow */
		uint64_t use = fg_ll_use_access(r->rights);
		uint64_t entry = fg_ll_entry_access(r->rights);
		if ((use | entry) == 0)
			continue; /* metadata, stat: not restricted by Landlock */
		if (fg_ll_plan_pattern(pl, r->pattern, use, entry, &r->head) < 0)
			return -1;
	}
	return 0;
}

static bool fg_ll_any_exec(const struct fg_rules *rules)
{
	for (size_t i = 0; i < rules->file_count; i++)
		if (rules->files[i].head.outcome.verdict == FG_VERDICT_ALLOW &&
		    (rules->files[i].rights & FG_RIGHT_EXEC))
			return true;
	return false;
}

/* The kernel opens the ELF interpreter of every program it runs, outside any
 * syscall the supervisor checks, and Landlock wants READ_FILE and EXECUTE on
 * it: the usual loaders, and those named by literal exec paths. */
static int fg_ll_plan_loaders(struct fg_ll_planner *pl)
{
	if (!fg_ll_any_exec(pl->rules))
		return 0;
	struct stat st;
	for (size_t i = 0; i < sizeof(fg_ll_loaders) / sizeof(fg_ll_loaders[0]); i++)
		if (stat(fg_ll_loaders[i], &st) == 0 && S_ISREG(st.st_mode) &&
		    fg_ll_add_anchor(pl, fg_ll_loaders[i], FG_LL_RF | FG_LL_EX, FG_LL_OBJECT, false,
				     NULL) < 0)
			return -1;
	for (size_t i = 0; i < pl->rules->file_count; i++) {
		const struct fg_file_rule *r = &pl->rules->files[i];
		char prefix[PATH_MAX];
		char interp[PATH_MAX];
		if (r->head.outcome.verdict != FG_VERDICT_ALLOW || !(r->rights & FG_RIGHT_EXEC) ||
		    fg_ll_split(r->pattern, prefix) != FG_LL_LITERAL)
			continue;
		if (stat(prefix, &st) < 0 || !S_ISREG(st.st_mode) ||
		    fg_ll_elf_interp(prefix, interp, sizeof(interp)) < 0)
			continue;
		if (fg_ll_add_anchor(pl, interp, FG_LL_RF | FG_LL_EX, FG_LL_OBJECT, false, NULL) <
		    0)
			return -1;
	}
	return 0;
}

/* bind() of a unix socket creates a file (MAKE_SOCK in its directory), and
 * the network section decides it, matching the path as the program gave it.
 * A Landlock rule can follow that only when the directory part is literal
 * and the name cannot be "." or "..". Returns 1 when every unix bind the
 * policy allows is anchored (MAKE_SOCK may be handled), 0 when not, -1 on
 * error. */
static int fg_ll_plan_unix_binds(struct fg_ll_planner *pl)
{
	const struct fg_rules *rules = pl->rules;
	pl->section = "network";
	if ((pl->scope->net_untraced & LANDLOCK_ACCESS_NET_BIND_TCP) ||
	    !rules->network_section.present ||
	    rules->network_section.default_outcome.verdict == FG_VERDICT_ALLOW)
		return 0;
	for (size_t i = 0; i < rules->net_count; i++) {
		const struct fg_net_rule *r = &rules->nets[i];
		if (r->head.outcome.verdict != FG_VERDICT_ALLOW || !(r->operations & FG_NET_BIND) ||
		    !(r->protocols & (FG_PROTO_UNIX_STREAM | FG_PROTO_UNIX_DGRAM)) ||
		    r->unix_abstract)
			continue;
		if (r->unix_pattern == NULL)
			return 0;
		char prefix[PATH_MAX];
		char dir[PATH_MAX];
		const char *name = strrchr(r->unix_pattern, '/');
		enum fg_ll_shape shape = fg_ll_split(r->unix_pattern, prefix);
		fg_ll_parent(r->unix_pattern, dir);
		if ((shape != FG_LL_LITERAL && strcmp(prefix, dir) != 0) ||
		    fg_glob_match(name, "/.") || fg_glob_match(name, "/.."))
			return 0;
		struct stat st;
		int rc = stat(dir, &st) == 0 ? fg_ll_add_anchor(pl, dir, FG_LL_SOCK, FG_LL_DIR_AT,
								S_ISDIR(st.st_mode), &r->head)
					     : fg_ll_plan_missing(pl, dir, FG_LL_SOCK, &r->head);
		if (rc < 0)
			return -1;
	}
	return 1;
}

/* The rights Landlock gives beneath `path`, from anchors on it and on its
 * ancestors (by name: a symlinked ancestor is not seen, which only matters
 * for the approximation below). */
static uint64_t fg_ll_effective(const struct fg_ll_planner *pl, const char *path)
{
	uint64_t access = 0;
	for (size_t i = 0; i < pl->anchor_count; i++)
		if (pl->anchors[i].is_dir && fg_ll_under(path, pl->anchors[i].path))
			access |= pl->anchors[i].access;
	return access & pl->handled_fs;
}

/* Landlock refuses a rename or link into a directory where the file would
 * have rights it did not have where it was (EXDEV). The policy has no such
 * rule, so every directory a move may start from (REFER) gets the rights of
 * every directory one may end in (where files or directories may be made; a
 * unix socket's directory alone is not one). Adding rights can make a source
 * a richer destination, hence the rounds (rights only grow: few rounds). */
static int fg_ll_balance_round(struct fg_ll_planner *pl, uint64_t *eff, bool *changed)
{
	const uint64_t make = LANDLOCK_ACCESS_FS_MAKE_REG | LANDLOCK_ACCESS_FS_MAKE_DIR;
	uint64_t dst_union = 0;
	for (size_t i = 0; i < pl->anchor_count; i++) {
		eff[i] = pl->anchors[i].is_dir ? fg_ll_effective(pl, pl->anchors[i].path) : 0;
		if (eff[i] & make)
			dst_union |= eff[i];
	}
	*changed = false;
	for (size_t i = 0; i < pl->anchor_count; i++) {
		struct fg_ll_anchor *src = &pl->anchors[i];
		uint64_t want = dst_union & ~eff[i];
		if (!src->is_dir || !(src->access & FG_LL_REF) || want == 0)
			continue;
		src->access |= want;
		*changed = true;
		if (fg_ll_add_note(pl, FG_LL_NOTE_REFER, src->head, src->path, want) < 0)
			return -1;
	}
	return 0;
}

static int fg_ll_balance_refer(struct fg_ll_planner *pl)
{
	if (!(pl->handled_fs & FG_LL_REF) || pl->anchor_count == 0)
		return 0;
	uint64_t *eff = calloc(pl->anchor_count, sizeof(*eff));
	if (eff == NULL)
		return -1;
	bool changed = true;
	int rc = 0;
	for (int round = 0; rc == 0 && changed && round < 16; round++)
		rc = fg_ll_balance_round(pl, eff, &changed);
	free(eff);
	return rc;
}

/* Which filesystem rights to handle, and why none when none. */
static uint64_t fg_ll_fs_handled(const struct fg_rules *rules, int abi,
				 const struct fg_ll_scope *scope, const char **reason)
{
	if (!rules->files_section.present) {
		*reason = "the policy has no files section";
		return 0;
	}
	if (rules->files_section.default_outcome.verdict == FG_VERDICT_ALLOW) {
		*reason = "files.default allows, and Landlock can only allow: it cannot back an "
			  "allow-by-default section";
		return 0;
	}
	if (scope->files_untraced) {
		*reason =
		    "the syscall layer allows file syscalls (open, execve, mkdir, rename, ...) "
		    "in the kernel, so the files section does not govern them";
		return 0;
	}
	if (abi == 1) {
		for (size_t i = 0; i < rules->file_count; i++)
			if (rules->files[i].head.outcome.verdict == FG_VERDICT_ALLOW &&
			    (rules->files[i].rights & FG_RIGHT_CREATE)) {
				*reason = "Landlock ABI 1 refuses every rename and link between "
					  "directories (no REFER), which the policy allows";
				return 0;
			}
	}
	*reason = NULL;
	return fg_ll_fs_mask(abi);
}

/* Plans the files part: pl->handled_fs and the anchors. */
static int fg_ll_plan_fs(struct fg_ll_planner *pl, int abi, const char **reason)
{
	pl->handled_fs = fg_ll_fs_handled(pl->rules, abi, pl->scope, reason);
	if (pl->handled_fs == 0)
		return 0;
	int anchored = fg_ll_plan_unix_binds(pl);
	if (anchored < 0)
		return -1;
	if (anchored == 0)
		pl->handled_fs &= ~FG_LL_SOCK;
	if (fg_ll_plan_files(pl) < 0 || fg_ll_plan_loaders(pl) < 0)
		return -1;
	return fg_ll_balance_refer(pl);
}

/* --- network planning ----------------------------------------------------- */

enum { FG_LL_CONNECT, FG_LL_BIND, FG_LL_OPS };

struct fg_ll_net {
	uint64_t handled;
	uint8_t *ports[FG_LL_OPS]; /* bitmaps of 65536 ports */
	size_t count[FG_LL_OPS];
	bool every[FG_LL_OPS]; /* some allow rule: every port */
	bool too_many[FG_LL_OPS];
	bool planned; /* false: the section is not handled at all (see the reason) */
};

static const uint64_t fg_ll_net_bits[FG_LL_OPS] = {
	[FG_LL_CONNECT] = LANDLOCK_ACCESS_NET_CONNECT_TCP,
	[FG_LL_BIND] = LANDLOCK_ACCESS_NET_BIND_TCP,
};

static bool fg_ll_port_set(const uint8_t *bits, unsigned port)
{
	return bits[port / 8] & (1u << (port % 8));
}

static void fg_ll_net_add(struct fg_ll_net *net, int op, const struct fg_port_range *range)
{
	if (range->low == 0 && range->high == 65535) {
		net->every[op] = true;
		return;
	}
	for (unsigned port = range->low; port <= range->high && !net->too_many[op]; port++) {
		if (fg_ll_port_set(net->ports[op], port))
			continue;
		net->ports[op][port / 8] |= (uint8_t)(1u << (port % 8));
		if (++net->count[op] > FG_LANDLOCK_MAX_PORTS)
			net->too_many[op] = true;
	}
}

static void fg_ll_net_free(struct fg_ll_net *net)
{
	for (int op = 0; op < FG_LL_OPS; op++)
		free(net->ports[op]);
	memset(net, 0, sizeof(*net));
}

static int fg_ll_plan_net(const struct fg_rules *rules, int abi, const struct fg_ll_scope *scope,
			  struct fg_ll_net *net, const char **reason)
{
	memset(net, 0, sizeof(*net));
	*reason = NULL;
	if (!rules->network_section.present) {
		*reason = "the policy has no network section";
		return 0;
	}
	if (rules->network_section.default_outcome.verdict == FG_VERDICT_ALLOW) {
		*reason = "network.default allows, and Landlock can only allow";
		return 0;
	}
	if (abi < 4) {
		*reason = "this Landlock ABI has no network rights (ABI 4, Linux 6.7)";
		return 0;
	}
	net->planned = true;
	for (int op = 0; op < FG_LL_OPS; op++) {
		net->ports[op] = calloc(65536 / 8, 1);
		if (net->ports[op] == NULL) {
			fg_ll_net_free(net);
			return -1;
		}
	}
	for (size_t i = 0; i < rules->net_count; i++) {
		const struct fg_net_rule *r = &rules->nets[i];
		if (r->head.outcome.verdict != FG_VERDICT_ALLOW || !(r->protocols & FG_PROTO_TCP))
			continue;
		/* sendto with an address on TCP is Fast Open: a connect, which
		 * Landlock does not check today; counting it keeps the superset
		 * if it ever does. */
		if (r->operations & (FG_NET_CONNECT | FG_NET_SEND))
			fg_ll_net_add(net, FG_LL_CONNECT, &r->ports);
		if (r->operations & FG_NET_BIND)
			fg_ll_net_add(net, FG_LL_BIND, &r->ports);
	}
	for (int op = 0; op < FG_LL_OPS; op++)
		if (!net->every[op] && !net->too_many[op])
			net->handled |= fg_ll_net_bits[op];
	net->handled &= ~scope->net_untraced;
	if (net->handled == 0)
		*reason = "allow rules or the syscall layer (connect, bind allowed in the kernel) "
			  "open tcp connect and bind on every port";
	return 0;
}

/* --- the ruleset ---------------------------------------------------------- */

/* Rights that can go on what `fd` is, for this anchor. */
static uint64_t fg_ll_fit(const struct fg_ll_anchor *a, int fd)
{
	struct stat st;
	if (fstat(fd, &st) < 0)
		return 0;
	if (S_ISDIR(st.st_mode))
		return a->kind == FG_LL_OBJECT ? a->access & FG_LL_RD : a->access;
	/* A file: only file rights, else landlock_add_rule fails with EINVAL. */
	return a->kind == FG_LL_DIR_AT ? 0 : a->access & FG_LL_FILE_RIGHTS;
}

static int fg_ll_add_path(int ruleset, const struct fg_ll_anchor *a, uint64_t handled,
			  size_t *added, struct fg_error *err)
{
	int fd = open(a->path, O_PATH | O_CLOEXEC);
	if (fd < 0) {
		/* Gone since planning, or unreachable with fhirguard's own
		 * credentials, which the program shares: nothing to allow. */
		if (errno == ENOENT || errno == ENOTDIR || errno == EACCES || errno == ELOOP ||
		    errno == ENAMETOOLONG)
			return 0;
		return fg_error_set(err, "landlock: cannot open %s: %s", a->path, strerror(errno));
	}
	struct landlock_path_beneath_attr attr = {
		.allowed_access = fg_ll_fit(a, fd) & handled,
		.parent_fd = fd,
	};
	int rc = 0;
	if (attr.allowed_access != 0) {
		if (syscall(__NR_landlock_add_rule, ruleset, LANDLOCK_RULE_PATH_BENEATH, &attr,
			    0) == 0)
			(*added)++;
		/* EBADFD: a pipe, socket or other internal object (through
		 * /proc/self/fd), which Landlock never restricts. */
		else if (errno != EBADFD)
			rc = fg_error_set(err, "landlock: cannot add a rule for %s: %s", a->path,
					  strerror(errno));
	}
	close(fd);
	return rc;
}

static int fg_ll_add_port(int ruleset, unsigned port, uint64_t access, size_t *added,
			  struct fg_error *err)
{
	const uint64_t attr[FG_LL_PORT_WORDS] = {
		[FG_LL_PORT_ACCESS] = access,
		[FG_LL_PORT_NUMBER] = port,
	};
	if (syscall(__NR_landlock_add_rule, ruleset, LANDLOCK_RULE_NET_PORT, attr, 0) < 0)
		return fg_error_set(err, "landlock: cannot add a rule for port %u: %s", port,
				    strerror(errno));
	(*added)++;
	return 0;
}

/* One rule per port, with every handled operation allowed on it. */
static int fg_ll_add_ports(int ruleset, const struct fg_ll_net *net, size_t *added,
			   struct fg_error *err)
{
	if (net->handled == 0)
		return 0;
	for (unsigned byte = 0; byte < 65536 / 8; byte++) {
		if ((net->ports[FG_LL_CONNECT][byte] | net->ports[FG_LL_BIND][byte]) == 0)
			continue; /* the bitmaps are sparse */
		for (unsigned port = byte * 8; port < byte * 8 + 8; port++) {
			uint64_t access = 0;
			for (int op = 0; op < FG_LL_OPS; op++)
				if (fg_ll_port_set(net->ports[op], port))
					access |= fg_ll_net_bits[op];
			access &= net->handled;
			if (access != 0 && fg_ll_add_port(ruleset, port, access, added, err) < 0)
				return -1;
		}
	}
	return 0;
}

static int fg_ll_build(const struct fg_ll_planner *pl, const struct fg_ll_net *net,
		       struct fg_landlock_plan *plan, struct fg_error *err)
{
	const uint64_t attr[FG_LL_ATTR_WORDS] = {
		[FG_LL_ATTR_FS] = pl->handled_fs,
		[FG_LL_ATTR_NET] = net->handled,
	};
	int fd = (int)syscall(__NR_landlock_create_ruleset, attr, sizeof(attr), 0);
	if (fd < 0)
		return fg_error_set(err, "landlock: cannot create a ruleset: %s", strerror(errno));
	for (size_t i = 0; i < pl->anchor_count; i++)
		if (fg_ll_add_path(fd, &pl->anchors[i], pl->handled_fs, &plan->path_rules, err) < 0)
			goto fail;
	if (fg_ll_add_ports(fd, net, &plan->port_rules, err) < 0)
		goto fail;
	plan->ruleset_fd = fd;
	plan->handled_fs = pl->handled_fs;
	plan->handled_net = net->handled;
	return 0;
fail:
	close(fd);
	return -1;
}

static int fg_ll_prepare(const struct fg_rules *rules, const struct fg_ll_scope *scope,
			 struct fg_landlock_plan *plan, struct fg_error *err)
{
	int error;
	plan->abi = fg_ll_probe(&error);
	if (plan->abi == 0) {
		plan->unavailable_reason = fg_ll_unavailable(error);
		return 0;
	}
	struct fg_ll_planner pl = { .rules = rules, .scope = scope };
	struct fg_ll_net net;
	if (fg_ll_plan_fs(&pl, plan->abi, &plan->fs_reason) < 0) {
		fg_ll_planner_free(&pl);
		return fg_error_set(err, "landlock: out of memory");
	}
	if (fg_ll_plan_net(rules, plan->abi, scope, &net, &plan->net_reason) < 0) {
		fg_ll_planner_free(&pl);
		return fg_error_set(err, "landlock: out of memory");
	}
	int rc = 0;
	if (pl.handled_fs == 0 && net.handled == 0)
		plan->unavailable_reason = "the policy has nothing Landlock can enforce";
	else
		rc = fg_ll_build(&pl, &net, plan, err);
	fg_ll_planner_free(&pl);
	fg_ll_net_free(&net);
	if (rc < 0)
		plan->path_rules = plan->port_rules = 0;
	return rc;
}

int fg_landlock_prepare(const struct fg_rules *rules, struct fg_landlock_plan *plan,
			struct fg_error *err)
{
	static const struct fg_ll_scope everything = { 0 };
	memset(plan, 0, sizeof(*plan));
	plan->ruleset_fd = -1;
	return fg_ll_prepare(rules, &everything, plan, err);
}

/* The first of `names` the syscall layer allows in the kernel, or NULL. */
static const char *fg_ll_untraced(const struct fg_policy *policy, const char *const *names,
				  size_t count)
{
	for (size_t i = 0; i < count; i++) {
		long nr = fg_syscall_from_name(names[i]);
		if (nr >= 0 && fg_policy_syscall_rule(policy, nr)->action == FG_ACTION_ALLOW)
			return names[i];
	}
	return NULL;
}

static void fg_ll_scope_of(const struct fg_policy *policy, struct fg_ll_scope *scope)
{
	static const char *const connect[] = { "connect" };
	static const char *const bind[] = { "bind" };
	memset(scope, 0, sizeof(*scope));
	scope->files_untraced =
	    fg_ll_untraced(policy, fg_ll_file_calls,
			   sizeof(fg_ll_file_calls) / sizeof(fg_ll_file_calls[0])) != NULL;
	if (fg_ll_untraced(policy, connect, 1))
		scope->net_untraced |= LANDLOCK_ACCESS_NET_CONNECT_TCP;
	if (fg_ll_untraced(policy, bind, 1))
		scope->net_untraced |= LANDLOCK_ACCESS_NET_BIND_TCP;
}

int fg_landlock_prepare_policy(const struct fg_policy *policy, enum fg_mode mode,
			       struct fg_landlock_plan *plan, struct fg_error *err)
{
	memset(plan, 0, sizeof(*plan));
	plan->ruleset_fd = -1;
	if (mode != FG_MODE_ENFORCE) {
		plan->abi = fg_landlock_abi();
		plan->unavailable_reason = "audit mode allows everything: Landlock is not applied";
		return 0;
	}
	struct fg_ll_scope scope;
	fg_ll_scope_of(policy, &scope);
	return fg_ll_prepare(&policy->sections, &scope, plan, err);
}

int fg_landlock_apply(const struct fg_landlock_plan *plan)
{
	if (plan->ruleset_fd < 0)
		return 0;
	if (syscall(__NR_landlock_restrict_self, plan->ruleset_fd, 0) < 0)
		return -errno;
	return 0;
}

void fg_landlock_summary(const struct fg_landlock_plan *plan, char *buf, size_t size)
{
	if (plan->ruleset_fd < 0) {
		snprintf(buf, size, "off: %s",
			 plan->unavailable_reason ? plan->unavailable_reason : "no ruleset");
		return;
	}
	size_t used = (size_t)snprintf(buf, size, "abi %d:", plan->abi);
	if (plan->handled_fs != 0 && used < size)
		used += (size_t)snprintf(buf + used, size - used, " files (%zu path rule%s)%s",
					 plan->path_rules, plan->path_rules == 1 ? "" : "s",
					 plan->handled_net != 0 ? "," : "");
	if (plan->handled_net != 0 && used < size)
		used += (size_t)snprintf(buf + used, size - used, " tcp (%zu port rule%s)",
					 plan->port_rules, plan->port_rules == 1 ? "" : "s");
	if (plan->handled_fs == 0 && plan->fs_reason != NULL && used < size)
		used += (size_t)snprintf(buf + used, size - used, "; files not enforced: %s",
					 plan->fs_reason);
	if (plan->handled_net == 0 && plan->net_reason != NULL && used < size)
		snprintf(buf + used, size - used, "; tcp not enforced: %s", plan->net_reason);
}

void fg_landlock_release(struct fg_landlock_plan *plan)
{
	if (plan->ruleset_fd >= 0)
		close(plan->ruleset_fd);
	plan->ruleset_fd = -1;
}

/* --- describing the limits ------------------------------------------------ */

struct fg_ll_out {
	void (*emit)(const char *line, void *ctx);
	void *ctx;
};

static void fg_ll_say(const struct fg_ll_out *out, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void fg_ll_say(const struct fg_ll_out *out, const char *fmt, ...)
{
	char line[1024];
	int n = snprintf(line, sizeof(line), "landlock: ");
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	va_end(ap);
	out->emit(line, out->ctx);
}

/* Up to a few distinct words, then a count. */
struct fg_ll_list {
	const char *items[64];
	size_t count;
	size_t more; /* beyond items: not told apart */
};

enum { FG_LL_LIST_SHOWN = 6 };

static void fg_ll_list_add(struct fg_ll_list *l, const char *s)
{
	for (size_t i = 0; i < l->count; i++)
		if (strcmp(l->items[i], s) == 0)
			return;
	if (l->count < sizeof(l->items) / sizeof(l->items[0]))
		l->items[l->count++] = s;
	else
		l->more++;
}

static void fg_ll_list_format(const struct fg_ll_list *l, char *buf, size_t size)
{
	size_t len = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < l->count && i < FG_LL_LIST_SHOWN && len < size; i++) {
		int n = snprintf(buf + len, size - len, "%s%s", i ? ", " : "", l->items[i]);
		len += n > 0 ? (size_t)n : 0;
	}
	size_t hidden = l->count > FG_LL_LIST_SHOWN ? l->count - FG_LL_LIST_SHOWN : 0;
	if (hidden + l->more > 0 && len < size)
		snprintf(buf + len, size - len, " and %zu more", hidden + l->more);
}

static bool fg_ll_same_rule(const struct fg_rule_head *a, const struct fg_rule_head *b)
{
	return a->line == b->line && strcmp(a->id, b->id) == 0;
}

/* What a note means, with `words` (rights) and `where` (paths). */
static void fg_ll_note_text(enum fg_ll_note_kind kind, const char *words, const char *where,
			    char *buf, size_t size)
{
	switch (kind) {
	case FG_LL_NOTE_BROAD:
		snprintf(buf, size,
			 "Landlock cannot follow its wildcards: it allows %s on all of %s", words,
			 where);
		break;
	case FG_LL_NOTE_LISTING:
		snprintf(buf, size,
			 "Landlock cannot allow a directory without its subdirectories: it allows "
			 "%s beneath %s (names, not contents)",
			 words, where);
		break;
	case FG_LL_NOTE_ENTRY:
		snprintf(buf, size,
			 "creating or removing what it names happens in the parent directory: "
			 "Landlock allows %s in all of %s",
			 words, where);
		break;
	case FG_LL_NOTE_REPLACE:
		snprintf(buf, size,
			 "the program may re-create what it names, and Landlock rules stick to the "
			 "old inode: Landlock allows %s in all of %s",
			 words, where);
		break;
	case FG_LL_NOTE_WALKUP:
		snprintf(buf, size,
			 "its directory does not exist yet and the program may create it: Landlock "
			 "allows %s in all of %s",
			 words, where);
		break;
	case FG_LL_NOTE_MISSING:
		snprintf(
		    buf, size,
		    "%s does not exist and the policy lets the program create none of it: "
		    "Landlock adds nothing, and refuses %s there if another process creates it "
		    "later",
		    where, words);
		break;
	case FG_LL_NOTE_REFER:
		snprintf(
		    buf, size,
		    "Landlock refuses moves into directories with more rights (EXDEV): so that "
		    "the moves the policy allows work, it allows %s in all of %s",
		    words, where);
		break;
	}
}

/* One line per (rule, kind): the paths of its notes together. */
static void fg_ll_say_notes(struct fg_ll_planner *pl, const struct fg_ll_out *out)
{
	for (size_t i = 0; i < pl->note_count; i++) {
		struct fg_ll_note *n = &pl->notes[i];
		if (n->done)
			continue;
		struct fg_ll_list paths = { 0 };
		uint64_t access = 0;
		for (size_t j = i; j < pl->note_count; j++) {
			struct fg_ll_note *m = &pl->notes[j];
			if (m->done || m->kind != n->kind || m->section != n->section ||
			    !fg_ll_same_rule(m->head, n->head))
				continue;
			m->done = true;
			fg_ll_list_add(&paths, m->path);
			access |= m->access;
		}
		char words[160];
		char where[512];
		char text[1024];
		fg_ll_access_words(access & pl->handled_fs, words, sizeof(words));
		fg_ll_list_format(&paths, where, sizeof(where));
		fg_ll_note_text(n->kind, words, where, text, sizeof(text));
		fg_ll_say(out, "%s rule %s (line %d): %s", n->section, n->head->id, n->head->line,
			  text);
	}
}

/* The Landlock rights allow anchors give where refusing rule `d` applies
 * (inside or around its prefix); who gives them goes to `by`. */
static uint64_t fg_ll_overlap(const struct fg_ll_planner *pl, const struct fg_file_rule *d,
			      struct fg_ll_list *by)
{
	uint64_t want =
	    (fg_ll_use_access(d->rights) | fg_ll_entry_access(d->rights)) & pl->handled_fs;
	uint64_t leak = 0;
	char prefix[PATH_MAX];
	fg_ll_split(d->pattern, prefix);
	for (size_t k = 0; k < pl->anchor_count && want != 0; k++) {
		const struct fg_ll_anchor *a = &pl->anchors[k];
		uint64_t overlap = a->access & want;
		if (overlap == 0 ||
		    (!fg_ll_under(prefix, a->path) && !fg_ll_under(a->path, prefix)))
			continue;
		leak |= overlap;
		fg_ll_list_add(by, a->head ? a->head->id : "fhirguard's ELF loader rule");
	}
	return leak;
}

/* Refusing rules inside (or around) what an allow rule opened to Landlock:
 * only the supervisor enforces them. One line per rule (all its paths). */
static void fg_ll_say_unbacked(const struct fg_ll_planner *pl, const struct fg_ll_out *out)
{
	const struct fg_rules *rules = pl->rules;
	for (size_t i = 0; i < rules->file_count; i++) {
		const struct fg_rule_head *head = &rules->files[i].head;
		if (head->outcome.verdict == FG_VERDICT_ALLOW ||
		    (i > 0 && fg_ll_same_rule(&rules->files[i - 1].head, head)))
			continue;
		struct fg_ll_list patterns = { 0 };
		struct fg_ll_list by = { 0 };
		uint64_t leak = 0;
		for (size_t j = i;
		     j < rules->file_count && fg_ll_same_rule(&rules->files[j].head, head); j++) {
			uint64_t here = fg_ll_overlap(pl, &rules->files[j], &by);
			if (here != 0)
				fg_ll_list_add(&patterns, rules->files[j].pattern);
			leak |= here;
		}
		if (leak == 0)
			continue;
		char what[512];
		char who[256];
		char words[160];
		fg_ll_list_format(&patterns, what, sizeof(what));
		fg_ll_list_format(&by, who, sizeof(who));
		fg_ll_access_words(leak, words, sizeof(words));
		fg_ll_say(
		    out,
		    "files rule %s (line %d) refuses %s, but Landlock allows %s there (through "
		    "%s): only the supervisor enforces it",
		    head->id, head->line, what, words, who);
	}
	fg_ll_say(out, "files: Landlock does not restrict metadata and stat (chmod, chown, "
		       "utimes, xattrs, stat, access, readlink, chdir): only the supervisor "
		       "decides them");
}

static void fg_ll_describe_fs(const struct fg_rules *rules, const struct fg_ll_scope *scope,
			      int abi, const struct fg_ll_out *out)
{
	struct fg_ll_planner pl = { .rules = rules, .scope = scope, .keep_notes = true };
	const char *reason = NULL;
	if (fg_ll_plan_fs(&pl, abi, &reason) < 0) {
		fg_ll_say(out, "files: cannot plan the Landlock rules: out of memory");
		fg_ll_planner_free(&pl);
		return;
	}
	if (pl.handled_fs == 0) {
		if (rules->files_section.present)
			fg_ll_say(out, "files: not enforced by Landlock: %s", reason);
		fg_ll_planner_free(&pl);
		return;
	}
	fg_ll_say_notes(&pl, out);
	fg_ll_say_unbacked(&pl, out);
	if (!(pl.handled_fs & FG_LL_SOCK))
		fg_ll_say(out, "files: creating sockets (unix bind, mknod) is not restricted by "
			       "Landlock: the policy allows unix binds outside literal directories "
			       "(or has no network section)");
	fg_ll_say(out, "files: Landlock rules stick to inodes: a file or directory another "
		       "process replaces after the start (a Kubernetes ConfigMap update) loses "
		       "them; name such paths as DIR/**");
	fg_ll_say(out,
		  "files: with a files section, the Landlock domain also refuses mount, "
		  "umount, pivot_root and move_mount (EPERM), whatever the syscall layer says");
	fg_ll_planner_free(&pl);
}

static const char *const fg_ll_op_names[FG_LL_OPS] = {
	[FG_LL_CONNECT] = "connect",
	[FG_LL_BIND] = "bind",
};

static bool fg_ll_range_overlaps(const struct fg_ll_net *net, int op,
				 const struct fg_port_range *range)
{
	for (unsigned port = range->low; port <= range->high; port++)
		if (fg_ll_port_set(net->ports[op], port))
			return true;
	return false;
}

static bool fg_ll_all_addresses(const struct fg_net_rule *r)
{
	if (r->cidr_count == 0)
		return true;
	for (size_t i = 0; i < r->cidr_count; i++)
		if (r->cidrs[i].any)
			return true;
	return false;
}

/* One inet rule against what Landlock does with its tcp operations. */
static void fg_ll_say_net_rule(const struct fg_ll_net *net, const struct fg_net_rule *r,
			       const struct fg_ll_out *out)
{
	static const unsigned ops[FG_LL_OPS] = {
		[FG_LL_CONNECT] = FG_NET_CONNECT | FG_NET_SEND,
		[FG_LL_BIND] = FG_NET_BIND,
	};
	bool allow = r->head.outcome.verdict == FG_VERDICT_ALLOW;
	for (int op = 0; op < FG_LL_OPS; op++) {
		if (!(r->protocols & FG_PROTO_TCP) || !(r->operations & ops[op]))
			continue;
		bool handled = net->handled & fg_ll_net_bits[op];
		if (allow && net->every[op] && r->ports.low == 0 && r->ports.high == 65535)
			fg_ll_say(out,
				  "network rule %s (line %d) allows tcp %s on every port: Landlock "
				  "does not restrict tcp %s",
				  r->head.id, r->head.line, fg_ll_op_names[op], fg_ll_op_names[op]);
		else if (allow && handled && !fg_ll_all_addresses(r))
			fg_ll_say(out,
				  "network rule %s (line %d): Landlock has no addresses: it allows "
				  "tcp %s on ports %u-%u to every address",
				  r->head.id, r->head.line, fg_ll_op_names[op], r->ports.low,
				  r->ports.high);
		else if (!allow && (!handled || fg_ll_range_overlaps(net, op, &r->ports)))
			fg_ll_say(out,
				  "network rule %s (line %d) refuses tcp %s, but Landlock allows "
				  "%s: only the supervisor enforces it",
				  r->head.id, r->head.line, fg_ll_op_names[op],
				  handled ? "some of its ports (at any address)" : "every port");
	}
}

static void fg_ll_describe_net(const struct fg_rules *rules, const struct fg_ll_scope *scope,
			       int abi, const struct fg_ll_out *out)
{
	if (!rules->network_section.present)
		return;
	struct fg_ll_net net;
	const char *reason = NULL;
	if (fg_ll_plan_net(rules, abi, scope, &net, &reason) < 0) {
		fg_ll_say(out, "network: cannot plan the Landlock rules: out of memory");
		return;
	}
	if (!net.planned) {
		fg_ll_say(out, "network: not enforced by Landlock: %s", reason);
		return;
	}
	for (int op = 0; op < FG_LL_OPS; op++)
		if (scope->net_untraced & fg_ll_net_bits[op])
			fg_ll_say(
			    out,
			    "network: the syscall layer allows %s in the kernel, so the network "
			    "section does not govern it: Landlock does not restrict tcp %s",
			    fg_ll_op_names[op], fg_ll_op_names[op]);
	for (int op = 0; op < FG_LL_OPS; op++)
		if (net.too_many[op])
			fg_ll_say(
			    out,
			    "network: allow rules open tcp %s on more than %d ports: Landlock "
			    "does not restrict tcp %s",
			    fg_ll_op_names[op], FG_LANDLOCK_MAX_PORTS, fg_ll_op_names[op]);
	bool unix_rules = false;
	for (size_t i = 0; i < rules->net_count; i++) {
		fg_ll_say_net_rule(&net, &rules->nets[i], out);
		unix_rules |= (rules->nets[i].protocols & ~(unsigned)FG_PROTO_TCP) != 0;
	}
	fg_ll_say(out, "network: Landlock restricts only tcp bind and connect by port: udp, "
		       "sends and addresses are the supervisor's alone");
	fg_ll_say(out, "network: Landlock does not check TCP Fast Open (sendto or sendmsg with "
		       "MSG_FASTOPEN connects without it): only the supervisor's send check "
		       "stands there");
	if (unix_rules || rules->network_section.default_outcome.verdict != FG_VERDICT_ALLOW)
		fg_ll_say(out,
			  "network: unix sockets and socket families are not restricted by "
			  "Landlock (ABI 6 scoping isolates abstract sockets by domain, not by "
			  "name, and is not used)");
	fg_ll_net_free(&net);
}

static void fg_ll_describe(const struct fg_rules *rules, const struct fg_ll_scope *scope, int abi,
			   const struct fg_ll_out *out)
{
	if (!rules->files_section.present && !rules->network_section.present)
		return;
	if (abi <= 0) {
		fg_ll_say(out, "not available on this kernel: only the supervisor enforces the "
			       "files and network sections (paths are checked in user space, open "
			       "to races with other threads)");
		return;
	}
	fg_ll_describe_fs(rules, scope, abi, out);
	fg_ll_describe_net(rules, scope, abi, out);
}

void fg_landlock_describe_limits(const struct fg_rules *rules, int abi,
				 void (*emit)(const char *line, void *ctx), void *ctx)
{
	static const struct fg_ll_scope everything = { 0 };
	const struct fg_ll_out out = { .emit = emit, .ctx = ctx };
	fg_ll_describe(rules, &everything, abi, &out);
}

void fg_landlock_describe_policy_limits(const struct fg_policy *policy, int abi,
					void (*emit)(const char *line, void *ctx), void *ctx)
{
	const struct fg_ll_out out = { .emit = emit, .ctx = ctx };
	struct fg_ll_scope scope;
	fg_ll_scope_of(policy, &scope);
	fg_ll_describe(&policy->sections, &scope, abi, &out);
}
