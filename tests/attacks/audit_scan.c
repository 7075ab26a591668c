#include "runner.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

static bool is_denial(const char *line)
{
	return strstr(line, "\"type\":\"syscall\"") != NULL &&
	       (strstr(line, "\"verdict\":\"deny\"") != NULL ||
		strstr(line, "\"verdict\":\"kill\"") != NULL ||
		strstr(line, "\"verdict\":\"stop\"") != NULL);
}

/* Copies the string value of "key" in line into buf ("?" if absent). */
static void field(const char *line, const char *key, char *buf, size_t size)
{
	char pattern[64];
	snprintf(pattern, sizeof(pattern), "\"%s\":\"", key);
	const char *start = strstr(line, pattern);
	if (start == NULL) {
		snprintf(buf, size, "?");
		return;
	}
	start += strlen(pattern);
	const char *end = strchr(start, '"');
	snprintf(buf, size, "%.*s", end ? (int)(end - start) : 0, start);
}

static bool has_needle(const char *line, const char *const *needles)
{
	for (size_t i = 0; needles != NULL && needles[i] != NULL; i++) {
		if (strstr(line, needles[i]) != NULL)
			return true;
	}
	return false;
}

bool scan_log(const char *path, const char *const *needles, struct log_scan *out)
{
	memset(out, 0, sizeof(*out));
	FILE *f = fopen(path, "r");
	if (f == NULL)
		return false;
	char *line = NULL;
	size_t cap = 0;
	while (getline(&line, &cap, f) >= 0) {
		if (strstr(line, "\"type\":\"exit\"") != NULL)
			out->exit_line = true;
		if (!is_denial(line))
			continue;
		if (out->denials++ == 0)
			snprintf(out->first_denial, sizeof(out->first_denial), "%.*s",
				 (int)strcspn(line, "\n"), line);
		if (!out->audit_found && has_needle(line, needles)) {
			char verdict[16], rule[96], syscall[48];
			field(line, "verdict", verdict, sizeof(verdict));
			field(line, "rule", rule, sizeof(rule));
			field(line, "syscall", syscall, sizeof(syscall));
			snprintf(out->audit, sizeof(out->audit), "%s %s by rule %s", verdict,
				 syscall, rule);
			out->audit_found = true;
		}
	}
	free(line);
	fclose(f);
	return true;
}

static const char *result_line(const struct run *r)
{
	const char *p = r->out;
	const char *found = NULL;
	/* The last result line: a forbidden program may print its own. */
	while (p != NULL && (p = strstr(p, "RESULT ")) != NULL) {
		found = p;
		p += 7;
	}
	return found;
}

bool result_is(const struct run *r, const char *word)
{
	char pattern[32];
	snprintf(pattern, sizeof(pattern), "RESULT %s:", word);
	return r->out != NULL && strstr(r->out, pattern) != NULL;
}

void result_text(const struct run *r, char *buf, size_t size)
{
	const char *line = result_line(r);
	if (line != NULL) {
		line += 7;
		snprintf(buf, size, "%.*s", (int)strcspn(line, "\n"), line);
	} else if (WIFSIGNALED(r->status) || r->exit_code > 128) {
		int sig = WIFSIGNALED(r->status) ? WTERMSIG(r->status) : r->exit_code - 128;
		snprintf(buf, size, "killed by SIG%s (exit %d)",
			 sigabbrev_np(sig) ? sigabbrev_np(sig) : "?", r->exit_code);
	} else {
		snprintf(buf, size, "no result line, exit %d", r->exit_code);
	}
}
