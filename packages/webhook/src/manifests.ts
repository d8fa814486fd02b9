import type { CustomResourceDefinition, WebhookClientConfig } from '@kube-ts/schema';
import type { AdmissionRegistration } from './admission.js';
import type { ConvertibleResource } from './conversion.js';
import type {
  MutatingWebhook,
  MutatingWebhookConfiguration,
  RuleWithOperations,
  ValidatingWebhook,
  ValidatingWebhookConfiguration,
} from './wire-types.js';

/**
 * Where the API server reaches the webhook server:
 * - `service`: in the cluster, through a Service (port default 443);
 * - `url`: the server's base URL (`https://127.0.0.1:9443`), for local development.
 *
 * `caBundle` is the base64 PEM CA; leave it out when cert-manager's CA injector fills it
 * (put its `cert-manager.io/inject-ca-from` annotation in `annotations`).
 */
export type WebhookTarget = (
  | { readonly service: { namespace: string; name: string; port?: number }; readonly url?: never }
  | { readonly url: string; readonly service?: never }
) & {
  readonly caBundle?: string;
  /** Annotations for every rendered configuration and CRD. */
  readonly annotations?: Record<string, string>;
};

/** The manifests of a webhook server. */
export interface WebhookManifests {
  /** The ValidatingWebhookConfiguration (absent without validating handlers). */
  readonly validating: ValidatingWebhookConfiguration | undefined;
  /** The MutatingWebhookConfiguration (absent without mutating handlers). */
  readonly mutating: MutatingWebhookConfiguration | undefined;
  /** The CRDs of the converted resources, with `conversion.strategy: Webhook`. */
  readonly crds: CustomResourceDefinition[];
}

/** The client config that reaches `path` on the target. */
export function clientConfigFor(target: WebhookTarget, path: string): WebhookClientConfig {
  const c: WebhookClientConfig = {};
  if (target.service) {
    c.service = { namespace: target.service.namespace, name: target.service.name, path };
    if (target.service.port !== undefined) c.service.port = target.service.port;
  } else if (target.url !== undefined) {
    const url = new URL(target.url);
    if (url.protocol !== 'https:') {
      throw new TypeError(
        `webhook url ${target.url} must use https: the API server calls webhooks over TLS only`,
      );
    }
    c.url = `${url.origin}${url.pathname.replace(/\/$/, '')}${path}`;
  } else {
    throw new TypeError('a webhook target needs a service or a url');
  }
  if (target.caBundle) c.caBundle = target.caBundle;
  return c;
}

function ruleOf(reg: AdmissionRegistration): RuleWithOperations {
  const r = reg.options.resource;
  return {
    operations: [...(reg.options.operations ?? ['CREATE', 'UPDATE'])],
    apiGroups: [r.group],
    apiVersions: [r.version],
    resources: [r.plural, ...(reg.options.subresources ?? []).map((s) => `${r.plural}/${s}`)],
    scope: r.namespaced ? 'Namespaced' : 'Cluster',
  };
}

function webhookOf(reg: AdmissionRegistration, target: WebhookTarget): ValidatingWebhook {
  const o = reg.options;
  const w: ValidatingWebhook = {
    name: o.name,
    clientConfig: clientConfigFor(target, reg.path),
    rules: [ruleOf(reg)],
    failurePolicy: o.failurePolicy ?? 'Fail',
    matchPolicy: o.matchPolicy ?? 'Equivalent',
    sideEffects: o.sideEffects ?? 'None',
    timeoutSeconds: o.timeoutSeconds ?? 10,
    admissionReviewVersions: ['v1'],
  };
  if (o.namespaceSelector) w.namespaceSelector = structuredClone(o.namespaceSelector);
  if (o.objectSelector) w.objectSelector = structuredClone(o.objectSelector);
  if (o.matchConditions?.length) w.matchConditions = o.matchConditions.map((c) => ({ ...c }));
  return w;
}

/**
 * Renders the ValidatingWebhookConfiguration and MutatingWebhookConfiguration (named
 * `name`) of the registered handlers, and the CRDs of the converted resources with their
 * conversion stanza pointing at `conversionPath`.
 */
export function renderManifests(
  name: string,
  registrations: readonly AdmissionRegistration[],
  conversions: readonly ConvertibleResource[],
  target: WebhookTarget,
  conversionPath: string,
): WebhookManifests {
  const metadata = () => {
    const m: { name: string; annotations?: Record<string, string> } = { name };
    if (target.annotations) m.annotations = { ...target.annotations };
    return m;
  };
  const validating = registrations
    .filter((r) => r.type === 'validating')
    .map((r) => webhookOf(r, target));
  const mutating: MutatingWebhook[] = registrations
    .filter((r) => r.type === 'mutating')
    .map((r) => ({
      ...webhookOf(r, target),
      reinvocationPolicy: r.options.reinvocationPolicy ?? 'Never',
    }));
  const crds = conversions.map((r) => {
    const crd = r.crd(clientConfigFor(target, conversionPath));
    if (target.annotations) {
      crd.metadata = {
        ...crd.metadata,
        annotations: { ...crd.metadata?.annotations, ...target.annotations },
      };
    }
    return crd;
  });
  return {
    validating: validating.length
      ? {
          apiVersion: 'admissionregistration.k8s.io/v1',
          kind: 'ValidatingWebhookConfiguration',
          metadata: metadata(),
          webhooks: validating,
        }
      : undefined,
    mutating: mutating.length
      ? {
          apiVersion: 'admissionregistration.k8s.io/v1',
          kind: 'MutatingWebhookConfiguration',
          metadata: metadata(),
          webhooks: mutating,
        }
      : undefined,
    crds,
  };
}
