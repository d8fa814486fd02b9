/**
 * kube-aggregator's remote availability controller: the `Available` condition of every
 * APIService backed by a Service, as kube-apiserver sets it, with its reasons and words:
 * `ServiceNotFound`; for a ClusterIP Service `ServicePortError` (no such Service port),
 * `EndpointsNotFound` (no EndpointSlices) and `MissingEndpoints` (no ready endpoint with
 * the port's name); then a discovery GET of `/apis/GROUP/VERSION` (`/api/v1` for `v1.`),
 * `Passed` on a 2xx and `FailedDiscoveryCheck` otherwise. The URL in its messages is the
 * one kube-apiserver dials (`https://CLUSTER-IP:PORT/…`); what MemoryApiServer dials is a
 * ready endpoint (as webhooks are reached, see admission/webhook-call.ts), or an
 * ExternalName's host, and what fails there is told in Go's words (discovery-errors.ts)
 * after Go's `Get "URL": ` prefix.
 */
import { request as httpRequest } from 'node:http';
import { connect, type Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { connect as tlsConnect } from 'node:tls';
import { endpointOf, serviceDirectory } from '../admission/webhook-call.js';
import type { Change } from '../history.js';
import { isObject, type JsonObject, str } from '../json.js';
import { metaOf } from '../object-meta.js';
import type { ApiState } from '../state.js';
import { API_SERVICES, writeAvailableCondition } from './api-services.js';
import { bundleCertificates, unknownAuthorityHint } from './authority-hint.js';
import { certificateError, notTlsError, responseHeadError } from './discovery-errors.js';

/** A condition's status, reason and message. */
interface Verdict {
  readonly status: 'True' | 'False';
  readonly reason: string;
  readonly message: string;
}

const PASSED: Verdict = { status: 'True', reason: 'Passed', message: 'all checks passed' };
const DISCOVERY_TIMEOUT_MS = 5000;
/** kube-aggregator resyncs every APIService this often, so a passing one is checked again. */
const RESYNC_MS = 30_000;
/** Its work queue retries a failed check after 5 ms, doubling up to 30 s. */
const RETRY_FIRST_MS = 5;
const RETRY_MAX_MS = 30_000;
const WATCHED = new Set([API_SERVICES, 'services', 'endpointslices.discovery.k8s.io']);

/** What the checks before the discovery GET say, or where that GET goes. */
function staticVerdict(
  s: ApiState,
  apiService: JsonObject,
): Verdict | { url: string; dial?: { host: string; port: number }; servername: string } {
  const spec = isObject(apiService.spec) ? apiService.spec : {};
  const ref = isObject(spec.service) ? spec.service : {};
  const name = str(ref.name);
  const namespace = str(ref.namespace);
  const port = typeof ref.port === 'number' ? ref.port : 443;
  const services = serviceDirectory(s.storage);
  const svc = services.service(namespace, name);
  const where = `service/${name} in ${JSON.stringify(namespace)}`;
  if (!svc)
    return { status: 'False', reason: 'ServiceNotFound', message: `${where} is not present` };
  const svcSpec = isObject(svc.spec) ? svc.spec : {};
  const path =
    apiService.metadata && metaOf(apiService).name === 'v1.'
      ? `/api/${str(spec.version)}`
      : `/apis/${str(spec.group)}/${str(spec.version)}`;
  const servername = `${name}.${namespace}.svc`;
  if (svcSpec.type === 'ExternalName') {
    // kube-apiserver's cluster resolver gives the external name as the URL's host.
    const host = str(svcSpec.externalName);
    return { url: `https://${host}:${port}${path}`, dial: { host, port }, servername };
  }
  const url = `https://${str(svcSpec.clusterIP)}:${port}${path}`;
  const ports = Array.isArray(svcSpec.ports) ? svcSpec.ports.filter(isObject) : [];
  const svcPort = ports.find((p) => p.port === port);
  if (svcSpec.type === 'ClusterIP' || svcSpec.type === undefined) {
    if (!svcPort) {
      return {
        status: 'False',
        reason: 'ServicePortError',
        message: `${where} is not listening on port ${port}`,
      };
    }
    const slices = services.endpointSlices(namespace, name);
    if (slices.length === 0) {
      return {
        status: 'False',
        reason: 'EndpointsNotFound',
        message: `cannot find endpointslices for ${where}`,
      };
    }
    const portName = str(svcPort.name);
    const usable = slices.some(
      (slice) =>
        (Array.isArray(slice.endpoints) ? slice.endpoints.filter(isObject) : []).some(
          (e) => !isObject(e.conditions) || e.conditions.ready !== false,
        ) &&
        (Array.isArray(slice.ports) ? slice.ports.filter(isObject) : []).some(
          (p) => str(p.name) === portName && typeof p.port === 'number',
        ),
    );
    if (!usable) {
      return {
        status: 'False',
        reason: 'MissingEndpoints',
        message: `endpointslices for ${where} have no addresses with port name ${JSON.stringify(portName)}`,
      };
    }
  }
  const dial = endpointOf(svcSpec, services.endpointSlices(namespace, name), name, port);
  return typeof dial === 'string' ? { url, servername } : { url, dial, servername };
}

/** A TCP connection to `dial` as a stream, keeping the first bytes the server sent. */
function recordingConnection(dial: { host: string; port: number }): {
  stream: Duplex;
  raw: Socket;
  head: () => Buffer;
} {
  const raw = connect(dial.port, dial.host);
  let head = Buffer.alloc(0);
  const stream = new Duplex({
    read: () => raw.resume(),
    write: (chunk: Buffer, _encoding, done) => raw.write(chunk, done),
    final: (done) => raw.end(done),
    destroy: (err, done) => {
      raw.destroy();
      done(err);
    },
  });
  raw.on('data', (data: Buffer) => {
    if (head.length < 5) head = Buffer.concat([head, data]);
    if (!stream.push(data)) raw.pause();
  });
  raw.on('end', () => stream.push(null));
  return { stream, raw, head: () => head };
}

/**
 * The discovery GET's verdict: `Passed` on a 2xx (its body unread, as kube-aggregator
 * leaves it), else Go's words for what went wrong. The TLS handshake is made and its
 * certificate checked first, as Go's client does, so a refused server gets no request.
 */
function discover(
  target: { url: string; dial?: { host: string; port: number }; servername: string },
  apiService: JsonObject,
): Promise<Verdict> {
  const spec = isObject(apiService.spec) ? apiService.spec : {};
  const failed = (why: string): Verdict => ({
    status: 'False',
    reason: 'FailedDiscoveryCheck',
    message: `failing or missing response from ${target.url}: ${why}`,
  });
  const u = new URL(target.url);
  const address = `${u.hostname}:${u.port}`;
  const dial = target.dial;
  if (!dial) {
    return Promise.resolve(
      failed(`Get "${target.url}": dial tcp ${address}: connect: connection refused`),
    );
  }
  const ca = str(spec.caBundle);
  const insecure = spec.insecureSkipTLSVerify === true;
  return new Promise((resolve) => {
    const { stream, raw, head } = recordingConnection(dial);
    const finish = (verdict: Verdict) => {
      clearTimeout(timer);
      tls.destroy();
      resolve(verdict);
    };
    const end = (why: string) => finish(failed(`Get "${target.url}": ${why}`));
    const timer = setTimeout(
      () => end('context deadline exceeded (Client.Timeout exceeded while awaiting headers)'),
      DISCOVERY_TIMEOUT_MS,
    );
    const networkError = (err: NodeJS.ErrnoException) =>
      err.code === 'ECONNREFUSED'
        ? `dial tcp ${address}: connect: connection refused`
        : err.code === 'ECONNRESET'
          ? 'EOF'
          : err.message;
    raw.on('error', (err: NodeJS.ErrnoException) => end(networkError(err)));
    const tls = tlsConnect({
      socket: stream,
      servername: target.servername,
      rejectUnauthorized: false,
      checkServerIdentity: () => undefined,
      ...(ca ? { ca: Buffer.from(ca, 'base64') } : {}),
    });
    tls.on('error', (err: NodeJS.ErrnoException) => {
      // A TLS record starts with its content type, 20 to 23.
      const first = head()[0];
      end(
        first !== undefined && (first < 20 || first > 23) ? notTlsError(head()) : networkError(err),
      );
    });
    tls.once('secureConnect', () => {
      const leaf = tls.getPeerX509Certificate();
      const roots = ca ? bundleCertificates(Buffer.from(ca, 'base64').toString('latin1')) : [];
      const hint =
        leaf && !tls.authorized ? unknownAuthorityHint(leaf, roots, Date.now()) : undefined;
      const refused = insecure
        ? undefined
        : certificateError(
            leaf,
            target.servername,
            tls.authorized ? undefined : String(tls.authorizationError),
            hint,
          );
      if (refused) {
        end(refused);
        return;
      }
      const req = httpRequest(
        { createConnection: () => tls, path: u.pathname, method: 'GET', headers: { host: u.host } },
        (res) => {
          res.resume();
          const code = res.statusCode ?? 0;
          finish(
            code >= 200 && code < 300 ? PASSED : failed(`bad status from ${target.url}: ${code}`),
          );
        },
      );
      req.on('error', (err: NodeJS.ErrnoException & { rawPacket?: Buffer }) =>
        end((err.rawPacket && responseHeadError(err.rawPacket)) ?? networkError(err)),
      );
      req.end();
    });
  });
}

/**
 * Keeps the `Available` condition of every APIService with a `service`. As kube-aggregator
 * does, a failed discovery check is retried with the work queue's backoff and every
 * APIService is checked again on each resync, so a backend that starts (or stops)
 * answering later is noticed without any change to the objects.
 */
export class RemoteAvailabilityController {
  /** What each APIService was last checked against (its spec, Service and slices). */
  private readonly checked = new Map<string, string>();
  /** Failed checks in a row, per APIService: the retry backoff's exponent. */
  private readonly failures = new Map<string, number>();
  private readonly retries = new Map<string, NodeJS.Timeout>();
  private readonly resync: NodeJS.Timeout;
  private stopped = false;

  constructor(private readonly s: ApiState) {
    this.resync = setInterval(() => {
      this.checked.clear();
      this.sync();
    }, RESYNC_MS);
    this.resync.unref();
  }

  /** Ends the resync and the pending retries (when the server stops). */
  stop(): void {
    this.stopped = true;
    clearInterval(this.resync);
    for (const timer of this.retries.values()) clearTimeout(timer);
    this.retries.clear();
  }

  /** Checks `name` again after the backoff its failures in a row call for. */
  private retry(name: string): void {
    const failures = this.failures.get(name) ?? 0;
    this.failures.set(name, failures + 1);
    clearTimeout(this.retries.get(name));
    const delay = Math.min(RETRY_FIRST_MS * 2 ** failures, RETRY_MAX_MS);
    const timer = setTimeout(() => {
      this.retries.delete(name);
      this.checked.delete(name);
      this.sync();
    }, delay);
    timer.unref();
    this.retries.set(name, timer);
  }

  /** Observes a committed change (called synchronously by the storage). */
  observe(c: Change): void {
    if (WATCHED.has(c.resKey)) this.s.schedule(() => this.sync());
  }

  /** Checks each APIService whose spec, Service or EndpointSlices changed since its last check. */
  sync(): void {
    if (this.stopped) return;
    const seen = new Set<string>();
    for (const [, apiService] of [...this.s.storage.scan(API_SERVICES)]) {
      const spec = isObject(apiService.spec) ? apiService.spec : {};
      if (!isObject(spec.service)) continue;
      const name = String(metaOf(apiService).name);
      seen.add(name);
      const verdict = staticVerdict(this.s, apiService);
      const inputs = JSON.stringify([spec, verdict]);
      if (this.checked.get(name) === inputs) continue;
      this.checked.set(name, inputs);
      if ('status' in verdict) {
        writeAvailableCondition(this.s, name, verdict);
        this.failures.delete(name);
      } else {
        void discover(verdict, apiService).then((v) => {
          if (this.stopped || this.checked.get(name) !== inputs) return;
          writeAvailableCondition(this.s, name, v);
          if (v.status === 'True') this.failures.delete(name);
          else this.retry(name);
        });
      }
    }
    for (const name of this.checked.keys()) {
      if (seen.has(name)) continue;
      this.checked.delete(name);
      this.failures.delete(name);
      clearTimeout(this.retries.get(name));
      this.retries.delete(name);
    }
  }
}
