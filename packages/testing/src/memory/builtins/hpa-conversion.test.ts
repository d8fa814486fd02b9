import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../json.js';
import { hpaFromV1, hpaToV1 } from './hpa-conversion.js';

const ref = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' };

describe('HorizontalPodAutoscaler v1 <-> v2', () => {
  it('round-trips every metric source through the annotation', () => {
    const metrics: JsonObject[] = [
      {
        type: 'Object',
        object: {
          describedObject: { apiVersion: 'v1', kind: 'Service', name: 'front' },
          metric: { name: 'rps' },
          target: { type: 'Value', value: '100' },
        },
      },
      {
        type: 'Pods',
        pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: '10' } },
      },
      {
        type: 'ContainerResource',
        containerResource: {
          name: 'memory',
          target: { type: 'AverageValue', averageValue: '1Gi' },
          container: 'app',
        },
      },
      {
        type: 'External',
        external: { metric: { name: 'queue' }, target: { type: 'Value', value: '5' } },
      },
      {
        type: 'Resource',
        resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } },
      },
    ];
    const stored = {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'h' },
      spec: { scaleTargetRef: ref, minReplicas: 1, maxReplicas: 3, metrics },
      status: { desiredReplicas: 0 },
    };
    const v1 = hpaToV1(stored);
    expect(v1.spec).toEqual({
      scaleTargetRef: ref,
      minReplicas: 1,
      maxReplicas: 3,
      targetCPUUtilizationPercentage: 50,
    });
    expect(hpaFromV1(v1)).toEqual({
      ...stored,
      status: { currentReplicas: 0, desiredReplicas: 0 },
    });
  });

  it('makes v1 status and conditions annotations from v2 status, and reads them back', () => {
    const status = {
      currentReplicas: 1,
      desiredReplicas: 2,
      currentMetrics: [
        {
          type: 'Resource',
          resource: { name: 'cpu', current: { averageValue: '100m', averageUtilization: 40 } },
        },
      ],
      conditions: [{ type: 'AbleToScale', status: 'True', reason: 'ReadyForNewScale' }],
    };
    const v1 = hpaToV1({ metadata: {}, spec: { metrics: [] }, status });
    expect(v1.status).toEqual({
      currentReplicas: 1,
      desiredReplicas: 2,
      currentCPUUtilizationPercentage: 40,
    });
    expect(hpaFromV1(v1).status).toEqual(status);
  });

  it('ignores an annotation that is not JSON and drops it', () => {
    const v2 = hpaFromV1({
      metadata: { annotations: { 'autoscaling.alpha.kubernetes.io/metrics': '{' } },
      spec: { scaleTargetRef: ref, maxReplicas: 2 },
    });
    expect(v2.metadata).toEqual({});
    expect(v2.spec).toMatchObject({
      metrics: [
        {
          type: 'Resource',
          resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } },
        },
      ],
    });
  });
});
