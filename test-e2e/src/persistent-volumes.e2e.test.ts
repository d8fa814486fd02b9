/**
 * Differential: PersistentVolumes as kube-apiserver serves them: defaults and the status
 * of a new volume, validation (access modes, capacity, reclaim policy, node affinity,
 * exactly one source and its fields, volume mode, volume attributes class, mount options),
 * the update rules (checked twice over, immutable source, volume mode and node affinity but
 * for a GA label), the status subresource and the warnings; PersistentVolumeClaims' volume
 * attributes class, status checks and warnings.
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
let ns: string;
const suffix = uniqueSuffix();
const VOLUMES = '/api/v1/persistentvolumes';
const created: string[] = [];

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-pvc');
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
    // The cause ends with apimachinery's diff of the internal sources.
    expect(causes[0]?.message).toBe(
      [
        'Forbidden: spec.persistentvolumesource is immutable after creation',
        '@@ -19,7 +19,7 @@',
        '  "PortworxVolume": null,',
        '  "ScaleIO": null,',
        '  "Local": {',
        '-  "Path": "/mnt/disk",',
        '+  "Path": "/mnt/other",',
        '   "FSType": null',
        '  },',
        '  "StorageOS": null,',
        '',
      ].join('\n'),
    );
    expect(causes[1]?.message).toBe('Invalid value: "Block": field is immutable');
  });
});

describe('PersistentVolume sources', () => {
  const LABEL =
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
  const REGISTRY = 'must be a host:port pair or multiple pairs separated by commas';
  const portal = 'p'.repeat(60);
  /** Each source with bad fields, and kube-apiserver's causes for it. */
  const cases: [string, Record<string, unknown>, Cause[]][] = [
    [
      'gce',
      { gcePersistentDisk: { pdName: '', partition: 300 } },
      [
        requiredValue('spec.persistentDisk.pdName'),
        invalid('spec.persistentDisk.partition', '300', 'must be between 1 and 255, inclusive'),
      ],
    ],
    [
      'aws',
      { awsElasticBlockStore: { volumeID: '', partition: -1 } },
      [
        requiredValue('spec.awsElasticBlockStore.volumeID'),
        invalid(
          'spec.awsElasticBlockStore.partition',
          '-1',
          'must be between 1 and 255, inclusive',
        ),
      ],
    ],
    [
      'gluster',
      { glusterfs: { endpoints: '', path: '', endpointsNamespace: '' } },
      [
        requiredValue('spec.glusterfs.endpoints'),
        requiredValue('spec.glusterfs.path'),
        invalid(
          'spec.glusterfs.endpointsNamespace',
          '""',
          'if the endpointnamespace is set, it must be a valid namespace name',
        ),
      ],
    ],
    [
      'gluster-ns',
      { glusterfs: { endpoints: 'e', path: 'p', endpointsNamespace: 'Bad_NS' } },
      [invalid('spec.glusterfs.endpointsNamespace', '"Bad_NS"', LABEL)],
    ],
    [
      'flocker',
      { flocker: { datasetName: 'a/b', datasetUUID: 'u' } },
      [
        invalid(
          'spec.flocker',
          '"resource"',
          'datasetName and datasetUUID can not be specified simultaneously',
        ),
        invalid('spec.flocker.datasetName', '"a/b"', "must not contain '/'"),
      ],
    ],
    [
      'flocker-none',
      { flocker: {} },
      [requiredValue('spec.flocker', 'one of datasetName and datasetUUID is required')],
    ],
    [
      'rbd',
      { rbd: { monitors: [], image: '' } },
      [requiredValue('spec.rbd.monitors'), requiredValue('spec.rbd.image')],
    ],
    [
      'quobyte',
      { quobyte: { registry: 'nohost', volume: '' } },
      [
        invalid('spec.quobyte.registry', '"nohost"', REGISTRY),
        requiredValue('spec.quobyte.volume'),
      ],
    ],
    [
      'quobyte-none',
      { quobyte: { registry: '', tenant: 'x' } },
      [requiredValue('spec.quobyte.registry', REGISTRY), requiredValue('spec.quobyte.volume')],
    ],
    ['cephfs', { cephfs: { monitors: [] } }, [requiredValue('spec.cephfs.monitors')]],
    [
      'iscsi',
      {
        iscsi: {
          targetPortal: '',
          iqn: 'bad',
          lun: 300,
          chapAuthSession: true,
          initiatorName: 'iqn.bad',
        },
      },
      [
        requiredValue('spec.iscsi.targetPortal'),
        invalid('spec.iscsi.iqn', '"bad"', 'must be valid format'),
        invalid('spec.iscsi.lun', '300', 'must be between 0 and 255, inclusive'),
        requiredValue('spec.iscsi.secretRef'),
        invalid('spec.iscsi.initiatorname', '"iqn.bad"', 'must be valid format'),
      ],
    ],
    [
      'iscsi-long',
      {
        iscsi: {
          targetPortal: portal,
          iqn: 'eui.0123',
          secretRef: { name: '' },
          initiatorName: 'foo',
        },
      },
      [
        invalid(
          'spec.iscsi.targetportal',
          `"${portal}"`,
          'Total length of <volume name>:<iscsi.targetPortal> must be under 64 characters if iscsi.initiatorName is specified.',
        ),
        invalid('spec.iscsi.iqn', '"eui.0123"', 'must be valid format'),
        requiredValue('spec.iscsi.secretRef.name'),
        invalid('spec.iscsi.initiatorname', '"foo"', 'must be valid format'),
      ],
    ],
    [
      'cinder',
      { cinder: { volumeID: '', secretRef: {} } },
      [
        requiredValue('spec.cinder.volumeID'),
        requiredValue('spec.cinder.secretRef.name'),
        requiredValue('spec.cinder.secretRef.namespace'),
      ],
    ],
    [
      'fc',
      { fc: {} },
      [
        requiredValue(
          'spec.fc.targetWWNs',
          'must specify either targetWWNs or wwids, but not both',
        ),
      ],
    ],
    [
      'fc-both',
      { fc: { targetWWNs: ['a'], wwids: ['b'] } },
      [
        invalid(
          'spec.fc.targetWWNs',
          '["a"]',
          'targetWWNs and wwids can not be specified simultaneously',
        ),
        requiredValue('spec.fc.lun', 'lun is required if targetWWNs is specified'),
      ],
    ],
    [
      'fc-lun',
      { fc: { targetWWNs: ['a'], lun: 256 } },
      [invalid('spec.fc.lun', '256', 'must be between 0 and 255, inclusive')],
    ],
    [
      'flex',
      { flexVolume: { driver: '', options: { 'kubernetes.io/x': '1' } } },
      [
        requiredValue('spec.flexVolume.driver'),
        invalid(
          'spec.flexVolume.options[kubernetes.io/x]',
          '"kubernetes.io/x"',
          'kubernetes.io and k8s.io namespaces are reserved',
        ),
      ],
    ],
    [
      'azurefile',
      { azureFile: { secretName: '', shareName: '', secretNamespace: '' } },
      [
        requiredValue('spec.azureFile.secretName'),
        requiredValue('spec.azureFile.shareName'),
        requiredValue('spec.azureFile.secretNamespace'),
      ],
    ],
    [
      'vsphere',
      { vsphereVolume: { volumePath: '' } },
      [requiredValue('spec.vsphereVolume.volumePath')],
    ],
    [
      'photon',
      { photonPersistentDisk: { pdID: '' } },
      [requiredValue('spec.photonPersistentDisk.pdID')],
    ],
    [
      'portworx',
      { portworxVolume: { volumeID: '' } },
      [requiredValue('spec.portworxVolume.volumeID')],
    ],
    [
      'azuredisk',
      { azureDisk: { diskName: '', diskURI: 'x', cachingMode: 'Some', kind: 'Managed' } },
      [
        requiredValue('spec.azureDisk.diskName'),
        unsupported('spec.azureDisk.cachingMode', 'Some', ['None', 'ReadOnly', 'ReadWrite']),
        unsupported('spec.azureDisk.diskURI', 'x', [
          '/subscriptions/{sub-id}/resourcegroups/{group-name}/providers/microsoft.compute/disks/{disk-id}',
        ]),
      ],
    ],
    [
      'azuredisk-blob',
      { azureDisk: { diskName: 'd', diskURI: 'x', kind: 'Shared' } },
      [
        unsupported('spec.azureDisk.diskURI', 'x', [
          'https://{account-name}.blob.core.windows.net/{container-name}/{disk-name}.vhd',
        ]),
      ],
    ],
    [
      'scaleio',
      { scaleIO: { gateway: '', system: '', volumeName: '', secretRef: { name: 's' } } },
      [
        requiredValue('spec.scaleIO.gateway'),
        requiredValue('spec.scaleIO.system'),
        requiredValue('spec.scaleIO.volumeName'),
      ],
    ],
    [
      'storageos',
      { storageos: { volumeName: 'Bad_V', volumeNamespace: 'Bad_N', secretRef: { name: '' } } },
      [
        invalid('spec.storageos.volumeName', '"Bad_V"', LABEL),
        invalid('spec.storageos.volumeNamespace', '"Bad_N"', LABEL),
        requiredValue('spec.storageos.secretRef.name'),
        requiredValue('spec.storageos.secretRef.namespace'),
      ],
    ],
    [
      'storageos-none',
      { storageos: { volumeName: '' } },
      [requiredValue('spec.storageos.volumeName')],
    ],
  ];

  test('the fields of each source', async () => {
    for (const [id, source, causes] of cases) {
      const name = `e2e-pv-src-${id}-${suffix}`;
      expectInvalid(await create(name, { ...basic, ...source }), what(name), causes);
    }
  });
});

describe('PersistentVolume warnings', () => {
  test('deprecated annotations, Recycle, beta node labels, deprecated plugins', async () => {
    const name = `e2e-pv-warn-${suffix}`;
    const res = await create(
      name,
      {
        ...basic,
        rbd: { monitors: ['10.0.0.1:6789'], image: 'img' },
        persistentVolumeReclaimPolicy: 'Recycle',
        nodeAffinity: {
          required: {
            nodeSelectorTerms: [
              {
                matchExpressions: [
                  { key: 'beta.kubernetes.io/arch', operator: 'In', values: ['amd64'] },
                ],
              },
            ],
          },
        },
      },
      {
        annotations: {
          'volume.beta.kubernetes.io/storage-class': 'x',
          'volume.beta.kubernetes.io/mount-options': 'ro',
        },
      },
    );
    expect(res.status, res.text).toBe(201);
    expect(res.warnings).toEqual([
      'metadata.annotations[volume.beta.kubernetes.io/storage-class]: deprecated since v1.8; use "storageClassName" attribute instead',
      'metadata.annotations[volume.beta.kubernetes.io/mount-options]: deprecated since v1.31; use "mountOptions" attribute instead',
      'spec.persistentVolumeReclaimPolicy: The Recycle reclaim policy is deprecated. Instead, the recommended approach is to use dynamic provisioning.',
      'spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].key: beta.kubernetes.io/arch is deprecated since v1.14; use "kubernetes.io/arch" instead',
      'spec.rbd: deprecated in v1.28, non-functional in v1.31+',
    ]);
    const relabelled = await patch(name, { metadata: { labels: { a: 'b' } } });
    expect(relabelled.status, relabelled.text).toBe(200);
    expect(relabelled.warnings).toHaveLength(5);
    const status = await patch(name, { status: { phase: 'Available' } }, '/status');
    expect(status.status, status.text).toBe(200);
    expect(status.warnings).toEqual([]);
  });
});

describe('PersistentVolumeClaims', () => {
  const claims = () => `/api/v1/namespaces/${ns}/persistentvolumeclaims`;
  const claim = (name: string, spec: Record<string, unknown> = {}, metadata = {}) =>
    raw(kc(), 'POST', claims(), {
      body: {
        metadata: { name, ...metadata },
        spec: {
          accessModes: ['ReadWriteOnce'],
          resources: { requests: { storage: '1Gi' } },
          ...spec,
        },
      },
    });
  const patchClaim = (name: string, body: unknown, sub = '') =>
    raw(kc(), 'PATCH', `${claims()}/${name}${sub}`, {
      body,
      contentType: 'application/merge-patch+json',
    });
  const claimWhat = (name: string) => `PersistentVolumeClaim "${name}"`;

  test('the volume attributes class, the status checks, the warnings', async () => {
    const bad = `e2e-pvc-bad-${suffix}`;
    expectInvalid(await claim(bad, { volumeAttributesClassName: 'Bad_V' }), claimWhat(bad), [
      invalid(
        'spec.volumeAttributesClassName',
        '"Bad_V"',
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
      ),
    ]);
    const name = `e2e-pvc-${suffix}`;
    const res = await claim(
      name,
      {
        resources: { requests: { storage: '1.5' }, limits: { storage: '2500m' } },
        volumeAttributesClassName: 'gold',
      },
      { annotations: { 'volume.beta.kubernetes.io/storage-class': 'x' } },
    );
    expect(res.status, res.text).toBe(201);
    expect(res.warnings).toEqual([
      'metadata.annotations[volume.beta.kubernetes.io/storage-class]: deprecated since v1.8; use "storageClassName" attribute instead',
      'spec.resources.requests[storage]: fractional byte value "1500m" is invalid, must be an integer',
      'spec.resources.limits[storage]: fractional byte value "2500m" is invalid, must be an integer',
    ]);
    expectInvalid(
      await patchClaim(
        name,
        {
          status: {
            capacity: { storage: '-1' },
            allocatedResources: { cpu: '1' },
            allocatedResourceStatuses: { storage: 'Bogus' },
          },
        },
        '/status',
      ),
      claimWhat(name),
      [
        invalid('status.capacity[storage]', '-1', 'must be a valid resource quantity'),
        unsupported('status.allocatedResourceStatuses', 'storage', [
          'ControllerResizeInProgress',
          'ControllerResizeInfeasible',
          'NodeResizeInProgress',
          'NodeResizeInfeasible',
          'NodeResizePending',
        ]),
        unsupported('status.allocatedResources', 'cpu', ['storage']),
      ],
    );
    const bound = await patchClaim(
      name,
      { status: { phase: 'Bound', currentVolumeAttributesClassName: 'gold' } },
      '/status',
    );
    expect(bound.status, bound.text).toBe(200);
    expect(bound.warnings).toEqual([]);
    const current = 'is forbidden when status.currentVolumeAttributesClassName is not nil';
    expectInvalid(
      await patchClaim(name, { spec: { volumeAttributesClassName: null } }),
      claimWhat(name),
      [forbidden('spec.volumeAttributesClassName', `update to nil ${current}`)],
    );
    expectInvalid(
      await patchClaim(name, { spec: { volumeAttributesClassName: '' } }),
      claimWhat(name),
      [forbidden('spec.volumeAttributesClassName', `update to empty string ${current}`)],
    );
    const silver = await patchClaim(name, { spec: { volumeAttributesClassName: 'silver' } });
    expect(silver.status, silver.text).toBe(200);
    expect(silver.json().spec.volumeAttributesClassName).toBe('silver');
  });
});
