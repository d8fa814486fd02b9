#!/usr/bin/env node
// Generates @kube-ts/k8s from the OpenAPI v3 documents in spec/ (downloaded from
// kube-apiserver by fetch-spec.mjs, plus spec/extra/ for the review kinds the server does
// not serve, written by scripts/review-types): one TypeScript module per API package and version
// (src/<package>/<version>.ts) holding the wire types as interfaces and one ApiResource
// descriptor per kind that has a REST resource, and the `exports` map of package.json.
//
// Usage: node packages/k8s/scripts/generate.mjs [--spec DIR] [--out DIR]
//   --spec  the spec directory (default: packages/k8s/spec)
//   --out   the package directory to write src/ and package.json's exports into
//           (default: packages/k8s); package.json must already exist there.
//
// The output is deterministic: the same spec gives byte-identical files
// (src/generated.test.ts checks the committed output against the committed spec).
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { specFileName } from './spec-files.mjs';

const packageDir = new URL('..', import.meta.url).pathname;

/**
 * Named schemas whose wire form the OpenAPI document cannot express (they are declared
 * as `{}` or as a `oneOf` the server never sends): the TypeScript type of each, written by
 * hand from the Go types' custom JSON marshalling.
 */
const SPECIAL = {
  // metav1.Time and MicroTime marshal to RFC 3339 strings (MicroTime with microseconds).
  'io.k8s.apimachinery.pkg.apis.meta.v1.Time': 'string',
  'io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime': 'string',
  // resource.Quantity always marshals to its canonical string, e.g. "100m", "1Gi".
  'io.k8s.apimachinery.pkg.api.resource.Quantity': 'string',
  // intstr.IntOrString marshals to a JSON number or a JSON string.
  'io.k8s.apimachinery.pkg.util.intstr.IntOrString': 'number | string',
  // runtime.RawExtension marshals an empty extension as JSON null: kube-apiserver sends
  // `"oldObject": null` in the AdmissionReview of a CREATE, for one.
  'io.k8s.apimachinery.pkg.runtime.RawExtension': 'Record<string, unknown> | null',
  // apiextensions JSON holds any JSON value (a default, an enum member, an example).
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON': 'unknown',
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrArray':
    'JSONSchemaProps | JSONSchemaProps[]',
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrBool':
    'JSONSchemaProps | boolean',
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrStringArray':
    'JSONSchemaProps | string[]',
};

/**
 * The module (subpath of @kube-ts/k8s) and type name of a schema, from its Go package:
 * `io.k8s.api.apps.v1.Deployment` -> `apps/v1`, `Deployment`. Everything of
 * k8s.io/apimachinery (meta/v1, Quantity, IntOrString, RawExtension, version.Info) shares
 * `meta/v1`, the one home of the shared types.
 * @param {string} schemaName
 * @returns {{ module: string, name: string }}
 */
export function locate(schemaName) {
  const parts = schemaName.split('.');
  const name = parts.at(-1);
  if (schemaName.startsWith('io.k8s.apimachinery.')) return { module: 'meta/v1', name };
  const version = parts.at(-2);
  const pkg = parts.at(-3);
  if (!/^v\d+((alpha|beta)\d+)?$/.test(version)) {
    throw new Error(`schema ${schemaName} is not in a versioned API package; extend locate()`);
  }
  return { module: `${pkg}/${version}`, name };
}

const GVK = 'x-kubernetes-group-version-kind';

/** Reads every document listed in spec/index.json; returns the merged schemas and paths. */
async function readSpec(specDir) {
  const index = JSON.parse(await readFile(join(specDir, 'index.json'), 'utf8'));
  /** @type {Map<string, object>} */
  const schemas = new Map();
  /** @type {Array<[string, object]>} */
  const paths = [];
  for (const docPath of index.paths) {
    const doc = JSON.parse(await readFile(join(specDir, specFileName(docPath)), 'utf8'));
    for (const [name, schema] of Object.entries(doc.components?.schemas ?? {})) {
      // Each document lists, on the shared meta types (DeleteOptions, WatchEvent), only its
      // own group/versions: those lists are merged; any other difference is an error.
      const { [GVK]: gvks = [], ...rest } = schema;
      const seen = schemas.get(name);
      if (seen === undefined) {
        schemas.set(name, { ...rest, [GVK]: gvks });
        continue;
      }
      const { [GVK]: seenGvks, ...seenRest } = seen;
      if (JSON.stringify(seenRest) !== JSON.stringify(rest)) {
        throw new Error(`schema ${name} differs between documents (${docPath})`);
      }
      seenGvks.push(...gvks);
    }
    for (const entry of Object.entries(doc.paths ?? {})) paths.push(entry);
  }
  // The kinds kube-apiserver sends but does not serve (AdmissionReview, ConversionReview),
  // written from the Go types by scripts/review-types: added where the server has no schema
  // of that name (a served schema always wins).
  const extraDir = join(specDir, 'extra');
  for (const file of (await readdir(extraDir).catch(() => [])).sort()) {
    if (!file.endsWith('.json')) continue;
    const doc = JSON.parse(await readFile(join(extraDir, file), 'utf8'));
    for (const [name, schema] of Object.entries(doc.components?.schemas ?? {})) {
      if (!schemas.has(name)) schemas.set(name, { ...schema, [GVK]: [] });
    }
  }
  return { version: index.kubernetesVersion, schemas, paths };
}

/**
 * The REST resources of the spec: for each group/version/kind served at a top-level
 * collection path (not a subresource, not the deprecated `/watch/` paths), its plural and
 * whether it is namespaced.
 */
function resourcesOf(paths) {
  /** @type {Map<string, { group: string, version: string, kind: string, plural: string, namespaced: boolean }>} */
  const out = new Map();
  const pattern =
    /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))\/(?:(namespaces\/\{namespace\})\/)?([a-z0-9]+)(?:\/\{name\})?$/;
  for (const [path, item] of paths) {
    const m = pattern.exec(path);
    if (!m || path.includes('/watch/')) continue;
    const plural = m[5];
    const namespaced = m[4] !== undefined;
    for (const op of Object.values(item)) {
      const gvk = op?.['x-kubernetes-group-version-kind'];
      if (!gvk) continue;
      // `/api/v1/namespaces/{name}` is the Namespace itself, not a namespaced collection.
      const key = `${gvk.group}/${gvk.version}/${gvk.kind}`;
      const seen = out.get(key);
      const r = { ...gvk, plural, namespaced };
      if (seen && (seen.plural !== plural || seen.namespaced !== namespaced)) {
        // The same kind at a cluster-wide list path (`/api/v1/pods`) and a namespaced one.
        if (seen.plural === plural) {
          seen.namespaced = true;
          continue;
        }
        throw new Error(`kind ${key} is served as ${seen.plural} and as ${plural}`);
      }
      if (!seen) out.set(key, r);
    }
  }
  return out;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A TSDoc block of `text` at `indent`, or nothing when there is no text. */
function doc(text, indent) {
  if (!text) return '';
  const lines = text
    .replaceAll('*/', '*\\/')
    // A code fence on its own line: the API's descriptions open one inline ("``` <quantity> ::=").
    .replace(/[ \t]*```[ \t]*/g, '\n```\n')
    .replace(/\n{3,}/g, '\n\n')
    .split('\n')
    .map((l) => l.trimEnd());
  while (lines[0] === '') lines.shift();
  while (lines.at(-1) === '') lines.pop();
  if (lines.length === 1) return `${indent}/** ${lines[0]} */\n`;
  return `${indent}/**\n${lines.map((l) => (l ? `${indent} * ${l}` : `${indent} *`)).join('\n')}\n${indent} */\n`;
}

/** Builds the TypeScript of one module. */
class ModuleWriter {
  constructor(module, schemas) {
    this.module = module;
    this.schemas = schemas;
    /** @type {Map<string, Map<string, string>>} module -> (name -> local alias) */
    this.imports = new Map();
    /** @type {Set<string>} names declared in this module */
    this.locals = new Set();
  }

  /** The local name of a referenced schema, importing it when it lives elsewhere. */
  ref(ref) {
    const target = ref.replace('#/components/schemas/', '');
    if (!this.schemas.has(target)) throw new Error(`unresolved $ref ${ref}`);
    const { module, name } = locate(target);
    if (module === this.module) return name;
    let names = this.imports.get(module);
    if (!names) {
      names = new Map();
      this.imports.set(module, names);
    }
    let alias = names.get(name);
    if (alias === undefined) {
      const taken = new Set([...this.locals]);
      for (const m of this.imports.values()) for (const a of m.values()) taken.add(a);
      alias = name;
      if (taken.has(alias)) {
        alias = module
          .split('/')
          .map((p) => p[0].toUpperCase() + p.slice(1))
          .concat(name)
          .join('');
      }
      names.set(name, alias);
    }
    return alias;
  }

  /** The TypeScript type of a property schema. */
  type(s, indent) {
    if (s.$ref) return this.ref(s.$ref);
    if (s.allOf?.length === 1) return this.type(s.allOf[0], indent);
    if (s.allOf || s.anyOf || s.oneOf) throw new Error(`unsupported schema ${JSON.stringify(s)}`);
    switch (s.type) {
      case 'string':
        return 'string';
      case 'integer':
      case 'number':
        return 'number';
      case 'boolean':
        return 'boolean';
      case 'array': {
        const item = this.type(s.items, indent);
        return /[ |]/.test(item) && !item.startsWith('{') ? `Array<${item}>` : `${item}[]`;
      }
      case 'object':
        if (s.properties) return this.inline(s, indent);
        if (s.additionalProperties && typeof s.additionalProperties === 'object') {
          return `Record<string, ${this.type(s.additionalProperties, indent)}>`;
        }
        return 'Record<string, unknown>';
      case undefined:
        return 'unknown';
      default:
        throw new Error(`unsupported type ${s.type}`);
    }
  }

  /** The members of an object schema, one per property, sorted as the spec lists them. */
  members(s, indent) {
    const required = new Set(s.required ?? []);
    let out = '';
    for (const [prop, ps] of Object.entries(s.properties)) {
      const key = IDENTIFIER.test(prop) ? prop : `'${prop}'`;
      const opt = required.has(prop) ? '' : '?';
      out += doc(ps.description, indent);
      out += `${indent}${key}${opt}: ${this.type(ps, indent)};\n`;
    }
    return out;
  }

  inline(s, indent) {
    return `{\n${this.members(s, `${indent}  `)}${indent}}`;
  }

  /** The declaration of a named schema. */
  declaration(schemaName, schema) {
    const { name } = locate(schemaName);
    const text = doc(schema.description, '');
    const special = SPECIAL[schemaName];
    if (special !== undefined) return `${text}export type ${name} = ${special};\n`;
    if (schema.properties)
      return `${text}export interface ${name} {\n${this.members(schema, '  ')}}\n`;
    return `${text}export type ${name} = ${this.type(schema, '')};\n`;
  }
}

/** The camelCase plural of a kind: `ConfigMap`/`configmaps` -> `configMaps`. */
export function descriptorName(kind, plural) {
  const lower = kind.toLowerCase();
  let common = 0;
  while (common < lower.length && lower[common] === plural[common]) common++;
  // A leading acronym is lowered as a whole: `APIService` -> `apiService`, `CSIDriver` -> `csiDriver`.
  const lead = /^[A-Z]+(?=[A-Z][a-z]|$)|^[A-Z]/.exec(kind)[0];
  const camel = lead.toLowerCase() + kind.slice(lead.length);
  return camel.slice(0, common) + plural.slice(common);
}

/** The text of one module. */
function renderModule(module, names, schemas, resources, k8sVersion) {
  const w = new ModuleWriter(module, schemas);
  for (const n of names) w.locals.add(locate(n).name);
  const decls = names.map((n) => w.declaration(n, schemas.get(n)));
  const descriptors = resources
    .slice()
    .sort((a, b) => (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0))
    .map((r) => {
      const type = w.locals.has(r.kind) ? r.kind : w.ref(`#/components/schemas/${r.schema}`);
      const scope = r.namespaced ? 'namespaced' : 'cluster-scoped';
      const gv = r.group ? `${r.group}/${r.version}` : r.version;
      return (
        `/** The ${gv} ${r.kind} resource (\`${r.plural}\`, ${scope}). */\n` +
        `export const ${descriptorName(r.kind, r.plural)}: ApiResource<${type}> = Object.freeze({\n` +
        `  group: '${r.group}',\n  version: '${r.version}',\n  kind: '${r.kind}',\n` +
        `  plural: '${r.plural}',\n  namespaced: ${r.namespaced},\n});\n`
      );
    });
  const up = '../'.repeat(module.split('/').length - 1);
  let head =
    `// Generated by packages/k8s/scripts/generate.mjs from the OpenAPI v3 of kube-apiserver\n` +
    `// ${k8sVersion}. Do not edit: change the generator or the spec and run it again.\n`;
  const importLines = [];
  if (descriptors.length > 0) importLines.push(`import type { ApiResource } from '${up}index.js';`);
  for (const [m, ns] of [...w.imports].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const specs = [...ns]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([n, alias]) => (n === alias ? n : `${n} as ${alias}`));
    importLines.push(`import type { ${specs.join(', ')} } from '${up}${m}.js';`);
  }
  if (importLines.length > 0) head += `${importLines.join('\n')}\n`;
  return `${head}\n${[...decls, ...descriptors].join('\n')}`;
}

/** Generates every module from `specDir` into `outDir/src` and `outDir/package.json`. */
export async function generate(specDir, outDir) {
  const { version, schemas, paths } = await readSpec(specDir);
  const resources = resourcesOf(paths);
  /** @type {Map<string, string>} group/version/kind -> schema name */
  const kindSchemas = new Map();
  for (const [name, schema] of schemas) {
    for (const gvk of schema['x-kubernetes-group-version-kind'] ?? []) {
      const key = `${gvk.group}/${gvk.version}/${gvk.kind}`;
      if (resources.has(key) && !name.startsWith('io.k8s.apimachinery.')) {
        kindSchemas.set(key, name);
      }
    }
  }
  /** @type {Map<string, string[]>} */
  const modules = new Map();
  for (const name of [...schemas.keys()].sort()) {
    const { module } = locate(name);
    if (!modules.has(module)) modules.set(module, []);
    modules.get(module).push(name);
  }
  /** @type {Map<string, object[]>} */
  const moduleResources = new Map();
  for (const [key, r] of resources) {
    const schema = kindSchemas.get(key);
    if (schema === undefined) throw new Error(`kind ${key} is served but has no schema`);
    const { module } = locate(schema);
    if (!moduleResources.has(module)) moduleResources.set(module, []);
    moduleResources.get(module).push({ ...r, schema });
  }

  const src = join(outDir, 'src');
  for (const entry of await readdir(src, { withFileTypes: true })) {
    if (entry.isDirectory()) await rm(join(src, entry.name), { recursive: true });
  }
  const names = [...modules.keys()].sort();
  for (const module of names) {
    const file = join(src, `${module}.ts`);
    await mkdir(dirname(file), { recursive: true });
    const text = renderModule(
      module,
      modules.get(module),
      schemas,
      moduleResources.get(module) ?? [],
      version,
    );
    await writeFile(file, text);
  }

  const pkgFile = join(outDir, 'package.json');
  const pkg = JSON.parse(await readFile(pkgFile, 'utf8'));
  pkg.exports = {
    '.': { types: './dist/index.d.ts', import: './dist/index.js' },
    ...Object.fromEntries(
      names.map((m) => [`./${m}`, { types: `./dist/${m}.d.ts`, import: `./dist/${m}.js` }]),
    ),
    // The OpenAPI documents themselves (MemoryApiServer serves them at /openapi/v2 and v3).
    './spec/*': './spec/*',
  };
  await writeFile(pkgFile, `${JSON.stringify(pkg, null, 2)}\n`);
  const kinds = [...moduleResources.values()].reduce((n, rs) => n + rs.length, 0);
  return { modules: names.length, kinds, schemas: schemas.size };
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  const { values } = parseArgs({
    options: { spec: { type: 'string' }, out: { type: 'string' } },
  });
  const result = await generate(values.spec ?? join(packageDir, 'spec'), values.out ?? packageDir);
  console.log(
    `generated ${result.modules} modules: ${result.schemas} types, ${result.kinds} resource kinds`,
  );
}
