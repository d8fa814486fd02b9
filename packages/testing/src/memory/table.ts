import { isObject, type JsonObject } from './json.js';
import { metaOf } from './object-meta.js';
import { toPartialObjectMetadata } from './output/partial-metadata.js';
import { printerOf } from './output/printers.js';
import { type ResourceType, resourceKey } from './resource-types.js';

function jsonPathValue(obj: JsonObject, path: string): unknown {
  let cur: unknown = obj;
  for (const seg of path.replace(/^\./, '').split('.')) {
    if (!isObject(cur)) return undefined;
    cur = cur[seg];
  }
  return cur;
}

const NAME_DESCRIPTION = (printerOf('configmaps')!.columns[0] as JsonObject).description!;

/** A CRD's default column when it declares none, as kube-apiserver's CRD handler adds it. */
const DEFAULT_CR_COLUMNS: JsonObject[] = [
  { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
];

/** A custom resource's columns: Name, then exactly its declared printer columns (or Age). */
function customColumns(t: ResourceType): JsonObject[] {
  const declared = t.printerColumns?.length ? t.printerColumns : DEFAULT_CR_COLUMNS;
  return declared;
}

/**
 * A custom resource's cell as kube-apiserver's CRD table convertor writes it: `string`
 * columns print the value, `date` columns the age since the timestamp, others the value.
 */
function customCell(type: string, v: unknown): unknown {
  if (type === 'string') return typeof v === 'string' ? v : JSON.stringify(v);
  if (type === 'date') return typeof v === 'string' ? humanAge(v) : null;
  return v;
}

/** Column definitions: a built-in's printer's, or Name and a custom resource's columns. */
function columns(t: ResourceType): JsonObject[] {
  const printer = t.builtin ? printerOf(resourceKey(t)) : undefined;
  if (printer) return printer.columns;
  const name = {
    name: 'Name',
    type: 'string',
    format: 'name',
    description: NAME_DESCRIPTION,
    priority: 0,
  };
  if (t.builtin) {
    // Built-ins without a printer here: Name and Age (kube-apiserver prints more columns).
    return [
      name,
      { name: 'Age', type: 'string', format: '', description: 'Time since creation', priority: 0 },
    ];
  }
  return [
    name,
    ...customColumns(t).map((c) => ({
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

/** Age as kubectl prints it (`42s`, `3m5s`, `2d4h`...), from a creation timestamp. */
export function humanAge(created: unknown, now = Date.now()): string {
  const t = typeof created === 'string' ? Date.parse(created) : Number.NaN;
  if (Number.isNaN(t)) return '<unknown>';
  const sec = Math.max(0, Math.floor((now - t) / 1000));
  const min = Math.floor(sec / 60);
  const hr = Math.floor(min / 60);
  const day = Math.floor(hr / 24);
  const year = Math.floor(day / 365);
  const join = (a: string, b: number, unit: string) => (b === 0 ? a : `${a}${b}${unit}`);
  if (sec < 120) return `${sec}s`;
  if (min < 10) return join(`${min}m`, sec % 60, 's');
  if (min < 180) return `${min}m`;
  if (hr < 8) return join(`${hr}h`, min % 60, 'm');
  if (hr < 48) return `${hr}h`;
  if (hr < 24 * 8) return join(`${day}d`, hr % 24, 'h');
  if (day < 365 * 2) return `${day}d`;
  if (year < 8) return join(`${year}y`, day % 365, 'd');
  return `${year}y`;
}

/** What each row carries (`includeObject`): nothing, the metadata (default) or the object. */
type IncludeObject = 'None' | 'Metadata' | 'Object';

function includeObjectOf(q: URLSearchParams): IncludeObject {
  const v = q.get('includeObject');
  return v === 'None' || v === 'Object' ? v : 'Metadata';
}

function row(t: ResourceType, obj: JsonObject, include: IncludeObject): JsonObject {
  const meta = metaOf(obj);
  const age = humanAge(meta.creationTimestamp);
  const printer = t.builtin ? printerOf(resourceKey(t)) : undefined;
  let cells: unknown[];
  if (printer) cells = printer.cells(obj, age);
  else if (t.builtin) cells = [meta.name ?? '', age];
  else {
    cells = [meta.name ?? ''];
    for (const c of customColumns(t)) {
      const v = jsonPathValue(obj, String(c.jsonPath ?? ''));
      cells.push(v === undefined || v === null ? null : customCell(String(c.type ?? 'string'), v));
    }
  }
  return {
    cells: cells as JsonObject[],
    object: include === 'None' ? null : include === 'Object' ? obj : toPartialObjectMetadata(obj),
  };
}

/**
 * A meta.k8s.io/v1 Table of objects (kubectl's `get` output); the query's `includeObject`
 * says what each row carries.
 */
export function toTable(
  t: ResourceType,
  items: JsonObject[],
  listMeta: JsonObject,
  q: URLSearchParams,
): JsonObject {
  const include = includeObjectOf(q);
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: listMeta,
    columnDefinitions: columns(t),
    rows: items.map((o) => row(t, o, include)),
  };
}
