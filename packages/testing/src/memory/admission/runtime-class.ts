/**
 * kube-apiserver's `RuntimeClass` admission plugin for new Pods (own code, for its
 * decisions and words): the Pod's `runtimeClassName` must name a RuntimeClass, whose
 * `overhead.podFixed` becomes the Pod's `overhead` (a different one sent is refused) and
 * whose `scheduling` node selector and tolerations are merged into the Pod's (a selector
 * value that disagrees is refused); after validation, a Pod whose overhead the class does
 * not define is refused. Refusals are 403 Forbidden, as the plugin's (an empty
 * `runtimeClassName` is a 500, as its lister's).
 */
import { Quantity } from '@kube-ts/schema/validation';
import { HttpStatusError } from '../errors.js';
import { deepEqual, isObject, type Json, type JsonObject, optNum, str } from '../json.js';
import type { ApiState } from '../state.js';
import type { Scope } from '../write-scope.js';
import { admissionForbidden } from './forbidden.js';

const CLASSES = 'runtimeclasses.node.k8s.io';

const isPodCreate = (sc: Scope) => sc.t.group === '' && sc.t.plural === 'pods';

/** The Pod's RuntimeClass, or a 403 when it names none that exists. */
function classOf(s: ApiState, sc: Scope, name: string, spec: JsonObject): JsonObject | undefined {
  const className = spec.runtimeClassName;
  if (typeof className !== 'string') return undefined;
  // The plugin's lister refuses an empty name with a bare 500 (not the plugin's 403).
  if (className === '') throw new HttpStatusError(500, '', 'resource name may not be empty');
  const rc = s.storage.get(CLASSES, className);
  if (!rc)
    admissionForbidden(
      sc.t,
      name,
      `pod rejected: RuntimeClass ${JSON.stringify(className)} not found`,
    );
  return rc;
}

const podFixed = (rc: JsonObject | undefined): JsonObject | undefined => {
  const overhead = rc && isObject(rc.overhead) ? rc.overhead : undefined;
  return overhead && isObject(overhead.podFixed) ? overhead.podFixed : undefined;
};

/** Go's semantic equality of two resource lists: the same names, equal quantities. */
function sameResources(a: Json | undefined, b: Json | undefined): boolean {
  const x = isObject(a) ? a : {};
  const y = isObject(b) ? b : {};
  const keys = Object.keys(x);
  if (keys.length !== Object.keys(y).length) return false;
  return keys.every((k) => {
    if (!Object.hasOwn(y, k)) return false;
    const p = Quantity.parse(String(x[k]));
    const q = Quantity.parse(String(y[k]));
    return p && q ? p.compareTo(q) === 0 : x[k] === y[k];
  });
}

const MISMATCH = "pod rejected: Pod's Overhead doesn't match RuntimeClass's defined Overhead";

/** A toleration as the merge compares it. */
interface Toleration {
  key: string;
  operator: string;
  value: string;
  effect: string;
  seconds: number | undefined;
}

function tolerationOf(t: JsonObject): Toleration {
  return {
    key: str(t.key),
    operator: str(t.operator),
    value: str(t.value),
    effect: str(t.effect),
    seconds: optNum(t.tolerationSeconds),
  };
}

/** Whether toleration `ss` tolerates everything `t` does (`isSuperset`). */
function covers(ss: JsonObject, t: JsonObject): boolean {
  if (deepEqual(ss, t)) return true;
  const a = tolerationOf(ss);
  const b = tolerationOf(t);
  if (b.key !== a.key && (a.key !== '' || a.operator !== 'Exists')) return false;
  if (b.effect !== a.effect && a.effect !== '') return false;
  if (a.effect === 'NoExecute' && a.seconds !== undefined) {
    if (b.seconds === undefined || b.seconds > a.seconds) return false;
  }
  if (a.operator === 'Equal' || a.operator === '') {
    return b.operator === 'Equal' && b.value === a.value;
  }
  return a.operator === 'Exists';
}

/** `MergeTolerations`: both lists, without a toleration another one covers (the first of equals kept). */
function mergeTolerations(first: JsonObject[], second: JsonObject[]): JsonObject[] {
  const all = [...first, ...second];
  const merged: JsonObject[] = [];
  all.forEach((t, i) => {
    if (merged.some((m) => covers(m, t))) return;
    if (all.slice(i + 1).some((later) => !deepEqual(t, later) && covers(later, t))) return;
    merged.push(t);
  });
  return merged;
}

/** The plugin's mutating half, on a new Pod (before validation). */
export function admitRuntimeClass(s: ApiState, sc: Scope, name: string, pod: JsonObject): void {
  if (!isPodCreate(sc) || !isObject(pod.spec)) return;
  const spec = pod.spec;
  const rc = classOf(s, sc, name, spec);
  const fixed = podFixed(rc);
  if (fixed) {
    const sent = isObject(spec.overhead) ? spec.overhead : {};
    if (Object.keys(sent).length && !sameResources(fixed, sent))
      admissionForbidden(sc.t, name, MISMATCH);
    spec.overhead = structuredClone(fixed);
  }
  const scheduling = rc && isObject(rc.scheduling) ? rc.scheduling : undefined;
  if (!scheduling) return;
  const selector = isObject(scheduling.nodeSelector) ? scheduling.nodeSelector : {};
  if (!isObject(spec.nodeSelector)) {
    if (isObject(scheduling.nodeSelector)) spec.nodeSelector = structuredClone(selector);
  } else {
    for (const [key, value] of Object.entries(selector)) {
      const mine = spec.nodeSelector[key];
      if (mine !== undefined && mine !== value) {
        admissionForbidden(
          sc.t,
          name,
          `conflict: runtimeClass.scheduling.nodeSelector[${key}] = ${String(value)}; pod.spec.nodeSelector[${key}] = ${String(mine)}`,
        );
      }
      spec.nodeSelector[key] = value;
    }
  }
  const objects = (v: Json | undefined) => (Array.isArray(v) ? v.filter(isObject) : []);
  const merged = mergeTolerations(objects(spec.tolerations), objects(scheduling.tolerations));
  if (merged.length) spec.tolerations = merged;
  else delete spec.tolerations;
}

/** The plugin's validating half, on a new Pod (after validation): the overhead the class defines. */
export function validateRuntimeClass(s: ApiState, sc: Scope, name: string, pod: JsonObject): void {
  if (!isPodCreate(sc) || !isObject(pod.spec)) return;
  const spec = pod.spec;
  const fixed = podFixed(classOf(s, sc, name, spec));
  if (fixed) {
    if (!sameResources(fixed, spec.overhead)) admissionForbidden(sc.t, name, MISMATCH);
  } else if (spec.overhead !== undefined && spec.overhead !== null) {
    admissionForbidden(
      sc.t,
      name,
      'pod rejected: Pod Overhead set without corresponding RuntimeClass defined Overhead',
    );
  }
}
