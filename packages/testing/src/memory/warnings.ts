/**
 * A `Warning` response header value as kube-apiserver writes it (RFC 7234 style, code 299,
 * agent `-`, the text quoted with `"` and `\` escaped).
 */
export function warningHeader(text: string): string {
  return `299 - "${text.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}
