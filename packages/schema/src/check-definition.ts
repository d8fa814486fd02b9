import type { JSONSchemaProps } from '@kube-ts/k8s/apiextensions/v1';
import type { TSchema } from '@sinclair/typebox';
import { dns1035LabelProblem, groupProblem, kindProblem, versionProblem } from './names.js';
import type { ResourceOptions } from './resource-types.js';
import { schemaAt } from './schema-path.js';
import { checkFormats, checkStructural, type StructuralProblem } from './structural.js';

type Options = ResourceOptions<TSchema, TSchema | undefined> & { plural: string; singular: string };

const COLUMN_TYPES = ['string', 'integer', 'number', 'boolean', 'date'];
const SELECTABLE_TYPES = ['string', 'integer', 'boolean'];

function checkNames(o: Options, out: StructuralProblem[]): void {
  const named = (field: string, value: string, problem: string | undefined): void => {
    if (problem) out.push({ field, message: `${JSON.stringify(value)}: ${problem}` });
  };
  named('group', o.group, groupProblem(o.group));
  named('version', o.version, versionProblem(o.version));
  named('kind', o.kind, kindProblem(o.kind));
  named('plural', o.plural, dns1035LabelProblem(o.plural));
  named('singular', o.singular, dns1035LabelProblem(o.singular));
  for (const [list, values] of [
    ['shortNames', o.shortNames],
    ['categories', o.categories],
  ] as const) {
    values?.forEach((s, i) => {
      named(`${list}[${i}]`, s, dns1035LabelProblem(s));
    });
  }
  if (o.scope !== 'Namespaced' && o.scope !== 'Cluster') {
    out.push({
      field: 'scope',
      message: `${JSON.stringify(o.scope)} must be "Namespaced" or "Cluster"`,
    });
  }
}

function checkColumns(o: Options, out: StructuralProblem[]): void {
  const seen = new Set<string>();
  o.printerColumns?.forEach((c, i) => {
    const field = `printerColumns[${i}]`;
    if (!c.name) out.push({ field: `${field}.name`, message: 'must not be empty' });
    if (seen.has(c.name))
      out.push({
        field: `${field}.name`,
        message: `${JSON.stringify(c.name)} is a duplicate column name`,
      });
    seen.add(c.name);
    if (!COLUMN_TYPES.includes(c.type)) {
      out.push({
        field: `${field}.type`,
        message: `${JSON.stringify(c.type)} must be one of ${COLUMN_TYPES.join(', ')}`,
      });
    }
    if (!c.jsonPath?.startsWith('.')) {
      out.push({
        field: `${field}.jsonPath`,
        message: `${JSON.stringify(c.jsonPath)} must be a simple JSON path starting with '.' (e.g. .spec.replicas)`,
      });
    }
    if (c.priority !== undefined && (!Number.isInteger(c.priority) || c.priority < 0)) {
      out.push({ field: `${field}.priority`, message: 'must be a non-negative integer' });
    }
  });
}

function checkSubresources(o: Options, schema: JSONSchemaProps, out: StructuralProblem[]): void {
  if (o.subresources?.status && !o.status) {
    out.push({ field: 'subresources.status', message: 'needs a status schema (set `status`)' });
  }
  const scale = o.subresources?.scale;
  if (!scale) return;
  const paths: [keyof typeof scale, string[]][] = [
    ['specReplicasPath', ['.spec.']],
    ['statusReplicasPath', ['.status.']],
    ['labelSelectorPath', ['.spec.', '.status.']],
  ];
  for (const [key, prefixes] of paths) {
    const path = scale[key];
    if (path === undefined) continue;
    const field = `subresources.scale.${key}`;
    if (!prefixes.some((p) => path.startsWith(p))) {
      out.push({
        field,
        message: `${JSON.stringify(path)} must be a JSON path under ${prefixes.join(' or ')}`,
      });
      continue;
    }
    const node = schemaAt(schema, path);
    const want = key === 'labelSelectorPath' ? 'string' : 'integer';
    if (node && node.type !== want) {
      out.push({
        field,
        message: `${JSON.stringify(path)} must point to a field of type ${want}, not ${node.type ?? 'untyped'}`,
      });
    }
  }
}

function checkSelectableFields(
  o: Options,
  schema: JSONSchemaProps,
  out: StructuralProblem[],
): void {
  const fields = o.selectableFields ?? [];
  if (fields.length > 8)
    out.push({ field: 'selectableFields', message: 'must have at most 8 items' });
  fields.forEach((f, i) => {
    const path = typeof f === 'string' ? f : f.jsonPath;
    const field = `selectableFields[${i}]`;
    const node = schemaAt(schema, path);
    if (!node) {
      out.push({
        field,
        message: `${JSON.stringify(path)} must be a JSON path to a field of the schema (e.g. .spec.color)`,
      });
    } else if (!SELECTABLE_TYPES.includes(node.type ?? '')) {
      out.push({
        field,
        message: `${JSON.stringify(path)} must point to a string, integer or boolean field`,
      });
    }
  });
}

/**
 * Every reason the API server would reject the CRD of these options (names, printer
 * columns, subresources, selectable fields, a non-structural schema) plus kube-ts's own
 * rule that formats must be known. Empty when the definition is fine.
 */
export function checkDefinition(o: Options, schema: JSONSchemaProps): StructuralProblem[] {
  const out: StructuralProblem[] = [];
  checkNames(o, out);
  out.push(...checkStructural(schema), ...checkFormats(schema));
  checkColumns(o, out);
  checkSubresources(o, schema, out);
  checkSelectableFields(o, schema, out);
  return out;
}
