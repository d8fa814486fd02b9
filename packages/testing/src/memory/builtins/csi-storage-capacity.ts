/**
 * storage.k8s.io/v1 CSIStorageCapacity, checked as kube-apiserver checks it (own code, for
 * the causes and their order): a valid `nodeTopology` label selector, a class name that is
 * a DNS subdomain, a capacity not negative (`maximumVolumeSize` is not checked there
 * either); an update may change neither `nodeTopology` (quoted as its JSON) nor
 * `storageClassName`. Deprecated node labels in `nodeTopology` are warned about on every
 * write.
 */
import { dns1123SubdomainErrors, Quantity } from '@kube-ts/schema/validation';
import type { StatusCause } from '../errors.js';
import { deepEqual, isObject, type JsonObject, str } from '../json.js';
import { invalidValue } from '../validation.js';
import { FIELD_IMMUTABLE, type KindRules } from './kind-rules.js';
import { labelSelectorCauses, selectorAsGoJson } from './label-selector.js';
import { nodeSelectorWarnings } from './node-label-warnings.js';

function capacityCauses(obj: JsonObject): StatusCause[] {
  const causes = isObject(obj.nodeTopology)
    ? labelSelectorCauses(obj.nodeTopology, 'nodeTopology')
    : [];
  const className = str(obj.storageClassName);
  for (const why of dns1123SubdomainErrors(className))
    causes.push(invalidValue('storageClassName', className, why));
  const capacity = obj.capacity;
  const q = typeof capacity === 'string' ? Quantity.parse(capacity) : undefined;
  if (q && q.sign() < 0)
    causes.push(invalidValue('capacity', capacity, 'must be greater than or equal to 0'));
  return causes;
}

/** storage.k8s.io/v1 CSIStorageCapacity's validation, immutable fields and warnings. */
export const csiStorageCapacityRules: KindRules = {
  // An update is checked as a create first, then its immutable fields, as there.
  validate: (obj, ctx) => (ctx.create ? capacityCauses(obj) : []),
  validateUpdate(next, prev) {
    const causes = capacityCauses(next);
    const topology = next.nodeTopology;
    if (!deepEqual(topology ?? null, prev.nodeTopology ?? null))
      causes.push(
        invalidValue(
          'nodeTopology',
          isObject(topology) ? selectorAsGoJson(topology) : null,
          FIELD_IMMUTABLE,
        ),
      );
    if (str(next.storageClassName) !== str(prev.storageClassName))
      causes.push(invalidValue('storageClassName', str(next.storageClassName), FIELD_IMMUTABLE));
    return causes;
  },
  warnings: (obj) => nodeSelectorWarnings(obj.nodeTopology, 'nodeTopology'),
};
