/**
 * kube-controller-manager's ServiceCIDR controller (`pkg/controller/servicecidrs`): each
 * ServiceCIDR gets the `networking.k8s.io/service-cidr-finalizer` and the condition
 * `Ready` `True` (`Kubernetes Service CIDR is ready`); a deleted one is held
 * `Terminating` (`Ready` `False`, reason `Terminating`) while an IPAddress of the
 * allocator lies only in its ranges, unless another ServiceCIDR holds all of them, and its
 * finalizer goes ten seconds after its deletion (the controller's grace period for the
 * allocators to see it) once nothing holds it.
 */
import { type Cidr, cidrContains, parseCidr } from '../builtins/cidr.js';
import { IP_ADDRESSES } from '../builtins/ip-address.js';
import { hostBounds } from '../builtins/service-allocation.js';
import { SERVICE_CIDRS } from '../builtins/service-cidr.js';
import type { Change } from '../history.js';
import { isObject, type JsonObject, objAt } from '../json.js';
import { metaOf } from '../object-meta.js';
import { type ApiState, timestamp } from '../state.js';
import { type Resource, updateAs, writeStatus } from './writes.js';

/** ServiceCIDRs (networking.k8s.io/v1). */
const CIDRS: Resource = { group: 'networking.k8s.io', version: 'v1', plural: 'servicecidrs' };

const MANAGER = 'kube-controller-manager';
const STATUS_MANAGER = 'service-cidr-controller';
const FINALIZER = 'networking.k8s.io/service-cidr-finalizer';
const MANAGED_BY = 'ipaddress.kubernetes.io/managed-by';
const ALLOCATOR = 'ipallocator.k8s.io';
const GRACE_MS = 10_000;
const READY_MESSAGE = 'Kubernetes Service CIDR is ready';
const TERMINATING_MESSAGE =
  'There are still IPAddresses referencing the ServiceCIDR, please remove them or create a new ServiceCIDR';

function rangesOf(obj: JsonObject): Cidr[] {
  const cidrs = objAt(obj, 'spec').cidrs;
  return (Array.isArray(cidrs) ? cidrs : []).flatMap((c) => parseCidr(String(c)) ?? []);
}

/** `PrefixContainsIP`: in the range, but not its network address or IPv4 broadcast. */
function holdsAddress(c: Cidr, address: bigint, bits: number): boolean {
  const [first, last] = hostBounds(c);
  return cidrContains(c, address, bits) && address >= first && address <= last;
}

/** The address of an IPAddress's name. */
function addressOf(ip: JsonObject): { address: bigint; bits: 32 | 128 } | undefined {
  const range = parseCidr(`${String(metaOf(ip).name)}/0`);
  return range === undefined ? undefined : { address: range.address, bits: range.bits };
}

/** Adds the finalizer and `Ready` to ServiceCIDRs and holds deleted ones while in use. */
export class ServiceCidrController {
  constructor(
    private readonly s: ApiState,
    /** Calls back after `ms`; the server clears these on stop. */
    private readonly later: (ms: number, task: () => void) => void,
  ) {}

  /** Observes a committed change (called synchronously by the storage). */
  observe(c: Change): void {
    if (c.resKey === SERVICE_CIDRS) {
      const names = [String(metaOf(c.object).name)];
      if (c.type === 'ADDED') names.push(...this.#overlapping(rangesOf(c.object)));
      for (const name of names) this.s.schedule(() => this.sync(name));
    } else if (c.resKey === IP_ADDRESSES && c.type !== 'MODIFIED') {
      if (objAt(metaOf(c.object), 'labels')[MANAGED_BY] !== ALLOCATOR) return;
      const at = addressOf(c.object);
      if (at === undefined) return;
      for (const [, cidr] of this.s.storage.scan(SERVICE_CIDRS)) {
        if (rangesOf(cidr).some((r) => holdsAddress(r, at.address, at.bits))) {
          const name = String(metaOf(cidr).name);
          this.s.schedule(() => this.sync(name));
        }
      }
    }
  }

  /** The names of the ServiceCIDRs overlapping any of `ranges`. */
  #overlapping(ranges: Cidr[]): string[] {
    const out: string[] = [];
    for (const [, cidr] of this.s.storage.scan(SERVICE_CIDRS)) {
      const overlaps = rangesOf(cidr).some((r) =>
        ranges.some(
          (q) => cidrContains(r, q.address, q.bits) || cidrContains(q, r.address, r.bits),
        ),
      );
      if (overlaps) out.push(String(metaOf(cidr).name));
    }
    return out;
  }

  /** Reconciles one ServiceCIDR. */
  sync(name: string): void {
    let cidr = this.s.storage.get(SERVICE_CIDRS, name);
    if (cidr === undefined) return;
    const meta = metaOf(cidr);
    const finalizers = Array.isArray(meta.finalizers) ? meta.finalizers : [];
    const deleted = typeof meta.deletionTimestamp === 'string' ? meta.deletionTimestamp : '';
    if (deleted) {
      if (!this.#canDelete(cidr)) {
        this.#setReady(cidr, 'False', 'Terminating', TERMINATING_MESSAGE);
        return;
      }
      const wait = Date.parse(deleted) + GRACE_MS - Date.now();
      if (wait > 0) {
        this.later(wait, () => this.sync(name));
        return;
      }
      if (finalizers.includes(FINALIZER)) {
        updateAs(this.s, MANAGER, CIDRS, cidr, (copy) => {
          metaOf(copy).finalizers = finalizers.filter((f) => f !== FINALIZER);
        });
      }
      return;
    }
    if (!finalizers.includes(FINALIZER)) {
      cidr = updateAs(this.s, MANAGER, CIDRS, cidr, (copy) => {
        metaOf(copy).finalizers = [...finalizers, FINALIZER];
      });
    }
    this.#setReady(cidr, 'True', '', READY_MESSAGE);
  }

  /** `updateConditionIfNeeded`: writes `Ready` unless it already says this. */
  #setReady(cidr: JsonObject, status: string, reason: string, message: string): void {
    const old = objAt(cidr, 'status');
    const conditions = Array.isArray(old.conditions) ? old.conditions.filter(isObject) : [];
    const ready = conditions.find((c) => c.type === 'Ready');
    if (ready?.status === status && ready.reason === reason && ready.message === message) return;
    const condition = { type: 'Ready', status, lastTransitionTime: timestamp(), reason, message };
    const next = ready
      ? conditions.map((c) => (c === ready ? condition : c))
      : [...conditions, condition];
    writeStatus(this.s, STATUS_MANAGER, CIDRS, cidr, { ...old, conditions: next });
  }

  /**
   * `canDeleteCIDR`: another ServiceCIDR holds all its ranges, or no IPAddress of the
   * allocator lies in its ranges and in no other ServiceCIDR's.
   */
  #canDelete(cidr: JsonObject): boolean {
    const self = String(metaOf(cidr).name);
    const others: Cidr[][] = [];
    for (const [, other] of this.s.storage.scan(SERVICE_CIDRS)) {
      if (String(metaOf(other).name) !== self) others.push(rangesOf(other));
    }
    const own = rangesOf(cidr);
    const parented = own.every((r) =>
      others.some((ranges) =>
        ranges.some((o) => o.prefix <= r.prefix && cidrContains(o, r.address, r.bits)),
      ),
    );
    if (parented) return true;
    for (const [, ip] of this.s.storage.scan(IP_ADDRESSES)) {
      if (objAt(metaOf(ip), 'labels')[MANAGED_BY] !== ALLOCATOR) continue;
      const at = addressOf(ip);
      if (at === undefined) continue;
      const mine = own.some((r) => holdsAddress(r, at.address, at.bits));
      const elsewhere = others.some((ranges) =>
        ranges.some((o) => holdsAddress(o, at.address, at.bits)),
      );
      if (mine && !elsewhere) return false;
    }
    return true;
  }
}
