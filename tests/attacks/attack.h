/* attack.h - what every attack program and the runner agree on.
 *
 * The runner (runner.c) prepares ATK_ROOT natively, as root, before each run:
 * a writable work directory, a secret the policy (policy.json) refuses, and
 * the programs themselves under ATK_BIN, the only place the policy lets run.
 *
 * Every attack program prints exactly one line "RESULT won: ...",
 * "RESULT blocked: ..." or "RESULT error: ..." and exits with one of the
 * codes below. Exit 0 means the attack achieved its goal, which for most of
 * them is: the secret's content was read, a forbidden program ran, a
 * forbidden port was reached, the supervisor was touched, or the forbidden
 * kernel operation happened.
 */
#ifndef FG_ATTACK_H
#define FG_ATTACK_H

#include <stdbool.h>
#include <stddef.h>

#define ATK_ROOT      "/tmp/fhirguard-attacks"
#define ATK_WORK      ATK_ROOT "/work"		 /* read, write, create, delete */
#define ATK_BIN	      ATK_ROOT "/bin"		 /* the programs; read and exec */
#define ATK_SECRET    ATK_ROOT "/secret/key"	 /* refused entirely */
#define ATK_VISIBLE   ATK_ROOT "/secret/visible" /* stat allowed, read refused */
#define ATK_PUBLIC    ATK_WORK "/pub/key"	 /* an allowed file */
#define ATK_VAULT     ATK_WORK "/vlt/key"	 /* refused, inside the allowed tree */
#define ATK_READONLY  ATK_ROOT "/readonly.txt"	 /* read allowed, write refused */
#define ATK_JAIL      ATK_ROOT "/jail"		 /* stat allowed, read refused */
#define ATK_WORK_JAIL ATK_WORK "/jail"		 /* the same inside the writable tree */

/* Two secrets: ATK_SECRET lies outside every tree the policy allows, so
 * Landlock refuses it too; ATK_VAULT lies inside the writable tree, where
 * only the supervisor refuses it (Landlock has no "deny inside an allowed
 * tree"). Attacks on paths take "secret" or "vault" to choose. */
const char *atk_target(const char *name);

/* What the files hold. Everything secret starts with ATK_SECRET_MARK. */
#define ATK_SECRET_MARK "FHIRGUARD-ATTACK-SECRET"
#define ATK_PUBLIC_MARK "public content"

/* TCP ports on 127.0.0.1: the runner listens on both connect ports (and on
 * 127.0.0.2:ATK_PORT_ALLOWED, a forbidden address); the attacks bind the
 * bind ports themselves. */
#define ATK_PORT_ALLOWED   47101
#define ATK_PORT_FORBIDDEN 47102
#define ATK_BIND_ALLOWED   47103
#define ATK_BIND_FORBIDDEN 47104
/* UDP: the runner receives on both and counts datagrams on the forbidden. */
#define ATK_SEND_ALLOWED   47105
#define ATK_SEND_FORBIDDEN 47106

enum atk_exit {
	ATK_WON = 0,	     /* the attack achieved its goal */
	ATK_BLOCKED = 1,     /* it did not */
	ATK_ERROR = 2,	     /* it could not even try: a broken test */
	ATK_UNAVAILABLE = 3, /* the kernel has no such call (ENOSYS) */
};

/* Prints "RESULT <word>: <message>" and exits with the code. */
_Noreturn void atk_result(enum atk_exit code, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Reads up to size-1 bytes from fd into buf (NUL-terminated); -1 on error. */
long atk_read_fd(int fd, char *buf, size_t size);

/* True when fd's content starts with ATK_SECRET_MARK. */
bool atk_fd_is_secret(int fd);

/* The errno name of err ("EPERM"). */
const char *atk_errname(int err);

/* Selects the mode function named argv[1]: a table of { name, function }
 * ended by { NULL, NULL }. Prints the modes and exits ATK_ERROR on a bad
 * name. */
struct atk_mode {
	const char *name;
	int (*run)(int argc, char **argv); /* argv[0] is the mode */
};
_Noreturn void atk_dispatch(const struct atk_mode *modes, int argc, char **argv);

#endif
