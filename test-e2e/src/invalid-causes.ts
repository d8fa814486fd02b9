/**
 * The assertion of the differential validation tests: a create is refused with 422
 * `Invalid` and exactly these causes, and the message lists them as Go aggregates them.
 */
import type { KubeConfig } from '@kubernetes/client-node/dist/config.js';
import { expect } from 'vitest';
import { raw } from './raw-http.js';

/** The reason of an invalid value. */
export const INVALID = 'FieldValueInvalid';

/** The reason of a value not among the supported ones. */
export const UNSUPPORTED = 'FieldValueNotSupported';

/** The reason of a missing value. */
export const REQUIRED = 'FieldValueRequired';

/** The reason of a forbidden field. */
export const FORBIDDEN = 'FieldValueForbidden';

/** kube-apiserver's message for the name part of a qualified name (label keys). */
export const NAME_PART =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

/** kube-apiserver's message for a label value. */
export const LABEL_VALUE =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

/** kube-apiserver's message for a lowercase RFC 1123 subdomain. */
export const SUBDOMAIN =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

/** kube-apiserver's message for a lowercase RFC 1123 label. */
export const LABEL =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

/** A cause as [field, reason, message]. */
export type Cause = [string, string, string];

/** Causes in a fixed order, to compare them as a set. */
export const sortCauses = (cs: Cause[]): Cause[] =>
  [...cs].sort((a, b) => a.join('\n').localeCompare(b.join('\n')));

/**
 * Creates `body` at `path` and expects a 422 Invalid with exactly `causes`: in this order,
 * or as a set when `unordered` (kube-apiserver ranges over a Go map there, so the order
 * varies from run to run).
 */
export async function expectCauses(
  kc: KubeConfig,
  path: string,
  body: unknown,
  causes: Cause[],
  unordered = false,
): Promise<void> {
  const res = await raw(kc, 'POST', path, { body });
  expect(res.status, res.text).toBe(422);
  const status = res.json();
  expect(status.reason).toBe('Invalid');
  const got: Cause[] = status.details.causes.map(
    (c: { field: string; reason: string; message: string }) => [c.field, c.reason, c.message],
  );
  if (unordered) expect(sortCauses(got)).toEqual(sortCauses(causes));
  else expect(got).toEqual(causes);
  expect(status.message).toMatch(/ is invalid: /);
  const lines = [...new Set(causes.map(([field, , message]) => `${field}: ${message}`))];
  if (unordered) {
    for (const line of lines) expect(status.message).toContain(line);
    return;
  }
  expect(status.message.endsWith(lines.length === 1 ? lines[0]! : `[${lines.join(', ')}]`)).toBe(
    true,
  );
}
