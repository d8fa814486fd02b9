import type { CustomResourceDefinition } from '@kube-ts/k8s/apiextensions/v1';
import { stringify } from 'yaml';

/** Renders CRDs as multi-document YAML. */
export function crdsToYaml(crds: readonly CustomResourceDefinition[]): string {
  return crds.map((crd) => stringify(crd, { lineWidth: 0 })).join('---\n');
}
