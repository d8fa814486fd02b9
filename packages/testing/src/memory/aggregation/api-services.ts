/**
 * kube-apiserver's aggregation layer, as far as its APIService objects show it: the local
 * APIServices registered at start (one per built-in group/version, with the priorities
 * recorded from v1.36.3 in local-api-services.json, labelled `automanaged: onstart`), and
 * the local availability controller, which marks every APIService without a `service`
 * Available (`True`, `Local`); remote-availability.ts checks those backed by a Service.
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
/** The storage key of APIServices. */
export const API_SERVICES = `apiservices.${GROUP}`;
const LOCAL_AVAILABLE = {
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

/** The `Available` condition an availability controller wants an APIService to have. */
export interface AvailableCondition {
  readonly status: string;
  readonly reason: string;
  readonly message: string;
}

/**
 * Writes an APIService's `Available` condition through `status` unless it already says
 * so; as SetAPIServiceCondition, the transition time moves only with the status.
 */
export function writeAvailableCondition(s: ApiState, name: string, want: AvailableCondition): void {
  const t = s.registry.find(GROUP, 'v1', 'apiservices');
  const svc = s.storage.get(API_SERVICES, name);
  if (!t || !svc) return;
  const status = isObject(svc.status) ? svc.status : {};
  const conditions = Array.isArray(status.conditions) ? status.conditions.filter(isObject) : [];
  const current = conditions.find((c) => c.type === 'Available');
  if (
    current &&
    current.status === want.status &&
    current.reason === want.reason &&
    current.message === want.message
  ) {
    return;
  }
  const condition: JsonObject = {
    type: 'Available',
    status: want.status,
    lastTransitionTime:
      current?.status === want.status ? (current.lastTransitionTime ?? timestamp()) : timestamp(),
    reason: want.reason,
    message: want.message,
  };
  const next = current
    ? conditions.map((c) => (c === current ? condition : c))
    : [...conditions, condition];
  try {
    commitUpdate(
      s,
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
    // A concurrent change of the APIService brings it back to its controller.
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
    for (const [, svc] of [...this.s.storage.scan(API_SERVICES)]) {
      const spec = isObject(svc.spec) ? svc.spec : {};
      if (isObject(spec.service)) continue;
      writeAvailableCondition(this.s, String(metaOf(svc).name), LOCAL_AVAILABLE);
    }
  }
}
