import type { JsonObject } from '../json.js';
import type { ApiState } from '../state.js';
import { admitStorageProtection } from '../storage-protection/finalizers.js';
import type { Scope } from '../write-scope.js';
import { admitDefaultTolerations } from './default-tolerations.js';
import { admitLimitRanger } from './limit-ranger.js';
import type { PolicyReinvocation } from './mutating-policies.js';
import { admitPodPriority } from './priority.js';
import { admitRuntimeClass } from './runtime-class.js';

/**
 * kube-apiserver's mutating admission plugins of a create, in its order: LimitRanger,
 * Priority, DefaultTolerationSeconds, StorageObjectInUseProtection, RuntimeClass. `name`
 * is the name admission gives the object (a generateName create's prefix, or `Unknown`).
 */
export function admitCreate(s: ApiState, sc: Scope, name: string, obj: JsonObject): void {
  admitLimitRanger(s, sc, obj);
  admitPodPriority(s, sc, name, obj);
  admitDefaultTolerations(sc, obj);
  admitStorageProtection(sc.t, obj);
  admitRuntimeClass(s, sc, name, obj);
}

/**
 * The admission chain's second round of a create: kube-apiserver's reinvocation runs the
 * whole chain again, so its in-tree plugins (`plugins`) run once more before the policies'
 * second round (`policies`), on what the first round and the webhooks left. A policy that
 * sets a Pod's `priorityClassName` thus meets the Priority plugin again, which refuses a
 * priority that the class does not give.
 */
export function withPlugins(
  policies: PolicyReinvocation,
  plugins: (obj: JsonObject) => void,
): PolicyReinvocation {
  return {
    applied: policies.applied,
    again(obj) {
      plugins(obj);
      policies.again(obj);
    },
  };
}
