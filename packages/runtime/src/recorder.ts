/**
 * `Recorder`: publishes events.k8s.io/v1 Events about objects, aggregating repeats into
 * an Event series instead of creating one Event per occurrence.
 */
import { randomBytes } from 'node:crypto';
import { Api, type Client, Patch } from '@kube-ts/client';
import { type CallOptions, isNotFound, type KubeObject, resources } from '@kube-ts/core';
import type { ObjectReference } from '@kube-ts/k8s/core/v1';
import type { Event as EventsV1Event } from '@kube-ts/k8s/events/v1';
import { microTime } from './micro-time.js';

/** What happened: the fields of an Event that the caller chooses. */
export interface EventSpec {
  /** `Normal` for expected operation, `Warning` for something that needs attention. */
  readonly type: 'Normal' | 'Warning';
  /** Why the action was taken, UpperCamelCase and short (e.g. `ConfigMapCreated`). */
  readonly reason: string;
  /** What the controller did or failed to do, UpperCamelCase (e.g. `Reconcile`). */
  readonly action: string;
  /** A human-readable description (at most 1 kB). Never put secret values here. */
  readonly note?: string;
  /** A second object the event is about (e.g. the ConfigMap created for the regarding object). */
  readonly related?: ObjectReference;
}

/** Who reports the events. */
export interface Reporter {
  /** The controller's name, e.g. `example.com/configmapgen` (Event `reportingController`). */
  readonly controller: string;
  /** The instance, e.g. the pod name (Event `reportingInstance`). Default: `controller`. */
  readonly instance?: string;
}

/** Options of a {@link Recorder}. */
export interface RecorderOptions {
  /**
   * How long after the last occurrence a repeat still joins the series (ms). Default 6 min
   * (as client-go's event recorder). Later repeats start a new Event.
   */
  readonly seriesWindowMs?: number;
  /** How many distinct series are remembered (least recently used are forgotten). Default 4096. */
  readonly maxSeries?: number;
}

interface SeriesState {
  readonly namespace: string;
  readonly name: string;
  count: number;
  lastSeen: number;
}

/**
 * Publishes events.k8s.io/v1 Events.
 *
 * Guarantees:
 * - The first occurrence of an event creates an Event (no `series`), in the regarding
 *   object's namespace (`default` for cluster-scoped objects).
 * - A repeat — same regarding object (by uid when known), type, reason, action and note —
 *   within `seriesWindowMs` of the previous occurrence does NOT create a new Event: it
 *   patches the existing one with `series: { count, lastObservedTime }` (count 2 on the
 *   first repeat, then 3, …). If that Event is gone (404), a new Event is created.
 * - Memory is bounded by `maxSeries`.
 * - `publish` rejects with the API error when the Event cannot be written; catch it if a
 *   failed event should not fail your reconcile.
 */
export class Recorder {
  readonly #client: Client;
  readonly #reporter: Required<Reporter>;
  readonly #windowMs: number;
  readonly #maxSeries: number;
  readonly #series = new Map<string, SeriesState>();

  /** Creates a recorder that writes through `client` on behalf of `reporter`. */
  constructor(client: Client, reporter: Reporter, options: RecorderOptions = {}) {
    if (!reporter.controller) {
      throw new TypeError(
        "Recorder: reporter.controller is required, e.g. 'example.com/my-operator'",
      );
    }
    this.#client = client;
    this.#reporter = {
      controller: reporter.controller,
      instance: reporter.instance ?? reporter.controller,
    };
    this.#windowMs = options.seriesWindowMs ?? 6 * 60_000;
    this.#maxSeries = options.maxSeries ?? 4096;
  }

  /**
   * Records `event` about `regarding` (an object, or an object reference). `options`
   * (`signal`, `timeoutMs`) apply to its requests, e.g. the reconcile's `info.signal`.
   */
  async publish(
    event: EventSpec,
    regarding: KubeObject | ObjectReference,
    options: CallOptions = {},
  ): Promise<void> {
    const ref = toReference(regarding);
    const namespace = ref.namespace || 'default';
    const api = Api.namespaced(this.#client, resources.eventsV1, namespace);
    const key = JSON.stringify([
      ref.uid ?? `${ref.apiVersion}/${ref.kind}/${ref.namespace}/${ref.name}`,
      event.type,
      event.reason,
      event.action,
      event.note ?? '',
    ]);
    const now = Date.now();
    const known = this.#series.get(key);
    if (known !== undefined && now - known.lastSeen <= this.#windowMs) {
      this.#series.delete(key); // re-insert below: most recently used last
      known.count++;
      known.lastSeen = now;
      this.#series.set(key, known);
      try {
        const patch = { series: { count: known.count, lastObservedTime: microTime(now) } };
        await api.patch(known.name, Patch.merge(patch), options);
        return;
      } catch (error) {
        if (!isNotFound(error)) throw error;
        this.#series.delete(key);
      }
    }
    const name = `${(ref.name ?? 'object').slice(0, 200)}.${randomBytes(8).toString('hex')}`;
    const body: EventsV1Event = {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name, namespace },
      eventTime: microTime(now),
      type: event.type,
      reason: event.reason,
      action: event.action,
      ...(event.note === undefined ? {} : { note: truncate(event.note, 1024) }),
      regarding: ref,
      ...(event.related === undefined ? {} : { related: event.related }),
      reportingController: this.#reporter.controller,
      reportingInstance: this.#reporter.instance,
    };
    await api.create(body, options);
    this.#remember(key, { namespace, name, count: 1, lastSeen: now });
  }

  #remember(key: string, state: SeriesState): void {
    this.#series.delete(key);
    this.#series.set(key, state);
    while (this.#series.size > this.#maxSeries) {
      const oldest = this.#series.keys().next().value;
      if (oldest === undefined) break;
      this.#series.delete(oldest);
    }
  }
}

function toReference(target: KubeObject | ObjectReference): ObjectReference {
  if ('metadata' in target && target.metadata !== undefined) {
    const obj = target as KubeObject;
    const ref: ObjectReference = {};
    if (obj.apiVersion) ref.apiVersion = obj.apiVersion;
    if (obj.kind) ref.kind = obj.kind;
    if (obj.metadata?.name) ref.name = obj.metadata.name;
    if (obj.metadata?.namespace) ref.namespace = obj.metadata.namespace;
    if (obj.metadata?.uid) ref.uid = obj.metadata.uid;
    if (obj.metadata?.resourceVersion) ref.resourceVersion = obj.metadata.resourceVersion;
    return ref;
  }
  return target as ObjectReference;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
