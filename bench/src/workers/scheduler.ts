import { Scheduler } from '@kube-ts/runtime';
import { type SchedulerCase, schedulerKey, type Task } from '../protocol.js';
import { cpuMs, type TaskOutcome } from './common.js';

/**
 * The Scheduler alone: `requests` requests over `keys` distinct keys (so
 * `requests - keys` of them are duplicates of a pending entry), each due at a random
 * time within `spreadMs`, as requeues are. Reports the cost of the `schedule` calls
 * alone and the CPU time of the whole run (schedule + emitting every due entry) per request,
 * measured on a second round after an unmeasured warm-up round.
 */
export async function runSchedulerTask(
  task: Extract<Task, { kind: 'scheduler' }>,
): Promise<TaskOutcome> {
  const values: Record<string, number> = {};
  for (const c of task.cases) {
    // One unmeasured round first, so the figure is the optimized code's, not the JIT's warm-up.
    await oneRound(c);
    for (const [k, v] of Object.entries(await oneRound(c))) values[schedulerKey(c, k)] = v;
  }
  return { values };
}

async function oneRound(task: SchedulerCase): Promise<Record<string, number>> {
  const spreadMs = 200;
  const keys = Array.from({ length: task.keys }, (_, i) => `bench/cm-${i}`);
  const delays = Array.from({ length: task.requests }, () => Math.random() * spreadMs);
  const reason = { type: 'objectUpdated' } as const;
  let emitted = 0;
  let onDrained: () => void = () => {};
  const drained = new Promise<void>((r) => {
    onDrained = r;
  });
  const scheduler = new Scheduler<string>({
    onDue: () => {
      if (++emitted === task.keys) onDrained();
    },
  });
  const cpu0 = cpuMs();
  const t0 = performance.now();
  for (let i = 0; i < task.requests; i++) {
    const key = keys[i % task.keys]!;
    scheduler.schedule(key, key, reason, delays[i]);
  }
  const scheduleMs = performance.now() - t0;
  await drained;
  const cpu = cpuMs() - cpu0;
  scheduler.close();
  return {
    scheduleNsPerRequest: (scheduleMs / task.requests) * 1e6,
    cpuNsPerRequest: (cpu / task.requests) * 1e6,
    requestsPerSecond: (task.requests / scheduleMs) * 1000,
  };
}
