/**
 * MemoryApiServer's stand-in for kwok's fake kubelet: exec runs the command as a local
 * process (as kwok's ClusterExec does), port-forward connects to a local TCP address (as
 * its ClusterPortForward does), so the same tests hold on both backends.
 */
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import type { ContainerSession, MemoryApiServer } from '@kube-ts/testing';

/** Runs the session's command as a local process; resolves with its exit code. */
export function runLocally(session: ContainerSession): Promise<number> {
  const [program, ...args] = session.command;
  const child = spawn(program!, args, { stdio: 'pipe' });
  if (session.stdin) session.stdin.pipe(child.stdin);
  else child.stdin.end();
  // With a terminal, stderr goes to the one output stream.
  const err = session.tty ? session.stdout : session.stderr;
  if (session.stdout) child.stdout.pipe(session.stdout, { end: false });
  if (err) child.stderr.pipe(err, { end: false });
  session.signal.addEventListener('abort', () => child.kill());
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve(code ?? 1));
  });
}

/** Makes every exec into `namespace/pod` a local process. */
export function execLocally(
  containers: MemoryApiServer['containers'],
  namespace: string,
  pod: string,
): void {
  containers.onExec(namespace, pod, runLocally);
}

/** Forwards `port` of `namespace/pod` to a local TCP port. */
export function forwardLocally(
  containers: MemoryApiServer['containers'],
  namespace: string,
  pod: string,
  port: number,
  target: number,
): void {
  containers.onPortForward(namespace, pod, port, (stream) => {
    const socket = connect(target, '127.0.0.1');
    stream.pipe(socket).pipe(stream);
    socket.on('error', () => stream.destroy());
  });
}
