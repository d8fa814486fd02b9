/**
 * The admissionregistration.k8s.io/v1 webhook configurations as @kube-ts/webhook renders
 * them (narrower than the generated wire types: literal kinds, the values the server
 * accepts). The review kinds a webhook receives (AdmissionReview, ConversionReview) are
 * the generated ones of @kube-ts/k8s (`admission/v1`, `apiextensions/v1`).
 */
import type { KubeObject, ObjectMeta } from '@kube-ts/core';
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
