import { StringDecoder } from 'node:string_decoder';

/**
 * Splits a byte stream into lines incrementally. Each chunk is decoded as UTF-8 once (a
 * `StringDecoder` keeps the bytes of a character split across chunks for the next one),
 * then lines are cut from the text with `indexOf('\n')` and `slice`: no per-line call into
 * the UTF-8 decoder and no buffer copies. Text of an unfinished line is kept for the next
 * chunk. A trailing `\r` is removed. Memory use is bounded by the longest line, which
 * must not exceed `maxLineBytes` (counted in UTF-16 code units of the decoded text: bytes
 * for ASCII, such as the JSON of Kubernetes objects, and never more than the bytes).
 */
export class LineDecoder {
  private readonly utf8 = new StringDecoder('utf8');
  private pending = '';

  /** @param maxLineBytes the longest line accepted (default 128 MiB); longer throws a RangeError. */
  constructor(private readonly maxLineBytes = 128 * 1024 * 1024) {}

  /** Feeds a chunk; returns the lines it completes (possibly none), without their `\n`. */
  push(chunk: Uint8Array): string[] {
    const decoded = this.utf8.write(chunk as Buffer);
    let nl = decoded.indexOf('\n');
    if (nl === -1) {
      // Only the new text is searched, so a long line costs O(its length) over its chunks.
      this.keep(this.pending + decoded);
      return [];
    }
    nl += this.pending.length;
    const text = this.pending === '' ? decoded : this.pending + decoded;
    const lines: string[] = [];
    let start = 0;
    while (nl !== -1) {
      lines.push(withoutCr(text, start, nl));
      start = nl + 1;
      nl = text.indexOf('\n', start);
    }
    this.keep(start === text.length ? '' : text.slice(start));
    return lines;
  }

  /** Holds the text of the unfinished line, within `maxLineBytes`. */
  private keep(rest: string): void {
    if (rest.length > this.maxLineBytes) {
      this.pending = '';
      throw new RangeError(`a line is longer than ${this.maxLineBytes} bytes`);
    }
    this.pending = rest;
  }

  /** Length of the unfinished line held so far (in UTF-16 code units, see the class). */
  get pendingLength(): number {
    return this.pending.length;
  }

  /**
   * Ends the stream: returns the unfinished last line (decoded), or `undefined` when the
   * stream ended with `\n` or was empty. The decoder is empty afterwards.
   */
  end(): string | undefined {
    const rest = this.pending + this.utf8.end();
    this.pending = '';
    return rest === '' ? undefined : withoutCr(rest, 0, rest.length);
  }
}

function withoutCr(text: string, start: number, end: number): string {
  return text.slice(start, end > start && text.charCodeAt(end - 1) === 0x0d ? end - 1 : end);
}
