/**
 * storage.k8s.io/v1 VolumeAttributesClass, checked as kube-apiserver checks it (own code,
 * for the causes and their order): a driver name that is a qualified name (in lower case)
 * and at least one parameter, as a StorageClass's parameters; an update may change neither
 * `driverName` nor `parameters` (those causes come first, then the checks of a new class).
 */
import { deepEqual, type JsonObject } from '../json.js';
import { forbiddenValue } from '../validation.js';
import type { KindRules } from './kind-rules.js';
import { parameterCauses, provisionerCauses } from './storage-class.js';

const classCauses = (obj: JsonObject) => [
  ...provisionerCauses(obj.driverName, 'driverName'),
  ...parameterCauses(obj.parameters, 'parameters', false),
];

/** storage.k8s.io/v1 VolumeAttributesClass's validation and immutable fields. */
export const volumeAttributesClassRules: KindRules = {
  validate: (obj, ctx) => (ctx.create ? classCauses(obj) : []),
  validateUpdate(next, prev) {
    const causes = [];
    if ((next.driverName ?? '') !== (prev.driverName ?? ''))
      causes.push(forbiddenValue('driverName', 'updates to driverName are forbidden.'));
    if (!deepEqual(next.parameters ?? null, prev.parameters ?? null))
      causes.push(forbiddenValue('parameters', 'updates to parameters are forbidden.'));
    return [...causes, ...classCauses(next)];
  },
};
