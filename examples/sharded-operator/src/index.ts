export {
  foreignCaches,
  maxReconcileLagMs,
  objectsByShard,
  overlappingReconciles,
  unbalanced,
  unreconciledWrites,
} from './checks.js';
export {
  Fleet,
  type LastWrite,
  LogReader,
  type ShardingTarget,
  seeded,
  TIMING,
  Workload,
} from './fleet.js';
export {
  LEADER_LEASE,
  type LogRecord,
  monotonicMicros,
  RecordingReconciler,
  RING,
  record,
  SHARDED,
  type ShardedReplicaOptions,
  shardedReplica,
} from './replica.js';
export {
  CI_SIZE,
  FULL_SIZE,
  killScenario,
  pauseScenario,
  type ScenarioReport,
  type ScenarioSize,
  scaleScenario,
  steadyScenario,
  tourScenario,
} from './scenario.js';
