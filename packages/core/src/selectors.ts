/** One requirement of a label selector. */
export type LabelRequirement =
  | { readonly key: string; readonly op: '=' | '!='; readonly value: string }
  | { readonly key: string; readonly op: 'in' | 'notin'; readonly values: readonly string[] }
  | { readonly key: string; readonly op: 'exists' | '!' };

/**
 * An immutable label selector built term by term; each method returns a new selector with
 * one more requirement (all requirements must hold). `toString()` renders the API's
 * syntax, e.g. `app=web,tier in (a,b),!legacy`. Keys and values are validated as
 * Kubernetes label keys/values, so a rendered selector is never ambiguous.
 */
export interface LabelSelector {
  /** The requirements, in the order they were added. */
  readonly requirements: readonly LabelRequirement[];
  /** `key=value`. */
  eq(key: string, value: string): LabelSelector;
  /** `key!=value` (also matches objects without the label). */
  notEq(key: string, value: string): LabelSelector;
  /** `key in (v1,v2)`; `values` must not be empty. */
  in(key: string, values: readonly string[]): LabelSelector;
  /** `key notin (v1,v2)` (also matches objects without the label); `values` must not be empty. */
  notIn(key: string, values: readonly string[]): LabelSelector;
  /** `key`: the label is set (to any value). */
  exists(key: string): LabelSelector;
  /** `!key`: the label is not set. */
  doesNotExist(key: string): LabelSelector;
  /** Whether a label set satisfies every requirement (the API server's semantics). */
  matches(labels: Readonly<Record<string, string>> | undefined): boolean;
  /** The API syntax; `''` (matches everything) when there are no requirements. */
  toString(): string;
}

/** One requirement of a field selector. */
export interface FieldRequirement {
  readonly field: string;
  readonly op: '=' | '!=';
  readonly value: string;
}

/**
 * An immutable field selector (`metadata.name=foo,status.phase!=Running`); each method
 * returns a new selector. Values are escaped as the API requires (`\`, `,` and `=`).
 */
export interface FieldSelector {
  /** The requirements, in the order they were added. */
  readonly requirements: readonly FieldRequirement[];
  /** `field=value`. */
  eq(field: string, value: string): FieldSelector;
  /** `field!=value`. */
  notEq(field: string, value: string): FieldSelector;
  /** The API syntax; `''` when there are no requirements. */
  toString(): string;
}

const NAME = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)$/;
const PREFIX = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function checkKey(key: string): void {
  const slash = key.indexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  const ok =
    NAME.test(name) && (prefix === undefined || (prefix.length <= 253 && PREFIX.test(prefix)));
  if (!ok) {
    throw new TypeError(
      `'${key}' is not a valid label key: use [prefix/]name, name up to 63 alphanumerics, '-', '_' or '.'`,
    );
  }
}

function checkValue(value: string): void {
  if (value !== '' && !NAME.test(value)) {
    throw new TypeError(
      `'${value}' is not a valid label value: up to 63 alphanumerics, '-', '_' or '.', starting and ending alphanumeric`,
    );
  }
}

function checkValues(key: string, values: readonly string[]): void {
  if (values.length === 0) {
    throw new TypeError(`label selector on '${key}': 'in'/'notin' needs at least one value`);
  }
  for (const v of values) checkValue(v);
}

function renderLabel(r: LabelRequirement): string {
  switch (r.op) {
    case '=':
    case '!=':
      return `${r.key}${r.op}${r.value}`;
    case 'in':
    case 'notin':
      return `${r.key} ${r.op} (${r.values.join(',')})`;
    case 'exists':
      return r.key;
    case '!':
      return `!${r.key}`;
  }
}

function matchesOne(r: LabelRequirement, labels: Readonly<Record<string, string>>): boolean {
  const has = Object.hasOwn(labels, r.key);
  const v = labels[r.key];
  switch (r.op) {
    case '=':
      return has && v === r.value;
    case '!=':
      return !has || v !== r.value;
    case 'in':
      return has && r.values.includes(v as string);
    case 'notin':
      return !has || !r.values.includes(v as string);
    case 'exists':
      return has;
    case '!':
      return !has;
  }
}

function makeLabelSelector(requirements: readonly LabelRequirement[]): LabelSelector {
  const add = (r: LabelRequirement): LabelSelector => {
    checkKey(r.key);
    if ('value' in r) checkValue(r.value);
    if ('values' in r) checkValues(r.key, r.values);
    return makeLabelSelector([...requirements, r]);
  };
  return Object.freeze({
    requirements,
    eq: (key: string, value: string) => add({ key, op: '=', value }),
    notEq: (key: string, value: string) => add({ key, op: '!=', value }),
    in: (key: string, values: readonly string[]) => add({ key, op: 'in', values: [...values] }),
    notIn: (key: string, values: readonly string[]) =>
      add({ key, op: 'notin', values: [...values] }),
    exists: (key: string) => add({ key, op: 'exists' }),
    doesNotExist: (key: string) => add({ key, op: '!' }),
    matches: (labels: Readonly<Record<string, string>> | undefined) =>
      requirements.every((r) => matchesOne(r, labels ?? {})),
    toString: () => requirements.map(renderLabel).join(','),
  });
}

/**
 * Starts a label selector. With `matchLabels`, starts with one `key=value` term per entry.
 *
 * @example labelSelector({ app: 'web' }).in('tier', ['a', 'b']).doesNotExist('legacy')
 */
export function labelSelector(matchLabels: Readonly<Record<string, string>> = {}): LabelSelector {
  let s = makeLabelSelector([]);
  for (const [k, v] of Object.entries(matchLabels)) s = s.eq(k, v);
  return s;
}

function escapeFieldValue(value: string): string {
  return value.replace(/[\\,=]/g, (c) => `\\${c}`);
}

function makeFieldSelector(requirements: readonly FieldRequirement[]): FieldSelector {
  const add = (r: FieldRequirement): FieldSelector => {
    if (!/^[A-Za-z0-9_.-]+$/.test(r.field)) {
      throw new TypeError(
        `'${r.field}' is not a field path; use a dotted path such as 'metadata.name'`,
      );
    }
    return makeFieldSelector([...requirements, r]);
  };
  return Object.freeze({
    requirements,
    eq: (field: string, value: string) => add({ field, op: '=', value }),
    notEq: (field: string, value: string) => add({ field, op: '!=', value }),
    toString: () =>
      requirements.map((r) => `${r.field}${r.op}${escapeFieldValue(r.value)}`).join(','),
  });
}

/**
 * Starts a field selector.
 *
 * @example fieldSelector().eq('metadata.name', 'web').notEq('status.phase', 'Running')
 */
export function fieldSelector(): FieldSelector {
  return makeFieldSelector([]);
}

/** A selector in either form: the API's string syntax or a builder. */
export type SelectorLike = string | LabelSelector | FieldSelector;

/** Renders a selector to the API's string syntax; `undefined` stays `undefined`. */
export function renderSelector(selector: SelectorLike | undefined): string | undefined {
  return selector === undefined ? undefined : selector.toString();
}
