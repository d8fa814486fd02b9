import { describe, expect, it } from 'vitest';
import { parseKeeping } from '../big-integers.js';
import type { JsonObject } from '../json.js';
import { decodeProtobuf } from './decode.js';
import { encodeProtobuf, watchFrame } from './encode.js';
import { parseGoDuration } from './go-duration.js';

// Answers of kube-apiserver v1.36.3 to `Accept: application/vnd.kubernetes.protobuf`.
const bytes = (b64: string) => Buffer.from(b64, 'base64');
/** A ConfigMap with labels, data and managedFields (GET). */
const CONFIG_MAP = bytes(
  'azhzAAoPCgJ2MRIJQ29uZmlnTWFwEoECCu4BCgJjMRIAGhBlMmUtcHJvYmUtMTgzNmExIgAqJDQzN2RhM2E0LWJi' +
    'YmQtNGRmMC04NDNiLTJjYTUyZjBlMzNlMTIDMjAzOABCCAjl2LrYBhAAWgYKAWESATJaBgoBYhIBMYoBiQEKB3Vu' +
    'a25vd24SBlVwZGF0ZRoCdjEiCAjl2LrYBhAAMghGaWVsZHNWMTpcClp7ImY6ZGF0YSI6eyIuIjp7fSwiZjphIjp7' +
    'fSwiZjp6Ijp7fX0sImY6bWV0YWRhdGEiOnsiZjpsYWJlbHMiOnsiLiI6e30sImY6YSI6e30sImY6YiI6e319fX1C' +
    'ABIGCgFhEgEyEgYKAXoSATEaACIA',
);
/** The Status of a GET of a missing ConfigMap. */
const NOT_FOUND = bytes(
  'azhzAAoMCgJ2MRIGU3RhdHVzElUKBgoAEgAaABIHRmFpbHVyZRobY29uZmlnbWFwcyAibm9wZSIgbm90IGZvdW5k' +
    'IghOb3RGb3VuZCoYCgRub3BlEgAaCmNvbmZpZ21hcHMoADIAMJQDGgAiAA==',
);
/** The Status a DELETE of a ConfigMap answers. */
const DELETED = bytes(
  'azhzAAoMCgJ2MRIGU3RhdHVzElMKBgoAEgAaABIHU3VjY2VzcxoAIgAqOgoCYzESABoKY29uZmlnbWFwcygAMiQ0' +
    'MzdkYTNhNC1iYmJkLTRkZjAtODQzYi0yY2E1MmYwZTMzZTEwABoAIgA=',
);
/** The first frame of a watch of ConfigMaps (`;stream=watch`). */
const ADDED_FRAME = bytes(
  'AAAA0woFQURERUQSyQEKxgFrOHMACg8KAnYxEglDb25maWdNYXASqgEKnwEKAmMyEgAaEGUyZS1wcm9iZS0xODM2' +
    'YTEiACokNDk4NmE1NDQtMmE3Zi00ODhkLWI2MmEtNDc1MWRjZGVlNTcwMgMyMjg4AEIICOjYutgGEACKAUsKB3Vu' +
    'a25vd24SBlVwZGF0ZRoCdjEiCAjo2LrYBhAAMghGaWVsZHNWMToeChx7ImY6ZGF0YSI6eyIuIjp7fSwiZjphIjp7' +
    'fX19QgASBgoBYRIBYhoAIgA=',
);

describe('encodeProtobuf', () => {
  it('writes an int64 beyond 2^53 from the literal its holder keeps, negative ones too', () => {
    const body = `{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"activeDeadlineSeconds":9007199254740993,"terminationGracePeriodSeconds":-9223372036854775808}}`;
    const encoded = encodeProtobuf(parseKeeping(body) as JsonObject);
    /** A varint field: its tag, then the 64 bits seven at a time. */
    const varint = (tag: number, n: bigint) => {
      const out = [tag];
      for (let bits = BigInt.asUintN(64, n); ; bits >>= 7n) {
        if (bits < 0x80n) return Buffer.from([...out, Number(bits)]);
        out.push(Number(bits & 0x7fn) | 0x80);
      }
    };
    // PodSpec.terminationGracePeriodSeconds (4) and activeDeadlineSeconds (5).
    expect(encoded.includes(varint(0x20, -9223372036854775808n))).toBe(true);
    expect(encoded.includes(varint(0x28, 9007199254740993n))).toBe(true);
  });

  it('writes what kube-apiserver writes for the object its bytes decode to', () => {
    for (const answer of [CONFIG_MAP, NOT_FOUND, DELETED]) {
      expect(encodeProtobuf(decodeProtobuf(answer)).toString('hex')).toBe(answer.toString('hex'));
    }
  });

  it('writes zero values of non-pointer fields and sorts map entries by key', () => {
    const obj = decodeProtobuf(
      encodeProtobuf({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'c', labels: { b: '1', a: '2' } },
        data: { z: '', a: 'x' },
      }),
    );
    expect(obj).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c', labels: { a: '2', b: '1' } },
      data: { a: 'x', z: '' },
    });
    expect(Object.keys(obj.data as object)).toEqual(['a', 'z']);
  });
});

describe('watchFrame', () => {
  it('frames an event as kube-apiserver does', () => {
    const length = ADDED_FRAME.readUInt32BE(0);
    const event = ADDED_FRAME.subarray(4);
    expect(event.length).toBe(length);
    // The object: the RawExtension's bytes (field 2, then its field 1).
    const objectStart = ADDED_FRAME.indexOf(Buffer.from('k8s\0', 'latin1'));
    const object = decodeProtobuf(ADDED_FRAME.subarray(objectStart));
    expect(watchFrame('ADDED', object).toString('hex')).toBe(ADDED_FRAME.toString('hex'));
  });
});

describe('parseGoDuration', () => {
  it('reads Go durations', () => {
    expect(parseGoDuration('0')).toBe(0);
    expect(parseGoDuration('1h2m3.5s')).toBe(3.6e12 + 2 * 6e10 + 3.5e9);
    expect(parseGoDuration('-150ms')).toBe(-150e6);
    expect(parseGoDuration('1.5')).toBeUndefined();
    expect(parseGoDuration('')).toBeUndefined();
  });
});
