/**
 * A review's metadata as kube-apiserver's create handler leaves it before the review's
 * storage answers: a review is created like any object, so the system fields are wiped,
 * the namespace is the request's, the field manager records an `Update` entry for what the
 * body sets, and the typed round trip drops empty lists and maps. The access reviews then
 * refuse any metadata but that entry (and a LocalSubjectAccessReview's namespace);
 * a TokenReview answers with it.
 */
import { encodeTyped } from '../builtins/typed-encode.js';
import type { StatusCause } from '../errors.js';
import { isObject, type Json, type JsonObject } from '../json.js';
import { recordUpdate } from '../managed-fields.js';
import { wipeSystemFields } from '../object-meta.js';
import type { ApiState } from '../state.js';
import { invalidValue } from '../validation.js';
import { checkNamespace } from '../write-checks.js';
import { ownership, type Scope } from '../write-scope.js';

/** `body` (a review as sent) with its metadata as the create handler leaves it. */
export function trackReview(s: ApiState, sc: Scope, body: Json, manager: string): Json {
  if (!isObject(body)) return body;
  const meta: JsonObject = isObject(body.metadata) ? { ...body.metadata } : {};
  wipeSystemFields(meta);
  checkNamespace(sc, meta);
  // The field manager sees the decoded object: what the round trip drops is nobody's.
  const obj = encodeTyped({ ...body, metadata: meta });
  const typed = isObject(obj.metadata) ? obj.metadata : {};
  const managedFields = recordUpdate(undefined, obj, ownership(s, sc, { defaultManager: manager }));
  delete typed.managedFields;
  if (managedFields.length) typed.managedFields = managedFields;
  obj.metadata = typed;
  return obj;
}

/**
 * The access reviews' metadata check: nothing but the managed fields (and, for a
 * LocalSubjectAccessReview, the namespace), the whole metadata quoted.
 */
export function reviewMetadataCauses(metadata: Json | undefined, local: boolean): StatusCause[] {
  const meta = isObject(metadata) ? metadata : {};
  const set = Object.keys(meta).filter(
    (k) => k !== 'managedFields' && !(local && k === 'namespace'),
  );
  if (set.length === 0) return [];
  const why = local ? 'must be empty except for namespace' : 'must be empty';
  return [invalidValue('metadata', meta, why)];
}
