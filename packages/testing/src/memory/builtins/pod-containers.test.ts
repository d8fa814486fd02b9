import { describe, expect, test } from 'vitest';
import { containerCauses } from './pod-containers.js';

const base = { image: 'i', imagePullPolicy: 'Always', terminationMessagePolicy: 'File' };

describe('containerCauses', () => {
  test('names are unique across containers and init containers; init probes need a sidecar', () => {
    const spec = {
      containers: [
        { ...base, name: 'a', livenessProbe: { exec: { command: ['x'] }, successThreshold: 2 } },
        { ...base, name: 'a' },
      ],
      initContainers: [
        { ...base, name: 'a', readinessProbe: { tcpSocket: { port: 1 } } },
        { ...base, name: 's', restartPolicy: 'Always', startupProbe: {} },
      ],
    };
    expect(containerCauses(spec, 'spec', new Set()).map((c) => `${c.field}: ${c.message}`)).toEqual(
      [
        'spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1',
        'spec.containers[1].name: Duplicate value: "a"',
        'spec.initContainers[0].name: Duplicate value: "a"',
        'spec.initContainers[0].readinessProbe: Forbidden: may not be set for init containers without restartPolicy=Always',
        'spec.initContainers[1].startupProbe: Required value: must specify a handler type',
      ],
    );
  });

  test('no containers is a required list', () => {
    expect(containerCauses({ containers: [] }, 'spec', new Set())).toEqual([
      { reason: 'FieldValueRequired', message: 'Required value', field: 'spec.containers' },
    ]);
  });
});
