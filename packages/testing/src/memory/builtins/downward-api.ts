/**
 * The downward API selectors of volume files and env vars, checked as kube-apiserver's
 * `validateObjectFieldSelector` and `validateContainerResourceFieldSelector` check them
 * (own code: the causes and their words are what a test sees), resource divisors included.
 */
import { Quantity } from '@kube-ts/schema/validation';
import type { StatusCause } from '../errors.js';
import { type Json, type JsonObject, str } from '../json.js';
import { invalidValue, notSupported, qualifiedNameErrors, required } from '../validation.js';
import { decodeQuantity } from './quantities.js';

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

/** The divisors kube-apiserver accepts for memory, storage and huge pages, as `String()` writes them. */
const BYTE_DIVISORS = [
  '1',
  ...['k', 'M', 'G', 'T', 'P', 'E', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'].map((s) => `1${s}`),
];
const BYTE_DIVISOR_LIST = BYTE_DIVISORS.join(', ');

/**
 * `validateContainerResourceDivisor`: a set divisor (not zero) must be one the resource
 * supports; the cause quotes the resource, not the divisor, as kube-apiserver does.
 */
function divisorCauses(resource: string, divisor: Json | undefined, at: string): StatusCause[] {
  const text =
    typeof divisor === 'string' ? divisor : typeof divisor === 'number' ? String(divisor) : '';
  const q = Quantity.parse(text);
  if (!q || q.sign() === 0) return [];
  const decoded = decodeQuantity(text);
  const canonical = 'text' in decoded ? decoded.text : text;
  const refuse = (what: string, allowed: string) =>
    invalidValue(
      `${at}.divisor`,
      resource,
      `only divisor's values ${allowed} are supported with the ${what}`,
    );
  const causes: StatusCause[] = [];
  const base = resource.replace(/^(limits|requests)\./, '');
  if (base === 'cpu' && !['1m', '1'].includes(canonical)) {
    causes.push(refuse('cpu resource', '1m and 1'));
  } else if (base === 'memory' && !BYTE_DIVISORS.includes(canonical)) {
    causes.push(refuse('memory resource', BYTE_DIVISOR_LIST));
  } else if (base === 'ephemeral-storage' && !BYTE_DIVISORS.includes(canonical)) {
    causes.push(refuse('local ephemeral storage resource', BYTE_DIVISOR_LIST));
  }
  if (base.startsWith('hugepages-') && base !== resource && !BYTE_DIVISORS.includes(canonical)) {
    causes.push(refuse('hugepages resource', BYTE_DIVISOR_LIST));
  }
  return causes;
}

/**
 * A `resourceFieldRef` at `at`: a container name (required in volume files, `volume`), a
 * resource of the container's limits or requests (huge pages included), and a divisor the
 * resource supports.
 */
export function resourceFieldRefCauses(
  ref: JsonObject,
  at: string,
  volume: boolean,
): StatusCause[] {
  const resource = str(ref.resource);
  const causes: StatusCause[] = [];
  const hugePages =
    resource.startsWith('requests.hugepages-') || resource.startsWith('limits.hugepages-');
  if (volume && str(ref.containerName) === '') causes.push(required(`${at}.containerName`));
  else if (resource === '') causes.push(required(`${at}.resource`));
  else if (!RESOURCE_FIELDS.includes(resource) && !hugePages) {
    causes.push(notSupported(`${at}.resource`, resource, RESOURCE_FIELDS));
  }
  causes.push(...divisorCauses(resource, ref.divisor, at));
  return causes;
}
