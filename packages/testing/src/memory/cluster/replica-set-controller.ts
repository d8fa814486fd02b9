/**
 * kube-controller-manager's ReplicaSet controller: keeps `spec.replicas` active Pods of
 * each ReplicaSet (creating them from its template, deleting the surplus, not-ready ones
 * and the newest first), and reports `status` (replicas, fullyLabeledReplicas,
 * readyReplicas, availableReplicas after `minReadySeconds`, observedGeneration). Orphaned
 * Pods that match a selector are not adopted. The same controller serves
 * ReplicationControllers, as kube-controller-manager's replication manager is the
 * ReplicaSet controller run over them. Each Pod created or deleted is an Event on its
 * owner (pod-control.ts) from `replicaset-controller` or `replication-controller`. Pods
 * are created in slow-start batches; a refused one makes the sync fail: the
 * `ReplicaFailure` condition, and another try after the work queue's back-off.
 */
import { selectorOf } from '../admission/matching.js';
import type { Change } from '../history.js';
import { isObject, type JsonObject, num, objAt, objects } from '../json.js';
import { metaOf } from '../object-meta.js';
import { matchLabels } from '../selectors.js';
import { type ApiState, timestamp } from '../state.js';
import { objectKey } from '../storage.js';
import { compareRankedPods } from './active-pods-order.js';
import { createPod, deletePod, RetryBackoff, slowStart } from './pod-control.js';
import { isActive, isAvailable, isReady, isTerminating, podFromTemplate } from './pod-template.js';
import {
  controllerOf,
  ownedBy,
  PODS,
  REPLICA_SETS,
  REPLICATION_CONTROLLERS,
  type Resource,
  tableOf,
  writeStatus,
} from './writes.js';

const MANAGER = 'kube-controller-manager';
/** The most Pods one sync creates (`BurstReplicas`). */
const BURST_REPLICAS = 500;

/** The kinds this controller keeps, with their resources. */
const KINDS: Readonly<Record<'ReplicaSet' | 'ReplicationController', Resource>> = {
  ReplicaSet: REPLICA_SETS,
  ReplicationController: REPLICATION_CONTROLLERS,
};

/** The recorder's `source.component` for each kind. */
const COMPONENTS: Readonly<Record<keyof typeof KINDS, string>> = {
  ReplicaSet: 'replicaset-controller',
  ReplicationController: 'replication-controller',
};

/** Keeps the Pods and status of each ReplicaSet (or ReplicationController) current. */
export class ReplicaSetController {
  readonly #resource: Resource;
  readonly #component: string;
  readonly #backoff = new RetryBackoff();

  constructor(
    private readonly s: ApiState,
    /** Calls back after `ms` (for `minReadySeconds`); the server clears these on stop. */
    private readonly later: (ms: number, task: () => void) => void,
    private readonly kind: keyof typeof KINDS = 'ReplicaSet',
  ) {
    this.#resource = KINDS[kind];
    this.#component = COMPONENTS[kind];
  }

  /** Observes a committed change (called synchronously by the storage). */
  observe(c: Change): void {
    if (c.resKey === tableOf(this.#resource)) {
      const name = String(metaOf(c.object).name);
      if (c.type === 'DELETED') this.#backoff.forget(objectKey(c.namespace, name));
      else this.s.schedule(() => this.sync(c.namespace, name));
    } else if (c.resKey === 'pods') {
      const owner = controllerOf(c.object);
      if (owner?.kind === this.kind) {
        this.s.schedule(() => this.sync(c.namespace, String(owner.name)));
      }
    }
  }

  /** Creates or deletes Pods of one ReplicaSet (or ReplicationController) and writes its status. */
  sync(namespace: string, name: string): void {
    const rs = this.s.storage.get(tableOf(this.#resource), objectKey(namespace, name));
    if (rs === undefined || metaOf(rs).deletionTimestamp) return;
    const spec = isObject(rs.spec) ? rs.spec : {};
    const want = typeof spec.replicas === 'number' ? spec.replicas : 1;
    const owned = ownedBy(this.s, PODS, rs);
    const pods = owned.filter(isActive);
    const key = objectKey(namespace, name);
    if (pods.length < want) {
      const error = slowStart(Math.min(want - pods.length, BURST_REPLICAS), () =>
        createPod(this.s, this.#component, rs, namespace, podFromTemplate(rs, spec.template)),
      );
      if (error === undefined) {
        this.#backoff.forget(key);
        return;
      }
      // The sync fails: the status says so and the work queue tries again after a back-off.
      const pending = ownedBy(this.s, PODS, rs);
      this.#writeStatus(rs, pending.filter(isActive), pending.filter(isTerminating).length, error);
      this.later(this.#backoff.next(key), () => this.sync(namespace, name));
      return;
    }
    this.#backoff.forget(key);
    if (pods.length > want) {
      for (const pod of this.#podsToDelete(rs, pods, pods.length - want)) {
        deletePod(this.s, this.#component, rs, pod);
      }
      return;
    }
    this.#writeStatus(rs, pods, owned.filter(isTerminating).length);
  }

  /**
   * `getPodsToDelete`: the first `count` of `pods` in `ActivePodsWithRanks` order, each
   * ranked by the active Pods on its node among those of every ReplicaSet its controller
   * owns (`getIndirectlyRelatedPods`, by their selectors; none without a controller).
   */
  #podsToDelete(rs: JsonObject, pods: JsonObject[], count: number): JsonObject[] {
    if (count >= pods.length) return pods;
    const onNode = new Map<string, number>();
    for (const pod of this.#relatedPods(rs)) {
      if (!isActive(pod)) continue;
      const node = String(objAt(pod, 'spec').nodeName ?? '');
      onNode.set(node, (onNode.get(node) ?? 0) + 1);
    }
    const now = Date.now();
    return pods
      .map((pod) => ({ pod, rank: onNode.get(String(objAt(pod, 'spec').nodeName ?? '')) ?? 0 }))
      .sort((a, b) => compareRankedPods(a, b, now))
      .slice(0, count)
      .map((ranked) => ranked.pod);
  }

  /**
   * The Pods the selectors of the ReplicaSets with `rs`'s controller select, each once (one
   * pass over the namespace's Pods).
   */
  #relatedPods(rs: JsonObject): JsonObject[] {
    const controller = controllerOf(rs);
    if (controller === undefined) return [];
    const namespace = String(metaOf(rs).namespace ?? '');
    const selectors = [];
    for (const [, sibling] of this.s.storage.scan(tableOf(this.#resource), namespace)) {
      if (controllerOf(sibling)?.uid !== controller.uid) continue;
      const selector = objAt(sibling, 'spec').selector;
      // A ReplicationController's selector is a map of labels, a ReplicaSet's a LabelSelector.
      const sel = selectorOf(this.kind === 'ReplicaSet' ? selector : { matchLabels: selector });
      if (sel.length > 0) selectors.push(sel);
    }
    const related: JsonObject[] = [];
    if (selectors.length === 0) return related;
    for (const [, pod] of this.s.storage.scan(tableOf(PODS), namespace)) {
      const labels = metaOf(pod).labels;
      if (selectors.some((sel) => matchLabels(sel, isObject(labels) ? labels : {}))) {
        related.push(pod);
      }
    }
    return related;
  }

  /**
   * `calculateStatus`: the counts, and the `ReplicaFailure` condition (`FailedCreate`, the
   * first error's message) set when creating failed and there is none, removed after a sync
   * that did not fail.
   */
  #writeStatus(rs: JsonObject, pods: JsonObject[], terminating: number, error?: unknown): void {
    const spec = isObject(rs.spec) ? rs.spec : {};
    const minReady = num(spec.minReadySeconds);
    const now = Date.now();
    const templateLabels =
      isObject(spec.template) &&
      isObject(spec.template.metadata) &&
      isObject(spec.template.metadata.labels)
        ? spec.template.metadata.labels
        : {};
    const fully = pods.filter((p) =>
      matchLabels(
        selectorOf({ matchLabels: templateLabels }),
        metaOf(p).labels as Record<string, string> | undefined,
      ),
    ).length;
    const ready = pods.filter(isReady).length;
    const available = pods.filter((p) => isAvailable(p, minReady, now)).length;
    if (available < ready) {
      this.later(minReady * 1000, () =>
        this.sync(String(metaOf(rs).namespace), String(metaOf(rs).name)),
      );
    }
    const status: JsonObject = { replicas: pods.length };
    const old = isObject(rs.status) ? rs.status : {};
    const conditions = objects(old.conditions).filter(
      (c) => error !== undefined || c.type !== 'ReplicaFailure',
    );
    if (error !== undefined && !conditions.some((c) => c.type === 'ReplicaFailure')) {
      conditions.push({
        type: 'ReplicaFailure',
        status: 'True',
        lastTransitionTime: timestamp(),
        reason: 'FailedCreate',
        message: error instanceof Error ? error.message : String(error),
      });
    }
    if (conditions.length > 0) status.conditions = conditions;
    if (fully > 0) status.fullyLabeledReplicas = fully;
    if (ready > 0) status.readyReplicas = ready;
    if (available > 0) status.availableReplicas = available;
    status.observedGeneration = metaOf(rs).generation ?? 1;
    // The ReplicationController manager runs this controller without the count.
    if (this.kind === 'ReplicaSet') status.terminatingReplicas = terminating;
    writeStatus(this.s, MANAGER, this.#resource, rs, status);
  }
}
