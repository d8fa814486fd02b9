export { LEASE_NAME, type ReplicaOptions, replica } from './replica.js';
export { type FailoverTarget, failoverScenario } from './scenario.js';
export { STAMP, STAMPED_BY, StampReconciler, stampController } from './stamper.js';
