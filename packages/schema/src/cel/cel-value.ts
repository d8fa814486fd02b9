/**
 * JSON values as CEL sees them under a CRD schema, as kube-apiserver converts them:
 * `integer` (and int-or-string numbers) become CEL `int` (BigInt), `number` stays a
 * `double`, object property names that are not CEL identifiers are escaped
 * (`foo-bar` → `foo__dash__bar`), and the root's `metadata` shows only `name` and
 * `generateName`.
 */
import type { JSONSchemaProps } from '@kube-ts/k8s/apiextensions/v1';
import { isJsonObject, itemSchema } from '../json-schema.js';

const RESERVED = new Set([
  'true',
  'false',
  'null',
  'in',
  'as',
  'break',
  'const',
  'continue',
  'else',
  'for',
  'function',
  'if',
  'import',
  'let',
  'loop',
  'package',
  'namespace',
  'return',
  'var',
  'void',
  'while',
]);

/** A property name as a CEL rule spells it (the escaping of Kubernetes' CEL library). */
export function celPropertyName(name: string): string {
  if (RESERVED.has(name)) return `__${name}__`;
  return name
    .replaceAll('__', '__underscores__')
    .replaceAll('.', '__dot__')
    .replaceAll('-', '__dash__')
    .replaceAll('/', '__slash__');
}

function isIntegerNode(s: JSONSchemaProps | undefined): boolean {
  return s?.type === 'integer' || s?.['x-kubernetes-int-or-string'] === true;
}

function objectToCel(s: JSONSchemaProps | undefined, v: Record<string, unknown>, root: boolean) {
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (root && k === 'metadata' && isJsonObject(x)) {
      const meta: Record<string, unknown> = {};
      if (x.name !== undefined) meta.name = x.name;
      if (x.generateName !== undefined) meta.generateName = x.generateName;
      out.metadata = meta;
      continue;
    }
    const prop = s?.properties?.[k];
    if (prop) out[celPropertyName(k)] = toCelValue(prop, x);
    else if (typeof s?.additionalProperties === 'object') {
      out[k] = toCelValue(s.additionalProperties, x);
    } else out[k] = toCelValue(undefined, x);
  }
  return out;
}

/**
 * The CEL value of `v` at a node of schema `s` (`undefined` schema: untyped, for fields
 * kept by `x-kubernetes-preserve-unknown-fields`). `root` marks the object's root.
 */
export function toCelValue(s: JSONSchemaProps | undefined, v: unknown, root = false): unknown {
  if (Array.isArray(v)) return v.map((x) => toCelValue(itemSchema(s), x));
  if (isJsonObject(v)) return objectToCel(s, v, root);
  if (typeof v === 'number' && (isIntegerNode(s) || (!s?.type && Number.isInteger(v)))) {
    return BigInt(v);
  }
  return v;
}
