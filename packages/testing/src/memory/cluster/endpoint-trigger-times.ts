/**
 * The trigger times kube-controller-manager's Endpoints and EndpointSlice controllers put
 * in the `endpoints.kubernetes.io/last-change-trigger-time` annotation: on a Service's
 * first sync its creationTimestamp; later the earliest Ready-condition transition of a
 * Pod that moved since the previous sync; none when nothing moved (a write then drops
 * the annotation). Kept per Service until it is deleted, whatever its selector does.
 */
import { isObject, type JsonObject } from '../json.js';
import { metaOf } from '../object-meta.js';

/** The annotation the controllers write on Endpoints and EndpointSlices. */
export const TRIGGER_TIME = 'endpoints.kubernetes.io/last-change-trigger-time';

interface ServiceState {
  created: string;
  pods: Map<string, string>;
}

/** The Ready condition's lastTransitionTime of `pod`, if it has one. */
function readySince(pod: JsonObject): string | undefined {
  const status = isObject(pod.status) ? pod.status : {};
  const conditions = Array.isArray(status.conditions) ? status.conditions.filter(isObject) : [];
  const ready = conditions.find((c) => c.type === 'Ready');
  return typeof ready?.lastTransitionTime === 'string' ? ready.lastTransitionTime : undefined;
}

/** The earlier of two RFC 3339 UTC times (both whole seconds, so they compare as text). */
const earlier = (a: string | undefined, b: string) => (a === undefined || b < a ? b : a);

/** What each Service's last sync saw, to tell which trigger times moved since. */
export class TriggerTimes {
  readonly #services = new Map<string, ServiceState>();

  /** The trigger time of a sync of `svc` that selects `pods`, recording what it saw. */
  next(key: string, svc: JsonObject, pods: readonly JsonObject[]): string | undefined {
    const before = this.#services.get(key);
    const created = String(metaOf(svc).creationTimestamp ?? '');
    const now: ServiceState = { created, pods: new Map() };
    let changed: string | undefined;
    for (const pod of pods) {
      const since = readySince(pod);
      if (since === undefined) continue;
      const name = String(metaOf(pod).name);
      now.pods.set(name, since);
      const was = before?.pods.get(name);
      if (was === undefined || since > was) changed = earlier(changed, since);
    }
    if (before !== undefined && created > before.created) changed = earlier(changed, created);
    this.#services.set(key, now);
    return before === undefined ? created : changed;
  }

  /** Forgets a deleted Service. */
  forget(key: string): void {
    this.#services.delete(key);
  }
}
