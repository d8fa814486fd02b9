import type { StatusCause } from '../errors.js';
import { isObject, type JsonObject, strings } from '../json.js';
import { metaOf } from '../object-meta.js';
import { invalidValue, qualifiedNameErrors } from '../validation.js';
import type { KindRules } from './kind-rules.js';

/** The finalizer names that need no domain prefix. */
const STANDARD_FINALIZERS = ['kubernetes', 'orphan', 'foregroundDeletion'];

/**
 * `spec.finalizers` as kube-apiserver's `validateFinalizerName` checks them: each a
 * qualified name, and a standard one or one with a `domain/` prefix; a create's causes at
 * `spec.finalizers` (`ValidateNamespace` names no index), the `finalize` subresource's at
 * `spec.finalizers[i]`.
 */
function finalizerCauses(spec: unknown, create: boolean): StatusCause[] {
  const causes: StatusCause[] = [];
  strings(isObject(spec) ? spec.finalizers : undefined).forEach((f, i) => {
    const field = create ? 'spec.finalizers' : `spec.finalizers[${i}]`;
    for (const why of qualifiedNameErrors(f)) causes.push(invalidValue(field, f, why));
    if (!STANDARD_FINALIZERS.includes(f) && !f.includes('/')) {
      causes.push(
        invalidValue(
          field,
          f,
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
      // The strategy's PrepareForCreate: the `kubernetes` finalizer after those given.
      const given = strings(obj.spec.finalizers);
      obj.spec = { finalizers: given.includes('kubernetes') ? given : [...given, 'kubernetes'] };
      obj.status = { phase: 'Active' };
    }
  },
  // kube-apiserver's Canonicalize labels it again once the name is generated.
  prepareCreate: nameLabel,
  validate: (obj, ctx) => finalizerCauses(obj.spec, ctx.create),
};
