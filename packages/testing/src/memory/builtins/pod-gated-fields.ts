/**
 * The pod spec fields kube-apiserver v1.36.3 drops because their feature gates are off by
 * default (`DropDisabledPodFields` / `DropDisabledTemplateFields`, own code): a container's
 * `lifecycle.stopSignal` (ContainerStopSignals, alpha; the `lifecycle` goes when nothing
 * else is left in it), and the `clusterTrustBundle` (ClusterTrustBundleProjection, beta
 * off) and `podCertificate` (PodCertificateRequest, beta off) projected sources (the source
 * stays, empty), and `schedulingGroup` (GenericWorkload, off). A stored spec never holds
 * them, so they are dropped on every write.
 */
import { isObject, type JsonObject } from '../json.js';

const CONTAINER_LISTS = ['initContainers', 'containers', 'ephemeralContainers'];
const GATED_PROJECTIONS = ['clusterTrustBundle', 'podCertificate'];

/** Removes from a pod spec the fields whose feature gates are off. */
export function dropGatedPodFields(spec: JsonObject): void {
  delete spec.schedulingGroup;
  for (const key of CONTAINER_LISTS) {
    const cs = Array.isArray(spec[key]) ? spec[key] : [];
    for (const c of cs) {
      if (!isObject(c) || !isObject(c.lifecycle) || !('stopSignal' in c.lifecycle)) continue;
      delete c.lifecycle.stopSignal;
      if (Object.keys(c.lifecycle).length === 0) delete c.lifecycle;
    }
  }
  const volumes = Array.isArray(spec.volumes) ? spec.volumes : [];
  for (const v of volumes) {
    const sources = isObject(v) && isObject(v.projected) ? v.projected.sources : undefined;
    for (const src of Array.isArray(sources) ? sources : []) {
      if (isObject(src)) for (const k of GATED_PROJECTIONS) delete src[k];
    }
  }
}
