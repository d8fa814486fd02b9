import type { JsonObject } from './json.js';
import type { ResourceType } from './resource-types.js';

/**
 * The metadata a write through `/status` (or a CertificateSigningRequest's `approval`) may
 * not change: `'all'`, or the fields the kind's status strategy resets.
 */
export type StatusMetadataReset = 'all' | readonly string[];

/** What `metav1.ResetObjectMetaForStatus` puts back (the user-settable part of it). */
const RESET_FOR_STATUS = ['labels', 'annotations', 'finalizers', 'ownerReferences'];

/**
 * kube-apiserver's status strategies, by `group/Kind`, that do not take every metadata
 * change: most reset only the spec, so labels, annotations, finalizers and owner references
 * sent to a Service's or a Job's `/status` are stored. These reset more (their
 * `PrepareForUpdate` and `GetResetFields` in `pkg/registry/<group>/<kind>/strategy.go`).
 */
const RESETS: Record<string, StatusMetadataReset> = {
  'apps/Deployment': ['labels'],
  '/Pod': ['ownerReferences'],
  'apiregistration.k8s.io/APIService': RESET_FOR_STATUS,
  'admissionregistration.k8s.io/ValidatingAdmissionPolicy': RESET_FOR_STATUS,
  'networking.k8s.io/ServiceCIDR': RESET_FOR_STATUS,
  'resource.k8s.io/ResourceClaim': RESET_FOR_STATUS,
  'storage.k8s.io/VolumeAttachment': RESET_FOR_STATUS,
  'flowcontrol.apiserver.k8s.io/FlowSchema': 'all',
  'flowcontrol.apiserver.k8s.io/PriorityLevelConfiguration': 'all',
};

/**
 * The metadata a status write of `t` may not change. A custom resource's status strategy
 * keeps all of it; a CustomResourceDefinition's resets its metadata from itself, so takes
 * every change, like most built-ins.
 */
export function statusMetadataReset(t: ResourceType): StatusMetadataReset {
  if (!t.builtin) return 'all';
  return RESETS[`${t.group}/${t.kind}`] ?? [];
}

/**
 * The metadata a status write stores: `sent` (already holding the server-set fields of
 * `stored`) with what the kind resets put back from `stored`.
 */
export function statusMetadata(t: ResourceType, sent: JsonObject, stored: JsonObject): JsonObject {
  const reset = statusMetadataReset(t);
  if (reset === 'all') return { ...stored };
  const out = { ...sent };
  for (const k of reset) {
    if (stored[k] === undefined) delete out[k];
    else out[k] = stored[k]!;
  }
  return out;
}
