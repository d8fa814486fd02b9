/**
 * `componentstatuses` (core/v1 ComponentStatus, deprecated since 1.19): kube-apiserver
 * answers get and list by probing the controller manager, the scheduler and each etcd
 * server, and warns that the API is deprecated. MemoryApiServer's controllers, scheduling
 * and storage run in its own process, so each component is reported healthy, with the
 * names and in the order kube-apiserver 1.36.3 lists them.
 */
import type { ServerResponse } from 'node:http';
import { methodNotAllowed, notFound } from './errors.js';
import type { JsonObject } from './json.js';
import { send } from './respond.js';
import { warningHeader } from './warnings.js';

const COMPONENTS = ['controller-manager', 'scheduler', 'etcd-0'];

function status(name: string): JsonObject {
  return {
    metadata: { name },
    conditions: [{ type: 'Healthy', status: 'True', message: 'ok' }],
  };
}

/** Answers a request to `componentstatuses` (`name` for a get, none for a list). */
export function serveComponentStatuses(
  res: ServerResponse,
  method: string,
  name: string | undefined,
): void {
  if (method !== 'GET') throw methodNotAllowed();
  const headers = { Warning: warningHeader('v1 ComponentStatus is deprecated in v1.19+') };
  const typeMeta = { apiVersion: 'v1' };
  if (name === undefined) {
    const items = COMPONENTS.map(status);
    const list = { kind: 'ComponentStatusList', ...typeMeta, metadata: {}, items };
    send(res, 200, JSON.stringify(list), headers);
    return;
  }
  // kube-apiserver names the resource in the singular here (`componentstatus "x" not found`).
  if (!COMPONENTS.includes(name)) throw notFound({ group: '', plural: 'componentstatus', name });
  send(
    res,
    200,
    JSON.stringify({ kind: 'ComponentStatus', ...typeMeta, ...status(name) }),
    headers,
  );
}
