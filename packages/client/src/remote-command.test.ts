import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { TransportError } from './errors.js';
import { RemoteProcess } from './remote-command.js';

let wss: WebSocketServer | undefined;

afterEach(() => {
  for (const c of wss?.clients ?? []) c.terminate();
  wss?.close();
});

/** A server that speaks only `protocol` and runs `serve` on each connection. */
async function connectTo(protocol: string, serve: (ws: WebSocket) => void): Promise<WebSocket> {
  wss = new WebSocketServer({
    port: 0,
    handleProtocols: (p) => (p.has(protocol) ? protocol : false),
  });
  wss.on('connection', serve);
  await new Promise((resolve) => wss!.once('listening', resolve));
  const { port } = wss.address() as AddressInfo;
  const ws = new WebSocket(`ws://127.0.0.1:${port}`, ['v5.channel.k8s.io', 'v4.channel.k8s.io']);
  await new Promise((resolve) => ws.once('open', resolve));
  ws.pause();
  return ws;
}

describe('RemoteProcess', () => {
  it('falls back to v4: stdin end sends no close message; Success is exit 0', async () => {
    const received: number[][] = [];
    const socket = await connectTo('v4.channel.k8s.io', (ws) => {
      ws.on('message', (d: Buffer) => {
        received.push([...d]);
        ws.send(Buffer.from([1, ...d.subarray(1)]));
        ws.send(Buffer.concat([Buffer.from([3]), Buffer.from('{"status":"Success"}')]));
      });
    });
    const p = new RemoteProcess(socket, 'ws://x', { stdin: true });
    expect(p.protocol).toBe('v4.channel.k8s.io');
    p.stdin?.end('hi');
    let out = '';
    for await (const c of p.stdout ?? []) out += String(c);
    expect(out).toBe('hi');
    expect((await p.exit).exitCode).toBe(0);
    expect(received).toEqual([[0, 0x68, 0x69]]);
  });

  it('v5: stdin end sends [255, 0]', async () => {
    const received: number[][] = [];
    const socket = await connectTo('v5.channel.k8s.io', (ws) => {
      ws.on('message', (d: Buffer) => {
        received.push([...d]);
        if (d[0] === 255) ws.send(Buffer.from([3, ...Buffer.from('{"status":"Success"}')]));
      });
    });
    const p = new RemoteProcess(socket, 'ws://x', { stdin: true });
    p.stdin?.end();
    expect((await p.exit).exitCode).toBe(0);
    expect(received).toEqual([[255, 0]]);
  });

  it('a connection that closes without a status rejects exit; outputs end', async () => {
    const socket = await connectTo('v4.channel.k8s.io', (ws) => ws.close(1000));
    const p = new RemoteProcess(socket, 'ws://x', {});
    await expect(p.exit).rejects.toBeInstanceOf(TransportError);
    await expect(p.exit).rejects.toThrow(/without sending an exit status/);
    let out = '';
    for await (const c of p.stderr ?? []) out += String(c);
    expect(out).toBe('');
  });

  it('pauses the connection while stdout is not read', async () => {
    const chunk = Buffer.alloc(64 * 1024, 1);
    const socket = await connectTo('v4.channel.k8s.io', (ws) => {
      for (let i = 0; i < 8; i++) ws.send(Buffer.concat([Buffer.from([1]), chunk]));
      ws.send(Buffer.from([3, ...Buffer.from('{"status":"Success"}')]));
    });
    const p = new RemoteProcess(socket, 'ws://x', {});
    // Paused once the unread output has filled the buffers (however long that takes here).
    await vi.waitFor(() => expect(socket.isPaused).toBe(true), { timeout: 15_000 });
    let n = 0;
    for await (const c of p.stdout ?? []) n += (c as Buffer).length;
    expect(n).toBe(8 * chunk.length);
    expect((await p.exit).exitCode).toBe(0);
  });

  it('resize needs a tty', async () => {
    const socket = await connectTo('v4.channel.k8s.io', () => undefined);
    const p = new RemoteProcess(socket, 'ws://x', {});
    expect(() => p.resize({ width: 1, height: 1 })).toThrow(TypeError);
    p.close();
    await expect(p.exit).rejects.toThrow(/closed/);
  });

  it('a failed stdin send (the command exited, EPIPE) is no stdin error; exit reports', async () => {
    const socket = await connectTo('v5.channel.k8s.io', () => undefined);
    const p = new RemoteProcess(socket, 'ws://x', { stdin: true });
    const send = vi
      .spyOn(socket, 'send')
      .mockImplementation(((_data: unknown, cb?: (err?: Error) => void) =>
        cb?.(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }))) as typeof socket.send);
    const errors: unknown[] = [];
    p.stdin?.on('error', (e) => errors.push(e));
    await new Promise<void>((resolve) => p.stdin?.write('late input', () => resolve()));
    await new Promise<void>((resolve) => p.stdin?.end(() => resolve()));
    expect(send).toHaveBeenCalledTimes(2);
    expect(errors).toEqual([]);
    p.close();
    await expect(p.exit).rejects.toThrow(/closed/);
  });
});
