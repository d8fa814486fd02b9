/**
 * Differential: a CertificateSigningRequest's spec is checked when it is created (the PEM
 * request and its signature, usages, signer name, `expirationSeconds`), an issued
 * `status.certificate` must be CERTIFICATE blocks and may not be replaced, and an update
 * through the object itself keeps the stored spec and status.
 */

import { generateKeyPairSync } from 'node:crypto';
import { createCertificateAuthority } from '@kube-ts/core/certificates';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { altNames, badAltNames, badExtensions } from './certificate-extension-cases.js';
import { CERTIFICATE_REQUEST, RSA_CERTIFICATE_REQUEST } from './certificate-request.js';
import { bits, commonName, int, oid, printable, seq, set, tlv } from './der-build.js';
import { LABEL, SUBDOMAIN } from './invalid-causes.js';
import { expectInvalid, forbidden, invalid, requiredValue } from './invalid-status.js';
import { raw } from './raw-http.js';
import { type E2eContext, startE2e, uniqueSuffix } from './support.js';

let e2e: E2eContext;
const suffix = uniqueSuffix();
const CSRS = '/apis/certificates.k8s.io/v1/certificatesigningrequests';
const kc = () => e2e.backend.kubeConfig;
const b64 = (text: string) => Buffer.from(text, 'latin1').toString('base64');
const what = (name: string) => `CertificateSigningRequest.certificates.k8s.io "${name}"`;

beforeAll(async () => {
  e2e = await startE2e();
});

afterAll(async () => {
  await e2e?.stop();
});

/** A PEM block of `type` around `bytes`, with optional header lines. */
function pem(type: string, bytes: Buffer, headers: string[] = []): string {
  const body = bytes.toString('base64').match(/.{1,64}/g) ?? [];
  const head = headers.length ? [...headers, ''] : [];
  return [`-----BEGIN ${type}-----`, ...head, ...body, `-----END ${type}-----`, ''].join('\n');
}

/** The DER inside a PEM text. */
const derOf = (text: string) =>
  Buffer.from(text.replace(/-----[^-]+-----/g, '').replace(/\s/g, ''), 'base64');

/** A request whose last signature byte is changed, so its signature no longer verifies. */
function tampered(request: string): string {
  const der = derOf(request);
  der[der.length - 1] = (der[der.length - 1] ?? 0) ^ 0x01;
  return pem('CERTIFICATE REQUEST', der);
}

/**
 * Certificates broken in one part each, with the words Go's x509.ParseCertificates
 * refuses them with: the parts are read in order, and the first that does not read is
 * named (its signature is never checked, so a made-up one does).
 */
function brokenCertificates(): [Buffer, string][] {
  const ecdsaSha256 = seq(oid('1.2.840.10045.4.3.2'));
  const name = commonName(printable('e2e'));
  const validity = seq(
    tlv(0x17, Buffer.from('260101000000Z')),
    tlv(0x17, Buffer.from('360101000000Z')),
  );
  const spki = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({
    type: 'spki',
    format: 'der',
  });
  const keyBits = spki.subarray(spki.length - 65);
  const ecKey = (curve: string, point: Buffer) =>
    seq(seq(oid('1.2.840.10045.2.1'), oid(curve)), bits(point));
  const offCurve = Buffer.from(keyBits);
  offCurve[64] = (offCurve[64] ?? 0) ^ 1;
  const ski = seq(oid('2.5.29.14'), tlv(0x04, tlv(0x04, Buffer.from([1, 2, 3]))));
  const parts: Record<
    'version' | 'serial' | 'signature' | 'issuer' | 'validity' | 'subject' | 'spki',
    Buffer
  > & {
    extensions?: Buffer;
  } = {
    version: tlv(0xa0, int(2)),
    serial: int(1),
    signature: ecdsaSha256,
    issuer: name,
    validity,
    subject: name,
    spki,
    extensions: tlv(0xa3, seq(ski)),
  };
  const cert = (
    change: Partial<typeof parts>,
    outer: { algorithm?: Buffer; signature?: Buffer[] } = {},
  ) => {
    const p = { ...parts, ...change };
    const tbs = seq(
      ...[
        p.version,
        p.serial,
        p.signature,
        p.issuer,
        p.validity,
        p.subject,
        p.spki,
        p.extensions,
      ].filter((x): x is Buffer => x !== undefined),
    );
    return seq(
      tbs,
      outer.algorithm ?? ecdsaSha256,
      ...(outer.signature ?? [bits(Buffer.from([1]))]),
    );
  };
  return [
    [seq(int(1)), 'x509: malformed tbs certificate'],
    [cert({ version: tlv(0xa0, int(0, 2)) }), 'x509: malformed version'],
    [cert({ version: tlv(0xa0, int(3)) }), 'x509: invalid version'],
    [cert({ serial: oid('1.2') }), 'x509: malformed serial number'],
    [cert({ serial: int(0xff) }), 'x509: negative serial number'],
    [
      cert({}, { algorithm: seq(oid('1.2.840.10045.4.3.3')) }),
      "x509: inner and outer signature algorithm identifiers don't match",
    ],
    [
      cert(
        { signature: seq(tlv(0x06, Buffer.from([0x80, 1]))) },
        { algorithm: seq(tlv(0x06, Buffer.from([0x80, 1]))) },
      ),
      'x509: malformed OID',
    ],
    [
      cert({ issuer: commonName(int(5)) }),
      'x509: invalid RDNSequence: invalid attribute value: unsupported string type: 2',
    ],
    [
      cert({ subject: commonName(printable('a@b')) }),
      'x509: invalid RDNSequence: invalid attribute value: invalid PrintableString',
    ],
    [cert({ issuer: seq(seq()) }), 'x509: invalid RDNSequence'],
    [cert({ validity: seq(tlv(0x17, Buffer.from('261301000000Z'))) }), 'x509: malformed UTCTime'],
    [cert({ validity: seq(printable('2026')) }), 'x509: unsupported time format'],
    [cert({ spki: ecKey('1.3.132.0.10', keyBits) }), 'x509: unsupported elliptic curve'],
    [cert({ spki: ecKey('1.2.840.10045.3.1.7', offCurve) }), 'P256 point not on curve'],
    [
      cert({ spki: ecKey('1.2.840.10045.3.1.7', Buffer.from([2, ...keyBits.subarray(1, 33)])) }),
      'ecdsa: invalid uncompressed public key',
    ],
    [
      cert({ spki: seq(seq(oid('1.2.840.113549.1.1.1')), bits(seq(int(1), int(3)))) }),
      'x509: RSA key missing NULL parameters',
    ],
    [
      cert({ spki: seq(seq(oid('1.3.101.112')), bits(Buffer.alloc(31))) }),
      'x509: wrong Ed25519 public key size',
    ],
    [
      cert({ extensions: tlv(0xa3, seq(ski, ski)) }),
      'x509: certificate contains duplicate extension with OID "2.5.29.14"',
    ],
    [
      cert({ extensions: tlv(0xa3, seq(seq(oid('2.5.29.14')))) }),
      'x509: malformed extension value field',
    ],
    [cert({}, { signature: [] }), 'x509: malformed signature'],
    ...badExtensions().map(([extensions, why]): [Buffer, string] => [cert({ extensions }), why]),
  ];
}

/** Creates a CSR (deleted when the file ends); the answer. */
async function create(name: string, spec: Record<string, unknown>) {
  const res = await raw(kc(), 'POST', CSRS, { body: { metadata: { name }, spec } });
  if (res.status === 201) e2e.onStop(() => raw(kc(), 'DELETE', `${CSRS}/${name}`));
  return res;
}

describe('CertificateSigningRequest spec', () => {
  test('request, usages, legacy signer and expiration, with the real causes', async () => {
    const name = `bad-spec-${suffix}`;
    const request = b64('not a PEM block');
    expectInvalid(
      await create(name, {
        request,
        signerName: 'kubernetes.io/legacy-unknown',
        usages: [],
        expirationSeconds: 599,
      }),
      what(name),
      [
        invalid(
          'spec.request',
          JSON.stringify(request),
          'PEM block type must be CERTIFICATE REQUEST',
        ),
        requiredValue('spec.usages'),
        invalid(
          'spec.signerName',
          '"kubernetes.io/legacy-unknown"',
          'the legacy signerName is not allowed via this API version',
        ),
        invalid(
          'spec.expirationSeconds',
          '599',
          'may not specify a duration less than 600 seconds (10 minutes)',
        ),
      ],
    );
  });

  test('unknown and repeated usages; signer names of the wrong form', async () => {
    const request = b64(CERTIFICATE_REQUEST);
    const name = `bad-usages-${suffix}`;
    const res = await create(name, {
      request,
      signerName: 'example.com/a/b',
      usages: ['client auth', 'bogus', 'client auth'],
    });
    expect(res.status, res.text).toBe(422);
    const [usage, ...rest] = res.json().details.causes;
    // The supported usages, sorted: x509's key and extended key usages by their names.
    expect(usage.field).toBe('spec.usages[1]');
    expect(usage.reason).toBe('FieldValueNotSupported');
    const listed = usage.message.replace('Unsupported value: "bogus": supported values: ', '');
    const usages = JSON.parse(`[${listed}]`);
    expect(usages).toHaveLength(23);
    expect([...usages].sort()).toEqual(usages);
    expect(usages).toEqual(
      expect.arrayContaining(['any', 's/mime', 'server auth', 'timestamping']),
    );
    expect(rest).toEqual([
      {
        reason: 'FieldValueDuplicate',
        message: 'Duplicate value: "client auth"',
        field: 'spec.usages[2]',
      },
      invalid(
        'spec.signerName',
        '"example.com/a/b"',
        "must be a fully qualified domain and path of the form 'example.com/signer-name'",
      ),
    ]);
    const labels = `bad-labels-${suffix}`;
    expectInvalid(
      await create(labels, { request, signerName: 'Example/Bad_Path', usages: ['any'] }),
      what(labels),
      [
        invalid('spec.signerName', '"Example"', `validating label "Example": ${LABEL}`),
        invalid(
          'spec.signerName',
          '"Example"',
          'should be a domain with at least two segments separated by dots',
        ),
        invalid('spec.signerName', '"Bad_Path"', `validating label "Bad_Path": ${SUBDOMAIN}`),
      ],
    );
    const empty = `no-signer-${suffix}`;
    expectInvalid(await create(empty, { request, signerName: '', usages: ['any'] }), what(empty), [
      requiredValue('spec.signerName'),
    ]);
  });

  test('the request must be a CERTIFICATE REQUEST whose signature verifies', async () => {
    const cases: [string, string, string][] = [
      [
        'wrong-type',
        pem('CERTIFICATE', derOf(CERTIFICATE_REQUEST)),
        'PEM block type must be CERTIFICATE REQUEST',
      ],
      ['tampered-ec', tampered(CERTIFICATE_REQUEST), 'x509: ECDSA verification failure'],
      ['tampered-rsa', tampered(RSA_CERTIFICATE_REQUEST), 'crypto/rsa: verification error'],
      [
        'not-der',
        pem('CERTIFICATE REQUEST', Buffer.from('hello world')),
        "asn1: structure error: tags don't match (16 vs {class:1 tag:8 length:101 isCompound:true}) {optional:false explicit:false application:false private:false defaultValue:<nil> tag:<nil> stringType:0 timeType:0 set:false omitEmpty:false} certificateRequest @2",
      ],
      [
        'trailing',
        pem('CERTIFICATE REQUEST', Buffer.concat([derOf(CERTIFICATE_REQUEST), Buffer.from([0])])),
        'asn1: syntax error: trailing data',
      ],
    ];
    // A request whose key does not parse, refused before its signature is checked.
    const request = (key: Buffer) =>
      pem(
        'CERTIFICATE REQUEST',
        seq(
          seq(int(0), commonName(printable('e2e')), key, tlv(0xa0)),
          seq(oid('1.2.840.10045.4.3.2')),
          bits(Buffer.from([1])),
        ),
      );
    const point = Buffer.concat([Buffer.from([4]), Buffer.alloc(64, 1)]);
    const ecKey = (curve: string) => seq(seq(oid('1.2.840.10045.2.1'), oid(curve)), bits(point));
    const asn1 = (why: string) => `asn1: ${why}`;
    const mismatch = (expected: number, found: string, type: string, at: number) =>
      asn1(
        `structure error: tags don't match (${expected} vs {${found}}) {optional:false explicit:false application:false private:false defaultValue:<nil> tag:<nil> stringType:0 timeType:0 set:false omitEmpty:false} ${type} @${at}`,
      );
    const goodKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({
      type: 'spki',
      format: 'der',
    });
    // A PKCS #9 extension request attribute holding these extensions.
    const extensionRequest = (...extensions: Buffer[]) =>
      seq(oid('1.2.840.113549.1.9.14'), set(seq(...extensions)));
    const info = (...parts: Buffer[]) =>
      pem(
        'CERTIFICATE REQUEST',
        seq(seq(...parts), seq(oid('1.2.840.10045.4.3.2')), bits(Buffer.from([1]))),
      );
    cases.push(
      // Inside the request info: its version, its key's algorithm, the key's bits, the subject.
      [
        'asn1-version',
        info(oid('1.2'), commonName(printable('e2e')), goodKey, tlv(0xa0)),
        mismatch(2, 'class:0 tag:6 length:1 isCompound:false', 'int', 2),
      ],
      [
        'asn1-int',
        info(int(0, 1), commonName(printable('e2e')), goodKey, tlv(0xa0)),
        asn1('structure error: integer not minimally-encoded'),
      ],
      [
        'asn1-key-oid',
        info(int(0), commonName(printable('e2e')), seq(seq(int(1)), bits(point)), tlv(0xa0)),
        mismatch(6, 'class:0 tag:2 length:1 isCompound:false', 'ObjectIdentifier', 2),
      ],
      [
        'asn1-key-bits',
        info(
          int(0),
          commonName(printable('e2e')),
          seq(
            seq(oid('1.2.840.10045.2.1'), oid('1.2.840.10045.3.1.7')),
            tlv(0x03, Buffer.from([8, 0])),
          ),
          tlv(0xa0),
        ),
        asn1('syntax error: invalid padding bits in BIT STRING'),
      ],
      [
        'asn1-subject',
        info(int(0), int(5), goodKey, tlv(0xa0)),
        mismatch(16, 'class:0 tag:2 length:1 isCompound:false', 'RDNSequence', 2),
      ],
      [
        'asn1-subject-string',
        info(int(0), commonName(printable('a@b')), goodKey, tlv(0xa0)),
        asn1('syntax error: PrintableString contains invalid character'),
      ],
      [
        'asn1-attributes',
        info(int(0), commonName(printable('e2e')), goodKey),
        asn1('syntax error: sequence truncated'),
      ],
      [
        'asn1-signature',
        pem(
          'CERTIFICATE REQUEST',
          seq(
            seq(int(0), commonName(printable('e2e')), goodKey, tlv(0xa0)),
            seq(oid('1.2.840.10045.4.3.2')),
            int(1),
          ),
        ),
        mismatch(3, 'class:0 tag:2 length:1 isCompound:false', 'BitString', 128),
      ],
      ...badAltNames().map(([ext, why], i): [string, string, string] => [
        `alt-names-${i}`,
        info(int(0), commonName(printable('e2e')), goodKey, tlv(0xa0, extensionRequest(ext))),
        why,
      ]),
      [
        'extension-twice',
        info(
          int(0),
          commonName(printable('e2e')),
          goodKey,
          tlv(0xa0, extensionRequest(altNames()), extensionRequest(altNames())),
        ),
        'x509: certificate request contains duplicate requested extensions',
      ],
      ['key-curve', request(ecKey('1.3.132.0.10')), 'x509: unsupported elliptic curve'],
      ['key-point', request(ecKey('1.2.840.10045.3.1.7')), 'P256 point not on curve'],
      [
        'key-rsa',
        request(seq(seq(oid('1.2.840.113549.1.1.1'), tlv(5)), bits(seq(int(1))))),
        'x509: invalid RSA public exponent',
      ],
    );
    for (const [kind, text, why] of cases) {
      const name = `${kind}-${suffix}`;
      const request = b64(text);
      expectInvalid(
        await create(name, { request, signerName: 'example.com/e2e', usages: ['client auth'] }),
        what(name),
        [invalid('spec.request', JSON.stringify(request), why)],
      );
    }
    // Attributes under another tag: Go prints the `tag:0` parameter as a pointer, an
    // address that changes from run to run; the rest of the message is the same.
    const cn = commonName(printable('e2e'));
    const wrongTag = await create(`asn1-attributes-tag-${suffix}`, {
      request: b64(info(int(0), cn, goodKey, tlv(0xa1))),
      signerName: 'example.com/e2e',
      usages: ['client auth'],
    });
    expect(wrongTag.status, wrongTag.text).toBe(422);
    const causes = wrongTag.json().details.causes as { field: string; message: string }[];
    expect(causes.map((c) => c.field)).toEqual(['spec.request']);
    const address = /tag:0x[0-9a-f]+ /;
    expect(causes[0]?.message).toMatch(address);
    expect(causes[0]?.message.replace(address, 'tag:ADDRESS ')).toContain(
      `: ${mismatch(
        0,
        'class:2 tag:1 length:0 isCompound:true',
        '',
        3 + cn.length + goodKey.length + 2,
      ).replace('tag:<nil>', 'tag:ADDRESS')}`,
    );
    for (const [kind, text] of [
      ['ec', CERTIFICATE_REQUEST],
      ['rsa', RSA_CERTIFICATE_REQUEST],
    ] as const) {
      const res = await create(`good-${kind}-${suffix}`, {
        request: b64(text),
        signerName: 'example.com/e2e',
        usages: ['client auth', 'digital signature'],
        expirationSeconds: 600,
      });
      expect(res.status, res.text).toBe(201);
    }
  });
});

describe('CertificateSigningRequest updates', () => {
  const name = `updated-${suffix}`;
  const path = () => `${CSRS}/${name}`;

  test('an update through the object itself keeps the stored spec and status', async () => {
    const created = await create(name, {
      request: b64(CERTIFICATE_REQUEST),
      signerName: 'example.com/e2e',
      usages: ['client auth'],
    });
    expect(created.status, created.text).toBe(201);
    const body = created.json();
    const put = await raw(kc(), 'PUT', path(), {
      body: {
        ...body,
        metadata: { ...body.metadata, labels: { changed: 'yes' } },
        spec: { ...body.spec, signerName: 'example.com/other', usages: ['server auth'] },
        status: { conditions: [{ type: 'Approved', status: 'True' }] },
      },
    });
    expect(put.status, put.text).toBe(200);
    const after = put.json();
    expect(after.metadata.labels).toEqual({ changed: 'yes' });
    expect(after.spec).toEqual(body.spec);
    expect(after.status).toEqual(body.status);
    const read = (await raw(kc(), 'GET', path())).json();
    expect(read.spec).toEqual(body.spec);
    expect(read.status).toEqual(body.status);
  });

  test('status.certificate must be CERTIFICATE blocks, and is never replaced', async () => {
    const current = (await raw(kc(), 'GET', path())).json();
    const withCertificate = (certificate: string) =>
      raw(kc(), 'PUT', `${path()}/status`, { body: { ...current, status: { certificate } } });
    const garbage = Buffer.from('hello world');
    const ca = await createCertificateAuthority({ commonName: 'e2e-csr-ca' });
    const cases: [string, string][] = [
      ['not a certificate', 'must contain at least one CERTIFICATE PEM block'],
      [
        pem('CERTIFICATE REQUEST', garbage),
        'only CERTIFICATE PEM blocks are allowed, found "CERTIFICATE REQUEST"',
      ],
      [
        pem('CERTIFICATE', derOf(ca.cert), ['Proc-Type: 4,ENCRYPTED']),
        'no PEM block headers are permitted',
      ],
      [pem('CERTIFICATE', garbage), 'x509: malformed certificate'],
      ...brokenCertificates().map(([der, why]): [string, string] => [pem('CERTIFICATE', der), why]),
      [
        pem('CERTIFICATE', Buffer.alloc(0)),
        'found CERTIFICATE PEM block containing 0 certificates',
      ],
    ];
    for (const [text, why] of cases) {
      expectInvalid(await withCertificate(b64(text)), what(name), [
        invalid('status.certificate', '"<certificate data>"', why),
      ]);
    }
    const issued = await withCertificate(b64(ca.cert));
    expect(issued.status, issued.text).toBe(200);
    expect(issued.json().status.certificate).toBe(b64(ca.cert));

    const other = await createCertificateAuthority({ commonName: 'e2e-csr-other' });
    const replaced = await raw(kc(), 'PUT', `${path()}/status`, {
      body: { ...issued.json(), status: { certificate: b64(other.cert) } },
    });
    expectInvalid(replaced, what(name), [
      forbidden('status.certificate', 'updates may not modify existing certificate content'),
    ]);
    // Through the object itself the stored certificate stays.
    const put = await raw(kc(), 'PUT', path(), {
      body: { ...issued.json(), status: { certificate: b64(other.cert) } },
    });
    expect(put.status, put.text).toBe(200);
    expect(put.json().status.certificate).toBe(b64(ca.cert));
  });
});
