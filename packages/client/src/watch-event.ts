import { isStatus, type KubeObject, type Status } from '@kube-ts/core';
import { WatchDecodeError } from './errors.js';
import { LineDecoder } from './line-decoder.js';

/**
 * One event of a watch: an object was added, modified or deleted, a BOOKMARK advanced the
 * resourceVersion (its object carries only `metadata.resourceVersion` and annotations), or
 * the server reported an ERROR with a {@link Status} (e.g. code 410 when the requested
 * resourceVersion is too old).
 */
export type WatchEvent<K extends KubeObject = KubeObject> =
  | { type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK'; object: K }
  | { type: 'ERROR'; object: Status };

const TYPES = new Set(['ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK', 'ERROR']);

/** Parses one line of a watch stream; throws {@link WatchDecodeError} if it is not an event. */
export function parseWatchEvent<K extends KubeObject>(line: string, url: string): WatchEvent<K> {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (err) {
    throw new WatchDecodeError(url, `a line of ${line.length} characters is not JSON`, err);
  }
  const ev = value as { type?: unknown; object?: unknown } | null;
  if (
    typeof ev !== 'object' ||
    ev === null ||
    typeof ev.type !== 'string' ||
    !TYPES.has(ev.type) ||
    typeof ev.object !== 'object' ||
    ev.object === null
  ) {
    throw new WatchDecodeError(
      url,
      `a line of ${line.length} characters is JSON but not a watch event ({type, object})`,
    );
  }
  if (ev.type === 'ERROR' && !isStatus(ev.object)) {
    const kind = (ev.object as { kind?: unknown }).kind;
    throw new WatchDecodeError(
      url,
      `an ERROR event carries ${typeof kind === 'string' ? `a ${kind.slice(0, 60)}` : 'an object without kind'}, not a Status; the server or a proxy in between sent an error the client cannot read`,
    );
  }
  return value as WatchEvent<K>;
}

/** What a {@link WatchBatchDecoder} made of a chunk: the events, and a failure after them. */
export interface DecodedBatch<K extends KubeObject> {
  /** The events completed by the chunk, in order (possibly none). */
  readonly events: WatchEvent<K>[];
  /** Set when a line was malformed (or the stream was cut mid-event): decoding stops here. */
  readonly error?: WatchDecodeError;
}

/**
 * The synchronous core of watch decoding: feed it the chunks of a watch response body
 * (newline-delimited JSON) and it returns, per chunk, the events that chunk completed.
 * Blank lines are skipped. A malformed line ends decoding with a {@link WatchDecodeError}
 * after the events before it in the same chunk; `end()` parses an unfinished last line
 * (a complete event without its newline is kept; a cut-off one is an error).
 */
export class WatchBatchDecoder<K extends KubeObject> {
  private readonly lines = new LineDecoder();

  /** @param url the watch URL, named in errors (never the content of a line) */
  constructor(private readonly url: string) {}

  /** Decodes one chunk. */
  push(chunk: Uint8Array): DecodedBatch<K> {
    let lines: string[];
    try {
      lines = this.lines.push(chunk);
    } catch (err) {
      return { events: [], error: new WatchDecodeError(this.url, (err as Error).message, err) };
    }
    const events: WatchEvent<K>[] = [];
    for (const line of lines) {
      if (line.trim() === '') continue;
      try {
        events.push(parseWatchEvent<K>(line, this.url));
      } catch (err) {
        return { events, error: err as WatchDecodeError };
      }
    }
    return { events };
  }

  /** Ends the body: the event of an unfinished last line, or the error of a cut-off one. */
  end(): DecodedBatch<K> {
    const rest = this.lines.end();
    if (rest === undefined || rest.trim() === '') return { events: [] };
    try {
      return { events: [parseWatchEvent<K>(rest, this.url)] };
    } catch (err) {
      return {
        events: [],
        error: new WatchDecodeError(
          this.url,
          `the stream ended in the middle of an event (${rest.length} characters without a newline)`,
          err,
        ),
      };
    }
  }
}
