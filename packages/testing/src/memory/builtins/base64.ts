/**
 * Where Go's `base64.StdEncoding.Decode` stops on `text` (the byte offset its
 * `illegal base64 data at input byte N` error names), or undefined when it decodes.
 * kube-apiserver decodes `[]byte` fields (Secret `data`, ConfigMap `binaryData`) with it,
 * and the 400 it answers for a bad value quotes that offset, so the rules are Go's own:
 * padding required, `\r` and `\n` skipped anywhere, nothing after the padding.
 */
export function base64ErrorOffset(text: string): number | undefined {
  const src = Buffer.from(text, 'utf8');
  let si = 0;
  while (si < src.length) {
    const r = quantum(src, si);
    if (r.error !== undefined) return r.error;
    si = r.next;
  }
  return undefined;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const VALID = new Set([...ALPHABET].map((c) => c.charCodeAt(0)));
const PAD = 0x3d;
const isNewline = (b: number | undefined) => b === 0x0a || b === 0x0d;

/** One 4-character quantum from `si`, as Go's decodeQuantum reads it. */
function quantum(src: Buffer, si: number): { next: number; error?: number } {
  for (let j = 0; j < 4; j++) {
    if (si === src.length) {
      if (j === 0) return { next: si };
      return { next: si, error: si - j };
    }
    const b = src[si]!;
    si++;
    if (VALID.has(b)) continue;
    if (isNewline(b)) {
      j--;
      continue;
    }
    if (b !== PAD || j < 2) return { next: si, error: si - 1 };
    if (j === 2) {
      while (si < src.length && isNewline(src[si])) si++;
      if (si === src.length) return { next: si, error: src.length };
      if (src[si] !== PAD) return { next: si, error: si - 1 };
      si++;
    }
    while (si < src.length && isNewline(src[si])) si++;
    if (si < src.length) return { next: si, error: si };
    return { next: si };
  }
  return { next: si };
}
