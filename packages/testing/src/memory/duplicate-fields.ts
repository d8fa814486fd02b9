import { goSharpPlain, parseGoYamlDocument } from './go-yaml.js';

/**
 * The duplicate keys of a YAML text as go-yaml's strict decoder words them (`line 9: key
 * "foo" already set in map`), in text order.
 */
export function yamlDuplicateKeys(text: string): string[] {
  const doc = parseGoYamlDocument(text, true);
  const out: string[] = [];
  for (const e of doc.errors) {
    if (e.code !== 'DUPLICATE_KEY') continue;
    const at = e.pos[0];
    const key = /^(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|([^:\n]*?))\s*:/.exec(text.slice(at));
    // go-yaml prints the resolved key (`key true` for `y`), a quoted one as a string.
    const quoted = key?.[1] ?? key?.[2];
    const name = quoted !== undefined ? JSON.stringify(quoted) : goSharpPlain(key?.[3] ?? '');
    const line = text.slice(0, at).split('\n').length;
    out.push(`line ${line}: key ${name} already set in map`);
  }
  return out;
}
