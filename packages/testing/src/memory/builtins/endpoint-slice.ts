/**
 * discovery.k8s.io/v1 EndpointSlice, as kube-apiserver's registry strategy writes and
 * checks it (own code, for its causes and their order): port `name` "" and `protocol` TCP
 * by default, `endpoints`, `ports` and each endpoint's `conditions` written as Go writes
 * its struct (`null`, `null`, `{}`), `deprecatedTopology` dropped from v1 writes; the
 * address type, ports (names unique), endpoints (addresses of the slice's type, node and
 * host names, zone and node hints) and the limits; an immutable address type; generation
 * moved by the spec and by labels; warnings for FQDN slices and addresses the server
 * would write otherwise.
 */
import {
  dns1123LabelErrors,
  dns1123SubdomainErrors,
  labelValueErrors,
} from '@kube-ts/schema/validation';
import type { StatusCause } from '../errors.js';
import { deepEqual, isObject, type Json, type JsonObject, str } from '../json.js';
import { metaOf } from '../object-meta.js';
import {
  duplicate,
  invalidValue,
  notSupported,
  required,
  rfc1123LabelCauses,
  tooMany,
} from '../validation.js';
import { appProtocolCauses, ENDPOINT_PROTOCOLS, labelled, nodeNameCauses } from './endpoints.js';
import {
  endpointIPCauses,
  ipWarnings,
  isIPv4Address,
  legacyIPCauses,
  strictIPCauses,
} from './ip-addresses.js';
import { FIELD_IMMUTABLE, type KindRules } from './kind-rules.js';

const ADDRESS_TYPES = ['FQDN', 'IPv4', 'IPv6'];
const MAX_ENDPOINTS = 1000;
const MAX_ADDRESSES = 100;
const MAX_PORTS = 20000;
const MAX_HINTS = 8;
/** The controllers whose slices get no address warnings (they write them right). */
const CONTROLLERS = ['endpointslice-controller.k8s.io', 'endpointslicemirroring-controller.k8s.io'];
const MANAGED_BY = 'endpointslice.kubernetes.io/managed-by';

const objects = (v: Json | undefined) => (Array.isArray(v) ? v.filter(isObject) : []);

/** `IsFullyQualifiedDomainName`'s cause of an FQDN address (one at most). */
function fqdnCauses(field: string, address: string): StatusCause[] {
  if (address === '') return [required(field)];
  const name = address.endsWith('.') ? address.slice(0, -1) : address;
  const errs = dns1123SubdomainErrors(name);
  if (errs.length) return [invalidValue(field, name, errs.join(','))];
  const labels = name.split('.');
  if (labels.length < 2) {
    return [
      invalidValue(field, name, 'should be a domain with at least two segments separated by dots'),
    ];
  }
  const label = labels.find((l) => dns1123LabelErrors(l).length > 0);
  return label === undefined
    ? []
    : [invalidValue(field, label, dns1123LabelErrors(label).join(','))];
}

/** The causes of one address of a slice of `type` (unknown types are not checked). */
function addressCauses(type: string, address: string, at: string, list: string): StatusCause[] {
  if (type === 'FQDN') return fqdnCauses(at, address);
  if (type !== 'IPv4' && type !== 'IPv6') return [];
  const ipCauses = type === 'IPv4' ? legacyIPCauses(at, address) : strictIPCauses(at, address);
  if (ipCauses.length) return ipCauses;
  const v4 = isIPv4Address(address);
  const causes =
    type === 'IPv4' && !v4
      ? [invalidValue(list, address, 'must be an IPv4 address')]
      : type === 'IPv6' && v4
        ? [invalidValue(list, address, 'must be an IPv6 address')]
        : [];
  return [...causes, ...endpointIPCauses(at, address)];
}

/** The causes of unique, valid names in a hint list (zones: label values; nodes: node names). */
function hintCauses(hints: JsonObject[], at: string, zones: boolean): StatusCause[] {
  if (hints.length > MAX_HINTS) return [tooMany(at, hints.length, MAX_HINTS)];
  const seen = new Set<string>();
  return hints.flatMap((h, i) => {
    const field = `${at}[${i}].name`;
    const name = str(h.name);
    const causes = seen.has(name) ? [duplicate(field, name)] : [];
    seen.add(name);
    if (zones) causes.push(...labelValueErrors(name).map((why) => invalidValue(field, name, why)));
    else causes.push(...nodeNameCauses(field, name));
    return causes;
  });
}

function endpointCauses(type: string, endpoints: JsonObject[]): StatusCause[] {
  if (endpoints.length > MAX_ENDPOINTS) {
    return [tooMany('endpoints', endpoints.length, MAX_ENDPOINTS)];
  }
  return endpoints.flatMap((e, i) => {
    const at = `endpoints[${i}]`;
    const list = `${at}.addresses`;
    const addresses = Array.isArray(e.addresses) ? e.addresses : [];
    const causes: StatusCause[] = [];
    if (addresses.length === 0) causes.push(required(list, 'must contain at least 1 address'));
    else if (addresses.length > MAX_ADDRESSES) {
      causes.push(tooMany(list, addresses.length, MAX_ADDRESSES));
    }
    causes.push(...addresses.flatMap((a, j) => addressCauses(type, str(a), `${list}[${j}]`, list)));
    if (typeof e.nodeName === 'string')
      causes.push(...nodeNameCauses(`${at}.nodeName`, e.nodeName));
    if (typeof e.hostname === 'string')
      causes.push(...rfc1123LabelCauses(`${at}.hostname`, e.hostname));
    if (isObject(e.hints)) {
      const zones = hintCauses(objects(e.hints.forZones), `${at}.hints.forZones`, true);
      causes.push(...zones);
      // A zone list over the limit ends the hints' checks.
      if (!zones.some((c) => c.reason === 'FieldValueTooMany')) {
        causes.push(...hintCauses(objects(e.hints.forNodes), `${at}.hints.forNodes`, false));
      }
    }
    return causes;
  });
}

function portCauses(ports: JsonObject[]): StatusCause[] {
  if (ports.length > MAX_PORTS) return [tooMany('ports', ports.length, MAX_PORTS)];
  const names = new Set<string>();
  return ports.flatMap((p, i) => {
    const at = `ports[${i}]`;
    const name = str(p.name);
    const causes = name === '' ? [] : rfc1123LabelCauses(`${at}.name`, name);
    if (names.has(name)) causes.push(duplicate(`${at}.name`, name));
    names.add(name);
    const protocol = p.protocol;
    if (typeof protocol !== 'string') causes.push(required(`${at}.protocol`));
    else if (!ENDPOINT_PROTOCOLS.includes(protocol)) {
      causes.push(notSupported(`${at}.protocol`, protocol, ENDPOINT_PROTOCOLS));
    }
    if (typeof p.appProtocol === 'string') {
      causes.push(...appProtocolCauses(`${at}.appProtocol`, p.appProtocol));
    }
    return causes;
  });
}

/** discovery.k8s.io/v1 EndpointSlice: defaults, checks, generation and warnings. */
export const endpointSliceRules: KindRules = {
  defaults(obj) {
    obj.endpoints ??= null;
    obj.ports ??= null;
    for (const e of objects(obj.endpoints)) {
      if (!isObject(e.conditions)) e.conditions = {};
      // v1 has no writable topology: kube-apiserver drops it from v1 writes.
      delete e.deprecatedTopology;
    }
    for (const p of objects(obj.ports)) {
      p.name ??= '';
      p.protocol ??= 'TCP';
    }
  },

  validate(obj, ctx) {
    const type = str(obj.addressType);
    const causes: StatusCause[] = [];
    if (type === '') causes.push(required('addressType'));
    else if (!ADDRESS_TYPES.includes(type)) {
      causes.push(notSupported('addressType', type, ADDRESS_TYPES));
    }
    causes.push(...portCauses(objects(obj.ports)));
    // An update that keeps the endpoints is not refused for them (older rules allowed them).
    if (!ctx.old || !deepEqual(ctx.old.endpoints ?? null, obj.endpoints ?? null)) {
      causes.push(...endpointCauses(type, objects(obj.endpoints)));
    }
    if (ctx.old && ctx.old.addressType !== obj.addressType) {
      causes.push(invalidValue('addressType', obj.addressType ?? '', FIELD_IMMUTABLE));
    }
    return causes;
  },

  warnings(obj, ctx) {
    const out =
      ctx.create && obj.addressType === 'FQDN'
        ? ['spec.addressType: FQDN endpoints are deprecated']
        : [];
    if (CONTROLLERS.some((c) => labelled(obj, MANAGED_BY, c))) return out;
    const addressesOf = (e: JsonObject) => (Array.isArray(e.addresses) ? e.addresses : []);
    return out.concat(
      objects(obj.endpoints).flatMap((e, i) =>
        addressesOf(e).flatMap((a, j) => ipWarnings(`endpoints[${i}].addresses[${j}]`, str(a))),
      ),
    );
  },

  generationChanged(next, prev) {
    const body = ({ metadata: _m, ...rest }: JsonObject) => rest;
    return (
      !deepEqual(body(next), body(prev)) || !deepEqual(metaOf(next).labels, metaOf(prev).labels)
    );
  },
};
