import { describe, expect, it } from 'vitest';
import { decodeProtobuf } from './decode.js';
import { encodeProtobuf } from './encode.js';
import { goDuration } from './go-duration.js';

// Encoded by client-go v0.36.3's protobuf serializer (what a clientset sends by default),
// from Go values built in a throwaway program against k8s.io/api v0.36.3.
const bytes = (b64: string) => Buffer.from(b64, 'base64');
/** A Deployment with inlined structs, pointers to zero, IntOrString and a Quantity. */
const DEPLOYMENT = bytes(
  'azhzAAoVCgdhcHBzL3YxEgpEZXBsb3ltZW50EvUBCiEKA3dlYhIAGgJucyIAKgAyADgAQgBaCgoDYXBwEgN3ZWISwQEIABIMCgoKA2FwcBIDd2ViGoQBChwKABIAGgAiACoAMgA4AEIAWgoKA2FwcBIDd2ViEmQKCQoBdhIEEgIKABI5CgFjEgVuZ2lueCoAMgoKABAAGFAiACoAQg8KDQoDY3B1EgYKBDUwMG1qAHIAgAEAiAEAkAEAogEAGgAgADIAQgBKAFIAWABgAGgAggEAigEAmgEAwgEAIiQKDVJvbGxpbmdVcGRhdGUSEwoGCAAQARoAEgkIARAAGgMyNSUoADgAGgwIABAAGAAgACgAOAAaACIA',
);
/** A Secret with bytes and a creation time. */
const SECRET = bytes(
  'azhzAAoMCgJ2MRIGU2VjcmV0Ei8KGQoBcxIAGgAiACoAMgA4AEIICIDiz6oGEAASCgoBaxIFaGVsbG8aBk9wYXF1ZRoAIgA=',
);
/** DeleteOptions named in apps/v1. */
const DELETE_OPTIONS = bytes(
  'azhzAAoYCgdhcHBzL3YxEg1EZWxldGVPcHRpb25zEg4IACIKRm9yZWdyb3VuZBoAIgA=',
);
/** An Event with a MicroTime. */
const EVENT = bytes(
  'azhzAAoLCgJ2MRIFRXZlbnQSSQoRCgFlEgAaACIAKgAyADgAQgASDgoAEgAaACIAKgAyADoAGgAiAW0qBAoAEgAyADoAQABKAFILCIDiz6oGEICU7zpiAHIAegAaACIA',
);

describe('decodeProtobuf', () => {
  it('decodes a Deployment as its JSON: inlined structs, pointers to zero kept, IntOrString, Quantity', () => {
    const obj = decodeProtobuf(DEPLOYMENT);
    expect(obj).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'ns', labels: { app: 'web' } },
      spec: {
        replicas: 0,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            volumes: [{ name: 'v', emptyDir: {} }],
            containers: [
              {
                name: 'c',
                image: 'nginx',
                ports: [{ containerPort: 80 }],
                resources: { limits: { cpu: '500m' } },
              },
            ],
            terminationGracePeriodSeconds: 0,
          },
        },
        strategy: {
          type: 'RollingUpdate',
          rollingUpdate: { maxUnavailable: 1, maxSurge: '25%' },
        },
      },
      status: {},
    });
  });

  it('decodes bytes as base64 and Time as RFC 3339 seconds', () => {
    expect(decodeProtobuf(SECRET)).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's', creationTimestamp: '2023-11-14T22:13:20Z' },
      data: { k: Buffer.from('hello').toString('base64') },
      type: 'Opaque',
    });
  });

  it('finds options kinds in meta/v1 whatever group version names them', () => {
    expect(decodeProtobuf(DELETE_OPTIONS)).toEqual({
      apiVersion: 'apps/v1',
      kind: 'DeleteOptions',
      gracePeriodSeconds: 0,
      propagationPolicy: 'Foreground',
    });
  });

  it('decodes MicroTime with microseconds', () => {
    const ev = decodeProtobuf(EVENT);
    expect(ev.eventTime).toBe('2023-11-14T22:13:20.123456Z');
    expect(ev.message).toBe('m');
  });

  it('re-encodes each object to the same bytes', () => {
    for (const sent of [DEPLOYMENT, SECRET, DELETE_OPTIONS, EVENT]) {
      expect(encodeProtobuf(decodeProtobuf(sent)).toString('hex')).toBe(sent.toString('hex'));
    }
  });

  it('answers 400 for a body without the k8s envelope', () => {
    expect(() => decodeProtobuf(Buffer.from('{}'))).toThrow(/not a protobuf object/);
  });

  it('writes durations as Go does', () => {
    expect(goDuration(0)).toBe('0s');
    expect(goDuration(1.5e9)).toBe('1.5s');
    expect(goDuration(3.6e12 + 2 * 6e10 + 3e9)).toBe('1h2m3s');
    expect(goDuration(150e6)).toBe('150ms');
  });
});
