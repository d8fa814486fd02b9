/**
 * Differential: kube-apiserver's defaults and validation of StorageClasses (provisioner,
 * parameters, reclaim policy, binding mode, immutable fields) and Leases (duration,
 * transitions, the CoordinatedLeaderElection fields dropped while the gate is off).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { expectInvalid, invalid, requiredValue, unsupported } from './invalid-status.js';
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
