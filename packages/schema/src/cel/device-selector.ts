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
 * 32 attributes or capacities, 64-character values; map keys are not sized here).
 */
import { Environment } from '@marcbachmann/cel-js';
import { type CostType, estimatedCostWith } from './cost.js';
import { celTypeName, compileErrorText } from './error-text.js';
import { kubernetesLibrary } from './library.js';
import { celGoSyntaxErrors } from './syntax-errors.js';
import { celGoError, celGoErrorAt } from './type-check.js';

/** kube-apiserver's limit on a selector's estimated cost (`CELSelectorExpressionMaxCost`). */
const MAX_COST = 1_000_000;

const DRIVER_MAX = 63;
const ATTRIBUTES_MAX = 32;
const VALUE_MAX = 64;

/** Why kube-apiserver refuses a device selector expression. */
export type DeviceSelectorProblem =
  /** Refused as `Invalid value: "<expression>": <detail>`. */
  | { readonly invalid: string }
  /** Refused as `Forbidden: too complex, exceeds cost limit`. */
  | { readonly tooComplex: true };

const string = (max: number): CostType => ({ kind: 'string', maxElements: max, minSize: 2 });
const domains = (elem: CostType): CostType => ({
  kind: 'map',
  maxElements: ATTRIBUTES_MAX,
  minSize: 2,
  elem: { kind: 'map', maxElements: ATTRIBUTES_MAX, minSize: 2, elem },
});

/** The `device` variable as kube-apiserver's cost estimator sizes it. */
const DEVICE: CostType = {
  kind: 'object',
  maxElements: 0,
  minSize: 2,
  fields: {
    driver: string(DRIVER_MAX),
    allowMultipleAllocations: { kind: 'scalar', maxElements: 1, minSize: 4 },
    attributes: domains({ kind: 'dyn', maxElements: VALUE_MAX, minSize: 1 }),
    capacity: domains({ kind: 'scalar', maxElements: 0, minSize: 1 }),
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

/** Whether an expression is a `dyn(…)` conversion, whose type cel-go leaves `dyn`. */
function isDynConversion(ast: unknown): boolean {
  const node = ast as { op?: string; args?: unknown[] };
  return node.op === 'call' && node.args?.[0] === 'dyn';
}

/** A checking error in cel-go's words and layout (cel-go reports them all; this the first). */
function compileError(expression: string, error: Error & { range?: { start: number } }): string {
  // An undefined field or a missing operator overload.
  if (/^(No such key|no such overload): /.test(error.message)) {
    return celGoError(expression, error.message);
  }
  // A method without an overload for its receiver and arguments: cel-go names the function
  // and the types apart, at the call's `(`; on an attribute's value (dynamic) it finds no
  // function of that name at all.
  const method = /^found no matching overload for '(.+)\.(\w+)\((.*)\)'$/.exec(
    error.message.split('\n')[0] ?? '',
  );
  const call = method && new RegExp(`\\.\\s*${method[2]}\\s*\\(`, 'g');
  if (method && call) {
    call.lastIndex = error.range?.start ?? 0;
    const open = call.exec(expression) ? call.lastIndex - 1 : -1;
    if (open >= 0) {
      const [, receiver, name, args] = method;
      const why =
        receiver === 'dyn'
          ? `undeclared reference to '${name}' (in container '')`
          : `found no matching overload for '${name}' applied to '${celTypeName(`${receiver}.(${args})`)}'`;
      return compileErrorText(
        expression,
        Object.assign(new Error(why), { range: { start: open } }),
      );
    }
  }
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
 * checked to a dynamic value is accepted but for a `dyn(…)` conversion: kube-apiserver
 * accepts an attribute's value (cel-go's `google.protobuf.Any`) and refuses a `dyn`.
 */
export function checkDeviceSelector(expression: string): DeviceSelectorProblem | undefined {
  const env = deviceEnvironment();
  const syntax = celGoSyntaxErrors(expression, (text) => parses(env, text));
  if (syntax) return { invalid: `compilation failed: ${syntax}` };
  let checked: ReturnType<Environment['check']>;
  try {
    checked = env.check(expression);
  } catch (e) {
    checked = { valid: false, error: e as Error } as ReturnType<Environment['check']>;
  }
  if (!checked.valid) {
    const error = checked.error ?? new Error('invalid expression');
    return { invalid: `compilation failed: ${compileError(expression, error)}` };
  }
  const type = checked.type ?? 'dyn';
  const ast = env.parse(expression).ast;
  if ((type !== 'bool' && type !== 'dyn') || (type === 'dyn' && isDynConversion(ast))) {
    return { invalid: `must evaluate to bool or the unknown type, not ${resultTypeName(type)}` };
  }
  const cost = estimatedCostWith(ast, { device: DEVICE });
  return cost > MAX_COST ? { tooComplex: true } : undefined;
}
