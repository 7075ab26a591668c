/* Unit tests for learn mode: a JVM-like run's observations in, a policy
 * out that loads, allows every observation (zero denials on the same
 * workload, with new process IDs), still refuses what was not observed,
 * and keeps the base policy's syscall layer. */
#include <arpa/inet.h>
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "learn.h"
#include "netaddr.h"
#include "policy.h"
#include "rules.h"
#include "syscall_names.h"

#define N_ELEMENTS(a) (sizeof(a) / sizeof((a)[0]))

#define JDK "/usr/lib/jvm/java-17-openjdk-amd64"
#define R   FG_RIGHT_READ
#define W   FG_RIGHT_WRITE
#define C   FG_RIGHT_CREATE
#define D   FG_RIGHT_DELETE
#define X   FG_RIGHT_EXEC
#define M   FG_RIGHT_METADATA
#define S   FG_RIGHT_STAT

/* --- a JVM-like run ---------------------------------------------------------- */

struct file_obs {
	const char *path;
	unsigned rights;
};

/* What `java -jar /opt/fhir/fhir-server.jar --data-dir /var/lib/fhir` does,
 * paths resolved as the tracer reports them (process 4242). */
static const struct file_obs jvm_files[] = {
	{ "/", S },
	{ "/usr/lib/jvm", S },
	{ JDK, S },
	{ JDK "/lib", R | S },
	{ JDK "/lib/libjli.so", R | S },
	{ JDK "/lib/server/libjvm.so", R | S },
	{ JDK "/lib/server/classes.jsa", R | S },
	{ JDK "/lib/libjava.so", R },
	{ JDK "/lib/libnio.so", R },
	{ JDK "/lib/libnet.so", R },
	{ JDK "/lib/libzip.so", R },
	{ JDK "/lib/libjimage.so", R },
	{ JDK "/lib/modules", R | S },
	{ JDK "/lib/tzdb.dat", R },
	{ JDK "/release", R },
	{ "/etc/java-17-openjdk/jvm-amd64.cfg", R | S },
	{ "/etc/java-17-openjdk/security/java.security", R | S },
	{ "/etc/java-17-openjdk/logging.properties", R },
	{ "/etc/java-17-openjdk/net.properties", R },
	{ "/etc/ssl/certs/java/cacerts", R | S },
	{ "/etc/ld.so.cache", R },
	{ "/etc/nsswitch.conf", R },
	{ "/etc/hosts", R },
	{ "/etc/resolv.conf", R },
	{ "/etc/passwd", R },
	{ "/etc/shadow", R }, /* a secret: stays exact */
	{ "/usr/share/zoneinfo/Etc/UTC", R },
	{ "/lib/x86_64-linux-gnu/libc.so.6", R },
	{ "/lib/x86_64-linux-gnu/libz.so.1", R },
	{ "/lib/x86_64-linux-gnu/libm.so.6", R },
	{ "/lib/x86_64-linux-gnu/libpthread.so.0", R },
	{ "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", R },
	{ "/usr/lib/x86_64-linux-gnu/libgcc_s.so.1", R },
	{ "/usr/lib/x86_64-linux-gnu/libnss_files.so.2", R },
	{ "/usr/lib/locale/C.utf8/LC_CTYPE", R },
	{ "/proc/4242/status", R },
	{ "/proc/4242/stat", R },
	{ "/proc/4242/cgroup", R },
	{ "/proc/4242/mountinfo", R },
	{ "/proc/4242/coredump_filter", R | W },
	{ "/proc/4242/fd", R },
	{ "/proc/4242/exe", S },
	{ "/proc/4242/task/4243/stat", R },
	{ "/proc/4242/task/4250/stat", R },
	{ "/proc/meminfo", R },
	{ "/proc/cpuinfo", R },
	{ "/proc/sys/kernel/osrelease", R },
	{ "/sys/fs/cgroup", S },
	{ "/sys/fs/cgroup/cgroup.controllers", R },
	{ "/sys/fs/cgroup/cpu.max", R },
	{ "/sys/fs/cgroup/cpu.weight", R },
	{ "/sys/fs/cgroup/memory.max", R },
	{ "/sys/fs/cgroup/memory.swap.max", R },
	{ "/sys/devices/system/cpu/online", R },
	{ "/sys/devices/system/cpu/possible", R },
	{ "/sys/devices/system/cpu/cpu0/cache/index0/size", R },
	{ "/sys/kernel/mm/transparent_hugepage/enabled", R },
	{ "/sys/kernel/mm/transparent_hugepage/hpage_pmd_size", R },
	{ "/sys/kernel/mm/transparent_hugepage/shmem_enabled", R },
	{ "/dev/null", R | W },
	{ "/dev/urandom", R },
	{ "/opt/fhir/fhir-server.jar", R | S },
	{ "/tmp", S },
	{ "/tmp/hsperfdata_root", C | S },
	{ "/tmp/hsperfdata_root/4242", R | W | C | D },
	{ "/var/lib", S },
	{ "/var/lib/fhir", C | S },
	{ "/var/lib/fhir/Patient", R | C | S },
	{ "/var/lib/fhir/Observation", R | C | S },
	{ "/var/lib/fhir/Encounter", R | C | S },
	{ "/var/lib/fhir/Condition", R | C | S },
	{ "/var/lib/fhir/Patient/.tmp-p1-8812.json", R | W | C | D },
	{ "/var/lib/fhir/Patient/p1.json", R | C | S | M },
	{ "/var/lib/fhir/Observation/.tmp-o1-1277.json", R | W | C | D },
	{ "/var/lib/fhir/Observation/o1.json", R | C | S },
};

/* What the next run of the same workload does differently. */
static const struct file_obs next_run_files[] = {
	{ "/proc/9999/status", R },
	{ "/proc/9999/task/10001/stat", R },
	{ "/proc/9999/coredump_filter", R | W },
	{ "/tmp/hsperfdata_root/9999", R | W | C | D },
	{ "/var/lib/fhir/Patient/.tmp-p2-4711.json", R | W | C | D },
	{ "/var/lib/fhir/Patient/p2.json", R | C | S },
	{ JDK "/lib/libverify.so", R },
};

/* Never observed: must stay refused. */
static const struct file_obs unobserved_files[] = {
	{ "/etc/shadow", W },
	{ "/etc/gshadow", R },
	{ "/etc/sudoers", R },
	{ "/etc/passwd", W },
	{ "/etc/group", R },
	{ JDK "/lib/modules", W },
	{ JDK "/bin/java", W },
	{ "/usr/lib/jvm/other-jdk/lib/libjvm.so", R },
	{ "/usr/lib/x86_64-linux-gnu/libfoo.so", W },
	{ "/usr/lib/python3/dist-packages/x.py", R },
	{ "/etc/java-17-openjdk/security/java.security", W },
	{ "/var/lib/other/db", C },
	{ "/var/lib/fhirx/db", C },
	{ "/var/lib/fhir/Patient/p1.json", X },
	{ "/tmp/evil", C },
	{ "/tmp/hsperfdata_root/4242", X },
	{ "/proc/1/environ", R },
	{ "/proc/4242/mem", R },
	{ "/proc/4242/task/4243/mem", W },
	{ "/root/.ssh/id_rsa", R },
	{ "/home/u/.ssh/id_rsa", R },
	{ "/bin/sh", X },
	{ "/dev/sda", R },
	{ "/sys/kernel/debug/x", R },
};

static char *java_argv[] = { "java",	   "-jar",	    "/opt/fhir/fhir-server.jar",
			     "--data-dir", "/var/lib/fhir", NULL };
static char *helper_argv[] = { "jspawnhelper", "3:4:5", NULL };

/* A network observation as text: "tcp 0.0.0.0:8080", "unix-stream
 * /run/x", "unix-dgram @name". */
struct net_obs {
	unsigned operation;
	unsigned protocol;
	const char *address;
};

static const struct net_obs jvm_nets[] = {
	{ FG_NET_BIND, FG_PROTO_TCP, "0.0.0.0:8080" },
	{ FG_NET_BIND, FG_PROTO_TCP, "[::]:8080" },
	{ FG_NET_CONNECT, FG_PROTO_UDP, "127.0.0.53:53" },
	{ FG_NET_SEND, FG_PROTO_UDP, "127.0.0.53:53" },
	{ FG_NET_CONNECT, FG_PROTO_TCP, "[::ffff:10.0.0.5]:5432" },
	{ FG_NET_CONNECT, FG_PROTO_TCP, "[::1]:9000" },
	{ FG_NET_CONNECT, FG_PROTO_UNIX_STREAM, "/var/run/nscd/socket" },
	{ FG_NET_SEND, FG_PROTO_UNIX_DGRAM, "@fhir-notify" },
};

static const struct net_obs unobserved_nets[] = {
	{ FG_NET_CONNECT, FG_PROTO_TCP, "10.0.0.5:5433" },
	{ FG_NET_CONNECT, FG_PROTO_TCP, "10.0.0.6:5432" },
	{ FG_NET_SEND, FG_PROTO_UDP, "8.8.8.8:53" },
	{ FG_NET_CONNECT, FG_PROTO_TCP, "169.254.169.254:80" },
	{ FG_NET_CONNECT, FG_PROTO_TCP, "[::1]:9001" },
	{ FG_NET_BIND, FG_PROTO_TCP, "0.0.0.0:8081" },
	{ FG_NET_BIND, FG_PROTO_UDP, "0.0.0.0:8080" },
	{ FG_NET_CONNECT, FG_PROTO_UNIX_STREAM, "/run/docker.sock" },
	{ FG_NET_CONNECT, FG_PROTO_UNIX_STREAM, "@fhir-notify-other" },
};

/* Syscalls the default policy refuses, used by this run. */
static const char *const jvm_syscalls[] = { "personality", "io_uring_setup", "clone3", "getpmsg" };

/* Decodes "A.B.C.D:P", "[V6]:P", "/path" or "@name" through the real
 * sockaddr decoder, as the tracer would. */
static void make_endpoint(const char *text, struct fg_endpoint *ep)
{
	struct sockaddr_storage ss;
	struct fg_error err;
	size_t len;
	char host[64];
	memset(&ss, 0, sizeof(ss));
	if (text[0] == '/' || text[0] == '@') {
		struct sockaddr_un *un = (struct sockaddr_un *)&ss;
		size_t n = strlen(text);
		un->sun_family = AF_UNIX;
		memcpy(un->sun_path, text, n);
		if (text[0] == '@')
			un->sun_path[0] = '\0';
		len = offsetof(struct sockaddr_un, sun_path) + n;
	} else if (text[0] == '[') {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
		const char *end = strchr(text, ']');
		snprintf(host, sizeof(host), "%.*s", (int)(end - text - 1), text + 1);
		in6->sin6_family = AF_INET6;
		ck_assert_int_eq(inet_pton(AF_INET6, host, &in6->sin6_addr), 1);
		in6->sin6_port = htons((uint16_t)atoi(end + 2));
		len = sizeof(*in6);
	} else {
		struct sockaddr_in *in = (struct sockaddr_in *)&ss;
		const char *colon = strchr(text, ':');
		snprintf(host, sizeof(host), "%.*s", (int)(colon - text), text);
		in->sin_family = AF_INET;
		ck_assert_int_eq(inet_pton(AF_INET, host, &in->sin_addr), 1);
		in->sin_port = htons((uint16_t)atoi(colon + 1));
		len = sizeof(*in);
	}
	ck_assert_int_eq(fg_endpoint_decode(&ss, len, ep, &err), 0);
}

static long syscall_nr(const char *name)
{
	long nr = fg_syscall_from_name(name);
	ck_assert_msg(nr >= 0, "no syscall %s", name);
	return nr;
}

/* Feeds the run, each event `repeat` times, in order or backwards. */
static void feed_jvm(struct fg_learner *l, int repeat, bool backwards)
{
	size_t nf = N_ELEMENTS(jvm_files);
	size_t nn = N_ELEMENTS(jvm_nets);
	for (int r = 0; r < repeat; r++) {
		for (size_t i = 0; i < nf; i++) {
			const struct file_obs *f = &jvm_files[backwards ? nf - 1 - i : i];
			fg_learner_file(l, f->path, f->rights);
		}
		for (size_t i = 0; i < nn; i++) {
			const struct net_obs *n = &jvm_nets[backwards ? nn - 1 - i : i];
			struct fg_endpoint ep;
			make_endpoint(n->address, &ep);
			fg_learner_net(l, n->operation, n->protocol, &ep);
		}
	}
	if (backwards) {
		fg_learner_exec(l, JDK "/lib/jspawnhelper", helper_argv);
		fg_learner_exec(l, JDK "/bin/java", java_argv);
	} else {
		fg_learner_exec(l, JDK "/bin/java", java_argv);
		fg_learner_exec(l, JDK "/lib/jspawnhelper", helper_argv);
	}
	fg_learner_socket(l, AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC);
	fg_learner_socket(l, AF_INET, SOCK_STREAM);
	for (size_t i = 0; i < N_ELEMENTS(jvm_syscalls); i++)
		fg_learner_syscall(l, syscall_nr(jvm_syscalls[N_ELEMENTS(jvm_syscalls) - 1 - i]));
}

/* --- helpers ------------------------------------------------------------------ */

struct tmp {
	char dir[64];
	char path[128];
};

static void tmp_make(struct tmp *t, const char *name)
{
	snprintf(t->dir, sizeof(t->dir), "/tmp/test_learn.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(t->dir));
	snprintf(t->path, sizeof(t->path), "%s/%s", t->dir, name);
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void tmp_remove(struct tmp *t)
{
	nftw(t->dir, remove_one, 8, FTW_DEPTH | FTW_PHYS);
}

static char *read_text(const char *path)
{
	FILE *f = fopen(path, "rb");
	ck_assert_ptr_nonnull(f);
	static const size_t max = 4 * 1024 * 1024;
	char *text = calloc(1, max + 1);
	ck_assert_ptr_nonnull(text);
	size_t n = fread(text, 1, max, f);
	fclose(f);
	text[n] = '\0';
	return text;
}

/* The texts are equal but for the policy's description (line 3). */
static bool same_but_description(const char *a, const char *b)
{
	const char *a3 = strchr(strchr(a, '\n') + 1, '\n') + 1;
	const char *b3 = strchr(strchr(b, '\n') + 1, '\n') + 1;
	ck_assert(strncmp(a3, "  \"description\": ", 17) == 0);
	ck_assert(strncmp(b3, "  \"description\": ", 17) == 0);
	return strncmp(a, b, (size_t)(a3 - a)) == 0 &&
	       strcmp(strchr(a3, '\n'), strchr(b3, '\n')) == 0;
}

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(text, 1, strlen(text), f), strlen(text));
	ck_assert_int_eq(fclose(f), 0);
}

static void load_default(struct fg_policy *p)
{
	struct fg_error err;
	ck_assert_msg(fg_policy_load_default(p, &err) == 0, "%s", err.msg);
}

static void load(const char *path, struct fg_policy *p)
{
	struct fg_error err;
	ck_assert_msg(fg_policy_load_file(path, p, &err) == 0, "learned policy: %s", err.msg);
}

/* Learns the JVM run on the default policy into t->path and loads it. */
static void learn_jvm(struct tmp *t, struct fg_policy *base, struct fg_policy *out)
{
	struct fg_error err;
	struct fg_learner *l = fg_learner_new();
	ck_assert_ptr_nonnull(l);
	feed_jvm(l, 3, false);
	tmp_make(t, "learned.json");
	load_default(base);
	ck_assert_msg(fg_learner_write(l, base, t->path, false, &err) == 0, "%s", err.msg);
	fg_learner_free(l);
	load(t->path, out);
}

static bool file_ok(const struct fg_policy *p, const char *path, unsigned rights)
{
	struct fg_rule_decision d;
	fg_rules_check_file(&p->sections, path, rights, &d);
	return d.outcome.verdict == FG_VERDICT_ALLOW;
}

static bool exec_ok(const struct fg_policy *p, const char *path, char *const argv[])
{
	struct fg_rule_decision d;
	fg_rules_check_exec(&p->sections, path, argv, &d);
	return d.outcome.verdict == FG_VERDICT_ALLOW;
}

static bool net_ok(const struct fg_policy *p, const struct net_obs *n)
{
	struct fg_rule_decision d;
	struct fg_endpoint ep;
	make_endpoint(n->address, &ep);
	fg_rules_check_net(&p->sections, n->operation, n->protocol, &ep, &d);
	return d.outcome.verdict == FG_VERDICT_ALLOW;
}

/* Every file observation of the run, and of the next one, is allowed. */
static void assert_files_allowed(const struct fg_policy *p)
{
	for (size_t i = 0; i < N_ELEMENTS(jvm_files); i++) {
		if (strcmp(jvm_files[i].path, "/etc/shadow") == 0 &&
		    p->sections.files_section.present && p->sections.file_count > 0 &&
		    strcmp(p->sections.files[0].head.id, "secrets") == 0)
			continue; /* merge test: refused by the operator's own rule */
		ck_assert_msg(file_ok(p, jvm_files[i].path, jvm_files[i].rights),
			      "%s (rights 0x%x) is refused", jvm_files[i].path,
			      jvm_files[i].rights);
	}
	for (size_t i = 0; i < N_ELEMENTS(next_run_files); i++)
		ck_assert_msg(file_ok(p, next_run_files[i].path, next_run_files[i].rights),
			      "next run: %s is refused", next_run_files[i].path);
}

static void assert_execs_allowed(const struct fg_policy *p)
{
	ck_assert(file_ok(p, JDK "/bin/java", X));
	ck_assert(file_ok(p, JDK "/lib/jspawnhelper", X));
	ck_assert(exec_ok(p, JDK "/bin/java", java_argv));
	ck_assert(exec_ok(p, JDK "/lib/jspawnhelper", helper_argv));
}

static void assert_nets_allowed(const struct fg_policy *p)
{
	for (size_t i = 0; i < N_ELEMENTS(jvm_nets); i++)
		ck_assert_msg(net_ok(p, &jvm_nets[i]), "%s is refused", jvm_nets[i].address);
	ck_assert(fg_rules_socket_allowed(&p->sections, AF_NETLINK, SOCK_RAW));
	ck_assert(fg_rules_socket_allowed(&p->sections, AF_INET, SOCK_STREAM));
}

/* Every observation of the run, and of the next one, is allowed. */
static void assert_no_denials(const struct fg_policy *p)
{
	assert_files_allowed(p);
	assert_execs_allowed(p);
	assert_nets_allowed(p);
}

/* Writes what l learned into t->path (made here) and loads it. */
static void write_and_load(struct fg_learner *l, const struct fg_policy *base, bool merge,
			   struct tmp *t, struct fg_policy *out)
{
	struct fg_error err;
	if (t->dir[0] == '\0')
		tmp_make(t, "p.json");
	ck_assert_msg(fg_learner_write(l, base, t->path, merge, &err) == 0, "%s", err.msg);
	load(t->path, out);
}

static const struct fg_file_rule *find_pattern(const struct fg_policy *p, const char *pattern)
{
	for (size_t i = 0; i < p->sections.file_count; i++) {
		if (strcmp(p->sections.files[i].pattern, pattern) == 0)
			return &p->sections.files[i];
	}
	return NULL;
}

static long find_syscall_rule(const struct fg_policy *p, const char *id)
{
	for (size_t i = 0; i < p->rule_count; i++) {
		if (strcmp(p->rules[i].id, id) == 0)
			return (long)i;
	}
	return -1;
}

/* --- a fresh policy ------------------------------------------------------------- */

START_TEST(test_fresh_policy_loads)
{
	struct tmp t;
	struct fg_policy base, out;
	learn_jvm(&t, &base, &out);
	ck_assert_int_eq(out.mode, FG_MODE_ENFORCE);
	ck_assert(out.sections.files_section.present);
	ck_assert(out.sections.exec_section.present);
	ck_assert(out.sections.network_section.present);
	ck_assert_int_eq(out.log_allowed, false);
	fg_policy_free(&out);
	fg_policy_free(&base);
	tmp_remove(&t);
}
END_TEST

/* The same workload under the learned policy: zero denials, with the next
 * run's process IDs and data files too. */
START_TEST(test_fresh_policy_allows_the_files)
{
	struct tmp t;
	struct fg_policy base, out;
	learn_jvm(&t, &base, &out);
	assert_files_allowed(&out);
	fg_policy_free(&out);
	fg_policy_free(&base);
	tmp_remove(&t);
}
END_TEST

START_TEST(test_fresh_policy_allows_the_programs)
{
	struct tmp t;
	struct fg_policy base, out;
	learn_jvm(&t, &base, &out);
	assert_execs_allowed(&out);
	fg_policy_free(&out);
	fg_policy_free(&base);
	tmp_remove(&t);
}
END_TEST

START_TEST(test_fresh_policy_allows_the_network)
{
	struct tmp t;
	struct fg_policy base, out;
	learn_jvm(&t, &base, &out);
	assert_nets_allowed(&out);
	fg_policy_free(&out);
	fg_policy_free(&base);
	tmp_remove(&t);
}
END_TEST

START_TEST(test_fresh_policy_refuses_other_files)
{
	struct tmp t;
	struct fg_policy base, out;
	learn_jvm(&t, &base, &out);
	for (size_t i = 0; i < N_ELEMENTS(unobserved_files); i++)
		ck_assert_msg(!file_ok(&out, unobserved_files[i].path, unobserved_files[i].rights),
			      "%s (rights 0x%x) is allowed", unobserved_files[i].path,
			      unobserved_files[i].rights);
	ck_assert_int_eq(out.sections.files_section.default_outcome.verdict, FG_VERDICT_DENY);
	ck_assert_int_eq(out.sections.files_section.default_outcome.deny_errno, EACCES);
	fg_policy_free(&out);
	fg_policy_free(&base);
	tmp_remove(&t);
}
END_TEST

START_TEST(test_fresh_policy_refuses_other_programs_and_peers)
{
	struct tmp t;
	struct fg_policy base, out;
	char *sh_argv[] = { "sh", "-c", "id", NULL };
	char *curl_argv[] = { "curl", "http://x", NULL };
	learn_jvm(&t, &base, &out);
	ck_assert(!exec_ok(&out, "/bin/sh", sh_argv));
	ck_assert(!exec_ok(&out, "/usr/bin/curl", curl_argv));
	ck_assert(!exec_ok(&out, JDK "/bin/jshell", java_argv));
	for (size_t i = 0; i < N_ELEMENTS(unobserved_nets); i++)
		ck_assert_msg(!net_ok(&out, &unobserved_nets[i]), "%s is allowed",
			      unobserved_nets[i].address);
	ck_assert(!fg_rules_socket_allowed(&out.sections, AF_PACKET, SOCK_RAW));
	ck_assert(!fg_rules_socket_allowed(&out.sections, AF_INET, SOCK_RAW));
	/* The defaults refuse with EACCES. */
	ck_assert_int_eq(out.sections.exec_section.default_outcome.deny_errno, EACCES);
	ck_assert_int_eq(out.sections.network_section.default_outcome.deny_errno, EACCES);
	fg_policy_free(&out);
	fg_policy_free(&base);
	tmp_remove(&t);
}
END_TEST

START_TEST(test_generalised_like_a_person)
{
	struct tmp t;
	struct fg_policy base, out;
	static const char *const expected[] = {
		JDK "/**",
		"/etc/java-17-openjdk/**",
		"/lib/x86_64-linux-gnu/**",
		"/usr/lib/x86_64-linux-gnu/**",
		"/sys/fs/cgroup/**",
		"/sys/devices/system/cpu/**",
		"/sys/kernel/mm/transparent_hugepage/**",
		"/var/lib/fhir/**",
		"/tmp/hsperfdata_root/**",
		"/proc/*/status",
		"/proc/*/task/*/stat",
		"/proc/*/coredump_filter",
		"/proc/*/fd",
		"/etc/shadow",
		"/etc/ld.so.cache",
		"/etc/ssl/certs/java/cacerts",
		"/opt/fhir/fhir-server.jar",
		"/usr/lib/locale/C.utf8/LC_CTYPE",
		"/dev/null",
	};
	static const char *const too_broad[] = {
		"/**",	   "/etc/**",	  "/usr/**", "/usr/lib/**", "/usr/lib/jvm/**",
		"/var/**", "/var/lib/**", "/tmp/**", "/proc/**",    "/proc/*/**",
		"/sys/**", "/sys/fs/**",  "/dev/**", "/etc/ssl/**", "/lib/**",
	};
	learn_jvm(&t, &base, &out);
	for (size_t i = 0; i < N_ELEMENTS(expected); i++)
		ck_assert_msg(find_pattern(&out, expected[i]) != NULL, "no rule for %s",
			      expected[i]);
	for (size_t i = 0; i < N_ELEMENTS(too_broad); i++)
		ck_assert_msg(find_pattern(&out, too_broad[i]) == NULL, "rule for %s",
			      too_broad[i]);
	for (size_t i = 0; i < out.sections.file_count; i++) {
		const char *pattern = out.sections.files[i].pattern;
		ck_assert_msg(strstr(pattern, "4242") == NULL && strstr(pattern, "4243") == NULL,
			      "process ID in %s", pattern);
	}
	/* Rights: the union of what was seen, no more. */
	ck_assert_uint_eq(find_pattern(&out, JDK "/**")->rights, R | S | X);
	ck_assert_uint_eq(find_pattern(&out, "/sys/fs/cgroup/**")->rights, R | S);
	ck_assert_uint_eq(find_pattern(&out, "/var/lib/fhir/**")->rights, R | W | C | D | S | M);
	ck_assert_uint_eq(find_pattern(&out, "/tmp/hsperfdata_root/**")->rights, R | W | C | D | S);
	ck_assert_uint_eq(find_pattern(&out, "/etc/shadow")->rights, R);
	ck_assert_uint_eq(find_pattern(&out, "/proc/*/coredump_filter")->rights, R | W);
	/* Exec: exact programs, arguments free. */
	ck_assert_uint_eq(out.sections.exec_count, 2);
	for (size_t i = 0; i < out.sections.exec_count; i++)
		ck_assert(!out.sections.execs[i].args_given);
	ck_assert_str_eq(out.sections.execs[0].pattern, JDK "/bin/java");
	fg_policy_free(&out);
	fg_policy_free(&base);
	tmp_remove(&t);
}
END_TEST

START_TEST(test_network_rules)
{
	struct tmp t;
	struct fg_policy base, out;
	learn_jvm(&t, &base, &out);
	const struct fg_rules *r = &out.sections;
	bool listen = false, dns = false, pg = false, nscd = false, abstract = false;
	for (size_t i = 0; i < r->net_count; i++) {
		const struct fg_net_rule *n = &r->nets[i];
		char cidr[64] = "";
		if (n->cidr_count == 1)
			fg_cidr_format(&n->cidrs[0], cidr, sizeof(cidr));
		if (strcmp(n->head.id, "learned-listen-8080") == 0) {
			listen = n->operations == FG_NET_BIND && n->protocols == FG_PROTO_TCP &&
				 n->cidr_count == 0 && n->ports.low == 8080 &&
				 n->ports.high == 8080;
		} else if (strcmp(n->head.id, "learned-dns-127.0.0.53") == 0) {
			dns = n->operations == (FG_NET_CONNECT | FG_NET_SEND) &&
			      n->protocols == FG_PROTO_UDP && strcmp(cidr, "127.0.0.53/32") == 0 &&
			      n->ports.low == 53 && strstr(n->head.description, "DNS") != NULL;
		} else if (strcmp(cidr, "10.0.0.5/32") == 0) {
			pg = n->ports.low == 5432 && n->ports.high == 5432;
		} else if (n->unix_pattern != NULL && !n->unix_abstract) {
			nscd = strcmp(n->unix_pattern, "/var/run/nscd/socket") == 0;
		} else if (n->unix_pattern != NULL) {
			abstract = strcmp(n->unix_pattern, "fhir-notify") == 0 &&
				   n->protocols == FG_PROTO_UNIX_DGRAM;
		}
	}
	ck_assert(listen);
	ck_assert(dns);
	ck_assert(pg);
	ck_assert(nscd);
	ck_assert(abstract);
	ck_assert_uint_eq(r->extra_family_count, 1);
	ck_assert_int_eq(r->extra_families[0], AF_NETLINK);
	ck_assert(!r->raw_inet_allowed);
	fg_policy_free(&out);
	fg_policy_free(&base);
	tmp_remove(&t);
}
END_TEST

START_TEST(test_ids_and_descriptions)
{
	struct tmp t;
	struct fg_policy base, out;
	learn_jvm(&t, &base, &out);
	const struct fg_rules *r = &out.sections;
	const struct fg_rule_head *heads[256];
	size_t n = 0;
	for (size_t i = 0; i < r->file_count; i++)
		heads[n++] = &r->files[i].head;
	for (size_t i = 0; i < r->exec_count; i++)
		heads[n++] = &r->execs[i].head;
	for (size_t i = 0; i < r->net_count; i++)
		heads[n++] = &r->nets[i].head;
	ck_assert_uint_lt(n, N_ELEMENTS(heads));
	for (size_t i = 0; i < n; i++) {
		ck_assert_msg(strncmp(heads[i]->id, "learned-", 8) == 0, "id %s", heads[i]->id);
		ck_assert_ptr_nonnull(heads[i]->description);
		ck_assert_int_eq(heads[i]->outcome.verdict, FG_VERDICT_ALLOW);
		/* Entries of one rule share id and line; distinct rules, distinct ids. */
		for (size_t j = 0; j < i; j++)
			ck_assert(strcmp(heads[i]->id, heads[j]->id) != 0 ||
				  heads[i]->line == heads[j]->line);
	}
	const struct fg_file_rule *jdk = find_pattern(&out, JDK "/**");
	ck_assert_str_eq(jdk->head.id, "learned-jdk");
	ck_assert_msg(strstr(jdk->head.description, "files below " JDK " during learning"), "%s",
		      jdk->head.description);
	const struct fg_file_rule *secret = find_pattern(&out, "/etc/shadow");
	ck_assert_msg(strstr(secret->head.description, "SECRET") != NULL, "%s",
		      secret->head.description);
	ck_assert_str_eq(find_pattern(&out, "/var/lib/fhir/**")->head.id, "learned-var-lib-fhir");
	fg_policy_free(&out);
	fg_policy_free(&base);
	tmp_remove(&t);
}
END_TEST

/* --- the syscall layer ---------------------------------------------------------- */

START_TEST(test_syscall_layer_of_the_base_survives)
{
	struct tmp t;
	struct fg_policy base, out;
	bool learned[FG_SYSCALL_COUNT] = { false };
	learn_jvm(&t, &base, &out);
	for (size_t i = 0; i < N_ELEMENTS(jvm_syscalls); i++)
		learned[syscall_nr(jvm_syscalls[i])] = true;
	learned[syscall_nr("clone3")] = false; /* see below */
	long rule = find_syscall_rule(&out, "learned-syscalls");
	ck_assert_int_ge(rule, 0);
	ck_assert_int_eq(out.rules[rule].action, FG_ACTION_ALLOW);
	ck_assert_str_eq(out.rules[rule].description,
			 "Denied by the base policy but used during learning: review each.");
	for (long nr = 0; nr < FG_SYSCALL_COUNT; nr++) {
		const struct fg_syscall_rule *b = fg_policy_syscall_rule(&base, nr);
		const struct fg_syscall_rule *o = fg_policy_syscall_rule(&out, nr);
		if (learned[nr]) {
			ck_assert_int_eq(out.syscall_rule[nr], rule);
			continue;
		}
		ck_assert_msg(strcmp(b->id, o->id) == 0, "syscall %ld: %s became %s", nr, b->id,
			      o->id);
		ck_assert_int_eq(b->action, o->action);
		ck_assert_int_eq(b->deny_errno, o->deny_errno);
		ck_assert_int_eq(b->log, o->log);
		ck_assert(strcmp(b->description ? b->description : "",
				 o->description ? o->description : "") == 0);
	}
	/* A quiet denial (clone3, for the fallback to clone) is the base's
	 * intent, not something learning should undo. */
	ck_assert_str_eq(fg_policy_syscall_rule(&out, syscall_nr("clone3"))->id, "clone3-fallback");
	ck_assert_uint_eq(out.rule_count, base.rule_count + 1);
	/* Calls taken out of a rule that names them are pointed out. */
	ck_assert_ptr_nonnull(strstr(out.description, "personality (no-escape)"));
	ck_assert_ptr_nonnull(strstr(out.description, "io_uring_setup (no-io-uring)"));
	ck_assert_int_eq(out.default_rule.action, base.default_rule.action);
	ck_assert_int_eq(out.default_rule.deny_errno, base.default_rule.deny_errno);
	ck_assert_int_eq(out.log_allowed, base.log_allowed);
	fg_policy_free(&out);
	fg_policy_free(&base);
	tmp_remove(&t);
}
END_TEST

START_TEST(test_learned_checked_syscalls_are_traced)
{
	static const char base_text[] =
	    "{\"version\": 1, \"syscalls\": {\"default\": {\"action\": \"deny\", \"errno\": "
	    "\"ENOSYS\"}, \"rules\": [{\"id\": \"t\", \"action\": \"trace\", \"syscalls\": "
	    "[\"openat\", \"execve\", \"connect\", \"bind\", \"socket\", \"sendto\", "
	    "\"sendmsg\"]}, {\"action\": \"allow\", \"syscalls\": [\"open\", \"read\"]}]}}";
	struct tmp t;
	struct fg_policy base, out;
	struct fg_error err;
	struct fg_learner *l = fg_learner_new();
	ck_assert_int_eq(fg_policy_load_text(base_text, strlen(base_text), "base", &base, &err), 0);
	fg_learner_syscall(l, syscall_nr("openat2"));
	fg_learner_syscall(l, syscall_nr("getpid"));
	fg_learner_syscall(l, syscall_nr("openat")); /* traced already: nothing to do */
	fg_learner_syscall(l, -1);		     /* out of range: noted */
	fg_learner_file(l, "/etc/hosts", R);
	tmp_make(&t, "p.json");
	ck_assert_msg(fg_learner_write(l, &base, t.path, false, &err) == 0, "%s", err.msg);
	load(t.path, &out);
	const struct fg_syscall_rule *r = fg_policy_syscall_rule(&out, syscall_nr("openat2"));
	ck_assert_str_eq(r->id, "learned-traced-syscalls");
	ck_assert_int_eq(r->action, FG_ACTION_TRACE);
	r = fg_policy_syscall_rule(&out, syscall_nr("getpid"));
	ck_assert_str_eq(r->id, "learned-syscalls");
	ck_assert_int_eq(r->action, FG_ACTION_ALLOW);
	ck_assert_str_eq(fg_policy_syscall_rule(&out, syscall_nr("openat"))->id, "t");
	/* A generated id is kept as the loader would generate it. */
	ck_assert_str_eq(fg_policy_syscall_rule(&out, syscall_nr("read"))->id, "syscalls.rules[1]");
	/* open runs in the kernel: the operator is told. */
	ck_assert_ptr_nonnull(strstr(out.description, "lets open run in the kernel"));
	ck_assert_ptr_nonnull(strstr(out.description, "1 syscall numbers"));
	fg_learner_free(l);
	fg_policy_free(&out);
	fg_policy_free(&base);
	tmp_remove(&t);
}
END_TEST

/* --- output form ---------------------------------------------------------------- */

START_TEST(test_output_is_deterministic_and_pretty)
{
	struct tmp t;
	struct fg_policy base;
	struct fg_error err;
	char second[160];
	struct fg_learner *a = fg_learner_new();
	struct fg_learner *b = fg_learner_new();
	feed_jvm(a, 1, false);
	feed_jvm(b, 5, true);
	load_default(&base);
	tmp_make(&t, "a.json");
	snprintf(second, sizeof(second), "%s/b.json", t.dir);
	ck_assert_msg(fg_learner_write(a, &base, t.path, false, &err) == 0, "%s", err.msg);
	ck_assert_msg(fg_learner_write(b, &base, second, false, &err) == 0, "%s", err.msg);
	char *x = read_text(t.path);
	char *y = read_text(second);
	ck_assert_msg(strcmp(x, y) == 0,
		      "the same observations in another order gave another policy");
	ck_assert(strncmp(x, "{\n  \"version\": 1,\n  \"description\": ", 35) == 0);
	ck_assert_ptr_nonnull(strstr(x, "\n  \"syscalls\": {\n    \"default\": {\n"));
	ck_assert_ptr_nonnull(strstr(x, "\n      {\n        \"id\": \"learned-jdk\",\n"));
	ck_assert_ptr_nonnull(strstr(x, "\"access\": [\"read\", \"exec\", \"stat\"]"));
	ck_assert_ptr_null(strchr(x, '\t'));
	ck_assert_str_eq(x + strlen(x) - 2, "}\n");
	/* Syscall lists fill lines up to 100 columns. */
	for (const char *line = x; *line != '\0';) {
		const char *end = strchr(line, '\n');
		size_t len = end != NULL ? (size_t)(end - line) : strlen(line);
		if (strstr(line, "\"description\"") == NULL ||
		    strstr(line, "\"description\"") > end)
			ck_assert_msg(len <= 100, "line of %zu: %.*s", len, (int)len, line);
		line += len + (end != NULL);
	}
	free(x);
	free(y);
	fg_learner_free(a);
	fg_learner_free(b);
	fg_policy_free(&base);
	tmp_remove(&t);
}
END_TEST

/* --- merge ------------------------------------------------------------------------ */

static const char existing_text[] =
    "{\n"
    "  \"version\": 1,\n"
    "  \"description\": \"Hand-written.\",\n"
    "  \"mode\": \"audit\",\n"
    "  \"syscalls\": {\n"
    "    \"default\": {\"action\": \"deny\", \"errno\": \"ENOSYS\"},\n"
    "    \"rules\": [\n"
    "      {\"id\": \"basic\", \"action\": \"allow\", \"syscalls\": [\"read\", \"write\"]},\n"
    "      {\"id\": \"checked\", \"action\": \"trace\", \"syscalls\": [\"openat\", \"execve\", "
    "\"connect\", \"bind\", \"socket\", \"sendto\", \"sendmsg\"]},\n"
    "      {\"action\": \"deny\", \"errno\": \"EPERM\", \"syscalls\": [\"personality\", "
    "\"ptrace\"]},\n"
    "      {\"id\": \"quiet\", \"action\": \"deny\", \"errno\": \"ENOSYS\", \"log\": false, "
    "\"syscalls\": [\"clone3\"]}\n"
    "    ]\n"
    "  },\n"
    "  \"files\": {\n"
    "    \"default\": {\"action\": \"deny\", \"errno\": \"EACCES\", \"description\": \"Hand "
    "default.\"},\n"
    "    \"rules\": [\n"
    "      {\"id\": \"secrets\", \"paths\": [\"/etc/shadow\", \"/root/**\"], \"access\": "
    "[\"all\"], \"action\": \"deny\", \"errno\": \"EPERM\"},\n"
    "      {\"id\": \"jdk\", \"paths\": [\"/usr/lib/jvm/**\", \"/etc/java-17-openjdk/**\"], "
    "\"access\": [\"read\", \"stat\", \"exec\"], \"action\": \"allow\"},\n"
    "      {\"paths\": [\"/lib/**\", \"/usr/lib/**\"], \"access\": [\"read\", \"stat\"], "
    "\"action\": \"allow\"}\n"
    "    ]\n"
    "  },\n"
    "  \"exec\": {\n"
    "    \"default\": {\"action\": \"deny\"},\n"
    "    \"rules\": [{\"id\": \"java\", \"paths\": [\"/usr/lib/jvm/*/bin/java\"], \"args\": "
    "[\"-jar\", \"*\", \"**\"], \"action\": \"allow\"}]\n"
    "  },\n"
    "  \"network\": {\n"
    "    \"default\": {\"action\": \"deny\"},\n"
    "    \"rules\": [\n"
    "      {\"id\": \"meta\", \"operations\": [\"connect\", \"send\"], \"protocols\": "
    "[\"tcp\", \"udp\"], \"addresses\": [\"169.254.169.254\", \"fd00:ec2::254\"], \"action\": "
    "\"stop\"},\n"
    "      {\"id\": \"listen\", \"operations\": [\"bind\"], \"protocols\": [\"tcp\"], "
    "\"ports\": \"8080\", \"action\": \"allow\"}\n"
    "    ]\n"
    "  }\n"
    "}\n";

START_TEST(test_merge_keeps_rules_and_adds_the_rest)
{
	struct tmp t;
	struct fg_policy base, out;
	struct fg_error err;
	struct fg_learner *l = fg_learner_new();
	feed_jvm(l, 2, false);
	load_default(&base);
	tmp_make(&t, "merged.json");
	write_text(t.path, existing_text);
	ck_assert_msg(fg_learner_write(l, &base, t.path, true, &err) == 0, "%s", err.msg);
	load(t.path, &out);
	const struct fg_rules *r = &out.sections;
	/* The operator's rules come first, unchanged. */
	ck_assert_str_eq(r->files[0].head.id, "secrets");
	ck_assert_str_eq(r->files[0].pattern, "/etc/shadow");
	ck_assert_str_eq(r->files[1].pattern, "/root/**");
	ck_assert_uint_eq(r->files[1].rights, (1u << FG_RIGHT_COUNT) - 1);
	ck_assert_int_eq(r->files[1].head.outcome.deny_errno, EPERM);
	ck_assert_str_eq(r->files[2].head.id, "jdk");
	ck_assert_str_eq(r->files[4].head.id, "files.rules[2]");
	ck_assert_str_eq(r->files[5].head.id, "files.rules[2]");
	ck_assert_str_eq(r->execs[0].head.id, "java");
	ck_assert(r->execs[0].args_given);
	ck_assert_uint_eq(r->execs[0].arg_count, 3);
	ck_assert_str_eq(r->nets[0].head.id, "meta");
	ck_assert_int_eq(r->nets[0].head.outcome.verdict, FG_VERDICT_STOP);
	ck_assert_uint_eq(r->nets[0].cidr_count, 2);
	ck_assert(
	    !net_ok(&out, &(struct net_obs){ FG_NET_CONNECT, FG_PROTO_TCP, "[fd00:ec2::254]:80" }));
	ck_assert_str_eq(r->nets[1].head.id, "listen");
	/* What they allowed already is not learned again. */
	ck_assert_ptr_null(find_pattern(&out, JDK "/**"));
	ck_assert_ptr_null(find_pattern(&out, "/lib/x86_64-linux-gnu/**"));
	ck_assert_ptr_nonnull(find_pattern(&out, "/var/lib/fhir/**"));
	for (size_t i = 0; i < r->net_count; i++)
		ck_assert(strcmp(r->nets[i].head.id, "learned-listen-8080") != 0);
	for (size_t i = 0; i < r->exec_count; i++)
		ck_assert(strcmp(r->execs[i].head.id, "learned-exec-java") != 0);
	/* Zero denials but the operator's own: /etc/shadow stays refused. */
	assert_no_denials(&out);
	ck_assert(!file_ok(&out, "/etc/shadow", R));
	ck_assert_ptr_nonnull(strstr(out.description, "Hand-written."));
	ck_assert_ptr_nonnull(
	    strstr(out.description, "rules of the merged policy refuse stay refused"));
	/* Its syscall layer, mode enforce, learned syscalls moved. */
	ck_assert_int_eq(out.mode, FG_MODE_ENFORCE);
	ck_assert_str_eq(fg_policy_syscall_rule(&out, syscall_nr("read"))->id, "basic");
	ck_assert_str_eq(fg_policy_syscall_rule(&out, syscall_nr("ptrace"))->id,
			 "syscalls.rules[2]");
	ck_assert_int_eq(fg_policy_syscall_rule(&out, syscall_nr("clone3"))->log, false);
	ck_assert_str_eq(fg_policy_syscall_rule(&out, syscall_nr("clone3"))->id, "quiet");
	ck_assert_str_eq(fg_policy_syscall_rule(&out, syscall_nr("personality"))->id,
			 "learned-syscalls");
	ck_assert_str_eq(fg_policy_syscall_rule(&out, syscall_nr("getpmsg"))->id,
			 "learned-syscalls");
	/* The default's description is kept too. */
	char *text = read_text(t.path);
	ck_assert_ptr_nonnull(strstr(text, "\"description\": \"Hand default.\""));
	free(text);
	fg_learner_free(l);
	fg_policy_free(&out);
	fg_policy_free(&base);
	tmp_remove(&t);
}
END_TEST

START_TEST(test_merge_twice_changes_nothing)
{
	struct tmp t;
	struct fg_policy base;
	struct fg_error err;
	struct fg_learner *l = fg_learner_new();
	feed_jvm(l, 1, false);
	load_default(&base);
	tmp_make(&t, "merged.json");
	write_text(t.path, existing_text);
	ck_assert_msg(fg_learner_write(l, &base, t.path, true, &err) == 0, "%s", err.msg);
	char *first = read_text(t.path);
	ck_assert_msg(fg_learner_write(l, &base, t.path, true, &err) == 0, "%s", err.msg);
	char *second = read_text(t.path);
	/* The notes are about the last run (the first moved syscalls): the rest
	 * is the same. */
	ck_assert_msg(same_but_description(first, second), "the second merge changed rules");
	/* Merging a fresh learned policy into itself is as stable. */
	ck_assert_msg(fg_learner_write(l, &base, t.path, false, &err) == 0, "%s", err.msg);
	free(first);
	first = read_text(t.path);
	ck_assert_msg(fg_learner_write(l, &base, t.path, true, &err) == 0, "%s", err.msg);
	free(second);
	second = read_text(t.path);
	ck_assert_msg(same_but_description(first, second), "merging into itself changed rules");
	free(first);
	free(second);
	fg_learner_free(l);
	fg_policy_free(&base);
	tmp_remove(&t);
}
END_TEST

START_TEST(test_merge_without_a_file_starts_afresh)
{
	struct tmp t;
	struct fg_policy base, out;
	struct fg_error err;
	struct fg_learner *l = fg_learner_new();
	feed_jvm(l, 1, false);
	load_default(&base);
	tmp_make(&t, "new.json");
	ck_assert_msg(fg_learner_write(l, &base, t.path, true, &err) == 0, "%s", err.msg);
	load(t.path, &out);
	assert_no_denials(&out);
	ck_assert_ptr_nonnull(find_pattern(&out, JDK "/**"));
	fg_learner_free(l);
	fg_policy_free(&out);
	fg_policy_free(&base);
	tmp_remove(&t);
}
END_TEST

START_TEST(test_merge_into_an_invalid_file_fails)
{
	struct tmp t;
	struct fg_policy base;
	struct fg_error err;
	struct fg_learner *l = fg_learner_new();
	fg_learner_file(l, "/etc/hosts", R);
	load_default(&base);
	tmp_make(&t, "bad.json");
	write_text(t.path, "{\"version\": 1, \"syscalls\": {}}\n");
	ck_assert_int_eq(fg_learner_write(l, &base, t.path, true, &err), -1);
	ck_assert_msg(strstr(err.msg, "bad.json:") != NULL, "%s", err.msg);
	char *text = read_text(t.path);
	ck_assert_str_eq(text, "{\"version\": 1, \"syscalls\": {}}\n");
	free(text);
	fg_learner_free(l);
	fg_policy_free(&base);
	tmp_remove(&t);
}
END_TEST

/* --- edge cases --------------------------------------------------------------------- */

START_TEST(test_secrets_and_scratch_files)
{
	struct tmp t;
	struct fg_policy base, out;
	struct fg_error err;
	struct fg_learner *l = fg_learner_new();
	fg_learner_file(l, "/etc/ssl/certs/a.pem", R);
	fg_learner_file(l, "/etc/ssl/certs/b.pem", R);
	fg_learner_file(l, "/etc/ssl/certs/c.pem", R);
	fg_learner_file(l, "/etc/ssl/openssl.cnf", R);
	fg_learner_file(l, "/etc/ssl/private/server.key", R);
	fg_learner_file(l, "/home/app/.m2/repository/a.jar", R);
	fg_learner_file(l, "/home/app/.m2/repository/b.jar", R);
	fg_learner_file(l, "/home/app/.m2/settings.xml", R);
	fg_learner_file(l, "/home/app/.ssh/known_hosts", R);
	fg_learner_file(l, "/home/app/.cache/x", W | C);
	fg_learner_file(l, "/home/app/notes.txt", W);
	fg_learner_file(l, "/root/.bashrc", R);
	fg_learner_file(l, "/root/.profile", R);
	fg_learner_file(l, "/root/.cache/a", R);
	fg_learner_file(l, "/tmp/.java_pid4242", C | D);
	fg_learner_file(l, "/tmp/.java_pid4250", C | D);
	fg_learner_file(l, "/tmp/libnetty_transport_native_epoll_x86_648812345678901234.so",
			R | W | C | D);
	fg_learner_file(l, "/tmp/42.log", W | C);
	load_default(&base);
	tmp_make(&t, "p.json");
	ck_assert_msg(fg_learner_write(l, &base, t.path, false, &err) == 0, "%s", err.msg);
	load(t.path, &out);
	ck_assert_ptr_nonnull(find_pattern(&out, "/etc/ssl/certs/**"));
	ck_assert_ptr_nonnull(find_pattern(&out, "/etc/ssl/private/server.key"));
	ck_assert_ptr_nonnull(find_pattern(&out, "/home/app/.m2/**"));
	ck_assert_ptr_nonnull(find_pattern(&out, "/root/.bashrc"));
	ck_assert_ptr_null(find_pattern(&out, "/etc/ssl/**"));
	ck_assert_ptr_null(find_pattern(&out, "/home/app/**"));
	ck_assert_ptr_null(find_pattern(&out, "/root/**"));
	ck_assert(!file_ok(&out, "/etc/ssl/private/other.key", R));
	ck_assert(!file_ok(&out, "/home/app/.ssh/id_rsa", R));
	ck_assert(!file_ok(&out, "/root/.ssh/id_rsa", R));
	/* Scratch files: numbers that change from run to run become '*'. */
	ck_assert_ptr_nonnull(find_pattern(&out, "/tmp/.java_pid*"));
	ck_assert_ptr_nonnull(find_pattern(&out, "/tmp/libnetty_transport_native_epoll_x86_*.so"));
	ck_assert_ptr_nonnull(find_pattern(&out, "/tmp/42.log"));
	ck_assert(file_ok(&out, "/tmp/.java_pid77123", C));
	ck_assert(!file_ok(&out, "/tmp/.java_pid77123", X));
	ck_assert(!file_ok(&out, "/tmp/other", C));
	ck_assert(file_ok(&out, "/home/app/.ssh/known_hosts", R));
	ck_assert(file_ok(&out, "/home/app/.cache/x", W | C));
	fg_learner_free(l);
	fg_policy_free(&out);
	fg_policy_free(&base);
	tmp_remove(&t);
}
END_TEST

START_TEST(test_odd_names_round_trip)
{
	struct tmp t;
	struct fg_policy base, out;
	struct fg_error err;
	struct fg_learner *l = fg_learner_new();
	struct fg_endpoint ep;
	struct sockaddr_un un = { .sun_family = AF_UNIX };
	/* Each alone below a top-level directory: exact patterns. */
	static const char odd_paths[][48] = {
		"/odd/we*ird[1]?.txt", "/odd2/back\\slash", "/odd3/\xff\xfe-latin1",
		"/odd4/\"quoted\"\n",  "/odd5/caf\xc3\xa9",
	};
	for (size_t i = 0; i < N_ELEMENTS(odd_paths); i++)
		fg_learner_file(l, odd_paths[i], R | W);
	/* An abstract name with a NUL inside, an unnamed address, a relative path. */
	memcpy(un.sun_path, "\0a\0b", 4);
	ck_assert_int_eq(
	    fg_endpoint_decode(&un, offsetof(struct sockaddr_un, sun_path) + 4, &ep, &err), 0);
	fg_learner_net(l, FG_NET_CONNECT, FG_PROTO_UNIX_STREAM, &ep);
	struct fg_endpoint unnamed;
	ck_assert_int_eq(fg_endpoint_decode(&un, sizeof(sa_family_t), &unnamed, &err), 0);
	fg_learner_net(l, FG_NET_BIND, FG_PROTO_UNIX_DGRAM, &unnamed);
	struct fg_endpoint relative;
	make_endpoint("@x", &relative);
	relative.unix_abstract = false;
	snprintf(relative.unix_path, sizeof(relative.unix_path), "run/rel.sock");
	relative.unix_path_len = strlen(relative.unix_path);
	fg_learner_net(l, FG_NET_CONNECT, FG_PROTO_UNIX_STREAM, &relative);
	/* AF_UNSPEC on a UDP socket: no rule can name it. */
	struct sockaddr unspec = { .sa_family = AF_UNSPEC };
	struct fg_endpoint other;
	ck_assert_int_eq(fg_endpoint_decode(&unspec, sizeof(unspec), &other, &err), 0);
	fg_learner_net(l, FG_NET_CONNECT, FG_PROTO_UDP, &other);
	fg_learner_socket(l, AF_INET6, SOCK_SEQPACKET);
	/* An abstract name that looks like a path. */
	struct fg_endpoint bus;
	make_endpoint("@/org/fhir/bus", &bus);
	fg_learner_net(l, FG_NET_CONNECT, FG_PROTO_UNIX_STREAM, &bus);
	load_default(&base);
	tmp_make(&t, "p.json");
	ck_assert_msg(fg_learner_write(l, &base, t.path, false, &err) == 0, "%s", err.msg);
	load(t.path, &out);
	for (size_t i = 0; i < N_ELEMENTS(odd_paths); i++)
		ck_assert_msg(file_ok(&out, odd_paths[i], R | W), "%s", odd_paths[i]);
	ck_assert(!file_ok(&out, "/odd/weXird[1]?.txt", R));
	ck_assert(!file_ok(&out, "/odd/we*ird1.txt", R));
	ck_assert(!file_ok(&out, "/odd2/other", R));
	struct fg_rule_decision d;
	fg_rules_check_net(&out.sections, FG_NET_CONNECT, FG_PROTO_UNIX_STREAM, &ep, &d);
	ck_assert_int_eq(d.outcome.verdict, FG_VERDICT_ALLOW);
	fg_rules_check_net(&out.sections, FG_NET_BIND, FG_PROTO_UNIX_DGRAM, &unnamed, &d);
	ck_assert_int_eq(d.outcome.verdict, FG_VERDICT_ALLOW);
	fg_rules_check_net(&out.sections, FG_NET_CONNECT, FG_PROTO_UNIX_STREAM, &relative, &d);
	ck_assert_int_eq(d.outcome.verdict, FG_VERDICT_ALLOW);
	fg_rules_check_net(&out.sections, FG_NET_CONNECT, FG_PROTO_UNIX_STREAM, &bus, &d);
	ck_assert_int_eq(d.outcome.verdict, FG_VERDICT_ALLOW);
	bool bus_rule = false;
	for (size_t i = 0; i < out.sections.net_count; i++) {
		const struct fg_net_rule *n = &out.sections.nets[i];
		bus_rule |= n->unix_abstract && strcmp(n->unix_pattern, "/org/fhir/bus") == 0;
	}
	ck_assert(bus_rule);
	ck_assert_ptr_nonnull(strstr(out.description, "no rule can name"));
	ck_assert_ptr_nonnull(strstr(out.description, "no policy can allow"));
	fg_learner_free(l);
	fg_policy_free(&out);
	fg_policy_free(&base);
	tmp_remove(&t);
}
END_TEST

START_TEST(test_many_events_few_objects)
{
	struct tmp t;
	struct fg_policy base, out;
	struct fg_error err;
	char path[128];
	struct fg_learner *l = fg_learner_new();
	clock_t start = clock();
	/* 200 threads of 50 processes, each read 20 times; a data dir's churn. */
	for (int round = 0; round < 20; round++) {
		for (int pid = 1000; pid < 1050; pid++) {
			for (int tid = 0; tid < 200; tid += 7) {
				snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", pid,
					 pid + tid);
				fg_learner_file(l, path, R);
			}
			snprintf(path, sizeof(path), "/tmp/hsperfdata_root/%d", pid);
			fg_learner_file(l, path, W | C);
		}
		for (int i = 0; i < 100; i++) {
			snprintf(path, sizeof(path), "/data/fhir/Patient/p%d.json", i);
			fg_learner_file(l, path, W | C | R);
		}
	}
	load_default(&base);
	tmp_make(&t, "p.json");
	ck_assert_msg(fg_learner_write(l, &base, t.path, false, &err) == 0, "%s", err.msg);
	/* Reported, not asserted: timings are not tests. */
	fprintf(stderr, "learn: 100k events written in %.2f s of CPU\n",
		(double)(clock() - start) / CLOCKS_PER_SEC);
	load(t.path, &out);
	/* One /proc pattern, the kernel tunables it implies, one scratch tree,
	 * one data tree. */
	ck_assert_uint_eq(out.sections.file_count, 4);
	ck_assert_ptr_nonnull(find_pattern(&out, "/proc/sys/vm/**"));
	ck_assert_ptr_nonnull(find_pattern(&out, "/proc/*/task/*/stat"));
	ck_assert_ptr_nonnull(find_pattern(&out, "/tmp/hsperfdata_root/**"));
	ck_assert_ptr_nonnull(find_pattern(&out, "/data/fhir/Patient/**"));
	fg_learner_free(l);
	fg_policy_free(&out);
	fg_policy_free(&base);
	tmp_remove(&t);
}
END_TEST

START_TEST(test_errors_and_null_learners)
{
	struct fg_policy base;
	struct fg_error err;
	struct fg_learner *l = fg_learner_new();
	fg_learner_file(NULL, "/x", R);
	fg_learner_exec(NULL, "/x", NULL);
	fg_learner_net(NULL, FG_NET_BIND, FG_PROTO_TCP, NULL);
	fg_learner_socket(NULL, AF_NETLINK, SOCK_RAW);
	fg_learner_syscall(NULL, 1);
	fg_learner_free(NULL);
	fg_learner_file(l, "relative/path", R); /* not absolute: noted, ignored */
	fg_learner_file(l, "/etc/hosts", 0);	/* no right: nothing */
	fg_learner_exec(l, "/usr/bin/env", NULL);
	load_default(&base);
	ck_assert_int_eq(fg_learner_write(l, &base, "/nonexistent-dir/p.json", false, &err), -1);
	ck_assert_msg(strstr(err.msg, "/nonexistent-dir/p.json") != NULL, "%s", err.msg);
	ck_assert_int_eq(fg_learner_write(l, NULL, "/tmp/x.json", false, &err), -1);
	ck_assert_int_eq(fg_learner_write(NULL, &base, "/tmp/x.json", false, &err), -1);
	fg_learner_free(l);
	fg_policy_free(&base);
}
END_TEST

/* --- generalisation rules, one at a time ------------------------------------------ */

START_TEST(test_proc_numbers_become_stars)
{
	struct tmp t = { 0 };
	struct fg_policy base, out;
	struct fg_learner *l = fg_learner_new();
	fg_learner_file(l, "/proc/17/task/17/comm", R);
	fg_learner_file(l, "/proc/17/task/18/comm", R);
	fg_learner_file(l, "/proc/17/fd/3", S);
	fg_learner_file(l, "/proc/irq/5/smp_affinity", R);
	fg_learner_file(l, "/proc/17/status", R);
	fg_learner_file(l, "/proc/17/statm", R);
	fg_learner_file(l, "/proc/17/limits", R);
	load_default(&base);
	write_and_load(l, &base, false, &t, &out);
	ck_assert_ptr_nonnull(find_pattern(&out, "/proc/*/task/*/comm"));
	ck_assert_ptr_nonnull(find_pattern(&out, "/proc/*/fd/*"));
	ck_assert_ptr_nonnull(find_pattern(&out, "/proc/irq/*/smp_affinity"));
	/* Never a tree below /proc, however many files were read, but for
	 * the kernel tunables (read-only) that any /proc reader implies. */
	for (size_t i = 0; i < out.sections.file_count; i++) {
		if (strncmp(out.sections.files[i].pattern, "/proc/sys/", 10) == 0)
			continue;
		ck_assert_ptr_null(strstr(out.sections.files[i].pattern, "**"));
	}
	ck_assert_ptr_nonnull(find_pattern(&out, "/proc/sys/vm/**"));
	ck_assert(!file_ok(&out, "/proc/17/environ", R));
	ck_assert(file_ok(&out, "/proc/31337/task/31338/comm", R));
	fg_learner_free(l);
	fg_policy_free(&out);
	fg_policy_free(&base);
	tmp_remove(&t);
}
END_TEST

START_TEST(test_three_reads_make_a_tree)
{
	struct tmp t = { 0 };
	struct fg_policy base, out;
	struct fg_learner *l = fg_learner_new();
	fg_learner_file(l, "/opt/two/lib/a.jar", R);
	fg_learner_file(l, "/opt/two/lib/b.jar", R);
	fg_learner_file(l, "/opt/three/a.jar", R);
	fg_learner_file(l, "/opt/three/lib/b.jar", R | S);
	fg_learner_file(l, "/opt/three/lib/c.jar", R);
	fg_learner_file(l, "/etc/a.conf", R);
	fg_learner_file(l, "/etc/b.conf", R);
	fg_learner_file(l, "/etc/c.conf", R);
	fg_learner_file(l, "/etc/d.conf", R);
	load_default(&base);
	write_and_load(l, &base, false, &t, &out);
	ck_assert_ptr_nonnull(find_pattern(&out, "/opt/two/lib/a.jar"));
	ck_assert_ptr_nonnull(find_pattern(&out, "/opt/two/lib/b.jar"));
	ck_assert_ptr_null(find_pattern(&out, "/opt/two/**"));
	ck_assert_uint_eq(find_pattern(&out, "/opt/three/**")->rights, R | S);
	/* Files right in a top-level directory stay exact. */
	ck_assert_ptr_nonnull(find_pattern(&out, "/etc/d.conf"));
	ck_assert(!file_ok(&out, "/etc/e.conf", R));
	fg_learner_free(l);
	fg_policy_free(&out);
	fg_policy_free(&base);
	tmp_remove(&t);
}
END_TEST

START_TEST(test_written_trees_stay_tight)
{
	struct tmp t = { 0 };
	struct fg_policy base, out;
	struct fg_learner *l = fg_learner_new();
	fg_learner_file(l, "/var/lib/alpha/x.db", W | C);
	fg_learner_file(l, "/var/lib/alpha/sub/y.db", W | C);
	fg_learner_file(l, "/var/lib/beta/cache/1.bin", W | C | D);
	fg_learner_file(l, "/var/lib/beta/cache/2.bin", W | C | D);
	fg_learner_file(l, "/var/log/app.log", W);
	fg_learner_file(l, "/data/index.json", W | C);
	fg_learner_file(l, "/data/store/a.json", W | C);
	fg_learner_file(l, "/data/store/b.json", W | C);
	load_default(&base);
	write_and_load(l, &base, false, &t, &out);
	ck_assert_ptr_nonnull(find_pattern(&out, "/var/lib/alpha/**"));
	ck_assert_ptr_nonnull(find_pattern(&out, "/var/lib/beta/cache/**"));
	ck_assert_ptr_nonnull(find_pattern(&out, "/var/log/app.log"));
	ck_assert_ptr_nonnull(find_pattern(&out, "/data/store/**"));
	ck_assert_ptr_nonnull(find_pattern(&out, "/data/index.json"));
	ck_assert_ptr_null(find_pattern(&out, "/var/lib/**"));
	ck_assert_ptr_null(find_pattern(&out, "/data/**"));
	ck_assert(!file_ok(&out, "/var/lib/gamma/x", C));
	ck_assert(!file_ok(&out, "/var/log/other.log", W));
	ck_assert(!file_ok(&out, "/var/lib/beta/other", C));
	fg_learner_free(l);
	fg_policy_free(&out);
	fg_policy_free(&base);
	tmp_remove(&t);
}
END_TEST

START_TEST(test_exec_needs_the_exec_right_too)
{
	struct tmp t = { 0 };
	struct fg_policy base, out;
	struct fg_learner *l = fg_learner_new();
	char *argv[] = { "tool", "--flag", NULL };
	char *other[] = { "tool", "something", "else", NULL };
	fg_learner_exec(l, "/usr/local/bin/tool", argv);
	load_default(&base);
	write_and_load(l, &base, false, &t, &out);
	ck_assert(file_ok(&out, "/usr/local/bin/tool", X));
	ck_assert(!file_ok(&out, "/usr/local/bin/tool", W));
	ck_assert(exec_ok(&out, "/usr/local/bin/tool", other));
	ck_assert_str_eq(out.sections.execs[0].head.id, "learned-exec-tool");
	ck_assert(!exec_ok(&out, "/usr/local/bin/tool2", argv));
	fg_learner_free(l);
	fg_policy_free(&out);
	fg_policy_free(&base);
	tmp_remove(&t);
}
END_TEST

START_TEST(test_udp_bind_and_ipv6_peers)
{
	struct tmp t = { 0 };
	struct fg_policy base, out;
	struct fg_learner *l = fg_learner_new();
	struct fg_endpoint ep;
	make_endpoint("0.0.0.0:5353", &ep);
	fg_learner_net(l, FG_NET_BIND, FG_PROTO_UDP, &ep);
	make_endpoint("[2001:db8::1]:443", &ep);
	fg_learner_net(l, FG_NET_CONNECT, FG_PROTO_TCP, &ep);
	make_endpoint("10.1.2.3:53", &ep);
	fg_learner_net(l, FG_NET_CONNECT, FG_PROTO_TCP, &ep);
	load_default(&base);
	write_and_load(l, &base, false, &t, &out);
	const struct fg_rules *r = &out.sections;
	ck_assert_uint_eq(r->net_count, 3);
	ck_assert_str_eq(r->nets[0].head.id, "learned-bind-5353");
	ck_assert_uint_eq(r->nets[0].protocols, FG_PROTO_UDP);
	char cidr[64];
	fg_cidr_format(&r->nets[1].cidrs[0], cidr, sizeof(cidr));
	ck_assert_str_eq(r->nets[1].head.id, "learned-dns-10.1.2.3");
	fg_cidr_format(&r->nets[2].cidrs[0], cidr, sizeof(cidr));
	ck_assert_str_eq(cidr, "2001:db8::1/128");
	make_endpoint("[2001:db8::2]:443", &ep);
	struct fg_rule_decision d;
	fg_rules_check_net(r, FG_NET_CONNECT, FG_PROTO_TCP, &ep, &d);
	ck_assert_int_eq(d.outcome.verdict, FG_VERDICT_DENY);
	fg_learner_free(l);
	fg_policy_free(&out);
	fg_policy_free(&base);
	tmp_remove(&t);
}
END_TEST

/* --- merge, more ------------------------------------------------------------------ */

START_TEST(test_merge_keeps_missing_sections_missing)
{
	static const char only_syscalls[] =
	    "{\"version\": 1, \"syscalls\": {\"default\": {\"action\": \"allow\"}, \"rules\": "
	    "[{\"action\": \"deny\", \"errno\": \"EPERM\", \"syscalls\": [\"ptrace\", "
	    "\"personality\"]}]}}\n";
	struct tmp t = { 0 };
	struct fg_policy base, out;
	struct fg_learner *l = fg_learner_new();
	feed_jvm(l, 1, false);
	load_default(&base);
	tmp_make(&t, "p.json");
	write_text(t.path, only_syscalls);
	write_and_load(l, &base, true, &t, &out);
	/* No section allowed everything: nothing to learn there. */
	ck_assert(!out.sections.files_section.present);
	ck_assert(!out.sections.exec_section.present);
	ck_assert(!out.sections.network_section.present);
	ck_assert_str_eq(fg_policy_syscall_rule(&out, syscall_nr("personality"))->id,
			 "learned-syscalls");
	ck_assert_str_eq(fg_policy_syscall_rule(&out, syscall_nr("ptrace"))->id,
			 "syscalls.rules[0]");
	ck_assert_int_eq(out.default_rule.action, FG_ACTION_ALLOW);
	fg_learner_free(l);
	fg_policy_free(&out);
	fg_policy_free(&base);
	tmp_remove(&t);
}
END_TEST

START_TEST(test_merge_reuses_learned_rules_and_ids)
{
	static const char earlier[] =
	    "{\"version\": 1, \"syscalls\": {\"default\": {\"action\": \"deny\"}, \"rules\": ["
	    "{\"id\": \"learned-syscalls\", \"action\": \"allow\", \"syscalls\": [\"getpid\"]},"
	    "{\"action\": \"trace\", \"syscalls\": [\"openat\"]}]},"
	    "\"files\": {\"default\": {\"action\": \"deny\"}, \"rules\": [{\"id\": "
	    "\"learned-jdk\", "
	    "\"paths\": [\"/opt/other/**\"], \"access\": [\"read\"], \"action\": \"allow\"}]}}\n";
	struct tmp t = { 0 };
	struct fg_policy base, out;
	struct fg_learner *l = fg_learner_new();
	for (int i = 0; i < 4; i++) {
		char path[64];
		snprintf(path, sizeof(path), JDK "/lib/lib%d.so", i);
		fg_learner_file(l, path, R);
	}
	fg_learner_syscall(l, syscall_nr("gettid"));
	load_default(&base);
	tmp_make(&t, "p.json");
	write_text(t.path, earlier);
	write_and_load(l, &base, true, &t, &out);
	/* gettid joins the earlier run's rule instead of a second one. */
	long rule = find_syscall_rule(&out, "learned-syscalls");
	ck_assert_int_ge(rule, 0);
	ck_assert_int_eq(out.syscall_rule[syscall_nr("gettid")], rule);
	ck_assert_int_eq(out.syscall_rule[syscall_nr("getpid")], rule);
	ck_assert_int_lt(find_syscall_rule(&out, "learned-syscalls-2"), 0);
	/* An id in use is not given twice. */
	ck_assert_str_eq(find_pattern(&out, JDK "/**")->head.id, "learned-jdk-2");
	fg_learner_free(l);
	fg_policy_free(&out);
	fg_policy_free(&base);
	tmp_remove(&t);
}
END_TEST

START_TEST(test_written_file_is_complete_and_alone)
{
	struct tmp t = { 0 };
	struct fg_policy base, out;
	struct stat st;
	struct fg_learner *l = fg_learner_new();
	feed_jvm(l, 1, false);
	load_default(&base);
	write_and_load(l, &base, false, &t, &out);
	ck_assert_int_eq(stat(t.path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0644);
	/* The temporary file was renamed: nothing else is left beside it. */
	DIR *dir = opendir(t.dir);
	ck_assert_ptr_nonnull(dir);
	int entries = 0;
	for (struct dirent *e = readdir(dir); e != NULL; e = readdir(dir))
		entries += e->d_name[0] != '.';
	closedir(dir);
	ck_assert_int_eq(entries, 1);
	fg_learner_free(l);
	fg_policy_free(&out);
	fg_policy_free(&base);
	tmp_remove(&t);
}
END_TEST

START_TEST(test_unnameable_sockets_are_noted)
{
	struct tmp t = { 0 };
	struct fg_policy base, out;
	struct fg_learner *l = fg_learner_new();
	fg_learner_socket(l, AF_SMC, SOCK_DGRAM); /* no name in policies */
	fg_learner_socket(l, 999, SOCK_DGRAM);
	fg_learner_socket(l, AF_INET, SOCK_RAW);
	fg_learner_socket(l, AF_PACKET, SOCK_RAW);
	fg_learner_socket(l, AF_UNIX, SOCK_STREAM);
	load_default(&base);
	write_and_load(l, &base, false, &t, &out);
	ck_assert(out.sections.raw_inet_allowed);
	ck_assert(fg_rules_socket_allowed(&out.sections, AF_PACKET, SOCK_RAW));
	ck_assert(!fg_rules_socket_allowed(&out.sections, AF_NETLINK, SOCK_RAW));
	ck_assert_ptr_nonnull(strstr(out.description, "family 43"));
	ck_assert_ptr_nonnull(strstr(out.description, "no policy can allow"));
	fg_learner_free(l);
	fg_policy_free(&out);
	fg_policy_free(&base);
	tmp_remove(&t);
}
END_TEST

static Suite *learn_suite(void)
{
	Suite *s = suite_create("learn");
	TCase *fresh = tcase_create("fresh");
	tcase_add_test(fresh, test_fresh_policy_loads);
	tcase_add_test(fresh, test_fresh_policy_allows_the_files);
	tcase_add_test(fresh, test_fresh_policy_allows_the_programs);
	tcase_add_test(fresh, test_fresh_policy_allows_the_network);
	tcase_add_test(fresh, test_fresh_policy_refuses_other_files);
	tcase_add_test(fresh, test_fresh_policy_refuses_other_programs_and_peers);
	tcase_add_test(fresh, test_generalised_like_a_person);
	tcase_add_test(fresh, test_network_rules);
	tcase_add_test(fresh, test_ids_and_descriptions);
	suite_add_tcase(s, fresh);
	TCase *rules = tcase_create("generalisation");
	tcase_add_test(rules, test_proc_numbers_become_stars);
	tcase_add_test(rules, test_three_reads_make_a_tree);
	tcase_add_test(rules, test_written_trees_stay_tight);
	tcase_add_test(rules, test_exec_needs_the_exec_right_too);
	tcase_add_test(rules, test_udp_bind_and_ipv6_peers);
	suite_add_tcase(s, rules);
	TCase *layer = tcase_create("syscall layer");
	tcase_add_test(layer, test_syscall_layer_of_the_base_survives);
	tcase_add_test(layer, test_learned_checked_syscalls_are_traced);
	suite_add_tcase(s, layer);
	TCase *form = tcase_create("form");
	tcase_add_test(form, test_output_is_deterministic_and_pretty);
	suite_add_tcase(s, form);
	TCase *merge = tcase_create("merge");
	tcase_add_test(merge, test_merge_keeps_rules_and_adds_the_rest);
	tcase_add_test(merge, test_merge_twice_changes_nothing);
	tcase_add_test(merge, test_merge_without_a_file_starts_afresh);
	tcase_add_test(merge, test_merge_into_an_invalid_file_fails);
	tcase_add_test(merge, test_merge_keeps_missing_sections_missing);
	tcase_add_test(merge, test_merge_reuses_learned_rules_and_ids);
	suite_add_tcase(s, merge);
	TCase *edge = tcase_create("edge cases");
	tcase_add_test(edge, test_secrets_and_scratch_files);
	tcase_add_test(edge, test_odd_names_round_trip);
	tcase_add_test(edge, test_many_events_few_objects);
	tcase_add_test(edge, test_errors_and_null_learners);
	tcase_add_test(edge, test_written_file_is_complete_and_alone);
	tcase_add_test(edge, test_unnameable_sockets_are_noted);
	suite_add_tcase(s, edge);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(learn_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
