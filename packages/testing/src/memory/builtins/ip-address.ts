/**
 * networking.k8s.io/v1 IPAddress, as kube-apiserver v1.36.3 checks it (own code, for its
 * causes): the name is an IP address in canonical form, `spec.parentRef` names a resource
 * and an object (path segments, a subdomain group) and never changes.
 */
import { dns1123SubdomainErrors } from '@kube-ts/schema/validation';
import type { StatusCause } from '../errors.js';
import { isObject, type Json, type JsonObject, str } from '../json.js';
import { invalidValue, pathSegmentNameErrors, required } from '../validation.js';
import { strictIPCauses } from './ip-addresses.js';
import { FIELD_IMMUTABLE, type KindRules } from './kind-rules.js';

/** The storage key of IPAddresses. */
export const IP_ADDRESSES = 'ipaddresses.networking.k8s.io';

const parentRefOf = (obj: JsonObject): JsonObject | undefined =>
  isObject(obj.spec) && isObject(obj.spec.parentRef) ? obj.spec.parentRef : undefined;

function parentRefCauses(ref: JsonObject | undefined): StatusCause[] {
  const at = 'spec.parentRef';
  if (!ref) return [required(at)];
  const causes: StatusCause[] = [];
  const group = str(ref.group);
  if (group !== '') {
    causes.push(
      ...dns1123SubdomainErrors(group).map((why) => invalidValue(`${at}.group`, group, why)),
    );
  }
  const segment = (field: string, needed: boolean) => {
    const value = str(ref[field]);
    if (value === '') {
      if (needed) causes.push(required(`${at}.${field}`));
      return;
    }
    for (const why of pathSegmentNameErrors(value))
      causes.push(invalidValue(`${at}.${field}`, value, why));
  };
  segment('resource', true);
  segment('name', true);
  segment('namespace', false);
  return causes;
}

/** The internal ParentReference as kube-apiserver quotes it (Go field names, no JSON tags). */
function goParentRef(ref: JsonObject | undefined): Json {
  if (!ref) return null;
  return {
    Group: str(ref.group),
    Resource: str(ref.resource),
    Namespace: str(ref.namespace),
    Name: str(ref.name),
  };
}

/** networking.k8s.io/v1 IPAddress: its name, its parent reference, which is immutable. */
export const ipAddressRules: KindRules = {
  nameCauses(name) {
    return strictIPCauses('metadata.name', name);
  },

  validate(obj, ctx) {
    if (!ctx.old) return parentRefCauses(parentRefOf(obj));
    const [now, was] = [goParentRef(parentRefOf(obj)), goParentRef(parentRefOf(ctx.old))];
    return JSON.stringify(now) === JSON.stringify(was)
      ? []
      : [invalidValue('spec.parentRef', now, FIELD_IMMUTABLE)];
  },
};
