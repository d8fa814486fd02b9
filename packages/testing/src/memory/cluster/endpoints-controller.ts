/**
 * kube-controller-manager's Endpoints and EndpointSlice controllers: on every server, a
 * deleted Service's Endpoints of the same name go (whoever wrote them, selector or not);
 * with nodes, for each Service with a selector, the Endpoints of the same name (`subsets`: the
 * Ready Pods' IPs as `addresses`, the others as `notReadyAddresses`, with the Service's
 * ports resolved to the Pods' target ports) and one EndpointSlice (`<service>-xxxxx`,
 * labelled `kubernetes.io/service-name`, owned by the Service; IPv4 endpoints with
 * `ready`/`serving`/`terminating` conditions, `nodeName` and `targetRef`). Pods count
 * once they have an IP and until they end; a deleted Service's Endpoints go with it (its
 * slices through their ownerReference). Services without a selector are left alone, as
 * the controllers leave them.
 */
import { selectorOf } from '../admission/matching.js';
import type { Change } from '../history.js';
import { deepEqual, isObject, type Json, type JsonObject } from '../json.js';
import { metaOf } from '../object-meta.js';
import { matchLabels } from '../selectors.js';
import type { ApiState } from '../state.js';
import { objectKey } from '../storage.js';
import { isActive, isReady } from './pod-template.js';
import {
  createAs,
  deleteAs,
  ownedBy,
  ownerReference,
  PODS,
  type Resource,
  tableOf,
  updateAs,
} from './writes.js';

const MANAGER = 'kube-controller-manager';
const SERVICES: Resource = { group: '', version: 'v1', plural: 'services' };
const ENDPOINTS: Resource = { group: '', version: 'v1', plural: 'endpoints' };
const SLICES: Resource = { group: 'discovery.k8s.io', version: 'v1', plural: 'endpointslices' };
const SERVICE_NAME = 'kubernetes.io/service-name';
const MANAGED_BY = 'endpointslice.kubernetes.io/managed-by';

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

/** Keeps the Endpoints and EndpointSlice of each Service with a selector current. */
export class EndpointsController {
  constructor(
    private readonly s: ApiState,
    /** Whether Pods run (the server has nodes): only then are Endpoints written. */
    private readonly withPods: boolean,
  ) {}

  /** Observes a committed change (called synchronously by the storage). */
  observe(c: Change): void {
    if (c.resKey === tableOf(SERVICES)) {
      const name = String(metaOf(c.object).name);
      this.s.schedule(() => this.sync(c.namespace, name));
    } else if (c.resKey === tableOf(PODS) && this.withPods) {
      this.s.schedule(() => {
        for (const [, svc] of this.s.storage.scan(tableOf(SERVICES), c.namespace)) {
          this.sync(c.namespace, String(metaOf(svc).name));
        }
      });
    }
  }

  /** Writes one Service's Endpoints and EndpointSlice from its Pods. */
  sync(namespace: string, name: string): void {
    const svc = this.s.storage.get(tableOf(SERVICES), objectKey(namespace, name));
    const endpoints = this.s.storage.get(tableOf(ENDPOINTS), objectKey(namespace, name));
    if (svc === undefined || metaOf(svc).deletionTimestamp) {
      if (endpoints && !metaOf(endpoints).deletionTimestamp) {
        deleteAs(this.s, ENDPOINTS, namespace, name);
      }
      return;
    }
    if (!this.withPods) return;
    const spec = isObject(svc.spec) ? svc.spec : {};
    if (!isObject(spec.selector) || Object.keys(spec.selector).length === 0) return;
    const selector = selectorOf({ matchLabels: spec.selector });
    const pods: JsonObject[] = [];
    for (const [, pod] of this.s.storage.scan(tableOf(PODS), namespace)) {
      const status = isObject(pod.status) ? pod.status : {};
      const labels = metaOf(pod).labels;
      if (!isActive(pod) || typeof status.podIP !== 'string') continue;
      if (matchLabels(selector, isObject(labels) ? labels : undefined)) pods.push(pod);
    }
    pods.sort((a, b) => String(metaOf(a).name).localeCompare(String(metaOf(b).name)));
    const servicePorts = objects(spec.ports);
    const ports = (pod: JsonObject | undefined): JsonObject[] =>
      servicePorts.flatMap((p) => {
        const port = pod ? targetPort(p, pod) : undefined;
        if (port === undefined) return [];
        return [{ ...(p.name ? { name: p.name } : {}), port, protocol: p.protocol ?? 'TCP' }];
      });
    const address = (pod: JsonObject): JsonObject & { ip: string } => {
      const meta = metaOf(pod);
      const podSpec = isObject(pod.spec) ? pod.spec : {};
      return {
        ip: String((pod.status as JsonObject).podIP),
        ...(typeof podSpec.nodeName === 'string' ? { nodeName: podSpec.nodeName } : {}),
        targetRef: { kind: 'Pod', namespace, name: String(meta.name), uid: String(meta.uid) },
      };
    };
    const ready = pods.filter(isReady);
    const notReady = pods.filter((p) => !isReady(p));
    const subset: JsonObject = { ports: ports(pods[0]) };
    if (ready.length) subset.addresses = ready.map(address);
    if (notReady.length) subset.notReadyAddresses = notReady.map(address);
    const svcLabels = metaOf(svc).labels;
    const labels: JsonObject = isObject(svcLabels) ? { ...svcLabels } : {};
    const subsets = pods.length ? [subset] : [];
    if (endpoints === undefined) {
      const meta = { name, ...(Object.keys(labels).length ? { labels } : {}) };
      createAs(this.s, MANAGER, ENDPOINTS, namespace, { metadata: meta, subsets });
    } else if (!deepEqual(endpoints.subsets ?? [], subsets)) {
      updateAs(this.s, MANAGER, ENDPOINTS, endpoints, (copy) => {
        if (subsets.length) copy.subsets = subsets;
        else delete copy.subsets;
      });
    }
    const sliceLabels = {
      ...labels,
      [SERVICE_NAME]: name,
      [MANAGED_BY]: 'endpointslice-controller.k8s.io',
    };
    const slice: JsonObject = {
      addressType: 'IPv4',
      endpoints: pods.map((pod): JsonObject => {
        const { ip, ...rest } = address(pod);
        const up = isReady(pod);
        return {
          addresses: [ip],
          conditions: { ready: up, serving: up, terminating: false },
          ...rest,
        };
      }),
      ports: ports(pods[0]),
    };
    const [existing] = ownedBy(this.s, SLICES, svc);
    if (existing === undefined) {
      createAs(this.s, MANAGER, SLICES, namespace, {
        metadata: {
          generateName: `${name}-`,
          labels: sliceLabels,
          ownerReferences: [ownerReference(svc)],
        },
        ...slice,
      });
    } else {
      updateAs(this.s, MANAGER, SLICES, existing, (copy) => {
        Object.assign(copy, slice);
        (copy.metadata as JsonObject).labels = sliceLabels;
      });
    }
  }
}
