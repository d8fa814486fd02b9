import { describe, expect, test } from 'vitest';
import type { JsonObject } from '../json.js';
import { containerCauses } from './pod-containers.js';

const base = { image: 'i', imagePullPolicy: 'Always', terminationMessagePolicy: 'File' };
const pod = {
  volumes: new Set<string>(),
  claims: new Set<string>(),
  hostUsers: true,
  grace: 30,
  restartPolicy: 'Always',
  resourceClaims: new Set(['gpu']),
};
const lines = (spec: JsonObject) =>
  containerCauses(spec, 'spec', pod).map((c) => `${c.field}: ${c.message}`);

describe('containerCauses', () => {
  test('names are unique across containers and init containers; init probes need a sidecar', () => {
    const spec: JsonObject = {
      containers: [
        { ...base, name: 'a', livenessProbe: { exec: { command: ['x'] }, successThreshold: 2 } },
        { ...base, name: 'a' },
      ],
      initContainers: [
        { ...base, name: 'a', readinessProbe: { tcpSocket: { port: 1 } } },
        { ...base, name: 's', restartPolicy: 'Always', startupProbe: {} },
      ],
    };
    expect(lines(spec)).toEqual([
      'spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1',
      'spec.containers[1].name: Duplicate value: "a"',
      'spec.initContainers[0].name: Duplicate value: "a"',
      'spec.initContainers[0].readinessProbe: Forbidden: may not be set for init containers without restartPolicy=Always',
      'spec.initContainers[1].startupProbe: Required value: must specify a handler type',
    ]);
  });

  test('no containers is a required list', () => {
    expect(containerCauses({ containers: [] }, 'spec', pod)).toEqual([
      { reason: 'FieldValueRequired', message: 'Required value', field: 'spec.containers' },
    ]);
  });

  test('lifecycle hooks: one handler each, sleeps within the grace period; not on plain init containers', () => {
    const spec: JsonObject = {
      containers: [
        {
          ...base,
          name: 'a',
          lifecycle: {
            postStart: { exec: { command: ['x'] }, sleep: { seconds: 1 } },
            preStop: { sleep: { seconds: 31 } },
          },
        },
        { ...base, name: 'b', lifecycle: { preStop: { httpGet: { port: 0, scheme: 'FTP' } } } },
      ],
      initContainers: [{ ...base, name: 'i', lifecycle: { preStop: {} } }],
    };
    expect(lines(spec)).toEqual([
      'spec.containers[0].lifecycle.postStart.sleep: Forbidden: may not specify more than 1 handler type',
      'spec.containers[0].lifecycle.preStop.sleep: Invalid value: 31: must be non-negative and less than terminationGracePeriodSeconds (30)',
      'spec.containers[1].lifecycle.preStop.httpGet.port: Invalid value: 0: must be between 1 and 65535, inclusive',
      'spec.containers[1].lifecycle.preStop.httpGet.scheme: Unsupported value: "FTP": supported values: "HTTP", "HTTPS"',
      'spec.initContainers[0].lifecycle: Forbidden: may not be set for init containers without restartPolicy=Always',
    ]);
  });

  test('host ports are unique across containers, and within each init container', () => {
    const port = { containerPort: 80, hostPort: 8080, protocol: 'TCP' };
    const spec: JsonObject = {
      containers: [
        { ...base, name: 'a', ports: [port] },
        { ...base, name: 'b', ports: [port, { ...port, protocol: 'UDP' }] },
      ],
      initContainers: [
        { ...base, name: 'i', ports: [port] },
        { ...base, name: 'j', ports: [port, port] },
      ],
    };
    expect(lines(spec)).toEqual([
      'spec.containers[1].ports[0].hostPort: Duplicate value: "TCP//8080"',
      'spec.initContainers[0].ports[1].hostPort: Duplicate value: "TCP//8080"',
    ]);
  });

  test('ephemeral containers: unique names, a known target, none of the long-running fields', () => {
    const spec: JsonObject = {
      containers: [{ ...base, name: 'a' }],
      ephemeralContainers: [
        {
          ...base,
          name: 'a',
          targetContainerName: 'nope',
          ports: [{ containerPort: 1, protocol: 'TCP' }],
          resources: {},
          volumeMounts: [],
          readinessProbe: { exec: { command: ['x'] } },
        },
      ],
    };
    expect(lines(spec)).toEqual([
      'spec.ephemeralContainers[0].name: Duplicate value: "a"',
      'spec.ephemeralContainers[0].targetContainerName: Not found: "nope"',
      'spec.ephemeralContainers[0].ports: Forbidden: cannot be set for an Ephemeral Container',
      'spec.ephemeralContainers[0].readinessProbe: Forbidden: cannot be set for an Ephemeral Container',
    ]);
  });
});
