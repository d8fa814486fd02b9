/**
 * The seats a request takes, as kube-apiserver's API Priority and Fairness work estimator
 * reckons them before dispatching it. A LIST (and, the `WatchList` gate being on in v1.36,
 * a watch that sends its initial events: `resourceVersion` unset or `0`, or
 * `sendInitialEvents=true`) takes one seat per 100,000 bytes of objects it may load, by
 * the object count and average size the storage last reported (`object-counts.ts`,
 * `SizeBasedListCostEstimate` being on): one object when it names one (a `metadata.name`
 * field selector), at most `limit` of them, and, when it is read from etcd rather than the
 * watch cache (a `continue`, `resourceVersionMatch=Exact`, or a `limit` at a set
 * resourceVersion other than `0`), with a selector at least half of them; a read from the
 * cache costs at most 1,000,000 bytes. A resource without counts costs one seat, bad list
 * options (a `limit` or `timeoutSeconds` that is no integer) the most. A create, update, patch or delete takes one
 * seat while it runs and, when 10 or more watches are interested in its resource
 * (`watch-count.ts`), `ceil(watches / 10)` seats for 5 ms each after it ends (fewer seats
 * for longer when capped), a ServiceAccount token request excepted. Everything else takes
 * one seat. A LIST takes at most 100 seats, a write 10, and in a `Queue` level at most
 * `max(1, min(ceil(15% of its nominal limit), nominal limit / handSize))`. Our own copy,
 * because how many requests a level runs at once is this arithmetic.
 */
import type { ResourceAttributes } from '../auth/request-attributes.js';
import type { ObjectStats } from './object-counts.js';

const MINIMUM_SEATS = 1;
const MAXIMUM_LIST_SEATS = 100;
const MAXIMUM_MUTATING_SEATS = 10;
const BYTES_PER_SEAT = 100_000;
const CACHE_MAX_BYTES = 1_000_000;
/** The size taken for objects whose sizes are unknown. */
const MAX_OBJECT_SIZE = 1_500_000;
/** The count kube-apiserver takes for a resource whose counts are stale. */
const INFINITE_OBJECT_COUNT = 1_000_000_000;
const WATCHES_PER_SEAT = 10;
const EVENT_ADDITIONAL_SECONDS = 0.005;
const MUTATING_VERBS = new Set(['create', 'update', 'patch', 'delete']);

/** The work of one request, in seats. */
export interface WorkEstimate {
  /** Seats held while it runs. */
  readonly initialSeats: number;
  /** Seats held for `additionalSeconds` after it ends. */
  readonly finalSeats: number;
  readonly additionalSeconds: number;
}

/** What the estimator reads about the server. */
export interface EstimatorInputs {
  /** The level's cap on a request's seats, 0 when it has none (a `Reject` level). */
  readonly levelMaxSeats: number;
  /** The storage's last counts of a resource (`resource.group`), if it has any. */
  readonly stats: (groupResource: string) => ObjectStats | undefined;
  /** The watches interested in a write of these attributes. */
  readonly interestedWatches: (a: ResourceAttributes) => number;
}

const single = (seats: number): WorkEstimate => ({
  initialSeats: seats,
  finalSeats: 0,
  additionalSeconds: 0,
});

/** Go's strconv.ParseInt(s, 10, 64), undefined when it fails. */
function parseInt64(s: string): bigint | undefined {
  if (!/^[+-]?\d+$/.test(s)) return undefined;
  const n = BigInt(s);
  return n >= -(2n ** 63n) && n < 2n ** 63n ? n : undefined;
}

/** The list options the estimator reads, or undefined when they do not convert. */
function listOptions(query: URLSearchParams) {
  for (const name of ['limit', 'timeoutSeconds']) {
    const v = query.get(name);
    if (v !== null && parseInt64(v) === undefined) return undefined;
  }
  const limit = query.has('limit') ? Number(parseInt64(query.get('limit')!)) : 0;
  const initialEvents = query.get('sendInitialEvents');
  return {
    limit,
    resourceVersion: query.get('resourceVersion') ?? '',
    match: query.get('resourceVersionMatch') ?? '',
    continue: query.get('continue') ?? '',
    selected:
      (query.get('labelSelector') ?? '') !== '' || (query.get('fieldSelector') ?? '') !== '',
    // Go's url-values conversion: any value but "0" and "false" is true.
    sendInitialEvents:
      initialEvents !== null && initialEvents !== '0' && initialEvents.toLowerCase() !== 'false',
  };
}

/** Whether kube-apiserver reads such a list from etcd rather than its watch cache. */
function fromStorage(o: NonNullable<ReturnType<typeof listOptions>>): boolean {
  switch (o.match) {
    case 'Exact':
      return true;
    case 'NotOlderThan':
      return false;
    case '':
      if (o.continue !== '') return true;
      return o.limit > 0 && o.resourceVersion !== '' && o.resourceVersion !== '0';
    default:
      return true;
  }
}

function estimateList(a: ResourceAttributes, query: URLSearchParams, x: EstimatorInputs) {
  const max =
    x.levelMaxSeats === 0 || x.levelMaxSeats > MAXIMUM_LIST_SEATS
      ? MAXIMUM_LIST_SEATS
      : x.levelMaxSeats;
  const o = listOptions(query);
  if (!o) return single(max);
  if (a.verb === 'watch' && !o.sendInitialEvents) {
    if (o.resourceVersion !== '' && o.resourceVersion !== '0') return single(MINIMUM_SEATS);
  }
  const fromCache = a.verb === 'watch' || !fromStorage(o);
  const counted = x.stats(a.apiGroup ? `${a.resource}.${a.apiGroup}` : a.resource);
  if (!counted) return single(MINIMUM_SEATS);
  // Stale counts are taken as the most objects of the largest size.
  const stats = counted.stale
    ? { count: INFINITE_OBJECT_COUNT, averageSize: MAX_OBJECT_SIZE }
    : counted;
  const size = stats.averageSize <= 0 && stats.count !== 0 ? MAX_OBJECT_SIZE : stats.averageSize;
  const limited = o.limit > 0 && o.limit < stats.count ? o.limit : stats.count;
  let loaded: number;
  if (a.name !== '') loaded = 1;
  else if (fromCache) loaded = limited;
  else if (o.selected) loaded = Math.max(limited, Math.floor(stats.count / 2));
  else loaded = limited;
  let bytes = loaded * size;
  if (fromCache) bytes = Math.min(bytes, CACHE_MAX_BYTES);
  const seats = Math.ceil(bytes / BYTES_PER_SEAT);
  return single(Math.min(Math.max(seats, MINIMUM_SEATS), max));
}

function estimateMutating(a: ResourceAttributes, x: EstimatorInputs): WorkEstimate {
  const max =
    x.levelMaxSeats === 0 || x.levelMaxSeats > MAXIMUM_MUTATING_SEATS
      ? MAXIMUM_MUTATING_SEATS
      : x.levelMaxSeats;
  if (a.resource === 'serviceaccounts' && a.subresource === 'token') return single(MINIMUM_SEATS);
  const watches = x.interestedWatches(a);
  if (watches < WATCHES_PER_SEAT) return single(1);
  const seats = Math.ceil(watches / WATCHES_PER_SEAT);
  const finalSeats = Math.min(seats, max);
  return {
    initialSeats: 1,
    finalSeats,
    additionalSeconds: (seats * EVENT_ADDITIONAL_SECONDS) / finalSeats,
  };
}

/** The work of a request with attributes `a` and URL query `query`. */
export function estimateWork(
  a: ResourceAttributes,
  query: URLSearchParams,
  x: EstimatorInputs,
): WorkEstimate {
  if (a.verb === 'list' || a.verb === 'watch') return estimateList(a, query, x);
  if (MUTATING_VERBS.has(a.verb)) return estimateMutating(a, x);
  return single(MINIMUM_SEATS);
}

/**
 * The most seats a request of a `Queue` level may take: `max(1, min(ceil(15% of nominal),
 * nominal / handSize))`, as kube-apiserver's config controller sets it.
 */
export function queueLevelMaxSeats(nominal: number, handSize: number): number {
  return Math.max(1, Math.min(Math.ceil(nominal * 0.15), Math.floor(nominal / handSize)));
}
