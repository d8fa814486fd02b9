import * as os from 'node:os';

/** What the benchmark ran on, written into the result file next to the figures. */
export interface MachineInfo {
  readonly cpuModel: string;
  readonly cpus: number;
  readonly totalMemoryMiB: number;
  readonly os: string;
  readonly arch: string;
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
    loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
}
