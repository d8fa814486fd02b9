import type { ResourceType } from './resource-types.js';
import type { WriteSubresource } from './write-scope.js';

/** A field path by field names (`['metadata', 'labels']`). */
export type FieldPath = readonly string[];

const SPEC: FieldPath = ['spec'];
const STATUS: FieldPath = ['status'];
const METADATA: FieldPath = ['metadata'];

/**
 * Status strategies, by `group/Kind`, whose reset fields are more than the spec (their
 * `GetResetFields` in `pkg/registry/<group>/<kind>/strategy.go`, kube-aggregator's and
 * apiextensions-apiserver's registries).
 */
const STATUS_RESETS: Record<string, readonly FieldPath[]> = {
  'apps/Deployment': [SPEC, ['metadata', 'labels']],
  '/Pod': [SPEC, ['metadata', 'deletionTimestamp'], ['metadata', 'ownerReferences']],
  'certificates.k8s.io/CertificateSigningRequest': [SPEC, ['status', 'conditions']],
  'apiregistration.k8s.io/APIService': [SPEC, METADATA],
  'admissionregistration.k8s.io/ValidatingAdmissionPolicy': [SPEC, METADATA],
  'networking.k8s.io/ServiceCIDR': [SPEC, METADATA],
  'resource.k8s.io/ResourceClaim': [SPEC, METADATA],
  'resource.k8s.io/DeviceTaintRule': [SPEC, METADATA],
  'resource.k8s.io/ResourcePoolStatusRequest': [SPEC, METADATA],
  'storage.k8s.io/VolumeAttachment': [SPEC, METADATA],
  'flowcontrol.apiserver.k8s.io/FlowSchema': [SPEC, METADATA],
  'flowcontrol.apiserver.k8s.io/PriorityLevelConfiguration': [SPEC, METADATA],
  'internal.apiserver.k8s.io/StorageVersion': [SPEC, METADATA],
  'scheduling.k8s.io/PodGroup': [SPEC, METADATA],
  'storagemigration.k8s.io/StorageVersionMigration': [SPEC, METADATA],
};

/**
 * The fields a write leaves out of field ownership, as kube-apiserver's field manager
 * leaves out its strategy's reset fields: they are neither compared nor recorded, so a
 * manager never owns them through that scope. The main resource of a kind with a status
 * subresource resets the status (a CertificateSigningRequest's also its spec, which the
 * server fills in from the requester); a status write resets the spec (a custom
 * resource's also all of its metadata, some kinds' part of it, a
 * CertificateSigningRequest's its conditions, which only `approval` owns); `approval`
 * resets the spec and the issued certificate.
 */
export function resetFields(t: ResourceType, subresource?: WriteSubresource): readonly FieldPath[] {
  const key = `${t.group}/${t.kind}`;
  if (subresource === 'approval') return [SPEC, ['status', 'certificate']];
  if (subresource === 'status') {
    if (!t.builtin) return [SPEC, METADATA];
    return STATUS_RESETS[key] ?? [SPEC];
  }
  if (key === 'certificates.k8s.io/CertificateSigningRequest') return [SPEC, STATUS];
  return t.status ? [STATUS] : [];
}
