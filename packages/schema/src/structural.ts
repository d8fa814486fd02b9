import { applyDefaults } from './defaults.js';
import { isKnownFormat } from './formats.js';
import type { JSONSchemaProps } from './json-schema.js';
import { pruneUnknownFields } from './prune.js';
import { compilePattern, validateAgainstSchema } from './validate.js';
import { formatViolation } from './violation.js';

/** One reason a schema is not structural, named by its path inside the schema. */
export interface StructuralProblem {
  /** Path of the offending node or keyword, e.g. `openAPIV3Schema.properties[spec].type`. */
  readonly field: string;
  /** What is wrong and which rule it breaks, in the API server's words where it has them. */
  readonly message: string;
}

const TYPES = ['object', 'array', 'string', 'integer', 'number', 'boolean'];
const FORBIDDEN_KEYWORDS = [
  '$ref',
  '$schema',
  'id',
  'definitions',
  'patternProperties',
  'dependencies',
  'additionalItems',
] as const;
const FORBIDDEN_IN_JUNCTORS = [
  'type',
  'description',
  'default',
  'additionalProperties',
  'nullable',
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-embedded-resource',
  'x-kubernetes-list-type',
  'x-kubernetes-list-map-keys',
  'x-kubernetes-map-type',
  'x-kubernetes-validations',
] as const;
const JUNCTOR_LISTS = ['allOf', 'anyOf', 'oneOf'] as const;
const SCALARS = new Set(['string', 'integer', 'number', 'boolean']);

type Report = (field: string, message: string) => void;

function isIntOrStringJunction(parent: JSONSchemaProps, sub: JSONSchemaProps): boolean {
  return (
    parent['x-kubernetes-int-or-string'] === true &&
    (sub.type === 'integer' || sub.type === 'string') &&
    Object.keys(sub).length === 1
  );
}

/** Keywords every node may not carry, wherever it is. */
function checkKeywords(s: JSONSchemaProps, path: string, report: Report): void {
  for (const key of FORBIDDEN_KEYWORDS) {
    if (s[key] !== undefined)
      report(`${path}.${key}`, `Forbidden: ${key} is not supported in structural schemas`);
  }
  if (s.uniqueItems === true) {
    report(
      `${path}.uniqueItems`,
      'Forbidden: uniqueItems cannot be set to true since the runtime complexity becomes quadratic; use x-kubernetes-list-type: set',
    );
  }
  if (s.additionalProperties === false) {
    report(
      `${path}.additionalProperties`,
      'Forbidden: additionalProperties cannot be set to false',
    );
  }
  if (s.additionalProperties !== undefined && s.properties !== undefined) {
    report(
      `${path}.additionalProperties`,
      'Forbidden: additionalProperties and properties are mutual exclusive',
    );
  }
  if (s['x-kubernetes-preserve-unknown-fields'] === false) {
    report(
      `${path}.x-kubernetes-preserve-unknown-fields`,
      'Invalid value: false: must be true or undefined',
    );
  }
  if (s.type !== undefined && !TYPES.includes(s.type)) {
    report(
      `${path}.type`,
      `Unsupported value: ${JSON.stringify(s.type)}: supported values: ${TYPES.map((t) => JSON.stringify(t)).join(', ')}`,
    );
  }
  if (s.pattern !== undefined && compilePattern(s.pattern) === null) {
    report(
      `${path}.pattern`,
      `Invalid value: ${JSON.stringify(s.pattern)}: must be a valid regular expression`,
    );
  }
  if (s.items !== undefined && (Array.isArray(s.items) || typeof s.items !== 'object')) {
    report(
      `${path}.items`,
      'Forbidden: items must be a schema object, not an array (tuples are not supported)',
    );
  }
}

/** Rules for a node outside any logical junctor (a node of the structural skeleton). */
function checkSkeletonNode(s: JSONSchemaProps, path: string, report: Report): void {
  const intOrString = s['x-kubernetes-int-or-string'] === true;
  const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;
  if (intOrString && s.type !== undefined) {
    report(`${path}.type`, 'Forbidden: must be empty when x-kubernetes-int-or-string is true');
  }
  if (s.type === undefined && !intOrString && !preserve) {
    report(
      `${path}.type`,
      'Required value: must not be empty for specified object fields and array items',
    );
  }
  if (s['x-kubernetes-embedded-resource'] === true) {
    if (s.type !== 'object') {
      report(
        `${path}.type`,
        'Invalid value: must be object if x-kubernetes-embedded-resource is true',
      );
    }
    if (s.properties === undefined && !preserve) {
      report(
        `${path}.properties`,
        'Required value: must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields',
      );
    }
  }
  if (s.type === 'array' && s.items === undefined) {
    report(`${path}.items`, 'Required value: must be specified for arrays');
  }
  checkListTypeRules(s, path, report);
  if (s.default !== undefined) checkDefault(s, path, report);
}

function checkListTypeRules(s: JSONSchemaProps, path: string, report: Report): void {
  const listType = s['x-kubernetes-list-type'];
  const keys = s['x-kubernetes-list-map-keys'];
  if (listType !== undefined && s.type !== 'array') {
    report(`${path}.x-kubernetes-list-type`, 'Invalid value: must only be used on arrays');
  }
  if (keys !== undefined && listType !== 'map') {
    report(`${path}.x-kubernetes-list-map-keys`, 'Forbidden: requires x-kubernetes-list-type: map');
  }
  const items = s.items;
  if (
    listType === 'set' &&
    items &&
    !SCALARS.has(items.type ?? '') &&
    items['x-kubernetes-map-type'] !== 'atomic'
  ) {
    report(
      `${path}.items.type`,
      'Invalid value: x-kubernetes-list-type: set requires scalar items (or objects with x-kubernetes-map-type: atomic)',
    );
  }
  if (listType === 'map') {
    if (!keys || keys.length === 0) {
      report(
        `${path}.x-kubernetes-list-map-keys`,
        'Required value: must not be empty if x-kubernetes-list-type is map',
      );
    }
    if (items?.type !== 'object') {
      report(
        `${path}.items.type`,
        'Invalid value: x-kubernetes-list-type: map requires items of type object',
      );
      return;
    }
    for (const key of keys ?? []) {
      const prop = items.properties?.[key];
      if (!prop) {
        report(
          `${path}.x-kubernetes-list-map-keys`,
          `Invalid value: ${JSON.stringify(key)}: entries must all be names of item properties`,
        );
      } else if (!SCALARS.has(prop.type ?? '') && prop['x-kubernetes-int-or-string'] !== true) {
        report(
          `${path}.items.properties[${key}].type`,
          'Invalid value: list map keys must be of scalar type',
        );
      } else if (!(items.required ?? []).includes(key) && prop.default === undefined) {
        report(
          `${path}.items.properties[${key}]`,
          'Required value: list map keys must be required or have a default',
        );
      }
    }
  }
}

function checkDefault(s: JSONSchemaProps, path: string, report: Report): void {
  const withoutDefault: JSONSchemaProps = { ...s };
  delete withoutDefault.default;
  const defaulted = applyDefaults(withoutDefault, s.default);
  for (const v of validateAgainstSchema(withoutDefault, defaulted)) {
    report(`${path}.default`, `Invalid value: ${formatViolation(v)}`);
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

/** Checks a junctor subtree against the skeleton node it applies to. */
function checkJunctorNode(
  s: JSONSchemaProps,
  outer: JSONSchemaProps | undefined,
  parent: JSONSchemaProps,
  path: string,
  report: Report,
): void {
  checkKeywords(s, path, report);
  if (!isIntOrStringJunction(parent, s)) {
    for (const key of FORBIDDEN_IN_JUNCTORS) {
      if (s[key] !== undefined)
        report(`${path}.${key}`, `Forbidden: must not be used inside allOf, anyOf, oneOf or not`);
    }
  }
  for (const [name, prop] of Object.entries(s.properties ?? {})) {
    const outerProp = outer?.properties?.[name];
    if (!outerProp) {
      report(
        `${path}.properties[${name}]`,
        'Required value: must be specified outside of allOf, anyOf, oneOf and not as well (structural schema)',
      );
    }
    checkJunctorNode(prop, outerProp, s, `${path}.properties[${name}]`, report);
  }
  if (s.items !== undefined && typeof s.items === 'object' && !Array.isArray(s.items)) {
    if (!outer?.items) {
      report(
        `${path}.items`,
        'Required value: must be specified outside of allOf, anyOf, oneOf and not as well (structural schema)',
      );
    }
    checkJunctorNode(s.items, outer?.items, s, `${path}.items`, report);
  }
  forEachJunctor(s, path, (sub, at) => checkJunctorNode(sub, outer, s, at, report));
}

function forEachJunctor(
  s: JSONSchemaProps,
  path: string,
  fn: (sub: JSONSchemaProps, at: string) => void,
): void {
  for (const list of JUNCTOR_LISTS) {
    s[list]?.forEach((sub, i) => {
      fn(sub, `${path}.${list}[${i}]`);
    });
  }
  if (s.not) fn(s.not, `${path}.not`);
}

function checkSkeleton(s: JSONSchemaProps, path: string, report: Report): void {
  checkKeywords(s, path, report);
  checkSkeletonNode(s, path, report);
  for (const [name, prop] of Object.entries(s.properties ?? {})) {
    checkSkeleton(prop, `${path}.properties[${name}]`, report);
  }
  if (typeof s.additionalProperties === 'object') {
    checkSkeleton(s.additionalProperties, `${path}.additionalProperties`, report);
  }
  if (s.items !== undefined && typeof s.items === 'object' && !Array.isArray(s.items)) {
    checkSkeleton(s.items, `${path}.items`, report);
  }
  forEachJunctor(s, path, (sub, at) => checkJunctorNode(sub, s, s, at, report));
}

function checkRootMetadata(root: JSONSchemaProps, path: string, report: Report): void {
  const meta = root.properties?.metadata;
  if (!meta) return;
  const at = `${path}.properties[metadata]`;
  const allowed = new Set(['type', 'description', 'properties']);
  for (const key of Object.keys(meta)) {
    if (!allowed.has(key))
      report(
        `${at}.${key}`,
        'Forbidden: only restrictions on metadata.name and metadata.generateName are allowed',
      );
  }
  for (const name of Object.keys(meta.properties ?? {})) {
    if (name !== 'name' && name !== 'generateName') {
      report(
        `${at}.properties[${name}]`,
        'Forbidden: only restrictions on metadata.name and metadata.generateName are allowed',
      );
    }
  }
}

/**
 * Checks a CRD `openAPIV3Schema` against the Kubernetes structural-schema rules and the
 * other rules the API server applies to CRD schemas, and returns every problem (empty
 * when the schema is structural).
 *
 * Checked: the root is `type: object`; every node outside `allOf`/`anyOf`/`oneOf`/`not`
 * has a `type` (unless `x-kubernetes-int-or-string` or
 * `x-kubernetes-preserve-unknown-fields` is set, and `type` is empty with int-or-string);
 * no `$ref`, `definitions`, `patternProperties`, `dependencies`, `additionalItems`, `id`,
 * `$schema`; no `uniqueItems: true`, `additionalProperties: false`, or
 * `additionalProperties` beside `properties`; inside junctors no `type`, `description`,
 * `default`, `additionalProperties`, `nullable` or `x-kubernetes-*` (except the
 * int-or-string pattern), and every field or item they name is also specified outside;
 * root `metadata` restricts only `name`/`generateName`; embedded resources are objects
 * with properties; arrays have `items`; list-type `set`/`map` and list-map-key rules;
 * `pattern` compiles; every `default` validates and has no unknown fields.
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
  if (schema.type !== 'object') report(`${path}.type`, 'Invalid value: must be object at the root');
  checkSkeleton(schema, path, report);
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
    if (s.items && typeof s.items === 'object') walk(s.items, `${at}.items`);
    forEachJunctor(s, at, walk);
  };
  walk(schema, path);
  return problems;
}

/** One problem as one line: `openAPIV3Schema.properties[spec].type: Required value: …`. */
export function formatProblem(p: StructuralProblem): string {
  return `${p.field}: ${p.message}`;
}
