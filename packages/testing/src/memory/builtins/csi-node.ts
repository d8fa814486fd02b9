/**
 * storage.k8s.io/v1 CSINode, checked as kube-apiserver checks it (own code, for the causes
 * and their order): each driver named as a CSI driver, once; a node ID of at most 256
 * characters; an allocatable count not negative; topology keys present, distinct and
 * qualified names (their causes at the driver's path, as there). An update may change a
 * driver's allocatable count but nothing else of a driver it keeps (the driver quoted as
 * kube-apiserver's internal struct).
 */
import type { StatusCause } from '../errors.js';
import { isObject, type JsonObject, str } from '../json.js';
import {
  duplicate,
  invalidValue,
  notNegative,
  qualifiedNameErrors,
  required,
} from '../validation.js';
import { type GoShape, goSemanticEqual, goStructJson } from './go-struct-json.js';
import { FIELD_IMMUTABLE, type KindRules } from './kind-rules.js';
import { csiDriverCauses } from './pod-volumes.js';

const NODE_ID_MAX = 256;

/** A driver as kube-apiserver's internal CSINodeDriver, its allocatable left out. */
const DRIVER: GoShape = {
  struct: [
    ['Name', 'name', 'string'],
    ['NodeID', 'nodeID', 'string'],
    ['TopologyKeys', 'topologyKeys', 'strings'],
    ['Allocatable', '', { struct: [], pointer: true }],
  ],
};

const driversOf = (o: JsonObject): JsonObject[] =>
  isObject(o.spec) && Array.isArray(o.spec.drivers) ? o.spec.drivers.filter(isObject) : [];

function driverCauses(d: JsonObject, at: string, names: Set<string>): StatusCause[] {
  const name = str(d.name);
  const causes = csiDriverCauses(`${at}.name`, name);
  const nodeID = str(d.nodeID);
  if (nodeID === '') causes.push(required(`${at}.nodeID`));
  if (nodeID.length > NODE_ID_MAX)
    causes.push(invalidValue(`${at}.nodeID`, nodeID, `must be ${NODE_ID_MAX} characters or less`));
  if (isObject(d.allocatable))
    causes.push(...notNegative(`${at}.allocatable.count`, d.allocatable.count));
  if (names.has(name)) causes.push(duplicate(`${at}.name`, name));
  names.add(name);
  const keys = new Set<string>();
  for (const k of Array.isArray(d.topologyKeys) ? d.topologyKeys : []) {
    const key = str(k);
    if (key === '') causes.push(required(at));
    if (keys.has(key)) causes.push(duplicate(at, key));
    keys.add(key);
    for (const why of qualifiedNameErrors(key)) causes.push(invalidValue(at, key, why));
  }
  return causes;
}

function nodeCauses(obj: JsonObject): StatusCause[] {
  const names = new Set<string>();
  return driversOf(obj).flatMap((d, i) => driverCauses(d, `spec.drivers[${i}]`, names));
}

/** storage.k8s.io/v1 CSINode's validation and update rules. */
export const csiNodeRules: KindRules = {
  validate: (obj, ctx) => (ctx.create ? nodeCauses(obj) : []),
  validateUpdate(next, prev) {
    const causes = nodeCauses(next);
    for (const before of driversOf(prev)) {
      for (const after of driversOf(next)) {
        if (str(before.name) !== str(after.name) || goSemanticEqual(after, before, DRIVER))
          continue;
        causes.push(invalidValue('spec.drivers', goStructJson(after, DRIVER), FIELD_IMMUTABLE));
      }
    }
    return causes;
  },
};
