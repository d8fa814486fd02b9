import { describe, expect, test } from 'vitest';
import type { JsonObject } from '../json.js';
import { prepareNewPod } from './pod-prepare-create.js';

describe('prepareNewPod', () => {
  test('merges label keys the Pod has labels for; leaves selector-less terms alone', () => {
    const pod: JsonObject = {
      metadata: { labels: { app: 'web' } },
      spec: {
        affinity: {
          podAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: [
              { labelSelector: {}, matchLabelKeys: ['app', 'nope'], mismatchLabelKeys: ['app'] },
              { matchLabelKeys: ['app'] },
            ],
          },
        },
      },
      status: {},
    };
    prepareNewPod(pod);
    expect(pod.spec).toEqual({
      affinity: {
        podAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: [
            {
              labelSelector: {
                matchExpressions: [
                  { key: 'app', operator: 'In', values: ['web'] },
                  { key: 'app', operator: 'NotIn', values: ['web'] },
                ],
              },
              matchLabelKeys: ['app', 'nope'],
              mismatchLabelKeys: ['app'],
            },
            { matchLabelKeys: ['app'] },
          ],
        },
      },
    });
    expect(pod.status).toEqual({});
  });
});
