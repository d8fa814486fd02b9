/**
 * kube-apiserver's IPAddress repair loop (`RepairIPAddress`, as it reacts to Service and
 * IPAddress changes): a Service's cluster IP without its IPAddress gets it again
 * (`ClusterIPNotAllocated`), one with a wrong parent or wrong labels is written again, and
 * an address outside every ServiceCIDR or held by two Services is reported; an IPAddress of
 * the allocator whose parent is no Service is deleted (`IPAddressNotAllocated`), one whose
 * Service is gone after the allocator's 60-second grace, one whose Service does not hold
 * it after five seconds (`IPAddressWrongReference`). Each is recorded as an
 * events.k8s.io Event of `ipallocator-repair-controller`. Besides each change, it goes
 * over every Service and IPAddress every three minutes, as its informers' resync (at
 * kube-apiserver's repair interval) hands them all to it again.
 */
import { recordNewEvent } from '../cluster/events.js';
import { deleteAs, type Resource } from '../cluster/writes.js';
import { HttpStatusError } from '../errors.js';
import type { Change } from '../history.js';
import { type JsonObject, objAt } from '../json.js';
import { metaOf } from '../object-meta.js';
import type { ApiState } from '../state.js';
import { objectKey } from '../storage.js';
import { type Cidr, cidrContains, parseCidr } from './cidr.js';
import { IP_ADDRESSES } from './ip-address.js';
import { isIPv4Address } from './ip-addresses.js';
import { hostBounds } from './service-allocation.js';
import { SERVICE_CIDRS } from './service-cidr.js';
import { clusterIPsOf, newIPAddress } from './service-ip-addresses.js';

const RESOURCE: Resource = { group: 'networking.k8s.io', version: 'v1', plural: 'ipaddresses' };
const CONTROLLER = 'ipallocator-repair-controller';
const MANAGED_BY = 'ipaddress.kubernetes.io/managed-by';
const FAMILY = 'ipaddress.kubernetes.io/ip-family';
const ALLOCATOR = 'ipallocator.k8s.io';
/** kube-apiserver's request timeout: an address this young may await its Service. */
const SERVICE_GRACE_MS = 60_000;
const REFERENCE_GRACE_MS = 5_000;
/** kube-apiserver's repair interval (`repairLoopInterval`), its informers' resync period. */
export const REPAIR_INTERVAL_MS = 180_000;

const familyOf = (ip: string) => (isIPv4Address(ip) ? 'IPv4' : 'IPv6');
const parentOf = (ip: JsonObject) => objAt(objAt(ip, 'spec'), 'parentRef');
const createdAt = (obj: JsonObject) => Date.parse(String(metaOf(obj).creationTimestamp));

/** Re-creates missing IPAddresses of Services and deletes stray ones of the allocator. */
export class IPAddressRepair {
  constructor(
    private readonly s: ApiState,
    /** Calls back after `ms`; the server clears these on stop. */
    private readonly later: (ms: number, task: () => void) => void,
  ) {
    this.later(REPAIR_INTERVAL_MS, () => this.#resync());
  }

  /** The informers' resync: every Service, then every IPAddress, synced again. */
  #resync(): void {
    for (const [, svc] of [...this.s.storage.scan('services')]) {
      const meta = metaOf(svc);
      this.syncService(String(meta.namespace ?? ''), String(meta.name));
    }
    for (const [, address] of [...this.s.storage.scan(IP_ADDRESSES)]) {
      this.syncIPAddress(String(metaOf(address).name));
    }
    this.later(REPAIR_INTERVAL_MS, () => this.#resync());
  }

  /** Observes a committed change (called synchronously by the storage). */
  observe(c: Change): void {
    if (c.type === 'DELETED') return;
    if (c.resKey === 'services') {
      const name = String(metaOf(c.object).name);
      this.s.schedule(() => this.syncService(c.namespace, name));
    } else if (c.resKey === IP_ADDRESSES) {
      const name = String(metaOf(c.object).name);
      this.s.schedule(() => this.syncIPAddress(name));
    }
  }

  #ranges(): Cidr[] {
    const out: Cidr[] = [];
    for (const [, cidr] of this.s.storage.scan(SERVICE_CIDRS)) {
      const cidrs = objAt(cidr, 'spec').cidrs;
      for (const text of Array.isArray(cidrs) ? cidrs : []) {
        const parsed = parseCidr(String(text));
        if (parsed) out.push(parsed);
      }
    }
    return out;
  }

  #inRange(ip: string): boolean {
    const at = parseCidr(`${ip}/0`);
    if (at === undefined) return false;
    return this.#ranges().some((r) => {
      const [first, last] = hostBounds(r);
      return cidrContains(r, at.address, at.bits) && at.address >= first && at.address <= last;
    });
  }

  #warn(obj: JsonObject, reason: string, action: string, note: string): void {
    recordNewEvent(this.s, CONTROLLER, obj, 'Warning', reason, action, note);
  }

  /** Writes the IPAddress again; a refused write is left for the Service's next change. */
  #recreate(ip: string, svc: JsonObject): void {
    try {
      if (this.s.storage.get(IP_ADDRESSES, ip)) deleteAs(this.s, RESOURCE, '', ip);
      newIPAddress(this.s, ip, svc);
    } catch (err) {
      if (!(err instanceof HttpStatusError)) throw err;
    }
  }

  /** `syncService`: each cluster IP of the Service has its IPAddress. */
  syncService(namespace: string, name: string): void {
    const svc = this.s.storage.get('services', objectKey(namespace, name));
    if (svc === undefined) return;
    for (const ip of clusterIPsOf(svc)) {
      const family = familyOf(ip);
      if (!this.#inRange(ip)) {
        this.#warn(
          svc,
          'ClusterIPOutOfRange',
          'ClusterIPAllocation',
          `Cluster IP [${family}]: ${ip} is not within any configured Service CIDR; please recreate service`,
        );
        continue;
      }
      const address = this.s.storage.get(IP_ADDRESSES, ip);
      const wrong = `the ClusterIP [${family}]: ${ip} for Service ${namespace}/${name} has a wrong reference; repairing`;
      if (address === undefined) {
        this.#warn(
          svc,
          'ClusterIPNotAllocated',
          'ClusterIPAllocation',
          `Cluster IP [${family}]: ${ip} is not allocated; repairing`,
        );
        this.#recreate(ip, svc);
        continue;
      }
      const parent = parentOf(address);
      if ((parent.group ?? '') !== '' || parent.resource !== 'services') {
        this.#warn(svc, 'ClusterIPNotAllocated', 'ClusterIPAllocation', wrong);
        this.#recreate(ip, svc);
        continue;
      }
      if (parent.namespace !== namespace || parent.name !== name) {
        const other = this.s.storage.get(
          'services',
          objectKey(String(parent.namespace ?? ''), String(parent.name ?? '')),
        );
        if (other === undefined) {
          this.#warn(svc, 'ClusterIPNotAllocated', 'ClusterIPAllocation', wrong);
          this.#recreate(ip, svc);
          continue;
        }
        if (clusterIPsOf(other).includes(ip)) {
          this.#warn(
            svc,
            'ClusterIPAlreadyAllocated',
            'ClusterIPAllocation',
            `Cluster IP [${family}]:${ip} was assigned to multiple services; please recreate service`,
          );
        }
      }
      const labels = objAt(metaOf(address), 'labels');
      if (labels[FAMILY] !== family || labels[MANAGED_BY] !== ALLOCATOR) this.#recreate(ip, svc);
    }
  }

  /** `syncIPAddress`: an IPAddress of the allocator belongs to a Service that holds it. */
  syncIPAddress(name: string): void {
    const address = this.s.storage.get(IP_ADDRESSES, name);
    if (address === undefined) return;
    if (objAt(metaOf(address), 'labels')[MANAGED_BY] !== ALLOCATOR) return;
    const parent = parentOf(address);
    if ((parent.group ?? '') !== '' || parent.resource !== 'services') {
      this.#warn(
        address,
        'IPAddressNotAllocated',
        'IPAddressAllocation',
        `IPAddress ${name} appears to have been modified, not referencing a Service ${goParentRef(parent)}: cleaning up`,
      );
      deleteAs(this.s, RESOURCE, '', name);
      return;
    }
    const ns = String(parent.namespace ?? '');
    const svcName = String(parent.name ?? '');
    const svc = this.s.storage.get('services', objectKey(ns, svcName));
    const age = Date.now() - createdAt(address);
    if (svc === undefined) {
      if (age > SERVICE_GRACE_MS) {
        this.#warn(
          address,
          'IPAddressNotAllocated',
          'IPAddressAllocation',
          `IPAddress: ${name} for Service ${ns}/${svcName} appears to have leaked: cleaning up`,
        );
        deleteAs(this.s, RESOURCE, '', name);
      } else {
        this.later(SERVICE_GRACE_MS - age, () => this.syncIPAddress(name));
      }
      return;
    }
    if (clusterIPsOf(svc).includes(name)) return;
    if (objAt(svc, 'spec').type === 'ExternalName' && age < SERVICE_GRACE_MS) {
      this.later(SERVICE_GRACE_MS - age, () => this.syncIPAddress(name));
      return;
    }
    if (createdAt(address) > createdAt(svc) && age < REFERENCE_GRACE_MS) {
      this.later(REFERENCE_GRACE_MS, () => this.syncIPAddress(name));
      return;
    }
    this.#warn(
      address,
      'IPAddressWrongReference',
      'IPAddressAllocation',
      `IPAddress: ${name} for Service ${ns}/${svcName} has a wrong reference; cleaning up`,
    );
    deleteAs(this.s, RESOURCE, '', name);
  }
}

/**
 * Go's `%v` of a `*ParentReference`, through its generated `String()`:
 * `&ParentReference{Group:…,Resource:…,Namespace:…,Name:…,}`.
 */
function goParentRef(parent: JsonObject): string {
  const field = (k: string) => (typeof parent[k] === 'string' ? parent[k] : '');
  return `&ParentReference{Group:${field('group')},Resource:${field('resource')},Namespace:${field('namespace')},Name:${field('name')},}`;
}
