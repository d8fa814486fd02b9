import type { StatusCause } from '../errors.js';
import { deepEqual, isObject, type JsonObject } from '../json.js';
import { forbiddenValue, invalidValue } from '../validation.js';
import { configKeyCauses, MAX_DATA_BYTES, normalizeBase64, tooLongCause } from './config-keys.js';
import { IMMUTABLE_OBJECT, type KindRules } from './kind-rules.js';

const entries = (v: unknown) => (isObject(v) ? Object.entries(v) : []);

/**
 * core/v1 ConfigMap: keys of `data` and `binaryData` are config keys and distinct, the
 * values hold at most 1 MiB together (reported on the whole object, field "[]"), and
 * `immutable: true` freezes `data`, `binaryData` and itself.
 */
export const configMapRules: KindRules = {
  defaults(obj) {
    normalizeBase64(obj.binaryData);
  },

  validate(obj) {
    const causes: StatusCause[] = [];
    const binary = isObject(obj.binaryData) ? obj.binaryData : {};
    let size = 0;
    for (const [k, v] of entries(obj.data)) {
      if (typeof v !== 'string') causes.push(invalidValue(`data[${k}]`, v, 'must be a string'));
      causes.push(...configKeyCauses('data', k));
      if (k in binary) {
        causes.push(invalidValue(`data[${k}]`, k, 'duplicate of key present in binaryData'));
      }
      size += Buffer.byteLength(String(v ?? ''), 'utf8');
    }
    for (const [k, v] of entries(binary)) {
      causes.push(...configKeyCauses('binaryData', k));
      size += Buffer.from(String(v ?? ''), 'base64').length;
    }
    if (size > MAX_DATA_BYTES) causes.push(tooLongCause('[]'));
    return causes;
  },

  validateUpdate(next: JsonObject, prev: JsonObject) {
    const causes: StatusCause[] = [];
    if (prev.immutable === true) {
      if (next.immutable !== true) causes.push(forbiddenValue('immutable', IMMUTABLE_OBJECT));
      for (const field of ['data', 'binaryData']) {
        if (!deepEqual(next[field] ?? {}, prev[field] ?? {})) {
          causes.push(forbiddenValue(field, IMMUTABLE_OBJECT));
        }
      }
    }
    return causes;
  },
};
