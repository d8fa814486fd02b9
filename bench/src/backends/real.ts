import { ControlPlane } from '@kube-ts/testing';
import { Writer } from '../writer.js';
import type { Backend, SkippedBackend } from './backend.js';

/**
 * Starts a real etcd + kube-apiserver through `ControlPlane` when its binaries can be
 * found (KUBEBUILDER_ASSETS, TEST_ASSET_*, or the cache that
 * `test-e2e/controlplane/build-binaries.sh` fills); otherwise returns why it was skipped.
 */
export async function startRealBackend(): Promise<Backend | SkippedBackend> {
  let plane: ControlPlane;
  try {
    plane = await ControlPlane.start();
  } catch (err) {
    const reason = err instanceof Error ? err.message.split('\n')[0]! : String(err);
    return { name: 'kube-apiserver', skipped: reason };
  }
  const metrics = Writer.fromKubeconfigFile(plane.kubeconfigPath);
  return {
    name: 'kube-apiserver',
    kubeconfigPath: plane.kubeconfigPath,
    watchesOf: (group, plural) => metrics.watchesFromMetrics(group, plural),
    stop: async () => {
      metrics.close();
      await plane.stop();
    },
  };
}
