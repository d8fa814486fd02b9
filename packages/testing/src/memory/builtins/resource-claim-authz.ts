/**
 * The granular authorization of a ResourceClaim status update (kube-apiserver's status
 * strategy with DRAResourceClaimGranularStatusAuthorization, beta and on in v1.36):
 * beyond `resourceclaims/status`, changing the allocation or the reservations needs the
 * verb on the synthetic `resourceclaims/binding` (cluster-wide, any name), and changing the
 * device statuses of an allocated claim needs, per driver whose entries changed,
 * `arbitrary-node:<verb>` on the synthetic `resourceclaims/driver` named for the driver —
 * or `associated-node:<verb>` for a ServiceAccount whose token is bound to the node the
 * claim is allocated on. A refusal is a `Forbidden` cause, not a 403: the strategy
 * reports it with the validation errors (own code; the words are kube-apiserver's).
 */
import { dns1123SubdomainErrors } from '@kube-ts/schema/validation';
import type { ResourceAttributes } from '../auth/request-attributes.js';
import { parseServiceAccountUsername, type UserInfo } from '../auth/user.js';
import type { StatusCause } from '../errors.js';
import { isObject, type Json, type JsonObject, semanticEqual, str } from '../json.js';
import { forbiddenValue } from '../validation.js';
import type { RequestAccess } from './kind-rules.js';

/** The extra key of a ServiceAccount token bound to a Pod: the Pod's node. */
const NODE_NAME_KEY = 'authentication.kubernetes.io/node-name';

const statusOf = (claim: JsonObject): JsonObject => (isObject(claim.status) ? claim.status : {});
const objects = (v: Json | undefined): JsonObject[] => (Array.isArray(v) ? v.filter(isObject) : []);

/** The key of a device status: driver, pool, device and share ID. */
const deviceKey = (d: JsonObject) =>
  JSON.stringify([str(d.driver), str(d.pool), str(d.device), str(d.shareID)]);

/** The drivers whose device statuses were added, removed or changed, sorted. */
function modifiedDrivers(next: JsonObject, prev: JsonObject): string[] {
  const drivers = new Set<string>();
  const old = new Map(objects(prev.devices).map((d) => [deviceKey(d), d]));
  for (const d of objects(next.devices)) {
    const key = deviceKey(d);
    const before = old.get(key);
    old.delete(key);
    if (!before || !semanticEqual(before, d)) drivers.add(str(d.driver));
  }
  for (const d of old.values()) drivers.add(str(d.driver));
  return [...drivers].sort();
}

/** The node an allocation is pinned to by a single `metadata.name In [node]` field term. */
function allocatedNode(allocation: JsonObject): string {
  const selector = isObject(allocation.nodeSelector) ? allocation.nodeSelector : {};
  const terms = objects(selector.nodeSelectorTerms);
  if (terms.length !== 1) return '';
  const term = terms[0]!;
  const fields = objects(term.matchFields);
  if (objects(term.matchExpressions).length !== 0 || fields.length !== 1) return '';
  const f = fields[0]!;
  const values = Array.isArray(f.values) ? f.values : [];
  if (f.key !== 'metadata.name' || f.operator !== 'In' || values.length !== 1) return '';
  return str(values[0]);
}

/** Whether `user` is a ServiceAccount whose token is bound to a Pod on `node`. */
function associatedWithNode(user: UserInfo, node: string): boolean {
  if (!node) return false;
  const sa = parseServiceAccountUsername(user.username);
  if (!sa) return false;
  const nodes = user.extra?.[NODE_NAME_KEY] ?? [];
  return nodes.length === 1 && dns1123SubdomainErrors(nodes[0]!).length === 0 && nodes[0] === node;
}

/** The `binding` check: a changed allocation or reservation list. */
function bindingCauses(status: JsonObject, old: JsonObject, request: RequestAccess): StatusCause[] {
  if (
    semanticEqual(status.allocation, old.allocation) &&
    semanticEqual(status.reservedFor, old.reservedFor)
  ) {
    return [];
  }
  const { verb } = request.attrs;
  const attrs: ResourceAttributes = {
    ...request.attrs,
    subresource: 'binding',
    namespace: '',
    name: '',
  };
  const refused = request.forbidden(attrs);
  if (refused === undefined) return [];
  return [
    forbiddenValue(
      'status.allocation',
      `changing status.allocation or status.reservedFor requires resource="resourceclaims/binding", verb="${verb}" permission: ${refused}`,
    ),
  ];
}

/** The `driver` checks: one per driver whose device statuses changed, any verb allowing. */
function driverCauses(status: JsonObject, old: JsonObject, request: RequestAccess): StatusCause[] {
  const allocation = status.allocation;
  if (!isObject(allocation)) return [];
  const { verb } = request.attrs;
  const verbs = associatedWithNode(request.user, allocatedNode(allocation))
    ? [`associated-node:${verb}`, `arbitrary-node:${verb}`]
    : [`arbitrary-node:${verb}`];
  const causes: StatusCause[] = [];
  for (const driver of modifiedDrivers(status, old)) {
    const refusals = [];
    for (const v of verbs) {
      const refused = request.forbidden({
        ...request.attrs,
        verb: v,
        subresource: 'driver',
        name: driver,
      });
      if (refused === undefined) break;
      refusals.push(refused);
    }
    if (refusals.length < verbs.length) continue;
    causes.push(
      forbiddenValue(
        'status.devices',
        // Go's `%s` of a string slice: `[a b]`; the first refusal is quoted.
        `changing status.devices requires resource="resourceclaims/driver", verb="[${verbs.join(' ')}]" permission: ${refusals[0]}`,
      ),
    );
  }
  return causes;
}

/**
 * The causes of a ResourceClaim status update the requesting user may not make (none for
 * the server's own writes).
 */
export function statusAuthorizationCauses(
  next: JsonObject,
  prev: JsonObject,
  request: RequestAccess | undefined,
): StatusCause[] {
  if (!request) return [];
  const status = statusOf(next);
  const old = statusOf(prev);
  return [...bindingCauses(status, old, request), ...driverCauses(status, old, request)];
}
