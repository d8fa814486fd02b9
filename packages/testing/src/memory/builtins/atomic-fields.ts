import type { ListRules } from '../field-set.js';
import { type ListMerge, listMergeFor } from '../merge-keys.js';
import { definitionOf, fieldTypes } from './typed-fields.js';

/**
 * Built-in types that kube-apiserver's OpenAPI schema marks `x-kubernetes-map-type: atomic`
 * (the Go types' `+structType=atomic`): server-side apply owns and replaces such a value
 * whole, so a manager applying one field of a selector owns the selector.
 */
const ATOMIC_TYPES = new Set(
  [
    'api.admissionregistration.v1.MatchResources',
    'api.admissionregistration.v1.NamedRuleWithOperations',
    'api.admissionregistration.v1.ParamKind',
    'api.admissionregistration.v1.ParamRef',
    'api.admissionregistration.v1.Variable',
    'api.autoscaling.v1.CrossVersionObjectReference',
    'api.core.v1.ConfigMapKeySelector',
    'api.core.v1.EndpointAddress',
    'api.core.v1.EndpointPort',
    'api.core.v1.FileKeySelector',
    'api.core.v1.LocalObjectReference',
    'api.core.v1.NodeSelector',
    'api.core.v1.NodeSelectorTerm',
    'api.core.v1.ObjectFieldSelector',
    'api.core.v1.ObjectReference',
    'api.core.v1.ResourceFieldSelector',
    'api.core.v1.ScopeSelector',
    'api.core.v1.SecretKeySelector',
    'api.core.v1.SecretReference',
    'api.core.v1.TopologySelectorTerm',
    'api.core.v1.TypedLocalObjectReference',
    'api.discovery.v1.EndpointPort',
    'api.networking.v1.ServiceBackendPort',
    'api.rbac.v1.RoleRef',
    'api.rbac.v1.Subject',
    'apimachinery.pkg.apis.meta.v1.LabelSelector',
    'apimachinery.pkg.apis.meta.v1.OwnerReference',
  ].map((t) => `io.k8s.${t}`),
);

/** Map fields marked `x-kubernetes-map-type: atomic` on their own (`+mapType=atomic`). */
const ATOMIC_MAP_FIELDS = new Set(
  [
    'api.core.v1.PodSpec.nodeSelector',
    'api.core.v1.ReplicationControllerSpec.selector',
    'api.core.v1.ServiceSpec.selector',
    'api.node.v1.Scheduling.nodeSelector',
  ].map((f) => `io.k8s.${f}`),
);

/** Fields of an atomic type that their struct marks `granular` again. */
const GRANULAR_FIELDS = new Set(['io.k8s.api.core.v1.PersistentVolumeSpec.claimRef']);

/** What a field path resolves to in the built-in type table. */
interface Resolved {
  /** The field's declared type (`T`, `[]T`, `{}T`). */
  type: string;
  /** `Definition.field` of the last field named, for the field-level markers. */
  field: string;
}

function resolve(root: string, path: readonly string[]): Resolved | undefined {
  let type = root;
  let field = '';
  for (const name of path) {
    while (type.startsWith('[]')) type = type.slice(2);
    if (type.startsWith('{}')) {
      type = type.slice(2);
      field = '';
      continue;
    }
    const next = fieldTypes(type)?.[name];
    if (next === undefined) return undefined;
    field = `${type}.${name}`;
    type = next;
  }
  return { type, field };
}

function atomic(r: Resolved): boolean {
  if (GRANULAR_FIELDS.has(r.field)) return false;
  return ATOMIC_MAP_FIELDS.has(r.field) || ATOMIC_TYPES.has(r.type);
}

/**
 * Server-side apply's rules for a built-in kind: the list-merge table of `merge-keys.ts`,
 * plus the atomic maps and structs of its schema found by walking the built-in type table.
 */
export function builtinOwnershipRules(group: string, version: string, kind: string): ListRules {
  const root = definitionOf(group, version, kind);
  const known = new Map<string, ListMerge | undefined>();
  return (path) => {
    const joined = path.join('.');
    if (known.has(joined)) return known.get(joined);
    const rule = ruleAt(root, kind, path);
    known.set(joined, rule);
    return rule;
  };
}

function ruleAt(root: string | undefined, kind: string, path: readonly string[]) {
  const rule = listMergeFor(kind, path);
  const r = root ? resolve(root, path) : undefined;
  if (!r) return rule;
  if (r.type.startsWith('[]')) {
    const element = { type: r.type.slice(2), field: '' };
    return rule?.key && atomic(element) ? { ...rule, atomicItems: true } : rule;
  }
  if (atomic(r)) return { ...rule, atomicMap: true } satisfies ListMerge;
  return rule;
}
