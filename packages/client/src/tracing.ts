import { ApiError } from '@kube-ts/core';
import { type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';

/** The tracer of the client's API calls (a no-op unless an OpenTelemetry SDK is installed). */
const tracer = trace.getTracer('@kube-ts/client');

/** The object a request path names: `/api/v1/namespaces/NS/RESOURCE/NAME[/SUB]`. */
const OBJECT_PATH =
  /^\/(?:api\/[^/]+|apis\/[^/]+\/[^/]+)(?:\/namespaces\/([^/]+))?\/([^/]+)(?:\/([^/]+))?(?:\/([^/]+))?$/;

/**
 * Runs one API call (retries included) in a client span named `METHOD resource`, with the
 * HTTP method, URL, status code, and the object ref (`k8s.namespace.name`,
 * `k8s.resource`, `k8s.object.name`, `k8s.subresource`) and on failure the Status
 * `reason` as attributes. Never records headers or bodies.
 */
export async function traced<T>(method: string, url: URL, call: () => Promise<T>): Promise<T> {
  const m = OBJECT_PATH.exec(url.pathname);
  const attributes: Record<string, string> = {
    'http.request.method': method,
    'url.full': url.toString(),
    'server.address': url.hostname,
  };
  if (m?.[1] !== undefined) attributes['k8s.namespace.name'] = m[1];
  if (m?.[2] !== undefined) attributes['k8s.resource'] = m[2];
  if (m?.[3] !== undefined) attributes['k8s.object.name'] = m[3];
  if (m?.[4] !== undefined) attributes['k8s.subresource'] = m[4];
  const name = `${method} ${m?.[2] ?? url.pathname}`;
  return tracer.startActiveSpan(name, { kind: SpanKind.CLIENT, attributes }, async (span: Span) => {
    try {
      const result = await call();
      const status = (result as { status?: unknown }).status;
      if (typeof status === 'number') span.setAttribute('http.response.status_code', status);
      return result;
    } catch (err) {
      if (err instanceof ApiError) {
        span.setAttribute('http.response.status_code', err.code);
        span.setAttribute('k8s.status.reason', err.reason);
      }
      span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
      throw err;
    } finally {
      span.end();
    }
  });
}
