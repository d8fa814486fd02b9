export { type ScenarioNamespaces, syncScenario } from './scenario.js';
export {
  ENABLED,
  FINALIZER,
  FROM,
  SyncReconciler,
  sourceOf,
  syncer,
  TARGETS,
  targetsOf,
} from './syncer.js';
