/* payload.so: native code an attacker brings. The runner copies it into the
 * writable directory, where the policy grants no exec right. */
int fhirguard_attack_payload(void);

int fhirguard_attack_payload(void)
{
	return 42;
}
