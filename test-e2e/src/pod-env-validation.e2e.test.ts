/**
 * Differential: kube-apiserver's checks of container `env` (`valueFrom` sources and their
 * selectors) and `envFrom`, in Pods and in every workload template.
 */
import { afterAll, beforeAll, describe, test } from 'vitest';
import {
  type Cause,
  expectCauses,
  INVALID,
  NAME_PART,
  SUBDOMAIN,
  UNSUPPORTED,
} from './invalid-causes.js';
import { holderPath, POD, WORKLOADS } from './pod-spec-fixtures.js';
import { type E2eContext, startE2e } from './support.js';

let e2e: E2eContext;
let ns: string;

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-env');
});

afterAll(async () => {
  await e2e?.stop();
});

const kc = () => e2e.backend.kubeConfig;
const KEY =
  "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";
const ENV_NAME =
  "a valid environment variable name must consist only of printable ASCII characters other than '='";

const SPEC = {
  containers: [
    {
      name: 'c',
      image: 'i',
      env: [
        { name: 'A', value: 'x', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        { name: 'B', valueFrom: {} },
        { name: 'C', valueFrom: { fieldRef: { fieldPath: 'metadata.labels' } } },
        {
          name: 'D',
          valueFrom: {
            resourceFieldRef: { resource: 'limits.gpu' },
            configMapKeyRef: { name: 'Bad_Name', key: 'bad key' },
          },
        },
        { name: 'E', valueFrom: { secretKeyRef: { key: '' } } },
        { name: 'F', valueFrom: { fieldRef: { fieldPath: "metadata.annotations['Bad Key']" } } },
      ],
      envFrom: [
        { prefix: 'A=', configMapRef: { name: 'cm' } },
        {},
        { configMapRef: { name: 'a-' }, secretRef: { name: 'Bad' } },
      ],
    },
  ],
};

function causesAt(at: string): Cause[] {
  const env = (i: number) => `${at}.containers[0].env[${i}].valueFrom`;
  const envFrom = `${at}.containers[0].envFrom`;
  return [
    [env(0), INVALID, 'Invalid value: "": may not be specified when `value` is not empty'],
    [
      env(1),
      INVALID,
      'Invalid value: "": must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef`, `secretKeyRef` or `fileKeyRef`',
    ],
    [
      `${env(2)}.fieldRef.fieldPath`,
      UNSUPPORTED,
      'Unsupported value: "metadata.labels": supported values: "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs"',
    ],
    [
      `${env(3)}.resourceFieldRef.resource`,
      UNSUPPORTED,
      'Unsupported value: "limits.gpu": supported values: "limits.cpu", "limits.ephemeral-storage", "limits.memory", "requests.cpu", "requests.ephemeral-storage", "requests.memory"',
    ],
    [`${env(3)}.configMapKeyRef.name`, INVALID, `Invalid value: "Bad_Name": ${SUBDOMAIN}`],
    [`${env(3)}.configMapKeyRef.key`, INVALID, `Invalid value: "bad key": ${KEY}`],
    [env(3), INVALID, 'Invalid value: "": may not have more than one field specified at a time'],
    [`${env(4)}.secretKeyRef.name`, INVALID, `Invalid value: "": ${SUBDOMAIN}`],
    [`${env(4)}.secretKeyRef.key`, 'FieldValueRequired', 'Required value'],
    [`${env(5)}.fieldRef`, INVALID, `Invalid value: "bad key": ${NAME_PART}`],
    [`${envFrom}[0].prefix`, INVALID, `Invalid value: "A=": ${ENV_NAME}`],
    [envFrom, INVALID, 'Invalid value: "": must specify one of: `configMapRef` or `secretRef`'],
    [`${envFrom}[2].secretRef.name`, INVALID, `Invalid value: "Bad": ${SUBDOMAIN}`],
    [envFrom, INVALID, 'Invalid value: "": may not have more than one field specified at a time'],
  ];
}

describe('env and envFrom', () => {
  test('a Pod and every workload template', async () => {
    for (const holder of [POD, ...WORKLOADS]) {
      await expectCauses(
        kc(),
        holderPath(holder, ns),
        holder.body('env', SPEC),
        causesAt(holder.prefix),
      );
    }
  });

  test('a file key ref names an emptyDir volume of the pod', async () => {
    const fileRef = (volumeName: string) => ({
      name: 'A',
      valueFrom: { fileKeyRef: { key: 'K', volumeName, path: 'f' } },
    });
    const spec = {
      volumes: [
        { name: 'cfg', configMap: { name: 'x' } },
        { name: 'scratch', emptyDir: {} },
      ],
      containers: [{ name: 'c', image: 'i', env: [fileRef('cfg'), fileRef('scratch')] }],
      initContainers: [{ name: 'i', image: 'i', env: [fileRef('missing')] }],
    };
    for (const holder of [POD, ...WORKLOADS]) {
      const at = holder.prefix;
      await expectCauses(kc(), holderPath(holder, ns), holder.body('files', spec), [
        [
          `${at}.initContainers[0].env[0].valueFrom.fileKeyRef.volumeName`,
          'FieldValueNotFound',
          'Not found: "missing"',
        ],
        [
          `${at}.containers[0].env[0].valueFrom.fileKeyRef.volumeName`,
          INVALID,
          'Invalid value: "cfg": referenced volume must be of type emptyDir',
        ],
      ]);
    }
  });
});
