import { describe, expect, test } from 'vitest';
import { boundPod } from './binding.js';

describe('boundPod', () => {
  const pod = {
    metadata: { name: 'p', labels: { a: '1', keep: 'y' }, annotations: { x: '1' } },
    spec: { containers: [] },
    status: {
      phase: 'Pending',
      nominatedNodeName: 'n0',
      conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' }],
    },
  };

  test('sets the node, merges labels and annotations and replaces PodScheduled', () => {
    const out = boundPod(pod, 'n1', { y: '2' }, { a: '2' });
    expect(out.spec).toEqual({ containers: [], nodeName: 'n1' });
    expect(out.metadata).toEqual({
      name: 'p',
      labels: { a: '2', keep: 'y' },
      annotations: { x: '1', y: '2' },
    });
    expect(out.status).toEqual({
      phase: 'Pending',
      conditions: [
        {
          type: 'PodScheduled',
          status: 'True',
          lastProbeTime: null,
          lastTransitionTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
        },
      ],
    });
  });

  test('leaves the Pod it was given alone', () => {
    const before = structuredClone(pod);
    boundPod(pod, 'n1');
    expect(pod).toEqual(before);
  });
});
