/**
 * Differential: one HorizontalPodAutoscaler served as autoscaling/v2 and autoscaling/v1,
 * converted as kube-apiserver converts it (v1's CPU target and status fields, the
 * `autoscaling.alpha.kubernetes.io/…` annotations that carry what v1 cannot hold), the
 * defaults of both versions, lists and watches at v1 of an object written at v2, and the
 * registry's validation of the spec.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { expectInvalid, forbidden, invalid, requiredValue, unsupported } from './invalid-status.js';
import { raw, rawWatch } from './raw-http.js';
import { type E2eContext, startE2e } from './support.js';

let e2e: E2eContext;
let ns: string;

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('e2e-hpa');
});

afterAll(async () => {
  await e2e?.stop();
});

const kc = () => e2e.backend.kubeConfig;
const V1 = () => `/apis/autoscaling/v1/namespaces/${ns}/horizontalpodautoscalers`;
const V2 = () => `/apis/autoscaling/v2/namespaces/${ns}/horizontalpodautoscalers`;
const SOURCE_TYPES = ['ContainerResource', 'External', 'Object', 'Pods', 'Resource'];
const target = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' };
const cpu = (averageUtilization: number) => ({
  type: 'Resource',
  resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization } },
});
const memory = {
  type: 'Resource',
  resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '500Mi' } },
};

describe('HorizontalPodAutoscaler versions', () => {
  test('created at v2, read at v1 (metrics and behavior in annotations) and back', async () => {
    const created = await raw(kc(), 'POST', V2(), {
      body: {
        metadata: { name: 'from-v2', annotations: { keep: 'me' } },
        spec: {
          scaleTargetRef: target,
          maxReplicas: 5,
          metrics: [memory, cpu(60)],
          behavior: { scaleDown: { stabilizationWindowSeconds: 120 } },
        },
      },
    });
    expect(created.status, created.text).toBe(201);
    const v2 = created.json();
    // The v2 defaults: minReplicas, and both rule sets of a given behavior.
    expect(v2.spec).toEqual({
      scaleTargetRef: target,
      minReplicas: 1,
      maxReplicas: 5,
      metrics: [memory, cpu(60)],
      behavior: {
        scaleUp: {
          stabilizationWindowSeconds: 0,
          selectPolicy: 'Max',
          policies: [
            { type: 'Pods', value: 4, periodSeconds: 15 },
            { type: 'Percent', value: 100, periodSeconds: 15 },
          ],
        },
        scaleDown: {
          stabilizationWindowSeconds: 120,
          selectPolicy: 'Max',
          policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
        },
      },
    });
    const read = await raw(kc(), 'GET', `${V1()}/from-v2`);
    expect(read.status, read.text).toBe(200);
    const v1 = read.json();
    expect(v1.apiVersion).toBe('autoscaling/v1');
    expect(v1.spec).toEqual({
      scaleTargetRef: target,
      minReplicas: 1,
      maxReplicas: 5,
      targetCPUUtilizationPercentage: 60,
    });
    expect(v1.status).toEqual({ currentReplicas: 0, desiredReplicas: 0 });
    const annotations = v1.metadata.annotations;
    expect(Object.keys(annotations).sort()).toEqual([
      'autoscaling.alpha.kubernetes.io/behavior',
      'autoscaling.alpha.kubernetes.io/metrics',
      'keep',
    ]);
    expect(JSON.parse(annotations['autoscaling.alpha.kubernetes.io/metrics'])).toEqual([
      { type: 'Resource', resource: { name: 'memory', targetAverageValue: '500Mi' } },
    ]);
    expect(JSON.parse(annotations['autoscaling.alpha.kubernetes.io/behavior'])).toEqual({
      ScaleUp: {
        StabilizationWindowSeconds: 0,
        SelectPolicy: 'Max',
        Policies: [
          { Type: 'Pods', Value: 4, PeriodSeconds: 15 },
          { Type: 'Percent', Value: 100, PeriodSeconds: 15 },
        ],
        Tolerance: null,
      },
      ScaleDown: {
        StabilizationWindowSeconds: 120,
        SelectPolicy: 'Max',
        Policies: [{ Type: 'Percent', Value: 100, PeriodSeconds: 15 }],
        Tolerance: null,
      },
    });
    // A v1 update that changes the CPU target keeps what the annotations carry.
    v1.spec.targetCPUUtilizationPercentage = 70;
    const updated = await raw(kc(), 'PUT', `${V1()}/from-v2`, { body: v1 });
    expect(updated.status, updated.text).toBe(200);
    expect(updated.json().metadata.annotations).toEqual(annotations);
    const back = (await raw(kc(), 'GET', `${V2()}/from-v2`)).json();
    expect(back.metadata.annotations).toEqual({ keep: 'me' });
    expect(back.spec.metrics).toEqual([memory, cpu(70)]);
    expect(back.spec.behavior).toEqual(v2.spec.behavior);
    // The HPA strategy keeps no generation.
    expect(back.metadata.generation).toBeUndefined();
    expect(v2.metadata.generation).toBeUndefined();
  });

  test('created at v1: the CPU target becomes a metric, and 80% when none is given', async () => {
    const created = await raw(kc(), 'POST', V1(), {
      body: {
        metadata: { name: 'from-v1' },
        spec: { scaleTargetRef: target, maxReplicas: 3, targetCPUUtilizationPercentage: 50 },
      },
    });
    expect(created.status, created.text).toBe(201);
    expect(created.json()).toMatchObject({
      apiVersion: 'autoscaling/v1',
      kind: 'HorizontalPodAutoscaler',
      spec: {
        scaleTargetRef: target,
        minReplicas: 1,
        maxReplicas: 3,
        targetCPUUtilizationPercentage: 50,
      },
      status: { currentReplicas: 0, desiredReplicas: 0 },
    });
    expect(created.json().metadata.annotations).toBeUndefined();
    const v2 = (await raw(kc(), 'GET', `${V2()}/from-v1`)).json();
    expect(v2.spec).toEqual({
      scaleTargetRef: target,
      minReplicas: 1,
      maxReplicas: 3,
      metrics: [cpu(50)],
    });

    const patched = await raw(kc(), 'PATCH', `${V1()}/from-v1`, {
      body: { spec: { targetCPUUtilizationPercentage: 55 } },
      contentType: 'application/merge-patch+json',
    });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.json().spec.targetCPUUtilizationPercentage).toBe(55);
    expect((await raw(kc(), 'GET', `${V2()}/from-v1`)).json().spec.metrics).toEqual([cpu(55)]);

    const bare = await raw(kc(), 'POST', V1(), {
      body: { metadata: { name: 'bare-v1' }, spec: { scaleTargetRef: target, maxReplicas: 3 } },
    });
    expect(bare.status, bare.text).toBe(201);
    expect(bare.json().spec.targetCPUUtilizationPercentage).toBe(80);
    const bareV2 = (await raw(kc(), 'GET', `${V2()}/bare-v1`)).json();
    expect(bareV2.spec.metrics).toEqual([cpu(80)]);

    // A v1 body may carry v2-only metrics in the annotation; it is not stored as one.
    const annotated = await raw(kc(), 'POST', V1(), {
      body: {
        metadata: {
          name: 'annotated-v1',
          annotations: {
            'autoscaling.alpha.kubernetes.io/metrics': JSON.stringify([
              {
                type: 'Pods',
                pods: { metricName: 'qps', targetAverageValue: '10' },
              },
            ]),
          },
        },
        spec: { scaleTargetRef: target, maxReplicas: 3, targetCPUUtilizationPercentage: 40 },
      },
    });
    expect(annotated.status, annotated.text).toBe(201);
    const annotatedV2 = (await raw(kc(), 'GET', `${V2()}/annotated-v1`)).json();
    expect(annotatedV2.metadata.annotations).toBeUndefined();
    expect(annotatedV2.spec.metrics).toEqual([
      {
        type: 'Pods',
        pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: '10' } },
      },
      cpu(40),
    ]);
  });

  test('status written at v2 reads as v1 current CPU utilization', async () => {
    const created = await raw(kc(), 'POST', V2(), {
      body: {
        metadata: { name: 'with-status' },
        spec: { scaleTargetRef: target, minReplicas: 2, maxReplicas: 4, metrics: [cpu(50)] },
      },
    });
    expect(created.status, created.text).toBe(201);
    const v2 = created.json();
    const status = {
      currentReplicas: 2,
      desiredReplicas: 3,
      currentMetrics: [
        {
          type: 'Resource',
          resource: { name: 'cpu', current: { averageUtilization: 75, averageValue: '150m' } },
        },
      ],
    };
    const put = await raw(kc(), 'PUT', `${V2()}/with-status/status`, { body: { ...v2, status } });
    expect(put.status, put.text).toBe(200);
    const v1 = (await raw(kc(), 'GET', `${V1()}/with-status`)).json();
    expect(v1.status).toEqual({
      currentReplicas: 2,
      desiredReplicas: 3,
      currentCPUUtilizationPercentage: 75,
    });
    expect(
      JSON.parse(v1.metadata.annotations['autoscaling.alpha.kubernetes.io/current-metrics']),
    ).toEqual([
      {
        type: 'Resource',
        resource: { name: 'cpu', currentAverageUtilization: 75, currentAverageValue: '150m' },
      },
    ]);
  });

  test('lists and watches at v1 serve the v1 form of objects written at v2', async () => {
    const list = await raw(kc(), 'GET', V1());
    expect(list.status, list.text).toBe(200);
    const body = list.json();
    expect(body.apiVersion).toBe('autoscaling/v1');
    const fromV2 = body.items.find(
      (i: { metadata: { name: string } }) => i.metadata.name === 'from-v2',
    );
    expect(fromV2.spec.targetCPUUtilizationPercentage).toBe(70);
    expect(fromV2.spec.metrics).toBeUndefined();

    const events = await rawWatch(
      kc(),
      V1(),
      { fieldSelector: 'metadata.name=watched' },
      (evs) => evs.length > 0,
      async () => {
        const res = await raw(kc(), 'POST', V2(), {
          body: {
            metadata: { name: 'watched' },
            spec: { scaleTargetRef: target, maxReplicas: 2, metrics: [cpu(65)] },
          },
        });
        expect(res.status, res.text).toBe(201);
      },
    );
    expect(events[0]).toMatchObject({
      type: 'ADDED',
      object: {
        apiVersion: 'autoscaling/v1',
        kind: 'HorizontalPodAutoscaler',
        spec: { targetCPUUtilizationPercentage: 65 },
      },
    });
    expect(events[0]!.object.spec.metrics).toBeUndefined();
  });
});

describe('HorizontalPodAutoscaler validation', () => {
  test('replica bounds, the scale target and the metrics, with the real causes', async () => {
    expectInvalid(
      await raw(kc(), 'POST', V2(), {
        body: {
          metadata: { name: 'bad' },
          spec: {
            scaleTargetRef: { apiVersion: 'v1', kind: 'Deployment' },
            minReplicas: 0,
            maxReplicas: -1,
            metrics: [
              {
                type: 'Resource',
                resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 0 } },
              },
              {
                type: 'Resource',
                resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '-1' } },
              },
              { type: 'Resource', pods: { metric: { name: 'qps' } } },
              { type: 'Bogus' },
              {},
            ],
          },
        },
      }),
      'HorizontalPodAutoscaler.autoscaling "bad"',
      [
        invalid('spec.minReplicas', '0', 'must be greater than or equal to 1'),
        invalid('spec.maxReplicas', '-1', 'must be greater than or equal to 1'),
        invalid('spec.maxReplicas', '-1', 'must be greater than or equal to `minReplicas`'),
        requiredValue('spec.scaleTargetRef.name'),
        invalid('spec.scaleTargetRef.apiVersion', '"v1"', 'apiVersion must specify API group'),
        invalid(
          'spec.metrics[0].resource.target.averageUtilization',
          '0',
          'must be greater than 0',
        ),
        invalid('spec.metrics[1].resource.target.averageValue', '"-1"', 'must be positive'),
        requiredValue('spec.metrics[2].pods.target.type', 'must specify a metric target type'),
        invalid(
          'spec.metrics[2].pods.target.type',
          '""',
          'must be either Utilization, Value, or AverageValue',
        ),
        requiredValue(
          'spec.metrics[2].pods.target.averageValue',
          'must specify a positive target averageValue',
        ),
        requiredValue(
          'spec.metrics[2].resource',
          'must populate information for the given metric source',
        ),
        unsupported('spec.metrics[3].type', 'Bogus', SOURCE_TYPES),
        unsupported('spec.metrics[3].type', 'Bogus', SOURCE_TYPES),
        // A missing type is refused by the switch on it too: the same cause twice.
        requiredValue('spec.metrics[4].type', 'must specify a metric source type'),
        unsupported('spec.metrics[4].type', '', SOURCE_TYPES),
        unsupported('spec.metrics[4].type', '', SOURCE_TYPES),
        forbidden(
          'spec.metrics',
          'must specify at least one Object or External metric to support scaling to zero replicas',
        ),
      ],
    );
    expectInvalid(
      await raw(kc(), 'POST', V1(), {
        body: {
          metadata: { name: 'bad-v1' },
          spec: { scaleTargetRef: target, minReplicas: 3, targetCPUUtilizationPercentage: 0 },
        },
      }),
      'HorizontalPodAutoscaler.autoscaling "bad-v1"',
      [
        requiredValue('spec.maxReplicas', 'must be set and greater than 0'),
        invalid('spec.maxReplicas', '0', 'must be greater than or equal to `minReplicas`'),
        invalid(
          'spec.metrics[0].resource.target.averageUtilization',
          '0',
          'must be greater than 0',
        ),
      ],
    );
  });
});

describe('HorizontalPodAutoscaler behavior', () => {
  const policy = (type: string, value: number, periodSeconds: number) => ({
    type,
    value,
    periodSeconds,
  });

  test('scaling rules: windows, select policy, policies and tolerance, with the real causes', async () => {
    expectInvalid(
      await raw(kc(), 'POST', V2(), {
        body: {
          metadata: { name: 'bad-behavior' },
          spec: {
            scaleTargetRef: target,
            maxReplicas: 5,
            behavior: {
              scaleUp: {
                stabilizationWindowSeconds: -1,
                selectPolicy: 'Most',
                policies: [policy('Nodes', 0, 0), policy('Pods', 2, 1801)],
                tolerance: '-0.5',
              },
              scaleDown: { stabilizationWindowSeconds: 3601, policies: [] },
            },
          },
        },
      }),
      'HorizontalPodAutoscaler.autoscaling "bad-behavior"',
      [
        invalid(
          'spec.behavior.scaleUp.stabilizationWindowSeconds',
          '-1',
          'must be greater than or equal to zero',
        ),
        unsupported('spec.behavior.scaleUp.selectPolicy', 'Most', ['Disabled', 'Max', 'Min']),
        unsupported('spec.behavior.scaleUp.policies[0].type', 'Nodes', ['Percent', 'Pods']),
        invalid('spec.behavior.scaleUp.policies[0].value', '0', 'must be greater than zero'),
        invalid(
          'spec.behavior.scaleUp.policies[0].periodSeconds',
          '0',
          'must be greater than zero',
        ),
        invalid(
          'spec.behavior.scaleUp.policies[1].periodSeconds',
          '1801',
          'must be less than or equal to 1800',
        ),
        invalid('spec.behavior.scaleUp.tolerance', '"-500m"', 'must be greater than or equal to 0'),
        invalid(
          'spec.behavior.scaleDown.stabilizationWindowSeconds',
          '3601',
          'must be less than or equal to 3600',
        ),
        requiredValue('spec.behavior.scaleDown.policies', 'must specify at least one Policy'),
      ],
    );
  });

  test('a valid behavior with a tolerance is stored, and read back at v1 in its annotation', async () => {
    const created = await raw(kc(), 'POST', V2(), {
      body: {
        metadata: { name: 'tolerant' },
        spec: {
          scaleTargetRef: target,
          maxReplicas: 5,
          behavior: {
            scaleUp: { selectPolicy: 'Disabled', policies: [policy('Percent', 50, 1800)] },
            scaleDown: { stabilizationWindowSeconds: 3600, tolerance: '0.05' },
          },
        },
      },
    });
    expect(created.status, created.text).toBe(201);
    expect(created.json().spec.behavior).toEqual({
      scaleUp: {
        stabilizationWindowSeconds: 0,
        selectPolicy: 'Disabled',
        policies: [policy('Percent', 50, 1800)],
      },
      scaleDown: {
        stabilizationWindowSeconds: 3600,
        selectPolicy: 'Max',
        policies: [policy('Percent', 100, 15)],
        tolerance: '50m',
      },
    });
    const v1 = (await raw(kc(), 'GET', `${V1()}/tolerant`)).json();
    const behavior = JSON.parse(
      v1.metadata.annotations['autoscaling.alpha.kubernetes.io/behavior'],
    );
    expect(behavior.ScaleDown.Tolerance).toBe('50m');
    expect(behavior.ScaleUp.Tolerance).toBeNull();
  });

  test('a v1 body with a bad behavior annotation gets the same causes', async () => {
    expectInvalid(
      await raw(kc(), 'POST', V1(), {
        body: {
          metadata: {
            name: 'bad-v1-behavior',
            annotations: {
              'autoscaling.alpha.kubernetes.io/behavior': JSON.stringify({
                ScaleUp: { Policies: [{ Type: 'Pods', Value: -1, PeriodSeconds: 15 }] },
              }),
            },
          },
          spec: { scaleTargetRef: target, maxReplicas: 3 },
        },
      }),
      'HorizontalPodAutoscaler.autoscaling "bad-v1-behavior"',
      [invalid('spec.behavior.scaleUp.policies[0].value', '-1', 'must be greater than zero')],
    );
  });

  test("a ContainerResource metric's resource name is a container resource name", async () => {
    const metric = (name: string) => ({
      type: 'ContainerResource',
      containerResource: {
        name,
        container: 'app',
        target: { type: 'Utilization', averageUtilization: 50 },
      },
    });
    expectInvalid(
      await raw(kc(), 'POST', V2(), {
        body: {
          metadata: { name: 'bad-container-resource' },
          spec: {
            scaleTargetRef: target,
            maxReplicas: 5,
            metrics: [metric('pods'), metric('gpu'), metric('example.com/a/b'), metric('cpu')],
          },
        },
      }),
      'HorizontalPodAutoscaler.autoscaling "bad-container-resource"',
      [
        invalid(
          'spec.metrics[0].containerResource.name',
          '"pods"',
          'must be a standard resource for containers',
        ),
        invalid(
          'spec.metrics[1].containerResource.name',
          '"gpu"',
          'must be a standard resource type or fully qualified',
        ),
        invalid(
          'spec.metrics[1].containerResource.name',
          '"gpu"',
          'must be a standard resource for containers',
        ),
        invalid(
          'spec.metrics[2].containerResource.name',
          '"example.com/a/b"',
          "a valid label key must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
        ),
        invalid(
          'spec.metrics[2].containerResource.name',
          '"example.com/a/b"',
          "doesn't follow extended resource name standard",
        ),
      ],
    );
  });
});

describe('HorizontalPodAutoscaler at v1 as Table and PartialObjectMetadata', () => {
  const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io';
  const PARTIAL = 'application/json;as=PartialObjectMetadata;v=v1;g=meta.k8s.io';
  const PARTIAL_LIST = 'application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io';
  const ROUND_TRIP = [
    'autoscaling.alpha.kubernetes.io/behavior',
    'autoscaling.alpha.kubernetes.io/metrics',
  ];

  beforeAll(async () => {
    const res = await raw(kc(), 'POST', V2(), {
      body: {
        metadata: { name: 'printed', labels: { app: 'printed' }, annotations: { keep: 'me' } },
        spec: {
          scaleTargetRef: target,
          minReplicas: 2,
          maxReplicas: 6,
          metrics: [memory, cpu(60)],
          behavior: { scaleDown: { stabilizationWindowSeconds: 60 } },
        },
      },
    });
    expect(res.status, res.text).toBe(201);
  });

  test('the Table of a v1 list prints the stored object; its rows carry its metadata', async () => {
    const res = await raw(kc(), 'GET', V1(), {
      accept: TABLE,
      query: { labelSelector: 'app=printed' },
    });
    expect(res.status, res.text).toBe(200);
    const table = res.json();
    expect(table.kind).toBe('Table');
    expect(table.apiVersion).toBe('meta.k8s.io/v1');
    expect(table.columnDefinitions.map((c: { name: string }) => c.name)).toEqual([
      'Name',
      'Reference',
      'Targets',
      'MinPods',
      'MaxPods',
      'Replicas',
      'Age',
    ]);
    expect(table.rows).toHaveLength(1);
    const [row] = table.rows;
    expect(row.cells.slice(0, 6)).toEqual([
      'printed',
      'Deployment/web',
      'memory: <unknown>/500Mi, cpu: <unknown>/60%',
      '2',
      6,
      0,
    ]);
    // The row's object is the metadata of the stored (v2) object: no v1 round-trip annotations.
    expect(row.object.kind).toBe('PartialObjectMetadata');
    expect(row.object.apiVersion).toBe('meta.k8s.io/v1');
    expect(row.object.metadata.annotations).toEqual({ keep: 'me' });
  });

  test('includeObject=Object embeds the v1 form, with its round-trip annotations', async () => {
    const res = await raw(kc(), 'GET', `${V1()}/printed`, {
      accept: TABLE,
      query: { includeObject: 'Object' },
    });
    expect(res.status, res.text).toBe(200);
    const object = res.json().rows[0].object;
    expect(object.apiVersion).toBe('autoscaling/v1');
    expect(object.kind).toBe('HorizontalPodAutoscaler');
    expect(object.spec.targetCPUUtilizationPercentage).toBe(60);
    expect(Object.keys(object.metadata.annotations).sort()).toEqual([...ROUND_TRIP, 'keep']);
  });

  test('PartialObjectMetadata of a v1 get, list and watch keeps the stored annotations only', async () => {
    const one = await raw(kc(), 'GET', `${V1()}/printed`, { accept: PARTIAL });
    expect(one.status, one.text).toBe(200);
    expect(one.json().kind).toBe('PartialObjectMetadata');
    expect(one.json().apiVersion).toBe('meta.k8s.io/v1');
    expect(one.json().metadata.annotations).toEqual({ keep: 'me' });

    const list = await raw(kc(), 'GET', V1(), {
      accept: PARTIAL_LIST,
      query: { labelSelector: 'app=printed' },
    });
    expect(list.status, list.text).toBe(200);
    expect(list.json().kind).toBe('PartialObjectMetadataList');
    expect(list.json().items).toHaveLength(1);
    expect(list.json().items[0].metadata.annotations).toEqual({ keep: 'me' });

    const events = await rawWatch(
      kc(),
      V1(),
      { fieldSelector: 'metadata.name=printed-watch' },
      (evs) => evs.length > 0,
      async () => {
        const res = await raw(kc(), 'POST', V2(), {
          body: {
            metadata: { name: 'printed-watch', annotations: { keep: 'me' } },
            spec: { scaleTargetRef: target, maxReplicas: 2, metrics: [memory] },
          },
        });
        expect(res.status, res.text).toBe(201);
      },
      30_000,
      PARTIAL,
    );
    expect(events[0]?.object.kind).toBe('PartialObjectMetadata');
    expect(events[0]?.object.metadata.annotations).toEqual({ keep: 'me' });
  });
});
