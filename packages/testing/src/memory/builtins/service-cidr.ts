/**
 * networking.k8s.io/v1 ServiceCIDR, as kube-apiserver v1.36.3 keeps it (own code, for its
 * causes): one or two CIDRs in canonical form, one per IP family; on update the CIDRs
 * are fixed but for a second family added to a single one; a status written at create
 * is wiped (`ServiceCIDRStatusFieldWiping`). The ranges that Services take cluster IPs
 * from are the stored ServiceCIDRs' (`MultiCIDRServiceAllocator`, locked on): the
 * `kubernetes` one kube-apiserver makes from `--service-cluster-ip-range` and any other.
 */
import type { StatusCause } from '../errors.js';
import { isObject, type Json, type JsonObject } from '../json.js';
import { metaOf } from '../object-meta.js';
import type { ApiState } from '../state.js';
import { invalidValue, required } from '../validation.js';
import { addressText, type Cidr, cidrErrors, networkOf, parseCidr } from './cidr.js';
import { FIELD_IMMUTABLE, type KindRules } from './kind-rules.js';

/** The storage key of ServiceCIDRs. */
export const SERVICE_CIDRS = 'servicecidrs.networking.k8s.io';

const cidrsOf = (obj: JsonObject): Json[] =>
  isObject(obj.spec) && Array.isArray(obj.spec.cidrs) ? obj.spec.cidrs : [];

/** Go's `IPNet.String()` of a parsed CIDR: its network address and prefix length. */
const canonicalCidr = (c: Cidr) => `${addressText(networkOf(c), c.bits)}/${c.prefix}`;

/** `IsValidCIDR`'s messages: a strictly valid CIDR in canonical form. */
function strictCidrErrors(value: string): string[] {
  const errs = cidrErrors(value);
  if (errs.length) return errs;
  const canonical = canonicalCidr(parseCidr(value)!);
  return canonical === value ? [] : [`must be in canonical form (${JSON.stringify(canonical)})`];
}

function specCauses(cidrs: Json[]): StatusCause[] {
  const at = 'spec.cidrs';
  if (cidrs.length === 0) return [required(at, 'at least one CIDR required')];
  if (cidrs.length > 2) {
    // kube-apiserver quotes its internal spec struct, which has no JSON names.
    return [invalidValue(at, { CIDRs: cidrs }, 'may only hold up to 2 values')];
  }
  const causes = cidrs.flatMap((c, i) =>
    strictCidrErrors(String(c)).map((why) => invalidValue(`${at}[${i}]`, c, why)),
  );
  const [a, b] = cidrs.map((c) => parseCidr(String(c))?.bits);
  if (cidrs.length === 2 && a !== undefined && a === b) {
    causes.push(
      invalidValue(
        at,
        cidrs,
        'may specify no more than one IP for each IP family, i.e 192.168.0.0/24 and 2001:db8::/64',
      ),
    );
  }
  return causes;
}

function updateCauses(next: Json[], prev: Json[]): StatusCause[] {
  if (next.length === prev.length) {
    return prev.flatMap((c, i) =>
      c === next[i] ? [] : [invalidValue(`spec.cidrs[${i}]`, next[i], FIELD_IMMUTABLE)],
    );
  }
  if (prev.length === 1 && next.length === 2) {
    // A second family may be added to a single-family range.
    const first =
      next[0] === prev[0] ? [] : [invalidValue('spec.cidrs[0]', next[0], FIELD_IMMUTABLE)];
    return [...first, ...specCauses(next)];
  }
  return [invalidValue('spec.cidrs', next, FIELD_IMMUTABLE)];
}

/** networking.k8s.io/v1 ServiceCIDR: the spec's checks on create and update. */
export const serviceCidrRules: KindRules = {
  validate(obj, ctx) {
    if (ctx.subresource === 'status') return [];
    return ctx.old ? updateCauses(cidrsOf(obj), cidrsOf(ctx.old)) : specCauses(cidrsOf(obj));
  },
};

/**
 * The ranges cluster IPs may be taken from: the CIDRs of the stored ServiceCIDRs that
 * are ready (no `Ready` condition other than True) and not being deleted, as
 * kube-apiserver's allocators see them (without kube-controller-manager, whose
 * ServiceCIDR controller writes that condition, every new one is ready).
 */
export function serviceRanges(s: ApiState): Cidr[] {
  const out: Cidr[] = [];
  for (const [, obj] of s.storage.scan(SERVICE_CIDRS)) {
    if (metaOf(obj).deletionTimestamp) continue;
    const status = isObject(obj.status) ? obj.status : {};
    const conditions = Array.isArray(status.conditions) ? status.conditions.filter(isObject) : [];
    const ready = conditions.find((c) => c.type === 'Ready');
    if (ready && ready.status !== 'True') continue;
    for (const text of cidrsOf(obj)) {
      const cidr = parseCidr(String(text));
      if (cidr) out.push(cidr);
    }
  }
  return out;
}
