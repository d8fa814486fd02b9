/**
 * kube-controller-manager's StatefulSet controller: Pods `<set>-<ordinal>` for the
 * ordinals `spec.ordinals.start` … `start + replicas - 1`, made from the template of
 * their revision (ControllerRevisions, controller-revisions.ts) with the identity labels
 * (`statefulset.kubernetes.io/pod-name`, `apps.kubernetes.io/pod-index`,
 * `controller-revision-hash`), `hostname` and `subdomain`, and their claims
 * (stateful-set-claims.ts). `OrderedReady` creates one Pod at a time, each once the one
 * before runs, is Ready and available, and removes surplus Pods from the highest ordinal
 * one at a time; `Parallel` does both at once. A `RollingUpdate` replaces the Pods at or
 * above `partition` whose revision is not the update revision, from the highest ordinal,
 * one at a time once the others are available (`OnDelete`: only Pods deleted by the user).
 * Status as the real controller reports it. Orphaned Pods are not adopted, Pods whose
 * identity or volumes a client changed are not mended. Each claim and Pod created, Pod
 * deleted or Pod whose claims' owners were mended is an Event on the set from
 * `statefulset-controller` (`Create Pod web-0 in StatefulSet web successful`).
 */
import type { Change } from '../history.js';
import { isObject, type JsonObject, num, objAt } from '../json.js';
import { metaOf } from '../object-meta.js';
import type { ApiState } from '../state.js';
import { objectKey } from '../storage.js';
import {
  revisionsOf,
  revisionTemplate,
  truncateHistory,
  updateRevision,
} from './controller-revisions.js';
import { recordEvent } from './events.js';
import { isAvailable, isReady, podFromTemplate } from './pod-template.js';
import { claimVolumes, createClaims, syncClaimOwners } from './stateful-set-claims.js';
import {
  controllerOf,
  createAs,
  deleteAs,
  ownedBy,
  PODS,
  STATEFUL_SETS,
  tableOf,
  writeStatus,
} from './writes.js';

const MANAGER = 'kube-controller-manager';
/** The recorder's `source.component`. */
const COMPONENT = 'statefulset-controller';
const POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';
const REVISION_LABEL = 'controller-revision-hash';

function phaseOf(pod: JsonObject): unknown {
  return objAt(pod, 'status').phase;
}

/** The ordinal of a Pod named `<set>-<n>`, or -1. */
function ordinalOf(setName: string, pod: JsonObject): number {
  const m = /^(.*)-([0-9]+)$/.exec(String(metaOf(pod).name));
  if (m === null || m[1] !== setName) return -1;
  const n = Number(m[2]);
  return n <= 2147483647 ? n : -1;
}

function revisionOf(pod: JsonObject): string | undefined {
  const labels = objAt(metaOf(pod), 'labels');
  return typeof labels[REVISION_LABEL] === 'string' ? labels[REVISION_LABEL] : undefined;
}

/** A Pod not created yet: what the controller would create (its status is empty). */
interface Planned {
  readonly planned: true;
  readonly ordinal: number;
  readonly revision: string;
  readonly template: JsonObject;
}

type Replica = JsonObject | Planned;

function isPlanned(r: Replica): r is Planned {
  return r.planned === true;
}

function isTerminating(pod: Replica): boolean {
  return !isPlanned(pod) && !!metaOf(pod).deletionTimestamp;
}

function isRunningAndReady(pod: Replica): boolean {
  return !isPlanned(pod) && phaseOf(pod) === 'Running' && isReady(pod);
}

/** The counts of the status, over created Pods. */
interface Counts {
  replicas: number;
  readyReplicas: number;
  availableReplicas: number;
  currentReplicas: number;
  updatedReplicas: number;
}

/** The revisions the status names, and the collision count. */
interface Revisions {
  readonly currentRevision: string;
  readonly updateRevision: string;
  readonly collisionCount: number;
}

/** Keeps each StatefulSet's Pods, claims, revisions and status current. */
export class StatefulSetController {
  constructor(
    private readonly s: ApiState,
    /** Calls back after `ms` (for `minReadySeconds`); the server clears these on stop. */
    private readonly later: (ms: number, task: () => void) => void,
  ) {}

  /** Observes a committed change (called synchronously by the storage). */
  observe(c: Change): void {
    if (c.resKey === tableOf(STATEFUL_SETS) && c.type !== 'DELETED') {
      this.s.schedule(() => this.sync(c.namespace, String(metaOf(c.object).name)));
    } else if (c.resKey === 'pods') {
      const owner = controllerOf(c.object);
      if (owner?.kind === 'StatefulSet')
        this.s.schedule(() => this.sync(c.namespace, String(owner.name)));
    }
  }

  /** Reconciles one StatefulSet. */
  sync(namespace: string, name: string): void {
    const set = this.s.storage.get(tableOf(STATEFUL_SETS), objectKey(namespace, name));
    if (set === undefined || metaOf(set).deletionTimestamp) return;
    const spec = objAt(set, 'spec');
    const template = objAt(spec, 'template');
    const revisions = revisionsOf(this.s, set);
    const update = updateRevision(
      this.s,
      set,
      revisions,
      { spec: { template: { ...template, $patch: 'replace' } } },
      objAt(objAt(template, 'metadata'), 'labels'),
      objAt(metaOf(set), 'annotations'),
      num(objAt(set, 'status').collisionCount),
    );
    const updateName = String(metaOf(update.revision).name);
    const currentName = objAt(set, 'status').currentRevision;
    const current =
      revisionsOf(this.s, set).find((r) => metaOf(r).name === currentName) ?? update.revision;
    const pods = ownedBy(this.s, PODS, set).filter((p) => ordinalOf(name, p) >= 0);
    const counts = this.#reconcile(set, pods, current, update.revision);
    this.#writeStatus(set, counts, {
      currentRevision: String(metaOf(current).name),
      updateRevision: updateName,
      collisionCount: update.collisionCount,
    });
    const live = new Set([String(metaOf(current).name), updateName]);
    for (const pod of pods) {
      const revision = revisionOf(pod);
      if (revision !== undefined) live.add(revision);
    }
    truncateHistory(this.s, revisionsOf(this.s, set), live, num(spec.revisionHistoryLimit, 10));
  }

  /** Creates and deletes Pods as `updateStatefulSet` does; the counts it reports. */
  #reconcile(
    set: JsonObject,
    pods: JsonObject[],
    currentRevision: JsonObject,
    updateRevision: JsonObject,
  ): Counts {
    const name = String(metaOf(set).name);
    const spec = objAt(set, 'spec');
    const replicaCount = num(spec.replicas, 1);
    const start = num(objAt(spec, 'ordinals').start);
    const end = start + replicaCount - 1;
    const minReady = num(spec.minReadySeconds);
    const now = Date.now();
    const currentName = String(metaOf(currentRevision).name);
    const updateName = String(metaOf(updateRevision).name);
    const strategy = objAt(spec, 'updateStrategy');
    const partition = isObject(strategy.rollingUpdate)
      ? num(strategy.rollingUpdate.partition)
      : undefined;
    const available = (pod: Replica) => !isPlanned(pod) && isAvailable(pod, minReady, now);
    const unavailable = (pod: Replica) => !available(pod) || isTerminating(pod);
    const replicas: Replica[] = [];
    const condemned: JsonObject[] = [];
    for (const pod of pods) {
      const ordinal = ordinalOf(name, pod);
      if (ordinal >= start && ordinal <= end) replicas[ordinal - start] = pod;
      else condemned.push(pod);
    }
    condemned.sort((a, b) => ordinalOf(name, b) - ordinalOf(name, a));
    for (let ordinal = start; ordinal <= end; ordinal++) {
      if (replicas[ordinal - start] !== undefined) continue;
      // Below the partition a Pod is made again at the current revision, as it was.
      const old =
        partition !== undefined && strategy.type !== 'OnDelete' && ordinal < start + partition;
      replicas[ordinal - start] = {
        planned: true,
        ordinal,
        revision: old ? currentName : updateName,
        template: revisionTemplate(old ? currentRevision : updateRevision),
      };
    }
    const firstUnavailable =
      replicas.find(unavailable) ?? [...condemned].reverse().find(unavailable);
    const counted = () =>
      this.#counts([...replicas, ...condemned], minReady, now, currentName, updateName);
    if (pods.some((p) => isReady(p) && !available(p)) && minReady > 0) {
      this.later(minReady * 1000, () =>
        this.sync(String(metaOf(set).namespace), String(metaOf(set).name)),
      );
    }
    const monotonic = spec.podManagementPolicy !== 'Parallel';
    for (const pod of replicas) {
      if (this.#processReplica(set, pod, monotonic, available) && monotonic) {
        return counted();
      }
    }
    for (const pod of condemned) {
      syncClaimOwners(this.s, set, ordinalOf(name, pod), podRef(pod), true);
    }
    for (const pod of condemned) {
      if (isTerminating(pod)) {
        if (monotonic) return counted();
        continue;
      }
      if (monotonic && pod !== firstUnavailable && (!isRunningAndReady(pod) || !available(pod))) {
        return counted();
      }
      this.#delete(set, pod);
      if (monotonic) return counted();
    }
    const counts = counted();
    if (strategy.type === 'OnDelete') return counts;
    for (let target = replicas.length - 1; target >= (partition ?? 0); target--) {
      const pod = replicas[target]!;
      if (!isPlanned(pod) && revisionOf(pod) !== updateName && !isTerminating(pod)) {
        this.#delete(set, pod);
        counts.currentReplicas--;
        break;
      }
      if (unavailable(pod)) break;
    }
    return counts;
  }

  /**
   * One replica's step (`processReplica`): true when an `OrderedReady` set must wait
   * (a Pod created, finished, terminating, not ready or not available yet).
   */
  #processReplica(
    set: JsonObject,
    pod: Replica,
    monotonic: boolean,
    available: (pod: Replica) => boolean,
  ): boolean {
    if (isPlanned(pod)) {
      this.#create(set, pod);
      return true;
    }
    const phase = phaseOf(pod);
    if (phase === 'Failed' || phase === 'Succeeded') {
      if (!metaOf(pod).deletionTimestamp) this.#delete(set, pod);
      return true;
    }
    const ordinal = ordinalOf(String(metaOf(set).name), pod);
    if (phase === 'Pending') {
      for (const claim of createClaims(this.s, set, ordinal)) this.#claimCreated(set, claim, pod);
      syncClaimOwners(this.s, set, ordinal, podRef(pod), false);
    }
    if (monotonic && (isTerminating(pod) || !isRunningAndReady(pod) || !available(pod))) {
      return true;
    }
    // `UpdateStatefulPod`: claims out of line with the retention policy make an update.
    if (syncClaimOwners(this.s, set, ordinal, podRef(pod), false)) {
      this.#event(set, 'SuccessfulUpdate', `Update Pod ${podRef(pod).name} in StatefulSet`);
    }
    return false;
  }

  #create(set: JsonObject, planned: Planned): void {
    const meta = metaOf(set);
    const name = `${String(meta.name)}-${planned.ordinal}`;
    const claims = createClaims(this.s, set, planned.ordinal);
    for (const claim of claims) this.#claimCreated(set, claim, { metadata: { name } });
    const pod = podFromTemplate(set, planned.template, {
      labels: {
        [POD_NAME_LABEL]: name,
        [POD_INDEX_LABEL]: String(planned.ordinal),
        [REVISION_LABEL]: planned.revision,
      },
    });
    const podMeta = metaOf(pod);
    podMeta.name = name;
    pod.metadata = podMeta;
    const podSpec = objAt(pod, 'spec');
    podSpec.hostname = name;
    const serviceName = objAt(set, 'spec').serviceName;
    if (typeof serviceName === 'string' && serviceName !== '') podSpec.subdomain = serviceName;
    const volumes = claimVolumes(set, planned.ordinal, podSpec.volumes);
    if (volumes.length > 0) podSpec.volumes = volumes;
    pod.spec = podSpec;
    createAs(this.s, MANAGER, PODS, String(meta.namespace), pod);
    syncClaimOwners(this.s, set, planned.ordinal, { name }, false);
    this.#event(set, 'SuccessfulCreate', `Create Pod ${name} in StatefulSet`);
  }

  #delete(set: JsonObject, pod: JsonObject): void {
    const name = String(metaOf(pod).name);
    deleteAs(this.s, PODS, String(metaOf(pod).namespace), name);
    this.#event(set, 'SuccessfulDelete', `Delete Pod ${name} in StatefulSet`);
  }

  /** `recordClaimEvent` for a claim created before `pod`. */
  #claimCreated(set: JsonObject, claim: string, pod: JsonObject): void {
    const what = `Create Claim ${claim} Pod ${String(metaOf(pod).name)} in StatefulSet`;
    this.#event(set, 'SuccessfulCreate', what, 'success');
  }

  /**
   * `recordPodEvent` (and `recordClaimEvent`): `<what> <set> successful` on the set, from
   * `statefulset-controller`.
   */
  #event(set: JsonObject, reason: string, what: string, outcome = 'successful'): void {
    const message = `${what} ${String(metaOf(set).name)} ${outcome}`;
    recordEvent(this.s, COMPONENT, set, 'Normal', reason, message);
  }

  #counts(
    pods: Replica[],
    minReady: number,
    now: number,
    currentName: string,
    updateName: string,
  ): Counts {
    const counts: Counts = {
      replicas: 0,
      readyReplicas: 0,
      availableReplicas: 0,
      currentReplicas: 0,
      updatedReplicas: 0,
    };
    for (const pod of pods) {
      // A Pod counts once the server gave it a phase; one planned in this pass does not.
      if (isPlanned(pod) || phaseOf(pod) === undefined || phaseOf(pod) === '') continue;
      counts.replicas++;
      if (isRunningAndReady(pod)) {
        counts.readyReplicas++;
        if (isAvailable(pod, minReady, now)) counts.availableReplicas++;
      }
      if (isTerminating(pod)) continue;
      const revision = revisionOf(pod);
      if (revision === currentName) counts.currentReplicas++;
      if (revision === updateName) counts.updatedReplicas++;
    }
    return counts;
  }

  /**
   * Writes the status as the real controller's `UpdateStatefulSetStatus` does: a finished
   * rolling update makes the update revision current; nothing is written unless a count,
   * a revision or the observed generation changed.
   */
  #writeStatus(set: JsonObject, counts: Counts, revisions: Revisions): void {
    const spec = objAt(set, 'spec');
    const replicas = num(spec.replicas, 1);
    let { currentRevision } = revisions;
    let current = counts.currentReplicas;
    if (
      objAt(spec, 'updateStrategy').type !== 'OnDelete' &&
      counts.updatedReplicas === replicas &&
      counts.readyReplicas === replicas &&
      counts.replicas === replicas
    ) {
      current = counts.updatedReplicas;
      currentRevision = revisions.updateRevision;
    }
    const generation = num(metaOf(set).generation, 1);
    // The fields in the order of the StatefulSetStatus struct, the empty ones left out.
    const status: JsonObject = { observedGeneration: generation, replicas: counts.replicas };
    if (counts.readyReplicas !== 0) status.readyReplicas = counts.readyReplicas;
    if (current !== 0) status.currentReplicas = current;
    if (counts.updatedReplicas !== 0) status.updatedReplicas = counts.updatedReplicas;
    status.currentRevision = currentRevision;
    status.updateRevision = revisions.updateRevision;
    status.collisionCount = revisions.collisionCount;
    status.availableReplicas = counts.availableReplicas;
    const old = objAt(set, 'status');
    const compared = [
      'replicas',
      'readyReplicas',
      'currentReplicas',
      'updatedReplicas',
      'currentRevision',
      'updateRevision',
      'availableReplicas',
    ];
    const changed =
      generation > num(old.observedGeneration) ||
      compared.some((f) => (status[f] ?? 0) !== (old[f] ?? 0));
    if (changed) writeStatus(this.s, MANAGER, STATEFUL_SETS, set, status);
  }
}

/** The Pod's name and uid, as its claims refer to it. */
function podRef(pod: JsonObject): { name: string; uid: string } {
  return { name: String(metaOf(pod).name), uid: String(metaOf(pod).uid) };
}
