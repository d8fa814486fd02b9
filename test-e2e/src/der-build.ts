/**
 * A small DER writer for tests that send hand-made certificates and certificate requests:
 * tag-length-value elements and the few universal types they need.
 */

/** An element with identifier byte `tag` around `content`. */
export function tlv(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  const n = body.length;
  const length = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff];
  return Buffer.concat([Buffer.from([tag, ...length]), body]);
}

/** A SEQUENCE of `items`. */
export const seq = (...items: Buffer[]): Buffer => tlv(0x30, ...items);
/** A SET of `items`. */
export const set = (...items: Buffer[]): Buffer => tlv(0x31, ...items);
/** An INTEGER with the content bytes `bytes` as given (so tests can write bad ones). */
export const int = (...bytes: number[]): Buffer => tlv(0x02, Buffer.from(bytes));
/** A BIT STRING of whole bytes. */
export const bits = (bytes: Buffer): Buffer => tlv(0x03, Buffer.from([0]), bytes);
/** A PrintableString. */
export const printable = (text: string): Buffer => tlv(0x13, Buffer.from(text, 'latin1'));

/** An OBJECT IDENTIFIER from its dotted text. */
export function oid(dotted: string): Buffer {
  const [a = 0, b = 0, ...rest] = dotted.split('.').map(Number);
  const out = [a * 40 + b];
  for (const n of rest) {
    const chunk = [n & 0x7f];
    for (let v = n >> 7; v > 0; v >>= 7) chunk.unshift((v & 0x7f) | 0x80);
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

/** A Name of one common name (`CN=…`). */
export const commonName = (value: Buffer): Buffer => seq(set(seq(oid('2.5.4.3'), value)));
