import { fieldSelector, labelSelector, resources } from '@kube-ts/core';
import { describe, expect, it } from 'vitest';
import { cacheKey } from './key.js';

describe('cacheKey', () => {
  const client = {};
  const configMaps = { resource: resources.configMaps, namespace: 'a', client };

  it('is the same for the same watch, however the selectors are written', () => {
    const built = cacheKey(configMaps, { labelSelector: labelSelector({ app: 'web' }) }, false);
    const text = cacheKey(configMaps, { labelSelector: 'app=web', pageSize: 10 }, false);
    expect(built.id).toBe(text.id);
    expect(cacheKey(configMaps, { labelSelector: '' }, false).id).toBe(
      cacheKey(configMaps, {}, false).id,
    );
  });

  it('differs by client, resource, namespace, selectors and form', () => {
    const base = cacheKey(configMaps, {}, false).id;
    const others = [
      cacheKey({ ...configMaps, client: {} }, {}, false),
      cacheKey({ ...configMaps, resource: resources.secrets }, {}, false),
      cacheKey({ ...configMaps, namespace: 'b' }, {}, false),
      cacheKey({ ...configMaps, namespace: undefined }, {}, false),
      cacheKey(configMaps, { labelSelector: 'app=web' }, false),
      cacheKey(configMaps, { fieldSelector: fieldSelector().eq('metadata.name', 'x') }, false),
      cacheKey(configMaps, {}, true),
    ].map((k) => k.id);
    expect(new Set([base, ...others]).size).toBe(others.length + 1);
  });

  it('describes the watch for logs, errors and /readyz', () => {
    expect(cacheKey(configMaps, { labelSelector: 'app=web' }, true).description).toBe(
      "configmaps (v1) in namespace 'a' labels 'app=web', metadata only",
    );
    expect(cacheKey({ resource: resources.namespaces }, {}, false).description).toBe(
      'namespaces (v1)',
    );
    expect(
      cacheKey({ resource: resources.deployments }, { fieldSelector: 'metadata.name=x' }, false)
        .description,
    ).toBe("deployments (apps/v1) in all namespaces fields 'metadata.name=x'");
  });
});
