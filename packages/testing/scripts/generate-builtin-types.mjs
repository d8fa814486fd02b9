#!/usr/bin/env node
// Generates src/memory/builtins/openapi-types.json: the field types of every built-in
// kind kube-apiserver serves, condensed from the `/openapi/v2` document the pinned
// kube-apiserver serves (packages/k8s/spec/openapi__v2.json, downloaded by
// packages/k8s/scripts/fetch-spec.mjs). MemoryApiServer uses it to find unknown fields
// and fields of special types (Time, MicroTime, byte) the way kube-apiserver's typed
// decoder does.
//
// Usage: node packages/testing/scripts/generate-builtin-types.mjs [path/to/swagger.json]
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const source = process.argv[2] ?? join(import.meta.dirname, '../../k8s/spec/openapi__v2.json');
const { definitions } = JSON.parse(readFileSync(source, 'utf8'));
const { kubernetesVersion } = JSON.parse(
  readFileSync(join(import.meta.dirname, '../../k8s/spec/index.json'), 'utf8'),
);

const LEAVES = {
  'io.k8s.apimachinery.pkg.apis.meta.v1.Time': 'Time',
  'io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime': 'MicroTime',
  'io.k8s.apimachinery.pkg.util.intstr.IntOrString': 'IntOrString',
  'io.k8s.apimachinery.pkg.api.resource.Quantity': 'Quantity',
  // Free-form JSON: the typed decoder keeps whatever it holds.
  'io.k8s.apimachinery.pkg.runtime.RawExtension': 'any',
  'io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1': 'any',
  'io.k8s.apimachinery.pkg.apis.meta.v1.Patch': 'any',
};

/** The compact type of a schema: a leaf name, a definition name, `[]T` or `{}T`. */
function typeOf(schema) {
  if (schema.$ref) {
    const name = schema.$ref.replace('#/definitions/', '');
    if (LEAVES[name]) return LEAVES[name];
    const def = definitions[name];
    if (!def.properties && def.type !== 'object') return 'any';
    return name;
  }
  if (schema.type === 'array') return `[]${typeOf(schema.items)}`;
  if (schema.type === 'object') {
    return schema.additionalProperties ? `{}${typeOf(schema.additionalProperties)}` : 'any';
  }
  if (schema.type === 'string' && schema.format === 'byte') return 'byte';
  return schema.type ?? 'any';
}

const types = {};
const kinds = {};
const reachable = [];
for (const [name, def] of Object.entries(definitions)) {
  const gvks = def['x-kubernetes-group-version-kind'] ?? [];
  // A kind served as a resource has metadata (lists, options and reviews aside).
  if (!def.properties?.metadata || name.endsWith('List')) continue;
  for (const { group, version, kind } of gvks) {
    kinds[`${group}/${version}/${kind}`] = name;
    reachable.push(name);
  }
}
while (reachable.length) {
  const name = reachable.pop();
  if (types[name] || LEAVES[name]) continue;
  const def = definitions[name];
  const fields = {};
  for (const [field, schema] of Object.entries(def.properties ?? {})) {
    const t = typeOf(schema);
    fields[field] = t;
    const ref = t.replace(/^(\[\]|\{\})+/, '');
    if (definitions[ref] && !types[ref]) reachable.push(ref);
  }
  types[name] = fields;
}
/** The definitions of the per group/version `/openapi/v3` documents beside the v2 one. */
function v3Schemas() {
  const dir = dirname(source);
  const schemas = {};
  for (const file of readdirSync(dir)) {
    if (!/^apis?__(.+__)?v[0-9][a-z0-9]*\.json$/.test(file)) continue;
    Object.assign(schemas, JSON.parse(readFileSync(join(dir, file), 'utf8')).components.schemas);
  }
  return schemas;
}

/** The definition an (allOf-wrapped) `$ref` names. */
const refOf = (schema) => (schema.$ref ?? schema.allOf?.[0]?.$ref)?.replace(/^.*\//, '');

/** A field's server-side apply rule, or undefined for the defaults (atomic list, granular map). */
function mergeRule(schema, schemas) {
  // kube-openapi's schemaconv makes RawExtension an untyped atomic value: a field of that
  // type is owned and replaced whole (`f:data: {}`), whatever JSON it holds.
  if (refOf(schema) === 'io.k8s.apimachinery.pkg.runtime.RawExtension') return 'atomic';
  const mapType = schema['x-kubernetes-map-type'];
  if (mapType) return mapType;
  const listType = schema['x-kubernetes-list-type'];
  if (listType === 'set') return 'set';
  if (listType !== 'map') return undefined;
  const keys = schema['x-kubernetes-list-map-keys'];
  const item = schemas[refOf(schema.items)]?.properties ?? {};
  const defaults = {};
  for (const key of keys) if (item[key]?.default !== undefined) defaults[key] = item[key].default;
  return Object.keys(defaults).length ? { keys, defaults } : { keys };
}

const merge = {};
const atomic = [];
const schemas = v3Schemas();
for (const name of Object.keys(types)) {
  const def = schemas[name];
  if (!def) continue;
  if (def['x-kubernetes-map-type'] === 'atomic') atomic.push(name);
  const fields = {};
  for (const [field, schema] of Object.entries(def.properties ?? {})) {
    const rule = mergeRule(schema, schemas);
    if (rule) fields[field] = rule;
  }
  if (Object.keys(fields).length) merge[name] = fields;
}
const sorted = (o) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)));
const out = join(import.meta.dirname, '../src/memory/builtins/openapi-types.json');
writeFileSync(
  out,
  `${JSON.stringify({ source: `kube-apiserver ${kubernetesVersion} /openapi/v2 and /openapi/v3`, kinds: sorted(kinds), types: sorted(types), merge: sorted(merge), atomic: atomic.sort() })}\n`,
);
console.log(`${out}: ${Object.keys(kinds).length} kinds, ${Object.keys(types).length} types`);
