/**
 * Device selector expressions of dynamic resource allocation (resource.k8s.io
 * `selectors[].cel.expression` in DeviceClasses, ResourceClaims and
 * ResourceClaimTemplates), compiled as kube-apiserver's DRA compiler
 * (`k8s.io/dynamic-resource-allocation/cel`) compiles them when such an object is
 * written: the `device` variable (`driver`, `allowMultipleAllocations` — the
 * DRAConsumableCapacity gate is on in v1.36 —, `attributes` and `capacity`, maps of
 * domain → name → value), the Kubernetes library and `cel.bind`, a result of type `bool`
 * or an attribute's value (whose type is only known at run time), and an estimated cost
 * of at most 1,000,000 with the sizes the API bounds (63-character drivers, 32 domains of
 * 63 characters with 32 attributes or capacities of 32, 64-character values).
 */
import { Environment } from '@marcbachmann/cel-js';
import { callErrorText } from './call-errors.js';
import { checkAll } from './check-all.js';
import { type CostType, estimatedCostWith } from './cost.js';
import { celTypeName, compileErrorText } from './error-text.js';
import { kubernetesLibrary } from './library.js';
import { literalArgumentsError } from './literal-arguments.js';
import { celGoSyntaxErrors } from './syntax-errors.js';
import { celGoError, celGoErrorAt } from './type-check.js';

/** kube-apiserver's limit on a selector's estimated cost (`CELSelectorExpressionMaxCost`). */
const MAX_COST = 1_000_000;

const DRIVER_MAX = 63;
const DOMAIN_MAX = 63;
const ID_MAX = 32;
const ATTRIBUTES_MAX = 32;
const VALUE_MAX = 64;

/** Why kube-apiserver refuses a device selector expression. */
export type DeviceSelectorProblem =
  /** Refused as `Invalid value: "<expression>": <detail>`. */
  | { readonly invalid: string }
  /** Refused as `Forbidden: too complex, exceeds cost limit`. */
  | { readonly tooComplex: true };

const string = (max: number): CostType => ({ kind: 'string', maxElements: max, minSize: 2 });
/**
 * A map of domain → name → value, as kube-apiserver's DRA size estimator sizes it: keys
 * of at most 63 and 32 characters; a name selected from the outer map (`attributes.x`) is
 * not sized, and from the inner one only for attributes.
 */
const domains = (elem: CostType, namesSized: boolean): CostType => ({
  kind: 'map',
  maxElements: ATTRIBUTES_MAX,
  minSize: 2,
  key: string(DOMAIN_MAX),
  unsizedSelect: true,
  elem: {
    kind: 'map',
    maxElements: ATTRIBUTES_MAX,
    minSize: 2,
    key: string(ID_MAX),
    ...(namesSized ? {} : { unsizedSelect: true }),
    elem,
  },
});

/** The `device` variable as kube-apiserver's cost estimator sizes it. */
const DEVICE: CostType = {
  kind: 'object',
  maxElements: 0,
  minSize: 2,
  fields: {
    driver: string(DRIVER_MAX),
    allowMultipleAllocations: { kind: 'scalar', maxElements: 1, minSize: 4 },
    attributes: domains({ kind: 'dyn', maxElements: VALUE_MAX, minSize: 1 }, true),
    capacity: domains({ kind: 'scalar', maxElements: 0, minSize: 1 }, false),
  },
};

let environment: Environment | undefined;

/** The environment selectors compile in: `device`, the Kubernetes library, `cel.bind`. */
function deviceEnvironment(): Environment {
  environment ??= kubernetesLibrary(
    new Environment({ enableOptionalTypes: true, homogeneousAggregateLiterals: true }),
  ).registerVariable({
    name: 'device',
    schema: {
      driver: 'string',
      allowMultipleAllocations: 'bool',
      attributes: 'map<string, map<string, dyn>>',
      capacity: 'map<string, map<string, kubernetes.Quantity>>',
    },
  });
  return environment;
}

/**
 * A type as kube-apiserver names it in a selector's result error: an attribute's value is
 * cel-go's `google.protobuf.Any` (a dynamic value here).
 */
function resultTypeName(type: string): string {
  return celTypeName(type).replaceAll('map(string, dyn)', 'map(string, google.protobuf.Any)');
}

/**
 * Whether a dynamic result is cel-go's `dyn` rather than an attribute's value (cel-go's
 * `google.protobuf.Any`, the unknown type kube-apiserver accepts): a `dyn(…)` conversion,
 * or an arithmetic operator, which on an attribute's value has several overloads and so
 * leaves `dyn`; a conditional or a `cel.bind` is what its branches or its body are.
 */
function isDynResult(ast: unknown): boolean {
  const node = ast as { op?: string; args?: unknown };
  const args = Array.isArray(node.args) ? node.args : [];
  switch (node.op) {
    case 'call':
      return args[0] === 'dyn';
    case 'rcall': {
      const [name, target, callArgs] = args as [string, { op?: string; args?: unknown }, unknown[]];
      return (
        name === 'bind' && target.op === 'id' && target.args === 'cel' && isDynResult(callArgs[2])
      );
    }
    case '?:':
      return isDynResult(args[1]) || isDynResult(args[2]);
    case '-_':
    case '+':
    case '-':
    case '*':
    case '/':
    case '%':
      return true;
    default:
      return false;
  }
}

/** A checking error in cel-go's words and layout. */
function compileError(expression: string, error: Error & { range?: { start: number } }): string {
  // An undefined field or a missing operator overload.
  if (/^(No such key|no such overload): /.test(error.message)) {
    return celGoError(expression, error.message);
  }
  // A call, a unary operator, an index, a conditional or a macro.
  const call = callErrorText(deviceEnvironment(), expression, error);
  if (call !== undefined) return call;
  // A field selected on a scalar: cel-go points at the `.`.
  const scalar = /^Cannot index type '(.+)'/.exec(error.message);
  const start = error.range?.start ?? 0;
  if (scalar && expression[start - 1] === '.') {
    const lineStart = expression.lastIndexOf('\n', start - 1) + 1;
    const line = expression.slice(0, lineStart).split('\n').length;
    const why = `type '${scalar[1]}' does not support field selection`;
    return celGoErrorAt(expression, why, { line, column: start - 1 - lineStart });
  }
  return compileErrorText(expression, error);
}

/** Whether `text` parses as CEL (its syntax only). */
function parses(env: Environment, text: string): boolean {
  if (text.trim() === '') return false;
  try {
    env.parse(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * Why kube-apiserver would refuse a device selector expression, undefined when it
 * compiles to a `bool` (or an attribute's value) within the cost limit. An expression
 * checked to a dynamic value is accepted when it is an attribute's value (cel-go's
 * `google.protobuf.Any`), refused when cel-go types it `dyn`.
 */
export function checkDeviceSelector(expression: string): DeviceSelectorProblem | undefined {
  const env = deviceEnvironment();
  const syntax = celGoSyntaxErrors(expression, (text) => parses(env, text));
  if (syntax) return { invalid: `compilation failed: ${syntax}` };
  const checked = checkAll(env, expression);
  if (!checked.valid) {
    // cel-go lists its errors by place (line, then column), each in its layout.
    const texts = checked.errors.map((e) => compileError(expression, e));
    const place = (text: string) =>
      /^ERROR: <input>:(\d+):(\d+):/.exec(text)?.slice(1).map(Number) ?? [0, 0];
    const byPlace = texts
      .map((text) => ({ text, at: place(text) }))
      .sort((a, b) => (a.at[0] ?? 0) - (b.at[0] ?? 0) || (a.at[1] ?? 0) - (b.at[1] ?? 0));
    return { invalid: `compilation failed: ${byPlace.map((e) => e.text).join('\n')}` };
  }
  const { type, ast } = checked;
  const literal = literalArgumentsError(env, ast);
  if (literal) return { invalid: `compilation failed: ${compileErrorText(expression, literal)}` };
  if ((type !== 'bool' && type !== 'dyn') || (type === 'dyn' && isDynResult(ast))) {
    return { invalid: `must evaluate to bool or the unknown type, not ${resultTypeName(type)}` };
  }
  const cost = estimatedCostWith(ast, { device: DEVICE });
  return cost > MAX_COST ? { tooComplex: true } : undefined;
}
