import type { Change } from '../history.js';
import { deepEqual, type Json, type JsonObject } from '../json.js';
import { metaOf } from '../object-meta.js';
import type { ApiState } from '../state.js';
import { commitUpdate } from '../update-object.js';
import type { WriteParams } from '../write-scope.js';
import { namespaceUsage, QUOTA_KEY, quotaStatus } from './quota-usage.js';

const MANAGER: WriteParams = { defaultManager: 'kube-controller-manager' };

/**
 * kube-controller-manager's resource quota controller: after any change in a namespace
 * that has ResourceQuotas, it recounts the namespace's usage and writes each quota's
 * `status` (`hard` = `spec.hard`, `used` for every limited resource) through `/status`,
 * asynchronously, like the real controller.
 */
export class QuotaController {
  private readonly pending = new Set<string>();

  constructor(private readonly s: ApiState) {}

  /** Observes a committed change (called synchronously by the storage). */
  observe(c: Change): void {
    if (c.namespace === '' || this.pending.has(c.namespace)) return;
    if (c.resKey !== QUOTA_KEY && this.s.storage.scan(QUOTA_KEY, c.namespace).next().done) return;
    const ns = c.namespace;
    this.pending.add(ns);
    this.s.schedule(() => {
      this.pending.delete(ns);
      this.sync(ns);
    });
  }

  private sync(namespace: string): void {
    const t = this.s.registry.byResourceKey(QUOTA_KEY);
    if (!t) return;
    const sc = { t, version: t.versions[0]!, namespace };
    for (const [, quota] of [...this.s.storage.scan(QUOTA_KEY, namespace)]) {
      if (metaOf(quota).deletionTimestamp) continue;
      const status = quotaStatus(quota, namespaceUsage(this.s, namespace, quota));
      if (deepEqual(quota.status ?? {}, status)) continue;
      const next: JsonObject = { ...quota, status };
      commitUpdate(this.s, sc, quota, next, MANAGER, {
        subresource: 'status',
        managedFields: (metaOf(quota).managedFields as Json[]) ?? [],
      });
    }
  }
}
