/**
 * The CEL types kube-apiserver gives the `request` and `namespaceObject` of admission
 * expressions when it compiles them (a policy's or a webhook's, when written, and the
 * policy status controller's type checking): hand-made object types, not the kinds'
 * OpenAPI schemas, so they have only the fields listed here (`request.uid` and
 * `namespaceObject.metadata.uid` are undefined there; the namespace's UID is `UID`), and
 * messages name them as cel-go does (`must evaluate to bool but got kubernetes.UserInfo`).
 */
import { CelListOf, CelMapOf, type CelObjectType, namedObjectType } from './object-types.js';

const TIMESTAMP = 'google.protobuf.Timestamp';
const STRINGS = new CelListOf('string');

const groupVersionKind = namedObjectType('kubernetes.GroupVersionKind', {
  group: 'string',
  version: 'string',
  kind: 'string',
});

const groupVersionResource = namedObjectType('kubernetes.GroupVersionResource', {
  group: 'string',
  version: 'string',
  resource: 'string',
});

/** `request`: an AdmissionRequest without its uid and objects (`options` is dynamic). */
export const ADMISSION_REQUEST_TYPE: CelObjectType = namedObjectType(
  'kubernetes.AdmissionRequest',
  {
    kind: groupVersionKind,
    resource: groupVersionResource,
    subResource: 'string',
    requestKind: groupVersionKind,
    requestResource: groupVersionResource,
    requestSubResource: 'string',
    name: 'string',
    namespace: 'string',
    operation: 'string',
    userInfo: namedObjectType('kubernetes.UserInfo', {
      username: 'string',
      uid: 'string',
      groups: STRINGS,
      extra: new CelMapOf(STRINGS),
    }),
    dryRun: 'bool',
    options: 'dyn',
  },
);

/** `namespaceObject`: a Namespace with some of its metadata (no owners, no managed fields). */
export const NAMESPACE_TYPE: CelObjectType = namedObjectType('kubernetes.Namespace', {
  metadata: namedObjectType('kubernetes.NamespaceMetadata', {
    name: 'string',
    generateName: 'string',
    namespace: 'string',
    labels: new CelMapOf('string'),
    annotations: new CelMapOf('string'),
    UID: 'string',
    creationTimestamp: TIMESTAMP,
    deletionGracePeriodSeconds: 'int',
    deletionTimestamp: TIMESTAMP,
    generation: 'int',
    resourceVersion: 'string',
    finalizers: STRINGS,
  }),
  spec: namedObjectType('kubernetes.NamespaceSpec', { finalizers: STRINGS }),
  status: namedObjectType('kubernetes.NamespaceStatus', {
    conditions: new CelListOf(
      namedObjectType('kubernetes.NamespaceCondition', {
        status: 'string',
        type: 'string',
        lastTransitionTime: TIMESTAMP,
        message: 'string',
        reason: 'string',
      }),
    ),
    phase: 'string',
  }),
});
