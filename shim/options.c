#include "options.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { DEFAULT_GRACE_MS = 5000 };

void fg_options_print_help(const char *program)
{
	printf(
	    "Usage: %s [OPTIONS] [--] COMMAND [ARG...]\n"
	    "       %s learn --out POLICY [--merge] [OPTIONS] [--] COMMAND [ARG...]\n"
	    "       %s check POLICY\n"
	    "       %s explain POLICY (--path PATH --access RIGHTS | --connect ADDR:PORT | --exec "
	    "PATH)\n"
	    "\n"
	    "Runs COMMAND as a container init (PID 1) would, under a seccomp filter and a\n"
	    "ptrace supervisor that enforces an argument-level policy and logs each decision.\n"
	    "\n"
	    "Options:\n"
	    "  --policy FILE         policy file (JSON); default: the embedded JVM server policy\n"
	    "  --mode enforce|audit|learn\n"
	    "                        enforce the policy (default), only log what it would deny,\n"
	    "                        or learn: allow everything and write a policy of what ran\n"
	    "  --out POLICY          learn mode: where to write the learned policy\n"
	    "  --merge               learn mode: add to the policy in --out instead of replacing "
	    "it\n"
	    "  --log FILE            append audit lines (JSON Lines) to FILE; default: stderr\n"
	    "  --log-format jsonl|auditevent\n"
	    "                        audit lines as flat JSON objects (default), or as FHIR R4\n"
	    "                        AuditEvent resources (NDJSON)\n"
	    "  --log-allowed         also log traced calls that were allowed\n"
	    "  --require-landlock    fail (exit 125) instead of warning when the kernel cannot\n"
	    "                        apply the policy's Landlock backstop\n"
	    "  -g, --process-group   forward signals to the child's whole process group\n"
	    "  -e, --remap-exit CODE report exit code CODE as 0 (repeatable; e.g. -e 143 for a "
	    "JVM\n"
	    "                        stopped by SIGTERM)\n"
	    "  --grace SECONDS       after the program exits, how long the remaining processes\n"
	    "                        get between SIGTERM and SIGKILL (default 5, may be 0.5)\n"
	    "  --version             print the version and exit\n"
	    "  -h, --help            print this help and exit\n"
	    "\n"
	    "Exit status: the program's own, or 128+N if it died of signal N;\n"
	    "123 if a \"stop\" rule stopped the container, 125 if fhirguard itself failed,\n"
	    "126 if COMMAND cannot be executed, 127 if COMMAND was not found.\n",
	    program, program, program, program);
}

static int parse_grace(const char *text, int *out, struct fg_error *err)
{
	char *end = NULL;
	errno = 0;
	double seconds = strtod(text, &end);
	if (errno != 0 || end == text || *end != '\0' || seconds < 0 || seconds > 3600)
		return fg_error_set(err, "--grace: expected seconds between 0 and 3600, got \"%s\"",
				    text);
	*out = (int)(seconds * 1000.0 + 0.5);
	return 0;
}

/* The value of an option given as "--name VALUE" or "--name=VALUE". */
static const char *option_value(int argc, char **argv, int *i, const char *name,
				struct fg_error *err)
{
	size_t len = strlen(name);
	if (argv[*i][len] == '=')
		return argv[*i] + len + 1;
	if (*i + 1 >= argc) {
		fg_error_set(err, "%s needs a value", name);
		return NULL;
	}
	return argv[++*i];
}

static bool is_option(const char *arg, const char *name)
{
	size_t len = strlen(name);
	return strncmp(arg, name, len) == 0 && (arg[len] == '\0' || arg[len] == '=');
}

int fg_options_parse(int argc, char **argv, struct fg_options *opts, struct fg_error *err)
{
	memset(opts, 0, sizeof(*opts));
	opts->grace_ms = DEFAULT_GRACE_MS;
	int i = 1;
	for (; i < argc; i++) {
		const char *arg = argv[i];
		const char *value;
		if (strcmp(arg, "--") == 0) {
			i++;
			break;
		}
		if (arg[0] != '-' || arg[1] == '\0')
			break; /* the command starts here */
		if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
			opts->show_help = true;
		} else if (strcmp(arg, "--version") == 0) {
			opts->show_version = true;
		} else if (strcmp(arg, "-g") == 0 || strcmp(arg, "--process-group") == 0) {
			opts->signal_group = true;
		} else if (strcmp(arg, "--log-allowed") == 0) {
			opts->log_allowed = true;
		} else if (strcmp(arg, "--require-landlock") == 0) {
			opts->require_landlock = true;
		} else if (strcmp(arg, "-e") == 0 || is_option(arg, "--remap-exit")) {
			const char *name = arg[1] == 'e' ? "-e" : "--remap-exit";
			if ((value = option_value(argc, argv, &i, name, err)) == NULL)
				return -1;
			char *end = NULL;
			long code = strtol(value, &end, 10);
			if (end == value || *end != '\0' || code < 0 || code > 255)
				return fg_error_set(
				    err, "%s: expected an exit code from 0 to 255, got \"%s\"",
				    name, value);
			opts->remap_to_zero[code] = true;
		} else if (strcmp(arg, "--merge") == 0) {
			opts->learn_merge = true;
		} else if (is_option(arg, "--out")) {
			if ((value = option_value(argc, argv, &i, "--out", err)) == NULL)
				return -1;
			opts->learn_out = value;
		} else if (is_option(arg, "--policy")) {
			if ((value = option_value(argc, argv, &i, "--policy", err)) == NULL)
				return -1;
			opts->policy_path = value;
		} else if (is_option(arg, "--log-format")) {
			if ((value = option_value(argc, argv, &i, "--log-format", err)) == NULL)
				return -1;
			if (strcmp(value, "jsonl") == 0)
				opts->log_format = FG_LOG_JSONL;
			else if (strcmp(value, "auditevent") == 0)
				opts->log_format = FG_LOG_AUDITEVENT;
			else
				return fg_error_set(err,
						    "--log-format: expected \"jsonl\" or "
						    "\"auditevent\", got \"%s\"",
						    value);
		} else if (is_option(arg, "--log")) {
			if ((value = option_value(argc, argv, &i, "--log", err)) == NULL)
				return -1;
			opts->log_path = value;
		} else if (is_option(arg, "--mode")) {
			if ((value = option_value(argc, argv, &i, "--mode", err)) == NULL)
				return -1;
			if (strcmp(value, "enforce") == 0)
				opts->mode = FG_MODE_ENFORCE;
			else if (strcmp(value, "audit") == 0)
				opts->mode = FG_MODE_AUDIT;
			else if (strcmp(value, "learn") == 0)
				opts->learn = true;
			else
				return fg_error_set(err,
						    "--mode: expected \"enforce\", \"audit\" or "
						    "\"learn\", got \"%s\"",
						    value);
			opts->mode_given = true;
		} else if (is_option(arg, "--grace")) {
			if ((value = option_value(argc, argv, &i, "--grace", err)) == NULL)
				return -1;
			if (parse_grace(value, &opts->grace_ms, err) < 0)
				return -1;
		} else {
			return fg_error_set(err, "unknown option \"%s\" (see --help)", arg);
		}
	}
	if (opts->show_help || opts->show_version)
		return 0;
	if (opts->learn && opts->learn_out == NULL)
		return fg_error_set(
		    err, "learn mode needs --out POLICY (where to write the learned policy)");
	if (!opts->learn && (opts->learn_out != NULL || opts->learn_merge))
		return fg_error_set(err, "--out and --merge go with learn mode (fhirguard learn "
					 "--out POLICY -- COMMAND)");
	if (opts->learn) {
		/* Learning runs permissively: nothing is denied, everything seen. */
		opts->mode = FG_MODE_AUDIT;
		opts->mode_given = true;
	}
	if (i >= argc)
		return fg_error_set(
		    err, "no command given (usage: fhirguard [OPTIONS] [--] COMMAND [ARG...])");
	opts->command = argv + i;
	return 0;
}
