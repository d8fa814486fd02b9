const NEWLINE = 0x0a;
const CR = 0x0d;

/**
 * Splits a byte stream into lines incrementally. Lines are found by searching for the
 * `\n` byte, which never occurs inside a multi-byte UTF-8 character, so a chunk boundary
 * that splits a line or a character is harmless: bytes of an unfinished line are kept
 * (without copying the rest of the stream) and each complete line is decoded as UTF-8
 * once. A trailing `\r` is removed. Memory use is bounded by the longest line, which
 * must not exceed `maxLineBytes`.
 */
export class LineDecoder {
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  /** @param maxLineBytes the longest line accepted (default 128 MiB); longer throws a RangeError. */
  constructor(private readonly maxLineBytes = 128 * 1024 * 1024) {}

  /** Feeds a chunk; returns the lines it completes (possibly none), without their `\n`. */
  push(chunk: Uint8Array): string[] {
    const buf = Buffer.isBuffer(chunk)
      ? chunk
      : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const lines: string[] = [];
    let start = 0;
    let nl = buf.indexOf(NEWLINE, start);
    while (nl !== -1) {
      if (this.pendingBytes > 0) {
        this.pending.push(buf.subarray(start, nl));
        lines.push(decode(Buffer.concat(this.pending, this.pendingBytes + nl - start)));
        this.pending = [];
        this.pendingBytes = 0;
      } else {
        lines.push(decode(buf.subarray(start, nl)));
      }
      start = nl + 1;
      nl = buf.indexOf(NEWLINE, start);
    }
    if (start < buf.length) {
      this.pendingBytes += buf.length - start;
      if (this.pendingBytes > this.maxLineBytes) {
        this.pending = [];
        this.pendingBytes = 0;
        throw new RangeError(`a line is longer than ${this.maxLineBytes} bytes`);
      }
      this.pending.push(buf.subarray(start));
    }
    return lines;
  }

  /** Number of bytes of the unfinished line held so far. */
  get pendingLength(): number {
    return this.pendingBytes;
  }

  /**
   * Ends the stream: returns the unfinished last line (decoded), or `undefined` when the
   * stream ended with `\n` or was empty. The decoder is empty afterwards.
   */
  end(): string | undefined {
    if (this.pendingBytes === 0) return undefined;
    const rest = decode(Buffer.concat(this.pending, this.pendingBytes));
    this.pending = [];
    this.pendingBytes = 0;
    return rest;
  }
}

function decode(line: Buffer): string {
  const end = line.length > 0 && line[line.length - 1] === CR ? line.length - 1 : line.length;
  return line.toString('utf8', 0, end);
}
