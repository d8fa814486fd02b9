import { describe, expect, test } from 'vitest';
import { internalJson, internalSemanticEqual } from './go-internal-json.js';

describe('internalJson', () => {
  test('a pod template as encoding/json writes the internal struct', () => {
    const template = {
      metadata: { labels: { b: '2', a: '1' } },
      spec: {
        hostNetwork: true,
        serviceAccount: 'old',
        containers: [{ name: 'c', image: 'nginx', resources: { limits: { cpu: '1' } } }],
      },
    };
    type Obj = Record<string, unknown>;
    const json = internalJson(template, 'core.PodTemplateSpec') as Obj;
    expect(Object.keys(json)).toEqual(['labels', 'Spec']);
    expect(JSON.stringify(json.labels)).toBe('{"a":"1","b":"2"}');
    const spec = json.Spec as Obj;
    expect(Object.keys(spec).slice(0, 4)).toEqual([
      'Volumes',
      'InitContainers',
      'Containers',
      'EphemeralContainers',
    ]);
    expect(spec.Volumes).toBeNull();
    expect(spec.ServiceAccountName).toBe('old');
    expect(spec.SecurityContext).toMatchObject({
      HostNetwork: true,
      HostPID: false,
      HostUsers: null,
    });
    const container = (spec.Containers as Obj[])[0] as Obj;
    expect(container).toMatchObject({ Name: 'c', Image: 'nginx', Command: null, WorkingDir: '' });
    expect(container.Resources).toEqual({ Limits: { cpu: '1' }, Requests: null, Claims: null });
  });

  test('values that encode themselves keep their JSON, zero ones as Go writes them', () => {
    expect(internalJson({ port: 'http' }, 'core.TCPSocketAction')).toEqual({
      Port: 'http',
      Host: '',
    });
    expect(internalJson({}, 'core.TCPSocketAction')).toEqual({ Port: 0, Host: '' });
  });
});

describe('internalSemanticEqual', () => {
  test('an empty slice or map equals nil; an empty struct does not equal a nil pointer', () => {
    const spec = { containers: [{ name: 'c', image: 'i' }] };
    const empty = { ...spec, nodeSelector: {}, imagePullSecrets: [], hostNetwork: false };
    expect(internalSemanticEqual(empty, spec, 'core.PodSpec')).toBe(true);
    expect(internalSemanticEqual({ ...spec, affinity: {} }, spec, 'core.PodSpec')).toBe(false);
    expect(internalSemanticEqual({ ...spec, nodeSelector: { a: '' } }, spec, 'core.PodSpec')).toBe(
      false,
    );
  });
});
