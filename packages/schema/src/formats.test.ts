import { describe, expect, it } from 'vitest';
import { isKnownFormat, matchesFormat } from './formats.js';

describe('matchesFormat', () => {
  it.each([
    ['date', '2024-02-29', true],
    ['date', '2023-02-29', false],
    ['date-time', '2024-01-02T03:04:05.123+02:00', true],
    ['date-time', '2024-01-02', false],
    ['byte', 'aGVsbG8=', true],
    ['byte', 'not base64!', false],
    ['ipv4', '10.0.0.1', true],
    ['ipv4', '256.0.0.1', false],
    ['ipv6', '::1', true],
    ['ipv6', 'fe80::1:2:3:4', true],
    ['ipv6', '::ffff:10.0.0.1', true],
    ['ipv6', '1::2::3', false],
    ['cidr', '10.0.0.0/8', true],
    ['cidr', '10.0.0.0/33', false],
    ['hostname', 'a.example.com', true],
    ['hostname', '-bad.example.com', false],
    ['uuid', '123e4567-e89b-12d3-a456-426614174000', true],
    ['uuid4', '123e4567-e89b-12d3-a456-426614174000', false],
    ['email', 'a@b.c', true],
    ['uri', 'https://example.com/x', true],
    ['uri', 'not a uri', false],
    ['duration', '1h30m', true],
    ['duration', 'soon', false],
    ['mac', '00:1a:2b:3c:4d:5e', true],
    ['uuid4', '123e4567-e89b-42d3-a456-426614174000', true],
    ['k8s-short-name', 'my-name', true],
    ['k8s-short-name', 'My-name', false],
    ['k8s-long-name', 'a.b-c.d', true],
    ['k8s-long-name', 'a..b', false],
  ])('%s %j → %s', (format, value, ok) => {
    expect(matchesFormat(format, value)).toBe(ok);
  });

  it('lets unknown formats pass, as the server ignores them', () => {
    expect(matchesFormat('whatever', 'x')).toBe(true);
  });
});

describe('isKnownFormat', () => {
  it.each([
    ['date-time', undefined, true],
    ['datetime', 'string', true],
    ['whatever', 'string', false],
    ['int32', 'integer', true],
    ['int32', 'number', false],
    ['double', 'number', true],
    ['date', 'integer', false],
    ['date', 'boolean', false],
  ])('%s on %s → %s', (format, type, known) => {
    expect(isKnownFormat(format, type)).toBe(known);
  });
});
