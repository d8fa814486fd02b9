import type { JsonObject } from '../json.js';
import type { ResourceType } from '../resource-types.js';

/**
 * A namespaced resource served at v1, for the admission tests: a built-in kind without
 * `schema`, else a custom resource of that schema.
 */
export function resourceType(group: string, kind: string, schema?: JsonObject): ResourceType {
  return {
    group,
    versions: ['v1'],
    kind,
    listKind: `${kind}List`,
    plural: `${kind.toLowerCase()}s`,
    singular: kind.toLowerCase(),
    namespaced: true,
    shortNames: [],
    categories: [],
    status: false,
    generation: true,
    builtin: schema === undefined,
    ...(schema ? { schemas: { v1: schema } } : {}),
  };
}
