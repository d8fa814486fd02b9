/**
 * `Api.exec`, `Api.attach`, `Api.portForward` and `Api.portForwardListener`: the Pod
 * subresources served over WebSocket, opened through the client (same credentials, TLS
 * and connection settings as every request). Bad arguments reject (never throw).
 */
import { ApiError, type KubeObject } from '@kube-ts/core';
import type WebSocket from 'ws';
import { PORT_FORWARD_PROTOCOLS, REMOTE_COMMAND_PROTOCOLS } from './channel-protocol.js';
import type { QueryParams } from './client-options.js';
import { PodStreamError } from './errors.js';
import {
  listenForward,
  PortForward,
  type PortForwardListener,
  type PortForwardListenerOptions,
  type PortForwardOptions,
} from './port-forward.js';
import { type RemoteCommandOptions, RemoteProcess } from './remote-command.js';
import type { ResourceCalls } from './resource-calls.js';

async function connect(
  calls: ResourceCalls<KubeObject>,
  name: string,
  sub: 'exec' | 'attach' | 'portforward',
  query: QueryParams,
  protocols: readonly string[],
  options: { signal?: AbortSignal | undefined; timeoutMs?: number | undefined },
): Promise<{ socket: WebSocket; url: string }> {
  calls.expect('pods', sub);
  const path = calls.item(name, sub);
  try {
    const socket = await calls.client.upgrade(
      {
        method: 'GET',
        path,
        query,
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      },
      protocols,
    );
    return { socket, url: calls.client.url(path, query).toString() };
  } catch (err) {
    // Pods are always served: a 404 here is the Pod's or the container's, never the
    // resource's (so no ResourceNotServedError).
    if (err instanceof ApiError) throw new PodStreamError(err, sub, calls.namespace ?? '');
    throw err;
  }
}

function streamQuery(options: RemoteCommandOptions): Record<string, string | boolean> {
  return {
    ...(options.container ? { container: options.container } : {}),
    stdin: options.stdin === true,
    stdout: options.stdout !== false,
    stderr: options.stderr !== false && options.tty !== true,
    tty: options.tty === true,
  };
}

/** `Api.exec`: runs `command` in a container of the Pod `name`. */
export function execInPod(
  calls: ResourceCalls<KubeObject>,
  name: string,
  command: readonly string[],
  options: RemoteCommandOptions,
): Promise<RemoteProcess> {
  return (async () => {
    if (!Array.isArray(command) || command.length === 0) {
      throw new TypeError('exec needs a command: a non-empty array, e.g. ["sh", "-c", "ls"]');
    }
    const query = { ...streamQuery(options), command: [...command] };
    const { socket, url } = await connect(
      calls,
      name,
      'exec',
      query,
      REMOTE_COMMAND_PROTOCOLS,
      options,
    );
    return new RemoteProcess(socket, url, options);
  })();
}

/** `Api.attach`: attaches to the running process of a container of the Pod `name`. */
export function attachToPod(
  calls: ResourceCalls<KubeObject>,
  name: string,
  options: RemoteCommandOptions,
): Promise<RemoteProcess> {
  return (async () => {
    const { socket, url } = await connect(
      calls,
      name,
      'attach',
      streamQuery(options),
      REMOTE_COMMAND_PROTOCOLS,
      options,
    );
    return new RemoteProcess(socket, url, options);
  })();
}

function checkPorts(ports: readonly number[]): void {
  if (!Array.isArray(ports) || ports.length === 0) {
    throw new TypeError('portForward needs at least one port');
  }
  for (const p of ports) {
    if (!Number.isInteger(p) || p < 1 || p > 65535) {
      throw new TypeError(`portForward: ${p} is not a port (1-65535)`);
    }
  }
}

/** `Api.portForward`: forwards `ports` of the Pod `name` over one connection. */
export function forwardPodPorts(
  calls: ResourceCalls<KubeObject>,
  name: string,
  ports: readonly number[],
  options: PortForwardOptions,
): Promise<PortForward> {
  return (async () => {
    checkPorts(ports);
    const { socket, url } = await connect(
      calls,
      name,
      'portforward',
      { ports: [...ports] },
      PORT_FORWARD_PROTOCOLS,
      options,
    );
    return new PortForward(socket, ports, url, options.signal);
  })();
}

/** `Api.portForwardListener`: a local TCP listener forwarding to `port` of the Pod `name`. */
export function listenPodPort(
  calls: ResourceCalls<KubeObject>,
  name: string,
  port: number,
  options: PortForwardListenerOptions,
): Promise<PortForwardListener> {
  return (async () => {
    checkPorts([port]);
    calls.expect('pods', 'portforward');
    calls.item(name);
    return listenForward(
      (signal) => forwardPodPorts(calls, name, [port], { signal }),
      port,
      options,
    );
  })();
}
