import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { isObject, type JsonObject } from '../json.js';

/**
 * The OpenAPI documents kube-apiserver v1.36.3 serves for its built-in APIs, as
 * `@kube-ts/k8s` ships them (`spec/`, downloaded from the real server by its
 * `fetch-spec.mjs`): the `/openapi/v3` documents and the `/openapi/v2` Swagger document.
 */
export interface BuiltinSpec {
  /** `/openapi/v3/<path>` -> the document's JSON text, for every path the real index lists. */
  readonly v3: ReadonlyMap<string, string>;
  /** The Swagger 2.0 document of `/openapi/v2` (without custom resources). */
  readonly v2: JsonObject;
  /** Every v3 component schema of the built-in documents, by name. */
  readonly schemas: ReadonlyMap<string, JsonObject>;
  /**
   * The v3 query parameters the built-in operations declare, by `<action>:<name>` (e.g.
   * `patch:fieldManager`, whose description differs from `put:fieldManager`'s) and by name
   * (also those their paths declare, `pretty`).
   */
  readonly queryParams: ReadonlyMap<string, JsonObject>;
}

let loaded: BuiltinSpec | undefined;

/** The built-in documents, read once per process on first use (they are never modified). */
export function builtinSpec(): BuiltinSpec {
  loaded ??= load();
  return loaded;
}

function load(): BuiltinSpec {
  const dir = dirname(createRequire(import.meta.url).resolve('@kube-ts/k8s/spec/index.json'));
  const read = (file: string) => readFileSync(join(dir, file), 'utf8');
  const index = JSON.parse(read('index.json')) as { paths: string[] };
  const v3 = new Map<string, string>();
  const schemas = new Map<string, JsonObject>();
  const queryParams = new Map<string, JsonObject>();
  for (const path of index.paths) {
    const text = read(`${path.replaceAll('/', '__')}.json`).trimEnd();
    v3.set(path, text);
    const doc = JSON.parse(text) as JsonObject;
    const components = isObject(doc.components) ? doc.components : {};
    for (const [name, s] of Object.entries(isObject(components.schemas) ? components.schemas : {}))
      if (isObject(s)) schemas.set(name, s);
    for (const item of Object.values(isObject(doc.paths) ? doc.paths : {})) {
      if (!isObject(item)) continue;
      // Parameters of a whole path (`pretty`), by name.
      for (const p of Array.isArray(item.parameters) ? item.parameters : []) {
        if (isObject(p) && p.in === 'query' && !queryParams.has(String(p.name)))
          queryParams.set(String(p.name), p);
      }
      for (const op of Object.values(item)) {
        if (!isObject(op) || !Array.isArray(op.parameters)) continue;
        for (const p of op.parameters) {
          if (!isObject(p) || p.in !== 'query') continue;
          queryParams.set(`${String(op['x-kubernetes-action'])}:${String(p.name)}`, p);
          if (!queryParams.has(String(p.name))) queryParams.set(String(p.name), p);
        }
      }
    }
  }
  const v2 = JSON.parse(read('openapi__v2.json')) as JsonObject;
  return { v3, v2, schemas, queryParams };
}
