/**
 * autoscaling HorizontalPodAutoscaler, in its stored (autoscaling/v2) form whichever version
 * a request used: the v2 defaults (`minReplicas` 1, a CPU `Utilization` metric of 80 when
 * none is named, the scale-up and scale-down rules of a given `behavior`) and the registry's
 * validation of the spec (replica bounds, the scale target, the metric specs), with
 * kube-apiserver's causes (own code, for its exact messages).
 */
import type { StatusCause } from '../errors.js';
import { isObject, type Json, type JsonObject, num } from '../json.js';
import {
  forbiddenValue,
  invalidValue,
  notSupported,
  pathSegmentNameErrors,
  required,
  rfc1123LabelCauses,
} from '../validation.js';
import { DEFAULT_CPU_UTILIZATION } from './hpa-conversion.js';
import type { KindRules } from './kind-rules.js';
import { containerResourceNameCauses } from './pod-resources.js';
import { decodeQuantity } from './quantities.js';

const obj = (v: Json | undefined): JsonObject => (isObject(v) ? v : {});

/** The scale-up rules a `behavior` gets where it leaves them out. */
const SCALE_UP: JsonObject = {
  stabilizationWindowSeconds: 0,
  selectPolicy: 'Max',
  policies: [
    { type: 'Pods', value: 4, periodSeconds: 15 },
    { type: 'Percent', value: 100, periodSeconds: 15 },
  ],
};
/** The scale-down rules a `behavior` gets where it leaves them out (no window: the controller's). */
const SCALE_DOWN: JsonObject = {
  selectPolicy: 'Max',
  policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
};

/** Given rules over the defaults, field by field, as the v2 defaulting copies them. */
function withDefaults(given: Json | undefined, defaults: JsonObject): JsonObject {
  const out = structuredClone(defaults);
  if (!isObject(given)) return out;
  for (const k of ['selectPolicy', 'stabilizationWindowSeconds', 'policies', 'tolerance'])
    if (given[k] !== undefined && given[k] !== null) out[k] = given[k];
  return out;
}

const SOURCE_TYPES = ['ContainerResource', 'External', 'Object', 'Pods', 'Resource'];
const SOURCE_FIELDS: Record<string, string> = {
  Object: 'object',
  Pods: 'pods',
  Resource: 'resource',
  External: 'external',
  ContainerResource: 'containerResource',
};
const UNIQUE_ORDER = ['object', 'external', 'pods', 'resource', 'containerResource'];

/** Whether a quantity is above zero (an unparsable one is the decoder's error, not ours). */
function positive(q: Json | undefined): boolean {
  if (typeof q !== 'string') return true;
  const d = decodeQuantity(q);
  return 'error' in d || !/^(-|0$|0[a-zA-Z])/.test(d.text);
}

function metricTargetCauses(t: JsonObject, path: string): StatusCause[] {
  const causes: StatusCause[] = [];
  const type = typeof t.type === 'string' ? t.type : '';
  if (!type) causes.push(required(`${path}.type`, 'must specify a metric target type'));
  if (!['Utilization', 'Value', 'AverageValue'].includes(type)) {
    causes.push(
      invalidValue(`${path}.type`, type, 'must be either Utilization, Value, or AverageValue'),
    );
  }
  for (const k of ['value', 'averageValue'])
    if (!positive(t[k])) causes.push(invalidValue(`${path}.${k}`, t[k], 'must be positive'));
  const u = t.averageUtilization;
  if (typeof u === 'number' && u < 1)
    causes.push(invalidValue(`${path}.averageUtilization`, u, 'must be greater than 0'));
  return causes;
}

function resourceSourceCauses(src: JsonObject, path: string, container: boolean): StatusCause[] {
  const causes: StatusCause[] = [];
  if (!src.name) causes.push(required(`${path}.name`, 'must specify a resource name'));
  else if (container && typeof src.name === 'string')
    causes.push(...containerResourceNameCauses(src.name, `${path}.name`));
  if (container) {
    const name = typeof src.container === 'string' ? src.container : '';
    if (!name) causes.push(required(`${path}.container`, 'must specify a container'));
    else causes.push(...rfc1123LabelCauses(`${path}.container`, name));
  }
  const target = obj(src.target);
  causes.push(...metricTargetCauses(target, `${path}.target`));
  const hasUtilization =
    target.averageUtilization !== undefined && target.averageUtilization !== null;
  const hasValue = target.averageValue !== undefined && target.averageValue !== null;
  if (!hasUtilization && !hasValue) {
    causes.push(
      required(
        `${path}.target.averageUtilization`,
        'must set either a target raw value or a target utilization',
      ),
    );
  }
  if (hasUtilization && hasValue) {
    causes.push(
      forbiddenValue(
        `${path}.target.averageValue`,
        'may not set both a target raw value and a target utilization',
      ),
    );
  }
  return causes;
}

const isSet = (v: Json | undefined): boolean => v !== undefined && v !== null;

function identifierCauses(id: JsonObject, path: string): StatusCause[] {
  const name = typeof id.name === 'string' ? id.name : '';
  if (!name) return [required(`${path}.name`, 'must specify a metric name')];
  return pathSegmentNameErrors(name).map((m) => invalidValue(`${path}.name`, name, m));
}

/** The causes of a Pods, Object or External source (`kind`: which). */
function metricSourceCauses(kind: string, src: JsonObject, path: string): StatusCause[] {
  const target = obj(src.target);
  const causes: StatusCause[] = [];
  if (kind === 'object') {
    causes.push(...refCauses(obj(src.describedObject), `${path}.describedObject`, true, false));
  }
  causes.push(...identifierCauses(obj(src.metric), `${path}.metric`));
  causes.push(...metricTargetCauses(target, `${path}.target`));
  const value = isSet(target.value);
  const average = isSet(target.averageValue);
  const averagePath = `${path}.target.averageValue`;
  if (kind === 'pods' && !average)
    causes.push(required(averagePath, 'must specify a positive target averageValue'));
  if (kind === 'object' && !value && !average)
    causes.push(required(averagePath, 'must set either a target value or averageValue'));
  if (kind === 'external' && !value && !average) {
    causes.push(
      required(averagePath, 'must set either a target value for metric or a per-pod target'),
    );
  }
  if (kind === 'external' && value && average) {
    causes.push(
      forbiddenValue(
        `${path}.target.value`,
        'may not set both a target value for metric and a per-pod target',
      ),
    );
  }
  return causes;
}

function metricCauses(m: JsonObject, path: string): StatusCause[] {
  const causes: StatusCause[] = [];
  const type = typeof m.type === 'string' ? m.type : '';
  if (!type) causes.push(required(`${path}.type`, 'must specify a metric source type'));
  if (!SOURCE_TYPES.includes(type)) causes.push(notSupported(`${path}.type`, type, SOURCE_TYPES));
  const present = UNIQUE_ORDER.filter((k) => isObject(m[k]));
  const first = present[0];
  if (first === 'resource' || first === 'containerResource')
    causes.push(...resourceSourceCauses(obj(m[first]), `${path}.${first}`, first !== 'resource'));
  else if (first) causes.push(...metricSourceCauses(first, obj(m[first]), `${path}.${first}`));
  const expected = SOURCE_FIELDS[type];
  if (expected && !isObject(m[expected])) {
    causes.push(
      required(`${path}.${expected}`, 'must populate information for the given metric source'),
    );
  } else if (!expected) {
    // kube-apiserver's switch on the type refuses an unknown one (empty too) a second time.
    causes.push(notSupported(`${path}.type`, type, SOURCE_TYPES));
  }
  if (present.length > 1) {
    for (const k of present) {
      if (k !== expected)
        causes.push(forbiddenValue(`${path}.${k}`, 'must populate the given metric source only'));
    }
  }
  return causes;
}

/** The longest stabilization window a scaling rule may ask for, in seconds. */
const MAX_WINDOW = 3600;
/** The longest period a scaling policy may have, in seconds. */
const MAX_PERIOD = 1800;
const SELECT_POLICIES = ['Disabled', 'Max', 'Min'];
const POLICY_TYPES = ['Percent', 'Pods'];

/** A scaling policy's causes: its type, a value and a period above zero, the longest period. */
function scalingPolicyCauses(p: JsonObject, path: string): StatusCause[] {
  const causes: StatusCause[] = [];
  const type = typeof p.type === 'string' ? p.type : '';
  if (!POLICY_TYPES.includes(type)) causes.push(notSupported(`${path}.type`, type, POLICY_TYPES));
  const value = num(p.value);
  if (value <= 0) causes.push(invalidValue(`${path}.value`, value, 'must be greater than zero'));
  const period = num(p.periodSeconds);
  if (period <= 0)
    causes.push(invalidValue(`${path}.periodSeconds`, period, 'must be greater than zero'));
  if (period > MAX_PERIOD) {
    causes.push(
      invalidValue(`${path}.periodSeconds`, period, `must be less than or equal to ${MAX_PERIOD}`),
    );
  }
  return causes;
}

/**
 * One direction's scaling rules (already defaulted): the window, the select policy, at least
 * one policy, and a tolerance that is not negative (the HPAConfigurableTolerance gate is on
 * in v1.36, so a tolerance is kept and checked).
 */
function scalingRulesCauses(rules: JsonObject, path: string): StatusCause[] {
  const causes: StatusCause[] = [];
  const window = rules.stabilizationWindowSeconds;
  if (typeof window === 'number' && window < 0) {
    causes.push(
      invalidValue(
        `${path}.stabilizationWindowSeconds`,
        window,
        'must be greater than or equal to zero',
      ),
    );
  }
  if (typeof window === 'number' && window > MAX_WINDOW) {
    causes.push(
      invalidValue(
        `${path}.stabilizationWindowSeconds`,
        window,
        `must be less than or equal to ${MAX_WINDOW}`,
      ),
    );
  }
  const select = rules.selectPolicy;
  if (typeof select === 'string' && !SELECT_POLICIES.includes(select))
    causes.push(notSupported(`${path}.selectPolicy`, select, SELECT_POLICIES));
  const policies = Array.isArray(rules.policies) ? rules.policies : [];
  if (policies.length === 0)
    causes.push(required(`${path}.policies`, 'must specify at least one Policy'));
  policies.forEach((p, i) => {
    causes.push(...scalingPolicyCauses(obj(p), `${path}.policies[${i}]`));
  });
  if (typeof rules.tolerance === 'string') {
    const d = decodeQuantity(rules.tolerance);
    if ('text' in d && d.text.startsWith('-')) {
      causes.push(invalidValue(`${path}.tolerance`, d.text, 'must be greater than or equal to 0'));
    }
  }
  return causes;
}

/** A `behavior`'s causes: its scale-up rules, then its scale-down rules. */
function behaviorCauses(behavior: Json | undefined): StatusCause[] {
  if (!isObject(behavior)) return [];
  return ['scaleUp', 'scaleDown'].flatMap((k) =>
    isObject(behavior[k]) ? scalingRulesCauses(behavior[k], `spec.behavior.${k}`) : [],
  );
}

/** `schema.ParseGroupVersion`'s complaint about an apiVersion, if any. */
function apiVersionError(apiVersion: string, allowEmptyGroup: boolean): string | undefined {
  const parts = apiVersion.split('/');
  if (parts.length > 2 || (parts.length === 2 && apiVersion.startsWith('/')))
    return `unexpected GroupVersion string: ${apiVersion}`;
  const group = parts.length === 2 ? parts[0] : '';
  return !allowEmptyGroup && !group ? 'apiVersion must specify API group' : undefined;
}

/** A CrossVersionObjectReference's causes (`keepVersion`: its apiVersion is not checked). */
function refCauses(
  ref: JsonObject,
  path: string,
  allowEmptyGroup: boolean,
  keepVersion: boolean,
): StatusCause[] {
  const causes: StatusCause[] = [];
  for (const k of ['kind', 'name']) {
    const v = typeof ref[k] === 'string' ? ref[k] : '';
    if (!v) causes.push(required(`${path}.${k}`));
    else for (const m of pathSegmentNameErrors(v)) causes.push(invalidValue(`${path}.${k}`, v, m));
  }
  const apiVersion = typeof ref.apiVersion === 'string' ? ref.apiVersion : '';
  const error = keepVersion ? undefined : apiVersionError(apiVersion, allowEmptyGroup);
  if (error) causes.push(invalidValue(`${path}.apiVersion`, apiVersion, error));
  return causes;
}

function scaleTargetCauses(ref: JsonObject, prev: JsonObject | undefined): StatusCause[] {
  // An update that keeps the kind and apiVersion is not checked again; a
  // ReplicationController (core group) may leave the group out.
  const unchanged =
    prev !== undefined && prev.apiVersion === ref.apiVersion && prev.kind === ref.kind;
  return refCauses(ref, 'spec.scaleTargetRef', ref.kind === 'ReplicationController', unchanged);
}

function specCauses(spec: JsonObject, prev: JsonObject | undefined): StatusCause[] {
  const causes: StatusCause[] = [];
  const min = spec.minReplicas;
  // HPAScaleToZero is off: 0 only stays allowed for an object that already has it.
  const lowest = obj(prev).minReplicas === 0 ? 0 : 1;
  if (typeof min === 'number' && min < lowest) {
    causes.push(
      invalidValue('spec.minReplicas', min, `must be greater than or equal to ${lowest}`),
    );
  }
  const max = num(spec.maxReplicas);
  if (max === 0) causes.push(required('spec.maxReplicas', 'must be set and greater than 0'));
  else if (max < 0)
    causes.push(invalidValue('spec.maxReplicas', max, 'must be greater than or equal to 1'));
  if (typeof min === 'number' && max < min) {
    causes.push(
      invalidValue('spec.maxReplicas', max, 'must be greater than or equal to `minReplicas`'),
    );
  }
  causes.push(...scaleTargetCauses(obj(spec.scaleTargetRef), prev && obj(prev.scaleTargetRef)));
  const metrics = Array.isArray(spec.metrics) ? spec.metrics : [];
  metrics.forEach((m, i) => {
    causes.push(...metricCauses(obj(m), `spec.metrics[${i}]`));
  });
  if (min === 0 && !metrics.some((m) => ['Object', 'External'].includes(String(obj(m).type)))) {
    causes.push(
      forbiddenValue(
        'spec.metrics',
        'must specify at least one Object or External metric to support scaling to zero replicas',
      ),
    );
  }
  causes.push(...behaviorCauses(spec.behavior));
  return causes;
}

/** autoscaling HorizontalPodAutoscaler's defaults and validation (stored v2 form). */
export const horizontalPodAutoscalerRules: KindRules = {
  defaults(hpa) {
    const spec = obj(hpa.spec);
    hpa.spec = spec;
    if (spec.minReplicas === undefined || spec.minReplicas === null) spec.minReplicas = 1;
    if (!Array.isArray(spec.metrics) || spec.metrics.length === 0) {
      spec.metrics = [
        {
          type: 'Resource',
          resource: {
            name: 'cpu',
            target: { type: 'Utilization', averageUtilization: DEFAULT_CPU_UTILIZATION },
          },
        },
      ];
    }
    if (isObject(spec.behavior)) {
      spec.behavior.scaleUp = withDefaults(spec.behavior.scaleUp, SCALE_UP);
      spec.behavior.scaleDown = withDefaults(spec.behavior.scaleDown, SCALE_DOWN);
    }
  },
  validate(hpa, ctx) {
    // An update is checked by validateUpdate, which knows what the stored object allows.
    return ctx.create ? specCauses(obj(hpa.spec), undefined) : [];
  },
  validateUpdate(next, prev) {
    return specCauses(obj(next.spec), obj(prev.spec));
  },
};
