import type { JSONSchemaProps } from '@kube-ts/k8s/apiextensions/v1';
import { applyDefaults } from './defaults.js';
import { isKnownFormat } from './formats.js';
import { itemSchema } from './json-schema.js';
import { pruneUnknownFields } from './prune.js';
import {
  checkCelRules,
  checkKeywords,
  checkListTypeRules,
  type Report,
} from './structural-node-rules.js';
import { validateAgainstSchema } from './validate.js';
import type { SchemaViolation, ViolationReason } from './violation.js';

/** One reason a schema is not structural, named by its path inside the schema. */
export interface StructuralProblem {
  /** Path of the offending node or keyword, e.g. `openAPIV3Schema.properties[spec].type`. */
  readonly field: string;
  /** What is wrong and which rule it breaks, in the API server's words where it has them. */
  readonly message: string;
}

/** Keywords forbidden inside `allOf`/`anyOf`/`oneOf`/`not`, with the server's wording. */
const FORBIDDEN_IN_JUNCTORS: readonly (readonly [keyof JSONSchemaProps, string])[] = [
  ['type', 'must be empty to be structural'],
  ['additionalProperties', 'must be undefined to be structural'],
  ['default', 'must be undefined to be structural'],
  ['title', 'must be empty to be structural'],
  ['description', 'must be empty to be structural'],
  ['nullable', 'must be false to be structural'],
  ['x-kubernetes-preserve-unknown-fields', 'must be false to be structural'],
  ['x-kubernetes-embedded-resource', 'must be false to be structural'],
  ['x-kubernetes-int-or-string', 'must be false to be structural'],
  ['x-kubernetes-list-map-keys', 'must be empty to be structural'],
  ['x-kubernetes-list-type', 'must be undefined to be structural'],
  ['x-kubernetes-map-type', 'must be undefined to be structural'],
];
const JUNCTOR_LISTS = ['allOf', 'anyOf', 'oneOf'] as const;

type Level = 'root' | 'field' | 'item';

const EMPTY_TYPE: Readonly<Record<Level, string>> = {
  root: 'must not be empty at the root',
  field: 'must not be empty for specified object fields',
  item: 'must not be empty for specified array items',
};

/** Rules for a node outside any logical junctor (a node of the structural skeleton). */
function checkSkeletonNode(s: JSONSchemaProps, level: Level, path: string, report: Report): void {
  const intOrString = s['x-kubernetes-int-or-string'] === true;
  const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;
  const embedded = s['x-kubernetes-embedded-resource'] === true;
  if (intOrString && preserve) {
    report(
      `${path}.x-kubernetes-preserve-unknown-fields`,
      'Invalid value: true: must be false if x-kubernetes-int-or-string is true',
    );
  }
  if (intOrString && embedded) {
    report(
      `${path}.x-kubernetes-embedded-resource`,
      'Invalid value: true: must be false if x-kubernetes-int-or-string is true',
    );
  }
  if (embedded && s.type !== 'object') {
    report(
      `${path}.type`,
      s.type === undefined
        ? 'Required value: must be object if x-kubernetes-embedded-resource is true'
        : `Invalid value: ${JSON.stringify(s.type)}: must be object if x-kubernetes-embedded-resource is true`,
    );
  } else if (s.type === undefined && !intOrString && !preserve) {
    report(`${path}.type`, `Required value: ${EMPTY_TYPE[level]}`);
  }
  if (embedded && s.additionalProperties !== undefined) {
    report(
      `${path}.additionalProperties`,
      'Forbidden: must not be used if x-kubernetes-embedded-resource is set',
    );
  }
  if (embedded && !preserve && Object.keys(s.properties ?? {}).length === 0) {
    report(
      `${path}.properties`,
      'Required value: must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields',
    );
  }
  if (level === 'root' && s.additionalProperties !== undefined) {
    report(`${path}.additionalProperties`, 'Forbidden: must not be used at the root');
  }
  if (level === 'root' || embedded) {
    for (const key of ['kind', 'apiVersion'] as const) {
      const prop = s.properties?.[key];
      if (prop && prop.type !== 'string') {
        report(
          `${path}.properties[${key}].type`,
          `Invalid value: ${JSON.stringify(prop.type ?? '')}: must be string`,
        );
      }
    }
    const meta = s.properties?.metadata;
    if (meta && meta.type !== 'object') {
      report(
        `${path}.properties[metadata].type`,
        `Invalid value: ${JSON.stringify(meta.type ?? '')}: must be object`,
      );
    }
  }
  if (s.type === 'array' && s.items === undefined) {
    report(`${path}.items`, 'Required value: must be specified');
  }
  checkListTypeRules(s, path, report);
  checkCelRules(s, path, report);
  if (s.default !== undefined) checkDefault(s, path, report);
}

function checkDefault(s: JSONSchemaProps, path: string, report: Report): void {
  const withoutDefault: JSONSchemaProps = { ...s };
  delete withoutDefault.default;
  const defaulted = applyDefaults(withoutDefault, s.default);
  for (const v of validateAgainstSchema(withoutDefault, defaulted)) {
    report(`${path}.default`, v.message);
  }
  const pruned: string[] = [];
  pruneUnknownFields(withoutDefault, s.default, {
    resourceRoot: false,
    onPruned: (p) => pruned.push(p),
  });
  if (pruned.length > 0) {
    report(`${path}.default`, `Invalid value: must not have unknown fields (${pruned.join(', ')})`);
  }
}

/**
 * Checks a junctor subtree: no structure-defining keywords, and every field or item it
 * names is also specified on the skeleton node it applies to (`outer`).
 */
function checkJunctorNode(
  s: JSONSchemaProps,
  outer: JSONSchemaProps | undefined,
  outerPath: string,
  junctorKind: string,
  path: string,
  report: Report,
  completeness: boolean,
): void {
  checkKeywords(s, path, report);
  for (const [key, rule] of FORBIDDEN_IN_JUNCTORS) {
    if (s[key] !== undefined) report(`${path}.${key}`, `Forbidden: ${rule}`);
  }
  if (s['x-kubernetes-validations'] !== undefined && junctorKind !== 'allOf') {
    report(`${path}.x-kubernetes-validations`, 'Forbidden: must be empty to be structural');
  }
  if (s.properties?.metadata !== undefined) {
    report(`${path}.properties[metadata]`, 'Forbidden: must not be specified in a nested context');
  }
  for (const [name, prop] of Object.entries(s.properties ?? {})) {
    const outerProp = outer?.properties?.[name];
    const at = `${path}.properties[${name}]`;
    const outerAt = `${outerPath}.properties[${name}]`;
    if (!outerProp && completeness)
      report(outerAt, `Required value: because it is defined in ${at}`);
    checkJunctorNode(prop, outerProp, outerAt, junctorKind, at, report, completeness);
  }
  const items = itemSchema(s);
  if (items) {
    const at = `${path}.items`;
    if (!outer?.items && completeness) {
      report(`${outerPath}.items`, `Required value: because it is defined in ${at}`);
    }
    checkJunctorNode(
      items,
      itemSchema(outer),
      `${outerPath}.items`,
      junctorKind,
      at,
      report,
      completeness,
    );
  }
  forEachJunctor(s, path, (sub, at, kind) =>
    checkJunctorNode(sub, outer, outerPath, kind, at, report, completeness),
  );
}

/** The int-or-string exceptions: `anyOf: [{type: integer}, {type: string}]` (also as `allOf[0]`). */
function isIntOrStringAnyOf(list: readonly JSONSchemaProps[] | undefined): boolean {
  return (
    list?.length === 2 &&
    list[0]?.type === 'integer' &&
    Object.keys(list[0]).length === 1 &&
    list[1]?.type === 'string' &&
    Object.keys(list[1]).length === 1
  );
}

function forEachJunctor(
  s: JSONSchemaProps,
  path: string,
  fn: (sub: JSONSchemaProps, at: string, kind: string) => void,
): void {
  for (const list of JUNCTOR_LISTS) {
    s[list]?.forEach((sub, i) => {
      fn(sub, `${path}.${list}[${i}]`, list);
    });
  }
  if (s.not) fn(s.not, `${path}.not`, 'not');
}

function checkSkeleton(s: JSONSchemaProps, level: Level, path: string, report: Report): void {
  checkKeywords(s, path, report);
  checkSkeletonNode(s, level, path, report);
  for (const [name, prop] of Object.entries(s.properties ?? {})) {
    checkSkeleton(prop, 'field', `${path}.properties[${name}]`, report);
  }
  if (typeof s.additionalProperties === 'object') {
    checkSkeleton(s.additionalProperties, 'field', `${path}.additionalProperties`, report);
  }
  const items = itemSchema(s);
  if (items) {
    checkSkeleton(items, 'item', `${path}.items`, report);
  }
  const skipAnyOf = isIntOrStringAnyOf(s.anyOf);
  const skipFirstAllOf = isIntOrStringAnyOf(s.allOf?.[0]?.anyOf);
  // The server checks that junctor fields also exist outside only for the root's junctors.
  const completeness = level === 'root';
  forEachJunctor(s, path, (sub, at, kind) => {
    if (kind === 'anyOf' && skipAnyOf) return;
    if (kind === 'allOf' && skipFirstAllOf && at === `${path}.allOf[0]`) {
      const { anyOf: _intOrString, ...rest } = sub;
      checkJunctorNode(rest, s, path, kind, at, report, completeness);
      return;
    }
    checkJunctorNode(sub, s, path, kind, at, report, completeness);
  });
}

/** Root `metadata` may restrict only `name` and `generateName`. */
function checkRootMetadata(root: JSONSchemaProps, path: string, report: Report): void {
  const meta = root.properties?.metadata;
  if (!meta) return;
  const props = Object.keys(meta.properties ?? {});
  const onlyNames = props.every((name) => name === 'name' || name === 'generateName');
  const others = Object.keys(meta).filter((key) => key !== 'type' && key !== 'properties');
  if (!onlyNames || others.length > 0) {
    report(
      `${path}.properties[metadata]`,
      'Forbidden: must not specify anything other than name and generateName, but metadata is implicitly specified',
    );
  }
}

/**
 * Checks a CRD `openAPIV3Schema` against the Kubernetes structural-schema rules and the
 * other rules the API server applies to CRD schemas (as kube-apiserver 1.36 words them),
 * and returns every problem (empty when the schema is structural).
 *
 * Checked: the root is typed `object` and has no `additionalProperties`; every node
 * outside `allOf`/`anyOf`/`oneOf`/`not` has a `type`, unless it sets
 * `x-kubernetes-int-or-string` or `x-kubernetes-preserve-unknown-fields`; no `$ref`,
 * `definitions`, `patternProperties`, `dependencies`, `additionalItems`, `id`, `$schema`;
 * no `uniqueItems: true` or `additionalProperties` beside `properties`; inside junctors
 * no `type`, `title`, `description`, `default`, `additionalProperties`, `nullable`,
 * `x-kubernetes-*` (CEL rules only under `allOf`), no `metadata`, and (for the root's
 * junctors, as the server checks) every field or item they name is also specified
 * outside; the int-or-string `anyOf` patterns are allowed; root `metadata` restricts only
 * `name`/`generateName`; `kind`/`apiVersion` are strings at the root and in embedded
 * resources; embedded resources are objects with properties (or preserve unknown
 * fields) and no `additionalProperties`; arrays have `items`; list-type, map-type and
 * list-map-key rules; CEL rules are non-empty with one-line messages; `pattern` compiles
 * (as a JavaScript regular expression); every `default` validates and has no unknown
 * fields. These were compared with kube-apiserver 1.36.3's answers.
 * Formats are not checked here (the server ignores unknown ones): see {@link checkFormats}.
 *
 * @param schema the schema to check.
 * @param path the name of the schema in reported paths (default `openAPIV3Schema`).
 */
export function checkStructural(
  schema: JSONSchemaProps,
  path = 'openAPIV3Schema',
): StructuralProblem[] {
  const problems: StructuralProblem[] = [];
  const report: Report = (field, message) => problems.push({ field, message });
  if (schema.type !== undefined && schema.type !== 'object') {
    report(
      `${path}.type`,
      `Invalid value: ${JSON.stringify(schema.type)}: must be object at the root`,
    );
  }
  checkSkeleton(schema, 'root', path, report);
  checkRootMetadata(schema, path, report);
  return problems;
}

/**
 * Reports every `format` that the CRD validator does not know (the API server would
 * silently ignore it, so the field would go unchecked).
 */
export function checkFormats(
  schema: JSONSchemaProps,
  path = 'openAPIV3Schema',
): StructuralProblem[] {
  const problems: StructuralProblem[] = [];
  const walk = (s: JSONSchemaProps, at: string): void => {
    if (s.format !== undefined && !isKnownFormat(s.format, s.type)) {
      problems.push({
        field: `${at}.format`,
        message: `Unsupported value: ${JSON.stringify(s.format)}: not a format the API server knows`,
      });
    }
    for (const [name, prop] of Object.entries(s.properties ?? {}))
      walk(prop, `${at}.properties[${name}]`);
    if (typeof s.additionalProperties === 'object')
      walk(s.additionalProperties, `${at}.additionalProperties`);
    const items = itemSchema(s);
    if (items) walk(items, `${at}.items`);
    forEachJunctor(s, at, walk);
  };
  walk(schema, path);
  return problems;
}

const CAUSE_PREFIXES: readonly (readonly [string, ViolationReason])[] = [
  ['Required value', 'FieldValueRequired'],
  ['Forbidden', 'FieldValueForbidden'],
  ['Unsupported value', 'FieldValueNotSupported'],
  ['Invalid value', 'FieldValueInvalid'],
];

/**
 * A problem as a Status cause (`{ reason, message, field }`), as the API server reports
 * an invalid CRD in its 422 response: the reason comes from the message's prefix
 * (`Required value` → `FieldValueRequired`, `Forbidden` → `FieldValueForbidden`, …;
 * `FieldValueInvalid` otherwise).
 */
export function problemToCause(p: StructuralProblem): SchemaViolation {
  const hit = CAUSE_PREFIXES.find(([prefix]) => p.message.startsWith(prefix));
  return { field: p.field, reason: hit?.[1] ?? 'FieldValueInvalid', message: p.message };
}

/** One problem as one line: `openAPIV3Schema.properties[spec].type: Required value: …`. */
export function formatProblem(p: StructuralProblem): string {
  return `${p.field}: ${p.message}`;
}
