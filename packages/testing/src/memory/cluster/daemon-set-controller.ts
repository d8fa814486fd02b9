/**
 * kube-controller-manager's DaemonSet controller: one Pod (`<daemonset>-xxxxx`, owned) on
 * each Node its template's `nodeSelector` and required node affinity allow, made from the
 * template with the `controller-revision-hash` and `pod-template-generation` labels, the
 * tolerations the controller adds (`node.kubernetes.io/not-ready` and `unreachable`
 * NoExecute; `disk-pressure`, `memory-pressure`, `pid-pressure` and `unschedulable`
 * NoSchedule; `network-unavailable` with `hostNetwork`) and a required node affinity to
 * its Node's name (replacing the template's required terms). A Pod on a Node it may not
 * run on, a second Pod on a Node, and a failed or succeeded Pod (with a `FailedDaemonPod` or
 * `SucceededDaemonPod` Event) are deleted. A ControllerRevision per
 * template (`<daemonset>-<hash>`, labelled with the template's labels and the hash);
 * `RollingUpdate` replaces the Pods of older revisions, at most `maxUnavailable` Nodes
 * without an available Pod at a time; `OnDelete` only replaces Pods a client deleted.
 * Status as the real controller counts it; each Pod created or deleted is an Event on the
 * DaemonSet from `daemonset-controller` (pod-control.ts). Without Nodes it schedules
 * nothing. Taints, `maxSurge` and failed-Pod back-off are not simulated.
 */

import { goMapJson } from '../go-json.js';
import type { Change } from '../history.js';
import { deepEqual, type JsonObject, num, objAt, objects } from '../json.js';
import { metaOf } from '../object-meta.js';
import type { ApiState } from '../state.js';
import { objectKey } from '../storage.js';
import { recordEvent } from './events.js';
import { fitsNode } from './node-affinity.js';
import { createPod, deletePod } from './pod-control.js';
import { isAvailable, isReady, podFromTemplate } from './pod-template.js';
import { podTemplateHash } from './template-hash.js';
import {
  CONTROLLER_REVISIONS,
  controllerOf,
  createAs,
  DAEMON_SETS,
  deleteAs,
  NODES,
  ownedBy,
  ownerReference,
  PODS,
  tableOf,
  updateAs,
  writeStatus,
} from './writes.js';

const MANAGER = 'kube-controller-manager';
/** The recorder's `source.component`. */
const COMPONENT = 'daemonset-controller';
const HASH_LABEL = 'controller-revision-hash';
const GENERATION_LABEL = 'pod-template-generation';
const GENERATION_ANNOTATION = 'deprecated.daemonset.template.generation';

function labelOf(obj: JsonObject, key: string): string | undefined {
  const v = objAt(metaOf(obj), 'labels')[key];
  return typeof v === 'string' ? v : undefined;
}

/** The tolerations every daemon Pod gets (`AddOrUpdateDaemonPodTolerations`). */
function daemonTolerations(hostNetwork: boolean): JsonObject[] {
  const taint = (key: string, effect: string) => ({
    key: `node.kubernetes.io/${key}`,
    operator: 'Exists',
    effect,
  });
  return [
    taint('not-ready', 'NoExecute'),
    taint('unreachable', 'NoExecute'),
    taint('disk-pressure', 'NoSchedule'),
    taint('memory-pressure', 'NoSchedule'),
    taint('pid-pressure', 'NoSchedule'),
    taint('unschedulable', 'NoSchedule'),
    ...(hostNetwork ? [taint('network-unavailable', 'NoSchedule')] : []),
  ];
}

/** The template's tolerations with the daemon ones added, an equal one replaced in place. */
function withTolerations(spec: JsonObject): JsonObject[] {
  const out = objects(spec.tolerations).map((t) => ({ ...t }));
  for (const add of daemonTolerations(spec.hostNetwork === true)) {
    const same = out.findIndex(
      (t) =>
        t.key === add.key &&
        t.effect === add.effect &&
        (t.operator ?? 'Equal') === add.operator &&
        (t.value ?? '') === '',
    );
    if (same >= 0) out[same] = add;
    else out.push(add);
  }
  return out;
}

/** The node a daemon Pod is for: its `nodeName`, or the name its required affinity names. */
function targetNode(pod: JsonObject): string | undefined {
  const spec = objAt(pod, 'spec');
  if (typeof spec.nodeName === 'string' && spec.nodeName !== '') return spec.nodeName;
  const terms = objects(
    objAt(
      objAt(objAt(spec, 'affinity'), 'nodeAffinity'),
      'requiredDuringSchedulingIgnoredDuringExecution',
    ).nodeSelectorTerms,
  );
  for (const term of terms) {
    for (const req of objects(term.matchFields)) {
      const values = Array.isArray(req.values) ? req.values : [];
      if (req.key === 'metadata.name' && req.operator === 'In' && values.length === 1) {
        return String(values[0]);
      }
    }
  }
  return undefined;
}

function isTerminal(pod: JsonObject): boolean {
  const phase = objAt(pod, 'status').phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

function oldestFirst(a: JsonObject, b: JsonObject): number {
  return String(metaOf(a).creationTimestamp).localeCompare(String(metaOf(b).creationTimestamp));
}

/** Keeps each DaemonSet's Pods, revisions and status current. */
export class DaemonSetController {
  constructor(private readonly s: ApiState) {}

  /** Observes a committed change (called synchronously by the storage). */
  observe(c: Change): void {
    if (c.resKey === tableOf(DAEMON_SETS) && c.type !== 'DELETED') {
      this.s.schedule(() => this.sync(c.namespace, String(metaOf(c.object).name)));
    } else if (c.resKey === 'pods') {
      const owner = controllerOf(c.object);
      if (owner?.kind === 'DaemonSet')
        this.s.schedule(() => this.sync(c.namespace, String(owner.name)));
    } else if (c.resKey === tableOf(NODES)) {
      this.s.schedule(() => {
        for (const [, ds] of [...this.s.storage.scan(tableOf(DAEMON_SETS))]) {
          this.sync(String(metaOf(ds).namespace), String(metaOf(ds).name));
        }
      });
    }
  }

  /** Reconciles one DaemonSet. */
  sync(namespace: string, name: string): void {
    const ds = this.s.storage.get(tableOf(DAEMON_SETS), objectKey(namespace, name));
    if (ds === undefined || metaOf(ds).deletionTimestamp) return;
    const spec = objAt(ds, 'spec');
    const hash = labelOf(this.#currentRevision(ds), HASH_LABEL) ?? '';
    const generation = objAt(metaOf(ds), 'annotations')[GENERATION_ANNOTATION];
    const nodes = [...this.s.storage.scan(tableOf(NODES))].map(([, n]) => n);
    const byNode = new Map<string, JsonObject[]>();
    for (const pod of ownedBy(this.s, PODS, ds)) {
      if (isTerminal(pod) && metaOf(pod).deletionTimestamp) continue;
      const node = targetNode(pod);
      if (node === undefined) continue;
      byNode.set(node, [...(byNode.get(node) ?? []), pod].sort(oldestFirst));
    }
    const template = objAt(spec, 'template');
    const templateSpec = objAt(template, 'spec');
    const minReady = num(spec.minReadySeconds);
    const now = Date.now();
    let changed = false;
    for (const node of nodes) {
      const nodeName = String(metaOf(node).name);
      const pods = byNode.get(nodeName) ?? [];
      const live = pods.filter((p) => !metaOf(p).deletionTimestamp);
      if (!fitsNode(templateSpec, node)) {
        for (const pod of live) changed = this.#delete(ds, pod) || changed;
        continue;
      }
      if (pods.length === 0) {
        this.#create(ds, nodeName, hash, generation);
        changed = true;
        continue;
      }
      for (const pod of live.filter(isTerminal)) {
        this.#terminalEvent(ds, pod, nodeName);
        changed = this.#delete(ds, pod) || changed;
      }
      const running = live.filter((p) => !isTerminal(p));
      for (const pod of running.slice(1)) changed = this.#delete(ds, pod) || changed;
    }
    if (!changed && objAt(spec, 'updateStrategy').type !== 'OnDelete') {
      this.#rollingUpdate(ds, nodes, byNode, hash, minReady, now);
    }
    this.#writeStatus(ds, nodes, byNode, hash, generation, minReady, now);
  }

  /** The revision of the current template, made or renumbered as `constructHistory` does. */
  #currentRevision(ds: JsonObject): JsonObject {
    const template = objAt(objAt(ds, 'spec'), 'template');
    const data = JSON.parse(goMapJson({ spec: { template: { ...template, $patch: 'replace' } } }));
    const revisions = ownedBy(this.s, CONTROLLER_REVISIONS, ds);
    const matching = revisions.filter((r) => deepEqual(r.data, data));
    const others = revisions.filter((r) => !matching.includes(r));
    const next = 1 + Math.max(0, ...others.map((r) => num(r.revision)));
    const current = matching.sort((a, b) => num(b.revision) - num(a.revision))[0];
    this.#truncateHistory(ds, others);
    if (current !== undefined) {
      if (num(current.revision) >= next) return current;
      return updateAs(this.s, MANAGER, CONTROLLER_REVISIONS, current, (copy) => {
        copy.revision = next;
      });
    }
    const meta = metaOf(ds);
    const namespace = String(meta.namespace);
    for (let count = num(objAt(ds, 'status').collisionCount); ; count++) {
      const hash = podTemplateHash(template, count || undefined);
      const name = `${String(meta.name)}-${hash}`;
      const taken = this.s.storage.get(tableOf(CONTROLLER_REVISIONS), objectKey(namespace, name));
      if (taken !== undefined) continue;
      const annotations = objAt(meta, 'annotations');
      return createAs(this.s, MANAGER, CONTROLLER_REVISIONS, namespace, {
        apiVersion: 'apps/v1',
        kind: 'ControllerRevision',
        metadata: {
          name,
          labels: { ...objAt(objAt(template, 'metadata'), 'labels'), [HASH_LABEL]: hash },
          ...(Object.keys(annotations).length > 0 ? { annotations: { ...annotations } } : {}),
          ownerReferences: [ownerReference(ds)],
        },
        data,
        revision: next,
      });
    }
  }

  /** Deletes the oldest old revisions no Pod runs beyond `revisionHistoryLimit`. */
  #truncateHistory(ds: JsonObject, old: JsonObject[]): void {
    let toKill = old.length - num(objAt(ds, 'spec').revisionHistoryLimit, 10);
    if (toKill <= 0) return;
    const live = new Set(ownedBy(this.s, PODS, ds).map((p) => labelOf(p, HASH_LABEL)));
    for (const r of [...old].sort((a, b) => num(a.revision) - num(b.revision))) {
      if (toKill <= 0) break;
      if (live.has(labelOf(r, HASH_LABEL))) continue;
      deleteAs(this.s, CONTROLLER_REVISIONS, String(metaOf(r).namespace), String(metaOf(r).name));
      toKill--;
    }
  }

  #create(ds: JsonObject, nodeName: string, hash: string, generation: unknown): void {
    const template = structuredClone(objAt(objAt(ds, 'spec'), 'template'));
    const tm = objAt(template, 'metadata');
    tm.labels = {
      ...objAt(tm, 'labels'),
      ...(typeof generation === 'string' ? { [GENERATION_LABEL]: generation } : {}),
      [HASH_LABEL]: hash,
    };
    template.metadata = tm;
    const spec = objAt(template, 'spec');
    spec.tolerations = withTolerations(spec);
    const affinity = objAt(spec, 'affinity');
    affinity.nodeAffinity = {
      ...objAt(affinity, 'nodeAffinity'),
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [
          { matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] },
        ],
      },
    };
    spec.affinity = affinity;
    template.spec = spec;
    createPod(this.s, COMPONENT, ds, String(metaOf(ds).namespace), podFromTemplate(ds, template));
  }

  /** Deletes a Pod unless it is being deleted; whether it deleted. */
  #delete(ds: JsonObject, pod: JsonObject): boolean {
    if (metaOf(pod).deletionTimestamp) return false;
    deletePod(this.s, COMPONENT, ds, pod);
    return true;
  }

  /** The Event that says a finished daemon Pod is deleted (`podsShouldBeOnNode`). */
  #terminalEvent(ds: JsonObject, pod: JsonObject, nodeName: string): void {
    const meta = metaOf(pod);
    const which = `${String(meta.namespace)}/${String(meta.name)} on node ${nodeName}`;
    if (objAt(pod, 'status').phase === 'Failed') {
      const message = `Found failed daemon pod ${which}, will try to kill it`;
      recordEvent(this.s, COMPONENT, ds, 'Warning', 'FailedDaemonPod', message);
    } else {
      const message = `Found succeeded daemon pod ${which}, will try to delete it`;
      recordEvent(this.s, COMPONENT, ds, 'Normal', 'SucceededDaemonPod', message);
    }
  }

  /**
   * Replaces Pods of older revisions (`rollingUpdate` without surge): an unavailable old
   * Pod at once, available ones while fewer than `maxUnavailable` Nodes lack an available
   * Pod.
   */
  #rollingUpdate(
    ds: JsonObject,
    nodes: JsonObject[],
    byNode: Map<string, JsonObject[]>,
    hash: string,
    minReady: number,
    now: number,
  ): void {
    const templateSpec = objAt(objAt(objAt(ds, 'spec'), 'template'), 'spec');
    const wanted = nodes.filter((n) => fitsNode(templateSpec, n));
    const ru = objAt(objAt(objAt(ds, 'spec'), 'updateStrategy'), 'rollingUpdate');
    const raw = ru.maxUnavailable ?? 1;
    const percent = typeof raw === 'string' ? /^(\d+)%$/.exec(raw) : null;
    const maxUnavailable = Math.max(
      1,
      percent ? Math.ceil((Number(percent[1]) * wanted.length) / 100) : num(raw, 1),
    );
    let unavailable = 0;
    const replace: JsonObject[] = [];
    const candidates: JsonObject[] = [];
    for (const node of wanted) {
      const pods = (byNode.get(String(metaOf(node).name)) ?? []).filter(
        (p) => !metaOf(p).deletionTimestamp,
      );
      const fresh = pods.find((p) => labelOf(p, HASH_LABEL) === hash);
      const old = pods.find((p) => labelOf(p, HASH_LABEL) !== hash);
      if (fresh !== undefined && old === undefined) {
        if (!isAvailable(fresh, minReady, now)) unavailable++;
      } else if (old !== undefined && fresh === undefined) {
        if (isAvailable(old, minReady, now)) candidates.push(old);
        else replace.push(old);
      }
    }
    const room = Math.max(0, maxUnavailable - unavailable - replace.length);
    for (const pod of [...replace, ...candidates.slice(0, room)]) this.#delete(ds, pod);
  }

  #writeStatus(
    ds: JsonObject,
    nodes: JsonObject[],
    byNode: Map<string, JsonObject[]>,
    hash: string,
    generation: unknown,
    minReady: number,
    now: number,
  ): void {
    const templateSpec = objAt(objAt(objAt(ds, 'spec'), 'template'), 'spec');
    let desired = 0;
    let current = 0;
    let misscheduled = 0;
    let ready = 0;
    let updated = 0;
    let available = 0;
    for (const node of nodes) {
      const pods = byNode.get(String(metaOf(node).name)) ?? [];
      if (!fitsNode(templateSpec, node)) {
        if (pods.length > 0) misscheduled++;
        continue;
      }
      desired++;
      const pod = pods[0];
      if (pod === undefined) continue;
      current++;
      if (isReady(pod)) {
        ready++;
        if (isAvailable(pod, minReady, now)) available++;
      }
      // `IsPodUpdated`: the revision's hash, or the template generation.
      if (
        (hash !== '' && labelOf(pod, HASH_LABEL) === hash) ||
        (typeof generation === 'string' && labelOf(pod, GENERATION_LABEL) === generation)
      ) {
        updated++;
      }
    }
    const old = objAt(ds, 'status');
    const generationNow = num(metaOf(ds).generation, 1);
    const counts: Record<string, number> = {
      currentNumberScheduled: current,
      numberMisscheduled: misscheduled,
      desiredNumberScheduled: desired,
      numberReady: ready,
      updatedNumberScheduled: updated,
      numberAvailable: available,
      numberUnavailable: desired - available,
    };
    const same =
      Object.entries(counts).every(([k, v]) => num(old[k]) === v) &&
      num(old.observedGeneration) >= generationNow;
    if (same) return;
    // The fields in the order of the DaemonSetStatus struct, the empty optional ones left out.
    const status: JsonObject = {
      currentNumberScheduled: current,
      numberMisscheduled: misscheduled,
      desiredNumberScheduled: desired,
      numberReady: ready,
      observedGeneration: generationNow,
    };
    if (updated !== 0) status.updatedNumberScheduled = updated;
    if (available !== 0) status.numberAvailable = available;
    if (desired - available !== 0) status.numberUnavailable = desired - available;
    if (old.collisionCount !== undefined) status.collisionCount = old.collisionCount;
    if (old.conditions !== undefined) status.conditions = old.conditions;
    writeStatus(this.s, MANAGER, DAEMON_SETS, ds, status);
  }
}
