/**
 * How kube-controller-manager's EndpointSlice controller writes a selector Service's
 * slices (`<service>-xxxxx`, owned by the Service, labelled with the Service's labels
 * plus `kubernetes.io/service-name`, `endpointslice.kubernetes.io/managed-by` and, for a
 * Service without a ClusterIP, `service.kubernetes.io/headless`): one slice per address
 * type of the Service's `ipFamilies`; with no endpoint to list, a placeholder with no
 * endpoints and no ports, which the controller keeps while it still matches; slices of an
 * address type the Service no longer has, and slices labelled for the Service but not
 * owned by it, are deleted.
 */
import { deepEqual, isObject, type JsonObject } from '../json.js';
import { metaOf } from '../object-meta.js';
import type { ApiState } from '../state.js';
import { TRIGGER_TIME } from './endpoint-trigger-times.js';
import { createAs, deleteAs, ownerReference, type Resource, tableOf, updateAs } from './writes.js';

/** EndpointSlices (discovery.k8s.io/v1). */
export const SLICES: Resource = {
  group: 'discovery.k8s.io',
  version: 'v1',
  plural: 'endpointslices',
};
/** The label naming a slice's Service. */
export const SERVICE_NAME = 'kubernetes.io/service-name';
/** The label naming the controller that writes a slice. */
export const MANAGED_BY = 'endpointslice.kubernetes.io/managed-by';
/** The EndpointSlice controller's `managed-by` value. */
export const SLICE_CONTROLLER = 'endpointslice-controller.k8s.io';
/** The label both controllers put on what they write for a Service without a ClusterIP. */
export const HEADLESS = 'service.kubernetes.io/headless';

const MANAGER = 'kube-controller-manager';

/** What one address type's slice should list. */
export interface DesiredSlice {
  readonly endpoints: JsonObject[];
  readonly ports: JsonObject[];
}

/** Whether `svc` has no ClusterIP (headless): `None` or none. */
export function isHeadless(svc: JsonObject): boolean {
  const spec = isObject(svc.spec) ? svc.spec : {};
  return spec.clusterIP === undefined || spec.clusterIP === '' || spec.clusterIP === 'None';
}

/** The address types of `svc`'s slices, from its `ipFamilies` (IPv4 when it has none). */
export function addressTypes(svc: JsonObject): string[] {
  const spec = isObject(svc.spec) ? svc.spec : {};
  const families = Array.isArray(spec.ipFamilies) ? spec.ipFamilies : [];
  const types = families.filter((f): f is string => f === 'IPv4' || f === 'IPv6');
  return types.length ? types : ['IPv4'];
}

function sliceLabels(svc: JsonObject): Record<string, string> {
  const labels: Record<string, string> = {};
  const own = metaOf(svc).labels;
  for (const [k, v] of Object.entries(isObject(own) ? own : {})) {
    if (k !== SERVICE_NAME && k !== MANAGED_BY && k !== HEADLESS) labels[k] = String(v);
  }
  if (isHeadless(svc)) labels[HEADLESS] = '';
  labels[SERVICE_NAME] = String(metaOf(svc).name);
  labels[MANAGED_BY] = SLICE_CONTROLLER;
  return labels;
}

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

function ownedBySvc(slice: JsonObject, svc: JsonObject): boolean {
  const uid = metaOf(svc).uid;
  return list(metaOf(slice).ownerReferences).some(
    (r) => isObject(r) && r.uid === uid && r.kind === 'Service' && r.apiVersion === 'v1',
  );
}

/** The live slices `controller` (by default the EndpointSlice controller) wrote for Service `name` (by their labels). */
export function managedSlices(
  s: ApiState,
  namespace: string,
  name: string,
  controller = SLICE_CONTROLLER,
): JsonObject[] {
  const out: JsonObject[] = [];
  for (const [, slice] of s.storage.scan(tableOf(SLICES), namespace)) {
    const meta = metaOf(slice);
    const labels = isObject(meta.labels) ? meta.labels : {};
    if (meta.deletionTimestamp) continue;
    if (labels[SERVICE_NAME] === name && labels[MANAGED_BY] === controller) out.push(slice);
  }
  return out;
}

/** Writes `svc`'s slices to list `desired` (by address type), with `trigger` as trigger time. */
export function reconcileSlices(
  s: ApiState,
  svc: JsonObject,
  desired: ReadonlyMap<string, DesiredSlice>,
  trigger: string | undefined,
): void {
  const namespace = String(metaOf(svc).namespace ?? '');
  const name = String(metaOf(svc).name);
  const labels = sliceLabels(svc);
  const existing = managedSlices(s, namespace, name);
  for (const slice of existing) {
    if (!desired.has(String(slice.addressType)))
      deleteAs(s, SLICES, namespace, String(metaOf(slice).name));
  }
  for (const [addressType, want] of desired) {
    const mine = existing.filter((slice) => slice.addressType === addressType);
    const target = mine.find((slice) => ownedBySvc(slice, svc));
    for (const slice of mine) {
      if (slice !== target) deleteAs(s, SLICES, namespace, String(metaOf(slice).name));
    }
    const placeholder = want.endpoints.length === 0;
    const content: JsonObject = {
      addressType,
      endpoints: want.endpoints,
      ports: placeholder ? [] : want.ports,
    };
    if (target === undefined) {
      // No new slice for a Service being deleted (the garbage collector would race it).
      if (metaOf(svc).deletionTimestamp) continue;
      createAs(s, MANAGER, SLICES, namespace, {
        metadata: {
          generateName: `${name}-`,
          labels,
          ...(trigger ? { annotations: { [TRIGGER_TIME]: trigger } } : {}),
          ownerReferences: [ownerReference(svc)],
        },
        ...content,
      });
      continue;
    }
    const sameLabels = deepEqual(metaOf(target).labels ?? {}, labels);
    const samePorts = deepEqual(list(target.ports), content.ports);
    const sameEndpoints = deepEqual(list(target.endpoints), content.endpoints);
    if (sameLabels && samePorts && sameEndpoints) continue;
    updateAs(s, MANAGER, SLICES, target, (copy) => {
      const meta = copy.metadata as JsonObject;
      // A new port set (a placeholder's is none) makes the controller write a new slice
      // over the old one's name: the old annotations go; otherwise it edits the old slice.
      const annotations =
        placeholder || !samePorts ? {} : isObject(meta.annotations) ? meta.annotations : {};
      if (trigger) annotations[TRIGGER_TIME] = trigger;
      else delete annotations[TRIGGER_TIME];
      if (Object.keys(annotations).length) meta.annotations = annotations;
      else delete meta.annotations;
      meta.labels = labels;
      if (placeholder || !samePorts) meta.ownerReferences = [ownerReference(svc)];
      Object.assign(copy, content);
    });
  }
}
