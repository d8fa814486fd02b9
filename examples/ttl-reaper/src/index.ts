export { parseTtl, ReaperReconciler, reaper, TTL } from './reaper.js';
export { reaperScenario } from './scenario.js';
