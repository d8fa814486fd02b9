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
  const ctx = { group: '', create: false, subresource: 'ephemeralcontainers' };
  const debug = { name: 'debug', image: 'busybox' };
  /** A defaulted Pod with these ephemeral containers. */
  const pod = (ephemeralContainers: JsonObject[]): JsonObject => {
    const o: JsonObject = {
      spec: { containers: [{ name: 'app', image: 'nginx' }], ephemeralContainers },
    };
    podRules.defaults?.(o, false);
    return o;
  };

  test('a stored ephemeral container may be neither removed nor changed', () => {
    const prev = pod([debug]);
    expect(
      podRules.validateUpdate?.(pod([debug, { name: 'more', image: 'x' }]), prev, ctx),
    ).toEqual([]);
    expect(podRules.validateUpdate?.(pod([]), prev, ctx)?.map((c) => c.message)).toEqual([
      'Forbidden: existing ephemeral containers "debug" may not be removed\n',
    ]);
    const [cause] = podRules.validateUpdate?.(pod([{ ...debug, image: 'other' }]), prev, ctx) ?? [];
    expect(cause?.message).toMatch(
      /^Forbidden: existing ephemeral containers "debug" may not be changed\n/,
    );
  });

  test("the new Pod's causes come before the update rule's", () => {
    const causes = podRules.validateUpdate?.(pod([{ name: 'Bad', image: 'x' }]), pod([debug]), ctx);
    expect(causes?.map((c) => c.field)).toEqual([
      'spec.ephemeralContainers[0].name',
      'spec.ephemeralContainers',
    ]);
  });
});
