/**
 * The JSON text kube-apiserver makes of an object it patched with a JSON merge patch or a
 * JSON patch (evanphx/json-patch v4): its strict decoder reads this text (so its unknown
 * and duplicate fields are reported in this text's order) and a `Strict` refusal quotes it.
 * Own code because no JSON library keeps json-patch's mix: every object the patch walks
 * into is decoded and written back with its keys sorted (a Go map), everything else keeps
 * the text it had, the object's as the server encoded it and the patch's as sent, duplicate
 * keys included. It is only called once the patch is known to apply.
 */

/**
 * A value as json-patch holds it: its text as written (`raw`) until something decodes it
 * into an object (`doc`) or a list (`ary`); `null` stands for JSON null.
 */
interface Node {
  raw?: string;
  doc?: Map<string, Node | null>;
  ary?: (Node | null)[];
}

const WS = /\s/;

/** The offset just past the JSON value that starts at `i` (after whitespace). */
function skipValue(text: string, i: number): number {
  while (WS.test(text[i] ?? '')) i++;
  const c = text[i];
  if (c === '"') {
    let j = i + 1;
    while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
    return j + 1;
  }
  if (c === '{' || c === '[') {
    let depth = 0;
    for (let j = i; j < text.length; j++) {
      const d = text[j];
      if (d === '"') j = skipValue(text, j) - 1;
      else if (d === '{' || d === '[') depth++;
      else if (d === '}' || d === ']') {
        depth--;
        if (depth === 0) return j + 1;
      }
    }
    return text.length;
  }
  let j = i;
  while (j < text.length && !/[\s,}\]]/.test(text[j]!)) j++;
  return j;
}

/** The members of an object text (`[key, value text]`, in order, duplicates kept), or of a list. */
function members(text: string): { keys?: [string, string][]; items?: string[] } {
  const t = text.trim();
  const out: [string, string][] = [];
  const items: string[] = [];
  const object = t.startsWith('{');
  let i = 1;
  for (;;) {
    while (WS.test(t[i] ?? '') || t[i] === ',') i++;
    if (i >= t.length - 1) break;
    if (object) {
      const keyEnd = skipValue(t, i);
      const key = JSON.parse(t.slice(i, keyEnd)) as string;
      i = keyEnd;
      while (WS.test(t[i] ?? '') || t[i] === ':') i++;
      const end = skipValue(t, i);
      out.push([key, t.slice(i, end)]);
      i = end;
    } else {
      const end = skipValue(t, i);
      items.push(t.slice(i, end));
      i = end;
    }
  }
  return object ? { keys: out } : { items };
}

const node = (text: string): Node | null => (text.trim() === 'null' ? null : { raw: text });

/** json-patch's intoDoc: the node as an object (decoded once, later duplicates winning). */
function intoDoc(n: Node | null): Map<string, Node | null> | undefined {
  if (n?.doc) return n.doc;
  if (n?.raw === undefined || !n.raw.trim().startsWith('{')) return undefined;
  n.doc = new Map((members(n.raw).keys ?? []).map(([k, v]) => [k, node(v)]));
  delete n.raw;
  return n.doc;
}

/** json-patch's intoAry: the node as a list (decoded once). */
function intoAry(n: Node | null): (Node | null)[] | undefined {
  if (n?.ary) return n.ary;
  if (n?.raw === undefined || !n.raw.trim().startsWith('[')) return undefined;
  n.ary = (members(n.raw).items ?? []).map(node);
  delete n.raw;
  return n.ary;
}

/** A text with the whitespace between tokens removed, as Go's encoder compacts raw values. */
function compact(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') {
      const end = skipValue(text, i);
      out += text.slice(i, end);
      i = end - 1;
    } else if (!WS.test(c)) out += c;
  }
  return out;
}

/** Go's json.Marshal of the node: decoded objects with sorted keys, raw text compacted. */
function marshal(n: Node | null): string {
  if (n === null) return 'null';
  if (n.ary) return `[${n.ary.map(marshal).join(',')}]`;
  if (n.doc) {
    const doc = n.doc;
    const keys = [...doc.keys()].sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${marshal(doc.get(k) ?? null)}`).join(',')}}`;
  }
  return compact(n.raw ?? 'null');
}

/** json-patch's pruneNulls: decodes a value all the way down, dropping null members. */
function pruneNulls(n: Node | null): void {
  const doc = intoDoc(n);
  if (doc) {
    for (const [k, v] of doc) {
      if (v === null) doc.delete(k);
      else pruneNulls(v);
    }
    return;
  }
  for (const v of intoAry(n) ?? []) if (v !== null) pruneNulls(v);
}

function mergeDocs(doc: Map<string, Node | null>, patch: Map<string, Node | null>): void {
  for (const [k, v] of patch) {
    if (v === null) {
      doc.delete(k);
      continue;
    }
    const cur = doc.get(k);
    if (cur === undefined || cur === null) {
      pruneNulls(v);
      doc.set(k, v);
      continue;
    }
    const curDoc = intoDoc(cur);
    if (!curDoc) {
      pruneNulls(v);
      doc.set(k, v);
      continue;
    }
    const patchDoc = intoDoc(v);
    if (!patchDoc) doc.set(k, v);
    else mergeDocs(curDoc, patchDoc);
  }
}

/** The text of `docText` patched by the JSON merge patch `patchText`. */
export function mergePatchedText(docText: string, patchText: string): string {
  const doc: Node = { raw: docText };
  const patch: Node = { raw: patchText };
  const docMap = intoDoc(doc);
  const patchMap = intoDoc(patch);
  if (!docMap || !patchMap) return compact(patchText);
  mergeDocs(docMap, patchMap);
  return marshal(doc);
}

/** A JSON pointer's parts, unescaped (`~1` → `/`, `~0` → `~`). */
function pointer(path: string): string[] {
  return path
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** json-patch's findObject: the decoded container of a path's last part. */
function findObject(root: Node, parts: string[]): Node | undefined {
  let cur: Node | null = root;
  for (const part of parts.slice(0, -1)) {
    const doc = intoDoc(cur);
    if (doc) cur = doc.get(part) ?? null;
    else cur = intoAry(cur)?.[Number(part)] ?? null;
  }
  return intoDoc(cur) || intoAry(cur) ? (cur ?? undefined) : undefined;
}

function get(c: Node, key: string): Node | null {
  return (c.doc ? c.doc.get(key) : c.ary?.[Number(key)]) ?? null;
}

function remove(c: Node, key: string): void {
  if (c.doc) c.doc.delete(key);
  else c.ary?.splice(Number(key), 1);
}

function add(c: Node, key: string, value: Node | null): void {
  if (c.doc) c.doc.set(key, value);
  else if (key === '-') c.ary?.push(value);
  else c.ary?.splice(Number(key), 0, value);
}

function set(c: Node, key: string, value: Node | null): void {
  if (c.doc) c.doc.set(key, value);
  else if (c.ary) c.ary[Number(key)] = value;
}

/** json-patch's equality check (`test`) decodes both values all the way down. */
function decodeAll(n: Node | null): void {
  const doc = intoDoc(n);
  if (doc) for (const v of doc.values()) decodeAll(v);
  for (const v of intoAry(n) ?? []) decodeAll(v);
}

/** The text of `docText` patched by the JSON patch `patchText` (which applies). */
export function jsonPatchedText(docText: string, patchText: string): string {
  const root: Node = { raw: docText };
  if (!intoDoc(root)) intoAry(root);
  for (const opText of members(patchText).items ?? []) {
    const op = intoDoc({ raw: opText }) ?? new Map<string, Node | null>();
    const str = (k: string): string => {
      const raw = op.get(k)?.raw;
      return raw === undefined ? '' : String(JSON.parse(raw));
    };
    const value = op.get('value') ?? null;
    const path = pointer(str('path'));
    const key = path[path.length - 1] ?? '';
    const at = findObject(root, path);
    switch (str('op')) {
      case 'add':
        if (at) add(at, key, value);
        break;
      case 'remove':
        if (at) remove(at, key);
        break;
      case 'replace':
        if (at) set(at, key, value);
        break;
      case 'test':
        if (at) decodeAll(get(at, key));
        decodeAll(value);
        break;
      case 'move':
      case 'copy': {
        const fromPath = pointer(str('from'));
        const fromKey = fromPath[fromPath.length - 1] ?? '';
        const from = findObject(root, fromPath);
        if (!from) break;
        const moved = get(from, fromKey);
        if (str('op') === 'move') remove(from, fromKey);
        const to = findObject(root, path);
        if (to) add(to, key, str('op') === 'copy' ? { raw: marshal(moved) } : moved);
        break;
      }
    }
  }
  return marshal(root);
}
