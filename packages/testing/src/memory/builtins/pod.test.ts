import { describe, expect, test } from 'vitest';
import type { JsonObject } from '../json.js';
import { podRules } from './pod.js';
import { POD_UPDATE_FORBIDDEN } from './pod-update.js';

const ctx = { group: '', create: false };
const pod = (spec: JsonObject = {}): JsonObject => ({
  metadata: { name: 'p' },
  spec: { containers: [{ name: 'app', image: 'nginx:1' }], ...spec },
});

describe('podRules', () => {
  test('defaults: spec and container defaults, a Pending status, its QoS after admission (no priority or tolerations: admission sets them)', () => {
    const p = pod({
      containers: [
        { name: 'app', image: 'nginx:1', resources: { limits: { cpu: '1', memory: '1Gi' } } },
      ],
    });
    podRules.defaults!(p, true);
    const spec = p.spec as JsonObject;
    expect(spec).toMatchObject({
      restartPolicy: 'Always',
      dnsPolicy: 'ClusterFirst',
      enableServiceLinks: true,
    });
    expect(spec.priority).toBeUndefined();
    expect((spec.containers as JsonObject[])[0]).toMatchObject({
      imagePullPolicy: 'IfNotPresent',
      resources: { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '1', memory: '1Gi' } },
    });
    expect(spec.tolerations).toBeUndefined();
    expect(p.status).toEqual({ phase: 'Pending' });
    podRules.prepareCreate!(p, { username: 'admin', groups: [] }, []);
    expect(p.status).toEqual({ phase: 'Pending', qosClass: 'Guaranteed' });
  });

  test('validate on update: images and added tolerations may change, nothing else', () => {
    const prev = pod();
    podRules.defaults!(prev, true);
    const update = { ...ctx, create: false, old: prev };
    const image = structuredClone(prev);
    ((image.spec as JsonObject).containers as JsonObject[])[0]!.image = 'nginx:2';
    expect(podRules.validate!(image, update)).toEqual([]);
    const restart = structuredClone(prev);
    (restart.spec as JsonObject).restartPolicy = 'Never';
    const causes = podRules.validate!(restart, update);
    expect(causes).toHaveLength(1);
    expect(causes[0]!.field).toBe('spec');
    expect(String(causes[0]!.message).startsWith(`Forbidden: ${POD_UPDATE_FORBIDDEN}\n`)).toBe(
      true,
    );
  });

  test('validate: restartPolicy values', () => {
    // The server validates what its defaults filled (pull and termination message policies).
    const p = pod({ restartPolicy: 'Sometimes' });
    podRules.defaults!(p, true);
    expect(podRules.validate!(p, ctx)).toEqual([
      {
        reason: 'FieldValueNotSupported',
        message: 'Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
        field: 'spec.restartPolicy',
      },
    ]);
  });
});

describe('podRules through ephemeralcontainers', () => {
  test('a stored ephemeral container may be neither removed nor changed', () => {
    const ctx = { group: '', create: false, subresource: 'ephemeralcontainers' };
    const debug = { name: 'debug', image: 'busybox' };
    const prev: JsonObject = { spec: { containers: [], ephemeralContainers: [debug] } };
    const added: JsonObject = {
      spec: { containers: [], ephemeralContainers: [debug, { name: 'more', image: 'x' }] },
    };
    expect(podRules.validateUpdate?.(added, prev, ctx)).toEqual([]);
    const removed: JsonObject = { spec: { containers: [], ephemeralContainers: [] } };
    expect(podRules.validateUpdate?.(removed, prev, ctx)?.map((c) => c.message)).toEqual([
      'Forbidden: existing ephemeral containers "debug" may not be removed\n',
    ]);
    const changed: JsonObject = {
      spec: { containers: [], ephemeralContainers: [{ ...debug, image: 'other' }] },
    };
    const [cause] = podRules.validateUpdate?.(changed, prev, ctx) ?? [];
    expect(cause?.message).toMatch(
      /^Forbidden: existing ephemeral containers "debug" may not be changed\n/,
    );
  });
});
