import { carryLiteral, keptLiteral } from './big-integers.js';
import { isObject, type JsonObject } from './json.js';
import { metaOf } from './object-meta.js';
import { toPartialObjectMetadata } from './output/partial-metadata.js';
import { humanAge } from './output/print-format.js';
import { printerOf } from './output/printers.js';
import { apiVersionOf, type ResourceType, resourceKey } from './resource-types.js';
import { servedAs } from './serialize.js';

/** Where a printer column's simple JSONPath (`.spec.n`) leads in `obj`: the holder and key. */
function jsonPathPlace(
  obj: JsonObject,
  path: string,
): { holder: JsonObject; key: string } | undefined {
  const steps = path.replace(/^\./, '').split('.');
  const key = steps.pop()!;
  let holder: unknown = obj;
  for (const seg of steps) {
    if (!isObject(holder)) return undefined;
    holder = holder[seg];
  }
  return isObject(holder) ? { holder, key } : undefined;
}

/**
 * kube-apiserver's default table convertor (kinds without a printer, e.g. Roles): Name and
 * `Created At`, a date column holding the creation timestamp itself.
 */
const DEFAULT_PRINTER = printerOf('roles.rbac.authorization.k8s.io')!;
const NAME_DESCRIPTION = DEFAULT_PRINTER.columns[0]!.description!;

/** A CRD's default column when it declares none, as kube-apiserver's CRD handler adds it. */
const DEFAULT_CR_COLUMNS: JsonObject[] = [
  { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
];

/**
 * A custom resource's columns at a version: exactly that version's declared printer
 * columns (or Age).
 */
function customColumns(t: ResourceType, version: string): JsonObject[] {
  const declared = t.printerColumns?.[version];
  return declared?.length ? declared : DEFAULT_CR_COLUMNS;
}

/**
 * A custom resource's cell as kube-apiserver's CRD table convertor writes it: `string`
 * columns print the value, `date` columns the age since the timestamp, others the value.
 */
function customCell(type: string, v: unknown, literal: string | undefined): unknown {
  if (type === 'string') return typeof v === 'string' ? v : (literal ?? JSON.stringify(v));
  if (type === 'date') return typeof v === 'string' ? humanAge(v) : null;
  return v;
}

/** Column definitions: a built-in's printer's, or Name and a custom resource's columns. */
function columns(t: ResourceType, version: string): JsonObject[] {
  const printer = t.builtin ? printerOf(resourceKey(t)) : undefined;
  if (printer) return printer.columns;
  // Built-ins without a printer here (kube-apiserver has one for most of them).
  if (t.builtin) return DEFAULT_PRINTER.columns;
  const name = {
    name: 'Name',
    type: 'string',
    format: 'name',
    description: NAME_DESCRIPTION,
    priority: 0,
  };
  return [
    name,
    ...customColumns(t, version).map((c) => ({
      name: String(c.name ?? ''),
      type: String(c.type ?? 'string'),
      format: String(c.format ?? ''),
      description: String(
        c.description ??
          `Custom resource definition column (in JSONPath format): ${String(c.jsonPath ?? '')}`,
      ),
      priority: Number(c.priority ?? 0),
    })),
  ];
}

/** What each row carries (`includeObject`): nothing, the metadata (default) or the object. */
type IncludeObject = 'None' | 'Metadata' | 'Object';

function includeObjectOf(q: URLSearchParams): IncludeObject {
  const v = q.get('includeObject');
  return v === 'None' || v === 'Object' ? v : 'Metadata';
}

/**
 * One row, printed from the stored object (kube-apiserver prints its internal object); with
 * `includeObject=Object` the row carries the object converted to the request's version (an
 * autoscaling/v1 HPA with its round-trip annotations), the metadata otherwise.
 */
function row(
  t: ResourceType,
  obj: JsonObject,
  include: IncludeObject,
  version: string,
): JsonObject {
  const meta = metaOf(obj);
  const age = humanAge(meta.creationTimestamp);
  const printer = t.builtin ? printerOf(resourceKey(t)) : undefined;
  let cells: unknown[];
  if (printer) cells = printer.cells(obj, age);
  else if (t.builtin) cells = DEFAULT_PRINTER.cells(obj, age);
  else {
    cells = [meta.name ?? ''];
    for (const c of customColumns(t, version)) {
      const at = jsonPathPlace(obj, String(c.jsonPath ?? ''));
      const v = at?.holder[at.key];
      const literal = at && keptLiteral(at.holder, at.key);
      const type = String(c.type ?? 'string');
      cells.push(v === undefined || v === null ? null : customCell(type, v, literal));
      // An integer column writes an int64 beyond 2^53 as the request wrote it
      // (big-integers.ts); a number column, a float64, rounds it as JavaScript does.
      if (at && type === 'integer')
        carryLiteral(at.holder, at.key, cells, String(cells.length - 1));
    }
  }
  return {
    cells: cells as JsonObject[],
    object:
      include === 'None'
        ? null
        : include === 'Object'
          ? servedAs(t, apiVersionOf(t.group, version), obj)
          : toPartialObjectMetadata(obj),
  };
}

/**
 * A meta.k8s.io/v1 Table of stored objects (kubectl's `get` output) for a request at
 * `version`; the query's `includeObject` says what each row carries.
 */
export function toTable(
  t: ResourceType,
  version: string,
  items: JsonObject[],
  listMeta: JsonObject,
  q: URLSearchParams,
): JsonObject {
  const include = includeObjectOf(q);
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: listMeta,
    columnDefinitions: columns(t, version),
    rows: items.map((o) => row(t, o, include, version)),
  };
}
