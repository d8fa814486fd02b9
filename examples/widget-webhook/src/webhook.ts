/**
 * The Widget webhooks: validation (at most {@link MAX_REPLICAS} replicas; a tier change
 * is allowed with a warning), defaulting (the tier) and conversion between versions.
 * `kube-ts-webhook manifests ./dist/webhook.js --service NS/NAME` renders their
 * configurations from the exported {@link webhook}.
 */
import { allow, deny, WebhookServer, type WebhookServerOptions } from '@kube-ts/webhook';
import { DEFAULT_TIER, MAX_REPLICAS, Widget } from './resource.js';

/** The webhook server of the operator with its handlers registered. */
export function widgetWebhook(options: WebhookServerOptions = {}): WebhookServer {
  return new WebhookServer({ name: 'widget-webhook', ...options })
    .validating(
      { name: 'validate.widgets.examples.kube-ts.dev', resource: Widget },
      ({ object, oldObject }) => {
        const w = object!;
        if (w.spec.replicas > MAX_REPLICAS) {
          return deny(`spec.replicas: ${w.spec.replicas} is more than ${MAX_REPLICAS}`, {
            code: 422,
            reason: 'Invalid',
          });
        }
        if (oldObject && oldObject.spec.tier !== w.spec.tier) {
          return allow([
            `changing the tier from ${oldObject.spec.tier} to ${w.spec.tier} restarts every replica`,
          ]);
        }
        return allow();
      },
    )
    .mutating({ name: 'default.widgets.examples.kube-ts.dev', resource: Widget }, ({ object }) => {
      const w = object!;
      w.spec.tier ??= DEFAULT_TIER;
      return w;
    })
    .conversion(Widget);
}

/** The server as `kube-ts-webhook manifests` sees it (handlers only; not started). */
export const webhook = widgetWebhook();
