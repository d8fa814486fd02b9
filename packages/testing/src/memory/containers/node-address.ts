/**
 * The address kube-apiserver reaches a Node's kubelet at (its `NodeConnectionInfoGetter`),
 * for a Pod's log, exec, attach or port-forward and a Node's proxy.
 */
import { HttpStatusError } from '../errors.js';
import { type JsonObject, obj, objects, str } from '../json.js';

/** kube-apiserver's default `--kubelet-preferred-address-types`, most preferred first. */
const PREFERRED_ADDRESS_TYPES = [
  'Hostname',
  'InternalDNS',
  'InternalIP',
  'ExternalDNS',
  'ExternalIP',
] as const;

/**
 * The Node's first address of the first preferred kind; throws kube-apiserver's 500 when it
 * has none (an error that is no Status: no reason, Go's `%v` of the addresses, e.g.
 * `[{Other 10.0.0.1}]`).
 */
export function kubeletHost(node: JsonObject): string {
  const addresses = objects(obj(node.status).addresses);
  for (const type of PREFERRED_ADDRESS_TYPES) {
    const found = addresses.find((a) => str(a.type) === type);
    if (found) return str(found.address);
  }
  const known = addresses.map((a) => `{${str(a.type)} ${str(a.address)}}`).join(' ');
  throw new HttpStatusError(500, '', `no preferred addresses found; known addresses: [${known}]`);
}
