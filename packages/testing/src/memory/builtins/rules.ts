import { crdConversionRules } from '../crd-conversion.js';
import { type ResourceType, resourceKey } from '../resource-types.js';
import {
  mutatingAdmissionPolicyRules,
  validatingAdmissionPolicyRules,
} from './admission-configurations.js';
import {
  mutatingAdmissionPolicyBindingRules,
  validatingAdmissionPolicyBindingRules,
} from './admission-policy-binding.js';
import { apiServiceRules } from './api-service.js';
import { certificateSigningRequestRules } from './certificate-signing-request.js';
import { configMapRules } from './config-map.js';
import { controllerRevisionRules } from './controller-revision.js';
import { cronJobRules } from './cron-job.js';
import { csiDriverRules } from './csi-driver.js';
import { csiNodeRules } from './csi-node.js';
import { csiStorageCapacityRules } from './csi-storage-capacity.js';
import { daemonSetRules } from './daemon-set.js';
import { deploymentRules } from './deployment.js';
import { endpointSliceRules } from './endpoint-slice.js';
import { endpointsRules } from './endpoints.js';
import { eventRules } from './event.js';
import { flowSchemaRules } from './flow-schema.js';
import { horizontalPodAutoscalerRules } from './horizontal-pod-autoscaler.js';
import { ingressRules } from './ingress.js';
import { ingressClassRules } from './ingress-class.js';
import { ipAddressRules } from './ip-address.js';
import { jobRules } from './job.js';
import type { KindRules } from './kind-rules.js';
import { leaseRules } from './lease.js';
import { limitRangeRules } from './limit-range.js';
import { namespaceRules } from './namespace.js';
import { networkPolicyRules } from './network-policy.js';
import { nodeRules } from './node.js';
import { persistentVolumeRules } from './persistent-volume.js';
import { persistentVolumeClaimRules } from './persistent-volume-claim.js';
import { podRules } from './pod.js';
import { podDisruptionBudgetRules } from './pod-disruption-budget.js';
import { podTemplateRules } from './pod-template.js';
import { priorityClassRules } from './priority-class.js';
import { priorityLevelConfigurationRules } from './priority-level-configuration.js';
import { replicaSetRules } from './replica-set.js';
import { replicationControllerRules } from './replication-controller.js';
import {
  deviceClassRules,
  resourceClaimRules,
  resourceClaimTemplateRules,
} from './resource-claim.js';
import { resourceQuotaRules } from './resource-quota.js';
import { resourceSliceRules } from './resource-slice.js';
import { clusterRoleRules, roleRules } from './role.js';
import { clusterRoleBindingRules, roleBindingRules } from './role-binding.js';
import { runtimeClassRules } from './runtime-class.js';
import { secretRules } from './secret.js';
import { serviceRules } from './service.js';
import { serviceAccountRules } from './service-account.js';
import { serviceCidrRules } from './service-cidr.js';
import { statefulSetRules } from './stateful-set.js';
import { storageClassRules } from './storage-class.js';
import { volumeAttachmentRules } from './volume-attachment.js';
import { volumeAttributesClassRules } from './volume-attributes-class.js';
import {
  mutatingWebhookConfigurationRules,
  validatingWebhookConfigurationRules,
} from './webhook-configuration.js';

/** Rules by storage key: a view's objects are stored in the viewed resource's form. */
const RULES: Record<string, KindRules> = {
  configmaps: configMapRules,
  endpoints: endpointsRules,
  events: eventRules,
  limitranges: limitRangeRules,
  namespaces: namespaceRules,
  nodes: nodeRules,
  persistentvolumeclaims: persistentVolumeClaimRules,
  persistentvolumes: persistentVolumeRules,
  pods: podRules,
  podtemplates: podTemplateRules,
  replicationcontrollers: replicationControllerRules,
  resourcequotas: resourceQuotaRules,
  secrets: secretRules,
  serviceaccounts: serviceAccountRules,
  services: serviceRules,
  'controllerrevisions.apps': controllerRevisionRules,
  'deployments.apps': deploymentRules,
  'daemonsets.apps': daemonSetRules,
  'replicasets.apps': replicaSetRules,
  'statefulsets.apps': statefulSetRules,
  'horizontalpodautoscalers.autoscaling': horizontalPodAutoscalerRules,
  'cronjobs.batch': cronJobRules,
  'jobs.batch': jobRules,
  'clusterrolebindings.rbac.authorization.k8s.io': clusterRoleBindingRules,
  'rolebindings.rbac.authorization.k8s.io': roleBindingRules,
  'clusterroles.rbac.authorization.k8s.io': clusterRoleRules,
  'roles.rbac.authorization.k8s.io': roleRules,
  'ingresses.networking.k8s.io': ingressRules,
  'ingressclasses.networking.k8s.io': ingressClassRules,
  'ipaddresses.networking.k8s.io': ipAddressRules,
  'networkpolicies.networking.k8s.io': networkPolicyRules,
  'servicecidrs.networking.k8s.io': serviceCidrRules,
  'endpointslices.discovery.k8s.io': endpointSliceRules,
  'leases.coordination.k8s.io': leaseRules,
  'poddisruptionbudgets.policy': podDisruptionBudgetRules,
  'priorityclasses.scheduling.k8s.io': priorityClassRules,
  'storageclasses.storage.k8s.io': storageClassRules,
  'csidrivers.storage.k8s.io': csiDriverRules,
  'csinodes.storage.k8s.io': csiNodeRules,
  'csistoragecapacities.storage.k8s.io': csiStorageCapacityRules,
  'volumeattachments.storage.k8s.io': volumeAttachmentRules,
  'volumeattributesclasses.storage.k8s.io': volumeAttributesClassRules,
  'resourceclaims.resource.k8s.io': resourceClaimRules,
  'resourceclaimtemplates.resource.k8s.io': resourceClaimTemplateRules,
  'deviceclasses.resource.k8s.io': deviceClassRules,
  'resourceslices.resource.k8s.io': resourceSliceRules,
  'runtimeclasses.node.k8s.io': runtimeClassRules,
  'certificatesigningrequests.certificates.k8s.io': certificateSigningRequestRules,
  'flowschemas.flowcontrol.apiserver.k8s.io': flowSchemaRules,
  'apiservices.apiregistration.k8s.io': apiServiceRules,
  'customresourcedefinitions.apiextensions.k8s.io': crdConversionRules,
  'prioritylevelconfigurations.flowcontrol.apiserver.k8s.io': priorityLevelConfigurationRules,
  'validatingwebhookconfigurations.admissionregistration.k8s.io':
    validatingWebhookConfigurationRules,
  'mutatingwebhookconfigurations.admissionregistration.k8s.io': mutatingWebhookConfigurationRules,
  'validatingadmissionpolicies.admissionregistration.k8s.io': validatingAdmissionPolicyRules,
  'mutatingadmissionpolicies.admissionregistration.k8s.io': mutatingAdmissionPolicyRules,
  'validatingadmissionpolicybindings.admissionregistration.k8s.io':
    validatingAdmissionPolicyBindingRules,
  'mutatingadmissionpolicybindings.admissionregistration.k8s.io':
    mutatingAdmissionPolicyBindingRules,
};

/** The strategy rules of a built-in resource's stored form, if it has any beyond the generic ones. */
export function rulesFor(t: ResourceType): KindRules | undefined {
  return t.builtin ? RULES[resourceKey(t)] : undefined;
}
