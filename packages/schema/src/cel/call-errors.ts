/**
 * cel-go's words and places for the checking errors of calls, unary operators, indexing,
 * conditionals and macros, which kube-apiserver's messages carry (`found no matching
 * overload for 'startsWith' applied to 'string.(int)'` at the call's `(`, `undeclared
 * reference to 'nope'` for a function no overload of which exists, `argument must be a
 * simple name`, …); the evaluator words and places them its own way.
 */
import type { Environment } from '@marcbachmann/cel-js';
import { isAstNode as isNode, type AstNode as Node } from './ast-node.js';
import { failedNodes } from './check-all.js';
import { celTypeName, compileErrorText } from './error-text.js';
import { macroConditionError } from './macro-conditions.js';

/** The names of the functions each environment has (not macros, which cel-go has not as functions). */
const functionNames = new WeakMap<Environment, Set<string>>();

function hasFunction(env: Environment, name: string): boolean {
  let names = functionNames.get(env);
  if (!names) {
    const functions = env.getDefinitions().functions;
    names = new Set(functions.filter((f) => !/[(,] ?ast\b/.test(f.signature)).map((f) => f.name));
    functionNames.set(env, names);
  }
  return names.has(name);
}

/** A node's argument `i` when it is a node. */
function arg(node: Node, i: number): Node | undefined {
  const a = Array.isArray(node.args) ? node.args[i] : undefined;
  return isNode(a) ? a : undefined;
}

/** Where a call's `(` is: after a function's name, or after a method's `.name`. */
export function openParen(expression: string, node: Node, name: string): number {
  const receiver = node.op === 'rcall' ? arg(node, 1) : undefined;
  if (!receiver) return expression.indexOf('(', node.start);
  const call = new RegExp(`\\.\\s*${name}\\s*\\(`, 'g');
  call.lastIndex = receiver.end;
  return call.exec(expression) ? call.lastIndex - 1 : node.start;
}

/** A node's type in cel-go's words (`dyn` when the evaluator did not record one). */
function typeOf(node: Node | undefined): string {
  return celTypeName(node?.checkedType?.name ?? 'dyn');
}

/** The comma-separated items of `text` outside angle brackets (`map<a, b>, int`). */
function topLevelItems(text: string): string[] {
  if (text.trim() === '') return [];
  const items: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '<') depth++;
    else if (text[i] === '>') depth--;
    else if (text[i] === ',' && depth === 0) {
      items.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  return [...items, text.slice(start).trim()];
}

/** cel-go's words and offset for `message` about `node`, or undefined for other errors. */
function located(
  env: Environment,
  expression: string,
  message: string,
  node: Node,
): { why: string; at: number } | undefined {
  const noOverload = /^found no matching overload for '(?:(.+)\.)?[\w.]+\((.*)\)'$/.exec(message);
  if (noOverload && (node.op === 'call' || node.op === 'rcall')) {
    const name = String((node.args as unknown[])[0]);
    const at = openParen(expression, node, name);
    // A call of `.has` (see rootHasCalls) is read as one of `_has`.
    const shown = name === '_has' && expression.startsWith('.has', node.start) ? '.has' : name;
    if (!hasFunction(env, name))
      return { why: `undeclared reference to '${shown}' (in container '')`, at };
    const [, receiver, args = ''] = noOverload;
    // An operand that failed is of cel-go's error type, `!error!`.
    const [own, ...operands] = (node.args as unknown[]).slice(1).flat();
    const failed = (n: unknown) => failedNodes.has(n as object);
    const argNodes = receiver === undefined ? [own, ...operands] : operands;
    const argTypes = topLevelItems(args).map((t, i) => (failed(argNodes[i]) ? '!error!' : t));
    const on = receiver !== undefined && failed(own) ? '!error!' : receiver;
    const listed = argTypes.join(', ');
    const applied = celTypeName(on === undefined ? `(${listed})` : `${on}.(${listed})`);
    return { why: `found no matching overload for '${name}' applied to '${applied}'`, at };
  }
  if ((node.op === '!_' || node.op === '-_') && /^no such overload: /.test(message)) {
    const operand = isNode(node.args) ? node.args : undefined;
    return {
      why: `found no matching overload for '${node.op}' applied to '(${typeOf(operand)})'`,
      at: node.start,
    };
  }
  const branches = /^Ternary branches must have the same type, got '(.+)' and '(.+)'$/.exec(
    message,
  );
  if (branches && node.op === '?:') {
    const condition = arg(node, 0);
    const types = [
      typeOf(condition),
      celTypeName(branches[1] ?? ''),
      celTypeName(branches[2] ?? ''),
    ];
    const at = expression.indexOf('?', condition?.end ?? node.start);
    return { why: `found no matching overload for '_?_:_' applied to '(${types.join(', ')})'`, at };
  }
  if (/^Cannot index type '/.test(message) && node.op === '[]') {
    const [target, index] = [arg(node, 0), arg(node, 1)];
    return {
      why: `found no matching overload for '_[_]' applied to '(${typeOf(target)}, ${typeOf(index)})'`,
      at: expression.indexOf('[', target?.end ?? node.start),
    };
  }
  if (/^\w+\(var, predicate\) invalid predicate iteration variable$/.test(message)) {
    return { why: 'argument must be a simple name', at: node.start };
  }
  const condition = macroConditionError(env, expression, message, node);
  if (condition) return condition;
  const predicate =
    /^(?:all|exists)\(var, predicate\) predicate must return bool, got '(.+)'$/.exec(message);
  if (predicate && (node.op === 'id' || node.op === 'value')) {
    return {
      why: `expected type 'bool' but found '${celTypeName(predicate[1] ?? '')}'`,
      at: node.start,
    };
  }
  if (message === 'has() invalid argument') {
    const target = node.op === '[]' ? arg(node, 0) : undefined;
    const at = target ? expression.indexOf('[', target.end) : node.start;
    return { why: 'invalid argument to has() macro', at };
  }
  return undefined;
}

/**
 * A checking error of a call, a unary operator, an index, a conditional or a macro in
 * cel-go's words and layout (`ERROR: <input>:L:C: …`), checked in `env`; undefined for
 * other errors.
 */
export function callErrorText(
  env: Environment,
  expression: string,
  error: Error & { node?: unknown },
): string | undefined {
  if (!isNode(error.node)) return undefined;
  const found = located(env, expression, error.message.split('\n')[0] ?? '', error.node);
  if (!found || found.at < 0) return undefined;
  return compileErrorText(
    expression,
    Object.assign(new Error(found.why), { range: { start: found.at } }),
  );
}
