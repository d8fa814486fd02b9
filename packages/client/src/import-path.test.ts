import { describe, expect, it } from 'vitest';
import { entryOf, staticImports } from './import-path.test-helper.js';

describe('the import path of @kube-ts/client and @kube-ts/runtime', () => {
  it('loads neither ws nor prom-client: they load when a WebSocket or a metric is made', () => {
    for (const entry of ['client', 'runtime']) {
      const imports = staticImports(entryOf(entry));
      expect(imports.has('@kube-ts/core'), entry).toBe(true);
      const loaded = [...imports.keys()].filter((s) => s === 'ws' || s === 'prom-client');
      expect(loaded, `${entry} loads these at import time`).toEqual([]);
    }
  });
});
