/**
 * A Pod's QoS class as kube-apiserver computes it (`ComputePodQOS`, own code): from the
 * pod-level `resources` when the spec has them (PodLevelResources is on), else from the
 * containers and init containers; only cpu and memory above zero count. Guaranteed when
 * every container (or the pod) limits both and the summed requests equal the summed
 * limits, BestEffort when nothing counts, Burstable otherwise.
 */
import { Quantity } from '@kube-ts/schema/validation';
import { isObject, type Json, type JsonObject } from '../json.js';

const QOS_RESOURCES = ['cpu', 'memory'];

type Sums = Map<string, Quantity>;

/** The positive cpu and memory quantities of a resource list, by name. */
function positive(list: Json | undefined): [string, Quantity][] {
  if (!isObject(list)) return [];
  const out: [string, Quantity][] = [];
  for (const name of QOS_RESOURCES) {
    const v = list[name];
    const q = Quantity.parse(typeof v === 'number' ? String(v) : typeof v === 'string' ? v : '');
    if (q && q.sign() > 0) out.push([name, q]);
  }
  return out;
}

/** Adds a list's positive quantities to `sums`; answers the names it had. */
function addTo(sums: Sums, list: Json | undefined): Set<string> {
  const names = new Set<string>();
  for (const [name, q] of positive(list)) {
    const had = sums.get(name);
    sums.set(name, had ? had.add(q) : q);
    names.add(name);
  }
  return names;
}

const limitsBoth = (names: Set<string>) => QOS_RESOURCES.every((n) => names.has(n));

/** The QoS class of a (defaulted) pod spec. */
export function computeQosClass(spec: JsonObject): string {
  const requests: Sums = new Map();
  const limits: Sums = new Map();
  let guaranteed = true;
  const podLevel = spec.resources;
  if (isObject(podLevel)) {
    addTo(requests, podLevel.requests);
    const limited = addTo(limits, podLevel.limits);
    if (isObject(podLevel.limits) && Object.keys(podLevel.limits).length && !limitsBoth(limited))
      guaranteed = false;
  } else {
    for (const key of ['containers', 'initContainers']) {
      const cs = Array.isArray(spec[key]) ? spec[key] : [];
      for (const c of cs) {
        const r = isObject(c) && isObject(c.resources) ? c.resources : {};
        addTo(requests, r.requests);
        if (!limitsBoth(addTo(limits, r.limits))) guaranteed = false;
      }
    }
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (guaranteed) {
    for (const [name, req] of requests) {
      const lim = limits.get(name);
      if (lim?.compareTo(req) !== 0) guaranteed = false;
    }
  }
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}
