import { expect, test } from 'vitest';
import { type GoAsn1Type, unmarshal } from './go-asn1.js';

const PAIR: GoAsn1Type = {
  kind: 'struct',
  name: 'pair',
  fields: [{ type: { kind: 'int' } }, { type: { kind: 'oid' }, optional: true }],
};
const fails = (bytes: number[]) => () => unmarshal(Buffer.from(bytes), PAIR);

test('lengths are read as DER demands, with asn1 words', () => {
  expect(fails([0x30, 0x80])).toThrow('asn1: syntax error: indefinite length found (not DER)');
  expect(fails([0x30, 0x81, 0x03, 2, 1, 1])).toThrow('asn1: structure error: non-minimal length');
  expect(fails([0x30, 0x82, 0x00, 0x03])).toThrow(
    'asn1: structure error: superfluous leading zeros in length',
  );
  expect(fails([0x30, 0x05, 2, 1, 1])).toThrow('asn1: syntax error: data truncated');
  expect(fails([0x30])).toThrow('asn1: syntax error: truncated tag or length');
});

test('fields: a missing one, an optional one, the rest after the value', () => {
  expect(fails([0x30, 0x00])).toThrow('asn1: syntax error: sequence truncated');
  expect(unmarshal(Buffer.from([0x30, 0x03, 2, 1, 1, 9]), PAIR)).toEqual(Buffer.from([9]));
  expect(fails([0x30, 0x05, 2, 1, 1, 6, 0])).toThrow(
    'asn1: syntax error: zero length OBJECT IDENTIFIER',
  );
  expect(fails([0x30, 0x03, 4, 1, 1])).toThrow(
    "asn1: structure error: tags don't match (2 vs {class:0 tag:4 length:1 isCompound:false})",
  );
});
