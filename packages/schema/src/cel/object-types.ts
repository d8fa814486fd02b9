/**
 * The CEL types of the objects admission expressions are type-checked against, as
 * Kubernetes' schema → CEL mapping gives them: type names, objects with their fields, and
 * lists and maps of either, declared in an evaluator environment as message types so that
 * a list's items and a map's values are checked too (`containers[0].nope`).
 */
import { isDeepStrictEqual } from 'node:util';
import type { Environment } from '@marcbachmann/cel-js';

/**
 * A CEL type: a type name (`int`, `string`, `dyn`, `bytes`, `list<int>`,
 * `google.protobuf.Timestamp`, …), an object's fields ({@link CelObjectType}; `{}` is an
 * object without fields), a list or map of another ({@link CelListOf}, {@link CelMapOf}),
 * or an optional one ({@link CelOptionalOf}).
 */
export type CelType = string | CelObjectType | CelListOf | CelMapOf | CelOptionalOf;

/** A CEL object type: each field's {@link CelType}. */
export interface CelObjectType {
  readonly [field: string]: CelType;
}

/** A list whose items have the CEL type `item`. */
export class CelListOf {
  /** @param item the items' type. */
  constructor(readonly item: CelType) {}
}

/** A map from strings to values of the CEL type `value`. */
export class CelMapOf {
  /** @param value the values' type. */
  constructor(readonly value: CelType) {}
}

/** An optional value of the CEL type `value` (`optional_type(T)`). */
export class CelOptionalOf {
  /** @param value the type of the value when present. */
  constructor(readonly value: CelType) {}
}

/** The names of object types declared under a name of their own (see {@link namedObjectType}). */
const ownNames = new WeakMap<CelObjectType, string>();

/**
 * An object type that environments declare under `name` (cel-go's name for it, as
 * messages print it: `kubernetes.UserInfo`) instead of one made from where it is reached.
 */
export function namedObjectType(name: string, fields: CelObjectType): CelObjectType {
  ownNames.set(fields, name);
  return fields;
}

/**
 * The suffixes naming a list's items and a map's values in the evaluator (its operator
 * declarations take no `@`), and kube-apiserver's names for them, `.@idx` and `.@elem`.
 */
const ITEM = '.__item__';
const VALUE = '.__value__';

/**
 * `text` (a message naming types) with the evaluator's names of list items' and map
 * values' types spelled as kube-apiserver's (`selfType1.l.@idx`, `selfType1.m.@elem`).
 */
export function kubeTypeNames(text: string): string {
  return text.replaceAll(ITEM, '.@idx').replaceAll(VALUE, '.@elem');
}

/**
 * `prefix` and the nanoseconds of the clock's current second, as kube-apiserver names the
 * object types it declares for a CRD rule (`selfType123456789`) or an admission policy's
 * kinds (`ConfigMap123456789`), so that no expression can depend on the name.
 */
export function clockTypeName(prefix: string): string {
  return `${prefix}${Number(process.hrtime.bigint() % 1_000_000_000n)}`;
}

/** The object types declared in each environment, by their message type name. */
const objectsByEnvironment = new WeakMap<Environment, Map<string, CelObjectType>>();

/**
 * The object type `env` declares as the message type `name` (a typed variable's, or one of
 * its fields'), undefined for any other type.
 */
export function declaredObjectType(env: Environment, name: string): CelObjectType | undefined {
  return objectsByEnvironment.get(env)?.get(name);
}

/**
 * Declares `type` in `env` and returns its type name there: object types become message
 * types named from `name` (each object declared once, however often it is reached).
 */
function declare(
  env: Environment,
  name: string,
  type: CelType,
  declared: WeakMap<object, string>,
): string {
  if (typeof type === 'string') return type;
  const known = declared.get(type);
  if (known) return known;
  let out: string;
  // A list's or map's own name is never a message type's, so its items' is unique.
  if (type instanceof CelListOf) {
    out = `list<${declare(env, `${name}${ITEM}`, type.item, declared)}>`;
  } else if (type instanceof CelMapOf) {
    out = `map<string, ${declare(env, `${name}${VALUE}`, type.value, declared)}>`;
  } else if (type instanceof CelOptionalOf) {
    out = `optional<${declare(env, name, type.value, declared)}>`;
  } else {
    const typeName = ownNames.get(type) ?? name;
    const fields: Record<string, string> = {};
    for (const [field, t] of Object.entries(type)) {
      fields[field] = declare(env, `${typeName}.${field}`, t, declared);
    }
    // Objects compare with `==` and `!=` as cel-go's structs do, with each other and null.
    env
      .registerType(typeName, { fields })
      .registerOperator(`${typeName} == ${typeName}`, (a: unknown, b: unknown) =>
        isDeepStrictEqual(a, b),
      )
      .registerOperator(`${typeName} == null`, (a: unknown) => a === null);
    let objects = objectsByEnvironment.get(env);
    if (!objects) {
      objects = new Map();
      objectsByEnvironment.set(env, objects);
    }
    objects.set(typeName, type);
    out = typeName;
  }
  declared.set(type, out);
  return out;
}

/**
 * Registers each variable of `variables` (name → CEL type) in `env`, its object types as
 * message types named `kubets.<name>…`, or `<root>…` where `roots` names the variable's
 * type (an object shared by two variables declared once; a field's type is named
 * `<type>.<field>` as kube-apiserver names it, a list's items and a map's values under
 * the evaluator's suffixes that {@link kubeTypeNames} spells as kube-apiserver's `.@idx`
 * and `.@elem`), and returns `env`.
 */
export function registerTypedVariables(
  env: Environment,
  variables: Readonly<Record<string, CelType>>,
  roots: Readonly<Record<string, string>> = {},
): Environment {
  const declared = new WeakMap<object, string>();
  for (const [name, type] of Object.entries(variables)) {
    env.registerVariable(name, declare(env, roots[name] ?? `kubets.${name}`, type, declared));
  }
  return env;
}
