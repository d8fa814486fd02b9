/**
 * Server-side printing of built-in kinds, as kube-apiserver's printers
 * (pkg/printers/internalversion) fill `kubectl get`'s Table: the column definitions are the
 * real server's (recorded from kube-apiserver v1.36.3 in printer-columns.json, keyed by
 * resource), the cells are computed here the way its printers compute them.
 */
import { isObject, type JsonObject } from '../json.js';
import { metaOf } from '../object-meta.js';
import columns from './printer-columns.json' with { type: 'json' };

type Cells = (obj: JsonObject, age: string) => unknown[];

const NONE = '<none>';

function obj(v: unknown): JsonObject {
  return isObject(v) ? v : {};
}

function arr(v: unknown): JsonObject[] {
  return Array.isArray(v) ? (v.filter(isObject) as JsonObject[]) : [];
}

function count(v: unknown): number {
  return isObject(v) ? Object.keys(v).length : 0;
}

/** `a=b,c=d`, keys sorted, as labels.Set's String() writes it. */
function labelSet(v: unknown): string {
  const entries = Object.entries(obj(v)).sort(([a], [b]) => a.localeCompare(b));
  return entries.map(([k, val]) => `${k}=${String(val)}`).join(',');
}

/** A LabelSelector as metav1.LabelSelectorAsSelector prints it (match labels and expressions). */
function selector(v: unknown): string {
  const s = obj(v);
  const parts: [string, string][] = Object.entries(obj(s.matchLabels)).map(([k, val]) => [
    k,
    `${k}=${String(val)}`,
  ]);
  for (const e of arr(s.matchExpressions)) {
    const key = String(e.key);
    const values = (Array.isArray(e.values) ? e.values.map(String) : []).sort().join(',');
    const op = String(e.operator);
    const text =
      op === 'In'
        ? `${key} in (${values})`
        : op === 'NotIn'
          ? `${key} notin (${values})`
          : op === 'Exists'
            ? key
            : `!${key}`;
    parts.push([key, text]);
  }
  const out = parts.sort(([a], [b]) => a.localeCompare(b)).map(([, t]) => t);
  return out.length ? out.join(',') : NONE;
}

function templateContainers(spec: JsonObject): JsonObject[] {
  return arr(obj(obj(spec.template).spec).containers);
}

const cells: Record<string, Cells> = {
  configmaps: (o, age) => [metaOf(o).name, count(o.data) + count(o.binaryData), age],
  secrets: (o, age) => [metaOf(o).name, o.type ?? '', count(o.data), age],
  namespaces: (o, age) => [metaOf(o).name, obj(o.status).phase ?? '', age],
  'deployments.apps': (o, age) => {
    const spec = obj(o.spec);
    const status = obj(o.status);
    const containers = templateContainers(spec);
    return [
      metaOf(o).name,
      `${Number(status.readyReplicas ?? 0)}/${Number(spec.replicas ?? 0)}`,
      Number(status.updatedReplicas ?? 0),
      Number(status.availableReplicas ?? 0),
      age,
      containers.map((c) => c.name).join(','),
      containers.map((c) => c.image).join(','),
      selector(spec.selector),
    ];
  },
  pods: (o, age) => {
    const spec = obj(o.spec);
    const status = obj(o.status);
    const statuses = arr(status.containerStatuses);
    const ready = statuses.filter((c) => c.ready === true).length;
    const restarts = statuses.reduce((n, c) => n + Number(c.restartCount ?? 0), 0);
    const gates = arr(spec.readinessGates);
    const reason = metaOf(o).deletionTimestamp
      ? 'Terminating'
      : String(status.reason ?? status.phase ?? '');
    return [
      metaOf(o).name,
      `${ready}/${arr(spec.containers).length}`,
      reason,
      String(restarts),
      age,
      status.podIP || NONE,
      spec.nodeName || NONE,
      status.nominatedNodeName || NONE,
      gates.length ? `0/${gates.length}` : NONE,
    ];
  },
  services: (o, age) => {
    const spec = obj(o.spec);
    const type = String(spec.type ?? 'ClusterIP');
    const external = Array.isArray(spec.externalIPs) ? spec.externalIPs.map(String) : [];
    const ingress = arr(obj(obj(o.status).loadBalancer).ingress).map((i) => i.ip ?? i.hostname);
    const externalIp =
      type === 'ExternalName'
        ? String(spec.externalName ?? NONE)
        : type === 'LoadBalancer'
          ? [...ingress, ...external].join(',') || '<pending>'
          : external.join(',') || NONE;
    const ports = arr(spec.ports).map((p) => {
      const node = p.nodePort ? `:${p.nodePort}` : '';
      return `${p.port}${node}/${p.protocol ?? 'TCP'}`;
    });
    return [
      metaOf(o).name,
      type,
      spec.clusterIP || NONE,
      externalIp,
      ports.join(',') || NONE,
      age,
      isObject(spec.selector) && count(spec.selector) ? labelSet(spec.selector) : NONE,
    ];
  },
  'customresourcedefinitions.apiextensions.k8s.io': (o) => [
    metaOf(o).name,
    metaOf(o).creationTimestamp,
  ],
};

/** A built-in resource's printer: its column definitions and its row cells. */
export interface Printer {
  columns: JsonObject[];
  cells: Cells;
}

/** The printer of a built-in resource (by storage key, e.g. `deployments.apps`), if any. */
export function printerOf(resource: string): Printer | undefined {
  const defs = (columns as Record<string, JsonObject[]>)[resource];
  const c = cells[resource];
  return defs && c ? { columns: defs, cells: c } : undefined;
}
