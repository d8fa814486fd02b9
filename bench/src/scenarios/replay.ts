import type { Figure } from '../figure.js';
import { figureOf, measure } from '../measure.js';
import { startReplayServer } from '../replay/replay.js';
import type { ScenarioContext } from './context.js';

/**
 * Scenario 6: the client's own watch ingest cost. A replay server (`replay/`) lists
 * `churnObjects` ConfigMaps and, once the measured process is synced, writes
 * `replayUpdates` prepared MODIFIED events as fast as the socket takes them. Nothing else
 * runs (no writer, no API server work per event), so CPU time per event is the client's
 * alone, and events/s is its drain rate. Independent of the backend: it runs once, listed
 * under `replay`.
 */
export async function replayScenario(ctx: ScenarioContext): Promise<Figure[]> {
  const objects = ctx.sizes.churnObjects;
  const updates = ctx.sizes.replayUpdates;
  const namespace = 'bench-replay';
  const server = await startReplayServer(namespace, objects, updates);
  try {
    const scenario = `6 watch ingest, replayed (${updates} events)`;
    const runs = await measure({
      label: `[replay] ${scenario}`,
      subjects: ['kube-ts', 'peer', 'floor'],
      runs: ctx.runs,
      task: () => ({
        kind: 'ingest',
        kubeconfig: server.kubeconfigPath,
        namespace,
        objects,
        updates,
      }),
      hooks: () => ({ onReady: async () => server.release() }),
      cpuProfDir: ctx.cpuProfDir,
    });
    const base = { backend: 'replay', scenario };
    const k = runs.get('kube-ts');
    const p = runs.get('peer');
    const f = runs.get('floor');
    return [
      figureOf(
        base,
        { metric: 'events per second', unit: 'events/s', better: 'higher', key: 'eventsPerSecond' },
        k,
        p,
        undefined,
        f,
      ),
      figureOf(
        base,
        { metric: 'CPU time per event', unit: 'µs', better: 'lower', key: 'cpuUsPerEvent' },
        k,
        p,
        undefined,
        f,
      ),
    ];
  } finally {
    await server.stop();
  }
}
