export {
  foreignCaches,
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
export { killScenario, pauseScenario, scaleScenario, steadyScenario } from './scenario.js';
