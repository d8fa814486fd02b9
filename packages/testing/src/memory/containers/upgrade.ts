/**
 * WebSocket upgrades of `pods/{name}/exec`, `attach` and `portforward`: authentication
 * and authorization (`get`), admission of the CONNECT (`admit-connect.ts`), the checks of
 * {@link streamTarget} (`create`, the Pod, its node), then the session on the negotiated
 * subprotocol. A refusal is answered as a plain HTTP Status response, as kube-apiserver
 * does before it upgrades. Each authorized one is counted in the request metrics, and is
 * long-running from its admission until it ends.
 */
import { type IncomingMessage, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { admitConnect, connectTarget } from '../admission/admit-connect.js';
import type { Authentication } from '../auth/authenticate.js';
import { guard } from '../auth/gate.js';
import { badRequest, HttpStatusError } from '../errors.js';
import type { RequestMetrics, Upgraded } from '../metrics/request-metrics.js';
import { route } from '../router.js';
import type { ApiState } from '../state.js';
import { warningHeaders } from '../warnings.js';
import { isRunning, streamTarget } from './pod-target.js';
import { servePortForward } from './port-forward-session.js';
import { REMOTE_COMMAND_PROTOCOLS, serveRemoteCommand } from './remote-command-session.js';

/**
 * Accepts or refuses one upgrade request (a refusal is answered on the socket), counted in
 * `metrics` once authorized, as kube-apiserver's handler counts it.
 */
export async function serveUpgrade(
  s: ApiState,
  auth: Authentication,
  metrics: RequestMetrics,
  wss: WebSocketServer,
  { req, socket, head }: { req: IncomingMessage; socket: Duplex; head: Buffer },
): Promise<void> {
  // Admission's warnings go with a refusal; a 101 carries none, as kube-apiserver's.
  metrics.received(req);
  const u: Upgrade = { req, socket, head, warnings: [], metrics, counted: undefined };
  try {
    await upgrade(s, auth, wss, u);
  } catch (err) {
    const e =
      err instanceof HttpStatusError
        ? err
        : new HttpStatusError(500, 'InternalError', `Internal error occurred: ${String(err)}`);
    u.counted?.end(e.code);
    refuse(socket, e, [...u.warnings, ...((err as { warnings?: string[] }).warnings ?? [])]);
  }
}

/** The upgrade request with its socket and first bytes. */
interface Upgrade {
  readonly req: IncomingMessage;
  readonly socket: Duplex;
  readonly head: Buffer;
  /** Collects admission's warnings. */
  readonly warnings: string[];
  readonly metrics: RequestMetrics;
  /** Its part in the request metrics, once it is authorized. */
  counted: Upgraded | undefined;
}

async function upgrade(
  s: ApiState,
  auth: Authentication,
  wss: WebSocketServer,
  u: Upgrade,
): Promise<void> {
  const { req, socket, head, warnings } = u;
  const url = new URL(req.url ?? '/', 'http://localhost');
  const target = connectTarget(s, url.pathname);
  if (
    target?.t.plural !== 'pods' ||
    target.subresource === 'proxy' ||
    (req.method ?? 'GET') !== 'GET'
  ) {
    throw new HttpStatusError(400, 'BadRequest', `cannot upgrade ${url.pathname}`);
  }
  const who = guard(s, auth, req);
  const r = route(s.registry, url.pathname);
  if (who.attrs.resourceRequest && r?.type === 'resource') {
    const counted = u.metrics.upgrading(req, url, r, who.attrs);
    u.counted = counted;
    // Upgraded, it is counted when the connection ends (a refusal is counted first).
    socket.once('close', () => counted.end(0));
  }
  const { namespace, name, subresource: sub } = target;
  // Admission sees the options (as the mutating webhooks may change them) before the Pod
  // is looked up; what follows reads them from there.
  const { options, warnings: admitted } = await admitConnect(s, target, req, url.searchParams);
  warnings.push(...admitted);
  u.counted?.longRunning();
  const strings = (k: string) => {
    const v = options[k];
    return Array.isArray(v) ? v.map(String) : [];
  };
  const { pod, container } = streamTarget(s, target, options, req);
  if (!isRunning(pod)) {
    // What the kubelet answers for a container it does not run (yet, or any more).
    throw new HttpStatusError(
      404,
      'NotFound',
      sub === 'portforward'
        ? `pod ${namespace}/${name} is not running`
        : `container not found ("${container}")`,
    );
  }
  const offered = String(req.headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((p) => p.trim());
  if (sub === 'portforward') {
    const ports = strings('ports').map(Number);
    if (ports.length === 0 || ports.some((p) => !Number.isInteger(p) || p < 1 || p > 65535)) {
      throw badRequest('at least one valid port is required in the ports parameter');
    }
    if (!offered.includes('v4.channel.k8s.io')) throw noProtocol(offered);
    wss.handleUpgrade(req, socket, head, (ws) =>
      servePortForward(ws, ports, (port) => s.containers.forwardHandler(namespace, name, port), {
        namespace,
        pod: name,
      }),
    );
    return;
  }
  const protocol = REMOTE_COMMAND_PROTOCOLS.find((p) => offered.includes(p));
  if (!protocol) throw noProtocol(offered);
  const command = strings('command');
  if (sub === 'exec' && command.length === 0) {
    throw badRequest('you must specify at least 1 command');
  }
  const flag = (k: string) => options[k] === true;
  const handler =
    sub === 'exec'
      ? s.containers.execHandler(namespace, name, container)
      : s.containers.attachHandler(namespace, name, container);
  wss.handleUpgrade(req, socket, head, (ws) =>
    serveRemoteCommand(ws, handler, {
      namespace,
      pod: name,
      container,
      command: sub === 'exec' ? command : [],
      stdin: flag('stdin'),
      stdout: flag('stdout'),
      stderr: flag('stderr'),
      tty: flag('tty'),
      attach: sub === 'attach',
    }),
  );
}

function noProtocol(offered: string[]): HttpStatusError {
  return badRequest(
    `none of the offered WebSocket subprotocols is supported: [${offered.join(', ')}]`,
  );
}

function refuse(socket: Duplex, e: HttpStatusError, warnings: readonly string[]): void {
  const body = JSON.stringify(e.toStatus());
  socket.end(
    `HTTP/1.1 ${e.code} ${STATUS_CODES[e.code] ?? 'Error'}\r\n` +
      'Content-Type: application/json\r\n' +
      warningHeaders(warnings)
        .map((w) => `Warning: ${w}\r\n`)
        .join('') +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Connection: close\r\n\r\n' +
      body,
  );
}

/** A WebSocket server that only takes upgrades handed to it. */
export function upgradeServer(): WebSocketServer {
  return new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    handleProtocols: (protocols) => {
      for (const p of [...REMOTE_COMMAND_PROTOCOLS, 'v4.channel.k8s.io']) {
        if (protocols.has(p)) return p;
      }
      return false;
    },
  });
}
