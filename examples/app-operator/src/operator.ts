/** Wires the App controller: what `main.ts` and the tests run. */
import { Api, type Client } from '@kube-ts/client';
import { deployments } from '@kube-ts/k8s/apps/v1';
import { services } from '@kube-ts/k8s/core/v1';
import { Controller, Recorder } from '@kube-ts/runtime';
import type { Logger } from 'pino';
import { FIELD_MANAGER, MANAGED_SELECTOR } from './render.js';
import { App } from './resource.js';

/**
 * The App controller: Apps in every namespace, and the Deployments and Services it
 * rendered (by label), each mapped to its owning App.
 */
export function appController(client: Client, logger: Logger): Controller<App> {
  return new Controller(Api.all(client, App))
    .owns(Api.all(client, deployments), { labelSelector: MANAGED_SELECTOR })
    .owns(Api.all(client, services), { labelSelector: MANAGED_SELECTOR })
    .withConfig({ concurrency: 4, logger });
}

/** The Event recorder of the operator (events.k8s.io/v1, reported as `examples.kube-ts.dev/app-operator`). */
export function appRecorder(client: Client): Recorder {
  return new Recorder(client, {
    controller: `examples.kube-ts.dev/${FIELD_MANAGER}`,
    instance: process.env.POD_NAME ?? `${FIELD_MANAGER}-local`,
  });
}
