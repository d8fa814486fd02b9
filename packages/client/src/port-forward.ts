/**
 * Port-forward over an open WebSocket: one Duplex per forwarded port, and a local TCP
 * listener that opens one forward per accepted connection (as `kubectl port-forward` does:
 * a WebSocket forward carries one TCP stream per port).
 */
import { createServer, type Server, type Socket } from 'node:net';
import { Duplex } from 'node:stream';
import type WebSocket from 'ws';
import { frame } from './channel-protocol.js';
import { TransportError } from './errors.js';

/** Options of `Api.portForward`. */
export interface PortForwardOptions {
  /** Aborting it closes the forward (every port's stream ends). */
  signal?: AbortSignal;
  /** Milliseconds for the connection to be established (the client's `timeoutMs` by default). */
  timeoutMs?: number;
}

/**
 * An error the Pod's side reported for a forwarded port (e.g. nothing listens on it in
 * the Pod), from the port's error channel, or the connection breaking. The port's stream
 * ends; {@link PortForward.failure} gives this error.
 */
export class PortForwardError extends Error {
  /** The port in the Pod. */
  readonly port: number;

  /**
   * @param port the port in the Pod
   * @param message what the server reported
   */
  constructor(port: number, message: string) {
    super(`port-forward to port ${port}: ${message}`);
    this.name = 'PortForwardError';
    this.port = port;
  }
}

interface PortState {
  readonly port: number;
  readonly stream: Duplex;
  /** The data and error channels have each sent their opening (port number) message. */
  readonly opened: [boolean, boolean];
  paused: boolean;
  failure: PortForwardError | undefined;
}

/**
 * Forwarded ports of one Pod over one WebSocket: {@link stream} gives the Duplex of a
 * port (bytes written go to the port in the Pod, bytes the Pod sends are read). A port
 * that fails ends its stream (never an `'error'` event nobody may be listening for);
 * {@link failure} says why. The
 * protocol cannot half-close a port: `end()` on a stream sends nothing; the connection
 * closes when every stream is destroyed, on {@link close}, or when the signal aborts.
 */
export class PortForward {
  /** Resolves when the connection has closed (for whatever reason). */
  readonly closed: Promise<void>;
  private readonly ports: PortState[];

  /**
   * @param socket the open (paused) WebSocket of the portforward request
   * @param ports the ports in the Pod, in the order of the request's `ports` parameters
   * @param url the request URL, for error messages
   * @param signal aborting it closes the forward
   */
  constructor(
    private readonly socket: WebSocket,
    ports: readonly number[],
    url: string,
    signal?: AbortSignal,
  ) {
    this.ports = ports.map((port, i) => this.portState(port, i));
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      if (!isBinary || data.length < 1) return;
      const channel = data[0]!;
      const p = this.ports[channel >> 1];
      if (!p) return;
      const isError = (channel & 1) === 1;
      let body = data.subarray(1);
      if (!p.opened[channel & 1]) {
        // Each channel opens with the port number (2 bytes, little endian).
        p.opened[channel & 1] = true;
        body = body.subarray(2);
      }
      if (body.length === 0) return;
      if (isError) {
        p.failure ??= new PortForwardError(p.port, body.toString('utf8'));
        p.stream.push(null);
      } else if (!p.stream.push(body)) {
        p.paused = true;
        socket.pause();
      }
    });
    const endAll = (err?: Error) => {
      signal?.removeEventListener('abort', onAbort);
      for (const p of this.ports) {
        if (err) p.failure ??= new PortForwardError(p.port, err.message);
        p.stream.push(null);
      }
    };
    socket.on('close', () => endAll());
    socket.on('error', (err) =>
      endAll(new TransportError('GET', url, err, `the port-forward broke: ${err.message}`)),
    );
    const onAbort = () => this.close();
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
    socket.resume();
  }

  /** The stream of port `port` in the Pod (one of the ports asked for). */
  stream(port: number): Duplex {
    const p = this.ports.find((x) => x.port === port);
    if (!p) {
      throw new TypeError(
        `port ${port} is not forwarded here (ports: ${this.ports.map((x) => x.port).join(', ')})`,
      );
    }
    return p.stream;
  }

  /**
   * Why the stream of `port` ended early: the error the Pod's side reported on the port's
   * error channel (e.g. nothing listens there) or the connection breaking; `undefined`
   * when it did not fail.
   */
  failure(port: number): PortForwardError | undefined {
    return this.ports.find((x) => x.port === port)?.failure;
  }

  /** Closes the connection: every port's stream ends. */
  close(): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.close(1000);
    else this.socket.terminate();
  }

  private portState(port: number, index: number): PortState {
    const socket = this.socket;
    const state: PortState = {
      port,
      opened: [false, false],
      paused: false,
      failure: undefined,
      stream: new Duplex({
        read: () => {
          if (!state.paused) return;
          state.paused = false;
          if (this.ports.every((p) => !p.paused)) socket.resume();
        },
        write: (chunk: Buffer, _enc, callback) => {
          if (socket.readyState !== socket.OPEN) {
            callback(new PortForwardError(port, 'the connection is closed'));
            return;
          }
          socket.send(frame(2 * index, chunk), callback);
        },
        final: (callback) => callback(),
        destroy: (err, callback) => {
          if (this.ports.every((p) => p.stream.destroyed || p.stream === state.stream)) {
            this.close();
          }
          callback(err);
        },
      }),
    };
    return state;
  }
}

/** Options of `Api.portForwardListener`. */
export interface PortForwardListenerOptions {
  /** The local port to listen on (default 0: a free port, see {@link PortForwardListener.port}). */
  localPort?: number;
  /** The local address to listen on (default `127.0.0.1`). */
  host?: string;
  /** Aborting it closes the listener and every forwarded connection. */
  signal?: AbortSignal;
  /**
   * Called when a forward for an accepted connection fails (the connection is closed);
   * by default failures only close the connection.
   */
  onError?: (err: unknown) => void;
}

/** A local TCP listener whose connections are forwarded to a port of a Pod. */
export interface PortForwardListener {
  /** The local port it listens on. */
  readonly port: number;
  /** The local address it listens on. */
  readonly host: string;
  /** Stops listening and closes every forwarded connection. */
  close(): Promise<void>;
}

/**
 * Listens on a local port and forwards each accepted connection through its own
 * port-forward (opened by `open`). A port the Pod's side refuses closes the connection
 * and is reported to `options.onError`.
 */
export async function listenForward(
  open: (signal: AbortSignal) => Promise<PortForward>,
  remotePort: number,
  options: PortForwardListenerOptions,
): Promise<PortForwardListener> {
  const host = options.host ?? '127.0.0.1';
  const stop = new AbortController();
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.pause();
    open(stop.signal).then(
      (forward) => {
        const remote = forward.stream(remotePort);
        socket.pipe(remote);
        remote.pipe(socket);
        const fail = (err?: unknown) => {
          if (err !== undefined) options.onError?.(err);
          socket.destroy();
          forward.close();
        };
        remote.on('error', fail);
        socket.on('error', fail);
        socket.once('close', () => forward.close());
        remote.once('end', () => {
          const failure = forward.failure(remotePort);
          if (failure) options.onError?.(failure);
          socket.end();
        });
        socket.resume();
      },
      (err: unknown) => {
        options.onError?.(err);
        socket.destroy();
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.localPort ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const close = () =>
    new Promise<void>((resolve) => {
      stop.abort();
      options.signal?.removeEventListener('abort', onAbort);
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  const onAbort = () => void close();
  if (options.signal?.aborted) await close();
  else options.signal?.addEventListener('abort', onAbort, { once: true });
  return { port, host, close };
}
