/**
 * The service-account token issuer of one server, as kube-apiserver's with an ECDSA P-256
 * `--service-account-signing-key-file`: tokens are ES256 JWTs whose header names the key
 * (`kid`: the base64url SHA-256 of the public key's DER form) and whose `iss` is the
 * issuer URL; `/.well-known/openid-configuration` and `/openid/v1/jwks` publish the
 * issuer and its public key for relying parties. Each server generates its own key; the
 * private key never leaves this module.
 */
import {
  createHash,
  generateKeyPairSync,
  type KeyObject,
  sign as signData,
  verify as verifyData,
} from 'node:crypto';
import { isObject, type JsonObject } from '../json.js';
import type { ApiState } from '../state.js';

/** kube-apiserver's paths of the issuer discovery documents. */
export const OPENID_CONFIGURATION_PATH = '/.well-known/openid-configuration';
/** The path of the key set (the configuration's default `jwks_uri`). */
export const JWKS_PATH = '/openid/v1/jwks';
/** The discovery documents' `Cache-Control`: kube-apiserver's max-age for static keys. */
export const DISCOVERY_CACHE_CONTROL = 'public, max-age=3600';

const ALG = 'ES256';

/** A server's service-account token issuer. */
export class ServiceAccountIssuer {
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;
  private readonly kid: string;

  /** An issuer named `url` (also the default audience of its tokens) with a new key. */
  constructor(readonly url: string) {
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.privateKey = pair.privateKey;
    this.publicKey = pair.publicKey;
    const der = this.publicKey.export({ type: 'spki', format: 'der' });
    this.kid = createHash('sha256').update(der).digest('base64url');
  }

  /** The audiences the server accepts for itself (kube-apiserver's default `--api-audiences`). */
  get audiences(): string[] {
    return [this.url];
  }

  /** A signed token carrying `claims` (which must include `iss`). */
  sign(claims: JsonObject): string {
    const head = `${b64(JSON.stringify({ alg: ALG, kid: this.kid }))}.${b64(JSON.stringify(claims))}`;
    const signature = signData('sha256', Buffer.from(head), {
      key: this.privateKey,
      dsaEncoding: 'ieee-p1363',
    });
    return `${head}.${signature.toString('base64url')}`;
  }

  /**
   * The claims of a token this issuer signed; `{ rejected }` with kube-apiserver's reason
   * for a token naming this issuer whose signature is not its own, or without a reason for
   * any other text (kube-apiserver's service-account authenticator passes on it).
   */
  verify(token: string): { claims: JsonObject } | { rejected: string | undefined } {
    const parts = token.split('.');
    const claims = parts.length === 3 ? parseSegment(parts[1]!) : undefined;
    const header = claims ? parseSegment(parts[0]!) : undefined;
    if (!claims || !header || claims.iss !== this.url) return { rejected: undefined };
    const ok =
      header.alg === ALG &&
      verifyData(
        'sha256',
        Buffer.from(`${parts[0]}.${parts[1]}`),
        { key: this.publicKey, dsaEncoding: 'ieee-p1363' },
        Buffer.from(parts[2]!, 'base64url'),
      );
    return ok ? { claims } : { rejected: 'go-jose/go-jose: error in cryptographic primitive' };
  }

  /** The OpenID discovery document, with kube-apiserver's fields in its order. */
  configuration(): string {
    return JSON.stringify({
      issuer: this.url,
      jwks_uri: `${this.url}${JWKS_PATH}`,
      response_types_supported: ['id_token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: [ALG],
    });
  }

  /** The JSON Web Key Set with the public key, fields in kube-apiserver's order. */
  keySet(): string {
    const jwk = this.publicKey.export({ format: 'jwk' });
    return JSON.stringify({
      keys: [{ use: 'sig', kty: 'EC', kid: this.kid, crv: jwk.crv, alg: ALG, x: jwk.x, y: jwk.y }],
    });
  }
}

const b64 = (v: string) => Buffer.from(v).toString('base64url');

function parseSegment(segment: string): JsonObject | undefined {
  try {
    const v: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return isObject(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

const issuers = new WeakMap<ApiState, ServiceAccountIssuer>();

/** Gives a server its issuer, named by the URL it serves at (called once it listens). */
export function configureIssuer(s: ApiState, url: string): void {
  issuers.set(s, new ServiceAccountIssuer(url));
}

/** The server's issuer. */
export function issuerOf(s: ApiState): ServiceAccountIssuer {
  const issuer = issuers.get(s);
  if (!issuer) throw new Error('the service-account issuer is not configured');
  return issuer;
}
