/**
 * Differential: the storage.k8s.io kinds besides StorageClass as kube-apiserver serves
 * them: CSIDriver (defaults, validation, immutable fields, generation, the token warning),
 * CSINode (drivers, immutable drivers but for their allocatable count), VolumeAttachment
 * (spec and inline volume spec, an empty new status, immutable spec, the status rules),
 * CSIStorageCapacity (selector, class, capacity, immutable fields, deprecated node label
 * warnings) and VolumeAttributesClass (driver, parameters, both immutable).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  duplicateValue,
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
const STORAGE = '/apis/storage.k8s.io/v1';
const cleanup: string[] = [];

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-storage');
});

afterAll(async () => {
  for (const path of cleanup) await raw(e2e.backend.kubeConfig, 'DELETE', path);
  await e2e?.stop();
});

const kc = () => e2e.backend.kubeConfig;
const create = (plural: string, body: Record<string, unknown>) => {
  const name = (body.metadata as { name: string }).name;
  cleanup.push(`${STORAGE}/${plural}/${name}`);
  return raw(kc(), 'POST', `${STORAGE}/${plural}`, { body });
};
const patch = (path: string, body: unknown) =>
  raw(kc(), 'PATCH', `${STORAGE}/${path}`, { body, contentType: 'application/merge-patch+json' });
const SUBDOMAIN =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const NAME_PART =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const TOKEN_WARNING =
  'spec.serviceAccountTokenInSecrets is unset; if supported by this CSI driver, set to true to prevent possible logging of tokens in volume attributes';

describe('CSIDrivers', () => {
  const what = (name: string) => `CSIDriver.storage.k8s.io "${name}"`;

  test('defaults, generation from updates, immutable fields, a gated field dropped', async () => {
    const name = `csi-${suffix}.example.com`;
    // preventPodSchedulingIfMissing is dropped: its VolumeLimitScaling gate is off.
    const res = await create('csidrivers', {
      metadata: { name },
      spec: { preventPodSchedulingIfMissing: true },
    });
    expect(res.status, res.text).toBe(201);
    expect(res.json().spec).toEqual({
      attachRequired: true,
      podInfoOnMount: false,
      volumeLifecycleModes: ['Persistent'],
      storageCapacity: false,
      fsGroupPolicy: 'ReadWriteOnceWithFSType',
      requiresRepublish: false,
      seLinuxMount: false,
    });
    expect(res.json().metadata.generation).toBeUndefined();
    const labelled = await patch(`csidrivers/${name}`, { metadata: { labels: { a: 'b' } } });
    expect(labelled.json().metadata.generation).toBeUndefined();
    const changed = await patch(`csidrivers/${name}`, {
      spec: { podInfoOnMount: true, preventPodSchedulingIfMissing: false },
    });
    expect(changed.status, changed.text).toBe(200);
    expect(changed.json().spec.preventPodSchedulingIfMissing).toBeUndefined();
    expect(changed.json().metadata.generation).toBe(1);
    expectInvalid(
      await patch(`csidrivers/${name}`, {
        spec: {
          attachRequired: false,
          volumeLifecycleModes: ['Ephemeral'],
          fsGroupPolicy: 'Sometimes',
          tokenRequests: [{ audience: 'a', expirationSeconds: 1 }, { audience: 'a' }],
          nodeAllocatableUpdatePeriodSeconds: 3,
        },
      }),
      what(name),
      [
        unsupported('spec.fsGroupPolicy', 'Sometimes', ['File', 'None', 'ReadWriteOnceWithFSType']),
        invalid(
          'spec.tokenRequests[0].expirationSeconds',
          '1',
          'may not specify a duration less than 10 minutes',
        ),
        duplicateValue('spec.tokenRequests[1].audience', 'a'),
        invalid(
          'spec.nodeAllocatableUpdatePeriodSeconds',
          '3',
          'must be greater than or equal to 10 seconds',
        ),
        invalid('spec.attachedRequired', 'false', 'field is immutable'),
        invalid('spec.volumeLifecycleModes', '["Ephemeral"]', 'field is immutable'),
      ],
    );
  });

  test('validation of a new driver; the token warning', async () => {
    expectInvalid(
      await create('csidrivers', {
        metadata: { name: 'Bad_Name' },
        spec: {
          volumeLifecycleModes: ['Foo'],
          serviceAccountTokenInSecrets: false,
          tokenRequests: [{ audience: 'b', expirationSeconds: 9999999999 }],
        },
      }),
      what('Bad_Name'),
      [
        invalid('metadata.name', '"Bad_Name"', SUBDOMAIN),
        invalid(
          'spec.tokenRequests[0].expirationSeconds',
          '9999999999',
          'may not specify a duration larger than 2^32 seconds',
        ),
        unsupported('spec.volumeLifecycleModes', 'Foo', ['Persistent', 'Ephemeral']),
      ],
    );
    const bare = `bare-${suffix}.example.com`;
    expectInvalid(
      await create('csidrivers', {
        metadata: { name: bare },
        spec: { serviceAccountTokenInSecrets: true },
      }),
      what(bare),
      [
        invalid(
          'spec.serviceAccountTokenInSecrets',
          'true',
          'serviceAccountTokenInSecrets is set but no tokenRequests are specified',
        ),
      ],
    );
    const name = `token-${suffix}.example.com`;
    const res = await create('csidrivers', {
      metadata: { name },
      spec: { tokenRequests: [{ audience: '' }] },
    });
    expect(res.status, res.text).toBe(201);
    expect(res.warnings).toEqual([TOKEN_WARNING]);
    const same = await patch(`csidrivers/${name}`, { metadata: { labels: { a: 'b' } } });
    expect(same.warnings).toEqual([]);
    const changed = await patch(`csidrivers/${name}`, {
      spec: { tokenRequests: [{ audience: 'x' }] },
    });
    expect(changed.status, changed.text).toBe(200);
    expect(changed.warnings).toEqual([TOKEN_WARNING]);
  });
});

describe('CSINodes', () => {
  test('drivers; a kept driver may change its allocatable count only', async () => {
    const bad = `csinode-bad-${suffix}`;
    expectInvalid(
      await create('csinodes', {
        metadata: { name: bad },
        spec: {
          drivers: [
            {
              name: 'd.example.com',
              nodeID: 'n1',
              topologyKeys: ['zone', ''],
              allocatable: { count: -1 },
            },
            { name: 'd.example.com', nodeID: '', topologyKeys: ['a', 'a', 'bad key'] },
            { name: '', nodeID: 'x'.repeat(257) },
          ],
        },
      }),
      `CSINode.storage.k8s.io "${bad}"`,
      [
        invalid('spec.drivers[0].allocatable.count', '-1', 'must be greater than or equal to 0'),
        requiredValue('spec.drivers[0]'),
        invalid('spec.drivers[0]', '""', 'name part must be non-empty'),
        invalid('spec.drivers[0]', '""', NAME_PART),
        requiredValue('spec.drivers[1].nodeID'),
        duplicateValue('spec.drivers[1].name', 'd.example.com'),
        duplicateValue('spec.drivers[1]', 'a'),
        invalid('spec.drivers[1]', '"bad key"', NAME_PART),
        requiredValue('spec.drivers[2].name'),
        invalid('spec.drivers[2].nodeID', `"${'x'.repeat(257)}"`, 'must be 256 characters or less'),
      ],
    );
    const name = `csinode-${suffix}`;
    const driver = { name: 'd.example.com', nodeID: 'n1', topologyKeys: ['zone'] };
    const res = await create('csinodes', {
      metadata: { name },
      spec: { drivers: [{ ...driver, allocatable: { count: 1 } }] },
    });
    expect(res.status, res.text).toBe(201);
    const counted = await patch(`csinodes/${name}`, {
      spec: { drivers: [{ ...driver, allocatable: { count: 3 } }] },
    });
    expect(counted.status, counted.text).toBe(200);
    expectInvalid(
      await patch(`csinodes/${name}`, {
        spec: {
          drivers: [
            { name: 'd.example.com', nodeID: 'n2' },
            { name: 'e.example.com', nodeID: 'n' },
          ],
        },
      }),
      `CSINode.storage.k8s.io "${name}"`,
      [
        invalid(
          'spec.drivers',
          '{"Name":"d.example.com","NodeID":"n2","TopologyKeys":null,"Allocatable":null}',
          'field is immutable',
        ),
      ],
    );
  });
});

describe('VolumeAttachments', () => {
  const what = (name: string) => `VolumeAttachment.storage.k8s.io "${name}"`;
  const attachments = 'volumeattachments';

  test('validation of a new attachment and its inline volume spec', async () => {
    const empty = `va-empty-${suffix}`;
    expectInvalid(await create(attachments, { metadata: { name: empty }, spec: {} }), what(empty), [
      requiredValue('spec.attacher'),
      requiredValue(
        'spec.source',
        'must specify exactly one of inlineVolumeSpec and persistentVolumeName',
      ),
      invalid('spec.nodeName', '""', SUBDOMAIN),
    ]);
    const both = `va-both-${suffix}`;
    expectInvalid(
      await create(attachments, {
        metadata: { name: both },
        spec: {
          attacher: 'Bad_A',
          nodeName: 'Bad_N',
          source: { persistentVolumeName: 'Bad_P', inlineVolumeSpec: {} },
        },
      }),
      what(both),
      [
        invalid('spec.attacher', '"Bad_A"', SUBDOMAIN),
        forbidden(
          'spec.source',
          'must specify exactly one of inlineVolumeSpec and persistentVolumeName',
        ),
        invalid('spec.nodeName', '"Bad_N"', SUBDOMAIN),
        invalid('spec.source.persistentVolumeName', '"Bad_P"', SUBDOMAIN),
      ],
    );
    const blank = `va-blank-${suffix}`;
    expectInvalid(
      await create(attachments, {
        metadata: { name: blank },
        spec: { attacher: 'a.b', nodeName: 'n', source: { persistentVolumeName: '' } },
      }),
      what(blank),
      [
        requiredValue(
          'spec.source.persistentVolumeName',
          'must specify non empty persistentVolumeName',
        ),
        invalid('spec.source.persistentVolumeName', '""', SUBDOMAIN),
      ],
    );
    const inline = `va-inline-${suffix}`;
    const at = 'spec.source.inlineVolumeSpec';
    const context = 'in the context of inline volumes';
    expectInvalid(
      await create(attachments, {
        metadata: { name: inline },
        spec: {
          attacher: 'a.b',
          nodeName: 'n',
          source: {
            inlineVolumeSpec: {
              capacity: { storage: '1Gi' },
              claimRef: { name: 'x' },
              persistentVolumeReclaimPolicy: 'Delete',
              nodeAffinity: {},
              storageClassName: 's',
              volumeMode: 'Block',
              hostPath: { path: '/x' },
            },
          },
        },
      }),
      what(inline),
      [
        forbidden(`${at}.claimRef`, `may not be specified ${context}`),
        forbidden(`${at}.capacity`, `may not be specified ${context}`),
        requiredValue(`${at}.csi`, `has to be specified ${context}`),
        requiredValue(`${at}.accessModes`),
        forbidden(`${at}.persistentVolumeReclaimPolicy`, `may only be Retain ${context}`),
        forbidden(`${at}.nodeAffinity`, `may not be specified ${context}`),
        forbidden(`${at}.storageClassName`, `may not be specified ${context}`),
        forbidden(
          `${at}.volumeMode`,
          `may not specify volumeMode other than Filesystem ${context}`,
        ),
      ],
    );
  });

  test('an empty new status, the immutable spec, the status subresource', async () => {
    const name = `va-${suffix}`;
    const res = await create(attachments, {
      metadata: { name },
      spec: {
        attacher: 'a.b',
        nodeName: 'n',
        source: {
          inlineVolumeSpec: {
            accessModes: ['ReadWriteOnce'],
            csi: { driver: 'a.b', volumeHandle: 'h', volumeAttributes: { z: '1', a: '2' } },
          },
        },
      },
      status: { attached: true, attachmentMetadata: { a: 'b' } },
    });
    expect(res.status, res.text).toBe(201);
    expect(res.json().status).toEqual({ attached: false });
    expect(res.json().metadata.generation).toBeUndefined();
    const csi =
      '{"Driver":"a.b","VolumeHandle":"h","ReadOnly":false,"FSType":"","VolumeAttributes":{"a":"2","z":"1"},"ControllerPublishSecretRef":null,"NodeStageSecretRef":null,"NodePublishSecretRef":null,"ControllerExpandSecretRef":null,"NodeExpandSecretRef":null}';
    const sources =
      '"GCEPersistentDisk":null,"AWSElasticBlockStore":null,"HostPath":null,"Glusterfs":null,"NFS":null,"RBD":null,"Quobyte":null,"ISCSI":null,"FlexVolume":null,"Cinder":null,"CephFS":null,"FC":null,"Flocker":null,"AzureFile":null,"VsphereVolume":null,"AzureDisk":null,"PhotonPersistentDisk":null,"PortworxVolume":null,"ScaleIO":null,"Local":null,"StorageOS":null';
    const spec = `{"Attacher":"a.b","Source":{"PersistentVolumeName":null,"InlineVolumeSpec":{"Capacity":null,${sources},"CSI":${csi},"AccessModes":["ReadWriteOnce"],"ClaimRef":null,"PersistentVolumeReclaimPolicy":"","StorageClassName":"","MountOptions":null,"VolumeMode":null,"NodeAffinity":null,"VolumeAttributesClassName":null}},"NodeName":"m"}`;
    expectInvalid(await patch(`${attachments}/${name}`, { spec: { nodeName: 'm' } }), what(name), [
      invalid('spec', spec, 'field is immutable'),
    ]);
    // Another source than csi is quoted as the internal struct too, with its defaults.
    const hostPath = spec
      .replace('"HostPath":null', '"HostPath":{"Path":"/x","Type":""}')
      .replace(`"CSI":${csi}`, '"CSI":null')
      .replace('"NodeName":"m"', '"NodeName":"n"');
    expectInvalid(
      await patch(`${attachments}/${name}`, {
        spec: { source: { inlineVolumeSpec: { csi: null, hostPath: { path: '/x' } } } },
      }),
      what(name),
      [
        requiredValue(
          'spec.source.inlineVolumeSpec.csi',
          'has to be specified in the context of inline volumes',
        ),
        invalid('spec', hostPath, 'field is immutable'),
      ],
    );
    const kept = await patch(`${attachments}/${name}`, {
      metadata: { labels: { a: 'b' } },
      status: { attached: true },
    });
    expect(kept.status, kept.text).toBe(200);
    expect(kept.json().status).toEqual({ attached: false });
    expectInvalid(
      await patch(`${attachments}/${name}/status`, {
        status: {
          attached: true,
          attachError: { message: 'x', errorCode: -1 },
          detachError: { errorCode: 5, message: 'x'.repeat(1025) },
        },
      }),
      what(name),
      [
        invalid(
          'status.attachError.errorCode',
          '-1',
          'must be between 0 and 2147483647, inclusive',
        ),
        {
          reason: 'FieldValueTooLong',
          message: 'Too long: may not be more than 262144 bytes',
          field: 'status.detachError.message',
        },
      ],
    );
    const status = await patch(`${attachments}/${name}/status`, {
      spec: { nodeName: 'm' },
      status: { attached: true, attachError: { message: 'x', errorCode: 3 } },
    });
    expect(status.status, status.text).toBe(200);
    expect(status.json().spec.nodeName).toBe('n');
    expect(status.json().status).toEqual({
      attached: true,
      attachError: { message: 'x', errorCode: 3, time: null },
    });
    const byName = `va-pv-${suffix}`;
    const pv = await create(attachments, {
      metadata: { name: byName },
      spec: { attacher: 'a.b', nodeName: 'n', source: { persistentVolumeName: 'pv' } },
    });
    expect(pv.status, pv.text).toBe(201);
    expectInvalid(
      await patch(`${attachments}/${byName}`, {
        spec: { source: { persistentVolumeName: 'pv2' } },
      }),
      what(byName),
      [
        invalid(
          'spec',
          '{"Attacher":"a.b","Source":{"PersistentVolumeName":"pv2","InlineVolumeSpec":null},"NodeName":"n"}',
          'field is immutable',
        ),
      ],
    );
  });
});

describe('CSIStorageCapacities', () => {
  const capacities = () => `${STORAGE}/namespaces/${ns}/csistoragecapacities`;
  const what = (name: string) => `CSIStorageCapacity.storage.k8s.io "${name}"`;

  test('selector, class and capacity; immutable topology and class; warnings', async () => {
    const bad = `cap-bad-${suffix}`;
    expectInvalid(
      await raw(kc(), 'POST', capacities(), {
        body: {
          metadata: { name: bad },
          storageClassName: 'Bad_SC',
          capacity: '-1',
          maximumVolumeSize: '-2',
          nodeTopology: {
            matchLabels: { 'bad key': 'v' },
            matchExpressions: [{ key: 'k', operator: 'Foo' }],
          },
        },
      }),
      what(bad),
      [
        invalid('nodeTopology.matchLabels', '"bad key"', NAME_PART),
        invalid(
          'nodeTopology.matchExpressions[0].operator',
          '"Foo"',
          'not a valid selector operator',
        ),
        invalid('storageClassName', '"Bad_SC"', SUBDOMAIN),
        invalid('capacity', '"-1"', 'must be greater than or equal to 0'),
      ],
    );
    const name = `cap-${suffix}`;
    const res = await raw(kc(), 'POST', capacities(), {
      body: {
        metadata: { name },
        storageClassName: 'sc',
        capacity: '1Gi',
        nodeTopology: {
          matchExpressions: [
            { key: 'failure-domain.beta.kubernetes.io/zone', operator: 'In', values: ['a'] },
          ],
        },
      },
    });
    expect(res.status, res.text).toBe(201);
    expect(res.warnings).toEqual([
      'nodeTopology.matchExpressions[0].key: failure-domain.beta.kubernetes.io/zone is deprecated since v1.17; use "topology.kubernetes.io/zone" instead',
    ]);
    const grown = await raw(kc(), 'PATCH', `${capacities()}/${name}`, {
      body: { capacity: '2Gi' },
      contentType: 'application/merge-patch+json',
    });
    expect(grown.status, grown.text).toBe(200);
    expect(grown.warnings).toHaveLength(1);
    expectInvalid(
      await raw(kc(), 'PATCH', `${capacities()}/${name}`, {
        body: { storageClassName: 'sc2', nodeTopology: { matchLabels: { a: 'c' } } },
        contentType: 'application/merge-patch+json',
      }),
      what(name),
      [
        invalid(
          'nodeTopology',
          '{"matchLabels":{"a":"c"},"matchExpressions":[{"key":"failure-domain.beta.kubernetes.io/zone","operator":"In","values":["a"]}]}',
          'field is immutable',
        ),
        invalid('storageClassName', '"sc2"', 'field is immutable'),
      ],
    );
  });
});

describe('VolumeAttributesClasses', () => {
  const what = (name: string) => `VolumeAttributesClass.storage.k8s.io "${name}"`;
  const classes = 'volumeattributesclasses';

  test('driver and parameters, both immutable', async () => {
    const empty = `vac-empty-${suffix}`;
    expectInvalid(
      await create(classes, { metadata: { name: empty }, driverName: '', parameters: { '': 'x' } }),
      what(empty),
      [requiredValue('driverName'), invalid('parameters', '""', 'field can not be empty.')],
    );
    const none = `vac-none-${suffix}`;
    expectInvalid(
      await create(classes, { metadata: { name: none }, driverName: 'Bad_D' }),
      what(none),
      [requiredValue('parameters', 'must contain at least one key/value pair')],
    );
    const name = `vac-${suffix}`;
    const res = await create(classes, {
      metadata: { name },
      driverName: 'a.b',
      parameters: { a: 'b' },
    });
    expect(res.status, res.text).toBe(201);
    expectInvalid(
      await patch(`${classes}/${name}`, { driverName: 'Bad C', parameters: { a: 'c' } }),
      what(name),
      [
        forbidden('driverName', 'updates to driverName are forbidden.'),
        forbidden('parameters', 'updates to parameters are forbidden.'),
        invalid('driverName', '"bad c"', NAME_PART),
      ],
    );
  });
});
