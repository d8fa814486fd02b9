import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ControlPlaneError } from './errors.js';
import { assertPortFree, freePort, LOOPBACK } from './ports.js';

let held: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (held ? held.close(() => resolve()) : resolve())));

function hold(port: number): Promise<Server> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(port, LOOPBACK, () => resolve(server));
  });
}

describe('ports', () => {
  it('freePort gives a port that can be bound', async () => {
    const port = await freePort();
    expect(port).toBeGreaterThan(0);
    await expect(assertPortFree(port, 'test')).resolves.toBeUndefined();
  });

  it('assertPortFree says which port is taken and what it was for', async () => {
    const port = await freePort();
    held = await hold(port);
    const error = await assertPortFree(port, 'kube-apiserver').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ControlPlaneError);
    expect((error as Error).message).toContain(
      `Port ${port} on 127.0.0.1, wanted for kube-apiserver, is already in use`,
    );
  });
});
