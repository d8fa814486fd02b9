/**
 * Differential: PersistentVolumeClaims and PersistentVolumes as kube-apiserver and
 * kube-controller-manager treat them: a claim's validation and update rules, the
 * protection finalizers the `StorageObjectInUseProtection` admission plugin adds, and a
 * delete that the protection controllers complete once nothing uses the object (a Pod
 * that no node runs does not hold its claim).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { expectInvalid, forbidden, invalid, requiredValue } from './invalid-status.js';
import { raw } from './raw-http.js';
import { type E2eContext, EVENTUALLY, startE2e, uniqueSuffix } from './support.js';

let e2e: E2eContext;
let ns: string;
const suffix = uniqueSuffix();

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-storage');
});

afterAll(async () => {
  await e2e?.stop();
});

const kc = () => e2e.backend.kubeConfig;
const claims = (name = '') =>
  `/api/v1/namespaces/${ns}/persistentvolumeclaims${name ? `/${name}` : ''}`;
const volumes = (name = '') => `/api/v1/persistentvolumes${name ? `/${name}` : ''}`;
// A class no StorageClass or volume has: nothing binds or provisions the claims.
const CLASS = `e2e-none-${suffix}`;
const claim = (name: string, spec: Record<string, unknown> = {}) => ({
  metadata: { name },
  spec: {
    accessModes: ['ReadWriteOnce'],
    storageClassName: CLASS,
    resources: { requests: { storage: '1Gi' } },
    ...spec,
  },
});
const gone = async (path: string) => (await raw(kc(), 'GET', path)).status;

describe('PersistentVolumeClaims', () => {
  test('access modes, the storage request, the class name and the data source', async () => {
    expectInvalid(
      await raw(kc(), 'POST', claims(), {
        body: claim('bad', {
          accessModes: ['ReadWriteOncePod', 'ReadWriteOnce'],
          resources: { requests: { storage: '0' } },
          storageClassName: 'Fast_SSD',
          dataSourceRef: { kind: 'ConfigMap', name: 's' },
        }),
      }),
      'PersistentVolumeClaim "bad"',
      [
        forbidden('spec.accessModes', 'may not use ReadWriteOncePod with other access modes'),
        invalid('spec.resources[storage]', '"0"', 'must be greater than zero'),
        invalid(
          'spec.storageClassName',
          '"Fast_SSD"',
          "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
        ),
        // dataSourceRef is copied into dataSource, and both are checked.
        invalid(
          'spec.dataSource',
          '"ConfigMap"',
          "must be 'PersistentVolumeClaim' when referencing the default apiGroup",
        ),
        invalid(
          'spec.dataSourceRef',
          '"ConfigMap"',
          "must be 'PersistentVolumeClaim' when referencing the default apiGroup",
        ),
      ],
    );
    // A legacy dataSource of another kind is dropped; a claim's is copied to dataSourceRef.
    const legacy = await raw(kc(), 'POST', claims(), {
      body: claim('legacy', { dataSource: { kind: 'ConfigMap', name: 'c' } }),
    });
    expect(legacy.status, legacy.text).toBe(201);
    expect(legacy.json().spec.dataSource).toBeUndefined();
    const clone = await raw(kc(), 'POST', claims(), {
      body: claim('clone', { dataSource: { kind: 'PersistentVolumeClaim', name: 'legacy' } }),
    });
    expect(clone.status, clone.text).toBe(201);
    expect(clone.json().spec.dataSourceRef).toEqual({
      apiGroup: null,
      kind: 'PersistentVolumeClaim',
      name: 'legacy',
    });
    expectInvalid(
      await raw(kc(), 'POST', claims(), {
        body: { metadata: { name: 'empty' }, spec: {} },
      }),
      'PersistentVolumeClaim "empty"',
      [
        requiredValue('spec.accessModes', 'at least 1 access mode is required'),
        requiredValue('spec.resources[storage]'),
      ],
    );
  });

  test('a new claim gets the pvc-protection finalizer; an unbound claim cannot be resized', async () => {
    const created = await raw(kc(), 'POST', claims(), { body: claim('data') });
    expect(created.status, created.text).toBe(201);
    expect(created.json().metadata.finalizers).toEqual(['kubernetes.io/pvc-protection']);
    expect(created.json().status).toEqual({ phase: 'Pending' });

    const resized = await raw(kc(), 'PATCH', claims('data'), {
      body: { spec: { resources: { requests: { storage: '512Mi' } }, volumeMode: 'Block' } },
      contentType: 'application/merge-patch+json',
    });
    expect(resized.status).toBe(422);
    const causes = resized.json().details.causes;
    // A request may shrink down to above the reported capacity (RecoverVolumeExpansionFailure).
    expect(causes.map((c: { field: string }) => c.field)).toEqual(['spec', 'volumeMode']);
    // kube-apiserver appends a diff of its internal structs to the first cause.
    expect(causes[0].message).toBe(
      [
        'Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims',
        '@@ -6,12 +6,12 @@',
        '  "Resources": {',
        '   "Limits": null,',
        '   "Requests": {',
        '-   "storage": "1Gi"',
        '+   "storage": "512Mi"',
        '   }',
        '  },',
        '  "VolumeName": "",',
        `  "StorageClassName": "${CLASS}",`,
        '- "VolumeMode": "Filesystem",',
        '+ "VolumeMode": "Block",',
        '  "DataSource": null,',
        '  "DataSourceRef": null,',
        '  "VolumeAttributesClassName": null',
        '',
      ].join('\n'),
    );
    expect(causes[1]).toEqual(invalid('volumeMode', '"Block"', 'field is immutable'));
  });

  test('a deleted claim goes once no scheduled pod uses it', async () => {
    expect((await raw(kc(), 'POST', claims(), { body: claim('used') })).status).toBe(201);
    const pod = await raw(kc(), 'POST', `/api/v1/namespaces/${ns}/pods`, {
      body: {
        metadata: { name: 'user' },
        spec: {
          containers: [{ name: 'app', image: 'nginx' }],
          volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'used' } }],
        },
      },
    });
    expect(pod.status, pod.text).toBe(201);
    const deleted = await raw(kc(), 'DELETE', claims('used'));
    expect(deleted.status).toBe(200);
    expect(deleted.json().metadata.deletionTimestamp).toEqual(expect.any(String));
    expect(deleted.json().metadata.finalizers).toEqual(['kubernetes.io/pvc-protection']);
    // The pod was never scheduled (no nodes), so it does not hold the claim.
    await expect.poll(() => gone(claims('used')), EVENTUALLY).toBe(404);
  });
});

describe('PersistentVolumes', () => {
  test('a new volume gets the pv-protection finalizer; an unbound one goes when deleted', async () => {
    const name = `e2e-pv-${suffix}`;
    const created = await raw(kc(), 'POST', volumes(), {
      body: {
        metadata: { name },
        spec: {
          capacity: { storage: '1Gi' },
          accessModes: ['ReadWriteOnce'],
          storageClassName: CLASS,
          hostPath: { path: '/tmp/e2e' },
        },
      },
    });
    expect(created.status, created.text).toBe(201);
    expect(created.json().metadata.finalizers).toEqual(['kubernetes.io/pv-protection']);
    expect((await raw(kc(), 'DELETE', volumes(name))).status).toBe(200);
    await expect.poll(() => gone(volumes(name)), EVENTUALLY).toBe(404);
  });
});
