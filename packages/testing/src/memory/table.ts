import { isObject, type JsonObject } from './json.js';
import { metaOf } from './object-meta.js';
import { toPartialObjectMetadata } from './output/partial-metadata.js';
import type { ResourceType } from './resource-types.js';

function jsonPathValue(obj: JsonObject, path: string): unknown {
  let cur: unknown = obj;
  for (const seg of path.replace(/^\./, '').split('.')) {
    if (!isObject(cur)) return undefined;
    cur = cur[seg];
  }
  return cur;
}

/** Column definitions: Name, the CRD's printer columns, then Age. */
function columns(t: ResourceType): JsonObject[] {
  const cols: JsonObject[] = [
    {
      name: 'Name',
      type: 'string',
      format: 'name',
      description: 'Name of the object',
      priority: 0,
    },
  ];
  for (const c of t.printerColumns ?? []) {
    cols.push({
      name: String(c.name ?? ''),
      type: String(c.type ?? 'string'),
      format: String(c.format ?? ''),
      description: String(c.description ?? ''),
      priority: Number(c.priority ?? 0),
    });
  }
  if (!(t.printerColumns ?? []).some((c) => c.name === 'Age')) {
    cols.push({
      name: 'Age',
      type: 'string',
      format: '',
      description: 'Time since creation',
      priority: 0,
    });
  }
  return cols;
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
  const cells: unknown[] = [meta.name ?? ''];
  for (const c of t.printerColumns ?? []) {
    const v = jsonPathValue(obj, String(c.jsonPath ?? ''));
    cells.push(v === undefined ? null : v);
  }
  if (!(t.printerColumns ?? []).some((c) => c.name === 'Age'))
    cells.push(humanAge(meta.creationTimestamp));
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
