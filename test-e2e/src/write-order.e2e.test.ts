/**
 * Differential: the order of kube-apiserver's checks on a create. It decodes the body,
 * runs mutating admission, validates, runs validating admission, and only then does its
 * storage find the name taken (409 `AlreadyExists`) or refuse a `resourceVersion` (500):
 * a taken name with an invalid body is 422, with a body a validating admission plugin,
 * policy or webhook refuses it is their 403. Refusals of mutating admission plugins come
 * before the name is generated, so they name a `generateName` create by its prefix; those
 * of validating admission by the generated name. Validating webhooks are called in
 * parallel: every one is called, the denial reported is the first to arrive, and the
 * warnings of the others come with it.
 */

import { resources } from '@kube-ts/core';
import { allow, deny } from '@kube-ts/webhook';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { installCrd, namespacedCrd } from './crd-install.js';
import { raw } from './raw-http.js';
import { type E2eContext, EVENTUALLY, startE2e, uniqueSuffix } from './support.js';
import { localWebhookServer, serveWebhooks } from './webhook-configs.js';

const suffix = uniqueSuffix();
const group = `wo${suffix}.e2e.kube-ts.dev`;
const LABEL = 'e2e.kube-ts.dev/order';
const slow = `slow.configmaps.${group}`;
const fast = `fast.configmaps.${group}`;
const warner = `warner.configmaps.${group}`;
const refuser = `refuser.configmaps.${group}`;
const namer = `namer.configmaps.${group}`;
const seer = `seer.configmaps.${group}`;
/** The webhooks' calls: `<webhook> <request name>` (`-` when the request has none). */
const calls: string[] = [];

let e2e: E2eContext;
let ns: string;

const kc = () => e2e.backend.kubeConfig;
const core = (plural: string, name = '') =>
  `/api/v1/namespaces/${ns}/${plural}${name ? `/${name}` : ''}`;
const configMap = (name: string, labels: Record<string, string> = {}, data = {}) => ({
  metadata: { name, labels },
  data,
});
const post = (plural: string, body: unknown, query: Record<string, string> = {}) =>
  raw(kc(), 'POST', core(plural), { body, query });

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-write-order');
  const selector = (what: string) => ({ matchLabels: { [LABEL]: `${what}-${suffix}` } });
  const record = (hook: string, name: string | undefined) =>
    calls.push(`${hook} ${name === undefined || name === '' ? '-' : name}`);
  const webhook = localWebhookServer(`order-${suffix}`)
    // First in the configuration, but answers last.
    .validating(
      {
        name: slow,
        resource: resources.configMaps,
        operations: ['CREATE'],
        objectSelector: selector('race'),
      },
      async (ctx) => {
        record(slow, ctx.request.name);
        await new Promise((r) => setTimeout(r, 1500));
        return deny('slow says no');
      },
    )
    .validating(
      {
        name: fast,
        resource: resources.configMaps,
        operations: ['CREATE'],
        objectSelector: selector('race'),
      },
      (ctx) => {
        record(fast, ctx.request.name);
        return deny('fast says no');
      },
    )
    .validating(
      {
        name: warner,
        resource: resources.configMaps,
        operations: ['CREATE'],
        objectSelector: selector('race'),
      },
      async (ctx) => {
        record(warner, ctx.request.name);
        await new Promise((r) => setTimeout(r, 500));
        return allow(['warner was here']);
      },
    )
    .validating(
      {
        name: refuser,
        resource: resources.configMaps,
        operations: ['CREATE'],
        objectSelector: selector('refuse'),
      },
      (ctx) => {
        record(refuser, ctx.request.name);
        return deny(`no ${ctx.request.name ?? '-'}`);
      },
    )
    .mutating(
      {
        name: namer,
        resource: resources.configMaps,
        operations: ['CREATE'],
        objectSelector: selector('names'),
      },
      (ctx) => {
        record(namer, ctx.request.name);
        return undefined;
      },
    )
    .validating(
      {
        name: seer,
        resource: resources.configMaps,
        operations: ['CREATE'],
        objectSelector: selector('names'),
      },
      (ctx) => {
        record(seer, ctx.request.name);
        return allow();
      },
    );
  await serveWebhooks(e2e, webhook);
}, 120_000);

afterAll(() => e2e?.stop());

describe('a create whose name is taken', () => {
  test('is validated first: an invalid body is 422, a valid one 409 (dry run too)', async () => {
    const first = await post('configmaps', configMap('taken'));
    expect(first.status, first.text).toBe(201);
    for (const query of [{}, { dryRun: 'All' }] as Record<string, string>[]) {
      const invalid = await post('configmaps', configMap('taken', { 'a b': 'x' }), query);
      expect(invalid.status, invalid.text).toBe(422);
      expect(invalid.json()).toMatchObject({
        reason: 'Invalid',
        details: { name: 'taken', kind: 'ConfigMap' },
      });
      expect(invalid.json().details.causes.map((c: { field: string }) => c.field)).toEqual([
        'metadata.labels',
      ]);
      const taken = await post('configmaps', configMap('taken'), query);
      expect(taken.status, taken.text).toBe(409);
      expect(taken.json()).toMatchObject({
        reason: 'AlreadyExists',
        message: 'configmaps "taken" already exists',
        details: { name: 'taken', kind: 'configmaps' },
      });
    }
  });

  test('a resourceVersion is refused by the storage: after validation, before the name', async () => {
    const withRv = (labels: Record<string, string>) => ({
      metadata: { name: 'taken-rv', labels, resourceVersion: '5' },
    });
    expect((await post('configmaps', configMap('taken-rv'))).status).toBe(201);
    const invalid = await post('configmaps', withRv({ 'a b': 'x' }));
    expect(invalid.status, invalid.text).toBe(422);
    const refused = await post('configmaps', withRv({}));
    expect(refused.status, refused.text).toBe(500);
    expect(refused.json().message).toBe(
      'resourceVersion should not be set on objects to be created',
    );
    // A dry run does not reach the storage's check: the name is, and the version is kept.
    const dry = await post('configmaps', withRv({}), { dryRun: 'All' });
    expect(dry.status, dry.text).toBe(409);
    const free = await post(
      'configmaps',
      { metadata: { name: 'free-rv', resourceVersion: '5' } },
      { dryRun: 'All' },
    );
    expect(free.status, free.text).toBe(201);
    expect(free.json().metadata.resourceVersion).toBe('5');
  });

  test('is admitted first: a validating webhook refuses it before the storage does', async () => {
    const labels = { [LABEL]: `refuse-${suffix}` };
    // The configuration may take a moment to be picked up.
    await vi.waitFor(async () => {
      const probe = await post('configmaps', configMap(`probe-${calls.length}`, labels));
      expect(probe.status, probe.text).toBe(403);
    }, EVENTUALLY);
    const refused = await post('configmaps', configMap('taken', labels));
    expect(refused.status, refused.text).toBe(403);
    expect(refused.json().message).toBe(
      `admission webhook "${refuser}" denied the request: no taken`,
    );
  });

  test('a custom resource: its schema is checked before the name', async () => {
    const crdGroup = `cr${suffix}.e2e.kube-ts.dev`;
    const schema = {
      openAPIV3Schema: {
        type: 'object',
        properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } },
      },
    };
    const path = `/apis/${crdGroup}/v1/namespaces/${ns}/orders`;
    await installCrd(e2e, namespacedCrd(crdGroup, 'Order', { schema }), path);
    const order = (size: unknown) => ({
      apiVersion: `${crdGroup}/v1`,
      kind: 'Order',
      metadata: { name: 'taken' },
      spec: { size },
    });
    const first = await raw(kc(), 'POST', path, { body: order(1) });
    expect(first.status, first.text).toBe(201);
    const invalid = await raw(kc(), 'POST', path, { body: order('big') });
    expect(invalid.status, invalid.text).toBe(422);
    expect(invalid.json().details.causes).toEqual([
      {
        reason: 'FieldValueTypeInvalid',
        message: 'Invalid value: "string": spec.size in body must be of type integer: "string"',
        field: 'spec.size',
      },
    ]);
    const taken = await raw(kc(), 'POST', path, { body: order(2) });
    expect(taken.status, taken.text).toBe(409);
    expect(taken.json().message).toBe(`orders.${crdGroup} "taken" already exists`);
  });
});

describe('generateName', () => {
  test('a mutating admission plugin names the object by its prefix, a validating one by its generated name', async () => {
    const pod = (spec: Record<string, unknown>) => ({
      metadata: { generateName: 'gen-' },
      spec: { containers: [{ name: 'c', image: 'i' }], ...spec },
    });
    // Priority and RuntimeClass refuse in their mutating half.
    const priority = await post('pods', pod({ priorityClassName: 'nope' }));
    expect(priority.status, priority.text).toBe(403);
    expect(priority.json()).toMatchObject({
      message: 'pods "gen-" is forbidden: no PriorityClass with name nope was found',
      details: { name: 'gen-', kind: 'pods' },
    });
    const runtime = await post('pods', pod({ runtimeClassName: 'nope' }));
    expect(runtime.status, runtime.text).toBe(403);
    expect(runtime.json().message).toBe(
      'pods "gen-" is forbidden: pod rejected: RuntimeClass "nope" not found',
    );
    // RuntimeClass refuses an overhead without a class in its validating half.
    const overhead = await post('pods', pod({ overhead: { cpu: '1' } }));
    expect(overhead.status, overhead.text).toBe(403);
    expect(overhead.json().message).toMatch(
      /^pods "gen-[a-z0-9]{5}" is forbidden: pod rejected: Pod Overhead set without corresponding RuntimeClass defined Overhead$/,
    );
  });

  test('the prefix is cut to 58 characters', async () => {
    const res = await post('configmaps', { metadata: { generateName: 'x'.repeat(100) } });
    expect(res.status, res.text).toBe(201);
    expect(res.json().metadata.name).toMatch(/^x{58}[a-z0-9]{5}$/);
  });

  test('a mutating webhook gets no name, a validating webhook the generated one', async () => {
    const labels = { [LABEL]: `names-${suffix}` };
    // Both configurations may take a moment to be picked up.
    await vi.waitFor(async () => {
      const res = await post('configmaps', { metadata: { generateName: 'names-', labels } });
      expect(res.status, res.text).toBe(201);
      const name = res.json().metadata.name;
      expect(name).toMatch(/^names-[a-z0-9]{5}$/);
      const index = calls.indexOf(`${seer} ${name}`);
      expect(index).toBeGreaterThan(0);
      expect(calls[index - 1]).toBe(`${namer} -`);
    }, EVENTUALLY);
  });

  test('a validating webhook refusing names the generated name', async () => {
    const labels = { [LABEL]: `refuse-${suffix}` };
    const refused = await vi.waitFor(async () => {
      const res = await post('configmaps', { metadata: { generateName: 'gen-', labels } });
      expect(res.status, res.text).toBe(403);
      return res;
    }, EVENTUALLY);
    expect(refused.json().message).toMatch(
      new RegExp(
        `^admission webhook "${refuser.replace(/\./g, '\\.')}" denied the request: no gen-[a-z0-9]{5}$`,
      ),
    );
  });
});

describe('several validating webhooks', () => {
  test('all are called; the first denial to arrive is reported, with the warnings of the others', async () => {
    const labels = { [LABEL]: `race-${suffix}` };
    let n = 0;
    const refused = await vi.waitFor(async () => {
      const res = await post('configmaps', configMap(`race-${n++}`, labels));
      expect(res.status, res.text).toBe(403);
      expect(calls.filter((c) => c.endsWith(` race-${n - 1}`))).toHaveLength(3);
      return res;
    }, EVENTUALLY);
    const name = `race-${n - 1}`;
    expect(refused.json()).toMatchObject({
      reason: 'Forbidden',
      message: `admission webhook "${fast}" denied the request: fast says no`,
    });
    expect(refused.warnings).toEqual(['warner was here']);
    expect(calls.filter((c) => c.endsWith(` ${name}`)).sort()).toEqual(
      [`${fast} ${name}`, `${slow} ${name}`, `${warner} ${name}`].sort(),
    );
  });
});
