/* default_policy.c - the policy compiled into fhirguard (policy/hapi-fhir.json). */
#include <stddef.h>

#include "policy.h"

/* Defined in the file meson generates from policy/hapi-fhir.json. */
extern const char fg_default_policy_text[];
extern const size_t fg_default_policy_size;

int fg_policy_load_default(struct fg_policy *policy, struct fg_error *err)
{
	return fg_policy_load_text(fg_default_policy_text, fg_default_policy_size,
				   "(embedded default policy)", policy, err);
}
