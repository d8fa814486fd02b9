/** Command-line options of `npm run bench`. */
export interface BenchOptions {
  /** Small object counts and short phases (a smoke check in under 2 minutes). */
  readonly quick: boolean;
  /** Runs per figure and subject (at least 5 unless overridden for debugging). */
  readonly runs: number;
  /** Only the scenarios whose number is listed (default: all). */
  readonly scenarios: ReadonlySet<number>;
  /**
   * Backends to try: `memory`, `real` (default: both, or `memory` alone with `--quick`; `real`
   * is skipped without binaries).
   */
  readonly backends: ReadonlySet<string>;
  /** Write a CPU profile of each measured process into this directory. */
  readonly cpuProfDir?: string;
  /** Where to write the result file. */
  readonly out: string;
  /** kube-ts's LIST page size in the cache scenarios (default: the watcher's, 500). */
  readonly pageSize?: number;
  /** Updates per second of the latency scenarios 5 and 8 (default: 500 and 100). */
  readonly rate?: number;
  /**
   * How long the latency scenarios 5 and 8 write, in ms (`--duration S`; default 10 s, and
   * for a full run's scenario 8 at least long enough for 1,000 updates at its rate).
   */
  readonly durationMs?: number;
}

/** Usage text printed by `--help` and on a bad option. */
export const USAGE = `usage: npm run bench -- [--quick] [--runs N] [--scenario 1,2,…] [--backend memory,real]
                        [--cpu-prof DIR] [--out FILE] [--page-size N] [--rate N]
                        [--duration S]
  --quick      small object counts, memory backend unless --backend says otherwise:
               a smoke check in about 2 minutes
  --runs N     runs per figure and subject (default 5)
  --scenario   only these scenarios (1 sync, 2 ingest, 3 memory, 4 dispatch, 5 latency,
               6 ingest replayed, 7 start-up, 8 latency at 100 updates/s,
               9 shared cache and metadata-only ownership, 10 sharded controller)
  --backend    memory (MemoryApiServer) and/or real (ControlPlane, skipped without binaries)
  --cpu-prof   write a .cpuprofile of every measured process into DIR
  --out        result file (default bench/results/latest.json)
  --page-size  kube-ts's LIST page size in scenarios 1-3 (default: the watcher's, 500)
  --rate N     updates per second of the latency scenarios 5 and 8 (default 500 and 100)
  --duration S seconds the latency scenarios 5 and 8 write per run (default 10; scenario 8
               at least 1,000 updates per run outside --quick, e.g. 50 s at --rate 20)`;

/** Parses `argv` (without node and script); throws an Error with {@link USAGE} on a bad option. */
export function parseOptions(argv: readonly string[], defaultOut: string): BenchOptions {
  let quick = false;
  let runs = 5;
  let scenarios = new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  let backends: Set<string> | undefined;
  let cpuProfDir: string | undefined;
  let out = defaultOut;
  let pageSize: number | undefined;
  let rate: number | undefined;
  let durationMs: number | undefined;
  const list = (v: string | undefined) =>
    (v ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value\n${USAGE}`);
      return v;
    };
    switch (arg) {
      case '--quick':
        quick = true;
        break;
      case '--runs':
        runs = Number(value());
        if (!Number.isInteger(runs) || runs < 1)
          throw new Error(`--runs must be a positive integer\n${USAGE}`);
        break;
      case '--scenario':
        scenarios = new Set(list(value()).map(Number));
        break;
      case '--backend':
        backends = new Set(list(value()));
        break;
      case '--cpu-prof':
        cpuProfDir = value();
        break;
      case '--out':
        out = value();
        break;
      case '--page-size':
        pageSize = Number(value());
        if (!Number.isInteger(pageSize) || pageSize < 1) {
          throw new Error(`--page-size must be a positive integer\n${USAGE}`);
        }
        break;
      case '--rate':
        rate = Number(value());
        if (!Number.isInteger(rate) || rate < 1) {
          throw new Error(`--rate must be a positive integer\n${USAGE}`);
        }
        break;
      case '--duration': {
        const seconds = Number(value());
        if (!(Number.isFinite(seconds) && seconds > 0)) {
          throw new Error(`--duration must be a positive number of seconds\n${USAGE}`);
        }
        durationMs = Math.round(seconds * 1000);
        break;
      }
      case '--help':
        throw new Error(USAGE);
      default:
        throw new Error(`unknown option ${arg}\n${USAGE}`);
    }
  }
  return {
    quick,
    runs,
    scenarios,
    backends: backends ?? new Set(quick ? ['memory'] : ['memory', 'real']),
    out,
    ...(cpuProfDir ? { cpuProfDir } : {}),
    ...(pageSize ? { pageSize } : {}),
    ...(rate ? { rate } : {}),
    ...(durationMs ? { durationMs } : {}),
  };
}
