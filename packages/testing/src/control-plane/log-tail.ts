/**
 * Keeps the last `capacity` lines written by a process (stdout and stderr interleaved in
 * arrival order), so a start-up failure can show what the process said last. Partial
 * lines are held until their newline arrives; {@link LogTail.lines} includes a pending
 * partial line at the end.
 */
export class LogTail {
  readonly #capacity: number;
  readonly #lines: string[] = [];
  #partial = '';

  /** @param capacity how many complete lines to keep (at least 1). */
  constructor(capacity: number) {
    this.#capacity = Math.max(1, Math.floor(capacity));
  }

  /** Appends a chunk of output; splits it into lines and drops the oldest beyond capacity. */
  write(chunk: string): void {
    const parts = (this.#partial + chunk).split('\n');
    this.#partial = parts.pop() ?? '';
    for (const line of parts) this.#push(line.endsWith('\r') ? line.slice(0, -1) : line);
  }

  /** The last `count` lines (default: all kept), oldest first. */
  lines(count: number = this.#capacity): string[] {
    const all = this.#partial === '' ? [...this.#lines] : [...this.#lines, this.#partial];
    return count <= 0 ? [] : all.slice(-count);
  }

  #push(line: string): void {
    this.#lines.push(line);
    if (this.#lines.length > this.#capacity)
      this.#lines.splice(0, this.#lines.length - this.#capacity);
  }
}
