/**
 * Differential: the options of writes as kube-apiserver validates them: `dryRun` values on
 * every verb (422 and nothing changed), `dryRun=All` (answered but not stored), and `force`
 * only on apply patches.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { raw } from './raw-http.js';
import { type E2eContext, startE2e } from './support.js';

let e2e: E2eContext;
let ns: string;

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-options');
});

afterAll(async () => {
  await e2e?.stop();
});

const kc = () => e2e.backend.kubeConfig;
const path = (name = '') => `/api/v1/namespaces/${ns}/configmaps${name ? `/${name}` : ''}`;
const configMap = (name: string, data: Record<string, string> = {}) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name },
  data,
});

async function create(name: string, data: Record<string, string> = { v: '1' }) {
  const res = await raw(kc(), 'POST', path(), { body: configMap(name, data) });
  expect(res.status).toBe(201);
  return res.json();
}

function unsupportedDryRun(kind: string, values: string[]) {
  const message = `Unsupported value: ${JSON.stringify(values)}: supported values: "All"`;
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    reason: 'Invalid',
    code: 422,
    message: `${kind}.meta.k8s.io "" is invalid: dryRun: ${message}`,
    details: {
      group: 'meta.k8s.io',
      kind,
      causes: [{ reason: 'FieldValueNotSupported', message, field: 'dryRun' }],
    },
  };
}

describe('dryRun', () => {
  test('an unknown value is 422 on every verb and changes nothing', async () => {
    const post = await raw(kc(), 'POST', path(), {
      query: { dryRun: 'Foo' },
      body: configMap('dry-new'),
    });
    expect(post.status).toBe(422);
    expect(post.json()).toEqual(unsupportedDryRun('CreateOptions', ['Foo']));
    expect((await raw(kc(), 'GET', path('dry-new'))).status).toBe(404);

    const existing = await create('dry-old');
    const put = await raw(kc(), 'PUT', path('dry-old'), {
      query: { dryRun: ['All', 'Foo'] },
      body: { ...existing, data: { v: '2' } },
    });
    expect(put.status).toBe(422);
    expect(put.json()).toEqual(unsupportedDryRun('UpdateOptions', ['All', 'Foo']));

    const patch = await raw(kc(), 'PATCH', path('dry-old'), {
      query: { dryRun: 'Foo' },
      contentType: 'application/merge-patch+json',
      body: { data: { v: '3' } },
    });
    expect(patch.status).toBe(422);
    expect(patch.json()).toEqual(unsupportedDryRun('PatchOptions', ['Foo']));

    const del = await raw(kc(), 'DELETE', path('dry-old'), { query: { dryRun: 'Foo' } });
    expect(del.status).toBe(422);
    expect(del.json()).toEqual(unsupportedDryRun('DeleteOptions', ['Foo']));

    const after = (await raw(kc(), 'GET', path('dry-old'))).json();
    expect(after.data).toEqual({ v: '1' });
    expect(after.metadata.resourceVersion).toBe(existing.metadata.resourceVersion);
  });

  test('dryRun=All answers as the write would, and stores nothing', async () => {
    const post = await raw(kc(), 'POST', path(), {
      query: { dryRun: 'All' },
      body: configMap('dry-all'),
    });
    expect(post.status).toBe(201);
    expect(post.json().metadata.uid).toBeTruthy();
    expect((await raw(kc(), 'GET', path('dry-all'))).status).toBe(404);

    const existing = await create('dry-all-old');
    const patch = await raw(kc(), 'PATCH', path('dry-all-old'), {
      query: { dryRun: 'All' },
      contentType: 'application/merge-patch+json',
      body: { data: { v: '2' } },
    });
    expect(patch.status).toBe(200);
    expect(patch.json().data).toEqual({ v: '2' });
    const del = await raw(kc(), 'DELETE', path('dry-all-old'), { query: { dryRun: 'All' } });
    expect(del.status).toBe(200);
    const after = (await raw(kc(), 'GET', path('dry-all-old'))).json();
    expect(after.data).toEqual({ v: '1' });
    expect(after.metadata.resourceVersion).toBe(existing.metadata.resourceVersion);
  });
});

describe('force', () => {
  const forbiddenForce = {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    reason: 'Invalid',
    code: 422,
    message:
      'PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch',
    details: {
      group: 'meta.k8s.io',
      kind: 'PatchOptions',
      causes: [
        {
          reason: 'FieldValueForbidden',
          message: 'Forbidden: may not be specified for non-apply patch',
          field: 'force',
        },
      ],
    },
  };

  test('is refused on merge, JSON and strategic merge patches, whatever its value', async () => {
    await create('forced');
    const patches: [string, unknown][] = [
      ['application/merge-patch+json', { data: { v: '2' } }],
      ['application/json-patch+json', [{ op: 'replace', path: '/data/v', value: '2' }]],
      ['application/strategic-merge-patch+json', { data: { v: '2' } }],
    ];
    for (const [contentType, body] of patches) {
      for (const force of ['true', 'false']) {
        const res = await raw(kc(), 'PATCH', path('forced'), {
          query: { force, fieldManager: 'me' },
          contentType,
          body,
        });
        expect(res.status).toBe(422);
        expect(res.json()).toEqual(forbiddenForce);
      }
    }
    expect((await raw(kc(), 'GET', path('forced'))).json().data).toEqual({ v: '1' });
  });

  test('is accepted on apply patches', async () => {
    const res = await raw(kc(), 'PATCH', path('applied'), {
      query: { force: 'true', fieldManager: 'me' },
      contentType: 'application/apply-patch+yaml',
      body: configMap('applied', { v: '1' }),
    });
    expect(res.status).toBe(201);
    expect(res.json().data).toEqual({ v: '1' });
  });

  test('an apply patch without fieldManager is 422 on PatchOptions', async () => {
    const res = await raw(kc(), 'PATCH', path('unmanaged'), {
      contentType: 'application/apply-patch+yaml',
      body: configMap('unmanaged'),
    });
    expect(res.status).toBe(422);
    expect(res.json().message).toBe(
      'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
    );
  });
});
