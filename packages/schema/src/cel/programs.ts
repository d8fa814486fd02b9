import type { Environment } from '@marcbachmann/cel-js';
import { convertAsCelGo } from './conversion-calls.js';
import { allowIndexedPresenceTests } from './indexed-presence.js';
import { matchWithRe2 } from './regex-calls.js';

/** A compiled CEL expression: runs it with the given variables; `ast` is its parsed form. */
export type Program = ((context: Record<string, unknown>) => unknown) & { readonly ast?: unknown };

/**
 * A compiler for one CEL environment that keeps each expression's program, or the error
 * parsing it gave, so that an expression is parsed once however often it runs.
 */
export function cachedCompiler(env: Environment): (expression: string) => Program | Error {
  const programs = new Map<string, Program | Error>();
  return (expression) => {
    let p = programs.get(expression);
    if (!p) {
      try {
        p = env.parse(expression) as Program;
        allowIndexedPresenceTests(p.ast);
        matchWithRe2(p.ast);
        convertAsCelGo(p.ast);
      } catch (e) {
        p = e as Error;
      }
      programs.set(expression, p);
    }
    return p;
  };
}

/**
 * A cache of environments by key: compiling a policy builds one per distinct set of
 * declarations, and a suite writes the same policies again and again.
 */
export function environmentCache<K>(build: (key: K) => Environment): (key: K) => Environment {
  const cache = new Map<string, Environment>();
  return (key) => {
    const k = JSON.stringify(key);
    let e = cache.get(k);
    if (!e) {
      e = build(key);
      if (cache.size > 100) cache.clear();
      cache.set(k, e);
    }
    return e;
  };
}
