/**
 * How kube-apiserver's printers (pkg/printers/internalversion) write the values of Table
 * cells: ages and durations, label sets and selectors, container names and images, "a, b
 * + N more..." lists. Shared by the printers of every built-in kind.
 */
import { isObject, type JsonObject, obj, str } from '../json.js';

export { obj, str };

/** What the printers write for an absent value. */
export const NONE = '<none>';
/** What the printers write for an unset optional value. */
export const UNSET = '<unset>';

/** The value's object items ([] when it is not an array). */
export function arr(v: unknown): JsonObject[] {
  return Array.isArray(v) ? (v.filter(isObject) as JsonObject[]) : [];
}

/** The number of keys of a map (0 when it is not one). */
export function count(v: unknown): number {
  return isObject(v) ? Object.keys(v).length : 0;
}

/** `a=b,c=d`, keys sorted, as labels.Set's String() writes it. */
export function labelSet(v: unknown): string {
  const entries = Object.entries(obj(v)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return entries.map(([k, val]) => `${k}=${String(val)}`).join(',');
}

/** labels.FormatLabels: a label set, or `<none>` when it is empty. */
export function formatLabels(v: unknown): string {
  return labelSet(v) || NONE;
}

/** A LabelSelector as metav1.LabelSelectorAsSelector prints it (match labels and expressions). */
export function selector(v: unknown): string {
  const s = obj(v);
  const parts: [string, string][] = Object.entries(obj(s.matchLabels)).map(([k, val]) => [
    k,
    `${k}=${String(val)}`,
  ]);
  for (const e of arr(s.matchExpressions)) {
    const key = String(e.key);
    const values = (Array.isArray(e.values) ? e.values.map(String) : []).sort().join(',');
    const op = String(e.operator);
    const text =
      op === 'In'
        ? `${key} in (${values})`
        : op === 'NotIn'
          ? `${key} notin (${values})`
          : op === 'Exists'
            ? key
            : `!${key}`;
    parts.push([key, text]);
  }
  const out = parts.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, t]) => t);
  return out.length ? out.join(',') : NONE;
}

/** The containers of a pod template spec (`spec.template.spec.containers`). */
export function templateContainers(spec: JsonObject): JsonObject[] {
  return arr(obj(obj(spec.template).spec).containers);
}

/** The Containers and Images cells: names and images joined with commas. */
export function containerCells(containers: JsonObject[]): [string, string] {
  return [
    containers.map((c) => str(c.name)).join(','),
    containers.map((c) => str(c.image)).join(','),
  ];
}

/** duration.HumanDuration: `42s`, `3m5s`, `2d4h`, … for a span in milliseconds. */
export function humanDuration(ms: number): string {
  const sec = Math.max(0, Math.floor(ms / 1000));
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

/** Age as kubectl prints it (translateTimestampSince), `<unknown>` without a timestamp. */
export function humanAge(created: unknown, now = Date.now()): string {
  const t = typeof created === 'string' ? Date.parse(created) : Number.NaN;
  if (Number.isNaN(t)) return '<unknown>';
  return humanDuration(now - t);
}

/** The first `max` entries joined with `sep`, then ` + N more...` (the printers' lists). */
export function listWithMore(list: string[], max: number, sep = ','): string {
  const shown = list.slice(0, max).join(sep);
  return list.length > max ? `${shown} + ${list.length - max} more...` : shown;
}

/** A built-in kind's row cells (all of them, wide ones included), given its age. */
export type Cells = (obj: JsonObject, age: string) => unknown[];
