// JSON Patch (RFC 6902) application, written here rather than taken from fast-json-patch or
// rfc6902 on purpose: kube-apiserver applies JSON patches with Go's evanphx/json-patch and
// answers failures with that library's exact texts as the Status cause ("add operation
// does not apply: doc is missing path: …", "testing value … failed: test failed",
// "Unexpected kind: …", "json: cannot unmarshal … jsonpatch.Patch"), with 422 vs 400 by
// failure kind. Those libraries report only coarse error codes (e.g. one
// OPERATION_PATH_UNRESOLVABLE for several of these cases), so the server's answers could
// not be reproduced from them. (The e2e suite checks a failed `test` op on both backends;
// the other messages are not yet compared with the real server's.)
import { carryLiteral } from './big-integers.js';
import { badRequest, HttpStatusError } from './errors.js';
import { deepEqual, isObject, type Json, type JsonObject } from './json.js';

/** A JSON Patch failure: 422 with the cause as the real server reports it. */
function patchFailed(message: string): HttpStatusError {
  return new HttpStatusError(
    422,
    'Invalid',
    'the server rejected our request due to an error in our request',
    {},
    { cause: message },
  );
}

function parsePointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw patchFailed(`invalid JSON pointer "${path}"`);
  return path
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function get(doc: Json, tokens: string[]): Json | undefined {
  let cur: Json | undefined = doc;
  for (const t of tokens) {
    if (Array.isArray(cur)) {
      if (!/^(0|[1-9]\d*)$/.test(t)) return undefined;
      cur = cur[Number(t)];
    } else if (isObject(cur)) {
      cur = Object.hasOwn(cur, t) ? cur[t] : undefined;
    } else return undefined;
  }
  return cur;
}

/** Parent container of the pointer target (copied on the path, so the input stays intact). */
function parentOf(root: { doc: Json }, tokens: string[], path: string, op: string): Json {
  let cur: Json = root.doc;
  const rebuild = (c: Json): Json => (Array.isArray(c) ? [...c] : isObject(c) ? { ...c } : c);
  root.doc = rebuild(root.doc);
  cur = root.doc;
  for (const t of tokens.slice(0, -1)) {
    let next: Json | undefined;
    if (Array.isArray(cur)) {
      const i = Number(t);
      if (!/^(0|[1-9]\d*)$/.test(t) || i >= cur.length) {
        throw patchFailed(
          `${op} operation does not apply: doc is missing path: "${path}": missing value`,
        );
      }
      next = rebuild(cur[i]!);
      cur[i] = next;
    } else if (isObject(cur) && Object.hasOwn(cur, t)) {
      next = rebuild(cur[t]!);
      cur[t] = next;
    } else {
      throw patchFailed(
        `${op} operation does not apply: doc is missing path: "${path}": missing value`,
      );
    }
    cur = next;
  }
  return cur;
}

/** Adds `value` at `path`; `from`, the operation, gives it the literal it keeps (big-integers.ts). */
function add(root: { doc: Json }, path: string, value: Json, op = 'add', from?: JsonObject): void {
  const tokens = parsePointer(path);
  if (tokens.length === 0) {
    root.doc = value;
    return;
  }
  const parent = parentOf(root, tokens, path, op);
  const last = tokens[tokens.length - 1]!;
  if (Array.isArray(parent)) {
    const i = last === '-' ? parent.length : Number(last);
    if (!/^(0|[1-9]\d*|-)$/.test(last) || i > parent.length) {
      throw patchFailed(
        `${op} operation does not apply: doc is missing path: "${path}": missing value`,
      );
    }
    parent.splice(i, 0, value);
    if (from) carryLiteral(from, 'value', parent, String(i));
  } else if (isObject(parent)) {
    parent[last] = value;
    if (from) carryLiteral(from, 'value', parent, last);
  } else
    throw patchFailed(
      `${op} operation does not apply: doc is missing path: "${path}": missing value`,
    );
}

function remove(root: { doc: Json }, path: string, op = 'remove'): Json {
  const tokens = parsePointer(path);
  if (tokens.length === 0)
    throw patchFailed(`${op} operation does not apply: cannot remove the root`);
  const parent = parentOf(root, tokens, path, op);
  const last = tokens[tokens.length - 1]!;
  if (Array.isArray(parent)) {
    const i = Number(last);
    if (!/^(0|[1-9]\d*)$/.test(last) || i >= parent.length) {
      throw patchFailed(
        `${op} operation does not apply: doc is missing path: "${path}": missing value`,
      );
    }
    return parent.splice(i, 1)[0]!;
  }
  if (isObject(parent) && Object.hasOwn(parent, last)) {
    const v = parent[last]!;
    delete parent[last];
    return v;
  }
  throw patchFailed(
    `${op} operation does not apply: doc is missing path: "${path}": missing value`,
  );
}

/**
 * Applies an RFC 6902 JSON Patch (add, remove, replace, move, copy, test). A malformed
 * patch is a 400; an operation that does not apply (a failed `test`, a missing path) is
 * a 422 whose cause carries the reason, as kube-apiserver answers. Inputs are not mutated.
 */
export function jsonPatch(doc: JsonObject, ops: unknown): Json {
  if (!Array.isArray(ops))
    throw badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  const root: { doc: Json } = { doc };
  for (const raw of ops) {
    if (!isObject(raw) || typeof raw.op !== 'string')
      throw badRequest('invalid JSON Patch operation: missing "op"');
    const op = raw.op;
    const path = raw.path;
    if (typeof path !== 'string') throw patchFailed(`${op} operation does not apply: missing path`);
    switch (op) {
      case 'add':
        if (!('value' in raw)) throw patchFailed('add operation does not apply: missing value');
        add(root, path, raw.value!, 'add', raw);
        break;
      case 'remove':
        remove(root, path);
        break;
      case 'replace': {
        if (!('value' in raw)) throw patchFailed('replace operation does not apply: missing value');
        const tokens = parsePointer(path);
        if (tokens.length > 0 && get(root.doc, tokens) === undefined) {
          throw patchFailed(
            `replace operation does not apply: doc is missing key: ${path}: missing value`,
          );
        }
        if (tokens.length === 0) root.doc = raw.value!;
        else {
          remove(root, path, 'replace');
          add(root, path, raw.value!, 'replace', raw);
        }
        break;
      }
      case 'move':
      case 'copy': {
        if (typeof raw.from !== 'string')
          throw patchFailed(`${op} operation does not apply: missing from`);
        const v = get(root.doc, parsePointer(raw.from));
        if (v === undefined) {
          throw patchFailed(
            `${op} operation does not apply: doc is missing from path: ${raw.from}: missing value`,
          );
        }
        if (op === 'move') remove(root, raw.from, 'move');
        add(root, path, structuredClone(v), op);
        break;
      }
      case 'test': {
        const v = get(root.doc, parsePointer(path));
        const expected = 'value' in raw ? raw.value : null;
        const same = v === undefined ? expected === null : deepEqual(v, expected);
        if (!same) throw patchFailed(`testing value ${path} failed: test failed`);
        break;
      }
      default:
        throw badRequest(`Unexpected kind: ${op}`);
    }
  }
  return root.doc;
}
