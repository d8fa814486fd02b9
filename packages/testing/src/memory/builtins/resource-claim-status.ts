/**
 * A ResourceClaim's `status` written through `/status`, as kube-apiserver's resource
 * validation checks it (own code, in its order and words): `reservedFor` consumers (at most
 * 256, resource, name and uid, unique uids, only beside an allocation, none added while
 * the claim is being deleted), device statuses (driver, pool, device, share ID, an
 * allocated device used once, conditions, opaque data, network data), and an allocation
 * that, once set, may not change: its results (a request of the claim, driver, pool,
 * device, binding conditions, share ID), its config (source, requests, opaque config) and
 * its node selector. Also the strategy's cleanup: device statuses of devices no longer
 * allocated are dropped.
 */
import { dns1123LabelErrors } from '@kube-ts/schema/validation';
import type { StatusCause } from '../errors.js';
import { deepEqual, isObject, type Json, type JsonObject, str } from '../json.js';
import {
  duplicate,
  forbiddenValue,
  invalidValue,
  notSupported,
  required,
  tooLong,
  tooMany,
} from '../validation.js';
import { addressText, parseCidr } from './cidr.js';
import { deviceConfigCauses, requestNames, requestRefCauses } from './device-claim.js';
import { FIELD_IMMUTABLE } from './kind-rules.js';
import { conditionsCauses } from './metav1-conditions.js';
import { nodeSelectorTermsCauses } from './pod-scheduling.js';
import { csiDriverCauses } from './pod-volumes.js';
import { poolNameCauses } from './resource-slice.js';
import { bindingConditionsCauses } from './resource-slice-device.js';

const MAX_RESERVED_FOR = 256;
const MAX_RESULTS = 32;
const MAX_CONFIG = 64;
const MAX_CONDITIONS = 8;
const MAX_DATA = 10 * 1024;
const MAX_INTERFACE_NAME = 256;
const MAX_HARDWARE_ADDRESS = 128;
const MAX_IPS = 16;
const SOURCES = ['FromClaim', 'FromClass'];
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

const objects = (v: Json | undefined): JsonObject[] => (Array.isArray(v) ? v.filter(isObject) : []);
const each = (field: string, value: Json, messages: string[]) =>
  messages.map((why) => invalidValue(field, value, why));

/** Why `google/uuid`'s `Validate` refuses a UID (undefined when it parses). */
function uuidError(uid: string): string | undefined {
  const hex = (s: string) => /^[0-9a-fA-F]*$/.test(s);
  switch (uid.length) {
    case 36:
      return UUID.test(uid) ? undefined : 'invalid UUID format';
    case 32:
      return hex(uid) ? undefined : 'invalid UUID format';
    case 38:
      return uid.startsWith('{') && uid.endsWith('}') && UUID.test(uid.slice(1, -1))
        ? undefined
        : 'invalid UUID format';
    case 45:
      if (uid.slice(0, 9).toLowerCase() !== 'urn:uuid:') {
        return `invalid urn prefix: ${JSON.stringify(uid.slice(0, 9))}`;
      }
      return UUID.test(uid.slice(9)) ? undefined : 'invalid UUID format';
    default:
      return `invalid UUID length: ${uid.length}`;
  }
}

/** A share ID: a UUID in RFC 4122 normalized form. */
function uidCauses(uid: string, at: string): StatusCause[] {
  const error = uuidError(uid);
  if (error) return [invalidValue(at, uid, `error validating uid: ${error}`)];
  if (uid.length !== 36 || uid !== uid.toLowerCase()) {
    return [
      invalidValue(
        at,
        uid,
        'uid must be in RFC 4122 normalized form, `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` with lowercase hexadecimal characters',
      ),
    ];
  }
  return [];
}

/** A device as the allocation and the device statuses identify it (Go's `SharedDeviceID`). */
function deviceId(o: JsonObject): JsonObject {
  return {
    Driver: str(o.driver),
    Pool: str(o.pool),
    Device: str(o.device),
    ShareID: str(o.shareID),
  };
}

const idKey = (o: JsonObject): string => JSON.stringify(deviceId(o));

/** A RawExtension field (`validateRawExtension` of a new value): a JSON object, not too long. */
function rawObjectCauses(value: Json | undefined, at: string, max: number): StatusCause[] {
  if (value === undefined || value === null) return [required(at)];
  if (JSON.stringify(value).length > max) return [tooLong(at, max)];
  return isObject(value)
    ? []
    : [invalidValue(at, '<value omitted>', 'must be a valid JSON object')];
}

/** An interface address (`IsValidInterfaceAddress`): an IP with a prefix length, canonical. */
function interfaceAddressCauses(value: string, at: string): StatusCause[] {
  const c = parseCidr(value);
  if (!c) {
    return [
      invalidValue(
        at,
        value,
        'must be a valid address in CIDR form, (e.g. 10.9.8.7/24 or 2001:db8::1/64)',
      ),
    ];
  }
  const canonical = `${addressText(c.address, c.bits)}/${c.prefix}`;
  return value === canonical
    ? []
    : [invalidValue(at, value, `must be in canonical form (${JSON.stringify(canonical)})`)];
}

function networkDataCauses(data: Json | undefined, at: string): StatusCause[] {
  if (!isObject(data)) return [];
  const causes: StatusCause[] = [];
  if (str(data.interfaceName).length > MAX_INTERFACE_NAME) {
    causes.push(tooLong(`${at}.interfaceName`, MAX_INTERFACE_NAME));
  }
  if (str(data.hardwareAddress).length > MAX_HARDWARE_ADDRESS) {
    causes.push(tooLong(`${at}.hardwareAddress`, MAX_HARDWARE_ADDRESS));
  }
  const ips = Array.isArray(data.ips) ? data.ips.map((ip) => str(ip)) : [];
  if (ips.length > MAX_IPS) return [...causes, tooMany(`${at}.ips`, ips.length, MAX_IPS)];
  ips.forEach((ip, i) => {
    causes.push(...interfaceAddressCauses(ip, `${at}.ips[${i}]`));
  });
  const seen = new Set<string>();
  ips.forEach((ip, i) => {
    if (seen.has(ip)) causes.push(duplicate(`${at}.ips[${i}]`, ip));
    else seen.add(ip);
  });
  return causes;
}

function deviceStatusCauses(d: JsonObject, at: string, allocated: Set<string>): StatusCause[] {
  const causes = csiDriverCauses(`${at}.driver`, str(d.driver));
  causes.push(...poolNameCauses(str(d.pool), `${at}.pool`));
  causes.push(...each(`${at}.device`, str(d.device), dns1123LabelErrors(str(d.device))));
  if (typeof d.shareID === 'string') causes.push(...uidCauses(d.shareID, `${at}.shareID`));
  if (!allocated.has(idKey(d))) {
    causes.push(invalidValue(at, deviceId(d), 'must be an allocated device in the claim'));
  }
  const conditions = Array.isArray(d.conditions) ? d.conditions : [];
  if (conditions.length > MAX_CONDITIONS) {
    causes.push(tooMany(`${at}.conditions`, conditions.length, MAX_CONDITIONS));
  }
  causes.push(...conditionsCauses(conditions, `${at}.conditions`));
  if (d.data !== undefined && d.data !== null) {
    causes.push(...rawObjectCauses(d.data, `${at}.data`, MAX_DATA));
  }
  causes.push(...networkDataCauses(d.networkData, `${at}.networkData`));
  return causes;
}

/** A new allocation (`validateAllocationResult`). */
function allocationCauses(
  allocation: JsonObject,
  names: ReturnType<typeof requestNames>,
  at: string,
): StatusCause[] {
  const devices = isObject(allocation.devices) ? allocation.devices : {};
  const causes: StatusCause[] = [];
  const results = Array.isArray(devices.results) ? devices.results : [];
  const resultsAt = `${at}.devices.results`;
  if (results.length > MAX_RESULTS) causes.push(tooMany(resultsAt, results.length, MAX_RESULTS));
  else {
    results.forEach((item, i) => {
      const r = isObject(item) ? item : {};
      const rAt = `${resultsAt}[${i}]`;
      causes.push(...requestRefCauses(str(r.request), `${rAt}.request`, names));
      causes.push(...csiDriverCauses(`${rAt}.driver`, str(r.driver)));
      causes.push(...poolNameCauses(str(r.pool), `${rAt}.pool`));
      causes.push(...each(`${rAt}.device`, str(r.device), dns1123LabelErrors(str(r.device))));
      causes.push(...bindingConditionsCauses(r, rAt));
      if (typeof r.shareID === 'string') causes.push(...uidCauses(r.shareID, `${rAt}.shareID`));
    });
  }
  const configs = Array.isArray(devices.config) ? devices.config : [];
  const configAt = `${at}.devices.config`;
  if (configs.length > MAX_CONFIG) causes.push(tooMany(configAt, configs.length, MAX_CONFIG));
  else {
    configs.forEach((item, i) => {
      const c = isObject(item) ? item : {};
      const cAt = `${configAt}[${i}]`;
      const source = str(c.source);
      if (source === '') causes.push(required(`${cAt}.source`));
      else if (!SOURCES.includes(source))
        causes.push(notSupported(`${cAt}.source`, source, SOURCES));
      const refs = Array.isArray(c.requests) ? c.requests.map((x) => str(x)) : [];
      refs.forEach((ref, j) => {
        causes.push(...requestRefCauses(ref, `${cAt}.requests[${j}]`, names));
      });
      const seen = new Set<string>();
      refs.forEach((ref, j) => {
        if (seen.has(ref)) causes.push(duplicate(`${cAt}.requests[${j}]`, ref));
        else seen.add(ref);
      });
      causes.push(...deviceConfigCauses(c, cAt));
    });
  }
  if (isObject(allocation.nodeSelector)) {
    causes.push(...nodeSelectorTermsCauses(allocation.nodeSelector, `${at}.nodeSelector`));
  }
  return causes;
}

/** The allocated devices of a status, by `SharedDeviceID`. */
function allocatedDevices(status: JsonObject): Set<string> {
  const allocation = isObject(status.allocation) ? status.allocation : {};
  const devices = isObject(allocation.devices) ? allocation.devices : {};
  return new Set(objects(devices.results).map(idKey));
}

/** How a Go struct field is written: a string (zero `""`), or a pointer, slice or struct (zero `null`) converted. */
type GoField = [json: string, go: string, kind?: 'string' | ((v: Json) => Json)];

/**
 * Go's internal struct of an object, as `encoding/json` writes it: its fields in order, by
 * their Go names, absent ones at their zero value.
 */
function goStruct(o: Json | undefined, fields: GoField[]): Json {
  if (!isObject(o)) return null;
  return Object.fromEntries(
    fields.map(([json, go, kind]) => {
      const v = o[json];
      if (v === undefined || v === null) return [go, kind === 'string' ? '' : null];
      return [go, typeof kind === 'function' ? kind(v) : v];
    }),
  );
}

const goList =
  (item: (v: Json) => Json) =>
  (v: Json): Json =>
    Array.isArray(v) ? v.map(item) : null;

const goRequirement = (v: Json) =>
  goStruct(v, [
    ['key', 'Key', 'string'],
    ['operator', 'Operator', 'string'],
    ['values', 'Values'],
  ]);

/**
 * An allocation as kube-apiserver quotes it when it changed: its internal Go struct
 * marshalled without JSON names.
 */
function goAllocation(allocation: JsonObject): Json {
  const result = (v: Json) =>
    goStruct(v, [
      ['request', 'Request', 'string'],
      ['driver', 'Driver', 'string'],
      ['pool', 'Pool', 'string'],
      ['device', 'Device', 'string'],
      ['adminAccess', 'AdminAccess'],
      [
        'tolerations',
        'Tolerations',
        goList((t) =>
          goStruct(t, [
            ['key', 'Key', 'string'],
            ['operator', 'Operator', 'string'],
            ['value', 'Value', 'string'],
            ['effect', 'Effect', 'string'],
            ['tolerationSeconds', 'TolerationSeconds'],
          ]),
        ),
      ],
      ['bindingConditions', 'BindingConditions'],
      ['bindingFailureConditions', 'BindingFailureConditions'],
      ['shareID', 'ShareID'],
      ['consumedCapacity', 'ConsumedCapacity'],
    ]);
  const config = (v: Json) =>
    goStruct(v, [
      ['source', 'Source', 'string'],
      ['requests', 'Requests'],
      [
        'opaque',
        'Opaque',
        (o) =>
          goStruct(o, [
            ['driver', 'Driver', 'string'],
            ['parameters', 'Parameters'],
          ]),
      ],
    ]);
  const term = (v: Json) =>
    goStruct(v, [
      ['matchExpressions', 'MatchExpressions', goList(goRequirement)],
      ['matchFields', 'MatchFields', goList(goRequirement)],
    ]);
  return goStruct(allocation, [
    [
      'devices',
      'Devices',
      (d) =>
        goStruct(d, [
          ['results', 'Results', goList(result)],
          ['config', 'Config', goList(config)],
        ]),
    ],
    [
      'nodeSelector',
      'NodeSelector',
      (n) => goStruct(n, [['nodeSelectorTerms', 'NodeSelectorTerms', goList(term)]]),
    ],
    ['allocationTimestamp', 'AllocationTimestamp'],
  ]);
}

const statusOf = (claim: JsonObject): JsonObject => (isObject(claim.status) ? claim.status : {});

/** The causes of a ResourceClaim status update (`ValidateResourceClaimStatusUpdate`). */
export function claimStatusCauses(next: JsonObject, prev: JsonObject): StatusCause[] {
  const status = statusOf(next);
  const old = statusOf(prev);
  const spec = isObject(next.spec) ? next.spec : {};
  const claimDevices = isObject(spec.devices) ? spec.devices : {};
  const names = requestNames(objects(claimDevices.requests));
  const causes: StatusCause[] = [];
  const reserved = Array.isArray(status.reservedFor) ? status.reservedFor : [];
  if (reserved.length > MAX_RESERVED_FOR) {
    causes.push(tooMany('status.reservedFor', reserved.length, MAX_RESERVED_FOR));
  } else {
    reserved.forEach((item, i) => {
      const ref = isObject(item) ? item : {};
      for (const field of ['resource', 'name', 'uid']) {
        if (str(ref[field]) === '') causes.push(required(`status.reservedFor[${i}].${field}`));
      }
    });
    const seen = new Set<string>();
    reserved.forEach((item, i) => {
      const uid = isObject(item) ? str(item.uid) : '';
      if (seen.has(uid)) causes.push(duplicate(`status.reservedFor[${i}]`, uid));
      else seen.add(uid);
    });
  }
  const allocated = allocatedDevices(status);
  const statuses = objects(status.devices);
  statuses.forEach((d, i) => {
    causes.push(...deviceStatusCauses(d, `status.devices[${i}]`, allocated));
  });
  const seenDevices = new Set<string>();
  statuses.forEach((d, i) => {
    const key = idKey(d);
    if (seenDevices.has(key)) causes.push(duplicate(`status.devices[${i}]`, deviceId(d)));
    else seenDevices.add(key);
  });
  if (reserved.length > 0) {
    if (!isObject(status.allocation)) {
      causes.push(
        forbiddenValue('status.reservedFor', 'may not be specified when `allocated` is not set'),
      );
    } else if (isObject(next.metadata) && next.metadata.deletionTimestamp) {
      const before = new Set(objects(old.reservedFor).map((r) => JSON.stringify(r)));
      if (objects(status.reservedFor).some((r) => !before.has(JSON.stringify(r)))) {
        causes.push(
          forbiddenValue(
            'status.reservedFor',
            'new entries may not be added while `deallocationRequested` or `deletionTimestamp` are set',
          ),
        );
      }
    }
  }
  if (isObject(old.allocation) && isObject(status.allocation)) {
    if (!deepEqual(status.allocation, old.allocation)) {
      causes.push(
        invalidValue('status.allocation', goAllocation(status.allocation), FIELD_IMMUTABLE),
      );
    }
  } else if (isObject(status.allocation)) {
    causes.push(...allocationCauses(status.allocation, names, 'status.allocation'));
  }
  return causes;
}

/**
 * The status strategy's cleanup (`dropDeallocatedStatusDevices`): the statuses of devices
 * that the stored allocation had and the new one no longer has are dropped.
 */
export function dropDeallocatedDevices(next: JsonObject, prev: JsonObject): void {
  const status = statusOf(next);
  if (!Array.isArray(status.devices)) return;
  const kept = allocatedDevices(status);
  const gone = [...allocatedDevices(statusOf(prev))].filter((k) => !kept.has(k));
  if (gone.length === 0) return;
  const devices = status.devices.filter((d) => !isObject(d) || !gone.includes(idKey(d)));
  if (devices.length > 0) status.devices = devices;
  else delete status.devices;
}
