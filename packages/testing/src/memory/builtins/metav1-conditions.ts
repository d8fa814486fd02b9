/**
 * `metav1.Condition` lists as apimachinery's `ValidateConditions` checks them (own code, in
 * its order and words): each type a qualified name and used once, the status `True`,
 * `False` or `Unknown`, a non-negative `observedGeneration`, a `lastTransitionTime`, a
 * reason in the condition-reason format of at most 1024 characters, a message of at most
 * 32768.
 */
import type { StatusCause } from '../errors.js';
import { isObject, type Json, num, str } from '../json.js';
import {
  duplicate,
  invalidValue,
  notSupported,
  qualifiedNameErrors,
  required,
  tooLong,
} from '../validation.js';

const STATUSES = ['False', 'True', 'Unknown'];
const MAX_REASON = 1024;
const MAX_MESSAGE = 32 * 1024;
const REASON = /^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$/;
const REASON_ERROR =
  "a condition reason must start with alphabetic character, optionally followed by a string of alphanumeric characters or '_,:', and must end with an alphanumeric character or '_' (e.g. 'my_name',  or 'MY_NAME',  or 'MyName',  or 'ReasonA,ReasonB',  or 'ReasonA:ReasonB', regex used for validation is '[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?')";

/** The causes of a list of `metav1.Condition`s at `at`. */
export function conditionsCauses(conditions: Json | undefined, at: string): StatusCause[] {
  const list = Array.isArray(conditions) ? conditions : [];
  const seen = new Set<string>();
  return list.flatMap((item, i) => {
    const c = isObject(item) ? item : {};
    const cAt = `${at}[${i}]`;
    const type = str(c.type);
    const causes: StatusCause[] = [];
    if (seen.has(type)) causes.push(duplicate(`${cAt}.type`, type));
    else seen.add(type);
    causes.push(...qualifiedNameErrors(type).map((why) => invalidValue(`${cAt}.type`, type, why)));
    const status = str(c.status);
    if (!STATUSES.includes(status)) causes.push(notSupported(`${cAt}.status`, status, STATUSES));
    const generation = num(c.observedGeneration);
    if (generation < 0) {
      causes.push(
        invalidValue(
          `${cAt}.observedGeneration`,
          generation,
          'must be greater than or equal to zero',
        ),
      );
    }
    if (str(c.lastTransitionTime) === '') causes.push(required(`${cAt}.lastTransitionTime`));
    const reason = str(c.reason);
    if (reason === '') causes.push(required(`${cAt}.reason`));
    else {
      if (!REASON.test(reason)) causes.push(invalidValue(`${cAt}.reason`, reason, REASON_ERROR));
      if (reason.length > MAX_REASON) causes.push(tooLong(`${cAt}.reason`, MAX_REASON));
    }
    if (str(c.message).length > MAX_MESSAGE) causes.push(tooLong(`${cAt}.message`, MAX_MESSAGE));
    return causes;
  });
}
