/**
 * kube-apiserver's aggregation layer, as far as its APIService objects show it: the local
 * APIServices registered at start (one per built-in group/version, with the priorities
 * recorded from v1.36.3 in local-api-services.json, labelled `automanaged: onstart`), and
 * the local availability controller, which marks every APIService without a `service`
 * Available (`True`, `Local`). APIServices backed by a Service get no condition here.
 */
import { createObject } from '../create-object.js';
import type { Change } from '../history.js';
import { isObject, type Json, type JsonObject } from '../json.js';
import { metaOf } from '../object-meta.js';
import type { ApiState } from '../state.js';
import { timestamp } from '../state.js';
import { commitUpdate } from '../update-object.js';
import local from './local-api-services.json' with { type: 'json' };

const GROUP = 'apiregistration.k8s.io';
const API_SERVICES = `apiservices.${GROUP}`;
const LOCAL_AVAILABLE = {
  type: 'Available',
  status: 'True',
  reason: 'Local',
  message: 'Local APIServices are always available',
};

/** Creates the local APIServices kube-apiserver registers when it starts. */
export function installLocalApiServices(s: ApiState): void {
  const t = s.registry.find(GROUP, 'v1', 'apiservices');
  if (!t) return;
  for (const [group, version, groupPriorityMinimum, versionPriority] of local as [
    string,
    string,
    number,
    number,
  ][]) {
    const spec: JsonObject = { version, groupPriorityMinimum, versionPriority };
    if (group) spec.group = group;
    const body: JsonObject = {
      apiVersion: `${GROUP}/v1`,
      kind: 'APIService',
      metadata: {
        name: `${version}.${group}`,
        labels: { 'kube-aggregator.kubernetes.io/automanaged': 'onstart' },
      },
      spec,
    };
    createObject(s, { t, version: 'v1', namespace: '' }, body, {
      defaultManager: 'kube-apiserver',
    });
  }
}

/** Keeps the `Available` condition of every local APIService (one without a `service`). */
export class LocalAvailabilityController {
  constructor(private readonly s: ApiState) {}

  /** Observes a committed change (called synchronously by the storage). */
  observe(c: Change): void {
    if (c.resKey === API_SERVICES) this.s.schedule(() => this.sync());
  }

  /** Marks each local APIService Available where it is not yet. */
  sync(): void {
    const t = this.s.registry.find(GROUP, 'v1', 'apiservices');
    if (!t) return;
    for (const [, svc] of [...this.s.storage.scan(API_SERVICES)]) {
      const spec = isObject(svc.spec) ? svc.spec : {};
      if (isObject(spec.service)) continue;
      const status = isObject(svc.status) ? svc.status : {};
      const conditions = Array.isArray(status.conditions) ? status.conditions.filter(isObject) : [];
      const current = conditions.find((c) => c.type === 'Available');
      if (
        current &&
        current.status === 'True' &&
        current.reason === LOCAL_AVAILABLE.reason &&
        current.message === LOCAL_AVAILABLE.message
      ) {
        continue;
      }
      // As SetAPIServiceCondition: the transition time moves only with the status.
      const condition: JsonObject = {
        type: 'Available',
        status: 'True',
        lastTransitionTime:
          current?.status === 'True' ? (current.lastTransitionTime ?? timestamp()) : timestamp(),
        reason: LOCAL_AVAILABLE.reason,
        message: LOCAL_AVAILABLE.message,
      };
      const next = current
        ? conditions.map((c) => (c === current ? condition : c))
        : [...conditions, condition];
      try {
        commitUpdate(
          this.s,
          { t, version: 'v1', namespace: '' },
          svc,
          { ...svc, status: { ...status, conditions: next } },
          { defaultManager: 'kube-apiserver' },
          {
            subresource: 'status',
            managedFields: (metaOf(svc).managedFields as Json[] | undefined) ?? [],
          },
        );
      } catch {
        // A concurrent change of the APIService brings it back here.
      }
    }
  }
}
