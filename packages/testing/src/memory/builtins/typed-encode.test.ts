import { describe, expect, it } from 'vitest';
import { encodeTyped } from './typed-encode.js';

describe('encodeTyped', () => {
  it('writes the members a Pod status always has, in Go order', () => {
    const pod = encodeTyped({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      status: {
        initContainerStatuses: [
          { restartCount: 1, name: 'init', state: { terminated: { exitCode: 0 } } },
        ],
        conditions: [{ status: 'False', type: 'PodScheduled', reason: 'Unschedulable' }],
      },
    });
    expect(JSON.stringify(pod.status)).toBe(
      JSON.stringify({
        conditions: [
          {
            type: 'PodScheduled',
            status: 'False',
            lastProbeTime: null,
            lastTransitionTime: null,
            reason: 'Unschedulable',
          },
        ],
        initContainerStatuses: [
          {
            name: 'init',
            state: { terminated: { exitCode: 0, startedAt: null, finishedAt: null } },
            lastState: {},
            ready: false,
            restartCount: 1,
            image: '',
            imageID: '',
          },
        ],
      }),
    );
  });

  it('drops null and the empty values of omitempty fields that are not pointers', () => {
    const d = encodeTyped({
      kind: 'Deployment',
      apiVersion: 'apps/v1',
      metadata: { name: 'd', labels: {}, finalizers: [] },
      spec: { replicas: 0, paused: false, minReadySeconds: 0, selector: null },
      status: { conditions: [{ type: 'Available', status: 'True', reason: '', message: null }] },
    });
    expect(d.metadata).toEqual({ name: 'd' });
    // replicas is a pointer (kept), selector has no omitempty (null), strategy a struct.
    expect(d.spec).toEqual({
      replicas: 0,
      selector: null,
      template: { metadata: {}, spec: { containers: null } },
      strategy: {},
    });
    expect(d.status).toEqual({
      conditions: [
        { type: 'Available', status: 'True', lastUpdateTime: null, lastTransitionTime: null },
      ],
    });
  });

  it('sorts map keys and leaves types that encode themselves and unknown kinds alone', () => {
    const cm = encodeTyped({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c', annotations: { b: '1', a: '2' } },
      data: { z: '1', y: '2' },
    });
    expect(Object.keys(cm.data as object)).toEqual(['y', 'z']);
    expect(Object.keys((cm.metadata as { annotations: object }).annotations)).toEqual(['a', 'b']);
    const custom = { apiVersion: 'example.com/v1', kind: 'Widget', spec: { b: 1, a: null } };
    expect(encodeTyped(custom)).toBe(custom);
  });
});
