import type { CustomResourceSubresourceScale } from '@kube-ts/k8s/apiextensions/v1';
import { isJsonObject } from './json-schema.js';
import { dns1123SubdomainProblem } from './names.js';
import { invalidViolation, requiredViolation, type SchemaViolation } from './violation.js';

/**
 * The checks the API server makes on a custom resource besides its schema, in its words.
 */

/** `kind` and `apiVersion` must be the resource's (checked first; other checks wait). */
export function checkTypeMeta(
  obj: Record<string, unknown>,
  apiVersion: string,
  kind: string,
): SchemaViolation[] {
  const out: SchemaViolation[] = [];
  if (obj.kind !== kind) out.push(invalidViolation('kind', obj.kind ?? '', `must be ${kind}`));
  if (obj.apiVersion !== apiVersion) {
    out.push(invalidViolation('apiVersion', obj.apiVersion ?? '', `must be ${apiVersion}`));
  }
  return out;
}

/** `metadata.name` (or `generateName`) is set, and the name is a DNS-1123 subdomain. */
export function checkObjectMeta(obj: Record<string, unknown>): SchemaViolation[] {
  const meta = isJsonObject(obj.metadata) ? obj.metadata : {};
  if (typeof meta.name === 'string' && meta.name !== '') {
    const problem = dns1123SubdomainProblem(meta.name);
    return problem ? [invalidViolation('metadata.name', meta.name, problem)] : [];
  }
  if (typeof meta.generateName !== 'string' || meta.generateName === '') {
    return [requiredViolation('metadata.name', 'name or generateName is required')];
  }
  return [];
}

function valueAt(obj: Record<string, unknown>, jsonPath: string): unknown {
  let node: unknown = obj;
  for (const name of jsonPath.replace(/^\./, '').split('.')) {
    if (!isJsonObject(node)) return undefined;
    node = node[name];
  }
  return node;
}

/** The replica count at `path` (if set) is a non-negative int32 integer. */
export function checkReplicaPath(obj: Record<string, unknown>, path: string): SchemaViolation[] {
  const v = valueAt(obj, path);
  if (v === undefined || v === null) return [];
  if (typeof v !== 'number' || !Number.isInteger(v)) {
    const type =
      typeof v === 'number'
        ? 'float64'
        : typeof v === 'boolean'
          ? 'bool'
          : Array.isArray(v)
            ? '[]interface {}'
            : typeof v === 'object'
              ? 'map[string]interface {}'
              : typeof v;
    return [
      invalidViolation(
        path,
        0,
        `${path} accessor error: ${JSON.stringify(v)} is of the type ${type}, expected int64`,
      ),
    ];
  }
  if (v < 0) return [invalidViolation(path, v, 'should be a non-negative integer')];
  if (v > 2 ** 31 - 1) {
    return [invalidViolation(path, v, `should be less than or equal to ${2 ** 31 - 1}`)];
  }
  return [];
}

/** With a scale subresource: the replica counts are non-negative int32 integers. */
export function checkScale(
  obj: Record<string, unknown>,
  scale: CustomResourceSubresourceScale | undefined,
): SchemaViolation[] {
  if (!scale) return [];
  return [
    ...checkReplicaPath(obj, scale.specReplicasPath),
    ...checkReplicaPath(obj, scale.statusReplicasPath),
  ];
}
