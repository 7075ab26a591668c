/* Unit tests for the Landlock backstop (lib/landlock.c), against the real
 * kernel: each check forks a child that sets no_new_privs, applies the plan
 * and tries one operation; its exit status is 0 or the errno it got. Tests
 * run as root, so a refusal can only come from Landlock (root bypasses file
 * modes). Needs Landlock ABI 4 or later (Linux 6.7) for the network checks.
 */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "landlock.h"
#include "policy.h"

#define SHIPPED_POLICY "/work/main/policy/hapi-fhir.json"
#define JAVA	       "/usr/lib/jvm/java-17-openjdk-amd64/bin/java"

/* Exit statuses of a sandboxed child that are not errno values. */
enum { CHILD_NNP = 250, CHILD_APPLY = 251, CHILD_SIGNAL = 252 };

/* --- fixture -------------------------------------------------------------- */

/* A temporary tree the policies name (@R), a directory outside it (@O), and
 * TCP ports: @B may be bound, @F may not; @C has a listener that may be
 * connected to, @D one that may not. */
struct fx {
	char root[64];
	char out[64];
	int listen_ok, listen_bad;
	unsigned bind_ok, bind_bad, conn_ok, conn_bad;
	struct fg_policy policy;
	bool loaded;
	struct fg_landlock_plan plan;
};

static void path_of(char *buf, size_t size, const char *dir, const char *rel)
{
	int n = snprintf(buf, size, "%s/%s", dir, rel);
	ck_assert(n > 0 && (size_t)n < size);
}

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	ck_assert_msg(f != NULL, "%s: %s", path, strerror(errno));
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
}

static void copy_file(const char *from, const char *to, mode_t mode)
{
	int in = open(from, O_RDONLY | O_CLOEXEC);
	int out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	ck_assert(in >= 0 && out >= 0);
	char buf[65536];
	ssize_t n;
	while ((n = read(in, buf, sizeof(buf))) > 0)
		ck_assert_int_eq(write(out, buf, (size_t)n), n);
	ck_assert_int_eq(n, 0);
	close(in);
	close(out);
}

static void make_dir(const char *dir, const char *rel)
{
	char path[PATH_MAX];
	path_of(path, sizeof(path), dir, rel);
	ck_assert_msg(mkdir(path, 0755) == 0, "%s: %s", path, strerror(errno));
}

static void make_file(const char *dir, const char *rel, const char *text)
{
	char path[PATH_MAX];
	path_of(path, sizeof(path), dir, rel);
	write_text(path, text);
}

/* A TCP socket on 127.0.0.1 bound to a port the kernel picks. */
static int tcp_socket_bound(unsigned *port)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ck_assert(fd >= 0);
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	socklen_t len = sizeof(sin);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	*port = ntohs(sin.sin_port);
	return fd;
}

static unsigned free_port(void)
{
	unsigned port;
	close(tcp_socket_bound(&port));
	return port;
}

static int listener(unsigned *port)
{
	int fd = tcp_socket_bound(port);
	ck_assert_int_eq(listen(fd, 8), 0);
	return fd;
}

static void fx_init(struct fx *fx)
{
	memset(fx, 0, sizeof(*fx));
	fx->plan.ruleset_fd = -1;
	strcpy(fx->root, "/tmp/fg-landlock-XXXXXX");
	strcpy(fx->out, "/tmp/fg-landlock-out-XXXXXX");
	ck_assert(mkdtemp(fx->root) != NULL && mkdtemp(fx->out) != NULL);
	make_dir(fx->root, "ro");
	make_dir(fx->root, "data");
	make_dir(fx->root, "bin");
	make_dir(fx->root, "sock");
	make_file(fx->root, "ro/file.txt", "allowed\n");
	make_file(fx->root, "ro/denied.txt", "denied by the policy\n");
	make_file(fx->root, "data/existing.txt", "data\n");
	make_file(fx->out, "secret.txt", "outside\n");
	char path[PATH_MAX];
	path_of(path, sizeof(path), fx->root, "bin/true");
	copy_file("/bin/true", path, 0755);
	path_of(path, sizeof(path), fx->root, "ro/true");
	copy_file("/bin/true", path, 0755);
	char target[PATH_MAX];
	path_of(target, sizeof(target), fx->out, "secret.txt");
	path_of(path, sizeof(path), fx->root, "ro/link");
	ck_assert_int_eq(symlink(target, path), 0);
	fx->listen_ok = listener(&fx->conn_ok);
	fx->listen_bad = listener(&fx->conn_bad);
	fx->bind_ok = free_port();
	do
		fx->bind_bad = free_port();
	while (fx->bind_bad == fx->bind_ok);
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void fx_fini(struct fx *fx)
{
	fg_landlock_release(&fx->plan);
	if (fx->loaded)
		fg_policy_free(&fx->policy);
	close(fx->listen_ok);
	close(fx->listen_bad);
	nftw(fx->root, remove_one, 16, FTW_DEPTH | FTW_PHYS);
	nftw(fx->out, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* Replaces @R, @O, @B, @F, @C, @D in `tmpl` (see struct fx). */
static void subst(const struct fx *fx, const char *tmpl, char *out, size_t size)
{
	size_t len = 0;
	for (const char *p = tmpl; *p != '\0'; p++) {
		char word[64] = { *p, '\0' };
		if (*p == '@' && p[1] != '\0') {
			p++;
			switch (*p) {
			case 'R':
				snprintf(word, sizeof(word), "%s", fx->root);
				break;
			case 'O':
				snprintf(word, sizeof(word), "%s", fx->out);
				break;
			case 'B':
				snprintf(word, sizeof(word), "%u", fx->bind_ok);
				break;
			case 'F':
				snprintf(word, sizeof(word), "%u", fx->bind_bad);
				break;
			case 'C':
				snprintf(word, sizeof(word), "%u", fx->conn_ok);
				break;
			case 'D':
				snprintf(word, sizeof(word), "%u", fx->conn_bad);
				break;
			default:
				ck_abort_msg("unknown placeholder @%c", *p);
			}
		}
		size_t n = strlen(word);
		ck_assert(len + n < size);
		memcpy(out + len, word, n + 1);
		len += n;
	}
}

/* A syscall layer that allows everything in the kernel: the sections then
 * govern nothing, which fg_landlock_prepare (rules only) does not look at. */
static const char allow_all[] = "{\"default\": {\"action\": \"allow\"}}";

/* Loads {"version": 1, "syscalls": SYSCALLS, TMPL} (after subst). */
static void fx_load(struct fx *fx, const char *syscalls, const char *tmpl)
{
	char text[8192];
	char file[PATH_MAX];
	int n = snprintf(text, sizeof(text), "{\"version\": 1, \"syscalls\": %s,\n", syscalls);
	ck_assert(n > 0 && (size_t)n < sizeof(text));
	subst(fx, tmpl, text + n, sizeof(text) - (size_t)n);
	path_of(file, sizeof(file), fx->out, "policy.json");
	write_text(file, text);
	struct fg_error err;
	ck_assert_msg(fg_policy_load_file(file, &fx->policy, &err) == 0, "%s\n%s", err.msg, text);
	fx->loaded = true;
}

/* Loads the policy and prepares its plan from its rules. */
static void fx_prepare(struct fx *fx, const char *tmpl)
{
	fx_load(fx, allow_all, tmpl);
	struct fg_error err;
	ck_assert_msg(fg_landlock_prepare(&fx->policy.sections, &fx->plan, &err) == 0, "%s",
		      err.msg);
}

/* The main policy: the tree readable (but one file), its data directory
 * writable, its bin directory executable, libraries readable and runnable;
 * bind on @B, connect to 127.0.0.1:@C. */
static const char main_policy[] =
    "\"files\": {\"default\": {\"action\": \"deny\"}, \"rules\": [\n"
    " {\"id\": \"no-denied\", \"paths\": [\"@R/ro/denied.txt\"], \"access\": [\"read\"], "
    "\"action\": \"deny\"},\n"
    " {\"id\": \"tree\", \"paths\": [\"@R/**\"], \"access\": [\"read\", \"stat\"], \"action\": "
    "\"allow\"},\n"
    " {\"id\": \"data\", \"paths\": [\"@R/data/*\", \"@R/data/*/**\"], \"access\": [\"read\", "
    "\"write\", \"create\", \"delete\", \"stat\"], \"action\": \"allow\"},\n"
    " {\"id\": \"bin\", \"paths\": [\"@R/bin/*\"], \"access\": [\"read\", \"exec\"], \"action\": "
    "\"allow\"},\n"
    " {\"id\": \"libs\", \"paths\": [\"/usr/lib/**\", \"/lib/**\", \"/lib64/**\", "
    "\"/etc/ld.so.cache\"], \"access\": [\"read\", \"exec\"], \"action\": \"allow\"}\n"
    "]},\n"
    "\"network\": {\"default\": {\"action\": \"deny\"}, \"rules\": [\n"
    " {\"id\": \"bind-ok\", \"operations\": [\"bind\"], \"protocols\": [\"tcp\"], \"ports\": "
    "\"@B\", \"action\": \"allow\"},\n"
    " {\"id\": \"connect-ok\", \"operations\": [\"connect\"], \"protocols\": [\"tcp\"], "
    "\"addresses\": [\"127.0.0.1\"], \"ports\": \"@C\", \"action\": \"allow\"}\n"
    "]}}";

/* --- sandboxed probes ----------------------------------------------------- */

struct probe {
	int (*fn)(const struct probe *p); /* returns 0 or an errno */
	const char *path;
	const char *path2;
	unsigned port;
};

/* Runs the probe in a child that applies `plan` first. */
static int sandboxed(const struct fg_landlock_plan *plan, const struct probe *p)
{
	fflush(NULL);
	pid_t pid = fork();
	ck_assert(pid >= 0);
	if (pid == 0) {
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
			_exit(CHILD_NNP);
		if (fg_landlock_apply(plan) < 0)
			_exit(CHILD_APPLY);
		_exit(p->fn(p));
	}
	int status;
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	return WIFEXITED(status) ? WEXITSTATUS(status) : CHILD_SIGNAL;
}

static int errno_of(int rc)
{
	return rc < 0 ? errno : 0;
}

static int open_with(const char *path, int flags)
{
	int fd = open(path, flags | O_CLOEXEC, 0644);
	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

static int probe_read(const struct probe *p)
{
	return open_with(p->path, O_RDONLY);
}

static int probe_write(const struct probe *p)
{
	return open_with(p->path, O_WRONLY);
}

static int probe_create(const struct probe *p)
{
	return open_with(p->path, O_WRONLY | O_CREAT | O_EXCL);
}

/* Creates a file and a directory, then removes both. */
static int probe_create_delete(const struct probe *p)
{
	char dir[PATH_MAX];
	snprintf(dir, sizeof(dir), "%s.d", p->path);
	int e = open_with(p->path, O_WRONLY | O_CREAT | O_EXCL);
	if (e == 0)
		e = errno_of(unlink(p->path));
	if (e == 0)
		e = errno_of(mkdir(dir, 0755));
	if (e == 0)
		e = errno_of(rmdir(dir));
	return e;
}

static int probe_mkdir_write(const struct probe *p)
{
	int e = errno_of(mkdir(p->path, 0755));
	return e != 0 ? e : open_with(p->path2, O_WRONLY | O_CREAT);
}

static int probe_rename(const struct probe *p)
{
	return errno_of(rename(p->path, p->path2));
}

static int probe_exec(const struct probe *p)
{
	pid_t pid = fork();
	if (pid == 0) {
		char *argv[] = { (char *)p->path, NULL };
		execv(p->path, argv);
		_exit(errno);
	}
	int status;
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return CHILD_SIGNAL;
	return WIFEXITED(status) ? WEXITSTATUS(status) : CHILD_SIGNAL;
}

static int probe_tcp(const struct probe *p, bool do_connect)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return errno;
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_port = htons((uint16_t)p->port),
				   .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int rc = do_connect ? connect(fd, (struct sockaddr *)&sin, sizeof(sin))
			    : bind(fd, (struct sockaddr *)&sin, sizeof(sin));
	int e = errno_of(rc);
	close(fd);
	return e;
}

static int probe_bind(const struct probe *p)
{
	return probe_tcp(p, false);
}

static int probe_connect(const struct probe *p)
{
	return probe_tcp(p, true);
}

static int probe_unix_bind(const struct probe *p)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return errno;
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", p->path);
	int e = errno_of(bind(fd, (struct sockaddr *)&sun, sizeof(sun)));
	close(fd);
	return e;
}

/* Runs `fn` on @R/rel (and @R/rel2) in the sandbox. */
static int try_at(const struct fx *fx, int (*fn)(const struct probe *), const char *rel,
		  const char *rel2)
{
	char path[PATH_MAX];
	char path2[PATH_MAX];
	path_of(path, sizeof(path), rel[0] == '/' ? "" : fx->root, rel[0] == '/' ? rel + 1 : rel);
	if (rel2 != NULL)
		path_of(path2, sizeof(path2), fx->root, rel2);
	struct probe p = { .fn = fn, .path = path, .path2 = rel2 ? path2 : NULL };
	return sandboxed(&fx->plan, &p);
}

static int try_port(const struct fx *fx, int (*fn)(const struct probe *), unsigned port)
{
	struct probe p = { .fn = fn, .port = port };
	return sandboxed(&fx->plan, &p);
}

static int try_outside(const struct fx *fx, int (*fn)(const struct probe *), const char *rel)
{
	char path[PATH_MAX];
	path_of(path, sizeof(path), fx->out, rel);
	struct probe p = { .fn = fn, .path = path };
	return sandboxed(&fx->plan, &p);
}

/* --- describe_limits ------------------------------------------------------ */

struct lines {
	char text[16384];
	size_t len;
	int count;
};

static void collect(const char *line, void *ctx)
{
	struct lines *l = ctx;
	ck_assert_msg(strncmp(line, "landlock: ", 10) == 0, "%s", line);
	ck_assert(strchr(line, '\n') == NULL);
	int n = snprintf(l->text + l->len, sizeof(l->text) - l->len, "%s\n", line);
	if (n > 0 && l->len + (size_t)n < sizeof(l->text))
		l->len += (size_t)n;
	l->count++;
}

static void describe(const struct fx *fx, struct lines *l)
{
	memset(l, 0, sizeof(*l));
	fg_landlock_describe_limits(&fx->policy.sections, fg_landlock_abi(), collect, l);
}

/* The line that contains both words, or NULL. */
static const char *line_with(const struct lines *l, const char *a, const char *b)
{
	for (const char *p = l->text; *p != '\0';) {
		const char *end = strchr(p, '\n');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		char line[2048];
		snprintf(line, sizeof(line), "%.*s", (int)n, p);
		if (strstr(line, a) && strstr(line, b))
			return p;
		p += n + (end != NULL);
	}
	return NULL;
}

/* --- tests: detection ----------------------------------------------------- */

START_TEST(test_abi)
{
	long raw = syscall(SYS_landlock_create_ruleset, NULL, 0, 1U);
	int abi = fg_landlock_abi();
	ck_assert_int_eq(abi, raw < 0 ? 0 : (int)raw);
	ck_assert_msg(abi >= 4, "these tests need Landlock ABI 4+, the kernel has %d", abi);
	struct fx fx;
	fx_init(&fx);
	fx_prepare(&fx, main_policy);
	ck_assert_int_eq(fx.plan.abi, abi);
	ck_assert_int_ge(fx.plan.ruleset_fd, 0);
	ck_assert(fx.plan.unavailable_reason == NULL);
	/* ABI 5+: every filesystem right up to IOCTL_DEV, and both TCP rights. */
	ck_assert_uint_eq(fx.plan.handled_fs, abi >= 5 ? 0xffffu : 0x7fffu);
	ck_assert_uint_eq(fx.plan.handled_net, 3);
	ck_assert_uint_eq(fx.plan.port_rules, 2);
	fx_fini(&fx);
}
END_TEST

START_TEST(test_apply_without_ruleset)
{
	struct fg_landlock_plan plan = { .ruleset_fd = -1 };
	ck_assert_int_eq(fg_landlock_apply(&plan), 0);
	fg_landlock_release(&plan);
	fg_landlock_release(&plan);
	ck_assert_int_eq(plan.ruleset_fd, -1);
}
END_TEST

/* --- tests: files --------------------------------------------------------- */

START_TEST(test_read_allowed)
{
	struct fx fx;
	fx_init(&fx);
	fx_prepare(&fx, main_policy);
	ck_assert_int_eq(try_at(&fx, probe_read, "ro/file.txt", NULL), 0);
	ck_assert_int_eq(try_at(&fx, probe_read, "ro", NULL), 0); /* list the directory */
	fx_fini(&fx);
}
END_TEST

START_TEST(test_read_outside)
{
	struct fx fx;
	fx_init(&fx);
	fx_prepare(&fx, main_policy);
	ck_assert_int_eq(try_outside(&fx, probe_read, "secret.txt"), EACCES);
	ck_assert_int_eq(try_at(&fx, probe_read, "/etc/hostname", NULL), EACCES);
	fx_fini(&fx);
}
END_TEST

START_TEST(test_write_outside)
{
	struct fx fx;
	fx_init(&fx);
	fx_prepare(&fx, main_policy);
	ck_assert_int_eq(try_outside(&fx, probe_write, "secret.txt"), EACCES);
	/* Readable is not writable. */
	ck_assert_int_eq(try_at(&fx, probe_write, "ro/file.txt", NULL), EACCES);
	fx_fini(&fx);
}
END_TEST

START_TEST(test_create_delete_in_data)
{
	struct fx fx;
	fx_init(&fx);
	fx_prepare(&fx, main_policy);
	ck_assert_int_eq(try_at(&fx, probe_create_delete, "data/new.txt", NULL), 0);
	ck_assert_int_eq(try_at(&fx, probe_write, "data/existing.txt", NULL), 0);
	fx_fini(&fx);
}
END_TEST

START_TEST(test_create_outside)
{
	struct fx fx;
	fx_init(&fx);
	fx_prepare(&fx, main_policy);
	ck_assert_int_eq(try_outside(&fx, probe_create, "new.txt"), EACCES);
	ck_assert_int_eq(try_at(&fx, probe_create, "ro/new.txt", NULL), EACCES);
	ck_assert_int_eq(try_at(&fx, probe_create, "new.txt", NULL), EACCES);
	fx_fini(&fx);
}
END_TEST

START_TEST(test_exec)
{
	struct fx fx;
	fx_init(&fx);
	fx_prepare(&fx, main_policy);
	ck_assert_int_eq(try_at(&fx, probe_exec, "bin/true", NULL), 0);
	/* The same program where the policy grants read only. */
	ck_assert_int_eq(try_at(&fx, probe_exec, "ro/true", NULL), EACCES);
	fx_fini(&fx);
}
END_TEST

START_TEST(test_symlink_escape)
{
	struct fx fx;
	fx_init(&fx);
	fx_prepare(&fx, main_policy);
	/* Landlock checks the object the link leads to, outside the tree. */
	ck_assert_int_eq(try_at(&fx, probe_read, "ro/link", NULL), EACCES);
	fx_fini(&fx);
}
END_TEST

START_TEST(test_rename_out_of_data)
{
	struct fx fx;
	fx_init(&fx);
	fx_prepare(&fx, main_policy);
	int e = try_at(&fx, probe_rename, "data/existing.txt", "ro/moved.txt");
	ck_assert_msg(e == EXDEV || e == EACCES, "rename gave %d", e);
	/* Within the data directory it works. */
	ck_assert_int_eq(try_at(&fx, probe_rename, "data/existing.txt", "data/renamed.txt"), 0);
	fx_fini(&fx);
}
END_TEST

START_TEST(test_deny_inside_allowed)
{
	struct fx fx;
	fx_init(&fx);
	fx_prepare(&fx, main_policy);
	/* The policy refuses it, Landlock cannot (the tree is readable): a
	 * superset, and describe_limits says so. */
	ck_assert_int_eq(try_at(&fx, probe_read, "ro/denied.txt", NULL), 0);
	struct lines l;
	describe(&fx, &l);
	ck_assert_msg(line_with(&l, "no-denied", "only the supervisor enforces it"), "%s", l.text);
	fx_fini(&fx);
}
END_TEST

START_TEST(test_no_files_section)
{
	struct fx fx;
	fx_init(&fx);
	fx_prepare(&fx, "\"network\": {\"default\": {\"action\": \"deny\"}, \"rules\": []}}");
	ck_assert_uint_eq(fx.plan.handled_fs, 0);
	ck_assert_str_eq(fx.plan.fs_reason, "the policy has no files section");
	ck_assert_int_ge(fx.plan.ruleset_fd, 0); /* the network part remains */
	ck_assert_int_eq(try_outside(&fx, probe_read, "secret.txt"), 0);
	ck_assert_int_eq(try_outside(&fx, probe_create, "new.txt"), 0);
	ck_assert_int_eq(try_port(&fx, probe_connect, fx.conn_bad), EACCES);
	fx_fini(&fx);
}
END_TEST

START_TEST(test_files_default_allow)
{
	struct fx fx;
	fx_init(&fx);
	fx_prepare(&fx, "\"files\": {\"default\": {\"action\": \"allow\"}, \"rules\": [{\"paths\": "
			"[\"@O/**\"], \"access\": [\"all\"], \"action\": \"deny\"}]}}");
	ck_assert_int_eq(fx.plan.ruleset_fd, -1);
	ck_assert_ptr_nonnull(fx.plan.unavailable_reason);
	ck_assert_uint_eq(fx.plan.handled_fs, 0);
	ck_assert_int_eq(try_outside(&fx, probe_read, "secret.txt"), 0);
	fx_fini(&fx);
}
END_TEST

START_TEST(test_literal_file_rules)
{
	struct fx fx;
	fx_init(&fx);
	/* Rights on files must be file rights only (else EINVAL): read+write
	 * on one file, every right on another. */
	fx_prepare(&fx, "\"files\": {\"default\": {\"action\": \"deny\"}, \"rules\": [\n"
			"{\"paths\": [\"@R/ro/file.txt\"], \"access\": [\"read\", \"write\"], "
			"\"action\": \"allow\"},\n"
			"{\"paths\": [\"@R/bin/true\"], \"access\": [\"all\"], \"action\": "
			"\"allow\"}]}}");
	ck_assert_int_ge(fx.plan.ruleset_fd, 0);
	ck_assert_int_eq(try_at(&fx, probe_write, "ro/file.txt", NULL), 0);
	ck_assert_int_eq(try_at(&fx, probe_read, "ro/file.txt", NULL), 0);
	/* Its sibling stays closed: the rule is on the file, not its directory. */
	ck_assert_int_eq(try_at(&fx, probe_read, "ro/denied.txt", NULL), EACCES);
	ck_assert_int_eq(try_at(&fx, probe_read, "ro", NULL), EACCES);
	fx_fini(&fx);
}
END_TEST

START_TEST(test_literal_directory)
{
	struct fx fx;
	fx_init(&fx);
	/* A directory named by itself: listing it, not reading what is in it. */
	fx_prepare(&fx, "\"files\": {\"default\": {\"action\": \"deny\"}, \"rules\": [\n"
			"{\"id\": \"ro-dir\", \"paths\": [\"@R/ro\"], \"access\": [\"read\", "
			"\"write\", \"exec\"], \"action\": \"allow\"}]}}");
	ck_assert_int_eq(try_at(&fx, probe_read, "ro", NULL), 0);
	ck_assert_int_eq(try_at(&fx, probe_read, "ro/file.txt", NULL), EACCES);
	ck_assert_int_eq(try_at(&fx, probe_write, "ro/file.txt", NULL), EACCES);
	struct lines l;
	describe(&fx, &l);
	ck_assert_msg(line_with(&l, "ro-dir", "without its subdirectories"), "%s", l.text);
	fx_fini(&fx);
}
END_TEST

START_TEST(test_tree_root_widening)
{
	struct fx fx;
	fx_init(&fx);
	// "@R/data/**" lets the program remove and re-create @R/data itself,
	// which happens in @R; a new @R/data would not carry the old inode's
	// rule, so Landlock grants the rule's rights in all of @R.
	fx_prepare(&fx,
		   "\"files\": {\"default\": {\"action\": \"deny\"}, \"rules\": [\n"
		   "{\"id\": \"data-tree\", \"paths\": [\"@R/data/**\"], \"access\": [\"read\", "
		   "\"write\", \"create\", \"delete\"], \"action\": \"allow\"}]}}");
	ck_assert_int_eq(try_at(&fx, probe_rename, "data", "old-data"), 0);
	ck_assert_int_eq(try_at(&fx, probe_mkdir_write, "data", "data/new.txt"), 0);
	/* The price: the rest of @R too. */
	ck_assert_int_eq(try_at(&fx, probe_write, "ro/file.txt", NULL), 0);
	ck_assert_int_eq(try_outside(&fx, probe_write, "secret.txt"), EACCES);
	struct lines l;
	describe(&fx, &l);
	ck_assert_msg(line_with(&l, "data-tree", "re-create"), "%s", l.text);
	fx_fini(&fx);
}
END_TEST

START_TEST(test_missing_prefix_walkup)
{
	struct fx fx;
	fx_init(&fx);
	/* @R/new does not exist yet and the program may create it: the rights
	 * go to @R, so it can make the directory and use it. */
	fx_prepare(&fx, "\"files\": {\"default\": {\"action\": \"deny\"}, \"rules\": [\n"
			"{\"id\": \"new\", \"paths\": [\"@R/new/**\"], \"access\": [\"read\", "
			"\"write\", \"create\", \"delete\"], \"action\": \"allow\"}]}}");
	struct lines l;
	describe(&fx, &l);
	ck_assert_msg(line_with(&l, "new", "does not exist yet"), "%s", l.text);
	ck_assert_int_eq(try_at(&fx, probe_mkdir_write, "new", "new/file.txt"), 0);
	fx_fini(&fx);
}
END_TEST

START_TEST(test_missing_prefix_skipped)
{
	struct fx fx;
	fx_init(&fx);
	/* Nothing exists at @R/missing and nothing may create it: no widening. */
	fx_prepare(&fx, "\"files\": {\"default\": {\"action\": \"deny\"}, \"rules\": [\n"
			"{\"id\": \"missing\", \"paths\": [\"@R/missing/**\"], \"access\": "
			"[\"read\"], \"action\": \"allow\"},\n"
			"{\"paths\": [\"@R/ro/file.txt\"], \"access\": [\"read\"], \"action\": "
			"\"allow\"}]}}");
	ck_assert_uint_eq(fx.plan.path_rules, 1);
	ck_assert_int_eq(try_at(&fx, probe_read, "ro/denied.txt", NULL), EACCES);
	ck_assert_int_eq(try_at(&fx, probe_read, "missing", NULL), ENOENT);
	struct lines l;
	describe(&fx, &l);
	ck_assert_msg(line_with(&l, "missing", "another process creates it"), "%s", l.text);
	fx_fini(&fx);
}
END_TEST

START_TEST(test_refer_balance)
{
	struct fx fx;
	fx_init(&fx);
	/* The policy lets files move from data to bin, where exec is also
	 * allowed. Landlock refuses a move that gains rights (EXDEV) unless
	 * the source has them too. */
	fx_prepare(&fx, "\"files\": {\"default\": {\"action\": \"deny\"}, \"rules\": [\n"
			"{\"id\": \"data\", \"paths\": [\"@R/data/*\"], \"access\": [\"read\", "
			"\"write\", \"create\", \"delete\"], \"action\": \"allow\"},\n"
			"{\"id\": \"bin\", \"paths\": [\"@R/bin/*\"], \"access\": [\"read\", "
			"\"write\", \"create\", \"delete\", \"exec\"], \"action\": \"allow\"},\n"
			"{\"paths\": [\"/usr/lib/**\"], \"access\": [\"read\"], \"action\": "
			"\"allow\"}]}}");
	ck_assert_int_eq(try_at(&fx, probe_rename, "data/existing.txt", "bin/moved"), 0);
	ck_assert_int_eq(try_at(&fx, probe_rename, "bin/moved", "data/back"), 0);
	struct lines l;
	describe(&fx, &l);
	ck_assert_msg(line_with(&l, "rule data", "EXDEV"), "%s", l.text);
	fx_fini(&fx);
}
END_TEST

START_TEST(test_elf_interpreter)
{
	struct fx fx;
	fx_init(&fx);
	/* exec on one literal program, libraries readable but not runnable:
	 * the kernel still needs the ELF interpreter, which fhirguard adds. */
	fx_prepare(&fx, "\"files\": {\"default\": {\"action\": \"deny\"}, \"rules\": [\n"
			"{\"paths\": [\"@R/bin/true\"], \"access\": [\"exec\"], \"action\": "
			"\"allow\"},\n"
			"{\"paths\": [\"/usr/lib/**\", \"/etc/ld.so.cache\"], \"access\": "
			"[\"read\"], \"action\": \"allow\"}]}}");
	ck_assert_int_eq(try_at(&fx, probe_exec, "bin/true", NULL), 0);
	ck_assert_int_eq(try_at(&fx, probe_exec, "ro/true", NULL), EACCES);
	fx_fini(&fx);
}
END_TEST

START_TEST(test_proc_self_prefix)
{
	struct fx fx;
	fx_init(&fx);
	/* /proc/self in the parent is fhirguard: the rule must reach the
	 * child's own /proc entry. */
	fx_prepare(&fx, "\"files\": {\"default\": {\"action\": \"deny\"}, \"rules\": [\n"
			"{\"paths\": [\"/proc/self/status\"], \"access\": [\"read\"], \"action\": "
			"\"allow\"}]}}");
	ck_assert_int_eq(try_at(&fx, probe_read, "/proc/self/status", NULL), 0);
	ck_assert_int_eq(try_at(&fx, probe_read, "/etc/hostname", NULL), EACCES);
	fx_fini(&fx);
}
END_TEST

/* --- tests: the policy as a whole ---------------------------------------- */

/* Every call the files and network sections govern, traced. */
static const char trace_files_connect[] =
    "{\"default\": {\"action\": \"allow\"}, \"rules\": [{\"action\": \"trace\", "
    "\"syscalls\": [\"open\", \"openat\", \"openat2\", \"creat\", \"execve\", "
    "\"execveat\", \"mkdir\", \"mkdirat\", \"mknod\", \"mknodat\", \"symlink\", "
    "\"symlinkat\", \"link\", \"linkat\", \"unlink\", \"unlinkat\", \"rmdir\", "
    "\"rename\", \"renameat\", \"renameat2\", \"truncate\", \"connect\"]}]}";

START_TEST(test_policy_untraced)
{
	struct fx fx;
	fx_init(&fx);
	/* The syscall layer allows everything in the kernel: the sections
	 * govern nothing, so Landlock must restrict nothing. */
	fx_load(&fx, allow_all, main_policy);
	struct fg_error err;
	ck_assert_int_eq(fg_landlock_prepare_policy(&fx.policy, FG_MODE_ENFORCE, &fx.plan, &err),
			 0);
	ck_assert_int_eq(fx.plan.ruleset_fd, -1);
	ck_assert_msg(strstr(fx.plan.fs_reason, "syscall layer") != NULL, "%s", fx.plan.fs_reason);
	ck_assert_ptr_nonnull(fx.plan.net_reason);
	struct lines l;
	memset(&l, 0, sizeof(l));
	fg_landlock_describe_policy_limits(&fx.policy, fg_landlock_abi(), collect, &l);
	ck_assert_msg(line_with(&l, "files: not enforced", "syscall layer"), "%s", l.text);
	fx_fini(&fx);
}
END_TEST

START_TEST(test_policy_partly_traced)
{
	struct fx fx;
	fx_init(&fx);
	/* Files and connect traced, bind not: bind (and unix binds, hence
	 * MAKE_SOCK) stays unrestricted. */
	fx_load(&fx, trace_files_connect, main_policy);
	struct fg_error err;
	ck_assert_int_eq(fg_landlock_prepare_policy(&fx.policy, FG_MODE_ENFORCE, &fx.plan, &err),
			 0);
	ck_assert_int_ge(fx.plan.ruleset_fd, 0);
	ck_assert_uint_eq(fx.plan.handled_net, 2); /* CONNECT_TCP */
	ck_assert(!(fx.plan.handled_fs & (1u << 9)));
	ck_assert_int_eq(try_port(&fx, probe_bind, fx.bind_bad), 0);
	ck_assert_int_eq(try_port(&fx, probe_connect, fx.conn_bad), EACCES);
	ck_assert_int_eq(try_outside(&fx, probe_read, "secret.txt"), EACCES);
	struct lines l;
	memset(&l, 0, sizeof(l));
	fg_landlock_describe_policy_limits(&fx.policy, fg_landlock_abi(), collect, &l);
	ck_assert_msg(line_with(&l, "allows bind in the kernel", "tcp bind"), "%s", l.text);
	fx_fini(&fx);
}
END_TEST

START_TEST(test_policy_audit_mode)
{
	struct fx fx;
	fx_init(&fx);
	fx_load(&fx, trace_files_connect, main_policy);
	struct fg_error err;
	ck_assert_int_eq(fg_landlock_prepare_policy(&fx.policy, FG_MODE_AUDIT, &fx.plan, &err), 0);
	ck_assert_int_eq(fx.plan.ruleset_fd, -1);
	ck_assert_msg(strstr(fx.plan.unavailable_reason, "audit") != NULL, "%s",
		      fx.plan.unavailable_reason);
	ck_assert_int_eq(try_outside(&fx, probe_read, "secret.txt"), 0);
	fx_fini(&fx);
}
END_TEST

/* --- tests: network ------------------------------------------------------- */

START_TEST(test_bind)
{
	struct fx fx;
	fx_init(&fx);
	fx_prepare(&fx, main_policy);
	ck_assert_int_eq(try_port(&fx, probe_bind, fx.bind_ok), 0);
	ck_assert_int_eq(try_port(&fx, probe_bind, fx.bind_bad), EACCES);
	fx_fini(&fx);
}
END_TEST

START_TEST(test_connect)
{
	struct fx fx;
	fx_init(&fx);
	fx_prepare(&fx, main_policy);
	ck_assert_int_eq(try_port(&fx, probe_connect, fx.conn_ok), 0);
	ck_assert_int_eq(try_port(&fx, probe_connect, fx.conn_bad), EACCES);
	struct lines l;
	describe(&fx, &l);
	ck_assert_msg(line_with(&l, "connect-ok", "no addresses"), "%s", l.text);
	fx_fini(&fx);
}
END_TEST

START_TEST(test_huge_port_range)
{
	struct fx fx;
	fx_init(&fx);
	/* 65535 ports is too many rules: connect is not handled at all, while
	 * bind (no allow rule) still is. */
	fx_prepare(&fx, "\"network\": {\"default\": {\"action\": \"deny\"}, \"rules\": [\n"
			"{\"operations\": [\"connect\"], \"protocols\": [\"tcp\"], \"ports\": "
			"\"1-65535\", \"action\": \"allow\"}]}}");
	ck_assert_uint_eq(fx.plan.handled_net, 1); /* BIND_TCP */
	ck_assert_uint_eq(fx.plan.port_rules, 0);
	ck_assert_int_eq(try_port(&fx, probe_connect, fx.conn_bad), 0);
	ck_assert_int_eq(try_port(&fx, probe_bind, fx.bind_bad), EACCES);
	struct lines l;
	describe(&fx, &l);
	ck_assert_msg(line_with(&l, "more than 1024 ports", "connect"), "%s", l.text);
	fx_fini(&fx);
}
END_TEST

START_TEST(test_any_port)
{
	struct fx fx;
	fx_init(&fx);
	fx_prepare(&fx, "\"network\": {\"default\": {\"action\": \"deny\"}, \"rules\": [\n"
			"{\"id\": \"bind-any\", \"operations\": [\"bind\"], \"protocols\": "
			"[\"tcp\"], \"action\": \"allow\"},\n"
			"{\"id\": \"no-8\", \"operations\": [\"bind\"], \"protocols\": [\"tcp\"], "
			"\"ports\": \"8\", \"action\": \"deny\"}]}}");
	ck_assert_uint_eq(fx.plan.handled_net, 2); /* CONNECT_TCP */
	ck_assert_int_eq(try_port(&fx, probe_bind, fx.bind_bad), 0);
	ck_assert_int_eq(try_port(&fx, probe_connect, fx.conn_ok), EACCES);
	struct lines l;
	describe(&fx, &l);
	ck_assert_msg(line_with(&l, "bind-any", "every port"), "%s", l.text);
	ck_assert_msg(line_with(&l, "no-8", "only the supervisor"), "%s", l.text);
	fx_fini(&fx);
}
END_TEST

START_TEST(test_unix_bind_anchored)
{
	struct fx fx;
	fx_init(&fx);
	/* bind() of a unix socket needs MAKE_SOCK in its directory: granted
	 * where the network section allows binds, refused elsewhere. */
	fx_prepare(&fx,
		   "\"files\": {\"default\": {\"action\": \"deny\"}, \"rules\": [\n"
		   "{\"paths\": [\"@R/**\"], \"access\": [\"read\"], \"action\": \"allow\"}]},\n"
		   "\"network\": {\"default\": {\"action\": \"deny\"}, \"rules\": [\n"
		   "{\"operations\": [\"bind\"], \"protocols\": [\"unix-stream\"], \"unix\": "
		   "\"@R/sock/*.sock\", \"action\": \"allow\"}]}}");
	ck_assert(fx.plan.handled_fs & (1u << 9));
	ck_assert_int_eq(try_at(&fx, probe_unix_bind, "sock/a.sock", NULL), 0);
	ck_assert_int_eq(try_at(&fx, probe_unix_bind, "ro/b.sock", NULL), EACCES);
	fx_fini(&fx);
}
END_TEST

START_TEST(test_unix_bind_unhandled)
{
	struct fx fx;
	fx_init(&fx);
	/* No network section: unix binds are allowed anywhere, so creating
	 * sockets cannot be handled. */
	fx_prepare(&fx,
		   "\"files\": {\"default\": {\"action\": \"deny\"}, \"rules\": [\n"
		   "{\"paths\": [\"@R/**\"], \"access\": [\"read\"], \"action\": \"allow\"}]}}");
	ck_assert(!(fx.plan.handled_fs & (1u << 9)));
	ck_assert_int_eq(try_at(&fx, probe_unix_bind, "ro/b.sock", NULL), 0);
	ck_assert_int_eq(try_at(&fx, probe_create, "ro/c.txt", NULL), EACCES);
	fx_fini(&fx);
}
END_TEST

/* --- tests: the shipped policy -------------------------------------------- */

static void load_shipped(struct fg_policy *policy)
{
	struct fg_error err;
	ck_assert_msg(fg_policy_load_file(SHIPPED_POLICY, policy, &err) == 0, "%s", err.msg);
}

START_TEST(test_shipped_java)
{
	struct fg_policy policy;
	load_shipped(&policy);
	struct fg_landlock_plan plan;
	struct fg_error err;
	ck_assert_msg(fg_landlock_prepare_policy(&policy, FG_MODE_ENFORCE, &plan, &err) == 0, "%s",
		      err.msg);
	/* Its syscall layer traces every call the sections govern. */
	ck_assert_int_ge(plan.ruleset_fd, 0);
	ck_assert_uint_eq(plan.handled_fs, 0xffff);
	ck_assert_uint_eq(plan.handled_net, 3);
	char log[] = "/tmp/fg-landlock-java-XXXXXX";
	int fd = mkstemp(log);
	ck_assert(fd >= 0);
	fflush(NULL);
	pid_t pid = fork();
	ck_assert(pid >= 0);
	if (pid == 0) {
		dup2(fd, STDOUT_FILENO);
		dup2(fd, STDERR_FILENO);
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
			_exit(CHILD_NNP);
		if (fg_landlock_apply(&plan) < 0)
			_exit(CHILD_APPLY);
		char *argv[] = { JAVA, "-version", NULL };
		execv(JAVA, argv);
		_exit(errno);
	}
	int status;
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	char out[4096] = "";
	ssize_t n = pread(fd, out, sizeof(out) - 1, 0);
	out[n > 0 ? n : 0] = '\0';
	close(fd);
	unlink(log);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		      "java -version: status %#x\n%s", status, out);
	ck_assert_msg(strstr(out, "version") != NULL, "%s", out);
	fg_landlock_release(&plan);
	fg_policy_free(&policy);
}
END_TEST

static double now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

START_TEST(test_shipped_prepare_cost)
{
	struct fg_policy policy;
	load_shipped(&policy);
	enum { RUNS = 50 };
	struct fg_landlock_plan plan;
	struct fg_error err;
	double t0 = now_us();
	for (int i = 0; i < RUNS; i++) {
		ck_assert_msg(fg_landlock_prepare_policy(&policy, FG_MODE_ENFORCE, &plan, &err) ==
				  0,
			      "%s", err.msg);
		fg_landlock_release(&plan);
	}
	double each = (now_us() - t0) / RUNS;
	ck_assert_msg(fg_landlock_prepare_policy(&policy, FG_MODE_ENFORCE, &plan, &err) == 0, "%s",
		      err.msg);
	printf("landlock: prepare(hapi-fhir.json): %.0f us, %zu path rules, %zu port rules\n", each,
	       plan.path_rules, plan.port_rules);
	ck_assert_uint_gt(plan.path_rules, 20);
	ck_assert_uint_eq(plan.port_rules, 1); /* bind 8080 */
	fg_landlock_release(&plan);
	fg_policy_free(&policy);
}
END_TEST

START_TEST(test_shipped_describe)
{
	struct fx fx;
	memset(&fx, 0, sizeof(fx));
	load_shipped(&fx.policy);
	struct lines l = { .len = 0 };
	fg_landlock_describe_policy_limits(&fx.policy, fg_landlock_abi(), collect, &l);
	/* No rule widens to the whole file system (a pattern starting with **
	 * would), nor to /var/lib (a data directory the server may re-create). */
	ck_assert_msg(strstr(l.text, "on all of /\n") == NULL, "%s", l.text);
	ck_assert_msg(strstr(l.text, "/var/lib\n") == NULL, "%s", l.text);
	ck_assert_msg(!line_with(&l, "server-jar", "landlock"), "%s", l.text);
	ck_assert_msg(!line_with(&l, "scoped-tmp", "all of /tmp"), "%s", l.text);
	ck_assert_msg(line_with(&l, "rule secrets", "only the supervisor enforces it"), "%s",
		      l.text);
	ck_assert_msg(line_with(&l, "metadata and stat", "supervisor"), "%s", l.text);
	ck_assert_msg(line_with(&l, "unix sockets", "not restricted"), "%s", l.text);
	ck_assert_msg(line_with(&l, "Fast Open", "supervisor"), "%s", l.text);
	/* Every governed call is traced: no "syscall layer" line. */
	ck_assert_msg(!line_with(&l, "syscall layer", "kernel"), "%s", l.text);
	fg_policy_free(&fx.policy);
}
END_TEST

START_TEST(test_describe_unavailable)
{
	struct fx fx;
	memset(&fx, 0, sizeof(fx));
	load_shipped(&fx.policy);
	struct lines l = { .len = 0 };
	fg_landlock_describe_limits(&fx.policy.sections, 0, collect, &l);
	ck_assert_int_eq(l.count, 1);
	ck_assert_msg(line_with(&l, "not available", "supervisor"), "%s", l.text);
	fg_policy_free(&fx.policy);
}
END_TEST

static Suite *landlock_suite(void)
{
	Suite *s = suite_create("landlock");
	TCase *basics = tcase_create("basics");
	tcase_add_test(basics, test_abi);
	tcase_add_test(basics, test_apply_without_ruleset);
	suite_add_tcase(s, basics);

	TCase *files = tcase_create("files");
	tcase_add_test(files, test_read_allowed);
	tcase_add_test(files, test_read_outside);
	tcase_add_test(files, test_write_outside);
	tcase_add_test(files, test_create_delete_in_data);
	tcase_add_test(files, test_create_outside);
	tcase_add_test(files, test_exec);
	tcase_add_test(files, test_symlink_escape);
	tcase_add_test(files, test_rename_out_of_data);
	tcase_add_test(files, test_deny_inside_allowed);
	tcase_add_test(files, test_no_files_section);
	tcase_add_test(files, test_files_default_allow);
	tcase_add_test(files, test_literal_file_rules);
	tcase_add_test(files, test_literal_directory);
	tcase_add_test(files, test_tree_root_widening);
	tcase_add_test(files, test_missing_prefix_walkup);
	tcase_add_test(files, test_missing_prefix_skipped);
	tcase_add_test(files, test_refer_balance);
	tcase_add_test(files, test_elf_interpreter);
	tcase_add_test(files, test_proc_self_prefix);
	suite_add_tcase(s, files);

	TCase *scope = tcase_create("policy");
	tcase_add_test(scope, test_policy_untraced);
	tcase_add_test(scope, test_policy_partly_traced);
	tcase_add_test(scope, test_policy_audit_mode);
	suite_add_tcase(s, scope);

	TCase *net = tcase_create("network");
	tcase_add_test(net, test_bind);
	tcase_add_test(net, test_connect);
	tcase_add_test(net, test_huge_port_range);
	tcase_add_test(net, test_any_port);
	tcase_add_test(net, test_unix_bind_anchored);
	tcase_add_test(net, test_unix_bind_unhandled);
	suite_add_tcase(s, net);

	TCase *shipped = tcase_create("shipped");
	tcase_set_timeout(shipped, 60);
	tcase_add_test(shipped, test_shipped_java);
	tcase_add_test(shipped, test_shipped_prepare_cost);
	tcase_add_test(shipped, test_shipped_describe);
	tcase_add_test(shipped, test_describe_unavailable);
	suite_add_tcase(s, shipped);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(landlock_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
