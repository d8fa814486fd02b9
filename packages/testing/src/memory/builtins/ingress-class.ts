/**
 * networking.k8s.io/v1 IngressClass: a `parameters` reference's `scope` defaults to
 * `Cluster` (networking/v1); kube-apiserver checks the spec (own code, for its causes and
 * their order): `controller` is a domain-prefixed path of at most 250 bytes that cannot
 * change, and `parameters` names a kind and a name (path segments), an optional
 * subdomain `apiGroup`, and a scope: `Namespace` with a namespace, `Cluster` without.
 */
import { dns1123LabelErrors, dns1123SubdomainErrors } from '@kube-ts/schema/validation';
import type { StatusCause } from '../errors.js';
import { isObject, type Json, type JsonObject } from '../json.js';
import {
  domainPrefixedPathCauses,
  forbiddenValue,
  invalidValue,
  notSupported,
  pathSegmentNameErrors,
  required,
  tooLong,
} from '../validation.js';
import { FIELD_IMMUTABLE, type KindRules } from './kind-rules.js';

const MAX_CONTROLLER = 250;
const SCOPES = ['Cluster', 'Namespace'];

const specOf = (obj: JsonObject) => (isObject(obj.spec) ? obj.spec : {});
const each = (field: string, value: Json, messages: string[]) =>
  messages.map((why) => invalidValue(field, value, why));

function parametersCauses(p: JsonObject, at: string): StatusCause[] {
  const causes: StatusCause[] = [];
  if (typeof p.apiGroup === 'string')
    causes.push(...each(`${at}.apiGroup`, p.apiGroup, dns1123SubdomainErrors(p.apiGroup)));
  for (const key of ['kind', 'name']) {
    const v = typeof p[key] === 'string' ? p[key] : '';
    if (v === '') causes.push(required(`${at}.${key}`));
    else causes.push(...each(`${at}.${key}`, v, pathSegmentNameErrors(v)));
  }
  const scope = p.scope;
  if (scope === undefined || scope === null) return [...causes, required(`${at}.scope`)];
  if (!SCOPES.includes(String(scope))) causes.push(notSupported(`${at}.scope`, scope, SCOPES));
  else if (scope === 'Namespace') {
    if (typeof p.namespace !== 'string')
      causes.push(required(`${at}.namespace`, "`parameters.scope` is set to 'Namespace'"));
    else causes.push(...each(`${at}.namespace`, p.namespace, dns1123LabelErrors(p.namespace)));
  } else if (p.namespace !== undefined && p.namespace !== null) {
    causes.push(forbiddenValue(`${at}.namespace`, "`parameters.scope` is set to 'Cluster'"));
  }
  return causes;
}

/** networking.k8s.io/v1 IngressClass's defaults and validation. */
export const ingressClassRules: KindRules = {
  defaults(obj) {
    const params = specOf(obj).parameters;
    if (isObject(params)) params.scope ??= 'Cluster';
  },
  validate(obj) {
    const spec = specOf(obj);
    const controller = typeof spec.controller === 'string' ? spec.controller : '';
    const causes: StatusCause[] = [];
    if (controller.length > MAX_CONTROLLER) causes.push(tooLong('spec.controller', MAX_CONTROLLER));
    causes.push(...domainPrefixedPathCauses('spec.controller', controller));
    if (isObject(spec.parameters))
      causes.push(...parametersCauses(spec.parameters, 'spec.parameters'));
    return causes;
  },
  validateUpdate(next, prev) {
    const a = specOf(next).controller ?? '';
    return a === (specOf(prev).controller ?? '')
      ? []
      : [invalidValue('spec.controller', a, FIELD_IMMUTABLE)];
  },
};
