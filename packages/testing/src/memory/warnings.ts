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

/** The warnings given while answering each response, in order. */
const given = new WeakMap<object, string[]>();

/**
 * The warnings given so far while answering `res`: kube-apiserver keeps one warning
 * recorder per request, so a resource's deprecation, decoding's warnings, admission's and
 * the strategy's are counted together toward the 4096 characters, and an answer sent on
 * `res` (a refusal too) carries all that were given before it. The write path adds to this
 * list; `send` writes it as the answer's `Warning` headers.
 */
export function givenWarnings(res: object): string[] {
  let list = given.get(res);
  if (!list) {
    list = [];
    given.set(res, list);
  }
  return list;
}

/**
 * Gives a warning for the answer on `res` (see {@link givenWarnings}), and sets the
 * `Warning` headers at once for the answers that are not sent by `send` (watches).
 */
export function giveWarning(
  res: { setHeader(name: string, value: string[]): unknown },
  text: string,
): void {
  const list = givenWarnings(res);
  list.push(text);
  res.setHeader('Warning', warningHeaders(list));
}
