import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { KWOK_NODE_ANNOTATION, kwokFlags } from './component-flags.js';
import { ControlPlaneError } from './errors.js';
import { fakeNode } from './fake-nodes.js';
import { tempDir } from './fixtures.test-helper.js';
import { stagesDirectory, writeKwokConfig } from './kwok-config.js';

let root: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ path: root, cleanup } = await tempDir());
});
afterEach(() => cleanup());

describe('writeKwokConfig', () => {
  it('writes the stage files, then the given objects, as one multi-document YAML', async () => {
    const stages = join(root, 'stages');
    await mkdir(stages);
    await writeFile(join(stages, 'b-pod.yaml'), 'kind: Stage\nmetadata:\n  name: pod-ready\n');
    await writeFile(join(stages, 'a-node.yaml'), 'kind: Stage\nmetadata:\n  name: node-init\n');
    await writeFile(join(stages, 'README.md'), 'not a stage');
    const path = join(root, 'kwok.yaml');
    const exec = {
      apiVersion: 'kwok.x-k8s.io/v1alpha1',
      kind: 'ClusterExec',
      metadata: { name: 'all' },
      spec: { execs: [{ local: { workDir: '/tmp' } }] },
    };
    await writeKwokConfig(path, stages, [exec]);
    const documents = parseAllDocuments(await readFile(path, 'utf8')).map((d) => d.toJS());
    expect(documents).toEqual([
      { kind: 'Stage', metadata: { name: 'node-init' } },
      { kind: 'Stage', metadata: { name: 'pod-ready' } },
      exec,
    ]);
  });

  it('says how to get the stages when the directory has none', async () => {
    const failure = writeKwokConfig(join(root, 'kwok.yaml'), join(root, 'missing'), []);
    await expect(failure).rejects.toThrow(ControlPlaneError);
    await expect(failure).rejects.toThrow(/stages were not found.*build-binaries\.sh/);
  });

  it('looks for the stages beside the kwok binary', () => {
    expect(stagesDirectory('/cache/kwok/v0.8.0/kwok')).toBe('/cache/kwok/v0.8.0/stages');
  });
});

describe('fake nodes', () => {
  it('carry the annotation kwok is told to manage, and no taint', () => {
    const node = fakeNode('node-0') as {
      metadata: { annotations: Record<string, string> };
      spec?: unknown;
    };
    const selector = kwokFlags({
      port: 1,
      kubeconfigPath: 'k',
      configPath: 'c',
      certs: {} as never,
    }).find((flag) => flag.startsWith('--manage-nodes-with-annotation-selector='));
    const [key, value] = (selector ?? '').slice((selector ?? '').indexOf('=') + 1).split('=');
    expect(key).toBe(KWOK_NODE_ANNOTATION.key);
    expect(node.metadata.annotations[key ?? '']).toBe(value);
    expect(node.spec).toBeUndefined();
  });
});
