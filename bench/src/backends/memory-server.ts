/**
 * Child-process entry that runs a MemoryApiServer, so the server's CPU time is not counted
 * in the parent's or the measured process's. It sends `{ kubeconfig }` (the server's
 * kubeconfig as YAML) over IPC once listening, answers `{ watchesOf: { group, plural } }`
 * with `{ watches }` (its open watches of that resource), and stops when the parent
 * disconnects.
 */
import { MemoryApiServer } from '@kube-ts/testing';

const server = await MemoryApiServer.start();
const stop = async () => {
  await server.stop();
  process.exit(0);
};
process.on('disconnect', () => void stop());
process.on('SIGTERM', () => void stop());
process.on('message', (msg: { watchesOf?: { group: string; plural: string } }) => {
  if (msg.watchesOf) {
    const { group, plural } = msg.watchesOf;
    process.send?.({ watches: server.openWatchesOf(plural, group) });
  }
});
process.send?.({ kubeconfig: server.kubeConfig.exportConfig() });
