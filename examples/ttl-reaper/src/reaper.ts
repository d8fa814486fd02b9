/**
 * The TTL reaper: a Pod annotated `ttl.kube-ts.dev/after: <duration>` (`90s`, `15m`,
 * `2h`) is deleted once it is that old. Only metadata is needed — the annotation and the
 * creation time — so the controller watches Pods as `PartialObjectMetadata`: its cache
 * holds no Pod spec or status, whatever the size of the cluster's Pods. A Pod not yet due
 * is requeued for the moment it will be.
 */
import { Api, type Client } from '@kube-ts/client';
import { ApiError, type PartialObjectMetadata } from '@kube-ts/core';
import { pods } from '@kube-ts/k8s/core/v1';
import { Action, Controller, type ReconcileInfo, Reconciler } from '@kube-ts/runtime';

/** The annotation that gives a Pod its time to live. */
export const TTL = 'ttl.kube-ts.dev/after';

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000 } as const;

/** The time to live an annotation value gives, in milliseconds; `undefined` if it is not `<n>s|m|h`. */
export function parseTtl(value: string | undefined): number | undefined {
  const match = /^(\d{1,9})([smh])$/.exec(value ?? '');
  if (!match) return undefined;
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}

/** Deletes Pods whose time to live has run out; requeues the others for when it will have. */
export class ReaperReconciler extends Reconciler<PartialObjectMetadata, Client> {
  readonly #now: () => number;

  /** A reaper reading the time from `now` (tests pass a fake clock). */
  constructor(now: () => number = Date.now) {
    super();
    this.#now = now;
  }

  async reconcile(
    pod: PartialObjectMetadata,
    client: Client,
    info: ReconcileInfo,
  ): Promise<Action> {
    const value = pod.metadata?.annotations?.[TTL];
    if (value === undefined || pod.metadata?.deletionTimestamp) return Action.awaitChange();
    const ttl = parseTtl(value);
    if (ttl === undefined) {
      info.logger.warn({ value }, `ignoring ${TTL}: expected a duration like 90s, 15m or 2h`);
      return Action.awaitChange();
    }
    const due = Date.parse(pod.metadata?.creationTimestamp ?? '') + ttl;
    const left = due - this.#now();
    if (left > 0) return Action.requeue(left);
    try {
      // The uid precondition: never delete a newer Pod that took this one's name.
      await Api.namespaced(client, pods, pod.metadata?.namespace ?? '').delete(
        pod.metadata?.name ?? '',
        {
          preconditions: { uid: pod.metadata?.uid },
          signal: info.signal,
        },
      );
      info.logger.info({ ttl: value }, 'deleted an expired Pod');
    } catch (error) {
      if (!(ApiError.is(error) && (error.isNotFound() || error.isConflict()))) throw error;
    }
    return Action.awaitChange();
  }
}

/** The reaper's controller: Pods of `namespace` (every namespace when empty), metadata only. */
export function reaper(client: Client, namespace: string): Controller<PartialObjectMetadata> {
  const api = namespace === '' ? Api.all(client, pods) : Api.namespaced(client, pods, namespace);
  return new Controller(api.metadata());
}
