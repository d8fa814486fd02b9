import { describe, expect, it } from 'vitest';
import type { StatusCause } from '../errors.js';
import type { JsonObject } from '../json.js';
import { horizontalPodAutoscalerRules as rules } from './horizontal-pod-autoscaler.js';

const create = { group: 'autoscaling', create: true };
const lines = (causes: StatusCause[] | undefined) =>
  (causes ?? []).map((c) => `${c.field}: ${c.message}`);
const ref = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' };

describe('HorizontalPodAutoscaler rules', () => {
  it('defaults minReplicas, the CPU metric and a behavior’s rules', () => {
    const hpa: JsonObject = {
      spec: { maxReplicas: 2, behavior: { scaleUp: { selectPolicy: 'Min' } } },
    };
    rules.defaults?.(hpa, true);
    expect(hpa.spec).toEqual({
      maxReplicas: 2,
      minReplicas: 1,
      metrics: [
        {
          type: 'Resource',
          resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } },
        },
      ],
      behavior: {
        scaleUp: {
          stabilizationWindowSeconds: 0,
          selectPolicy: 'Min',
          policies: [
            { type: 'Pods', value: 4, periodSeconds: 15 },
            { type: 'Percent', value: 100, periodSeconds: 15 },
          ],
        },
        scaleDown: {
          selectPolicy: 'Max',
          policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
        },
      },
    });
  });

  it('checks metric sources and targets', () => {
    const spec: JsonObject = {
      scaleTargetRef: ref,
      maxReplicas: 2,
      metrics: [
        { type: 'Resource' },
        {
          type: 'Pods',
          pods: {},
          resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 5 } },
        },
        { type: 'Bogus' },
        {
          type: 'Resource',
          resource: { name: '', target: { type: 'X', averageValue: '-1', averageUtilization: 3 } },
        },
      ],
    };
    expect(lines(rules.validate?.({ spec }, create))).toEqual([
      'spec.metrics[0].resource: Required value: must populate information for the given metric source',
      'spec.metrics[1].pods.metric.name: Required value: must specify a metric name',
      'spec.metrics[1].pods.target.type: Required value: must specify a metric target type',
      'spec.metrics[1].pods.target.type: Invalid value: "": must be either Utilization, Value, or AverageValue',
      'spec.metrics[1].pods.target.averageValue: Required value: must specify a positive target averageValue',
      'spec.metrics[1].resource: Forbidden: must populate the given metric source only',
      'spec.metrics[2].type: Unsupported value: "Bogus": supported values: "ContainerResource", "External", "Object", "Pods", "Resource"',
      'spec.metrics[2].type: Unsupported value: "Bogus": supported values: "ContainerResource", "External", "Object", "Pods", "Resource"',
      'spec.metrics[3].resource.name: Required value: must specify a resource name',
      'spec.metrics[3].resource.target.type: Invalid value: "X": must be either Utilization, Value, or AverageValue',
      'spec.metrics[3].resource.target.averageValue: Invalid value: "-1": must be positive',
      'spec.metrics[3].resource.target.averageValue: Forbidden: may not set both a target raw value and a target utilization',
    ]);
  });

  it('lets an update keep a minReplicas of 0 and an unchanged scale target', () => {
    const prev: JsonObject = {
      spec: {
        scaleTargetRef: { apiVersion: 'v1', kind: 'Deployment', name: 'web' },
        minReplicas: 0,
        maxReplicas: 2,
        metrics: [
          {
            type: 'External',
            external: { metric: { name: 'q' }, target: { type: 'Value', value: '1' } },
          },
        ],
      },
    };
    const next = structuredClone(prev);
    expect(rules.validate?.(next, { group: 'autoscaling', create: false })).toEqual([]);
    expect(rules.validateUpdate?.(next, prev, { group: 'autoscaling', create: false })).toEqual([]);
    expect(lines(rules.validate?.(next, create))).toEqual([
      'spec.minReplicas: Invalid value: 0: must be greater than or equal to 1',
      'spec.scaleTargetRef.apiVersion: Invalid value: "v1": apiVersion must specify API group',
    ]);
  });

  it('checks a defaulted behavior: windows, select policy, policies, tolerance', () => {
    const hpa: JsonObject = {
      spec: {
        scaleTargetRef: ref,
        maxReplicas: 2,
        behavior: {
          scaleUp: { stabilizationWindowSeconds: 3601, policies: [{ type: 'Pods' }] },
          scaleDown: { selectPolicy: 'Any', tolerance: '-1', policies: [] },
        },
      },
    };
    rules.defaults?.(hpa, true);
    expect(lines(rules.validate?.(hpa, create))).toEqual([
      'spec.behavior.scaleUp.stabilizationWindowSeconds: Invalid value: 3601: must be less than or equal to 3600',
      'spec.behavior.scaleUp.policies[0].value: Invalid value: 0: must be greater than zero',
      'spec.behavior.scaleUp.policies[0].periodSeconds: Invalid value: 0: must be greater than zero',
      'spec.behavior.scaleDown.selectPolicy: Unsupported value: "Any": supported values: "Disabled", "Max", "Min"',
      'spec.behavior.scaleDown.policies: Required value: must specify at least one Policy',
      'spec.behavior.scaleDown.tolerance: Invalid value: "-1": must be greater than or equal to 0',
    ]);
  });
});
