/* zombie_count [PID...]: with no arguments, counts the processes and the
 * zombies visible in /proc (run it inside the PID namespace under test);
 * with PIDs, counts how many of those still exist and how many of them are
 * zombies. Prints "processes N" and "zombies N". */
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <string.h>

/* Returns the state letter of a process, or 0 when it does not exist. */
static char state_of(const char *pid)
{
	char path[300], text[512];
	snprintf(path, sizeof(path), "/proc/%s/stat", pid);
	FILE *f = fopen(path, "r");
	if (f == NULL)
		return 0;
	size_t n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = '\0';
	const char *close_paren = strrchr(text, ')');
	if (close_paren == NULL || close_paren[1] != ' ')
		return 0;
	return close_paren[2];
}

int main(int argc, char **argv)
{
	int zombies = 0, processes = 0;
	if (argc > 1) {
		for (int i = 1; i < argc; i++) {
			char state = state_of(argv[i]);
			processes += state != 0;
			zombies += state == 'Z';
		}
	} else {
		DIR *proc = opendir("/proc");
		if (proc == NULL)
			return 1;
		struct dirent *entry;
		while ((entry = readdir(proc)) != NULL) {
			if (!isdigit((unsigned char)entry->d_name[0]))
				continue;
			char state = state_of(entry->d_name);
			processes += state != 0;
			zombies += state == 'Z';
		}
		closedir(proc);
	}
	printf("processes %d\nzombies %d\n", processes, zombies);
	return 0;
}
