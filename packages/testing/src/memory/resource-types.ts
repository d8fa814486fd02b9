import { eventsView } from './builtins/event.js';
import { genericBuiltinTypes } from './generic-builtins.js';
import type { JsonObject } from './json.js';

/** How the scale subresource maps onto an object (JSON paths as dotted strings). */
export interface ScaleSpec {
  specReplicasPath: string;
  statusReplicasPath: string;
  labelSelectorPath?: string;
}

/**
 * How a resource is served from another resource's storage, as kube-apiserver serves one
 * internal type under two API groups (events.k8s.io/v1 Events are core/v1 Events).
 */
export interface StoredView {
  /** The storage key of the resource that holds the objects (see {@link resourceKey}). */
  resource: string;
  /** Converts an object of this resource to the stored resource's form. */
  toStored(obj: JsonObject): JsonObject;
  /** Converts a stored object to this resource's form. */
  fromStored(obj: JsonObject): JsonObject;
  /**
   * The fields a field selector may name on this resource and the stored resource's fields
   * they select (kube-apiserver's field label conversion for the group/version).
   */
  fieldLabels?: Readonly<Record<string, string>>;
}

/** Everything the server knows about one served resource (one group/version/plural). */
export interface ResourceType {
  group: string;
  /** Versions served; the first is the preferred (storage) one. */
  versions: string[];
  kind: string;
  listKind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  /** Has a `status` subresource: status is written only through `/status`. */
  status: boolean;
  scale?: ScaleSpec;
  /**
   * metadata.generation is maintained (bumped on every change outside metadata/status);
   * `'updates'`: not set on create, counted from 0 by the updates (CSIDriver's strategy).
   */
  generation: boolean | 'updates';
  /** Built-in type: accepts strategic merge patch. */
  builtin: boolean;
  /** openAPIV3Schema per version (custom resources only). */
  schemas?: Record<string, JsonObject>;
  /** The CRD's name for custom resources. */
  crdName?: string;
  /**
   * CRDs: true while the CRD is not `Established` (its conversion `caBundle` holds no
   * certificate, or its establishing is still to come): kube-apiserver serves its resources
   * once their names are accepted, but lists them in neither discovery nor OpenAPI.
   */
  unlisted?: boolean;
  /** CRDs: per version, the columns for `kubectl get` (its additionalPrinterColumns). */
  printerColumns?: Record<string, JsonObject[]>;
  /** CRDs: per version, the fields its `selectableFields` add to field selectors (`spec.color`). */
  selectableFields?: Record<string, string[]>;
  /** A review (e.g. TokenReview): only `create`, answered and never stored. */
  createOnly?: boolean;
  /** Answered by a handler of its own, `get` and `list` only, never stored (componentstatuses). */
  readOnly?: boolean;
  /** Served from another resource's storage (absent: stored under its own key). */
  view?: StoredView;
  /**
   * Versions served by converting the stored form (autoscaling/v1 HorizontalPodAutoscalers
   * of the stored autoscaling/v2 ones), where kube-apiserver converts between versions.
   */
  versionViews?: Readonly<Record<string, StoredView>>;
  /**
   * The deprecation warning kube-apiserver sends with every answer of this resource
   * (`v1 Endpoints is deprecated in v1.33+; use …`), from its type's API lifecycle.
   */
  deprecation?: string;
}

/** How a resource converts to and from storage at a version, if it does. */
export function viewAt(t: ResourceType, version: string): StoredView | undefined {
  return t.view ?? t.versionViews?.[version];
}

/** Storage key of a resource: independent of version; a view's is the stored resource's. */
export function resourceKey(t: { group: string; plural: string; view?: StoredView }): string {
  if (t.view) return t.view.resource;
  return t.group ? `${t.plural}.${t.group}` : t.plural;
}

/** apiVersion string for a group and version. */
export function apiVersionOf(group: string, version: string): string {
  return group ? `${group}/${version}` : version;
}

/** A built-in resource: one version, no subresources or rules unless `extra` says so. */
export function builtin(
  group: string,
  version: string,
  kind: string,
  plural: string,
  namespaced: boolean,
  extra: Partial<ResourceType> = {},
): ResourceType {
  return {
    group,
    versions: [version],
    kind,
    listKind: `${kind}List`,
    plural,
    singular: kind.toLowerCase(),
    namespaced,
    shortNames: [],
    categories: [],
    status: false,
    generation: false,
    builtin: true,
    ...extra,
  };
}

const replicasScale: ScaleSpec = {
  specReplicasPath: '.spec.replicas',
  statusReplicasPath: '.status.replicas',
  labelSelectorPath: '.status.selector',
};

/** The built-in resources the server serves from the start. */
export function builtinResourceTypes(): ResourceType[] {
  return [
    builtin('', 'v1', 'Namespace', 'namespaces', false, { shortNames: ['ns'], status: true }),
    builtin('', 'v1', 'ComponentStatus', 'componentstatuses', false, {
      shortNames: ['cs'],
      readOnly: true,
    }),
    builtin('', 'v1', 'ConfigMap', 'configmaps', true, { shortNames: ['cm'] }),
    builtin('', 'v1', 'Secret', 'secrets', true),
    builtin('', 'v1', 'Service', 'services', true, {
      shortNames: ['svc'],
      status: true,
      categories: ['all'],
    }),
    builtin('', 'v1', 'ServiceAccount', 'serviceaccounts', true, { shortNames: ['sa'] }),
    builtin('', 'v1', 'Pod', 'pods', true, {
      shortNames: ['po'],
      status: true,
      generation: true,
      categories: ['all'],
    }),
    builtin('', 'v1', 'Event', 'events', true, { shortNames: ['ev'] }),
    builtin('', 'v1', 'ResourceQuota', 'resourcequotas', true, {
      shortNames: ['quota'],
      status: true,
    }),
    builtin('', 'v1', 'ReplicationController', 'replicationcontrollers', true, {
      shortNames: ['rc'],
      status: true,
      generation: true,
      scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' },
      categories: ['all'],
    }),
    builtin('', 'v1', 'Node', 'nodes', false, { shortNames: ['no'], status: true }),
    builtin('', 'v1', 'PersistentVolumeClaim', 'persistentvolumeclaims', true, {
      shortNames: ['pvc'],
      status: true,
    }),
    builtin('events.k8s.io', 'v1', 'Event', 'events', true, {
      shortNames: ['ev'],
      view: eventsView,
    }),
    builtin('apps', 'v1', 'Deployment', 'deployments', true, {
      shortNames: ['deploy'],
      status: true,
      generation: true,
      scale: replicasScale,
      categories: ['all'],
    }),
    builtin('apps', 'v1', 'StatefulSet', 'statefulsets', true, {
      shortNames: ['sts'],
      status: true,
      generation: true,
      scale: replicasScale,
      categories: ['all'],
    }),
    builtin('apps', 'v1', 'ReplicaSet', 'replicasets', true, {
      shortNames: ['rs'],
      status: true,
      generation: true,
      scale: replicasScale,
      categories: ['all'],
    }),
    builtin('apps', 'v1', 'DaemonSet', 'daemonsets', true, {
      shortNames: ['ds'],
      status: true,
      generation: true,
      categories: ['all'],
    }),
    builtin('batch', 'v1', 'Job', 'jobs', true, {
      status: true,
      generation: true,
      categories: ['all'],
    }),
    builtin('batch', 'v1', 'CronJob', 'cronjobs', true, {
      shortNames: ['cj'],
      status: true,
      generation: true,
      categories: ['all'],
    }),
    builtin('coordination.k8s.io', 'v1', 'Lease', 'leases', true),
    builtin('policy', 'v1', 'PodDisruptionBudget', 'poddisruptionbudgets', true, {
      shortNames: ['pdb'],
      status: true,
      generation: true,
    }),
    builtin('', 'v1', 'Binding', 'bindings', true, { createOnly: true }),
    builtin('authentication.k8s.io', 'v1', 'TokenReview', 'tokenreviews', false, {
      createOnly: true,
    }),
    builtin('authentication.k8s.io', 'v1', 'SelfSubjectReview', 'selfsubjectreviews', false, {
      createOnly: true,
    }),
    builtin('authorization.k8s.io', 'v1', 'SubjectAccessReview', 'subjectaccessreviews', false, {
      createOnly: true,
    }),
    builtin(
      'authorization.k8s.io',
      'v1',
      'LocalSubjectAccessReview',
      'localsubjectaccessreviews',
      true,
      { createOnly: true },
    ),
    builtin(
      'authorization.k8s.io',
      'v1',
      'SelfSubjectAccessReview',
      'selfsubjectaccessreviews',
      false,
      { createOnly: true },
    ),
    builtin(
      'authorization.k8s.io',
      'v1',
      'SelfSubjectRulesReview',
      'selfsubjectrulesreviews',
      false,
      { createOnly: true },
    ),
    builtin('rbac.authorization.k8s.io', 'v1', 'Role', 'roles', true),
    builtin('rbac.authorization.k8s.io', 'v1', 'RoleBinding', 'rolebindings', true),
    builtin('rbac.authorization.k8s.io', 'v1', 'ClusterRole', 'clusterroles', false),
    builtin('rbac.authorization.k8s.io', 'v1', 'ClusterRoleBinding', 'clusterrolebindings', false),
    builtin(
      'admissionregistration.k8s.io',
      'v1',
      'ValidatingWebhookConfiguration',
      'validatingwebhookconfigurations',
      false,
      { categories: ['api-extensions'], generation: true },
    ),
    builtin(
      'admissionregistration.k8s.io',
      'v1',
      'MutatingWebhookConfiguration',
      'mutatingwebhookconfigurations',
      false,
      { categories: ['api-extensions'], generation: true },
    ),
    builtin(
      'apiextensions.k8s.io',
      'v1',
      'CustomResourceDefinition',
      'customresourcedefinitions',
      false,
      {
        shortNames: ['crd', 'crds'],
        status: true,
        generation: true,
        categories: ['api-extensions'],
      },
    ),
    ...genericBuiltinTypes(),
  ];
}
