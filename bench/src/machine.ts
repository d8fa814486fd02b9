import * as os from 'node:os';

/** What the benchmark ran on, written into the result file next to the figures. */
export interface MachineInfo {
  /** Model name of the first CPU, e.g. `Intel(R) Xeon(R) Processor @ 2.50GHz`. */
  readonly cpuModel: string;
  /** Number of logical CPUs. */
  readonly cpus: number;
  /** Total memory in MiB. */
  readonly totalMemoryMiB: number;
  /** OS type and kernel release, e.g. `Linux 6.18.44`. */
  readonly os: string;
  /** CPU architecture of the Node.js binary, e.g. `x64`. */
  readonly arch: string;
  /** Node.js version, e.g. `v20.20.2`. */
  readonly node: string;
  /** 1, 5 and 15 minute load averages when the run started (the machine may be shared). */
  readonly loadAverage: readonly number[];
}

/** Describes the current machine and Node.js runtime. */
export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model ?? 'unknown',
    cpus: cpus.length,
    totalMemoryMiB: Math.round(os.totalmem() / 2 ** 20),
    os: `${os.type()} ${os.release()}`,
    arch: process.arch,
    node: process.version,
    loadAverage: loadAverage(),
  };
}

/** The 1, 5 and 15 minute load averages now, to two decimals. */
export function loadAverage(): number[] {
  return os.loadavg().map((l) => Math.round(l * 100) / 100);
}
