import type { ApiResource, KubeObject } from '@kube-ts/k8s';
import { customResourceDefinitions } from '@kube-ts/k8s/apiextensions/v1';
import { deployments, statefulSets } from '@kube-ts/k8s/apps/v1';
import { tokenReviews } from '@kube-ts/k8s/authentication/v1';
import { jobs } from '@kube-ts/k8s/batch/v1';
import { leases } from '@kube-ts/k8s/coordination/v1';
import {
  configMaps,
  events,
  namespaces,
  pods,
  secrets,
  serviceAccounts,
  services,
} from '@kube-ts/k8s/core/v1';
import { events as eventsV1 } from '@kube-ts/k8s/events/v1';

/**
 * Builds an {@link ApiResource} for `K`. Use it for resources that are not generated into
 * `@kube-ts/k8s`, e.g. `apiResource<MyCr>({ group: 'example.com', version: 'v1',
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
 * The built-in resources kube-ts itself uses, typed with `@kube-ts/k8s`'s generated types:
 * `Api.namespaced(client, resources.configMaps, 'default')` is an `Api<ConfigMap>`. They
 * are the descriptors of `@kube-ts/k8s` (`resources.pods` is `pods` of
 * `@kube-ts/k8s/core/v1`); every other kind is there, one subpath per group/version.
 */
export const resources = Object.freeze({
  /** core/v1 Namespace (cluster-scoped). */
  namespaces,
  /** core/v1 ConfigMap. */
  configMaps,
  /** core/v1 Secret. */
  secrets,
  /** core/v1 Service. */
  services,
  /** core/v1 ServiceAccount. */
  serviceAccounts,
  /** core/v1 Pod. */
  pods,
  /**
   * authentication.k8s.io/v1 TokenReview: create-only; `create` answers the review with
   * `status.authenticated` and `status.user`.
   */
  tokenReviews,
  /** core/v1 Event (the legacy events API). */
  events,
  /** events.k8s.io/v1 Event (the one `Recorder` writes). */
  eventsV1,
  /** apps/v1 Deployment. */
  deployments,
  /** apps/v1 StatefulSet. */
  statefulSets,
  /** batch/v1 Job. */
  jobs,
  /** coordination.k8s.io/v1 Lease (leader election). */
  leases,
  /** apiextensions.k8s.io/v1 CustomResourceDefinition (cluster-scoped). */
  customResourceDefinitions,
});
