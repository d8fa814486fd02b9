/**
 * coordination.k8s.io/v1 Lease: kube-apiserver's checks of the spec (own code, for its
 * causes): a positive `leaseDurationSeconds`, a non-negative `leaseTransitions`. With
 * CoordinatedLeaderElection off (1.36's default) a new Lease's `strategy` and
 * `preferredHolder` are dropped, and an update keeps them only when the stored Lease had
 * them.
 */
import type { StatusCause } from '../errors.js';
import { isObject, type JsonObject } from '../json.js';
import { invalidValue } from '../validation.js';
import type { KindRules } from './kind-rules.js';

const GATED = ['strategy', 'preferredHolder'];

const specOf = (o: JsonObject) => (isObject(o.spec) ? o.spec : undefined);

/** coordination.k8s.io/v1 Lease's validation and feature-gated fields. */
export const leaseRules: KindRules = {
  defaults(obj, create) {
    const spec = specOf(obj);
    if (create && spec) for (const f of GATED) delete spec[f];
  },
  prepareUpdate(next, prev) {
    const spec = specOf(next);
    const stored = specOf(prev) ?? {};
    if (spec) for (const f of GATED) if (stored[f] === undefined) delete spec[f];
  },
  validate(obj) {
    const spec = specOf(obj) ?? {};
    const causes: StatusCause[] = [];
    const { leaseDurationSeconds: duration, leaseTransitions: transitions } = spec;
    if (typeof duration === 'number' && duration <= 0)
      causes.push(invalidValue('spec.leaseDurationSeconds', duration, 'must be greater than 0'));
    if (typeof transitions === 'number' && transitions < 0) {
      causes.push(
        invalidValue('spec.leaseTransitions', transitions, 'must be greater than or equal to 0'),
      );
    }
    return causes;
  },
};
