/**
 * apps/v1 ControllerRevision: kube-apiserver's checks (own code, for its causes): a
 * `revision` that is not negative, and on create a `data` that is a JSON object (`null`
 * and absent are "mandatory", anything else "must be a valid JSON object"); `data` may not
 * change afterwards.
 */
import type { StatusCause } from '../errors.js';
import { deepEqual, isObject, type JsonObject } from '../json.js';
import { invalidValue, notNegative, required } from '../validation.js';
import { FIELD_IMMUTABLE, type KindRules } from './kind-rules.js';

/** `revision` not negative (create and update). */
const revisionCauses = (obj: JsonObject) => notNegative('revision', obj.revision);

/** apps/v1 ControllerRevision's validation and immutable data. */
export const controllerRevisionRules: KindRules = {
  // kube-apiserver checks an update's revision, then its data: both in validateUpdate.
  validate(obj, ctx) {
    if (!ctx.create) return [];
    const causes = revisionCauses(obj);
    const data = obj.data;
    if (data === undefined || data === null) causes.push(required('data', 'data is mandatory'));
    else if (!isObject(data)) causes.push(required('data', 'data must be a valid JSON object'));
    return causes;
  },
  validateUpdate(next, prev) {
    const causes: StatusCause[] = revisionCauses(next);
    if (!deepEqual(next.data ?? null, prev.data ?? null))
      causes.push(invalidValue('data', next.data ?? null, FIELD_IMMUTABLE));
    return causes;
  },
};
