/**
 * A `Warning` response header value as kube-apiserver writes it (RFC 7234 style, code 299,
 * agent `-`, the text quoted with `"` and `\` escaped).
 */
export function warningHeader(text: string): string {
  return `299 - "${text.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

/** How many characters of warnings kube-apiserver sends before it cuts them. */
const TRUNCATE_AT_TOTAL = 4 * 1024;
/** What each warning is cut to once they are cut. */
const TRUNCATE_ITEM = 256;

/** The text's first `n` characters (code points, as Go counts runes). */
function firstRunes(text: string, n: number): string {
  const runes = [...text];
  return runes.length > n ? runes.slice(0, n).join('') : text;
}

/**
 * The `Warning` header values kube-apiserver's warning recorder writes for `texts`, in
 * order: each text once, none empty and none with a control character (apimachinery's
 * NewWarningHeader refuses those, and the recorder drops them). Once the texts sent would
 * pass 4096 characters, every warning is cut to 256 characters, those before included,
 * and the warnings that come after 4096 characters of cut ones are dropped.
 */
export function warningHeaders(texts: readonly string[]): string[] {
  const ordered: string[] = [];
  let written = 0;
  let truncating = false;
  for (const text of new Set(texts)) {
    if (text === '' || (truncating && written >= TRUNCATE_AT_TOTAL)) continue;
    ordered.push(text);
    if (/\p{Cc}/u.test(text)) continue;
    const length = [...text].length;
    if (truncating || written + length <= TRUNCATE_AT_TOTAL) {
      written += truncating ? Math.min(length, TRUNCATE_ITEM) : length;
      continue;
    }
    truncating = true;
    written = ordered
      .filter((t) => !/\p{Cc}/u.test(t))
      .reduce((sum, t) => sum + Math.min([...t].length, TRUNCATE_ITEM), 0);
  }
  return ordered
    .filter((t) => !/\p{Cc}/u.test(t))
    .map((t) => warningHeader(truncating ? firstRunes(t, TRUNCATE_ITEM) : t));
}
