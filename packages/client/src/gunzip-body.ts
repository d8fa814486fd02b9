import { gunzip } from 'node:zlib';

/** The smallest and largest output buffer {@link gunzipBody} allocates up front. */
const MIN_OUTPUT = 64 * 1024;
const MAX_OUTPUT = 256 * 1024 * 1024;
/** DEFLATE expands at most ~1032:1, so a trailer claiming more is not believed. */
const MAX_RATIO = 1032;

/**
 * Decodes a complete gzip body into one buffer, off the main thread (libuv's pool). The
 * output buffer is sized from the gzip trailer (ISIZE: the uncompressed length modulo
 * 2^32), so zlib writes it in one piece and nothing is joined or copied afterwards.
 * Decoding the body as it arrives instead costs a thread-pool round trip and a buffer
 * per 16 KiB of output and a join at the end: ~25% more client CPU for a list page of
 * 500 ConfigMaps (issue 14, docs/performance.md). zlib checks the trailer itself (a
 * wrong length is a corrupt body); a body of several gzip members has the last member's
 * length there, and then zlib writes more than one buffer, which are joined.
 */
export function gunzipBody(compressed: Buffer): Promise<Buffer> {
  const claimed = compressed.length >= 18 ? compressed.readUInt32LE(compressed.length - 4) : 0;
  // One byte more than claimed: an output that fills its buffer exactly makes zlib
  // allocate a second one to look for more.
  const chunkSize = Math.max(
    MIN_OUTPUT,
    Math.min(claimed + 1, MAX_OUTPUT, compressed.length * MAX_RATIO),
  );
  return new Promise((resolve, reject) =>
    gunzip(compressed, { chunkSize }, (err, out) => (err ? reject(err) : resolve(out))),
  );
}
