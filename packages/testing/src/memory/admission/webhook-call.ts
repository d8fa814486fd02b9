import { request } from 'node:https';
import type { JsonObject } from '../json.js';

/** How a webhook is reached, from a configuration's or a CRD's `clientConfig`. */
export interface ClientConfig {
  url?: string;
  service?: { namespace?: string; name?: string; path?: string; port?: number };
  caBundle?: string;
}

/**
 * The URL of a client config. A Service cannot be reached from the test process, so it
 * is refused with the error kube-apiserver gives when it cannot resolve one.
 */
export function webhookUrl(c: ClientConfig, timeoutSeconds: number): string {
  if (typeof c.url === 'string') {
    const u = new URL(c.url);
    // kube-apiserver tells the webhook its deadline this way.
    u.searchParams.set('timeout', `${timeoutSeconds}s`);
    return u.toString();
  }
  const s = c.service ?? {};
  throw new Error(
    `MemoryApiServer cannot reach service ${s.namespace}/${s.name}; point the webhook at a url (https://127.0.0.1:PORT/...) in tests`,
  );
}

/** A call failure, worded like Go's HTTP client errors that kube-apiserver reports. */
function goError(url: string, err: NodeJS.ErrnoException, timedOut: boolean): string {
  const u = new URL(url);
  const post = `Post "${url}"`;
  if (timedOut) return `${post}: context deadline exceeded`;
  const address = `${u.hostname}:${u.port || '443'}`;
  if (err.code === 'ECONNREFUSED')
    return `${post}: dial tcp ${address}: connect: connection refused`;
  if (err.code === 'ECONNRESET') return `${post}: EOF`;
  if (
    err.code?.startsWith('ERR_TLS') ||
    err.code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' ||
    err.code === 'SELF_SIGNED_CERT_IN_CHAIN' ||
    err.code === 'DEPTH_ZERO_SELF_SIGNED_CERT'
  ) {
    return `${post}: tls: failed to verify certificate: x509: certificate signed by unknown authority`;
  }
  return `${post}: ${err.message}`;
}

/**
 * POSTs a review to a webhook over HTTPS, trusting only its `caBundle`, and returns the
 * parsed answer. Rejects with a message worded like kube-apiserver's (see {@link goError}).
 */
export function callWebhook(
  c: ClientConfig,
  review: JsonObject,
  timeoutSeconds: number,
): Promise<JsonObject> {
  const url = webhookUrl(c, timeoutSeconds);
  const body = JSON.stringify(review);
  return new Promise((resolve, reject) => {
    let timedOut = false;
    const req = request(
      url,
      {
        method: 'POST',
        agent: false,
        ca: c.caBundle ? Buffer.from(c.caBundle, 'base64').toString('utf8') : undefined,
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', (err) => reject(new Error(goError(url, err, timedOut))));
        res.on('end', () => {
          clearTimeout(timer);
          const text = Buffer.concat(chunks).toString('utf8');
          const code = res.statusCode ?? 0;
          if (code < 200 || code >= 300) {
            reject(
              new Error(
                `the server responded with the status code ${code} but did not return more information`,
              ),
            );
            return;
          }
          try {
            resolve(JSON.parse(text) as JsonObject);
          } catch (err) {
            reject(new Error(`${(err as Error).message}`));
          }
        });
      },
    );
    const timer = setTimeout(() => {
      timedOut = true;
      req.destroy(new Error('timeout'));
    }, timeoutSeconds * 1000);
    req.on('error', (err) => {
      clearTimeout(timer);
      reject(new Error(goError(url, err, timedOut)));
    });
    req.end(body);
  });
}
