/* Unit tests for the files, exec and network sections: parsing (every error
 * names FILE:LINE:COLUMN and what was expected) and the decisions. */
#include <arpa/inet.h>
#include <check.h>
#include <cjson/cJSON.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "json_scan.h"
#include "netaddr.h"
#include "policy_json.h"
#include "rules.h"
#include "rules_parse.h"

#define N_ELEMENTS(a) (sizeof(a) / sizeof((a)[0]))

/* Scans and parses `text` as policy_load.c does, then runs the rules parser
 * on it. The scanner must accept the text: these tests are about rules. */
static int parse(const char *text, struct fg_rules *rules, struct fg_error *err)
{
	struct fg_loader ld = { .source = "test.json", .text = text, .err = err };
	size_t len = strlen(text);
	size_t offset = 0;
	char what[256] = "";
	ck_assert_msg(fg_json_scan(text, len, &ld.positions, &offset, what, sizeof(what)) == 0,
		      "scanner: %s at %zu", what, offset);
	cJSON *root = cJSON_ParseWithLength(text, len);
	ck_assert_ptr_nonnull(root);
	ld.root = root;
	int rc = fg_rules_parse(&ld, root, rules);
	cJSON_Delete(root);
	fg_json_positions_free(&ld.positions);
	return rc;
}

/* --- parsing -------------------------------------------------------------- */

/* One rule on line 2 of a section whose default allows. */
#define FILES_RULE(r) "{\"files\": {\"default\": {\"action\": \"allow\"}, \"rules\": [\n" r "\n]}}"
#define EXEC_RULE(r)  "{\"exec\": {\"default\": {\"action\": \"allow\"}, \"rules\": [\n" r "\n]}}"
#define NET_RULE(r)   "{\"network\": {\"default\": {\"action\": \"allow\"}, \"rules\": [\n" r "\n]}}"
#define ACCESS_WORDS  "read, write, create, delete, exec, metadata, stat or all"
#define FAMILY_WORDS                                                                               \
	"netlink, packet, raw, alg, vsock, can, bluetooth, key, xdp, tipc, rds, nfc, qipcrtr or "  \
	"mctp"
#define INET_ONLY                                                                                  \
	"only goes with the tcp and udp protocols; this rule also names unix-stream or "           \
	"unix-dgram"

static const struct {
	const char *text;
	const char *message; /* what follows "test.json:"; NULL: valid */
	size_t files, execs, nets;
} parse_cases[] = {
	/* Valid: the counts are of entries, one per path. */
	{ "{}", NULL, 0, 0, 0 },
	{ "{\"version\": 1, \"syscalls\": {}, \"mode\": 7}", NULL, 0, 0, 0 },
	{ "{\"files\": {\"default\": {\"action\": \"deny\"}}}", NULL, 0, 0, 0 },
	{ FILES_RULE("{\"paths\": [\"/a\", \"/b/**\"], \"access\": [\"read\"], \"action\": "
		     "\"allow\"}"),
	  NULL, 2, 0, 0 },
	{ FILES_RULE("{\"paths\": [\"/a\"], \"access\": [\"all\"], \"action\": \"kill\"},\n"
		     "{\"paths\": [\"/b\", \"/c\", \"/d/*\"], \"access\": [\"write\", \"create\"], "
		     "\"action\": \"deny\", \"errno\": \"EROFS\"}"),
	  NULL, 4, 0, 0 },
	{ FILES_RULE("{\"id\": \"x\", \"description\": \"why\", \"paths\": [\"/\"], \"access\": "
		     "[\"stat\"], \"action\": \"stop\"}"),
	  NULL, 1, 0, 0 },
	{ "{\"files\": {\"default\": {\"action\": \"allow\"}, \"rules\": []}}", NULL, 0, 0, 0 },
	{ EXEC_RULE("{\"paths\": [\"/usr/bin/java\"], \"args\": [\"-jar\", \"*\", \"**\"], "
		    "\"action\": \"allow\"}"),
	  NULL, 0, 1, 0 },
	{ EXEC_RULE("{\"paths\": [\"/bin/sh\", \"/bin/bash\"], \"action\": \"kill\"}"), NULL, 0, 2,
	  0 },
	{ EXEC_RULE("{\"paths\": [\"/bin/ls\"], \"args\": [], \"action\": \"allow\"}"), NULL, 0, 1,
	  0 },
	{ EXEC_RULE("{\"paths\": [\"/bin/x\"], \"args\": [\"[!-]*\", \"\\\\*\", \"a?[0-9]\"], "
		    "\"action\": \"allow\"}"),
	  NULL, 0, 1, 0 },
	{ NET_RULE("{\"operations\": [\"bind\"], \"protocols\": [\"tcp\"], \"addresses\": "
		   "[\"0.0.0.0/0\", \"::/0\"], \"ports\": \"8080\", \"action\": \"allow\"}"),
	  NULL, 0, 0, 1 },
	{ NET_RULE("{\"operations\": [\"connect\"], \"protocols\": [\"unix-dgram\"], \"unix\": "
		   "\"@/org/freedesktop/*\", \"action\": \"allow\"}"),
	  NULL, 0, 0, 1 },
	{ NET_RULE("{\"operations\": [\"connect\", \"send\"], \"protocols\": [\"tcp\", "
		   "\"unix-stream\"], \"action\": \"deny\", \"errno\": \"ECONNREFUSED\"}"),
	  NULL, 0, 0, 1 },
	{ NET_RULE("{\"operations\": [\"send\"], \"protocols\": [\"udp\"], \"addresses\": "
		   "[\"any\"], \"ports\": \"any\", \"action\": \"allow\"}"),
	  NULL, 0, 0, 1 },
	{ "{\"network\": {\"default\": {\"action\": \"deny\"}, \"families\": []}}", NULL, 0, 0, 0 },
	{ "{\"network\": {\"families\": [\"netlink\", \"raw\"], \"default\": {\"action\": "
	  "\"allow\"}, \"rules\": []}}",
	  NULL, 0, 0, 0 },
	{ "{\"files\": {\"default\": {\"action\": \"allow\"}},\n \"exec\": {\"default\": "
	  "{\"action\": \"allow\"}},\n \"network\": {\"default\": {\"action\": \"allow\"}}}",
	  NULL, 0, 0, 0 },

	/* The policy and the sections. */
	{ "[]", "1:1: a policy must be a JSON object, not an array" },
	{ "{\"files\": []}", "1:11: \"files\" must be an object, not an array" },
	{ "{\"exec\": \"none\"}", "1:10: \"exec\" must be an object, not a string" },
	{ "{\"files\": {}}",
	  "1:11: \"files\" has no \"default\" (what happens to file accesses no rule matches)" },
	{ "{\"exec\": {}}",
	  "1:10: \"exec\" has no \"default\" (what happens to programs no rule matches)" },
	{ "{\"network\": {}}",
	  "1:13: \"network\" has no \"default\" (what happens to network operations no rule "
	  "matches)" },
	{ "{\"files\": {\"default\": {\"action\": \"allow\"}, \"rulez\": []}}",
	  "1:44: unknown key \"rulez\" in \"files\" (expected one of: default, rules)" },
	{ "{\"network\": {\"default\": {\"action\": \"allow\"}, \"family\": []}}",
	  "1:46: unknown key \"family\" in \"network\" (expected one of: default, families, "
	  "rules)" },
	{ "{\"exec\": {\"default\": {\"action\": \"allow\"}, \"default\": {\"action\": \"deny\"}}}",
	  "1:43: key \"default\" appears twice in \"exec\"" },
	{ "{\"files\": {\"default\": \"deny\"}}",
	  "1:23: \"default\" must be an object such as {\"action\": \"deny\", \"errno\": "
	  "\"EACCES\"}, not a string" },
	{ "{\"files\": {\"default\": {}}}",
	  "1:23: \"files.default\" has no \"action\" (expected allow, deny, kill or stop)" },
	{ "{\"files\": {\"default\": {\"action\": \"permit\"}}}",
	  "1:34: unknown action \"permit\" (expected allow, deny, kill or stop)" },
	{ "{\"files\": {\"default\": {\"action\": 1}}}",
	  "1:34: \"action\" must be a string, not a number" },
	{ "{\"files\": {\"default\": {\"action\": \"allow\", \"errno\": \"EPERM\"}}}",
	  "1:43: \"errno\" only goes with \"action\": \"deny\"" },
	{ "{\"files\": {\"default\": {\"action\": \"deny\", \"errno\": \"EWHAT\"}}}",
	  "1:51: unknown errno \"EWHAT\" (expected a name such as EACCES, EPERM or EROFS)" },
	{ "{\"files\": {\"default\": {\"action\": \"deny\", \"errno\": 13}}}",
	  "1:51: \"errno\" must be a name such as \"EACCES\", not a number" },
	{ "{\"files\": {\"default\": {\"action\": \"deny\", \"paths\": [\"/\"]}}}",
	  "1:42: unknown key \"paths\" in \"files.default\" (expected one of: id, description, "
	  "action, errno)" },
	{ "{\"exec\": {\"default\": {\"action\": \"deny\", \"id\": 5}}}",
	  "1:47: \"id\" in \"exec.default\" must be a string, not a number" },
	{ "{\"files\": {\"default\": {\"action\": \"deny\"}, \"rules\": {}}}",
	  "1:52: \"rules\" must be an array, not an object" },
	{ FILES_RULE("1"), "2:1: each files rule must be an object, not a number" },
	{ NET_RULE("{}, \"x\""), "2:5: each network rule must be an object, not a string" },

	/* Files rules. */
	{ FILES_RULE("{\"access\": [\"read\"], \"action\": \"allow\"}"),
	  "2:1: files rule 1 has no \"paths\" list (absolute path patterns such as \"/etc/**\")" },
	{ FILES_RULE("{\"paths\": [], \"access\": [\"read\"], \"action\": \"allow\"}"),
	  "2:11: \"paths\" must be a non-empty array of path patterns" },
	{ FILES_RULE("{\"paths\": \"/a\", \"access\": [\"read\"], \"action\": \"allow\"}"),
	  "2:11: \"paths\" must be a non-empty array of path patterns" },
	{ FILES_RULE("{\"paths\": [\"/a\", 1], \"access\": [\"read\"], \"action\": \"allow\"}"),
	  "2:18: a path pattern must be a string, not a number" },
	{ FILES_RULE("{\"paths\": [\"etc/x\"], \"access\": [\"read\"], \"action\": \"allow\"}"),
	  "2:12: path pattern \"etc/x\": column 1: the pattern is not absolute: it must start "
	  "with '/'" },
	{ FILES_RULE("{\"paths\": [\"/a/**b\"], \"access\": [\"read\"], \"action\": \"allow\"}"),
	  "2:12: path pattern \"/a/**b\": column 4: '**' must be a whole component" },
	{ FILES_RULE("{\"paths\": [\"/a\", \"/a/[b\"], \"access\": [\"read\"], \"action\": "
		     "\"allow\"}"),
	  "2:18: path pattern \"/a/[b\": column 4: unterminated '['" },
	{ FILES_RULE("{\"paths\": [\"/a\"], \"action\": \"allow\"}"),
	  "2:1: files rule 1 has no \"access\" list (expected " ACCESS_WORDS ")" },
	{ FILES_RULE("{\"paths\": [\"/a\"], \"access\": [], \"action\": \"allow\"}"),
	  "2:29: \"access\" must be a non-empty array of access rights (" ACCESS_WORDS ")" },
	{ FILES_RULE("{\"paths\": [\"/a\"], \"access\": [\"read\", \"execute\"], \"action\": "
		     "\"allow\"}"),
	  "2:38: unknown access right \"execute\" (expected " ACCESS_WORDS ")" },
	{ FILES_RULE("{\"paths\": [\"/a\"], \"access\": [true], \"action\": \"allow\"}"),
	  "2:30: an access right must be a string, not a boolean" },
	{ FILES_RULE("{\"path\": [\"/a\"], \"access\": [\"read\"], \"action\": \"allow\"}"),
	  "2:2: unknown key \"path\" in files rule 1 (expected one of: id, description, paths, "
	  "access, action, errno)" },
	{ FILES_RULE("{\"paths\": [\"/a\"], \"paths\": [\"/b\"], \"access\": [\"read\"], "
		     "\"action\": \"allow\"}"),
	  "2:19: key \"paths\" appears twice in files rule 1" },
	{ FILES_RULE("{\"paths\": [\"/a\"], \"access\": [\"read\"]}"),
	  "2:1: files rule 1 has no \"action\" (expected allow, deny, kill or stop)" },
	{ FILES_RULE("{\"paths\": [\"/a\"], \"access\": [\"read\"], \"action\": \"trace\"}"),
	  "2:49: unknown action \"trace\" (expected allow, deny, kill or stop)" },
	{ FILES_RULE("{\"paths\": [\"/a\"], \"access\": [\"read\"], \"action\": \"kill\", "
		     "\"errno\": \"EPERM\"}"),
	  "2:57: \"errno\" only goes with \"action\": \"deny\"" },
	{ FILES_RULE("{\"paths\": [\"/a\"], \"access\": [\"read\"], \"action\": \"allow\", "
		     "\"description\": 1}"),
	  "2:73: \"description\" in files rule 1 must be a string, not a number" },
	{ FILES_RULE("{\"paths\": [\"/a\"], \"access\": [\"read\"], \"action\": \"allow\"},\n"
		     "{\"paths\": [\"/b\", \"/c//d\"], \"access\": [\"read\"], \"action\": "
		     "\"allow\"}"),
	  "3:18: path pattern \"/c//d\": column 4: empty component ('//')" },

	/* Exec rules. */
	{ EXEC_RULE("{\"args\": [], \"action\": \"allow\"}"),
	  "2:1: exec rule 1 has no \"paths\" list" },
	{ EXEC_RULE("{\"paths\": [\"/usr/bin/\"], \"action\": \"allow\"}"),
	  "2:12: path pattern \"/usr/bin/\": column 9: a pattern cannot end with '/'" },
	{ EXEC_RULE("{\"paths\": [\"/bin/x\"], \"args\": \"-v\", \"action\": \"allow\"}"),
	  "2:31: \"args\" must be an array of argument patterns, not a string" },
	{ EXEC_RULE("{\"paths\": [\"/bin/x\"], \"args\": [\"-v\", 1], \"action\": \"allow\"}"),
	  "2:38: an argument pattern must be a string, not a number" },
	{ EXEC_RULE("{\"paths\": [\"/bin/x\"], \"args\": [\"**\", \"-v\"], \"action\": \"allow\"}"),
	  "2:32: \"**\" matches all remaining arguments, so it must be the last argument "
	  "pattern" },
	{ EXEC_RULE("{\"paths\": [\"/bin/x\"], \"args\": [\"a**\"], \"action\": \"allow\"}"),
	  "2:32: argument pattern \"a**\": column 2: '**' stands alone, as the last pattern, "
	  "for any remaining arguments" },
	{ EXEC_RULE("{\"paths\": [\"/bin/x\"], \"args\": [\"-[z-a]\"], \"action\": \"allow\"}"),
	  "2:32: argument pattern \"-[z-a]\": column 3: a range in a character class ends below "
	  "its start" },
	{ EXEC_RULE("{\"paths\": [\"/bin/x\"], \"args\": [\"x\\\\\"], \"action\": \"allow\"}"),
	  "2:32: argument pattern \"x\\\": column 2: a '\\' at the end escapes nothing" },
	{ EXEC_RULE("{\"paths\": [\"/bin/x\"], \"args\": [\"[abc\"], \"action\": \"allow\"}"),
	  "2:32: argument pattern \"[abc\": column 1: unterminated '['" },
	{ EXEC_RULE("{\"paths\": [\"/bin/x\"], \"access\": [\"exec\"], \"action\": \"allow\"}"),
	  "2:23: unknown key \"access\" in exec rule 1 (expected one of: id, description, paths, "
	  "args, action, errno)" },
	{ EXEC_RULE("{\"paths\": [\"/bin/x\"], \"action\": \"allow\"},\n"
		    "{\"paths\": [\"/bin/y\"], \"args\": [\"**\", \"**\"], \"action\": \"allow\"}"),
	  "3:32: \"**\" matches all remaining arguments" },

	/* Network rules. */
	{ NET_RULE("{\"protocols\": [\"tcp\"], \"action\": \"allow\"}"),
	  "2:1: network rule 1 has no \"operations\" list (expected connect, bind or send)" },
	{ NET_RULE("{\"operations\": [\"listen\"], \"protocols\": [\"tcp\"], \"action\": "
		   "\"allow\"}"),
	  "2:17: unknown operation \"listen\" (expected connect, bind or send)" },
	{ NET_RULE("{\"operations\": [\"bind\"], \"action\": \"allow\"}"),
	  "2:1: network rule 1 has no \"protocols\" list (expected tcp, udp, unix-stream or "
	  "unix-dgram)" },
	{ NET_RULE("{\"operations\": [\"bind\"], \"protocols\": [\"sctp\"], \"action\": "
		   "\"allow\"}"),
	  "2:40: unknown protocol \"sctp\" (expected tcp, udp, unix-stream or unix-dgram)" },
	{ NET_RULE("{\"operations\": [\"bind\"], \"protocols\": [], \"action\": \"allow\"}"),
	  "2:39: \"protocols\" must be a non-empty array of protocols (tcp, udp, unix-stream or "
	  "unix-dgram)" },
	{ NET_RULE("{\"operations\": [\"bind\"], \"protocols\": [\"unix-stream\"], \"addresses\": "
		   "[\"any\"], \"action\": \"allow\"}"),
	  "2:56: \"addresses\" " INET_ONLY },
	{ NET_RULE("{\"operations\": [\"bind\"], \"protocols\": [\"tcp\", \"unix-dgram\"], "
		   "\"ports\": \"80\", \"action\": \"allow\"}"),
	  "2:62: \"ports\" " INET_ONLY },
	{ NET_RULE("{\"operations\": [\"bind\"], \"protocols\": [\"udp\", \"unix-dgram\"], "
		   "\"unix\": \"/run/x\", \"action\": \"allow\"}"),
	  "2:62: \"unix\" only goes with the unix-stream and unix-dgram protocols; this rule also "
	  "names tcp or udp" },
	{ NET_RULE("{\"operations\": [\"bind\"], \"protocols\": [\"tcp\"], \"addresses\": [], "
		   "\"action\": \"allow\"}"),
	  "2:61: \"addresses\" must be a non-empty array of addresses such as \"10.0.0.0/8\" "
	  "(leave it out for any address)" },
	{ NET_RULE("{\"operations\": [\"bind\"], \"protocols\": [\"tcp\"], \"addresses\": "
		   "[\"10.0.0.1/8\"], \"action\": \"allow\"}"),
	  "2:62: 10.0.0.1/8 has host bits set; did you mean 10.0.0.0/8?" },
	{ NET_RULE("{\"operations\": [\"bind\"], \"protocols\": [\"tcp\"], \"addresses\": "
		   "[\"::1\", 5], \"action\": \"allow\"}"),
	  "2:69: an address must be a string, not a number" },
	{ NET_RULE("{\"operations\": [\"bind\"], \"protocols\": [\"tcp\"], \"addresses\": "
		   "[\"fe80::1%eth0\"], \"action\": \"allow\"}"),
	  "2:62: \"fe80::1%eth0\": zone indexes (%...) are not supported in address rules" },
	{ NET_RULE("{\"operations\": [\"bind\"], \"protocols\": [\"tcp\"], \"ports\": 8080, "
		   "\"action\": \"allow\"}"),
	  "2:57: \"ports\" must be a string such as \"443\" or \"1000-2000\", not a number" },
	{ NET_RULE("{\"operations\": [\"bind\"], \"protocols\": [\"tcp\"], \"ports\": "
		   "\"2000-1000\", \"action\": \"allow\"}"),
	  "2:57: port range \"2000-1000\" is reversed: write 1000-2000" },
	{ NET_RULE("{\"operations\": [\"bind\"], \"protocols\": [\"tcp\"], \"ports\": \"080\", "
		   "\"action\": \"allow\"}"),
	  "2:57: \"080\" is not a port or port range" },
	{ NET_RULE("{\"operations\": [\"bind\"], \"protocols\": [\"unix-stream\"], \"unix\": 5, "
		   "\"action\": \"allow\"}"),
	  "2:64: \"unix\" must be a string: a path pattern such as \"/run/*.sock\" or an abstract "
	  "name such as \"@name\", not a number" },
	{ NET_RULE("{\"operations\": [\"bind\"], \"protocols\": [\"unix-stream\"], \"unix\": "
		   "\"run/x\", \"action\": \"allow\"}"),
	  "2:64: path pattern \"run/x\": column 1: the pattern is not absolute" },
	{ NET_RULE("{\"operations\": [\"bind\"], \"protocols\": [\"unix-stream\"], \"unix\": "
		   "\"@\", \"action\": \"allow\"}"),
	  "2:64: an abstract socket name pattern needs a name after '@', as in "
	  "\"@/org/freedesktop/*\"" },
	{ NET_RULE("{\"operations\": [\"bind\"], \"protocols\": [\"unix-stream\"], \"unix\": "
		   "\"@a//b\", \"action\": \"allow\"}"),
	  "2:64: path pattern \"/a//b\": column 4: empty component ('//')" },
	{ NET_RULE("{\"operations\": [\"bind\"], \"protocols\": [\"unix-stream\"], \"unix\": "
		   "\"@x[\", \"action\": \"allow\"}"),
	  "2:64: path pattern \"/x[\": column 3: unterminated '['" },
	{ NET_RULE("{\"operations\": [\"bind\"], \"protocols\": [\"tcp\"], \"port\": \"80\", "
		   "\"action\": \"allow\"}"),
	  "2:48: unknown key \"port\" in network rule 1 (expected one of: id, description, "
	  "operations, protocols, addresses, ports, unix, action, errno)" },
	{ "{\"network\": {\"default\": {\"action\": \"deny\"}, \"families\": \"netlink\"}}",
	  "1:57: \"families\" must be an array of socket families (" FAMILY_WORDS
	  "), not a string" },
	{ "{\"network\": {\"default\": {\"action\": \"deny\"}, \"families\": [\"inet\"]}}",
	  "1:58: \"inet\" needs no listing: inet, inet6 and unix sockets are always allowed" },
	{ "{\"network\": {\"default\": {\"action\": \"deny\"}, \"families\": [\"netlink\", "
	  "\"ipx\"]}}",
	  "1:69: unknown socket family \"ipx\" (expected " FAMILY_WORDS ")" },
	{ "{\"network\": {\"default\": {\"action\": \"deny\"}, \"families\": [1]}}",
	  "1:58: a socket family must be a string, not a number" },

	/* Errors after earlier sections were built: nothing may leak. */
	{ "{\"files\": {\"default\": {\"action\": \"allow\"}, \"rules\": [{\"paths\": [\"/a\", "
	  "\"/b\"], \"access\": [\"read\"], \"action\": \"allow\"}]},\n"
	  " \"exec\": {\"default\": {\"action\": \"allow\"}, \"rules\": [{\"paths\": [\"/x\"], "
	  "\"args\": [\"a\"], \"action\": \"allow\"}]},\n"
	  " \"network\": {\"default\": {\"action\": \"allow\"}, \"families\": [\"can\"], "
	  "\"rules\": [{\"operations\": [\"bind\"], \"protocols\": [\"tcp\"], \"addresses\": "
	  "[\"1.2.3.4\"], \"unix\": \"/x\", \"action\": \"allow\"}]}}",
	  "3:150: \"unix\" only goes with" },
	{ "{\"network\": {\"default\": {\"action\": \"allow\"}, \"rules\": [\n"
	  "{\"operations\": [\"bind\"], \"protocols\": [\"tcp\"], \"addresses\": [\"::1\"], "
	  "\"action\": \"allow\"},\n"
	  "{\"operations\": [\"bind\"], \"protocols\": [\"unix-stream\"], \"unix\": \"@x\", "
	  "\"action\": \"allow\"},\n"
	  "{\"operations\": [\"bind\"], \"protocols\": [\"tcp\"], \"addresses\": [\"1.2.3.4\", "
	  "\"1.2.3.4/33\"], \"action\": \"allow\"}]}}",
	  "4:73: \"1.2.3.4/33\": prefix length /33 is out of range for IPv4 (0 to 32)" },
};

START_TEST(parse_table)
{
	struct fg_rules rules;
	struct fg_error err = { "" };
	int rc = parse(parse_cases[_i].text, &rules, &err);
	if (parse_cases[_i].message == NULL) {
		ck_assert_msg(rc == 0, "case %d: %s", _i, err.msg);
		ck_assert_msg(rules.file_count == parse_cases[_i].files &&
				  rules.exec_count == parse_cases[_i].execs &&
				  rules.net_count == parse_cases[_i].nets,
			      "case %d: %zu files, %zu execs, %zu nets", _i, rules.file_count,
			      rules.exec_count, rules.net_count);
		fg_rules_free(&rules);
		return;
	}
	ck_assert_msg(rc < 0, "case %d parsed", _i);
	char expected[768];
	snprintf(expected, sizeof(expected), "test.json:%s", parse_cases[_i].message);
	ck_assert_msg(strncmp(err.msg, expected, strlen(expected)) == 0,
		      "case %d:\n got      %s\n expected %s", _i, err.msg, expected);
	/* Nothing half-parsed survives. */
	ck_assert_ptr_null(rules.files);
	ck_assert_ptr_null(rules.execs);
	ck_assert_ptr_null(rules.nets);
	ck_assert_ptr_null(rules.extra_families);
	ck_assert_ptr_null(rules.files_section.default_id);
	ck_assert(!rules.files_section.present && !rules.exec_section.present &&
		  !rules.network_section.present);
}
END_TEST

START_TEST(parsed_fields)
{
	const char *text =
	    "{\"files\": {\"default\": {\"action\": \"deny\"}, \"rules\": [\n"
	    " {\"id\": \"jvm\", \"description\": \"d\", \"paths\": [\"/a\", \"/b\"], \"access\": "
	    "[\"read\", \"stat\"], \"action\": \"allow\"},\n"
	    " {\"paths\": [\"/c\"], \"access\": [\"all\", \"read\"], \"action\": \"deny\", "
	    "\"errno\": \"EROFS\"}]},\n"
	    " \"exec\": {\"default\": {\"id\": \"no-exec\", \"action\": \"kill\"}, \"rules\": [\n"
	    " {\"paths\": [\"/x\", \"/y\"], \"args\": [\"-v\", \"**\"], \"action\": \"stop\"}]},\n"
	    " \"network\": {\"default\": {\"action\": \"deny\", \"errno\": \"EPERM\"}, "
	    "\"families\": [\"netlink\", \"raw\", \"netlink\", \"mctp\"], \"rules\": [\n"
	    " {\"operations\": [\"bind\", \"connect\"], \"protocols\": [\"udp\"], \"addresses\": "
	    "[\"10.0.0.0/8\", \"::1\"], \"ports\": \"1000-2000\", \"action\": \"allow\"},\n"
	    " {\"operations\": [\"send\"], \"protocols\": [\"unix-dgram\"], \"unix\": \"@n*\", "
	    "\"action\": \"allow\"},\n"
	    " {\"operations\": [\"send\"], \"protocols\": [\"unix-stream\"], \"unix\": \"/run/*\", "
	    "\"action\": \"allow\"}]}}";
	struct fg_rules r;
	struct fg_error err;
	ck_assert_msg(parse(text, &r, &err) == 0, "%s", err.msg);

	ck_assert(r.files_section.present);
	ck_assert_str_eq(r.files_section.default_id, "files.default");
	ck_assert_int_eq(r.files_section.default_outcome.verdict, FG_VERDICT_DENY);
	ck_assert_int_eq(r.files_section.default_outcome.deny_errno, EACCES);
	ck_assert_int_eq(r.file_count, 3);
	/* One entry per path, in order, sharing what the rule says. */
	ck_assert_str_eq(r.files[0].pattern, "/a");
	ck_assert_str_eq(r.files[1].pattern, "/b");
	ck_assert_ptr_ne(r.files[0].head.id, r.files[1].head.id);
	for (int i = 0; i < 2; i++) {
		ck_assert_str_eq(r.files[i].head.id, "jvm");
		ck_assert_str_eq(r.files[i].head.description, "d");
		ck_assert_int_eq(r.files[i].head.line, 2);
		ck_assert_int_eq(r.files[i].rights, FG_RIGHT_READ | FG_RIGHT_STAT);
		ck_assert_int_eq(r.files[i].head.outcome.verdict, FG_VERDICT_ALLOW);
	}
	ck_assert_str_eq(r.files[2].head.id, "files.rules[1]");
	ck_assert_ptr_null(r.files[2].head.description);
	ck_assert_int_eq(r.files[2].head.line, 3);
	ck_assert_int_eq(r.files[2].rights, 0x7f);
	ck_assert_int_eq(r.files[2].head.outcome.deny_errno, EROFS);

	ck_assert_str_eq(r.exec_section.default_id, "no-exec");
	ck_assert_int_eq(r.exec_section.default_outcome.verdict, FG_VERDICT_KILL);
	ck_assert_int_eq(r.exec_count, 2);
	ck_assert_str_eq(r.execs[1].pattern, "/y");
	ck_assert_str_eq(r.execs[1].head.id, "exec.rules[0]");
	ck_assert_int_eq(r.execs[1].head.line, 5);
	ck_assert_int_eq(r.execs[1].head.outcome.verdict, FG_VERDICT_STOP);
	ck_assert(r.execs[0].args_given && r.execs[1].args_given);
	ck_assert_int_eq(r.execs[1].arg_count, 2);
	ck_assert_ptr_ne(r.execs[0].args, r.execs[1].args);
	ck_assert_str_eq(r.execs[1].args[0], "-v");
	ck_assert_str_eq(r.execs[1].args[1], "**");

	ck_assert_str_eq(r.network_section.default_id, "network.default");
	ck_assert_int_eq(r.network_section.default_outcome.deny_errno, EPERM);
	ck_assert(r.raw_inet_allowed);
	ck_assert_int_eq(r.extra_family_count, 2);
	ck_assert_int_eq(r.extra_families[0], AF_NETLINK);
	ck_assert_int_eq(r.extra_families[1], AF_MCTP);
	ck_assert_int_eq(r.net_count, 3);
	const struct fg_net_rule *n = &r.nets[0];
	ck_assert_int_eq(n->operations, FG_NET_BIND | FG_NET_CONNECT);
	ck_assert_int_eq(n->protocols, FG_PROTO_UDP);
	ck_assert_int_eq(n->cidr_count, 2);
	ck_assert(n->cidrs[0].v4 && !n->cidrs[1].v4);
	ck_assert_int_eq(n->ports.low, 1000);
	ck_assert_int_eq(n->ports.high, 2000);
	ck_assert_ptr_null(n->unix_pattern);
	ck_assert_int_eq(n->head.line, 7);
	ck_assert_str_eq(n->head.id, "network.rules[0]");
	ck_assert_str_eq(r.nets[1].unix_pattern, "n*");
	ck_assert(r.nets[1].unix_abstract);
	ck_assert_int_eq(r.nets[1].ports.high, 65535);
	ck_assert_str_eq(r.nets[2].unix_pattern, "/run/*");
	ck_assert(!r.nets[2].unix_abstract);
	fg_rules_free(&r);
	ck_assert_ptr_null(r.files);
	ck_assert_int_eq(r.file_count, 0);
}
END_TEST

/* --- decisions -------------------------------------------------------------- */

/* Line numbers matter: the cases below name them. */
static const char eval_policy[] =
    "{\"files\": {\"default\": {\"action\": \"deny\", \"errno\": \"EACCES\"}, \"rules\": [\n"
    /* 2 */
    "{\"id\": \"shadow\", \"paths\": [\"/etc/shadow\", \"/root/**\"], \"access\": [\"all\"], "
    "\"action\": \"kill\"},\n"
    /* 3 */
    "{\"id\": \"jvm\", \"paths\": [\"/usr/lib/jvm/**\", \"/app/*.jar\"], \"access\": [\"read\", "
    "\"stat\", \"exec\"], \"action\": \"allow\"},\n"
    /* 4 */
    "{\"id\": \"etc-read\", \"paths\": [\"/etc/**\"], \"access\": [\"read\", \"stat\"], "
    "\"action\": \"allow\"},\n"
    /* 5 */
    "{\"id\": \"etc-write\", \"paths\": [\"/etc/**\"], \"access\": [\"write\", \"create\", "
    "\"delete\", \"metadata\"], \"action\": \"deny\", \"errno\": \"EROFS\"},\n"
    /* 6 */
    "{\"id\": \"data\", \"paths\": [\"/data/**\"], \"access\": [\"read\", \"write\", \"create\", "
    "\"delete\", \"stat\"], \"action\": \"allow\"},\n"
    /* 7 */
    "{\"id\": \"data-meta\", \"paths\": [\"/data/**\"], \"access\": [\"metadata\"], \"action\": "
    "\"kill\"},\n"
    /* 8 */
    "{\"id\": \"tmp\", \"paths\": [\"/tmp/*\"], \"access\": [\"all\"], \"action\": \"allow\"},\n"
    /* 9 */
    "{\"id\": \"proc\", \"paths\": [\"/proc/*/mem\", \"/proc/kcore\"], \"access\": [\"read\", "
    "\"write\"], \"action\": \"stop\"},\n"
    /* 10 */
    "{\"id\": \"class\", \"paths\": [\"/srv/log[0-9].txt\", \"/srv/\\\\*literal\"], \"access\": "
    "[\"write\"], \"action\": \"allow\"},\n"
    /* 11 */
    "{\"id\": \"anyq\", \"paths\": [\"/opt/?/bin\"], \"access\": [\"exec\"], \"action\": "
    "\"allow\"},\n"
    /* 12 */
    "{\"id\": \"null\", \"paths\": [\"/dev/null\"], \"access\": [\"read\", \"write\"], "
    "\"action\": \"allow\"}]},\n"
    /* 13 */
    "\"exec\": {\"default\": {\"action\": \"deny\", \"errno\": \"EACCES\"}, \"rules\": [\n"
    /* 14 */
    "{\"id\": \"java\", \"paths\": [\"/usr/bin/java\", \"/usr/lib/jvm/*/bin/java\"], \"args\": "
    "[\"-jar\", \"*\", \"**\"], \"action\": \"allow\"},\n"
    /* 15 */
    "{\"id\": \"sh-c\", \"paths\": [\"/bin/sh\"], \"args\": [\"-c\", \"echo *\"], \"action\": "
    "\"allow\"},\n"
    /* 16 */
    "{\"id\": \"sh\", \"paths\": [\"/bin/sh\", \"/bin/bash\"], \"action\": \"kill\"},\n"
    /* 17 */
    "{\"id\": \"ls\", \"paths\": [\"/usr/bin/ls\"], \"args\": [], \"action\": \"allow\"},\n"
    /* 18 */
    "{\"id\": \"ls-opts\", \"paths\": [\"/usr/bin/ls\"], \"args\": [\"-[la]\", \"/data/*\"], "
    "\"action\": \"allow\"},\n"
    /* 19 */
    "{\"id\": \"env\", \"paths\": [\"/usr/bin/env\"], \"args\": [\"**\"], \"action\": "
    "\"stop\"},\n"
    /* 20 */
    "{\"id\": \"cat\", \"paths\": [\"/usr/bin/cat\"], \"args\": [\"\\\\*\", \"?x\"], "
    "\"action\": \"allow\"},\n"
    /* 21 */
    "{\"id\": \"grep\", \"paths\": [\"/usr/bin/grep\"], \"args\": [\"[!-]*\", \"**\"], "
    "\"action\": \"deny\", \"errno\": \"EPERM\"}]},\n"
    /* 22 */
    "\"network\": {\"default\": {\"action\": \"deny\", \"errno\": \"EACCES\"}, \"families\": "
    "[\"netlink\", \"raw\"], \"rules\": [\n"
    /* 23 */
    "{\"id\": \"bind-8080\", \"operations\": [\"bind\"], \"protocols\": [\"tcp\"], "
    "\"addresses\": [\"0.0.0.0/0\", \"::/0\"], \"ports\": \"8080\", \"action\": \"allow\"},\n"
    /* 24 */
    "{\"id\": \"dns\", \"operations\": [\"connect\", \"send\"], \"protocols\": [\"udp\", "
    "\"tcp\"], \"addresses\": [\"127.0.0.53\"], \"ports\": \"53\", \"action\": \"allow\"},\n"
    /* 25 */
    "{\"id\": \"pg\", \"operations\": [\"connect\"], \"protocols\": [\"unix-stream\"], "
    "\"unix\": \"/run/postgresql/*.sock\", \"action\": \"allow\"},\n"
    /* 26 */
    "{\"id\": \"dbus\", \"operations\": [\"connect\"], \"protocols\": [\"unix-dgram\"], "
    "\"unix\": \"@/org/freedesktop/*\", \"action\": \"allow\"},\n"
    /* 27 */
    "{\"id\": \"jvm-abs\", \"operations\": [\"connect\", \"send\"], \"protocols\": "
    "[\"unix-stream\", \"unix-dgram\"], \"unix\": \"@jvm-*\", \"action\": \"allow\"},\n"
    /* 28 */
    "{\"id\": \"metadata\", \"operations\": [\"connect\"], \"protocols\": [\"tcp\"], "
    "\"addresses\": [\"169.254.169.254\"], \"action\": \"stop\"},\n"
    /* 29 */
    "{\"id\": \"lan\", \"operations\": [\"connect\"], \"protocols\": [\"tcp\"], \"addresses\": "
    "[\"10.0.0.0/8\", \"fd00::/8\"], \"ports\": \"5432-5440\", \"action\": \"allow\"},\n"
    /* 30 */
    "{\"id\": \"doc\", \"operations\": [\"connect\"], \"protocols\": [\"tcp\"], \"addresses\": "
    "[\"2001:db8::/32\"], \"action\": \"kill\"},\n"
    /* 31 */
    "{\"id\": \"ntp\", \"operations\": [\"connect\"], \"protocols\": [\"udp\"], \"addresses\": "
    "[\"::ffff:192.168.0.0/112\"], \"ports\": \"123\", \"action\": \"allow\"},\n"
    /* 32 */
    "{\"id\": \"dgram\", \"operations\": [\"send\"], \"protocols\": [\"unix-dgram\"], "
    "\"action\": \"allow\"},\n"
    /* 33 */
    "{\"id\": \"https\", \"operations\": [\"connect\"], \"protocols\": [\"tcp\"], \"ports\": "
    "\"443\", \"action\": \"allow\"},\n"
    /* 34 */
    "{\"id\": \"tmp-sock\", \"operations\": [\"bind\"], \"protocols\": [\"unix-stream\"], "
    "\"unix\": \"/tmp/**\", \"action\": \"deny\", \"errno\": \"EPERM\"}]}}\n";

static struct fg_rules eval_rules;

static void load_eval_policy(void)
{
	struct fg_error err;
	ck_assert_msg(parse(eval_policy, &eval_rules, &err) == 0, "%s", err.msg);
}

static void free_eval_policy(void)
{
	fg_rules_free(&eval_rules);
}

enum {
	R = FG_RIGHT_READ,
	W = FG_RIGHT_WRITE,
	C = FG_RIGHT_CREATE,
	D = FG_RIGHT_DELETE,
	X = FG_RIGHT_EXEC,
	M = FG_RIGHT_METADATA,
	S = FG_RIGHT_STAT,
	ALL = 0x7f,
};

enum {
	ALLOW = FG_VERDICT_ALLOW,
	DENY = FG_VERDICT_DENY,
	KILL = FG_VERDICT_KILL,
	STOP = FG_VERDICT_STOP,
};

struct expect {
	int verdict;	/* enum fg_verdict, or ALLOW, DENY, KILL, STOP for short */
	int deny_errno; /* checked for deny only */
	const char *rule;
	int line;
};

static void check_decision(int i, const struct fg_rule_decision *d, const struct expect *e)
{
	ck_assert_msg((int)d->outcome.verdict == e->verdict, "case %d: verdict %s, expected %s", i,
		      fg_verdict_name(d->outcome.verdict),
		      fg_verdict_name((enum fg_verdict)e->verdict));
	if (e->verdict == DENY)
		ck_assert_msg(d->outcome.deny_errno == e->deny_errno, "case %d: errno %d", i,
			      d->outcome.deny_errno);
	ck_assert_msg(strcmp(d->rule_id, e->rule) == 0, "case %d: rule %s, expected %s", i,
		      d->rule_id, e->rule);
	ck_assert_msg(d->line == e->line, "case %d: line %d, expected %d", i, d->line, e->line);
}

#define FILES_DEFAULT                                                                              \
	{                                                                                          \
		DENY, EACCES, "files.default", 0                                                   \
	}

static const struct {
	const char *path;
	unsigned rights;
	struct expect e;
} file_cases[] = {
	{ "/etc/shadow", R, { KILL, 0, "shadow", 2 } },
	{ "/root/.ssh/id_rsa", S, { KILL, 0, "shadow", 2 } },
	{ "/root", R, { KILL, 0, "shadow", 2 } },
	{ "/rootfs/x", R, FILES_DEFAULT },
	{ "/usr/lib/jvm/java-17/lib/modules", R, { ALLOW, 0, "jvm", 3 } },
	{ "/usr/lib/jvm/java-17/bin/java", X | S, { ALLOW, 0, "jvm", 3 } },
	{ "/usr/lib/jvm/x", W, FILES_DEFAULT },
	/* read is allowed, write falls to the default: the deny wins. */
	{ "/usr/lib/jvm/x", R | W, FILES_DEFAULT },
	{ "/app/server.jar", R, { ALLOW, 0, "jvm", 3 } },
	{ "/app/lib/x.jar", R, FILES_DEFAULT },
	{ "/etc/passwd", R, { ALLOW, 0, "etc-read", 4 } },
	{ "/etc/passwd", W, { DENY, EROFS, "etc-write", 5 } },
	{ "/etc/passwd", R | W, { DENY, EROFS, "etc-write", 5 } },
	{ "/etc/shadow", R | W, { KILL, 0, "shadow", 2 } },
	{ "/etc/passwd", M, { DENY, EROFS, "etc-write", 5 } },
	{ "/etc/passwd", X, FILES_DEFAULT },
	/* Two denials: the lowest right (write before exec) names the rule. */
	{ "/etc/passwd", W | X, { DENY, EROFS, "etc-write", 5 } },
	{ "/etc/passwd", X | M, FILES_DEFAULT },
	{ "/etc", D, { DENY, EROFS, "etc-write", 5 } },
	{ "/data/db/x", R | W | C, { ALLOW, 0, "data", 6 } },
	{ "/data/db/x", M, { KILL, 0, "data-meta", 7 } },
	/* read is allowed, metadata kills: the kill wins. */
	{ "/data/db/x", R | M, { KILL, 0, "data-meta", 7 } },
	{ "/data", D, { ALLOW, 0, "data", 6 } },
	{ "/database", R, FILES_DEFAULT },
	{ "/tmp/x", ALL, { ALLOW, 0, "tmp", 8 } },
	{ "/tmp/.hidden", R, { ALLOW, 0, "tmp", 8 } },
	{ "/tmp/x/y", R, FILES_DEFAULT },
	{ "/tmp", R, FILES_DEFAULT },
	{ "/proc/123/mem", R, { STOP, 0, "proc", 9 } },
	/* stop beats the default's deny on stat. */
	{ "/proc/123/mem", S | R, { STOP, 0, "proc", 9 } },
	{ "/proc/self/status", R, FILES_DEFAULT },
	{ "/proc/kcore", W, { STOP, 0, "proc", 9 } },
	/* allow (write), kill (metadata) and deny (exec, the default): kill. */
	{ "/data/x", W | M | X, { KILL, 0, "data-meta", 7 } },
	{ "/root/x", R | W, { KILL, 0, "shadow", 2 } },
	{ "/srv/log5.txt", W, { ALLOW, 0, "class", 10 } },
	{ "/srv/logx.txt", W, FILES_DEFAULT },
	{ "/srv/*literal", W, { ALLOW, 0, "class", 10 } },
	{ "/srv/xliteral", W, FILES_DEFAULT },
	{ "/opt/a/bin", X, { ALLOW, 0, "anyq", 11 } },
	{ "/opt/ab/bin", X, FILES_DEFAULT },
	{ "/dev/null", R | W, { ALLOW, 0, "null", 12 } },
	{ "/dev/null", R | W | C, FILES_DEFAULT },
	/* No right at all: the default, not a silent allow. */
	{ "/dev/null", 0, FILES_DEFAULT },
	{ "/dev/null", 1u << 9, FILES_DEFAULT },
};

START_TEST(file_table)
{
	struct fg_rule_decision d;
	fg_rules_check_file(&eval_rules, file_cases[_i].path, file_cases[_i].rights, &d);
	check_decision(_i, &d, &file_cases[_i].e);
}
END_TEST

#define EXEC_DEFAULT                                                                               \
	{                                                                                          \
		DENY, EACCES, "exec.default", 0                                                    \
	}
#define ARGV(...) ((const char *const[]){ __VA_ARGS__, NULL })

static const struct {
	const char *path;
	const char *const *argv;
	struct expect e;
} exec_cases[] = {
	{ "/usr/bin/java", ARGV("java", "-jar", "app.jar"), { ALLOW, 0, "java", 14 } },
	{ "/usr/bin/java",
	  ARGV("java", "-jar", "app.jar", "--port", "8080"),
	  { ALLOW, 0, "java", 14 } },
	{ "/usr/bin/java", ARGV("java", "-jar"), EXEC_DEFAULT },
	{ "/usr/bin/java", ARGV("java", "-cp", "x"), EXEC_DEFAULT },
	{ "/usr/lib/jvm/java-17/bin/java",
	  ARGV("java", "-jar", "/app/server.jar"),
	  { ALLOW, 0, "java", 14 } },
	{ "/usr/lib/jvm/a/b/bin/java", ARGV("java", "-jar", "x"), EXEC_DEFAULT },
	{ "/bin/sh", ARGV("sh", "-c", "echo hello world"), { ALLOW, 0, "sh-c", 15 } },
	{ "/bin/sh", ARGV("sh", "-c", "rm -rf /"), { KILL, 0, "sh", 16 } },
	{ "/bin/sh", ARGV("sh", "-c", "echo hi", "extra"), { KILL, 0, "sh", 16 } },
	{ "/bin/bash", ARGV("bash"), { KILL, 0, "sh", 16 } },
	/* argc == 0: no arguments, so sh-c cannot match. */
	{ "/bin/sh", ((const char *const[]){ NULL }), { KILL, 0, "sh", 16 } },
	{ "/usr/bin/ls", ARGV("ls"), { ALLOW, 0, "ls", 17 } },
	{ "/usr/bin/ls", ARGV("ls", "-l", "/data/x"), { ALLOW, 0, "ls-opts", 18 } },
	{ "/usr/bin/ls", ARGV("ls", "-x", "/data/x"), EXEC_DEFAULT },
	{ "/usr/bin/ls", ARGV("ls", "-l"), EXEC_DEFAULT },
	/* An argument's '*' also matches '/'. */
	{ "/usr/bin/ls", ARGV("ls", "-a", "/data/a/b"), { ALLOW, 0, "ls-opts", 18 } },
	{ "/usr/bin/env", NULL, { STOP, 0, "env", 19 } },
	{ "/usr/bin/env", ARGV("env", "a", "b", "c"), { STOP, 0, "env", 19 } },
	{ "/usr/bin/cat", ARGV("cat", "*", "ax"), { ALLOW, 0, "cat", 20 } },
	{ "/usr/bin/cat", ARGV("cat", "x", "ax"), EXEC_DEFAULT },
	{ "/usr/bin/cat", ARGV("cat", "*", "x"), EXEC_DEFAULT },
	{ "/usr/bin/grep", ARGV("grep", "foo", "file"), { DENY, EPERM, "grep", 21 } },
	{ "/usr/bin/grep", ARGV("grep", "-r", "foo"), EXEC_DEFAULT },
	{ "/usr/bin/grep", ARGV("grep"), EXEC_DEFAULT },
	{ "/usr/bin/grep", ARGV("grep", ""), EXEC_DEFAULT },
	{ "/usr/bin/python3", ARGV("python3"), EXEC_DEFAULT },
};

START_TEST(exec_table)
{
	struct fg_rule_decision d;
	/* execve's argv is char *const[]; the table's strings are constant. */
	char *argv[8] = { NULL };
	for (size_t i = 0; exec_cases[_i].argv != NULL && exec_cases[_i].argv[i] != NULL; i++)
		argv[i] = (char *)exec_cases[_i].argv[i];
	fg_rules_check_exec(&eval_rules, exec_cases[_i].path,
			    exec_cases[_i].argv != NULL ? argv : NULL, &d);
	check_decision(_i, &d, &exec_cases[_i].e);
}
END_TEST

/* An endpoint to build: AF_INET/AF_INET6 from text and port; AF_UNIX from a
 * path, "@name" (abstract) or NULL (unnamed); other families bare. */
struct ep_spec {
	int family;
	const char *addr;
	uint16_t port;
};

static void build_endpoint(const struct ep_spec *spec, struct fg_endpoint *ep)
{
	struct sockaddr_storage ss;
	size_t len;
	memset(&ss, 0, sizeof(ss));
	if (spec->family == AF_INET) {
		struct sockaddr_in in = { .sin_family = AF_INET, .sin_port = htons(spec->port) };
		ck_assert_int_eq(inet_pton(AF_INET, spec->addr, &in.sin_addr), 1);
		memcpy(&ss, &in, sizeof(in));
		len = sizeof(in);
	} else if (spec->family == AF_INET6) {
		struct sockaddr_in6 in6 = { .sin6_family = AF_INET6,
					    .sin6_port = htons(spec->port) };
		ck_assert_int_eq(inet_pton(AF_INET6, spec->addr, &in6.sin6_addr), 1);
		memcpy(&ss, &in6, sizeof(in6));
		len = sizeof(in6);
	} else if (spec->family == AF_UNIX) {
		struct sockaddr_un un = { .sun_family = AF_UNIX };
		size_t n = spec->addr != NULL ? strlen(spec->addr) : 0;
		memcpy(un.sun_path, spec->addr != NULL ? spec->addr : "", n);
		if (n > 0 && un.sun_path[0] == '@')
			un.sun_path[0] = '\0';
		memcpy(&ss, &un, sizeof(un));
		len = offsetof(struct sockaddr_un, sun_path) + n;
	} else {
		sa_family_t family = (sa_family_t)spec->family;
		memcpy(&ss, &family, sizeof(family));
		len = sizeof(struct sockaddr);
	}
	struct fg_error err;
	ck_assert_msg(fg_endpoint_decode(&ss, len, ep, &err) == 0, "%s", err.msg);
}

#define NET_DEFAULT                                                                                \
	{                                                                                          \
		DENY, EACCES, "network.default", 0                                                 \
	}
#define V4(a, p)                                                                                   \
	{                                                                                          \
		AF_INET, a, p                                                                      \
	}
#define V6(a, p)                                                                                   \
	{                                                                                          \
		AF_INET6, a, p                                                                     \
	}
#define UNIX(p)                                                                                    \
	{                                                                                          \
		AF_UNIX, p, 0                                                                      \
	}

enum {
	CONNECT = FG_NET_CONNECT,
	BIND = FG_NET_BIND,
	SEND = FG_NET_SEND,
	TCP = FG_PROTO_TCP,
	UDP = FG_PROTO_UDP,
	USTREAM = FG_PROTO_UNIX_STREAM,
	UDGRAM = FG_PROTO_UNIX_DGRAM,
};

static const struct {
	unsigned operation, protocol;
	struct ep_spec ep;
	struct expect e;
} net_cases[] = {
	{ BIND, TCP, V4("0.0.0.0", 8080), { ALLOW, 0, "bind-8080", 23 } },
	{ BIND, TCP, V6("::", 8080), { ALLOW, 0, "bind-8080", 23 } },
	{ BIND, TCP, V6("::ffff:0.0.0.0", 8080), { ALLOW, 0, "bind-8080", 23 } },
	{ BIND, TCP, V4("0.0.0.0", 8081), NET_DEFAULT },
	{ BIND, UDP, V4("0.0.0.0", 8080), NET_DEFAULT },
	{ CONNECT, TCP, V4("1.2.3.4", 8080), NET_DEFAULT },
	{ CONNECT, UDP, V4("127.0.0.53", 53), { ALLOW, 0, "dns", 24 } },
	{ SEND, UDP, V4("127.0.0.53", 53), { ALLOW, 0, "dns", 24 } },
	{ CONNECT, TCP, V6("::ffff:127.0.0.53", 53), { ALLOW, 0, "dns", 24 } },
	{ CONNECT, UDP, V4("127.0.0.1", 53), NET_DEFAULT },
	{ BIND, UDP, V4("127.0.0.53", 53), NET_DEFAULT },
	{ SEND, UDP, V4("127.0.0.53", 54), NET_DEFAULT },
	{ CONNECT, USTREAM, UNIX("/run/postgresql/db.sock"), { ALLOW, 0, "pg", 25 } },
	{ CONNECT, USTREAM, UNIX("/run/postgresql/sub/db.sock"), NET_DEFAULT },
	{ CONNECT, UDGRAM, UNIX("/run/postgresql/db.sock"), NET_DEFAULT },
	/* An abstract name never matches a path pattern. */
	{ CONNECT, USTREAM, UNIX("@/run/postgresql/db.sock"), NET_DEFAULT },
	{ CONNECT, UDGRAM, UNIX("@/org/freedesktop/systemd1"), { ALLOW, 0, "dbus", 26 } },
	{ CONNECT, UDGRAM, UNIX("@/org/freedesktop/a/b"), NET_DEFAULT },
	/* "@/x" and "@x" are different names. */
	{ CONNECT, UDGRAM, UNIX("@org/freedesktop/x"), NET_DEFAULT },
	{ CONNECT, UDGRAM, UNIX("/org/freedesktop/x"), NET_DEFAULT },
	{ CONNECT, USTREAM, UNIX("@jvm-1234"), { ALLOW, 0, "jvm-abs", 27 } },
	{ SEND, UDGRAM, UNIX("@jvm-x"), { ALLOW, 0, "jvm-abs", 27 } },
	{ CONNECT, USTREAM, UNIX("@/jvm-1"), NET_DEFAULT },
	{ CONNECT, USTREAM, UNIX("@jvm-a/b"), NET_DEFAULT },
	{ CONNECT, USTREAM, UNIX("/jvm-1"), NET_DEFAULT },
	{ CONNECT, TCP, V4("169.254.169.254", 80), { STOP, 0, "metadata", 28 } },
	{ CONNECT, TCP, V6("::ffff:169.254.169.254", 80), { STOP, 0, "metadata", 28 } },
	{ CONNECT, UDP, V4("169.254.169.254", 80), NET_DEFAULT },
	{ CONNECT, TCP, V4("10.1.2.3", 5432), { ALLOW, 0, "lan", 29 } },
	{ CONNECT, TCP, V4("10.1.2.3", 5441), NET_DEFAULT },
	{ CONNECT, TCP, V4("11.0.0.1", 5432), NET_DEFAULT },
	{ CONNECT, TCP, V6("fd12::1", 5440), { ALLOW, 0, "lan", 29 } },
	{ CONNECT, TCP, V6("::ffff:10.0.0.1", 5433), { ALLOW, 0, "lan", 29 } },
	{ CONNECT, TCP, V6("fe80::1", 5433), NET_DEFAULT },
	{ CONNECT, TCP, V6("2001:db8::1", 22), { KILL, 0, "doc", 30 } },
	{ CONNECT, TCP, V6("2001:db9::1", 22), NET_DEFAULT },
	/* First match wins: "doc" comes before "https". */
	{ CONNECT, TCP, V6("2001:db8::5", 443), { KILL, 0, "doc", 30 } },
	{ CONNECT, UDP, V4("192.168.1.1", 123), { ALLOW, 0, "ntp", 31 } },
	{ CONNECT, UDP, V6("::ffff:192.168.1.1", 123), { ALLOW, 0, "ntp", 31 } },
	{ CONNECT, UDP, V4("192.169.0.1", 123), NET_DEFAULT },
	{ SEND, UDGRAM, UNIX(NULL), { ALLOW, 0, "dgram", 32 } },
	{ SEND, UDGRAM, UNIX("/dev/log"), { ALLOW, 0, "dgram", 32 } },
	{ SEND, UDGRAM, UNIX("@anything"), { ALLOW, 0, "dgram", 32 } },
	/* An unnamed endpoint matches only rules without "unix". */
	{ CONNECT, USTREAM, UNIX(NULL), NET_DEFAULT },
	{ CONNECT, TCP, V4("8.8.8.8", 443), { ALLOW, 0, "https", 33 } },
	{ CONNECT, TCP, V6("2606:4700::1111", 443), { ALLOW, 0, "https", 33 } },
	{ CONNECT, TCP, V4("8.8.8.8", 80), NET_DEFAULT },
	{ BIND, USTREAM, UNIX("/tmp/x/y.sock"), { DENY, EPERM, "tmp-sock", 34 } },
	{ BIND, USTREAM, UNIX("/tmp"), { DENY, EPERM, "tmp-sock", 34 } },
	{ BIND, USTREAM, UNIX("@tmp-x"), NET_DEFAULT },
	/* An endpoint of the wrong family matches no rule of the protocol. */
	{ CONNECT, TCP, UNIX("/run/x"), NET_DEFAULT },
	{ CONNECT, TCP, { AF_PACKET, NULL, 0 }, NET_DEFAULT },
	{ SEND, UDGRAM, V4("1.2.3.4", 443), NET_DEFAULT },
};

START_TEST(net_table)
{
	struct fg_endpoint ep;
	struct fg_rule_decision d;
	build_endpoint(&net_cases[_i].ep, &ep);
	fg_rules_check_net(&eval_rules, net_cases[_i].operation, net_cases[_i].protocol, &ep, &d);
	check_decision(_i, &d, &net_cases[_i].e);
}
END_TEST

START_TEST(abstract_name_with_nul_matches_no_pattern)
{
	/* "jvm-1\0x" would read as "jvm-1" if cut at the NUL. */
	struct fg_endpoint ep = { .family = FG_EP_UNIX, .raw_family = AF_UNIX };
	ep.unix_abstract = true;
	memcpy(ep.unix_path, "jvm-1\0x", 7);
	ep.unix_path_len = 7;
	struct fg_rule_decision d;
	fg_rules_check_net(&eval_rules, FG_NET_CONNECT, FG_PROTO_UNIX_STREAM, &ep, &d);
	ck_assert_str_eq(d.rule_id, "network.default");
	/* A rule without "unix" still applies. */
	fg_rules_check_net(&eval_rules, FG_NET_SEND, FG_PROTO_UNIX_DGRAM, &ep, &d);
	ck_assert_str_eq(d.rule_id, "dgram");
}
END_TEST

static const struct {
	int domain, type;
	bool allowed;
} socket_cases[] = {
	{ AF_INET, SOCK_STREAM, true },
	{ AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, true },
	{ AF_INET, SOCK_RAW, true }, /* "raw" is listed */
	{ AF_INET6, SOCK_RAW | SOCK_CLOEXEC, true },
	{ AF_INET, SOCK_SEQPACKET, false },
	{ AF_UNIX, SOCK_SEQPACKET, true },
	{ AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, true },
	{ AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, true },
	{ AF_PACKET, SOCK_RAW, false },
	{ AF_ALG, SOCK_SEQPACKET, false },
	{ AF_VSOCK, SOCK_STREAM, false },
	{ AF_BLUETOOTH, SOCK_STREAM, false },
};

START_TEST(socket_table)
{
	ck_assert_msg(fg_rules_socket_allowed(&eval_rules, socket_cases[_i].domain,
					      socket_cases[_i].type) == socket_cases[_i].allowed,
		      "case %d", _i);
}
END_TEST

START_TEST(socket_without_families)
{
	struct fg_rules r;
	struct fg_error err;
	ck_assert_int_eq(parse("{\"network\": {\"default\": {\"action\": \"allow\"}}}", &r, &err),
			 0);
	ck_assert(fg_rules_socket_allowed(&r, AF_INET, SOCK_STREAM));
	ck_assert(!fg_rules_socket_allowed(&r, AF_INET, SOCK_RAW));
	ck_assert(!fg_rules_socket_allowed(&r, AF_NETLINK, SOCK_RAW));
	ck_assert(fg_rules_socket_allowed(&r, AF_UNIX, SOCK_STREAM));
	fg_rules_free(&r);
}
END_TEST

/* Policies without a section allow everything of its kind. */
START_TEST(absent_sections_allow)
{
	struct fg_rules r;
	struct fg_error err;
	struct fg_rule_decision d;
	struct fg_endpoint ep;
	ck_assert_int_eq(parse("{}", &r, &err), 0);
	fg_rules_check_file(&r, "/etc/shadow", ALL, &d);
	check_decision(0, &d, &(struct expect){ ALLOW, 0, "(no files section)", 0 });
	char *argv[] = { "sh", NULL };
	fg_rules_check_exec(&r, "/bin/sh", argv, &d);
	check_decision(1, &d, &(struct expect){ ALLOW, 0, "(no exec section)", 0 });
	build_endpoint(&(struct ep_spec)V4("1.2.3.4", 1), &ep);
	fg_rules_check_net(&r, FG_NET_CONNECT, FG_PROTO_TCP, &ep, &d);
	check_decision(2, &d, &(struct expect){ ALLOW, 0, "(no network section)", 0 });
	ck_assert(fg_rules_socket_allowed(&r, AF_PACKET, SOCK_RAW));
	ck_assert(fg_rules_socket_allowed(&r, AF_INET, SOCK_RAW));
	fg_rules_free(&r);
}
END_TEST

START_TEST(empty_sections_use_defaults)
{
	struct fg_rules r;
	struct fg_error err;
	struct fg_rule_decision d;
	ck_assert_int_eq(parse("{\"files\": {\"default\": {\"action\": \"stop\", \"id\": "
			       "\"fence\"}},\n \"exec\": {\"default\": {\"action\": \"allow\"}}}",
			       &r, &err),
			 0);
	fg_rules_check_file(&r, "/x", R, &d);
	check_decision(0, &d, &(struct expect){ STOP, 0, "fence", 0 });
	fg_rules_check_exec(&r, "/x", NULL, &d);
	check_decision(1, &d, &(struct expect){ ALLOW, 0, "exec.default", 0 });
	fg_rules_free(&r);
}
END_TEST

/* --- argument patterns ------------------------------------------------------ */

static const struct {
	const char *pattern, *arg;
	bool match;
} arg_cases[] = {
	{ "*", "", true },
	{ "*", "/a/b", true },
	{ "?", "", false },
	{ "?", "/", true },
	{ "a*b", "a/x/b", true },
	{ "a*b", "a/x/bc", false },
	{ "[!-]*", "-x", false },
	{ "[!-]*", "x-", true },
	{ "[/]", "/", true },
	{ "\\*", "*", true },
	{ "\\*", "x", false },
	{ "*.jar", "app.jar", true },
	{ "*.jar", "app.jar.bak", false },
	{ "--port=[0-9]*", "--port=8080", true },
	{ "--port=[0-9]*", "--port=x", false },
	{ "", "", true },
	{ "", "a", false },
	{ "[]]", "]", true },
	{ "[^a]", "b", true },
	{ "[^a]", "a", false },
	{ "[a\\]]x", "]x", true },
	{ "*a*b", "xaxxbxb", true },
	{ "a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false },
	{ "caf\xc3\xa9", "caf\xc3\xa9", true },
	{ "caf?", "caf\xc3\xa9", false },
	{ "caf??", "caf\xc3\xa9", true },
	{ "CASE", "case", false },
};

START_TEST(arg_table)
{
	ck_assert_msg(fg_arg_match(arg_cases[_i].pattern, arg_cases[_i].arg) == arg_cases[_i].match,
		      "case %d: \"%s\" vs \"%s\"", _i, arg_cases[_i].pattern, arg_cases[_i].arg);
}
END_TEST

START_TEST(arg_match_is_not_exponential)
{
	/* 128 KiB, an argument's limit: a backtracking matcher would not end. */
	enum { LEN = 128 * 1024 };
	char *arg = malloc(LEN + 1);
	ck_assert_ptr_nonnull(arg);
	memset(arg, 'a', LEN);
	arg[LEN] = '\0';
	ck_assert(!fg_arg_match("*a*a*a*a*a*a*a*a*b", arg));
	ck_assert(fg_arg_match("*a*a*a*a*a*a*a*a*", arg));
	free(arg);
}
END_TEST

START_TEST(names)
{
	ck_assert_str_eq(fg_right_name(FG_RIGHT_READ), "read");
	ck_assert_str_eq(fg_right_name(FG_RIGHT_METADATA), "metadata");
	ck_assert_str_eq(fg_right_name(FG_RIGHT_STAT), "stat");
	ck_assert_str_eq(fg_right_name((enum fg_right)3), "unknown");
	ck_assert_str_eq(fg_verdict_name(FG_VERDICT_ALLOW), "allow");
	ck_assert_str_eq(fg_verdict_name(FG_VERDICT_STOP), "stop");
	ck_assert_str_eq(fg_verdict_name((enum fg_verdict)9), "unknown");
}
END_TEST

static Suite *rules_suite(void)
{
	Suite *s = suite_create("rules");
	TCase *parsing = tcase_create("parse");
	tcase_add_loop_test(parsing, parse_table, 0, N_ELEMENTS(parse_cases));
	tcase_add_test(parsing, parsed_fields);
	suite_add_tcase(s, parsing);
	TCase *eval = tcase_create("eval");
	tcase_add_checked_fixture(eval, load_eval_policy, free_eval_policy);
	tcase_add_loop_test(eval, file_table, 0, N_ELEMENTS(file_cases));
	tcase_add_loop_test(eval, exec_table, 0, N_ELEMENTS(exec_cases));
	tcase_add_loop_test(eval, net_table, 0, N_ELEMENTS(net_cases));
	tcase_add_test(eval, abstract_name_with_nul_matches_no_pattern);
	tcase_add_loop_test(eval, socket_table, 0, N_ELEMENTS(socket_cases));
	tcase_add_test(eval, socket_without_families);
	tcase_add_test(eval, absent_sections_allow);
	tcase_add_test(eval, empty_sections_use_defaults);
	suite_add_tcase(s, eval);
	TCase *args = tcase_create("args");
	tcase_add_loop_test(args, arg_table, 0, N_ELEMENTS(arg_cases));
	tcase_add_test(args, arg_match_is_not_exponential);
	tcase_add_test(args, names);
	suite_add_tcase(s, args);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(rules_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
