#include "audit_fhir.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "audit.h"
#include "errno_names.h"
#include "inspect.h"
#include "rules.h"

/* Code systems. The DICOM ones are those the AuditEvent value sets bind
 * (AuditEventID, AuditEventSubType, ParticipationRoleType); fhirguard's own
 * codes live under a host name that can never resolve. */
#define DCM		   "http://dicom.nema.org/resources/ontology/DCM"
#define SOURCE_TYPE	   "http://terminology.hl7.org/CodeSystem/security-source-type"
#define ENTITY_TYPE	   "http://terminology.hl7.org/CodeSystem/audit-entity-type"
#define NETWORK_TYPE_NAME  "1" /* AuditEventAgentNetworkType: machine name */
#define FG_CATEGORY_SYSTEM "https://fhirguard.invalid/CodeSystem/syscall-category"
#define FG_SYSCALL_SYSTEM  "https://fhirguard.invalid/CodeSystem/syscall"
#define FG_EVENT_SYSTEM	   "https://fhirguard.invalid/CodeSystem/event"

/* AuditEventOutcome */
#define OUTCOME_SUCCESS "0"
#define OUTCOME_MINOR	"4"
#define OUTCOME_SERIOUS "8"

struct coding {
	const char *system;
	const char *code;
	const char *display;
};

static const struct coding type_activity = { DCM, "110100", "Application Activity" };
static const struct coding type_alert = { DCM, "110113", "Security Alert" };
static const struct coding subtype_start = { DCM, "110120", "Application Start" };
static const struct coding subtype_stop = { DCM, "110121", "Application Stop" };
static const struct coding subtype_restricted = { DCM, "110132", "Use of Restricted Function" };
static const struct coding role_application = { DCM, "110150", "Application" };
static const struct coding source_app_server = { SOURCE_TYPE, "4", "Application Server" };
static const struct coding entity_system_object = { ENTITY_TYPE, "2", "System Object" };

/* --- JSON pieces that FHIR accepts ---------------------------------------- */

/* FHIR strings may not hold characters below U+0020 other than tab, CR
 * and LF, even escaped. Paths and names from a tracee can: those bytes
 * become U+FFFD, visibly, rather than the whole line being invalid. */
static bool fhir_forbidden(unsigned char c)
{
	return c < 0x20 && c != '\t' && c != '\n' && c != '\r';
}

static void fhir_string(struct fg_json_buf *b, const char *s)
{
	size_t len = strlen(s);
	size_t bad = 0;
	for (size_t i = 0; i < len; i++)
		bad += fhir_forbidden((unsigned char)s[i]);
	if (bad == 0) {
		fg_json_bytes(b, s, len);
		return;
	}
	char *copy = malloc(len + 2 * bad + 1);
	if (copy == NULL) {
		b->failed = true; /* the caller drops and counts the line */
		return;
	}
	size_t n = 0;
	for (size_t i = 0; i < len; i++) {
		if (fhir_forbidden((unsigned char)s[i])) {
			memcpy(copy + n, "\xef\xbf\xbd", 3);
			n += 3;
		} else {
			copy[n++] = s[i];
		}
	}
	fg_json_bytes(b, copy, n);
	free(copy);
}

static bool present(const char *s)
{
	return s != NULL && s[0] != '\0';
}

/* FHIR has no empty strings: an absent value leaves the element out. */
static void put_string(struct fg_json_buf *b, const char *key, const char *value)
{
	if (!present(value))
		return;
	fg_json_key(b, key);
	fhir_string(b, value);
}

static void write_coding(struct fg_json_buf *b, const struct coding *c)
{
	fg_json_begin_object(b);
	put_string(b, "system", c->system);
	put_string(b, "code", c->code);
	put_string(b, "display", c->display);
	fg_json_end_object(b);
}

static void put_coding(struct fg_json_buf *b, const char *key, const struct coding *c)
{
	fg_json_key(b, key);
	write_coding(b, c);
}

static void put_codeable_concept(struct fg_json_buf *b, const char *key, const struct coding *c)
{
	fg_json_key(b, key);
	fg_json_begin_object(b);
	fg_json_key(b, "coding");
	fg_json_begin_array(b);
	write_coding(b, c);
	fg_json_end_array(b);
	fg_json_end_object(b);
}

/* A Reference by display only: processes and hosts have no FHIR resource. */
static void put_reference(struct fg_json_buf *b, const char *key, const char *display)
{
	if (!present(display))
		return;
	fg_json_key(b, key);
	fg_json_begin_object(b);
	put_string(b, "display", display);
	fg_json_end_object(b);
}

/* One entity.detail; R4 requires both type and value, so an empty value
 * leaves the entry out. */
static void detail(struct fg_json_buf *b, const char *type, const char *value)
{
	if (!present(value))
		return;
	fg_json_begin_object(b);
	put_string(b, "type", type);
	put_string(b, "valueString", value);
	fg_json_end_object(b);
}

static void detail_int(struct fg_json_buf *b, const char *type, long long value)
{
	char text[32];
	snprintf(text, sizeof(text), "%lld", value);
	detail(b, type, text);
}

/* --- The parts every AuditEvent has --------------------------------------- */

static void write_id(struct fg_json_buf *b, const struct fg_auditevent_line *line)
{
	char id[FG_AUDITEVENT_RUN_ID_SIZE + 24];
	snprintf(id, sizeof(id), "%s-%llu", line->origin->run_id, (unsigned long long)line->seq);
	fg_json_key(b, "id");
	fg_json_string(b, id);
}

/* Opens the resource: resourceType, id and type. */
static void begin_event(struct fg_json_buf *b, const struct fg_auditevent_line *line,
			const struct coding *type)
{
	fg_json_begin_object(b);
	fg_json_key(b, "resourceType");
	fg_json_string(b, "AuditEvent");
	write_id(b, line);
	put_coding(b, "type", type);
}

/* action, recorded, outcome and outcomeDesc, after the subtypes. */
static void write_result(struct fg_json_buf *b, const struct fg_auditevent_line *line,
			 const char *action, const char *outcome, const char *description)
{
	put_string(b, "action", action);
	put_string(b, "recorded", line->recorded);
	put_string(b, "outcome", outcome);
	put_string(b, "outcomeDesc", description);
}

/* fhirguard as a participant: it decides, but never initiates the call. */
static void write_fhirguard_agent(struct fg_json_buf *b, const struct fg_auditevent_origin *o,
				  const char *name)
{
	char alt_id[32];
	snprintf(alt_id, sizeof(alt_id), "pid %d", (int)o->pid);
	fg_json_begin_object(b);
	put_codeable_concept(b, "type", &role_application);
	put_reference(b, "who", "fhirguard");
	put_string(b, "altId", alt_id);
	put_string(b, "name", name);
	fg_json_key(b, "requestor");
	fg_json_bool(b, false);
	fg_json_end_object(b);
}

static void write_source(struct fg_json_buf *b, const struct fg_auditevent_origin *o)
{
	fg_json_key(b, "source");
	fg_json_begin_object(b);
	put_string(b, "site", "fhirguard");
	/* observer is required: a host name is never empty (see origin_set). */
	put_reference(b, "observer", o->hostname);
	fg_json_key(b, "type");
	fg_json_begin_array(b);
	write_coding(b, &source_app_server);
	fg_json_end_array(b);
	fg_json_end_object(b);
}

/* Starts an entity of type "System Object"; the caller adds the rest. */
static void begin_entity(struct fg_json_buf *b, const char *what, const char *description)
{
	fg_json_begin_object(b);
	put_reference(b, "what", what);
	put_coding(b, "type", &entity_system_object);
	put_string(b, "description", description);
}

/* --- Origin ---------------------------------------------------------------- */

/* Ids allow [A-Za-z0-9.-] only; anything else in a host name becomes '-'. */
static void id_safe_copy(char *out, size_t size, const char *in)
{
	size_t n = 0;
	for (; in[n] != '\0' && n + 1 < size; n++) {
		char c = in[n];
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			  (c >= '0' && c <= '9') || c == '.' || c == '-';
		out[n] = ok ? c : '-';
	}
	out[n] = '\0';
}

void fg_auditevent_origin_set(struct fg_auditevent_origin *o, const char *hostname, pid_t pid,
			      uint64_t start_us)
{
	if (!present(hostname))
		hostname = "localhost";
	snprintf(o->hostname, sizeof(o->hostname), "%s", hostname);
	o->pid = pid;
	char host[21];
	id_safe_copy(host, sizeof(host), hostname);
	snprintf(o->run_id, sizeof(o->run_id), "%s-%d-%llx", host, (int)pid,
		 (unsigned long long)start_us);
}

void fg_auditevent_origin_init(struct fg_auditevent_origin *o)
{
	char hostname[HOST_NAME_MAX + 1] = "";
	if (gethostname(hostname, sizeof(hostname)) < 0)
		hostname[0] = '\0';
	hostname[sizeof(hostname) - 1] = '\0'; /* POSIX leaves a cut name unterminated */
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	uint64_t start_us = (uint64_t)now.tv_sec * 1000000u + (uint64_t)now.tv_nsec / 1000u;
	fg_auditevent_origin_set(o, hostname, getpid(), start_us);
}

/* --- Decisions ------------------------------------------------------------- */

static bool is(const char *a, const char *b)
{
	return a != NULL && strcmp(a, b) == 0;
}

enum {
	CHANGING_RIGHTS = FG_RIGHT_WRITE | FG_RIGHT_CREATE | FG_RIGHT_DELETE | FG_RIGHT_METADATA,
};

/* The first subtype: what sort of thing the call does. */
static const char *category(const struct fg_inspection *insp)
{
	if (insp == NULL || insp->kind == NULL)
		return "syscall";
	if (is(insp->kind, "exec"))
		return "exec";
	if (is(insp->kind, "file")) {
		if (insp->rights == 0)
			return "file"; /* failed before the rights were known */
		return (insp->rights & CHANGING_RIGHTS) ? "file-write" : "file-read";
	}
	if (is(insp->kind, "socket"))
		return "network-socket";
	if (is(insp->operation, "connect"))
		return "network-connect";
	if (is(insp->operation, "bind") || is(insp->operation, "listen"))
		return "network-bind";
	if (is(insp->operation, "send"))
		return "network-send";
	return "network";
}

/* AuditEventAction. A rename both deletes a name and creates one: an update.
 * An open that may create counts as a create only when the file did not
 * exist (lib/inspect.c drops the create right otherwise). */
static const char *action_code(const struct fg_inspection *insp)
{
	if (insp == NULL || !is(insp->kind, "file"))
		return "E";
	unsigned r = insp->rights;
	if ((r & FG_RIGHT_CREATE) && (r & FG_RIGHT_DELETE))
		return "U";
	if (r & FG_RIGHT_DELETE)
		return "D";
	if (r & FG_RIGHT_CREATE)
		return "C";
	if (r & (FG_RIGHT_WRITE | FG_RIGHT_METADATA))
		return "U";
	if (r & (FG_RIGHT_READ | FG_RIGHT_STAT))
		return "R";
	return "E";
}

/* The outcome is what happened to the call, not what the policy thought
 * of it: in audit mode a policy violation still runs (and still raises a
 * Security Alert, see violation()). */
static const char *decision_outcome(enum fg_action action)
{
	switch (action) {
	case FG_ACTION_ALLOW:
	case FG_ACTION_TRACE:
		return OUTCOME_SUCCESS;
	case FG_ACTION_DENY:
		return OUTCOME_MINOR;
	case FG_ACTION_KILL:
	case FG_ACTION_STOP:
		return OUTCOME_SERIOUS;
	}
	return OUTCOME_SERIOUS;
}

/* A call the policy refused. A check that failed the way the kernel would
 * have failed the call anyway (a path that does not exist) refuses nothing
 * the program could have had: no alert for every missing locale file. */
static bool violation(const struct fg_audit_decision *d)
{
	const struct fg_inspection *insp = d->inspection;
	if (d->verdict == FG_ACTION_ALLOW || d->verdict == FG_ACTION_TRACE)
		return false;
	return insp == NULL || insp->failure == NULL || !insp->kernel_equivalent;
}

static const char *errno_text(int value, char *buf, size_t size)
{
	const char *name = fg_errno_name(value);
	if (name != NULL)
		return name;
	snprintf(buf, size, "%d", value);
	return buf;
}

static const char *verdict_words(enum fg_action verdict)
{
	switch (verdict) {
	case FG_ACTION_ALLOW:
	case FG_ACTION_TRACE:
		return "allowed";
	case FG_ACTION_DENY:
		return "denied";
	case FG_ACTION_KILL:
		return "killed";
	case FG_ACTION_STOP:
		return "stopped (the process was killed and the container stopped)";
	}
	return "decided";
}

/* "denied by rule secrets: EACCES"; in audit mode "allowed in audit mode;
 * enforce mode: denied by rule secrets: EACCES"; a reason follows. */
static void describe_decision(const struct fg_audit_decision *d, char *buf, size_t size)
{
	char number[16];
	const char *prefix = d->action != d->verdict && d->action == FG_ACTION_ALLOW
				 ? "allowed in audit mode; enforce mode: "
				 : "";
	const char *errno_name =
	    d->verdict == FG_ACTION_DENY ? errno_text(d->deny_errno, number, sizeof(number)) : NULL;
	snprintf(buf, size, "%s%s by rule %s%s%s%s%s%s", prefix, verdict_words(d->verdict),
		 present(d->rule) ? d->rule : "(none)", errno_name ? ": " : "",
		 errno_name ? errno_name : "", d->reason ? " (" : "", d->reason ? d->reason : "",
		 d->reason ? ")" : "");
}

static void write_decision_subtypes(struct fg_json_buf *b, const struct fg_audit_decision *d,
				    const struct fg_auditevent_task *task)
{
	struct coding kind = { FG_CATEGORY_SYSTEM, category(d->inspection), NULL };
	struct coding call = { FG_SYSCALL_SYSTEM, task->syscall, NULL };
	fg_json_key(b, "subtype");
	fg_json_begin_array(b);
	if (violation(d))
		write_coding(b, &subtype_restricted);
	write_coding(b, &kind);
	if (present(task->syscall))
		write_coding(b, &call);
	fg_json_end_array(b);
}

/* The process that made the call is the requestor. */
static void write_process_agent(struct fg_json_buf *b, const struct fg_audit_decision *d,
				const struct fg_auditevent_task *task,
				const struct fg_auditevent_origin *o)
{
	char alt_id[48];
	snprintf(alt_id, sizeof(alt_id), "pid %d tid %d", (int)d->event->pid, (int)d->event->tid);
	fg_json_begin_object(b);
	put_codeable_concept(b, "type", &role_application);
	put_reference(b, "who", present(task->comm) ? task->comm : task->exe);
	put_string(b, "altId", alt_id);
	put_string(b, "name", task->exe);
	fg_json_key(b, "requestor");
	fg_json_bool(b, true);
	fg_json_key(b, "network");
	fg_json_begin_object(b);
	put_string(b, "address", o->hostname);
	put_string(b, "type", NETWORK_TYPE_NAME);
	fg_json_end_object(b);
	fg_json_end_object(b);
}

/* The registers as the JSON Lines format shows unknown calls. */
static void raw_args(const struct fg_syscall_event *ev, char *buf, size_t size)
{
	const uint64_t *a = ev->args;
	snprintf(buf, size,
		 "{\"raw\":[\"0x%llx\",\"0x%llx\",\"0x%llx\",\"0x%llx\",\"0x%llx\",\"0x%llx\"]}",
		 (unsigned long long)a[0], (unsigned long long)a[1], (unsigned long long)a[2],
		 (unsigned long long)a[3], (unsigned long long)a[4], (unsigned long long)a[5]);
}

static void write_inspection_details(struct fg_json_buf *b, const struct fg_inspection *insp)
{
	if (insp == NULL)
		return;
	detail(b, "kind", insp->kind);
	detail(b, "operation", insp->operation);
	detail(b, "protocol", insp->protocol);
	if (insp->rights != 0) {
		char rights[128];
		fg_rights_text(insp->rights, rights, sizeof(rights));
		detail(b, "rights", rights);
	}
}

static void write_decision_details(struct fg_json_buf *b, const struct fg_audit_decision *d,
				   const struct fg_auditevent_task *task, const char *args)
{
	fg_json_key(b, "detail");
	fg_json_begin_array(b);
	detail(b, "syscall", task->syscall);
	detail_int(b, "nr", d->event->nr);
	detail(b, "arch", task->arch);
	detail(b, "mode", fg_mode_name(d->mode));
	detail(b, "verdict", fg_action_name(d->verdict));
	detail(b, "action", fg_action_name(d->action));
	if (d->verdict == FG_ACTION_DENY) {
		char number[16];
		detail(b, "errno", errno_text(d->deny_errno, number, sizeof(number)));
	}
	detail(b, "rule", d->rule);
	detail(b, "reason", d->reason);
	write_inspection_details(b, d->inspection);
	detail(b, "args", args);
	fg_json_end_array(b);
}

/* The object of the call: the resolved path or address when the argument
 * check found one, else the arguments as decoded. */
static void write_decision_entities(struct fg_json_buf *b, const struct fg_audit_decision *d,
				    const struct fg_auditevent_task *task)
{
	const struct fg_inspection *insp = d->inspection;
	char raw[256];
	const char *args = task->args;
	if (args == NULL) {
		raw_args(d->event, raw, sizeof(raw));
		args = raw;
	}
	const char *what = insp != NULL && present(insp->object) ? insp->object : args;
	fg_json_key(b, "entity");
	fg_json_begin_array(b);
	begin_entity(b, what, d->rule);
	write_decision_details(b, d, task, args);
	fg_json_end_object(b);
	/* rename and link name a second file; a script, its interpreter. */
	if (insp != NULL && present(insp->object2)) {
		bool exec = is(insp->kind, "exec");
		begin_entity(b, insp->object2, exec ? "#! interpreter" : "second path");
		fg_json_end_object(b);
	}
	fg_json_end_array(b);
}

void fg_auditevent_decision(struct fg_json_buf *b, const struct fg_auditevent_line *line,
			    const struct fg_audit_decision *d,
			    const struct fg_auditevent_task *task)
{
	char description[1024];
	describe_decision(d, description, sizeof(description));
	begin_event(b, line, violation(d) ? &type_alert : &type_activity);
	write_decision_subtypes(b, d, task);
	write_result(b, line, action_code(d->inspection), decision_outcome(d->action), description);
	fg_json_key(b, "agent");
	fg_json_begin_array(b);
	write_process_agent(b, d, task, line->origin);
	write_fhirguard_agent(b, line->origin, "fhirguard");
	fg_json_end_array(b);
	write_source(b, line->origin);
	write_decision_entities(b, d, task);
	fg_json_end_object(b);
}

/* --- Start, exit and lost lines -------------------------------------------- */

static void write_subtype(struct fg_json_buf *b, const struct coding *c)
{
	fg_json_key(b, "subtype");
	fg_json_begin_array(b);
	write_coding(b, c);
	fg_json_end_array(b);
}

/* Only fhirguard takes part in its own start, exit and losses. */
static void write_only_fhirguard(struct fg_json_buf *b, const struct fg_auditevent_origin *o,
				 const char *name)
{
	fg_json_key(b, "agent");
	fg_json_begin_array(b);
	write_fhirguard_agent(b, o, name);
	fg_json_end_array(b);
	write_source(b, o);
}

/* The command as a JSON array in one string: a detail cannot be empty, an
 * argument can. */
static void command_text(struct fg_json_buf *text, char *const argv[])
{
	fg_json_begin_array(text);
	for (size_t i = 0; argv[i] != NULL; i++)
		fg_json_string(text, argv[i]);
	fg_json_end_array(text);
}

/* The policy and the command it guards. */
static void write_start_entities(struct fg_json_buf *b, const char *policy_source,
				 enum fg_mode mode, const char *program, const char *command,
				 const char *version)
{
	fg_json_key(b, "entity");
	fg_json_begin_array(b);
	begin_entity(b, policy_source, "policy");
	fg_json_key(b, "detail");
	fg_json_begin_array(b);
	detail(b, "mode", fg_mode_name(mode));
	detail(b, "version", version);
	fg_json_end_array(b);
	fg_json_end_object(b);
	begin_entity(b, program, "command");
	fg_json_key(b, "detail");
	fg_json_begin_array(b);
	detail(b, "command", command);
	fg_json_end_array(b);
	fg_json_end_object(b);
	fg_json_end_array(b);
}

void fg_auditevent_start(struct fg_json_buf *b, const struct fg_auditevent_line *line,
			 const char *policy_source, enum fg_mode mode, char *const argv[],
			 const char *version)
{
	char name[64];
	char description[128];
	snprintf(name, sizeof(name), "fhirguard %s", version);
	snprintf(description, sizeof(description), "fhirguard %s started in %s mode", version,
		 fg_mode_name(mode));
	struct fg_json_buf command;
	fg_json_buf_init(&command);
	command_text(&command, argv);
	if (command.failed)
		b->failed = true;

	begin_event(b, line, &type_activity);
	write_subtype(b, &subtype_start);
	write_result(b, line, "E", OUTCOME_SUCCESS, description);
	write_only_fhirguard(b, line->origin, name);
	write_start_entities(b, policy_source, mode, argv[0], command.data, version);
	fg_json_end_object(b);
	fg_json_buf_free(&command);
}

/* A clean exit is a success; a signal serious; any other status minor. */
static const char *exit_outcome(int wait_status, int exit_code)
{
	if (WIFSIGNALED(wait_status))
		return OUTCOME_SERIOUS;
	return exit_code == 0 ? OUTCOME_SUCCESS : OUTCOME_MINOR;
}

void fg_auditevent_exit(struct fg_json_buf *b, const struct fg_auditevent_line *line,
			int wait_status, int exit_code)
{
	char description[128];
	bool signaled = WIFSIGNALED(wait_status);
	int value = signaled ? WTERMSIG(wait_status) : WEXITSTATUS(wait_status);
	snprintf(description, sizeof(description), "the program %s %d; fhirguard exits with %d",
		 signaled ? "was killed by signal" : "exited with status", value, exit_code);

	begin_event(b, line, &type_activity);
	write_subtype(b, &subtype_stop);
	write_result(b, line, "E", exit_outcome(wait_status, exit_code), description);
	write_only_fhirguard(b, line->origin, "fhirguard");
	fg_json_key(b, "entity");
	fg_json_begin_array(b);
	begin_entity(b, NULL, "the supervised program");
	fg_json_key(b, "detail");
	fg_json_begin_array(b);
	detail_int(b, signaled ? "signal" : "status", value);
	detail_int(b, "exit_code", exit_code);
	fg_json_end_array(b);
	fg_json_end_object(b);
	fg_json_end_array(b);
	fg_json_end_object(b);
}

void fg_auditevent_lost(struct fg_json_buf *b, const struct fg_auditevent_line *line,
			uint64_t lines)
{
	static const struct coding lost = { FG_EVENT_SYSTEM, "audit-lines-lost", NULL };
	char description[128];
	snprintf(description, sizeof(description),
		 "%llu audit lines were lost: the log was not read fast enough",
		 (unsigned long long)lines);

	begin_event(b, line, &type_alert);
	write_subtype(b, &lost);
	write_result(b, line, "E", OUTCOME_MINOR, description);
	write_only_fhirguard(b, line->origin, "fhirguard");
	fg_json_key(b, "entity");
	fg_json_begin_array(b);
	begin_entity(b, NULL, "the audit log");
	fg_json_key(b, "detail");
	fg_json_begin_array(b);
	detail_int(b, "lines", (long long)lines);
	fg_json_end_array(b);
	fg_json_end_object(b);
	fg_json_end_array(b);
	fg_json_end_object(b);
}
