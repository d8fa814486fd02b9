/**
 * kube-apiserver's `LimitRanger` admission plugin (on by default; own code, for its
 * decisions and words). Mutating: a new Pod's containers and init containers get the
 * default limits and requests of each `Container` limit of the namespace's LimitRanges
 * where they name none, and the Pod is annotated `kubernetes.io/limit-ranger` with what was
 * set. Validating: a new Pod's containers (`Container` limits) and the Pod's totals (`Pod`
 * limits, the pod-level resources winning for cpu and memory) must keep within `min`,
 * `max` and `maxLimitRequestRatio`, and a PersistentVolumeClaim's storage request (on
 * create and update) within a `PersistentVolumeClaim` limit's `min` and `max`; a refusal is
 * 403 with every broken bound (kube-apiserver ranges over Go maps there, so several come
 * in no fixed order). An object being deleted is not checked.
 */
import { Quantity } from '@kube-ts/schema/validation';
import { limitsOf, quantitiesOf } from '../builtins/limit-range.js';
import { fitsMilli, milliValue, wholeValue } from '../builtins/quantities.js';
import { goFixed } from '../go-print.js';
import { isObject, type Json, type JsonObject } from '../json.js';
import { formatQuantity, parseQuantity } from '../quota/quantity.js';
import type { ApiState } from '../state.js';
import type { Scope } from '../write-scope.js';
import { admissionForbidden } from './forbidden.js';

const ANNOTATION = 'kubernetes.io/limit-ranger';
const POD_LEVEL = ['cpu', 'memory'];

/** A quantity as the plugin reads it: its `String()` and its exact value in nano-units. */
interface Amount {
  text: string;
  nanos: bigint;
  binary: boolean;
}

type Amounts = Map<string, Amount>;

function amountsOf(list: Json | undefined): Amounts {
  const out: Amounts = new Map();
  for (const [k, text] of quantitiesOf(list)) {
    const q = parseQuantity(text);
    if (q) out.set(k, { text, ...q });
  }
  return out;
}

const exact = (a: Amount | undefined) => new Quantity(a?.nanos ?? 0n, 9);

/**
 * The values Go compares (`requestLimitEnforcedValues`): milli-units when all three fit,
 * else whole units, both rounded up.
 */
function compared(req: Amount | undefined, lim: Amount | undefined, enforced: Amount) {
  const qs = [exact(req), exact(lim), exact(enforced)];
  const value = fitsMilli(...qs) ? milliValue : wholeValue;
  const [r, l, e] = qs.map(value) as [bigint, bigint, bigint];
  return { req: r, lim: l, enforced: e };
}

function minBroken(type: string, res: string, enf: Amount, reqs: Amounts, lims: Amounts) {
  const req = reqs.get(res);
  const lim = lims.get(res);
  const v = compared(req, lim, enf);
  const head = `minimum ${res} usage per ${type} is ${enf.text}`;
  if (!req) return `${head}.  No request is specified`;
  if (v.req < v.enforced) return `${head}, but request is ${req.text}`;
  if (lim && v.lim < v.enforced) return `${head}, but limit is ${lim.text}`;
  return undefined;
}

function maxBroken(type: string, res: string, enf: Amount, reqs: Amounts, lims: Amounts) {
  const req = reqs.get(res);
  const lim = lims.get(res);
  const v = compared(req, lim, enf);
  const head = `maximum ${res} usage per ${type} is ${enf.text}`;
  if (!lim) return `${head}.  No limit is specified`;
  if (v.lim > v.enforced) return `${head}, but limit is ${lim.text}`;
  if (req && v.req > v.enforced) return `${head}, but request is ${req.text}`;
  return undefined;
}

/** The max bound of a kind that has requests only (a claim's storage). */
function maxRequestBroken(type: string, res: string, enf: Amount, reqs: Amounts) {
  const req = reqs.get(res);
  const v = compared(req, undefined, enf);
  const head = `maximum ${res} usage per ${type} is ${enf.text}`;
  if (!req) return `${head}.  No request is specified`;
  if (v.req > v.enforced) return `${head}, but request is ${req.text}`;
  return undefined;
}

function ratioBroken(type: string, res: string, enf: Amount, reqs: Amounts, lims: Amounts) {
  const v = compared(reqs.get(res), lims.get(res), enf);
  const head = `${res} max limit to request ratio per ${type} is ${enf.text}`;
  if (v.req === 0n) return `${head}, but no request is specified or request is 0`;
  if (v.lim === 0n) return `${head}, but no limit is specified or limit is 0`;
  const observed = Number(v.lim) / Number(v.req);
  const q = exact(enf);
  const milli = fitsMilli(q);
  const bound = Number(milli ? milliValue(q) : wholeValue(q));
  if ((milli ? observed * 1000 : observed) > bound)
    return `${head}, but provided ratio is ${goFixed(observed)}`;
  return undefined;
}

/** The broken bounds of one limit for one set of requests and limits. */
function boundsBroken(limit: JsonObject, reqs: Amounts, lims: Amounts): string[] {
  const type = String(limit.type);
  const out: (string | undefined)[] = [];
  for (const [res, enf] of amountsOf(limit.min)) out.push(minBroken(type, res, enf, reqs, lims));
  for (const [res, enf] of amountsOf(limit.max)) out.push(maxBroken(type, res, enf, reqs, lims));
  for (const [res, enf] of amountsOf(limit.maxLimitRequestRatio))
    out.push(ratioBroken(type, res, enf, reqs, lims));
  return out.filter((m): m is string => m !== undefined);
}

function containersOf(spec: JsonObject, list: string): JsonObject[] {
  const cs = spec[list];
  return Array.isArray(cs) ? cs.filter(isObject) : [];
}

function resourcesOf(c: JsonObject): JsonObject {
  return isObject(c.resources) ? c.resources : {};
}

/** Adds `more` into `into` (the sum keeps the format of the first). */
function addAll(into: Amounts, more: Amounts): void {
  for (const [k, a] of more) {
    const was = into.get(k);
    if (!was) into.set(k, { ...a });
    else {
      const sum = { nanos: was.nanos + a.nanos, binary: was.binary };
      into.set(k, { ...sum, text: formatQuantity(sum) });
    }
  }
}

/** Keeps in `into` the greater of each amount. */
function maxAll(into: Amounts, more: Amounts): void {
  for (const [k, a] of more) {
    const was = into.get(k);
    if (!was || a.nanos > was.nanos) into.set(k, { ...a });
  }
}

/**
 * A pod's total requests or limits (`field`): its containers and sidecars added, an
 * init container counted with the sidecars started before it, the greater of that and
 * the rest, and the pod-level value for cpu and memory when it sets one.
 */
function podTotal(spec: JsonObject, field: 'requests' | 'limits'): Amounts {
  const total: Amounts = new Map();
  for (const c of containersOf(spec, 'containers')) addAll(total, amountsOf(resourcesOf(c)[field]));
  const sidecars: Amounts = new Map();
  const init: Amounts = new Map();
  for (const c of containersOf(spec, 'initContainers')) {
    const own = amountsOf(resourcesOf(c)[field]);
    if (c.restartPolicy === 'Always') {
      addAll(total, own);
      addAll(sidecars, own);
      maxAll(init, sidecars);
    } else {
      const withSidecars: Amounts = new Map();
      addAll(withSidecars, own);
      addAll(withSidecars, sidecars);
      maxAll(init, withSidecars);
    }
  }
  maxAll(total, init);
  const podLevel = amountsOf(isObject(spec.resources) ? spec.resources[field] : undefined);
  for (const [k, a] of podLevel) if (POD_LEVEL.includes(k)) total.set(k, a);
  return total;
}

function podBroken(limit: JsonObject, spec: JsonObject): string[] {
  if (limit.type === 'Container') {
    return ['containers', 'initContainers'].flatMap((list) =>
      containersOf(spec, list).flatMap((c) => {
        const r = resourcesOf(c);
        return boundsBroken(limit, amountsOf(r.requests), amountsOf(r.limits));
      }),
    );
  }
  if (limit.type === 'Pod')
    return boundsBroken(limit, podTotal(spec, 'requests'), podTotal(spec, 'limits'));
  return [];
}

function claimBroken(limit: JsonObject, spec: JsonObject): string[] {
  if (limit.type !== 'PersistentVolumeClaim') return [];
  const reqs = amountsOf(isObject(spec.resources) ? spec.resources.requests : undefined);
  const type = String(limit.type);
  const out: (string | undefined)[] = [];
  for (const [res, enf] of amountsOf(limit.min))
    out.push(minBroken(type, res, enf, reqs, new Map()));
  for (const [res, enf] of amountsOf(limit.max)) out.push(maxRequestBroken(type, res, enf, reqs));
  return out.filter((m): m is string => m !== undefined);
}

/** `utilerrors.NewAggregate(...).Error()`: one message as is, several deduplicated in brackets. */
function aggregate(messages: string[]): string {
  const unique = [...new Set(messages)];
  return unique.length === 1 ? (unique[0] as string) : `[${unique.join(', ')}]`;
}

function rangesIn(s: ApiState, namespace: string): JsonObject[] {
  return [...s.storage.scan('limitranges', namespace)].map(([, lr]) => lr);
}

const isPods = (sc: Scope) => sc.t.group === '' && sc.t.plural === 'pods';
const isClaims = (sc: Scope) => sc.t.group === '' && sc.t.plural === 'persistentvolumeclaims';

/** Sets the missing requests and limits of one container; returns what it set. */
function mergeDefaults(c: JsonObject, requests: JsonObject, limits: JsonObject, what: string) {
  const r = resourcesOf(c);
  const set: string[] = [];
  for (const [field, defaults] of [
    ['requests', requests],
    ['limits', limits],
  ] as const) {
    const have: JsonObject = isObject(r[field]) ? r[field] : {};
    const added = Object.keys(defaults).filter((k) => have[k] === undefined);
    for (const k of added) have[k] = defaults[k] as Json;
    if (added.length) {
      r[field] = have;
      const noun = field === 'requests' ? 'request' : 'limit';
      set.push(`${added.sort().join(', ')} ${noun} for ${what} ${String(c.name)}`);
    }
  }
  if (set.length) c.resources = r;
  return set;
}

/** The mutating half, on a new Pod: the namespace's default requests and limits. */
export function admitLimitRanger(s: ApiState, sc: Scope, pod: JsonObject): void {
  if (!isPods(sc)) return;
  const spec = isObject(pod.spec) ? pod.spec : {};
  for (const lr of rangesIn(s, sc.namespace)) {
    const requests: JsonObject = {};
    const limits: JsonObject = {};
    for (const limit of limitsOf(lr)) {
      if (limit.type !== 'Container') continue;
      Object.assign(requests, isObject(limit.defaultRequest) ? limit.defaultRequest : {});
      Object.assign(limits, isObject(limit.default) ? limit.default : {});
    }
    const set = [
      ...containersOf(spec, 'containers').flatMap((c) =>
        mergeDefaults(c, requests, limits, 'container'),
      ),
      ...containersOf(spec, 'initContainers').flatMap((c) =>
        mergeDefaults(c, requests, limits, 'init container'),
      ),
    ];
    if (set.length === 0) continue;
    const meta = isObject(pod.metadata) ? pod.metadata : {};
    const annotations = isObject(meta.annotations) ? meta.annotations : {};
    annotations[ANNOTATION] = `LimitRanger plugin set: ${set.join('; ')}`;
    meta.annotations = annotations;
    pod.metadata = meta;
  }
}

/**
 * The validating half: a new or resized Pod, or a PersistentVolumeClaim created or updated
 * (`old`), against each LimitRange of its namespace; the first one broken refuses it
 * (403); `subresource` is `resize` or empty.
 */
export function validateLimitRanger(
  s: ApiState,
  sc: Scope,
  name: string,
  obj: JsonObject,
  old: JsonObject | undefined,
  subresource: string,
): void {
  const pods = isPods(sc);
  // A Pod's containers change only through `resize` once it exists.
  if (pods && old && subresource !== 'resize') return;
  if (!pods && !isClaims(sc)) return;
  if (old && isObject(old.metadata) && old.metadata.deletionTimestamp) return;
  const spec = isObject(obj.spec) ? obj.spec : {};
  for (const lr of rangesIn(s, sc.namespace)) {
    const broken = limitsOf(lr).flatMap((limit) =>
      pods ? podBroken(limit, spec) : claimBroken(limit, spec),
    );
    if (broken.length) admissionForbidden(sc.t, name, aggregate(broken));
  }
}
