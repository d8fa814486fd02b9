/**
 * A Service's `externalIPs`, checked as kube-apiserver 1.36 checks them: each new value a
 * legacy IP (`StrictIPCIDRValidation`'s strict reading) outside the special ranges of
 * `ValidateEndpointIP`; a value the stored Service already had skips the first check, as
 * there (it may predate the stricter rules), but not the second.
 */
import type { StatusCause } from '../errors.js';
import type { Json } from '../json.js';
import { endpointIPCauses, legacyIPCauses } from './ip-addresses.js';

/** The causes of one external IP at `field`; `stored`: the values the stored Service had. */
export function externalIPCauses(
  field: string,
  value: string,
  stored: readonly Json[] = [],
): StatusCause[] {
  const causes = stored.includes(value) ? [] : legacyIPCauses(field, value);
  return causes.length ? causes : endpointIPCauses(field, value);
}

/** The causes of `spec.externalIPs`; `stored`: the stored Service's, on an update. */
export function externalIPsCauses(ips: Json | undefined, stored: Json | undefined): StatusCause[] {
  if (!Array.isArray(ips)) return [];
  const old = Array.isArray(stored) ? stored : [];
  return ips.flatMap((ip, i) => externalIPCauses(`spec.externalIPs[${i}]`, String(ip), old));
}
