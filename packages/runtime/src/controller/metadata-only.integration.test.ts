import { Api } from '@kube-ts/client';
import { ownerRefTo, type PartialObjectMetadata, resources } from '@kube-ts/core';
import type { ConfigMap } from '@kube-ts/k8s/core/v1';
import { pino } from 'pino';
import { expect, it, vi } from 'vitest';
import { useMemoryServer, WAIT } from '../cache/memory-server.test-helper.js';
import { Action } from './action.js';
import { Controller } from './controller.js';
import { type ReconcileInfo, Reconciler } from './reconciler.js';

/** A standalone controller (no cache) with metadata-only owns and watches. */

const logger = pino({ level: 'silent' });
const fx = useMemoryServer();

class Recording extends Reconciler<ConfigMap> {
  readonly reasons: string[] = [];
  async reconcile(cm: ConfigMap, _ctx: undefined, info: ReconcileInfo): Promise<Action> {
    const related = info.reason.type === 'relatedObjectUpdated' ? info.reason.related.name : '';
    this.reasons.push(`${cm.metadata?.name}:${related}`);
    return Action.awaitChange();
  }
}

it('owns and watches with metadataOnly watch PartialObjectMetadata and trigger reconciles', async () => {
  const ns = await fx.namespace('md');
  const configMaps = Api.namespaced(fx.client, resources.configMaps, ns);
  const secrets = Api.namespaced(fx.client, resources.secrets, ns);
  const owner = await configMaps.create({ metadata: { name: 'owner', labels: { role: 'p' } } });
  const mapped: PartialObjectMetadata[] = [];
  const r = new Recording();
  const sub = new Controller(configMaps, { labelSelector: 'role=p' })
    .owns(secrets, { metadataOnly: true })
    .watches(configMaps, { labelSelector: 'role=settings', metadataOnly: true }, (obj) => {
      mapped.push(obj);
      return { namespace: ns, name: 'owner' };
    })
    .withConfig({ logger })
    .run(r)
    .subscribe();
  try {
    await vi.waitFor(() => expect(r.reasons).toContain('owner:'), WAIT);
    await secrets.create({
      metadata: { name: 'child', ownerReferences: [ownerRefTo(owner)] },
      stringData: { token: 'secret' },
    });
    await vi.waitFor(() => expect(r.reasons).toContain('owner:child'), WAIT);
    await configMaps.create({
      metadata: { name: 'settings', labels: { role: 'settings' } },
      data: { big: 'x' },
    });
    await vi.waitFor(() => expect(r.reasons).toContain('owner:settings'), WAIT);
    expect(mapped.at(-1)).toMatchObject({
      kind: 'PartialObjectMetadata',
      metadata: { name: 'settings' },
    });
    expect(mapped.at(-1)).not.toHaveProperty('data');
  } finally {
    sub.unsubscribe();
  }
});

it('metadataOnly needs a source with a metadata() handle', () => {
  const fake = { list: async () => ({ items: [] }), watch: () => (async function* () {})() };
  expect(() =>
    new Controller(Api.all(fx.client, resources.configMaps)).owns(fake, { metadataOnly: true }),
  ).toThrow(
    /Controller.owns\(objects, \{ metadataOnly: true \}\): the source has no metadata\(\) handle/,
  );
});
