/**
 * kube-controller-manager's EndpointSlice mirroring controller, on every server: the
 * Endpoints a client writes for a Service without a selector are mirrored into
 * EndpointSlices (`<endpoints>-xxxxx`, owned by the Endpoints as controller, with the
 * Endpoints' labels plus `kubernetes.io/service-name` and `endpointslice.kubernetes.io/managed-by:
 * endpointslicemirroring-controller.k8s.io`, and its annotations but the trigger time and
 * `kubectl.kubernetes.io/last-applied-configuration`). The subsets are first repacked as
 * the controller does (ports grouped by the set of addresses behind them); each group
 * gives one slice per address type, whose endpoints carry the address (canonical form),
 * `conditions.ready` (`addresses` or `notReadyAddresses`), `hostname`, `nodeName` and
 * `targetRef`, at most 1000 per subset. Nothing is mirrored (and mirrored slices are
 * deleted) when the Endpoints are gone, labelled `endpointslice.kubernetes.io/skip-mirror:
 * "true"`, carry a leader-election annotation, or their Service is gone or has a
 * selector. A slice's ports are in the controller's hash order (port-hash-order.ts). Own
 * code because no Go controller runs here. Skipped addresses are reported as the
 * controller reports them: Warning Events `InvalidIPAddress` and `TooManyAddressesToMirror`
 * on the Endpoints.
 */

import { canonicalIP, isIPv4Address, isSloppyIP } from '../builtins/ip-addresses.js';
import type { Change } from '../history.js';
import { deepEqual, isObject, type Json, type JsonObject, obj } from '../json.js';
import { metaOf } from '../object-meta.js';
import type { ApiState } from '../state.js';
import { objectKey } from '../storage.js';
import { MANAGED_BY, managedSlices, SERVICE_NAME, SLICES } from './endpoint-slices.js';
import { TRIGGER_TIME } from './endpoint-trigger-times.js';
import { recordEvent } from './events.js';
import { slicePortsInHashOrder } from './port-hash-order.js';
import {
  createAs,
  deleteAs,
  OwnWrites,
  ownerReference,
  type Resource,
  tableOf,
  updateAs,
} from './writes.js';

/** The mirroring controller's `managed-by` value. */
export const MIRROR_CONTROLLER = 'endpointslicemirroring-controller.k8s.io';
/** The Endpoints label that turns mirroring off. */
export const SKIP_MIRROR = 'endpointslice.kubernetes.io/skip-mirror';
/** The most addresses of one (repacked) subset that are mirrored. */
export const MAX_ENDPOINTS_PER_SUBSET = 1000;

const MANAGER = 'kube-controller-manager';
/** The controller's name on the Events it records. */
const EVENT_SOURCE = 'endpoint-slice-mirroring-controller';
const SERVICES: Resource = { group: '', version: 'v1', plural: 'services' };
const ENDPOINTS: Resource = { group: '', version: 'v1', plural: 'endpoints' };
const LEADER = 'control-plane.alpha.kubernetes.io/leader';
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

const objects = (v: Json | undefined): JsonObject[] => (Array.isArray(v) ? v.filter(isObject) : []);

/** A repacked subset: ports that share the same addresses, with each address's readiness. */
interface Group {
  readonly ports: JsonObject[];
  readonly addresses: { address: JsonObject; ready: boolean }[];
}

const addressKey = (a: JsonObject): string =>
  JSON.stringify([String(a.ip), String(obj(a.targetRef).uid ?? '')]);

/**
 * The subsets regrouped as the controller repacks them: per port, the addresses behind it
 * (one not ready anywhere stays not ready); ports with the same addresses grouped, a
 * subset without ports giving a group without ports; addresses sorted by IP.
 */
export function repackSubsets(subsets: Json | undefined): Group[] {
  const first = new Map<string, JsonObject>();
  const byPort = new Map<string, { port: JsonObject | undefined; ready: Map<string, boolean> }>();
  const note = (port: JsonObject | undefined, a: JsonObject, ready: boolean) => {
    const key = addressKey(a);
    if (!first.has(key)) first.set(key, a);
    const portKey = port === undefined ? '' : JSON.stringify(port);
    const entry = byPort.get(portKey) ?? { port, ready: new Map<string, boolean>() };
    byPort.set(portKey, entry);
    const was = entry.ready.get(key);
    if (was === undefined || was) entry.ready.set(key, ready);
  };
  for (const subset of objects(subsets)) {
    const ports = objects(subset.ports);
    for (const port of ports.length ? ports : [undefined]) {
      for (const a of objects(subset.addresses)) note(port, a, true);
      for (const a of objects(subset.notReadyAddresses)) note(port, a, false);
    }
  }
  const groups = new Map<string, Group>();
  for (const { port, ready } of byPort.values()) {
    const addresses = [...ready]
      .map(([key, up]) => ({ address: first.get(key) as JsonObject, ready: up }))
      .sort((x, y) => compareAddress(x.address, y.address));
    const key = JSON.stringify(addresses.map((a) => [addressKey(a.address), a.ready]));
    const group = groups.get(key) ?? { ports: [], addresses };
    groups.set(key, group);
    if (port !== undefined) group.ports.push(port);
  }
  return [...groups.values()];
}

/** Go's `LessEndpointAddress` as an ordering: by IP bytes, then target UID. */
export function compareAddress(a: JsonObject, b: JsonObject): number {
  const ip = Buffer.compare(Buffer.from(String(a.ip)), Buffer.from(String(b.ip)));
  if (ip !== 0) return ip;
  const ua = String(obj(a.targetRef).uid ?? '');
  const ub = String(obj(b.targetRef).uid ?? '');
  return ua < ub ? -1 : ua > ub ? 1 : 0;
}

/** An Endpoints port as a slice port (`name` always present). */
function slicePort(p: JsonObject): JsonObject {
  return {
    name: p.name ?? '',
    port: p.port ?? 0,
    protocol: p.protocol ?? '',
    ...(p.appProtocol === undefined ? {} : { appProtocol: p.appProtocol }),
  };
}

/** A slice endpoint of `address`, and its address type; undefined for an address Go cannot read. */
function sliceEndpoint(address: JsonObject, ready: boolean): [string, JsonObject] | undefined {
  const ip = String(address.ip ?? '');
  if (!isSloppyIP(ip)) return undefined;
  const endpoint: JsonObject = { addresses: [canonicalIP(ip)], conditions: { ready } };
  if (typeof address.hostname === 'string' && address.hostname)
    endpoint.hostname = address.hostname;
  if (address.nodeName !== undefined) endpoint.nodeName = address.nodeName;
  if (address.targetRef !== undefined) endpoint.targetRef = address.targetRef;
  return [isIPv4Address(ip) ? 'IPv4' : 'IPv6', endpoint];
}

/** What one port set and address type should list. */
interface Desired {
  readonly addressType: string;
  readonly ports: JsonObject[];
  readonly endpoints: JsonObject[];
}

/** The key of a port set and address type (ports in any order). */
function portMapKey(addressType: string, ports: JsonObject[]): string {
  const each = ports.map((p) => JSON.stringify(slicePort(p))).sort();
  return JSON.stringify([addressType, each]);
}

/** What the controller makes of an Endpoints: its slices, and the addresses it skipped. */
export interface MirrorPlan {
  /** The slices to mirror into, by port map key. */
  readonly slices: Map<string, Desired>;
  /** Addresses Go cannot read as an IP. */
  readonly invalid: number;
  /** Addresses left out in all: the invalid ones and those beyond the cap of a subset. */
  readonly skipped: number;
}

/** The slices `endpoints` should be mirrored into, and how many addresses were skipped. */
export function desiredSlices(endpoints: JsonObject): MirrorPlan {
  const out = new Map<string, Desired>();
  let invalid = 0;
  let skipped = 0;
  for (const group of repackSubsets(endpoints.subsets)) {
    const ports = slicePortsInHashOrder(group.ports.map(slicePort));
    const keys = new Map<string, Desired>();
    for (const addressType of ['IPv4', 'IPv6']) {
      const key = portMapKey(addressType, ports);
      const desired = out.get(key) ?? { addressType, ports, endpoints: [] };
      out.set(key, desired);
      keys.set(addressType, desired);
    }
    // Ready addresses first, then not-ready ones, up to the cap per subset.
    const ordered = [
      ...group.addresses.filter((a) => a.ready),
      ...group.addresses.filter((a) => !a.ready),
    ];
    let added = 0;
    for (const { address, ready } of ordered) {
      if (added >= MAX_ENDPOINTS_PER_SUBSET) break;
      const made = sliceEndpoint(address, ready);
      if (made === undefined) {
        invalid++;
        continue;
      }
      keys.get(made[0])?.endpoints.push(made[1]);
      added++;
    }
    skipped += ordered.length - added;
  }
  return { slices: out, invalid, skipped };
}

/**
 * The controller's warning Events about the Endpoints for the addresses it skipped, as
 * its reconcile records them on each pass (client-go's recorder counts the repeats).
 */
function reportSkipped(s: ApiState, endpoints: JsonObject, plan: MirrorPlan): void {
  if (plan.invalid > 0) {
    recordEvent(
      s,
      EVENT_SOURCE,
      endpoints,
      'Warning',
      'InvalidIPAddress',
      `Skipped ${plan.invalid} invalid IP addresses when mirroring to EndpointSlices`,
    );
  }
  if (plan.skipped > plan.invalid) {
    recordEvent(
      s,
      EVENT_SOURCE,
      endpoints,
      'Warning',
      'TooManyAddressesToMirror',
      `A max of ${MAX_ENDPOINTS_PER_SUBSET} addresses can be mirrored to EndpointSlices per Endpoints subset. ${plan.skipped} addresses were skipped`,
    );
  }
}

/** Whether the controller mirrors `endpoints` at all (no skip-mirror label, no leader-election record). */
function shouldMirror(endpoints: JsonObject): boolean {
  const meta = metaOf(endpoints);
  return obj(meta.labels)[SKIP_MIRROR] !== 'true' && obj(meta.annotations)[LEADER] === undefined;
}

/** The labels and annotations a mirrored slice of `endpoints` carries. */
function sliceMeta(endpoints: JsonObject): { labels: JsonObject; annotations: JsonObject } {
  const meta = metaOf(endpoints);
  const labels: JsonObject = { ...obj(meta.labels) };
  labels[SERVICE_NAME] = String(meta.name);
  labels[MANAGED_BY] = MIRROR_CONTROLLER;
  const { [TRIGGER_TIME]: _t, [LAST_APPLIED]: _l, ...annotations } = obj(meta.annotations);
  return { labels, annotations };
}

const endpointSet = (list: Json | undefined): string[] =>
  objects(list)
    .map((e) => JSON.stringify(e, Object.keys(e).sort()))
    .sort();

/** Mirrors the Endpoints of each Service without a selector into EndpointSlices. */
export class EndpointSliceMirroring {
  readonly #own = new OwnWrites();

  constructor(private readonly s: ApiState) {}

  /** Observes a committed change (called synchronously by the storage). */
  observe(c: Change): void {
    if (this.#own.active) return;
    if (c.resKey === tableOf(SERVICES) || c.resKey === tableOf(ENDPOINTS)) {
      const name = String(metaOf(c.object).name);
      this.s.schedule(() => this.sync(c.namespace, name));
    } else if (c.resKey === tableOf(SLICES)) {
      for (const name of this.#slicesToResync(c)) {
        this.s.schedule(() => this.sync(c.namespace, name));
      }
    }
  }

  /**
   * The Endpoints to resync for a client's change of a slice, as the controller's slice
   * tracker decides: one of its slices created or deleted, a new generation of one (a
   * label-only edit keeps the generation and is left), or a changed managed-by or
   * service-name label.
   */
  #slicesToResync(c: Change): string[] {
    const now = obj(metaOf(c.object).labels);
    const before = c.prev ? obj(metaOf(c.prev).labels) : undefined;
    const mine = (labels: JsonObject) => labels[MANAGED_BY] === MIRROR_CONTROLLER;
    const nameOf = (labels: JsonObject) =>
      typeof labels[SERVICE_NAME] === 'string' ? [labels[SERVICE_NAME]] : [];
    if (before === undefined || c.type === 'DELETED') return mine(now) ? nameOf(now) : [];
    if (before[SERVICE_NAME] !== now[SERVICE_NAME]) return [...nameOf(now), ...nameOf(before)];
    const newGeneration = metaOf(c.object).generation !== metaOf(c.prev ?? {}).generation;
    return mine(before) !== mine(now) || (mine(now) && newGeneration) ? nameOf(now) : [];
  }

  /** Brings the mirrored slices of Endpoints `name` in line with them. */
  sync(namespace: string, name: string): void {
    this.#own.run(() => this.#sync(namespace, name));
  }

  #sync(namespace: string, name: string): void {
    const existing = managedSlices(this.s, namespace, name, MIRROR_CONTROLLER);
    const endpoints = this.s.storage.get(tableOf(ENDPOINTS), objectKey(namespace, name));
    const svc = this.s.storage.get(tableOf(SERVICES), objectKey(namespace, name));
    const selector = svc && obj(svc.spec).selector;
    const hasSelector = isObject(selector) && Object.keys(selector).length > 0;
    if (endpoints === undefined || !shouldMirror(endpoints) || svc === undefined || hasSelector) {
      for (const slice of existing) this.#delete(slice);
      return;
    }
    const plan = desiredSlices(endpoints);
    reportSkipped(this.s, endpoints, plan);
    const desired = plan.slices;
    const byKey = new Map<string, JsonObject[]>();
    for (const slice of existing) {
      const key = portMapKey(String(slice.addressType), objects(slice.ports));
      byKey.set(key, [...(byKey.get(key) ?? []), slice]);
    }
    const toCreate: Desired[] = [];
    const toDelete: JsonObject[] = [];
    const { labels, annotations } = sliceMeta(endpoints);
    const uid = metaOf(endpoints).uid;
    for (const [key, want] of desired) {
      const [target, ...rest] = byKey.get(key) ?? [];
      if (want.endpoints.length === 0) {
        toDelete.push(...(byKey.get(key) ?? []));
        continue;
      }
      if (target === undefined) {
        toCreate.push(want);
        continue;
      }
      toDelete.push(...rest);
      const meta = metaOf(target);
      const { [SERVICE_NAME]: _n, [MANAGED_BY]: _m, ...haveLabels } = obj(meta.labels);
      const stale = objects(meta.ownerReferences).some(
        (r) => r.kind === 'Endpoints' && r.name === name && r.uid !== uid,
      );
      const same =
        deepEqual(endpointSet(target.endpoints), endpointSet(want.endpoints)) &&
        deepEqual(haveLabels, obj(metaOf(endpoints).labels)) &&
        deepEqual(obj(meta.annotations), annotations) &&
        !stale;
      if (!same) this.#replace(target, endpoints, want);
    }
    for (const [key, slices] of byKey) if (!desired.has(key)) toDelete.push(...slices);
    // A slice to create takes the name of one to delete of its address type instead.
    for (const want of toCreate) {
      const i = toDelete.findIndex((slice) => slice.addressType === want.addressType);
      if (i >= 0) {
        const [old] = toDelete.splice(i, 1) as [JsonObject];
        this.#replace(old, endpoints, want);
      } else if (!metaOf(endpoints).deletionTimestamp) {
        createAs(this.s, MANAGER, SLICES, namespace, {
          metadata: {
            generateName: `${name}-`,
            labels,
            ...(Object.keys(annotations).length ? { annotations } : {}),
            ownerReferences: [ownerReference(endpoints)],
          },
          ...this.#content(want),
        });
      }
    }
    for (const slice of toDelete) this.#delete(slice);
  }

  #content(want: Desired): JsonObject {
    return { addressType: want.addressType, endpoints: want.endpoints, ports: want.ports };
  }

  /** Updates `slice` to a newly built mirror (the controller's update carries no other metadata). */
  #replace(slice: JsonObject, endpoints: JsonObject, want: Desired): void {
    const { labels, annotations } = sliceMeta(endpoints);
    updateAs(this.s, MANAGER, SLICES, slice, (copy) => {
      const old = metaOf(slice);
      const keep = [
        'name',
        'namespace',
        'uid',
        'resourceVersion',
        'creationTimestamp',
        'generation',
      ];
      const meta: JsonObject = {};
      for (const k of [
        ...keep,
        'deletionTimestamp',
        'deletionGracePeriodSeconds',
        'managedFields',
      ]) {
        if (old[k] !== undefined) meta[k] = old[k];
      }
      meta.labels = labels;
      if (Object.keys(annotations).length) meta.annotations = annotations;
      meta.ownerReferences = [ownerReference(endpoints)];
      copy.metadata = meta;
      Object.assign(copy, this.#content(want));
    });
  }

  #delete(slice: JsonObject): void {
    deleteAs(this.s, SLICES, String(metaOf(slice).namespace ?? ''), String(metaOf(slice).name));
  }
}
