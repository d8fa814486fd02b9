/**
 * The type an admission policy's variable has in `variables` for the expressions after
 * it: kube-apiserver declares each variable with its expression's type converted to one
 * of its declared types (own code because the conversion is kube-apiserver's): a
 * primitive stays, a list or a map keeps its shape with its parameters converted, and
 * everything else (an object, an optional, a type) becomes `dyn`, so a variable holding
 * `object.spec` is dynamic where `object.spec.replicas` is an `int`.
 */

/** The types kept as they are, in the evaluator's names. */
const PRIMITIVES = new Set([
  'bool',
  'bytes',
  'double',
  'google.protobuf.Duration',
  'int',
  'null',
  'string',
  'google.protobuf.Timestamp',
  'uint',
]);

/** `name<a, b>` split into its name and its top-level parameters. */
export function typeParts(type: string): { name: string; params: string[] } {
  const open = type.indexOf('<');
  if (open < 0 || !type.endsWith('>')) return { name: type, params: [] };
  const params: string[] = [];
  let depth = 0;
  let from = open + 1;
  for (let i = from; i < type.length - 1; i++) {
    const c = type[i];
    if (c === '<') depth++;
    else if (c === '>') depth--;
    else if (c === ',' && depth === 0) {
      params.push(type.slice(from, i).trim());
      from = i + 1;
    }
  }
  params.push(type.slice(from, type.length - 1).trim());
  return { name: type.slice(0, open), params };
}

/**
 * A variable's type (the evaluator's name of its expression's type) as kube-apiserver
 * declares it in `variables`.
 */
export function variableType(type: string): string {
  if (PRIMITIVES.has(type)) return type;
  const { name, params } = typeParts(type);
  if (name === 'list' && params.length === 1) return `list<${variableType(params[0] ?? '')}>`;
  if (name === 'map' && params.length === 2) {
    return `map<${variableType(params[0] ?? '')}, ${variableType(params[1] ?? '')}>`;
  }
  return 'dyn';
}
