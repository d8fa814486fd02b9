import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** PEM contents that authenticate a client over TLS and verify the server. */
export interface TlsClientIdentity {
  /** CA certificate(s) that sign the server's certificate. */
  readonly ca: string;
  /** Client certificate. */
  readonly cert: string;
  /** Client key. */
  readonly key: string;
}

/** A response with its body read as text. */
export interface TextResponse {
  /** The HTTP status code. */
  readonly status: number;
  /** The whole body, UTF-8 decoded. */
  readonly body: string;
}

/** One request of {@link sendRequest}. */
export interface RequestOptions {
  /** HTTP method. Default `GET`. */
  readonly method?: string;
  /** JSON body to send. */
  readonly json?: unknown;
  /** Content type of the JSON body (e.g. `application/apply-patch+yaml`). Default `application/json`. */
  readonly contentType?: string;
  /** TLS identity for `https:` URLs. */
  readonly tls?: TlsClientIdentity;
  /** Give up after this many milliseconds. Default 10 000. */
  readonly timeoutMs?: number;
}

/**
 * Sends one HTTP(S) request with Node's own client (which, unlike `fetch`, can present a
 * client certificate) and reads the whole response. Rejects on network errors and on
 * timeout; any HTTP status resolves.
 */
export function sendRequest(
  url: string | URL,
  options: RequestOptions = {},
): Promise<TextResponse> {
  const target = new URL(url);
  const body = options.json === undefined ? undefined : JSON.stringify(options.json);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) {
    headers['content-type'] = options.contentType ?? 'application/json';
    headers['content-length'] = String(Buffer.byteLength(body));
  }
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      target,
      {
        method: options.method ?? 'GET',
        headers,
        timeout: options.timeoutMs ?? 10_000,
        ...(options.tls === undefined
          ? {}
          : { ca: options.tls.ca, cert: options.tls.cert, key: options.tls.key }),
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${req.method} ${target.href} timed out`)));
    req.on('error', reject);
    req.end(body);
  });
}
