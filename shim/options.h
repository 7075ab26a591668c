/* options.h - fhirguard's command line. */
#ifndef FG_OPTIONS_H
#define FG_OPTIONS_H

#include <stdbool.h>

#include "audit.h"
#include "policy.h"

/* fhirguard's own exit codes (documented in README.md). */
enum {
	FG_EXIT_POLICY_STOP = 123,    /* a "stop" rule matched: the container was stopped */
	FG_EXIT_FHIRGUARD = 125,      /* fhirguard itself failed: usage, policy, setup */
	FG_EXIT_NOT_EXECUTABLE = 126, /* the command exists but cannot be executed */
	FG_EXIT_NOT_FOUND = 127,      /* the command was not found */
};

struct fg_options {
	const char *policy_path; /* NULL: the embedded default policy */
	const char *log_path;	 /* NULL: standard error */
	enum fg_log_format log_format;
	bool mode_given;
	enum fg_mode mode;
	bool log_allowed;
	/* Without Landlock fhirguard warns and enforces with the supervisor
	 * alone; with this it refuses to start instead. */
	bool require_landlock;
	bool signal_group; /* forward signals to the child's process group */
	int grace_ms;	   /* after the main program exits */
	/* Exit codes reported as 0 (-e, as tini's): the JVM exits 143 after
	 * SIGTERM, which a rolling update should count as a clean stop. */
	bool remap_to_zero[256];
	char **command; /* NULL-terminated */
	bool show_help;
	bool show_version;
	/* Learn mode (`fhirguard learn` or --mode learn): run permissively and
	 * write a policy of what the program did to learn_out. */
	bool learn;
	const char *learn_out;
	bool learn_merge; /* add to an existing learn_out instead of replacing it */
};

/* Parses argv. Returns 0, or -1 with a message in err. */
int fg_options_parse(int argc, char **argv, struct fg_options *opts, struct fg_error *err);

void fg_options_print_help(const char *program);

#endif
