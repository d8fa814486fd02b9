/**
 * Start-up probe for kube-ts (scenario 7), run as `node kube-ts-start.js KUBECONFIG
 * NAMESPACE`: imports `@kube-ts/runtime` (timed), then runs a Controller over the
 * namespace's ConfigMaps with a reconciler that exits at its first call. Prints
 * `{ importMs, firstReconcileAt }` (wall clock) on stdout.
 */
import type { Action as ActionValue } from '@kube-ts/runtime';
import { wallClockMs } from '../fixtures.js';

const [kubeconfig = '', namespace = ''] = process.argv.slice(2);
const t0 = performance.now();
const runtime = await import('@kube-ts/runtime');
const importMs = performance.now() - t0;
const { Api, Client } = await import('@kube-ts/client');
const { resources } = await import('@kube-ts/core');
const { Controller, Reconciler } = runtime;

class First extends Reconciler<{ metadata?: { name?: string } }> {
  override async reconcile(): Promise<ActionValue> {
    process.stdout.write(`${JSON.stringify({ importMs, firstReconcileAt: wallClockMs() })}\n`);
    process.exit(0);
  }
}

const api = Api.namespaced(
  Client.fromDefault({ path: kubeconfig }),
  resources.configMaps,
  namespace,
);
new Controller(api).run(new First(), undefined).subscribe();
