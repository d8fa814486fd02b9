import { createHash } from 'node:crypto';
import { isObject, type JsonObject } from '../json.js';
import type { ResourceRegistry } from '../registry.js';
import type { ResourceType } from '../resource-types.js';
import { builtinSpec } from './builtin-spec.js';
import { crdPaths } from './crd-paths.js';
import { crdSchemas, REF_PREFIX } from './crd-schema.js';
import { openApiV3Protobuf, swaggerProtobuf } from './openapi-protobuf.js';
import { pathsToV2 } from './paths-to-v2.js';
import { shareParameters } from './shared-parameters.js';

/** One document as served: its bytes, ETag (without quotes) and when it last changed. */
export interface ServedDocument {
  readonly body: string;
  readonly etag: string;
  readonly lastModified: Date;
}

/** kube-apiserver's OpenAPI ETag: the SHA-512 of the served bytes, upper-case hex. */
function etagOf(body: string): string {
  return createHash('sha512').update(body).digest('hex').toUpperCase();
}

/** The group/version a `/openapi/v3/<path>` names (`api/v1`, `apis/g/v`, `apis/g`), if any. */
function groupVersionOf(path: string): { group: string; version?: string } | undefined {
  if (path === 'api/v1') return { group: '', version: 'v1' };
  const m = /^apis\/([^/]+)(?:\/([^/]+))?$/.exec(path);
  if (!m) return undefined;
  return m[2] ? { group: m[1]!, version: m[2] } : { group: m[1]! };
}

/**
 * The OpenAPI documents of one server: `/openapi/v3` (index and per group/version
 * documents) and `/openapi/v2`, built from the built-in documents kube-apiserver serves
 * plus the schemas and paths it publishes for every served version of an established CRD.
 * Rebuilt whenever the custom resources change; a document whose bytes did not change
 * keeps its ETag and Last-Modified.
 */
export class OpenApiDocuments {
  private fingerprint: string | undefined;
  private readonly v3 = new Map<string, ServedDocument>();
  private v2: ServedDocument | undefined;
  private served = new Map<string, ServedDocument>();
  private readonly encoded = new WeakMap<ServedDocument, Uint8Array>();
  /**
   * The v3 paths and schemas published per CRD name and version. Like kube-apiserver's
   * OpenAPI v3 controller, a version that stops being served keeps its last document
   * until the CRD is deleted (only `/openapi/v2` drops it at once).
   */
  private readonly published = new Map<
    string,
    Map<string, { group: string; parts: JsonObject[] }>
  >();

  constructor(private readonly registry: ResourceRegistry) {}

  /** `/openapi/v3`: every document's server-relative URL with its hash. */
  index(): ServedDocument {
    this.refresh();
    const paths: JsonObject = {};
    for (const path of [...this.v3Paths()].sort()) {
      const doc = this.document(path)!;
      paths[path] = { serverRelativeURL: `/openapi/v3/${path}?hash=${doc.etag}` };
    }
    return this.keep('index', JSON.stringify({ paths }));
  }

  /** `/openapi/v3/<path>`, or undefined when no such document is served. */
  document(path: string): ServedDocument | undefined {
    this.refresh();
    const cached = this.v3.get(path);
    if (cached) return cached;
    if (!this.v3Paths().has(path)) return undefined;
    const builtin = builtinSpec().v3.get(path);
    const doc = this.keep(`v3:${path}`, builtin ?? JSON.stringify(this.customDocument(path)));
    this.v3.set(path, doc);
    return doc;
  }

  /** `/openapi/v2`: the Swagger 2.0 document with every custom resource's definitions and paths. */
  swagger(): ServedDocument {
    this.refresh();
    if (this.v2) return this.v2;
    const base = builtinSpec().v2;
    const paths: JsonObject = { ...(base.paths as JsonObject) };
    const definitions: JsonObject = { ...(base.definitions as JsonObject) };
    const shared: JsonObject = { ...(base.parameters as JsonObject) };
    for (const [t, version] of this.customVersions()) {
      Object.assign(definitions, crdSchemas(t, version, 'v2'));
      const custom = pathsToV2(crdPaths(t, version));
      Object.assign(shared, shareParameters(custom));
      Object.assign(paths, custom);
    }
    const parameters = Object.fromEntries(
      Object.entries(shared).sort(([a], [b]) => (a < b ? -1 : 1)),
    );
    this.v2 = this.keep('v2', JSON.stringify({ ...base, paths, definitions, parameters }));
    return this.v2;
  }

  /** The protobuf encoding of a `/openapi/v2` or `/openapi/v3/…` document, made once per document. */
  protobuf(doc: ServedDocument, version: 'v2' | 'v3'): Uint8Array {
    let body = this.encoded.get(doc);
    if (!body) {
      body = version === 'v2' ? swaggerProtobuf(doc.body) : openApiV3Protobuf(doc.body);
      this.encoded.set(doc, body);
    }
    return body;
  }

  /** Forgets the built documents when the set of custom resources (or their schemas) changed. */
  private refresh(): void {
    const custom = this.customVersions().map(([t, v]) => [
      t.group,
      v,
      t.kind,
      t.listKind,
      t.plural,
      t.namespaced,
      t.status,
      t.scale !== undefined,
      t.schemas?.[v] ?? null,
      t.selectableFields?.[v] ?? [],
    ]);
    const fingerprint = JSON.stringify(custom);
    if (fingerprint === this.fingerprint) return;
    this.fingerprint = fingerprint;
    this.v3.clear();
    this.v2 = undefined;
    const present = new Set<string>();
    for (const [t, v] of this.customVersions()) {
      const name = t.crdName!;
      present.add(name);
      const versions = this.published.get(name) ?? new Map();
      versions.set(v, { group: t.group, parts: [crdPaths(t, v), crdSchemas(t, v, 'v3')] });
      this.published.set(name, versions);
    }
    for (const name of this.published.keys()) if (!present.has(name)) this.published.delete(name);
  }

  /** Every group/version with a published custom resource document, and its parts. */
  private customGroupVersions(): Map<string, JsonObject[][]> {
    const out = new Map<string, JsonObject[][]>();
    for (const versions of this.published.values()) {
      for (const [v, { group, parts }] of versions) {
        const path = `apis/${group}/${v}`;
        out.set(path, [...(out.get(path) ?? []), parts]);
      }
    }
    return out;
  }

  /** Keeps the previous ETag/Last-Modified of a document whose bytes did not change. */
  private keep(key: string, body: string): ServedDocument {
    const prev = this.served.get(key);
    if (prev && prev.body === body) return prev;
    const doc = { body, etag: etagOf(body), lastModified: new Date() };
    this.served.set(key, doc);
    return doc;
  }

  /** Every served version of every custom resource whose CRD is established. */
  private customVersions(): [ResourceType, string][] {
    return this.registry
      .listed()
      .filter((t) => t.crdName !== undefined)
      .flatMap((t) => t.versions.map((v): [ResourceType, string] => [t, v]));
  }

  /** The document paths served: built-in ones of served groups, and each CRD group/version. */
  private v3Paths(): Set<string> {
    const groups = this.registry.groups();
    const out = new Set<string>();
    for (const path of builtinSpec().v3.keys()) {
      const gv = groupVersionOf(path);
      if (!gv) out.add(path);
      else if (groups.has(gv.group) && (!gv.version || groups.get(gv.group)!.includes(gv.version)))
        out.add(path);
    }
    for (const path of this.customGroupVersions().keys()) out.add(path);
    return out;
  }

  /** The v3 document of a custom group/version: its kinds' paths and schemas, and what they use. */
  private customDocument(path: string): JsonObject {
    const paths: JsonObject = {};
    const schemas: JsonObject = {};
    for (const [p, s] of this.customGroupVersions().get(path) ?? []) {
      Object.assign(paths, p);
      Object.assign(schemas, s);
    }
    addReferenced(schemas, [paths, schemas]);
    const sorted = Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => (a < b ? -1 : 1)));
    return {
      openapi: '3.0.0',
      info: { title: 'Kubernetes CRD Swagger', version: 'v0.1.0' },
      paths: Object.fromEntries(Object.entries(paths).sort(([a], [b]) => (a < b ? -1 : 1))),
      components: { schemas: sorted },
    };
  }
}

/** Adds to `schemas` every built-in component schema `roots` refer to, transitively. */
function addReferenced(schemas: JsonObject, roots: JsonObject[]): void {
  const pool = builtinSpec().schemas;
  const queue: unknown[] = [...roots];
  while (queue.length) {
    const node = queue.pop();
    if (Array.isArray(node)) queue.push(...node);
    else if (isObject(node)) {
      const ref = node.$ref;
      if (typeof ref === 'string' && ref.startsWith(REF_PREFIX.v3)) {
        const name = ref.slice(REF_PREFIX.v3.length);
        const s = pool.get(name);
        if (!(name in schemas) && s) {
          schemas[name] = s;
          queue.push(s);
        }
      }
      queue.push(...Object.values(node));
    }
  }
}

const perRegistry = new WeakMap<ResourceRegistry, OpenApiDocuments>();

/** The OpenAPI documents of the server whose resources `registry` holds. */
export function openApiDocuments(registry: ResourceRegistry): OpenApiDocuments {
  let docs = perRegistry.get(registry);
  if (!docs) {
    docs = new OpenApiDocuments(registry);
    perRegistry.set(registry, docs);
  }
  return docs;
}
