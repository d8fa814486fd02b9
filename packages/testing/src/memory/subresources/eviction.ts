/**
 * `POST pods/{name}/eviction`: deletes the Pod with the Eviction's delete options unless a
 * PodDisruptionBudget forbids it, as kube-apiserver's eviction subresource decides (own
 * code: the order of its checks decides which answer a test sees). Pods that are
 * Pending, Succeeded, Failed or already being deleted, and Pods no budget selects, are
 * evicted at once; more than one budget is a 500; a Pod that is not Ready is evicted
 * without using the budget when `unhealthyPodEvictionPolicy` is `AlwaysAllow`, or (the
 * default `IfHealthyBudget`) when the budget is currently met; otherwise the budget must
 * allow a disruption: it is used up (`disruptionsAllowed` decremented, the Pod recorded
 * in `disruptedPods`) and the Pod deleted, or the eviction is refused with 429.
 */
import { deleteObject, deleteOptionsFrom } from '../deletion.js';
import { badRequest, HttpStatusError } from '../errors.js';
import { isObject, type Json, type JsonObject, num } from '../json.js';
import { metaOf } from '../object-meta.js';
import { type ApiState, timestamp } from '../state.js';
import { getStored, type Scope } from '../write-scope.js';
import { budgetsOf, isPodReady, writeBudgetStatus } from './disruption-budgets.js';

const REFUSED = "Cannot evict pod as it would violate the pod's disruption budget.";

function tooManyRequests(cause: string): HttpStatusError {
  return new HttpStatusError(429, 'TooManyRequests', REFUSED, {
    causes: [{ reason: 'DisruptionBudget', message: cause }],
  });
}

/** Pods kube-apiserver evicts without asking their budget. */
function canIgnoreBudget(pod: JsonObject): boolean {
  const phase = isObject(pod.status) ? pod.status.phase : undefined;
  return (
    phase === 'Pending' ||
    phase === 'Succeeded' ||
    phase === 'Failed' ||
    phase === undefined ||
    metaOf(pod).deletionTimestamp !== undefined
  );
}

/** Uses up one disruption of the budget for the Pod, or throws the refusal. */
function useBudget(s: ApiState, pdb: JsonObject, pod: string, dryRun: boolean): void {
  const meta = metaOf(pdb);
  const status = isObject(pdb.status) ? pdb.status : {};
  const observed = num(status.observedGeneration);
  if (observed < Number(meta.generation ?? 1)) {
    throw tooManyRequests(
      `The disruption budget ${String(meta.name)} is still being processed by the server.`,
    );
  }
  const allowed = num(status.disruptionsAllowed);
  if (allowed < 0) {
    throw new HttpStatusError(403, 'Forbidden', 'pdb disruptions allowed is negative');
  }
  if (allowed === 0) {
    throw tooManyRequests(
      `The disruption budget ${String(meta.name)} needs ${Number(status.desiredHealthy ?? 0)} healthy pods and has ${Number(status.currentHealthy ?? 0)} currently`,
    );
  }
  if (dryRun) return;
  const disrupted = isObject(status.disruptedPods) ? status.disruptedPods : {};
  writeBudgetStatus(
    s,
    pdb,
    {
      ...status,
      disruptionsAllowed: allowed - 1,
      disruptedPods: { ...disrupted, [pod]: timestamp() },
    },
    'kube-apiserver',
  );
}

/** Evicts the Pod `name`; the Status to answer with (HTTP 201). */
export function evictPod(
  s: ApiState,
  sc: Scope,
  name: string,
  body: Json,
  query: URLSearchParams,
): JsonObject {
  if (!isObject(body) || body.kind !== 'Eviction') {
    throw badRequest('the body of the request must be a policy/v1 Eviction');
  }
  const evictionName = metaOf(body).name;
  if (evictionName !== undefined && evictionName !== name) {
    throw badRequest('name in URL does not match name in Eviction object');
  }
  const pod = getStored(s, sc, name);
  const options = deleteOptionsFrom(
    isObject(body.deleteOptions) ? body.deleteOptions : undefined,
    query,
  );
  const budgets = canIgnoreBudget(pod) ? [] : budgetsOf(s, pod);
  if (budgets.length > 1) {
    throw new HttpStatusError(
      500,
      'InternalError',
      'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.',
    );
  }
  const pdb = budgets[0];
  if (pdb && !unhealthyMayGo(pdb, pod)) {
    useBudget(s, pdb, name, options.dryRun === true);
  }
  deleteObject(s, sc, name, options);
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 };
}

/** A Pod that is not Ready may go without using the budget (by its unhealthy-pod policy). */
function unhealthyMayGo(pdb: JsonObject, pod: JsonObject): boolean {
  if (isPodReady(pod)) return false;
  const spec = isObject(pdb.spec) ? pdb.spec : {};
  if (spec.unhealthyPodEvictionPolicy === 'AlwaysAllow') return true;
  const status = isObject(pdb.status) ? pdb.status : {};
  const desired = Number(status.desiredHealthy ?? 0);
  return Number(status.currentHealthy ?? 0) >= desired && desired > 0;
}
