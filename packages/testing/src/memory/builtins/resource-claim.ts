/**
 * resource.k8s.io/v1 ResourceClaim, ResourceClaimTemplate and DeviceClass, as
 * kube-apiserver's strategies treat them: the device requests' defaults and checks
 * (`device-claim.ts`) on create, a claim's and a template's spec immutable (quoted as
 * the server quotes its internal Go struct), a claim's status, a class's
 * selectors, config and extended resource name checked on every write.
 */
import type { StatusCause } from '../errors.js';
import { isObject, type Json, type JsonObject } from '../json.js';
import { SERVER_SET_META } from '../object-meta.js';
import { annotationsCauses, forbiddenValue, invalidValue, labelsCauses } from '../validation.js';
import {
  classConfigsCauses,
  defaultDeviceClaim,
  deviceClaimCauses,
  selectorsCauses,
} from './device-claim.js';
import { internalJson, internalSemanticEqual } from './go-internal-json.js';
import { FIELD_IMMUTABLE, type KindRules, type RuleContext } from './kind-rules.js';
import { isExtendedResourceName } from './pod-resources.js';
import { statusAuthorizationCauses } from './resource-claim-authz.js';
import { claimStatusCauses, dropDeallocatedDevices } from './resource-claim-status.js';

const specOf = (obj: JsonObject): JsonObject => (isObject(obj.spec) ? obj.spec : {});

/**
 * `spec` may not change once stored: compared as `equality.Semantic` compares the internal
 * `type` (`resource.ResourceClaimSpec`, `resource.ResourceClaimTemplateSpec`), which the
 * refusal quotes as encoding/json writes it.
 */
function specImmutable(next: JsonObject, prev: JsonObject, type: string): StatusCause[] {
  return internalSemanticEqual(next.spec, prev.spec, type)
    ? []
    : [invalidValue('spec', internalJson(next.spec, type), FIELD_IMMUTABLE)];
}

const ADMIN_LABEL = 'resource.kubernetes.io/admin-access';
const ADMIN_DENIED = `admin access to devices requires the \`${ADMIN_LABEL}: true\` label on the containing namespace`;

/**
 * Admin access asked for at `at` (a request's or an allocation result's) needs the
 * namespace's admin-access label (`AuthorizedForAdmin`, checked before validation).
 */
function adminAccessCauses(at: string | undefined, ctx: RuleContext): StatusCause[] {
  if (at === undefined) return [];
  const meta = isObject(ctx.namespace?.metadata) ? ctx.namespace.metadata : {};
  const labels = isObject(meta.labels) ? meta.labels : {};
  return labels[ADMIN_LABEL] === 'true' ? [] : [forbiddenValue(at, ADMIN_DENIED)];
}

/** The path of the first request of a claim spec that asks for admin access. */
function adminRequest(spec: Json | undefined): string | undefined {
  const devices = isObject(spec) && isObject(spec.devices) ? spec.devices : {};
  const requests = Array.isArray(devices.requests) ? devices.requests : [];
  const i = requests.findIndex(
    (r) => isObject(r) && isObject(r.exactly) && r.exactly.adminAccess === true,
  );
  return i < 0 ? undefined : `spec.devices.requests[${i}].adminAccess`;
}

/** The path of the first allocation result of a claim that has admin access. */
function adminResult(claim: JsonObject): string | undefined {
  const status = isObject(claim.status) ? claim.status : {};
  const allocation = isObject(status.allocation) ? status.allocation : {};
  const devices = isObject(allocation.devices) ? allocation.devices : {};
  const results = Array.isArray(devices.results) ? devices.results : [];
  const i = results.findIndex((r) => isObject(r) && r.adminAccess === true);
  return i < 0 ? undefined : `status.allocation.devices.results[${i}].adminAccess`;
}

/**
 * resource.k8s.io/v1 ResourceClaim: requests checked on create (admin access only in a
 * namespace labelled for it), the spec immutable, the status checked through `/status`
 * (`resource-claim-status.ts`) after its granular authorization (`resource-claim-authz.ts`).
 */
export const resourceClaimRules: KindRules = {
  defaults(obj, create) {
    defaultDeviceClaim(obj.spec);
    if (create) obj.status = {};
  },
  validate(obj, ctx) {
    if (!ctx.create) return [];
    return [
      ...adminAccessCauses(adminRequest(obj.spec), ctx),
      ...deviceClaimCauses(obj.spec, 'spec.devices'),
    ];
  },
  prepareSubresourceUpdate(next, prev, subresource) {
    if (subresource === 'status') dropDeallocatedDevices(next, prev);
  },
  validateUpdate(next, prev, ctx) {
    if (ctx.subresource !== 'status')
      return specImmutable(next, prev, 'resource.ResourceClaimSpec');
    // Admin access granted before is not checked again.
    const granted = adminResult(prev) !== undefined;
    return [
      ...adminAccessCauses(granted ? undefined : adminResult(next), ctx),
      ...statusAuthorizationCauses(next, prev, ctx.request),
      ...claimStatusCauses(next, prev),
    ];
  },
};

/** `ObjectMeta`'s fields in Go's order, as `validateFieldAllowList` walks them. */
const META_FIELDS = [
  'name',
  'generateName',
  'namespace',
  'selfLink',
  ...SERVER_SET_META,
  'labels',
  'annotations',
  'ownerReferences',
  'finalizers',
  'managedFields',
];

/** A template's metadata (`ValidateTemplateObjectMeta`): annotations, labels and nothing else. */
function templateMetaCauses(meta: Json | undefined, at: string): StatusCause[] {
  const m = isObject(meta) ? meta : {};
  const causes = [
    ...annotationsCauses(m.annotations, `${at}.annotations`),
    ...labelsCauses(m.labels, `${at}.labels`),
  ];
  for (const field of META_FIELDS) {
    if (field === 'labels' || field === 'annotations') continue;
    const v = m[field];
    // Go's zero values; a list sent empty is not nil there.
    const empty = v === undefined || v === null || v === '' || v === 0;
    if (!empty) causes.push(forbiddenValue(`${at}.${field}`, 'cannot be set'));
  }
  return causes;
}

/**
 * resource.k8s.io/v1 ResourceClaimTemplate: its claim spec checked on create (admin access
 * only in a namespace labelled for it), immutable.
 */
export const resourceClaimTemplateRules: KindRules = {
  defaults(obj) {
    defaultDeviceClaim(specOf(obj).spec);
  },
  validate(obj, ctx) {
    if (!ctx.create) return [];
    return [
      // kube-apiserver's AuthorizedForAdmin names the request as a claim's
      // (`spec.devices.requests[i].adminAccess`), in a template too.
      ...adminAccessCauses(adminRequest(specOf(obj).spec), ctx),
      ...templateMetaCauses(specOf(obj).metadata, 'spec.metadata'),
      ...deviceClaimCauses(specOf(obj).spec, 'spec.spec.devices'),
    ];
  },
  validateUpdate: (next, prev) => specImmutable(next, prev, 'resource.ResourceClaimTemplateSpec'),
};

/** resource.k8s.io/v1 DeviceClass: selectors, config and an extended resource name. */
export const deviceClassRules: KindRules = {
  validate(obj) {
    const spec = specOf(obj);
    const causes = [
      ...selectorsCauses(spec.selectors, 'spec.selectors'),
      ...classConfigsCauses(spec.config, 'spec.config'),
    ];
    const name = spec.extendedResourceName;
    if (typeof name === 'string' && !isExtendedResourceName(name)) {
      causes.push(
        invalidValue('spec.extendedResourceName', name, 'must be a valid extended resource name'),
      );
    }
    return causes;
  },
};
