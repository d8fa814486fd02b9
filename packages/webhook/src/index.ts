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
  AdmissionRequest,
  AdmissionResponse,
  AdmissionReview,
  ConversionRequest,
  ConversionResponse,
  ConversionReview,
  FailurePolicy,
  MatchCondition,
  MatchPolicy,
  MutatingWebhook,
  MutatingWebhookConfiguration,
  Operation,
  ReinvocationPolicy,
  RuleWithOperations,
  SideEffects,
  UserInfo,
  ValidatingWebhook,
  ValidatingWebhookConfiguration,
  WireGroupVersionKind,
  WireGroupVersionResource,
  WireLabelSelector,
} from './wire-types.js';
