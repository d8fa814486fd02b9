import { isObject, type Json } from '../json.js';
import generated from './openapi-types.json' with { type: 'json' };

/**
 * The field types of kube-apiserver's built-in kinds, generated from Kubernetes' OpenAPI
 * document by `scripts/generate-builtin-types.mjs`. A type is a leaf name (`string`,
 * `integer`, `number`, `boolean`, `byte`, `Time`, `MicroTime`, `IntOrString`, `Quantity`,
 * `any`), a definition name (an object with known fields), `[]T` (a list) or `{}T` (a map).
 */
interface TypeTable {
  kinds: Record<string, string>;
  types: Record<string, Record<string, string>>;
}

const table = generated as TypeTable;

/** The definition of every object's `metadata`: ObjectMeta. */
export const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

/** The definition name of a built-in kind, e.g. `io.k8s.api.apps.v1.Deployment`. */
export function definitionOf(group: string, version: string, kind: string): string | undefined {
  return table.kinds[`${group}/${version}/${kind}`];
}

/** The declared fields of a definition and their types, e.g. of `io.k8s.api.apps.v1.DeploymentSpec`. */
export function fieldTypes(definition: string): Readonly<Record<string, string>> | undefined {
  return table.types[definition];
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

/**
 * Removes from `value` (in place) every field its type does not declare, as kube-apiserver's
 * typed JSON decoder drops them, and returns their paths in document order, written as the
 * decoder writes them (`spec.replica`, `spec.template.spec.containers[0].foo`). Field names
 * are matched case-sensitively, like the server's decoder.
 */
export function removeUnknownFields(type: string, value: Json | undefined, path = ''): string[] {
  const found: string[] = [];
  const visit = (t: string, v: Json | undefined, p: string) => {
    if (v === undefined || v === null) return;
    if (t.startsWith('[]')) {
      if (Array.isArray(v)) {
        v.forEach((item, i) => {
          visit(t.slice(2), item, `${p}[${i}]`);
        });
      }
      return;
    }
    if (t.startsWith('{}')) {
      if (isObject(v))
        for (const [k, item] of Object.entries(v)) visit(t.slice(2), item, join(p, k));
      return;
    }
    const fields = table.types[t];
    if (!fields || !isObject(v)) return;
    for (const [k, item] of Object.entries(v)) {
      const ft = fields[k];
      if (ft === undefined) {
        found.push(join(p, k));
        delete v[k];
      } else visit(ft, item, join(p, k));
    }
  };
  visit(type, value, path);
  return found;
}
