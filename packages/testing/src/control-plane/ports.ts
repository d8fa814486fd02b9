import { createServer } from 'node:net';
import { ControlPlaneError } from './errors.js';

/** The loopback address every control-plane process binds to. */
export const LOOPBACK = '127.0.0.1';

function listenOnce(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host: LOOPBACK, port, exclusive: true }, () => {
      const address = server.address();
      const bound = typeof address === 'object' && address !== null ? address.port : port;
      server.close(() => resolve(bound));
    });
  });
}

/**
 * A TCP port on 127.0.0.1 that was free a moment ago (the OS picks it). Another process
 * may still take it before it is used; a start-up failure then says the port is taken.
 */
export function freePort(): Promise<number> {
  return listenOnce(0);
}

/**
 * Checks that `port` on 127.0.0.1 can be bound now.
 *
 * @param purpose what the port is for, used in the error message (e.g. `kube-apiserver`).
 * @throws {ControlPlaneError} when the port is in use (or cannot be bound at all).
 */
export async function assertPortFree(port: number, purpose: string): Promise<void> {
  try {
    await listenOnce(port);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      throw new ControlPlaneError(
        `Port ${port} on ${LOOPBACK}, wanted for ${purpose}, is already in use by another process. ` +
          'Stop that process, or let ControlPlane pick a free port by not setting one.',
      );
    }
    throw new ControlPlaneError(
      `Cannot bind ${LOOPBACK}:${port} for ${purpose}: ${(error as Error).message}`,
    );
  }
}
