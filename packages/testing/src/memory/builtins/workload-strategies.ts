/**
 * The update strategies of the apps/v1 workloads as kube-apiserver's apps validation checks
 * them (own code): a Deployment's `strategy`, a DaemonSet's and a StatefulSet's
 * `updateStrategy`, and the int-or-percent values of their rolling updates. A refused
 * strategy type quotes the internal Go struct as encoding/json writes it
 * (`{"Type":"Nope","RollingUpdate":null}`), as kube-apiserver does.
 */
import type { StatusCause } from '../errors.js';
import { isObject, type Json, type JsonObject, num } from '../json.js';
import {
  forbiddenValue,
  invalidValue,
  notNegative,
  notSupported,
  required,
} from '../validation.js';

/** apimachinery's `IsValidPercent` message. */
const PERCENT =
  "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')";

const isPercent = (v: Json | undefined): v is string =>
  typeof v === 'string' && /^[0-9]+%$/.test(v);

/**
 * The value kube-apiserver reads from an int-or-string (`getIntOrPercentValue`): a percent's
 * number, an integer, or a string's leading `strconv.Atoi` value (0 when it is no integer).
 * Only its comparisons with 0 and 100 matter, so a JavaScript number is precise enough.
 */
function intOrPercentValue(v: Json | undefined): number {
  if (typeof v === 'number') return v;
  if (isPercent(v)) return Number(v.slice(0, -1));
  return typeof v === 'string' && /^[+-]?[0-9]+$/.test(v) ? Number(v) : 0;
}

/** An absent int-or-string converts to the zero value, which Go writes as `0`. */
const intOrString = (v: Json | undefined): Json => (typeof v === 'string' ? v : (v ?? 0));

/** `ValidatePositiveIntOrPercent`: a percent string or an integer `>= 0`. */
export function positiveIntOrPercentCauses(v: Json | undefined, field: string): StatusCause[] {
  if (typeof v === 'string') return isPercent(v) ? [] : [invalidValue(field, v, PERCENT)];
  return notNegative(field, v);
}

/** `IsNotMoreThan100Percent`. */
export function notOver100Causes(v: Json | undefined, field: string): StatusCause[] {
  return isPercent(v) && intOrPercentValue(v) > 100
    ? [invalidValue(field, v, 'must not be greater than 100%')]
    : [];
}

/** The internal strategy struct a refused type is quoted as (`RollingUpdate` in Go's field order). */
function goStrategy(strategy: JsonObject, rollingUpdate: (ru: JsonObject) => JsonObject): Json {
  const ru = strategy.rollingUpdate;
  return { Type: strategy.type ?? '', RollingUpdate: isObject(ru) ? rollingUpdate(ru) : null };
}

const goSurgeUpdate = (ru: JsonObject): JsonObject => ({
  MaxUnavailable: intOrString(ru.maxUnavailable),
  MaxSurge: intOrString(ru.maxSurge),
});

const goStatefulUpdate = (ru: JsonObject): JsonObject => ({
  Partition: num(ru.partition),
  MaxUnavailable: ru.maxUnavailable ?? null,
});

/** `ValidateDeploymentStrategy` at `spec.strategy`. */
export function deploymentStrategyCauses(strategy: Json | undefined): StatusCause[] {
  const s = isObject(strategy) ? strategy : {};
  const at = 'spec.strategy';
  switch (s.type) {
    case 'Recreate':
      return isObject(s.rollingUpdate)
        ? [
            forbiddenValue(
              `${at}.rollingUpdate`,
              "may not be specified when strategy `type` is 'Recreate'",
            ),
          ]
        : [];
    case 'RollingUpdate': {
      if (!isObject(s.rollingUpdate)) {
        return [required(`${at}.rollingUpdate`, 'this should be defaulted and never be nil')];
      }
      const ru = s.rollingUpdate;
      const path = `${at}.rollingUpdate`;
      const causes = [
        ...positiveIntOrPercentCauses(ru.maxUnavailable, `${path}.maxUnavailable`),
        ...positiveIntOrPercentCauses(ru.maxSurge, `${path}.maxSurge`),
      ];
      if (intOrPercentValue(ru.maxUnavailable) === 0 && intOrPercentValue(ru.maxSurge) === 0) {
        causes.push(
          invalidValue(
            `${path}.maxUnavailable`,
            intOrString(ru.maxUnavailable),
            'may not be 0 when `maxSurge` is 0',
          ),
        );
      }
      causes.push(...notOver100Causes(ru.maxUnavailable, `${path}.maxUnavailable`));
      return causes;
    }
    default:
      return [notSupported(at, goStrategy(s, goSurgeUpdate), ['Recreate', 'RollingUpdate'])];
  }
}

/** `ValidateRollingUpdateDaemonSet`: exactly one of `maxUnavailable` and `maxSurge` non-zero. */
function daemonSetRollingUpdateCauses(ru: JsonObject, path: string): StatusCause[] {
  const causes = [
    ...positiveIntOrPercentCauses(ru.maxUnavailable, `${path}.maxUnavailable`),
    ...positiveIntOrPercentCauses(ru.maxSurge, `${path}.maxSurge`),
    ...notOver100Causes(ru.maxUnavailable, `${path}.maxUnavailable`),
    ...notOver100Causes(ru.maxSurge, `${path}.maxSurge`),
  ];
  const unavailable = intOrPercentValue(ru.maxUnavailable) !== 0;
  const surge = intOrPercentValue(ru.maxSurge) !== 0;
  if (unavailable && surge) {
    causes.push(
      invalidValue(
        `${path}.maxSurge`,
        intOrString(ru.maxSurge),
        'may not be set when maxUnavailable is non-zero',
      ),
    );
  } else if (!unavailable && !surge) {
    causes.push(required(`${path}.maxUnavailable`, 'cannot be 0 when maxSurge is 0'));
  }
  return causes;
}

/** `ValidateDaemonSetUpdateStrategy` at `spec.updateStrategy`. */
export function daemonSetStrategyCauses(strategy: Json | undefined): StatusCause[] {
  const s = isObject(strategy) ? strategy : {};
  const at = 'spec.updateStrategy';
  switch (s.type) {
    case 'OnDelete':
      return [];
    case 'RollingUpdate':
      return isObject(s.rollingUpdate)
        ? daemonSetRollingUpdateCauses(s.rollingUpdate, `${at}.rollingUpdate`)
        : [required(`${at}.rollingUpdate`)];
    default:
      return [notSupported(at, goStrategy(s, goSurgeUpdate), ['RollingUpdate', 'OnDelete'])];
  }
}

/** `validateRollingUpdateStatefulSet`: a partition `>= 0`, a `maxUnavailable` not 0 nor over 100%. */
function statefulSetRollingUpdateCauses(ru: JsonObject, path: string): StatusCause[] {
  const causes = notNegative(`${path}.partition`, ru.partition);
  const max = ru.maxUnavailable;
  if (max === undefined || max === null) return causes;
  const at = `${path}.maxUnavailable`;
  causes.push(...positiveIntOrPercentCauses(max, at));
  if (intOrPercentValue(max) === 0) causes.push(invalidValue(at, max, 'cannot be 0'));
  causes.push(...notOver100Causes(max, at));
  return causes;
}

/** A StatefulSet's `updateStrategy` checks (in `ValidateStatefulSetSpec`). */
export function statefulSetStrategyCauses(strategy: Json | undefined): StatusCause[] {
  const s = isObject(strategy) ? strategy : {};
  const at = 'spec.updateStrategy';
  switch (s.type ?? '') {
    case '':
      return [required(at)];
    case 'OnDelete':
      return isObject(s.rollingUpdate)
        ? [
            invalidValue(
              `${at}.rollingUpdate`,
              goStatefulUpdate(s.rollingUpdate),
              "only allowed for updateStrategy 'RollingUpdate'",
            ),
          ]
        : [];
    case 'RollingUpdate':
      return isObject(s.rollingUpdate)
        ? statefulSetRollingUpdateCauses(s.rollingUpdate, `${at}.rollingUpdate`)
        : [];
    default:
      return [
        invalidValue(at, goStrategy(s, goStatefulUpdate), "must be 'RollingUpdate' or 'OnDelete'"),
      ];
  }
}
