import { describe, expect, test } from 'vitest';
import { withoutRawBytes } from './raw-bytes.js';

describe('withoutRawBytes', () => {
  test('raw bytes literals become plain ones of the same bytes, the same length where they can', () => {
    expect(withoutRawBytes("br'abc' == x")).toBe(" b'abc' == x");
    expect(withoutRawBytes(String.raw`bR"a\d" == x`)).toBe(String.raw`b"a\\d" == x`);
    expect(withoutRawBytes(String.raw`BR'''a\d\e'''`)).toBe(String.raw`B'''a\\d\\e'''`);
  });

  test('other literals, names and comments are left as they are', () => {
    for (const e of [String.raw`'br\'x' == "br'x"`, "rb'x'", "abr'x'", "x // br'x'"]) {
      expect(withoutRawBytes(e), e).toBe(e);
    }
    // A raw string's backslash escapes nothing: the literal after it is rewritten.
    expect(withoutRawBytes(String.raw`r'\' + br'x'`)).toBe(String.raw`r'\' +  b'x'`);
    // An unterminated literal stops the rewriting there.
    expect(withoutRawBytes("br'x")).toBe("br'x");
  });
});
