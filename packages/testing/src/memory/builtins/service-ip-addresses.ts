/**
 * The IPAddress objects kube-apiserver's cluster IP allocator writes
 * (`MultiCIDRServiceAllocator`, locked on in v1.36): one per cluster IP a Service holds,
 * named by the address, labelled with its family and `managed-by: ipallocator.k8s.io`,
 * its `parentRef` the Service; removed when the Service releases the address (deleted,
 * turned ExternalName). Written right after the Service change that needs it, through the
 * server's own create and delete, as kube-apiserver writes them through its client.
 */
import { createAs, deleteAs, type Resource } from '../cluster/writes.js';
import type { Change } from '../history.js';
import { isObject, type JsonObject } from '../json.js';
import { metaOf } from '../object-meta.js';
import type { ApiState } from '../state.js';
import { IP_ADDRESSES } from './ip-address.js';
import { canonicalIP, isIPv4Address, isSloppyIP } from './ip-addresses.js';

const RESOURCE: Resource = { group: 'networking.k8s.io', version: 'v1', plural: 'ipaddresses' };
const MANAGER = 'kube-apiserver';

/** The cluster IPs a Service holds, as the allocator names them. */
export function clusterIPsOf(svc: JsonObject | undefined): string[] {
  const spec = svc && isObject(svc.spec) ? svc.spec : {};
  const ips = Array.isArray(spec.clusterIPs) ? spec.clusterIPs : [spec.clusterIP ?? null];
  return ips
    .filter((ip): ip is string => typeof ip === 'string' && ip !== 'None' && isSloppyIP(ip))
    .map(canonicalIP);
}

/** Keeps one IPAddress per allocated cluster IP. */
export class ServiceIPAddresses {
  constructor(private readonly s: ApiState) {}

  /** Observes a committed change (called synchronously by the storage). */
  observe(c: Change): void {
    if (c.resKey !== 'services') return;
    const before = clusterIPsOf(c.prev);
    const after = c.type === 'DELETED' ? [] : clusterIPsOf(c.object);
    for (const ip of before) if (!after.includes(ip)) this.release(ip);
    for (const ip of after) if (!before.includes(ip)) this.record(ip, c.object);
  }

  private record(ip: string, svc: JsonObject): void {
    if (this.s.storage.get(IP_ADDRESSES, ip)) return;
    try {
      newIPAddress(this.s, ip, svc);
    } catch {
      // An address refused here stays unrecorded, as a failed allocator write would.
    }
  }

  private release(ip: string): void {
    if (!this.s.storage.get(IP_ADDRESSES, ip)) return;
    try {
      deleteAs(this.s, RESOURCE, '', ip);
    } catch {
      // Already gone.
    }
  }
}

/** Writes the allocator's IPAddress `ip` for `svc` (labels, `parentRef`), as kube-apiserver. */
export function newIPAddress(s: ApiState, ip: string, svc: JsonObject): void {
  const meta = metaOf(svc);
  createAs(s, MANAGER, RESOURCE, '', {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'IPAddress',
    metadata: {
      name: ip,
      labels: {
        'ipaddress.kubernetes.io/ip-family': isIPv4Address(ip) ? 'IPv4' : 'IPv6',
        'ipaddress.kubernetes.io/managed-by': 'ipallocator.k8s.io',
      },
    },
    spec: {
      parentRef: {
        resource: 'services',
        namespace: String(meta.namespace ?? ''),
        name: String(meta.name ?? ''),
      },
    },
  });
}
