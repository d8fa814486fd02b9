/**
 * The wire types of admission.k8s.io/v1 (AdmissionReview), apiextensions.k8s.io/v1
 * (ConversionReview) and admissionregistration.k8s.io/v1 (webhook configurations), as
 * kube-apiserver sends and reads them. Written by hand for the few kinds a webhook needs.
 */
import type { KubeObject, ObjectMeta, Status } from '@kube-ts/core';
import type { WebhookClientConfig } from '@kube-ts/schema';

/** A label selector on the wire (metav1.LabelSelector). */
export interface WireLabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: {
    key: string;
    operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
    values?: string[];
  }[];
}

/** The operation an admission request is for. */
export type Operation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';

/** Who made the request (authentication.k8s.io/v1 UserInfo). */
export interface UserInfo {
  username?: string;
  uid?: string;
  groups?: string[];
  extra?: Record<string, string[]>;
}

/** A group, version and kind on the wire (`group` is `''` for the core group). */
export interface WireGroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

/** A group, version and resource on the wire. */
export interface WireGroupVersionResource {
  group: string;
  version: string;
  resource: string;
}

/** `request` of an AdmissionReview. */
export interface AdmissionRequest {
  uid: string;
  kind: WireGroupVersionKind;
  resource: WireGroupVersionResource;
  subResource?: string;
  requestKind?: WireGroupVersionKind;
  requestResource?: WireGroupVersionResource;
  requestSubResource?: string;
  name?: string;
  namespace?: string;
  operation: Operation;
  userInfo: UserInfo;
  object?: KubeObject | null;
  oldObject?: KubeObject | null;
  dryRun?: boolean;
  options?: KubeObject | null;
}

/** `response` of an AdmissionReview. */
export interface AdmissionResponse {
  uid: string;
  allowed: boolean;
  status?: Partial<Status>;
  patch?: string;
  patchType?: 'JSONPatch';
  auditAnnotations?: Record<string, string>;
  warnings?: string[];
}

/** An admission.k8s.io/v1 AdmissionReview (request from the server, response from the webhook). */
export interface AdmissionReview {
  apiVersion: 'admission.k8s.io/v1';
  kind: 'AdmissionReview';
  request?: AdmissionRequest;
  response?: AdmissionResponse;
}

/** `request` of a ConversionReview. */
export interface ConversionRequest {
  uid: string;
  desiredAPIVersion: string;
  objects: KubeObject[];
}

/** `response` of a ConversionReview. */
export interface ConversionResponse {
  uid: string;
  convertedObjects: KubeObject[];
  result: Partial<Status> & { status: 'Success' | 'Failure' };
}

/** An apiextensions.k8s.io/v1 ConversionReview. */
export interface ConversionReview {
  apiVersion: 'apiextensions.k8s.io/v1';
  kind: 'ConversionReview';
  request?: ConversionRequest;
  response?: ConversionResponse;
}

/** Which requests a webhook is called for (RuleWithOperations). */
export interface RuleWithOperations {
  operations: (Operation | '*')[];
  apiGroups: string[];
  apiVersions: string[];
  /** Plural resource names, optionally with a subresource (`widgets/status`), or `*`. */
  resources: string[];
  scope?: 'Cluster' | 'Namespaced' | '*';
}

/** What happens when the webhook cannot be called or answers with an error. */
export type FailurePolicy = 'Fail' | 'Ignore';

/** Whether calling the webhook has side effects on `dryRun` requests. */
export type SideEffects = 'None' | 'NoneOnDryRun';

/** How a request at another version of the same resource matches the rules. */
export type MatchPolicy = 'Exact' | 'Equivalent';

/**
 * A CEL condition a request must meet for the webhook to be called (admissionregistration
 * v1 MatchCondition): `expression` sees `object`, `oldObject`, `request` and `authorizer`
 * and returns a bool.
 */
export interface MatchCondition {
  /** Unique within the webhook; a qualified name (`[prefix/]name`, 63 characters at most). */
  name: string;
  expression: string;
}

/** One webhook of a ValidatingWebhookConfiguration (the fields every admission webhook has). */
export interface ValidatingWebhook {
  name: string;
  clientConfig: WebhookClientConfig;
  rules: RuleWithOperations[];
  failurePolicy?: FailurePolicy;
  matchPolicy?: MatchPolicy;
  namespaceSelector?: WireLabelSelector;
  objectSelector?: WireLabelSelector;
  matchConditions?: MatchCondition[];
  sideEffects: SideEffects;
  timeoutSeconds?: number;
  admissionReviewVersions: string[];
}

/** Whether a mutating webhook is called again after later webhooks changed the object. */
export type ReinvocationPolicy = 'Never' | 'IfNeeded';

/** One webhook of a MutatingWebhookConfiguration. */
export interface MutatingWebhook extends ValidatingWebhook {
  reinvocationPolicy?: ReinvocationPolicy;
}

/** admissionregistration.k8s.io/v1 ValidatingWebhookConfiguration. */
export interface ValidatingWebhookConfiguration extends KubeObject {
  apiVersion: 'admissionregistration.k8s.io/v1';
  kind: 'ValidatingWebhookConfiguration';
  metadata: ObjectMeta & { name: string };
  webhooks?: ValidatingWebhook[];
}

/** admissionregistration.k8s.io/v1 MutatingWebhookConfiguration. */
export interface MutatingWebhookConfiguration extends KubeObject {
  apiVersion: 'admissionregistration.k8s.io/v1';
  kind: 'MutatingWebhookConfiguration';
  metadata: ObjectMeta & { name: string };
  webhooks?: MutatingWebhook[];
}
