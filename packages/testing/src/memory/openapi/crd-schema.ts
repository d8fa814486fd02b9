import { isObject, type Json, type JsonObject } from '../json.js';
import type { ResourceType } from '../resource-types.js';
import { builtinSpec } from './builtin-spec.js';

/** Where component schemas live in each OpenAPI version. */
export const REF_PREFIX = { v2: '#/definitions/', v3: '#/components/schemas/' } as const;

/** The OpenAPI version a document is built for. */
export type OpenApiVersion = keyof typeof REF_PREFIX;

/**
 * The definition name of a custom kind, as kube-apiserver names it: the group's labels
 * reversed, then version and kind (`stable.example.com/v1 CronTab` ->
 * `com.example.stable.v1.CronTab`).
 */
export function modelName(group: string, version: string, kind: string): string {
  return `${group.split('.').reverse().join('.')}.${version}.${kind}`;
}

const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';
const LIST_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta';

/** The descriptions kube-apiserver gives `apiVersion`, `kind` and `metadata` of every kind. */
function typeMeta(): { apiVersion: JsonObject; kind: JsonObject; object: string; list: string } {
  const { schemas } = builtinSpec();
  const props = (name: string) => {
    const s = schemas.get(name);
    return isObject(s?.properties) ? s.properties : {};
  };
  const kindProps = props('io.k8s.api.core.v1.ConfigMap');
  const desc = (o: Json | undefined) => String(isObject(o) ? o.description : '');
  return {
    apiVersion: { ...(kindProps.apiVersion as JsonObject) },
    kind: { ...(kindProps.kind as JsonObject) },
    object: desc(kindProps.metadata),
    list: desc(props('io.k8s.apimachinery.pkg.apis.meta.v1.Status').metadata),
  };
}

/** A reference to a component schema with a description, in each version's form. */
function ref(v: OpenApiVersion, name: string, description: string): JsonObject {
  if (v === 'v2') return { description, $ref: `${REF_PREFIX.v2}${name}` };
  return { description, allOf: [{ $ref: `${REF_PREFIX.v3}${name}` }] };
}

function clone<T extends Json>(x: T): T {
  return structuredClone(x);
}

/**
 * `x-kubernetes-int-or-string` without `anyOf`/`allOf` unfolds to `anyOf: [integer,
 * string]`, as the structural schema kube-apiserver publishes does.
 */
function unfold(s: JsonObject): void {
  if (s['x-kubernetes-int-or-string'] === true && !s.anyOf && !s.allOf) {
    s.anyOf = [{ type: 'integer' }, { type: 'string' }];
  }
  forEachChild(s, unfold);
}

function forEachChild(s: JsonObject, fn: (child: JsonObject) => void): void {
  if (isObject(s.properties)) for (const p of Object.values(s.properties)) if (isObject(p)) fn(p);
  if (isObject(s.items)) fn(s.items);
  if (isObject(s.additionalProperties)) fn(s.additionalProperties);
}

/**
 * kube-apiserver's rewriting of a schema for OpenAPI v2 (which has no nullable, no
 * junctors, and which kubectl reads strictly): junctors dropped, nullable values untyped,
 * preserved-unknown objects emptied, item-less arrays untyped, defaults pruned.
 */
function toV2(s: JsonObject): void {
  for (const k of ['allOf', 'oneOf', 'anyOf', 'not', 'default']) delete s[k];
  const props = isObject(s.properties) ? s.properties : undefined;
  if (props && Array.isArray(s.required)) {
    s.required = s.required.filter((f) => {
      const p = props[String(f)];
      return !(isObject(p) && p.nullable === true);
    });
  }
  if (isObject(s.additionalProperties) && s.additionalProperties.nullable === true)
    delete s.required;
  if (Array.isArray(s.required) && s.required.length === 0) delete s.required;
  if (s.nullable === true) {
    delete s.type;
    delete s.nullable;
    delete s.items;
    delete s.properties;
  }
  if (s['x-kubernetes-preserve-unknown-fields'] === true) {
    delete s.items;
    delete s.properties;
    if (s.type === 'object') delete s.type;
  }
  if (s.type === 'array' && s.items === undefined) delete s.type;
  forEachChild(s, toV2);
}

/** Adds `apiVersion`, `kind` and `metadata` to every `x-kubernetes-embedded-resource` object. */
function addEmbedded(s: JsonObject, v: OpenApiVersion, meta: ReturnType<typeof typeMeta>): void {
  forEachChild(s, (c) => addEmbedded(c, v, meta));
  if (v === 'v2' && s['x-kubernetes-preserve-unknown-fields'] === true) return;
  if (s['x-kubernetes-embedded-resource'] !== true) return;
  const props = isObject(s.properties) ? s.properties : {};
  props.apiVersion = {
    description:
      'apiVersion defines the versioned schema of this representation of an object. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
    type: 'string',
  };
  props.kind = {
    description:
      'kind is a string value representing the type of this object. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
    type: 'string',
  };
  props.metadata = ref(v, OBJECT_META, meta.object);
  s.properties = props;
  const required = Array.isArray(s.required) ? s.required.map(String) : [];
  for (const f of ['kind', 'apiVersion']) if (!required.includes(f)) required.push(f);
  s.required = required;
}

/** The `x-kubernetes-selectable-fields` extension of a version, if it declares any. */
function selectable(t: ResourceType, version: string): JsonObject {
  const fields = t.selectableFields?.[version] ?? [];
  return fields.length
    ? { 'x-kubernetes-selectable-fields': fields.map((f) => ({ fieldPath: f })) }
    : {};
}

/**
 * The schemas kube-apiserver publishes for one served version of a custom resource: the
 * kind (the CRD's schema with `apiVersion`, `kind` and `metadata` added) and its list, by
 * definition name.
 */
export function crdSchemas(
  t: ResourceType,
  version: string,
  v: OpenApiVersion,
): Record<string, JsonObject> {
  const meta = typeMeta();
  const gvk = (kind: string) => ({
    'x-kubernetes-group-version-kind': [{ group: t.group, kind, version }],
  });
  const source = t.schemas?.[version];
  let object: JsonObject;
  if (!source || (v === 'v2' && source['x-kubernetes-preserve-unknown-fields'] === true)) {
    // kubectl would refuse unknown fields if v2 listed any property here.
    object = { type: 'object' };
  } else {
    object = clone(source);
    unfold(object);
    if (v === 'v2') toV2(object);
    const props = isObject(object.properties) ? object.properties : {};
    props.apiVersion = clone(meta.apiVersion);
    props.kind = clone(meta.kind);
    props.metadata = ref(v, OBJECT_META, meta.object);
    object.properties = props;
    addEmbedded(object, v, meta);
  }
  Object.assign(object, gvk(t.kind), selectable(t, version));
  const list: JsonObject = {
    description: `${t.listKind} is a list of ${t.kind}`,
    type: 'object',
    required: ['items'],
    properties: {
      apiVersion: clone(meta.apiVersion),
      items: {
        description: `List of ${t.plural}. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md`,
        type: 'array',
        items: { $ref: `${REF_PREFIX[v]}${modelName(t.group, version, t.kind)}` },
      },
      kind: clone(meta.kind),
      metadata: ref(v, LIST_META, meta.list),
    },
    ...gvk(t.listKind),
    ...selectable(t, version),
  };
  return {
    [modelName(t.group, version, t.kind)]: object,
    [modelName(t.group, version, t.listKind)]: list,
  };
}
