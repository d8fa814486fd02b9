/**
 * What MemoryApiServer answers in place of a kubelet's container runtime: the exec,
 * attach and port-forward handlers a test registers, and the logs a test writes. Exposed
 * as `server.containers`.
 */
import type { ServerResponse } from 'node:http';
import type { Duplex, Readable, Writable } from 'node:stream';

/** A terminal size, in characters, as the client sent it on the resize channel. */
export interface TerminalSize {
  /** Columns. */
  readonly width: number;
  /** Rows. */
  readonly height: number;
}

/** One exec or attach session, as a handler sees it. */
export interface ContainerSession {
  /** The Pod's namespace. */
  readonly namespace: string;
  /** The Pod's name. */
  readonly pod: string;
  /** The container. */
  readonly container: string;
  /** The command of an exec (program and arguments); empty for an attach. */
  readonly command: readonly string[];
  /** Whether the client asked for a terminal. */
  readonly tty: boolean;
  /**
   * The client's input, when it asked for stdin: ends when the client closes its stdin
   * (`v5.channel.k8s.io`) or the connection.
   */
  readonly stdin: Readable | undefined;
  /** Where the command's output goes, when the client asked for it. */
  readonly stdout: Writable | undefined;
  /** Where the command's errors go, when the client asked for them (never with `tty`). */
  readonly stderr: Writable | undefined;
  /** The terminal sizes the client has sent so far, oldest first (with `tty`). */
  readonly terminalSizes: readonly TerminalSize[];
  /** Calls `listener` with each terminal size the client sends from now on. */
  onResize(listener: (size: TerminalSize) => void): void;
  /** Aborted when the client goes away. */
  readonly signal: AbortSignal;
}

/**
 * Runs an exec or attach session. Its result is the command's exit code (`undefined`
 * means 0); a thrown error ends the session with a Failure Status carrying its message,
 * as a command the runtime could not run does.
 */
export type ContainerHandler = (
  session: ContainerSession,
) => number | undefined | Promise<number | undefined>;

/**
 * Serves one forwarded connection to a port of a Pod: `stream` carries the bytes the
 * client sends and takes the bytes to send back; ending it ends the forward.
 */
export type PortForwardHandler = (
  stream: Duplex,
  info: { readonly namespace: string; readonly pod: string; readonly port: number },
) => void;

interface LogState {
  text: string;
  ended: boolean;
  readonly followers: Set<ServerResponse>;
}

const key = (...parts: string[]) => parts.join('/');

/**
 * The simulated container runtime of a MemoryApiServer (`server.containers`). A test
 * registers what a Pod's containers do when a client execs into, attaches to or
 * port-forwards to them, and writes their logs. The API server's own checks run first,
 * as kube-apiserver's do: the Pod must exist (404), the container must be one of its
 * containers (400), it must be bound to a node (400 `does not have a host assigned`) that
 * exists (404), and — as the kubelet requires — the Pod must be Running (exec, attach and
 * port-forward answer 404 `container not found` otherwise). Authorization needs `get` and
 * `create` on `pods/exec`, `pods/attach` or `pods/portforward`.
 */
export class ContainerRuntime {
  private readonly execs = new Map<string, ContainerHandler>();
  private readonly attaches = new Map<string, ContainerHandler>();
  private readonly forwards = new Map<string, PortForwardHandler>();
  private readonly logs = new Map<string, LogState>();

  /**
   * Serves `exec` into the Pod `namespace/pod`: `handler` runs for each exec (every
   * container, or only `options.container`). Replaces an earlier handler. Without a
   * handler, an exec ends with a Failure Status (the command is not found).
   */
  onExec(
    namespace: string,
    pod: string,
    handler: ContainerHandler,
    options: { container?: string } = {},
  ): void {
    this.execs.set(key(namespace, pod, options.container ?? '*'), handler);
  }

  /**
   * Serves `attach` to the Pod `namespace/pod` (every container, or only
   * `options.container`): `handler` plays the container's main process for each client
   * that attaches. Without a handler, an attach ends at once with exit code 0.
   */
  onAttach(
    namespace: string,
    pod: string,
    handler: ContainerHandler,
    options: { container?: string } = {},
  ): void {
    this.attaches.set(key(namespace, pod, options.container ?? '*'), handler);
  }

  /**
   * Serves port-forward to `port` of the Pod `namespace/pod`: `handler` gets each
   * forwarded connection. Without a handler, the port's error channel reports that
   * nothing listens on it.
   */
  onPortForward(namespace: string, pod: string, port: number, handler: PortForwardHandler): void {
    this.forwards.set(key(namespace, pod, String(port)), handler);
  }

  /**
   * Appends `text` to the log of `container` of the Pod `namespace/pod`: what `GET
   * pods/{pod}/log` reads, and what followers (`follow=true`) receive as it is written.
   */
  writeLog(namespace: string, pod: string, container: string, text: string): void {
    const log = this.log(namespace, pod, container);
    log.text += text;
    for (const res of log.followers) res.write(text);
  }

  /** Ends the log of a container (its process exited): followers' responses end. */
  endLog(namespace: string, pod: string, container: string): void {
    const log = this.log(namespace, pod, container);
    log.ended = true;
    for (const res of log.followers) res.end();
    log.followers.clear();
  }

  /** The exec handler of a container, if one is registered. */
  execHandler(namespace: string, pod: string, container: string): ContainerHandler | undefined {
    return (
      this.execs.get(key(namespace, pod, container)) ?? this.execs.get(key(namespace, pod, '*'))
    );
  }

  /** The attach handler of a container, if one is registered. */
  attachHandler(namespace: string, pod: string, container: string): ContainerHandler | undefined {
    return (
      this.attaches.get(key(namespace, pod, container)) ??
      this.attaches.get(key(namespace, pod, '*'))
    );
  }

  /** The port-forward handler of a port, if one is registered. */
  forwardHandler(namespace: string, pod: string, port: number): PortForwardHandler | undefined {
    return this.forwards.get(key(namespace, pod, String(port)));
  }

  /** The log text written so far. */
  logText(namespace: string, pod: string, container: string): string {
    return this.logs.get(key(namespace, pod, container))?.text ?? '';
  }

  /**
   * Streams the log to `res` (whose headers are sent): what was written, then every
   * later write, until {@link endLog} or the client goes away.
   */
  follow(
    namespace: string,
    pod: string,
    container: string,
    initial: string,
    res: ServerResponse,
  ): void {
    const log = this.log(namespace, pod, container);
    if (initial) res.write(initial);
    if (log.ended) {
      res.end();
      return;
    }
    log.followers.add(res);
    res.once('close', () => log.followers.delete(res));
  }

  private log(namespace: string, pod: string, container: string): LogState {
    const k = key(namespace, pod, container);
    let log = this.logs.get(k);
    if (!log) {
      log = { text: '', ended: false, followers: new Set() };
      this.logs.set(k, log);
    }
    return log;
  }
}
