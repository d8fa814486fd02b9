import { stringify } from 'yaml';
import type { CustomResourceDefinition } from './crd-types.js';

/** Renders CRDs as multi-document YAML. */
export function crdsToYaml(crds: readonly CustomResourceDefinition[]): string {
  return crds.map((crd) => stringify(crd, { lineWidth: 0 })).join('---\n');
}
