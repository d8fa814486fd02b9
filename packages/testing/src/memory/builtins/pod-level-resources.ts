/**
 * A pod spec's pod-level `resources` (PodLevelResources is on by default in v1.36), as
 * kube-apiserver checks and defaults them (own code: causes, words and stored values are
 * what a test sees). Checks (`validatePodResources`): none on a Windows pod, no `claims`,
 * names cpu, memory or huge pages, quantities and requests up to limits as for containers,
 * then consistency: pod requests at least the containers' aggregate requests, pod huge page
 * limits at least their aggregate limits, each container limit at most the pod's. Defaults
 * of a Pod (`defaultHugePagePodLimits`, `defaultPodRequests`): huge page limits from the
 * containers', requests from the containers' aggregate requests (cpu, memory) or the pod's
 * limits. The aggregate of a resource is the containers' sum, or, when more, what the
 * largest init container needs beside the sidecars started before it.
 */
import { Quantity } from '@kube-ts/schema/validation';
import type { StatusCause } from '../errors.js';
import { isObject, type Json, type JsonObject } from '../json.js';
import { forbiddenValue, invalidValue } from '../validation.js';
import { containerClaimCauses, podClaimNames } from './pod-resource-claims.js';
import { isPodLevelResource, podResourceRequirementCauses } from './pod-resources.js';
import { formatNanos } from './quantities.js';

/** A quantity sum, with whether its first term was written in binary units (its format). */
interface Amount {
  q: Quantity;
  binary: boolean;
}
type Amounts = Map<string, Amount>;

const isHugePages = (name: string) => name.startsWith('hugepages-');

function amountsOf(list: Json | undefined): Amounts {
  const out: Amounts = new Map();
  if (!isObject(list)) return out;
  for (const [name, v] of Object.entries(list)) {
    const text = typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
    const q = Quantity.parse(text);
    if (q) out.set(name, { q, binary: /i$/.test(text) });
  }
  return out;
}

function add(into: Amounts, more: Amounts): void {
  for (const [name, a] of more) {
    const had = into.get(name);
    into.set(name, had ? { q: had.q.add(a.q), binary: had.binary } : a);
  }
}

function maxInto(into: Amounts, other: Amounts): void {
  for (const [name, a] of other) {
    const had = into.get(name);
    if (!had || a.q.compareTo(had.q) > 0) into.set(name, a);
  }
}

/** The canonical text of a sum (`Quantity.String()` in its first term's format). */
function text(a: Amount): string {
  const nanos = a.q.scale <= 9 ? a.q.digits * 10n ** BigInt(9 - a.q.scale) : a.q.digits;
  return formatNanos(nanos, a.binary);
}

/** `AggregateContainerRequests` / `AggregateContainerLimits` of a spec, for `kind`. */
function aggregate(spec: JsonObject, kind: 'requests' | 'limits'): Amounts {
  const of = (c: Json) =>
    amountsOf(isObject(c) && isObject(c.resources) ? c.resources[kind] : undefined);
  const total: Amounts = new Map();
  for (const c of Array.isArray(spec.containers) ? spec.containers : []) add(total, of(c));
  const sidecars: Amounts = new Map();
  const initMax: Amounts = new Map();
  for (const c of Array.isArray(spec.initContainers) ? spec.initContainers : []) {
    const own = of(c);
    let use: Amounts;
    if (isObject(c) && c.restartPolicy === 'Always') {
      add(total, own);
      add(sidecars, own);
      use = new Map(sidecars);
    } else {
      use = new Map(own);
      add(use, sidecars);
    }
    maxInto(initMax, use);
  }
  maxInto(total, initMax);
  return total;
}

/** The causes of a pod spec's pod-level `resources` at `path` (its spec). */
export function podLevelResourceCauses(spec: JsonObject, path: string): StatusCause[] {
  const r = spec.resources;
  if (!isObject(r)) return [];
  const at = `${path}.resources`;
  if (isObject(spec.os) && spec.os.name === 'windows') {
    return [forbiddenValue(at, 'may not be set for a windows pod')];
  }
  const causes: StatusCause[] = [];
  if (r.claims !== undefined && r.claims !== null) {
    causes.push(forbiddenValue(`${at}.claims`, 'claims may not be set for Resources at pod-level'));
    // Checked all the same, as a container's are.
    causes.push(
      ...containerClaimCauses(r.claims, podClaimNames(spec.resourceClaims), `${at}.claims`),
    );
  }
  causes.push(...podResourceRequirementCauses(r, at));
  const requests = amountsOf(r.requests);
  const limits = amountsOf(r.limits);
  for (const [name, sum] of aggregate(spec, 'requests')) {
    const mine = requests.get(name);
    if (mine && sum.q.compareTo(mine.q) > 0) {
      causes.push(
        invalidValue(
          `${at}.requests[${name}]`,
          text(mine),
          `must be greater than or equal to aggregate container requests of ${text(sum)}`,
        ),
      );
    }
  }
  for (const [name, sum] of aggregate(spec, 'limits')) {
    const mine = limits.get(name);
    if (isHugePages(name) && mine && sum.q.compareTo(mine.q) > 0) {
      causes.push(
        invalidValue(
          `${at}.limits[${name}]`,
          text(mine),
          `must be greater than or equal to aggregate container limits of ${text(sum)}`,
        ),
      );
    }
  }
  const containers = Array.isArray(spec.containers) ? spec.containers : [];
  containers.forEach((c, i) => {
    const own = amountsOf(isObject(c) && isObject(c.resources) ? c.resources.limits : undefined);
    for (const [name, limit] of own) {
      const mine = limits.get(name);
      if (mine && limit.q.compareTo(mine.q) > 0) {
        // kube-apiserver's path for this cause is built this way.
        causes.push(
          invalidValue(
            `${at}.containers[${i}][${name}].limits`,
            text(limit),
            `must be less than or equal to pod limits of ${text(mine)}`,
          ),
        );
      }
    }
  });
  return causes;
}

/** A Pod's pod-level defaults: huge page limits, then requests (after the containers'). */
export function defaultPodLevelResources(spec: JsonObject): void {
  const r = spec.resources;
  if (!isObject(r)) return;
  const hasLimits = isObject(r.limits) && Object.keys(r.limits).length > 0;
  const hasRequests = isObject(r.requests) && Object.keys(r.requests).length > 0;
  if (hasLimits || hasRequests) {
    const limits: JsonObject = isObject(r.limits) ? r.limits : {};
    const requests = isObject(r.requests) ? r.requests : {};
    for (const [name, sum] of aggregate(spec, 'limits')) {
      if (!isHugePages(name) || name in requests || name in limits) continue;
      limits[name] = text(sum);
    }
    if (Object.keys(limits).length) r.limits = limits;
  }
  if (!isObject(r.limits) || Object.keys(r.limits).length === 0) return;
  const requests: JsonObject = isObject(r.requests) ? r.requests : {};
  for (const [name, sum] of aggregate(spec, 'requests')) {
    if (!(name in requests) && isPodLevelResource(name) && !isHugePages(name)) {
      requests[name] = text(sum);
    }
  }
  for (const [name, limit] of Object.entries(r.limits)) {
    if (!(name in requests) && isPodLevelResource(name)) requests[name] = limit;
  }
  if (Object.keys(requests).length) r.requests = requests;
}
