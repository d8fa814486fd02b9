import { describe, expect, test } from 'vitest';
import {
  carryBigIntegers,
  carryLiteral,
  cloneKeeping,
  float64Paths,
  isInt64Literal,
  keepBigIntegers,
  keptLiteral,
  parseKeeping,
  sameBigIntegers,
} from './big-integers.js';
import { goJson } from './go-json.js';
import type { JsonObject } from './json.js';
import { scanJson } from './json-scan.js';

/** A JSON text parsed, with the literals of its integers beyond 2^53 kept. */
function parsed(text: string): JsonObject {
  const obj = JSON.parse(text) as JsonObject;
  keepBigIntegers(obj, scanJson(text).numbers);
  return obj;
}

describe('big integers', () => {
  test('int64 literals', () => {
    expect(isInt64Literal('9223372036854775807')).toBe(true);
    expect(isInt64Literal('-9223372036854775808')).toBe(true);
    expect(isInt64Literal('9223372036854775808')).toBe(false);
    expect(isInt64Literal('1e3')).toBe(false);
    expect(isInt64Literal('1.0')).toBe(false);
  });

  test('written back as the text wrote them, in objects and lists', () => {
    const text =
      '{"spec":{"a":9007199254740993,"b":[1,-9223372036854775808],"c":1.5,"d":12345678901234567}}';
    expect(goJson(parsed(text))).toBe(text);
  });

  test('beyond int64, and once the holder has another value, the value is written', () => {
    const obj = parsed('{"a":9007199254740993,"b":9223372036854775808}');
    expect(goJson(obj)).toBe('{"a":9007199254740993,"b":9223372036854776000}');
    obj.a = 9007199254740994;
    expect(keptLiteral(obj, 'a')).toBeUndefined();
    expect(goJson(obj)).toBe('{"a":9007199254740994,"b":9223372036854776000}');
  });

  test('a spread copy keeps them; a copy made member by member is given them', () => {
    const obj = parsed('{"a":9007199254740993}');
    expect(goJson({ ...obj })).toBe('{"a":9007199254740993}');
    const rebuilt: JsonObject = { a: obj.a! };
    carryBigIntegers(obj, rebuilt);
    expect(goJson(rebuilt)).toBe('{"a":9007199254740993}');
    expect(Object.keys(rebuilt)).toEqual(['a']);
    expect(JSON.stringify(rebuilt)).toBe('{"a":9007199254740992}');
  });

  test('a clone keeps them; a value carried over brings its literal or drops the old one', () => {
    const obj = parsed('{"a":{"b":9007199254740993},"l":[9007199254740995]}');
    expect(goJson(cloneKeeping(obj))).toBe('{"a":{"b":9007199254740993},"l":[9007199254740995]}');
    const from = parsed('{"x":9007199254741001}');
    const to = parsed('{"b":9007199254740999}');
    to.b = from.x!;
    carryLiteral(from, 'x', to, 'b');
    expect(goJson(to)).toBe('{"b":9007199254741001}');
    to.b = 9007199254741000;
    carryLiteral({ x: 9007199254741000 }, 'x', to, 'b');
    expect(goJson(to)).toBe('{"b":9007199254741000}');
  });

  test('a spread copy that takes another literal leaves its original alone', () => {
    const obj = parseKeeping('{"a":9007199254740999}') as JsonObject;
    const copy = { ...obj };
    keepBigIntegers(copy, scanJson('{"a":9007199254741001}').numbers);
    expect(goJson(copy)).toBe('{"a":9007199254741001}');
    expect(goJson(obj)).toBe('{"a":9007199254740999}');
  });

  test('two values JavaScript holds alike differ when their literals do', () => {
    const a = parsed('{"s":{"n":9007199254740999}}');
    const b = parsed('{"s":{"n":9007199254741001}}');
    expect(sameBigIntegers(a, b)).toBe(false);
    expect(sameBigIntegers(a, parsed('{"s":{"n":9007199254740999}}'))).toBe(true);
  });

  test('the whole numbers beyond 2^53 without a literal are float64s', () => {
    const obj = parsed('{"a":9007199254740993,"b":[1e19,1.5,3],"c":{"d":9223372036854775808}}');
    expect([...float64Paths(obj)]).toEqual(['b[0]', 'c.d']);
  });
});
