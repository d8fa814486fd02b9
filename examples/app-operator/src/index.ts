export { appController, appRecorder } from './operator.js';
export { AppReconciler, type Context, statusFrom } from './reconciler.js';
export { FIELD_MANAGER, MANAGED_BY, renderDeployment, renderService } from './render.js';
export { App, type AppStatus } from './resource.js';
export { appScenario } from './scenario.js';
