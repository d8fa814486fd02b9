import type { StatusCause } from '../errors.js';
import type { JsonObject } from '../json.js';

/**
 * What kube-apiserver's registry strategy for one built-in kind does beyond the generic
 * handling: defaults, validation, and the checks of an update against the stored object.
 */
export interface KindRules {
  /** Writes the kind's defaults into `obj` (create and every update). */
  defaults?(obj: JsonObject): void;
  /** The kind's validation causes (create and update). */
  validate?(obj: JsonObject): StatusCause[];
  /** The causes of an update that the stored object forbids (immutable fields). */
  validateUpdate?(next: JsonObject, prev: JsonObject): StatusCause[];
}

/** The detail kube-apiserver gives for a changed immutable field. */
export const FIELD_IMMUTABLE = 'field is immutable';

/** The detail for a change to an object marked `immutable: true`. */
export const IMMUTABLE_OBJECT = 'field is immutable when `immutable` is set';
