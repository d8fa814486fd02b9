import { stringify } from 'yaml';
import type { Representation } from './negotiate.js';

/**
 * A response body in the negotiated encoding, from its JSON text. YAML is written as
 * kube-apiserver's encoder writes it (sigs.k8s.io/yaml over the JSON): keys sorted,
 * sequences not indented under their key.
 */
export function encodeBody(rep: Representation, json: string): string {
  if (rep.format === 'json') return json;
  return stringify(JSON.parse(json), { sortMapEntries: true, indentSeq: false });
}
