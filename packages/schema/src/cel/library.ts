/**
 * The CEL environment of CRD validation rules: `@marcbachmann/cel-js` (standard library,
 * macros, `optional`) plus the Kubernetes library functions it does not have, each
 * written here only because kube-apiserver's CEL environment offers it: the Kubernetes
 * `lists` and `regex` libraries, the `strings`/`lists` extensions, `quantity`, `sets`
 * `url`, `ip`/`cidr`, `semver`, `format`, the `strings.format` extension and, for admission expressions, `authz`.
 */

import type { Environment } from '@marcbachmann/cel-js';
import { ADMISSION_REQUEST_TYPE, NAMESPACE_TYPE } from './admission-types.js';
import { addAuthz } from './authz.js';
import { CelEnvironment } from './cel-environment.js';
import { constantOf, convert, Refused } from './conversions.js';
import { addFormat } from './format.js';
import { addIp } from './ip.js';
import {
  type CelObjectType,
  CelOptionalOf,
  type CelType,
  clockTypeName,
  registerTypedVariables,
} from './object-types.js';
import type { PolicyDeclarations } from './policy.js';
import { QUANTITY_PATTERN, Quantity } from './quantity.js';
import { Re2SyntaxError, re2FindAll, re2RegExp } from './re2.js';
import { addSemver } from './semver.js';
import { addSets } from './sets.js';
import { addStringFormat } from './string-format.js';
import { addTwoVarComprehensions } from './two-var-comprehensions.js';
import { addUrl } from './url.js';

type Scalar = bigint | number | string | boolean;

function less(a: unknown, b: unknown): boolean {
  if (a instanceof Quantity && b instanceof Quantity) return a.compareTo(b) < 0;
  return (a as Scalar) < (b as Scalar);
}

function extreme(list: unknown[], pick: (a: unknown, b: unknown) => boolean, name: string) {
  if (list.length === 0) throw new Error(`${name} called on empty list`);
  return list.reduce((best, x) => (pick(x, best) ? x : best));
}

function toQuantity(text: string): Quantity {
  const q = Quantity.parse(text);
  if (!q) throw new Error(`quantities must match the regular expression '${QUANTITY_PATTERN}'`);
  return q;
}

function integerOf(q: Quantity): bigint {
  const v = q.asInteger();
  if (v === undefined) throw new Error('cannot convert value to integer');
  return v;
}

function addLists(env: Environment): Environment {
  return env
    .registerFunction('list<dyn>.isSorted(): bool', (l: unknown[]) =>
      l.every((x, i) => i === 0 || !less(x, l[i - 1])),
    )
    .registerFunction('list<dyn>.sum(): dyn', (l: unknown[]) => {
      if (l.length === 0) return 0n;
      if (l[0] instanceof Quantity) return (l as Quantity[]).reduce((a, b) => a.add(b));
      return (l as (bigint | number)[]).reduce((a, b) => (a as number) + (b as number));
    })
    .registerFunction('list<dyn>.min(): dyn', (l: unknown[]) => extreme(l, less, 'min'))
    .registerFunction('list<dyn>.max(): dyn', (l: unknown[]) =>
      extreme(l, (a, b) => less(b, a), 'max'),
    )
    .registerFunction('list<dyn>.indexOf(dyn): int', (l: unknown[], x: unknown) =>
      BigInt(l.indexOf(x)),
    )
    .registerFunction('list<dyn>.lastIndexOf(dyn): int', (l: unknown[], x: unknown) =>
      BigInt(l.lastIndexOf(x)),
    )
    .registerFunction(
      'list<dyn>.slice(int, int): list<dyn>',
      (l: unknown[], a: bigint, b: bigint) => {
        if (a < 0n || b < a || b > BigInt(l.length)) {
          throw new Error(`cannot slice(${a}, ${b}), invalid range`);
        }
        return l.slice(Number(a), Number(b));
      },
    )
    .registerFunction('list<dyn>.flatten(): list<dyn>', (l: unknown[]) =>
      l.flatMap((x) => (Array.isArray(x) ? x : [x])),
    )
    .registerFunction('list<dyn>.reverse(): list<dyn>', (l: unknown[]) => [...l].reverse())
    .registerFunction('list<dyn>.distinct(): list<dyn>', (l: unknown[]) => [...new Set(l)]);
}

/** `f`'s result; a pattern Go refuses as the Kubernetes regex library words it. */
function illegalRegex<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof Re2SyntaxError) throw new Error(`Illegal regex: ${e.message}`);
    throw e;
  }
}

function addStrings(env: Environment): Environment {
  return (
    env
      // cel-go's global form of `matches` (cel-js has the member form only).
      .registerFunction('matches(string, string): bool', (s: string, re: string) =>
        re2RegExp(re).test(s),
      )
      .registerFunction('string.find(string): string', (s: string, re: string) =>
        illegalRegex(() => re2FindAll(re, s, 1)[0] ?? ''),
      )
      .registerFunction('string.findAll(string): list<string>', (s: string, re: string) =>
        illegalRegex(() => re2FindAll(re, s)),
      )
      .registerFunction(
        'string.findAll(string, int): list<string>',
        (s: string, re: string, n: bigint) =>
          illegalRegex(() => re2FindAll(re, s, n < 0n ? -1 : Number(n))),
      )
      .registerFunction('string.charAt(int): string', (s: string, i: bigint) => {
        const chars = [...s];
        if (i < 0n || i > BigInt(chars.length)) throw new Error(`index out of range: ${i}`);
        return chars[Number(i)] ?? '';
      })
      .registerFunction(
        'string.replace(string, string): string',
        (s: string, a: string, b: string) => s.split(a).join(b),
      )
      .registerFunction(
        'string.replace(string, string, int): string',
        (s: string, a: string, b: string, n: bigint) => {
          if (n < 0n) return s.split(a).join(b);
          const parts = s.split(a);
          const head = parts.slice(0, Number(n) + 1).join(b);
          return [head, ...parts.slice(Number(n) + 1)].join(a);
        },
      )
      .registerFunction('string.reverse(): string', (s: string) => [...s].reverse().join(''))
  );
}

/** Quantities, equal when their values are (cel-go's `Quantity.Equal`: `1Gi == 1073741824`). */
function addQuantity(env: Environment): Environment {
  return env
    .registerType('kubernetes.Quantity', Quantity)
    .registerFunction('quantity(string): kubernetes.Quantity', toQuantity)
    .registerFunction('isQuantity(string): bool', (s: string) => Quantity.parse(s) !== undefined)
    .registerFunction('kubernetes.Quantity.sign(): int', (q: Quantity) => BigInt(q.sign()))
    .registerFunction('kubernetes.Quantity.isInteger(): bool', (q: Quantity) => q.isInteger())
    .registerFunction('kubernetes.Quantity.asInteger(): int', integerOf)
    .registerFunction('kubernetes.Quantity.asApproximateFloat(): double', (q: Quantity) =>
      q.asApproximateFloat(),
    )
    .registerFunction(
      'kubernetes.Quantity.compareTo(kubernetes.Quantity): int',
      (a: Quantity, b: Quantity) => BigInt(a.compareTo(b)),
    )
    .registerFunction(
      'kubernetes.Quantity.isGreaterThan(kubernetes.Quantity): bool',
      (a: Quantity, b: Quantity) => a.compareTo(b) > 0,
    )
    .registerFunction(
      'kubernetes.Quantity.isLessThan(kubernetes.Quantity): bool',
      (a: Quantity, b: Quantity) => a.compareTo(b) < 0,
    )
    .registerFunction(
      'kubernetes.Quantity.add(kubernetes.Quantity): kubernetes.Quantity',
      (a: Quantity, b: Quantity) => a.add(b),
    )
    .registerFunction(
      'kubernetes.Quantity.add(int): kubernetes.Quantity',
      (a: Quantity, b: bigint) => a.add(new Quantity(b, 0)),
    )
    .registerFunction(
      'kubernetes.Quantity.sub(kubernetes.Quantity): kubernetes.Quantity',
      (a: Quantity, b: Quantity) => a.sub(b),
    )
    .registerFunction(
      'kubernetes.Quantity.sub(int): kubernetes.Quantity',
      (a: Quantity, b: bigint) => a.sub(new Quantity(b, 0)),
    )
    .registerOperator(
      'kubernetes.Quantity == kubernetes.Quantity',
      (a: Quantity, b: Quantity) => a.compareTo(b) === 0,
    );
}

/**
 * `duration(int)`, which cel-go declares (so `duration(self.n)` compiles) but cannot
 * convert: it fails when it runs, in cel-go's words (a literal is refused when the
 * expression is compiled, see literal-arguments.ts).
 */
function addDurationOfInt(env: Environment): Environment {
  return env.registerFunction('duration(int): google.protobuf.Duration', () => {
    throw new Error("type conversion error from 'int' to 'google.protobuf.Duration'");
  });
}

/**
 * The `int` conversions cel-go's standard library declares and the evaluator lacks:
 * `int(uint)`, the value when it fits an int, else `integer overflow` (see
 * conversions.ts), and `int(timestamp)`, its Unix seconds.
 */
function addIntConversions(env: Environment): Environment {
  return env
    .registerFunction('int(uint): int', (u: unknown) => {
      const r = convert('int', constantOf(u));
      if (r instanceof Refused) throw new Error(r.why);
      return r.t === 'int' ? r.v : undefined;
    })
    .registerFunction('int(google.protobuf.Timestamp): int', (t: Date) =>
      BigInt(Math.floor(t.getTime() / 1000)),
    );
}

/** The Kubernetes CEL libraries every environment has. */
export function kubernetesLibrary(env: Environment): Environment {
  const libraries = [
    addLists,
    addStrings,
    addStringFormat,
    addQuantity,
    addSets,
    addUrl,
    addIp,
    addSemver,
    addFormat,
    addTwoVarComprehensions,
    addDurationOfInt,
    addIntConversions,
  ];
  return libraries.reduce((e, add) => add(e), env);
}

/**
 * The environment CRD rules are checked and run in: `self` and `oldSelf` (dynamic: the
 * values are typed by the schema at run time), `optional` on, and the Kubernetes library.
 */
export function ruleEnvironment(): Environment {
  const env = new CelEnvironment({ enableOptionalTypes: true, homogeneousAggregateLiterals: false })
    .registerVariable('self', 'dyn')
    .registerVariable('oldSelf', 'dyn');
  return kubernetesLibrary(env);
}

/** The base of {@link ruleCheckEnvironment}: the Kubernetes library, no variables yet. */
let ruleCheckBase: Environment | undefined;

/**
 * The environment a CRD rule is checked in when the CRD is written: `self` and `oldSelf`
 * of the rule's node's CEL type (`oldSelf` an optional of it with `optionalOldSelf`), list
 * and map literals homogeneous, `optional` on, and the Kubernetes library, as
 * kube-apiserver compiles the rule against the schema.
 */
export function ruleCheckEnvironment(selfType: CelType, optionalOldSelf: boolean): Environment {
  ruleCheckBase ??= kubernetesLibrary(
    new CelEnvironment({ enableOptionalTypes: true, homogeneousAggregateLiterals: true }),
  );
  const oldSelf = optionalOldSelf ? new CelOptionalOf(selfType) : selfType;
  const self = clockTypeName('selfType');
  return registerTypedVariables(ruleCheckBase.clone(), { self: selfType, oldSelf }, { self });
}

/** The variables of admission policy expressions. */
const POLICY_VARIABLES = [
  'object',
  'oldObject',
  'request',
  'params',
  'namespaceObject',
  'variables',
  'authorizer',
];
/**
 * The variables of a webhook's matchConditions (kube-apiserver declares
 * `namespaceObject` there too, though it never gives it a value).
 */
const WEBHOOK_VARIABLES = ['object', 'oldObject', 'request', 'namespaceObject', 'authorizer'];

/** The CEL types of admission expressions' variables that are not dynamic. */
interface AdmissionTypes {
  /** The type of `object` and `oldObject`. */
  readonly object?: CelObjectType;
  /** The type of `params`. */
  readonly params?: CelObjectType;
  /** The type of `variables`: each variable's type. */
  readonly variables?: CelObjectType;
  /** The type of `request` (an AdmissionRequest's, when expressions are checked). */
  readonly request?: CelObjectType;
  /** The type of `namespaceObject` (a Namespace's, when expressions are checked). */
  readonly namespaceObject?: CelObjectType;
}

/**
 * The types kube-apiserver gives `request` and `namespaceObject` when it compiles
 * admission expressions (at run time here they stay dynamic: the values are not checked).
 */
const CHECKED: AdmissionTypes = {
  request: ADMISSION_REQUEST_TYPE,
  namespaceObject: NAMESPACE_TYPE,
};

/**
 * The environment admission expressions run in: the given variables (dynamic, or typed
 * by `types`; `authorizer` by Kubernetes' authz library), `optional` on, and the
 * Kubernetes library.
 */
function admissionEnvironment(
  variables: readonly string[],
  types: AdmissionTypes = {},
  roots: Readonly<Record<string, string>> = {},
): Environment {
  return kubernetesLibrary(admissionVariables(variables, types, roots));
}

/**
 * A new environment with admission expressions' variables (dynamic, or typed by `types`,
 * their object types named by `roots` where it names them; `authorizer` by the authz
 * library, whose functions are there even when it is not), no library.
 */
function admissionVariables(
  variables: readonly string[],
  types: AdmissionTypes,
  roots: Readonly<Record<string, string>> = {},
): Environment {
  // kube-apiserver's environment checks that list and map literals are homogeneous.
  const env = new CelEnvironment({ enableOptionalTypes: true, homogeneousAggregateLiterals: true });
  const typed: Record<string, CelType | undefined> = {
    object: types.object,
    oldObject: types.object,
    params: types.params,
    variables: types.variables,
    request: types.request,
    namespaceObject: types.namespaceObject,
  };
  const declared: Record<string, CelType> = {};
  for (const name of variables) if (name !== 'authorizer') declared[name] = typed[name] ?? 'dyn';
  const withAuthz = addAuthz(registerTypedVariables(env, declared, roots));
  if (!variables.includes('authorizer')) return withAuthz;
  return withAuthz.registerVariable('authorizer', 'kubernetes.authorization.Authorizer');
}

/**
 * The environment admission policy expressions (ValidatingAdmissionPolicy validations,
 * messageExpressions, matchConditions, variables) run in: `object`, `oldObject`,
 * `request`, `params`, `namespaceObject` and `variables` (dynamic), `authorizer`,
 * `optional` on, and the Kubernetes library.
 */
export function policyEnvironment(): Environment {
  return admissionEnvironment(POLICY_VARIABLES);
}

/**
 * The environment kube-apiserver's policy status controller type-checks policy
 * expressions in: as {@link policyEnvironment}, with `object` and `oldObject` typed by
 * `types.object` (field → CEL type, or a nested object), `params` by `types.params` (the
 * `paramKind`'s type), `variables` by `types.variables`, and `request` and
 * `namespaceObject` as kube-apiserver types them. The object types of `object` and
 * `params` are named as kube-apiserver names them, after their kinds (`kinds`) and the
 * clock's nanoseconds (`ConfigMap123456789`; `kubets.object` without a kind).
 */
export function policyTypeCheckEnvironment(
  types: Pick<AdmissionTypes, 'object' | 'params' | 'variables'>,
  kinds: PolicyKinds = {},
): Environment {
  const roots: Record<string, string> = {};
  if (kinds.object !== undefined) roots.object = roots.oldObject = clockTypeName(kinds.object);
  if (kinds.params !== undefined) roots.params = clockTypeName(kinds.params);
  return admissionEnvironment(POLICY_VARIABLES, { ...CHECKED, ...types }, roots);
}

/** The kinds of an admission policy's `object` and `params` (`ConfigMap`). */
export interface PolicyKinds {
  /** The kind of `object` and `oldObject`. */
  readonly object?: string;
  /** The `paramKind`'s kind. */
  readonly params?: string;
}

/**
 * The variables a policy expression written with `declared` may name: `params` only with
 * a `paramKind`, `variables` only where the policy's variables are in scope (not in its
 * matchConditions), `authorizer` unless `declared` leaves it out (a messageExpression), as
 * kube-apiserver declares them.
 */
function declaredNames(declared: PolicyDeclarations): string[] {
  return POLICY_VARIABLES.filter(
    (v) =>
      (v !== 'params' || declared.params) &&
      (v !== 'variables' || declared.variables !== undefined) &&
      (v !== 'authorizer' || declared.authorizer !== false),
  );
}

/**
 * The environment a policy's expressions are compiled in when it is written: as
 * {@link policyEnvironment}, with only the variables `declared` has, and `variables` typed
 * by the policy's variables (name → the CEL type of its expression), so
 * `variables.<undeclared>` does not compile.
 */
export function declaredVariablesEnvironment(declared: PolicyDeclarations): Environment {
  return admissionEnvironment(declaredNames(declared), {
    ...CHECKED,
    variables: declared.variables,
  });
}

/**
 * The environment an admission webhook's matchConditions are checked in: `object`,
 * `oldObject`, `request`, `namespaceObject` and `authorizer` only (`request` and
 * `namespaceObject` typed as kube-apiserver types them).
 */
export function webhookConditionEnvironment(): Environment {
  return admissionEnvironment(WEBHOOK_VARIABLES, CHECKED);
}

/** The receiver of `jsonpatch.escapeKey`. */
class JsonPatchLibrary {}

/**
 * Adds `jsonpatch.escapeKey(string)`, which MutatingAdmissionPolicy mutations have: a key
 * escaped for a JSON Patch path (RFC 6901: `~` as `~0`, `/` as `~1`).
 */
function addJsonPatch(env: Environment): Environment {
  const T = 'kubernetes.jsonpatch';
  return env
    .registerType(T, JsonPatchLibrary)
    .registerConstant('jsonpatch', T, new JsonPatchLibrary())
    .registerFunction(`${T}.escapeKey(string): string`, (_: JsonPatchLibrary, key: string) =>
      key.replaceAll('~', '~0').replaceAll('/', '~1'),
    );
}

/**
 * The environment MutatingAdmissionPolicy mutations run in: the policy environment's
 * variables and library, and `jsonpatch.escapeKey`.
 */
export function mutationEnvironment(): Environment {
  return addJsonPatch(policyEnvironment());
}

/** What a MutatingAdmissionPolicy mutation's object constructions are checked as. */
class CelObject {}
/** A `JSONPatch{…}` operation, as a mutation's checker sees it. */
class CelJsonPatch {}

/**
 * The names of the functions {@link mutationCheckEnvironment} has for object
 * constructions: `Object{…}` and `Object.<field>{…}` become `OBJECT({…})`,
 * `JSONPatch{…}` becomes `JSON_PATCH({…})`, so the checker gives a mutation's result the
 * type kube-apiserver's does (`Object`, `list(JSONPatch)`).
 */
export const CONSTRUCTIONS = { object: 'kubets_object', jsonPatch: 'kubets_jsonpatch' } as const;

/**
 * The environment MutatingAdmissionPolicy mutations are type-checked in when the policy
 * is written: the policy variables `declared` has (see {@link declaredVariablesEnvironment}),
 * the Kubernetes library, `jsonpatch`, and the types `Object` and `JSONPatch` with
 * their constructions (see {@link CONSTRUCTIONS}). Fields of constructed objects are not
 * typed: a policy may match any resource, so kube-apiserver checks them as dynamic too.
 */
export function mutationCheckEnvironment(declared: PolicyDeclarations): Environment {
  const env = admissionVariables(declaredNames(declared), {
    ...CHECKED,
    variables: declared.variables,
  })
    .registerType('Object', CelObject)
    .registerType('JSONPatch', CelJsonPatch)
    .registerFunction(`${CONSTRUCTIONS.object}(map<string, dyn>): Object`, () => new CelObject())
    .registerFunction(
      `${CONSTRUCTIONS.jsonPatch}(map<string, dyn>): JSONPatch`,
      () => new CelJsonPatch(),
    );
  return addJsonPatch(kubernetesLibrary(env));
}
