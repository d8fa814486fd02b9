/**
 * Text laid out as Go's text/tabwriter lays it out with a minimum cell width of 8, no tab
 * width, padding 1 and spaces: every tab-terminated cell of a column block (consecutive
 * lines that have that cell) is padded to the block's widest cell plus one, at least 8;
 * a line's last cell is written as it is. kube-apiserver writes its API Priority and
 * Fairness debug dumps so.
 */

const MIN_WIDTH = 8;
const PADDING = 1;

/** Lays out `lines`, each a list of cells of which all but the last end in a tab. */
export function tabTable(lines: readonly (readonly string[])[]): string {
  const widths: number[][] = lines.map(() => []);
  const columns = Math.max(0, ...lines.map((l) => l.length - 1));
  for (let col = 0; col < columns; col++) {
    let start = 0;
    while (start < lines.length) {
      if (lines[start]!.length - 1 <= col) {
        start++;
        continue;
      }
      let end = start;
      let width = MIN_WIDTH;
      while (end < lines.length && lines[end]!.length - 1 > col) {
        width = Math.max(width, [...lines[end]![col]!].length + PADDING);
        end++;
      }
      for (let i = start; i < end; i++) widths[i]![col] = width;
      start = end;
    }
  }
  return lines
    .map((cells, i) =>
      cells
        .map((cell, col) =>
          col < cells.length - 1
            ? cell.padEnd(widths[i]![col]! - [...cell].length + cell.length)
            : cell,
        )
        .join(''),
    )
    .map((line) => `${line}\n`)
    .join('');
}

/**
 * Cells joined as kube-apiserver joins its dumps' cells: each but the last ends with a
 * comma (and a tab, which {@link tabTable} lays out).
 */
export function row(cells: readonly string[]): string[] {
  return cells.map((c, i) => (i < cells.length - 1 ? `${c},` : c));
}
