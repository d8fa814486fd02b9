import type {
  CoreV1Event,
  EventsV1Event,
  V1ConfigMap,
  V1CustomResourceDefinition,
  V1Deployment,
  V1Job,
  V1Lease,
  V1Namespace,
  V1Pod,
  V1Secret,
  V1Service,
  V1ServiceAccount,
  V1StatefulSet,
  V1TokenReview,
} from '@kubernetes/client-node';
import type { KubeObject } from './object.js';
import type { ApiResource } from './resource.js';

/**
 * Builds an {@link ApiResource} for `K`. Use it for resources that are not in
 * {@link resources}, e.g. `apiResource<MyCr>({ group: 'example.com', version: 'v1',
 * kind: 'Widget', plural: 'widgets', namespaced: true })`. The returned object is frozen.
 */
export function apiResource<K extends KubeObject>(r: {
  group: string;
  version: string;
  kind: string;
  plural: string;
  namespaced: boolean;
}): ApiResource<K> {
  return Object.freeze({
    group: r.group,
    version: r.version,
    kind: r.kind,
    plural: r.plural,
    namespaced: r.namespaced,
  });
}

/**
 * Built-in resources, typed with `@kubernetes/client-node`'s model types:
 * `Api.namespaced(client, resources.configMaps, 'default')` is an `Api<V1ConfigMap>`.
 */
export const resources = Object.freeze({
  /** core/v1 Namespace (cluster-scoped). */
  namespaces: apiResource<V1Namespace>({
    group: '',
    version: 'v1',
    kind: 'Namespace',
    plural: 'namespaces',
    namespaced: false,
  }),
  /** core/v1 ConfigMap. */
  configMaps: apiResource<V1ConfigMap>({
    group: '',
    version: 'v1',
    kind: 'ConfigMap',
    plural: 'configmaps',
    namespaced: true,
  }),
  /** core/v1 Secret. */
  secrets: apiResource<V1Secret>({
    group: '',
    version: 'v1',
    kind: 'Secret',
    plural: 'secrets',
    namespaced: true,
  }),
  /** core/v1 Service. */
  services: apiResource<V1Service>({
    group: '',
    version: 'v1',
    kind: 'Service',
    plural: 'services',
    namespaced: true,
  }),
  /** core/v1 ServiceAccount. */
  serviceAccounts: apiResource<V1ServiceAccount>({
    group: '',
    version: 'v1',
    kind: 'ServiceAccount',
    plural: 'serviceaccounts',
    namespaced: true,
  }),
  /** core/v1 Pod. */
  pods: apiResource<V1Pod>({
    group: '',
    version: 'v1',
    kind: 'Pod',
    plural: 'pods',
    namespaced: true,
  }),
  /**
   * authentication.k8s.io/v1 TokenReview: create-only; `create` answers the review with
   * `status.authenticated` and `status.user`.
   */
  tokenReviews: apiResource<V1TokenReview>({
    group: 'authentication.k8s.io',
    version: 'v1',
    kind: 'TokenReview',
    plural: 'tokenreviews',
    namespaced: false,
  }),
  /** core/v1 Event (the legacy events API). */
  events: apiResource<CoreV1Event>({
    group: '',
    version: 'v1',
    kind: 'Event',
    plural: 'events',
    namespaced: true,
  }),
  /** events.k8s.io/v1 Event (the one `Recorder` writes). */
  eventsV1: apiResource<EventsV1Event>({
    group: 'events.k8s.io',
    version: 'v1',
    kind: 'Event',
    plural: 'events',
    namespaced: true,
  }),
  /** apps/v1 Deployment. */
  deployments: apiResource<V1Deployment>({
    group: 'apps',
    version: 'v1',
    kind: 'Deployment',
    plural: 'deployments',
    namespaced: true,
  }),
  /** apps/v1 StatefulSet. */
  statefulSets: apiResource<V1StatefulSet>({
    group: 'apps',
    version: 'v1',
    kind: 'StatefulSet',
    plural: 'statefulsets',
    namespaced: true,
  }),
  /** batch/v1 Job. */
  jobs: apiResource<V1Job>({
    group: 'batch',
    version: 'v1',
    kind: 'Job',
    plural: 'jobs',
    namespaced: true,
  }),
  /** coordination.k8s.io/v1 Lease (leader election). */
  leases: apiResource<V1Lease>({
    group: 'coordination.k8s.io',
    version: 'v1',
    kind: 'Lease',
    plural: 'leases',
    namespaced: true,
  }),
  /** apiextensions.k8s.io/v1 CustomResourceDefinition (cluster-scoped). */
  customResourceDefinitions: apiResource<V1CustomResourceDefinition>({
    group: 'apiextensions.k8s.io',
    version: 'v1',
    kind: 'CustomResourceDefinition',
    plural: 'customresourcedefinitions',
    namespaced: false,
  }),
});
