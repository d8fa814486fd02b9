/**
 * Integers JavaScript cannot hold exactly (beyond 2^53) that kube-apiserver keeps: its
 * decoders read an int64 field, and a custom resource's integer, as an int64, so a Pod's
 * `terminationGracePeriodSeconds` written `9007199254740993` reads back so, where
 * `JSON.parse` gives `9007199254740992`. The literal of such an integer, as the request's
 * text wrote it, is kept on the object or list holding it (under a symbol, so it is copied
 * with the holder by spreads and ignored by `JSON.stringify` and `Object.keys`) and written
 * back by the JSON writer (go-json.ts) while the holder still has that value. Nothing is
 * kept, and nothing costs anything, for a body without such an integer.
 */
import { isObject, type Json } from './json.js';

const LITERALS = Symbol('int64 literals');

/** An object or list that may keep literals. */
type Holder = object & { [LITERALS]?: Record<string, string> };

const INTEGER = /^-?(?:0|[1-9][0-9]*)$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

let seen = false;

/** Whether some object ever kept a literal (the JSON writer looks for them only then). */
export function bigIntegersSeen(): boolean {
  return seen;
}

/** Whether a number literal is an integer that fits an int64 (Go's `strconv.ParseInt`). */
export function isInt64Literal(literal: string): boolean {
  if (!INTEGER.test(literal)) return false;
  const value = BigInt(literal);
  return value >= INT64_MIN && value <= INT64_MAX;
}

/**
 * Keeps, on their holders in `value`, the literals of the integers beyond 2^53 of the JSON
 * text it was parsed from. `numbers` is that text's scan (json-scan.ts): literals by the
 * path it names them by (`spec.containers[0].ports[1].containerPort`).
 */
export function keepBigIntegers(value: Json, numbers: ReadonlyMap<string, string>): void {
  let any = false;
  for (const literal of numbers.values()) {
    if (isInt64Literal(literal) && !Number.isSafeInteger(Number(literal))) any = true;
  }
  if (any) walk(value, '', numbers);
}

function walk(value: Json, path: string, numbers: ReadonlyMap<string, string>): void {
  const visit = (holder: Holder, key: string, item: Json, at: string) => {
    if (typeof item === 'number') {
      if (Number.isSafeInteger(item) || !Number.isInteger(item)) return;
      const literal = numbers.get(at);
      if (literal === undefined || !isInt64Literal(literal) || Number(literal) !== item) return;
      holder[LITERALS] ??= {};
      holder[LITERALS][key] = literal;
      seen = true;
    } else walk(item, at, numbers);
  };
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      visit(value, String(i), item, `${path}[${i}]`);
    });
  } else if (isObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      visit(value, key, item, path ? `${path}.${key}` : key);
    }
  }
}

/** The literal kept for `holder[key]`, while the holder still has its value. */
export function keptLiteral(holder: object, key: string): string | undefined {
  const literal = (holder as Holder)[LITERALS]?.[key];
  if (literal === undefined) return undefined;
  return Number(literal) === (holder as Record<string, unknown>)[key] ? literal : undefined;
}

/** Gives `to`, a copy of `from` made member by member, the literals `from` keeps. */
export function carryBigIntegers(from: object, to: object): void {
  const literals = (from as Holder)[LITERALS];
  if (literals) (to as Holder)[LITERALS] = literals;
}

/**
 * Gives every object and list in `to`, a copy of `from` made anew (pruned, defaulted), the
 * literals its counterpart at the same place in `from` keeps. Nothing to do, and no walk,
 * before any object kept one.
 */
export function carryBigIntegersDeep(from: Json, to: Json): void {
  if (!seen || from === to || typeof from !== 'object' || typeof to !== 'object') return;
  if (from === null || to === null) return;
  carryBigIntegers(from, to);
  if (Array.isArray(from)) {
    if (!Array.isArray(to)) return;
    for (let i = 0; i < from.length && i < to.length; i++) carryBigIntegersDeep(from[i]!, to[i]!);
  } else if (!Array.isArray(to)) {
    for (const [key, item] of Object.entries(from)) {
      const copy = to[key];
      if (copy !== undefined) carryBigIntegersDeep(item, copy);
    }
  }
}
