/**
 * kube-apiserver's `Priority` admission plugin (own code, for its decisions and words):
 * a new Pod gets the priority and preemption policy of its `priorityClassName` (or of the
 * global default class, else 0 and `PreemptLowerPriority`), and a PriorityClass may be the
 * global default only while no other one is. Refusals are 403 Forbidden, as the plugin's.
 */
import { isObject, type JsonObject } from '../json.js';
import type { ApiState } from '../state.js';
import type { Scope } from '../write-scope.js';
import { admissionForbidden } from './forbidden.js';

const CLASSES = 'priorityclasses.scheduling.k8s.io';

/** The global default class: of several, the one with the lowest value. */
function defaultClass(s: ApiState): JsonObject | undefined {
  let found: JsonObject | undefined;
  for (const [, pc] of s.storage.scan(CLASSES)) {
    if (pc.globalDefault !== true) continue;
    if (!found || Number(found.value ?? 0) > Number(pc.value ?? 0)) found = pc;
  }
  return found;
}

const nameOf = (o: JsonObject) => String(isObject(o.metadata) ? o.metadata.name : '');

/** Why a pod's own priority field is refused: it differs from what its class gives. */
function disagrees(what: string, given: string | number, computed: string | number): string {
  return `the ${what} (${given}) must not be provided in pod spec; priority admission controller computed ${computed} from the given PriorityClass name`;
}

/** Sets a Pod's priority fields at create, or refuses it (403). */
export function admitPodPriority(s: ApiState, sc: Scope, name: string, pod: JsonObject): void {
  if (sc.t.group !== '' || sc.t.plural !== 'pods') return;
  if (!isObject(pod.spec)) pod.spec = {};
  const spec = pod.spec as JsonObject;
  const className = typeof spec.priorityClassName === 'string' ? spec.priorityClassName : '';
  let pc: JsonObject | undefined;
  if (className !== '') {
    pc = s.storage.get(CLASSES, className);
    if (!pc) admissionForbidden(sc.t, name, `no PriorityClass with name ${className} was found`);
  } else pc = defaultClass(s);
  const priority = Number(pc?.value ?? 0);
  const policy = pc ? pc.preemptionPolicy : 'PreemptLowerPriority';
  if (pc) spec.priorityClassName = nameOf(pc);
  if (typeof spec.priority === 'number' && spec.priority !== priority)
    admissionForbidden(sc.t, name, disagrees('integer value of priority', spec.priority, priority));
  spec.priority = priority;
  if (typeof policy !== 'string') return;
  if (typeof spec.preemptionPolicy === 'string' && spec.preemptionPolicy !== policy)
    admissionForbidden(
      sc.t,
      name,
      disagrees('string value of PreemptionPolicy', spec.preemptionPolicy, policy),
    );
  spec.preemptionPolicy = policy;
}

/** Refuses (403) a second global default PriorityClass, on create and update. */
export function validatePriorityClass(
  s: ApiState,
  sc: Scope,
  name: string,
  obj: JsonObject,
  old: JsonObject | undefined,
): void {
  if (sc.t.group !== 'scheduling.k8s.io' || sc.t.plural !== 'priorityclasses') return;
  if (obj.globalDefault !== true) return;
  const current = defaultClass(s);
  if (!current || (old && nameOf(current) === name)) return;
  admissionForbidden(
    sc.t,
    name,
    `PriorityClass ${nameOf(current)} is already marked as default. Only one default can exist`,
  );
}
