import { ApiError } from '@kube-ts/core';
import type { Lease } from '@kube-ts/k8s/coordination/v1';
import type { LeaseApi } from './leader-elector.js';

/**
 * An in-memory lease store with resourceVersion checks (409 like the API server), for
 * virtual-time tests. `failing` makes every request reject; `hang` makes them never settle.
 */
export class FakeLeaseApi implements LeaseApi {
  lease: Lease | undefined;
  failing = false;
  hang = false;
  writes = 0;
  #rv = 0;

  async getOpt(_name: string): Promise<Lease | undefined> {
    await this.#gate();
    return this.lease === undefined ? undefined : structuredClone(this.lease);
  }

  async create(lease: Lease): Promise<Lease> {
    await this.#gate();
    if (this.lease !== undefined) throw conflict('AlreadyExists');
    return this.#store(lease);
  }

  async replace(_name: string, lease: Lease): Promise<Lease> {
    await this.#gate();
    if (lease.metadata?.resourceVersion !== this.lease?.metadata?.resourceVersion) {
      throw conflict('Conflict');
    }
    return this.#store(lease);
  }

  /** The current holder ('' when released, undefined without a lease). */
  get holder(): string | undefined {
    return (this.lease?.spec as { holderIdentity?: string } | undefined)?.holderIdentity;
  }

  #store(lease: Lease): Lease {
    this.writes++;
    this.lease = structuredClone({
      ...lease,
      metadata: { ...lease.metadata, resourceVersion: String(++this.#rv) },
    });
    return structuredClone(this.lease);
  }

  async #gate(): Promise<void> {
    if (this.hang) await new Promise<never>(() => {});
    if (this.failing) throw new Error('injected: the API server is unreachable');
  }
}

function conflict(reason: string): ApiError {
  return new ApiError({
    kind: 'Status',
    apiVersion: 'v1',
    status: 'Failure',
    code: 409,
    reason,
    message: reason,
  });
}
