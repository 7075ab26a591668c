/* learn.c - learn mode: observations in, a policy a person could have written out.
 *
 * Observations are deduplicated as they arrive (a JVM repeats the same few
 * hundred objects tens of thousands of times), files in pattern form: the
 * path as a glob that matches exactly it, with process and thread IDs under
 * /proc already written as '*'. fg_learner_write generalises them as a
 * person would (see "files: generalising"), prints the policy, and loads
 * the text again before it replaces the file, so that a bug here can never
 * leave a policy behind that fhirguard refuses.
 */
#include "learn.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "errno_names.h"
#include "glob.h"
#include "json_buf.h"
#include "rules.h"
#include "syscall_names.h"
#include "utf8.h"

enum {
	ALL_RIGHTS = (1u << FG_RIGHT_COUNT) - 1,
	/* Rights that may be folded into a tree that lacks them: looking is harmless. */
	LOOK_RIGHTS = FG_RIGHT_READ | FG_RIGHT_STAT,
	CHANGE_RIGHTS = FG_RIGHT_WRITE | FG_RIGHT_CREATE | FG_RIGHT_DELETE | FG_RIGHT_METADATA,
	ALL_OPERATIONS = FG_NET_CONNECT | FG_NET_BIND | FG_NET_SEND,
	ALL_PROTOCOLS = FG_PROTO_TCP | FG_PROTO_UDP | FG_PROTO_UNIX_STREAM | FG_PROTO_UNIX_DGRAM,
	INET_PROTOCOLS = FG_PROTO_TCP | FG_PROTO_UDP,
	/* Distinct files read below one directory before they become one tree rule. */
	TREE_MIN_FILES = 3,
	/* Distinct argument vectors kept per program, for merge checks. */
	MAX_ARGVS = 16,
	FAMILY_SLOTS = 64,
	LINE_WIDTH = 100,
	PATTERN_SIZE = FG_GLOB_MAX_LEN + 1,
	TEXT_SIZE = PATTERN_SIZE + 512,
	MAX_POLICY_BYTES = 16 * 1024 * 1024,
};

/* Where a later learning run's notes start in the policy's description. */
static const char notes_marker[] = "\n\nNotes from the last learning run: ";

/* --- a set of observations keyed by string ------------------------------- */

struct obs {
	char *key;	     /* NULL: a free slot */
	unsigned bits;	     /* files: FG_RIGHT_* */
	unsigned long count; /* how many events */
	bool secret;	     /* files: a secret path (never generalised) */
	void *aux;	     /* per kind: see the fg_learner_* functions */
};

struct obs_table {
	struct obs *slots;
	size_t capacity; /* a power of two, or 0 */
	size_t count;
	void (*free_aux)(void *aux);
};

static uint64_t hash_string(const char *s)
{
	uint64_t h = 0xcbf29ce484222325u; /* FNV-1a */
	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3u;
	}
	return h;
}

/* The slot holding `key`, or the free slot where it would go. */
static struct obs *table_slot(const struct obs_table *t, const char *key)
{
	size_t mask = t->capacity - 1;
	size_t i = (size_t)hash_string(key) & mask;
	while (t->slots[i].key != NULL && strcmp(t->slots[i].key, key) != 0)
		i = (i + 1) & mask;
	return &t->slots[i];
}

static bool table_grow(struct obs_table *t)
{
	size_t capacity = t->capacity ? t->capacity * 2 : 64;
	struct obs_table bigger = { .capacity = capacity,
				    .count = t->count,
				    .free_aux = t->free_aux };
	if (capacity < t->capacity)
		return false;
	bigger.slots = calloc(capacity, sizeof(*bigger.slots));
	if (bigger.slots == NULL)
		return false;
	for (size_t i = 0; i < t->capacity; i++) {
		if (t->slots[i].key != NULL)
			*table_slot(&bigger, t->slots[i].key) = t->slots[i];
	}
	free(t->slots);
	*t = bigger;
	return true;
}

/* The entry for `key`, added (zeroed) when new; NULL when memory runs out. */
static struct obs *table_get(struct obs_table *t, const char *key, bool *added)
{
	*added = false;
	if ((t->count + 1) * 2 > t->capacity && !table_grow(t))
		return NULL;
	struct obs *o = table_slot(t, key);
	if (o->key != NULL)
		return o;
	o->key = strdup(key);
	if (o->key == NULL)
		return NULL;
	t->count++;
	*added = true;
	return o;
}

static bool table_has(const struct obs_table *t, const char *key)
{
	return t->capacity != 0 && table_slot(t, key)->key != NULL;
}

static void table_free(struct obs_table *t)
{
	for (size_t i = 0; i < t->capacity; i++) {
		if (t->slots[i].key == NULL)
			continue;
		free(t->slots[i].key);
		if (t->free_aux != NULL)
			t->free_aux(t->slots[i].aux);
	}
	free(t->slots);
	t->slots = NULL;
	t->capacity = 0;
	t->count = 0;
}

/* Components sort before anything else ('/' as the lowest byte), so that a
 * directory's subtree is one contiguous run of sorted paths. */
static int path_cmp(const char *a, const char *b)
{
	for (;; a++, b++) {
		int ca = *a == '/' ? 1 : (*a == '\0' ? 0 : (unsigned char)*a + 1);
		int cb = *b == '/' ? 1 : (*b == '\0' ? 0 : (unsigned char)*b + 1);
		if (ca != cb || ca == 0)
			return ca - cb;
	}
}

static int obs_cmp(const void *a, const void *b)
{
	const struct obs *const *x = a;
	const struct obs *const *y = b;
	return path_cmp((*x)->key, (*y)->key);
}

/* The entries in key order (deterministic output); NULL when memory runs
 * out or the table is empty (then *count is 0). */
static struct obs **table_sorted(const struct obs_table *t, size_t *count)
{
	*count = 0;
	if (t->count == 0)
		return NULL;
	struct obs **all = calloc(t->count, sizeof(*all));
	if (all == NULL)
		return NULL;
	for (size_t i = 0; i < t->capacity; i++) {
		if (t->slots[i].key != NULL)
			all[(*count)++] = &t->slots[i];
	}
	qsort(all, *count, sizeof(*all), obs_cmp);
	return all;
}

/* --- observations ---------------------------------------------------------- */

/* Execs: the path as observed and every distinct argv seen (up to
 * MAX_ARGVS), for merge checks. */
struct exec_aux {
	char *raw;
	char **argvs[MAX_ARGVS];
	size_t argv_count;
};

/* Networks: the observation itself. */
struct net_aux {
	unsigned operation;
	unsigned protocol;
	struct fg_endpoint endpoint;
};

struct fg_learner {
	struct obs_table files; /* pattern -> rights; aux: the first raw path if it differs */
	struct obs_table execs; /* pattern -> struct exec_aux */
	struct obs_table nets;	/* "OP PROTO ENDPOINT" -> struct net_aux */
	bool syscalls[FG_SYSCALL_COUNT];
	bool families[FAMILY_SLOTS];
	bool raw_inet;
	unsigned long bad_paths;    /* not expressible as a pattern */
	unsigned long bad_sockets;  /* socket kinds no policy can allow */
	unsigned long bad_syscalls; /* numbers out of range */
	unsigned long bad_families; /* family numbers out of range */
	bool failed;		    /* memory ran out: the observations are incomplete */
};

static void free_argv(char **argv)
{
	for (size_t i = 0; argv != NULL && argv[i] != NULL; i++)
		free(argv[i]);
	free(argv);
}

static void free_exec_aux(void *aux)
{
	struct exec_aux *e = aux;
	if (e == NULL)
		return;
	for (size_t i = 0; i < e->argv_count; i++)
		free_argv(e->argvs[i]);
	free(e->raw);
	free(e);
}

struct fg_learner *fg_learner_new(void)
{
	struct fg_learner *l = calloc(1, sizeof(*l));
	if (l == NULL)
		return NULL;
	l->files.free_aux = free;
	l->execs.free_aux = free_exec_aux;
	l->nets.free_aux = free;
	return l;
}

void fg_learner_free(struct fg_learner *l)
{
	if (l == NULL)
		return;
	table_free(&l->files);
	table_free(&l->execs);
	table_free(&l->nets);
	free(l);
}

static bool all_digits(const char *s, size_t len)
{
	if (len == 0)
		return false;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
	}
	return true;
}

/* Appends one component of a path as a pattern matching exactly it: glob
 * characters escaped, bytes that are not UTF-8 as '?' (which matches them). */
static bool escape_component(const char *c, size_t len, char *out, size_t size, size_t *at)
{
	size_t i = 0;
	while (i < len) {
		const unsigned char *u = (const unsigned char *)c + i;
		size_t n = fg_utf8_sequence_length(u, len - i);
		bool special = n == 1 && strchr("*?[\\", c[i]) != NULL;
		size_t need = n == 0 ? 1 : n + (special ? 1 : 0);
		if (*at + need >= size)
			return false;
		if (n == 0) {
			out[(*at)++] = '?';
			i++;
			continue;
		}
		if (special)
			out[(*at)++] = '\\';
		memcpy(out + *at, c + i, n);
		*at += n;
		i += n;
	}
	return true;
}

/* `path` (absolute, normalised) as a pattern matching exactly it; with
 * `proc_ids`, numeric components below /proc (process, thread and fd
 * numbers, different on every run) become '*'. False when it does not fit. */
static bool path_to_pattern(const char *path, bool proc_ids, char *out, size_t size)
{
	if (path[0] != '/' || size < 2)
		return false;
	bool in_proc = proc_ids && (strncmp(path, "/proc/", 6) == 0 || strcmp(path, "/proc") == 0);
	size_t at = 0;
	size_t index = 0;
	const char *c = path + 1;
	out[at++] = '/';
	while (*c != '\0') {
		size_t len = strcspn(c, "/");
		if (in_proc && index > 0 && all_digits(c, len)) {
			if (at + 1 >= size)
				return false;
			out[at++] = '*';
		} else if (!escape_component(c, len, out, size, &at)) {
			return false;
		}
		c += len;
		if (*c == '/') {
			if (at + 1 >= size)
				return false;
			out[at++] = '/';
			c++;
		}
		index++;
	}
	out[at] = '\0';
	return true;
}

/* Paths that hold credentials: never part of a learned pattern; observed,
 * they are allowed exactly and shown to the operator first. */
static const char *const secret_patterns[] = {
	"/etc/shadow",
	"/etc/shadow-",
	"/etc/gshadow",
	"/etc/gshadow-",
	"/etc/sudoers",
	"/etc/sudoers.d/**",
	"/etc/security/opasswd",
	"/etc/ssh/**",
	"/etc/ssl/private/**",
	"/root/**",
	"/home/*/.ssh/**",
	"/home/*/.gnupg/**",
	"/home/*/.aws/**",
	"/run/secrets/**",
	"/var/run/secrets/**",
	"/proc/*/environ",
	"/proc/*/mem",
	"/proc/*/task/*/environ",
	"/proc/*/task/*/mem",
	"/proc/kcore",
	NULL,
};

static bool is_secret(const char *path)
{
	for (size_t i = 0; secret_patterns[i] != NULL; i++) {
		if (fg_glob_match(secret_patterns[i], path))
			return true;
	}
	return false;
}

/* A program that looks at /proc (every JVM does) also reads kernel
 * tunables now and then: HotSpot reads /proc/sys/vm/overcommit_memory only
 * when the heap grows, so one learning run may miss it and the next run
 * would be refused. They are world-readable facts about the kernel, so the
 * first /proc read also teaches reading the /proc/sys tree. */
static void learn_kernel_tunables(struct fg_learner *l, const char *path)
{
	static const char tunable[] = "/proc/sys/vm/overcommit_memory";
	if (strncmp(path, "/proc/", 6) == 0 && strncmp(path, "/proc/sys/", 10) != 0)
		fg_learner_file(l, tunable, FG_RIGHT_READ);
}

void fg_learner_file(struct fg_learner *l, const char *path, unsigned rights)
{
	char pattern[PATTERN_SIZE];
	struct fg_error err;
	bool added;
	rights &= ALL_RIGHTS;
	if (l == NULL || path == NULL || rights == 0)
		return;
	if (!path_to_pattern(path, true, pattern, sizeof(pattern)) ||
	    fg_glob_validate(pattern, &err) < 0) {
		l->bad_paths++;
		return;
	}
	struct obs *o = table_get(&l->files, pattern, &added);
	if (o == NULL) {
		l->failed = true;
		return;
	}
	if (added) {
		o->secret = is_secret(path);
		/* The raw path is what merge mode checks the existing rules with. */
		if (strcmp(path, pattern) != 0) {
			o->aux = strdup(path);
			l->failed |= o->aux == NULL;
		}
	}
	o->bits |= rights;
	o->count++;
	/* Last: it adds to the table, which may move o. */
	if (added)
		learn_kernel_tunables(l, path);
}

static char **copy_argv(char *const argv[])
{
	size_t n = 0;
	while (argv != NULL && argv[n] != NULL)
		n++;
	char **copy = calloc(n + 1, sizeof(*copy));
	if (copy == NULL)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		copy[i] = strdup(argv[i]);
		if (copy[i] == NULL) {
			free_argv(copy);
			return NULL;
		}
	}
	return copy;
}

static bool same_argv(char *const a[], char *const b[])
{
	size_t i = 0;
	for (; a[i] != NULL && b[i] != NULL; i++) {
		if (strcmp(a[i], b[i]) != 0)
			return false;
	}
	return a[i] == NULL && b[i] == NULL;
}

static void remember_argv(struct fg_learner *l, struct exec_aux *e, char *const argv[])
{
	char *const none[] = { NULL };
	char *const *v = argv != NULL ? argv : none;
	for (size_t i = 0; i < e->argv_count; i++) {
		if (same_argv(e->argvs[i], v))
			return;
	}
	if (e->argv_count == MAX_ARGVS)
		return; /* enough to check a merge with; the rule allows any args */
	e->argvs[e->argv_count] = copy_argv(v);
	if (e->argvs[e->argv_count] == NULL)
		l->failed = true;
	else
		e->argv_count++;
}

void fg_learner_exec(struct fg_learner *l, const char *path, char *const argv[])
{
	char pattern[PATTERN_SIZE];
	struct fg_error err;
	bool added;
	if (l == NULL || path == NULL)
		return;
	/* Running a file also needs the exec right on it in the files section. */
	fg_learner_file(l, path, FG_RIGHT_EXEC);
	if (!path_to_pattern(path, false, pattern, sizeof(pattern)) ||
	    fg_glob_validate(pattern, &err) < 0) {
		l->bad_paths++;
		return;
	}
	struct obs *o = table_get(&l->execs, pattern, &added);
	if (o == NULL) {
		l->failed = true;
		return;
	}
	if (added) {
		struct exec_aux *e = calloc(1, sizeof(*e));
		o->aux = e;
		if (e != NULL)
			e->raw = strdup(path);
	}
	struct exec_aux *e = o->aux;
	if (e == NULL || e->raw == NULL) {
		l->failed = true;
		return;
	}
	o->count++;
	remember_argv(l, e, argv);
}

void fg_learner_net(struct fg_learner *l, unsigned operation, unsigned protocol,
		    const struct fg_endpoint *endpoint)
{
	char key[64 + FG_ENDPOINT_FORMAT_SIZE];
	char text[FG_ENDPOINT_FORMAT_SIZE];
	bool added;
	if (l == NULL || endpoint == NULL)
		return;
	operation &= ALL_OPERATIONS;
	protocol &= ALL_PROTOCOLS;
	if (operation == 0 || protocol == 0)
		return;
	/* The formatted endpoint is unambiguous (fg_endpoint_format). */
	fg_endpoint_format(endpoint, text, sizeof(text));
	snprintf(key, sizeof(key), "%u %u %s", operation, protocol, text);
	struct obs *o = table_get(&l->nets, key, &added);
	if (o == NULL) {
		l->failed = true;
		return;
	}
	if (added) {
		struct net_aux *n = calloc(1, sizeof(*n));
		if (n == NULL) {
			l->failed = true;
			return;
		}
		n->operation = operation;
		n->protocol = protocol;
		n->endpoint = *endpoint;
		o->aux = n;
	}
	o->count++;
}

void fg_learner_socket(struct fg_learner *l, int domain, int type)
{
	if (l == NULL || domain == AF_UNIX)
		return;
	int kind = type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (domain == AF_INET || domain == AF_INET6) {
		if (kind == SOCK_RAW)
			l->raw_inet = true;
		else if (kind != SOCK_STREAM && kind != SOCK_DGRAM)
			l->bad_sockets++; /* SCTP and the like: no rule can name them */
		return;
	}
	if (domain < 0 || domain >= FAMILY_SLOTS) {
		l->bad_families++;
		return;
	}
	l->families[domain] = true;
}

void fg_learner_syscall(struct fg_learner *l, long nr)
{
	if (l == NULL)
		return;
	if (nr < 0 || nr >= FG_SYSCALL_COUNT) {
		l->bad_syscalls++;
		return;
	}
	l->syscalls[nr] = true;
}

/* --- pretty JSON ----------------------------------------------------------- */

/* A JSON writer with 2-space indentation, on top of fg_json_buf (which
 * escapes strings): members one per line, short lists on one line. */
struct pw {
	struct fg_json_buf b;
	size_t depth;
	size_t line_start; /* offset in b where the current line starts */
	bool first;	   /* nothing yet in the innermost container */
};

static void pw_raw(struct pw *w, const char *text)
{
	fg_json_raw(&w->b, text, strlen(text));
}

static void pw_newline(struct pw *w, size_t depth)
{
	pw_raw(w, "\n");
	w->line_start = w->b.len;
	for (size_t i = 0; i < depth; i++)
		pw_raw(w, "  ");
}

static void pw_string_value(struct pw *w, const char *s)
{
	w->b.need_comma = false;
	fg_json_string(&w->b, s);
}

/* Separator, new line and key of the next member (or array element). */
static void pw_member(struct pw *w, const char *key)
{
	if (!w->first)
		pw_raw(w, ",");
	w->first = false;
	if (w->depth > 0) /* the document itself starts on the first line */
		pw_newline(w, w->depth);
	if (key != NULL) {
		pw_string_value(w, key);
		pw_raw(w, ": ");
	}
}

static void pw_open(struct pw *w, const char *key, const char *bracket)
{
	pw_member(w, key);
	pw_raw(w, bracket);
	w->depth++;
	w->first = true;
}

static void pw_close(struct pw *w, const char *bracket)
{
	w->depth--;
	if (!w->first)
		pw_newline(w, w->depth);
	pw_raw(w, bracket);
	w->first = false;
}

static void pw_string(struct pw *w, const char *key, const char *value)
{
	pw_member(w, key);
	pw_string_value(w, value);
}

static void pw_bool(struct pw *w, const char *key, bool value)
{
	pw_member(w, key);
	pw_raw(w, value ? "true" : "false");
}

static void pw_int(struct pw *w, const char *key, long value)
{
	char text[32];
	snprintf(text, sizeof(text), "%ld", value);
	pw_member(w, key);
	pw_raw(w, text);
}

enum pw_list_style {
	PW_LINES, /* one element per line unless all fit on the key's line */
	PW_FILL,  /* as many per line as fit (long lists of short names) */
};

static size_t pw_column(const struct pw *w)
{
	return w->b.len - w->line_start;
}

/* A list of strings: on the key's line when it fits, else as `style` says. */
static void pw_list(struct pw *w, const char *key, const char *const *items, size_t n,
		    enum pw_list_style style)
{
	size_t width = 0;
	for (size_t i = 0; i < n; i++)
		width += strlen(items[i]) + 4; /* quotes, comma and space */
	pw_member(w, key);
	if (pw_column(w) + width + 1 <= LINE_WIDTH) {
		pw_raw(w, "[");
		for (size_t i = 0; i < n; i++) {
			if (i > 0)
				pw_raw(w, ", ");
			pw_string_value(w, items[i]);
		}
		pw_raw(w, "]");
		return;
	}
	pw_raw(w, "[");
	for (size_t i = 0; i < n; i++) {
		/* ", " and quotes before it, "," after it */
		bool fits = pw_column(w) + strlen(items[i]) + 5 <= LINE_WIDTH;
		if (i > 0)
			pw_raw(w, ",");
		if (i == 0 || style == PW_LINES || !fits)
			pw_newline(w, w->depth + 1);
		else
			pw_raw(w, " ");
		pw_string_value(w, items[i]);
	}
	pw_newline(w, w->depth);
	pw_raw(w, "]");
}

/* --- words ----------------------------------------------------------------- */

struct word {
	const char *name;
	unsigned value;
};

static const struct word right_words[] = {
	{ "read", FG_RIGHT_READ },     { "write", FG_RIGHT_WRITE },
	{ "create", FG_RIGHT_CREATE }, { "delete", FG_RIGHT_DELETE },
	{ "exec", FG_RIGHT_EXEC },     { "metadata", FG_RIGHT_METADATA },
	{ "stat", FG_RIGHT_STAT },     { NULL, 0 },
};

static const struct word operation_words[] = {
	{ "connect", FG_NET_CONNECT },
	{ "bind", FG_NET_BIND },
	{ "send", FG_NET_SEND },
	{ NULL, 0 },
};

static const struct word protocol_words[] = {
	{ "tcp", FG_PROTO_TCP },
	{ "udp", FG_PROTO_UDP },
	{ "unix-stream", FG_PROTO_UNIX_STREAM },
	{ "unix-dgram", FG_PROTO_UNIX_DGRAM },
	{ NULL, 0 },
};

/* The names "families" takes (rules_parse.c), in the order it lists them. */
static const struct word family_words[] = {
	{ "netlink", AF_NETLINK }, { "packet", AF_PACKET },
	{ "alg", AF_ALG },	   { "vsock", AF_VSOCK },
	{ "can", AF_CAN },	   { "bluetooth", AF_BLUETOOTH },
	{ "key", AF_KEY },	   { "xdp", AF_XDP },
	{ "tipc", AF_TIPC },	   { "rds", AF_RDS },
	{ "nfc", AF_NFC },	   { "qipcrtr", AF_QIPCRTR },
	{ "mctp", AF_MCTP },	   { NULL, 0 },
};

static const char *family_name(int domain)
{
	for (size_t i = 0; family_words[i].name != NULL; i++) {
		if ((int)family_words[i].value == domain)
			return family_words[i].name;
	}
	return NULL;
}

/* The names of the bits set in `bits`, in the table's order. */
static size_t bit_words(const struct word *words, unsigned bits, const char **out)
{
	size_t n = 0;
	for (size_t i = 0; words[i].name != NULL; i++) {
		if ((bits & words[i].value) != 0)
			out[n++] = words[i].name;
	}
	return n;
}

static void pw_bits(struct pw *w, const char *key, const struct word *words, unsigned bits)
{
	const char *names[8];
	pw_list(w, key, names, bit_words(words, bits, names), PW_LINES);
}

/* "a", "a and b", "a, b and c" into buf. */
static void join_words(const char *const *words, size_t n, const char *last, char *buf, size_t size)
{
	size_t at = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < n && at < size; i++) {
		const char *sep = i == 0 ? "" : (i + 1 == n ? last : ", ");
		int len = snprintf(buf + at, size - at, "%s%s", sep, words[i]);
		if (len < 0)
			return;
		at += (size_t)len;
	}
}

/* What the rights say the program did, for descriptions: "read or ran". */
static void rights_verbs(unsigned rights, char *buf, size_t size)
{
	static const struct word verbs[] = {
		{ "read", FG_RIGHT_READ },
		{ "wrote", FG_RIGHT_WRITE },
		{ "created", FG_RIGHT_CREATE },
		{ "deleted", FG_RIGHT_DELETE },
		{ "ran", FG_RIGHT_EXEC },
		{ "changed the metadata of", FG_RIGHT_METADATA },
		{ NULL, 0 },
	};
	const char *words[8];
	size_t n = bit_words(verbs, rights, words);
	if (n == 0)
		words[n++] = "looked up"; /* stat only */
	join_words(words, n, " or ", buf, size);
}

/* --- the output and its bookkeeping --------------------------------------- */

struct out {
	struct pw w;
	const struct fg_learner *l;
	const struct fg_policy *merge; /* the policy merged into, or NULL */
	struct obs_table ids;	       /* rule ids in use */
	struct fg_json_buf notes;      /* sentences for the description */
	unsigned long refused;	       /* merge: observations an explicit rule refuses */
	char refused_example[TEXT_SIZE];
	bool failed; /* memory ran out */
};

static void note(struct out *o, const char *sentence)
{
	if (o->notes.len > 0)
		fg_json_raw(&o->notes, " ", 1);
	fg_json_raw(&o->notes, sentence, strlen(sentence));
}

/* A rule id not used yet: `base`, else base-2, base-3, ... into buf. */
static char *unique_id(struct out *o, const char *base, char *buf, size_t size)
{
	bool added;
	snprintf(buf, size, "%s", base);
	for (unsigned n = 2; table_has(&o->ids, buf); n++)
		snprintf(buf, size, "%s-%u", base, n);
	if (table_get(&o->ids, buf, &added) == NULL)
		o->failed = true;
	return buf;
}

static void reserve_id(struct out *o, const char *id)
{
	bool added;
	if (id != NULL && table_get(&o->ids, id, &added) == NULL)
		o->failed = true;
}

/* Merge mode: remembers an observation that an explicit rule refuses (a
 * learned rule after it could not change that: the first match decides). */
static void refused_by_rule(struct out *o, const char *what, const struct fg_rule_decision *d)
{
	if (o->refused++ > 0)
		return;
	/* A long path may cut the example short: it is only an example. */
	int len = snprintf(o->refused_example, sizeof(o->refused_example), "%s, by rule %s", what,
			   d->rule_id);
	if (len < 0)
		o->refused_example[0] = '\0';
}

static void pw_outcome(struct out *o, const struct fg_rule_outcome *outcome)
{
	pw_string(&o->w, "action", fg_verdict_name(outcome->verdict));
	if (outcome->verdict != FG_VERDICT_DENY)
		return;
	const char *name = fg_errno_name(outcome->deny_errno);
	if (name == NULL) {
		o->failed = true;
		return;
	}
	pw_string(&o->w, "errno", name);
}

/* A section's default: the merged policy's (`kept`), or deny with EACCES.
 * `section` is its key. */
static void put_section_default(struct out *o, const struct fg_rule_section *kept,
				const char *kept_description, const char *section,
				const char *learned_description)
{
	pw_open(&o->w, "default", "{");
	if (kept == NULL) {
		pw_string(&o->w, "description", learned_description);
		pw_string(&o->w, "action", "deny");
		pw_string(&o->w, "errno", "EACCES");
	} else {
		char generated_id[64];
		snprintf(generated_id, sizeof(generated_id), "%s.default", section);
		if (kept->default_id != NULL && strcmp(kept->default_id, generated_id) != 0)
			pw_string(&o->w, "id", kept->default_id);
		if (kept_description != NULL)
			pw_string(&o->w, "description", kept_description);
		pw_outcome(o, &kept->default_outcome);
	}
	pw_close(&o->w, "}");
}

/* Writes the head of a rule: its id (left out when it is the one the
 * loader would generate anyway) and description. */
static void put_head(struct out *o, const char *id, const char *generated, const char *description)
{
	if (id != NULL && (generated == NULL || strcmp(id, generated) != 0))
		pw_string(&o->w, "id", id);
	if (description != NULL)
		pw_string(&o->w, "description", description);
}

/* --- files: generalising ---------------------------------------------------- */

/* One distinct path observed (in pattern form) and what happens to it. */
struct fitem {
	const char *path;  /* pattern form */
	const char *check; /* the raw path, for merge checks */
	unsigned rights;
	bool secret;
	size_t anchor; /* length of its anchor directory, 0 for none */
	size_t tree;   /* index + 1 of the tree that took it, 0: stays exact */
	bool in_tree;  /* tree != 0, kept when the trees are sorted for output */
	char *scratch; /* owned: path with run-specific numbers as '*' (or NULL) */
};

/* A learned tree: one rule for a directory and everything below it. */
struct ftree {
	char *dir; /* pattern form */
	unsigned rights;
	size_t files;	  /* distinct paths it took */
	bool per_process; /* one file whose name was a process ID */
	bool dead;	  /* folded into another tree */
};

struct fplan {
	struct fitem *items;
	size_t count;
	struct ftree *trees;
	size_t tree_count;
};

/* Number of components: "/" has 0, "/a" 1, "/a/b" 2. */
static size_t path_depth(const char *p)
{
	size_t n = 0;
	if (strcmp(p, "/") == 0)
		return 0;
	for (; *p != '\0'; p++)
		n += *p == '/';
	return n;
}

/* Length of the first k components ("/a/b" for k = 2). */
static size_t prefix_len(const char *p, size_t k)
{
	size_t i = 0;
	for (size_t seen = 0; p[i] != '\0'; i++) {
		if (p[i] == '/' && seen++ == k)
			return i;
	}
	return i;
}

/* `path` is `dir` (of length dlen) or below it. */
static bool is_under(const char *path, const char *dir, size_t dlen)
{
	return strncmp(path, dir, dlen) == 0 && (path[dlen] == '/' || path[dlen] == '\0');
}

/* Directories that hold many unrelated things: a learned tree is always
 * one level below them (a JDK, not /usr/lib/jvm; a data directory, not
 * /var/lib). Top-level directories never qualify either. */
static const char *const shared_dirs[] = {
	"/usr/lib",
	"/usr/lib32",
	"/usr/lib64",
	"/usr/libx32",
	"/usr/libexec",
	"/usr/lib/jvm",
	"/usr/share",
	"/usr/local",
	"/usr/local/lib",
	"/usr/local/share",
	"/usr/bin",
	"/usr/sbin",
	"/usr/local/bin",
	"/var/lib",
	"/var/cache",
	"/var/log",
	"/var/tmp",
	"/var/spool",
	"/var/run",
	"/run/user",
	"/sys/devices",
	"/sys/devices/system",
	"/sys/devices/virtual",
	"/sys/fs",
	"/sys/kernel",
	"/sys/kernel/mm",
	"/sys/class",
	"/sys/bus",
	"/sys/block",
	NULL,
};

static bool is_shared_dir(const char *dir, size_t len)
{
	for (size_t i = 0; shared_dirs[i] != NULL; i++) {
		if (strlen(shared_dirs[i]) == len && strncmp(shared_dirs[i], dir, len) == 0)
			return true;
	}
	return false;
}

/* One pattern component against one name component (both without '/'). */
static bool component_matches(const char *pattern, size_t plen, const char *name, size_t nlen)
{
	char p[256];
	char n[1024];
	if (plen + 2 > sizeof(p) || nlen + 2 > sizeof(n))
		return true; /* too long to tell: assume the worst */
	p[0] = '/';
	memcpy(p + 1, pattern, plen);
	p[plen + 1] = '\0';
	n[0] = '/';
	memcpy(n + 1, name, nlen);
	n[nlen + 1] = '\0';
	return fg_glob_match(p, n);
}

/* Could the tree of DIR (DIR and all below) hold a path that `secret`
 * (components, a final "**" allowed) matches? True when DIR is such a
 * path or an ancestor of one. */
static bool dir_reaches(const char *secret, const char *dir, size_t dlen)
{
	const char *s = secret;
	const char *d = dir;
	const char *dend = dir + dlen;
	for (;;) {
		if (d >= dend)
			return true; /* the tree goes on where the secret goes on */
		if (*s == '\0')
			return false; /* DIR is below a secret file: not a directory */
		const char *sc = s + 1;
		const char *se = strchrnul(sc, '/');
		const char *dc = d + 1;
		const char *de = memchr(dc, '/', (size_t)(dend - dc));
		if (de == NULL)
			de = dend;
		if (se - sc == 2 && strncmp(sc, "**", 2) == 0)
			return true; /* DIR is inside a secret tree */
		if (!component_matches(sc, (size_t)(se - sc), dc, (size_t)(de - dc)))
			return false;
		s = se;
		d = de;
	}
}

static bool dir_reaches_secret(const char *dir, size_t dlen)
{
	for (size_t i = 0; secret_patterns[i] != NULL; i++) {
		if (dir_reaches(secret_patterns[i], dir, dlen))
			return true;
	}
	return false;
}

/* Kernel tunables (/proc/sys): readable by anyone, and read by a JVM now
 * and then (overcommit_memory when the heap grows), so one read is enough
 * to learn the whole tree for reading. */
static bool is_kernel_tunable(const char *path)
{
	return is_under(path, "/proc/sys", 9);
}

/* /proc and /dev hold unrelated objects side by side: always exact, but for
 * the kernel tunables. */
static bool never_collapsed(const char *path)
{
	if (is_kernel_tunable(path))
		return false;
	return is_under(path, "/proc", 5) || is_under(path, "/dev", 4);
}

/* The directory a person would make a pattern of for this path: its
 * shallowest ancestor at depth 2 or more that is not shared and could not
 * reach a secret (/etc/java-17-openjdk, /usr/lib/jvm/JDK, /sys/fs/cgroup,
 * /var/lib/fhir, /etc/ssl/certs beside /etc/ssl/private). Its length, or
 * 0 when there is none. */
static size_t anchor_len(const char *path)
{
	if (never_collapsed(path))
		return 0;
	size_t depth = path_depth(path);
	for (size_t k = 2; k < depth; k++) {
		size_t len = prefix_len(path, k);
		if (!is_shared_dir(path, len) && !dir_reaches_secret(path, len))
			return len;
	}
	return 0;
}

static bool changes(const struct fitem *it)
{
	return (it->rights & CHANGE_RIGHTS) != 0;
}

static bool groupable(const struct fitem *it)
{
	return !it->secret && it->anchor != 0;
}

static bool same_anchor(const struct fitem *a, const struct fitem *b)
{
	return a->anchor == b->anchor && strncmp(a->path, b->path, a->anchor) == 0;
}

/* Adds a tree for dir[0..len); returns its index + 1, or 0 when memory ran out. */
static size_t add_tree(struct fplan *p, const char *dir, size_t len)
{
	struct ftree *trees = realloc(p->trees, (p->tree_count + 1) * sizeof(*trees));
	if (trees == NULL)
		return 0;
	p->trees = trees;
	struct ftree *t = &p->trees[p->tree_count];
	memset(t, 0, sizeof(*t));
	t->dir = strndup(dir, len);
	if (t->dir == NULL)
		return 0;
	return ++p->tree_count;
}

static void tree_take(struct fplan *p, size_t tree, struct fitem *it)
{
	p->trees[tree - 1].rights |= it->rights;
	p->trees[tree - 1].files++;
	it->tree = tree;
}

/* The deepest common directory of two paths under one anchor. */
static size_t common_dir_len(const char *a, size_t alen, const char *b)
{
	size_t len = 0;
	while (len < alen) {
		size_t next = len + 1 + strcspn(a + len + 1, "/");
		if (next > alen)
			next = alen;
		if (strncmp(a, b, next) != 0 || (b[next] != '/' && b[next] != '\0'))
			break;
		len = next;
	}
	return len;
}

/* Changed files of one anchor: several become their
 * deepest common directory; one stays exact unless its name is a process
 * ID (/tmp/hsperfdata_root/PID), which makes its directory the pattern. */
static bool plan_change_group(struct fplan *p, struct fitem **group, size_t n)
{
	const char *first = group[0]->path;
	size_t len = strlen(first);
	if (n == 1) {
		const char *name = strrchr(first, '/') + 1;
		if (!all_digits(name, strlen(name)))
			return true;
		len = (size_t)(name - 1 - first);
	}
	for (size_t i = 1; i < n; i++)
		len = common_dir_len(first, len, group[i]->path);
	size_t tree = add_tree(p, first, len);
	if (tree == 0)
		return false;
	p->trees[tree - 1].per_process = n == 1;
	for (size_t i = 0; i < n; i++)
		tree_take(p, tree, group[i]);
	return true;
}

/* The items of the anchor of items[*at] that `wanted` selects, into
 * group. Sorted by path_cmp, everything below the anchor is one run. */
static size_t collect_group(struct fplan *p, size_t *at, bool (*wanted)(const struct fitem *),
			    struct fitem **group)
{
	size_t n = 0;
	const struct fitem *head = &p->items[*at];
	for (; *at < p->count && is_under(p->items[*at].path, head->path, head->anchor); (*at)++) {
		struct fitem *it = &p->items[*at];
		if (it->tree == 0 && groupable(it) && same_anchor(head, it) && wanted(it))
			group[n++] = it;
	}
	return n;
}

static bool only_looks(const struct fitem *it)
{
	return !changes(it);
}

/* Runs `plan` on every group of items of one anchor that `wanted` selects. */
static bool plan_groups(struct fplan *p, bool (*wanted)(const struct fitem *),
			bool (*plan)(struct fplan *, struct fitem **, size_t))
{
	struct fitem **group = calloc(p->count, sizeof(*group));
	if (group == NULL)
		return false;
	size_t at = 0;
	while (at < p->count) {
		struct fitem *it = &p->items[at];
		if (it->tree != 0 || !groupable(it) || !wanted(it)) {
			at++;
			continue;
		}
		size_t n = collect_group(p, &at, wanted, group);
		if (!plan(p, group, n)) {
			free(group);
			return false;
		}
	}
	free(group);
	return true;
}

/* Files only read below one anchor: three or more make a tree of the anchor. */
static bool plan_read_group(struct fplan *p, struct fitem **group, size_t n)
{
	if (n < TREE_MIN_FILES && !is_kernel_tunable(group[0]->path))
		return true;
	size_t tree = add_tree(p, group[0]->path, group[0]->anchor);
	if (tree == 0)
		return false;
	for (size_t i = 0; i < n; i++)
		tree_take(p, tree, group[i]);
	return true;
}

/* Folding `rights` into a tree may add only looking: never writing or
 * executing where the program did not. */
static bool foldable(unsigned rights, unsigned into)
{
	return (rights & ~into & ~(unsigned)LOOK_RIGHTS) == 0;
}

/* Exact paths and trees that a tree already covers join it (the data
 * directory itself, created once; a read tree inside a data directory). */
static void fold_into_trees(struct fplan *p)
{
	for (size_t i = 0; i < p->tree_count; i++) {
		struct ftree *x = &p->trees[i];
		for (size_t j = 0; j < p->tree_count && !x->dead; j++) {
			struct ftree *t = &p->trees[j];
			if (j == i || t->dead || !is_under(x->dir, t->dir, strlen(t->dir)) ||
			    !foldable(x->rights, t->rights))
				continue;
			t->rights |= x->rights;
			t->files += x->files;
			t->per_process = false;
			x->dead = true;
			for (size_t k = 0; k < p->count; k++)
				p->items[k].tree =
				    p->items[k].tree == i + 1 ? j + 1 : p->items[k].tree;
		}
	}
	for (size_t k = 0; k < p->count; k++) {
		struct fitem *it = &p->items[k];
		for (size_t j = 0; j < p->tree_count && it->tree == 0 && !it->secret; j++) {
			struct ftree *t = &p->trees[j];
			if (!t->dead && is_under(it->path, t->dir, strlen(t->dir)) &&
			    foldable(it->rights, t->rights))
				tree_take(p, j + 1, it);
		}
	}
}

static int tree_cmp(const void *a, const void *b)
{
	const struct ftree *x = a;
	const struct ftree *y = b;
	return path_cmp(x->dir, y->dir);
}

static void free_plan(struct fplan *p)
{
	for (size_t i = 0; i < p->count; i++)
		free(p->items[i].scratch);
	for (size_t i = 0; i < p->tree_count; i++)
		free(p->trees[i].dir);
	free(p->trees);
	free(p->items);
	memset(p, 0, sizeof(*p));
}

enum { SCRATCH_MIN_DIGITS = 4, SCRATCH_MIN_LITERAL = 4 };

/* The path of a changed file outside any tree, with runs of digits in its
 * name (a process ID, a random number, a time stamp: /tmp/.java_pid4242,
 * a native library unpacked as /tmp/libnetty_transport_native_epoll_x86_
 * 641234.so) written as '*', so that the next run's name matches too, into
 * *pattern. Returns 1, 0 when the name has no such run or too little of it
 * would stay literal, or -1 when memory runs out. */
static int scratch_pattern(const char *path, char **pattern)
{
	const char *name = strrchr(path, '/') + 1;
	size_t literal = 0;
	bool changed = false;
	char *out = malloc(strlen(path) + 1);
	*pattern = NULL;
	if (out == NULL)
		return -1;
	size_t at = (size_t)(name - path);
	memcpy(out, path, at);
	for (const char *c = name; *c != '\0';) {
		size_t digits = strspn(c, "0123456789");
		if (digits >= SCRATCH_MIN_DIGITS) {
			out[at++] = '*';
			changed = true;
		} else {
			size_t len = digits > 0 ? digits : 1;
			memcpy(out + at, c, len);
			at += len;
			literal += len;
			digits = len;
		}
		c += digits;
	}
	out[at] = '\0';
	if (!changed || literal < SCRATCH_MIN_LITERAL) {
		free(out);
		return 0;
	}
	*pattern = out;
	return 1;
}

/* Changed files left exact get scratch patterns where their names call
 * for one. False when memory runs out. */
static bool plan_scratch_files(struct fplan *p)
{
	for (size_t i = 0; i < p->count; i++) {
		struct fitem *it = &p->items[i];
		if (it->tree != 0 || it->secret || !changes(it) || never_collapsed(it->path))
			continue;
		int rc = scratch_pattern(it->path, &it->scratch);
		if (rc < 0)
			return false;
		if (rc > 0)
			it->path = it->scratch;
	}
	return true;
}

/* Merge mode: the rights of a path that the merged policy does not allow
 * yet; rights an explicit rule refuses are left to that rule. */
static unsigned rights_to_learn(struct out *o, const char *path, unsigned rights)
{
	if (o->merge == NULL)
		return rights;
	unsigned missing = 0;
	for (unsigned bit = 1; bit <= rights; bit <<= 1) {
		struct fg_rule_decision d;
		if ((rights & bit) == 0)
			continue;
		fg_rules_check_file(&o->merge->sections, path, bit, &d);
		if (d.outcome.verdict == FG_VERDICT_ALLOW)
			continue;
		if (d.line != 0) {
			char what[TEXT_SIZE];
			snprintf(what, sizeof(what), "%s of %s", fg_right_name(bit), path);
			refused_by_rule(o, what, &d);
			continue;
		}
		missing |= bit;
	}
	return missing;
}

/* Observed files -> items (merge: only what is missing) -> trees. */
static bool plan_files(struct out *o, struct fplan *p)
{
	size_t count;
	memset(p, 0, sizeof(*p));
	struct obs **all = table_sorted(&o->l->files, &count);
	if (all == NULL && count == 0 && o->l->files.count != 0)
		return false;
	p->items = calloc(count ? count : 1, sizeof(*p->items));
	if (p->items == NULL) {
		free(all);
		return false;
	}
	for (size_t i = 0; i < count; i++) {
		struct fitem *it = &p->items[p->count];
		it->path = all[i]->key;
		it->check = all[i]->aux != NULL ? all[i]->aux : all[i]->key;
		it->rights = rights_to_learn(o, it->check, all[i]->bits);
		it->secret = all[i]->secret;
		it->anchor = anchor_len(it->path);
		p->count += it->rights != 0;
	}
	free(all);
	/* Changed files first: reads inside a data directory join its tree. */
	if (!plan_groups(p, changes, plan_change_group))
		return false;
	fold_into_trees(p);
	if (!plan_groups(p, only_looks, plan_read_group))
		return false;
	fold_into_trees(p);
	return plan_scratch_files(p);
}

/* --- files: writing -------------------------------------------------------- */

static void put_file_rule(struct out *o, const char *id, const char *generated,
			  const char *description, const char *const *paths, size_t n,
			  unsigned rights, const struct fg_rule_outcome *outcome)
{
	static const char *const all[] = { "all" };
	pw_open(&o->w, NULL, "{");
	put_head(o, id, generated, description);
	pw_list(&o->w, "paths", paths, n, PW_LINES);
	if (outcome != NULL && rights == ALL_RIGHTS)
		pw_list(&o->w, "access", all, 1, PW_LINES);
	else
		pw_bits(&o->w, "access", right_words, rights);
	if (outcome != NULL)
		pw_outcome(o, outcome);
	else
		pw_string(&o->w, "action", "allow");
	pw_close(&o->w, "}");
}

/* "learned-" and the directory with '-' for '/': learned-var-lib-fhir. */
static void tree_id(const char *dir, char *buf, size_t size)
{
	if (fg_glob_match("/usr/lib/jvm/*", dir)) {
		snprintf(buf, size, "learned-jdk");
		return;
	}
	snprintf(buf, size, "learned-%s", dir + 1);
	for (char *c = buf + strlen("learned-"); *c != '\0'; c++) {
		if (*c == '/')
			*c = '-';
	}
}

static void put_tree(struct out *o, const struct ftree *t)
{
	char pattern[PATTERN_SIZE + 3];
	char verbs[128];
	char description[TEXT_SIZE];
	char base[TEXT_SIZE];
	char id[TEXT_SIZE];
	const char *paths[] = { pattern };
	snprintf(pattern, sizeof(pattern), "%s/**", t->dir);
	rights_verbs(t->rights, verbs, sizeof(verbs));
	if (t->per_process)
		snprintf(description, sizeof(description),
			 "%s a per-process file below %s during learning: its name was a process "
			 "ID, so any name there is allowed",
			 verbs, t->dir);
	else
		snprintf(description, sizeof(description), "%s %zu files below %s during learning",
			 verbs, t->files, t->dir);
	tree_id(t->dir, base, sizeof(base));
	put_file_rule(o, unique_id(o, base, id, sizeof(id)), NULL, description, paths, 1, t->rights,
		      NULL);
}

/* The top-level directory of a path ("/etc"), 0 for "/" itself. */
static size_t top_len(const char *path)
{
	size_t len = prefix_len(path, 1);
	return len > 1 ? len : 0;
}

/* How exact paths are grouped into rules: secrets first, then by top-level
 * directory and rights. */
static int exact_group_cmp(const struct fitem *x, const struct fitem *y)
{
	if (x->secret != y->secret)
		return x->secret ? -1 : 1;
	size_t xl = top_len(x->path);
	size_t yl = top_len(y->path);
	int c = strncmp(x->path, y->path, xl < yl ? xl : yl);
	if (c != 0)
		return c;
	if (xl != yl)
		return xl < yl ? -1 : 1;
	/* Paths that differ only in stat share a rule: stat adds nothing to read. */
	unsigned xr = x->rights & ~(unsigned)FG_RIGHT_STAT;
	unsigned yr = y->rights & ~(unsigned)FG_RIGHT_STAT;
	if (xr != yr)
		return xr < yr ? -1 : 1;
	return 0;
}

static int exact_cmp(const void *a, const void *b)
{
	const struct fitem *const *x = a;
	const struct fitem *const *y = b;
	int c = exact_group_cmp(*x, *y);
	return c != 0 ? c : path_cmp((*x)->path, (*y)->path);
}

/* "read-write-stat": rights as an id part. */
static void rights_id(unsigned rights, char *buf, size_t size)
{
	const char *words[8];
	size_t n = bit_words(right_words, rights, words);
	size_t at = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < n && at < size; i++) {
		int len = snprintf(buf + at, size - at, "%s%s", i == 0 ? "" : "-", words[i]);
		at += len > 0 ? (size_t)len : 0;
	}
}

static void put_exact_group(struct out *o, const struct fitem *const *group, size_t n)
{
	char verbs[128];
	char description[512];
	char base[400];
	char id[420];
	char top[256];
	char rights_text[64]; /* all seven: 43 bytes */
	unsigned rights = 0;
	const char **paths = calloc(n, sizeof(*paths));
	if (paths == NULL) {
		o->failed = true;
		return;
	}
	size_t count = 0;
	bool scratch = false;
	for (size_t i = 0; i < n; i++) {
		/* Scratch patterns of several runs' files coincide: once is enough. */
		if (count == 0 || strcmp(paths[count - 1], group[i]->path) != 0)
			paths[count++] = group[i]->path;
		rights |= group[i]->rights;
		scratch |= group[i]->scratch != NULL;
	}
	size_t tlen = top_len(group[0]->path);
	snprintf(top, sizeof(top), "%.*s", (int)(tlen > 200 ? 200 : tlen), group[0]->path);
	rights_id(rights, rights_text, sizeof(rights_text));
	rights_verbs(rights, verbs, sizeof(verbs));
	if (group[0]->secret) {
		snprintf(description, sizeof(description),
			 "SECRET: the program %s %s during learning. Allowed exactly: review "
			 "whether it really needs %s.",
			 verbs, count == 1 ? "this file" : "these files",
			 count == 1 ? "it" : "them");
		snprintf(base, sizeof(base), "learned-secrets-%s", rights_text);
	} else {
		bool proc = is_under(top, "/proc", 5); /* its numbers became '*' */
		snprintf(description, sizeof(description), "%s %s during learning%s", verbs,
			 count == 1 ? "this path" : "these paths",
			 proc	   ? " (process, thread and descriptor numbers written as *)"
			 : scratch ? " (numbers in names, which change from run to run, written "
				     "as *)"
				   : "; allowed exactly");
		snprintf(base, sizeof(base), "learned-%s-%s",
			 tlen == 0 ? "filesystem-root" : top + 1, rights_text);
	}
	put_file_rule(o, unique_id(o, base, id, sizeof(id)), NULL, description, paths, count,
		      rights, NULL);
	free(paths);
}

static void put_exact_items(struct out *o, const struct fplan *p)
{
	const struct fitem **exact = calloc(p->count ? p->count : 1, sizeof(*exact));
	size_t n = 0;
	if (exact == NULL) {
		o->failed = true;
		return;
	}
	for (size_t i = 0; i < p->count; i++) {
		if (!p->items[i].in_tree)
			exact[n++] = &p->items[i];
	}
	qsort(exact, n, sizeof(*exact), exact_cmp);
	for (size_t i = 0; i < n;) {
		size_t j = i + 1;
		while (j < n && exact_group_cmp(exact[i], exact[j]) == 0)
			j++;
		put_exact_group(o, exact + i, j - i);
		i = j;
	}
	free(exact);
}

/* The merged policy's files rules: one entry per path, regrouped. */
static bool same_file_rule(const struct fg_file_rule *a, const struct fg_file_rule *b)
{
	return a->head.line == b->head.line && a->rights == b->rights &&
	       a->head.outcome.verdict == b->head.outcome.verdict &&
	       a->head.outcome.deny_errno == b->head.outcome.deny_errno &&
	       strcmp(a->head.id, b->head.id) == 0;
}

static void put_kept_file_rules(struct out *o, const struct fg_rules *rules)
{
	size_t index = 0;
	for (size_t i = 0; i < rules->file_count; index++) {
		const struct fg_file_rule *r = &rules->files[i];
		size_t j = i + 1;
		while (j < rules->file_count && same_file_rule(r, &rules->files[j]))
			j++;
		const char **paths = calloc(j - i, sizeof(*paths));
		char generated[64];
		if (paths == NULL) {
			o->failed = true;
			return;
		}
		for (size_t k = i; k < j; k++)
			paths[k - i] = rules->files[k].pattern;
		snprintf(generated, sizeof(generated), "files.rules[%zu]", index);
		put_file_rule(o, r->head.id, generated, r->head.description, paths, j - i,
			      r->rights, &r->head.outcome);
		free(paths);
		i = j;
	}
}

static void put_files(struct out *o, const char *kept_default_description)
{
	struct fplan plan;
	const struct fg_rules *kept = o->merge != NULL ? &o->merge->sections : NULL;
	if (kept != NULL && !kept->files_section.present)
		return; /* it allows every file: nothing to learn */
	if (!plan_files(o, &plan)) {
		free_plan(&plan);
		o->failed = true;
		return;
	}
	for (size_t i = 0; i < plan.count; i++)
		plan.items[i].in_tree = plan.items[i].tree != 0;
	if (plan.tree_count > 0)
		qsort(plan.trees, plan.tree_count, sizeof(*plan.trees), tree_cmp);
	pw_open(&o->w, "files", "{");
	put_section_default(
	    o, kept != NULL ? &kept->files_section : NULL, kept_default_description, "files",
	    "Files the program did not use during learning are refused with EACCES.");
	pw_open(&o->w, "rules", "[");
	if (kept != NULL)
		put_kept_file_rules(o, kept);
	for (size_t i = 0; i < plan.tree_count; i++) {
		if (!plan.trees[i].dead)
			put_tree(o, &plan.trees[i]);
	}
	put_exact_items(o, &plan);
	pw_close(&o->w, "]");
	pw_close(&o->w, "}");
	free_plan(&plan);
}

/* --- exec ----------------------------------------------------------------- */

/* Merge mode: whether some observed argv of the program is not allowed
 * (by the default; an explicit refusal stays). */
static bool exec_to_learn(struct out *o, const struct obs *e)
{
	const struct exec_aux *aux = e->aux;
	bool learn = false;
	if (o->merge == NULL)
		return true;
	for (size_t i = 0; i < aux->argv_count; i++) {
		struct fg_rule_decision d;
		char what[TEXT_SIZE];
		fg_rules_check_exec(&o->merge->sections, aux->raw, aux->argvs[i], &d);
		if (d.outcome.verdict == FG_VERDICT_ALLOW)
			continue;
		if (d.line == 0) {
			learn = true;
			continue;
		}
		snprintf(what, sizeof(what), "running %s", e->key);
		refused_by_rule(o, what, &d);
	}
	return learn;
}

static void put_exec_rule(struct out *o, const struct obs *e)
{
	char description[TEXT_SIZE];
	char base[TEXT_SIZE];
	char id[TEXT_SIZE + 16];
	const char *paths[] = { e->key };
	const char *name = strrchr(e->key, '/') + 1;
	snprintf(description, sizeof(description),
		 "ran %s %lu time%s during learning; its arguments are not restricted", e->key,
		 e->count, e->count == 1 ? "" : "s");
	snprintf(base, sizeof(base), "learned-exec-%s", name);
	pw_open(&o->w, NULL, "{");
	put_head(o, unique_id(o, base, id, sizeof(id)), NULL, description);
	pw_list(&o->w, "paths", paths, 1, PW_LINES);
	pw_string(&o->w, "action", "allow");
	pw_close(&o->w, "}");
}

static bool same_exec_rule(const struct fg_exec_rule *a, const struct fg_exec_rule *b)
{
	return a->head.line == b->head.line && a->args_given == b->args_given &&
	       a->arg_count == b->arg_count && a->head.outcome.verdict == b->head.outcome.verdict &&
	       a->head.outcome.deny_errno == b->head.outcome.deny_errno &&
	       strcmp(a->head.id, b->head.id) == 0;
}

static void put_kept_exec_rule(struct out *o, const struct fg_exec_rule *r, const char **paths,
			       size_t n, size_t index)
{
	char generated[64];
	snprintf(generated, sizeof(generated), "exec.rules[%zu]", index);
	pw_open(&o->w, NULL, "{");
	put_head(o, r->head.id, generated, r->head.description);
	pw_list(&o->w, "paths", paths, n, PW_LINES);
	if (r->args_given)
		pw_list(&o->w, "args", (const char *const *)r->args, r->arg_count, PW_LINES);
	pw_outcome(o, &r->head.outcome);
	pw_close(&o->w, "}");
}

static void put_kept_exec_rules(struct out *o, const struct fg_rules *rules)
{
	size_t index = 0;
	for (size_t i = 0; i < rules->exec_count; index++) {
		size_t j = i + 1;
		while (j < rules->exec_count && same_exec_rule(&rules->execs[i], &rules->execs[j]))
			j++;
		const char **paths = calloc(j - i, sizeof(*paths));
		if (paths == NULL) {
			o->failed = true;
			return;
		}
		for (size_t k = i; k < j; k++)
			paths[k - i] = rules->execs[k].pattern;
		put_kept_exec_rule(o, &rules->execs[i], paths, j - i, index);
		free(paths);
		i = j;
	}
}

static void put_exec(struct out *o, const char *kept_default_description)
{
	const struct fg_rules *kept = o->merge != NULL ? &o->merge->sections : NULL;
	size_t count;
	if (kept != NULL && !kept->exec_section.present)
		return;
	struct obs **all = table_sorted(&o->l->execs, &count);
	if (all == NULL && o->l->execs.count != 0) {
		o->failed = true;
		return;
	}
	pw_open(&o->w, "exec", "{");
	put_section_default(
	    o, kept != NULL ? &kept->exec_section : NULL, kept_default_description, "exec",
	    "Programs the program did not run during learning are refused with EACCES.");
	pw_open(&o->w, "rules", "[");
	if (kept != NULL)
		put_kept_exec_rules(o, kept);
	for (size_t i = 0; i < count; i++) {
		if (exec_to_learn(o, all[i]))
			put_exec_rule(o, all[i]);
	}
	pw_close(&o->w, "]");
	pw_close(&o->w, "}");
	free(all);
}

/* --- network ---------------------------------------------------------------- */

enum net_kind { NET_BIND_INET, NET_PEER_INET, NET_UNIX, NET_UNUSABLE };

/* One observation, classified, with the key of the rule it goes into. */
struct nitem {
	const struct net_aux *n;
	enum net_kind kind;
	char key[TEXT_SIZE]; /* bind: the port; peer: address and port; unix: the pattern */
	uint16_t port;
	char address[64]; /* peer: "10.0.0.5/32" */
};

static bool is_inet(const struct fg_endpoint *ep)
{
	return ep->family == FG_EP_INET || ep->family == FG_EP_INET6;
}

/* The exact "unix" value for an endpoint, or false when no pattern can
 * name it (unnamed, not absolute, a NUL in an abstract name, a name that
 * is not a valid pattern): then the rule leaves "unix" out. */
static bool unix_value(const struct fg_endpoint *ep, char *out, size_t size)
{
	char pattern[PATTERN_SIZE];
	struct fg_error err;
	if (ep->unix_unnamed || ep->unix_path_len >= sizeof(ep->unix_path) ||
	    memchr(ep->unix_path, '\0', ep->unix_path_len) != NULL || ep->unix_path_len == 0)
		return false;
	if (!ep->unix_abstract) {
		if (!path_to_pattern(ep->unix_path, false, pattern, sizeof(pattern)) ||
		    fg_glob_validate(pattern, &err) < 0)
			return false;
		snprintf(out, size, "%s", pattern);
		return true;
	}
	/* Abstract names are matched as "/" + name (rules_parse.c). */
	char path[sizeof(ep->unix_path) + 2];
	snprintf(path, sizeof(path), "%s%s", ep->unix_path[0] == '/' ? "" : "/", ep->unix_path);
	if (!path_to_pattern(path, false, pattern, sizeof(pattern)) ||
	    fg_glob_validate(pattern, &err) < 0)
		return false;
	snprintf(out, size, "@%s", ep->unix_path[0] == '/' ? pattern : pattern + 1);
	return true;
}

static void classify(const struct net_aux *n, struct nitem *it)
{
	const struct fg_endpoint *ep = &n->endpoint;
	bool inet_proto = (n->protocol & INET_PROTOCOLS) != 0;
	it->n = n;
	it->port = ep->port;
	if (inet_proto && is_inet(ep)) {
		struct fg_cidr c = { .prefix = 128, .v4 = ep->is_v4 };
		memcpy(c.addr, ep->addr, sizeof(c.addr));
		fg_cidr_format(&c, it->address, sizeof(it->address));
		it->kind = n->operation == FG_NET_BIND ? NET_BIND_INET : NET_PEER_INET;
		if (it->kind == NET_BIND_INET)
			snprintf(it->key, sizeof(it->key), "%05u", ep->port);
		else
			snprintf(it->key, sizeof(it->key), "%s %05u", it->address, ep->port);
		return;
	}
	if (!inet_proto && ep->family == FG_EP_UNIX) {
		it->kind = NET_UNIX;
		if (!unix_value(ep, it->key, sizeof(it->key)))
			it->key[0] = '\0';
		return;
	}
	it->kind = NET_UNUSABLE;
}

static int nitem_cmp(const void *a, const void *b)
{
	const struct nitem *x = a;
	const struct nitem *y = b;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	return strcmp(x->key, y->key);
}

/* Merge mode: whether the merged policy refuses the observation by its default. */
static bool net_to_learn(struct out *o, const struct net_aux *n)
{
	struct fg_rule_decision d;
	char what[TEXT_SIZE];
	char text[FG_ENDPOINT_FORMAT_SIZE];
	if (o->merge == NULL)
		return true;
	fg_rules_check_net(&o->merge->sections, n->operation, n->protocol, &n->endpoint, &d);
	if (d.outcome.verdict == FG_VERDICT_ALLOW)
		return false;
	if (d.line == 0)
		return true;
	fg_endpoint_format(&n->endpoint, text, sizeof(text));
	snprintf(what, sizeof(what), "a network operation on %s", text);
	refused_by_rule(o, what, &d);
	return false;
}

static void net_words(unsigned operations, unsigned protocols, char *buf, size_t size)
{
	const char *words[8];
	char ops[64];
	char protos[64];
	join_words(words, bit_words(operation_words, operations, words), " and ", ops, sizeof(ops));
	join_words(words, bit_words(protocol_words, protocols, words), " and ", protos,
		   sizeof(protos));
	snprintf(buf, size, "%s over %s", ops, protos);
}

/* The description of a group's rule and the base of its id. */
static void describe_net_group(const struct nitem *it, unsigned ops, unsigned protos,
			       char *description, size_t dsize, char *base, size_t bsize)
{
	char what[160];
	int host = (int)strcspn(it->address, "/"); /* the address without "/32" */
	net_words(ops, protos, what, sizeof(what));
	if (it->kind == NET_BIND_INET) {
		snprintf(description, dsize,
			 "bound and listened on %s port %u during learning; any local address is "
			 "allowed",
			 protos == FG_PROTO_TCP ? "tcp"
						: (protos == FG_PROTO_UDP ? "udp" : "tcp and udp"),
			 it->port);
		snprintf(base, bsize, "learned-%s-%u", protos == FG_PROTO_TCP ? "listen" : "bind",
			 it->port);
	} else if (it->kind == NET_PEER_INET) {
		snprintf(description, dsize, "%s%s to %.*s port %u during learning",
			 it->port == 53 ? "DNS: " : "", what, host, it->address, it->port);
		if (it->port == 53)
			snprintf(base, bsize, "learned-dns-%.*s", host, it->address);
		else
			snprintf(base, bsize, "learned-%s-%.*s-%u",
				 (ops & FG_NET_CONNECT) != 0 ? "connect" : "send", host,
				 it->address, it->port);
	} else if (it->key[0] != '\0') {
		snprintf(description, dsize, "%s to %s during learning", what, it->key);
		snprintf(base, bsize, "learned-unix-%s", it->key);
	} else {
		snprintf(description, dsize,
			 "%s with unnamed unix addresses (or names no pattern can hold) during "
			 "learning: any unix address is allowed for these",
			 what);
		snprintf(base, bsize, "learned-unix-unnamed");
	}
}

static void put_net_group(struct out *o, const struct nitem *group, size_t n)
{
	unsigned ops = 0;
	unsigned protos = 0;
	char description[TEXT_SIZE + 256];
	char base[TEXT_SIZE + 32];
	char id[TEXT_SIZE + 48];
	const struct nitem *it = &group[0];
	for (size_t i = 0; i < n; i++) {
		ops |= group[i].n->operation;
		protos |= group[i].n->protocol;
	}
	describe_net_group(it, ops, protos, description, sizeof(description), base, sizeof(base));
	pw_open(&o->w, NULL, "{");
	put_head(o, unique_id(o, base, id, sizeof(id)), NULL, description);
	pw_bits(&o->w, "operations", operation_words, ops);
	pw_bits(&o->w, "protocols", protocol_words, protos);
	if (it->kind == NET_PEER_INET) {
		const char *addresses[] = { it->address };
		pw_list(&o->w, "addresses", addresses, 1, PW_LINES);
	}
	if (it->kind != NET_UNIX) {
		char port[16];
		snprintf(port, sizeof(port), "%u", it->port);
		pw_string(&o->w, "ports", port);
	}
	if (it->kind == NET_UNIX && it->key[0] != '\0')
		pw_string(&o->w, "unix", it->key);
	pw_string(&o->w, "action", "allow");
	pw_close(&o->w, "}");
}

/* --- the merged policy's network rules ------------------------------------- */

static void port_text(const struct fg_port_range *r, char *buf, size_t size)
{
	if (r->low == 0 && r->high == 65535)
		snprintf(buf, size, "any");
	else if (r->low == r->high)
		snprintf(buf, size, "%u", r->low);
	else
		snprintf(buf, size, "%u-%u", r->low, r->high);
}

static void put_cidrs(struct out *o, const struct fg_cidr *cidrs, size_t n)
{
	char(*text)[64] = calloc(n, sizeof(*text));
	const char **list = calloc(n, sizeof(*list));
	if (text == NULL || list == NULL) {
		o->failed = true;
	} else {
		for (size_t i = 0; i < n; i++) {
			fg_cidr_format(&cidrs[i], text[i], sizeof(text[i]));
			list[i] = text[i];
		}
		pw_list(&o->w, "addresses", list, n, PW_LINES);
	}
	free(list);
	free(text);
}

static void put_kept_net_rule(struct out *o, const struct fg_net_rule *r, size_t index)
{
	char generated[64];
	snprintf(generated, sizeof(generated), "network.rules[%zu]", index);
	pw_open(&o->w, NULL, "{");
	put_head(o, r->head.id, generated, r->head.description);
	pw_bits(&o->w, "operations", operation_words, r->operations);
	pw_bits(&o->w, "protocols", protocol_words, r->protocols);
	if (r->cidr_count > 0)
		put_cidrs(o, r->cidrs, r->cidr_count);
	if ((r->protocols & INET_PROTOCOLS) != 0 &&
	    !(r->ports.low == 0 && r->ports.high == 65535)) {
		char port[16];
		port_text(&r->ports, port, sizeof(port));
		pw_string(&o->w, "ports", port);
	}
	if (r->unix_pattern != NULL) {
		char unix_text[PATTERN_SIZE + 2];
		snprintf(unix_text, sizeof(unix_text), "%s%s", r->unix_abstract ? "@" : "",
			 r->unix_pattern);
		pw_string(&o->w, "unix", unix_text);
	}
	pw_outcome(o, &r->head.outcome);
	pw_close(&o->w, "}");
}

static void put_kept_net_rules(struct out *o, const struct fg_rules *rules)
{
	for (size_t i = 0; i < rules->net_count; i++)
		put_kept_net_rule(o, &rules->nets[i], i);
}

/* The "families" list: the merged policy's and those learned. */
static void put_families(struct out *o, const struct fg_rules *kept)
{
	const char *names[sizeof(family_words) / sizeof(family_words[0]) + 1];
	size_t n = 0;
	char text[160];
	for (size_t i = 0; family_words[i].name != NULL; i++) {
		int domain = (int)family_words[i].value;
		bool listed = false;
		for (size_t k = 0; kept != NULL && k < kept->extra_family_count; k++)
			listed |= kept->extra_families[k] == domain;
		if (listed || (domain < FAMILY_SLOTS && o->l->families[domain]))
			names[n++] = family_words[i].name;
	}
	if ((kept != NULL && kept->raw_inet_allowed) || o->l->raw_inet)
		names[n++] = "raw";
	for (int domain = 0; domain < FAMILY_SLOTS; domain++) {
		if (!o->l->families[domain] || family_name(domain) != NULL)
			continue;
		snprintf(text, sizeof(text),
			 "The program created sockets of family %d, which no policy can allow.",
			 domain);
		note(o, text);
	}
	if (n > 0)
		pw_list(&o->w, "families", names, n, PW_LINES);
}

/* Net observations to learn, classified and sorted into rule groups. */
static struct nitem *plan_net(struct out *o, size_t *count)
{
	size_t total;
	*count = 0;
	struct obs **all = table_sorted(&o->l->nets, &total);
	if (all == NULL && o->l->nets.count != 0)
		return NULL;
	struct nitem *items = calloc(total ? total : 1, sizeof(*items));
	if (items == NULL) {
		free(all);
		return NULL;
	}
	unsigned long unusable = 0;
	for (size_t i = 0; i < total; i++) {
		const struct net_aux *n = all[i]->aux;
		if (!net_to_learn(o, n))
			continue;
		classify(n, &items[*count]);
		if (items[*count].kind == NET_UNUSABLE)
			unusable++;
		else
			(*count)++;
	}
	free(all);
	qsort(items, *count, sizeof(*items), nitem_cmp);
	if (unusable > 0) {
		char text[256];
		snprintf(
		    text, sizeof(text),
		    "%lu network operations used an address no rule can name (another "
		    "family, such as AF_UNSPEC, or one that does not fit the socket); they stay "
		    "refused.",
		    unusable);
		note(o, text);
	}
	return items;
}

static void put_network(struct out *o, const char *kept_default_description)
{
	const struct fg_rules *kept = o->merge != NULL ? &o->merge->sections : NULL;
	size_t count;
	if (kept != NULL && !kept->network_section.present)
		return; /* it allows every operation and socket */
	struct nitem *items = plan_net(o, &count);
	if (items == NULL) {
		o->failed = true;
		return;
	}
	pw_open(&o->w, "network", "{");
	put_section_default(o, kept != NULL ? &kept->network_section : NULL,
			    kept_default_description, "network",
			    "Connections, binds, sends and socket families the program did not use "
			    "during learning are refused with EACCES.");
	put_families(o, kept);
	pw_open(&o->w, "rules", "[");
	if (kept != NULL)
		put_kept_net_rules(o, kept);
	for (size_t i = 0; i < count;) {
		size_t j = i + 1;
		while (j < count && nitem_cmp(&items[i], &items[j]) == 0)
			j++;
		put_net_group(o, items + i, j - i);
		i = j;
	}
	pw_close(&o->w, "]");
	pw_close(&o->w, "}");
	free(items);
}

/* --- the syscall layer ----------------------------------------------------- */

/* Syscalls that the files, exec and network sections decide (the table in
 * policy/README.md): learned ones are traced, not allowed, or the learned
 * sections would never see them. */
static const char *const checked_syscalls[] = {
	"open",		 "openat",     "openat2",     "creat",	      "execve",	      "execveat",
	"mkdir",	 "mkdirat",    "mknod",	      "mknodat",      "unlink",	      "unlinkat",
	"rmdir",	 "rename",     "renameat",    "renameat2",    "link",	      "linkat",
	"symlink",	 "symlinkat",  "chmod",	      "fchmod",	      "fchmodat",     "fchmodat2",
	"chown",	 "fchown",     "lchown",      "fchownat",     "truncate",     "utime",
	"utimes",	 "futimesat",  "utimensat",   "chdir",	      "chroot",	      "setxattr",
	"lsetxattr",	 "fsetxattr",  "removexattr", "lremovexattr", "fremovexattr", "setxattrat",
	"removexattrat", "stat",       "lstat",	      "newfstatat",   "statx",	      "access",
	"faccessat",	 "faccessat2", "readlink",    "readlinkat",   "socket",	      "connect",
	"bind",		 "listen",     "sendto",      "sendmsg",      "sendmmsg",     NULL,
};

/* The calls without which a section decides nothing: the operator hears
 * when the syscall layer lets them run in the kernel. */
static const char *const core_checked_syscalls[] = {
	"open", "openat", "creat", "execve", "socket", "connect", "bind", "sendto", "sendmsg", NULL,
};

static bool in_list(const char *const *list, const char *name)
{
	for (size_t i = 0; list[i] != NULL; i++) {
		if (strcmp(list[i], name) == 0)
			return true;
	}
	return false;
}

/* Rule indexes of the rules learning adds (real ones count from 0, -1 is the default). */
enum { NAME_SIZE = 40, NEW_ALLOW_RULE = -2, NEW_TRACE_RULE = -3 };

/* Which syscalls leave their rule, and which rules take them. */
struct layer {
	const struct fg_policy *src;
	bool move[FG_SYSCALL_COUNT];   /* used, but denied or killed by src */
	bool traced[FG_SYSCALL_COUNT]; /* moved, and decided by a section */
	long allow_target;	       /* index of src's learned-syscalls rule, or NEW_ALLOW_RULE */
	long trace_target;	       /* likewise for learned-traced-syscalls */
};

static bool has_native_name(long nr, char *name, size_t size)
{
	fg_syscall_name(nr, name, size);
	return fg_syscall_from_name(name) == nr;
}

/* Rules of an earlier learning run (merge mode) take this run's syscalls too. */
static void find_targets(const struct fg_policy *src, struct layer *ly)
{
	ly->allow_target = NEW_ALLOW_RULE;
	ly->trace_target = NEW_TRACE_RULE;
	for (size_t i = 0; i < src->rule_count; i++) {
		const struct fg_syscall_rule *r = &src->rules[i];
		if (strcmp(r->id, "learned-syscalls") == 0 && r->action == FG_ACTION_ALLOW)
			ly->allow_target = (long)i;
		if (strcmp(r->id, "learned-traced-syscalls") == 0 && r->action == FG_ACTION_TRACE)
			ly->trace_target = (long)i;
	}
}

/* A used syscall leaves a rule that refuses it, but not a quiet denial:
 * the base expects programs to probe those and fall back (clone3 to
 * clone), and learning saw the fallback too. */
static bool refuses(const struct fg_syscall_rule *r)
{
	return r->action == FG_ACTION_KILL || (r->action == FG_ACTION_DENY && r->log);
}

/* Syscalls taken out of a rule that names them: the rule says why it
 * refused them, so the operator should read it. */
static void note_moved(struct out *o, const struct layer *ly)
{
	struct fg_json_buf list;
	char one[NAME_SIZE + 128];
	fg_json_buf_init(&list);
	for (long nr = 0; nr < FG_SYSCALL_COUNT; nr++) {
		char name[NAME_SIZE];
		long index = ly->src->syscall_rule[nr];
		if (!ly->move[nr] || index < 0)
			continue;
		snprintf(one, sizeof(one), "%s%s (%s)", list.len > 0 ? ", " : "",
			 fg_syscall_name(nr, name, sizeof(name)), ly->src->rules[index].id);
		fg_json_raw(&list, one, strlen(one));
	}
	if (list.len > 0) {
		static const char intro[] = "Learned syscalls that a rule of the base policy "
					    "refused by name, whose description says why: ";
		struct fg_json_buf text;
		fg_json_buf_init(&text);
		fg_json_raw(&text, intro, strlen(intro));
		fg_json_raw(&text, list.data, list.len);
		fg_json_raw(&text, ".", 1);
		if (text.failed || list.failed)
			o->failed = true;
		else
			note(o, text.data);
		fg_json_buf_free(&text);
	}
	fg_json_buf_free(&list);
}

static void plan_layer(struct out *o, const struct fg_policy *src, struct layer *ly)
{
	unsigned long unnamed = 0;
	memset(ly, 0, sizeof(*ly));
	ly->src = src;
	find_targets(src, ly);
	for (long nr = 0; nr < FG_SYSCALL_COUNT; nr++) {
		char name[NAME_SIZE];
		if (!o->l->syscalls[nr] || !refuses(fg_policy_syscall_rule(src, nr)))
			continue;
		if (!has_native_name(nr, name, sizeof(name))) {
			unnamed++;
			continue;
		}
		ly->move[nr] = true;
		ly->traced[nr] = in_list(checked_syscalls, name);
	}
	note_moved(o, ly);
	if (unnamed + o->l->bad_syscalls > 0) {
		char text[192];
		snprintf(text, sizeof(text),
			 "%lu syscall numbers used during learning have no name a policy can "
			 "give; they stay refused.",
			 unnamed + o->l->bad_syscalls);
		note(o, text);
	}
}

/* Whether syscall nr ends up in rule `index` (-1: the default). */
static bool in_rule(const struct layer *ly, long nr, long index)
{
	if (!ly->move[nr])
		return ly->src->syscall_rule[nr] == index;
	return index == (ly->traced[nr] ? ly->trace_target : ly->allow_target);
}

static int name_cmp(const void *a, const void *b)
{
	const char *const *x = a;
	const char *const *y = b;
	return strcmp(*x, *y);
}

/* The sorted names of the syscalls that end up in rule `index`. */
static size_t rule_names(const struct layer *ly, long index, char (*names)[NAME_SIZE],
			 const char **out)
{
	size_t n = 0;
	for (long nr = 0; nr < FG_SYSCALL_COUNT; nr++) {
		if (!in_rule(ly, nr, index))
			continue;
		fg_syscall_name(nr, names[n], NAME_SIZE);
		out[n] = names[n];
		n++;
	}
	qsort(out, n, sizeof(*out), name_cmp);
	return n;
}

static void put_syscall_action(struct out *o, const struct fg_syscall_rule *r)
{
	pw_string(&o->w, "action", fg_action_name(r->action));
	if (r->action != FG_ACTION_DENY)
		return;
	const char *name = fg_errno_name(r->deny_errno);
	if (name == NULL) {
		o->failed = true;
		return;
	}
	pw_string(&o->w, "errno", name);
	if (!r->log)
		pw_bool(&o->w, "log", false);
}

static void put_syscall_rule(struct out *o, const struct fg_syscall_rule *r, const char **names,
			     size_t n)
{
	if (n == 0)
		return; /* every syscall of it moved (or of another ABI): a rule needs one */
	pw_open(&o->w, NULL, "{");
	put_head(o, r->id, NULL, r->description);
	put_syscall_action(o, r);
	pw_list(&o->w, "syscalls", names, n, PW_FILL);
	pw_close(&o->w, "}");
}

/* A rule for moved syscalls that src has no rule for yet. */
static void put_learned_syscalls(struct out *o, const struct layer *ly, bool traced,
				 char (*names)[NAME_SIZE], const char **list)
{
	char id[64];
	long index = traced ? NEW_TRACE_RULE : NEW_ALLOW_RULE;
	if ((traced ? ly->trace_target : ly->allow_target) != index)
		return; /* a rule of src's from an earlier run took them */
	size_t n = rule_names(ly, index, names, list);
	if (n == 0)
		return;
	struct fg_syscall_rule r = {
		.id = unique_id(o, traced ? "learned-traced-syscalls" : "learned-syscalls", id,
				sizeof(id)),
		.description = traced ? "Denied by the base policy but used during learning; they "
					"name files, programs or addresses, so the files, exec "
					"and network rules decide: review each."
				      : "Denied by the base policy but used during learning: "
					"review each.",
		.action = traced ? FG_ACTION_TRACE : FG_ACTION_ALLOW,
	};
	put_syscall_rule(o, &r, list, n);
}

/* Core checked calls that run in the kernel leave a section without effect. */
static void note_unchecked(struct out *o, const struct layer *ly)
{
	const char *names[16];
	size_t n = 0;
	char list[256];
	char text[384];
	for (size_t i = 0; core_checked_syscalls[i] != NULL; i++) {
		long nr = fg_syscall_from_name(core_checked_syscalls[i]);
		if (nr < 0 || nr >= FG_SYSCALL_COUNT || ly->move[nr])
			continue;
		if (fg_policy_syscall_rule(ly->src, nr)->action == FG_ACTION_ALLOW)
			names[n++] = core_checked_syscalls[i];
	}
	if (n == 0)
		return;
	join_words(names, n, " and ", list, sizeof(list));
	snprintf(text, sizeof(text),
		 "The syscall layer lets %s run in the kernel, so the files, exec and network "
		 "rules never see them.",
		 list);
	note(o, text);
}

static void put_syscalls(struct out *o, const struct fg_policy *src)
{
	struct layer *ly = malloc(sizeof(*ly));
	char(*names)[NAME_SIZE] = calloc(FG_SYSCALL_COUNT, NAME_SIZE);
	const char **list = calloc(FG_SYSCALL_COUNT, sizeof(*list));
	if (ly == NULL || names == NULL || list == NULL) {
		o->failed = true;
		goto out;
	}
	plan_layer(o, src, ly);
	pw_open(&o->w, "syscalls", "{");
	pw_open(&o->w, "default", "{");
	put_head(o, src->default_rule.id, "syscalls.default", src->default_rule.description);
	put_syscall_action(o, &src->default_rule);
	pw_close(&o->w, "}");
	pw_open(&o->w, "rules", "[");
	for (size_t i = 0; i < src->rule_count; i++)
		put_syscall_rule(o, &src->rules[i], list, rule_names(ly, (long)i, names, list));
	put_learned_syscalls(o, ly, false, names, list);
	put_learned_syscalls(o, ly, true, names, list);
	pw_close(&o->w, "]");
	pw_close(&o->w, "}");
	note_unchecked(o, ly);
out:
	free(list);
	free(names);
	free(ly);
}

/* --- the whole policy ------------------------------------------------------ */

/* Merge mode keeps what struct fg_rules does not: the defaults' descriptions. */
struct kept_text {
	char *files;
	char *exec;
	char *network;
};

static char *default_description(const cJSON *root, const char *section)
{
	const cJSON *s = cJSON_GetObjectItemCaseSensitive(root, section);
	const cJSON *d = cJSON_GetObjectItemCaseSensitive(s, "default");
	const cJSON *text = cJSON_GetObjectItemCaseSensitive(d, "description");
	return cJSON_IsString(text) ? strdup(text->valuestring) : NULL;
}

/* Best effort: the file was just loaded, so a failure here only loses text. */
static void read_kept_text(const char *path, struct kept_text *kept)
{
	FILE *f = fopen(path, "rb");
	char *text = malloc(MAX_POLICY_BYTES + 1);
	size_t len = 0;
	memset(kept, 0, sizeof(*kept));
	if (f != NULL && text != NULL)
		len = fread(text, 1, MAX_POLICY_BYTES, f);
	if (f != NULL)
		fclose(f);
	cJSON *root = len > 0 ? cJSON_ParseWithLength(text, len) : NULL;
	free(text);
	if (root == NULL)
		return;
	kept->files = default_description(root, "files");
	kept->exec = default_description(root, "exec");
	kept->network = default_description(root, "network");
	cJSON_Delete(root);
}

static void free_kept_text(struct kept_text *kept)
{
	free(kept->files);
	free(kept->exec);
	free(kept->network);
	memset(kept, 0, sizeof(*kept));
}

/* Every id the kept policy uses, so that learned ones differ. */
static void reserve_ids(struct out *o, const struct fg_policy *src)
{
	const struct fg_rules *r = &src->sections;
	reserve_id(o, src->default_rule.id);
	for (size_t i = 0; i < src->rule_count; i++)
		reserve_id(o, src->rules[i].id);
	for (size_t i = 0; o->merge != NULL && i < r->file_count; i++)
		reserve_id(o, r->files[i].head.id);
	for (size_t i = 0; o->merge != NULL && i < r->exec_count; i++)
		reserve_id(o, r->execs[i].head.id);
	for (size_t i = 0; o->merge != NULL && i < r->net_count; i++)
		reserve_id(o, r->nets[i].head.id);
}

static void note_observations(struct out *o)
{
	char text[TEXT_SIZE + 256];
	const struct fg_learner *l = o->l;
	if (l->bad_paths > 0) {
		snprintf(text, sizeof(text),
			 "%lu paths used during learning cannot be written as patterns (too long "
			 "or not normalised); they stay refused.",
			 l->bad_paths);
		note(o, text);
	}
	if (l->bad_sockets + l->bad_families > 0) {
		snprintf(text, sizeof(text),
			 "The program created %lu kinds of sockets that no policy can allow "
			 "(such as SCTP); they stay refused.",
			 l->bad_sockets + l->bad_families);
		note(o, text);
	}
	if (o->refused > 0) {
		snprintf(text, sizeof(text),
			 "Operations of the program that rules of the merged policy refuse stay "
			 "refused, as the first rule that matches decides: %lu, such as %s.",
			 o->refused, o->refused_example);
		note(o, text);
	}
}

/* A new policy's description: where it comes from, what to review. */
static void put_new_description(struct fg_json_buf *text, const struct fg_policy *src)
{
	static const char intro[] = "Learned by fhirguard from what the program did during "
				    "learning, on the syscall layer of ";
	static const char outro[] =
	    ". Review every rule before enforcing it, secrets and learned syscalls first.";
	const char *source = src->source != NULL ? src->source : "(the base policy)";
	size_t len = strlen(source);
	fg_json_raw(text, intro, strlen(intro));
	/* "(embedded default policy)" reads better as "the embedded default policy". */
	if (len > 2 && source[0] == '(' && source[len - 1] == ')') {
		fg_json_raw(text, "the ", 4);
		fg_json_raw(text, source + 1, len - 2);
	} else {
		fg_json_raw(text, source, len);
	}
	fg_json_raw(text, outro, strlen(outro));
}

/* The description: the merged policy's (without the notes of an earlier
 * run) or a new one, then this run's notes. */
static void put_description(struct pw *w, const struct out *o, const struct fg_policy *src)
{
	struct fg_json_buf text;
	fg_json_buf_init(&text);
	if (o->merge != NULL && src->description != NULL) {
		const char *end = strstr(src->description, notes_marker);
		size_t len =
		    end != NULL ? (size_t)(end - src->description) : strlen(src->description);
		fg_json_raw(&text, src->description, len);
	} else {
		put_new_description(&text, src);
	}
	if (o->notes.len > 0) {
		fg_json_raw(&text, notes_marker, strlen(notes_marker));
		fg_json_raw(&text, o->notes.data, o->notes.len);
	}
	pw_string(w, "description", text.data != NULL ? text.data : "");
	if (text.failed)
		w->b.failed = true;
	fg_json_buf_free(&text);
}

/* Version, description, mode and log: written last (the notes are known
 * only then), placed first. */
static void put_head_members(struct pw *w, const struct out *o, const struct fg_policy *src)
{
	pw_open(w, NULL, "{");
	pw_int(w, "version", 1);
	put_description(w, o, src);
	pw_string(w, "mode", "enforce");
	pw_open(w, "log", "{");
	pw_bool(w, "allowed", src->log_allowed);
	pw_close(w, "}");
}

/* Writes all of text to fd: 0 or an errno value. */
static int write_all(int fd, const char *text, size_t len)
{
	size_t done = 0;
	while (done < len) {
		ssize_t n = write(fd, text + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno;
		if (n == 0)
			return EIO;
		done += (size_t)n;
	}
	return 0;
}

/* Writes text to path through a temporary file and a rename, so that a
 * reader (or a crash) never sees half a policy. A file that is replaced
 * keeps its permissions; a new one gets 0644. */
static int replace_file(const char *path, const char *text, size_t len, struct fg_error *err)
{
	struct stat st;
	mode_t mode = stat(path, &st) == 0 ? (st.st_mode & 0777) : 0644;
	size_t size = strlen(path) + 8;
	char *tmp = malloc(size);
	if (tmp == NULL)
		return fg_error_set(err, "%s: out of memory", path);
	snprintf(tmp, size, "%s.XXXXXX", path);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		int rc = fg_error_set(err, "%s: cannot create a temporary file beside it: %s", path,
				      strerror(errno));
		free(tmp);
		return rc;
	}
	int error = write_all(fd, text, len);
	if (error == 0 && fchmod(fd, mode) != 0)
		error = errno;
	if (error == 0 && fsync(fd) != 0)
		error = errno;
	if (close(fd) != 0 && error == 0)
		error = errno;
	if (error == 0 && rename(tmp, path) != 0)
		error = errno;
	if (error != 0)
		unlink(tmp);
	free(tmp);
	if (error != 0)
		return fg_error_set(err, "%s: cannot write the policy: %s", path, strerror(error));
	return 0;
}

/* The whole text: head members, then the body. */
static char *assemble(const struct out *o, const struct fg_policy *src, size_t *len)
{
	struct pw head = { .first = true };
	fg_json_buf_init(&head.b);
	put_head_members(&head, o, src);
	fg_json_raw(&head.b, o->w.b.data, o->w.b.len);
	fg_json_raw(&head.b, "\n}\n", 3);
	if (head.b.failed || o->w.b.failed) {
		fg_json_buf_free(&head.b);
		return NULL;
	}
	*len = head.b.len;
	return head.b.data;
}

/* Loads the text as fhirguard will: a learned policy that does not load
 * is a bug here, and must not replace anything. */
static int check_text(const char *text, size_t len, const char *path, struct fg_error *err)
{
	struct fg_policy check;
	struct fg_error why;
	if (fg_policy_load_text(text, len, path, &check, &why) < 0)
		return fg_error_set(err, "internal error: the learned policy would not load: %s",
				    why.msg);
	fg_policy_free(&check);
	return 0;
}

/* Merge mode: loads the existing policy at path; *loaded is false when
 * there is none yet (learning then starts afresh). */
static int load_existing(const char *path, struct fg_policy *policy, bool *loaded,
			 struct fg_error *err)
{
	struct stat st;
	*loaded = false;
	if (stat(path, &st) != 0) {
		if (errno == ENOENT)
			return 0;
		return fg_error_set(err, "%s: %s", path, strerror(errno));
	}
	if (fg_policy_load_file(path, policy, err) < 0)
		return -1;
	*loaded = true;
	return 0;
}

static int write_policy(struct out *o, const struct fg_policy *src, const struct kept_text *kept,
			const char *path, struct fg_error *err)
{
	size_t len = 0;
	reserve_ids(o, src);
	/* The body first: it produces the notes the description carries. */
	o->w.depth = 1;
	put_syscalls(o, src);
	put_files(o, kept->files);
	put_exec(o, kept->exec);
	put_network(o, kept->network);
	note_observations(o);
	if (o->failed)
		return fg_error_set(err, "%s: out of memory while writing the learned policy",
				    path);
	char *text = assemble(o, src, &len);
	if (text == NULL)
		return fg_error_set(err, "%s: out of memory while writing the learned policy",
				    path);
	int rc = check_text(text, len, path, err);
	if (rc == 0)
		rc = replace_file(path, text, len, err);
	free(text);
	return rc;
}

int fg_learner_write(const struct fg_learner *l, const struct fg_policy *base, const char *path,
		     bool merge, struct fg_error *err)
{
	struct fg_policy existing;
	struct kept_text kept = { 0 };
	bool loaded = false;
	if (l == NULL || path == NULL)
		return fg_error_set(err, "learn: no observations or no output path");
	if (l->failed)
		return fg_error_set(err,
				    "%s: memory ran out during learning, so the observations "
				    "are incomplete; nothing was written",
				    path);
	if (merge && load_existing(path, &existing, &loaded, err) < 0)
		return -1;
	const struct fg_policy *src = loaded ? &existing : base;
	if (src == NULL)
		return fg_error_set(err, "%s: no base policy to take the syscall layer from", path);
	if (loaded)
		read_kept_text(path, &kept);
	struct out o = { .l = l, .merge = loaded ? &existing : NULL };
	fg_json_buf_init(&o.w.b);
	fg_json_buf_init(&o.notes);
	int rc = write_policy(&o, src, &kept, path, err);
	fg_json_buf_free(&o.w.b);
	fg_json_buf_free(&o.notes);
	table_free(&o.ids);
	free_kept_text(&kept);
	if (loaded)
		fg_policy_free(&existing);
	return rc;
}
