import { useMemoryApiServer } from '@kube-ts/test-support';
import { describe, expect, it } from 'vitest';
import { httpClient, openWatch } from './test-client.test-helper.js';

const env = useMemoryApiServer({ bookmarkIntervalMs: 0 }, (server) => httpClient(server));

const CRDS = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
const GADGETS = '/apis/demo.example.com/v1/namespaces/default/gadgets';

function crd(schema: Record<string, unknown>, scope = 'Namespaced') {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'gadgets.demo.example.com' },
    spec: {
      group: 'demo.example.com',
      scope,
      names: { plural: 'gadgets', singular: 'gadget', kind: 'Gadget', shortNames: ['gd'] },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: { openAPIV3Schema: schema },
          subresources: { status: {} },
        },
      ],
    },
  };
}

const schema = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      required: ['size'],
      properties: {
        size: { type: 'integer', minimum: 1, maximum: 10 },
        color: { type: 'string', enum: ['red', 'blue'] },
        name: { type: 'string', pattern: '^[a-z]+$', maxLength: 8 },
        port: { 'x-kubernetes-int-or-string': true },
        note: { type: 'string', nullable: true },
        mode: { type: 'string', default: 'auto' },
        extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
      },
    },
    status: { type: 'object', properties: { ok: { type: 'boolean' } } },
  },
};

const gadget = (name: string, spec: Record<string, unknown>) => ({
  apiVersion: 'demo.example.com/v1',
  kind: 'Gadget',
  metadata: { name },
  spec,
});

describe('CustomResourceDefinitions', () => {
  it('creating one makes the resource servable and sets NamesAccepted and Established', async () => {
    const w = await openWatch(
      env.server,
      `${CRDS}?watch=true&resourceVersion=${env.server.resourceVersion}`,
    );
    const c = await env.client('POST', CRDS, crd(schema));
    expect(c.status).toBe(201);
    expect(c.body.metadata.finalizers).toBeUndefined();
    expect(c.body.spec.conversion).toEqual({ strategy: 'None' });
    expect(c.body.status).toEqual({
      acceptedNames: { kind: '', plural: '' },
      conditions: null,
      storedVersions: ['v1'],
    });
    const [added, modified] = await w.take(2);
    expect(added!.type).toBe('ADDED');
    expect(modified!.type).toBe('MODIFIED');
    const conds = modified!.object.status.conditions;
    expect(conds.map((x: { type: string; status: string }) => `${x.type}=${x.status}`)).toEqual([
      'NamesAccepted=True',
      'Established=True',
    ]);
    w.close();
    const disc = await env.client('GET', '/apis/demo.example.com/v1');
    expect(disc.body.resources.map((r: { name: string }) => r.name)).toEqual([
      'gadgets',
      'gadgets/status',
    ]);
    const groups = await env.client('GET', '/apis');
    expect(groups.body.groups.map((g: { name: string }) => g.name)).toContain('demo.example.com');
    const list = await env.client('GET', GADGETS);
    expect(list.body).toMatchObject({
      kind: 'GadgetList',
      apiVersion: 'demo.example.com/v1',
      items: [],
    });
  });

  it('rejects an invalid CRD with 422 causes', async () => {
    const bad = crd(schema);
    bad.metadata.name = 'wrong.name';
    const r = await env.client('POST', CRDS, bad);
    expect(r.status).toBe(422);
    expect(r.body.details.causes[0].field).toBe('metadata.name');
  });

  it('enforces the schema: types, required, enum, bounds, pattern, nullable, int-or-string', async () => {
    const ok = await env.client(
      'POST',
      GADGETS,
      gadget('ok', { size: 3, color: 'red', name: 'abc', port: 'http', note: null }),
    );
    expect(ok.status).toBe(201);
    const okInt = await env.client('POST', GADGETS, gadget('ok-int', { size: 3, port: 8080 }));
    expect(okInt.status).toBe(201);
    const cases: [Record<string, unknown>, string, string][] = [
      [{ size: 'three' }, 'spec.size', 'FieldValueTypeInvalid'],
      [{}, 'spec.size', 'FieldValueRequired'],
      [{ size: 0 }, 'spec.size', 'FieldValueInvalid'],
      [{ size: 11 }, 'spec.size', 'FieldValueInvalid'],
      [{ size: 1, color: 'green' }, 'spec.color', 'FieldValueNotSupported'],
      [{ size: 1, name: 'ABC' }, 'spec.name', 'FieldValueInvalid'],
      [{ size: 1, name: 'abcdefghij' }, 'spec.name', 'FieldValueTooLong'],
      [{ size: 1, port: 1.5 }, 'spec.port', 'FieldValueTypeInvalid'],
    ];
    for (const [spec, field, reason] of cases) {
      const r = await env.client('POST', GADGETS, gadget('bad', spec));
      expect(r.status, JSON.stringify(spec)).toBe(422);
      expect(r.body.reason).toBe('Invalid');
      expect(r.body.message).toMatch(/^Gadget\.demo\.example\.com "bad" is invalid: /);
      expect(r.body.details.causes).toContainEqual(expect.objectContaining({ field, reason }));
    }
  });

  it('prunes unknown fields unless preserved, and applies defaults', async () => {
    const r = await env.client(
      'POST',
      GADGETS,
      gadget('pruned', { size: 2, unknown: 1, extra: { anything: { goes: true } } }),
    );
    expect(r.status).toBe(201);
    expect(r.body.spec).toEqual({ size: 2, mode: 'auto', extra: { anything: { goes: true } } });
    const top = await env.client('POST', GADGETS, { ...gadget('top', { size: 2 }), junk: 'x' });
    expect(top.body.junk).toBeUndefined();
  });

  it('wrong kind in a custom resource body is a 422 on field kind', async () => {
    const r = await env.client('POST', GADGETS, { ...gadget('k', { size: 1 }), kind: 'Other' });
    expect(r.status).toBe(422);
    expect(r.body.details.causes[0].field).toBe('kind');
  });

  it('deleting the CRD deletes its objects, then the resource stops being served', async () => {
    const d = await env.client('DELETE', `${CRDS}/gadgets.demo.example.com`);
    expect(d.status).toBe(200);
    expect(d.body.metadata.finalizers).toEqual(['customresourcecleanup.apiextensions.k8s.io']);
    for (let i = 0; i < 200; i++) {
      if ((await env.client('GET', `${CRDS}/gadgets.demo.example.com`)).status === 404) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    expect((await env.client('GET', `${CRDS}/gadgets.demo.example.com`)).status).toBe(404);
    expect((await env.client('GET', GADGETS)).status).toBe(404);
    expect((await env.client('GET', '/apis/demo.example.com/v1')).status).toBe(404);
  });

  it('serves cluster-scoped custom resources', async () => {
    const c = crd(schema, 'Cluster');
    const created = await env.client('POST', CRDS, c);
    expect(created.status).toBe(201);
    const r = await env.client(
      'POST',
      '/apis/demo.example.com/v1/gadgets',
      gadget('cluster-wide', { size: 1 }),
    );
    expect(r.status).toBe(201);
    expect(r.body.metadata.namespace).toBeUndefined();
  });
});
