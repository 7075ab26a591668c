/* sig_recorder: prints "ready" and then one line per signal it receives
 * ("got SIGUSR1"). Exits with status 0 after SIGTERM (printing "got
 * SIGTERM"), or after the number of seconds given as argv[1] (status 3).
 * Used to check that fhirguard forwards signals. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int seconds = argc > 1 ? atoi(argv[1]) : 20;
	sigset_t all;
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, NULL);
	printf("ready %d\n", (int)getpid());
	fflush(stdout);
	struct timespec timeout = { .tv_sec = seconds };
	for (;;) {
		siginfo_t info;
		int sig = sigtimedwait(&all, &info, &timeout);
		if (sig < 0)
			return 3;
		if (sigabbrev_np(sig) != NULL)
			printf("got SIG%s\n", sigabbrev_np(sig));
		else
			printf("got SIG%d\n", sig);
		fflush(stdout);
		if (sig == SIGTERM)
			return 0;
	}
}
