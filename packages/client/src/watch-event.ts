import type { KubeObject, Status } from '@kube-ts/core';
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
  return value as WatchEvent<K>;
}

/**
 * Decodes a watch response body (newline-delimited JSON) into batches of events: each
 * batch holds the events completed by one chunk of the body, in order, and is yielded as
 * soon as that chunk arrives (a chunk that completes no line yields nothing; batches are
 * never empty). Consumers that handle events synchronously use this to pay the cost of an
 * async step once per chunk instead of once per event. Blank lines are skipped.
 *
 * A malformed line throws a {@link WatchDecodeError} after the events before it in the
 * same chunk were yielded as a batch; iteration stops there. When the body ends without a
 * final newline, the unfinished last line is parsed: if it is a complete event it is
 * yielded (as a batch of one), otherwise (the stream was cut mid-event) the iterator throws
 * a WatchDecodeError and the partial event is dropped.
 */
export async function* decodeWatchBatches<K extends KubeObject>(
  body: AsyncIterable<Uint8Array>,
  url: string,
): AsyncGenerator<WatchEvent<K>[], void, undefined> {
  const decoder = new LineDecoder();
  for await (const chunk of body) {
    let lines: string[];
    try {
      lines = decoder.push(chunk);
    } catch (err) {
      throw new WatchDecodeError(url, (err as Error).message, err);
    }
    const batch: WatchEvent<K>[] = [];
    let malformed: unknown;
    for (const line of lines) {
      if (line.trim() === '') continue;
      try {
        batch.push(parseWatchEvent<K>(line, url));
      } catch (err) {
        malformed = err;
        break;
      }
    }
    if (batch.length > 0) yield batch;
    if (malformed !== undefined) throw malformed;
  }
  const rest = decoder.end();
  if (rest === undefined || rest.trim() === '') return;
  let event: WatchEvent<K>;
  try {
    event = parseWatchEvent<K>(rest, url);
  } catch (err) {
    throw new WatchDecodeError(
      url,
      `the stream ended in the middle of an event (${rest.length} characters without a newline)`,
      err,
    );
  }
  yield [event];
}

/**
 * Decodes a watch response body (newline-delimited JSON) into events, incrementally: each
 * event is yielded as soon as its line is complete, whatever the chunk boundaries. Blank
 * lines are skipped. Malformed and truncated lines are handled as in
 * {@link decodeWatchBatches}: the events before them are yielded, then the iterator throws
 * a {@link WatchDecodeError}.
 */
export async function* decodeWatchStream<K extends KubeObject>(
  body: AsyncIterable<Uint8Array>,
  url: string,
): AsyncGenerator<WatchEvent<K>, void, undefined> {
  for await (const batch of decodeWatchBatches<K>(body, url)) yield* batch;
}
