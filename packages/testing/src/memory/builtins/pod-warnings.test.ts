import { describe, expect, test } from 'vitest';
import type { JsonObject } from '../json.js';
import { fractionalByteWarnings, hostnameWarnings, podSpecWarnings } from './pod-warnings.js';

describe('pod spec warnings', () => {
  test('overlapping paths: the same path, or one a directory of another', () => {
    const spec: JsonObject = {
      volumes: [
        {
          name: 'd',
          downwardAPI: {
            items: [
              { path: 'a/', fieldRef: { fieldPath: 'metadata.name' } },
              { path: 'ab', fieldRef: { fieldPath: 'metadata.name' } },
              { path: 'a/b', fieldRef: { fieldPath: 'metadata.name' } },
            ],
          },
        },
      ],
    };
    expect(podSpecWarnings(spec, {})).toEqual([
      'volume "d" (DownwardAPI): overlapping paths: "a/b" with "a"',
    ]);
  });

  test('ports: overlapping and ambiguous host ports; env values building on the old one', () => {
    const spec: JsonObject = {
      containers: [
        {
          name: 'c',
          env: [
            { name: 'X', value: 'a' },
            { name: 'X', value: '$(X)b' },
          ],
          ports: [
            { containerPort: 80, protocol: 'TCP', hostPort: 8080 },
            { containerPort: 80, protocol: 'TCP' },
            { containerPort: 80, protocol: 'TCP', hostPort: 8080, hostIP: '10.0.0.1' },
          ],
        },
      ],
    };
    expect(podSpecWarnings(spec, {}, 'template')).toEqual([
      'template.spec.containers[0].ports[1]: overlapping port definition with template.spec.containers[0].ports[0]',
      'template.spec.containers[0].ports[2]: dangerously ambiguous port definition with template.spec.containers[0].ports[0]',
      'template.spec.containers[0].ports[2]: overlapping port definition with template.spec.containers[0].ports[1]',
    ]);
  });

  test('fractional bytes and hostnames', () => {
    expect(fractionalByteWarnings('m', '1Gi')).toEqual([]);
    expect(fractionalByteWarnings('m', '500m')).toEqual([
      'm: fractional byte value "500m" is invalid, must be an integer',
    ]);
    expect(hostnameWarnings('ok')).toEqual([]);
    expect(hostnameWarnings('a.b', true)[0]).toContain("the Pod's hostname");
  });
});
