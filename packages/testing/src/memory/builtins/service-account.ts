import { isObject, type JsonObject } from '../json.js';
import type { KindRules } from './kind-rules.js';

const ENFORCE_MOUNTABLE_SECRETS = 'kubernetes.io/enforce-mountable-secrets';

const annotated = (obj: JsonObject | undefined): boolean => {
  const meta = obj && isObject(obj.metadata) ? obj.metadata : {};
  return isObject(meta.annotations) && ENFORCE_MOUNTABLE_SECRETS in meta.annotations;
};

/**
 * core/v1 ServiceAccount: kube-apiserver keeps only the `name` of each `secrets` reference
 * (its strategy clears the rest on create and update), and warns when a write newly sets
 * the deprecated `kubernetes.io/enforce-mountable-secrets` annotation; the object has no
 * other checks than its metadata's.
 */
export const serviceAccountRules: KindRules = {
  defaults(obj) {
    if (!Array.isArray(obj.secrets)) return;
    obj.secrets = obj.secrets.map(
      (ref): JsonObject => (isObject(ref) && ref.name !== undefined ? { name: ref.name } : {}),
    );
  },
  warnings(obj, ctx) {
    if (annotated(ctx.old) || !annotated(obj)) return [];
    return [
      `metadata.annotations[${ENFORCE_MOUNTABLE_SECRETS}]: deprecated in v1.32+; prefer separate namespaces to isolate access to mounted secrets`,
    ];
  },
};
