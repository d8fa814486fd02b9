/**
 * storage.k8s.io/v1 StorageClass: storage/v1's defaults (`reclaimPolicy: Delete`,
 * `volumeBindingMode: Immediate`) and kube-apiserver's checks (own code, for its causes and
 * their order): a provisioner that is a qualified name (checked in lower case), at most
 * 512 parameters of at most 256 KiB together with no empty key, a known reclaim policy
 * and binding mode; an update checks all that, then may change none of `parameters`,
 * `provisioner`, `reclaimPolicy` and `volumeBindingMode`. Allowed topologies: each
 * expression's values present and distinct, its key a qualified name, once per term, no
 * term repeated (kube-apiserver's quirk included: an empty term repeats each term's place,
 * so it is reported once per term). Deprecated node labels there are warned about.
 */
import type { StatusCause } from '../errors.js';
import { sortedKeys } from '../go-print.js';
import { deepEqual, isObject, type Json, type JsonObject, str } from '../json.js';
import {
  duplicate,
  invalidValue,
  notSupported,
  qualifiedNameErrors,
  required,
  tooLong,
} from '../validation.js';
import { FIELD_IMMUTABLE, type KindRules } from './kind-rules.js';
import { deprecatedNodeLabelMessage } from './node-label-warnings.js';

const RECLAIM_POLICIES = ['Delete', 'Retain'];
const BINDING_MODES = ['Immediate', 'WaitForFirstConsumer'];
const MAX_PARAMETERS = 512;
const MAX_PARAMETER_BYTES = 256 * 1024;
const IMMUTABLE = ['parameters', 'provisioner', 'reclaimPolicy', 'volumeBindingMode'];

/**
 * `validateParameters` for the map at `at` (a StorageClass's or VolumeAttributesClass's
 * `parameters`): at most 512 entries of at most 256 KiB together, no empty key, and with
 * `allowEmpty` false at least one entry.
 */
export function parameterCauses(
  params: Json | undefined,
  at: string,
  allowEmpty = true,
): StatusCause[] {
  const entries = isObject(params) ? Object.entries(params) : [];
  if (entries.length > MAX_PARAMETERS) return [tooLong(at, MAX_PARAMETERS)];
  const causes: StatusCause[] = [];
  let bytes = 0;
  for (const [k, v] of entries) {
    if (k === '') causes.push(invalidValue(at, k, 'field can not be empty.'));
    bytes += Buffer.byteLength(k) + Buffer.byteLength(String(v));
  }
  if (bytes > MAX_PARAMETER_BYTES) causes.push(tooLong(at, MAX_PARAMETER_BYTES));
  if (!allowEmpty && entries.length === 0)
    causes.push(required(at, 'must contain at least one key/value pair'));
  return causes;
}

/**
 * `validateProvisioner` for the name at `at` (a StorageClass's `provisioner`, a
 * VolumeAttributesClass's `driverName`): required, a qualified name in lower case.
 */
export function provisionerCauses(name: Json | undefined, at: string): StatusCause[] {
  const value = typeof name === 'string' ? name : '';
  if (value === '') return [required(at)];
  const lower = value.toLowerCase();
  return qualifiedNameErrors(lower).map((why) => invalidValue(at, lower, why));
}

const list = (v: Json | undefined) => (Array.isArray(v) ? v.filter(isObject) : []);

/** Whether two terms (key → values) are equal as Go's semantic equality sees them. */
function sameTerm(a: Map<string, Set<string>>, b: Map<string, Set<string>>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, values] of a) {
    const other = b.get(k);
    if (!other || other.size !== values.size || [...values].some((v) => !other.has(v)))
      return false;
  }
  return true;
}

/** `validateAllowedTopologies`. */
function topologyCauses(topologies: Json | undefined): StatusCause[] {
  const terms = list(topologies);
  const causes: StatusCause[] = [];
  // kube-apiserver starts its list of seen terms with one empty term per term.
  const seen: Map<string, Set<string>>[] = terms.map(() => new Map());
  terms.forEach((term, i) => {
    const at = `allowedTopologies[${i}].matchLabelExpressions`;
    const keys = new Map<string, Set<string>>();
    list(term.matchLabelExpressions).forEach((e, j) => {
      const values = Array.isArray(e.values) ? e.values.map(str) : [];
      if (values.length === 0) causes.push(required(`${at}[${j}].values`));
      const set = new Set<string>();
      values.forEach((v, k) => {
        if (set.has(v)) causes.push(duplicate(`${at}[${j}].values[${k}]`, v));
        set.add(v);
      });
      const key = str(e.key);
      for (const why of qualifiedNameErrors(key))
        causes.push(invalidValue(`${at}[${j}].key`, key, why));
      if (keys.has(key)) causes.push(duplicate(`${at}[${j}].key`, key));
      keys.set(key, set);
    });
    for (const other of seen) if (sameTerm(keys, other)) causes.push(duplicate(at, ''));
    seen.push(keys);
  });
  return causes;
}

/** `GetWarningsForStorageClass`: deprecated node labels in the allowed topologies. */
function classWarnings(obj: JsonObject): string[] {
  return list(obj.allowedTopologies).flatMap((term, i) =>
    list(term.matchLabelExpressions).flatMap((e, j) => {
      const msg = deprecatedNodeLabelMessage(str(e.key));
      return msg ? [`allowedTopologies[${i}].matchLabelExpressions[${j}].key: ${msg}`] : [];
    }),
  );
}

function classCauses(obj: JsonObject): StatusCause[] {
  const causes = provisionerCauses(obj.provisioner, 'provisioner');
  causes.push(...parameterCauses(obj.parameters, 'parameters'));
  const policy = obj.reclaimPolicy;
  if (typeof policy === 'string' && policy !== '' && !RECLAIM_POLICIES.includes(policy))
    causes.push(notSupported('reclaimPolicy', policy, RECLAIM_POLICIES));
  const mode = obj.volumeBindingMode;
  if (mode === undefined || mode === null) causes.push(required('volumeBindingMode'));
  else if (!BINDING_MODES.includes(String(mode)))
    causes.push(notSupported('volumeBindingMode', mode, BINDING_MODES));
  causes.push(...topologyCauses(obj.allowedTopologies));
  return causes;
}

/** storage.k8s.io/v1 StorageClass's defaults, validation and immutable fields. */
export const storageClassRules: KindRules = {
  defaults(obj) {
    obj.reclaimPolicy ??= 'Delete';
    obj.volumeBindingMode ??= 'Immediate';
  },
  // kube-apiserver checks an update as a create first, then its immutable fields.
  validate: (obj, ctx) => (ctx.create ? classCauses(obj) : []),
  warnings: classWarnings,
  validateUpdate(next, prev) {
    const causes = classCauses(next);
    for (const field of IMMUTABLE) {
      if (!deepEqual(next[field] ?? null, prev[field] ?? null))
        causes.push(invalidValue(field, sortedKeys(next[field] ?? null), FIELD_IMMUTABLE));
    }
    return causes;
  },
};
