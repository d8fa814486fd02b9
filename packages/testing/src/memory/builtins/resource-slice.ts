/**
 * resource.k8s.io/v1 ResourceSlice, as kube-apiserver's resource validation checks it (own
 * code, in its order and words): a driver name, a pool (name of DNS subdomains, slice count
 * above zero, generation not negative), exactly one way of selecting nodes, no shared
 * counters beside devices, devices with unique DNS-label names that select their own nodes
 * only under `perDeviceNodeSelection`, node selectors, each device's contents
 * (`resource-slice-device.ts`) and binding conditions; the driver, pool name and node
 * name immutable.
 */
import { dns1123LabelErrors, dns1123SubdomainErrors } from '@kube-ts/schema/validation';
import type { StatusCause } from '../errors.js';
import { deepEqual, isObject, type Json, type JsonObject, num, str } from '../json.js';
import { duplicate, invalidValue, required, tooLong, tooMany } from '../validation.js';
import { FIELD_IMMUTABLE, type KindRules } from './kind-rules.js';
import { nodeSelectorTermsCauses } from './pod-scheduling.js';
import { csiDriverCauses } from './pod-volumes.js';
import {
  bindingConditionsCauses,
  countersCauses,
  defaultTaintTimes,
  deviceContentCauses,
  dropGatedDeviceFields,
} from './resource-slice-device.js';

const MAX_POOL_NAME = 253;
const MAX_DEVICES = 128;
/** The most devices when one has taints or consumes counters. */
const MAX_DEVICES_ADVANCED = 64;
const MAX_COUNTER_SETS = 8;
const NODE_CHOICES =
  'exactly one of `nodeName`, `nodeSelector`, `allNodes`, `perDeviceNodeSelection` is required';
const DEVICE_NODE_CHOICES =
  'exactly one of `nodeName`, `nodeSelector`, or `allNodes` is required when `perDeviceNodeSelection` is set to true in the ResourceSlice spec';

const nonEmpty = (v: Json | undefined): boolean => Array.isArray(v) && v.length > 0;
const each = (field: string, value: Json, messages: string[]) =>
  messages.map((why) => invalidValue(field, value, why));

/** A pool name: DNS subdomains separated by `/`, at most 253 characters. */
export function poolNameCauses(name: string, at: string): StatusCause[] {
  if (name === '') return [required(at)];
  const causes = name.length > MAX_POOL_NAME ? [tooLong(at, MAX_POOL_NAME)] : [];
  for (const part of name.split('/')) causes.push(...each(at, part, dns1123SubdomainErrors(part)));
  return causes;
}

function poolCauses(pool: JsonObject, at: string): StatusCause[] {
  const causes = poolNameCauses(str(pool.name), `${at}.name`);
  const count = num(pool.resourceSliceCount);
  if (count <= 0) {
    causes.push(invalidValue(`${at}.resourceSliceCount`, count, 'must be greater than zero'));
  }
  const generation = num(pool.generation);
  if (generation < 0) {
    causes.push(
      invalidValue(`${at}.generation`, generation, 'must be greater than or equal to zero'),
    );
  }
  return causes;
}

/** A node name (`ValidateNodeName`: a DNS subdomain). */
const nodeNameCauses = (at: string, name: string) => each(at, name, dns1123SubdomainErrors(name));

/** The node selection of a slice (or, with `device`, of one device under per-device selection). */
function nodeChoiceCauses(o: JsonObject, at: string, device: boolean): StatusCause[] {
  const causes: StatusCause[] = [];
  const set: string[] = [];
  if (typeof o.nodeName === 'string') {
    if (o.nodeName !== '') {
      set.push('`nodeName`');
      causes.push(...nodeNameCauses(`${at}.nodeName`, o.nodeName));
    } else {
      const why = device
        ? 'must not be empty'
        : 'must be either unset or set to a non-empty string';
      causes.push(invalidValue(`${at}.nodeName`, '', why));
    }
  }
  if (isObject(o.nodeSelector)) {
    set.push('`nodeSelector`');
    causes.push(...nodeSelectorTermsCauses(o.nodeSelector, `${at}.nodeSelector`));
    const terms = Array.isArray(o.nodeSelector.nodeSelectorTerms)
      ? o.nodeSelector.nodeSelectorTerms
      : [];
    if (!device && terms.length !== 1) {
      causes.push(
        invalidValue(
          `${at}.nodeSelector.nodeSelectorTerms`,
          terms,
          'must have exactly one node selector term',
        ),
      );
    }
  }
  const flags = device ? ['allNodes'] : ['allNodes', 'perDeviceNodeSelection'];
  for (const flag of flags) {
    if (o[flag] === true) set.push(`\`${flag}\``);
    else if (o[flag] === false) {
      causes.push(invalidValue(`${at}.${flag}`, false, 'must be either unset or set to true'));
    }
  }
  const what = device ? DEVICE_NODE_CHOICES : NODE_CHOICES;
  if (set.length === 0) causes.push(required(at, what));
  else if (set.length > 1) {
    const why = device ? what : `${what}, but multiple fields are set`;
    causes.push(invalidValue(at, `{${set.join(', ')}}`, why));
  }
  return causes;
}

function deviceCauses(
  d: JsonObject,
  prev: JsonObject | undefined,
  at: string,
  perDevice: boolean,
): StatusCause[] {
  const name = str(d.name);
  const causes = each(`${at}.name`, name, dns1123LabelErrors(name));
  causes.push(...deviceContentCauses(d, prev, at));
  if (perDevice) causes.push(...nodeChoiceCauses(d, at, true));
  else if (d.nodeName !== undefined || d.nodeSelector !== undefined || d.allNodes !== undefined) {
    causes.push(
      invalidValue(
        at,
        null,
        '`nodeName`, `nodeSelector` and `allNodes` can only be set if `perDeviceNodeSelection` is set to true in the ResourceSlice spec',
      ),
    );
  }
  causes.push(...bindingConditionsCauses(d, at));
  return causes;
}

/** A list of named items: too many, or each checked and then the names used twice. */
function namedSetCauses(
  items: Json | undefined,
  max: number,
  at: string,
  check: (item: JsonObject, at: string) => StatusCause[],
): StatusCause[] {
  const list = Array.isArray(items) ? items.filter(isObject) : [];
  if (list.length > max) return [tooMany(at, list.length, max)];
  const causes = list.flatMap((item, i) => check(item, `${at}[${i}]`));
  const seen = new Set<string>();
  list.forEach((item, i) => {
    const name = str(item.name);
    if (seen.has(name)) causes.push(duplicate(`${at}[${i}]`, name));
    else seen.add(name);
  });
  return causes;
}

function sliceCauses(spec: JsonObject, prev?: JsonObject): StatusCause[] {
  const causes = csiDriverCauses('spec.driver', str(spec.driver));
  const pool = isObject(spec.pool) ? spec.pool : {};
  causes.push(...poolCauses(pool, 'spec.pool'));
  if (prev) {
    const prevPool = isObject(prev.pool) ? prev.pool : {};
    for (const [field, a, b] of [
      ['spec.pool.name', str(pool.name), str(prevPool.name)],
      ['spec.driver', str(spec.driver), str(prev.driver)],
      ['spec.nodeName', spec.nodeName ?? null, prev.nodeName ?? null],
    ] as const) {
      if (!deepEqual(a, b)) causes.push(invalidValue(field, a, FIELD_IMMUTABLE));
    }
  }
  causes.push(...nodeChoiceCauses(spec, 'spec', false));
  if (spec.sharedCounters !== undefined && spec.devices !== undefined) {
    causes.push(invalidValue('spec', '', 'only one of `sharedCounters` or `devices` is allowed'));
  }
  const perDevice = spec.perDeviceNodeSelection === true;
  const devices = Array.isArray(spec.devices) ? spec.devices.filter(isObject) : [];
  const advanced = devices.some((d) => nonEmpty(d.taints) || nonEmpty(d.consumesCounters));
  const prevDevices = Array.isArray(prev?.devices) ? prev.devices.filter(isObject) : [];
  causes.push(
    ...namedSetCauses(
      spec.devices,
      advanced ? MAX_DEVICES_ADVANCED : MAX_DEVICES,
      'spec.devices',
      (d, at) => {
        const old = prevDevices.find((p) => str(p.name) === str(d.name));
        return deviceCauses(d, old, at, perDevice);
      },
    ),
  );
  causes.push(
    ...namedSetCauses(spec.sharedCounters, MAX_COUNTER_SETS, 'spec.sharedCounters', (c, at) => {
      const name = str(c.name);
      const own =
        name === '' ? [required(`${at}.name`)] : each(`${at}.name`, name, dns1123LabelErrors(name));
      if (!isObject(c.counters) || Object.keys(c.counters).length === 0) {
        own.push(required(`${at}.counters`));
      } else own.push(...countersCauses(c.counters, `${at}.counters`));
      return own;
    }),
  );
  return causes;
}

/** resource.k8s.io/v1 ResourceSlice: its spec checked on every write (see the module). */
export const resourceSliceRules: KindRules = {
  defaults(obj) {
    dropGatedDeviceFields(obj.spec);
    defaultTaintTimes(obj.spec);
  },
  validate(obj, ctx) {
    return ctx.create ? sliceCauses(isObject(obj.spec) ? obj.spec : {}) : [];
  },
  warnings(obj) {
    const driver = isObject(obj.spec) ? str(obj.spec.driver) : '';
    return driver === driver.toLowerCase()
      ? []
      : [
          `spec.driver: driver names should be lowercase; ${JSON.stringify(driver)} contains uppercase characters`,
        ];
  },
  validateUpdate(next, prev) {
    return sliceCauses(isObject(next.spec) ? next.spec : {}, isObject(prev.spec) ? prev.spec : {});
  },
};
