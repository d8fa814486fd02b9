/**
 * Port numbers and names as kube-apiserver's `IsValidPortNum` and `IsValidPortName` check
 * them (own code, for their messages): shared by containers, Services, NetworkPolicies and
 * Ingress backends.
 */

/** `IsValidPortNum`'s message for a number outside 1..65535. */
export const PORT_RANGE = 'must be between 1 and 65535, inclusive';

/** `IsValidPortNum`'s messages; empty when valid. */
export function portNumberErrors(port: number): string[] {
  return port < 1 || port > 65535 ? [PORT_RANGE] : [];
}

/** `IsValidPortName`'s messages (an IANA_SVC_NAME); empty when valid. */
export function portNameErrors(name: string): string[] {
  const errs: string[] = [];
  if (name.length > 15) errs.push('must be no more than 15 characters');
  if (!/^[-a-z0-9]+$/.test(name)) {
    errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  }
  if (!/[a-z]/.test(name)) errs.push('must contain at least one letter (a-z)');
  if (name.includes('--')) errs.push('must not contain consecutive hyphens');
  if (name.startsWith('-') || name.endsWith('-')) errs.push('must not begin or end with a hyphen');
  return errs;
}
