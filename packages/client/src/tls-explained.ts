import type { Cluster } from '@kubernetes/client-node/dist/config_types.js';
import { SendError } from './attempt.js';

/** Node's codes for a server certificate that failed verification. */
const TLS_VERIFY_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_SIGNATURE_FAILURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/**
 * The error of a failed TLS verification, naming the cluster and where its CA comes from
 * (Node's own message only says e.g. `self-signed certificate`); `err` otherwise.
 */
export function tlsExplained(err: SendError, cluster: Cluster): SendError {
  const code = (err.cause as { code?: unknown } | undefined)?.code;
  if (typeof code !== 'string' || !TLS_VERIFY_CODES.has(code)) return err;
  const c = cluster;
  const ca = c.caFile
    ? `certificate-authority ${c.caFile}`
    : c.caData
      ? 'certificate-authority-data'
      : "Node's default CAs (the cluster names no certificate-authority)";
  const explained = new SendError(
    err.method,
    err.url,
    err.cause,
    `the server's TLS certificate was not accepted (${(err.cause as Error).message}): cluster '${c.name}' of the kubeconfig verifies it with ${ca}; check that this is the CA that signed the server's certificate, and that the server URL names a host in it`,
  );
  explained.mayHaveBeenSent = err.mayHaveBeenSent;
  return explained;
}
