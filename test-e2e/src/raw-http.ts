/**
 * Raw HTTP to the backend's API server, for differential tests that compare exactly what
 * the server answers (status code, headers such as `Warning`, the body as sent), which a
 * typed client hides.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node/dist/config.js';

/** A response as received. */
export interface RawResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly text: string;
  /** The body as received (a protobuf body is not text). */
  readonly bytes: Buffer;
  /** The `Warning` header values, unquoted texts only (`299 - "x"` → `x`). */
  readonly warnings: string[];
  /** The body parsed as JSON (throws when it is not). */
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary server JSON.
  json(): any;
}

/** One request's options. */
export interface RawOptions {
  readonly query?: Record<string, string | string[]>;
  /** A JSON value (sent as `application/json` unless `contentType` says otherwise) or text. */
  readonly body?: unknown;
  readonly contentType?: string;
  readonly accept?: string;
  /** More request headers (e.g. `Impersonate-User`). */
  readonly headers?: Record<string, string>;
}

/** Sends one request with the kubeconfig's server and credentials. */
export async function raw(
  kc: KubeConfig,
  method: string,
  path: string,
  opts: RawOptions = {},
): Promise<RawResponse> {
  const server = kc.getCurrentCluster()?.server;
  if (!server) throw new Error('the kubeconfig has no current cluster');
  const url = new URL(path, server);
  for (const [k, v] of Object.entries(opts.query ?? {})) {
    for (const one of Array.isArray(v) ? v : [v]) url.searchParams.append(k, one);
  }
  const reqOpts: https.RequestOptions = { method, headers: {} };
  await kc.applyToHTTPSOptions(reqOpts);
  const headers = reqOpts.headers as Record<string, string>;
  headers.Accept = opts.accept ?? 'application/json';
  Object.assign(headers, opts.headers);
  let payload: Buffer | undefined;
  if (opts.body !== undefined) {
    payload = Buffer.from(typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body));
    headers['Content-Type'] = opts.contentType ?? 'application/json';
    headers['Content-Length'] = String(payload.length);
  }
  const lib = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.request(url, reqOpts, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const bytes = Buffer.concat(chunks);
        const text = bytes.toString('utf8');
        const rawWarnings = res.headers.warning;
        const list = rawWarnings === undefined ? [] : String(rawWarnings).split(/,(?=\s*\d{3} )/);
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          text,
          bytes,
          warnings: list.map(unquoteWarning),
          json: () => JSON.parse(text),
        });
      });
    });
    req.on('error', reject);
    req.setTimeout(30_000, () => req.destroy(new Error(`${method} ${path}: no answer in 30 s`)));
    req.end(payload);
  });
}

function unquoteWarning(value: string): string {
  const m = /^\s*\d{3} \S+ "((?:[^"\\]|\\.)*)"/.exec(value);
  return m ? m[1]!.replace(/\\(.)/g, '$1') : value.trim();
}

/** One watch event as received. */
export interface RawWatchEvent {
  readonly type: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary server JSON.
  readonly object: any;
}

/**
 * Opens a watch (`watch=1` is added) and resolves with the events received once `done`
 * says so and `started` has finished, or rejects after `timeoutMs`. The connection is closed
 * either way; `started` is called once the response has begun (the watch is registered),
 * to make the changes to watch; `accept` picks the form of the events' objects.
 */
export async function rawWatch(
  kc: KubeConfig,
  path: string,
  query: Record<string, string>,
  done: (events: RawWatchEvent[]) => boolean,
  started: () => Promise<void>,
  timeoutMs = 30_000,
  accept = 'application/json',
): Promise<RawWatchEvent[]> {
  const server = kc.getCurrentCluster()?.server;
  if (!server) throw new Error('the kubeconfig has no current cluster');
  const url = new URL(path, server);
  for (const [k, v] of Object.entries({ ...query, watch: '1' })) url.searchParams.set(k, v);
  const reqOpts: https.RequestOptions = { method: 'GET', headers: {} };
  await kc.applyToHTTPSOptions(reqOpts);
  (reqOpts.headers as Record<string, string>).Accept = accept;
  const lib = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const events: RawWatchEvent[] = [];
    let buffered = '';
    let work: Promise<void> = Promise.resolve();
    const timer = setTimeout(() => {
      req.destroy();
      reject(
        new Error(`watch ${path}: not done in ${timeoutMs} ms; got ${JSON.stringify(events)}`),
      );
    }, timeoutMs);
    const req = lib.request(url, reqOpts, (res) => {
      if (res.statusCode !== 200) {
        clearTimeout(timer);
        reject(new Error(`watch ${path}: HTTP ${res.statusCode}`));
        req.destroy();
        return;
      }
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffered += chunk;
        let nl = buffered.indexOf('\n');
        while (nl >= 0) {
          const line = buffered.slice(0, nl).trim();
          buffered = buffered.slice(nl + 1);
          if (line) events.push(JSON.parse(line) as RawWatchEvent);
          nl = buffered.indexOf('\n');
        }
        if (done(events)) {
          clearTimeout(timer);
          req.destroy();
          work.then(() => resolve(events), reject);
        }
      });
      work = started();
      work.catch((e: unknown) => {
        clearTimeout(timer);
        req.destroy();
        reject(e);
      });
    });
    req.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    req.end();
  });
}
