/**
 * A PKCS #10 certificate request read as Go's `x509.ParseCertificateRequest` reads it
 * (own code, for its words): `encoding/asn1` into crypto/x509's request structs (go-asn1.ts),
 * no trailing data, the public key of a known algorithm (public-key-der.ts), the subject
 * as an RDNSequence, and the extension requests among the attributes (no extension twice,
 * subject alternative names that read). What a signature
 * check needs is handed back: the signed bytes, the key, both algorithms, the signature.
 */
import { BOOLEAN, DerReader, readBitString, readOid, SEQUENCE } from './der-reader.js';
import { type GoAsn1Type, unmarshal } from './go-asn1.js';
import { publicKeyError } from './public-key-der.js';
import { subjectAltNamesError } from './subject-alt-names.js';

const OID: GoAsn1Type = { kind: 'oid' };
const RAW: GoAsn1Type = { kind: 'rawValue' };
const BIT_STRING: GoAsn1Type = { kind: 'bitString' };
const RAW_LIST: GoAsn1Type = { kind: 'sliceOf', name: '', element: RAW };
const ALGORITHM_IDENTIFIER: GoAsn1Type = {
  kind: 'struct',
  name: 'AlgorithmIdentifier',
  fields: [{ type: OID }, { type: RAW, optional: true }],
};
const CERTIFICATE_REQUEST: GoAsn1Type = {
  kind: 'struct',
  name: 'certificateRequest',
  fields: [
    {
      type: {
        kind: 'struct',
        name: 'tbsCertificateRequest',
        fields: [
          { type: { kind: 'int' } },
          { type: RAW },
          {
            type: {
              kind: 'struct',
              name: 'publicKeyInfo',
              fields: [{ type: ALGORITHM_IDENTIFIER }, { type: BIT_STRING }],
            },
          },
          { type: RAW_LIST, tag: 0 },
        ],
      },
    },
    { type: ALGORITHM_IDENTIFIER },
    { type: BIT_STRING },
  ],
};
const RDN_SEQUENCE: GoAsn1Type = {
  kind: 'sliceOf',
  name: 'RDNSequence',
  element: {
    kind: 'sliceOf',
    name: 'RelativeDistinguishedNameSET',
    element: {
      kind: 'struct',
      name: 'AttributeTypeAndValue',
      fields: [{ type: OID }, { type: { kind: 'any' } }],
    },
  },
};
const PKCS10_ATTRIBUTE: GoAsn1Type = {
  kind: 'struct',
  name: 'pkcs10Attribute',
  fields: [{ type: OID }, { type: RAW_LIST, set: true }],
};
const EXTENSIONS: GoAsn1Type = {
  kind: 'sliceOf',
  name: '',
  element: {
    kind: 'struct',
    name: 'Extension',
    fields: [
      { type: OID },
      { type: { kind: 'bool' }, optional: true },
      { type: { kind: 'bytes' } },
    ],
  },
};
/** PKCS #9's extension request attribute. */
const EXTENSION_REQUEST = '1.2.840.113549.1.9.14';
/** The subject alternative names extension. */
const SUBJECT_ALT_NAME = '2.5.29.17';

/** The parts of a request that its signature check needs. */
export interface RequestParts {
  /** The signed bytes (the whole CertificationRequestInfo). */
  readonly tbs: Buffer;
  /** The SubjectPublicKeyInfo element. */
  readonly publicKeyInfo: Buffer;
  /** The key's algorithm OID. */
  readonly keyAlgorithm: string;
  /** The signature's AlgorithmIdentifier element's content. */
  readonly signatureAlgorithm: DerReader;
  /** The signature, right-aligned. */
  readonly signature: Buffer;
}

/** The first value of each extension request among the attributes, as Go finds them. */
function extensionRequests(attributes: DerReader): Buffer[] {
  const found: Buffer[] = [];
  for (let e = attributes.read(); e; e = attributes.read()) {
    try {
      if (unmarshal(attributes.der.subarray(e.start, e.end), PKCS10_ATTRIBUTE).length > 0) continue;
    } catch {
      continue; // Go skips an attribute that does not read, or has more after it.
    }
    const oid = readOid(e.content);
    const first = e.content.read()?.content.read();
    if (oid === EXTENSION_REQUEST && first)
      found.push(attributes.der.subarray(first.start, first.end));
  }
  return found;
}

/**
 * `parseCSRExtensions` and what `parseCertificateRequest` reads of them: each extension
 * request's list read into `[]pkix.Extension` (go-asn1.ts), no OID requested twice, and
 * the subject alternative names read as in a certificate. Go's error, or undefined.
 */
function requestedExtensionsError(attributes: DerReader): string | undefined {
  const oids = new Set<string>();
  const altNames: Buffer[] = [];
  for (const list of extensionRequests(attributes)) {
    unmarshal(list, EXTENSIONS);
    const extensions = new DerReader(list, 0, list.length).read()?.content;
    for (let ext = extensions?.read(); ext; ext = extensions?.read()) {
      const oid = readOid(ext.content) ?? '';
      if (oids.has(oid)) {
        return 'x509: certificate request contains duplicate requested extensions';
      }
      oids.add(oid);
      if (ext.content.peek(BOOLEAN)) ext.content.read();
      const value = ext.content.read()?.content.rest();
      if (oid === SUBJECT_ALT_NAME && value) altNames.push(value);
    }
  }
  for (const value of altNames) {
    const why = subjectAltNamesError(value);
    if (why) return why;
  }
  return undefined;
}

/**
 * Reads a DER certificate request: Go's error for the first thing that does not read, or
 * the parts a signature check needs.
 */
export function parseCertificateRequest(der: Buffer): { error: string } | RequestParts {
  try {
    if (unmarshal(der, CERTIFICATE_REQUEST).length > 0) {
      return { error: 'asn1: syntax error: trailing data' };
    }
  } catch (err) {
    return { error: (err as Error).message };
  }
  // The structure read: cryptobyte reads the same elements again.
  const outer = new DerReader(der, 0, der.length).read(SEQUENCE)?.content;
  const tbsElement = outer?.read(SEQUENCE);
  const tbs = tbsElement?.content;
  tbs?.read();
  const subject = tbs?.read();
  const spki = tbs?.read(SEQUENCE);
  const attributes = tbs?.read()?.content;
  const signatureAlgorithm = outer?.read(SEQUENCE)?.content;
  const signature = outer && readBitString(outer);
  if (!tbsElement || !subject || !spki || !attributes || !signatureAlgorithm || !signature) {
    return { error: 'asn1: syntax error: data truncated' };
  }
  const publicKeyInfo = der.subarray(spki.start, spki.end);
  const keyError = publicKeyError(publicKeyInfo);
  if (keyError) return { error: keyError };
  try {
    if (unmarshal(der.subarray(subject.start, subject.end), RDN_SEQUENCE).length > 0) {
      return { error: 'x509: trailing data after X.509 Subject' };
    }
    const why = requestedExtensionsError(attributes);
    if (why) return { error: why };
  } catch (err) {
    return { error: (err as Error).message };
  }
  const keyAI = spki.content.read(SEQUENCE)?.content;
  return {
    tbs: der.subarray(tbsElement.start, tbsElement.end),
    publicKeyInfo,
    keyAlgorithm: (keyAI && readOid(keyAI)) ?? '',
    signatureAlgorithm,
    signature,
  };
}
