import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node/dist/config.js';
import { describe, expect, it } from 'vitest';
import { entryOf, staticImports } from './import-path.test-helper.js';
import { kubeConfigClass } from './kubeconfig-class.js';

describe('kubeConfigClass', () => {
  it('is client-node’s KubeConfig, the class users construct themselves', () => {
    expect(kubeConfigClass()).toBe(KubeConfig);
    expect(new (kubeConfigClass())()).toBeInstanceOf(KubeConfig);
  });

  it('keeps client-node off the import path of @kube-ts/client and @kube-ts/runtime', () => {
    for (const entry of ['client', 'runtime']) {
      const imports = staticImports(entryOf(entry));
      expect(imports.has('@kube-ts/core'), entry).toBe(true);
      const clientNode = [...imports]
        .map(([s]) => s)
        .filter((s) => s.startsWith('@kubernetes/client-node'));
      // Only the entry parsers (config_types.js imports nothing but node:fs).
      expect(clientNode, `${entry} loads client-node at import time`).toEqual([
        '@kubernetes/client-node/dist/config_types.js',
      ]);
    }
  });

  it('Client.fromDefault reaches only client-node modules that never load its generated models', () => {
    const engine = readFileSync(new URL('./kubeconfig-engine.ts', import.meta.url), 'utf8');
    // Every client-node module it loads (type-only imports are erased).
    const used = [
      ...engine.matchAll(
        /^(?!import type).*['"](@kubernetes\/client-node\/dist\/[\w/]+\.js)['"]/gm,
      ),
    ].map((m) => m[1]!);
    expect(used.length).toBeGreaterThan(5);
    const distDir = dirname(
      createRequire(import.meta.url).resolve('@kubernetes/client-node/dist/config_types.js'),
    );
    // Follow each module's relative imports through client-node's dist folder.
    const seen = new Set<string>();
    const queue = used.map((s) => join(distDir, s.replace('@kubernetes/client-node/dist/', '')));
    while (queue.length > 0) {
      const file = queue.pop()!;
      if (seen.has(file)) continue;
      seen.add(file);
      for (const m of readFileSync(file, 'utf8').matchAll(/^import .*from ['"](\.[^'"]+)['"]/gm)) {
        queue.push(resolve(dirname(file), m[1]!));
      }
    }
    const loaded = [...seen].map((f) => f.slice(distDir.length + 1)).sort();
    expect(
      loaded.filter((f) => f.startsWith('gen/') || f === 'config.js' || f === 'index.js'),
    ).toEqual([]);
  });
});
