/**
 * The values of a certificate's extensions as crypto/x509's `processExtensions` reads
 * them with cryptobyte (own code, for its words): key usage, basic constraints, subject
 * alternative names (subject-alt-names.ts), name constraints (name-constraints.ts), CRL
 * distribution points, key identifiers, policy constraints, extended key usage,
 * certificate policies, policy mappings, inhibit any-policy and authority information
 * access. Other extensions are not read. As there, bytes after what is read are ignored.
 */
import {
  BOOLEAN,
  DerReader,
  INTEGER,
  OCTET_STRING,
  OID,
  readBitString,
  readInteger,
  readOid,
  SEQUENCE,
} from './der-reader.js';
import { nameConstraintsError } from './name-constraints.js';
import { subjectAltNamesError } from './subject-alt-names.js';

/** An extension as read: its OID, whether it is critical, its value (the OCTET STRING's content). */
export interface CertificateExtension {
  readonly oid: string;
  readonly critical: boolean;
  readonly value: Buffer;
}

const reader = (value: Buffer) => new DerReader(value, 0, value.length);

/** The SEQUENCE's content at the front of `value`, or undefined. */
const sequenceOf = (value: Buffer) => reader(value).read(SEQUENCE)?.content;

/** An INTEGER of at most 64 bits with identifier `tag`, as cryptobyte's int64 readers read it. */
function readInt64(r: DerReader, tag: number): Buffer | undefined {
  const bytes = readInteger(r, tag);
  return bytes && bytes.length <= 8 ? bytes : undefined;
}

function basicConstraintsError(value: Buffer): string | undefined {
  const why = 'x509: invalid basic constraints';
  const seq = sequenceOf(value);
  if (!seq) return why;
  if (seq.peek(BOOLEAN)) {
    const b = seq.read(BOOLEAN)?.content.rest();
    if (b?.length !== 1 || (b[0] !== 0 && b[0] !== 0xff)) return why;
  }
  if (seq.peek(INTEGER)) {
    // A uint no larger than math.MaxInt: not negative, and so at most 8 bytes when minimal.
    const n = readInteger(seq);
    if (!n || (n[0] ?? 0) & 0x80 || n.length > 8) return why;
  }
  return undefined;
}

function crlDistributionPointsError(value: Buffer): string | undefined {
  const points = sequenceOf(value);
  if (!points) return 'x509: invalid CRL distribution points';
  const why = 'x509: invalid CRL distribution point';
  while (!points.empty) {
    const point = points.read(SEQUENCE)?.content;
    if (!point) return why;
    if (!point.peek(0xa0)) continue;
    // Only a full name ([0] GeneralNames) is read; its leading URIs are taken.
    const fullName = point.read(0xa0)?.content.read(0xa0)?.content;
    if (!fullName) return why;
    while (fullName.peek(0x86)) {
      if (!fullName.read(0x86)) return why;
    }
  }
  return undefined;
}

function policyConstraintsError(value: Buffer): string | undefined {
  const why = 'x509: invalid policy constraints extension';
  const seq = sequenceOf(value);
  if (!seq) return why;
  for (const tag of [0x80, 0x81]) {
    if (seq.peek(tag) && !readInt64(seq, tag)) return why;
  }
  return undefined;
}

/** crypto/x509's `newOIDFromDER`: non-empty, no open last component, minimal components. */
function policyOidValid(bytes: Buffer): boolean {
  if (bytes.length === 0 || (bytes[bytes.length - 1] ?? 0) & 0x80) return false;
  let start = true;
  for (const b of bytes) {
    if (start && b === 0x80) return false;
    start = (b & 0x80) === 0;
  }
  return true;
}

function certificatePoliciesError(value: Buffer): string | undefined {
  const why = 'x509: invalid certificate policies';
  const policies = sequenceOf(value);
  if (!policies) return why;
  const seen = new Set<string>();
  while (!policies.empty) {
    const oid = policies.read(SEQUENCE)?.content.read(OID)?.content.rest();
    if (!oid) return why;
    const key = oid.toString('hex');
    if (seen.has(key) || !policyOidValid(oid)) return why;
    seen.add(key);
  }
  return undefined;
}

function policyMappingsError(value: Buffer): string | undefined {
  const why = 'x509: invalid policy mappings extension';
  const mappings = sequenceOf(value);
  if (!mappings) return why;
  while (!mappings.empty) {
    const mapping = mappings.read(SEQUENCE)?.content;
    if (!mapping?.read(OID) || !mapping.read(OID)) return why;
  }
  return undefined;
}

function extendedKeyUsageError(value: Buffer): string | undefined {
  const why = 'x509: invalid extended key usages';
  const usages = sequenceOf(value);
  if (!usages) return why;
  while (!usages.empty) if (!readOid(usages)) return why;
  return undefined;
}

function authorityInfoAccessError(ext: CertificateExtension): string | undefined {
  if (ext.critical) return 'x509: authority info access incorrectly marked critical';
  const why = 'x509: invalid authority info access';
  const entries = sequenceOf(ext.value);
  if (!entries) return why;
  while (!entries.empty) {
    const entry = entries.read(SEQUENCE)?.content;
    if (!entry || !readOid(entry)) return why;
    if (entry.peek(0x86) && !entry.read(0x86)) return why;
  }
  return undefined;
}

function authorityKeyIdError(ext: CertificateExtension): string | undefined {
  if (ext.critical) return 'x509: authority key identifier incorrectly marked critical';
  const why = 'x509: invalid authority key identifier';
  const akid = sequenceOf(ext.value);
  if (!akid) return why;
  if (akid.peek(0x80) && !akid.read(0x80)) return why;
  return undefined;
}

function subjectKeyIdError(ext: CertificateExtension): string | undefined {
  if (ext.critical) return 'x509: subject key identifier incorrectly marked critical';
  return reader(ext.value).read(OCTET_STRING) ? undefined : 'x509: invalid subject key identifier';
}

/** The readers of the id-ce extensions (2.5.29.N) Go reads, by N. */
const ID_CE: Record<number, (ext: CertificateExtension) => string | undefined> = {
  14: subjectKeyIdError,
  15: (ext) => (readBitString(reader(ext.value)) ? undefined : 'x509: invalid key usage'),
  17: (ext) => subjectAltNamesError(ext.value),
  19: (ext) => basicConstraintsError(ext.value),
  30: (ext) => nameConstraintsError(ext.value),
  31: (ext) => crlDistributionPointsError(ext.value),
  32: (ext) => certificatePoliciesError(ext.value),
  33: (ext) => policyMappingsError(ext.value),
  35: authorityKeyIdError,
  36: (ext) => policyConstraintsError(ext.value),
  37: (ext) => extendedKeyUsageError(ext.value),
  54: (ext) =>
    readInt64(reader(ext.value), INTEGER)
      ? undefined
      : 'x509: invalid inhibit any policy extension',
};

/** Authority information access (id-pe-authorityInfoAccess). */
const AUTHORITY_INFO_ACCESS = '1.3.6.1.5.5.7.1.1';

/**
 * `processExtensions`: Go's error for the first extension (in order) whose value does not
 * read, or undefined.
 */
export function extensionsError(extensions: readonly CertificateExtension[]): string | undefined {
  for (const ext of extensions) {
    const idCe = /^2\.5\.29\.(\d+)$/.exec(ext.oid)?.[1];
    const check =
      idCe !== undefined
        ? ID_CE[Number(idCe)]
        : ext.oid === AUTHORITY_INFO_ACCESS
          ? authorityInfoAccessError
          : undefined;
    const why = check?.(ext);
    if (why) return why;
  }
  return undefined;
}
