/**
 * The server side of an exec or attach over `v5.channel.k8s.io` / `v4.channel.k8s.io`
 * (one byte of channel, then data: 0 stdin, 1 stdout, 2 stderr, 3 the final Status, 4
 * terminal resizes; `v5` closes a channel with `[255, channel]`), driving a test's
 * {@link ContainerHandler}.
 */
import { PassThrough, Writable } from 'node:stream';
import type WebSocket from 'ws';
import type { JsonObject } from '../json.js';
import type { ContainerHandler, ContainerSession, TerminalSize } from './container-runtime.js';

/** The subprotocols served, best first. */
export const REMOTE_COMMAND_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];

/** What the client asked for. */
export interface RemoteCommandRequest {
  readonly namespace: string;
  readonly pod: string;
  readonly container: string;
  readonly command: readonly string[];
  readonly stdin: boolean;
  readonly stdout: boolean;
  readonly stderr: boolean;
  readonly tty: boolean;
  readonly attach: boolean;
}

const frame = (channel: number, data: Buffer | string): Buffer =>
  Buffer.concat([Buffer.from([channel]), Buffer.isBuffer(data) ? data : Buffer.from(data)]);

function output(ws: WebSocket, channel: number): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, callback) {
      if (ws.readyState !== ws.OPEN) callback();
      else ws.send(frame(channel, chunk), () => callback());
    },
  });
}

/** The Status a finished command sends: Success, or its exit code as kubelet reports it. */
function exitStatus(code: number, command: readonly string[]): JsonObject {
  if (code === 0) return { metadata: {}, status: 'Success' };
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${command.join(' ')}], exit code ${code}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
  };
}

function failureStatus(message: string): JsonObject {
  return {
    metadata: {},
    status: 'Failure',
    message: `Internal error occurred: ${message}`,
    reason: 'InternalError',
    code: 500,
  };
}

/** Runs one session on an upgraded socket. */
export function serveRemoteCommand(
  ws: WebSocket,
  handler: ContainerHandler | undefined,
  r: RemoteCommandRequest,
): void {
  const closed = new AbortController();
  const stdin = r.stdin ? new PassThrough() : undefined;
  const stdout = r.stdout ? output(ws, 1) : undefined;
  const stderr = r.stderr && !r.tty ? output(ws, 2) : undefined;
  const sizes: TerminalSize[] = [];
  const listeners: ((size: TerminalSize) => void)[] = [];
  const canClose = ws.protocol === 'v5.channel.k8s.io';
  ws.on('message', (data: Buffer, isBinary: boolean) => {
    if (!isBinary || data.length < 1) return;
    const body = data.subarray(1);
    if (data[0] === 0 && body.length > 0) stdin?.write(body);
    else if (data[0] === 255 && canClose && body[0] === 0) stdin?.end();
    else if (data[0] === 4 && r.tty) {
      try {
        const s = JSON.parse(body.toString('utf8')) as { Width?: number; Height?: number };
        const size = { width: Number(s.Width ?? 0), height: Number(s.Height ?? 0) };
        sizes.push(size);
        for (const l of listeners) l(size);
      } catch {
        // A malformed resize is ignored, as the kubelet does.
      }
    }
  });
  ws.on('close', () => {
    closed.abort();
    stdin?.end();
  });
  ws.on('error', () => closed.abort());
  // Each channel opens with an empty message, as kubelet's wsstream does.
  for (const ch of [r.stdin && 0, r.stdout && 1, stderr && 2, 3, r.tty && 4]) {
    if (typeof ch === 'number') ws.send(Buffer.from([ch]));
  }
  const session: ContainerSession = {
    namespace: r.namespace,
    pod: r.pod,
    container: r.container,
    command: r.command,
    tty: r.tty,
    stdin,
    stdout,
    stderr,
    terminalSizes: sizes,
    onResize: (l) => listeners.push(l),
    signal: closed.signal,
  };
  const run = async (): Promise<JsonObject> => {
    if (!handler) {
      if (r.attach) return exitStatus(0, r.command);
      return failureStatus(
        `error executing command in container: exec: "${r.command[0]}": executable file not found in $PATH (no exec handler for pod ${r.namespace}/${r.pod}: register one with server.containers.onExec)`,
      );
    }
    try {
      return exitStatus((await handler(session)) ?? 0, r.command);
    } catch (err) {
      return failureStatus(err instanceof Error ? err.message : String(err));
    }
  };
  void run().then(async (status) => {
    await Promise.all([stdout, stderr].map((w) => w && endOf(w)));
    if (ws.readyState !== ws.OPEN) return;
    ws.send(frame(3, JSON.stringify(status)), () => ws.close(1000));
  });
}

function endOf(w: Writable): Promise<void> {
  return new Promise((resolve) => {
    if (w.writableFinished) resolve();
    else w.end(() => resolve());
  });
}
