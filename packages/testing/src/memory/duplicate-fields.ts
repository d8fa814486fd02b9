import { parseDocument } from 'yaml';

/** One member key of a JSON text: its field path (`spec.containers[0].name`) and offset. */
export interface KeyOccurrence {
  readonly path: string;
  readonly offset: number;
  /** The key already appeared in the same object. */
  readonly duplicate: boolean;
}

interface Frame {
  readonly path: string;
  readonly array: boolean;
  keys: Set<string>;
  key: string;
  index: number;
  expectKey: boolean;
}

function childPath(parent: Frame | undefined): string {
  if (!parent) return '';
  if (parent.array) return `${parent.path}[${parent.index}]`;
  return parent.path ? `${parent.path}.${parent.key}` : parent.key;
}

/**
 * Every member key of a JSON text in text order, with the paths kube-apiserver's strict
 * decoder names them by. `JSON.parse` keeps only the last of duplicate keys and says
 * nothing, so the text is scanned again here; it must be valid JSON (parse it first).
 */
export function jsonKeys(text: string): KeyOccurrence[] {
  const out: KeyOccurrence[] = [];
  const stack: Frame[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '{' || c === '[') {
      const top = stack[stack.length - 1];
      stack.push({
        path: childPath(top),
        array: c === '[',
        keys: new Set(),
        key: '',
        index: 0,
        expectKey: c === '{',
      });
    } else if (c === '}' || c === ']') {
      stack.pop();
    } else if (c === ',') {
      const top = stack[stack.length - 1];
      if (top?.array) top.index++;
      else if (top) top.expectKey = true;
    } else if (c === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const top = stack[stack.length - 1];
      if (top && !top.array && top.expectKey) {
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        const path = top.path ? `${top.path}.${key}` : key;
        out.push({ path, offset: i, duplicate: top.keys.has(key) });
        top.keys.add(key);
        top.key = key;
        top.expectKey = false;
      }
      i = j;
    }
  }
  return out;
}

/**
 * The duplicate keys of a YAML text as go-yaml's strict decoder words them (`line 9: key
 * "foo" already set in map`), in text order.
 */
export function yamlDuplicateKeys(text: string): string[] {
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
  const out: string[] = [];
  for (const e of doc.errors) {
    if (e.code !== 'DUPLICATE_KEY') continue;
    const at = e.pos[0];
    const key = /^(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|([^:\n]*?))\s*:/.exec(text.slice(at));
    const name = key ? (key[1] ?? key[2] ?? key[3] ?? '') : '';
    const line = text.slice(0, at).split('\n').length;
    out.push(`line ${line}: key ${JSON.stringify(name)} already set in map`);
  }
  return out;
}
