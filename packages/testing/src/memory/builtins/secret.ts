import type { StatusCause } from '../errors.js';
import { deepEqual, isObject } from '../json.js';
import { forbiddenValue, invalidValue, required } from '../validation.js';
import { configKeyCauses, MAX_DATA_BYTES, normalizeBase64, tooLongCause } from './config-keys.js';
import { FIELD_IMMUTABLE, IMMUTABLE_OBJECT, type KindRules } from './kind-rules.js';

/** The keys each well-known Secret type must hold (kube-apiserver's ValidateSecret). */
const REQUIRED_KEYS: Record<string, string[]> = {
  'kubernetes.io/dockercfg': ['.dockercfg'],
  'kubernetes.io/dockerconfigjson': ['.dockerconfigjson'],
  'kubernetes.io/ssh-auth': ['ssh-privatekey'],
  'kubernetes.io/tls': ['tls.crt', 'tls.key'],
};

/**
 * core/v1 Secret: `stringData` is folded into base64 `data` (and never stored), `type`
 * defaults to `Opaque` and cannot change, keys are config keys, the values hold at most
 * 1 MiB together, typed secrets carry their keys, and `immutable: true` freezes `data`
 * and itself.
 */
export const secretRules: KindRules = {
  defaults(obj) {
    if (isObject(obj.stringData)) {
      const data = isObject(obj.data) ? obj.data : {};
      for (const [k, v] of Object.entries(obj.stringData)) {
        data[k] = Buffer.from(String(v), 'utf8').toString('base64');
      }
      obj.data = data;
    }
    delete obj.stringData;
    normalizeBase64(obj.data);
    if (obj.type === undefined || obj.type === '' || obj.type === null) obj.type = 'Opaque';
  },

  validate(obj) {
    const causes: StatusCause[] = [];
    const data = isObject(obj.data) ? obj.data : {};
    let size = 0;
    for (const [k, v] of Object.entries(data)) {
      causes.push(...configKeyCauses('data', k));
      size += Buffer.from(String(v ?? ''), 'base64').length;
    }
    if (size > MAX_DATA_BYTES) causes.push(tooLongCause('data'));
    const type = String(obj.type);
    if (type === 'kubernetes.io/service-account-token') {
      const ann = isObject(obj.metadata) ? obj.metadata.annotations : undefined;
      if (!isObject(ann) || !ann['kubernetes.io/service-account.name']) {
        causes.push(required('metadata.annotations[kubernetes.io/service-account.name]'));
      }
    } else if (type === 'kubernetes.io/basic-auth') {
      if (!('username' in data) && !('password' in data)) {
        causes.push(required('data[username]'), required('data[password]'));
      }
    } else {
      for (const key of REQUIRED_KEYS[type] ?? []) {
        const present = key === 'ssh-privatekey' ? Boolean(data[key]) : key in data;
        if (!present) {
          causes.push(required(`data[${key}]`));
          if (type !== 'kubernetes.io/tls') break;
        }
      }
    }
    return causes;
  },

  validateUpdate(next, prev) {
    const causes: StatusCause[] = [];
    if (next.type !== prev.type) causes.push(invalidValue('type', next.type, FIELD_IMMUTABLE));
    if (prev.immutable === true) {
      if (next.immutable !== true) causes.push(forbiddenValue('immutable', IMMUTABLE_OBJECT));
      if (!deepEqual(next.data ?? {}, prev.data ?? {})) {
        causes.push(forbiddenValue('data', IMMUTABLE_OBJECT));
      }
    }
    return causes;
  },
};
