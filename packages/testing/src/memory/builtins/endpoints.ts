/**
 * core/v1 Endpoints, as kube-apiserver's registry strategy writes and checks them (own
 * code, for its causes and their order): a port's `protocol` defaults to TCP; every subset
 * has addresses, each address a legacy IP outside the special ranges with an optional
 * RFC 1123 label `hostname` and subdomain `nodeName`; ports named when there are several,
 * with valid numbers, protocols and `appProtocol`; warnings for addresses the server would
 * write otherwise (unless the endpoints controller wrote them).
 */
import { dns1123SubdomainErrors } from '@kube-ts/schema/validation';
import type { StatusCause } from '../errors.js';
import { isObject, type Json, type JsonObject, num, str } from '../json.js';
import { metaOf } from '../object-meta.js';
import {
  invalidValue,
  notSupported,
  qualifiedNameErrors,
  required,
  rfc1123LabelCauses,
} from '../validation.js';
import { endpointIPCauses, ipWarnings, legacyIPCauses } from './ip-addresses.js';
import type { KindRules } from './kind-rules.js';
import { portNumberErrors } from './ports.js';

/** The protocols of a port, as `sets.List` orders them. */
export const ENDPOINT_PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

/** The label the endpoints controller marks its Endpoints with. */
const MANAGED_BY = 'endpoints.kubernetes.io/managed-by';
const CONTROLLER = 'endpoint-controller';

const objects = (v: Json | undefined) => (Array.isArray(v) ? v.filter(isObject) : []);

/** Whether an object carries the label `key` with `value` (a controller's mark). */
export function labelled(obj: JsonObject, key: string, value: string): boolean {
  const labels = metaOf(obj).labels;
  return isObject(labels) && labels[key] === value;
}
const subsetsOf = (obj: JsonObject) => objects(obj.subsets);
const ADDRESS_LISTS = ['addresses', 'notReadyAddresses'] as const;

/** `ValidateNodeName`'s causes (a DNS subdomain) at `field`. */
export function nodeNameCauses(field: string, name: string): StatusCause[] {
  return dns1123SubdomainErrors(name).map((why) => invalidValue(field, name, why));
}

/** `ValidateQualifiedName`'s causes of an `appProtocol`. */
export function appProtocolCauses(field: string, value: string): StatusCause[] {
  return qualifiedNameErrors(value).map((why) => invalidValue(field, value, why));
}

function addressCauses(a: JsonObject, at: string): StatusCause[] {
  const ip = str(a.ip);
  const causes = legacyIPCauses(`${at}.ip`, ip);
  const hostname = str(a.hostname);
  if (hostname !== '') causes.push(...rfc1123LabelCauses(`${at}.hostname`, hostname));
  if (typeof a.nodeName === 'string') causes.push(...nodeNameCauses(`${at}.nodeName`, a.nodeName));
  causes.push(...endpointIPCauses(`${at}.ip`, ip));
  return causes;
}

function portCauses(p: JsonObject, at: string, named: boolean): StatusCause[] {
  const causes: StatusCause[] = [];
  const name = str(p.name);
  if (named && name === '') causes.push(required(`${at}.name`));
  else if (name !== '') causes.push(...rfc1123LabelCauses(`${at}.name`, name));
  const port = num(p.port);
  causes.push(...portNumberErrors(port).map((why) => invalidValue(`${at}.port`, port, why)));
  const protocol = str(p.protocol);
  if (protocol === '') causes.push(required(`${at}.protocol`));
  else if (!ENDPOINT_PROTOCOLS.includes(protocol)) {
    causes.push(notSupported(`${at}.protocol`, protocol, ENDPOINT_PROTOCOLS));
  }
  if (typeof p.appProtocol === 'string') {
    causes.push(...appProtocolCauses(`${at}.appProtocol`, p.appProtocol));
  }
  return causes;
}

/** core/v1 Endpoints: the protocol default, the subsets' checks and the address warnings. */
export const endpointsRules: KindRules = {
  defaults(obj) {
    for (const subset of subsetsOf(obj)) {
      for (const p of objects(subset.ports)) p.protocol ||= 'TCP';
      // Empty lists are not written (Go's `omitempty`).
      for (const k of [...ADDRESS_LISTS, 'ports']) {
        if (Array.isArray(subset[k]) && subset[k].length === 0) delete subset[k];
      }
    }
    if (Array.isArray(obj.subsets) && obj.subsets.length === 0) delete obj.subsets;
  },

  validate(obj) {
    return subsetsOf(obj).flatMap((subset, i) => {
      const at = `subsets[${i}]`;
      const causes: StatusCause[] = [];
      const [ready, notReady] = ADDRESS_LISTS.map((k) => objects(subset[k]));
      if (ready!.length === 0 && notReady!.length === 0) {
        causes.push(required(at, 'must specify `addresses` or `notReadyAddresses`'));
      }
      for (const k of ADDRESS_LISTS) {
        causes.push(...objects(subset[k]).flatMap((a, j) => addressCauses(a, `${at}.${k}[${j}]`)));
      }
      const ports = objects(subset.ports);
      const named = ports.length > 1;
      causes.push(...ports.flatMap((p, j) => portCauses(p, `${at}.ports[${j}]`, named)));
      return causes;
    });
  },

  warnings(obj) {
    if (labelled(obj, MANAGED_BY, CONTROLLER)) return [];
    return subsetsOf(obj).flatMap((subset, i) =>
      ADDRESS_LISTS.flatMap((k) =>
        objects(subset[k]).flatMap((a, j) => ipWarnings(`subsets[${i}].${k}[${j}].ip`, str(a.ip))),
      ),
    );
  },
};
