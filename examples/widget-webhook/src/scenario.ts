/**
 * The Widget operator's behaviour, checked from the outside while it runs: by its test
 * against MemoryApiServer and by test-e2e against a real kube-apiserver.
 */
import { Api, type Client, Patch } from '@kube-ts/client';
import { ApiError } from '@kube-ts/core';
import { installCrds } from '@kube-ts/schema';
import type { WebhookServer } from '@kube-ts/webhook';
import { expect } from 'vitest';
import { DEFAULT_TIER, Widget } from './resource.js';

const eventually = <T>(read: () => Promise<T>) =>
  expect.poll(read, { timeout: 60_000, interval: 100 });

const configurations = {
  group: 'admissionregistration.k8s.io',
  version: 'v1',
  namespaced: false,
} as const;

/**
 * Registers the running webhook server with the API server in its local development form
 * (`https://127.0.0.1:PORT` and the generated CA): the CRD with its conversion webhook and
 * both webhook configurations. Resolves with a function that removes them again.
 */
export async function installWebhooks(
  client: Client,
  webhook: WebhookServer,
): Promise<() => Promise<void>> {
  const m = webhook.manifests({ url: webhook.url });
  await installCrds(client, m.crds);
  const validating = Api.cluster(client, {
    ...configurations,
    kind: 'ValidatingWebhookConfiguration',
    plural: 'validatingwebhookconfigurations',
  });
  const mutating = Api.cluster(client, {
    ...configurations,
    kind: 'MutatingWebhookConfiguration',
    plural: 'mutatingwebhookconfigurations',
  });
  await validating.create(m.validating!);
  await mutating.create(m.mutating!);
  return async () => {
    await validating.delete(m.validating!.metadata.name);
    await mutating.delete(m.mutating!.metadata.name);
  };
}

/** Sends a merge patch to a Widget at v1 and resolves with the `Warning` texts of the answer. */
export type PatchWithWarnings = (
  namespace: string,
  name: string,
  patch: Record<string, unknown>,
) => Promise<string[]>;

/**
 * Widgets are defaulted and validated by the webhooks, served at both versions through the
 * conversion webhook, and reconciled into `status`; a tier change is allowed with the
 * validating webhook's warning. The webhooks must be installed and the operator running.
 */
export async function widgetScenario(
  client: Client,
  namespace: string,
  patchWithWarnings: PatchWithWarnings,
): Promise<void> {
  const widgets = Api.namespaced(client, Widget, namespace);
  const alphas = Api.namespaced(client, Widget.versions.v1alpha1, namespace);

  // Defaulted by the mutating webhook (a new configuration may take a moment to apply).
  let n = 0;
  await eventually(
    async () => (await widgets.create(Widget.create(`w${n++}`, { replicas: 3 }))).spec.tier,
  ).toBe(DEFAULT_TIER);
  const first = `w${n - 1}`;
  await eventually(async () => (await widgets.get(first)).status).toEqual({
    observedGeneration: 1,
    readyReplicas: 3,
  });

  // Denied by the validating webhook with its message, on create and on update.
  const tooMany = await widgets.create(Widget.create('big', { replicas: 11 })).catch((e) => e);
  expect(tooMany).toBeInstanceOf(ApiError);
  expect((tooMany as ApiError).code).toBe(422);
  expect((tooMany as ApiError).status.message).toBe(
    'admission webhook "validate.widgets.examples.kube-ts.dev" denied the request: spec.replicas: 11 is more than 10',
  );
  const update = await widgets
    .patch(first, Patch.merge({ spec: { replicas: 20 } }))
    .catch((e) => e);
  expect((update as ApiError).code).toBe(422);

  // Stored as v1, served as v1alpha1; a write at v1alpha1 is converted back.
  await widgets.create(Widget.create('gold', { replicas: 2, tier: 'gold' }));
  const alpha = await alphas.get('gold');
  expect(alpha.apiVersion).toBe('examples.kube-ts.dev/v1alpha1');
  expect(alpha.spec).toEqual({ size: '2', tier: 'gold' });
  await alphas.patch('gold', Patch.merge({ spec: { size: '4' } }));
  expect((await widgets.get('gold')).spec).toEqual({ replicas: 4, tier: 'gold' });
  await eventually(async () => (await widgets.get('gold')).status?.readyReplicas).toBe(4);

  // A tier change goes through with the validating webhook's warning.
  expect(await patchWithWarnings(namespace, first, { spec: { tier: 'gold' } })).toEqual([
    `changing the tier from ${DEFAULT_TIER} to gold restarts every replica`,
  ]);
}
