/* commands.h - the tools for people who write policies:
 *
 *   fhirguard check POLICY
 *   fhirguard explain POLICY (--path PATH --access RIGHT[,RIGHT] | --connect ADDR:PORT
 *                             | --bind ADDR:PORT | --exec PATH [ARG...]) [--protocol P]
 *
 * Neither runs anything: they load the policy and answer from it.
 */
#ifndef FG_COMMANDS_H
#define FG_COMMANDS_H

/* Returns the exit status: 0 valid, 1 invalid (check); 0 allowed, 1 refused,
 * 2 usage error (explain). */
int fg_command_check(int argc, char **argv);
int fg_command_explain(int argc, char **argv);

#endif
