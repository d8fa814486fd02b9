/**
 * The order kube-controller-manager writes an EndpointSlice's ports in. Before it keys a
 * set of ports (`endpointsliceutil.NewPortMapKey`), the controller sorts the very list it
 * then writes, by the hex of a 128-bit FNV-1a hash of each port as Go's spew library
 * prints a `discovery/v1.EndpointPort` for hashing (`dump.ForHash`). That printing is
 * reproduced here because the order depends on those exact bytes; nothing else in a port
 * decides it (ports `a`/80, `b`/81 and `c`/82 come out `b`, `a`, `c`).
 */
import type { JsonObject } from '../json.js';

const FNV128_OFFSET = 0x6c62272e07bb014262b821756295c58dn;
const FNV128_PRIME = 0x0000000001000000000000000000013bn;
const MASK128 = (1n << 128n) - 1n;

/** The 128-bit FNV-1a hash of `text`'s UTF-8 bytes, as 32 hex digits (Go's `fnv.New128a`). */
export function fnv128aHex(text: string): string {
  let hash = FNV128_OFFSET;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= BigInt(byte);
    hash = (hash * FNV128_PRIME) & MASK128;
  }
  return hash.toString(16).padStart(32, '0');
}

/** A pointer field as spew prints it for hashing: `(*type)value`, or `(*type)<nil>`. */
const pointer = (type: string, value: unknown): string =>
  `(*${type})${value === undefined || value === null ? '<nil>' : String(value)}`;

/** What spew prints for a slice port (`name`, `protocol`, `port`, `appProtocol`), as Go hashes it. */
export function spewSlicePort(port: JsonObject): string {
  return (
    `(v1.EndpointPort){Name:${pointer('string', port.name)}` +
    ` Protocol:${pointer('v1.Protocol', port.protocol)}` +
    ` Port:${pointer('int32', port.port)}` +
    ` AppProtocol:${pointer('string', port.appProtocol)}}`
  );
}

/** What spew prints for an Endpoints port (`name`, `port`, `protocol`, `appProtocol`), as Go hashes it. */
export function spewEndpointsPort(port: JsonObject): string {
  return (
    `(v1.EndpointPort){Name:(string)${String(port.name ?? '')}` +
    ` Port:(int32)${String(port.port ?? 0)}` +
    ` Protocol:(v1.Protocol)${String(port.protocol ?? '')}` +
    ` AppProtocol:${pointer('string', port.appProtocol)}}`
  );
}

/** `ports` sorted by the hash of each as `print` spells it. */
function inHashOrder(ports: readonly JsonObject[], print: (p: JsonObject) => string): JsonObject[] {
  const keyed = ports.map((port) => ({ port, hash: fnv128aHex(print(port)) }));
  keyed.sort((a, b) => (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0));
  return keyed.map((k) => k.port);
}

/**
 * `ports` (an Endpoints subset's) in the order the endpoints controller writes them: its
 * `RepackSubsets` sorts them the same way by the hash of a `core/v1.EndpointPort`.
 */
export function endpointsPortsInHashOrder(ports: readonly JsonObject[]): JsonObject[] {
  return inHashOrder(ports, spewEndpointsPort);
}

/** `ports` (EndpointSlice ports) in the order kube-controller-manager writes them. */
export function slicePortsInHashOrder(ports: readonly JsonObject[]): JsonObject[] {
  return inHashOrder(ports, spewSlicePort);
}
