import { Api, Patch } from '@kube-ts/client';
import { ownerRefTo, resources } from '@kube-ts/core';
import type { ConfigMap, Secret } from '@kube-ts/k8s/core/v1';
import { pino } from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { Action } from '../controller/action.js';
import { Controller } from '../controller/controller.js';
import { type ReconcileInfo, Reconciler } from '../controller/reconciler.js';
import { Manager } from '../manager/manager.js';
import { Cache } from './cache.js';
import { useMemoryServer, WAIT } from './memory-server.test-helper.js';

/** Controllers that share a cache: one watch per key on the server, released with the last. */

const logger = pino({ level: 'silent' });
const fx = useMemoryServer();
const namespace = () => fx.namespace('shared');

/** Records why each object was reconciled, and reads its children through the cache. */
class Recording extends Reconciler<ConfigMap, { cache: Cache }> {
  readonly reasons: string[] = [];
  async reconcile(cm: ConfigMap, ctx: { cache: Cache }, info: ReconcileInfo): Promise<Action> {
    const related = info.reason.type === 'relatedObjectUpdated' ? info.reason.related.name : '';
    this.reasons.push(`${cm.metadata?.name}:${info.reason.type}:${related}`);
    // The owned children are readable from the shared cache in every reconcile.
    ctx.cache.list(resources.configMaps, { namespace: cm.metadata?.namespace });
    return Action.awaitChange();
  }
}

function parent(name: string, role: string): ConfigMap {
  return { metadata: { name, labels: { role } } };
}

function child(name: string, owner: ConfigMap): ConfigMap {
  return { metadata: { name, ownerReferences: [ownerRefTo(owner)] }, data: { v: '1' } };
}

describe('controllers on a shared cache', () => {
  it('two controllers in a Manager that own ConfigMaps open one watch of them', async () => {
    const ns = await namespace();
    const configMaps = Api.namespaced(fx.client, resources.configMaps, ns);
    const a = await configMaps.create(parent('pa', 'a'));
    const b = await configMaps.create(parent('pb', 'b'));
    const before = fx.server.openWatches;
    const manager = new Manager({ port: 0, handleSignals: false, logger });
    const ra = new Recording();
    const rb = new Recording();
    const ctx = { cache: manager.cache };
    manager.addController(
      'a',
      new Controller(configMaps, { labelSelector: 'role=a' })
        .owns(configMaps)
        .withConfig({ logger }),
      (c) => c.run(ra, ctx),
    );
    manager.addController(
      'b',
      new Controller(configMaps, { labelSelector: 'role=b' })
        .owns(configMaps)
        .withConfig({ logger }),
      (c) => c.run(rb, ctx),
    );
    const done = manager.start();
    // Two main watches (different selectors) and ONE watch of the owned ConfigMaps.
    await vi.waitFor(() => expect(fx.server.openWatches).toBe(before + 3), WAIT);
    const owned = manager.cache
      .watches()
      .find((w) => w.description === `configmaps (v1) in namespace '${ns}'`);
    expect(owned?.users).toBe(2);
    // The same, as the Manager's /metrics registry reports it.
    const metrics = await manager.registry.metrics();
    expect(metrics).toContain('\nkube_ts_cache_watches 3\n');
    expect(metrics).toContain(
      `\nkube_ts_cache_watch_holders{watch="configmaps (v1) in namespace '${ns}'"} 2\n`,
    );
    await vi.waitFor(() => expect(ra.reasons).toContain('pa:objectUpdated:'), WAIT);
    await vi.waitFor(() => expect(rb.reasons).toContain('pb:objectUpdated:'), WAIT);
    await configMaps.create(child('ca', a));
    await configMaps.create(child('cb', b));
    await vi.waitFor(() => expect(ra.reasons).toContain('pa:relatedObjectUpdated:ca'), WAIT);
    await vi.waitFor(() => expect(rb.reasons).toContain('pb:relatedObjectUpdated:cb'), WAIT);
    expect(ra.reasons.filter((r) => r.startsWith('pb'))).toEqual([]);
    await manager.stop();
    await done;
    await vi.waitFor(() => expect(fx.server.openWatches).toBe(before), WAIT);
    expect(manager.cache.watches()).toEqual([]);
  });

  it('stopping one controller keeps the other stream; the last one stops it', async () => {
    const ns = await namespace();
    const configMaps = Api.namespaced(fx.client, resources.configMaps, ns);
    const a = await configMaps.create(parent('pa', 'a'));
    const b = await configMaps.create(parent('pb', 'b'));
    const cache = new Cache();
    const before = fx.server.openWatches;
    const ra = new Recording();
    const rb = new Recording();
    const run = (role: string, r: Recording) =>
      new Controller(configMaps, { labelSelector: `role=${role}` })
        .owns(configMaps)
        .withConfig({ logger })
        .withCache(cache)
        .run(r, { cache })
        .subscribe();
    const subA = run('a', ra);
    const subB = run('b', rb);
    await vi.waitFor(() => expect(fx.server.openWatches).toBe(before + 3), WAIT);
    await vi.waitFor(() => expect(rb.reasons).toContain('pb:objectUpdated:'), WAIT);
    subA.unsubscribe(); // releases a's main watch; the owned watch stays for b
    await vi.waitFor(() => expect(fx.server.openWatches).toBe(before + 2), WAIT);
    await configMaps.create(child('cb', b));
    await configMaps.create(child('ca', a));
    await vi.waitFor(() => expect(rb.reasons).toContain('pb:relatedObjectUpdated:cb'), WAIT);
    expect(ra.reasons).not.toContain('pa:relatedObjectUpdated:ca');
    subB.unsubscribe();
    await vi.waitFor(() => expect(fx.server.openWatches).toBe(before), WAIT);
    expect(cache.watches()).toEqual([]);
  });

  it('a metadata-only owned Secret triggers its owner; only its metadata is cached', async () => {
    const ns = await namespace();
    const configMaps = Api.namespaced(fx.client, resources.configMaps, ns);
    const secrets = Api.namespaced(fx.client, resources.secrets, ns);
    const owner = await configMaps.create(parent('owner', 'p'));
    const manager = new Manager({ port: 0, handleSignals: false, logger });
    const r = new Recording();
    manager.addController(
      'owner',
      new Controller(configMaps, { labelSelector: 'role=p' })
        .owns(secrets, { metadataOnly: true })
        .withConfig({ logger }),
      (c) => c.run(r, { cache: manager.cache }),
    );
    const done = manager.start();
    await vi.waitFor(() => expect(r.reasons).toContain('owner:objectUpdated:'), WAIT);
    const secret: Secret = {
      metadata: { name: 'creds', ownerReferences: [ownerRefTo(owner)] },
      stringData: { token: 'do-not-cache-me' },
    };
    await secrets.create(secret);
    await vi.waitFor(() => expect(r.reasons).toContain('owner:relatedObjectUpdated:creds'), WAIT);
    const cached = manager.cache.get(resources.secrets, ns, 'creds', { metadataOnly: true });
    expect(cached?.kind).toBe('PartialObjectMetadata');
    expect(JSON.stringify(cached)).not.toContain('do-not-cache-me');
    expect(manager.cache.watches().map((w) => w.description)).toContain(
      `secrets (v1) in namespace '${ns}', metadata only`,
    );
    r.reasons.length = 0;
    await secrets.patch('creds', Patch.merge({ metadata: { labels: { touched: 'yes' } } }));
    await vi.waitFor(() => expect(r.reasons).toContain('owner:relatedObjectUpdated:creds'), WAIT);
    await manager.stop();
    await done;
  });
});
