/**
 * `defineResource` against the backend: its CRD is accepted and Established, and the
 * server accepts exactly the objects `validate()` accepts and rejects (422) the others,
 * with the message `validate()` predicts. CEL rules are the exception: only the real
 * server evaluates them.
 */
import { Api } from '@kube-ts/client';
import { resources } from '@kube-ts/core';
import { awaitCondition, conditions } from '@kube-ts/runtime';
import { defineResource, installCrds, K8s, type ResourceOf } from '@kube-ts/schema';
import { Type } from '@sinclair/typebox';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { apiErrorOf, type E2eContext, ignoreNotFound, startE2e, uniqueSuffix } from './support.js';

const Rollout = defineResource({
  group: `s${uniqueSuffix()}.e2e.kube-ts.dev`,
  version: 'v1',
  kind: 'Rollout',
  scope: 'Namespaced',
  spec: Type.Object({
    server: Type.Object({
      host: Type.String({ minLength: 1 }),
      port: Type.Integer({ minimum: 1, maximum: 65535 }),
    }),
    labels: Type.Optional(K8s.Map(Type.String())),
    env: Type.Optional(
      K8s.ListMap(Type.Object({ name: Type.String(), value: Type.Optional(Type.String()) }), [
        'name',
      ]),
    ),
    strategy: Type.Union([Type.Literal('Recreate'), Type.Literal('RollingUpdate')]),
    maxSurge: Type.Optional(K8s.IntOrString()),
    window: Type.Optional(
      K8s.Cel(Type.Object({ min: Type.Integer(), max: Type.Integer() }), [
        { rule: 'self.min <= self.max', message: 'min must not exceed max' },
      ]),
    ),
  }),
  status: Type.Object({ phase: Type.Optional(Type.String()) }),
  printerColumns: [
    { name: 'Strategy', type: 'string', jsonPath: '.spec.strategy' },
    { name: 'Port', type: 'integer', jsonPath: '.spec.server.port' },
  ],
});
type Rollout = ResourceOf<typeof Rollout>;

let e2e: E2eContext;
let rollouts: Api<Rollout>;

beforeAll(async () => {
  e2e = await startE2e();
  const ns = await e2e.namespace('e2e-schema');
  const crds = Api.cluster(e2e.client, resources.customResourceDefinitions);
  e2e.onStop(() => crds.delete(Rollout.crdName).catch(ignoreNotFound));
  await installCrds(e2e.client, [Rollout]);
  rollouts = Api.namespaced(e2e.client, Rollout, ns);
});

afterAll(async () => {
  await e2e?.stop();
});

const valid = {
  server: { host: 'example.com', port: 443 },
  labels: { team: 'web' },
  env: [{ name: 'A', value: '1' }, { name: 'B' }],
  strategy: 'RollingUpdate',
  maxSurge: '25%',
  window: { min: 1, max: 3 },
};

function rollout(name: string, spec: Record<string, unknown>): Rollout {
  return {
    apiVersion: Rollout.apiVersion,
    kind: 'Rollout',
    metadata: { name },
    spec,
  } as unknown as Rollout;
}

test('the CRD from defineResource is accepted, Established, with its printer columns', async () => {
  const crds = Api.cluster(e2e.client, resources.customResourceDefinitions);
  const crd = await awaitCondition(crds, Rollout.crdName, conditions.isCrdEstablished(), {
    timeoutMs: 30_000,
  });
  const version = crd?.spec.versions.find((v) => v.name === 'v1');
  expect(
    version?.additionalPrinterColumns?.map((c) => `${c.name}:${c.type}:${c.jsonPath}`),
  ).toEqual(['Strategy:string:.spec.strategy', 'Port:integer:.spec.server.port']);
  expect(version?.subresources?.status).toEqual({});
});

test('an object keeps its metadata, and its spec as validate() returns it', async () => {
  const obj = rollout('kept', valid);
  obj.metadata.labels = { tier: 'e2e' };
  const created = await rollouts.create(obj);
  expect(created.metadata.name).toBe('kept');
  expect(created.metadata.namespace).toBe(rollouts.namespace);
  expect(created.metadata.labels).toEqual({ tier: 'e2e' });
  expect(created.metadata.uid).toBeTruthy();
  const local = Rollout.validate(obj);
  expect(local.valid).toBe(true);
  if (local.valid) expect(created.spec).toEqual(local.object.spec);
});

interface Row {
  readonly name: string;
  readonly spec: Record<string, unknown>;
  /** Whether `Rollout.validate` accepts it (asserted, so the table documents it). */
  readonly locallyValid: boolean;
}

const rows: Row[] = [
  { name: 'valid', spec: valid, locallyValid: true },
  { name: 'int-or-string as integer', spec: { ...valid, maxSurge: 2 }, locallyValid: true },
  { name: 'unknown field (pruned)', spec: { ...valid, extra: true }, locallyValid: true },
  {
    name: 'port above maximum',
    spec: { ...valid, server: { host: 'h', port: 70000 } },
    locallyValid: false,
  },
  {
    name: 'nested required field missing',
    spec: { ...valid, server: { port: 80 } },
    locallyValid: false,
  },
  {
    name: 'empty string below minLength',
    spec: { ...valid, server: { host: '', port: 80 } },
    locallyValid: false,
  },
  { name: 'enum value not listed', spec: { ...valid, strategy: 'BlueGreen' }, locallyValid: false },
  {
    name: 'map value of the wrong type',
    spec: { ...valid, labels: { team: 7 } },
    locallyValid: false,
  },
  {
    name: 'list-map with a duplicate key',
    spec: { ...valid, env: [{ name: 'A' }, { name: 'A', value: '2' }] },
    locallyValid: false,
  },
  {
    name: 'int-or-string given a boolean',
    spec: { ...valid, maxSurge: true },
    locallyValid: false,
  },
  { name: 'spec missing a required field', spec: { server: valid.server }, locallyValid: false },
];

describe('the server accepts exactly what Rollout.validate accepts', () => {
  rows.forEach((row, i) => {
    test(row.name, async () => {
      const obj = rollout(`row-${i}`, row.spec);
      const local = Rollout.validate(obj);
      expect(local.valid).toBe(row.locallyValid);
      if (local.valid) {
        const created = await rollouts.create(obj, { dryRun: 'All' });
        expect(created.spec).toEqual(local.object.spec);
        return;
      }
      const error = await apiErrorOf(rollouts.create(obj, { dryRun: 'All' }));
      expect(error.code).toBe(422);
      expect(error.reason).toBe('Invalid');
      expect(error.status.message).toBe(local.message);
    });
  });

  test('a CEL rule (x-kubernetes-validations): validate() and the server agree', async () => {
    const obj = rollout('cel', { ...valid, window: { min: 5, max: 1 } });
    const local = Rollout.validate(obj);
    expect(local.valid).toBe(false);
    const error = await apiErrorOf(rollouts.create(obj, { dryRun: 'All' }));
    expect(`${local.valid ? '' : local.message} (422 Invalid)`).toBe(error.message);
    expect(error.code).toBe(422);
    expect(error.details?.causes?.map((c) => `${c.field}: ${c.message}`)).toEqual([
      'spec.window: Invalid value: min must not exceed max',
    ]);
  });
});
