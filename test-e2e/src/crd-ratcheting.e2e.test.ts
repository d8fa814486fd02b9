/**
 * Differential: validation ratcheting of custom resources. A CRD's schema is tightened
 * after an object was stored; an update may keep what already fails as long as it leaves
 * it as stored: a property correlated by name, an item of a map list by its keys (an
 * atomic list's items do not correlate: they are checked again); list types are checked
 * only when the stored object passes them. A CEL rule that fails on an unchanged value is
 * sent as a warning; a changed value is refused.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CRDS, installCrd, namespacedCrd } from './crd-install.js';
import { type RawResponse, raw } from './raw-http.js';
import { type E2eContext, EVENTUALLY, startE2e, uniqueSuffix } from './support.js';

let e2e: E2eContext;
let ns: string;
const group = `ratchet${uniqueSuffix()}.e2e.kube-ts.dev`;
const kc = () => e2e.backend.kubeConfig;
const path = () => `/apis/${group}/v1/namespaces/${ns}/ratchets`;
const MERGE = 'application/merge-patch+json';
/** After a schema error, kube-apiserver runs no CEL rule and says so. */
const SKIPPED =
  '<nil>: Invalid value: null: some validation rules were not checked because the object was invalid; correct the existing errors to complete validation';

/** The spec's schema; `tight` adds length limits and a CEL rule. */
function specSchema(tight: boolean): Record<string, unknown> {
  const short = tight ? { maxLength: 3 } : {};
  return {
    type: 'object',
    properties: {
      name: { type: 'string', ...short },
      other: { type: 'string' },
      count: {
        type: 'integer',
        ...(tight
          ? { 'x-kubernetes-validations': [{ rule: 'self > 0', message: 'must be positive' }] }
          : {}),
      },
      entries: {
        type: 'array',
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['key'],
        items: {
          type: 'object',
          required: ['key'],
          properties: { key: { type: 'string' }, value: { type: 'string', ...short } },
        },
      },
      tags: { type: 'array', items: { type: 'string', ...short } },
      set: {
        type: 'array',
        items: { type: 'string' },
        ...(tight ? { 'x-kubernetes-list-type': 'set' } : {}),
      },
    },
  };
}

const schemaOf = (tight: boolean) => ({
  openAPIV3Schema: { type: 'object', properties: { spec: specSchema(tight) } },
});

const STORED = {
  name: 'long',
  count: 0,
  entries: [{ key: 'a', value: 'long' }],
  tags: ['long'],
  set: ['a', 'a'],
};

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-ratchet');
  const crd = namespacedCrd(group, 'Ratchet', { schema: schemaOf(false) });
  await installCrd(e2e, crd, path());
  const created = await raw(kc(), 'POST', path(), {
    body: { apiVersion: `${group}/v1`, kind: 'Ratchet', metadata: { name: 'r' }, spec: STORED },
  });
  expect(created.status, created.text).toBe(201);
  // Tighten the schema, and wait until the server validates with it.
  const url = `${CRDS}/${crd.metadata.name}`;
  const current = (await raw(kc(), 'GET', url)).json();
  current.spec.versions[0].schema = schemaOf(true);
  const updated = await raw(kc(), 'PUT', url, { body: current });
  expect(updated.status, updated.text).toBe(200);
  const until = Date.now() + EVENTUALLY.timeout;
  for (;;) {
    const probe = await raw(kc(), 'POST', path(), {
      body: {
        apiVersion: `${group}/v1`,
        kind: 'Ratchet',
        metadata: { name: 'probe' },
        spec: { name: 'long' },
      },
      query: { dryRun: 'All' },
    });
    if (probe.status === 422) break;
    if (Date.now() > until)
      throw new Error(`the tightened schema was not used in time: ${probe.text}`);
    await new Promise((r) => setTimeout(r, EVENTUALLY.interval));
  }
});

afterAll(async () => {
  await e2e?.stop();
});

function patch(spec: Record<string, unknown>): Promise<RawResponse> {
  return raw(kc(), 'PATCH', `${path()}/r`, {
    body: { spec },
    contentType: MERGE,
    query: { dryRun: 'All' },
  });
}

function causes(res: RawResponse): string[] {
  expect(res.status, res.text).toBe(422);
  return res
    .json()
    .details.causes.map((c: { field: string; message: string }) => `${c.field}: ${c.message}`);
}

describe('validation ratcheting', () => {
  test('an update that leaves failing values as stored is accepted; a CEL failure becomes a warning', async () => {
    const res = await patch({ other: 'x' });
    expect(res.status, res.text).toBe(200);
    expect(res.headers.warning).toBe('299 - "spec.count: Invalid value: 0: must be positive"');
  });

  test('a changed value is checked', async () => {
    expect(causes(await patch({ name: 'longer' }))).toEqual([
      'spec.name: Too long: may not be more than 3 bytes',
      SKIPPED,
    ]);
    expect(causes(await patch({ count: -1 }))).toEqual([
      'spec.count: Invalid value: -1: must be positive',
    ]);
  });

  test('map-list items correlate by key; atomic list items do not', async () => {
    const added = await patch({
      entries: [
        { key: 'b', value: 'ok' },
        { key: 'a', value: 'long' },
      ],
    });
    expect(added.status, added.text).toBe(200);
    expect(causes(await patch({ entries: [{ key: 'a', value: 'lon2' }] }))).toEqual([
      'spec.entries[0].value: Too long: may not be more than 3 bytes',
      SKIPPED,
    ]);
    expect(causes(await patch({ tags: ['long', 'ok'] }))).toEqual([
      'spec.tags[0]: Too long: may not be more than 3 bytes',
      SKIPPED,
    ]);
  });

  test('list types are checked only when the stored object passes them', async () => {
    // The stored set repeats an item: a changed set may too, and its duplicates are not reported.
    const changed = await patch({ set: ['b', 'b', 'a', 'a'] });
    expect(changed.status, changed.text).toBe(200);
  });
});
