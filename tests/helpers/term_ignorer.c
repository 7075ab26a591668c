/* term_ignorer: ignores SIGTERM, prints "ready", and sleeps for argv[1]
 * seconds. The init must SIGKILL it after the grace period. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	signal(SIGTERM, SIG_IGN);
	printf("ready\n");
	fflush(stdout);
	sleep((unsigned int)(argc > 1 ? atoi(argv[1]) : 60));
	return 0;
}
