/**
 * The 422 `Invalid` Status kube-apiserver answers a write with bad fields, and builders of
 * its causes, for differential tests that compare the whole answer.
 */
import { expect } from 'vitest';
import type { RawResponse } from './raw-http.js';

/** One cause of an `Invalid` Status. */
export interface Cause {
  reason: string;
  message: string;
  field: string;
}

/** Expects a 422 Invalid naming `what` with exactly these causes (message as Go aggregates it). */
export function expectInvalid(res: RawResponse, what: string, causes: Cause[]): void {
  expect(res.status, res.text).toBe(422);
  const lines = [...new Set(causes.map((c) => `${c.field}: ${c.message}`))];
  const joined = lines.length === 1 ? lines[0] : `[${lines.join(', ')}]`;
  const body = res.json();
  expect(body.reason).toBe('Invalid');
  expect(body.message).toBe(`${what} is invalid: ${joined}`);
  expect(body.details.causes).toEqual(causes);
}

/** A FieldValueInvalid cause; `value` is written as the server quotes it (`"x"`, `5`, `[…]`). */
export const invalid = (field: string, value: string, why: string): Cause => ({
  reason: 'FieldValueInvalid',
  message: `Invalid value: ${value}: ${why}`,
  field,
});

/** A FieldValueNotSupported cause. */
export const unsupported = (field: string, value: string, allowed: string[]): Cause => ({
  reason: 'FieldValueNotSupported',
  message: `Unsupported value: ${JSON.stringify(value)}: supported values: ${allowed.map((a) => JSON.stringify(a)).join(', ')}`,
  field,
});

/** A FieldValueRequired cause. */
export const requiredValue = (field: string, detail = ''): Cause => ({
  reason: 'FieldValueRequired',
  message: `Required value${detail ? `: ${detail}` : ''}`,
  field,
});

/** A FieldValueForbidden cause. */
export const forbidden = (field: string, detail: string): Cause => ({
  reason: 'FieldValueForbidden',
  message: `Forbidden: ${detail}`,
  field,
});

/** A FieldValueDuplicate cause (`Duplicate value: "x"`, `Duplicate value: 30001`). */
export const duplicateValue = (field: string, value: unknown): Cause => ({
  reason: 'FieldValueDuplicate',
  message: `Duplicate value: ${JSON.stringify(value)}`,
  field,
});

/** A FieldValueTooMany cause (`Too many: 101: must have at most 100 items`). */
export const tooMany = (field: string, count: number, max: number): Cause => ({
  reason: 'FieldValueTooMany',
  message: `Too many: ${count}: must have at most ${max} items`,
  field,
});

/** A FieldValueInvalid cause that quotes no value (Go's `field.OmitValueType`). */
export const invalidOmitted = (field: string, why: string): Cause => ({
  reason: 'FieldValueInvalid',
  message: `Invalid value: ${why}`,
  field,
});
