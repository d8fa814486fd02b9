/**
 * Differential: `matchLabelKeys`/`mismatchLabelKeys` of pod (anti-)affinity terms and
 * `matchLabelKeys` of topology spread constraints: kube-apiserver merges them into the
 * label selectors of a new Pod (and gives a gated Pod its SchedulingGated condition), and
 * checks them in Pods and every workload template.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { expectCauses, FORBIDDEN, INVALID, NAME_PART } from './invalid-causes.js';
import { holderPath, POD, WORKLOADS } from './pod-spec-fixtures.js';
import { raw } from './raw-http.js';
import { type E2eContext, startE2e } from './support.js';

let e2e: E2eContext;
let ns: string;

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-label-keys');
});

afterAll(async () => {
  await e2e?.stop();
});

const kc = () => e2e.backend.kubeConfig;
const containers = [{ name: 'c', image: 'i' }];

describe('match label keys', () => {
  test('a new Pod: keys merged into the selectors, a gated Pod marked', async () => {
    const res = await raw(kc(), 'POST', holderPath(POD, ns), {
      body: {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'merged', labels: { app: 'web', tier: 'front' } },
        spec: {
          containers,
          schedulingGates: [{ name: 'example.com/gate' }],
          affinity: {
            podAntiAffinity: {
              preferredDuringSchedulingIgnoredDuringExecution: [
                {
                  weight: 10,
                  podAffinityTerm: {
                    labelSelector: { matchLabels: { team: 'x' } },
                    topologyKey: 'kubernetes.io/hostname',
                    matchLabelKeys: ['app', 'missing'],
                    mismatchLabelKeys: ['tier'],
                  },
                },
              ],
            },
          },
          topologySpreadConstraints: [
            {
              maxSkew: 1,
              topologyKey: 'zone',
              whenUnsatisfiable: 'DoNotSchedule',
              labelSelector: { matchLabels: { team: 'x' } },
              matchLabelKeys: ['app'],
            },
          ],
        },
      },
    });
    expect(res.status, res.text).toBe(201);
    const pod = res.json();
    const term =
      pod.spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0]
        .podAffinityTerm;
    expect(term.labelSelector).toEqual({
      matchLabels: { team: 'x' },
      matchExpressions: [
        { key: 'app', operator: 'In', values: ['web'] },
        { key: 'tier', operator: 'NotIn', values: ['front'] },
      ],
    });
    expect(pod.spec.topologySpreadConstraints[0].labelSelector).toEqual({
      matchLabels: { team: 'x' },
      matchExpressions: [{ key: 'app', operator: 'In', values: ['web'] }],
    });
    expect(pod.status.conditions).toHaveLength(1);
    expect(pod.status.conditions[0]).toMatchObject({
      type: 'PodScheduled',
      status: 'False',
      lastProbeTime: null,
      reason: 'SchedulingGated',
      message: 'Scheduling is blocked due to non-empty scheduling gates',
    });
  });

  test.each([POD, ...WORKLOADS].map((h) => [h.plural, h] as const))(
    '%s: label names, a selector, no key twice',
    async (_, h) => {
      const p = h.prefix;
      const term = `${p}.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution`;
      const tsc = `${p}.topologySpreadConstraints[0]`;
      await expectCauses(
        kc(),
        holderPath(h, ns),
        h.body(`label-keys-${h.plural}`, {
          containers,
          affinity: {
            podAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: [
                {
                  labelSelector: {
                    matchLabels: { sel: 'a' },
                    matchExpressions: [{ key: 'sel', operator: 'Exists' }],
                  },
                  topologyKey: 'zone',
                  matchLabelKeys: ['Bad Key', 'dup', 'sel'],
                  mismatchLabelKeys: ['dup'],
                },
                { topologyKey: 'zone', matchLabelKeys: ['a'] },
              ],
            },
          },
          topologySpreadConstraints: [
            {
              maxSkew: 1,
              topologyKey: 'zone',
              whenUnsatisfiable: 'DoNotSchedule',
              matchLabelKeys: ['z'],
            },
          ],
        }),
        [
          [`${term}[0].matchLabelKeys[0]`, INVALID, `Invalid value: "Bad Key": ${NAME_PART}`],
          [
            `${term}[0][2]`,
            INVALID,
            'Invalid value: "sel": exists in both matchLabelKeys and labelSelector',
          ],
          [
            `${term}[0].matchLabelKeys[1]`,
            INVALID,
            'Invalid value: "dup": exists in both matchLabelKeys and mismatchLabelKeys',
          ],
          [
            `${term}[1].matchLabelKeys`,
            FORBIDDEN,
            'Forbidden: must not be specified when labelSelector is not set',
          ],
          [
            `${tsc}.matchLabelKeys`,
            FORBIDDEN,
            'Forbidden: must not be specified when labelSelector is not set',
          ],
        ],
      );
    },
  );
});
