/**
 * A certificate's name constraints extension as crypto/x509's
 * `parseNameConstraintsExtension` reads it (own code, for its words): permitted and
 * excluded subtrees, each base name of the four forms Go reads checked (DNS names, IP
 * ranges with a contiguous mask, mailboxes or domains, URI domains).
 */

import { isIPv4, isIPv6 } from 'node:net';
import { goQuoteBytes } from '../go-print.js';
import { DerReader, SEQUENCE } from './der-reader.js';
import {
  DNS_NAME,
  domainNameValid,
  EMAIL_NAME,
  IP_ADDRESS,
  ia5Error,
  isRfc2821Mailbox,
  URI_NAME,
} from './subject-alt-names.js';

const INVALID = 'x509: invalid NameConstraints extension';

/** `isValidIPMask`: ones, then zeros. */
function validMask(mask: Buffer): boolean {
  let zero = false;
  for (const b of mask) {
    if (zero) {
      if (b !== 0) return false;
    } else if ([0x00, 0x80, 0xc0, 0xe0, 0xf0, 0xf8, 0xfc, 0xfe].includes(b)) {
      zero = true;
    } else if (b !== 0xff) {
      return false;
    }
  }
  return true;
}

/** Why one subtree's base name does not read, or undefined. */
function baseNameError(tag: number, value: Buffer): string | undefined {
  const text = value.toString('latin1');
  const quoted = goQuoteBytes(value);
  const ia5 = () => {
    const why = ia5Error(value);
    return why && `x509: invalid constraint value: ${why}`;
  };
  switch (tag) {
    case DNS_NAME:
      return (
        ia5() ??
        (domainNameValid(text, true)
          ? undefined
          : `x509: failed to parse dnsName constraint ${quoted}`)
      );
    case IP_ADDRESS: {
      if (value.length !== 8 && value.length !== 32) {
        return `x509: IP constraint contained value of length ${value.length}`;
      }
      const mask = value.subarray(value.length / 2);
      return validMask(mask)
        ? undefined
        : `x509: IP constraint contained invalid mask ${mask.toString('hex')}`;
    }
    case EMAIL_NAME: {
      const ok = text.includes('@') ? isRfc2821Mailbox(text) : domainNameValid(text, true);
      return ia5() ?? (ok ? undefined : `x509: failed to parse rfc822Name constraint ${quoted}`);
    }
    case URI_NAME: {
      const why = ia5();
      if (why) return why;
      // net.ParseIP: a dotted quad without leading zeros, or IPv6 without a zone.
      if (isIPv4(text) || (isIPv6(text) && !text.includes('%'))) {
        return `x509: failed to parse URI constraint ${quoted}: cannot be IP address`;
      }
      return domainNameValid(text, true)
        ? undefined
        : `x509: failed to parse URI constraint ${quoted}`;
    }
    default:
      return undefined;
  }
}

/** The subtrees of one list (permitted or excluded): why one does not read, or undefined. */
function subtreesError(subtrees: DerReader): string | undefined {
  while (!subtrees.empty) {
    const subtree = subtrees.read(SEQUENCE)?.content;
    const base = subtree?.read();
    if (!subtree || !base) return INVALID;
    const why = baseNameError(subtree.der[base.start] ?? 0, base.content.rest());
    if (why) return why;
  }
  return undefined;
}

/**
 * cryptobyte's `ReadOptionalASN1`: the element's content if the next one has `tag`, an
 * empty reader if it has another, undefined if it has `tag` but does not read.
 */
function readOptional(r: DerReader, tag: number): DerReader | undefined {
  if (!r.peek(tag)) return new DerReader(r.der, 0, 0);
  return r.read(tag)?.content;
}

/** Why a name constraints extension's value does not read, or undefined. */
export function nameConstraintsError(value: Buffer): string | undefined {
  const outer = new DerReader(value, 0, value.length);
  const top = outer.read(SEQUENCE);
  if (!top || !outer.empty) return INVALID;
  const lists = top.content;
  const permitted = readOptional(lists, 0xa0);
  const excluded = permitted && readOptional(lists, 0xa1);
  if (!permitted || !excluded || !lists.empty) return INVALID;
  if (permitted.rest().length === 0 && excluded.rest().length === 0) {
    return 'x509: empty name constraints extension';
  }
  return subtreesError(permitted) ?? subtreesError(excluded);
}
