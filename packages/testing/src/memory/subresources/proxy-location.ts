/**
 * Where kube-apiserver would send a Pod's, Node's or Service's `proxy` request (their
 * `ResourceLocation`s), as far as the answer
 * does not need the address itself: the name (`name`, `name:port` or
 * `scheme:name:port`), the object, and an address to send to. MemoryApiServer proxies to
 * nothing, so only the refusals are answered from here.
 */
import { isIP } from 'node:net';
import { isGlobalUnicastIP } from '../builtins/ip-addresses.js';
import { kubeletHost } from '../containers/node-address.js';
import { badRequest, HttpStatusError, notFound } from '../errors.js';
import { obj, objects, str } from '../json.js';
import type { ApiState } from '../state.js';
import { objectKey } from '../storage.js';
import { getStored, type Scope } from '../write-scope.js';

/** apimachinery's `SplitSchemeNamePort`; `undefined` when `id` is not one. */
function splitSchemeNamePort(id: string): { name: string; port: string } | undefined {
  const parts = id.split(':');
  if (parts.length > 3) return undefined;
  const [scheme, name, port] = parts.length === 3 ? parts : ['', parts[0]!, parts[1] ?? ''];
  if (name === '' || !['', 'http', 'https'].includes(scheme!)) return undefined;
  return { name: name!, port: port! };
}

function serviceUnavailable(message: string): HttpStatusError {
  return new HttpStatusError(503, 'ServiceUnavailable', message);
}

/**
 * Throws kube-apiserver's refusal of a `pods/{id}/proxy` request: 400 for a name it cannot
 * split, 404 for a missing Pod, 400 `address not allowed` for a Pod whose first IP is
 * missing or not global unicast (loopback, link-local, multicast, unspecified, broadcast:
 * Pod validation leaves those to a status writer).
 */
export function checkPodProxy(s: ApiState, sc: Scope, id: string): void {
  const split = splitSchemeNamePort(id);
  if (!split) throw badRequest(`invalid pod request ${JSON.stringify(id)}`);
  const pod = getStored(s, sc, split.name);
  if (!isGlobalUnicastIP(str(objects(obj(pod.status).podIPs)[0]?.ip))) {
    throw badRequest('address not allowed');
  }
}

/**
 * Throws kube-apiserver's refusal of a `nodes/{id}/proxy` request: 400 for a name it cannot
 * split, 404 for a missing Node, 500 for one without an address of a kind it reads, 400
 * `address not allowed` when that address is an IP that is not global unicast.
 * kube-apiserver resolves a host name there (refusing it when it does not resolve or
 * resolves to such an IP); MemoryApiServer resolves none.
 */
export function checkNodeProxy(s: ApiState, sc: Scope, id: string): void {
  const split = splitSchemeNamePort(id);
  if (!split) throw badRequest(`invalid node request ${JSON.stringify(id)}`);
  const host = kubeletHost(getStored(s, sc, split.name));
  // Go's resolver takes an IP (a zone allowed) as itself, without a lookup.
  const ip = host.replace(/%.*$/, '');
  if (isIP(host) !== 0 && !isGlobalUnicastIP(ip)) throw badRequest('address not allowed');
}

/**
 * Throws kube-apiserver's refusal of a `services/{id}/proxy` request: 400 for a name it
 * cannot split; for a port number, 404 for a missing Service and 503 when it has no such
 * port; 404 without Endpoints (naming the Service); 503 when no Endpoints address of the port is a Pod in the
 * namespace that has that IP.
 */
export function checkServiceProxy(s: ApiState, sc: Scope, id: string): void {
  const split = splitSchemeNamePort(id);
  if (!split) throw badRequest(`invalid service request ${JSON.stringify(id)}`);
  const { name } = split;
  let port = split.port;
  // A port number (Go's ParseInt: a sign is allowed) names the Service port it is.
  if (/^[+-]?\d+$/.test(port) && BigInt.asIntN(64, BigInt(port)) === BigInt(port)) {
    const number = BigInt(port);
    const svc = getStored(s, sc, name);
    const found = objects(obj(svc.spec).ports).find((p) => BigInt(Number(p.port ?? 0)) === number);
    if (!found) {
      throw serviceUnavailable(`no service port ${number} found for service "${name}"`);
    }
    port = str(found.name);
  }
  const eps = s.storage.get('endpoints', objectKey(sc.namespace, name));
  // Its registry names the resource of the request (`services "s" not found`).
  if (!eps) throw notFound({ group: '', plural: 'services', name });
  const subsets = objects(eps.subsets);
  if (subsets.length === 0) {
    throw serviceUnavailable(`no endpoints available for service "${name}"`);
  }
  const isPodAddress = (address: ReturnType<typeof obj>) => {
    const ref = obj(address.targetRef);
    if (address.targetRef === undefined || str(ref.namespace) !== sc.namespace) return false;
    const pod = s.storage.get('pods', objectKey(sc.namespace, str(ref.name)));
    return objects(obj(pod?.status).podIPs).some((ip) => str(ip.ip) === str(address.ip));
  };
  const reachable = subsets.some(
    (ss) =>
      objects(ss.ports).some((p) => str(p.name) === port) &&
      objects(ss.addresses).some(isPodAddress),
  );
  if (!reachable) throw serviceUnavailable(`no endpoints available for service "${id}"`);
}
