/**
 * Index lists of Indexed Jobs (`"1,3-5,7"`): a success policy's `succeededIndexes` and the
 * status's `completedIndexes`/`failedIndexes`, parsed as kube-apiserver's batch validation
 * parses them, with its error words.
 */

/** One interval `[from, to]` of an index list. */
type Interval = [number, number];

/** Go's `strconv.Atoi` on a decimal text: an optional sign and digits only. */
export function atoi(text: string): number | undefined {
  return /^[+-]?\d+$/.test(text) ? Number(text) : undefined;
}

/** One `x` or `x-y` of an index list below `completions`, or the error's words. */
function parseInterval(text: string, completions: number): Interval | string {
  const parts = text.split('-');
  if (parts.length > 2) {
    return `the fragment ${JSON.stringify(text)} violates the requirement that an index interval can have at most two parts separated by '-'`;
  }
  const bounds: number[] = [];
  for (const part of parts) {
    const n = atoi(part);
    if (n === undefined)
      return `cannot convert string to integer for index: ${JSON.stringify(part)}`;
    if (n >= completions) return `too large index: ${JSON.stringify(part)}`;
    bounds.push(n);
  }
  const [x, y = x] = bounds as [number, number?];
  if (parts.length === 2 && x >= y) return `non-increasing order, previous: ${x}, current: ${y}`;
  return [x, y];
}

/**
 * Parses an index list of a Job with `completions` indexes: the intervals (ascending, each
 * below `completions`) or the error's words. An empty text is no index.
 */
export function parseIndexes(text: string, completions: number): Interval[] | string {
  if (text === '') return [];
  const out: Interval[] = [];
  for (const part of text.split(',')) {
    const interval = parseInterval(part, completions);
    if (typeof interval === 'string') return interval;
    const last = out.at(-1);
    if (last && last[1] >= interval[0]) {
      return `non-increasing order, previous: ${last[1]}, current: ${interval[0]}`;
    }
    out.push(interval);
  }
  return out;
}

/** How many indexes intervals hold. */
export function indexCount(intervals: readonly Interval[]): number {
  return intervals.reduce((n, [x, y]) => n + y - x + 1, 0);
}
