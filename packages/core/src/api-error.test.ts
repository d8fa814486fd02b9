import { describe, expect, it } from 'vitest';
import {
  ApiError,
  isAlreadyExists,
  isConflict,
  isForbidden,
  isGone,
  isInvalid,
  isNotFound,
  isServerTimeout,
  isTooManyRequests,
  isUnauthorized,
} from './api-error.js';
import { isStatus, type Status } from './status.js';

const status = (code: number, reason: string): Status => ({
  kind: 'Status',
  apiVersion: 'v1',
  status: 'Failure',
  message: `configmaps "a" ${reason}`,
  reason,
  code,
  details: { name: 'a', kind: 'configmaps' },
});

describe('ApiError', () => {
  it('carries code, reason, status, details and a message with the code', () => {
    const s = status(404, 'NotFound');
    const err = ApiError.fromStatus(s);
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('ApiError');
    expect(err.code).toBe(404);
    expect(err.reason).toBe('NotFound');
    expect(err.status).toBe(s);
    expect(err.details).toEqual({ name: 'a', kind: 'configmaps' });
    expect(err.message).toBe('configmaps "a" NotFound (404 NotFound)');
  });

  const checks = {
    isNotFound,
    isAlreadyExists,
    isConflict,
    isInvalid,
    isGone,
    isForbidden,
    isUnauthorized,
    isTooManyRequests,
    isServerTimeout,
  } as const;

  it.each([
    [404, 'NotFound', 'isNotFound'],
    [409, 'Conflict', 'isConflict'],
    [409, 'AlreadyExists', 'isAlreadyExists'],
    [410, 'Expired', 'isGone'],
    [401, 'Unauthorized', 'isUnauthorized'],
    [403, 'Forbidden', 'isForbidden'],
    [422, 'Invalid', 'isInvalid'],
    [429, 'TooManyRequests', 'isTooManyRequests'],
    [500, 'ServerTimeout', 'isServerTimeout'],
    [504, 'Timeout', 'isServerTimeout'],
  ] as const)('%i %s → %s() only, as a method and as a function', (code, reason, which) => {
    const err = ApiError.fromStatus(status(code, reason));
    for (const [name, check] of Object.entries(checks)) {
      expect(check(err), name).toBe(name === which);
      expect(err[name as keyof typeof checks](), name).toBe(name === which);
    }
  });

  it('the functions are false for anything that is not an ApiError', () => {
    for (const [name, check] of Object.entries(checks)) {
      for (const value of [undefined, null, new Error('404'), { code: 404 }, 'NotFound']) {
        expect(check(value), name).toBe(false);
      }
    }
  });

  it('the functions work on a look-alike from another copy of the package', () => {
    const foreign = Object.assign(new Error('x'), {
      name: 'ApiError',
      code: 409,
      reason: 'AlreadyExists',
      status: { kind: 'Status' },
    });
    expect(isAlreadyExists(foreign)).toBe(true);
    expect(isConflict(foreign)).toBe(false);
  });

  it('retryAfterMs comes from the header delay, else details.retryAfterSeconds', () => {
    const s: Status = { kind: 'Status', code: 429, details: { retryAfterSeconds: 3 } };
    expect(new ApiError(s).retryAfterMs).toBe(3000);
    expect(new ApiError(s, { retryAfterMs: 1500 }).retryAfterMs).toBe(1500);
    expect(new ApiError({ kind: 'Status', code: 429 }).retryAfterMs).toBeUndefined();
  });

  it('treats reason Expired as gone even with another code (watch ERROR events)', () => {
    expect(ApiError.fromStatus({ kind: 'Status', code: 500, reason: 'Expired' }).isGone()).toBe(
      true,
    );
  });

  it('defaults the code to 500 and still has a message', () => {
    const err = new ApiError({ kind: 'Status' });
    expect(err.code).toBe(500);
    expect(err.message).toMatch(/500/);
  });

  it('is() recognises ApiErrors, also look-alikes from another copy, and nothing else', () => {
    expect(ApiError.is(ApiError.fromStatus(status(404, 'NotFound')))).toBe(true);
    const foreign = Object.assign(new Error('x'), {
      name: 'ApiError',
      code: 404,
      status: { kind: 'Status' },
    });
    expect(ApiError.is(foreign)).toBe(true);
    expect(ApiError.is(new Error('x'))).toBe(false);
    expect(ApiError.is({ code: 404 })).toBe(false);
    expect(ApiError.is(undefined)).toBe(false);
  });

  it('isStatus() checks kind', () => {
    expect(isStatus({ kind: 'Status' })).toBe(true);
    expect(isStatus({ kind: 'Pod' })).toBe(false);
    expect(isStatus(null)).toBe(false);
    expect(isStatus('Status')).toBe(false);
  });
});
