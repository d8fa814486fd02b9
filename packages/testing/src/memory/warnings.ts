/**
 * A `Warning` response header value as kube-apiserver writes it (RFC 7234 style, code 299,
 * agent `-`, the text quoted with `"` and `\` escaped).
 */
export function warningHeader(text: string): string {
  return `299 - "${text.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

/**
 * The `Warning` header values kube-apiserver's warning recorder writes for `texts`, in
 * order: each text once, none empty and none with a control character (apimachinery's
 * NewWarningHeader refuses those, and the recorder drops them).
 */
export function warningHeaders(texts: readonly string[]): string[] {
  return [...new Set(texts)].filter((t) => t !== '' && !/\p{Cc}/u.test(t)).map(warningHeader);
}
