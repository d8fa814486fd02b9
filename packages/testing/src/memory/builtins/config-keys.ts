import type { StatusCause } from '../errors.js';
import { isObject, type Json } from '../json.js';
import { invalidValue, tooLong } from '../validation.js';

const KEY = /^[-._a-zA-Z0-9]+$/;
const KEY_MESSAGE =
  "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";

/** kube-apiserver's `IsConfigMapKey` messages for a ConfigMap or Secret key (empty when valid). */
export function configKeyErrors(key: string): string[] {
  const errs: string[] = [];
  if (key.length > 253) errs.push('must be no more than 253 characters');
  if (!KEY.test(key)) errs.push(KEY_MESSAGE);
  if (key === '.') errs.push("must not be '.'");
  else if (key === '..') errs.push("must not be '..'");
  else if (key.startsWith('..')) errs.push("must not start with '..'");
  return errs;
}

/** kube-apiserver's `IsConfigMapKey` checks of a ConfigMap or Secret key, as causes at `field[key]`. */
export function configKeyCauses(field: string, key: string): StatusCause[] {
  return configKeyErrors(key).map((why) => invalidValue(`${field}[${key}]`, key, why));
}

/** The most bytes the values of a ConfigMap or Secret may hold together (1 MiB). */
export const MAX_DATA_BYTES = 1024 * 1024;

/** The cause kube-apiserver gives when the values exceed {@link MAX_DATA_BYTES}. */
export function tooLongCause(field: string): StatusCause {
  return tooLong(field, MAX_DATA_BYTES);
}

/**
 * Rewrites the base64 values of a `[]byte` map the way kube-apiserver serves them after
 * decoding (padded, without the line breaks its decoder skips).
 */
export function normalizeBase64(map: Json | undefined): void {
  if (!isObject(map)) return;
  for (const [k, v] of Object.entries(map)) {
    if (typeof v === 'string') map[k] = Buffer.from(v, 'base64').toString('base64');
  }
}
