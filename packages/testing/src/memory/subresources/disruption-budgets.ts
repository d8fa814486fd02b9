/**
 * kube-controller-manager's disruption controller, for what eviction reads: the status of
 * every PodDisruptionBudget (policy/v1) from the Pods its selector picks in its namespace
 * (an empty selector picks all). `minAvailable` as a number counts the selected Pods as
 * expected; `maxUnavailable` and percentages count the `spec.replicas` of the Pods'
 * controllers (ReplicaSets, StatefulSets, ReplicationControllers; Pods without one count
 * for nothing, as the real controller ignores unmanaged Pods). A Pod is healthy when it is
 * not being deleted and its `Ready` condition is `True`. Recomputed after every change of
 * a Pod or a budget in the namespace, and written through `status` by
 * `kube-controller-manager`.
 */
import { selectorOf } from '../admission/matching.js';
import type { Change } from '../history.js';
import { isObject, type JsonObject } from '../json.js';
import { metaOf } from '../object-meta.js';
import { matchLabels } from '../selectors.js';
import { type ApiState, timestamp } from '../state.js';
import { objectKey } from '../storage.js';
import { commitUpdate } from '../update-object.js';

const PDB_KEY = 'poddisruptionbudgets.policy';
const CONTROLLERS: Record<string, string> = {
  ReplicaSet: 'replicasets.apps',
  StatefulSet: 'statefulsets.apps',
  ReplicationController: 'replicationcontrollers',
};

/** Whether a Pod's `Ready` condition is `True`. */
export function isPodReady(pod: JsonObject): boolean {
  const status = isObject(pod.status) ? pod.status : {};
  const conditions = Array.isArray(status.conditions) ? status.conditions.filter(isObject) : [];
  return conditions.some((c) => c.type === 'Ready' && c.status === 'True');
}

/** The budgets whose selector picks the Pod. */
export function budgetsOf(s: ApiState, pod: JsonObject): JsonObject[] {
  const meta = metaOf(pod);
  const labels = meta.labels as Record<string, string> | undefined;
  const out: JsonObject[] = [];
  for (const [, pdb] of s.storage.scan(PDB_KEY, String(meta.namespace ?? ''))) {
    const spec = isObject(pdb.spec) ? pdb.spec : {};
    if (matchLabels(selectorOf(spec.selector ?? {}), labels)) out.push(pdb);
  }
  return out;
}

/** `value` of an IntOrString against `total` (percentages rounded up, as Go's helper does). */
function scaled(value: unknown, total: number): number {
  if (typeof value === 'number') return value;
  const m = /^(\d+)%$/.exec(String(value));
  return m ? Math.ceil((Number(m[1]) * total) / 100) : 0;
}

/** The sum of `spec.replicas` of the selected Pods' controllers. */
function controllersScale(s: ApiState, pods: JsonObject[]): number {
  const seen = new Map<string, number>();
  for (const pod of pods) {
    const refs = metaOf(pod).ownerReferences;
    const ref = Array.isArray(refs)
      ? refs.filter(isObject).find((r) => r.controller === true)
      : undefined;
    const key = ref ? CONTROLLERS[String(ref.kind)] : undefined;
    if (!ref || !key || seen.has(String(ref.uid))) continue;
    const owner = s.storage.get(key, objectKey(String(metaOf(pod).namespace), String(ref.name)));
    const spec = owner && isObject(owner.spec) ? owner.spec : {};
    seen.set(String(ref.uid), typeof spec.replicas === 'number' ? spec.replicas : 1);
  }
  return [...seen.values()].reduce((a, b) => a + b, 0);
}

/** The status the disruption controller computes for a budget. */
export function budgetStatus(s: ApiState, pdb: JsonObject): JsonObject {
  const meta = metaOf(pdb);
  const spec = isObject(pdb.spec) ? pdb.spec : {};
  const selector = selectorOf(spec.selector ?? {});
  const pods: JsonObject[] = [];
  for (const [, pod] of s.storage.scan('pods', String(meta.namespace ?? ''))) {
    if (matchLabels(selector, metaOf(pod).labels as Record<string, string> | undefined)) {
      pods.push(pod);
    }
  }
  let expectedPods: number;
  let desiredHealthy: number;
  if (typeof spec.minAvailable === 'number') {
    expectedPods = pods.length;
    desiredHealthy = spec.minAvailable;
  } else {
    expectedPods = controllersScale(s, pods);
    desiredHealthy =
      spec.maxUnavailable !== undefined
        ? expectedPods - scaled(spec.maxUnavailable, expectedPods)
        : scaled(spec.minAvailable, expectedPods);
  }
  desiredHealthy = Math.max(0, desiredHealthy);
  const currentHealthy = pods.filter((p) => !metaOf(p).deletionTimestamp && isPodReady(p)).length;
  const previous = isObject(pdb.status) ? pdb.status : {};
  const disrupted = isObject(previous.disruptedPods) ? { ...previous.disruptedPods } : {};
  for (const name of Object.keys(disrupted)) {
    const pod = pods.find((p) => metaOf(p).name === name);
    if (!pod || metaOf(pod).deletionTimestamp) delete disrupted[name];
  }
  const disruptionsAllowed = Math.max(
    0,
    currentHealthy - desiredHealthy - Object.keys(disrupted).length,
  );
  const allowed = disruptionsAllowed > 0;
  const old = Array.isArray(previous.conditions)
    ? previous.conditions.filter(isObject).find((c) => c.type === 'DisruptionAllowed')
    : undefined;
  const condStatus = allowed ? 'True' : 'False';
  const status: JsonObject = {
    observedGeneration: meta.generation ?? 1,
  };
  if (Object.keys(disrupted).length) status.disruptedPods = disrupted;
  Object.assign(status, {
    disruptionsAllowed,
    currentHealthy,
    desiredHealthy,
    expectedPods,
    conditions: [
      {
        type: 'DisruptionAllowed',
        status: condStatus,
        observedGeneration: meta.generation ?? 1,
        lastTransitionTime:
          old?.status === condStatus && typeof old.lastTransitionTime === 'string'
            ? old.lastTransitionTime
            : timestamp(),
        reason: allowed ? 'SufficientPods' : 'InsufficientPods',
        message: '',
      },
    ],
  });
  return status;
}

/** Keeps every PodDisruptionBudget's status current. */
export class DisruptionController {
  constructor(private readonly s: ApiState) {}

  /** Observes a committed change (called synchronously by the storage). */
  observe(c: Change): void {
    if ((c.resKey === 'pods' || c.resKey === PDB_KEY) && c.namespace) {
      this.s.schedule(() => this.sync(c.namespace));
    }
  }

  /** Recomputes the budgets of a namespace, writing those whose status changed. */
  sync(namespace: string): void {
    for (const [, pdb] of [...this.s.storage.scan(PDB_KEY, namespace)]) {
      writeBudgetStatus(this.s, pdb, budgetStatus(this.s, pdb), 'kube-controller-manager');
    }
  }
}

/** Writes a budget's status through `status` if it differs; the stored budget. */
export function writeBudgetStatus(
  s: ApiState,
  pdb: JsonObject,
  status: JsonObject,
  manager: string,
): JsonObject {
  const t = s.registry.find('policy', 'v1', 'poddisruptionbudgets');
  if (!t || JSON.stringify(status) === JSON.stringify(pdb.status ?? {})) return pdb;
  const namespace = String(metaOf(pdb).namespace ?? '');
  return commitUpdate(
    s,
    { t, version: 'v1', namespace },
    pdb,
    { ...structuredClone(pdb), status },
    { defaultManager: manager },
    { subresource: 'status' },
  );
}
