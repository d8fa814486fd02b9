import type { Measurements, ParentMessage, Task, WorkerMessage } from '../protocol.js';

/** What a subject's task handler returns. */
export interface TaskOutcome {
  readonly values: Measurements;
  readonly samples?: number[];
  /** Scenario 8: the client's own part of each sample (chunk arrival → reaction), in ms. */
  readonly clientSamples?: number[];
}

/** The way a handler talks back to the parent while it runs. */
export interface WorkerContext {
  /** Tells the parent the store is synced and waits for nothing. */
  ready(): void;
  /** Resolves when the parent sends `stop`. */
  readonly stopped: Promise<void>;
}

function send(msg: WorkerMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send) {
      console.log(JSON.stringify(msg));
      resolve();
      return;
    }
    process.send(msg, undefined, undefined, () => resolve());
  });
}

/**
 * Runs the measured process: on the parent's `prepare`, loads what the task needs
 * (`load`, e.g. dynamic imports) and answers `loaded`; on `start`, runs `handle`, reports
 * its outcome (or its error) and exits. Loading before `start` lets the parent start the
 * processes of one run together and measure them one after the other. Must be called
 * once by each worker entry file.
 */
/**
 * Reads the task's kubeconfig once with `read` (the subject's own reader) before the
 * measurement: the first read of a kubeconfig compiles and initialises a YAML parser
 * (~230 KB of heap that stays, with kube-ts's `yaml`), which is the process's start-up,
 * not its cache. Every subject does it, so that none of them counts it in its span.
 */
export function warmKubeconfig(task: Task, read: (path: string) => void): void {
  if ('kubeconfig' in task) read(task.kubeconfig);
}

export function serveTask(
  handle: (task: Task, ctx: WorkerContext) => Promise<TaskOutcome>,
  load: (task: Task) => Promise<unknown> = async () => {},
): void {
  let onStop: () => void = () => {};
  const stopped = new Promise<void>((resolve) => {
    onStop = resolve;
  });
  let task: Task | undefined;
  const fail = async (err: unknown) => {
    await send({
      type: 'error',
      message: err instanceof Error ? (err.stack ?? err.message) : String(err),
    });
    process.exit(1);
  };
  process.on('disconnect', () => process.exit(1));
  process.on('message', (raw) => {
    const msg = raw as ParentMessage;
    if (msg.type === 'stop') {
      onStop();
      return;
    }
    if (msg.type === 'prepare') {
      task = msg.task;
      load(msg.task).then(() => send({ type: 'loaded' }), fail);
      return;
    }
    if (task === undefined) return void fail(new Error('start before prepare'));
    const ctx: WorkerContext = { ready: () => void send({ type: 'ready' }), stopped };
    handle(task, ctx).then(async (outcome) => {
      await send({ type: 'result', ...outcome });
      process.exit(0);
    }, fail);
  });
}

/** Runs the garbage collector until the heap stops shrinking; needs `--expose-gc`. */
export async function settledHeapUsed(): Promise<number> {
  const gc = globalThis.gc;
  if (!gc) throw new Error('the measured process must run with node --expose-gc');
  let last = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 10; i++) {
    gc();
    await new Promise((r) => setImmediate(r));
    const used = process.memoryUsage().heapUsed;
    if (used >= last * 0.999) return used;
    last = used;
  }
  return last;
}

/** Peak resident set size of this process so far, in MiB. */
export function peakRssMiB(): number {
  return process.resourceUsage().maxRSS / 1024;
}

/** User + system CPU time of this process, in ms. */
export function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** Parses the written-at annotation of an object (NaN when absent or malformed). */
export function writtenAtOf(annotations: Record<string, string> | undefined, key: string): number {
  const raw = annotations?.[key];
  return raw === undefined ? Number.NaN : Number(raw);
}

/**
 * Counts update events and resolves when `expected` have arrived, with the wall time from
 * the first to the last one and the CPU time since `start()`.
 */
export class UpdateCounter {
  #count = 0;
  #first = 0;
  #cpuStart = 0;
  #resolve: (v: { elapsedMs: number; cpuMs: number }) => void = () => {};
  /** Resolves once `expected` updates were counted. */
  readonly done: Promise<{ elapsedMs: number; cpuMs: number }>;

  constructor(readonly expected: number) {
    this.done = new Promise((r) => {
      this.#resolve = r;
    });
  }

  /** Starts counting (call when the store is synced). */
  start(): void {
    this.#cpuStart = cpuMs();
    this.#count = 0;
  }

  /** Records one update event. */
  hit(): void {
    if (this.#cpuStart === 0) return;
    if (this.#count === 0) this.#first = performance.now();
    this.#count++;
    if (this.#count === this.expected) {
      this.#resolve({
        elapsedMs: performance.now() - this.#first,
        cpuMs: cpuMs() - this.#cpuStart,
      });
    }
  }
}
