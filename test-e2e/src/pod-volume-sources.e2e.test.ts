/**
 * Differential: the pod volume sources kube-apiserver checks beyond the common ones
 * (gitRepo, the cloud and network disks, flexVolume, storageos, scaleIO, image, an
 * ephemeral volume's claim template), their causes' quirky paths, and their defaults, in
 * Pods and every workload template.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  type Cause,
  expectCauses,
  FORBIDDEN,
  INVALID,
  LABEL,
  NAME_PART,
  REQUIRED,
  UNSUPPORTED,
} from './invalid-causes.js';
import { holderPath, POD, WORKLOADS } from './pod-spec-fixtures.js';
import { raw } from './raw-http.js';
import { type E2eContext, startE2e } from './support.js';

let e2e: E2eContext;
let ns: string;

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-volume-sources');
});

afterAll(async () => {
  await e2e?.stop();
});

const kc = () => e2e.backend.kubeConfig;

const VOLUMES = [
  { name: 'git', gitRepo: { directory: '../x' } },
  { name: 'gce', gcePersistentDisk: { partition: 300 } },
  { name: 'aws', awsElasticBlockStore: {} },
  {
    name: 'iscsi',
    iscsi: {
      targetPortal: 'p',
      iqn: 'bad',
      lun: 300,
      chapAuthSession: true,
      initiatorName: 'iqn.x',
    },
  },
  { name: 'gluster', glusterfs: {} },
  { name: 'flocker', flocker: { datasetName: 'a/b', datasetUUID: 'u' } },
  { name: 'rbd', rbd: {} },
  { name: 'cinder', cinder: { secretRef: {} } },
  { name: 'ceph', cephfs: {} },
  { name: 'quobyte', quobyte: { registry: 'nohostport' } },
  { name: 'fc', fc: { targetWWNs: ['a'], wwids: ['b'] } },
  { name: 'flex', flexVolume: { options: { 'kubernetes.io/x': 'y' } } },
  { name: 'azfile', azureFile: {} },
  { name: 'vsphere', vsphereVolume: {} },
  { name: 'photon', photonPersistentDisk: {} },
  { name: 'pwx', portworxVolume: {} },
  {
    name: 'azdisk',
    azureDisk: { diskName: 'd', diskURI: 'x', cachingMode: 'Bad', kind: 'Managed' },
  },
  {
    name: 'sos',
    storageos: { volumeName: 'Bad', volumeNamespace: 'Bad_ns', secretRef: {} },
  },
  { name: 'sio', scaleIO: {} },
  { name: 'img', image: { pullPolicy: 'Sometimes' } },
  {
    name: 'eph',
    ephemeral: {
      volumeClaimTemplate: { metadata: { name: 'x', labels: { 'bad key!': 'v' } }, spec: {} },
    },
  },
  { name: 'two', emptyDir: {}, cephfs: { monitors: ['m'] } },
  { name: 'three', emptyDir: {}, downwardAPI: {} },
];

const PULL = ['Always', 'IfNotPresent', 'Never'];

function causesAt(at: string, isPod: boolean): Cause[] {
  const v = (i: number) => `${at}.volumes[${i}]`;
  return [
    [`${v(0)}.gitRepo.repository`, REQUIRED, 'Required value'],
    [`${v(0)}.gitRepo.directory`, INVALID, `Invalid value: "../x": must not contain '..'`],
    [`${v(1)}.persistentDisk.pdName`, REQUIRED, 'Required value'],
    [
      `${v(1)}.persistentDisk.partition`,
      INVALID,
      'Invalid value: 300: must be between 1 and 255, inclusive',
    ],
    [`${v(2)}.awsElasticBlockStore.volumeID`, REQUIRED, 'Required value'],
    [
      `${v(3)}.iscsi.iqn`,
      INVALID,
      'Invalid value: "bad": must be valid format starting with iqn, eui, or naa',
    ],
    [`${v(3)}.iscsi.lun`, INVALID, 'Invalid value: 300: must be between 0 and 255, inclusive'],
    [`${v(3)}.iscsi.secretRef`, REQUIRED, 'Required value'],
    [`${v(3)}.iscsi.initiatorname`, INVALID, 'Invalid value: "iqn.x": must be valid format'],
    [`${v(4)}.glusterfs.endpoints`, REQUIRED, 'Required value'],
    [`${v(4)}.glusterfs.path`, REQUIRED, 'Required value'],
    [
      `${v(5)}.flocker`,
      INVALID,
      'Invalid value: "resource": datasetName and datasetUUID can not be specified simultaneously',
    ],
    [`${v(5)}.flocker.datasetName`, INVALID, `Invalid value: "a/b": must not contain '/'`],
    [`${v(6)}.rbd.monitors`, REQUIRED, 'Required value'],
    [`${v(6)}.rbd.image`, REQUIRED, 'Required value'],
    [`${v(7)}.cinder.volumeID`, REQUIRED, 'Required value'],
    [`${v(7)}.cinder.secretRef.name`, REQUIRED, 'Required value'],
    [`${v(8)}.cephfs.monitors`, REQUIRED, 'Required value'],
    [
      `${v(9)}.quobyte.registry`,
      INVALID,
      'Invalid value: "nohostport": must be a host:port pair or multiple pairs separated by commas',
    ],
    [`${v(9)}.quobyte.volume`, REQUIRED, 'Required value'],
    [
      `${v(10)}.fc.targetWWNs`,
      INVALID,
      'Invalid value: ["a"]: targetWWNs and wwids can not be specified simultaneously',
    ],
    [`${v(10)}.fc.lun`, REQUIRED, 'Required value: lun is required if targetWWNs is specified'],
    [`${v(11)}.flexVolume.driver`, REQUIRED, 'Required value'],
    [
      `${v(11)}.flexVolume.options[kubernetes.io/x]`,
      INVALID,
      'Invalid value: "kubernetes.io/x": kubernetes.io and k8s.io namespaces are reserved',
    ],
    [`${v(12)}.azureFile.secretName`, REQUIRED, 'Required value'],
    [`${v(12)}.azureFile.shareName`, REQUIRED, 'Required value'],
    [`${v(13)}.vsphereVolume.volumePath`, REQUIRED, 'Required value'],
    [`${v(14)}.photonPersistentDisk.pdID`, REQUIRED, 'Required value'],
    [`${v(15)}.portworxVolume.volumeID`, REQUIRED, 'Required value'],
    [
      `${v(16)}.azureDisk.cachingMode`,
      UNSUPPORTED,
      'Unsupported value: "Bad": supported values: "None", "ReadOnly", "ReadWrite"',
    ],
    [
      `${v(16)}.azureDisk.diskURI`,
      UNSUPPORTED,
      'Unsupported value: "x": supported values: "/subscriptions/{sub-id}/resourcegroups/{group-name}/providers/microsoft.compute/disks/{disk-id}"',
    ],
    [`${v(17)}.storageos.volumeName`, INVALID, `Invalid value: "Bad": ${LABEL}`],
    [`${v(17)}.storageos.volumeNamespace`, INVALID, `Invalid value: "Bad_ns": ${LABEL}`],
    [`${v(17)}.storageos.secretRef.name`, REQUIRED, 'Required value'],
    [`${v(18)}.scaleIO.gateway`, REQUIRED, 'Required value'],
    [`${v(18)}.scaleIO.system`, REQUIRED, 'Required value'],
    [`${v(18)}.scaleIO.volumeName`, REQUIRED, 'Required value'],
    ...(isPod ? ([[`${v(19)}.image.reference`, REQUIRED, 'Required value']] as Cause[]) : []),
    [
      `${v(19)}.image.pullPolicy`,
      UNSUPPORTED,
      `Unsupported value: "Sometimes": supported values: ${PULL.map((p) => `"${p}"`).join(', ')}`,
    ],
    [
      `${v(20)}.ephemeral.volumeClaimTemplate.metadata.labels`,
      INVALID,
      `Invalid value: "bad key!": ${NAME_PART}`,
    ],
    [`${v(20)}.ephemeral.volumeClaimTemplate.metadata.name`, FORBIDDEN, 'Forbidden: cannot be set'],
    [
      `${v(20)}.ephemeral.volumeClaimTemplate.spec.accessModes`,
      REQUIRED,
      'Required value: at least 1 access mode is required',
    ],
    [`${v(20)}.ephemeral.volumeClaimTemplate.spec.resources[storage]`, REQUIRED, 'Required value'],
    [`${v(21)}.cephFS`, FORBIDDEN, 'Forbidden: may not specify more than 1 volume type'],
    [`${v(22)}.downwarAPI`, FORBIDDEN, 'Forbidden: may not specify more than 1 volume type'],
  ];
}

describe('pod volume sources', () => {
  test('each source is checked, in a Pod and every workload template', async () => {
    const spec = { volumes: VOLUMES, containers: [{ name: 'c', image: 'i' }] };
    for (const holder of [POD, ...WORKLOADS]) {
      await expectCauses(
        kc(),
        holderPath(holder, ns),
        holder.body('sources', spec),
        causesAt(holder.prefix, holder === POD),
      );
    }
  });

  test('an iSCSI initiator name limits the volume name and portal length', async () => {
    const name = 'v'.repeat(60);
    const spec = {
      volumes: [
        {
          name,
          iscsi: {
            targetPortal: '10.0.0.1:3260',
            iqn: 'iqn.2001-04.com.example:storage',
            initiatorName: 'iqn.2001-04.com.example:node',
          },
        },
      ],
      containers: [{ name: 'c', image: 'i' }],
    };
    await expectCauses(kc(), holderPath(POD, ns), POD.body('initiator', spec), [
      [
        'spec.volumes[0].name',
        INVALID,
        `Invalid value: "${name}": Total length of <volume name>:<iscsi.targetPortal> must be under 64 characters if iscsi.initiatorName is specified.`,
      ],
    ]);
  });

  test('defaults: an image volume pull policy from its tag, a claim template volume mode', async () => {
    const res = await raw(kc(), 'POST', holderPath(POD, ns), {
      body: POD.body('defaults', {
        volumes: [
          { name: 'latest', image: { reference: 'busybox' } },
          { name: 'tagged', image: { reference: 'busybox:1.36' } },
          {
            name: 'scratch',
            ephemeral: {
              volumeClaimTemplate: {
                spec: {
                  accessModes: ['ReadWriteOnce'],
                  resources: { requests: { storage: '1Gi' } },
                },
              },
            },
          },
          { name: 'disk', rbd: { monitors: ['m'], image: 'i' } },
        ],
        containers: [{ name: 'c', image: 'i' }],
      }),
    });
    expect(res.status, res.text).toBe(201);
    const volumes = res.json().spec.volumes;
    expect(volumes[0].image).toEqual({ reference: 'busybox', pullPolicy: 'Always' });
    expect(volumes[1].image).toEqual({ reference: 'busybox:1.36', pullPolicy: 'IfNotPresent' });
    expect(volumes[2].ephemeral.volumeClaimTemplate.spec).toEqual({
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: '1Gi' } },
      volumeMode: 'Filesystem',
    });
    expect(volumes[3].rbd).toEqual({
      monitors: ['m'],
      image: 'i',
      pool: 'rbd',
      user: 'admin',
      keyring: '/etc/ceph/keyring',
    });
  });
});
