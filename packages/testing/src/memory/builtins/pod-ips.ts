/**
 * A Pod status's pod and host IPs as kube-apiserver v1.36 handles them (own code; the
 * causes' fields, values and words are what a test sees): the v1 conversion that keeps
 * `podIP` and `podIPs[0]` one value, and `ValidatePodStatusUpdate`'s checks of both lists
 * (new IPs valid, at most one IP of each family, the first host IP equal to `hostIP`).
 */
import type { StatusCause } from '../errors.js';
import { goHtmlEscape } from '../go-json.js';
import { type Json, type JsonObject, objects, str } from '../json.js';
import { invalidValue } from '../validation.js';
import { isIPv4Address, isSloppyIP, legacyIPCauses } from './ip-addresses.js';

/**
 * The v1 conversion of a Pod status, which kube-apiserver makes on every decode and
 * encode (the internal status has `podIPs` only): a `podIP` that differs from `podIPs[0]`
 * replaces the whole list (it is authoritative, for old kubelets), a `podIP` alone fills
 * it, and `podIP` is written back from `podIPs[0]`. `hostIP` is a field of its own there
 * (validation ties `hostIPs[0]` to it), so it is left alone.
 */
export function reconcilePodIPs(status: JsonObject): void {
  const podIP = str(status.podIP);
  const ips = objects(status.podIPs);
  if (podIP !== '' && str(ips[0]?.ip) !== podIP) status.podIPs = [{ ip: podIP }];
  const first = objects(status.podIPs)[0];
  if (first === undefined) return;
  const ip = str(first.ip);
  if (ip === '') delete status.podIP;
  else status.podIP = ip;
}

/**
 * `IsDualStackIPStrings`'s refusal: the InternalError kube-apiserver adds when an address
 * of the list does not parse (the first such one, by index).
 */
function unparsedCause(ips: string[], at: string): StatusCause[] {
  const i = ips.findIndex((ip) => !isSloppyIP(ip));
  if (i < 0) return [];
  return [
    {
      reason: 'InternalError',
      message: `Internal error: failed to check for dual stack with error:invalid IP[${i}]: ${ips[i]}`,
      field: at,
    },
  ];
}

/**
 * A list's checks: new addresses valid (those the stored status had may stay), and two
 * addresses at most, of two families (quoting the internal list, `[{"IP":"…"}]`).
 */
function ipListCauses(ips: Json | undefined, old: Json | undefined, at: string): StatusCause[] {
  const existing = new Set(objects(old).map((p) => str(p.ip)));
  const values = objects(ips).map((p) => str(p.ip));
  const causes = values.flatMap((ip, i) =>
    existing.has(ip) ? [] : legacyIPCauses(`${at}[${i}]`, ip),
  );
  if (values.length < 2) return causes;
  causes.push(...unparsedCause(values, at));
  const parsed = values.every(isSloppyIP);
  const v4 = values.filter(isIPv4Address).length;
  if (!parsed || v4 === 0 || v4 === values.length || values.length > 2) {
    const quoted = goHtmlEscape(JSON.stringify(values.map((ip) => ({ IP: ip }))));
    causes.push({
      reason: 'FieldValueInvalid',
      message: `Invalid value: ${quoted}: may specify no more than one IP for each IP family`,
      field: at,
    });
  }
  return causes;
}

/** The causes of a status write's `podIPs`, then its `hostIPs` (`validatePodIPs`, `validateHostIPs`). */
export function podIPCauses(status: JsonObject, prevStatus: JsonObject): StatusCause[] {
  const causes = ipListCauses(status.podIPs, prevStatus.podIPs, 'status.podIPs');
  const first = objects(status.hostIPs)[0];
  if (first === undefined) return causes;
  if (str(first.ip) !== str(status.hostIP)) {
    causes.push(invalidValue('status.hostIPs[0].ip', str(first.ip), 'must be equal to `hostIP`'));
  }
  return [...causes, ...ipListCauses(status.hostIPs, prevStatus.hostIPs, 'status.hostIPs')];
}
