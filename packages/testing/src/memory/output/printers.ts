/**
 * Server-side printing of built-in kinds, as kube-apiserver's printers
 * (pkg/printers/internalversion) fill `kubectl get`'s Table: the column definitions are the
 * real server's (recorded from kube-apiserver v1.36.3 in printer-columns.json, keyed by
 * resource), the cells are computed here the way its printers compute them.
 */
import { isObject, type JsonObject } from '../json.js';
import { metaOf } from '../object-meta.js';
import { certificateCells } from './print-certificates.js';
import { clusterCells } from './print-cluster.js';
import { draCells } from './print-dra.js';
import {
  arr,
  type Cells,
  count,
  labelSet,
  NONE,
  obj,
  selector,
  templateContainers,
} from './print-format.js';
import { storageCells } from './print-storage.js';
import { workloadCells } from './print-workloads.js';
import columns from './printer-columns.json' with { type: 'json' };

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
  ...workloadCells,
  ...clusterCells,
  ...storageCells,
  ...draCells,
  ...certificateCells,
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
