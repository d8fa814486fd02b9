import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { KubeObject } from '@kube-ts/core';
import type { AdmissionReview } from '@kube-ts/k8s/admission/v1';
import type { ConversionReview } from '@kube-ts/k8s/apiextensions/v1';
import { type Logger, pino } from 'pino';
import {
  type AdmissionOptions,
  type AdmissionRegistration,
  checkAdmissionOptions,
  contextOf,
  errorResponse,
  type MutatingHandler,
  type MutatingOptions,
  responseOf,
  type ValidatingHandler,
} from './admission.js';
import { caBundleOf } from './certificates.js';
import { type ConvertibleResource, convertReview } from './conversion.js';
import { HttpError, readJsonBody } from './http-body.js';
import { renderManifests, type WebhookManifests, type WebhookTarget } from './manifests.js';
import { type TlsMaterial, type TlsOptions, tlsSource } from './tls-source.js';

/** Options of a {@link WebhookServer}. */
export interface WebhookServerOptions {
  /**
   * Name of the server: the Runnable's name and the name of the rendered webhook
   * configurations (default `kube-ts-webhook`).
   */
  readonly name?: string;
  /** Port (default 9443; 0 picks a free one). */
  readonly port?: number;
  /** Address to listen on (default `0.0.0.0`, as a Pod needs; `127.0.0.1` for local use). */
  readonly host?: string;
  /** The serving certificate; default: a CA and certificate generated at start for `hosts`. */
  readonly tls?: TlsOptions;
  /** Names and IPs of a generated certificate (default `localhost`, `127.0.0.1`). */
  readonly hosts?: readonly string[];
  /** Path of the conversion webhook (default `/convert`). */
  readonly conversionPath?: string;
  /** Largest accepted request body (default 16 MiB; kube-apiserver objects are up to 3 MiB, twice in an UPDATE). */
  readonly maxBodyBytes?: number;
  /** How long shutdown waits for requests in flight before closing their connections (default 10 000 ms). */
  readonly drainTimeoutMs?: number;
  /** Logger (default: pino at `info`). Requests are logged at `debug`, failures at `warn`/`error`. */
  readonly logger?: Logger;
}

/**
 * An HTTPS server for admission (validating, mutating) and conversion webhooks, run by a
 * `Manager` as a `Runnable` (on every replica: `needsLeaderElection` is false) or on its
 * own with {@link start}.
 *
 * Guarantees:
 * - Serves AdmissionReview and ConversionReview v1 as kube-apiserver sends them; a
 *   handler that throws denies the request with a 500 and its message (so the API
 *   server's failurePolicy does not hide it); a malformed review gets a 400.
 * - Mutating handlers return the changed object; the JSON Patch is computed for them.
 * - Without `tls` a CA and serving certificate are generated at start
 *   ({@link caBundle} is the CA for the rendered configurations). With certificate
 *   files, a rotated pair is served to new connections without a restart.
 * - `GET /healthz` answers `ok` while serving.
 * - Shutdown (the signal aborts): stops accepting connections, lets requests in flight
 *   finish (up to `drainTimeoutMs`), then resolves.
 */
export class WebhookServer {
  /** The Runnable's name (also the webhook configurations' name). */
  readonly name: string;
  /** A webhook is served on every replica, leader or not. */
  readonly needsLeaderElection = false;
  readonly #options: WebhookServerOptions;
  readonly #logger: Logger;
  readonly #registrations: AdmissionRegistration[] = [];
  readonly #conversions = new Map<string, ConvertibleResource>();
  readonly #conversionPath: string;
  #material: TlsMaterial | undefined;
  #port: number | undefined;
  #started = false;
  #listening: { promise: Promise<void>; resolve: () => void; reject: (e: Error) => void };

  constructor(options: WebhookServerOptions = {}) {
    this.#options = options;
    this.name = options.name ?? 'kube-ts-webhook';
    this.#logger = (options.logger ?? pino({ level: 'info' })).child({ webhookServer: this.name });
    this.#conversionPath = options.conversionPath ?? '/convert';
    let resolve!: () => void;
    let reject!: (e: Error) => void;
    const promise = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    promise.catch(() => {});
    this.#listening = { promise, resolve, reject };
  }

  /** Registers a validating handler for `options.resource`. Before {@link start} only. */
  validating<K extends KubeObject>(
    options: AdmissionOptions<K>,
    handler: ValidatingHandler<K>,
  ): this {
    return this.#register(
      'validating',
      options,
      handler as unknown as ValidatingHandler<KubeObject>,
    );
  }

  /** Registers a mutating handler for `options.resource`. Before {@link start} only. */
  mutating<K extends KubeObject>(options: MutatingOptions<K>, handler: MutatingHandler<K>): this {
    return this.#register('mutating', options, handler as unknown as MutatingHandler<KubeObject>);
  }

  /** Serves conversion for multi-version resources (made by `defineResource` with `versions`). */
  conversion(...resources: ConvertibleResource[]): this {
    this.#assertNotStarted('conversion');
    for (const r of resources) {
      if (typeof r?.convert !== 'function') {
        throw new TypeError(
          `WebhookServer.conversion: ${String((r as { kind?: unknown })?.kind)} has no converters; define it with defineResource({ versions, storage, conversion })`,
        );
      }
      this.#conversions.set(`${r.kind}.${r.group}`, r);
    }
    return this;
  }

  #assertNotStarted(what: string): void {
    if (this.#started) throw new Error(`WebhookServer.${what}: register handlers before start()`);
  }

  #register(
    type: 'validating' | 'mutating',
    options: MutatingOptions<KubeObject>,
    handler: (ctx: Parameters<ValidatingHandler<KubeObject>>[0]) => unknown,
  ): this {
    this.#assertNotStarted(type);
    const problems = checkAdmissionOptions(options);
    const path =
      options.path ?? `/${type === 'validating' ? 'validate' : 'mutate'}/${options.name}`;
    if (this.#registrations.some((r) => r.path === path || r.options.name === options.name)) {
      problems.push(`a webhook named ${options.name} or at path ${path} is already registered`);
    }
    if (path === '/healthz' || path === this.#conversionPath) {
      problems.push(`path ${path} is taken by the server itself`);
    }
    if (problems.length > 0) {
      throw new TypeError(`WebhookServer.${type}(${options.name}): ${problems.join('; ')}`);
    }
    this.#registrations.push({
      type,
      options,
      path,
      handle: async (ctx) => handler(ctx),
    });
    return this;
  }

  /** The port it listens on (after {@link whenListening}). */
  get port(): number {
    if (this.#port === undefined)
      throw new Error('WebhookServer.port: not listening yet; await whenListening()');
    return this.#port;
  }

  /** `https://127.0.0.1:PORT` (after {@link whenListening}); for local development. */
  get url(): string {
    return `https://127.0.0.1:${this.port}`;
  }

  /** Base64 of the CA that signed the serving certificate (once loaded), or `undefined` when unknown. */
  get caBundle(): string | undefined {
    const ca = this.#material?.caCert;
    return ca ? caBundleOf(ca) : undefined;
  }

  /** Resolves once the server listens; rejects when it could not start. */
  whenListening(): Promise<void> {
    return this.#listening.promise;
  }

  /** Whether it is listening (checked by the Manager's `/readyz`). */
  isReady(): boolean {
    return this.#port !== undefined;
  }

  /**
   * The webhook configurations and CRDs for the registered handlers (what
   * `kube-ts-webhook manifests` prints); the server's CA is the `caBundle` unless the target has one.
   */
  manifests(target: WebhookTarget): WebhookManifests {
    const caBundle = target.caBundle ?? this.caBundle;
    return renderManifests(
      this.name,
      this.#registrations,
      [...this.#conversions.values()],
      caBundle ? { ...target, caBundle } : target,
      this.#conversionPath,
    );
  }

  /** Serves until `signal` aborts, then drains (see the class guarantees). Call once. */
  async start(signal: AbortSignal): Promise<void> {
    if (this.#started) throw new Error('WebhookServer.start: already started');
    this.#started = true;
    let server: Server;
    const source = tlsSource(this.#options.tls, {
      hosts: this.#options.hosts ?? ['localhost', '127.0.0.1'],
    });
    const shutdown = new AbortController();
    try {
      this.#material = await source.load();
      server = createServer({ cert: this.#material.cert, key: this.#material.key });
      server.on('request', (req, res) => this.#serve(req, res, shutdown.signal));
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(this.#options.port ?? 9443, this.#options.host ?? '0.0.0.0', () => {
          server.off('error', reject);
          resolve();
        });
      });
    } catch (err) {
      const e = err instanceof Error ? err : new Error(String(err));
      this.#listening.reject(e);
      throw e;
    }
    this.#port = (server.address() as AddressInfo).port;
    this.#logger.info({ port: this.#port }, 'webhook server listening');
    this.#listening.resolve();
    source.watch(
      signal,
      (m) => {
        server.setSecureContext({ cert: m.cert, key: m.key });
        this.#material = m;
        this.#logger.info('webhook serving certificate reloaded');
      },
      (err) =>
        this.#logger.warn(
          { err: err.message },
          'webhook certificate not reloaded; still serving the previous one',
        ),
    );
    if (!signal.aborted)
      await new Promise<void>((r) => signal.addEventListener('abort', () => r(), { once: true }));
    await this.#drain(server);
    shutdown.abort();
    this.#port = undefined;
  }

  async #drain(server: Server): Promise<void> {
    const closed = new Promise<void>((r) => server.close(() => r()));
    server.closeIdleConnections();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((r) => {
      timer = setTimeout(() => r('timeout'), this.#options.drainTimeoutMs ?? 10_000);
    });
    const outcome = await Promise.race([closed, timeout]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      this.#logger.warn(
        'webhook requests still in flight after the drain timeout; closing their connections',
      );
      server.closeAllConnections();
      await closed;
    }
  }

  #serve(req: IncomingMessage, res: ServerResponse, shutdown: AbortSignal): void {
    const path = new URL(req.url ?? '/', 'https://localhost').pathname;
    if (path === '/healthz') {
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' }).end('ok');
      return;
    }
    const reg = this.#registrations.find((r) => r.path === path);
    const isConversion = path === this.#conversionPath && this.#conversions.size > 0;
    if (!reg && !isConversion) {
      this.#reply(res, new HttpError(404, `no webhook at ${path}`));
      return;
    }
    if (req.method !== 'POST') {
      this.#reply(res, new HttpError(405, `${req.method} is not allowed; webhooks take POST`));
      return;
    }
    const abort = new AbortController();
    const onAbort = () => abort.abort();
    shutdown.addEventListener('abort', onAbort, { once: true });
    res.on('close', () => {
      shutdown.removeEventListener('abort', onAbort);
      if (!res.writableFinished) abort.abort();
    });
    readJsonBody(req, this.#options.maxBodyBytes ?? 16 * 1024 * 1024)
      .then((body): Promise<AdmissionReview | ConversionReview> | ConversionReview =>
        reg ? this.#admit(reg, body, abort.signal) : this.#convert(body),
      )
      .then(
        (review) => this.#reply(res, review),
        (err: unknown) => this.#reply(res, err),
      );
  }

  async #admit(
    reg: AdmissionRegistration,
    body: unknown,
    signal: AbortSignal,
  ): Promise<AdmissionReview> {
    const review = body as AdmissionReview;
    const req = review?.request;
    if (
      review?.apiVersion !== 'admission.k8s.io/v1' ||
      review.kind !== 'AdmissionReview' ||
      !req?.uid
    ) {
      throw new HttpError(
        400,
        'expected an admission.k8s.io/v1 AdmissionReview with request.uid; set admissionReviewVersions: ["v1"]',
      );
    }
    const log = this.#logger.child({
      webhook: reg.options.name,
      uid: req.uid,
      operation: req.operation,
      resource: req.resource?.resource,
      namespace: req.namespace,
      name: req.name,
    });
    let response: AdmissionReview['response'];
    try {
      response = responseOf(reg.type, req, await reg.handle(contextOf(req, signal)));
    } catch (err) {
      log.error(
        { err: err instanceof Error ? err.message : String(err) },
        'admission handler failed',
      );
      response = errorResponse(req.uid, reg.options.name, err);
    }
    log.debug({ allowed: response.allowed, patched: response.patch !== undefined }, 'admission');
    return { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response };
  }

  #convert(body: unknown): ConversionReview {
    const review = body as ConversionReview;
    const req = review?.request;
    if (
      review?.apiVersion !== 'apiextensions.k8s.io/v1' ||
      review.kind !== 'ConversionReview' ||
      !req?.uid
    ) {
      throw new HttpError(
        400,
        'expected an apiextensions.k8s.io/v1 ConversionReview with request.uid; set conversionReviewVersions: ["v1"]',
      );
    }
    const response = convertReview(this.#conversions, req);
    if (response.result.status === 'Failure') {
      this.#logger.warn({ uid: req.uid, message: response.result.message }, 'conversion failed');
    }
    return { apiVersion: 'apiextensions.k8s.io/v1', kind: 'ConversionReview', response };
  }

  #reply(res: ServerResponse, outcome: unknown): void {
    if (res.headersSent || res.destroyed) return;
    if (outcome instanceof Error || outcome === undefined) {
      const code = outcome instanceof HttpError ? outcome.code : 500;
      const message = outcome instanceof Error ? outcome.message : 'internal error';
      if (code === 500) this.#logger.error({ err: message }, 'webhook request failed');
      res.writeHead(code, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`${message}\n`);
      return;
    }
    const body = JSON.stringify(outcome);
    res
      .writeHead(200, {
        'Content-Type': 'application/json',
        'Content-Length': Buffer.byteLength(body),
      })
      .end(body);
  }
}
