/**
 * certificates.k8s.io/v1 CertificateSigningRequest conditions as kube-apiserver's strategy
 * and validation treat them (own code, for its causes): timestamps filled on `status` and
 * `approval` updates (a condition that keeps its type and status keeps its transition
 * time), Approved/Denied instances kept as stored through `status`, each condition's type
 * and status checked, Approved and Denied exclusive, no repeated type, no Approved, Denied
 * or Failed condition removed, and Approved/Denied added only through `approval`.
 */
import type { StatusCause } from '../errors.js';
import { isObject, type JsonObject } from '../json.js';
import { timestamp } from '../state.js';
import { duplicate, forbiddenValue, invalidValue, notSupported, required } from '../validation.js';

const PATH = 'status.conditions';
/** Condition types whose status may only be True. */
const TRUE_ONLY = ['Approved', 'Denied', 'Failed'];

/** The conditions of a request (those that are objects). */
export function conditionsOf(csr: JsonObject): JsonObject[] {
  const list = isObject(csr.status) ? csr.status.conditions : undefined;
  return Array.isArray(list) ? list.filter(isObject) : [];
}

const ofType = (csr: JsonObject, type: string) => conditionsOf(csr).filter((c) => c.type === type);

/** Fills the timestamps a `status` or `approval` update leaves out, as PrepareForUpdate does. */
export function populateConditionTimestamps(next: JsonObject, prev: JsonObject): void {
  const now = timestamp();
  for (const c of conditionsOf(next)) {
    if (!c.lastUpdateTime) c.lastUpdateTime = now;
    if (!c.lastTransitionTime) {
      const same = conditionsOf(prev).find(
        (o) => o.type === c.type && o.status === c.status && o.lastTransitionTime,
      );
      c.lastTransitionTime = same?.lastTransitionTime ?? now;
    }
  }
}

/** Through `status`, the stored Approved and Denied conditions stay as they were (same count). */
export function preserveApprovals(next: JsonObject, prev: JsonObject): void {
  const list = isObject(next.status) ? next.status.conditions : undefined;
  if (!Array.isArray(list)) return;
  for (const type of ['Approved', 'Denied']) {
    const old = ofType(prev, type);
    const at = list.flatMap((c, i) => (isObject(c) && c.type === type ? [i] : []));
    if (old.length !== at.length) continue;
    at.forEach((i, n) => {
      list[i] = old[n]!;
    });
  }
}

/** Each condition's causes (every write). */
export function conditionCauses(csr: JsonObject): StatusCause[] {
  const causes: StatusCause[] = [];
  const seen = new Set<string>();
  let approved = false;
  let denied = false;
  conditionsOf(csr).forEach((c, i) => {
    const type = typeof c.type === 'string' ? c.type : '';
    const status = typeof c.status === 'string' ? c.status : '';
    if (!type) causes.push(required(`${PATH}[${i}].type`));
    const allowed = TRUE_ONLY.includes(type) ? ['True'] : ['False', 'True', 'Unknown'];
    if (!status) causes.push(required(`${PATH}[${i}].status`));
    else if (!allowed.includes(status))
      causes.push(notSupported(`${PATH}[${i}].status`, status, allowed));
    if ((type === 'Approved' && denied) || (type === 'Denied' && approved)) {
      causes.push(
        invalidValue(PATH, type, 'Approved and Denied conditions are mutually exclusive'),
      );
    }
    if (type === 'Approved') approved = true;
    if (type === 'Denied') denied = true;
    if (seen.has(type)) causes.push(duplicate(`${PATH}[${i}].type`, type));
    seen.add(type);
  });
  return causes;
}

/** An update's causes: no removed Approved/Denied/Failed, approvals only through `approval`. */
export function conditionUpdateCauses(
  next: JsonObject,
  prev: JsonObject,
  subresource: string | undefined,
): StatusCause[] {
  const causes: StatusCause[] = [];
  for (const type of ['Approved', 'Denied', 'Failed']) {
    if (ofType(next, type).length < ofType(prev, type).length) {
      causes.push(forbiddenValue(PATH, `updates may not remove a condition of type "${type}"`));
    }
  }
  if (subresource === 'approval') return causes;
  for (const type of ['Approved', 'Denied']) {
    if (ofType(next, type).length > ofType(prev, type).length)
      causes.push(forbiddenValue(PATH, `updates may not add a condition of type "${type}"`));
  }
  return causes;
}
