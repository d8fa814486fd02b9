/**
 * kube-controller-manager's Deployment controller, reduced: each Deployment owns a
 * ReplicaSet per pod template (named `<deployment>-<pod-template-hash>`, labelled and
 * selected by the hash, with the revision annotations), scaled to `spec.replicas`. A
 * RollingUpdate steps as the real one does: the new ReplicaSet grows by `maxSurge`, the
 * old ones shrink as `maxUnavailable` lets them; a change of `spec.replicas` mid-rollout
 * is shared among the active ReplicaSets in proportion; Recreate scales the old ones to
 * zero first. Status
 * and the `Available` and `Progressing` conditions (reasons `NewReplicaSetCreated`,
 * `ReplicaSetUpdated`, `NewReplicaSetAvailable`; `MinimumReplicasAvailable` /
 * `MinimumReplicasUnavailable`) are reported as the real controller words them.
 * Each creation or new size of a ReplicaSet is a `ScalingReplicaSet` Event on the
 * Deployment from `deployment-controller` (`Scaled up replica set <name> from 0 to 3`).
 * A rollout with no progress for `progressDeadlineSeconds` gets `Progressing` `False`
 * (`ProgressDeadlineExceeded`), looked at again once the deadline passes; a paused
 * Deployment (`DeploymentPaused`, then `DeploymentResumed`) only scales, making no
 * ReplicaSet for a new template. The new ReplicaSet takes the Deployment's annotations; a
 * template written back (a rollback) makes the ReplicaSet that has it new again at the
 * next revision; old ReplicaSets beyond `revisionHistoryLimit` are deleted, lowest
 * revision first.
 */
import type { Change } from '../history.js';
import { type JsonObject, num, objAt, str } from '../json.js';
import { metaOf } from '../object-meta.js';
import { type ApiState, timestamp } from '../state.js';
import { objectKey } from '../storage.js';
import {
  conditionsOf,
  countsOf,
  hasProgressDeadline,
  pausedConditions,
  progressCheckDelay,
  rolloutComplete,
  rolloutConditions,
  setCondition,
} from './deployment-progress.js';
import {
  beyondHistoryLimit,
  maxRevision,
  newReplicaSetAnnotations,
  REVISION,
} from './deployment-revisions.js';
import {
  availableOf,
  byCreation,
  isScalingEvent,
  maxSurge,
  maxUnavailable,
  proportionalSizes,
  sizeOf,
  surgedSize,
} from './deployment-scaling.js';
import { recordEvent } from './events.js';
import { isActive, isTerminating } from './pod-template.js';
import { podTemplateHash } from './template-hash.js';
import {
  controllerOf,
  createAs,
  DEPLOYMENTS,
  deleteAs,
  ownedBy,
  ownerReference,
  PODS,
  REPLICA_SETS,
  tableOf,
  updateAs,
  writeStatus,
} from './writes.js';

const MANAGER = 'kube-controller-manager';
/** The recorder's `source.component`. */
const COMPONENT = 'deployment-controller';
const HASH_LABEL = 'pod-template-hash';

/**
 * The desired- and max-replicas annotations a ReplicaSet gets from its Deployment's `spec`
 * (`SetReplicasAnnotations`): the replicas, and the replicas plus the surge.
 */
function replicaAnnotations(spec: JsonObject): Record<string, string> {
  const replicas = num(spec.replicas, 1);
  const surge = maxSurge(spec, replicas);
  return {
    'deployment.kubernetes.io/desired-replicas': String(replicas),
    'deployment.kubernetes.io/max-replicas': String(replicas + surge),
  };
}

/**
 * The sum of the ReplicaSets' `status.terminatingReplicas`, as the real controller reports
 * it: a ReplicaSet never synced does not count, and one synced without the count leaves the
 * sum unknown (undefined).
 */
function terminatingReplicas(sets: JsonObject[]): number | undefined {
  let sum = 0;
  for (const rs of sets) {
    const status = objAt(rs, 'status');
    const count = status.terminatingReplicas;
    if (typeof count === 'number') sum += count;
    else if (num(status.observedGeneration) !== 0) return undefined;
  }
  return sum;
}

/**
 * `DeploymentComplete` on the stored status of `d`: its latest generation seen, and all of
 * `spec.replicas` updated and available with no more Pods.
 */
function completed(d: JsonObject): boolean {
  const status = objAt(d, 'status');
  return (
    num(status.observedGeneration) >= num(metaOf(d).generation) &&
    rolloutComplete(objAt(d, 'spec'), countsOf(status))
  );
}

/** The reason and message of a `Progressing` condition `True`. */
type Progress = [reason: string, message: string];

/** Keeps each Deployment's ReplicaSets and status current. */
export class DeploymentController {
  /** The progress checks a timer is set for (`<deployment uid>@<lastUpdateTime>`). */
  readonly #checks = new Set<string>();

  /** `later` calls back after a delay (a progress deadline that has yet to pass). */
  constructor(
    private readonly s: ApiState,
    private readonly later: (ms: number, task: () => void) => void,
  ) {}

  /** Observes a committed change (called synchronously by the storage). */
  observe(c: Change): void {
    if (c.resKey === tableOf(DEPLOYMENTS) && c.type !== 'DELETED') {
      this.s.schedule(() => this.sync(c.namespace, String(metaOf(c.object).name)));
    } else if (c.resKey === tableOf(REPLICA_SETS)) {
      const owner = controllerOf(c.object);
      if (owner?.kind === 'Deployment')
        this.s.schedule(() => this.sync(c.namespace, String(owner.name)));
    }
  }

  /**
   * Reconciles one Deployment: a pause or resume first noted in its `Progressing`
   * condition; paused, only scaled (no ReplicaSet for a new template); otherwise scaled
   * on a change of `spec.replicas`, or rolled out.
   */
  sync(namespace: string, name: string): void {
    let d = this.s.storage.get(tableOf(DEPLOYMENTS), objectKey(namespace, name));
    if (d === undefined || metaOf(d).deletionTimestamp) return;
    const spec = objAt(d, 'spec');
    const paused = pausedConditions(spec, conditionsOf(objAt(d, 'status')), timestamp());
    if (paused !== undefined) {
      d = updateAs(
        this.s,
        MANAGER,
        DEPLOYMENTS,
        d,
        (copy) => {
          copy.status = { ...objAt(copy, 'status'), conditions: paused };
        },
        'status',
      );
    }
    const replicas = num(spec.replicas, 1);
    const status = objAt(d, 'status');
    const hash = podTemplateHash(
      spec.template,
      typeof status.collisionCount === 'number' ? status.collisionCount : undefined,
    );
    let sets = ownedBy(this.s, REPLICA_SETS, d);
    let current = sets.find((rs) => objAt(metaOf(rs), 'labels')[HASH_LABEL] === hash);
    const old = sets.filter((rs) => rs !== current);
    if (current !== undefined) {
      const found = current;
      [d, current] = this.#syncNewReplicaSet(d, current, old);
      // The real controller reads the ReplicaSets again for the rollout (or the scaling)
      // after the look it takes for a scaling event: a ReplicaSet it updated in between
      // fails that write with a conflict, and the sync is done over, as the update here
      // makes it be.
      if (current !== found && spec.paused !== true) return;
      sets = [...old, current];
    }
    if (spec.paused === true || (current !== undefined && isScalingEvent(spec, sets))) {
      this.#scaleAll(d, current, old);
      if (spec.paused === true) this.#cleanUp(d, old);
      this.#writeStatus(d, current, sets, false);
      return;
    }
    if (objAt(spec, 'strategy').type === 'Recreate') {
      // rolloutRecreate: the old ones scaled to 0 first; once none of their Pods is left,
      // the new one made at full size, or scaled up.
      const scaledDown = old.some((rs) => sizeOf(rs) > 0);
      for (const rs of old) this.#scale(d, rs, 0);
      if (!scaledDown && !this.#oldPodsRunning(old)) {
        if (current === undefined) {
          this.#createReplicaSet(d, hash, sets, replicas);
          return;
        }
        this.#scale(d, current, replicas);
        if (completed(d)) this.#cleanUp(d, old);
      }
    } else if (current === undefined) {
      this.#createReplicaSet(d, hash, sets, surgedSize(spec, sets, 0));
      return;
    } else if (!this.#rollOut(d, current, old) && completed(d)) {
      this.#cleanUp(d, old);
    }
    this.#writeStatus(d, current, sets, true);
  }

  /**
   * `scale` (a change of `spec.replicas`, or any sync of a paused Deployment): the only
   * active ReplicaSet (with none, the new one or else the newest) takes the new size; a
   * new one that is saturated (sized, made for and available at `spec.replicas`) has the
   * old ones scaled to 0; otherwise, rolling, the active ones share the change in
   * proportion (all of them written, with the new annotations).
   */
  #scaleAll(d: JsonObject, current: JsonObject | undefined, old: JsonObject[]): void {
    const spec = objAt(d, 'spec');
    const replicas = num(spec.replicas, 1);
    const all = current === undefined ? old : [...old, current];
    const active = all.filter((rs) => sizeOf(rs) > 0);
    if (active.length <= 1) {
      const latest = active[0] ?? current ?? [...old].sort(byCreation).at(-1);
      if (latest !== undefined) this.#scale(d, latest, replicas);
      return;
    }
    const desired =
      current === undefined
        ? undefined
        : objAt(metaOf(current), 'annotations')['deployment.kubernetes.io/desired-replicas'];
    if (
      current !== undefined &&
      sizeOf(current) === replicas &&
      desired === String(replicas) &&
      availableOf(current) === replicas
    ) {
      for (const rs of old) if (sizeOf(rs) > 0) this.#scale(d, rs, 0);
      return;
    }
    if (objAt(spec, 'strategy').type === 'Recreate') return;
    const statusReplicas = num(objAt(d, 'status').replicas);
    for (const [rs, size] of proportionalSizes(spec, statusReplicas, active))
      this.#scale(d, rs, size, true);
  }

  /**
   * `rolloutRolling`: the new ReplicaSet `current` grows as far as `maxSurge` lets it (to
   * `spec.replicas` at most, shrinking to it if it is larger); if it did not grow, the old
   * ones shrink, never below `spec.replicas` minus `maxUnavailable` available Pods counting
   * the new ReplicaSet's unavailable ones: first by their own unavailable Pods, then by the
   * available ones beyond that minimum, oldest ReplicaSet first. Whether it scaled any.
   */
  #rollOut(d: JsonObject, current: JsonObject, old: JsonObject[]): boolean {
    const spec = objAt(d, 'spec');
    const replicas = num(spec.replicas, 1);
    const size = sizeOf(current);
    if (size !== replicas) {
      const target = size > replicas ? replicas : surgedSize(spec, [current, ...old], size);
      if (target !== size) {
        this.#scale(d, current, target);
        return true;
      }
    }
    const oldTotal = old.reduce((n, rs) => n + sizeOf(rs), 0);
    if (oldTotal === 0) return false;
    const minAvailable = replicas - maxUnavailable(spec, replicas);
    const maxScaledDown = oldTotal + size - minAvailable - (size - availableOf(current));
    if (maxScaledDown <= 0) return false;
    const sorted = old.filter((rs) => sizeOf(rs) > 0).sort(byCreation);
    let cleaned = 0;
    for (const [i, rs] of sorted.entries()) {
      const unhealthy = sizeOf(rs) - availableOf(rs);
      if (cleaned >= maxScaledDown || unhealthy === 0) continue;
      const down = Math.min(maxScaledDown - cleaned, unhealthy);
      sorted[i] = this.#scale(d, rs, sizeOf(rs) - down);
      cleaned += down;
    }
    const available = [current, ...old].reduce((n, rs) => n + availableOf(rs), 0);
    let excess = available - minAvailable;
    for (const rs of sorted) {
      if (excess <= 0) break;
      const down = Math.min(sizeOf(rs), excess);
      this.#scale(d, rs, sizeOf(rs) - down);
      excess -= down;
      cleaned += down;
    }
    return cleaned > 0;
  }

  /**
   * `cleanupDeployment`: deletes the old ReplicaSets beyond `revisionHistoryLimit`, lowest
   * revision first (see {@link beyondHistoryLimit}); done when paused, or when the
   * rollout the stored status reports is complete and this sync scaled nothing.
   */
  #cleanUp(d: JsonObject, old: JsonObject[]): void {
    for (const rs of beyondHistoryLimit(objAt(d, 'spec'), old)) {
      deleteAs(this.s, REPLICA_SETS, String(metaOf(rs).namespace), String(metaOf(rs).name));
    }
  }

  /**
   * The part of `getNewReplicaSet` for a new ReplicaSet `rs` that exists: its annotations
   * brought up to date (the Deployment's copied, its revision raised above the old ones'
   * `old`, a rollback's history) and `minReadySeconds` set, one write ending there; if none
   * was needed, its revision on the Deployment, with `Progressing` `True`
   * `FoundNewReplicaSet` when there is a progress deadline but no such condition yet (one
   * `UpdateStatus`). The Deployment and the ReplicaSet as they now are.
   */
  #syncNewReplicaSet(d: JsonObject, rs: JsonObject, old: JsonObject[]): [JsonObject, JsonObject] {
    const spec = objAt(d, 'spec');
    const annotations = newReplicaSetAnnotations(d, rs, maxRevision(old) + 1, true, {});
    const minReady = num(spec.minReadySeconds);
    if (annotations !== undefined || num(objAt(rs, 'spec').minReadySeconds) !== minReady) {
      const updated = updateAs(this.s, MANAGER, REPLICA_SETS, rs, (copy) => {
        const m = metaOf(copy);
        if (annotations !== undefined) m.annotations = annotations;
        copy.metadata = m;
        const rsSpec = objAt(copy, 'spec');
        if (minReady === 0) delete rsSpec.minReadySeconds;
        else rsSpec.minReadySeconds = minReady;
        copy.spec = rsSpec;
      });
      return [d, updated];
    }
    const hasCondition = conditionsOf(objAt(d, 'status')).some((c) => c.type === 'Progressing');
    const found: Progress | undefined =
      hasProgressDeadline(spec) && !hasCondition
        ? ['FoundNewReplicaSet', `Found new replica set "${String(metaOf(rs).name)}"`]
        : undefined;
    return [this.#recordRevision(d, str(objAt(metaOf(rs), 'annotations')[REVISION]), found), rs];
  }

  /**
   * `SetDeploymentRevision`, and a `Progressing` condition `progress` if given, written
   * with one `UpdateStatus` when either changes anything: the status strategy takes the
   * annotation without bumping the generation. The Deployment as it now is.
   */
  #recordRevision(d: JsonObject, revision: string, progress: Progress | undefined): JsonObject {
    const annotations = objAt(metaOf(d), 'annotations');
    if (str(annotations[REVISION]) === revision && progress === undefined) return d;
    return updateAs(
      this.s,
      MANAGER,
      DEPLOYMENTS,
      d,
      (copy) => {
        const m = metaOf(copy);
        m.annotations = { ...annotations, [REVISION]: revision };
        copy.metadata = m;
        if (progress === undefined) return;
        const status = objAt(copy, 'status');
        status.conditions = setCondition(
          conditionsOf(status),
          timestamp(),
          'Progressing',
          'True',
          ...progress,
        );
        copy.status = status;
      },
      'status',
    );
  }

  /**
   * `oldPodsRunning`: an old ReplicaSet reports replicas, or has a Pod not yet `Succeeded`
   * or `Failed` (one being deleted counts).
   */
  #oldPodsRunning(old: JsonObject[]): boolean {
    return old.some(
      (rs) =>
        num(objAt(rs, 'status').replicas) > 0 ||
        ownedBy(this.s, PODS, rs).some((pod) => isActive(pod) || isTerminating(pod)),
    );
  }

  /**
   * `scaleReplicaSet`: a new size, with the Deployment's replica annotations, and a
   * `ScalingReplicaSet` Event on the Deployment.
   */
  #scale(d: JsonObject, rs: JsonObject, replicas: number, force = false): JsonObject {
    const before = num(objAt(rs, 'spec').replicas, 1);
    const annotations = replicaAnnotations(objAt(d, 'spec'));
    const stale = Object.entries(annotations).some(
      ([k, v]) => objAt(metaOf(rs), 'annotations')[k] !== v,
    );
    if (before === replicas && !(force && stale)) return rs;
    const scaled = updateAs(this.s, MANAGER, REPLICA_SETS, rs, (copy) => {
      (copy.spec as JsonObject).replicas = replicas;
      const m = metaOf(copy);
      m.annotations = { ...objAt(m, 'annotations'), ...annotations };
      copy.metadata = m;
    });
    if (before === replicas) return scaled;
    const direction = before < replicas ? 'up' : 'down';
    recordEvent(
      this.s,
      COMPONENT,
      d,
      'Normal',
      'ScalingReplicaSet',
      `Scaled ${direction} replica set ${String(metaOf(scaled).name)} from ${before} to ${replicas}`,
    );
    return scaled;
  }

  #createReplicaSet(d: JsonObject, hash: string, sets: JsonObject[], replicas: number): void {
    const meta = metaOf(d);
    const spec = objAt(d, 'spec');
    const template = structuredClone(objAt(spec, 'template'));
    const tm = objAt(template, 'metadata');
    tm.labels = { ...objAt(tm, 'labels'), [HASH_LABEL]: hash };
    template.metadata = tm;
    const selector = structuredClone(objAt(spec, 'selector'));
    selector.matchLabels = { ...objAt(selector, 'matchLabels'), [HASH_LABEL]: hash };
    const revision = maxRevision(sets) + 1;
    const annotations =
      newReplicaSetAnnotations(d, {}, revision, false, replicaAnnotations(spec)) ?? {};
    const rsName = `${String(meta.name)}-${hash}`;
    createAs(this.s, MANAGER, REPLICA_SETS, String(meta.namespace), {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: rsName,
        labels: { ...objAt(tm, 'labels') },
        annotations,
        ownerReferences: [ownerReference(d)],
      },
      spec: {
        replicas,
        ...(spec.minReadySeconds === undefined ? {} : { minReadySeconds: spec.minReadySeconds }),
        selector,
        template,
      },
    });
    if (replicas > 0) {
      recordEvent(
        this.s,
        COMPONENT,
        d,
        'Normal',
        'ScalingReplicaSet',
        `Scaled up replica set ${rsName} from 0 to ${replicas}`,
      );
    }
    this.#recordRevision(
      d,
      String(revision),
      hasProgressDeadline(spec)
        ? ['NewReplicaSetCreated', `Created new replica set "${rsName}"`]
        : undefined,
    );
  }

  /**
   * `calculateStatus`, and for a rollout (`rollout`) the `Progressing` condition of
   * `syncRolloutStatus`; a status that would not change is not written, and then a rollout
   * yet to time out is looked at again once its deadline passes.
   */
  #writeStatus(
    d: JsonObject,
    current: JsonObject | undefined,
    sets: JsonObject[],
    rollout: boolean,
  ): void {
    const spec = objAt(d, 'spec');
    const desired = num(spec.replicas, 1);
    const sum = (field: string) => sets.reduce((n, rs) => n + num(objAt(rs, 'status')[field]), 0);
    const total = sets.reduce((n, rs) => n + num(objAt(rs, 'spec').replicas, 1), 0);
    const replicas = sum('replicas');
    const updated = current === undefined ? 0 : num(objAt(current, 'status').replicas);
    const ready = sum('readyReplicas');
    const available = sum('availableReplicas');
    const now = timestamp();
    const old = objAt(d, 'status');
    const status: JsonObject = { observedGeneration: num(metaOf(d).generation, 1) };
    if (replicas > 0) status.replicas = replicas;
    if (updated > 0) status.updatedReplicas = updated;
    if (ready > 0) status.readyReplicas = ready;
    if (available > 0) status.availableReplicas = available;
    if (total - available > 0) status.unavailableReplicas = total - available;
    let conditions = conditionsOf(old);
    conditions =
      available >= desired - maxUnavailable(spec, desired)
        ? setCondition(
            conditions,
            now,
            'Available',
            'True',
            'MinimumReplicasAvailable',
            'Deployment has minimum availability.',
          )
        : setCondition(
            conditions,
            now,
            'Available',
            'False',
            'MinimumReplicasUnavailable',
            'Deployment does not have minimum availability.',
          );
    const counts = countsOf(status);
    if (rollout) {
      const subject =
        current === undefined
          ? `Deployment "${String(metaOf(d).name)}"`
          : `ReplicaSet "${String(metaOf(current).name)}"`;
      conditions = rolloutConditions(spec, conditions, countsOf(old), counts, subject, now);
    }
    if (conditions.length > 0) status.conditions = conditions;
    if (typeof old.collisionCount === 'number') status.collisionCount = old.collisionCount;
    const terminating = terminatingReplicas(sets);
    if (terminating !== undefined) status.terminatingReplicas = terminating;
    const written = writeStatus(this.s, MANAGER, DEPLOYMENTS, d, status);
    if (written === d && rollout) this.#requeueStuck(d, counts);
  }

  /**
   * `requeueStuckDeployment`: one timer per `Progressing` condition that has yet to pass
   * its deadline, to sync the Deployment again then (the real controller's work queue
   * holds one entry per Deployment likewise).
   */
  #requeueStuck(d: JsonObject, counts: ReturnType<typeof countsOf>): void {
    const conditions = conditionsOf(objAt(d, 'status'));
    const delay = progressCheckDelay(objAt(d, 'spec'), conditions, counts);
    if (delay === undefined) return;
    const meta = metaOf(d);
    const progressing = conditions.find((c) => c.type === 'Progressing');
    const due = `${String(meta.uid)}@${String(progressing?.lastUpdateTime)}`;
    if (this.#checks.has(due)) return;
    this.#checks.add(due);
    this.later(delay, () => {
      this.#checks.delete(due);
      this.sync(String(meta.namespace), String(meta.name));
    });
  }
}
