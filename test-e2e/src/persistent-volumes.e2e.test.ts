/**
 * Differential: PersistentVolumes as kube-apiserver serves them: defaults and the status
 * of a new volume, validation (access modes, capacity, reclaim policy, node affinity,
 * exactly one source and its fields, volume mode, volume attributes class, mount options),
 * the update rules (checked twice over, immutable source, volume mode and node affinity but
 * for a GA label) and the status subresource.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  type Cause,
  expectInvalid,
  forbidden,
  invalid,
  requiredValue,
  unsupported,
} from './invalid-status.js';
import { raw } from './raw-http.js';
import { type E2eContext, startE2e, uniqueSuffix } from './support.js';

let e2e: E2eContext;
const suffix = uniqueSuffix();
const VOLUMES = '/api/v1/persistentvolumes';
const created: string[] = [];

beforeAll(async () => {
  e2e = await startE2e();
});

afterAll(async () => {
  for (const name of created) await raw(e2e.backend.kubeConfig, 'DELETE', `${VOLUMES}/${name}`);
  await e2e?.stop();
});

const kc = () => e2e.backend.kubeConfig;
const ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];
const create = (name: string, spec: Record<string, unknown>, metadata = {}) => {
  created.push(name);
  return raw(kc(), 'POST', VOLUMES, { body: { metadata: { name, ...metadata }, spec } });
};
const patch = (name: string, body: unknown, sub = '') =>
  raw(kc(), 'PATCH', `${VOLUMES}/${name}${sub}`, {
    body,
    contentType: 'application/merge-patch+json',
  });
const basic = { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'] };
const what = (name: string) => `PersistentVolume "${name}"`;

describe('PersistentVolumes', () => {
  test('defaults and the status of a new volume', async () => {
    const name = `e2e-pv-${suffix}`;
    const res = await create(name, { ...basic, hostPath: { path: '/data' } });
    expect(res.status, res.text).toBe(201);
    const pv = res.json();
    expect(pv.spec).toEqual({
      ...basic,
      hostPath: { path: '/data', type: '' },
      persistentVolumeReclaimPolicy: 'Retain',
      volumeMode: 'Filesystem',
    });
    expect(pv.status.phase).toBe('Pending');
    expect(pv.status.lastPhaseTransitionTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const rbd = await create(`e2e-pv-rbd-${suffix}`, {
      ...basic,
      rbd: { monitors: ['10.0.0.1:6789'], image: 'img' },
    });
    expect(rbd.status, rbd.text).toBe(201);
    expect(rbd.json().spec.rbd).toEqual({
      monitors: ['10.0.0.1:6789'],
      image: 'img',
      pool: 'rbd',
      user: 'admin',
      keyring: '/etc/ceph/keyring',
    });
    const status = await patch(name, { status: { phase: 'Available' } }, '/status');
    expect(status.status, status.text).toBe(200);
    expect(status.json().status.phase).toBe('Available');
    expect(status.json().status.lastPhaseTransitionTime).toMatch(/^\d{4}-/);
  });

  test('validation of a new volume', async () => {
    const bad = `e2e-pv-bad-${suffix}`;
    expectInvalid(
      await create(bad, {
        accessModes: ['Sometimes'],
        capacity: { storage: '0', cpu: '1' },
        persistentVolumeReclaimPolicy: 'Keep',
        hostPath: { path: '/a/../b' },
        nfs: { server: 's', path: '/x' },
        volumeMode: 'Raw',
      }),
      what(bad),
      [
        unsupported('spec.accessModes', 'Sometimes', ACCESS_MODES),
        {
          reason: 'FieldValueNotSupported',
          message: 'Unsupported value: {"cpu":"1","storage":"0"}: supported values: "storage"',
          field: 'spec.capacity',
        },
        invalid('spec.capacity[storage]', '"0"', 'must be greater than zero'),
        unsupported('spec.persistentVolumeReclaimPolicy', 'Keep', ['Delete', 'Recycle', 'Retain']),
        invalid('spec.hostPath.path', '"/a/../b"', "must not contain '..'"),
        forbidden('spec.nfs', 'may not specify more than 1 volume type'),
        unsupported('spec.volumeMode', 'Raw', ['Block', 'Filesystem']),
      ],
    );
    const empty = `e2e-pv-empty-${suffix}`;
    expectInvalid(await create(empty, {}), what(empty), [
      requiredValue('spec.accessModes'),
      requiredValue('spec.capacity'),
      {
        reason: 'FieldValueNotSupported',
        message: 'Unsupported value: null: supported values: "storage"',
        field: 'spec.capacity',
      },
      requiredValue('spec', 'must specify a volume type'),
    ]);
    const local = `e2e-pv-local-${suffix}`;
    expectInvalid(await create(local, { ...basic, local: { path: '/mnt/disk' } }), what(local), [
      requiredValue('spec.nodeAffinity', 'Local volume requires node affinity'),
    ]);
    const terms = `e2e-pv-terms-${suffix}`;
    expectInvalid(
      await create(terms, {
        ...basic,
        local: { path: '' },
        nodeAffinity: { required: { nodeSelectorTerms: [] } },
      }),
      what(terms),
      [
        requiredValue(
          'spec.nodeAffinity.required.nodeSelectorTerms',
          'must have at least one node selector term',
        ),
        requiredValue('spec.local.path'),
      ],
    );
    const csi = `e2e-pv-csi-${suffix}`;
    expectInvalid(
      await create(csi, {
        ...basic,
        csi: { driver: '', volumeHandle: '', nodePublishSecretRef: { name: 'creds' } },
      }),
      what(csi),
      [
        requiredValue('spec.csi.driver'),
        requiredValue('spec.csi.volumeHandle'),
        requiredValue('spec.csi.nodePublishSecretRef.namespace'),
      ],
    );
    const vac = `e2e-pv-vac-${suffix}`;
    expectInvalid(
      await create(
        vac,
        {
          ...basic,
          hostPath: { path: '/' },
          persistentVolumeReclaimPolicy: 'Recycle',
          volumeAttributesClassName: '',
        },
        { annotations: { 'volume.beta.kubernetes.io/mount-options': 'ro' } },
      ),
      what(vac),
      [
        forbidden(
          'spec.persistentVolumeReclaimPolicy',
          "may not be 'recycle' for a hostPath mount of '/'",
        ),
        requiredValue('spec.volumeAttributesClassName', 'an empty string is disallowed'),
        requiredValue('spec.csi', 'has to be specified when using volumeAttributesClassName'),
        forbidden(
          'metadata.annotations.volume.beta.kubernetes.io/mount-options',
          'may not specify mount options for this volume type',
        ),
      ],
    );
  });

  test('updates: checked twice, then source, volume mode and node affinity fixed', async () => {
    const name = `e2e-pv-upd-${suffix}`;
    const affinity = (key: string, value: string) => ({
      required: {
        nodeSelectorTerms: [{ matchExpressions: [{ key, operator: 'In', values: [value] }] }],
      },
    });
    const res = await create(name, {
      ...basic,
      local: { path: '/mnt/disk' },
      nodeAffinity: affinity('failure-domain.beta.kubernetes.io/zone', 'a'),
    });
    expect(res.status, res.text).toBe(201);
    const twice = unsupported('spec.accessModes', 'Bad', ACCESS_MODES);
    expectInvalid(await patch(name, { spec: { accessModes: ['Bad'] } }), what(name), [
      twice,
      twice,
    ]);
    const ga = await patch(name, {
      spec: { nodeAffinity: affinity('topology.kubernetes.io/zone', 'a') },
    });
    expect(ga.status, ga.text).toBe(200);
    expectInvalid(
      await patch(name, { spec: { nodeAffinity: affinity('topology.kubernetes.io/zone', 'b') } }),
      what(name),
      [
        invalid(
          'nodeAffinity',
          '{"Required":{"NodeSelectorTerms":[{"MatchExpressions":[{"Key":"topology.kubernetes.io/zone","Operator":"In","Values":["b"]}],"MatchFields":null}]}}',
          'field is immutable, except for updating from beta label to GA',
        ),
      ],
    );
    const moved = await patch(name, {
      spec: { local: { path: '/mnt/other' }, volumeMode: 'Block' },
    });
    expect(moved.status, moved.text).toBe(422);
    const causes: Cause[] = moved.json().details.causes;
    expect(causes.map((c) => [c.reason, c.field])).toEqual([
      ['FieldValueForbidden', 'spec.persistentvolumesource'],
      ['FieldValueInvalid', 'volumeMode'],
    ]);
    expect(causes[0]?.message.split('\n')[0]).toBe(
      'Forbidden: spec.persistentvolumesource is immutable after creation',
    );
    expect(causes[1]?.message).toBe('Invalid value: "Block": field is immutable');
  });
});
