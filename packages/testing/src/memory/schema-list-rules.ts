import type { ListRules, OwnershipRule } from './field-set.js';
import { isObject, type JsonObject } from './json.js';

function child(schema: JsonObject | undefined, name: string): JsonObject | undefined {
  if (!schema) return undefined;
  const props = schema.properties;
  if (isObject(props) && isObject(props[name])) return props[name];
  const extra = schema.additionalProperties;
  if (isObject(extra)) return extra;
  return undefined;
}

/** An object schema that server-side apply treats as one value (`x-kubernetes-map-type: atomic`). */
function atomic(schema: JsonObject): boolean {
  return schema['x-kubernetes-map-type'] === 'atomic';
}

/** The rule of a field no schema declares, and of everything below it. */
const DEDUCED: OwnershipRule = { deduced: true };

/** The schema defaults of an item's key fields, which key items that omit them. */
function keyDefaults(item: JsonObject, keys: readonly string[]): JsonObject | undefined {
  const props = isObject(item.properties) ? item.properties : {};
  const out: JsonObject = {};
  for (const k of keys) {
    const p = props[k];
    if (isObject(p) && p.default !== undefined) out[k] = p.default;
  }
  return Object.keys(out).length ? out : undefined;
}

/**
 * List-merge rules of a custom resource from its openAPIV3Schema: `x-kubernetes-list-type:
 * map` lists merge by `x-kubernetes-list-map-keys` (a missing key taking its default), `set` lists as sets, others are atomic;
 * objects marked `x-kubernetes-map-type: atomic` are owned and replaced whole; a field the
 * schema does not declare, kept by `x-kubernetes-preserve-unknown-fields`, is `deduced`.
 */
export function listRulesFromSchema(schema: JsonObject | undefined): ListRules {
  return (path) => {
    let cur = schema;
    for (let i = 0; i < path.length; i++) {
      const parent = cur;
      cur = child(cur, path[i]!);
      if (!cur) return parent?.['x-kubernetes-preserve-unknown-fields'] ? DEDUCED : undefined;
      if (i < path.length - 1 && cur.type === 'array')
        cur = isObject(cur.items) ? cur.items : undefined;
    }
    if (!cur) return undefined;
    if (cur.type !== 'array') return atomic(cur) ? { atomicMap: true } : undefined;
    const type = cur['x-kubernetes-list-type'];
    if (type === 'set') return { set: true };
    if (type === 'map') {
      const keys = cur['x-kubernetes-list-map-keys'];
      if (Array.isArray(keys) && keys.length) {
        const rule: OwnershipRule = { keys: keys.map(String) };
        const item = isObject(cur.items) ? cur.items : {};
        const defaults = keyDefaults(item, rule.keys!);
        if (defaults) rule.defaults = defaults;
        if (atomic(item)) rule.atomicItems = true;
        return rule;
      }
    }
    return undefined;
  };
}
