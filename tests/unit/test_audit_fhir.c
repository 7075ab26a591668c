/* Unit tests: audit lines as FHIR R4 AuditEvent resources (lib/audit_fhir.c).
 *
 * Each test renders a made-up decision, parses it with cJSON and checks the
 * codes. Every rendered resource also goes through check_r4_shape(): only
 * R4 element names, no empty strings, arrays, objects or nulls, valid ids,
 * codes from the required value sets.
 *
 * With AUDITEVENT_SAMPLE=FILE set, the "sample" test writes a few dozen
 * resources to FILE (NDJSON) for tests/fhir-server/auditevent_check.py.
 */
#include <check.h>
#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "audit.h"
#include "audit_fhir.h"
#include "inspect.h"
#include "json_buf.h"
#include "rules.h"

#define DCM		"http://dicom.nema.org/resources/ontology/DCM"
#define CATEGORY_SYSTEM "https://fhirguard.invalid/CodeSystem/syscall-category"
#define SYSCALL_SYSTEM	"https://fhirguard.invalid/CodeSystem/syscall"

/* --- A made-up decision ---------------------------------------------------- */

struct fixture {
	struct fg_auditevent_origin origin;
	struct fg_auditevent_line line;
	struct fg_syscall_event event;
	struct fg_inspection inspection;
	struct fg_audit_decision decision;
	struct fg_auditevent_task task;
};

static void fixture_init(struct fixture *f, long nr, const char *syscall)
{
	memset(f, 0, sizeof(*f));
	fg_auditevent_origin_set(&f->origin, "fhir-0", 1, 0x5f0123456789ull);
	f->line = (struct fg_auditevent_line){ .origin = &f->origin,
					       .recorded = "2026-11-26T23:40:14.281918Z",
					       .seq = 7 };
	f->event =
	    (struct fg_syscall_event){ .tid = 6029, .pid = 6028, .arch = 0xc000003e, .nr = nr };
	f->decision = (struct fg_audit_decision){ .event = &f->event,
						  .mode = FG_MODE_ENFORCE,
						  .verdict = FG_ACTION_ALLOW,
						  .action = FG_ACTION_ALLOW,
						  .rule = "data" };
	f->task = (struct fg_auditevent_task){ .comm = "java",
					       .exe = "/usr/lib/jvm/bin/java",
					       .syscall = syscall,
					       .arch = "x86_64",
					       .args = "{\"path\":\"/data/x\"}" };
}

/* Adds a file inspection of `path` asking for `rights`. */
static void inspect_file(struct fixture *f, const char *path, unsigned rights)
{
	f->inspection.inspected = true;
	f->inspection.kind = "file";
	snprintf(f->inspection.object, sizeof(f->inspection.object), "%s", path);
	f->inspection.rights = rights;
	f->decision.inspection = &f->inspection;
}

static void set_verdict(struct fixture *f, enum fg_action verdict, int deny_errno, const char *rule)
{
	f->decision.verdict = verdict;
	f->decision.action = verdict;
	f->decision.deny_errno = deny_errno;
	f->decision.rule = rule;
}

/* --- The R4 shape ------------------------------------------------------------ */

/* Element names R4 defines, per element (only those fhirguard could use
 * are needed, but all are listed so the check is about R4, not about us). */
static const char *const top_keys[] = { "resourceType",
					"id",
					"meta",
					"implicitRules",
					"language",
					"text",
					"contained",
					"extension",
					"modifierExtension",
					"type",
					"subtype",
					"action",
					"period",
					"recorded",
					"outcome",
					"outcomeDesc",
					"purposeOfEvent",
					"agent",
					"source",
					"entity",
					NULL };
static const char *const agent_keys[] = { "type",  "role",	"who",		"altId",
					  "name",  "requestor", "location",	"policy",
					  "media", "network",	"purposeOfUse", NULL };
static const char *const network_keys[] = { "address", "type", NULL };
static const char *const source_keys[] = { "site", "observer", "type", NULL };
static const char *const entity_keys[] = { "what",	    "type", "role",	   "lifecycle",
					   "securityLabel", "name", "description", "query",
					   "detail",	    NULL };
static const char *const detail_keys[] = { "type", "valueString", "valueBase64Binary", NULL };
static const char *const coding_keys[] = { "system",  "version",      "code",
					   "display", "userSelected", NULL };
static const char *const concept_keys[] = { "coding", "text", NULL };
static const char *const reference_keys[] = { "reference", "type", "identifier", "display", NULL };

static bool listed(const char *key, const char *const *keys)
{
	for (; *keys != NULL; keys++) {
		if (strcmp(key, *keys) == 0)
			return true;
	}
	return false;
}

static void check_keys(const cJSON *obj, const char *const *keys, const char *where)
{
	ck_assert_msg(cJSON_IsObject(obj), "%s is not an object", where);
	const cJSON *m;
	cJSON_ArrayForEach(m, obj)
	{
		ck_assert_msg(listed(m->string, keys), "%s has no element %s in R4", where,
			      m->string);
	}
}

/* No null, no empty string, array or object anywhere (FHIR JSON rules). */
static void check_no_empty(const cJSON *v, const char *where)
{
	ck_assert_msg(!cJSON_IsNull(v), "null in %s", where);
	if (cJSON_IsString(v)) {
		ck_assert_msg(v->valuestring[0] != '\0', "empty string in %s", where);
		for (const unsigned char *p = (const unsigned char *)v->valuestring; *p; p++)
			ck_assert_msg(*p >= 0x20 || *p == '\t' || *p == '\n' || *p == '\r',
				      "control character in %s", where);
	}
	if (cJSON_IsArray(v) || cJSON_IsObject(v)) {
		ck_assert_msg(v->child != NULL, "empty array or object in %s", where);
		const cJSON *c;
		cJSON_ArrayForEach(c, v)
		{
			check_no_empty(c, c->string != NULL ? c->string : where);
		}
	}
}

static void check_coding(const cJSON *c, const char *where)
{
	check_keys(c, coding_keys, where);
	ck_assert_msg(cJSON_IsString(cJSON_GetObjectItem(c, "system")), "%s: no system", where);
	ck_assert_msg(cJSON_IsString(cJSON_GetObjectItem(c, "code")), "%s: no code", where);
}

static void check_reference(const cJSON *r, const char *where)
{
	if (r == NULL)
		return;
	check_keys(r, reference_keys, where);
}

static bool one_of(const char *s, const char *const *set)
{
	return s != NULL && listed(s, set);
}

static void check_id(const char *id)
{
	size_t len = strlen(id);
	ck_assert_msg(len >= 1 && len <= 64, "id %s has %zu characters", id, len);
	ck_assert_msg(
	    strspn(id, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-.") == len,
	    "id %s has a character outside [A-Za-z0-9.-]", id);
}

static void check_agent(const cJSON *agent)
{
	static const char *const network_types[] = { "1", "2", "3", "4", "5", NULL };
	check_keys(agent, agent_keys, "agent");
	ck_assert(cJSON_IsBool(cJSON_GetObjectItem(agent, "requestor")));
	const cJSON *type = cJSON_GetObjectItem(agent, "type");
	if (type != NULL) {
		check_keys(type, concept_keys, "agent.type");
		const cJSON *c;
		cJSON_ArrayForEach(c, cJSON_GetObjectItem(type, "coding"))
		{
			check_coding(c, "agent.type.coding");
		}
	}
	check_reference(cJSON_GetObjectItem(agent, "who"), "agent.who");
	const cJSON *network = cJSON_GetObjectItem(agent, "network");
	if (network != NULL) {
		check_keys(network, network_keys, "agent.network");
		ck_assert(one_of(cJSON_GetStringValue(cJSON_GetObjectItem(network, "type")),
				 network_types));
	}
}

static void check_entity(const cJSON *entity)
{
	check_keys(entity, entity_keys, "entity");
	check_reference(cJSON_GetObjectItem(entity, "what"), "entity.what");
	const cJSON *type = cJSON_GetObjectItem(entity, "type");
	if (type != NULL)
		check_coding(type, "entity.type");
	const cJSON *d;
	cJSON_ArrayForEach(d, cJSON_GetObjectItem(entity, "detail"))
	{
		check_keys(d, detail_keys, "entity.detail");
		ck_assert(cJSON_IsString(cJSON_GetObjectItem(d, "type")));
		ck_assert(cJSON_IsString(cJSON_GetObjectItem(d, "valueString")));
	}
}

/* R4 instant: YYYY-MM-DDThh:mm:ss(.s+)?(Z|+hh:mm|-hh:mm). */
static void check_instant(const char *s)
{
	ck_assert_msg(s != NULL && strlen(s) >= 20, "recorded %s", s ? s : "(missing)");
	ck_assert(s[4] == '-' && s[7] == '-' && s[10] == 'T' && s[13] == ':' && s[16] == ':');
	char last = s[strlen(s) - 1];
	ck_assert_msg(last == 'Z' || strchr(s + 19, '+') || strchr(s + 19, '-'),
		      "recorded %s has no time zone", s);
}

static void check_r4_shape(const cJSON *ev)
{
	static const char *const actions[] = { "C", "R", "U", "D", "E", NULL };
	static const char *const outcomes[] = { "0", "4", "8", "12", NULL };
	check_no_empty(ev, "AuditEvent");
	check_keys(ev, top_keys, "AuditEvent");
	ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(ev, "resourceType")),
			 "AuditEvent");
	check_id(cJSON_GetStringValue(cJSON_GetObjectItem(ev, "id")));
	check_coding(cJSON_GetObjectItem(ev, "type"), "type");
	const cJSON *c;
	cJSON_ArrayForEach(c, cJSON_GetObjectItem(ev, "subtype"))
	{
		check_coding(c, "subtype");
	}
	const cJSON *action = cJSON_GetObjectItem(ev, "action");
	ck_assert(action == NULL || one_of(action->valuestring, actions));
	const cJSON *outcome = cJSON_GetObjectItem(ev, "outcome");
	ck_assert(outcome == NULL || one_of(outcome->valuestring, outcomes));
	check_instant(cJSON_GetStringValue(cJSON_GetObjectItem(ev, "recorded")));
	const cJSON *agents = cJSON_GetObjectItem(ev, "agent");
	ck_assert_msg(cJSON_GetArraySize(agents) >= 1, "agent is 1..*");
	cJSON_ArrayForEach(c, agents)
	{
		check_agent(c);
	}
	const cJSON *source = cJSON_GetObjectItem(ev, "source");
	check_keys(source, source_keys, "source");
	ck_assert_msg(cJSON_GetObjectItem(source, "observer") != NULL, "source.observer is 1..1");
	check_reference(cJSON_GetObjectItem(source, "observer"), "source.observer");
	cJSON_ArrayForEach(c, cJSON_GetObjectItem(source, "type"))
	{
		check_coding(c, "source.type");
	}
	cJSON_ArrayForEach(c, cJSON_GetObjectItem(ev, "entity"))
	{
		check_entity(c);
	}
}

/* --- Rendering and reading back ---------------------------------------------- */

/* Parses the rendered text, checks its shape; the caller deletes it. */
static cJSON *parse_checked(const struct fg_json_buf *b)
{
	ck_assert(!b->failed);
	ck_assert_msg(strchr(b->data, '\n') == NULL, "a resource must fit on one line");
	const char *end = NULL;
	cJSON *ev = cJSON_ParseWithOpts(b->data, &end, true);
	ck_assert_msg(ev != NULL, "not JSON: %s", b->data);
	check_r4_shape(ev);
	return ev;
}

static cJSON *render(const struct fixture *f)
{
	struct fg_json_buf b;
	fg_json_buf_init(&b);
	fg_auditevent_decision(&b, &f->line, &f->decision, &f->task);
	cJSON *ev = parse_checked(&b);
	fg_json_buf_free(&b);
	return ev;
}

static const char *str_at(const cJSON *obj, const char *key)
{
	return cJSON_GetStringValue(cJSON_GetObjectItem(obj, key));
}

static const char *code_at(const cJSON *obj, const char *key)
{
	return str_at(cJSON_GetObjectItem(obj, key), "code");
}

/* The code of the subtype from `system`, or NULL. */
static const char *subtype(const cJSON *ev, const char *system)
{
	const cJSON *c;
	cJSON_ArrayForEach(c, cJSON_GetObjectItem(ev, "subtype"))
	{
		if (strcmp(str_at(c, "system"), system) == 0)
			return str_at(c, "code");
	}
	return NULL;
}

static const cJSON *entity(const cJSON *ev, int i)
{
	return cJSON_GetArrayItem(cJSON_GetObjectItem(ev, "entity"), i);
}

/* The valueString of the detail of `type` of entity i, or NULL. */
static const char *detail(const cJSON *ev, int i, const char *type)
{
	const cJSON *d;
	cJSON_ArrayForEach(d, cJSON_GetObjectItem(entity(ev, i), "detail"))
	{
		if (strcmp(str_at(d, "type"), type) == 0)
			return str_at(d, "valueString");
	}
	return NULL;
}

static const char *what(const cJSON *ev, int i)
{
	return str_at(cJSON_GetObjectItem(entity(ev, i), "what"), "display");
}

static const cJSON *agent(const cJSON *ev, int i)
{
	return cJSON_GetArrayItem(cJSON_GetObjectItem(ev, "agent"), i);
}

/* --- Decisions ------------------------------------------------------------------ */

START_TEST(allowed_read)
{
	struct fixture f;
	fixture_init(&f, SYS_openat, "openat");
	inspect_file(&f, "/data/x", FG_RIGHT_READ);
	cJSON *ev = render(&f);
	ck_assert_str_eq(str_at(ev, "id"), "fhir-0-1-5f0123456789-7");
	ck_assert_str_eq(str_at(cJSON_GetObjectItem(ev, "type"), "system"), DCM);
	ck_assert_str_eq(code_at(ev, "type"), "110100");
	ck_assert_ptr_null(subtype(ev, DCM));
	ck_assert_str_eq(subtype(ev, CATEGORY_SYSTEM), "file-read");
	ck_assert_str_eq(subtype(ev, SYSCALL_SYSTEM), "openat");
	ck_assert_str_eq(str_at(ev, "action"), "R");
	ck_assert_str_eq(str_at(ev, "recorded"), "2026-11-26T23:40:14.281918Z");
	ck_assert_str_eq(str_at(ev, "outcome"), "0");
	ck_assert_str_eq(str_at(ev, "outcomeDesc"), "allowed by rule data");
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(ev, "agent")), 2);
	const cJSON *process = agent(ev, 0);
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(process, "requestor")));
	ck_assert_str_eq(str_at(cJSON_GetObjectItem(process, "who"), "display"), "java");
	ck_assert_str_eq(str_at(process, "altId"), "pid 6028 tid 6029");
	ck_assert_str_eq(str_at(process, "name"), "/usr/lib/jvm/bin/java");
	const cJSON *type = cJSON_GetArrayItem(
	    cJSON_GetObjectItem(cJSON_GetObjectItem(process, "type"), "coding"), 0);
	ck_assert_str_eq(str_at(type, "code"), "110150");
	ck_assert_str_eq(str_at(cJSON_GetObjectItem(process, "network"), "address"), "fhir-0");
	const cJSON *guard = agent(ev, 1);
	ck_assert(cJSON_IsFalse(cJSON_GetObjectItem(guard, "requestor")));
	ck_assert_str_eq(str_at(cJSON_GetObjectItem(guard, "who"), "display"), "fhirguard");
	ck_assert_str_eq(str_at(guard, "altId"), "pid 1");
	const cJSON *source = cJSON_GetObjectItem(ev, "source");
	ck_assert_str_eq(str_at(source, "site"), "fhirguard");
	ck_assert_str_eq(str_at(cJSON_GetObjectItem(source, "observer"), "display"), "fhir-0");
	const cJSON *source_type = cJSON_GetArrayItem(cJSON_GetObjectItem(source, "type"), 0);
	ck_assert_str_eq(str_at(source_type, "system"),
			 "http://terminology.hl7.org/CodeSystem/security-source-type");
	ck_assert_str_eq(str_at(source_type, "code"), "4");
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(ev, "entity")), 1);
	ck_assert_str_eq(what(ev, 0), "/data/x");
	ck_assert_str_eq(code_at(entity(ev, 0), "type"), "2");
	ck_assert_str_eq(str_at(entity(ev, 0), "description"), "data");
	ck_assert_str_eq(detail(ev, 0, "syscall"), "openat");
	ck_assert_str_eq(detail(ev, 0, "nr"), "257");
	ck_assert_str_eq(detail(ev, 0, "arch"), "x86_64");
	ck_assert_str_eq(detail(ev, 0, "mode"), "enforce");
	ck_assert_str_eq(detail(ev, 0, "verdict"), "allow");
	ck_assert_str_eq(detail(ev, 0, "action"), "allow");
	ck_assert_ptr_null(detail(ev, 0, "errno"));
	ck_assert_str_eq(detail(ev, 0, "rule"), "data");
	ck_assert_str_eq(detail(ev, 0, "kind"), "file");
	ck_assert_str_eq(detail(ev, 0, "rights"), "read");
	ck_assert_str_eq(detail(ev, 0, "args"), "{\"path\":\"/data/x\"}");
	cJSON_Delete(ev);
}
END_TEST

START_TEST(denied_read)
{
	struct fixture f;
	fixture_init(&f, SYS_openat, "openat");
	inspect_file(&f, "/etc/shadow", FG_RIGHT_READ);
	set_verdict(&f, FG_ACTION_DENY, EACCES, "secrets");
	cJSON *ev = render(&f);
	ck_assert_str_eq(code_at(ev, "type"), "110113");
	ck_assert_str_eq(str_at(cJSON_GetObjectItem(ev, "type"), "display"), "Security Alert");
	ck_assert_str_eq(subtype(ev, DCM), "110132");
	ck_assert_str_eq(subtype(ev, CATEGORY_SYSTEM), "file-read");
	ck_assert_str_eq(str_at(ev, "action"), "R");
	ck_assert_str_eq(str_at(ev, "outcome"), "4");
	ck_assert_str_eq(str_at(ev, "outcomeDesc"), "denied by rule secrets: EACCES");
	ck_assert_str_eq(detail(ev, 0, "errno"), "EACCES");
	ck_assert_str_eq(detail(ev, 0, "verdict"), "deny");
	ck_assert_str_eq(what(ev, 0), "/etc/shadow");
	cJSON_Delete(ev);
}
END_TEST

START_TEST(denied_with_reason_and_unnamed_errno)
{
	struct fixture f;
	fixture_init(&f, SYS_openat, "openat");
	inspect_file(&f, "/proc/1/root/x", FG_RIGHT_READ);
	set_verdict(&f, FG_ACTION_DENY, 4000, "supervisor");
	f.decision.reason = "the path could not be resolved";
	cJSON *ev = render(&f);
	ck_assert_str_eq(str_at(ev, "outcomeDesc"),
			 "denied by rule supervisor: 4000 (the path could not be resolved)");
	ck_assert_str_eq(detail(ev, 0, "errno"), "4000");
	ck_assert_str_eq(detail(ev, 0, "reason"), "the path could not be resolved");
	cJSON_Delete(ev);
}
END_TEST

/* ENOENT from the argument check is what the kernel would say too: the
 * call fails (outcome 4) but nothing was refused, so no Security Alert. */
START_TEST(kernel_equivalent_failure_is_no_alert)
{
	struct fixture f;
	fixture_init(&f, SYS_openat, "openat");
	inspect_file(&f, "/usr/lib/locale/C.UTF-8/LC_CTYPE", 0);
	f.inspection.failure = "the path does not resolve";
	f.inspection.kernel_equivalent = true;
	set_verdict(&f, FG_ACTION_DENY, ENOENT, "supervisor");
	f.decision.reason = f.inspection.failure;
	cJSON *ev = render(&f);
	ck_assert_str_eq(code_at(ev, "type"), "110100");
	ck_assert_ptr_null(subtype(ev, DCM));
	ck_assert_str_eq(subtype(ev, CATEGORY_SYSTEM), "file");
	ck_assert_str_eq(str_at(ev, "outcome"), "4");
	ck_assert_str_eq(str_at(ev, "outcomeDesc"),
			 "denied by rule supervisor: ENOENT (the path does not resolve)");
	cJSON_Delete(ev);

	/* The same failure when the kernel would not fail is the supervisor
	 * failing closed: that is an alert. */
	f.inspection.kernel_equivalent = false;
	ev = render(&f);
	ck_assert_str_eq(code_at(ev, "type"), "110113");
	ck_assert_str_eq(subtype(ev, DCM), "110132");
	cJSON_Delete(ev);
}
END_TEST

START_TEST(killed_exec_with_interpreter)
{
	struct fixture f;
	fixture_init(&f, SYS_execve, "execve");
	inspect_file(&f, "/tmp/evil.sh", FG_RIGHT_EXEC);
	f.inspection.kind = "exec";
	snprintf(f.inspection.object2, sizeof(f.inspection.object2), "/bin/sh");
	set_verdict(&f, FG_ACTION_KILL, 0, "no-shells");
	cJSON *ev = render(&f);
	ck_assert_str_eq(code_at(ev, "type"), "110113");
	ck_assert_str_eq(subtype(ev, CATEGORY_SYSTEM), "exec");
	ck_assert_str_eq(subtype(ev, SYSCALL_SYSTEM), "execve");
	ck_assert_str_eq(str_at(ev, "action"), "E");
	ck_assert_str_eq(str_at(ev, "outcome"), "8");
	ck_assert_str_eq(str_at(ev, "outcomeDesc"), "killed by rule no-shells");
	ck_assert_ptr_null(detail(ev, 0, "errno"));
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(ev, "entity")), 2);
	ck_assert_str_eq(what(ev, 0), "/tmp/evil.sh");
	ck_assert_str_eq(what(ev, 1), "/bin/sh");
	ck_assert_str_eq(str_at(entity(ev, 1), "description"), "#! interpreter");
	cJSON_Delete(ev);
}
END_TEST

START_TEST(stop_is_serious)
{
	struct fixture f;
	fixture_init(&f, SYS_openat, "openat");
	inspect_file(&f, "/proc/1/mem", FG_RIGHT_READ | FG_RIGHT_WRITE);
	set_verdict(&f, FG_ACTION_STOP, 0, "proc-mem");
	cJSON *ev = render(&f);
	ck_assert_str_eq(code_at(ev, "type"), "110113");
	ck_assert_str_eq(subtype(ev, CATEGORY_SYSTEM), "file-write");
	ck_assert_str_eq(str_at(ev, "action"), "U");
	ck_assert_str_eq(str_at(ev, "outcome"), "8");
	ck_assert_ptr_nonnull(strstr(str_at(ev, "outcomeDesc"), "stopped"));
	ck_assert_str_eq(detail(ev, 0, "action"), "stop");
	cJSON_Delete(ev);
}
END_TEST

/* Audit mode: the call ran (outcome success) but broke the policy (alert). */
START_TEST(audit_mode_violation)
{
	struct fixture f;
	fixture_init(&f, SYS_openat, "openat");
	inspect_file(&f, "/etc/shadow", FG_RIGHT_READ);
	set_verdict(&f, FG_ACTION_DENY, EACCES, "secrets");
	f.decision.mode = FG_MODE_AUDIT;
	f.decision.action = FG_ACTION_ALLOW;
	cJSON *ev = render(&f);
	ck_assert_str_eq(code_at(ev, "type"), "110113");
	ck_assert_str_eq(subtype(ev, DCM), "110132");
	ck_assert_str_eq(str_at(ev, "outcome"), "0");
	ck_assert_str_eq(str_at(ev, "outcomeDesc"),
			 "allowed in audit mode; enforce mode: denied by rule secrets: EACCES");
	ck_assert_str_eq(detail(ev, 0, "mode"), "audit");
	ck_assert_str_eq(detail(ev, 0, "verdict"), "deny");
	ck_assert_str_eq(detail(ev, 0, "action"), "allow");
	cJSON_Delete(ev);
}
END_TEST

static const struct {
	const char *kind;
	const char *operation;
	const char *protocol;
	const char *category;
} networks[] = {
	{ "network", "connect", "tcp", "network-connect" },
	{ "network", "bind", "udp", "network-bind" },
	{ "network", "listen", "tcp", "network-bind" },
	{ "network", "send", "unix-dgram", "network-send" },
	{ "network", NULL, NULL, "network" },
	{ "socket", NULL, "raw", "network-socket" },
};

START_TEST(network_categories)
{
	struct fixture f;
	fixture_init(&f, SYS_connect, "connect");
	f.inspection.inspected = true;
	f.inspection.kind = networks[_i].kind;
	f.inspection.operation = networks[_i].operation;
	f.inspection.protocol = networks[_i].protocol;
	snprintf(f.inspection.object, sizeof(f.inspection.object), "10.0.0.5:5432");
	f.decision.inspection = &f.inspection;
	set_verdict(&f, FG_ACTION_DENY, ECONNREFUSED, "network.default");
	cJSON *ev = render(&f);
	ck_assert_str_eq(subtype(ev, CATEGORY_SYSTEM), networks[_i].category);
	ck_assert_str_eq(str_at(ev, "action"), "E");
	ck_assert_str_eq(what(ev, 0), "10.0.0.5:5432");
	if (networks[_i].operation != NULL)
		ck_assert_str_eq(detail(ev, 0, "operation"), networks[_i].operation);
	else
		ck_assert_ptr_null(detail(ev, 0, "operation"));
	if (networks[_i].protocol != NULL)
		ck_assert_str_eq(detail(ev, 0, "protocol"), networks[_i].protocol);
	ck_assert_str_eq(detail(ev, 0, "errno"), "ECONNREFUSED");
	ck_assert_ptr_null(detail(ev, 0, "rights"));
	cJSON_Delete(ev);
}
END_TEST

static const struct {
	unsigned rights;
	const char *action;
	const char *category;
} file_actions[] = {
	{ FG_RIGHT_READ, "R", "file-read" },
	{ FG_RIGHT_STAT, "R", "file-read" },
	{ FG_RIGHT_READ | FG_RIGHT_WRITE, "U", "file-write" },
	{ FG_RIGHT_WRITE, "U", "file-write" },
	{ FG_RIGHT_METADATA, "U", "file-write" },
	{ FG_RIGHT_WRITE | FG_RIGHT_CREATE, "C", "file-write" },
	{ FG_RIGHT_READ | FG_RIGHT_WRITE | FG_RIGHT_CREATE, "C", "file-write" },
	{ FG_RIGHT_DELETE, "D", "file-write" },
	{ FG_RIGHT_DELETE | FG_RIGHT_CREATE, "U", "file-write" }, /* rename */
	{ FG_RIGHT_EXEC, "E", "file-read" },			  /* a #! check */
	{ 0, "E", "file" },
};

START_TEST(file_actions_by_rights)
{
	struct fixture f;
	fixture_init(&f, SYS_openat, "openat");
	inspect_file(&f, "/data/x", file_actions[_i].rights);
	cJSON *ev = render(&f);
	ck_assert_str_eq(str_at(ev, "action"), file_actions[_i].action);
	ck_assert_str_eq(subtype(ev, CATEGORY_SYSTEM), file_actions[_i].category);
	cJSON_Delete(ev);
}
END_TEST

START_TEST(rename_names_both_paths)
{
	struct fixture f;
	fixture_init(&f, SYS_rename, "rename");
	inspect_file(&f, "/data/a", FG_RIGHT_DELETE | FG_RIGHT_CREATE);
	snprintf(f.inspection.object2, sizeof(f.inspection.object2), "/etc/passwd");
	set_verdict(&f, FG_ACTION_DENY, EROFS, "etc-ro");
	cJSON *ev = render(&f);
	ck_assert_str_eq(str_at(ev, "action"), "U");
	ck_assert_str_eq(what(ev, 1), "/etc/passwd");
	ck_assert_str_eq(str_at(entity(ev, 1), "description"), "second path");
	ck_assert_str_eq(detail(ev, 0, "rights"), "create,delete");
	cJSON_Delete(ev);
}
END_TEST

/* A call decided by the syscall layer alone: the arguments are the object. */
START_TEST(syscall_layer_decision)
{
	struct fixture f;
	fixture_init(&f, SYS_mount, "mount");
	f.task.args = "{\"source\":\"none\",\"target\":\"/mnt\"}";
	set_verdict(&f, FG_ACTION_DENY, EPERM, "no-escape");
	cJSON *ev = render(&f);
	ck_assert_str_eq(subtype(ev, CATEGORY_SYSTEM), "syscall");
	ck_assert_str_eq(subtype(ev, SYSCALL_SYSTEM), "mount");
	ck_assert_str_eq(str_at(ev, "action"), "E");
	ck_assert_str_eq(what(ev, 0), "{\"source\":\"none\",\"target\":\"/mnt\"}");
	ck_assert_ptr_null(detail(ev, 0, "kind"));
	ck_assert_str_eq(detail(ev, 0, "errno"), "EPERM");
	cJSON_Delete(ev);
}
END_TEST

START_TEST(raw_registers_without_decoded_args)
{
	struct fixture f;
	fixture_init(&f, 999, "syscall_999");
	f.task.args = NULL;
	f.event.args[0] = 1;
	f.event.args[5] = UINT64_MAX;
	set_verdict(&f, FG_ACTION_KILL, 0, "syscalls.default");
	cJSON *ev = render(&f);
	const char *raw =
	    "{\"raw\":[\"0x1\",\"0x0\",\"0x0\",\"0x0\",\"0x0\",\"0xffffffffffffffff\"]}";
	ck_assert_str_eq(what(ev, 0), raw);
	ck_assert_str_eq(detail(ev, 0, "args"), raw);
	cJSON_Delete(ev);
}
END_TEST

/* An inspection that failed before it resolved anything names no object. */
START_TEST(inspection_without_object)
{
	struct fixture f;
	fixture_init(&f, SYS_execve, "execve");
	inspect_file(&f, "", 0);
	f.inspection.kind = "exec";
	set_verdict(&f, FG_ACTION_DENY, EFAULT, "supervisor");
	f.decision.reason = "argv is unreadable";
	cJSON *ev = render(&f);
	ck_assert_str_eq(what(ev, 0), "{\"path\":\"/data/x\"}");
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(ev, "entity")), 1);
	cJSON_Delete(ev);
}
END_TEST

/* comm and exe of a task that is gone: elements are left out, never "". */
START_TEST(missing_task_facts)
{
	struct fixture f;
	fixture_init(&f, SYS_openat, "openat");
	f.task.comm = "";
	f.task.exe = NULL;
	f.task.arch = NULL;
	f.decision.rule = NULL;
	cJSON *ev = render(&f);
	const cJSON *process = agent(ev, 0);
	ck_assert_ptr_null(cJSON_GetObjectItem(process, "who"));
	ck_assert_ptr_null(cJSON_GetObjectItem(process, "name"));
	ck_assert_ptr_null(detail(ev, 0, "arch"));
	ck_assert_ptr_null(detail(ev, 0, "rule"));
	ck_assert_ptr_null(cJSON_GetObjectItem(entity(ev, 0), "description"));
	ck_assert_str_eq(str_at(ev, "outcomeDesc"), "allowed by rule (none)");
	cJSON_Delete(ev);
}
END_TEST

/* Tracee strings: control characters are not allowed in FHIR strings even
 * escaped; bytes that are not UTF-8 must still give valid JSON. */
START_TEST(hostile_strings)
{
	struct fixture f;
	fixture_init(&f, SYS_openat, "openat");
	inspect_file(&f,
		     "/tmp/a\x01"
		     "b\x1b[31m\n\xff\xfe\"\\",
		     FG_RIGHT_READ);
	f.task.comm = "\x7f\x02";
	cJSON *ev = render(&f);
	ck_assert_str_eq(what(ev, 0), "/tmp/a\xef\xbf\xbd"
				      "b\xef\xbf\xbd[31m\n\xc3\xbf\xc3\xbe\"\\");
	ck_assert_str_eq(str_at(cJSON_GetObjectItem(agent(ev, 0), "who"), "display"),
			 "\x7f\xef\xbf\xbd");
	cJSON_Delete(ev);
}
END_TEST

/* --- Ids ---------------------------------------------------------------------------- */

START_TEST(ids_fit_the_pattern)
{
	struct fg_auditevent_origin o;
	fg_auditevent_origin_set(&o, "a_very.long_host-name!with*odd:characters.example.org",
				 4194304, UINT64_MAX / 2);
	ck_assert_str_eq(o.hostname, "a_very.long_host-name!with*odd:characters.example.org");
	ck_assert_int_le(strlen(o.run_id), FG_AUDITEVENT_RUN_ID_SIZE - 1);
	struct fg_auditevent_line line = { .origin = &o,
					   .recorded = "2026-11-26T23:40:14Z",
					   .seq = UINT64_MAX };
	struct fg_json_buf b;
	fg_json_buf_init(&b);
	fg_auditevent_lost(&b, &line, 3);
	cJSON *ev = parse_checked(&b); /* checks the id */
	/* Every part at its longest: the run id is cut to fit, the id is
	 * exactly 64 characters. */
	ck_assert_str_eq(str_at(ev, "id"),
			 "a-very.long-host-nam-4194304-7fffffffffffff-18446744073709551615");
	cJSON_Delete(ev);
	fg_json_buf_free(&b);
}
END_TEST

START_TEST(empty_hostname)
{
	struct fg_auditevent_origin o;
	fg_auditevent_origin_set(&o, "", 12, 0);
	ck_assert_str_eq(o.hostname, "localhost");
	ck_assert_str_eq(o.run_id, "localhost-12-0");
}
END_TEST

START_TEST(origin_of_this_process)
{
	struct fg_auditevent_origin a, b;
	fg_auditevent_origin_init(&a);
	ck_assert_int_eq(a.pid, getpid());
	ck_assert(a.hostname[0] != '\0');
	ck_assert_uint_eq(strspn(a.run_id, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
					   "0123456789-."),
			  strlen(a.run_id));
	/* A restart gives other ids even with the same host and PID. */
	struct timespec pause = { 0, 2000 };
	nanosleep(&pause, NULL);
	fg_auditevent_origin_init(&b);
	ck_assert_str_ne(a.run_id, b.run_id);
}
END_TEST

/* --- Start, exit, lost -------------------------------------------------------------- */

static struct fg_auditevent_line test_line(struct fg_auditevent_origin *o, uint64_t seq)
{
	fg_auditevent_origin_set(o, "fhir-0", 1, 0x5f0123456789ull);
	return (struct fg_auditevent_line){ .origin = o,
					    .recorded = "2026-11-26T23:40:14.000001Z",
					    .seq = seq };
}

START_TEST(start_line)
{
	struct fg_auditevent_origin origin;
	struct fg_auditevent_line line = test_line(&origin, 1);
	char *argv[] = { "/usr/bin/java", "-jar", "", "/app/server.jar", NULL };
	struct fg_json_buf b;
	fg_json_buf_init(&b);
	fg_auditevent_start(&b, &line, "/etc/fhirguard/policy.json", FG_MODE_ENFORCE, argv,
			    "0.1.0");
	cJSON *ev = parse_checked(&b);
	ck_assert_str_eq(code_at(ev, "type"), "110100");
	ck_assert_str_eq(subtype(ev, DCM), "110120");
	ck_assert_str_eq(str_at(ev, "action"), "E");
	ck_assert_str_eq(str_at(ev, "outcome"), "0");
	ck_assert_str_eq(str_at(ev, "outcomeDesc"), "fhirguard 0.1.0 started in enforce mode");
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(ev, "agent")), 1);
	ck_assert_str_eq(str_at(agent(ev, 0), "name"), "fhirguard 0.1.0");
	ck_assert_str_eq(what(ev, 0), "/etc/fhirguard/policy.json");
	ck_assert_str_eq(str_at(entity(ev, 0), "description"), "policy");
	ck_assert_str_eq(detail(ev, 0, "mode"), "enforce");
	ck_assert_str_eq(what(ev, 1), "/usr/bin/java");
	ck_assert_str_eq(detail(ev, 1, "command"),
			 "[\"/usr/bin/java\",\"-jar\",\"\",\"/app/server.jar\"]");
	cJSON_Delete(ev);
	fg_json_buf_free(&b);
}
END_TEST

static const struct {
	int wait_status;
	int exit_code;
	const char *outcome;
	const char *desc;
	const char *status_type;
	const char *status;
} exits[] = {
	{ 0, 0, "0", "the program exited with status 0; fhirguard exits with 0", "status", "0" },
	{ 3 << 8, 3, "4", "the program exited with status 3; fhirguard exits with 3", "status",
	  "3" },
	{ SIGKILL, 137, "8", "the program was killed by signal 9; fhirguard exits with 137",
	  "signal", "9" },
	{ SIGSYS, 123, "8", "the program was killed by signal 31; fhirguard exits with 123",
	  "signal", "31" },
};

START_TEST(exit_line)
{
	struct fg_auditevent_origin origin;
	struct fg_auditevent_line line = test_line(&origin, 99);
	struct fg_json_buf b;
	fg_json_buf_init(&b);
	fg_auditevent_exit(&b, &line, exits[_i].wait_status, exits[_i].exit_code);
	cJSON *ev = parse_checked(&b);
	ck_assert_str_eq(code_at(ev, "type"), "110100");
	ck_assert_str_eq(subtype(ev, DCM), "110121");
	ck_assert_str_eq(str_at(ev, "outcome"), exits[_i].outcome);
	ck_assert_str_eq(str_at(ev, "outcomeDesc"), exits[_i].desc);
	ck_assert_str_eq(detail(ev, 0, exits[_i].status_type), exits[_i].status);
	char code[16];
	snprintf(code, sizeof(code), "%d", exits[_i].exit_code);
	ck_assert_str_eq(detail(ev, 0, "exit_code"), code);
	ck_assert_ptr_null(cJSON_GetObjectItem(entity(ev, 0), "what"));
	cJSON_Delete(ev);
	fg_json_buf_free(&b);
}
END_TEST

START_TEST(lost_line)
{
	struct fg_auditevent_origin origin;
	struct fg_auditevent_line line = test_line(&origin, 50);
	struct fg_json_buf b;
	fg_json_buf_init(&b);
	fg_auditevent_lost(&b, &line, 1234);
	cJSON *ev = parse_checked(&b);
	ck_assert_str_eq(code_at(ev, "type"), "110113");
	ck_assert_str_eq(subtype(ev, "https://fhirguard.invalid/CodeSystem/event"),
			 "audit-lines-lost");
	ck_assert_str_eq(str_at(ev, "outcome"), "4");
	ck_assert_str_eq(detail(ev, 0, "lines"), "1234");
	cJSON_Delete(ev);
	fg_json_buf_free(&b);
}
END_TEST

/* Appending to a buffer that already holds a line keeps both intact, as
 * the audit queue uses one buffer per line but may reuse it. */
START_TEST(appends_after_reset)
{
	struct fixture f;
	fixture_init(&f, SYS_openat, "openat");
	struct fg_json_buf b;
	fg_json_buf_init(&b);
	fg_auditevent_lost(&b, &f.line, 1);
	fg_json_buf_reset(&b);
	fg_auditevent_decision(&b, &f.line, &f.decision, &f.task);
	cJSON *ev = parse_checked(&b);
	ck_assert_str_eq(code_at(ev, "type"), "110100");
	cJSON_Delete(ev);
	fg_json_buf_free(&b);
}
END_TEST

/* --- Sample for the HAPI check ------------------------------------------------------ */

static void sample_line(FILE *out, struct fg_json_buf *b)
{
	ck_assert(!b->failed);
	cJSON *ev = parse_checked(b);
	cJSON_Delete(ev);
	fprintf(out, "%s\n", b->data);
	fg_json_buf_reset(b);
}

/* Writes every kind of line this file tests, one resource per line. */
START_TEST(sample)
{
	const char *path = getenv("AUDITEVENT_SAMPLE");
	if (path == NULL)
		return;
	FILE *out = fopen(path, "w");
	ck_assert_msg(out != NULL, "%s: %s", path, strerror(errno));
	struct fg_json_buf b;
	fg_json_buf_init(&b);
	uint64_t seq = 1;
	struct fg_auditevent_origin origin;
	struct fg_auditevent_line line = test_line(&origin, seq++);
	char *argv[] = { "/usr/bin/java", "-jar", "/app/server.jar", NULL };
	fg_auditevent_start(&b, &line, "(embedded default policy)", FG_MODE_ENFORCE, argv, "0.1.0");
	sample_line(out, &b);

	struct fixture f;
	for (size_t i = 0; i < sizeof(file_actions) / sizeof(file_actions[0]); i++) {
		fixture_init(&f, SYS_openat, "openat");
		f.line.seq = seq++;
		inspect_file(&f, "/data/x", file_actions[i].rights);
		set_verdict(&f, (enum fg_action)(i % 4 == 0 ? FG_ACTION_ALLOW : FG_ACTION_DENY),
			    EACCES, "files.rules[2]");
		if (i % 5 == 4) {
			f.decision.mode = FG_MODE_AUDIT;
			f.decision.action = FG_ACTION_ALLOW;
		}
		fg_auditevent_decision(&b, &f.line, &f.decision, &f.task);
		sample_line(out, &b);
	}
	for (size_t i = 0; i < sizeof(networks) / sizeof(networks[0]); i++) {
		fixture_init(&f, SYS_connect, "connect");
		f.line.seq = seq++;
		f.inspection.inspected = true;
		f.inspection.kind = networks[i].kind;
		f.inspection.operation = networks[i].operation;
		f.inspection.protocol = networks[i].protocol;
		snprintf(f.inspection.object, sizeof(f.inspection.object), "[::1]:5432");
		f.decision.inspection = &f.inspection;
		set_verdict(&f, FG_ACTION_KILL, 0, "network.default");
		fg_auditevent_decision(&b, &f.line, &f.decision, &f.task);
		sample_line(out, &b);
	}
	fixture_init(&f, SYS_execve, "execve");
	f.line.seq = seq++;
	inspect_file(&f, "/tmp/evil.sh", FG_RIGHT_EXEC);
	f.inspection.kind = "exec";
	snprintf(f.inspection.object2, sizeof(f.inspection.object2), "/bin/sh");
	set_verdict(&f, FG_ACTION_STOP, 0, "no-shells");
	fg_auditevent_decision(&b, &f.line, &f.decision, &f.task);
	sample_line(out, &b);

	fixture_init(&f, SYS_mount, "mount");
	f.line.seq = seq++;
	f.task.args = NULL;
	f.task.comm = "\x01weird\xff";
	set_verdict(&f, FG_ACTION_DENY, EPERM, "no-escape");
	f.decision.reason = "a reason with \"quotes\" and \\ and \t tab";
	fg_auditevent_decision(&b, &f.line, &f.decision, &f.task);
	sample_line(out, &b);

	line = test_line(&origin, seq++);
	fg_auditevent_lost(&b, &line, 17);
	sample_line(out, &b);
	for (size_t i = 0; i < sizeof(exits) / sizeof(exits[0]); i++) {
		line = test_line(&origin, seq++);
		fg_auditevent_exit(&b, &line, exits[i].wait_status, exits[i].exit_code);
		sample_line(out, &b);
	}
	fg_json_buf_free(&b);
	ck_assert_int_eq(fclose(out), 0);
}
END_TEST

static Suite *audit_fhir_suite(void)
{
	Suite *s = suite_create("audit_fhir");
	TCase *decisions = tcase_create("decisions");
	tcase_add_test(decisions, allowed_read);
	tcase_add_test(decisions, denied_read);
	tcase_add_test(decisions, denied_with_reason_and_unnamed_errno);
	tcase_add_test(decisions, kernel_equivalent_failure_is_no_alert);
	tcase_add_test(decisions, killed_exec_with_interpreter);
	tcase_add_test(decisions, stop_is_serious);
	tcase_add_test(decisions, audit_mode_violation);
	tcase_add_loop_test(decisions, network_categories, 0,
			    sizeof(networks) / sizeof(networks[0]));
	tcase_add_loop_test(decisions, file_actions_by_rights, 0,
			    sizeof(file_actions) / sizeof(file_actions[0]));
	tcase_add_test(decisions, rename_names_both_paths);
	tcase_add_test(decisions, syscall_layer_decision);
	tcase_add_test(decisions, raw_registers_without_decoded_args);
	tcase_add_test(decisions, inspection_without_object);
	tcase_add_test(decisions, missing_task_facts);
	tcase_add_test(decisions, hostile_strings);
	suite_add_tcase(s, decisions);
	TCase *ids = tcase_create("ids");
	tcase_add_test(ids, ids_fit_the_pattern);
	tcase_add_test(ids, empty_hostname);
	tcase_add_test(ids, origin_of_this_process);
	suite_add_tcase(s, ids);
	TCase *lines = tcase_create("start_exit_lost");
	tcase_add_test(lines, start_line);
	tcase_add_loop_test(lines, exit_line, 0, sizeof(exits) / sizeof(exits[0]));
	tcase_add_test(lines, lost_line);
	tcase_add_test(lines, appends_after_reset);
	tcase_add_test(lines, sample);
	suite_add_tcase(s, lines);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(audit_fhir_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
