/**
 * `componentstatuses` (core/v1 ComponentStatus, deprecated since 1.19): kube-apiserver
 * answers get and list by probing the controller manager, the scheduler and each etcd
 * server, and warns that the API is deprecated. MemoryApiServer's controllers, scheduling
 * and storage run in its own process, so each component is reported healthy, with the
 * names and in the order kube-apiserver 1.36.3 lists them. The answers take every form
 * the real server gives them: as is, as a Table (its printer's NAME, STATUS, MESSAGE and
 * ERROR columns), as PartialObjectMetadata(List), in JSON or YAML.
 */
import { methodNotAllowed, notFound } from './errors.js';
import type { JsonObject } from './json.js';
import {
  partialMetadataNotAcceptable,
  toPartialObjectMetadata,
  toPartialObjectMetadataList,
} from './output/partial-metadata.js';
import type { ResourceRequest } from './resource-request.js';
import { sendAs } from './respond.js';
import { toTable } from './table.js';
import { warningHeader } from './warnings.js';

const COMPONENTS = ['controller-manager', 'scheduler', 'etcd-0'];

function status(name: string): JsonObject {
  return {
    kind: 'ComponentStatus',
    apiVersion: 'v1',
    metadata: { name },
    conditions: [{ type: 'Healthy', status: 'True', message: 'ok' }],
  };
}

/** Answers a request to `componentstatuses` (a get when the route names one, else a list). */
export function serveComponentStatuses(rr: ResourceRequest): void {
  const { sc, r, q, res, rep, method } = rr;
  if (method !== 'GET') throw methodNotAllowed();
  const headers = { Warning: [warningHeader('v1 ComponentStatus is deprecated in v1.19+')] };
  const name = r.name;
  // kube-apiserver names the resource in the singular here (`componentstatus "x" not found`).
  if (name !== undefined && !COMPONENTS.includes(name)) {
    throw notFound({ group: '', plural: 'componentstatus', name });
  }
  const items = name === undefined ? COMPONENTS.map(status) : [status(name)];
  // A Table has no resourceVersion: nothing here is stored.
  if (rep.as === 'Table') {
    sendAs(res, 200, rep, JSON.stringify(toTable(r.t, sc.version, items, {}, q)), headers);
    return;
  }
  if (rep.as === 'PartialObjectMetadata' || rep.as === 'PartialObjectMetadataList') {
    if ((rep.as === 'PartialObjectMetadataList') !== (name === undefined)) {
      throw partialMetadataNotAcceptable(rep.as, name === undefined, r.t);
    }
    const out =
      name === undefined
        ? toPartialObjectMetadataList(items, {})
        : toPartialObjectMetadata(items[0]!);
    sendAs(res, 200, rep, JSON.stringify(out), headers);
    return;
  }
  if (name !== undefined) {
    sendAs(res, 200, rep, JSON.stringify(items[0]), headers);
    return;
  }
  // The list's items carry no kind or apiVersion, as kube-apiserver writes them.
  const plain = items.map(({ kind: _k, apiVersion: _a, ...rest }) => rest);
  const list = { kind: 'ComponentStatusList', apiVersion: 'v1', metadata: {}, items: plain };
  sendAs(res, 200, rep, JSON.stringify(list), headers);
}
