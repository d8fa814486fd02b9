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
import type { Environment } from '@marcbachmann/cel-js';
import { isAstNode } from './ast-node.js';
import { withBindings } from './bindings.js';
import { CelEnvironment } from './cel-environment.js';
import { type CheckError, checkAll } from './check-all.js';
import { type CostType, estimatedCostWith } from './cost.js';
import { celTypeName, compileErrorText } from './error-text.js';
import { formatCallError } from './format-calls.js';
import { kubernetesLibrary } from './library.js';
import { literalArgumentsError } from './literal-arguments.js';
import { syntaxErrorsIn } from './syntax-errors.js';
import { checkErrorsText } from './type-check.js';

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
  environment ??= withBindings(
    kubernetesLibrary(
      new CelEnvironment({ enableOptionalTypes: true, homogeneousAggregateLiterals: true }),
    ),
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

/**
 * A method call on an attribute's value whose arguments fit no overload, with the
 * receiver named as cel-go names an attribute's value (`google.protobuf.Any`) in such
 * messages: `any` (`found no matching overload for 'startsWith' applied to 'any.(int)'`);
 * other errors as they are.
 */
function attributeValueNamed(error: CheckError): CheckError {
  const node = error.node;
  if (!isAstNode(node) || node.op !== 'rcall') return error;
  if (!error.message.startsWith("found no matching overload for 'dyn.")) return error;
  const receiver = (node.args as unknown[])[1];
  if (!isAstNode(receiver) || (receiver.op !== '.' && receiver.op !== '[]')) return error;
  const from = (receiver.args as unknown[])[0];
  // Selected from a domain's map of attributes: an attribute's value.
  if (!isAstNode(from) || from.checkedType?.name !== 'map<string, dyn>') return error;
  const message = error.message.replace("'dyn.", "'any.");
  return Object.assign(new Error(message), { node });
}

/**
 * Why kube-apiserver would refuse a device selector expression, undefined when it
 * compiles to a `bool` (or an attribute's value) within the cost limit. An expression
 * checked to a dynamic value is accepted when it is an attribute's value (cel-go's
 * `google.protobuf.Any`), refused when cel-go types it `dyn`.
 */
export function checkDeviceSelector(expression: string): DeviceSelectorProblem | undefined {
  const env = deviceEnvironment();
  const syntax = syntaxErrorsIn(env, expression);
  if (syntax) return { invalid: `compilation failed: ${syntax}` };
  const checked = checkAll(env, expression);
  if (!checked.valid) {
    return {
      invalid: `compilation failed: ${checkErrorsText(expression, checked.errors.map(attributeValueNamed), env)}`,
    };
  }
  const { type, ast } = checked;
  const literal = literalArgumentsError(env, ast) ?? formatCallError(ast);
  if (literal) return { invalid: `compilation failed: ${compileErrorText(expression, literal)}` };
  if ((type !== 'bool' && type !== 'dyn') || (type === 'dyn' && isDynResult(ast))) {
    return { invalid: `must evaluate to bool or the unknown type, not ${resultTypeName(type)}` };
  }
  const cost = estimatedCostWith(ast, { device: DEVICE });
  return cost > MAX_COST ? { tooComplex: true } : undefined;
}
