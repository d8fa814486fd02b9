/**
 * The downward API selectors of volume files and env vars, checked as kube-apiserver's
 * `validateObjectFieldSelector` and `validateContainerResourceFieldSelector` check them
 * (own code: the causes and their words are what a test sees).
 */
import type { StatusCause } from '../errors.js';
import type { JsonObject } from '../json.js';
import { invalidValue, notSupported, qualifiedNameErrors, required } from '../validation.js';

const str = (v: unknown) => (typeof v === 'string' ? v : '');

/** The pod fields a downward API volume file may name (besides subscripted labels and annotations). */
export const VOLUME_FIELD_PATHS = [
  'metadata.annotations',
  'metadata.labels',
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
];
/** The pod fields an env var may take its value from. */
export const ENV_FIELD_PATHS = [
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
  'spec.nodeName',
  'spec.serviceAccountName',
  'status.hostIP',
  'status.hostIPs',
  'status.podIP',
  'status.podIPs',
];
/** The fields `ConvertDownwardAPIFieldLabel` knows for pods (`spec.host` is `spec.nodeName`). */
const POD_FIELD_LABELS = new Set([
  ...VOLUME_FIELD_PATHS,
  ...ENV_FIELD_PATHS,
  'spec.restartPolicy',
  'spec.schedulerName',
  'status.phase',
]);
const RESOURCE_FIELDS = [
  'limits.cpu',
  'limits.ephemeral-storage',
  'limits.memory',
  'requests.cpu',
  'requests.ephemeral-storage',
  'requests.memory',
];

/** `fieldpath.SplitMaybeSubscriptedPath`: `metadata.labels['x']` → path and subscript. */
function splitSubscript(fieldPath: string): [string, string] | undefined {
  if (!fieldPath.endsWith("']")) return undefined;
  const s = fieldPath.slice(0, -2);
  const i = s.indexOf("['");
  return i > 0 ? [s.slice(0, i), s.slice(i + 2)] : undefined;
}

/** A `fieldRef` at `at` that may name the fields in `allowed` (or a subscripted label or annotation). */
export function fieldRefCauses(ref: JsonObject, at: string, allowed: string[]): StatusCause[] {
  const apiVersion = str(ref.apiVersion);
  const fieldPath = str(ref.fieldPath);
  if (apiVersion === '') return [required(`${at}.apiVersion`)];
  if (fieldPath === '') return [required(`${at}.fieldPath`)];
  const sub = splitSubscript(fieldPath);
  let error: string | undefined;
  if (apiVersion !== 'v1') error = `unsupported pod version: ${apiVersion}`;
  else if (sub && sub[0] !== 'metadata.annotations' && sub[0] !== 'metadata.labels') {
    error = `field label does not support subscript: ${fieldPath}`;
  } else if (!sub && !POD_FIELD_LABELS.has(fieldPath) && fieldPath !== 'spec.host') {
    error = `field label not supported: ${fieldPath}`;
  }
  if (error) {
    return [invalidValue(`${at}.fieldPath`, fieldPath, `error converting fieldPath: ${error}`)];
  }
  if (sub) {
    const key = sub[0] === 'metadata.annotations' ? sub[1].toLowerCase() : sub[1];
    return qualifiedNameErrors(key).map((why) => invalidValue(at, key, why));
  }
  const path = fieldPath === 'spec.host' ? 'spec.nodeName' : fieldPath;
  return allowed.includes(path) ? [] : [notSupported(`${at}.fieldPath`, path, allowed)];
}

/**
 * A `resourceFieldRef` at `at`: a container name (required in volume files, `volume`), and a
 * resource of the container's limits or requests (huge pages included).
 */
export function resourceFieldRefCauses(
  ref: JsonObject,
  at: string,
  volume: boolean,
): StatusCause[] {
  const resource = str(ref.resource);
  if (volume && str(ref.containerName) === '') return [required(`${at}.containerName`)];
  if (resource === '') return [required(`${at}.resource`)];
  const hugePages =
    resource.startsWith('requests.hugepages-') || resource.startsWith('limits.hugepages-');
  return RESOURCE_FIELDS.includes(resource) || hugePages
    ? []
    : [notSupported(`${at}.resource`, resource, RESOURCE_FIELDS)];
}
