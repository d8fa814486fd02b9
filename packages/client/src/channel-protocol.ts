/**
 * The framing of kube-apiserver's WebSocket streaming subprotocols (`v5.channel.k8s.io`,
 * `v4.channel.k8s.io`): every binary message starts with one byte naming its channel,
 * the rest is that channel's data. Remote commands (exec, attach) use channels 0 stdin,
 * 1 stdout, 2 stderr, 3 the final Status, 4 terminal resizes; port-forward uses channels
 * 2i (data) and 2i+1 (errors) for its i-th port. `v5` adds a close message
 * (`[255, channel]`) that ends one channel's input without closing the connection.
 */
import type { Status } from '@kube-ts/core';

/** The subprotocols offered for exec and attach, best first. */
export const REMOTE_COMMAND_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'] as const;

/** The subprotocol of port-forward over WebSocket (kubelet's `v4.channel.k8s.io` framing). */
export const PORT_FORWARD_PROTOCOLS = ['v4.channel.k8s.io'] as const;

/** The channels of a remote command. */
export const Channel = {
  stdin: 0,
  stdout: 1,
  stderr: 2,
  status: 3,
  resize: 4,
} as const;

/** The first byte of a `v5` message that closes the channel named by its second byte. */
export const CLOSE_CHANNEL = 255;

/** Whether the negotiated subprotocol can close one channel (`v5.channel.k8s.io`). */
export function canCloseChannels(protocol: string): boolean {
  return protocol === 'v5.channel.k8s.io';
}

/** One message for `channel`. */
export function frame(channel: number, data: Buffer | string): Buffer {
  const body = typeof data === 'string' ? Buffer.from(data) : data;
  const out = Buffer.allocUnsafe(body.length + 1);
  out[0] = channel;
  body.copy(out, 1);
  return out;
}

/** The exit of a remote command, from the Status it ended with. */
export interface ExitStatus {
  /** The command's exit code (0 on success). */
  readonly exitCode: number;
  /** The Status the server sent on the status channel. */
  readonly status: Status;
}

/**
 * Reads the Status a remote command ended with: `Success` is exit code 0; a `Failure`
 * with reason `NonZeroExitCode` carries the code as the `ExitCode` cause. Any other
 * Status (the command could not be started, the container is gone) is `undefined`: a
 * failure the caller reports as an error.
 */
export function exitStatusOf(status: Status): ExitStatus | undefined {
  if (status.status === 'Success') return { exitCode: 0, status };
  if (status.reason !== 'NonZeroExitCode') return undefined;
  const cause = status.details?.causes?.find((c) => c.reason === 'ExitCode');
  const code = Number(cause?.message);
  return Number.isInteger(code) ? { exitCode: code, status } : undefined;
}
