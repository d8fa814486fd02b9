/**
 * What kube-apiserver's resource validation checks inside one ResourceSlice device (own
 * code, in its order and words): the number of attributes and capacities, attribute
 * names (qualified names) and values (exactly one of `int`, `bool`, `string`, `version`;
 * strings of at most 64 characters, versions semver 2.0.0), capacity request policies
 * (only on a device with `allowMultipleAllocations`: valid values sorted, within the
 * capacity, naming the default; or a range whose min, max, step and default agree),
 * taints, counter consumption and binding conditions; and the shared counter sets' counter
 * names. Map entries are checked in the object's key order (kube-apiserver ranges over Go
 * maps, in no fixed order).
 */
import { dns1123LabelErrors, Quantity } from '@kube-ts/schema/validation';
import type { StatusCause } from '../errors.js';
import { deepEqual, isObject, type Json, type JsonObject, str, strings } from '../json.js';
import { timestamp } from '../state.js';
import {
  duplicate,
  forbiddenValue,
  invalidValue,
  labelValueCauses,
  notSupported,
  qualifiedNameErrors,
  required,
  tooLong,
  tooMany,
} from '../validation.js';
import { deviceQualifiedNameCauses } from './device-claim.js';
import { decodeQuantity, formatNanos } from './quantities.js';

const MAX_ATTRIBUTES_AND_CAPACITIES = 32;
const MAX_ATTRIBUTE_VALUES = 48;
const MAX_VALUE_LENGTH = 64;
/** A qualified name's longest form (`domain/id`), beyond which its path is shortened. */
const MAX_KEY_LENGTH = 63 + 1 + 32;
const MAX_TAINTS = 16;
const MAX_CONSUMPTIONS = 2;
const MAX_COUNTERS = 32;
const MAX_VALID_VALUES = 10;
const MAX_BINDING_CONDITIONS = 4;
const TAINT_EFFECTS = ['NoExecute', 'NoSchedule', 'None'];
/** semver.org 2.0.0, as kube-apiserver's `semverRe` spells it. */
const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-(0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(\.(0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*)?(\+[0-9a-zA-Z-]+(\.[0-9a-zA-Z-]+)*)?$/;

const entries = (v: Json | undefined): [string, Json][] => (isObject(v) ? Object.entries(v) : []);
const each = (field: string, value: Json, messages: string[]) =>
  messages.map((why) => invalidValue(field, value, why));

/** A quantity as the checks use it: its value, `String()` text and `Value()` (rounded up). */
interface Parsed {
  readonly q: Quantity;
  readonly text: string;
  readonly value: bigint;
}

/** A stored quantity field (its text already decoded); zero when absent. */
function parsedQuantity(v: Json | undefined): Parsed {
  const raw = typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '0';
  const decoded = decodeQuantity(raw);
  const text = 'text' in decoded ? decoded.text : raw;
  const q = Quantity.parse(text) ?? new Quantity(0n, 0);
  const unit = 10n ** BigInt(q.scale);
  const value = q.digits / unit + (q.digits % unit > 0n ? 1n : 0n);
  return { q, text, value };
}

/** The `String()` of a sum, in the format of the quantity `like` (binary or decimal). */
function sumText(q: Quantity, like: string): string {
  const nanos =
    q.scale <= 9 ? q.digits * 10n ** BigInt(9 - q.scale) : q.digits / 10n ** BigInt(q.scale - 9);
  return formatNanos(nanos, /[KMGTPE]i$/.test(like));
}

/** A map key in a field path, its middle cut out when longer than `max` (`truncateIfTooLong`). */
function keyPath(at: string, key: string, max: number): string {
  const limit = Math.max(max, 16);
  if (key.length <= limit) return `${at}[${key}]`;
  const keep = limit - 3;
  return `${at}[${key.slice(0, Math.ceil(keep / 2))}...${key.slice(key.length - Math.floor(keep / 2))}]`;
}

/**
 * A map: too many entries (one cause), else each key checked at the map and each value at
 * its key (`validateMap`).
 */
function mapCauses(
  map: Json | undefined,
  max: number,
  keyMax: number,
  at: string,
  checkKey: (key: string, at: string) => StatusCause[],
  checkValue: (value: Json, at: string) => StatusCause[],
): StatusCause[] {
  const list = entries(map);
  if (max >= 0 && list.length > max) return [tooMany(at, list.length, max)];
  return list.flatMap(([key, value]) => [
    ...checkKey(key, at),
    ...checkValue(value, keyPath(at, key, keyMax)),
  ]);
}

const counterNameCauses = (name: string, at: string) => each(at, name, dns1123LabelErrors(name));

/** A map of counters (name → `{value}`): at most 32, names DNS labels. */
export function countersCauses(counters: Json | undefined, at: string): StatusCause[] {
  return mapCauses(counters, MAX_COUNTERS, 63, at, counterNameCauses, () => []);
}

/**
 * An attribute as kube-apiserver quotes it: its internal Go struct marshalled without JSON
 * names (the list values are dropped: their gate is off).
 */
function goAttribute(a: JsonObject): JsonObject {
  const field = (k: string): Json => a[k] ?? null;
  return {
    IntValue: field('int'),
    BoolValue: field('bool'),
    StringValue: field('string'),
    VersionValue: field('version'),
    IntValues: null,
    BoolValues: null,
    StringValues: null,
    VersionValues: null,
  };
}

/** One attribute: exactly one value, a string not too long, a version in semver. */
function attributeCauses(attribute: Json, at: string): StatusCause[] {
  const a = isObject(attribute) ? attribute : {};
  const causes: StatusCause[] = [];
  let set = 0;
  for (const kind of ['int', 'bool', 'string', 'version']) {
    const value = a[kind];
    if (value === undefined || value === null) continue;
    set++;
    const text = str(value);
    if (kind === 'version' && !SEMVER.test(text)) {
      causes.push(
        invalidValue(
          `${at}.version`,
          text,
          'must be a string compatible with semver.org spec 2.0.0',
        ),
      );
    }
    if ((kind === 'string' || kind === 'version') && text.length > MAX_VALUE_LENGTH) {
      causes.push(tooLong(`${at}.${kind}`, MAX_VALUE_LENGTH));
    }
  }
  if (set !== 1) {
    causes.push(
      invalidValue(at, set === 0 ? '' : goAttribute(a), 'exactly one value must be specified'),
    );
  }
  return causes;
}

/** A capacity's request policy, only on a device that allows multiple allocations. */
function capacityCauses(capacity: Json, at: string, multiple: boolean): StatusCause[] {
  const c = isObject(capacity) ? capacity : {};
  const policy = c.requestPolicy;
  if (!isObject(policy)) return [];
  const policyAt = `${at}.requestPolicy`;
  if (!multiple) return [forbiddenValue(policyAt, 'allowMultipleAllocations must be true')];
  const values = Array.isArray(policy.validValues) ? policy.validValues : [];
  const range = policy.validRange;
  if (values.length > 0 && isObject(range)) {
    return [
      forbiddenValue(
        policyAt,
        'exactly one policy can be specified, cannot specify "validValues" and "validRange" at the same time',
      ),
    ];
  }
  const cap = parsedQuantity(c.value);
  const def = policy.default;
  if (values.length > 0) {
    if (def === undefined || def === null) {
      return [required(`${policyAt}.default`, 'required when validValues is defined')];
    }
    return validValuesCauses(values, parsedQuantity(def), cap, `${policyAt}.validValues`);
  }
  if (isObject(range)) {
    if (def === undefined || def === null) {
      return [required(`${policyAt}.default`, 'required when validRange is defined')];
    }
    return rangeCauses(range, parsedQuantity(def), cap, `${policyAt}.validRange`);
  }
  return [];
}

function validValuesCauses(values: Json[], def: Parsed, cap: Parsed, at: string): StatusCause[] {
  const options = values.map(parsedQuantity);
  const causes: StatusCause[] = [];
  for (let i = 0; i + 1 < options.length; i++) {
    const [a, b] = [options[i]!, options[i + 1]!];
    if (a.q.compareTo(b.q) > 0) {
      causes.push(
        invalidValue(`${at}[${i + 1}]`, b.text, 'values must be sorted in ascending order'),
      );
    }
  }
  if (options.length > MAX_VALID_VALUES) {
    causes.push(tooMany(at, options.length, MAX_VALID_VALUES));
  } else {
    const seen = new Set<string>();
    let found = false;
    options.forEach((o, i) => {
      if (o.q.compareTo(cap.q) > 0) {
        causes.push(
          invalidValue(`${at}[${i}]`, o.text, `option is larger than capacity value: ${cap.text}`),
        );
      }
      if (o.q.compareTo(def.q) === 0) found = true;
    });
    options.forEach((o, i) => {
      const key = o.value.toString();
      if (seen.has(key)) causes.push(duplicate(`${at}[${i}]`, key));
      else seen.add(key);
    });
    if (!found) {
      causes.push(
        invalidValue(at, def.text, 'default value is not valid according to the requestPolicy'),
      );
    }
    return causes;
  }
  causes.push(
    invalidValue(at, def.text, 'default value is not valid according to the requestPolicy'),
  );
  return causes;
}

function rangeCauses(range: JsonObject, def: Parsed, cap: Parsed, at: string): StatusCause[] {
  if (range.min === undefined || range.min === null) {
    return [required(`${at}.min`, 'required when validRange is defined')];
  }
  const causes: StatusCause[] = [];
  const min = parsedQuantity(range.min);
  if (min.q.compareTo(cap.q) > 0) {
    causes.push(
      invalidValue(`${at}.min`, min.text, `min is larger than capacity value: ${cap.text}`),
    );
  }
  if (def.q.compareTo(min.q) < 0) {
    causes.push(invalidValue(`${at}.min`, def.text, `default is less than min: ${min.text}`));
  }
  const max = range.max === undefined || range.max === null ? undefined : parsedQuantity(range.max);
  if (max) {
    if (min.q.compareTo(max.q) > 0) {
      causes.push(invalidValue(`${at}.max`, min.text, `min is larger than max: ${max.text}`));
    }
    if (max.q.compareTo(cap.q) > 0) {
      causes.push(
        invalidValue(`${at}.max`, max.text, `max is larger than capacity value: ${cap.text}`),
      );
    }
    if (def.q.compareTo(max.q) > 0) {
      causes.push(invalidValue(`${at}.max`, def.text, `default is more than max: ${max.text}`));
    }
  }
  if (range.step !== undefined && range.step !== null) {
    const step = parsedQuantity(range.step);
    const added = sumText(min.q.add(step.q), min.text);
    if (min.q.add(step.q).compareTo(cap.q) > 0) {
      causes.push(
        invalidValue(
          `${at}.step`,
          step.text,
          `one step ${added} is larger than capacity value: ${cap.text}`,
        ),
      );
    }
    for (const v of max ? [def, max] : [def]) {
      if (step.value !== 0n && (v.value - min.value) % step.value !== 0n) {
        causes.push(
          invalidValue(
            `${at}.step`,
            v.text,
            `value is not a multiple of a given step (${step.text}) from (${min.text})`,
          ),
        );
      }
    }
  }
  return causes;
}

/** A device taint: a label-name key, a label value, a known effect. */
function taintCauses(t: JsonObject, at: string): StatusCause[] {
  const key = str(t.key);
  const causes = each(`${at}.key`, key, qualifiedNameErrors(key));
  const value = str(t.value);
  if (value !== '') causes.push(...labelValueCauses(`${at}.value`, value));
  const effect = str(t.effect);
  if (effect === '') causes.push(required(`${at}.effect`));
  else if (!TAINT_EFFECTS.includes(effect)) {
    causes.push(notSupported(`${at}.effect`, effect, TAINT_EFFECTS));
  }
  return causes;
}

function consumptionCauses(c: JsonObject, at: string): StatusCause[] {
  const set = str(c.counterSet);
  const causes =
    set === '' ? [required(`${at}.counterSet`)] : counterNameCauses(set, `${at}.counterSet`);
  if (entries(c.counters).length === 0) causes.push(required(`${at}.counters`));
  else causes.push(...countersCauses(c.counters, `${at}.counters`));
  return causes;
}

/** A list of binding conditions: at most 4 label names. */
function conditionListCauses(list: string[], at: string): StatusCause[] {
  if (list.length > MAX_BINDING_CONDITIONS) {
    return [tooMany(at, list.length, MAX_BINDING_CONDITIONS)];
  }
  return list.flatMap((c, i) => each(`${at}[${i}]`, c, qualifiedNameErrors(c)));
}

/** `bindingConditions` and `bindingFailureConditions` of a device or an allocation result. */
export function bindingConditionsCauses(o: JsonObject, at: string): StatusCause[] {
  const conditions = strings(o.bindingConditions);
  const failures = strings(o.bindingFailureConditions);
  const okAt = `${at}.bindingConditions`;
  const failAt = `${at}.bindingFailureConditions`;
  const causes = [
    ...conditionListCauses(conditions, okAt),
    ...conditionListCauses(failures, failAt),
  ];
  const seen = new Set<string>();
  conditions.forEach((c, i) => {
    if (seen.has(c)) causes.push(duplicate(`${okAt}[${i}]`, c));
    else seen.add(c);
  });
  const seenFailures = new Set<string>();
  failures.forEach((c, i) => {
    if (seenFailures.has(c)) causes.push(duplicate(`${failAt}[${i}]`, c));
    else seenFailures.add(c);
    if (conditions.includes(c)) {
      causes.push(
        invalidValue(
          `${failAt}[${i}]`,
          c,
          'bindingFailureConditions must not overlap with bindingConditions',
        ),
      );
    }
  });
  if (conditions.length === 0 && failures.length > 0) {
    causes.push(
      invalidValue(okAt, null, 'bindingConditions are required to use bindingFailureConditions'),
    );
  }
  if (failures.length === 0 && conditions.length > 0) {
    causes.push(
      invalidValue(failAt, null, 'bindingFailureConditions are required to use bindingConditions'),
    );
  }
  return causes;
}

/**
 * The attributes, capacities, taints and counter consumption of device `d` at `at`
 * (`prev`: the stored device of that name, whose unchanged taints are not checked again).
 */
export function deviceContentCauses(
  d: JsonObject,
  prev: JsonObject | undefined,
  at: string,
): StatusCause[] {
  const causes: StatusCause[] = [];
  const attributes = entries(d.attributes);
  const total = attributes.length + entries(d.capacity).length;
  if (total > MAX_ATTRIBUTES_AND_CAPACITIES) {
    causes.push(
      invalidValue(
        at,
        total,
        `the total number of attributes and capacities must not exceed ${MAX_ATTRIBUTES_AND_CAPACITIES}`,
      ),
    );
  }
  if (attributes.length > MAX_ATTRIBUTE_VALUES) {
    causes.push(
      invalidValue(
        at,
        attributes.length,
        `the total number of attribute values must not exceed ${MAX_ATTRIBUTE_VALUES}`,
      ),
    );
  }
  const nameCauses = (key: string, mapAt: string) => deviceQualifiedNameCauses(mapAt, key);
  causes.push(
    ...mapCauses(d.attributes, -1, MAX_KEY_LENGTH, `${at}.attributes`, nameCauses, attributeCauses),
  );
  const multiple = d.allowMultipleAllocations === true;
  causes.push(
    ...mapCauses(d.capacity, -1, MAX_KEY_LENGTH, `${at}.capacity`, nameCauses, (c, cAt) =>
      capacityCauses(c, cAt, multiple),
    ),
  );
  const taints = Array.isArray(d.taints) ? d.taints : [];
  if (!prev || !deepEqual(prev.taints ?? null, d.taints ?? null)) {
    if (taints.length > MAX_TAINTS) causes.push(tooMany(`${at}.taints`, taints.length, MAX_TAINTS));
    else {
      taints.forEach((t, i) => {
        causes.push(...taintCauses(isObject(t) ? t : {}, `${at}.taints[${i}]`));
      });
    }
  }
  const consumptions = Array.isArray(d.consumesCounters) ? d.consumesCounters : [];
  const consumptionsAt = `${at}.consumesCounters`;
  if (consumptions.length > MAX_CONSUMPTIONS) {
    causes.push(tooMany(consumptionsAt, consumptions.length, MAX_CONSUMPTIONS));
  } else {
    consumptions.forEach((c, i) => {
      causes.push(...consumptionCauses(isObject(c) ? c : {}, `${consumptionsAt}[${i}]`));
    });
    const seen = new Set<string>();
    consumptions.forEach((c, i) => {
      const set = isObject(c) ? str(c.counterSet) : '';
      if (seen.has(set)) causes.push(duplicate(`${consumptionsAt}[${i}]`, set));
      else seen.add(set);
    });
  }
  return causes;
}

/**
 * Drops what a gate that is off in v1.36 hides, as the ResourceSlice strategy does: list
 * attribute values (DRAListTypeAttributes) and node allocatable resource mappings
 * (DRANodeAllocatableResources).
 */
export function dropGatedDeviceFields(spec: Json | undefined): void {
  const devices = isObject(spec) && Array.isArray(spec.devices) ? spec.devices : [];
  for (const d of devices) {
    if (!isObject(d)) continue;
    delete d.nodeAllocatableResourceMappings;
    for (const [, attribute] of entries(d.attributes)) {
      if (!isObject(attribute)) continue;
      for (const list of ['ints', 'bools', 'strings', 'versions']) delete attribute[list];
    }
  }
}

/**
 * A device taint without `timeAdded` gets the time it is written (to the second), as
 * resource.k8s.io/v1's defaulter (`SetDefaults_DeviceTaint`) gives it on every write.
 */
export function defaultTaintTimes(spec: Json | undefined): void {
  const devices = isObject(spec) && Array.isArray(spec.devices) ? spec.devices : [];
  for (const d of devices) {
    const taints = isObject(d) && Array.isArray(d.taints) ? d.taints : [];
    for (const taint of taints) {
      if (isObject(taint) && (taint.timeAdded === undefined || taint.timeAdded === null)) {
        taint.timeAdded = timestamp();
      }
    }
  }
}
