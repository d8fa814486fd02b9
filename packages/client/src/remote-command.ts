/**
 * A remote command (exec or attach) over an open WebSocket: Node streams for stdin,
 * stdout and stderr, terminal resizes, and the exit status read from the status channel.
 */
import { PassThrough, type Readable, Writable } from 'node:stream';
import { ApiError, type Status } from '@kube-ts/core';
import type WebSocket from 'ws';
import {
  Channel,
  CLOSE_CHANNEL,
  canCloseChannels,
  type ExitStatus,
  exitStatusOf,
  frame,
} from './channel-protocol.js';
import { TransportError } from './errors.js';

/** A terminal size, in characters. */
export interface TerminalSize {
  /** Columns. */
  readonly width: number;
  /** Rows. */
  readonly height: number;
}

/** Options of `Api.exec` and `Api.attach`. */
export interface RemoteCommandOptions {
  /** The container (required when the Pod has more than one). */
  container?: string;
  /** Open the command's stdin: {@link RemoteProcess.stdin} is writable (default false). */
  stdin?: boolean;
  /** Read the command's stdout (default true). */
  stdout?: boolean;
  /** Read the command's stderr (default true; with `tty` it is merged into stdout). */
  stderr?: boolean;
  /** Give the command a terminal: one output stream, and {@link RemoteProcess.resize}. */
  tty?: boolean;
  /**
   * Aborting it ends the session: the connection closes, the streams end and
   * {@link RemoteProcess.exit} rejects with the signal's reason.
   */
  signal?: AbortSignal;
  /** Milliseconds for the connection to be established (the client's `timeoutMs` by default). */
  timeoutMs?: number;
}

/**
 * A command running in a container, connected over a WebSocket. Read its output from
 * {@link stdout} and {@link stderr} (Readables that pause the connection while they are
 * not read), write its input to {@link stdin}, and await {@link exit} for its exit code.
 */
export class RemoteProcess {
  /**
   * The command's input, when `stdin: true` was asked. `end()` closes the command's stdin
   * when the server speaks `v5.channel.k8s.io` (kube-apiserver 1.30 and later); over
   * `v4.channel.k8s.io` stdin cannot be closed on its own, so `end()` only stops writing.
   */
  readonly stdin: Writable | undefined;
  /**
   * The command's stdout (its terminal with `tty`), when asked (the default). It ends when
   * the session ends, also on a failure (which {@link exit} reports).
   */
  readonly stdout: Readable | undefined;
  /** The command's stderr, when asked (the default) and without `tty`. */
  readonly stderr: Readable | undefined;
  /**
   * Resolves with the exit code and Status when the command ends. Rejects with an
   * `ApiError` when the server reports a failure that is not an exit code (e.g. the
   * command could not be started), a `TransportError` when the connection breaks before
   * the status arrives, or the signal's reason when the caller aborted.
   */
  readonly exit: Promise<ExitStatus>;
  /** The negotiated subprotocol, e.g. `v5.channel.k8s.io`. */
  readonly protocol: string;

  private readonly socket: WebSocket;
  private readonly tty: boolean;
  private readonly paused = new Set<Readable>();
  private readonly abort: (reason: unknown) => void;

  /**
   * @param socket the open (paused) WebSocket of the exec or attach request
   * @param url the request URL, for error messages
   * @param options what was asked for
   */
  constructor(socket: WebSocket, url: string, options: RemoteCommandOptions) {
    this.socket = socket;
    this.protocol = socket.protocol;
    this.tty = options.tty === true;
    const wantsStderr = options.stderr !== false && !this.tty;
    this.stdout = options.stdout !== false ? this.output() : undefined;
    this.stderr = wantsStderr ? this.output() : undefined;
    this.stdin = options.stdin ? this.input() : undefined;
    let settle!: { resolve: (s: ExitStatus) => void; reject: (e: unknown) => void };
    this.exit = new Promise<ExitStatus>((resolve, reject) => {
      settle = { resolve, reject };
    });
    // The caller may never await `exit` (e.g. it only reads stdout).
    this.exit.catch(() => undefined);
    let ended = false;
    const finish = (result: ExitStatus | undefined, err?: unknown) => {
      if (ended) return;
      ended = true;
      options.signal?.removeEventListener('abort', onAbort);
      // The outputs end (after what they hold) rather than fail: `exit` reports failures,
      // and a stream nobody listens to must not throw.
      for (const r of [this.stdout, this.stderr]) (r as PassThrough | undefined)?.end();
      this.stdin?.destroy();
      this.paused.clear();
      socket.resume();
      if (result) settle.resolve(result);
      else settle.reject(err);
      if (socket.readyState === socket.OPEN) socket.close(1000);
    };
    this.abort = (reason: unknown) => {
      finish(undefined, reason);
      socket.terminate();
    };
    const onAbort = () => this.abort(options.signal?.reason);
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      if (!isBinary || data.length < 2) return; // a channel's opening message is empty
      const body = data.subarray(1);
      switch (data[0]) {
        case Channel.stdout:
          this.deliver(this.stdout, body);
          break;
        case Channel.stderr:
          this.deliver(this.stderr, body);
          break;
        case Channel.status: {
          const status = parseStatus(body);
          const exit = status && exitStatusOf(status);
          if (exit) finish(exit);
          else finish(undefined, failure(status, body, url));
          break;
        }
      }
    });
    socket.on('error', (err) =>
      finish(undefined, new TransportError('GET', url, err, `the stream broke: ${err.message}`)),
    );
    socket.on('close', (code) => {
      const what =
        code === 1000 || code === 1005
          ? 'the server closed the stream without sending an exit status'
          : `the stream closed (WebSocket code ${code}) without an exit status`;
      finish(undefined, new TransportError('GET', url, new Error(what), what));
    });
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });
    socket.resume();
  }

  /** Sets the terminal size (only with `tty`: throws a TypeError otherwise). */
  resize(size: TerminalSize): void {
    if (!this.tty) throw new TypeError('resize needs a terminal: start the command with tty: true');
    if (this.socket.readyState !== this.socket.OPEN) return;
    this.socket.send(
      frame(Channel.resize, JSON.stringify({ Width: size.width, Height: size.height })),
    );
  }

  /** Closes the connection: the streams end and {@link exit} rejects with an `AbortError`. */
  close(): void {
    this.abort(new DOMException('the remote command was closed', 'AbortError'));
  }

  /** A Readable fed from a channel; the connection pauses while it is full. */
  private output(): Readable {
    const out = new PassThrough();
    out.on('drain', () => this.unpause(out));
    return out;
  }

  private deliver(out: Readable | undefined, data: Buffer): void {
    if (!out || out.destroyed) return;
    if (!(out as PassThrough).write(data)) {
      this.paused.add(out);
      this.socket.pause();
    }
  }

  private unpause(out: Readable): void {
    this.paused.delete(out);
    if (this.paused.size === 0) this.socket.resume();
  }

  private input(): Writable {
    const socket = this.socket;
    const canClose = canCloseChannels(this.protocol);
    return new Writable({
      // After the end, input is dropped, and a failed send (EPIPE when the command has
      // just exited and the server closed the connection) is not an error of stdin: `exit`
      // says how the command ended, and a stdin nobody listens to for errors must not throw.
      write(chunk: Buffer, _enc, callback) {
        if (socket.readyState !== socket.OPEN) {
          callback();
          return;
        }
        socket.send(frame(Channel.stdin, chunk), () => callback());
      },
      final(callback) {
        if (canClose && socket.readyState === socket.OPEN) {
          socket.send(Buffer.from([CLOSE_CHANNEL, Channel.stdin]), () => callback());
        } else callback();
      },
    });
  }
}

function parseStatus(body: Buffer): Status | undefined {
  try {
    const s = JSON.parse(body.toString('utf8')) as unknown;
    return typeof s === 'object' && s !== null ? (s as Status) : undefined;
  } catch {
    return undefined;
  }
}

/** The error of a status that is not an exit: the server's Status, or one built from the text. */
function failure(status: Status | undefined, body: Buffer, url: string): ApiError {
  const base: Status = status ?? {
    kind: 'Status',
    apiVersion: 'v1',
    status: 'Failure',
    message: `${url}: ${body.toString('utf8').slice(0, 200)}`,
  };
  return new ApiError({ ...base, code: base.code ?? 500, reason: base.reason ?? 'InternalError' });
}
