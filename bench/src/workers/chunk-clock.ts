/**
 * When the network chunk that carried each update arrived in a measured process, so that
 * scenario 8 can split write → reaction into the part before the chunk reached the client
 * (the write, the server, the socket) and the client's own part (decode, cache, dispatch),
 * the same way for every subject.
 *
 * It wraps `IncomingMessage.prototype.push`, through which Node's HTTP parser hands every
 * body chunk of every response to its stream — kube-ts's transport, client-node's
 * `node-fetch` and the floor's `node:http` alike — and notes the arrival time of each
 * written-at annotation value it finds in the chunk. A reaction then looks its object's
 * value up. The search is a `Buffer.indexOf` per chunk: about a microsecond at this
 * scenario's rates, in every subject alike.
 */
import { IncomingMessage } from 'node:http';
import { WRITTEN_AT, wallClockMs } from '../fixtures.js';

/** What precedes the value of the written-at annotation in a watch event's JSON. */
const NEEDLE = Buffer.from(`${JSON.stringify(WRITTEN_AT)}:"`);
const QUOTE = 0x22;

/** Arrival times of the chunks that carried written-at values, by value. */
export class ChunkClock {
  readonly #arrivals = new Map<string, number>();

  /** Starts noting arrivals in this process (every response from now on). */
  install(): void {
    const arrivals = this.#arrivals;
    const push = IncomingMessage.prototype.push;
    IncomingMessage.prototype.push = function (
      this: IncomingMessage,
      chunk: unknown,
      encoding?: BufferEncoding,
    ): boolean {
      if (Buffer.isBuffer(chunk)) noteArrivals(chunk, wallClockMs(), arrivals);
      return push.call(this, chunk, encoding);
    };
  }

  /**
   * Milliseconds from the arrival of the chunk that carried `writtenAt` (the annotation's
   * raw value) until now; NaN when no chunk carried it. Forgets the value.
   */
  sinceArrivalOf(writtenAt: string | undefined): number {
    if (writtenAt === undefined) return Number.NaN;
    const at = this.#arrivals.get(writtenAt);
    if (at === undefined) return Number.NaN;
    this.#arrivals.delete(writtenAt);
    return wallClockMs() - at;
  }
}

/** Records `at` for every written-at value in `chunk` (a value cut by the chunk's end is not). */
export function noteArrivals(chunk: Buffer, at: number, arrivals: Map<string, number>): void {
  let i = chunk.indexOf(NEEDLE);
  while (i !== -1) {
    const start = i + NEEDLE.length;
    const end = chunk.indexOf(QUOTE, start);
    if (end === -1) return;
    const value = chunk.toString('latin1', start, end);
    if (!arrivals.has(value)) arrivals.set(value, at);
    i = chunk.indexOf(NEEDLE, end);
  }
}
