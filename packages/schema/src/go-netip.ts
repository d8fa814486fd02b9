/**
 * Why Go's `netip.ParseAddr` refuses a text, in its words: kube-apiserver quotes them where
 * it parses an address that way (CEL's `ip()` and `isIP()`, the bracketed host of a URL in
 * a webhook or a certificate request). Our own code because no JavaScript parser words its
 * refusals as netip does, field by field.
 */
import { goQuote } from './go-format.js';

/** A refusal: netip's message and, optionally, the rest of the text where it stopped. */
interface Refusal {
  readonly msg: string;
  readonly at?: string;
}

/** netip's check of the IPv4 fields in `s` (four decimal octets, no leading zeros). */
function ipv4Refusal(s: string): Refusal | undefined {
  let value = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charAt(i);
    if (c >= '0' && c <= '9') {
      if (digits === 1 && value === 0) return { msg: 'IPv4 field has octet with leading zero' };
      value = value * 10 + Number(c);
      digits++;
      if (value > 255) return { msg: 'IPv4 field has value >255' };
    } else if (c === '.') {
      if (i === 0 || i === s.length - 1 || s[i - 1] === '.') {
        return { msg: 'IPv4 field must have at least one digit', at: s.slice(i) };
      }
      if (dots === 3) return { msg: 'IPv4 address too long' };
      dots++;
      value = 0;
      digits = 0;
    } else {
      return { msg: 'unexpected character', at: s.slice(i) };
    }
  }
  return dots < 3 ? { msg: 'IPv4 address too short' } : undefined;
}

const HEX = /^[0-9a-fA-F]*/;

/** netip's check of an IPv6 text (with an optional `%zone`). */
function ipv6Refusal(text: string): Refusal | undefined {
  let s = text;
  const zoneAt = s.indexOf('%');
  if (zoneAt >= 0) {
    if (zoneAt === s.length - 1) return { msg: 'zone must be a non-empty string' };
    s = s.slice(0, zoneAt);
  }
  let ellipsis = false;
  if (s.startsWith('::')) {
    ellipsis = true;
    s = s.slice(2);
    if (s === '') return undefined;
  }
  /** Bytes of the address read so far (two per group, four for an IPv4 tail). */
  let bytes = 0;
  while (bytes < 16) {
    const group = HEX.exec(s)?.[0] ?? '';
    // netip stops at a fifth digit (four never pass 0xffff, so its overflow check never fires).
    if (group.length > 4) return { msg: 'each group must have 4 or less digits', at: s };
    if (group === '')
      return { msg: 'each colon-separated field must have at least one digit', at: s };
    if (s.charAt(group.length) === '.') {
      if (!ellipsis && bytes !== 12) {
        return {
          msg: 'embedded IPv4 address must replace the final 2 fields of the address',
          at: s,
        };
      }
      if (bytes + 4 > 16) {
        return {
          msg: 'too many hex fields to fit an embedded IPv4 at the end of the address',
          at: s,
        };
      }
      const v4 = ipv4Refusal(s);
      if (v4) return v4;
      s = '';
      bytes += 4;
      break;
    }
    bytes += 2;
    s = s.slice(group.length);
    if (s === '') break;
    if (s[0] !== ':') return { msg: 'unexpected character, want colon', at: s };
    if (s.length === 1) return { msg: 'colon must be followed by more characters', at: s };
    s = s.slice(1);
    if (s[0] === ':') {
      if (ellipsis) return { msg: 'multiple :: in address', at: s };
      ellipsis = true;
      s = s.slice(1);
      if (s === '') break;
    }
  }
  if (s !== '') return { msg: 'trailing garbage after address', at: s };
  if (bytes < 16 && !ellipsis) return { msg: 'address string too short' };
  if (bytes === 16 && ellipsis) return { msg: 'the :: must expand to at least one field of zeros' };
  return undefined;
}

/**
 * Go's `netip.ParseAddr(text)` error text (`ParseAddr("1.2.3"): IPv4 address too short`,
 * `… (at "x.4")` where netip names the rest), or undefined when it parses.
 */
export function netipParseError(text: string): string | undefined {
  const first = /[.:%]/.exec(text)?.[0];
  const refusal: Refusal | undefined =
    first === '.'
      ? ipv4Refusal(text)
      : first === ':'
        ? ipv6Refusal(text)
        : { msg: first === '%' ? 'missing IPv6 address' : 'unable to parse IP' };
  if (!refusal) return undefined;
  const at = refusal.at ? ` (at ${goQuote(refusal.at)})` : '';
  return `ParseAddr(${goQuote(text)}): ${refusal.msg}${at}`;
}
