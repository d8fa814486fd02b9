import type { Environment } from '@marcbachmann/cel-js';

/** A compiled CEL expression: runs it with the given variables. */
export type Program = (context: Record<string, unknown>) => unknown;

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
      } catch (e) {
        p = e as Error;
      }
      programs.set(expression, p);
    }
    return p;
  };
}
