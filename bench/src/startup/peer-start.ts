/**
 * Start-up probe for the peer (scenario 7), run as `node peer-start.js KUBECONFIG
 * NAMESPACE`: imports `@kubernetes/client-node` (timed), then starts an informer over the
 * namespace's ConfigMaps and exits at its first `add` event. Prints
 * `{ importMs, firstReconcileAt }` (wall clock) on stdout.
 */
import type { V1ConfigMap } from '@kubernetes/client-node';
import { wallClockMs } from '../fixtures.js';

const [kubeconfig = '', namespace = ''] = process.argv.slice(2);
const t0 = performance.now();
const k8s = await import('@kubernetes/client-node');
const importMs = performance.now() - t0;

const kc = new k8s.KubeConfig();
kc.loadFromFile(kubeconfig);
// client-node refuses plain http unless skipTLSVerify is set (MemoryApiServer serves http).
kc.loadFromOptions({
  clusters: kc.clusters.map((c) =>
    c.server.startsWith('http:') ? { ...c, skipTLSVerify: true } : c,
  ),
  users: kc.users,
  contexts: kc.contexts,
  currentContext: kc.currentContext,
});
const core = kc.makeApiClient(k8s.CoreV1Api);
const informer = k8s.makeInformer<V1ConfigMap>(
  kc,
  `/api/v1/namespaces/${namespace}/configmaps`,
  () => core.listNamespacedConfigMap({ namespace }),
);
informer.on('add', () => {
  process.stdout.write(`${JSON.stringify({ importMs, firstReconcileAt: wallClockMs() })}\n`);
  process.exit(0);
});
void informer.start();
