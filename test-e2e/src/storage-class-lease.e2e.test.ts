/**
 * Differential: kube-apiserver's defaults and validation of StorageClasses (provisioner,
 * parameters, reclaim policy, binding mode, immutable fields) and Leases (duration,
 * transitions, the CoordinatedLeaderElection fields dropped while the gate is off).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  duplicateValue,
  expectInvalid,
  invalid,
  requiredValue,
  unsupported,
} from './invalid-status.js';
import { raw } from './raw-http.js';
import { type E2eContext, startE2e, uniqueSuffix } from './support.js';

let e2e: E2eContext;
let ns: string;
const suffix = uniqueSuffix();
const CLASSES = '/apis/storage.k8s.io/v1/storageclasses';

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-lease');
});

afterAll(async () => {
  await raw(e2e.backend.kubeConfig, 'DELETE', `${CLASSES}/e2e-sc-${suffix}`);
  await raw(e2e.backend.kubeConfig, 'DELETE', `${CLASSES}/e2e-sc-topology-${suffix}`);
  await e2e?.stop();
});

const kc = () => e2e.backend.kubeConfig;

describe('StorageClasses', () => {
  test('defaults, provisioner, parameters, policies; immutable on update', async () => {
    const bad = `e2e-bad-${suffix}`;
    expectInvalid(
      await raw(kc(), 'POST', CLASSES, {
        body: {
          metadata: { name: bad },
          parameters: { '': 'x' },
          reclaimPolicy: 'Recycle',
          volumeBindingMode: 'Later',
        },
      }),
      `StorageClass.storage.k8s.io "${bad}"`,
      [
        requiredValue('provisioner'),
        invalid('parameters', '""', 'field can not be empty.'),
        unsupported('reclaimPolicy', 'Recycle', ['Delete', 'Retain']),
        unsupported('volumeBindingMode', 'Later', ['Immediate', 'WaitForFirstConsumer']),
      ],
    );
    const name = `e2e-sc-${suffix}`;
    const created = await raw(kc(), 'POST', CLASSES, {
      body: { metadata: { name }, provisioner: 'example.com/disk', parameters: { tier: 'a' } },
    });
    expect(created.status, created.text).toBe(201);
    expect(created.json()).toMatchObject({
      reclaimPolicy: 'Delete',
      volumeBindingMode: 'Immediate',
    });
    expectInvalid(
      await raw(kc(), 'PATCH', `${CLASSES}/${name}`, {
        body: { provisioner: 'example.com/other', parameters: { tier: 'b', zone: 'z' } },
        contentType: 'application/merge-patch+json',
      }),
      `StorageClass.storage.k8s.io "${name}"`,
      [
        invalid('parameters', '{"tier":"b","zone":"z"}', 'field is immutable'),
        invalid('provisioner', '"example.com/other"', 'field is immutable'),
      ],
    );
  });
  test('allowed topologies: expressions, repeated terms, deprecated node labels', async () => {
    const bad = `e2e-bad-topology-${suffix}`;
    const at = (i: number) => `allowedTopologies[${i}].matchLabelExpressions`;
    expectInvalid(
      await raw(kc(), 'POST', CLASSES, {
        body: {
          metadata: { name: bad },
          provisioner: 'example.com/disk',
          allowedTopologies: [
            {
              matchLabelExpressions: [
                { key: 'zone', values: ['a', 'a'] },
                { key: 'zone', values: [] },
                { key: 'bad key', values: ['x'] },
              ],
            },
            {},
            { matchLabelExpressions: [{ key: 'z', values: ['b', 'c'] }] },
            { matchLabelExpressions: [{ key: 'z', values: ['c', 'b'] }] },
          ],
        },
      }),
      `StorageClass.storage.k8s.io "${bad}"`,
      [
        duplicateValue(`${at(0)}[0].values[1]`, 'a'),
        requiredValue(`${at(0)}[1].values`),
        duplicateValue(`${at(0)}[1].key`, 'zone'),
        invalid(
          `${at(0)}[2].key`,
          '"bad key"',
          "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
        ),
        // An empty term equals the empty terms kube-apiserver starts its list with.
        ...[0, 1, 2, 3].map(() => duplicateValue(at(1), '')),
        duplicateValue(at(3), ''),
      ],
    );
    const name = `e2e-sc-topology-${suffix}`;
    const zone = (key: string) => ({
      metadata: { name },
      provisioner: 'example.com/disk',
      allowedTopologies: [{ matchLabelExpressions: [{ key, values: ['a'] }] }],
    });
    const created = await raw(kc(), 'POST', CLASSES, {
      body: zone('failure-domain.beta.kubernetes.io/zone'),
    });
    expect(created.status, created.text).toBe(201);
    expect(created.warnings).toEqual([
      'allowedTopologies[0].matchLabelExpressions[0].key: deprecated since v1.17; use "topology.kubernetes.io/zone" instead',
    ]);
    const moved = await raw(kc(), 'PUT', `${CLASSES}/${name}`, {
      body: { ...zone('topology.kubernetes.io/zone'), metadata: created.json().metadata },
    });
    expect(moved.status, moved.text).toBe(200);
    expect(moved.warnings).toEqual([]);
    expect(moved.json().allowedTopologies[0].matchLabelExpressions[0].key).toBe(
      'topology.kubernetes.io/zone',
    );
  });
});

describe('Leases', () => {
  const path = () => `/apis/coordination.k8s.io/v1/namespaces/${ns}/leases`;

  test('duration and transitions; the gated strategy fields are dropped', async () => {
    expectInvalid(
      await raw(kc(), 'POST', path(), {
        body: {
          metadata: { name: 'bad' },
          spec: { leaseDurationSeconds: 0, leaseTransitions: -1 },
        },
      }),
      'Lease.coordination.k8s.io "bad"',
      [
        invalid('spec.leaseDurationSeconds', '0', 'must be greater than 0'),
        invalid('spec.leaseTransitions', '-1', 'must be greater than or equal to 0'),
      ],
    );
    const created = await raw(kc(), 'POST', path(), {
      body: {
        metadata: { name: 'leader' },
        spec: {
          holderIdentity: 'a',
          leaseDurationSeconds: 15,
          strategy: 'OldestEmulationVersion',
          preferredHolder: 'b',
        },
      },
    });
    expect(created.status, created.text).toBe(201);
    expect(created.json().spec).toEqual({ holderIdentity: 'a', leaseDurationSeconds: 15 });
  });
});
