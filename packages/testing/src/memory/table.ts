import { isObject, type JsonObject } from './json.js';
import { metaOf } from './object-meta.js';
import type { ResourceType } from './resource-types.js';

/** True when the Accept header asks for server-side printing (`as=Table`), as kubectl does. */
export function wantsTable(accept: string | undefined): boolean {
  return accept !== undefined && /as=Table/.test(accept);
}

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
    cols.push({ name: 'Age', type: 'date', format: '', description: 'Creation time', priority: 0 });
  }
  return cols;
}

function row(t: ResourceType, obj: JsonObject): JsonObject {
  const meta = metaOf(obj);
  const cells: unknown[] = [meta.name ?? ''];
  for (const c of t.printerColumns ?? []) {
    const v = jsonPathValue(obj, String(c.jsonPath ?? ''));
    cells.push(v === undefined ? null : v);
  }
  if (!(t.printerColumns ?? []).some((c) => c.name === 'Age'))
    cells.push(meta.creationTimestamp ?? null);
  return {
    cells: cells as JsonObject[],
    object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: meta },
  };
}

/** A meta.k8s.io/v1 Table of objects (kubectl's `get` output). */
export function toTable(t: ResourceType, items: JsonObject[], listMeta: JsonObject): JsonObject {
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: listMeta,
    columnDefinitions: columns(t),
    rows: items.map((o) => row(t, o)),
  };
}
