/* attack_standin COMMAND [ARG...]: runs COMMAND as its child and exits with
 * its status (128+N for signal N). In native runs of the attacks on the
 * supervisor it stands where fhirguard would be, the target's parent, so that
 * ptrace, process_vm_writev, /proc/PID/mem and kill hit a disposable process
 * of the test, never the runner or anything outside the test. */
#include <errno.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: attack_standin COMMAND [ARG...]\n");
		return 2;
	}
	pid_t child = fork();
	if (child < 0) {
		perror("attack_standin: fork");
		return 2;
	}
	if (child == 0) {
		execv(argv[1], argv + 1);
		perror(argv[1]);
		_exit(127);
	}
	int status;
	while (waitpid(child, &status, 0) < 0) {
		if (errno != EINTR) {
			perror("attack_standin: waitpid");
			return 2;
		}
	}
	return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}
