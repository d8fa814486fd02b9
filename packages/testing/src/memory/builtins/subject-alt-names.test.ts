import { expect, test } from 'vitest';
import { isRfc2821Mailbox, subjectAltNamesError } from './subject-alt-names.js';

const names = (...content: number[]) => Buffer.from([0x30, content.length, ...content]);

test('names of the four forms Go reads are checked; other forms are not read', () => {
  expect(subjectAltNamesError(names(0xa0, 0x01, 0xff, 0x87, 0x04, 10, 0, 0, 1))).toBeUndefined();
  expect(subjectAltNamesError(names(0x87, 0x05, 10, 0, 0, 1, 0))).toBe(
    'x509: cannot parse IP address of length 5',
  );
  expect(subjectAltNamesError(names(0x86, 0x03, 0x61, 0x3a, 0x7c))).toBeUndefined();
  expect(subjectAltNamesError(Buffer.from([0x31, 0x00]))).toBe(
    'x509: invalid subject alternative names',
  );
});

test('RFC 2821 mailboxes: dotted atoms or a quoted local part, then a domain', () => {
  expect(isRfc2821Mailbox('a.b@example.com')).toBe(true);
  expect(isRfc2821Mailbox('a\\@b@example.com')).toBe(true);
  expect(isRfc2821Mailbox('"a\\"b"@example.com')).toBe(true);
  expect(isRfc2821Mailbox('a@')).toBe(true);
  expect(isRfc2821Mailbox('.a@example.com')).toBe(false);
  expect(isRfc2821Mailbox('a@example..com')).toBe(false);
  expect(isRfc2821Mailbox('a@example.com.')).toBe(false);
  expect(isRfc2821Mailbox('"a@example.com')).toBe(false);
});
