import {
  dns1123LabelErrors,
  dns1123SubdomainErrors,
  labelValueErrors,
  qualifiedNameErrors,
} from '@kube-ts/schema/validation';
import type { StatusCause } from './errors.js';
import { isObject, type Json, type JsonObject } from './json.js';
import type { ResourceType } from './resource-types.js';

/** A FieldValueInvalid cause. */
export function invalidValue(field: string, value: unknown, why: string): StatusCause {
  return {
    reason: 'FieldValueInvalid',
    message: `Invalid value: ${JSON.stringify(value)}: ${why}`,
    field,
  };
}

/** A FieldValueInvalid cause that quotes no value (Go's `field.OmitValueType`). */
export function invalidOmitted(field: string, why: string): StatusCause {
  return { reason: 'FieldValueInvalid', message: `Invalid value: ${why}`, field };
}

/** A FieldValueRequired cause. */
export function required(field: string, why = ''): StatusCause {
  return { reason: 'FieldValueRequired', message: `Required value${why ? `: ${why}` : ''}`, field };
}

/** A FieldValueNotSupported cause (`Unsupported value: "x": supported values: "a", "b"`). */
export function notSupported(
  field: string,
  value: unknown,
  allowed: readonly string[],
): StatusCause {
  const list = allowed.map((v) => JSON.stringify(v)).join(', ');
  return {
    reason: 'FieldValueNotSupported',
    message: `Unsupported value: ${JSON.stringify(value)}: supported values: ${list}`,
    field,
  };
}

/** A FieldValueInvalid cause for a value out of `min`..: `must be greater than or equal to 0`. */
export function notNegative(field: string, value: unknown): StatusCause[] {
  return typeof value === 'number' && value < 0
    ? [invalidValue(field, value, 'must be greater than or equal to 0')]
    : [];
}

/** One FieldValueInvalid cause per message, as kube-apiserver reports a rule's errors. */
function causesOf(field: string, value: unknown, messages: readonly string[]): StatusCause[] {
  return messages.map((m) => invalidValue(field, value, m));
}

/** The causes of a qualified name (`ValidateQualifiedName`), one per broken rule. */
export function qualifiedNameCauses(field: string, value: string): StatusCause[] {
  return causesOf(field, value, qualifiedNameErrors(value));
}

/** The causes of a label value (`IsValidLabelValue`), one per broken rule. */
export function labelValueCauses(field: string, value: string): StatusCause[] {
  return causesOf(field, value, labelValueErrors(value));
}

/** The causes of a name that must be a lowercase RFC 1123 label (empty when valid). */
export function rfc1123LabelCauses(field: string, name: string): StatusCause[] {
  return causesOf(field, name, dns1123LabelErrors(name));
}

/** kube-apiserver's `IsQualifiedName` messages for a value (`prefix/name`); empty when valid. */
export { qualifiedNameErrors };

/**
 * `IsPathSegmentName`'s messages (RBAC object and APIService names, the names RBAC refers to): not `.`
 * or `..`, no `/` or `%`; empty when valid.
 */
export function pathSegmentNameErrors(name: string): string[] {
  if (name === '.' || name === '..') return [`may not be '${name}'`];
  return ['/', '%'].filter((c) => name.includes(c)).map((c) => `may not contain '${c}'`);
}

/** Resources whose names must be RFC 1123 labels rather than subdomains (`group/plural`). */
const LABEL_NAMED = new Set(['/namespaces', '/services', 'apps/statefulsets']);

/**
 * Go's `maskTrailingDash`, with which a name function checks a generateName: a trailing `-`
 * passes as a letter (Go's code drops the character before it too, so `ab-` is checked as
 * `aa`).
 */
function maskTrailingDash(name: string): string {
  return name.length > 1 && name.endsWith('-') ? `${name.slice(0, -2)}a` : name;
}

/**
 * Checks an object name for a resource, as its strategy's name function does; returns the
 * causes (empty when valid). With `prefix`, `name` is a generateName (reported at `field`).
 */
export function validateName(
  t: ResourceType,
  name: string,
  field = 'metadata.name',
  prefix = false,
): StatusCause[] {
  // RBAC objects and APIServices are named by path segments (`system:aggregate-to-view`
  // and the core group's `v1.` are valid), and so are the kinds whose strategy does not
  // check metadata (kube-apiserver's registry then checks names as path segments).
  if (
    t.group === 'rbac.authorization.k8s.io' ||
    t.group === 'apiregistration.k8s.io' ||
    objectMetaRule(t) === 'registry'
  ) {
    const errors = prefix ? pathSegmentPrefixErrors(name) : pathSegmentNameErrors(name);
    return causesOf(field, name, errors);
  }
  const rule = LABEL_NAMED.has(`${t.group}/${t.plural}`)
    ? dns1123LabelErrors
    : dns1123SubdomainErrors;
  return causesOf(field, name, rule(prefix ? maskTrailingDash(name) : name));
}

/**
 * How a kind's strategy validates ObjectMeta on create:
 * - `core`: `ValidateObjectMeta` of k8s.io/kubernetes' core validation, which also requires
 *   each finalizer to be a standard one or domain-qualified (most built-ins);
 * - `generic`: apimachinery's `ValidateObjectMeta`, without that finalizer rule (Leases,
 *   admission configurations, RuntimeClasses, APIServices, CRDs, custom resources);
 * - `registry`: none at all (PodDisruptionBudgets): only the registry's own check after the
 *   strategy's passed, with names as path segments.
 */
export function objectMetaRule(t: ResourceType): 'core' | 'generic' | 'registry' {
  if (!t.builtin || GENERIC_META_GROUPS.has(t.group)) return 'generic';
  return t.group === 'policy' && t.plural === 'poddisruptionbudgets' ? 'registry' : 'core';
}

/**
 * Whether a kind's strategy checks a create's generateName with its name function: not for
 * the kinds that validate ObjectMeta `WithOpts` (ReplicationControllers, DeviceClasses),
 * which check only the generated name.
 */
export function checksGenerateName(t: ResourceType): boolean {
  const key = `${t.group}/${t.plural}`;
  return key !== '/replicationcontrollers' && key !== 'resource.k8s.io/deviceclasses';
}

/** The groups whose kinds validate ObjectMeta with apimachinery's generic function. */
const GENERIC_META_GROUPS = new Set([
  'coordination.k8s.io',
  'admissionregistration.k8s.io',
  'node.k8s.io',
  'apiregistration.k8s.io',
  'apiextensions.k8s.io',
]);

/** `IsValidPathSegmentPrefix`'s messages (a generateName of a path-segment name). */
function pathSegmentPrefixErrors(name: string): string[] {
  return ['/', '%'].filter((c) => name.includes(c)).map((c) => `may not contain '${c}'`);
}

/** The finalizers kube-apiserver knows without a domain prefix. */
const STANDARD_FINALIZERS = new Set(['kubernetes', 'orphan', 'foregroundDeletion']);

/**
 * `ValidateLabels` for a label map at `field` (an object's, a template's, a node
 * selector's): qualified keys, label values.
 */
export function labelsCauses(labels: Json | undefined, field: string): StatusCause[] {
  if (labels === undefined || labels === null) return [];
  if (!isObject(labels)) return [invalidValue(field, labels, 'must be an object')];
  const causes: StatusCause[] = [];
  for (const [k, v] of Object.entries(labels)) {
    causes.push(...causesOf(field, k, qualifiedNameErrors(k)));
    // A value that is no string breaks the pattern (the last of the messages).
    const errors = labelValueErrors(typeof v === 'string' ? v : '-');
    causes.push(...causesOf(field, v, typeof v === 'string' ? errors : errors.slice(-1)));
  }
  return causes;
}

/** `ValidateAnnotations`' key check for an annotation map at `field` (keys in lower case). */
export function annotationsCauses(ann: Json | undefined, field: string): StatusCause[] {
  if (ann === undefined || ann === null) return [];
  if (!isObject(ann)) return [invalidValue(field, ann, 'must be an object')];
  return Object.keys(ann).flatMap((k) => causesOf(field, k, qualifiedNameErrors(k.toLowerCase())));
}

/**
 * Validates metadata (labels, annotations, ownerReferences shape, finalizers) as
 * kube-apiserver's `ValidateObjectMeta` does, in its order; with `kubeFinalizers` (the
 * `core` rule of `objectMetaRule`) finalizers must also be standard or domain-qualified,
 * checked last as there.
 */
export function validateMetadata(meta: JsonObject, kubeFinalizers: boolean): StatusCause[] {
  const causes = [
    ...labelsCauses(meta.labels, 'metadata.labels'),
    ...annotationsCauses(meta.annotations, 'metadata.annotations'),
  ];
  const owners = meta.ownerReferences;
  if (Array.isArray(owners)) {
    let controllers = 0;
    owners.forEach((o, i) => {
      const f = `metadata.ownerReferences[${i}]`;
      if (!isObject(o)) return;
      for (const k of ['apiVersion', 'kind', 'name', 'uid']) {
        if (typeof o[k] !== 'string' || o[k] === '')
          causes.push(required(`${f}.${k}`, `${k} must not be empty`));
      }
      if (o.controller === true) controllers++;
    });
    if (controllers > 1) {
      causes.push(
        invalidValue(
          'metadata.ownerReferences',
          owners,
          'Only one reference can have Controller set to true',
        ),
      );
    }
  }
  const fin = Array.isArray(meta.finalizers) ? meta.finalizers : [];
  for (const f of fin) {
    if (typeof f === 'string')
      causes.push(...causesOf('metadata.finalizers', f, qualifiedNameErrors(f)));
  }
  if (kubeFinalizers) {
    fin.forEach((f, i) => {
      if (typeof f === 'string' && !f.includes('/') && !STANDARD_FINALIZERS.has(f)) {
        causes.push(
          invalidValue(
            `metadata.finalizers[${i}]`,
            f,
            'name is neither a standard finalizer name nor is it fully qualified',
          ),
        );
      }
    });
  }
  return causes;
}

/** A FieldValueForbidden cause. */
export function forbiddenValue(field: string, why: string): StatusCause {
  return { reason: 'FieldValueForbidden', message: `Forbidden: ${why}`, field };
}

/** A FieldValueTooLong cause (`Too long: may not be more than 250 bytes`). */
export function tooLong(field: string, max: number): StatusCause {
  return {
    reason: 'FieldValueTooLong',
    message: `Too long: may not be more than ${max} byte${max === 1 ? '' : 's'}`,
    field,
  };
}

/** A FieldValueDuplicate cause (`Duplicate value: "x"`). */
export function duplicate(field: string, value: unknown): StatusCause {
  return {
    reason: 'FieldValueDuplicate',
    message: `Duplicate value: ${JSON.stringify(value)}`,
    field,
  };
}

/** A FieldValueTooMany cause (`Too many: 101: must have at most 100 items`). */
export function tooMany(field: string, count: number, max: number): StatusCause {
  return {
    reason: 'FieldValueTooMany',
    message: `Too many: ${count}: must have at most ${max} item${max === 1 ? '' : 's'}`,
    field,
  };
}

/** A FieldValueNotFound cause (`Not found: "x"`). */
export function notFoundValue(field: string, value: unknown): StatusCause {
  return { reason: 'FieldValueNotFound', message: `Not found: ${JSON.stringify(value)}`, field };
}

const HTTP_PATH_FORMAT = "[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+";
const HTTP_PATH = new RegExp(`^${HTTP_PATH_FORMAT}$`);

/**
 * `IsDomainPrefixedPath`'s causes (an IngressClass controller, a Job's `managedBy`):
 * `host/path`, the host a DNS subdomain, the path of URL characters.
 */
export function domainPrefixedPathCauses(field: string, value: string): StatusCause[] {
  if (value === '') return [required(field)];
  const slash = value.indexOf('/');
  const host = slash < 0 ? '' : value.slice(0, slash);
  const path = slash < 0 ? '' : value.slice(slash + 1);
  if (host === '' || path === '')
    return [invalidValue(field, value, 'must be a domain-prefixed path (such as "acme.io/foo")')];
  const causes = causesOf(field, host, dns1123SubdomainErrors(host));
  if (!HTTP_PATH.test(path)) {
    causes.push(
      invalidValue(
        field,
        path,
        `Invalid path (regex used for validation is '${HTTP_PATH_FORMAT}')`,
      ),
    );
  }
  return causes;
}
