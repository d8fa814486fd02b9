/**
 * The checks of a Pod's `status` write, as kube-apiserver's `ValidatePodStatusUpdate` makes
 * them (own code; the causes, their order and words are what a test sees): conditions'
 * observed generations and the types of conditions other than the system ones, a changed
 * `nominatedNodeName` (a node name, not on a Pod already bound), the status's observed
 * generation, the QoS class fixed, terminated containers that may not run again
 * (`pod-container-states.ts`), resource claim statuses (`pod-resource-claims.ts`), pod and
 * host IPs (`pod-ips.ts`), container statuses' users and allocated resources
 * (`pod-container-statuses.ts`).
 */
import { dns1123SubdomainErrors } from '@kube-ts/schema/validation';
import type { StatusCause } from '../errors.js';
import { type Json, type JsonObject, obj, objects, str } from '../json.js';
import { invalidValue, qualifiedNameErrors } from '../validation.js';
import { FIELD_IMMUTABLE } from './kind-rules.js';
import { containerStateCauses } from './pod-container-states.js';
import { containerStatusCauses } from './pod-container-statuses.js';
import { podIPCauses } from './pod-ips.js';
import { resourceClaimStatusCauses } from './pod-resource-claims.js';

const SYSTEM_CONDITIONS = new Set(['PodScheduled', 'Ready', 'Initialized']);
const NON_NEGATIVE = 'must be a non-negative integer';

function conditionCauses(conditions: Json | undefined): StatusCause[] {
  return objects(conditions).flatMap((c, i) => {
    const at = `status.conditions[${i}]`;
    const causes: StatusCause[] = [];
    if (typeof c.observedGeneration === 'number' && c.observedGeneration < 0) {
      causes.push(invalidValue(`${at}.observedGeneration`, c.observedGeneration, NON_NEGATIVE));
    }
    const type = str(c.type);
    if (SYSTEM_CONDITIONS.has(type)) return causes;
    // kube-apiserver names the field by its Go name here.
    for (const m of qualifiedNameErrors(type)) causes.push(invalidValue(`${at}.Type`, type, m));
    return causes;
  });
}

function nominatedNodeCauses(status: JsonObject, prev: JsonObject): StatusCause[] {
  const name = str(status.nominatedNodeName);
  if (name === '' || name === str(obj(prev.status).nominatedNodeName)) return [];
  const at = 'status.nominatedNodeName';
  const causes = dns1123SubdomainErrors(name).map((m) => invalidValue(at, name, m));
  // The ClearingNominatedNodeNameAfterBinding gate is on in v1.36.
  if (str(obj(prev.spec).nodeName) !== '') {
    causes.push({
      reason: 'FieldValueForbidden',
      message: 'Forbidden: may not be set on pods that are already bound to a node',
      field: at,
    });
  }
  return causes;
}

/** The causes of a Pod's status write (`next`, over the stored `prev`), in kube-apiserver's order. */
export function podStatusCauses(next: JsonObject, prev: JsonObject): StatusCause[] {
  const status = obj(next.status);
  const prevStatus = obj(prev.status);
  const causes = [...conditionCauses(status.conditions), ...nominatedNodeCauses(status, prev)];
  if (typeof status.observedGeneration === 'number' && status.observedGeneration < 0) {
    causes.push(invalidValue('status.observedGeneration', status.observedGeneration, NON_NEGATIVE));
  }
  if (str(status.qosClass) !== str(prevStatus.qosClass)) {
    causes.push(invalidValue('status.qosClass', str(status.qosClass), FIELD_IMMUTABLE));
  }
  causes.push(
    ...containerStateCauses(status, prev),
    ...resourceClaimStatusCauses(
      status.resourceClaimStatuses,
      obj(next.spec).resourceClaims,
      'status.resourceClaimStatuses',
    ),
    ...podIPCauses(status, prevStatus),
    ...containerStatusCauses(status, obj(next.spec)),
  );
  return causes;
}
