/**
 * kube-controller-manager's Endpoints and EndpointSlice controllers, on every server: for
 * each Service with a selector (not of type ExternalName), the Endpoints of the same name
 * (labelled with the Service's labels plus `endpoints.kubernetes.io/managed-by` and, for a
 * headless Service, `service.kubernetes.io/headless`; `subsets`: the Ready Pods' IPs as
 * `addresses`, the others as `notReadyAddresses`, with the Service's ports resolved to the
 * Pods' target ports) and its EndpointSlices (see endpoint-slices.ts; IPv4 endpoints with
 * `ready`/`serving`/`terminating` conditions, `nodeName` and `targetRef`), both with the
 * `last-change-trigger-time` annotation (endpoint-trigger-times.ts). Pods count once
 * they have an IP and until they end: without nodes every such Service gets Endpoints
 * without subsets and a placeholder slice, as on a control plane without nodes. A Pod a
 * client gives an IP there is named with node `""` in the Endpoints, whose write the
 * server then refuses, and left out of the slices as its Node is unknown; both controllers
 * report that in a Warning Event, as kube-controller-manager's do (they retry with a
 * back-off, which is not simulated, but a new Node brings the Pods left out for it into
 * the slices, as such a retry would). Ports are in the controllers' hash orders
 * (port-hash-order.ts). Endpoints written by a client for such a Service are taken over; deleted ones (or
 * slices) are written again. A deleted Service's Endpoints go once it is gone (whoever wrote them,
 * selector or not), its slices through their ownerReference. Services without a selector
 * are left alone, and so is what a Service wrote before its selector was removed, as the
 * controllers leave them.
 */
import { selectorOf } from '../admission/matching.js';
import { HttpStatusError } from '../errors.js';
import type { Change } from '../history.js';
import { deepEqual, isObject, type Json, type JsonObject, objAt } from '../json.js';
import { metaOf } from '../object-meta.js';
import { matchLabels } from '../selectors.js';
import type { ApiState } from '../state.js';
import { objectKey } from '../storage.js';
import { compareAddress } from './endpoint-slice-mirroring.js';
import {
  addressTypes,
  type DesiredSlice,
  HEADLESS,
  isHeadless,
  MANAGED_BY,
  reconcileSlices,
  SERVICE_NAME,
  SLICE_CONTROLLER,
  SLICES,
} from './endpoint-slices.js';
import { TRIGGER_TIME, TriggerTimes } from './endpoint-trigger-times.js';
import { recordEvent } from './events.js';
import { isActive, isReady, isTerminating } from './pod-template.js';
import { endpointsPortsInHashOrder, slicePortsInHashOrder } from './port-hash-order.js';
import {
  createAs,
  deleteAs,
  NODES,
  OwnWrites,
  PODS,
  type Resource,
  tableOf,
  updateAs,
} from './writes.js';

const MANAGER = 'kube-controller-manager';
/** The names the two controllers record Events under. */
const ENDPOINTS_EVENTS = 'endpoint-controller';
const SLICE_EVENTS = 'endpoint-slice-controller';
/** The Node label a slice endpoint's `zone` comes from. */
const ZONE = 'topology.kubernetes.io/zone';
const SERVICES: Resource = { group: '', version: 'v1', plural: 'services' };
const ENDPOINTS: Resource = { group: '', version: 'v1', plural: 'endpoints' };
const ENDPOINTS_MANAGED_BY = 'endpoints.kubernetes.io/managed-by';
const OVER_CAPACITY = 'endpoints.kubernetes.io/over-capacity';

const objects = (v: Json | undefined): JsonObject[] => (Array.isArray(v) ? v.filter(isObject) : []);

/** A Service port's target on `pod`: a number, or a named container port; undefined when the Pod has no such port. */
function targetPort(port: JsonObject, pod: JsonObject): number | undefined {
  const target = port.targetPort ?? port.port;
  if (typeof target === 'number') return target;
  const spec = isObject(pod.spec) ? pod.spec : {};
  for (const c of objects(spec.containers)) {
    const named = objects(c.ports).find((p) => p.name === target);
    if (named && typeof named.containerPort === 'number') return named.containerPort;
  }
  return undefined;
}

/** The Endpoints' labels for `svc`: its own, the headless label as it has a ClusterIP or not, `managed-by`. */
function endpointsLabels(svc: JsonObject): JsonObject {
  const own = metaOf(svc).labels;
  const labels: JsonObject = isObject(own) ? { ...own } : {};
  if (isHeadless(svc)) labels[HEADLESS] = '';
  else delete labels[HEADLESS];
  labels[ENDPOINTS_MANAGED_BY] = 'endpoint-controller';
  return labels;
}

/** Keeps the Endpoints and EndpointSlices of each Service with a selector current. */
export class EndpointsController {
  readonly #triggers = new TriggerTimes();
  readonly #own = new OwnWrites();
  /**
   * The Services whose slices left out a Pod for its missing Node, by key. The real
   * controller retries them with a back-off until the Node appears; here a new Node
   * resyncs them.
   */
  readonly #awaitingNodes = new Map<string, [string, string]>();

  constructor(private readonly s: ApiState) {}

  /** Observes a committed change (called synchronously by the storage). */
  observe(c: Change): void {
    if (c.resKey === tableOf(SERVICES)) {
      const name = String(metaOf(c.object).name);
      this.s.schedule(() => this.sync(c.namespace, name));
    } else if (c.resKey === tableOf(PODS)) {
      this.s.schedule(() => {
        for (const [, svc] of this.s.storage.scan(tableOf(SERVICES), c.namespace)) {
          this.sync(c.namespace, String(metaOf(svc).name));
        }
      });
    } else if (c.resKey === tableOf(NODES) && c.type === 'ADDED') {
      const waiting = [...this.#awaitingNodes.values()];
      this.s.schedule(() => {
        for (const [namespace, name] of waiting) this.sync(namespace, name);
      });
    } else if (this.#own.active) {
      return;
    } else if (c.resKey === tableOf(ENDPOINTS) && c.type === 'DELETED') {
      // Someone else deleted them: the endpoints controller writes them again.
      this.s.schedule(() => this.sync(c.namespace, String(metaOf(c.object).name)));
    } else if (c.resKey === tableOf(SLICES)) {
      // The EndpointSlice controller resyncs a Service when its slices change under it.
      const labels = metaOf(c.object).labels;
      if (!isObject(labels) || labels[MANAGED_BY] !== SLICE_CONTROLLER) return;
      const name = labels[SERVICE_NAME];
      if (typeof name === 'string') this.s.schedule(() => this.sync(c.namespace, name));
    }
  }

  /** Writes one Service's Endpoints and EndpointSlices from its Pods. */
  sync(namespace: string, name: string): void {
    this.#own.run(() => this.#sync(namespace, name));
  }

  /** The Pods behind `svc`'s selector that have an IP and have not ended (terminating ones too), by name. */
  #podsOf(svc: JsonObject, selector: JsonObject): JsonObject[] {
    const matcher = selectorOf({ matchLabels: selector });
    const pods: JsonObject[] = [];
    for (const [, pod] of this.s.storage.scan(tableOf(PODS), String(metaOf(svc).namespace))) {
      const status = isObject(pod.status) ? pod.status : {};
      const labels = metaOf(pod).labels;
      if (!(isActive(pod) || isTerminating(pod)) || typeof status.podIP !== 'string') continue;
      if (matchLabels(matcher, isObject(labels) ? labels : undefined)) pods.push(pod);
    }
    return pods.sort((a, b) => String(metaOf(a).name).localeCompare(String(metaOf(b).name)));
  }

  #sync(namespace: string, name: string): void {
    const svc = this.s.storage.get(tableOf(SERVICES), objectKey(namespace, name));
    const endpoints = this.s.storage.get(tableOf(ENDPOINTS), objectKey(namespace, name));
    const key = objectKey(namespace, name);
    if (svc === undefined) {
      this.#triggers.forget(key);
      this.#awaitingNodes.delete(key);
      if (endpoints && !metaOf(endpoints).deletionTimestamp) {
        deleteAs(this.s, ENDPOINTS, namespace, name);
      }
      return;
    }
    const spec = isObject(svc.spec) ? svc.spec : {};
    if (spec.type === 'ExternalName') return;
    if (!isObject(spec.selector) || Object.keys(spec.selector).length === 0) return;
    const all = this.#podsOf(svc, spec.selector);
    const pods = all.filter(isActive);
    const trigger = this.#triggers.next(key, svc, pods);
    const servicePorts = objects(spec.ports);
    const ports = (pod: JsonObject | undefined): JsonObject[] =>
      servicePorts.flatMap((p) => {
        const port = pod ? targetPort(p, pod) : undefined;
        if (port === undefined) return [];
        const app: JsonObject = p.appProtocol === undefined ? {} : { appProtocol: p.appProtocol };
        return [{ name: p.name ?? '', port, protocol: p.protocol ?? 'TCP', ...app }];
      });
    // The endpoints controller names the Pod's node even when it has none (`""`, which
    // validation refuses: its write fails then, and it reports that).
    // A Pod's hostname is given when its subdomain names the Service (`ShouldSetHostname`).
    const address = (pod: JsonObject): JsonObject & { ip: string } => {
      const meta = metaOf(pod);
      const podSpec = isObject(pod.spec) ? pod.spec : {};
      const host = podSpec.subdomain === name && typeof podSpec.hostname === 'string';
      return {
        ip: String((pod.status as JsonObject).podIP),
        ...(host && podSpec.hostname ? { hostname: podSpec.hostname } : {}),
        nodeName: nodeOf(pod),
        targetRef: { kind: 'Pod', namespace, name: String(meta.name), uid: String(meta.uid) },
      };
    };
    const publish = spec.publishNotReadyAddresses === true;
    // Terminating Pods are left out of the Endpoints unless the Service publishes addresses
    // that are not ready; the slices list them (`terminating: true`, never `ready` then).
    this.#writeEndpoints(svc, endpoints, publish ? all : pods, ports, address, trigger, publish);
    // The EndpointSlice controller skips a Pod whose Node it does not know, and reports it,
    // unless the Service publishes addresses that are not ready.
    const listed = publish ? all : all.filter((p) => this.#onNode(p));
    const skipped = all.filter((p) => !listed.includes(p));
    const slice: DesiredSlice = {
      endpoints: listed.map((pod): JsonObject => {
        const { ip, nodeName, ...rest } = address(pod);
        const up = isReady(pod);
        const ending = isTerminating(pod);
        const zone = this.#zoneOf(pod);
        return {
          addresses: [ip],
          conditions: { ready: publish || (up && !ending), serving: up, terminating: ending },
          ...(nodeName ? { nodeName } : {}),
          ...rest,
          ...(zone ? { zone } : {}),
        };
      }),
      ports: slicePortsInHashOrder(ports(listed[0])),
    };
    const none: DesiredSlice = { endpoints: [], ports: [] };
    // Pods get IPv4 addresses only here, so an IPv6 slice lists none.
    const desired = new Map(addressTypes(svc).map((t) => [t, t === 'IPv4' ? slice : none]));
    reconcileSlices(this.s, svc, desired, trigger);
    if (skipped.length) this.#awaitingNodes.set(key, [namespace, name]);
    else this.#awaitingNodes.delete(key);
    if (skipped.length) {
      const where = `Service ${namespace}/${name}`;
      const errors = skipped.map(
        (p) => `skipping Pod ${metaOf(p).name} for ${where}: Node ${nodeOf(p)} Not Found`,
      );
      recordEvent(
        this.s,
        SLICE_EVENTS,
        svc,
        'Warning',
        'FailedToUpdateEndpointSlices',
        `Error updating Endpoint Slices for ${where}: ${goAggregate(errors)}`,
      );
    }
  }

  /** The `topology.kubernetes.io/zone` label of `pod`'s Node, if it has one. */
  #zoneOf(pod: JsonObject): string | undefined {
    const node = nodeOf(pod);
    const labels = node === '' ? undefined : this.s.storage.get(tableOf(NODES), node);
    const zone = labels && objAt(metaOf(labels), 'labels')[ZONE];
    return typeof zone === 'string' && zone !== '' ? zone : undefined;
  }

  /** Whether `pod`'s Node exists. */
  #onNode(pod: JsonObject): boolean {
    const node = nodeOf(pod);
    return node !== '' && this.s.storage.get(tableOf(NODES), node) !== undefined;
  }

  /** Writes the Endpoints of `svc` (created, or updated when subsets, labels or capacity annotation are off). */
  #writeEndpoints(
    svc: JsonObject,
    endpoints: JsonObject | undefined,
    pods: JsonObject[],
    ports: (pod: JsonObject | undefined) => JsonObject[],
    address: (pod: JsonObject) => JsonObject,
    trigger: string | undefined,
    publish: boolean,
  ): void {
    const namespace = String(metaOf(svc).namespace);
    const name = String(metaOf(svc).name);
    // Endpoints ports leave an empty name out (`omitempty`), unlike EndpointSlice ports;
    // they are in the order the controller's repacking sorts them.
    const subsetPorts = endpointsPortsInHashOrder(
      ports(pods[0]).map(({ name: n, ...p }) => (n ? { name: n, ...p } : p)),
    );
    // A Service publishing addresses that are not ready lists every Pod as ready; the
    // repacking sorts addresses by IP, then by the Pod's UID.
    const ready = pods.filter((p) => publish || isReady(p));
    const notReady = pods.filter((p) => !ready.includes(p));
    const sorted = (list: JsonObject[]) => list.map(address).sort(compareAddress);
    const subset: JsonObject = { ports: subsetPorts };
    if (ready.length) subset.addresses = sorted(ready);
    if (notReady.length) subset.notReadyAddresses = sorted(notReady);
    const subsets = pods.length ? [subset] : [];
    const labels = endpointsLabels(svc);
    const where = `${namespace}/${name}`;
    if (endpoints === undefined) {
      const created: JsonObject = {
        metadata: {
          name,
          labels,
          ...(trigger ? { annotations: { [TRIGGER_TIME]: trigger } } : {}),
        },
        subsets,
      };
      this.#reportFailure(
        () => createAs(this.s, MANAGER, ENDPOINTS, namespace, structuredClone(created)),
        // The controller's new Endpoints carry no namespace: the Event goes to `default`.
        { apiVersion: 'v1', kind: 'Endpoints', ...created },
        'FailedToCreateEndpoint',
        `Failed to create endpoint for service ${where}`,
      );
      return;
    }
    const meta = metaOf(endpoints);
    const annotations = isObject(meta.annotations) ? meta.annotations : {};
    // The controller compares labels ignoring the headless label (it only writes it).
    const { [HEADLESS]: _had, ...haveLabels } = isObject(meta.labels) ? meta.labels : {};
    const { [HEADLESS]: _want, ...wantLabels } = labels;
    if (
      deepEqual(endpoints.subsets ?? [], subsets) &&
      deepEqual(haveLabels, wantLabels) &&
      annotations[OVER_CAPACITY] === undefined
    ) {
      return;
    }
    const update = () =>
      updateAs(this.s, MANAGER, ENDPOINTS, endpoints, (copy) => {
        const m = copy.metadata as JsonObject;
        const notes: JsonObject = isObject(m.annotations) ? m.annotations : {};
        if (trigger) notes[TRIGGER_TIME] = trigger;
        else delete notes[TRIGGER_TIME];
        delete notes[OVER_CAPACITY];
        if (Object.keys(notes).length) m.annotations = notes;
        else delete m.annotations;
        m.labels = labels;
        if (subsets.length) copy.subsets = subsets;
        else delete copy.subsets;
      });
    this.#reportFailure(
      update,
      endpoints,
      'FailedToUpdateEndpoint',
      `Failed to update endpoint ${where}`,
    );
  }

  /**
   * Runs the controller's write of Endpoints; a refusal is reported as its Warning Event on
   * them (`<what>: <the server's message>`), but a create refused in a namespace being
   * deleted, which the controller drops quietly.
   */
  #reportFailure(write: () => void, about: JsonObject, reason: string, what: string): void {
    try {
      write();
    } catch (e) {
      if (!(e instanceof HttpStatusError)) throw e;
      const terminating = e.details?.causes?.some((c) => c.reason === 'NamespaceTerminating');
      if (reason === 'FailedToCreateEndpoint' && terminating) return;
      recordEvent(this.s, ENDPOINTS_EVENTS, about, 'Warning', reason, `${what}: ${e.message}`);
    }
  }
}

/** A Pod's `spec.nodeName`, `""` when it has none. */
function nodeOf(pod: JsonObject): string {
  const spec = isObject(pod.spec) ? pod.spec : {};
  return typeof spec.nodeName === 'string' ? spec.nodeName : '';
}

/**
 * How Go's `utilerrors.NewAggregate(...).Error()` prints several errors: one alone as it
 * is, more (duplicates dropped) as `[a, b]`.
 */
function goAggregate(messages: readonly string[]): string {
  const unique = [...new Set(messages)];
  return unique.length === 1 ? String(unique[0]) : `[${unique.join(', ')}]`;
}
