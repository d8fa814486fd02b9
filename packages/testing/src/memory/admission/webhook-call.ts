import { request } from 'node:https';
import { parseKeeping } from '../big-integers.js';
import { goEncoded, goJson } from '../go-json.js';
import { isObject, type JsonObject } from '../json.js';
import { objectKey, type Storage } from '../storage.js';

/** How a webhook is reached, from a configuration's or a CRD's `clientConfig`. */
export interface ClientConfig {
  url?: string;
  service?: { namespace?: string; name?: string; path?: string; port?: number };
  caBundle?: string;
}

/** Where a call goes: the URL kube-apiserver names in errors, and what is dialled. */
export interface WebhookTarget {
  readonly url: string;
  /** Host and port to connect to (for a Service: what it resolved to). */
  readonly dial?: { readonly host: string; readonly port: number };
  /** The name the certificate is verified for (`NAME.NAMESPACE.svc` for a Service). */
  readonly servername?: string;
}

/** The Services and EndpointSlices a Service reference is resolved with. */
export interface ServiceDirectory {
  service(namespace: string, name: string): JsonObject | undefined;
  /** The EndpointSlices labelled `kubernetes.io/service-name: NAME` in the namespace. */
  endpointSlices(namespace: string, serviceName: string): JsonObject[];
}

/** The server's stored Services and EndpointSlices. */
export function serviceDirectory(storage: Storage): ServiceDirectory {
  return {
    service: (namespace, name) => storage.get('services', objectKey(namespace, name)),
    endpointSlices: (namespace, serviceName) =>
      [...storage.scan('endpointslices.discovery.k8s.io', namespace)]
        .map(([, o]) => o)
        .filter((o) => {
          const labels = isObject(o.metadata) ? o.metadata.labels : undefined;
          return isObject(labels) && labels['kubernetes.io/service-name'] === serviceName;
        }),
  };
}

/**
 * Where a client config leads. A `url` is called as is. A `service` is called as
 * `https://NAME.NAMESPACE.svc:PORT/PATH` (port default 443), the certificate verified for
 * `NAME.NAMESPACE.svc`, as kube-apiserver does; what is dialled comes from the Service:
 * - `ExternalName`: its `externalName` and the reference's port (kube-apiserver's cluster
 *   resolver does the same; the e2e suite reaches a local webhook server this way);
 * - other types: a ready address of its EndpointSlices (label
 *   `kubernetes.io/service-name`) and the port of the slice whose name is the Service
 *   port's — what kube-apiserver does with `--enable-aggregator-routing`. No ClusterIP
 *   routes to the test process, so MemoryApiServer always routes to endpoints: a test
 *   can point a selector-less Service at `127.0.0.1` with an EndpointSlice.
 * A missing Service fails the call with kube-apiserver's `service "NAME" not found`.
 */
export function webhookTarget(
  c: ClientConfig,
  timeoutSeconds: number,
  services: ServiceDirectory,
): { target: WebhookTarget; error?: string } {
  if (typeof c.url === 'string') {
    const u = new URL(c.url);
    // kube-apiserver tells the webhook its deadline this way.
    u.searchParams.set('timeout', `${timeoutSeconds}s`);
    return { target: { url: u.toString() } };
  }
  const ref = c.service ?? {};
  const name = String(ref.name ?? '');
  const namespace = String(ref.namespace ?? '');
  const port = ref.port ?? 443;
  const servername = `${name}.${namespace}.svc`;
  const url = `https://${servername}:${port}${ref.path ?? ''}?timeout=${timeoutSeconds}s`;
  const svc = services.service(namespace, name);
  if (!svc) return { target: { url }, error: `service "${name}" not found` };
  const spec = isObject(svc.spec) ? svc.spec : {};
  if (spec.type === 'ExternalName') {
    return { target: { url, servername, dial: { host: String(spec.externalName), port } } };
  }
  const dial = endpointOf(spec, services.endpointSlices(namespace, name), name, port);
  if (typeof dial === 'string') return { target: { url }, error: dial };
  return { target: { url, servername, dial } };
}

/** A ready endpoint of a Service for the Service port `port`, or why there is none (also the aggregator's discovery check). */
export function endpointOf(
  spec: JsonObject,
  slices: readonly JsonObject[],
  name: string,
  port: number,
): { host: string; port: number } | string {
  const ports = Array.isArray(spec.ports) ? spec.ports.filter(isObject) : [];
  const svcPort = ports.find((p) => p.port === port);
  if (!svcPort) return `no service port ${port} found for service "${name}"`;
  const portName = String(svcPort.name ?? '');
  for (const slice of slices) {
    const slicePort = (Array.isArray(slice.ports) ? slice.ports.filter(isObject) : []).find(
      (p) => String(p.name ?? '') === portName,
    );
    if (typeof slicePort?.port !== 'number') continue;
    for (const ep of Array.isArray(slice.endpoints) ? slice.endpoints.filter(isObject) : []) {
      const ready = !isObject(ep.conditions) || ep.conditions.ready !== false;
      const address = Array.isArray(ep.addresses) ? ep.addresses[0] : undefined;
      if (ready && typeof address === 'string') return { host: address, port: slicePort.port };
    }
  }
  return `no endpoints available for service "${name}"`;
}

/** A call failure, worded like Go's HTTP client errors that kube-apiserver reports. */
function goError(target: WebhookTarget, err: NodeJS.ErrnoException, timedOut: boolean): string {
  const u = new URL(target.url);
  const post = `Post "${target.url}"`;
  if (timedOut) return `${post}: context deadline exceeded`;
  const address = target.dial
    ? `${target.dial.host}:${target.dial.port}`
    : `${u.hostname}:${u.port || '443'}`;
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
 * POSTs a review to a webhook over HTTPS (a `service` resolved through `services`, see
 * {@link webhookTarget}), trusting only its `caBundle`, and returns the parsed answer. Rejects with a message worded like kube-apiserver's (see {@link goError}).
 */
export function callWebhook(
  c: ClientConfig,
  review: JsonObject,
  timeoutSeconds: number,
  services: ServiceDirectory,
): Promise<JsonObject> {
  const { target, error } = webhookTarget(c, timeoutSeconds, services);
  if (error !== undefined) return Promise.reject(new Error(`Post "${target.url}": ${error}`));
  // Written as kube-apiserver's JSON serializer writes it: integers beyond 2^53 as decoded.
  const body = goEncoded(goJson(review));
  return new Promise((resolve, reject) => {
    let timedOut = false;
    const req = request(
      target.url,
      {
        method: 'POST',
        agent: false,
        ...(target.dial ? { hostname: target.dial.host, port: target.dial.port } : {}),
        ...(target.servername ? { servername: target.servername } : {}),
        ca: c.caBundle ? Buffer.from(c.caBundle, 'base64').toString('utf8') : undefined,
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', (err) => reject(new Error(goError(target, err, timedOut))));
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
            resolve(parseKeeping(text) as JsonObject);
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
      reject(new Error(goError(target, err, timedOut)));
    });
    req.end(body);
  });
}
