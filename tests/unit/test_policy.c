/* Unit tests: JSON scanning, policy loading (every error names
 * FILE:LINE:COLUMN and what was expected) and the decision function. */
#include <check.h>
#include <errno.h>
#include <linux/audit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

#include "decide.h"
#include "json_scan.h"
#include "policy.h"
#include "syscall_names.h"

/* --- JSON scanner ----------------------------------------------------- */

static const struct {
	const char *text;
	const char *error; /* NULL: valid */
	int line, col;
} scan_cases[] = {
	{ "{}", NULL, 0, 0 },
	{ "  {\"a\": [1, -2.5e3, true, false, null, \"x\\n\\u00e9\"]}\n", NULL, 0, 0 },
	{ "{\"a\": \"caf\xc3\xa9\"}", NULL, 0, 0 },
	{ "", "unexpected end of file, expected a value", 1, 1 },
	{ "{\"a\": 1,}", "trailing comma before '}'", 1, 9 },
	{ "[1, 2,]", "trailing comma before ']'", 1, 7 },
	{ "{\"a\" 1}", "expected ':' after the member name", 1, 6 },
	{ "{\"a\": 1 \"b\": 2}", "expected ',' or '}' after an object member", 1, 9 },
	{ "[1 2]", "expected ',' or ']' after an array element", 1, 4 },
	{ "{a: 1}", "expected a member name in double quotes", 1, 2 },
	{ "{\n  \"a\": tru\n}",
	  "expected a value (a string, number, object, array, true, false or null)", 2, 8 },
	{ "{\"a\": 01}", "numbers must not have leading zeros", 1, 8 },
	{ "{\"a\": 1.}", "expected a digit after the decimal point", 1, 9 },
	{ "{\"a\": 1e}", "expected a digit in the exponent", 1, 9 },
	{ "{\"a\": \"x}", "unterminated string", 1, 7 },
	{ "{\"a\": \"\\q\"}", "invalid escape in a string", 1, 8 },
	{ "{\"a\": \"\\u12\"}", "expected four hexadecimal digits after \\u", 1, 9 },
	{ "{\"a\": \"\x01\"}", "control character inside a string", 1, 8 },
	{ "{\"a\": \"\xff\"}", "invalid UTF-8 in a string", 1, 8 },
	{ "{\"a\": \"\xc0\xaf\"}", "invalid UTF-8 in a string", 1, 8 },
	{ "{} x", "unexpected text after the end of the policy", 1, 4 },
	{ "{\"a\":\n\n   @}", "expected a value", 3, 4 },
	{ "// comment\n{}", "expected a value", 1, 1 },
};

START_TEST(scan_table)
{
	const char *text = scan_cases[_i].text;
	struct fg_json_positions pos;
	size_t offset = 0;
	char what[256] = "";
	int rc = fg_json_scan(text, strlen(text), &pos, &offset, what, sizeof(what));
	if (scan_cases[_i].error == NULL) {
		ck_assert_msg(rc == 0, "case %d: %s", _i, what);
		fg_json_positions_free(&pos);
		return;
	}
	ck_assert_msg(rc < 0, "case %d should fail", _i);
	ck_assert_msg(strstr(what, scan_cases[_i].error) == what, "case %d: got \"%s\"", _i, what);
	int line, col;
	fg_json_line_col(text, offset, &line, &col);
	ck_assert_msg(line == scan_cases[_i].line && col == scan_cases[_i].col,
		      "case %d: at %d:%d, expected %d:%d", _i, line, col, scan_cases[_i].line,
		      scan_cases[_i].col);
}
END_TEST

START_TEST(scan_rejects_deep_nesting)
{
	char text[400];
	memset(text, '[', 200);
	memset(text + 200, ']', 200);
	struct fg_json_positions pos;
	size_t offset;
	char what[256];
	ck_assert_int_lt(fg_json_scan(text, sizeof(text), &pos, &offset, what, sizeof(what)), 0);
	ck_assert_ptr_nonnull(strstr(what, "nesting is too deep"));
}
END_TEST

/* --- policy loading ----------------------------------------------------- */

#define MINIMAL "{\"version\": 1, \"syscalls\": {\"default\": {\"action\": \"allow\"}}}"

static int load(const char *text, struct fg_policy *p, struct fg_error *err)
{
	return fg_policy_load_text(text, strlen(text), "test.json", p, err);
}

START_TEST(minimal_policy_loads)
{
	struct fg_policy p;
	struct fg_error err;
	ck_assert_int_eq(load(MINIMAL, &p, &err), 0);
	ck_assert_int_eq(p.mode, FG_MODE_ENFORCE);
	ck_assert_int_eq(p.default_rule.action, FG_ACTION_ALLOW);
	ck_assert_str_eq(p.default_rule.id, "syscalls.default");
	ck_assert_str_eq(p.source, "test.json");
	ck_assert_ptr_eq(fg_policy_syscall_rule(&p, SYS_openat), &p.default_rule);
	fg_policy_free(&p);
}
END_TEST

START_TEST(full_policy_loads)
{
	const char *text =
	    "{\"version\": 1, \"mode\": \"audit\", \"description\": \"d\", \"log\": {\"allowed\": "
	    "true},\n"
	    " \"syscalls\": {\"default\": {\"action\": \"deny\", \"errno\": \"ENOSYS\"},\n"
	    "  \"rules\": [\n"
	    "   {\"id\": \"basic\", \"action\": \"allow\", \"syscalls\": [\"read\", \"write\"]},\n"
	    "   {\"action\": \"trace\", \"syscalls\": [\"openat\"], \"description\": \"files\"},\n"
	    "   {\"action\": \"deny\", \"errno\": \"EACCES\", \"syscalls\": [\"ptrace\"]},\n"
	    "   {\"action\": \"deny\", \"errno\": \"ENOSYS\", \"log\": false, \"syscalls\": "
	    "[\"clone3\"]},\n"
	    "   {\"action\": \"kill\", \"syscalls\": [\"reboot\", \"socketcall\", \"mseal\"]}\n"
	    "  ]}}";
	struct fg_policy p;
	struct fg_error err;
	ck_assert_msg(load(text, &p, &err) == 0, "%s", err.msg);
	ck_assert_int_eq(p.mode, FG_MODE_AUDIT);
	ck_assert(p.log_allowed);
	ck_assert_str_eq(p.description, "d");
	ck_assert_int_eq(p.rule_count, 5);
	ck_assert_str_eq(fg_policy_syscall_rule(&p, SYS_read)->id, "basic");
	ck_assert_str_eq(fg_policy_syscall_rule(&p, SYS_openat)->id, "syscalls.rules[1]");
	ck_assert_int_eq(fg_policy_syscall_rule(&p, SYS_openat)->line, 5);
	ck_assert_int_eq(fg_policy_syscall_rule(&p, SYS_ptrace)->deny_errno, EACCES);
	ck_assert(fg_policy_syscall_rule(&p, SYS_ptrace)->log);
	ck_assert(!fg_policy_syscall_rule(&p, SYS_clone3)->log);
	ck_assert_int_eq(fg_policy_syscall_rule(&p, SYS_reboot)->action, FG_ACTION_KILL);
	/* mseal is newer than Debian's libseccomp: our own table knows it. */
	ck_assert_int_eq(fg_policy_syscall_rule(&p, 462)->action, FG_ACTION_KILL);
	ck_assert_int_eq(p.default_rule.deny_errno, ENOSYS);
	fg_policy_free(&p);
}
END_TEST

static const struct {
	const char *text;
	const char *message; /* what must follow "test.json:" */
} bad_policies[] = {
	{ "[]", "1:1: a policy must be a JSON object, not an array" },
	{ "{\"syscalls\": {}}", "1:1: the policy has no \"version\"" },
	{ "{\"version\": 2, \"syscalls\": {}}", "1:13: unsupported policy version" },
	{ "{\"version\": 1}", "1:1: the policy has no \"syscalls\" section" },
	{ "{\"version\": 1, \"sycalls\": {}}",
	  "1:16: unknown key \"sycalls\" in the policy (expected one of: version, description, "
	  "mode, log, syscalls, files, exec, network)" },
	{ "{\"version\": 1, \"version\": 1, \"syscalls\": {}}",
	  "1:16: key \"version\" appears twice in the policy" },
	{ "{\"version\": 1, \"mode\": \"learn\", \"syscalls\": {}}",
	  "1:24: unknown mode \"learn\"" },
	{ "{\"version\": 1, \"mode\": 1, \"syscalls\": {}}",
	  "1:24: \"mode\" must be \"enforce\" or \"audit\", not a number" },
	{ "{\"version\": 1, \"log\": {\"allowed\": \"yes\"}, \"syscalls\": {}}",
	  "1:35: \"allowed\" in \"log\" must be true or false, not a string" },
	{ "{\"version\": 1, \"log\": {\"all\": true}, \"syscalls\": {}}",
	  "1:24: unknown key \"all\" in \"log\"" },
	{ "{\"version\": 1, \"syscalls\": []}",
	  "1:28: \"syscalls\" must be an object, not an array" },
	{ "{\"version\": 1, \"syscalls\": {}}", "1:28: \"syscalls\" has no \"default\"" },
	{ "{\"version\": 1, \"syscalls\": {\"default\": \"allow\"}}",
	  "1:40: \"default\" must be an object" },
	{ "{\"version\": 1, \"syscalls\": {\"default\": {}}}",
	  "1:40: \"syscalls.default\" has no \"action\"" },
	{ "{\"version\": 1, \"syscalls\": {\"default\": {\"action\": \"permit\"}}}",
	  "1:51: unknown action \"permit\" (expected allow, trace, deny or kill)" },
	{ "{\"version\": 1, \"syscalls\": {\"default\": {\"action\": \"trace\"}}}",
	  "1:40: \"default\" cannot be \"trace\"" },
	{ "{\"version\": 1, \"syscalls\": {\"default\": {\"action\": \"deny\", \"errno\": "
	  "\"EWHAT\"}}}",
	  "1:68: unknown errno \"EWHAT\"" },
	{ "{\"version\": 1, \"syscalls\": {\"default\": {\"action\": \"deny\", \"errno\": 1}}}",
	  "1:68: \"errno\" must be a name such as \"EPERM\", not a number" },
	{ "{\"version\": 1, \"syscalls\": {\"default\": {\"action\": \"allow\", \"errno\": "
	  "\"EPERM\"}}}",
	  "1:60: \"errno\" only goes with \"action\": \"deny\"" },
	{ "{\"version\": 1, \"syscalls\": {\"default\": {\"action\": \"kill\", \"log\": false}}}",
	  "1:59: \"log\" only goes with \"action\": \"deny\"" },
	{ "{\"version\": 1, \"syscalls\": {\"default\": {\"action\": \"allow\", \"syscalls\": "
	  "[\"read\"]}}}",
	  "1:60: \"default\" applies to every syscall no rule names" },
	{ "{\"version\": 1, \"syscalls\": {\"default\": {\"action\": \"allow\"}, \"rules\": {}}}",
	  "1:70: \"rules\" must be an array, not an object" },
	{ "{\"version\": 1, \"syscalls\": {\"default\": {\"action\": \"allow\"}, \"rules\": [1]}}",
	  "1:71: each syscalls rule must be an object, not a number" },
	{ "{\"version\": 1, \"syscalls\": {\"default\": {\"action\": \"allow\"}, \"rules\": "
	  "[{\"action\": \"deny\"}]}}",
	  "1:71: syscalls rule 1 has no \"syscalls\" list" },
	{ "{\"version\": 1, \"syscalls\": {\"default\": {\"action\": \"allow\"}, \"rules\": "
	  "[{\"action\": \"deny\", \"syscalls\": []}]}}",
	  "1:102: \"syscalls\" must be a non-empty array of syscall names" },
	{ "{\"version\": 1, \"syscalls\": {\"default\": {\"action\": \"allow\"}, \"rules\": "
	  "[{\"action\": \"deny\", \"syscalls\": [\"opne\"]}]}}",
	  "1:103: unknown syscall \"opne\"" },
	{ "{\"version\": 1, \"syscalls\": {\"default\": {\"action\": \"allow\"}, \"rules\": "
	  "[{\"action\": \"deny\", \"syscalls\": [7]}]}}",
	  "1:103: a syscall name must be a string, not a number" },
	{ "{\"version\": 1, \"syscalls\": {\"default\": {\"action\": \"allow\"}, \"rules\": "
	  "[{\"action\": \"deny\", \"syscalls\": [\"read\"], \"colour\": 1}]}}",
	  "1:112: unknown key \"colour\" in syscalls rule 1" },
	{ "{\"version\": 1, \"syscalls\": {\"default\": {\"action\": \"allow\"}, \"rules\": [\n"
	  "  {\"id\": \"one\", \"action\": \"deny\", \"syscalls\": [\"read\"]},\n"
	  "  {\"action\": \"allow\", \"syscalls\": [\"write\", \"read\"]}]}}",
	  "3:45: syscall \"read\" is already governed by one (line 2); a syscall may appear in one "
	  "rule only" },
	{ "{\"version\": 1, \"description\": [], \"syscalls\": {}}",
	  "1:31: \"description\" in the policy must be a string, not an array" },
	{ "{\"version\": 1, \"syscalls\": {\"default\": {\"action\": \"allow\", \"id\": 5}}}",
	  "1:66: \"id\" in \"syscalls.default\" must be a string, not a number" },
	{ "{\"version\": 1,\n \"syscalls\": {\"default\": {\"action\": \"allow\"}},}",
	  "2:47: trailing comma before '}'" },
};

START_TEST(bad_policy_table)
{
	struct fg_policy p;
	struct fg_error err;
	const char *text = bad_policies[_i].text;
	ck_assert_msg(load(text, &p, &err) < 0, "case %d loaded", _i);
	char expected[512];
	snprintf(expected, sizeof(expected), "test.json:%s", bad_policies[_i].message);
	ck_assert_msg(strncmp(err.msg, expected, strlen(expected)) == 0,
		      "case %d:\n got      %s\n expected %s", _i, err.msg, expected);
	/* Nothing half-loaded survives. */
	ck_assert_ptr_null(p.rules);
	ck_assert_ptr_null(p.source);
	ck_assert_ptr_eq(fg_policy_syscall_rule(&p, SYS_read), &p.default_rule);
}
END_TEST

START_TEST(nul_byte_is_rejected)
{
	const char text[] = "{\"version\": 1,\0 \"syscalls\": {}}";
	struct fg_policy p;
	struct fg_error err;
	ck_assert_int_lt(fg_policy_load_text(text, sizeof(text) - 1, "test.json", &p, &err), 0);
	ck_assert_ptr_nonnull(strstr(err.msg, "test.json:1:15: NUL byte"));
}
END_TEST

START_TEST(missing_file_is_named)
{
	struct fg_policy p;
	struct fg_error err;
	ck_assert_int_lt(fg_policy_load_file("/nonexistent/p.json", &p, &err), 0);
	ck_assert_str_eq(err.msg,
			 "/nonexistent/p.json: cannot open the policy: No such file or directory");
}
END_TEST

START_TEST(embedded_default_policy_loads)
{
	struct fg_policy p;
	struct fg_error err;
	ck_assert_msg(fg_policy_load_default(&p, &err) == 0, "%s", err.msg);
	ck_assert_int_eq(p.default_rule.action, FG_ACTION_DENY);
	ck_assert_int_eq(fg_policy_syscall_rule(&p, SYS_read)->action, FG_ACTION_ALLOW);
	ck_assert_int_eq(fg_policy_syscall_rule(&p, SYS_openat)->action, FG_ACTION_TRACE);
	ck_assert_int_eq(fg_policy_syscall_rule(&p, SYS_execve)->action, FG_ACTION_TRACE);
	ck_assert_int_eq(fg_policy_syscall_rule(&p, SYS_connect)->action, FG_ACTION_TRACE);
	ck_assert_int_eq(fg_policy_syscall_rule(&p, SYS_ptrace)->action, FG_ACTION_DENY);
	ck_assert_int_eq(fg_policy_syscall_rule(&p, SYS_clone3)->deny_errno, ENOSYS);
	ck_assert(!fg_policy_syscall_rule(&p, SYS_clone3)->log);
	ck_assert_int_eq(fg_policy_syscall_rule(&p, SYS_kexec_load)->action, FG_ACTION_KILL);
	ck_assert_int_eq(fg_policy_syscall_rule(&p, SYS_io_uring_setup)->action, FG_ACTION_DENY);
	/* Every rule explains itself to an operator. */
	for (size_t i = 0; i < p.rule_count; i++)
		ck_assert_msg(p.rules[i].description != NULL, "rule %s", p.rules[i].id);
	fg_policy_free(&p);
}
END_TEST

/* --- the documentation's examples ---------------------------------------- */

/* Every JSON example in policy/README.md loads: whole policies as they are,
 * section examples ("files": {...}) inside a minimal policy. */
START_TEST(readme_examples_load)
{
	char path[1024];
	const char *root = getenv("SOURCE_ROOT");
	snprintf(path, sizeof(path), "%s/policy/README.md", root ? root : "..");
	FILE *f = fopen(path, "r");
	ck_assert_msg(f != NULL, "cannot open %s", path);
	static char block[65536];
	char line[4096];
	int blocks = 0;
	bool inside = false;
	size_t len = 0;
	while (fgets(line, sizeof(line), f) != NULL) {
		if (!inside && strncmp(line, "```json", 7) == 0) {
			inside = true;
			len = 0;
			continue;
		}
		if (inside && strncmp(line, "```", 3) == 0) {
			inside = false;
			block[len] = '\0';
			if (strstr(block, "\"time\"") != NULL)
				continue; /* an audit line, not a policy */
			static char text[70000];
			if (block[0] == '{')
				snprintf(text, sizeof(text), "%s", block);
			else
				snprintf(text, sizeof(text),
					 "{\"version\": 1, \"syscalls\": {\"default\": "
					 "{\"action\": \"allow\"}},\n%s}",
					 block);
			struct fg_policy p;
			struct fg_error err;
			ck_assert_msg(
			    fg_policy_load_text(text, strlen(text), "README.md", &p, &err) == 0,
			    "example %d: %s\n%s", blocks + 1, err.msg, text);
			fg_policy_free(&p);
			blocks++;
			continue;
		}
		if (inside && len + strlen(line) < sizeof(block) - 1) {
			memcpy(block + len, line, strlen(line));
			len += strlen(line);
		}
	}
	fclose(f);
	ck_assert_int_ge(blocks, 5);
}
END_TEST

/* The two shipped policies share one syscall layer: a change to one must be
 * made to the other. */
START_TEST(shipped_policies_share_the_syscall_layer)
{
	const char *root = getenv("SOURCE_ROOT");
	char a[1024], b[1024];
	snprintf(a, sizeof(a), "%s/policy/hapi-fhir.json", root ? root : "..");
	snprintf(b, sizeof(b), "%s/policy/syscalls-only.json", root ? root : "..");
	struct fg_policy pa, pb;
	struct fg_error err;
	ck_assert_msg(fg_policy_load_file(a, &pa, &err) == 0, "%s", err.msg);
	ck_assert_msg(fg_policy_load_file(b, &pb, &err) == 0, "%s", err.msg);
	for (long nr = 0; nr < FG_SYSCALL_COUNT; nr++) {
		const struct fg_syscall_rule *ra = fg_policy_syscall_rule(&pa, nr);
		const struct fg_syscall_rule *rb = fg_policy_syscall_rule(&pb, nr);
		ck_assert_msg(ra->action == rb->action && ra->deny_errno == rb->deny_errno &&
				  ra->log == rb->log && strcmp(ra->id, rb->id) == 0,
			      "syscall %ld differs", nr);
	}
	ck_assert(pa.sections.files_section.present);
	ck_assert(!pb.sections.files_section.present);
	fg_policy_free(&pa);
	fg_policy_free(&pb);
}
END_TEST

/* --- decisions -------------------------------------------------------- */

static struct fg_policy decision_policy;

static void load_decision_policy(void)
{
	const char *text =
	    "{\"version\": 1, \"syscalls\": {\"default\": {\"action\": \"deny\"},\n"
	    "  \"rules\": [{\"id\": \"t\", \"action\": \"trace\", \"syscalls\": [\"openat\"]},\n"
	    "             {\"id\": \"d\", \"action\": \"deny\", \"errno\": \"EACCES\", "
	    "\"syscalls\": [\"getpid\"]},\n"
	    "             {\"id\": \"k\", \"action\": \"kill\", \"syscalls\": [\"ptrace\"]}]}}";
	struct fg_error err;
	ck_assert_msg(load(text, &decision_policy, &err) == 0, "%s", err.msg);
}

static void free_decision_policy(void)
{
	fg_policy_free(&decision_policy);
}

static struct fg_syscall_event event(long nr, uint32_t data)
{
	return (struct fg_syscall_event){
		.tid = 10, .pid = 10, .arch = AUDIT_ARCH_X86_64, .nr = nr, .ret_data = data
	};
}

static const struct {
	long nr;
	uint32_t data;
	enum fg_mode mode;
	bool log_allowed;
	enum fg_action verdict, action;
	int deny_errno;
	const char *rule;
	bool log;
} decision_cases[] = {
	{ SYS_openat, 1, FG_MODE_ENFORCE, false, FG_ACTION_ALLOW, FG_ACTION_ALLOW, 0, "t", false },
	{ SYS_openat, 1, FG_MODE_ENFORCE, true, FG_ACTION_ALLOW, FG_ACTION_ALLOW, 0, "t", true },
	{ SYS_getpid, 2, FG_MODE_ENFORCE, false, FG_ACTION_DENY, FG_ACTION_DENY, EACCES, "d",
	  true },
	{ SYS_getpid, 2, FG_MODE_AUDIT, false, FG_ACTION_DENY, FG_ACTION_ALLOW, EACCES, "d", true },
	{ SYS_ptrace, 3, FG_MODE_ENFORCE, false, FG_ACTION_KILL, FG_ACTION_KILL, 0, "k", true },
	{ SYS_ptrace, 3, FG_MODE_AUDIT, false, FG_ACTION_KILL, FG_ACTION_ALLOW, 0, "k", true },
	{ SYS_mount, 0, FG_MODE_ENFORCE, false, FG_ACTION_DENY, FG_ACTION_DENY, EPERM,
	  "syscalls.default", true },
	/* Data that does not match the policy: the supervisor kills, even in audit mode. */
	{ SYS_getpid, 1, FG_MODE_ENFORCE, false, FG_ACTION_KILL, FG_ACTION_KILL, 0, "supervisor",
	  true },
	{ SYS_getpid, 9, FG_MODE_AUDIT, false, FG_ACTION_KILL, FG_ACTION_KILL, 0, "supervisor",
	  true },
	{ SYS_openat, 0, FG_MODE_ENFORCE, false, FG_ACTION_KILL, FG_ACTION_KILL, 0, "supervisor",
	  true },
	/* x32 numbers never reach a decision by the policy. */
	{ 0x40000000 | SYS_openat, 1, FG_MODE_AUDIT, false, FG_ACTION_KILL, FG_ACTION_KILL, 0,
	  "supervisor", true },
};

START_TEST(decision_table)
{
	struct fg_syscall_event ev = event(decision_cases[_i].nr, decision_cases[_i].data);
	struct fg_decision d;
	fg_decide(&decision_policy, decision_cases[_i].mode, decision_cases[_i].log_allowed, &ev,
		  &d);
	ck_assert_msg(d.verdict == decision_cases[_i].verdict, "case %d verdict %d", _i, d.verdict);
	ck_assert_msg(d.action == decision_cases[_i].action, "case %d action %d", _i, d.action);
	if (d.verdict == FG_ACTION_DENY)
		ck_assert_int_eq(d.deny_errno, decision_cases[_i].deny_errno);
	ck_assert_str_eq(d.rule, decision_cases[_i].rule);
	ck_assert_int_eq(d.log, decision_cases[_i].log);
}
END_TEST

START_TEST(foreign_arch_is_killed)
{
	struct fg_syscall_event ev = event(SYS_openat, 1);
	ev.arch = AUDIT_ARCH_I386;
	struct fg_decision d;
	fg_decide(&decision_policy, FG_MODE_ENFORCE, false, &ev, &d);
	ck_assert_int_eq(d.action, FG_ACTION_KILL);
	ck_assert_ptr_nonnull(d.reason);
}
END_TEST

static Suite *policy_suite(void)
{
	Suite *s = suite_create("policy");
	TCase *scan = tcase_create("json_scan");
	tcase_add_loop_test(scan, scan_table, 0, sizeof(scan_cases) / sizeof(scan_cases[0]));
	tcase_add_test(scan, scan_rejects_deep_nesting);
	suite_add_tcase(s, scan);
	TCase *loading = tcase_create("load");
	tcase_add_test(loading, minimal_policy_loads);
	tcase_add_test(loading, full_policy_loads);
	tcase_add_loop_test(loading, bad_policy_table, 0,
			    sizeof(bad_policies) / sizeof(bad_policies[0]));
	tcase_add_test(loading, nul_byte_is_rejected);
	tcase_add_test(loading, missing_file_is_named);
	tcase_add_test(loading, embedded_default_policy_loads);
	tcase_add_test(loading, readme_examples_load);
	tcase_add_test(loading, shipped_policies_share_the_syscall_layer);
	suite_add_tcase(s, loading);
	TCase *decide = tcase_create("decide");
	tcase_add_checked_fixture(decide, load_decision_policy, free_decision_policy);
	tcase_add_loop_test(decide, decision_table, 0,
			    sizeof(decision_cases) / sizeof(decision_cases[0]));
	tcase_add_test(decide, foreign_arch_is_killed);
	suite_add_tcase(s, decide);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(policy_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
