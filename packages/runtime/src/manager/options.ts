/** The options of a {@link Manager} and their defaults. */
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { DEFAULT_SHUTDOWN_TIMEOUT_MS } from '../controller/config.js';
import type { LeaderElector } from '../leader/leader-elector.js';
import type { ShardingOptions } from '../sharding/options.js';

/** Options of a {@link Manager}. */
export interface ManagerOptions {
  /**
   * Run leader-only runnables (every controller by default) only while this elector leads.
   * Without one, everything runs at once (a single replica).
   */
  readonly leaderElector?: LeaderElector;
  /**
   * Address of the `/healthz`, `/readyz` and `/metrics` server. Default `127.0.0.1`; in a
   * cluster set `0.0.0.0` (or the pod IP) so that the kubelet and Prometheus can reach it.
   */
  readonly host?: string;
  /** Port of that server (0: any free port, see {@link Manager.address}). Default 8080. */
  readonly port?: number;
  /**
   * How long runnables get to finish after shutdown starts. Default 30 000 ms. When a
   * shutdown started by SIGTERM/SIGINT passes it, the reconciles still running are logged
   * (controller, object, how long) and the process exits with code 124.
   */
  readonly shutdownTimeoutMs?: number;
  /** Shut down on SIGTERM and SIGINT (a second one stops waiting). Default true. */
  readonly handleSignals?: boolean;
  /** Your pino logger; the manager logs through `logger.child({ component: 'manager' })`. */
  readonly logger?: Logger;
  /**
   * The prom-client registry `/metrics` serves (default: a new one for this manager, so
   * two managers in one process do not collide). Register your own metrics in it.
   */
  readonly registry?: Registry;
  /**
   * Shard the controllers' objects across the replicas (guide: docs/sharding.md): each
   * replica holds a shard Lease and runs its controllers on the objects labelled with its
   * shard only; the replica that leads (`leaderElector`, required) also runs the sharder.
   * Default: no sharding (the leader runs every controller on every object).
   */
  readonly sharding?: ShardingOptions;
}

/** The options a manager runs with: {@link ManagerOptions} with their defaults filled in. */
export interface ResolvedManagerOptions {
  readonly leaderElector: LeaderElector | undefined;
  readonly host: string;
  readonly port: number;
  readonly shutdownTimeoutMs: number;
  readonly handleSignals: boolean;
}

/** Fills in the defaults documented on {@link ManagerOptions}. */
export function resolveManagerOptions(options: ManagerOptions): ResolvedManagerOptions {
  return {
    leaderElector: options.leaderElector,
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 8080,
    shutdownTimeoutMs: options.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS,
    handleSignals: options.handleSignals ?? true,
  };
}
