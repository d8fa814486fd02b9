/**
 * The server side of a port-forward over WebSocket (`v4.channel.k8s.io` framing as the
 * kubelet serves it): for the i-th port of the request, channel 2i carries data and 2i+1
 * errors; each channel opens with the port number (2 bytes, little endian). One
 * connection per port is handed to the test's {@link PortForwardHandler}.
 */
import { Duplex } from 'node:stream';
import type WebSocket from 'ws';
import type { PortForwardHandler } from './container-runtime.js';

const frame = (channel: number, data: Buffer | string): Buffer =>
  Buffer.concat([Buffer.from([channel]), Buffer.isBuffer(data) ? data : Buffer.from(data)]);

function portBytes(port: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(port);
  return b;
}

/** Serves one port-forward connection. */
export function servePortForward(
  ws: WebSocket,
  ports: readonly number[],
  handlerOf: (port: number) => PortForwardHandler | undefined,
  pod: { readonly namespace: string; readonly pod: string },
): void {
  const streams: (Duplex | undefined)[] = [];
  let open = 0;
  ports.forEach((port, i) => {
    ws.send(frame(2 * i, portBytes(port)));
    ws.send(frame(2 * i + 1, portBytes(port)));
    const handler = handlerOf(port);
    if (!handler) {
      ws.send(
        frame(
          2 * i + 1,
          `error forwarding port ${port} to pod ${pod.namespace}/${pod.pod}: connection refused (no handler: register one with server.containers.onPortForward)`,
        ),
      );
      streams.push(undefined);
      return;
    }
    open++;
    const stream = new Duplex({
      read() {},
      write(chunk: Buffer, _enc, callback) {
        if (ws.readyState !== ws.OPEN) callback();
        else ws.send(frame(2 * i, chunk), () => callback());
      },
      final(callback) {
        // The Pod side closed its connection: the forward ends when every port has.
        if (--open === 0 && ws.readyState === ws.OPEN) ws.close(1000);
        callback();
      },
    });
    streams.push(stream);
    handler(stream, { ...pod, port });
  });
  ws.on('message', (data: Buffer, isBinary: boolean) => {
    if (!isBinary || data.length < 2 || data[0]! % 2 !== 0) return;
    streams[data[0]! / 2]?.push(data.subarray(1));
  });
  ws.on('close', () => {
    for (const s of streams) s?.push(null);
  });
}
