import { describe, expect, test } from 'vitest';
import type { JsonObject } from '../json.js';
import { scanJson } from '../json-scan.js';
import { decodeTyped } from './typed-decode.js';

const SECRET = 'io.k8s.api.core.v1.Secret';
const DEPLOYMENT = 'io.k8s.api.apps.v1.Deployment';
const POD = 'io.k8s.api.core.v1.Pod';

describe('decodeTyped (json: the typed decoder of bodies)', () => {
  test('names the innermost struct and the field path without indices or map keys', () => {
    expect(decodeTyped(DEPLOYMENT, { spec: { replicas: '3' } }, 'json')).toBe(
      'json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32',
    );
    const pod: JsonObject = {
      spec: { containers: [{ name: 'c' }, { ports: [{ containerPort: 80, protocol: 1 }] }] },
    };
    expect(decodeTyped(POD, pod, 'json')).toBe(
      'json: cannot unmarshal number into Go struct field ContainerPort.spec.containers.ports.protocol of type v1.Protocol',
    );
    expect(decodeTyped(POD, { metadata: { annotations: { a: false } } }, 'json')).toBe(
      'json: cannot unmarshal bool into Go struct field ObjectMeta.metadata.annotations of type string',
    );
  });

  test('embedded structs are part of the path and name the struct', () => {
    const pod = { spec: { containers: [{ readinessProbe: { exec: 'x' } }] } };
    expect(decodeTyped(POD, pod, 'json')).toBe(
      'json: cannot unmarshal string into Go struct field ProbeHandler.spec.containers.readinessProbe.ProbeHandler.exec of type v1.ExecAction',
    );
  });

  test('numbers that do not fit are quoted; the first mismatch is kept', () => {
    const obj = { spec: { replicas: 2 ** 31, minReadySeconds: 'x' } };
    expect(decodeTyped(DEPLOYMENT, obj, 'json')).toBe(
      'json: cannot unmarshal number 2147483648 into Go struct field DeploymentSpec.spec.replicas of type int32',
    );
  });

  test('a time, quantity or int-or-string error stops decoding and wins over a mismatch', () => {
    const pod = {
      spec: { priority: 'x', containers: [{ resources: { limits: { cpu: 'lots' } } }] },
    };
    expect(decodeTyped(POD, pod, 'json')).toMatch(/^quantities must match the regular expression/);
    const surge = { spec: { paused: 1, strategy: { rollingUpdate: { maxSurge: [] } } } };
    expect(decodeTyped(DEPLOYMENT, surge, 'json')).toBe(
      'json: cannot unmarshal array into Go struct field RollingUpdateDeployment.spec.strategy.rollingUpdate.maxSurge of type int32',
    );
  });

  test('rewrites times and quantities in their stored form', () => {
    const pod: JsonObject = {
      metadata: { creationTimestamp: '2024-01-02T03:04:05.9+01:00' },
      spec: { containers: [{ resources: { requests: { cpu: 0.25, memory: '2048Mi' } } }] },
    };
    expect(decodeTyped(POD, pod, 'json')).toBeUndefined();
    expect(pod).toEqual({
      metadata: { creationTimestamp: '2024-01-02T02:04:05Z' },
      spec: { containers: [{ resources: { requests: { cpu: '250m', memory: '2Gi' } } }] },
    });
  });

  test('base64 errors are remembered like mismatches; null and unknown fields are skipped', () => {
    const secret = 'io.k8s.api.core.v1.Secret';
    expect(decodeTyped(secret, { data: { a: 'no!' }, type: 1 }, 'json')).toBe(
      'illegal base64 data at input byte 2',
    );
    expect(
      decodeTyped(DEPLOYMENT, { spec: { replicas: null, nope: 'x' } }, 'json'),
    ).toBeUndefined();
  });
});

describe('decodeTyped (unstructured: the converter of strategic patches and apply)', () => {
  test('words errors as runtime.DefaultUnstructuredConverter, without the field', () => {
    const cases: [JsonObject, string][] = [
      [{ spec: { replicas: '3' } }, 'unrecognized type: int32'],
      [{ spec: { replicas: 1.5 } }, 'cannot convert float64 to int32'],
      [{ metadata: { labels: { a: 1 } } }, 'cannot convert int64 to string'],
      [{ metadata: { labels: [] } }, 'cannot restore map from slice'],
      [{ spec: 'x' }, 'cannot restore struct from: string'],
      [{ metadata: { finalizers: {} } }, 'cannot restore slice from map'],
      [{ spec: { strategy: { type: 1 } } }, 'cannot convert int64 to v1.DeploymentStrategyType'],
      [
        { metadata: { creationTimestamp: 5 } },
        'json: cannot unmarshal number into Go value of type string',
      ],
    ];
    for (const [obj, error] of cases)
      expect(decodeTyped(DEPLOYMENT, obj, 'unstructured')).toBe(error);
    // Integers convert to any number type.
    expect(decodeTyped(DEPLOYMENT, { spec: { replicas: 3 } }, 'unstructured')).toBeUndefined();
  });
});

describe('decodeTyped with the scan of the text (what JSON.parse forgets)', () => {
  const decode = (definition: string, text: string) => {
    const obj = JSON.parse(text) as JsonObject;
    return { error: decodeTyped(definition, obj, 'json', scanJson(text)), obj };
  };

  test('an integer written with a fraction or an exponent is refused with its text', () => {
    expect(decode(DEPLOYMENT, '{"spec":{"replicas":1.0}}').error).toBe(
      'json: cannot unmarshal number 1.0 into Go struct field DeploymentSpec.spec.replicas of type int32',
    );
    expect(decode(POD, '{"spec":{"containers":[{"ports":[{"containerPort":8e1}]}]}}').error).toBe(
      'json: cannot unmarshal number 8e1 into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32',
    );
    expect(decode(DEPLOYMENT, '{"metadata":{"generation":2E0}}').error).toBe(
      'json: cannot unmarshal number 2E0 into Go struct field ObjectMeta.metadata.generation of type int64',
    );
    // An int-or-string decodes itself: its error stops decoding.
    expect(
      decode(
        DEPLOYMENT,
        '{"spec":{"strategy":{"rollingUpdate":{"maxSurge":1.0}}},"metadata":{"labels":{"a":1}}}',
      ).error,
    ).toBe(
      'json: cannot unmarshal number 1.0 into Go struct field RollingUpdateDeployment.spec.strategy.rollingUpdate.maxSurge of type int32',
    );
    // So is a byte of a []byte written as a list of numbers; whole bytes pass.
    expect(decode(SECRET, '{"data":{"a":[104,1.0,2]}}').error).toBe(
      'json: cannot unmarshal number 1.0 into Go struct field Secret.data of type uint8',
    );
    const bytes = decode(SECRET, '{"data":{"a":[104,105]},"x":1.5}');
    expect(bytes.error).toBeUndefined();
    expect(bytes.obj.data).toEqual({ a: 'aGk=' });
    // Floats take them; without a scan they are read as JSON.parse reads them.
    expect(decodeTyped(DEPLOYMENT, { spec: { replicas: 1.0 } }, 'json')).toBeUndefined();
  });

  test('a quantity written as a number keeps its text as the parser reads it', () => {
    const { error, obj } = decode(
      POD,
      '{"spec":{"containers":[{"resources":{"requests":{"cpu":1e3,"memory":1.50}}}]}}',
    );
    expect(error).toBeUndefined();
    expect(obj).toEqual({
      spec: { containers: [{ resources: { requests: { cpu: '1e3', memory: '1500m' } } }] },
    });
  });

  test('a map is read in text order, keys that look like integers included', () => {
    expect(decode(POD, '{"metadata":{"labels":{"a":true,"1":2}}}').error).toBe(
      'json: cannot unmarshal bool into Go struct field ObjectMeta.metadata.labels of type string',
    );
    expect(decode(POD, '{"metadata":{"labels":{"1":2,"a":true}}}').error).toBe(
      'json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string',
    );
  });

  test('an integer out of range is remembered like a mismatch, a later time error wins', () => {
    expect(
      decode(DEPLOYMENT, '{"spec":{"replicas":3000000000},"metadata":{"creationTimestamp":"x"}}')
        .error,
    ).toBe('parsing time "x" as "2006-01-02T15:04:05Z07:00": cannot parse "x" as "2006"');
  });
});
