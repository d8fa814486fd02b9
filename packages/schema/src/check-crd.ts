import type { JSONSchemaProps } from '@kube-ts/k8s/apiextensions/v1';
import { checkCelRules } from './cel/compile.js';
import { isJsonObject, jsonEqual } from './json-schema.js';
import { dns1035LabelProblem, dns1123SubdomainProblem } from './names.js';
import { schemaAt } from './schema-path.js';
import { checkStructural, type StructuralProblem } from './structural.js';

const COLUMN_TYPES = ['boolean', 'date', 'integer', 'number', 'string'];
const SCOPES = ['Cluster', 'Namespaced'];

type Report = (field: string, message: string) => void;

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const obj = (v: unknown): Record<string, unknown> => (isJsonObject(v) ? v : {});

function checkNames(names: Record<string, unknown>, report: Report): void {
  const at = 'spec.names';
  for (const key of ['plural', 'singular', 'kind', 'listKind'] as const) {
    if (str(names[key]) === '') report(`${at}.${key}`, 'Required value');
  }
  for (const key of ['plural', 'singular'] as const) {
    const v = str(names[key]);
    const problem = v === '' ? undefined : dns1035LabelProblem(v);
    if (problem) report(`${at}.${key}`, `Invalid value: ${JSON.stringify(v)}: ${problem}`);
  }
  for (const key of ['kind', 'listKind'] as const) {
    const v = str(names[key]);
    const problem = v === '' ? undefined : dns1035LabelProblem(v.toLowerCase());
    if (problem) {
      report(
        `${at}.${key}`,
        `Invalid value: ${JSON.stringify(v)}: may have mixed case, but should otherwise match: ${problem}`,
      );
    }
  }
  if (str(names.kind) !== '' && names.kind === names.listKind) {
    report(
      `${at}.listKind`,
      `Invalid value: ${JSON.stringify(names.listKind)}: kind and listKind may not be the same`,
    );
  }
  for (const key of ['shortNames', 'categories'] as const) {
    list(names[key]).forEach((v, i) => {
      const problem = dns1035LabelProblem(str(v));
      if (problem) report(`${at}.${key}[${i}]`, `Invalid value: ${JSON.stringify(v)}: ${problem}`);
    });
  }
}

/**
 * @param schemaPath where the version's schema problems are reported: the server
 *   reports them under `spec.validation.openAPIV3Schema` (once) when every version has
 *   the same schema, else under `spec.versions[i].schema.openAPIV3Schema`; `undefined`
 *   when they were already reported.
 * @param selectablePath the same for `selectableFields` (`spec.selectableFields` when
 *   every version has the same).
 */
function checkVersion(
  version: Record<string, unknown>,
  i: number,
  schemaPath: string | undefined,
  selectablePath: string | undefined,
  report: Report,
): void {
  const at = `spec.versions[${i}]`;
  const name = str(version.name);
  const problem = dns1035LabelProblem(name);
  if (problem) report(`${at}.name`, `Invalid value: ${JSON.stringify(name)}: ${problem}`);
  const schema = obj(version.schema).openAPIV3Schema;
  if (!isJsonObject(schema)) {
    report(`${at}.schema.openAPIV3Schema`, 'Required value: schemas are required');
    return;
  }
  if (schemaPath !== undefined) {
    const structural = checkStructural(schema as JSONSchemaProps, schemaPath);
    // kube-apiserver compiles the CEL rules of structural schemas only.
    const cel = structural.length ? [] : checkCelRules(schema as JSONSchemaProps, schemaPath);
    for (const p of [...structural, ...cel]) report(p.field, p.message);
  }
  list(version.additionalPrinterColumns).forEach((c, j) => {
    const col = obj(c);
    const cat = `${at}.additionalPrinterColumns[${j}]`;
    if (str(col.name) === '') report(`${cat}.name`, 'Required value');
    if (!COLUMN_TYPES.includes(str(col.type))) {
      report(
        `${cat}.type`,
        `Invalid value: ${JSON.stringify(col.type ?? '')}: must be one of ${COLUMN_TYPES.join(',')}`,
      );
    }
    if (str(col.jsonPath) === '') report(`${cat}.JSONPath`, 'Required value');
  });
  if (selectablePath !== undefined) {
    checkSelectableFields(
      list(version.selectableFields),
      schema as JSONSchemaProps,
      selectablePath,
      report,
    );
  }
}

/** A version's `selectableFields` (reported under `at`): each a string, integer or boolean field. */
function checkSelectableFields(
  fields: unknown[],
  schema: JSONSchemaProps,
  at: string,
  report: Report,
): void {
  fields.forEach((f, j) => {
    const path = str(obj(f).jsonPath);
    const fat = `${at}[${j}].jsonPath`;
    if (path === '') {
      report(fat, 'Required value');
      return;
    }
    if (path.startsWith('.metadata')) {
      report(fat, `Invalid value: ${JSON.stringify(path)}: must not point to fields in metadata`);
      return;
    }
    const node = schemaAt(schema, path);
    if (!node) {
      report(
        fat,
        `Invalid value: ${JSON.stringify(path)}: is an invalid path: does not refer to a valid field`,
      );
    } else if (!['string', 'integer', 'boolean'].includes(node.type ?? '')) {
      report(
        fat,
        `Invalid value: ${JSON.stringify(path)}: must point to a field of type string, boolean or integer. Enum string fields and strings with formats are allowed.`,
      );
    }
  });
}

/**
 * Checks a whole apiextensions.k8s.io/v1 CustomResourceDefinition the way the API server
 * does on create, and returns every problem with the server's field paths
 * (`metadata.name`, `spec.names.plural`, `spec.versions[0].schema.openAPIV3Schema…`).
 * Empty when the CRD would be accepted.
 *
 * Checked: `metadata.name` is `plural.group`; the group is a DNS-1123 subdomain with a
 * dot; names (plural, singular, kind, listKind, shortNames, categories); scope; versions
 * (unique DNS-1035 names, exactly one storage version, a structural schema each, printer
 * columns, selectable fields, CEL rules that do not compile). Not checked: conversion
 * webhooks, CEL cost, `status.storedVersions`.
 */
export function checkCrd(crd: unknown): StructuralProblem[] {
  const problems: StructuralProblem[] = [];
  const report: Report = (field, message) => problems.push({ field, message });
  const root = obj(crd);
  const spec = obj(root.spec);
  const names = obj(spec.names);
  const group = str(spec.group);
  const name = str(obj(root.metadata).name);
  const expected = `${str(names.plural)}.${group}`;
  if (name === '') report('metadata.name', 'Required value: name or generateName is required');
  else if (name !== expected) {
    report(
      'metadata.name',
      `Invalid value: ${JSON.stringify(name)}: must be spec.names.plural+"."+spec.group`,
    );
  }
  if (group === '') report('spec.group', 'Required value');
  else {
    const problem = dns1123SubdomainProblem(group);
    if (problem) report('spec.group', `Invalid value: ${JSON.stringify(group)}: ${problem}`);
    else if (!group.includes('.'))
      report(
        'spec.group',
        `Invalid value: ${JSON.stringify(group)}: should be a domain with at least one dot`,
      );
  }
  checkNames(names, report);
  const scope = str(spec.scope);
  if (scope === '') report('spec.scope', 'Required value');
  else if (!SCOPES.includes(scope)) {
    report(
      'spec.scope',
      `Unsupported value: ${JSON.stringify(scope)}: supported values: "Cluster", "Namespaced"`,
    );
  }
  const versions = list(spec.versions).map(obj);
  if (versions.length === 0)
    report(
      'spec.versions',
      'Required value: must have exactly one version marked as storage version',
    );
  const versionNames = versions.map((v) => str(v.name));
  if (new Set(versionNames).size !== versionNames.length) {
    report('spec.versions', 'Invalid value: must contain unique version names');
  }
  if (versions.length > 0 && versions.filter((v) => v.storage === true).length !== 1) {
    report(
      'spec.versions',
      'Invalid value: must have exactly one version marked as storage version',
    );
  }
  const schemas = versions.map((v) => obj(v.schema).openAPIV3Schema);
  const shared = schemas.length > 0 && schemas.every((x) => jsonEqual(x, schemas[0]));
  // Like the schema, selectable fields that every version shares are reported once.
  const selectable = versions.map((v) => v.selectableFields);
  const sharedSelectable = selectable.every((x) => jsonEqual(x, selectable[0]));
  versions.forEach((v, i) => {
    const schemaPath = shared
      ? i === 0
        ? 'spec.validation.openAPIV3Schema'
        : undefined
      : `spec.versions[${i}].schema.openAPIV3Schema`;
    const selectablePath = sharedSelectable
      ? i === 0
        ? 'spec.selectableFields'
        : undefined
      : `spec.versions[${i}].selectableFields`;
    checkVersion(v, i, schemaPath, selectablePath, report);
  });
  return problems;
}
