import type { StatusCause } from './errors.js';
import { badRequest, HttpStatusError, invalid } from './errors.js';
import { type LabelSelector, parseLabelSelector } from './label-selector-syntax.js';
import { type FieldSelector, parseFieldSelector } from './selectors.js';

/** Parsed list/watch query parameters. */
export interface ListOptions {
  labels: LabelSelector;
  fields: FieldSelector;
  limit?: number;
  continueToken?: string;
  resourceVersion?: string;
  resourceVersionMatch?: 'Exact' | 'NotOlderThan';
  watch: boolean;
  allowWatchBookmarks: boolean;
  sendInitialEvents?: boolean;
  timeoutSeconds?: number;
}

function bool(v: string | null): boolean {
  return v === 'true' || v === '1';
}

/**
 * Reads list/watch options from the query and checks them like ListOptions validation:
 * invalid combinations are 422 (kind ListOptions), bad selectors 400. `selectable`: the
 * fields a CRD version's `selectableFields` make selectable; `fieldLabels`: a view's own
 * selectable fields (a `StoredView`'s).
 */
export function parseListOptions(
  q: URLSearchParams,
  resKey: string,
  watchPath: boolean,
  selectable: readonly string[] = [],
  fieldLabels?: Readonly<Record<string, string>>,
): ListOptions {
  const o: ListOptions = {
    labels: parseLabelSelector(q.get('labelSelector')),
    fields: parseFieldSelector(q.get('fieldSelector'), resKey, selectable, fieldLabels),
    watch: watchPath || bool(q.get('watch')),
    allowWatchBookmarks: bool(q.get('allowWatchBookmarks')),
  };
  const limit = q.get('limit');
  if (limit !== null && limit !== '') {
    const n = Number(limit);
    if (!Number.isInteger(n)) throw badRequest(`limit: invalid value "${limit}"`);
    if (n > 0) o.limit = n;
  }
  const cont = q.get('continue');
  if (cont) o.continueToken = cont;
  const rv = q.get('resourceVersion');
  if (rv !== null && rv !== '') o.resourceVersion = rv;
  const rvm = q.get('resourceVersionMatch');
  const causes: StatusCause[] = [];
  if (rvm !== null && rvm !== '') {
    if (rvm !== 'Exact' && rvm !== 'NotOlderThan') {
      causes.push({
        reason: 'FieldValueNotSupported',
        message: `Unsupported value: "${rvm}": supported values: "Exact", "NotOlderThan"`,
        field: 'resourceVersionMatch',
      });
    } else o.resourceVersionMatch = rvm;
  }
  const sie = q.get('sendInitialEvents');
  if (sie !== null && sie !== '') o.sendInitialEvents = bool(sie);
  const ts = q.get('timeoutSeconds');
  if (ts !== null && ts !== '') {
    const n = Number(ts);
    if (!Number.isFinite(n) || n < 0) throw badRequest(`timeoutSeconds: invalid value "${ts}"`);
    o.timeoutSeconds = n;
  }
  if (o.watch) {
    if (o.sendInitialEvents !== undefined) {
      if (o.resourceVersionMatch !== 'NotOlderThan') {
        causes.push({
          reason: 'FieldValueForbidden',
          message:
            'Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan',
          field: 'resourceVersionMatch',
        });
      }
      if (!o.allowWatchBookmarks && o.sendInitialEvents) {
        causes.push({
          reason: 'FieldValueForbidden',
          message: 'Forbidden: sendInitialEvents requires setting allowWatchBookmarks to true',
          field: 'allowWatchBookmarks',
        });
      }
    } else if (o.resourceVersionMatch !== undefined) {
      causes.push({
        reason: 'FieldValueForbidden',
        message:
          'Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided',
        field: 'resourceVersionMatch',
      });
    }
  } else {
    if (o.sendInitialEvents !== undefined) {
      causes.push({
        reason: 'FieldValueForbidden',
        message: 'Forbidden: sendInitialEvents is forbidden for list',
        field: 'sendInitialEvents',
      });
    }
    if (o.resourceVersionMatch !== undefined && o.resourceVersion === undefined) {
      causes.push({
        reason: 'FieldValueForbidden',
        message: 'Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided',
        field: 'resourceVersionMatch',
      });
    }
    if (o.resourceVersionMatch === 'Exact' && o.resourceVersion === '0') {
      causes.push({
        reason: 'FieldValueForbidden',
        message: 'Forbidden: resourceVersionMatch "exact" is forbidden for resourceVersion "0"',
        field: 'resourceVersionMatch',
      });
    }
    if (o.continueToken && o.resourceVersionMatch !== undefined) {
      causes.push({
        reason: 'FieldValueForbidden',
        message: 'Forbidden: resourceVersionMatch is forbidden when continue is provided',
        field: 'resourceVersionMatch',
      });
    }
  }
  if (causes.length) throw invalid('ListOptions', 'meta.k8s.io', '', causes);
  if (!o.watch && o.continueToken && o.resourceVersion !== undefined && o.resourceVersion !== '0') {
    throw badRequest('specifying resource version is not allowed when using continue');
  }
  return o;
}

/** Go's error for a resourceVersion that is not an unsigned integer. */
function parseError(rv: string): string {
  return `resourceVersion: Invalid value: ${JSON.stringify(rv)}: strconv.ParseUint: parsing ${JSON.stringify(rv)}: invalid syntax`;
}

/**
 * Parses a list's resourceVersion parameter (a non-negative integer string) or answers 400
 * as kube-apiserver's storage does (`invalid resource version: resourceVersion: ...`).
 */
export function parseRv(rv: string): number {
  if (!/^\d+$/.test(rv)) {
    throw new HttpStatusError(400, 'BadRequest', `invalid resource version: ${parseError(rv)}`);
  }
  return Number(rv);
}

/**
 * Parses a watch's resourceVersion parameter, or answers as kube-apiserver's watch cache
 * does: a 500 Status without reason whose message is the parse error.
 */
export function parseWatchRv(rv: string): number {
  if (!/^\d+$/.test(rv)) throw new HttpStatusError(500, '', parseError(rv));
  return Number(rv);
}
