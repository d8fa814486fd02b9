import type { StatusCause } from '../errors.js';
import { isObject, type JsonObject } from '../json.js';
import { metaOf } from '../object-meta.js';
import { invalidValue, qualifiedNameErrors } from '../validation.js';
import type { KindRules } from './kind-rules.js';

/** The finalizer names that need no domain prefix. */
const STANDARD_FINALIZERS = ['kubernetes', 'orphan', 'foregroundDeletion'];

/**
 * `spec.finalizers` as kube-apiserver's `validateFinalizerName` checks them: each a
 * qualified name, and a standard one or one with a `domain/` prefix.
 */
function finalizerCauses(spec: unknown): StatusCause[] {
  const list = isObject(spec) && Array.isArray(spec.finalizers) ? spec.finalizers : [];
  const causes: StatusCause[] = [];
  list.forEach((f, i) => {
    const field = `spec.finalizers[${i}]`;
    const name = String(f);
    for (const why of qualifiedNameErrors(name)) causes.push(invalidValue(field, name, why));
    if (!STANDARD_FINALIZERS.includes(name) && !name.includes('/')) {
      causes.push(
        invalidValue(
          field,
          name,
          'name is neither a standard finalizer name nor is it fully qualified',
        ),
      );
    }
  });
  return causes;
}

/** The `kubernetes.io/metadata.name` label: the namespace's name. */
function nameLabel(obj: JsonObject): void {
  const meta = metaOf(obj);
  meta.labels = {
    ...(isObject(meta.labels) ? meta.labels : {}),
    'kubernetes.io/metadata.name': String(meta.name),
  };
  obj.metadata = meta;
}

/**
 * core/v1 Namespace: the `kubernetes.io/metadata.name` label always, at create the
 * `kubernetes` finalizer and phase `Active`, and valid `spec.finalizers` (which only the
 * `finalize` subresource changes).
 */
export const namespaceRules: KindRules = {
  defaults(obj, create) {
    // A namespace created by generateName has no name yet: prepareCreate labels it.
    if (metaOf(obj).name) nameLabel(obj);
    if (!isObject(obj.spec)) obj.spec = {};
    if (create) {
      obj.spec = { finalizers: ['kubernetes'] };
      obj.status = { phase: 'Active' };
    }
  },
  // kube-apiserver's Canonicalize labels it again once the name is generated.
  prepareCreate: nameLabel,
  validate: (obj) => finalizerCauses(obj.spec),
};
