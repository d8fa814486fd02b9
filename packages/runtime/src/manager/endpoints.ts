/** The manager's HTTP endpoints: `/healthz`, `/readyz` and `/metrics`. */
import type { Registry } from 'prom-client';
import { describeError } from '../controller/logging.js';
import { type ProbeServer, startProbeServer, text } from './probe-server.js';

/** What the endpoints read from the manager. */
export interface EndpointSources {
  /** Why the manager is not ready (empty when it is): `/readyz` answers 503 with them. */
  readonly readinessProblems: () => readonly string[];
  /** The registry `/metrics` serves. */
  readonly registry: Registry;
}

/**
 * Serves `/healthz` (200 while the process serves), `/readyz` (200, or 503 with a
 * `not ready: …` line per problem) and `/metrics` (the registry in the Prometheus format)
 * on `host:port`. A failure to listen says which address and what to do.
 */
export async function serveEndpoints(
  host: string,
  port: number,
  sources: EndpointSources,
): Promise<ProbeServer> {
  const { readinessProblems, registry } = sources;
  try {
    return await startProbeServer(host, port, {
      '/healthz': () => text(200, 'ok\n'),
      '/readyz': () => {
        const problems = readinessProblems();
        return problems.length === 0
          ? text(200, 'ok\n')
          : text(503, problems.map((p) => `not ready: ${p}\n`).join(''));
      },
      '/metrics': async () => ({
        status: 200,
        contentType: registry.contentType,
        body: await registry.metrics(),
      }),
    });
  } catch (error) {
    throw new Error(
      `Manager: cannot serve probes and metrics on ${host}:${port} ` +
        `(${describeError(error)}); choose another host or port in ManagerOptions`,
      { cause: error },
    );
  }
}
