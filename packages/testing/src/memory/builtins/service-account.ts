import { isObject, type JsonObject } from '../json.js';
import type { KindRules } from './kind-rules.js';

/**
 * core/v1 ServiceAccount: kube-apiserver keeps only the `name` of each `secrets` reference
 * (its strategy clears the rest on create and update); the object has no other checks than
 * its metadata's.
 */
export const serviceAccountRules: KindRules = {
  defaults(obj) {
    if (!Array.isArray(obj.secrets)) return;
    obj.secrets = obj.secrets.map(
      (ref): JsonObject => (isObject(ref) && ref.name !== undefined ? { name: ref.name } : {}),
    );
  },
};
