/**
 * The string and number formats the Kubernetes CRD validator knows, with a checker for
 * each. Formats outside {@link KNOWN_FORMATS} are rejected at definition time by
 * `defineResource` (the API server would silently ignore them).
 */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME =
  /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}:?\d{2})?$/;
const DURATION = /^(?:\d+(?:\.\d+)?\s*(?:ns|us|µs|ms|s|m|h|d|w))+$/;
const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const HOSTNAME_LABEL = /^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$/;
const MAC =
  /^(?:[0-9A-Fa-f]{2}[:-]){5}(?:[0-9A-Fa-f]{2})(?:(?:[:-][0-9A-Fa-f]{2}){2}|(?:[:-][0-9A-Fa-f]{2}){14})?$/;

function isDate(s: string): boolean {
  const m = DATE.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

function isDateTime(s: string): boolean {
  const m = DATE_TIME.exec(s);
  if (!m || !isDate(m[1] ?? '')) return false;
  return Number(m[2]) < 24 && Number(m[3]) < 60 && Number(m[4] ?? 0) < 61;
}

/** `true` for a dotted-quad IPv4 address without leading zeros. */
export function isIPv4(s: string): boolean {
  const parts = s.split('.');
  return (
    parts.length === 4 && parts.every((p) => /^(?:0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255)
  );
}

/** `true` for an IPv6 address (with `::` compression and an optional IPv4 tail). */
export function isIPv6(s: string): boolean {
  if (!s.includes(':')) return false;
  const halves = s.split('::');
  if (halves.length > 2) return false;
  const groups = (part: string): string[] | undefined => (part === '' ? [] : part.split(':'));
  const head = groups(halves[0] ?? '');
  const tail = halves.length === 2 ? groups(halves[1] ?? '') : [];
  if (!head || !tail) return false;
  const all = [...head, ...tail];
  let width = 0;
  for (let i = 0; i < all.length; i++) {
    const g = all[i] ?? '';
    if (i === all.length - 1 && g.includes('.')) {
      if (!isIPv4(g)) return false;
      width += 2;
    } else if (/^[0-9a-fA-F]{1,4}$/.test(g)) {
      width += 1;
    } else {
      return false;
    }
  }
  return halves.length === 2 ? width < 8 : width === 8;
}

function isCidr(s: string): boolean {
  const [ip, bits, ...rest] = s.split('/');
  if (rest.length > 0 || ip === undefined || bits === undefined || !/^\d{1,3}$/.test(bits)) {
    return false;
  }
  if (isIPv4(ip)) return Number(bits) <= 32;
  return isIPv6(ip) && Number(bits) <= 128;
}

function isHostname(s: string): boolean {
  const name = s.endsWith('.') ? s.slice(0, -1) : s;
  return (
    name.length > 0 && name.length <= 253 && name.split('.').every((l) => HOSTNAME_LABEL.test(l))
  );
}

function isUri(s: string): boolean {
  if (s.startsWith('/')) return !/\s/.test(s);
  return /^[a-zA-Z][a-zA-Z0-9+.-]*:\S*$/.test(s);
}

function isIsbn(s: string, kind: 10 | 13 | 0): boolean {
  const digits = s.replace(/[\s-]/g, '');
  const is10 = /^\d{9}[\dX]$/.test(digits);
  const is13 = /^\d{13}$/.test(digits);
  return kind === 10 ? is10 : kind === 13 ? is13 : is10 || is13;
}

function uuidVersion(version: string): (s: string) => boolean {
  const variant = version === '3' ? '[0-9a-f]' : '[89ab]';
  const re = new RegExp(
    `^[0-9a-f]{8}-?[0-9a-f]{4}-?${version}[0-9a-f]{3}-?${variant}[0-9a-f]{3}-?[0-9a-f]{12}$`,
    'i',
  );
  return (s) => re.test(s);
}

const any = (): boolean => true;

const K8S_SHORT_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function isK8sLongName(s: string): boolean {
  return s.length <= 253 && s.split('.').every((segment) => K8S_SHORT_NAME.test(segment));
}

/**
 * Checkers of the string formats, keyed by normalized name (dashes removed, as the API
 * server normalizes `date-time` to `datetime`).
 */
const STRING_FORMATS: Readonly<Record<string, (s: string) => boolean>> = {
  bsonobjectid: (s) => /^[0-9a-fA-F]{24}$/.test(s),
  uri: isUri,
  email: (s) => /^[^\s@]+@[^\s@]+$/.test(s),
  hostname: isHostname,
  ipv4: isIPv4,
  ipv6: isIPv6,
  cidr: isCidr,
  mac: (s) => MAC.test(s),
  uuid: (s) => UUID.test(s),
  uuid3: uuidVersion('3'),
  uuid4: uuidVersion('4'),
  uuid5: uuidVersion('5'),
  isbn: (s) => isIsbn(s, 0),
  isbn10: (s) => isIsbn(s, 10),
  isbn13: (s) => isIsbn(s, 13),
  creditcard: (s) => /^\d{13,19}$/.test(s.replace(/[\s-]/g, '')),
  ssn: (s) => /^\d{3}[- ]?\d{2}[- ]?\d{4}$/.test(s),
  hexcolor: (s) => /^#?(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/.test(s),
  rgbcolor: (s) => /^rgb\(\s*\d{1,3}%?\s*,\s*\d{1,3}%?\s*,\s*\d{1,3}%?\s*\)$/.test(s),
  byte: (s) => BASE64.test(s),
  password: any,
  date: isDate,
  datetime: isDateTime,
  duration: (s) => DURATION.test(s),
  k8sshortname: (s) => s.length <= 63 && K8S_SHORT_NAME.test(s),
  k8slongname: isK8sLongName,
};

/** The formats each schema type accepts for numbers (others are ignored by the server). */
const NUMBER_FORMATS: Readonly<Record<string, readonly string[]>> = {
  integer: ['int32', 'int64'],
  number: ['float', 'double'],
};

/** Normalizes a format name as the API server does: dashes removed (`date-time` → `datetime`). */
export function normalizeFormat(format: string): string {
  return format.replaceAll('-', '');
}

/** Every format name the CRD validator understands (string formats in normalized form). */
export const KNOWN_FORMATS: readonly string[] = [
  ...Object.keys(STRING_FORMATS),
  'date-time',
  'k8s-short-name',
  'k8s-long-name',
  ...Object.values(NUMBER_FORMATS).flat(),
];

/**
 * `true` when the API server understands `format` on a node of `type`: string formats on
 * `string` (or untyped) nodes, `int32`/`int64` on `integer`, `float`/`double` on
 * `number`. The server silently drops any other format.
 */
export function isKnownFormat(format: string, type?: string): boolean {
  if (type === 'integer' || type === 'number')
    return NUMBER_FORMATS[type]?.includes(format) ?? false;
  if (type !== undefined && type !== 'string') return false;
  return Object.hasOwn(STRING_FORMATS, normalizeFormat(format));
}

/**
 * `true` when the string `value` satisfies the string format `format`; an unknown format
 * passes (the server ignores it).
 */
export function matchesFormat(format: string, value: string): boolean {
  const name = normalizeFormat(format);
  const check = Object.hasOwn(STRING_FORMATS, name) ? STRING_FORMATS[name] : undefined;
  return check ? check(value) : true;
}
