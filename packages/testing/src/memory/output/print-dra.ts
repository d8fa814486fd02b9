/**
 * Table cells of the dynamic resource allocation kinds (resource.k8s.io: DeviceClass,
 * ResourceClaim, ResourceClaimTemplate, ResourceSlice), computed as kube-apiserver's printers
 * compute them (v1.36.3).
 */
import type { JsonObject } from '../json.js';
import { metaOf } from '../object-meta.js';
import { arr, type Cells, obj, str } from './print-format.js';

/** A ResourceClaim's State: deleted, then pending or allocated (and reserved), comma-joined. */
function claimState(o: JsonObject): string {
  const status = obj(o.status);
  const deleted = Boolean(metaOf(o).deletionTimestamp);
  const states = deleted ? ['deleted'] : [];
  if (status.allocation === undefined || status.allocation === null) {
    if (!deleted) states.push('pending');
  } else {
    states.push('allocated');
    if (arr(status.reservedFor).length > 0) states.push('reserved');
  }
  return states.join(',');
}

/** The resource.k8s.io kinds' cells, by resource. */
export const draCells: Record<string, Cells> = {
  'deviceclasses.resource.k8s.io': (o, age) => [metaOf(o).name, age],
  'resourceclaims.resource.k8s.io': (o, age) => [metaOf(o).name, claimState(o), age],
  'resourceclaimtemplates.resource.k8s.io': (o, age) => [metaOf(o).name, age],
  'resourceslices.resource.k8s.io': (o, age) => {
    const spec = obj(o.spec);
    return [metaOf(o).name, str(spec.nodeName), str(spec.driver), str(obj(spec.pool).name), age];
  },
};
