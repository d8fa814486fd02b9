import type { Lease } from '@kube-ts/k8s/coordination/v1';
import { microTime } from '../micro-time.js';

/** The fields of a Lease's `spec` that leader election reads and writes (times as strings). */
export interface LeaseRecord {
  readonly holderIdentity: string;
  readonly leaseDurationSeconds: number;
  readonly acquireTime: string;
  readonly renewTime: string;
  readonly leaseTransitions: number;
}

/** The election record of a Lease as read from the server (missing fields are empty). */
export function readRecord(lease: Lease): LeaseRecord {
  const spec = (lease.spec ?? {}) as Record<string, unknown>;
  const text = (v: unknown) =>
    typeof v === 'string' ? v : v instanceof Date ? v.toISOString() : '';
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
  return {
    holderIdentity: text(spec.holderIdentity),
    leaseDurationSeconds: num(spec.leaseDurationSeconds),
    acquireTime: text(spec.acquireTime),
    renewTime: text(spec.renewTime),
    leaseTransitions: num(spec.leaseTransitions),
  };
}

/**
 * Whether two records are the same version: a candidate (or the sharder) counts a Lease as
 * renewed when it sees any of these fields change, and measures time from when it saw it.
 */
export function sameRecord(a: LeaseRecord, b: LeaseRecord): boolean {
  return (
    a.holderIdentity === b.holderIdentity &&
    a.renewTime === b.renewTime &&
    a.acquireTime === b.acquireTime &&
    a.leaseTransitions === b.leaseTransitions &&
    a.leaseDurationSeconds === b.leaseDurationSeconds
  );
}

/**
 * The record `identity` writes to take or keep the lease: a renewal (same holder) keeps
 * `acquireTime` and `leaseTransitions`; a takeover sets `acquireTime` to now and counts
 * one more transition (none for a lease that never had a holder).
 */
export function claimRecord(
  current: LeaseRecord | undefined,
  identity: string,
  leaseDurationSeconds: number,
  nowMs: number,
): LeaseRecord {
  const now = microTime(nowMs);
  if (current !== undefined && current.holderIdentity === identity) {
    return { ...current, leaseDurationSeconds, renewTime: now };
  }
  const transitions = current?.leaseTransitions ?? 0;
  return {
    holderIdentity: identity,
    leaseDurationSeconds,
    acquireTime: now,
    renewTime: now,
    leaseTransitions: current === undefined ? 0 : transitions + 1,
  };
}

/**
 * The record written on release: no holder, a 1 s duration and times set to now (as
 * client-go's ReleaseOnCancel), so that another candidate can take the lease at once.
 */
export function releasedRecord(current: LeaseRecord, nowMs: number): LeaseRecord {
  const now = microTime(nowMs);
  return {
    holderIdentity: '',
    leaseDurationSeconds: 1,
    acquireTime: now,
    renewTime: now,
    leaseTransitions: current.leaseTransitions,
  };
}

/** `lease` (or a new Lease named `name`) with `record` as its spec and `labels` added. */
export function withRecord(
  lease: Lease | undefined,
  name: string,
  record: LeaseRecord,
  labels?: Readonly<Record<string, string>>,
): Lease {
  const spec = { ...lease?.spec, ...record };
  const metadata = { ...lease?.metadata, name };
  if (labels !== undefined) metadata.labels = { ...metadata.labels, ...labels };
  if (lease === undefined) {
    return { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata, spec };
  }
  return { ...lease, metadata, spec };
}
