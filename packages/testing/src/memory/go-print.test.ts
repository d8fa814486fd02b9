import { expect, test } from 'vitest';
import { goQuoteBytes } from './go-print.js';

test("goQuoteBytes writes bytes as Go's %q does", () => {
  const bytes = Buffer.from([0x61, 0xff, 0xc3, 0xa9, 0x7f, 0x0b, 0xe2, 0x80, 0x8b, 0x22, 0x5c]);
  expect(goQuoteBytes(bytes)).toBe('"a\\xffé\\x7f\\v\\u200b\\"\\\\"');
  expect(goQuoteBytes(Buffer.from([0xed, 0xa0, 0x80]))).toBe('"\\xed\\xa0\\x80"');
});
