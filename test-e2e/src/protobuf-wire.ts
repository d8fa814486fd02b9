/**
 * A reader of the protobuf wire format for differential tests of protobuf answers: no
 * schema, only field numbers, so a test reads kube-apiserver's messages as the field
 * numbers of k8s.io/api's generated.proto name them and checks that both backends write
 * the same fields in the same order.
 */

/** One field of a message as written: its number, and its varint or its bytes. */
export interface WireField {
  readonly n: number;
  readonly varint?: bigint;
  readonly bytes?: Buffer;
}

function varint(buf: Buffer, at: number): [bigint, number] {
  let v = 0n;
  let shift = 0n;
  for (let i = at; i < buf.length; i++) {
    const b = buf[i]!;
    v |= BigInt(b & 0x7f) << shift;
    if (b < 0x80) return [v, i + 1];
    shift += 7n;
  }
  throw new Error('protobuf: truncated varint');
}

/** The fields of a message, in the order written. */
export function wireFields(buf: Buffer): WireField[] {
  const out: WireField[] = [];
  let at = 0;
  while (at < buf.length) {
    const [key, next] = varint(buf, at);
    const n = Number(key >> 3n);
    const wire = Number(key & 7n);
    if (wire === 0) {
      const [v, after] = varint(buf, next);
      out.push({ n, varint: v });
      at = after;
    } else if (wire === 2) {
      const [len, start] = varint(buf, next);
      const end = start + Number(len);
      if (end > buf.length) throw new Error('protobuf: truncated field');
      out.push({ n, bytes: buf.subarray(start, end) });
      at = end;
    } else throw new Error(`protobuf: unexpected wire type ${wire}`);
  }
  return out;
}

/** The field numbers of a message, in the order written. */
export function fieldNumbers(buf: Buffer): number[] {
  return wireFields(buf).map((f) => f.n);
}

/** The first field `n` of a message as bytes (a string, bytes or a message), or undefined. */
export function field(buf: Buffer, n: number): Buffer | undefined {
  return wireFields(buf).find((f) => f.n === n)?.bytes;
}

/** The first field `n` of a message as a string ('' when absent). */
export function text(buf: Buffer, n: number): string {
  return field(buf, n)?.toString('utf8') ?? '';
}

/** The varint field `n` of a message as a number, or undefined. */
export function number(buf: Buffer, n: number): number | undefined {
  const v = wireFields(buf).find((f) => f.n === n)?.varint;
  return v === undefined ? undefined : Number(v);
}

/** The entries of map field `n` (string keys and values), in the order written. */
export function mapEntries(buf: Buffer, n: number): [string, string][] {
  return wireFields(buf)
    .filter((f) => f.n === n)
    .map((f) => [text(f.bytes!, 1), text(f.bytes!, 2)]);
}

/** A Kubernetes protobuf object: `k8s\0`, then a runtime.Unknown. */
export interface Envelope {
  readonly apiVersion: string;
  readonly kind: string;
  /** The object's message. */
  readonly raw: Buffer;
  /** The Unknown's field numbers in order (gogo-protobuf writes all four). */
  readonly fields: number[];
  readonly contentEncoding: string;
  readonly contentType: string;
}

/** Reads the envelope of a Kubernetes protobuf object (throws without `k8s\0`). */
export function envelope(body: Buffer): Envelope {
  if (!body.subarray(0, 4).equals(Buffer.from('k8s\0', 'latin1'))) {
    throw new Error(`not a Kubernetes protobuf object: ${body.subarray(0, 40).toString('hex')}`);
  }
  const unknown = body.subarray(4);
  const typeMeta = field(unknown, 1) ?? Buffer.alloc(0);
  return {
    apiVersion: text(typeMeta, 1),
    kind: text(typeMeta, 2),
    raw: field(unknown, 2) ?? Buffer.alloc(0),
    fields: fieldNumbers(unknown),
    contentEncoding: text(unknown, 3),
    contentType: text(unknown, 4),
  };
}

/** The frames of a protobuf watch stream (each: a 4-byte big-endian length, then a WatchEvent). */
export function watchFrames(stream: Buffer): { type: string; object: Envelope }[] {
  const out: { type: string; object: Envelope }[] = [];
  let at = 0;
  while (at + 4 <= stream.length) {
    const len = stream.readUInt32BE(at);
    if (at + 4 + len > stream.length) break;
    const event = stream.subarray(at + 4, at + 4 + len);
    const raw = field(field(event, 2) ?? Buffer.alloc(0), 1) ?? Buffer.alloc(0);
    out.push({ type: text(event, 1), object: envelope(raw) });
    at += 4 + len;
  }
  return out;
}
