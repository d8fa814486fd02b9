import { describe, expect, test } from 'vitest';
import { carryBigIntegers, isInt64Literal, keepBigIntegers, keptLiteral } from './big-integers.js';
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
});
