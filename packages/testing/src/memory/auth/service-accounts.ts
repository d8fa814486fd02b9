/**
 * What kube-controller-manager's serviceaccount and root-ca-cert-publisher controllers
 * keep in every active namespace: a `default` ServiceAccount and the `kube-root-ca.crt`
 * ConfigMap with the cluster's CA bundle. Created when a namespace appears and again
 * when either is deleted; written by `kube-controller-manager`, after the request that
 * caused them (like the real, asynchronous controllers).
 */

import { createObject } from '../create-object.js';
import type { Change } from '../history.js';
import { isObject, type JsonObject } from '../json.js';
import { metaOf } from '../object-meta.js';
import { resourceKey } from '../resource-types.js';
import type { ApiState } from '../state.js';
import { objectKey } from '../storage.js';
import type { WriteParams } from '../write-scope.js';

/** The ServiceAccount every namespace gets. */
export const DEFAULT_SERVICE_ACCOUNT = 'default';
/** The ConfigMap with the cluster's CA bundle every namespace gets. */
export const ROOT_CA_CONFIG_MAP = 'kube-root-ca.crt';
const DESCRIPTION =
  'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.';
const CONTROLLER: WriteParams = { defaultManager: 'kube-controller-manager' };

/** Keeps the default ServiceAccount and the root CA ConfigMap in every namespace. */
export class ServiceAccountController {
  constructor(
    private readonly s: ApiState,
    private readonly caPem: string,
  ) {}

  /** Observes a committed change (called synchronously by the storage). */
  observe(c: Change): void {
    if (c.resKey === 'namespaces' && c.type === 'ADDED') {
      this.s.schedule(() => this.ensure(String(metaOf(c.object).name)));
    } else if (
      c.type === 'DELETED' &&
      ((c.resKey === 'serviceaccounts' && metaOf(c.object).name === DEFAULT_SERVICE_ACCOUNT) ||
        (c.resKey === 'configmaps' && metaOf(c.object).name === ROOT_CA_CONFIG_MAP))
    ) {
      this.s.schedule(() => this.ensure(c.namespace));
    }
  }

  /** Creates what is missing in an active namespace (nothing in a terminating or gone one). */
  ensure(namespace: string): void {
    const ns = this.s.storage.get('namespaces', objectKey('', namespace));
    if (!ns || metaOf(ns).deletionTimestamp) return;
    this.create('serviceaccounts', namespace, {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: DEFAULT_SERVICE_ACCOUNT, namespace },
    });
    this.create('configmaps', namespace, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: ROOT_CA_CONFIG_MAP,
        namespace,
        annotations: { 'kubernetes.io/description': DESCRIPTION },
      },
      data: { 'ca.crt': this.caPem },
    });
  }

  private create(plural: string, namespace: string, obj: JsonObject): void {
    const t = this.s.registry.find('', 'v1', plural);
    if (!t) return;
    const name = String(isObject(obj.metadata) ? obj.metadata.name : '');
    if (this.s.storage.get(resourceKey(t), objectKey(namespace, name))) return;
    createObject(this.s, { t, version: 'v1', namespace }, obj, { ...CONTROLLER });
  }
}
