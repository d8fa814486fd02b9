/**
 * certificates.k8s.io/v1 CertificateSigningRequest spec and certificate checks, as
 * kube-apiserver's validation makes them (own code, for its causes): the PEM request and
 * its signature, the usages (at least one, known, no repeats), the signer name
 * (`example.com/signer-name`, not the legacy one), `expirationSeconds` of at least ten
 * minutes, and an issued `status.certificate` of CERTIFICATE blocks.
 */
import { dns1123LabelErrors, dns1123SubdomainErrors } from '@kube-ts/schema/validation';
import type { StatusCause } from '../errors.js';
import { isObject, type JsonObject } from '../json.js';
import {
  duplicate,
  forbiddenValue,
  invalidValue,
  notSupported,
  required,
  tooLong,
} from '../validation.js';
import { certificateRequestError, issuedCertificateError } from './certificate-pem-checks.js';

/** The key usages a request may ask for, sorted as kube-apiserver lists them. */
const USAGES = [
  'any',
  'cert sign',
  'client auth',
  'code signing',
  'content commitment',
  'crl sign',
  'data encipherment',
  'decipher only',
  'digital signature',
  'email protection',
  'encipher only',
  'ipsec end system',
  'ipsec tunnel',
  'ipsec user',
  'key agreement',
  'key encipherment',
  'microsoft sgc',
  'netscape sgc',
  'ocsp signing',
  's/mime',
  'server auth',
  'signing',
  'timestamping',
];
const LEGACY_SIGNER = 'kubernetes.io/legacy-unknown';
const SUBDOMAIN_MAX = 253;
const LABEL_MAX = 63;
const SIGNER_MAX = SUBDOMAIN_MAX + (SUBDOMAIN_MAX + LABEL_MAX + 1) + 1;

/** `ValidateSignerName`: a domain of two labels or more, a slash, a dotted path of subdomains. */
export function signerNameCauses(field: string, name: string): StatusCause[] {
  if (!name) return [required(field)];
  const segments = name.split('/');
  if (segments.length !== 2) {
    return [
      invalidValue(
        field,
        name,
        "must be a fully qualified domain and path of the form 'example.com/signer-name'",
      ),
    ];
  }
  const [domain = '', path = ''] = segments;
  const causes: StatusCause[] = [];
  if (domain.length > SUBDOMAIN_MAX) causes.push(tooLong(field, SUBDOMAIN_MAX));
  const labels = domain.split('.');
  const segmentCauses = (segment: string, parts: string[], check: (s: string) => string[]) => {
    for (const part of parts) {
      const errors = check(part);
      if (errors.length === 0) continue;
      for (const e of errors)
        causes.push(invalidValue(field, segment, `validating label ${JSON.stringify(part)}: ${e}`));
      return;
    }
  };
  segmentCauses(domain, labels, dns1123LabelErrors);
  if (labels.length < 2) {
    causes.push(
      invalidValue(
        field,
        domain,
        'should be a domain with at least two segments separated by dots',
      ),
    );
  }
  segmentCauses(path, path.split('.'), dns1123SubdomainErrors);
  if (name.length > SIGNER_MAX) causes.push(tooLong(field, SIGNER_MAX));
  return causes;
}

const text = (base64: string) => Buffer.from(base64, 'base64').toString('latin1');

/** The spec's causes, in kube-apiserver's order (request, usages, signer, expiration). */
export function csrSpecCauses(csr: JsonObject): StatusCause[] {
  const spec = isObject(csr.spec) ? csr.spec : {};
  const causes: StatusCause[] = [];
  const request = typeof spec.request === 'string' ? spec.request : '';
  const why = certificateRequestError(text(request));
  if (why) causes.push(invalidValue('spec.request', request, why));
  const usages = Array.isArray(spec.usages) ? spec.usages.map(String) : [];
  if (usages.length === 0) causes.push(required('spec.usages'));
  usages.forEach((u, i) => {
    if (!USAGES.includes(u)) causes.push(notSupported(`spec.usages[${i}]`, u, USAGES));
  });
  usages.forEach((u, i) => {
    if (usages.indexOf(u) < i) causes.push(duplicate(`spec.usages[${i}]`, u));
  });
  const signer = typeof spec.signerName === 'string' ? spec.signerName : '';
  if (signer === LEGACY_SIGNER) {
    causes.push(
      invalidValue(
        'spec.signerName',
        signer,
        'the legacy signerName is not allowed via this API version',
      ),
    );
  } else {
    causes.push(...signerNameCauses('spec.signerName', signer));
  }
  const expiration = spec.expirationSeconds;
  if (typeof expiration === 'number' && expiration < 600) {
    causes.push(
      invalidValue(
        'spec.expirationSeconds',
        expiration,
        'may not specify a duration less than 600 seconds (10 minutes)',
      ),
    );
  }
  return causes;
}

const certificateOf = (csr: JsonObject) =>
  isObject(csr.status) && typeof csr.status.certificate === 'string' ? csr.status.certificate : '';

/**
 * The causes of `status.certificate`: a new or changed certificate must be CERTIFICATE
 * blocks (one already stored and left alone is not checked again), and through `status`
 * a stored certificate may not be replaced (a main-resource or `approval` update keeps the
 * stored status, so it never changes one).
 */
export function certificateCauses(next: JsonObject, prev: JsonObject | undefined): StatusCause[] {
  const cert = certificateOf(next);
  const old = prev ? certificateOf(prev) : undefined;
  const causes: StatusCause[] = [];
  if (old !== cert) {
    const why = issuedCertificateError(text(cert));
    // A stored certificate that is already invalid lets any update through, as there.
    const oldInvalid = old !== undefined && issuedCertificateError(text(old)) !== undefined;
    if (why && !oldInvalid)
      causes.push(invalidValue('status.certificate', '<certificate data>', why));
  }
  return causes;
}

/** An update's causes for a certificate already issued (after the conditions' update causes). */
export function certificateUpdateCauses(next: JsonObject, prev: JsonObject): StatusCause[] {
  const old = certificateOf(prev);
  if (old && certificateOf(next) !== old) {
    return [
      forbiddenValue('status.certificate', 'updates may not modify existing certificate content'),
    ];
  }
  return [];
}
