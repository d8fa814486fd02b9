/**
 * Static Pods: the kubelet runs them from files and writes a mirror Pod for each, marked
 * by an annotation, which kube-apiserver refuses what the kubelet cannot do for them
 * (resource claims, ephemeral containers, resizes).
 */
import { isObject, type Json } from '../json.js';

/** The annotation that marks a mirror Pod (any value, even empty). */
const MIRROR_ANNOTATION = 'kubernetes.io/config.mirror';

/** How Go prints the root path kube-apiserver gives these refusals (`field.NewPath("")`). */
export const ROOT_PATH = '[]';

/** Whether a Pod's metadata marks it as the mirror of a static Pod. */
export function isMirrorPod(meta: Json | undefined): boolean {
  const annotations = isObject(meta) ? meta.annotations : undefined;
  return isObject(annotations) && Object.hasOwn(annotations, MIRROR_ANNOTATION);
}
