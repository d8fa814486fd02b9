/**
 * Updates without a resourceVersion. kube-apiserver's registry store fills a PUT's missing
 * resourceVersion with the stored one when the kind's strategy allows unconditional
 * updates (`AllowUnconditionalUpdate`); the strategies below do not, so there such an
 * update of an existing object is a 422 (custom resources, CRDs, APIServices, leases,
 * admission configurations and policies, PodDisruptionBudgets, some storage kinds, …).
 */
import { invalid } from './errors.js';
import type { JsonObject } from './json.js';
import { metaOf } from './object-meta.js';
import { resourceKey } from './resource-types.js';
import type { Scope } from './write-scope.js';

/** The built-in resources whose strategy (and status strategy) refuses unconditional updates. */
const CONDITIONAL_ONLY = new Set([
  'poddisruptionbudgets.policy',
  'runtimeclasses.node.k8s.io',
  'leases.coordination.k8s.io',
  'leasecandidates.coordination.k8s.io',
  'csidrivers.storage.k8s.io',
  'csinodes.storage.k8s.io',
  'csistoragecapacities.storage.k8s.io',
  'volumeattachments.storage.k8s.io',
  'clustertrustbundles.certificates.k8s.io',
  'podcertificaterequests.certificates.k8s.io',
  'resourcepoolstatusrequests.resource.k8s.io',
  'storageversions.internal.apiserver.k8s.io',
  'storageversionmigrations.storagemigration.k8s.io',
  'validatingadmissionpolicies.admissionregistration.k8s.io',
  'validatingadmissionpolicybindings.admissionregistration.k8s.io',
  'mutatingadmissionpolicies.admissionregistration.k8s.io',
  'mutatingadmissionpolicybindings.admissionregistration.k8s.io',
  'validatingwebhookconfigurations.admissionregistration.k8s.io',
  'mutatingwebhookconfigurations.admissionregistration.k8s.io',
  'customresourcedefinitions.apiextensions.k8s.io',
  'apiservices.apiregistration.k8s.io',
]);

/**
 * Refuses an update of an existing object without a resourceVersion where kube-apiserver
 * does: `<resource>.<group> "<name>" is invalid: metadata.resourceVersion: Invalid value: 0:
 * must be specified for an update` (the kind named by its resource, as there).
 */
export function checkConditionalUpdate(sc: Scope, next: JsonObject, name: string): void {
  // Go reads the resourceVersion as a number: "0" is no resourceVersion either.
  const rv = metaOf(next).resourceVersion;
  if (typeof rv === 'string' && !/^0*$/.test(rv)) return;
  if (sc.t.builtin && !CONDITIONAL_ONLY.has(resourceKey(sc.t))) return;
  throw invalid(sc.t.plural, sc.t.group, name, [
    {
      reason: 'FieldValueInvalid',
      message: 'Invalid value: 0: must be specified for an update',
      field: 'metadata.resourceVersion',
    },
  ]);
}
