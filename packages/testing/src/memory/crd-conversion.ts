/**
 * A CustomResourceDefinition's `spec.conversion` as kube-apiserver defaults and checks it
 * (own code, for its causes): a webhook service's port 443; the strategy `None` or
 * `Webhook`; a `Webhook` strategy's client config (the checks of an admission webhook's)
 * and review versions; neither with another strategy. kube-apiserver validates the
 * internal form, where `webhook.clientConfig` is `webhookClientConfig` and
 * `webhook.conversionReviewVersions` is `conversionReviewVersions`: the causes name those.
 */

import { caBundleError } from './builtins/ca-bundle.js';
import type { KindRules } from './builtins/kind-rules.js';
import {
  clientConfigCauses,
  knownReviewVersion,
  reviewVersionsCauses,
} from './builtins/webhook-client-config.js';
import type { StatusCause } from './errors.js';
import { isObject, type JsonObject, str, strings } from './json.js';
import { forbiddenValue, invalidValue, notSupported, required } from './validation.js';

const AT = 'spec.conversion';
const STRATEGIES = ['None', 'Webhook'];
const NOT_WEBHOOK = 'should not be set when strategy is not set to Webhook';

const conversionOf = (crd: JsonObject): JsonObject | undefined => {
  const spec = isObject(crd.spec) ? crd.spec : {};
  return isObject(spec.conversion) ? spec.conversion : undefined;
};

const webhookOf = (conversion: JsonObject | undefined): JsonObject | undefined =>
  conversion && isObject(conversion.webhook) ? conversion.webhook : undefined;

/** The decoded `caBundle` of a CRD's conversion webhook (empty when it has none). */
function caBundleOf(crd: JsonObject): Buffer {
  const config = webhookOf(conversionOf(crd))?.clientConfig;
  return Buffer.from(isObject(config) ? str(config.caBundle) : '', 'base64');
}

/** Why a CRD's conversion webhook `caBundle` gives no root certificate, or undefined. */
export function conversionBundleError(crd: JsonObject): string | undefined {
  return caBundleError(caBundleOf(crd));
}

/** Whether a CRD's `Established` condition is `True`. */
export function isEstablished(crd: JsonObject): boolean {
  const status = isObject(crd.status) ? crd.status : {};
  const conditions = Array.isArray(status.conditions) ? status.conditions : [];
  return conditions.some((c) => isObject(c) && c.type === 'Established' && c.status === 'True');
}

/**
 * Whether an update of `old` may carry a `caBundle` that holds no certificate: while
 * `old` is not established, or when its own bundle was not empty and held none.
 */
function allowsBadBundle(old: JsonObject): boolean {
  if (!isEstablished(old)) return true;
  const stored = caBundleOf(old);
  return stored.length > 0 && caBundleError(stored) !== undefined;
}

/** CRDs' defaults on create and update: a conversion webhook service's port (443). */
export const crdConversionRules: KindRules = {
  defaults(crd) {
    const config = webhookOf(conversionOf(crd))?.clientConfig;
    if (isObject(config) && isObject(config.service)) config.service.port ??= 443;
  },
};

/**
 * The causes of a CRD's conversion (`old`: the stored CRD on an update, whose unknown
 * review versions an update may keep).
 */
export function conversionCauses(crd: JsonObject, old?: JsonObject): StatusCause[] {
  const conversion = conversionOf(crd);
  if (!conversion) return [];
  const strategy = typeof conversion.strategy === 'string' ? conversion.strategy : '';
  const causes: StatusCause[] = [];
  if (strategy === '') causes.push(required(`${AT}.strategy`));
  else if (!STRATEGIES.includes(strategy))
    causes.push(notSupported(`${AT}.strategy`, strategy, STRATEGIES));
  const webhook = webhookOf(conversion);
  const config = webhook?.clientConfig;
  const versions = strings(webhook?.conversionReviewVersions);
  if (strategy !== 'Webhook') {
    if (isObject(config)) causes.push(forbiddenValue(`${AT}.webhookClientConfig`, NOT_WEBHOOK));
    if (versions.length > 0) {
      causes.push(forbiddenValue(`${AT}.conversionReviewVersions`, NOT_WEBHOOK));
    }
    return causes;
  }
  if (!isObject(config)) {
    causes.push(required(`${AT}.webhookClientConfig`, 'required when strategy is set to Webhook'));
  } else {
    causes.push(...clientConfigCauses(config, `${AT}.webhookClientConfig`));
    const bundle = Buffer.from(str(config.caBundle), 'base64');
    const why = old && !allowsBadBundle(old) ? caBundleError(bundle) : undefined;
    if (why) {
      causes.push(
        invalidValue(`${AT}.webhookClientConfig.caBundle`, bundle.toString('base64'), why),
      );
    }
  }
  const stored = webhookOf(old && conversionOf(old))?.conversionReviewVersions;
  const recognized = old === undefined || knownReviewVersion(strings(stored));
  causes.push(...reviewVersionsCauses(versions, `${AT}.conversionReviewVersions`, recognized, ''));
  return causes;
}
