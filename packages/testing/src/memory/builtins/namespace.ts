import { metaOf } from '../object-meta.js';
import type { KindRules } from './kind-rules.js';

/**
 * core/v1 Namespace: the `kubernetes.io/metadata.name` label always, and at create the
 * `kubernetes` finalizer and phase `Active`.
 */
export const namespaceRules: KindRules = {
  defaults(obj, create) {
    const meta = metaOf(obj);
    meta.labels = {
      ...(typeof meta.labels === 'object' && meta.labels !== null ? meta.labels : {}),
      'kubernetes.io/metadata.name': String(meta.name),
    };
    obj.metadata = meta;
    if (create) {
      obj.spec = { finalizers: ['kubernetes'] };
      obj.status = { phase: 'Active' };
    }
  },
};
