/**
 * Differential: kube-apiserver's checks of a pod spec's scheduling fields (affinity,
 * topology spread constraints, tolerations) in Pods and in every workload template.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  expectCauses,
  INVALID,
  LABEL,
  LABEL_VALUE,
  NAME_PART,
  SUBDOMAIN,
  UNSUPPORTED,
} from './invalid-causes.js';
import { holderPath, POD, WORKLOADS } from './pod-spec-fixtures.js';
import { raw } from './raw-http.js';
import { type E2eContext, startE2e } from './support.js';

let e2e: E2eContext;
let ns: string;

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-scheduling');
});

afterAll(async () => {
  await e2e?.stop();
});

const kc = () => e2e.backend.kubeConfig;

const AFFINITY = {
  nodeAffinity: {
    requiredDuringSchedulingIgnoredDuringExecution: {
      nodeSelectorTerms: [
        {
          matchExpressions: [
            { key: 'k', operator: 'In' },
            { key: 'k', operator: 'Exists', values: ['a'] },
            { key: 'k', operator: 'Gt', values: ['1', '2'] },
            { key: 'Bad Key', operator: 'Near', values: ['bad value!'] },
          ],
          matchFields: [
            { key: 'metadata.name', operator: 'In', values: ['a', 'b'] },
            { key: 'spec.x', operator: 'Exists' },
            { key: 'metadata.name', operator: 'In', values: ['Bad_Name'] },
          ],
        },
      ],
    },
    preferredDuringSchedulingIgnoredDuringExecution: [
      {
        weight: 0,
        preference: { matchExpressions: [{ key: 'k', operator: 'In', values: ['bad value!'] }] },
      },
    ],
  },
  podAffinity: {
    requiredDuringSchedulingIgnoredDuringExecution: [
      {
        labelSelector: { matchLabels: { a: 'bad value!' } },
        namespaces: ['Bad_NS'],
        topologyKey: '',
      },
    ],
  },
  podAntiAffinity: {
    preferredDuringSchedulingIgnoredDuringExecution: [
      {
        weight: 101,
        podAffinityTerm: {
          topologyKey: 'zone',
          labelSelector: { matchExpressions: [{ key: 'a', operator: 'In' }] },
        },
      },
    ],
  },
};

const TOPOLOGY_SPREAD = [
  {
    maxSkew: 0,
    topologyKey: '',
    whenUnsatisfiable: 'Maybe',
    minDomains: 0,
    nodeAffinityPolicy: 'Sometimes',
    labelSelector: { matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] },
  },
  { maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule' },
  { maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule' },
];

const TOLERATIONS = [
  { key: 'Bad Key', operator: 'Equal', value: 'v' },
  { operator: 'Equal', value: 'v' },
  { key: 'k', operator: 'Exists', value: 'v', effect: 'NoSchedule', tolerationSeconds: 5 },
  { key: 'k', operator: 'Lt', value: '5' },
  { key: 'k', operator: 'Equal', value: 'bad value!', effect: 'Sometimes' },
  { key: 'k', operator: 'Foo' },
];

function causesAt(at: string): [string, string, string][] {
  const na = `${at}.affinity.nodeAffinity`;
  const term = `${na}.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0]`;
  const me = `${term}.matchExpressions`;
  const mf = `${term}.matchFields`;
  const pa = `${at}.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0]`;
  const anti = `${at}.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0]`;
  const ts = `${at}.topologySpreadConstraints`;
  const tol = `${at}.tolerations`;
  return [
    [
      `${me}[0].values`,
      'FieldValueRequired',
      "Required value: must be specified when `operator` is 'In' or 'NotIn'",
    ],
    [
      `${me}[1].values`,
      'FieldValueForbidden',
      "Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
    ],
    [
      `${me}[2].values`,
      'FieldValueRequired',
      "Required value: must be specified single value when `operator` is 'Lt' or 'Gt'",
    ],
    [`${me}[3].operator`, INVALID, 'Invalid value: "Near": not a valid selector operator'],
    [`${me}[3].key`, INVALID, `Invalid value: "Bad Key": ${NAME_PART}`],
    [`${me}[3].values[0]`, INVALID, `Invalid value: "bad value!": ${LABEL_VALUE}`],
    [
      `${mf}[0].values`,
      'FieldValueRequired',
      "Required value: must be only one value when `operator` is 'In' or 'NotIn' for node field selector",
    ],
    [`${mf}[1].operator`, INVALID, 'Invalid value: "Exists": not a valid selector operator'],
    [`${mf}[1].key`, INVALID, 'Invalid value: "spec.x": not a valid field selector key'],
    [`${mf}[2].values[0]`, INVALID, `Invalid value: "Bad_Name": ${SUBDOMAIN}`],
    [
      `${na}.preferredDuringSchedulingIgnoredDuringExecution[0].weight`,
      INVALID,
      'Invalid value: 0: must be in the range 1-100',
    ],
    [`${pa}.labelSelector.matchLabels`, INVALID, `Invalid value: "bad value!": ${LABEL_VALUE}`],
    [`${pa}.namespace`, INVALID, `Invalid value: "Bad_NS": ${LABEL}`],
    [`${pa}.topologyKey`, 'FieldValueRequired', 'Required value: can not be empty'],
    [`${pa}.topologyKey`, INVALID, 'Invalid value: "": name part must be non-empty'],
    [`${pa}.topologyKey`, INVALID, `Invalid value: "": ${NAME_PART}`],
    [`${anti}.weight`, INVALID, 'Invalid value: 101: must be in the range 1-100'],
    [
      `${anti}.podAffinityTerm.labelSelector.matchExpressions[0].values`,
      'FieldValueRequired',
      "Required value: must be specified when `operator` is 'In' or 'NotIn'",
    ],
    [`${ts}[0].maxSkew`, INVALID, 'Invalid value: 0: must be greater than zero'],
    [`${ts}[0].topologyKey`, 'FieldValueRequired', 'Required value: can not be empty'],
    [
      `${ts}[0].whenUnsatisfiable`,
      UNSUPPORTED,
      'Unsupported value: "Maybe": supported values: "DoNotSchedule", "ScheduleAnyway"',
    ],
    [`${ts}[0].minDomains`, INVALID, 'Invalid value: 0: must be greater than zero'],
    [
      `${ts}[0].minDomains`,
      INVALID,
      'Invalid value: 0: can only use minDomains if whenUnsatisfiable=DoNotSchedule, not Maybe',
    ],
    [
      `${ts}[0].nodeAffinityPolicy`,
      UNSUPPORTED,
      'Unsupported value: "Sometimes": supported values: "Honor", "Ignore"',
    ],
    [
      `${ts}[0].labelSelector.matchExpressions[0].values`,
      'FieldValueForbidden',
      "Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
    ],
    [
      `${ts}[1].{topologyKey, whenUnsatisfiable}`,
      'FieldValueDuplicate',
      'Duplicate value: "{zone, DoNotSchedule}"',
    ],
    [`${tol}[0].key`, INVALID, `Invalid value: "Bad Key": ${NAME_PART}`],
    [
      `${tol}[1].operator`,
      INVALID,
      'Invalid value: "Equal": operator must be Exists when `key` is empty, which means "match all values and all keys"',
    ],
    [
      `${tol}[2].effect`,
      INVALID,
      'Invalid value: "NoSchedule": effect must be \'NoExecute\' when `tolerationSeconds` is set',
    ],
    [
      `${tol}[2].operator`,
      INVALID,
      'Invalid value: "v": value must be empty when `operator` is \'Exists\'',
    ],
    [
      `${tol}[3].operator`,
      UNSUPPORTED,
      'Unsupported value: "Lt": supported values: "Equal", "Exists", "Lt", "Gt"',
    ],
    [`${tol}[4].operator`, INVALID, `Invalid value: "bad value!": ${LABEL_VALUE}`],
    [
      `${tol}[4].effect`,
      UNSUPPORTED,
      'Unsupported value: "Sometimes": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
    ],
    [
      `${tol}[5].operator`,
      UNSUPPORTED,
      'Unsupported value: "Foo": supported values: "Equal", "Exists"',
    ],
  ];
}

const SPEC = {
  containers: [{ name: 'c', image: 'i' }],
  affinity: AFFINITY,
  topologySpreadConstraints: TOPOLOGY_SPREAD,
  tolerations: TOLERATIONS,
};

describe('scheduling fields', () => {
  test('a Pod: node and pod (anti-)affinity, topology spread constraints, tolerations', async () => {
    await expectCauses(kc(), holderPath(POD, ns), POD.body('sched', SPEC), causesAt('spec'));
  });

  test('every workload template is checked the same way', async () => {
    for (const holder of WORKLOADS) {
      await expectCauses(
        kc(),
        holderPath(holder, ns),
        holder.body('sched', SPEC),
        causesAt(holder.prefix),
      );
    }
  });

  test('valid scheduling fields are accepted', async () => {
    const spec = {
      containers: [{ name: 'c', image: 'i' }],
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [
              {
                matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }],
                matchFields: [{ key: 'metadata.name', operator: 'NotIn', values: ['n1'] }],
              },
            ],
          },
        },
        podAntiAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: [
            { labelSelector: { matchLabels: { app: 'x' } }, topologyKey: 'kubernetes.io/hostname' },
          ],
        },
      },
      topologySpreadConstraints: [
        { maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', minDomains: 2 },
        { maxSkew: 2, topologyKey: 'zone', whenUnsatisfiable: 'ScheduleAnyway' },
      ],
      tolerations: [
        { operator: 'Exists' },
        { key: 'k', value: 'v', effect: 'NoExecute', tolerationSeconds: 10 },
      ],
    };
    const res = await raw(kc(), 'POST', holderPath(POD, ns), { body: POD.body('sched-ok', spec) });
    expect(res.status, res.text).toBe(201);
  });
});
