/**
 * core/v1 LimitRange: kube-apiserver's defaults of a `Container` limit (the default limit
 * from `max`, the default request from the default limit, else from `min`) and its checks
 * (own code, for the causes and their words): each limit's `type` (a qualified name, one of
 * `Pod`, `Container`, `PersistentVolumeClaim` without a domain, not twice), the resource
 * names of each map (container names for `Pod` and `Container`), no defaults for `Pod`,
 * a `storage` bound for `PersistentVolumeClaim`, then per resource the order of `min`,
 * `defaultRequest`, `default` and `max`, the ratio's bounds, and a default equal to the
 * default request for resources that cannot be overcommitted. kube-apiserver visits the
 * resources of one limit through a Go set, so their causes come in no fixed order; these
 * come in the order the maps name them.
 */
import { randomUUID } from 'node:crypto';
import { Quantity } from '@kube-ts/schema/validation';
import type { StatusCause } from '../errors.js';
import { goFixed } from '../go-print.js';
import { isObject, type Json, type JsonObject } from '../json.js';
import {
  duplicate,
  forbiddenValue,
  invalidValue,
  qualifiedNameErrors,
  required,
} from '../validation.js';
import type { KindRules } from './kind-rules.js';
import {
  containerResourceNameCauses,
  overcommitAllowed,
  resourceNameCauses,
} from './pod-resources.js';
import { fitsMilli, milliValue, wholeValue } from './quantities.js';

const STANDARD_TYPES = ['Pod', 'Container', 'PersistentVolumeClaim'];
/** The quantities of one map of a limit, by resource name, as stored (canonical text). */
export function quantitiesOf(list: Json | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!isObject(list)) return out;
  for (const [k, v] of Object.entries(list)) {
    if (typeof v === 'string') out.set(k, v);
    else if (typeof v === 'number') out.set(k, String(v));
  }
  return out;
}

function typeCauses(type: string, at: string): StatusCause[] {
  const causes = qualifiedNameErrors(type).map((why) => invalidValue(at, type, why));
  if (causes.length === 0 && !type.includes('/') && !STANDARD_TYPES.includes(type))
    causes.push(invalidValue(at, type, 'must be a standard limit type or fully qualified'));
  return causes;
}

/** The causes of the resources of one limit, compared with each other. */
function boundCauses(
  key: string,
  at: string,
  maps: Record<'min' | 'max' | 'default' | 'defaultRequest' | 'ratio', Map<string, string>>,
): StatusCause[] {
  const causes: StatusCause[] = [];
  const text = (m: Map<string, string>) => m.get(key);
  const parsed = (t: string | undefined) => (t === undefined ? undefined : Quantity.parse(t));
  const [min, max, def, req, ratio] = [
    text(maps.min),
    text(maps.max),
    text(maps.default),
    text(maps.defaultRequest),
    text(maps.ratio),
  ];
  const [qMin, qMax, qDef, qReq, qRatio] = [min, max, def, req, ratio].map(parsed);
  const field = (m: string) => `${at}.${m}[${key}]`;
  if (qMin && qMax && qMin.compareTo(qMax) > 0)
    causes.push(
      invalidValue(field('min'), min, `min value ${min} is greater than max value ${max}`),
    );
  if (qReq && qMin && qMin.compareTo(qReq) > 0) {
    causes.push(
      invalidValue(
        field('defaultRequest'),
        req,
        `min value ${min} is greater than default request value ${req}`,
      ),
    );
  }
  if (qReq && qMax && qReq.compareTo(qMax) > 0) {
    causes.push(
      invalidValue(
        field('defaultRequest'),
        req,
        `default request value ${req} is greater than max value ${max}`,
      ),
    );
  }
  if (qReq && qDef && qReq.compareTo(qDef) > 0) {
    causes.push(
      invalidValue(
        field('defaultRequest'),
        req,
        `default request value ${req} is greater than default limit value ${def}`,
      ),
    );
  }
  // kube-apiserver names the min, then the max, as the bad value of a default.
  if (qDef && qMin && qMin.compareTo(qDef) > 0) {
    causes.push(
      invalidValue(field('default'), min, `min value ${min} is greater than default value ${def}`),
    );
  }
  if (qDef && qMax && qDef.compareTo(qMax) > 0) {
    causes.push(
      invalidValue(field('default'), max, `default value ${def} is greater than max value ${max}`),
    );
  }
  if (qRatio && qRatio.compareTo(new Quantity(1n, 0)) < 0)
    causes.push(
      invalidValue(field('maxLimitRequestRatio'), ratio, `ratio ${ratio} is less than 1`),
    );
  if (qRatio && qMin && qMax) {
    const milli = fitsMilli(qRatio, qMin, qMax);
    const limitValue = milli ? Number(milliValue(qRatio)) / 1000 : Number(wholeValue(qRatio));
    const span = milli
      ? Number(milliValue(qMax)) / Number(milliValue(qMin))
      : Number(wholeValue(qMax)) / Number(wholeValue(qMin));
    if (limitValue > span) {
      causes.push(
        invalidValue(
          field('maxLimitRequestRatio'),
          ratio,
          `ratio ${ratio} is greater than max/min = ${goFixed(span)}`,
        ),
      );
    }
  }
  if (!overcommitAllowed(key) && qDef && qReq && qDef.compareTo(qReq) !== 0) {
    causes.push(
      invalidValue(
        field('defaultRequest'),
        req,
        `default value ${def} must equal to defaultRequest value ${req} in ${key}`,
      ),
    );
  }
  return causes;
}

/** The causes of one item of `spec.limits` at `at`. */
function limitCauses(limit: JsonObject, at: string, seen: Set<string>): StatusCause[] {
  const type = typeof limit.type === 'string' ? limit.type : '';
  const causes = typeCauses(type, `${at}.type`);
  if (seen.has(type)) causes.push(duplicate(`${at}.type`, type));
  seen.add(type);
  const container = type === 'Pod' || type === 'Container';
  const nameRule = container ? containerResourceNameCauses : resourceNameCauses;
  const names = (field: string, m: Map<string, string>) => {
    for (const k of m.keys()) causes.push(...nameRule(k, `${at}.${field}[${k}]`));
  };
  const maps = {
    max: quantitiesOf(limit.max),
    min: quantitiesOf(limit.min),
    default: quantitiesOf(limit.default),
    defaultRequest: quantitiesOf(limit.defaultRequest),
    ratio: quantitiesOf(limit.maxLimitRequestRatio),
  };
  names('max', maps.max);
  names('min', maps.min);
  if (type === 'Pod') {
    for (const field of ['default', 'defaultRequest'] as const) {
      if (maps[field].size > 0)
        causes.push(forbiddenValue(`${at}.${field}`, "may not be specified when `type` is 'Pod'"));
      maps[field] = new Map();
    }
  } else {
    names('default', maps.default);
    names('defaultRequest', maps.defaultRequest);
  }
  if (type === 'PersistentVolumeClaim' && !maps.min.has('storage') && !maps.max.has('storage')) {
    causes.push(
      required(
        `${at}.limits`,
        'either minimum or maximum storage value is required, but neither was provided',
      ),
    );
  }
  names('maxLimitRequestRatio', maps.ratio);
  const keys = new Set([
    ...maps.max.keys(),
    ...maps.min.keys(),
    ...maps.default.keys(),
    ...maps.defaultRequest.keys(),
    ...maps.ratio.keys(),
  ]);
  for (const key of keys) causes.push(...boundCauses(key, at, maps));
  return causes;
}

/** A `Container` limit's defaults (`SetDefaults_LimitRangeItem`). */
function defaultLimit(limit: JsonObject): void {
  if (limit.type !== 'Container') return;
  const def: JsonObject = isObject(limit.default) ? limit.default : {};
  const req: JsonObject = isObject(limit.defaultRequest) ? limit.defaultRequest : {};
  for (const [k, v] of Object.entries(isObject(limit.max) ? limit.max : {})) def[k] ??= v;
  for (const [k, v] of Object.entries(def)) req[k] ??= v;
  for (const [k, v] of Object.entries(isObject(limit.min) ? limit.min : {})) req[k] ??= v;
  if (Object.keys(def).length) limit.default = def;
  if (Object.keys(req).length) limit.defaultRequest = req;
}

/** The items of a LimitRange's `spec.limits`. */
export function limitsOf(lr: JsonObject): JsonObject[] {
  const spec = isObject(lr.spec) ? lr.spec : {};
  return Array.isArray(spec.limits) ? spec.limits.filter(isObject) : [];
}

/** core/v1 LimitRange's defaults and validation (create and update alike). */
export const limitRangeRules: KindRules = {
  defaults(obj) {
    for (const limit of limitsOf(obj)) defaultLimit(limit);
  },
  prepareCreate(obj) {
    // The strategy names a LimitRange created without a name (or generateName) by a UUID.
    const meta = isObject(obj.metadata) ? obj.metadata : {};
    if (typeof meta.name !== 'string' || meta.name === '') meta.name = randomUUID();
  },
  validate(obj) {
    const seen = new Set<string>();
    const spec = isObject(obj.spec) ? obj.spec : {};
    const limits = Array.isArray(spec.limits) ? spec.limits : [];
    return limits.flatMap((limit, i) =>
      isObject(limit) ? limitCauses(limit, `spec.limits[${i}]`, seen) : [],
    );
  },
};
