/** Wires the Widget operator into a Manager: the controller and the webhook server. */
import { Api, type Client } from '@kube-ts/client';
import { Controller, Manager, type ManagerOptions } from '@kube-ts/runtime';
import type { WebhookServer } from '@kube-ts/webhook';
import { WidgetReconciler } from './reconciler.js';
import { Widget } from './resource.js';

/** A Manager that runs the Widget controller (leader only) and the webhook server (every replica). */
export function widgetManager(
  client: Client,
  webhook: WebhookServer,
  options: ManagerOptions = {},
): Manager {
  return new Manager(options)
    .add(webhook)
    .addController(
      'widget',
      new Controller(Api.all(client, Widget)).withConfig(
        options.logger ? { logger: options.logger } : {},
      ),
      (c) => c.run(new WidgetReconciler(), { client }),
    );
}
