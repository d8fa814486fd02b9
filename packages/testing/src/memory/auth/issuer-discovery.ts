/**
 * kube-apiserver's service-account issuer discovery: `GET
 * /.well-known/openid-configuration` (the OpenID configuration, `application/json`) and
 * `GET /openid/v1/jwks` (the key set, `application/jwk-set+json`), both cacheable for an
 * hour. RBAC lets `system:serviceaccounts` read them through the bootstrap
 * `system:service-account-issuer-discovery` binding.
 */
import type { ServerResponse } from 'node:http';
import type { ApiState } from '../state.js';
import {
  DISCOVERY_CACHE_CONTROL,
  issuerOf,
  JWKS_PATH,
  OPENID_CONFIGURATION_PATH,
} from './issuer.js';

/** Answers a GET of one of the discovery documents; false for any other path. */
export function serveIssuerDiscovery(s: ApiState, path: string, res: ServerResponse): boolean {
  const issuer = issuerOf(s);
  let body: string;
  let contentType: string;
  if (path === OPENID_CONFIGURATION_PATH) {
    body = issuer.configuration();
    contentType = 'application/json';
  } else if (path === JWKS_PATH) {
    body = issuer.keySet();
    contentType = 'application/jwk-set+json';
  } else {
    return false;
  }
  res.writeHead(200, { 'Content-Type': contentType, 'Cache-Control': DISCOVERY_CACHE_CONTROL });
  res.end(body);
  return true;
}
