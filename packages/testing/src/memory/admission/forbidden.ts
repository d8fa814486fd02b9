/**
 * The 403 an admission plugin answers through `admission.NewForbidden`: `<resource>
 * "<name>" is forbidden: <why>`, with the resource, group and name in its details.
 */
import { forbidden, type StatusDetails } from '../errors.js';
import type { ResourceType } from '../resource-types.js';

/** An admission plugin's 403 refusal of the object `name` of resource `t`. */
export function admissionForbidden(t: ResourceType, name: string, why: string): never {
  const what = t.group ? `${t.plural}.${t.group}` : t.plural;
  const details: StatusDetails = { name, kind: t.plural };
  if (t.group) details.group = t.group;
  throw forbidden(`${what} "${name}" is forbidden: ${why}`, details);
}
