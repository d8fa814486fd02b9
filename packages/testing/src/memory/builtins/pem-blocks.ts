/**
 * PEM blocks read as Go's `encoding/pem` reads them where kube-apiserver's
 * CertificateSigningRequest validation depends on it (own code: its error texts are what
 * a client sees): a block's type, headers and bytes.
 */

/** One PEM block. */
export interface PemBlock {
  readonly type: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly bytes: Buffer;
  /** Where the text after the block starts: past its END line and that line's newline. */
  readonly end: number;
}

/** Standard base64 with padding, as Go's `base64.StdEncoding` accepts it (whitespace removed). */
function strictBase64(text: string): Buffer | undefined {
  const compact = text.replace(/[\r\n\t ]/g, '');
  if (compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) return undefined;
  return Buffer.from(compact, 'base64');
}

const BEGIN = /(?:^|\n)-----BEGIN ([^\n-]*)-----[ \t]*\r?\n/g;

/**
 * The PEM blocks of a text in order, as repeated `pem.Decode` finds them: a block whose
 * body does not decode is skipped, and reading goes on after it.
 */
export function pemBlocks(text: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  BEGIN.lastIndex = 0;
  for (let m = BEGIN.exec(text); m; m = BEGIN.exec(text)) {
    const type = m[1] ?? '';
    const bodyStart = BEGIN.lastIndex;
    const endMark = `\n-----END ${type}-----`;
    const end = text.indexOf(endMark, bodyStart - 1);
    if (end < 0) continue;
    const lines = text.slice(bodyStart, end).split('\n');
    const headers: Record<string, string> = {};
    let i = 0;
    for (; i < lines.length && lines[i]?.includes(':'); i++) {
      const line = lines[i] ?? '';
      const at = line.indexOf(':');
      headers[line.slice(0, at).trim()] = line.slice(at + 1).trim();
    }
    if (i > 0 && lines[i]?.trim() === '') i++;
    const bytes = strictBase64(lines.slice(i).join('\n'));
    if (!bytes) continue;
    const newline = text.indexOf('\n', end + endMark.length);
    const after = newline < 0 ? text.length : newline + 1;
    blocks.push({ type, headers, bytes, end: after });
    BEGIN.lastIndex = end + endMark.length;
  }
  return blocks;
}
