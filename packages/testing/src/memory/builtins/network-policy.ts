/**
 * networking.k8s.io/v1 NetworkPolicy: networking/v1's defaults (a port's `protocol` TCP,
 * `policyTypes` from the rules present) and kube-apiserver's checks of the spec (own code,
 * for its causes and their order): the pod selector, each ingress and egress rule's ports
 * (protocol, port number or name, `endPort`) and peers (selectors, or an `ipBlock` whose
 * `except` entries are strict subsets of its `cidr`), then `policyTypes`.
 */
import type { StatusCause } from '../errors.js';
import { isObject, type Json, type JsonObject } from '../json.js';
import { forbiddenValue, invalidValue, notSupported, required } from '../validation.js';
import { cidrContains, cidrErrors, networkOf, parseCidr } from './cidr.js';
import type { KindRules } from './kind-rules.js';
import { labelSelectorCauses } from './label-selector.js';
import { portNameErrors, portNumberErrors } from './ports.js';

const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];
const POLICY_TYPES = ['Ingress', 'Egress'];
const objects = (v: Json | undefined) => (Array.isArray(v) ? v.filter(isObject) : []);

/** The rules of a direction with their ports and peers (`from` or `to`). */
function rulesOf(spec: JsonObject, direction: 'ingress' | 'egress') {
  const peers = direction === 'ingress' ? 'from' : 'to';
  return objects(spec[direction]).map((rule, i) => ({
    at: `spec.${direction}[${i}]`,
    ports: objects(rule.ports),
    peers: objects(rule[peers]),
    peersAt: peers,
  }));
}

function portCauses(p: JsonObject, at: string): StatusCause[] {
  const causes: StatusCause[] = [];
  if (p.protocol !== undefined && p.protocol !== null && !PROTOCOLS.includes(String(p.protocol)))
    causes.push(notSupported(`${at}.protocol`, p.protocol, PROTOCOLS));
  const { port, endPort } = p;
  const hasEnd = typeof endPort === 'number';
  if (typeof port === 'number') {
    causes.push(...portNumberErrors(port).map((why) => invalidValue(`${at}.port`, port, why)));
    if (hasEnd) {
      // kube-apiserver quotes `port`'s value in the endPort cause.
      if (endPort < port)
        causes.push(invalidValue(`${at}.endPort`, port, 'must be greater than or equal to `port`'));
      causes.push(
        ...portNumberErrors(endPort).map((why) => invalidValue(`${at}.endPort`, endPort, why)),
      );
    }
  } else if (typeof port === 'string') {
    if (hasEnd)
      causes.push(
        invalidValue(`${at}.endPort`, endPort, 'may not be specified when `port` is non-numeric'),
      );
    causes.push(...portNameErrors(port).map((why) => invalidValue(`${at}.port`, port, why)));
  } else if (hasEnd) {
    causes.push(
      invalidValue(`${at}.endPort`, endPort, 'may not be specified when `port` is not specified'),
    );
  }
  return causes;
}

/** An `ipBlock`'s checks; `allowed`: CIDRs the stored object had, accepted as they are. */
function ipBlockCauses(block: JsonObject, at: string, allowed: Set<string>): StatusCause[] {
  const cidr = typeof block.cidr === 'string' ? block.cidr : '';
  if (cidr === '') return [required(`${at}.cidr`)];
  const check = (field: string, value: string) =>
    allowed.has(value) ? [] : cidrErrors(value).map((why) => invalidValue(field, value, why));
  const causes = check(`${at}.cidr`, cidr);
  const outer = parseCidr(cidr);
  if (!outer) return causes;
  const except = Array.isArray(block.except) ? block.except : [];
  except.forEach((e, i) => {
    const field = `${at}.except[${i}]`;
    const value = String(e);
    causes.push(...check(field, value));
    const inner = parseCidr(value);
    if (!inner) return;
    if (!cidrContains(outer, networkOf(inner), inner.bits) || outer.prefix >= inner.prefix)
      causes.push(invalidValue(field, value, 'must be a strict subset of `cidr`'));
  });
  return causes;
}

function peerCauses(peer: JsonObject, at: string, allowed: Set<string>): StatusCause[] {
  const causes: StatusCause[] = [];
  let peers = 0;
  for (const key of ['podSelector', 'namespaceSelector']) {
    const sel = peer[key];
    if (!isObject(sel)) continue;
    peers++;
    causes.push(...labelSelectorCauses(sel, `${at}.${key}`));
  }
  const block = peer.ipBlock;
  if (isObject(block)) {
    peers++;
    causes.push(...ipBlockCauses(block, `${at}.ipBlock`, allowed));
  }
  if (peers === 0) causes.push(required(at, 'must specify a peer'));
  else if (peers > 1 && isObject(block))
    causes.push(forbiddenValue(at, 'may not specify both ipBlock and another peer'));
  return causes;
}

function specCauses(obj: JsonObject, allowed: Set<string>): StatusCause[] {
  const spec = isObject(obj.spec) ? obj.spec : {};
  const causes = isObject(spec.podSelector)
    ? labelSelectorCauses(spec.podSelector, 'spec.podSelector')
    : [];
  for (const direction of ['ingress', 'egress'] as const) {
    for (const rule of rulesOf(spec, direction)) {
      causes.push(...rule.ports.flatMap((p, i) => portCauses(p, `${rule.at}.ports[${i}]`)));
      causes.push(
        ...rule.peers.flatMap((p, i) => peerCauses(p, `${rule.at}.${rule.peersAt}[${i}]`, allowed)),
      );
    }
  }
  const types = Array.isArray(spec.policyTypes) ? spec.policyTypes : [];
  if (types.length > POLICY_TYPES.length) {
    causes.push(
      invalidValue('spec.policyTypes', types, 'may not specify more than two policyTypes'),
    );
    return causes;
  }
  types.forEach((t, i) => {
    if (!POLICY_TYPES.includes(String(t)))
      causes.push(notSupported(`spec.policyTypes[${i}]`, t, POLICY_TYPES));
  });
  return causes;
}

/** The CIDRs of a stored policy's peers, which an update may keep even if now invalid. */
function storedCidrs(obj: JsonObject): Set<string> {
  const spec = isObject(obj.spec) ? obj.spec : {};
  const out = new Set<string>();
  for (const direction of ['ingress', 'egress'] as const) {
    for (const rule of rulesOf(spec, direction)) {
      for (const peer of rule.peers) {
        if (!isObject(peer.ipBlock)) continue;
        out.add(String(peer.ipBlock.cidr ?? ''));
        for (const e of Array.isArray(peer.ipBlock.except) ? peer.ipBlock.except : [])
          out.add(String(e));
      }
    }
  }
  return out;
}

/** networking.k8s.io/v1 NetworkPolicy's defaults and validation. */
export const networkPolicyRules: KindRules = {
  defaults(obj) {
    if (!isObject(obj.spec)) obj.spec = {};
    const spec = obj.spec as JsonObject;
    for (const direction of ['ingress', 'egress'] as const) {
      for (const rule of rulesOf(spec, direction)) {
        for (const p of rule.ports) p.protocol ??= 'TCP';
      }
    }
    if (!Array.isArray(spec.policyTypes) || spec.policyTypes.length === 0) {
      const egress = Array.isArray(spec.egress) && spec.egress.length > 0;
      spec.policyTypes = egress ? ['Ingress', 'Egress'] : ['Ingress'];
    }
  },
  validate: (obj, ctx) => (ctx.create ? specCauses(obj, new Set()) : []),
  validateUpdate: (next, prev) => specCauses(next, storedCidrs(prev)),
};
