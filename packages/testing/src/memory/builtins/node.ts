/**
 * core/v1 Node: kube-apiserver's strategy and checks (own code, for the causes and their
 * words). Defaults: `status.allocatable` from `status.capacity` when it has none; `podCIDR`
 * and `podCIDRs` reconciled as the conversion does (`podCIDR` wins). A new
 * Node drops `spec.configSource` and `status.config` (the feature is removed), an update
 * keeps the stored status and drops a `configSource` the stored Node did not have, a status
 * write keeps the stored spec and drops a `status.config` the stored Node did not have.
 * Validation (`ValidateNode`, then on updates `ValidateNodeUpdate`, which repeats some of
 * it, so an update reports such a cause twice, as there): the deprecated taints and
 * preferAvoidPods annotations (node-annotations.ts), taints (key a qualified name,
 * value a label value, a known effect, unique by key and effect; kube-apiserver names them
 * under `metadata.taints`), capacity and allocatable quantities, swap capacity (under
 * `metadata.nodeSwapStatus`, as there), declared features (named, sorted, unique),
 * `podCIDRs` (valid CIDRs, at most one per family); on update: no duplicate addresses,
 * `podCIDRs` and `providerID` fixed once set, `externalID` fixed. Warnings: an external
 * ID, an IPv6 pod CIDR not in canonical form.
 * kube-apiserver ranges over the capacity and allocatable maps, so several keys' causes
 * come in no fixed order there (in key order here).
 */
import { labelValueErrors, qualifiedNameErrors } from '@kube-ts/schema/validation';
import type { StatusCause } from '../errors.js';
import { isObject, type JsonObject, objAt, objects, str, strings } from '../json.js';
import { duplicate, forbiddenValue, invalidValue, notSupported, required } from '../validation.js';
import { addressText, cidrErrors, parseCidr } from './cidr.js';
import { internalJson } from './go-internal-json.js';
import type { KindRules } from './kind-rules.js';
import { annotationTaints, avoidPodsCauses, TAINTS_ANNOTATION } from './node-annotations.js';
import { quantityCauses, resourceListEntries } from './pod-resources.js';

const EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];
/** `nodeDeclaredFeatureRegexp`. */
const FEATURE = /^[A-Z][a-zA-Z0-9]*(\/[a-zA-Z][a-zA-Z0-9]*)*$/;
const CHANGED_CIDR = 'node updates may not change podCIDR except from "" to valid';

/** `validateNodeTaints` at `at`. */
function taintCauses(taints: JsonObject[], at: string): StatusCause[] {
  const causes: StatusCause[] = [];
  const seen = new Set<string>();
  taints.forEach((t, i) => {
    const ti = `${at}[${i}]`;
    const key = str(t.key);
    const value = str(t.value);
    const effect = str(t.effect);
    causes.push(...qualifiedNameErrors(key).map((why) => invalidValue(`${ti}.key`, key, why)));
    const valueErrors = labelValueErrors(value);
    if (valueErrors.length) causes.push(invalidValue(`${ti}.value`, value, valueErrors.join(';')));
    if (effect === '') causes.push(required(`${ti}.effect`));
    else if (!EFFECTS.includes(effect)) causes.push(notSupported(`${ti}.effect`, effect, EFFECTS));
    const id = JSON.stringify([effect, key]);
    if (seen.has(id)) {
      const cause = duplicate(ti, internalJson(t, 'core.Taint'));
      causes.push({
        ...cause,
        message: `${cause.message}: taints must be unique by key and effect pair`,
      });
    } else seen.add(id);
  });
  return causes;
}

/** `ValidateNodeResources`: capacity and allocatable quantities. */
function resourceCauses(status: JsonObject): StatusCause[] {
  return ['capacity', 'allocatable'].flatMap((list) =>
    resourceListEntries(status[list]).flatMap(([name, text, q]) =>
      quantityCauses(name, text, q, `status.${list}.${name}`),
    ),
  );
}

/** `validateNodeDeclaredFeatures`. */
function featureCauses(status: JsonObject): StatusCause[] {
  const features = strings(status.declaredFeatures);
  const causes: StatusCause[] = [];
  const at = 'status.declaredFeatures';
  features.forEach((f, i) => {
    if (f.length > 253) {
      causes.push(
        invalidValue(
          `${at}[${i}]`,
          f,
          `invalid feature name ${JSON.stringify(f)}: must be no more than 253 characters`,
        ),
      );
    } else if (!FEATURE.test(f)) {
      causes.push(
        invalidValue(
          `${at}[${i}]`,
          f,
          `invalid feature name ${JSON.stringify(f)}: must start with an UpperCamelCase segment, with subsequent segments separated by '/' (e.g., MyFeature or MyFeature/mySubFeature), and contain only alphanumeric characters and slashes`,
        ),
      );
    }
    const next = features[i + 1];
    if (next === undefined) return;
    if (next === f) causes.push(duplicate(`${at}[${i + 1}]`, next));
    else if (f > next)
      causes.push(invalidValue(`${at}[${i + 1}]`, next, 'list must be sorted alphabetically'));
  });
  return causes;
}

/** The `podCIDRs` checks of `ValidateNode`. */
function podCidrCauses(spec: JsonObject): StatusCause[] {
  const cidrs = strings(spec.podCIDRs);
  const at = 'spec.podCIDRs';
  const causes = cidrs.flatMap((c, i) =>
    cidrErrors(c).map((why) => invalidValue(`${at}[${i}]`, c, why)),
  );
  if (cidrs.length > 1) {
    const parsed = cidrs.map(parseCidr);
    const bad = parsed.indexOf(undefined);
    if (bad >= 0) {
      causes.push({
        reason: 'InternalError',
        message: `Internal error: invalid PodCIDRs. failed to check with dual stack with error:invalid CIDR[${bad}]: <nil> (invalid CIDR address: ${cidrs[bad]})`,
        field: at,
      });
    }
    const families = new Set(parsed.map((c) => c?.bits));
    const dualStack = bad < 0 && families.has(32) && families.has(128);
    if (!dualStack || cidrs.length > 2) {
      causes.push(invalidValue(at, cidrs, 'may specify no more than one CIDR for each IP family'));
    }
  }
  return causes;
}

/** `ValidateNodeSpecificAnnotations`: the deprecated taints and preferAvoidPods annotations. */
function annotationCauses(obj: JsonObject): StatusCause[] {
  const annotations = objAt(obj, 'metadata').annotations;
  const taints = annotationTaints(annotations);
  const causes =
    'cause' in taints
      ? [taints.cause]
      : taintCauses(taints.taints, `metadata.annotations.${TAINTS_ANNOTATION}`);
  return [...causes, ...avoidPodsCauses(annotations)];
}

/** `ValidateNode`. */
function nodeCauses(obj: JsonObject): StatusCause[] {
  const spec = objAt(obj, 'spec');
  const status = objAt(obj, 'status');
  const swap = objAt(objAt(status, 'nodeInfo'), 'swap');
  const causes = annotationCauses(obj);
  causes.push(...taintCauses(objects(spec.taints), 'metadata.taints'));
  causes.push(...resourceCauses(status));
  if (typeof swap.capacity === 'number' && swap.capacity <= 0) {
    causes.push(
      invalidValue('metadata.nodeSwapStatus.capacity', swap.capacity, 'must be greater than zero'),
    );
  }
  causes.push(...featureCauses(status), ...podCidrCauses(spec));
  return causes;
}

/** `ValidateNodeUpdate` (without the metadata checks, which the server makes for every kind). */
function updateCauses(next: JsonObject, prev: JsonObject): StatusCause[] {
  const spec = objAt(next, 'spec');
  const old = objAt(prev, 'spec');
  const status = objAt(next, 'status');
  const causes = [...annotationCauses(next), ...resourceCauses(status), ...featureCauses(status)];
  const addresses = new Set<string>();
  objects(status.addresses).forEach((a, i) => {
    const id = JSON.stringify([str(a.type), str(a.address)]);
    if (addresses.has(id))
      causes.push(duplicate(`status.addresses[${i}]`, internalJson(a, 'core.NodeAddress')));
    addresses.add(id);
  });
  const oldCidrs = strings(old.podCIDRs);
  const cidrs = strings(spec.podCIDRs);
  if (oldCidrs.length > 0) {
    if (oldCidrs.length !== cidrs.length)
      causes.push(forbiddenValue('spec.podCIDRs', CHANGED_CIDR));
    else {
      oldCidrs.forEach((c, i) => {
        if (c !== cidrs[i]) causes.push(forbiddenValue('spec.podCIDRs', CHANGED_CIDR));
      });
    }
  }
  const providerID = str(old.providerID);
  if (providerID !== '' && providerID !== str(spec.providerID)) {
    causes.push(
      forbiddenValue(
        'spec.providerID',
        'node updates may not change providerID except from "" to valid',
      ),
    );
  }
  causes.push(...taintCauses(objects(spec.taints), 'metadata.taints'));
  if (str(spec.externalID) !== str(old.externalID))
    causes.push(forbiddenValue('spec.externalID', 'may not be updated'));
  return causes;
}

/** The warning for an IPv6 pod CIDR not in RFC 5952 form (the others are refused). */
function cidrWarnings(spec: JsonObject): string[] {
  return strings(spec.podCIDRs).flatMap((value, i) => {
    const c = parseCidr(value);
    if (c?.bits !== 128 || cidrErrors(value).length) return [];
    const canonical = `${addressText(c.address, 128)}/${c.prefix}`;
    return canonical === value
      ? []
      : [
          `spec.podCIDRs[${i}]: IPv6 CIDR value ${JSON.stringify(value)} should be in RFC 5952 canonical format (${JSON.stringify(canonical)})`,
        ];
  });
}

/** core/v1 Node's strategy. */
export const nodeRules: KindRules = {
  defaults(obj) {
    // The conversion to the internal Node and back: `podCIDR`, when set, wins over a
    // `podCIDRs` whose first entry differs, and fills an empty `podCIDRs`; then `podCIDR`
    // is the first of `podCIDRs`.
    const spec = obj.spec;
    if (isObject(spec)) {
      const single = str(spec.podCIDR);
      const cidrs = strings(spec.podCIDRs);
      if (single !== '' && cidrs[0] !== single) spec.podCIDRs = [single];
      const first = strings(spec.podCIDRs)[0];
      if (first !== undefined) spec.podCIDR = first;
    }
    const status = obj.status;
    if (isObject(status) && status.allocatable === undefined && isObject(status.capacity))
      status.allocatable = structuredClone(status.capacity);
  },
  // The strategy drops a config source and a config status unless the stored Node has one,
  // which it never has, since a new Node's are dropped too.
  prepareCreate(obj) {
    if (isObject(obj.spec)) delete obj.spec.configSource;
    if (isObject(obj.status)) delete obj.status.config;
  },
  prepareUpdate(next) {
    if (isObject(next.spec)) delete next.spec.configSource;
  },
  prepareSubresourceUpdate(next, _prev, subresource) {
    if (subresource === 'status' && isObject(next.status)) delete next.status.config;
  },
  validate(obj, ctx) {
    if (ctx.subresource === 'status') return ctx.old ? updateCauses(obj, ctx.old) : [];
    return [...nodeCauses(obj), ...(ctx.old ? updateCauses(obj, ctx.old) : [])];
  },
  warnings(obj, ctx) {
    if (ctx.subresource === 'status') return [];
    const spec = objAt(obj, 'spec');
    const out: string[] = [];
    if (str(spec.externalID) !== '')
      out.push('spec.externalID: this field is deprecated, and is unused by Kubernetes');
    return [...out, ...cidrWarnings(spec)];
  },
};
