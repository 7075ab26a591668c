/* orphan_maker N SECONDS: forks N children that each fork a grandchild
 * sleeping SECONDS and exit at once, so the grandchildren are orphaned and
 * re-parented to the init (or subreaper). Also leaves N zombies-to-be: the
 * children exit without being waited for. Prints the grandchildren's PIDs
 * ("orphan PID") and exits 0 right away. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int count = argc > 1 ? atoi(argv[1]) : 10;
	int seconds = argc > 2 ? atoi(argv[2]) : 1;
	for (int i = 0; i < count; i++) {
		int pipefd[2];
		if (pipe(pipefd) < 0)
			return 1;
		pid_t child = fork();
		if (child < 0)
			return 1;
		if (child == 0) {
			pid_t grandchild = fork();
			if (grandchild == 0) {
				close(pipefd[0]);
				close(pipefd[1]);
				sleep((unsigned int)seconds);
				_exit(0);
			}
			dprintf(pipefd[1], "%d\n", (int)grandchild);
			_exit(0);
		}
		close(pipefd[1]);
		char line[32] = "";
		ssize_t n = read(pipefd[0], line, sizeof(line) - 1);
		close(pipefd[0]);
		if (n > 0) {
			line[n] = '\0';
			printf("orphan %s", line);
		}
		/* Deliberately not waited for: the init must reap it. */
	}
	fflush(stdout);
	return 0;
}
