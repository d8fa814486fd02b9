import { describe, expect, test } from 'vitest';
import type { JsonObject } from '../json.js';
import { defaultPodLevelResources, podLevelResourceCauses } from './pod-level-resources.js';

const c = (name: string, requests: JsonObject, more: JsonObject = {}): JsonObject => ({
  name,
  resources: { requests },
  ...more,
});

describe('pod-level resources', () => {
  test('aggregates count sidecars and the largest init container', () => {
    const spec: JsonObject = {
      resources: { requests: { cpu: '1' } },
      containers: [c('a', { cpu: '300m' })],
      initContainers: [
        c('side', { cpu: '200m' }, { restartPolicy: 'Always' }),
        c('init', { cpu: '900m' }),
      ],
    };
    // The init container runs beside the sidecar: 1100m.
    expect(podLevelResourceCauses(spec, 'spec').map((x) => x.message)).toEqual([
      'Invalid value: "1": must be greater than or equal to aggregate container requests of 1100m',
    ]);
  });

  test('defaults: requests from the containers, then from the limits', () => {
    const spec: JsonObject = {
      resources: { limits: { cpu: '2', memory: '1Gi' } },
      containers: [c('a', { cpu: '250m' }), c('b', { cpu: '250m' })],
    };
    defaultPodLevelResources(spec);
    expect(spec.resources).toEqual({
      limits: { cpu: '2', memory: '1Gi' },
      requests: { cpu: '500m', memory: '1Gi' },
    });
  });
});
