// The review kinds are the generated wire types of @kube-ts/k8s, re-exported for handlers.
export type {
  AdmissionRequest,
  AdmissionResponse,
  AdmissionReview,
} from '@kube-ts/k8s/admission/v1';
export type {
  ConversionRequest,
  ConversionResponse,
  ConversionReview,
} from '@kube-ts/k8s/apiextensions/v1';
export type { UserInfo } from '@kube-ts/k8s/authentication/v1';
export type { GroupVersionKind, GroupVersionResource } from '@kube-ts/k8s/meta/v1';
export {
  type AdmissionContext,
  type AdmissionOptions,
  type AdmissionVerdict,
  allow,
  deny,
  type MutatingHandler,
  type MutatingOptions,
  type Mutation,
  mutate,
  type ValidatingHandler,
} from './admission.js';
export {
  caBundleOf,
  type GenerateCertificatesOptions,
  generateCertificates,
  type ServingCertificates,
} from './certificates.js';
export type { ConvertibleResource } from './conversion.js';
export { clientConfigFor, type WebhookManifests, type WebhookTarget } from './manifests.js';
export type { TlsOptions } from './tls-source.js';
export { WebhookServer, type WebhookServerOptions } from './webhook-server.js';
export type {
  FailurePolicy,
  MatchCondition,
  MatchPolicy,
  MutatingWebhook,
  MutatingWebhookConfiguration,
  Operation,
  ReinvocationPolicy,
  RuleWithOperations,
  SideEffects,
  ValidatingWebhook,
  ValidatingWebhookConfiguration,
  WireLabelSelector,
} from './wire-types.js';
