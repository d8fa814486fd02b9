import { describe, expect, test } from 'vitest';
import { goJson } from './go-json.js';
import { goPlainScalar, parseGoYaml } from './go-yaml.js';

describe('goPlainScalar (go-yaml v2 resolve)', () => {
  test('YAML 1.1 booleans and nulls', () => {
    for (const t of ['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON', 'true', 'True', 'TRUE']) {
      expect(goPlainScalar(t), t).toBe(true);
    }
    for (const f of ['n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF', 'false', 'False', 'FALSE']) {
      expect(goPlainScalar(f), f).toBe(false);
    }
    for (const n of ['', '~', 'null', 'Null', 'NULL']) expect(goPlainScalar(n), n).toBeNull();
    for (const s of ['yEs', 'oN', 'nULL', 'tRUE', 'none']) expect(goPlainScalar(s), s).toBe(s);
  });

  test('integers in Go syntax: hex, octal with 0 or 0o, binary, underscores, signs', () => {
    const cases: [string, number][] = [
      ['0x1F', 31],
      ['0X1f', 31],
      ['-0x1F', -31],
      ['0755', 493],
      ['0o17', 15],
      ['0O17', 15],
      ['0b101', 5],
      ['-0b101', -5],
      ['1_000', 1000],
      ['+12', 12],
      ['0', 0],
      ['-0', 0],
    ];
    for (const [text, value] of cases) expect(goPlainScalar(text), text).toBe(value);
  });

  test('floats: go-yaml syntax, and 08 as a float', () => {
    const cases: [string, number][] = [
      ['1.5', 1.5],
      ['1e3', 1000],
      ['.5', 0.5],
      ['+.5', 0.5],
      ['1.', 1],
      ['08', 8],
      ['1_0.5', 10.5],
      ['18446744073709551616', 2 ** 64],
    ];
    for (const [text, value] of cases) expect(goPlainScalar(text), text).toBe(value);
    expect(goPlainScalar('.inf')).toBe(Number.POSITIVE_INFINITY);
    expect(goPlainScalar('-.Inf')).toBe(Number.NEGATIVE_INFINITY);
    expect(goPlainScalar('.NaN')).toBeNaN();
  });

  test('strings: timestamps, sexagesimal, hex out of range and the rest', () => {
    for (const s of [
      '2001-12-14',
      '2001-12-14T21:59:43Z',
      '1:30',
      '0x10000000000000000',
      '0x',
      '1e',
      '.',
      '_1',
      'abc',
      '1.2.3',
      '+',
      '0b2',
    ]) {
      expect(goPlainScalar(s), s).toBe(s);
    }
  });
});

describe('parseGoYaml', () => {
  test('plain scalars resolve as go-yaml does, quoted and block scalars stay strings', () => {
    const doc = 'a: y\nb: "y"\nc: off\nd: 0755\ne: 0o17\nf: |\n  yes\ng: [on, "on", 1:30]\nh: ~\n';
    expect(parseGoYaml(doc)).toEqual({
      a: true,
      b: 'y',
      c: false,
      d: 493,
      e: 15,
      f: 'yes\n',
      g: [true, 'on', '1:30'],
      h: null,
    });
  });

  test('keys resolve too (y is the key "true"); merge keys', () => {
    expect(parseGoYaml('y: 1\n0x1F: 2\n')).toEqual({ true: 1, 31: 2 });
    expect(parseGoYaml('base: &b {a: 1}\nm:\n  <<: *b\n  c: 2\n')).toEqual({
      base: { a: 1 },
      m: { a: 1, c: 2 },
    });
  });
});

describe('parseGoYaml: float map keys', () => {
  test("named as sigs.k8s.io/yaml names them: FormatFloat(key, 'g', -1, 32)", () => {
    const text = [
      '1e20: a',
      '0.1: b',
      '1.0: c',
      '3.14159265358979: d',
      '-1.5e-7: e',
      '1e39: f',
      '7: g',
    ];
    expect(parseGoYaml(text.join('\n'))).toEqual({
      '1e+20': 'a',
      '0.1': 'b',
      '1': 'c',
      '3.1415927': 'd',
      '-1.5e-07': 'e',
      '.inf': 'f',
      '7': 'g',
    });
  });
});

describe('parseGoYaml: integers beyond 2^53', () => {
  test('kept as int64s, as go-yaml reads them; beyond int64 rounded', () => {
    const text = 'a: 9007199254740993\nb: [-9223372036854775808, 0x20000000000001]\nc: 1e20\n';
    expect(goJson(parseGoYaml(text))).toBe(
      '{"a":9007199254740993,"b":[-9223372036854775808,9007199254740993],"c":100000000000000000000}',
    );
  });
});
