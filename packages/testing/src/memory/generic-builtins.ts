import { hpaV1View } from './builtins/hpa-conversion.js';
import { builtin, type ResourceType } from './resource-types.js';

type Extra = Partial<ResourceType>;

const status: Extra = { status: true };
/** Kinds whose registry strategy keeps metadata.generation (a spec with a status). */
const tracked: Extra = { status: true, generation: true };

/**
 * The built-in resources kube-apiserver v1.36.3 serves that need no rules of their own
 * here: plain CRUD, watch, patches and (where the real server has one) the status
 * subresource, with the real names, scope, short names and categories. Nothing acts on
 * them (no controller), as on a cluster without the controllers that would.
 */
export function genericBuiltinTypes(): ResourceType[] {
  return [
    builtin('', 'v1', 'Endpoints', 'endpoints', true, {
      shortNames: ['ep'],
      deprecation: 'v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice',
    }),
    builtin('', 'v1', 'LimitRange', 'limitranges', true, { shortNames: ['limits'] }),
    builtin('', 'v1', 'PersistentVolume', 'persistentvolumes', false, {
      shortNames: ['pv'],
      ...status,
    }),
    builtin('', 'v1', 'PodTemplate', 'podtemplates', true, { generation: true }),
    builtin('apiregistration.k8s.io', 'v1', 'APIService', 'apiservices', false, {
      categories: ['api-extensions'],
      ...status,
    }),
    builtin('apps', 'v1', 'ControllerRevision', 'controllerrevisions', true),
    {
      ...builtin('autoscaling', 'v2', 'HorizontalPodAutoscaler', 'horizontalpodautoscalers', true, {
        shortNames: ['hpa'],
        categories: ['all'],
        // The HPA strategy keeps no metadata.generation.
        ...status,
      }),
      versions: ['v2', 'v1'],
      versionViews: { v1: hpaV1View },
    },
    builtin(
      'certificates.k8s.io',
      'v1',
      'CertificateSigningRequest',
      'certificatesigningrequests',
      false,
      { shortNames: ['csr'], ...status },
    ),
    builtin('networking.k8s.io', 'v1', 'IngressClass', 'ingressclasses', false),
    builtin('networking.k8s.io', 'v1', 'Ingress', 'ingresses', true, {
      shortNames: ['ing'],
      ...tracked,
    }),
    builtin('networking.k8s.io', 'v1', 'IPAddress', 'ipaddresses', false, { shortNames: ['ip'] }),
    builtin('networking.k8s.io', 'v1', 'NetworkPolicy', 'networkpolicies', true, {
      shortNames: ['netpol'],
      generation: true,
    }),
    builtin('networking.k8s.io', 'v1', 'ServiceCIDR', 'servicecidrs', false, status),
    builtin('storage.k8s.io', 'v1', 'CSIDriver', 'csidrivers', false, { generation: 'updates' }),
    builtin('storage.k8s.io', 'v1', 'CSINode', 'csinodes', false),
    builtin('storage.k8s.io', 'v1', 'CSIStorageCapacity', 'csistoragecapacities', true),
    builtin('storage.k8s.io', 'v1', 'StorageClass', 'storageclasses', false, {
      shortNames: ['sc'],
    }),
    builtin('storage.k8s.io', 'v1', 'VolumeAttachment', 'volumeattachments', false, status),
    builtin('storage.k8s.io', 'v1', 'VolumeAttributesClass', 'volumeattributesclasses', false, {
      shortNames: ['vac'],
    }),
    ...[
      ['MutatingAdmissionPolicy', 'mutatingadmissionpolicies', { generation: true }],
      ['MutatingAdmissionPolicyBinding', 'mutatingadmissionpolicybindings', { generation: true }],
      ['ValidatingAdmissionPolicy', 'validatingadmissionpolicies', tracked],
      [
        'ValidatingAdmissionPolicyBinding',
        'validatingadmissionpolicybindings',
        { generation: true },
      ],
    ].map(([kind, plural, extra]) =>
      builtin('admissionregistration.k8s.io', 'v1', kind as string, plural as string, false, {
        categories: ['api-extensions'],
        ...(extra as Extra),
      }),
    ),
    builtin('scheduling.k8s.io', 'v1', 'PriorityClass', 'priorityclasses', false, {
      shortNames: ['pc'],
    }),
    builtin('node.k8s.io', 'v1', 'RuntimeClass', 'runtimeclasses', false),
    builtin('discovery.k8s.io', 'v1', 'EndpointSlice', 'endpointslices', true, {
      generation: true,
    }),
    builtin('resource.k8s.io', 'v1', 'DeviceClass', 'deviceclasses', false, { generation: true }),
    builtin('resource.k8s.io', 'v1', 'ResourceClaim', 'resourceclaims', true, status),
    builtin('resource.k8s.io', 'v1', 'ResourceClaimTemplate', 'resourceclaimtemplates', true),
    builtin('resource.k8s.io', 'v1', 'ResourceSlice', 'resourceslices', false, {
      generation: true,
    }),
    builtin('flowcontrol.apiserver.k8s.io', 'v1', 'FlowSchema', 'flowschemas', false, tracked),
    builtin(
      'flowcontrol.apiserver.k8s.io',
      'v1',
      'PriorityLevelConfiguration',
      'prioritylevelconfigurations',
      false,
      tracked,
    ),
  ];
}
