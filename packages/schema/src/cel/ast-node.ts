/**
 * The parts of a parsed (and, once checked, typed) `@marcbachmann/cel-js` AST node that
 * kube-ts reads to word and place errors as cel-go does and to adjust macros.
 */
export interface AstNode {
  readonly op: string;
  readonly args: unknown;
  /** Where the node's own token starts (a selection's field name). */
  readonly pos: number;
  readonly start: number;
  readonly end: number;
  readonly input: string;
  /** The type the checker gave the node. */
  readonly checkedType?: { readonly name: string };
  /** What the parser attached: a macro's expansion. */
  readonly meta: { readonly macro?: unknown; readonly alternate?: unknown };
  setMeta(key: 'macro' | 'alternate' | 'evaluate', value: unknown): unknown;
}

/** Whether `v` is an AST node. */
export function isAstNode(v: unknown): v is AstNode {
  return (
    typeof v === 'object' && v !== null && typeof (v as AstNode).op === 'string' && 'args' in v
  );
}

/**
 * Every node of a parsed expression: operands, call arguments, list and map items, a
 * comprehension's parts and a node's alternate (a macro's expansion).
 */
export function nodesOf(root: unknown): AstNode[] {
  const out: AstNode[] = [];
  const seen = new Set<unknown>();
  const pending: unknown[] = [root];
  while (pending.length) {
    const v = pending.pop();
    if (Array.isArray(v)) pending.push(...v);
    if (!isAstNode(v) || seen.has(v)) continue;
    seen.add(v);
    out.push(v);
    const args = v.args;
    if (v.op === 'comprehension' && typeof args === 'object' && args !== null) {
      pending.push(...Object.values(args));
    } else pending.push(args);
    pending.push(v.meta.alternate);
  }
  return out;
}
